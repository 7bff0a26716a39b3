// Package testshared finds the reference material in ../shared for tests.
//
// The material (spec, WASI WIT, conformance corpora) sits beside the
// repository, not in it. Tests skip with a message when it is absent, and
// fail instead under WITGO_REQUIRE_TOOLS=1, as CI runs them.
package testshared

import (
	"os"
	"path/filepath"
	"testing"
)

// Find returns the path of shared/<rel...>, looking in every directory above
// the current one, or "" if there is none.
func Find(rel ...string) string {
	dir, err := filepath.Abs(".")
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(append([]string{dir, "shared"}, rel...)...)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Dir is Find for a test: it skips the test when the material is absent, or
// fails it when WITGO_REQUIRE_TOOLS=1.
func Dir(t testing.TB, rel ...string) string {
	t.Helper()
	if p := Find(rel...); p != "" {
		return p
	}
	msg := "shared material not found: shared/" + filepath.Join(rel...)
	if Required() {
		t.Fatal(msg + " (required under WITGO_REQUIRE_TOOLS=1)")
	}
	t.Skip(msg)
	return ""
}

// Required reports whether tests must fail rather than skip when a tool or
// the shared material is missing.
func Required() bool { return os.Getenv("WITGO_REQUIRE_TOOLS") == "1" }
