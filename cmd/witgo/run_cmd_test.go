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
	r = witgo(t, "run", "--invoke", "run()", res)
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

func TestRunFlags(t *testing.T) {
	dir := sharedDir(t, "conformance", "component-spec")
	res := filepath.Join(dir, "resources", "multiple-resources", "multiple-resources.0.wasm")
	witgo(t, "run", "--max-memory", "lots", "--invoke", "run()", res).expect(t, exitUsage)
	r := witgo(t, "run", "--max-memory", "1MiB", "--timeout", "10s", "--invoke", "run()", res)
	r.expect(t, exitOK)
	if r.stdout != "42\n" {
		t.Errorf("stdout %q", r.stdout)
	}
	for in, want := range map[string]uint64{"65536": 65536, "64KiB": 65536, "2MiB": 2 << 20, "1GiB": 1 << 30} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
}
