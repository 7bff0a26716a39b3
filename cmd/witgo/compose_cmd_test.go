package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/component/wasm"
)

// Two tiny components made by `witgo component new` from core modules
// built here: a plug exporting test:cli/math (add) and a socket importing
// it and exporting test:cli/calc (add3, which calls add twice).
const (
	composeMathWIT = `package test:cli@0.1.0;

interface math {
  add: func(a: u32, b: u32) -> u32;
}

interface calc {
  add3: func(a: u32, b: u32, c: u32) -> u32;
}

world plug {
  export math;
}

world socket {
  import math;
  export calc;
}
`
	// A plug whose add takes a u64: it cannot satisfy the socket.
	composeBadWIT = `package test:cli@0.1.0;

interface math {
  add: func(a: u32, b: u64) -> u32;
}

world plug {
  export math;
}
`
)

// composeModules returns the core modules of the plug and the socket.
func composeModules(t *testing.T, bParam wasm.ValType) (plug, socket []byte) {
	t.Helper()
	i32 := wasm.V(wasm.I32)
	p := wasm.NewBuilder()
	add := p.FuncType([]wasm.ValType{i32, bParam}, []wasm.ValType{i32})
	body := []byte{0x20, 0, 0x20, 1, 0x6a} // a + b
	if bParam != i32 {
		body = []byte{0x20, 0, 0x20, 1, 0xa7, 0x6a} // a + i32.wrap(b)
	}
	p.Export("test:cli/math@0.1.0#add", wasm.ExternFunc, p.Func(add, nil, body))
	s := wasm.NewBuilder()
	addT := s.FuncType([]wasm.ValType{i32, i32}, []wasm.ValType{i32})
	imported := s.ImportFunc("test:cli/math@0.1.0", "add", addT)
	add3 := s.FuncType([]wasm.ValType{i32, i32, i32}, []wasm.ValType{i32})
	// add(add(a, b), c)
	s.Export("test:cli/calc@0.1.0#add3", wasm.ExternFunc, s.Func(add3, nil,
		[]byte{0x20, 0, 0x20, 1, 0x10, byte(imported), 0x20, 2, 0x10, byte(imported)}))
	for _, b := range []*wasm.Builder{p, s} {
		m, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		if plug == nil {
			plug = m.Encode()
		} else {
			socket = m.Encode()
		}
	}
	return plug, socket
}

// composeInputs writes the socket, the plug and the bad plug as
// components into dir.
func composeInputs(t *testing.T, dir string) (socket, plug, bad string) {
	t.Helper()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("math.wit", []byte(composeMathWIT))
	badWIT := write("bad.wit", []byte(composeBadWIT))
	plugCore, socketCore := composeModules(t, wasm.V(wasm.I32))
	badCore, _ := composeModules(t, wasm.V(wasm.I64))
	socket, plug, bad = filepath.Join(dir, "socket.wasm"), filepath.Join(dir, "plug.wasm"), filepath.Join(dir, "bad.wasm")
	witgo(t, "component", "new", "--wit", good, "--world", "socket", write("socket.core.wasm", socketCore), "-o", socket).expect(t, exitOK)
	witgo(t, "component", "new", "--wit", good, "--world", "plug", write("plug.core.wasm", plugCore), "-o", plug).expect(t, exitOK)
	witgo(t, "component", "new", "--wit", badWIT, "--world", "plug", write("bad.core.wasm", badCore), "-o", bad).expect(t, exitOK)
	return socket, plug, bad
}

// TestCompose: the composed component exports calc and imports nothing;
// witgo component wit describes it and witgo run calls through both
// components.
func TestCompose(t *testing.T) {
	dir := t.TempDir()
	socket, plug, _ := composeInputs(t, dir)
	out := filepath.Join(dir, "out.wasm")
	r := witgo(t, "compose", socket, plug, "-o", out)
	r.expect(t, exitOK)
	if r.stdout != "" || r.stderr != "" {
		t.Errorf("compose printed %q / %q", r.stdout, r.stderr)
	}
	r = witgo(t, "component", "wit", out)
	r.expect(t, exitOK)
	want := "package root:component;\n\nworld root {\n  export test:cli/calc@0.1.0;\n}\n"
	if !strings.HasPrefix(r.stdout, want) {
		t.Errorf("component wit:\n%s\nwant it to start with\n%s", r.stdout, want)
	}
	r = witgo(t, "run", "--invoke", "add3(1, 20, 300)", out)
	r.expect(t, exitOK)
	if r.stdout != "321\n" {
		t.Errorf("add3(1, 20, 300) printed %q", r.stdout)
	}
	// Flags may come first; a plug nobody uses is a warning, not an error.
	r = witgo(t, "compose", "-o", out, socket, plug, plug)
	r.expect(t, exitOK)
	if !strings.Contains(r.stderr, "warning: plug "+plug+" is not used") {
		t.Errorf("stderr %q has no warning about the unused plug", r.stderr)
	}
}

func TestComposeErrors(t *testing.T) {
	dir := t.TempDir()
	socket, plug, bad := composeInputs(t, dir)
	out := filepath.Join(dir, "out.wasm")
	r := witgo(t, "compose", socket, bad, "-o", out)
	r.expect(t, exitUserError)
	for _, s := range []string{socket, bad, "test:cli/math@0.1.0", "function add", "parameter b", "u32 in the import, u64 in the export"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr %q lacks %q", r.stderr, s)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an output file was written despite the error")
	}
	witgo(t, "compose", socket, filepath.Join(dir, "missing.wasm"), "-o", out).expect(t, exitUserError)
	witgo(t, "compose", socket, "-o", out).expect(t, exitUsage)
	witgo(t, "compose", socket, plug).expect(t, exitUsage) // no -o
	r = witgo(t, "compose", "--help")
	r.expect(t, exitOK)
	if !strings.Contains(r.stdout, "SOCKET.wasm PLUG.wasm") {
		t.Errorf("compose --help: %s", r.stdout)
	}
}
