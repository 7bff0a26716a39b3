package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestWitCheckDemo(t *testing.T) {
	for _, args := range [][]string{
		{"wit", "--check", demoDir},
		{"wit", demoDir, "--check"},
		{"wit", "--check", "--all-features", demoDir},
		{"wit", "--check", "--features", "gift-wrap,other", demoDir},
		{"wit", "--check", "--world", "shop", demoDir},
		{"wit", "--check", "--world", "demo:bookshop/shop@0.1.0", demoDir},
	} {
		r := witgo(t, args...)
		r.expect(t, exitOK)
		if r.stdout != "ok\n" || r.stderr != "" {
			t.Errorf("%v: stdout %q stderr %q, want stdout \"ok\\n\"", args, r.stdout, r.stderr)
		}
	}
}

func TestWitUnknownWorldExitsOne(t *testing.T) {
	r := witgo(t, "wit", "--world", "nosuch", demoDir)
	r.expect(t, exitUserError)
	if !strings.Contains(r.stderr, "nosuch") || r.stdout != "" {
		t.Errorf("stdout %q stderr %q", r.stdout, r.stderr)
	}
}

// A broken file: --check prints the wit package's diagnostic (position,
// source line, caret) on stderr and exits 1.
func TestWitCheckReportsDiagnostics(t *testing.T) {
	path := writeTemp(t, "broken.wit", "package a:b;\n\ninterface i {\n    f: func() -> nosuch;\n}\n")
	r := witgo(t, "wit", "--check", path)
	r.expect(t, exitUserError)
	if r.stdout != "" {
		t.Errorf("stdout not empty: %q", r.stdout)
	}
	for _, want := range []string{"broken.wit:4:", "nosuch", "f: func() -> nosuch;", "^"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("diagnostic lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestWitPrintsDemo(t *testing.T) {
	r := witgo(t, "wit", demoDir)
	r.expect(t, exitOK)
	for _, want := range []string{"package demo:bookshop@0.1.0", "interface catalog", "record book", "variant lookup-error",
		"resource basket", "world shop", "flags formats", "enum genre"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	// @unstable items stay out unless their feature is on.
	if strings.Contains(r.stdout, "wrap:") {
		t.Errorf("gift-wrap item printed without its feature:\n%s", r.stdout)
	}
	for _, args := range [][]string{{"--features", "gift-wrap"}, {"--all-features"}} {
		r := witgo(t, append([]string{"wit", demoDir}, args...)...)
		r.expect(t, exitOK)
		if !strings.Contains(r.stdout, "wrap:") {
			t.Errorf("%v: gift-wrap item missing:\n%s", args, r.stdout)
		}
	}
}

// What `witgo wit` prints is WIT that witgo reads back to the same text.
func TestWitOutputReadsBack(t *testing.T) {
	first := witgo(t, "wit", "--all-features", demoDir)
	first.expect(t, exitOK)
	path := writeTemp(t, "printed.wit", first.stdout)
	second := witgo(t, "wit", "--all-features", path)
	second.expect(t, exitOK)
	if second.stdout != first.stdout {
		t.Errorf("printing the printed WIT changed it:\nfirst:\n%s\nsecond:\n%s", first.stdout, second.stdout)
	}
}

func TestWitJSON(t *testing.T) {
	r := witgo(t, "wit", "--json", demoDir)
	r.expect(t, exitOK)
	var doc struct {
		Worlds     []struct{ Name string }
		Interfaces []struct{ Name *string }
		Packages   []struct{ Name string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, r.stdout)
	}
	if len(doc.Packages) != 1 || doc.Packages[0].Name != "demo:bookshop@0.1.0" {
		t.Errorf("packages = %+v, want just demo:bookshop@0.1.0", doc.Packages)
	}
	if len(doc.Worlds) != 1 || doc.Worlds[0].Name != "shop" {
		t.Errorf("worlds = %+v, want just shop", doc.Worlds)
	}
	if len(doc.Interfaces) != 2 {
		t.Errorf("got %d interfaces, want catalog and checkout", len(doc.Interfaces))
	}
}

// --world picks a world of a dependency by its full name and prints the
// package that defines it.
func TestWitWorldOfDependency(t *testing.T) {
	wasi := sharedDir(t, "reference", "wasi", "0.2.0", "wit")
	r := witgo(t, "wit", "--world", "wasi:cli/command@0.2.0", wasi)
	r.expect(t, exitOK)
	for _, want := range []string{"package wasi:cli@0.2.0", "world command", "interface environment"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "package wasi:http") {
		t.Errorf("printed the root package, not the world's:\n%s", r.stdout)
	}
}

// --with-deps makes a file that stands alone: WASI's wasi:cli with its deps
// nested reads back, and printing that again gives the same text.
func TestWitWithDepsStandsAlone(t *testing.T) {
	wasi := sharedDir(t, "reference", "wasi", "0.2.0", "wit")
	first := witgo(t, "wit", "--with-deps", "--world", "wasi:cli/command@0.2.0", wasi)
	first.expect(t, exitOK)
	for _, want := range []string{"package wasi:cli@0.2.0;", "package wasi:io@0.2.0 {", "package wasi:filesystem@0.2.0 {"} {
		if !strings.Contains(first.stdout, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(first.stdout, "package wasi:http") {
		t.Errorf("wasi:cli does not depend on wasi:http, but it was printed")
	}
	second := witgo(t, "wit", "--with-deps", writeTemp(t, "cli.wit", first.stdout))
	second.expect(t, exitOK)
	if second.stdout != first.stdout {
		t.Errorf("reading back the output changed it:\nfirst:\n%s\nsecond:\n%s", first.stdout, second.stdout)
	}
	// Without its deps the package alone does not resolve.
	alone := witgo(t, "wit", "--world", "wasi:cli/command@0.2.0", wasi)
	witgo(t, "wit", "--check", writeTemp(t, "cli-alone.wit", alone.stdout)).expect(t, exitUserError)
}

// The broken package `make demo` shows fails with the typo named.
func TestWitCheckDemoBroken(t *testing.T) {
	r := witgo(t, "wit", "--check", filepath.Join("..", "..", "testdata", "demo-broken"))
	r.expect(t, exitUserError)
	if !strings.Contains(r.stderr, "shelf.wit:9:21:") || !strings.Contains(r.stderr, "boook") {
		t.Errorf("diagnostic:\n%s", r.stderr)
	}
}

// --abi shows the core view of a world. The expected lines are worked out
// from CanonicalABI.md by hand: `read` takes the stream handle (i32), a u64
// length (i64) and, its result<list<u8>, stream-error> needing more than
// one flat value, a pointer to the caller's 12-byte return area (i32).
func TestWitABI(t *testing.T) {
	dir := sharedDir(t, "reference", "wasi", "0.2.0", "wit")
	r := witgo(t, "wit", "--abi", "--world", "wasi:cli/command@0.2.0", dir)
	r.expect(t, exitOK)
	for _, want := range []string{
		`import "wasi:io/streams@0.2.0" "[method]input-stream.read" lower (func (param i32 i64 i32))`,
		"return area size=12 align=4",
		`import "wasi:cli/exit@0.2.0" "exit" lower (func (param i32))`,
		`export "wasi:cli/run@0.2.0#run"`,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("--abi output lacks %q", want)
		}
	}
	witgo(t, "wit", "--abi", "--json", dir).expect(t, exitUsage)
}
