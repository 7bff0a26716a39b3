package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestRunInvoke(t *testing.T) {
	dir := sharedDir(t, "conformance", "component-spec")
	strs := filepath.Join(dir, "values", "strings", "strings.0.wasm")
	r := witgo(t, "run", "--invoke", "f2()", strs)
	r.expect(t, exitOK)
	if r.stdout != "\"☃☺️öツ\"\n" {
		t.Errorf("stdout %q", r.stdout)
	}
	res := filepath.Join(dir, "resources", "multiple-resources", "multiple-resources.0.wasm")
	r = witgo(t, "run", res, "--invoke", "run()")
	r.expect(t, exitOK)
	if r.stdout != "42\n" {
		t.Errorf("stdout %q", r.stdout)
	}
	// A guest that traps: an error, exit status 1.
	r = witgo(t, "run", "--invoke", "f()", filepath.Join(dir, "values", "strings", "strings.1.wasm"))
	r.expect(t, exitUserError)
	if !strings.Contains(r.stderr, "trap") {
		t.Errorf("stderr %q does not report a trap", r.stderr)
	}
	r = witgo(t, "run", "--invoke", "nope()", res)
	r.expect(t, exitUserError)
	if !strings.Contains(r.stderr, "exports: run") {
		t.Errorf("stderr %q does not list the exports", r.stderr)
	}
	witgo(t, "run", res).expect(t, exitUsage)
	witgo(t, "run").expect(t, exitUsage)
}
