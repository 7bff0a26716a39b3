package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/component/wasm"
)

const adderWIT = `package test:adder@1.0.0;

interface types {
  record pair {
    a: u32,
    b: u32,
  }
}

world adder {
  use types.{pair};

  export add: func(p: pair) -> u32;
}
`

// adderModule exports add(a, b) = a + b, as the world above needs.
func adderModule(t *testing.T) []byte {
	b := wasm.NewBuilder()
	i32 := wasm.V(wasm.I32)
	typ := b.FuncType([]wasm.ValType{i32, i32}, []wasm.ValType{i32})
	b.Export("add", wasm.ExternFunc, b.Func(typ, nil, []byte{0x20, 0, 0x20, 1, 0x6a}))
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return m.Encode()
}

// TestComponentCommands: embed, then wit of the embedded module gives the
// world back; new from the embedded world and from --wit give the same
// component, whose wit is the world's imports and exports.
func TestComponentCommands(t *testing.T) {
	dir := t.TempDir()
	witPath := filepath.Join(dir, "adder.wit")
	core := filepath.Join(dir, "core.wasm")
	if err := os.WriteFile(witPath, []byte(adderWIT), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(core, adderModule(t), 0o644); err != nil {
		t.Fatal(err)
	}
	embedded := filepath.Join(dir, "embedded.wasm")
	witgo(t, "component", "embed", "--wit", witPath, core, "-o", embedded).expect(t, exitOK)
	r := witgo(t, "component", "wit", embedded)
	r.expect(t, exitOK)
	// The world comes back elaborated: the interface it uses is imported.
	elaborated := strings.Replace(adderWIT, "world adder {\n", "world adder {\n  import types;\n\n", 1)
	if r.stdout != elaborated {
		t.Errorf("component wit of the embedded module:\n%s\nwant\n%s", r.stdout, elaborated)
	}

	fromEmbedded, fromWit := filepath.Join(dir, "a.wasm"), filepath.Join(dir, "b.wasm")
	witgo(t, "component", "new", embedded, "-o", fromEmbedded).expect(t, exitOK)
	witgo(t, "component", "new", "--wit", witPath, "--world", "adder", core, "-o", fromWit).expect(t, exitOK)
	a, _ := os.ReadFile(fromEmbedded)
	b, _ := os.ReadFile(fromWit)
	if len(a) == 0 || string(a) != string(b) {
		t.Errorf("new from the embedded world and from --wit differ (%d and %d bytes)", len(a), len(b))
	}
	r = witgo(t, "component", "wit", fromWit)
	r.expect(t, exitOK)
	want := `package root:component;

world root {
  import test:adder/types@1.0.0;

  use test:adder/types@1.0.0.{pair};

  export add: func(p: pair) -> u32;
}
`
	if !strings.HasPrefix(r.stdout, want) {
		t.Errorf("component wit:\n%s\nwant it to start with\n%s", r.stdout, want)
	}
}

func TestComponentCommandErrors(t *testing.T) {
	dir := t.TempDir()
	witPath := filepath.Join(dir, "adder.wit")
	core := filepath.Join(dir, "core.wasm")
	os.WriteFile(witPath, []byte(strings.Replace(adderWIT, "export add", "export sum", 1)), 0o644)
	os.WriteFile(core, adderModule(t), 0o644)
	out := filepath.Join(dir, "out.wasm")

	r := witgo(t, "component", "new", "--wit", witPath, core, "-o", out)
	r.expect(t, exitUserError)
	if !strings.Contains(r.stderr, `"add"`) {
		t.Errorf("an export the world lacks: stderr %q does not name it", r.stderr)
	}
	r = witgo(t, "component", "new", core, "-o", out)
	r.expect(t, exitUserError)
	if !strings.Contains(r.stderr, "component-type") {
		t.Errorf("no world: stderr %q", r.stderr)
	}
	witgo(t, "component").expect(t, exitUsage)
	witgo(t, "component", "embed", core, "-o", out).expect(t, exitUsage)
	witgo(t, "component", "new", "--world", "adder", core, "-o", out).expect(t, exitUsage)
	witgo(t, "component", "new", "--wit", witPath, "--string-encoding", "ebcdic", core, "-o", out).expect(t, exitUsage)
}
