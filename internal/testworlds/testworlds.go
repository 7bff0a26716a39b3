// Package testworlds lists the WIT worlds the bindings generators' tests
// cover (gen/go, gen/rust): local testdata, the WASI reference packages
// and the wit-parser conformance cases, loaded once per call.
package testworlds

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/internal/testshared"
	"github.com/witgo/witgo/wit"
)

// Case is one world to generate bindings for.
type Case struct {
	Label string // source and world, for messages
	R     *wit.Resolve
	World wit.WorldID
}

// Load loads path and returns a case per world of every package it
// loaded (dependencies included).
func Load(t testing.TB, path, label string) []Case {
	t.Helper()
	r := wit.NewResolve()
	if _, err := r.LoadPath(path); err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	var cases []Case
	for id, w := range r.Worlds {
		name := w.Name
		if w.Package != wit.NoPackage {
			name = r.Packages[w.Package].Name.String() + "/" + w.Name
		}
		cases = append(cases, Case{Label: label + ": " + name, R: r, World: wit.WorldID(id)})
	}
	return cases
}

// ForGenerators returns the worlds of the WIT files in local (paths or
// globs), of the WASI reference versions named, and of every wit-parser
// conformance case that loads (one that does not is the wit package's
// business: its conformance test says which). Without ../shared the test
// skips, or fails under WITGO_REQUIRE_TOOLS=1.
func ForGenerators(t testing.TB, wasiVersions []string, local ...string) []Case {
	t.Helper()
	var cases []Case
	for _, pattern := range local {
		matches, _ := filepath.Glob(pattern)
		for _, m := range matches {
			cases = append(cases, Load(t, m, m)...)
		}
	}
	wasi := testshared.Dir(t, "reference", "wasi")
	for _, v := range wasiVersions {
		cases = append(cases, Load(t, filepath.Join(wasi, v, "wit"), "wasi "+v)...)
	}
	ui := testshared.Dir(t, "conformance", "wit-parser-ui")
	entries, err := os.ReadDir(ui)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() && e.Name() == "parse-fail" || !e.IsDir() && !strings.HasSuffix(e.Name(), ".wit") {
			continue
		}
		path := filepath.Join(ui, e.Name())
		if _, err := wit.NewResolve().LoadPath(path); err != nil {
			continue
		}
		cases = append(cases, Load(t, path, "conformance "+e.Name())...)
	}
	return cases
}
