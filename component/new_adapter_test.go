package component

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/component/wasm"
)

var ti64 = wasm.V(wasm.I64)

// fakeAdapter builds an adapter that follows component/adapter's
// contract: it imports the main memory as env.memory and canon-lowered
// functions of its own world (described by its component-type section),
// exports cabi_import_realloc (a bump allocator in a fixed region of the
// main memory) and two preview1 functions:
//
//	clock_time_get(id, precision, out) stores clock.now() at out
//	environ_sizes_get(count, size) stores 1 and len(text.echo("hello"))
func fakeAdapter(t *testing.T) []byte {
	r, w := loadWorld(t, filepath.Join("testdata", "new", "fake-adapter.wit"), "adapter")
	b := wasm.NewBuilder()
	now := b.ImportFunc("test:fake/clock@0.1.0", "now", b.FuncType(nil, []wasm.ValType{ti64}))
	echo := b.ImportFunc("test:fake/text@0.1.0", "echo", b.FuncType([]wasm.ValType{ti32, ti32, ti32}, nil))
	b.ImportMemory("env", "memory", wasm.MemType{Limits: wasm.Limits{Min: 1}})
	next := b.Global(wasm.GlobalType{Val: ti32, Flags: 1}, wasm.I32Const(40000))
	realloc := b.Func(b.FuncType([]wasm.ValType{ti32, ti32, ti32, ti32}, []wasm.ValType{ti32}), nil, join(
		ins(0x23), leb(next), ins(0x23), leb(next), lget(3), ins(0x6a), ins(0x24), leb(next),
	))
	b.Export("cabi_import_realloc", wasm.ExternFunc, realloc)
	b.Export("clock_time_get", wasm.ExternFunc, b.Func(b.FuncType([]wasm.ValType{ti32, ti64, ti32}, []wasm.ValType{ti32}), nil, join(
		lget(2), callf(now), ins(0x37, 3, 0), // i64.store
		wasm.I32Const(0),
	)))
	// "hello" lives at 30000; the return area at 30016.
	b.ActiveData(0, wasm.I32Const(30000), []byte("hello"))
	b.Export("environ_sizes_get", wasm.ExternFunc, b.Func(b.FuncType([]wasm.ValType{ti32, ti32}, []wasm.ValType{ti32}), nil, join(
		wasm.I32Const(30000), wasm.I32Const(5), wasm.I32Const(30016), callf(echo),
		lget(0), wasm.I32Const(1), st32(0),
		lget(1), wasm.I32Const(30016), ins(0x28, 2, 4), st32(0),
		wasm.I32Const(0),
	)))
	payload, err := EncodeWorldSection(r, w, UTF8)
	if err != nil {
		t.Fatal(err)
	}
	b.Custom("component-type:fake-adapter", payload)
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return m.Encode()
}

// p1Main imports two preview1 functions (one twice, as Go does with
// fd_write) and exports run, which returns clock + len(echo("hello")).
func p1Main(t *testing.T, extra string) []byte {
	b := wasm.NewBuilder()
	ctg := b.ImportFunc(preview1, "clock_time_get", b.FuncType([]wasm.ValType{ti32, ti64, ti32}, []wasm.ValType{ti32}))
	esg := b.ImportFunc(preview1, "environ_sizes_get", b.FuncType([]wasm.ValType{ti32, ti32}, []wasm.ValType{ti32}))
	b.ImportFunc(preview1, "environ_sizes_get", b.FuncType([]wasm.ValType{ti32, ti32}, []wasm.ValType{ti32}))
	if extra != "" {
		b.ImportFunc(preview1, extra, b.FuncType([]wasm.ValType{ti32}, nil))
	}
	b.Export("memory", wasm.ExternMemory, b.Memory(wasm.MemType{Limits: wasm.Limits{Min: 1}}))
	b.Export("run", wasm.ExternFunc, b.Func(b.FuncType(nil, []wasm.ValType{ti64}), nil, join(
		wasm.I32Const(0), ins(0x42, 0), wasm.I32Const(100), callf(ctg), ins(0x1a), // drop errno
		wasm.I32Const(200), wasm.I32Const(204), callf(esg), ins(0x1a),
		wasm.I32Const(100), ins(0x29, 3, 0), // i64.load
		wasm.I32Const(204), ins(0x28, 2, 0), ins(0xad), ins(0x7c), // i64.extend_i32_u, i64.add
	)))
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return m.Encode()
}

// TestNewWithAdapter: the main module's preview1 imports are wired to an
// adapter that shares its memory; the adapter's own imports (one needing
// realloc from the adapter) are lowered into the main memory.
func TestNewWithAdapter(t *testing.T) {
	r, w := loadWorld(t, filepath.Join("testdata", "new", "fake-adapter.wit"), "main")
	worlds, types := len(r.Worlds), len(r.Types)
	comp := mustNew(t, p1Main(t, ""), NewOptions{Resolve: r, World: w, Adapter: fakeAdapter(t)})
	if len(r.Worlds) != worlds || len(r.Types) != types {
		t.Error("New changed the caller's Resolve")
	}
	wantWIT := `package root:component;

world root {
  import test:fake/clock@0.1.0;
  import test:fake/text@0.1.0;

  export run: func() -> u64;
}
`
	if got := strings.TrimSpace(jcoWit(t, comp)) + "\n"; got != wantWIT {
		t.Errorf("jco wit:\n%s\nwant\n%s", got, wantWIT)
	}
	out := runUnderJco(t, comp, []string{"test:fake/clock=../clock.mjs", "test:fake/text=../text.mjs"}, map[string]string{
		"clock.mjs": "export function now() { return 1000n; }\n",
		"text.mjs":  "export function echo(s) { return s + '!'; }\n",
	}, "import { run } from './out/c.js';\nconsole.log(String(run()));\n")
	if strings.TrimSpace(out) != "1006" {
		t.Errorf("run() = %s, want 1006", out)
	}
}

func TestNewAdapterErrors(t *testing.T) {
	r, w := loadWorld(t, filepath.Join("testdata", "new", "fake-adapter.wit"), "main")
	_, err := New(p1Main(t, "fd_write"), NewOptions{Resolve: r, World: w, Adapter: fakeAdapter(t)})
	if err == nil || !strings.Contains(err.Error(), `"fd_write"`) || !strings.Contains(err.Error(), "adapter") {
		t.Errorf("a preview1 function the adapter lacks: error %v", err)
	}
	_, err = New(p1Main(t, ""), NewOptions{Resolve: r, World: w})
	if err == nil || !strings.Contains(err.Error(), preview1) {
		t.Errorf("no adapter: error %v", err)
	}
}
