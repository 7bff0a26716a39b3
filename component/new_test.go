package component

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/component/wasm"
	"github.com/witgo/witgo/wit"
)

func loadWorld(t testing.TB, path, world string) (*wit.Resolve, wit.WorldID) {
	t.Helper()
	r := wit.NewResolve()
	pkg, err := r.LoadPath(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.SelectWorld(pkg, world)
	if err != nil {
		t.Fatal(err)
	}
	return r, w
}

var ti32 = wasm.V(wasm.I32)

func ins(b ...byte) []byte { return b }

func leb(v uint32) []byte {
	var out []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			out = append(out, c|0x80)
			continue
		}
		return append(out, c)
	}
}

func join(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func lget(i uint32) []byte  { return join(ins(0x20), leb(i)) }
func callf(f uint32) []byte { return join(ins(0x10), leb(f)) }
func st32(off uint32) []byte {
	return join(ins(0x36, 2), leb(off))
}

// basicModule is a core module for testdata/new/basic.wit written by
// hand: a bump allocator, add, greet (logs the name through the host and
// returns "hi " ++ name) and api#swap (swaps nothing: returns the pair
// with a+1 and the same string).
func basicModule(t testing.TB) []byte { return basicModuleWith(t, false) }

// basicModuleWith imports log a second time when dup is set (as Go's
// modules import fd_write twice).
func basicModuleWith(t testing.TB, dup bool) []byte {
	b := wasm.NewBuilder()
	tLog := b.FuncType([]wasm.ValType{ti32, ti32}, nil)
	log := b.ImportFunc("test:basic/host@0.1.0", "log", tLog)
	if dup {
		log = b.ImportFunc("test:basic/host@0.1.0", "log", tLog)
	}
	mem := b.Memory(wasm.MemType{Limits: wasm.Limits{Min: 1}})
	b.Export("memory", wasm.ExternMemory, mem)
	// Heap pointer global starting at 1024.
	heap := b.Global(wasm.GlobalType{Val: ti32, Flags: 1}, wasm.I32Const(1024))
	// cabi_realloc(old, oldsize, align, newsize) -> ptr: bump, aligned to 8.
	tRealloc := b.FuncType([]wasm.ValType{ti32, ti32, ti32, ti32}, []wasm.ValType{ti32})
	realloc := b.Func(tRealloc, []wasm.ValType{ti32}, join(
		ins(0x23), leb(heap), wasm.I32Const(7), ins(0x6a), wasm.I32Const(-8), ins(0x71), ins(0x22), leb(4), // local.tee 4
		lget(3), ins(0x6a), ins(0x24), leb(heap),
		lget(4),
	))
	b.Export("cabi_realloc", wasm.ExternFunc, realloc)
	tAdd := b.FuncType([]wasm.ValType{ti32, ti32}, []wasm.ValType{ti32})
	b.Export("add", wasm.ExternFunc, b.Func(tAdd, nil, join(lget(0), lget(1), ins(0x6a))))
	// greet(ptr, len) -> retptr: log(name); copy "hi " + name into new memory.
	b.ActiveData(0, wasm.I32Const(16), []byte("hi "))
	tGreet := b.FuncType([]wasm.ValType{ti32, ti32}, []wasm.ValType{ti32})
	b.Export("greet", wasm.ExternFunc, b.Func(tGreet, []wasm.ValType{ti32}, join(
		lget(0), lget(1), callf(log),
		// dst = realloc(0,0,1,len+3)
		wasm.I32Const(0), wasm.I32Const(0), wasm.I32Const(1), lget(1), wasm.I32Const(3), ins(0x6a), callf(realloc), ins(0x21), leb(2),
		lget(2), wasm.I32Const(16), wasm.I32Const(3), ins(0xfc, 10, 0, 0), // memory.copy
		lget(2), wasm.I32Const(3), ins(0x6a), lget(0), lget(1), ins(0xfc, 10, 0, 0),
		// return area at 32: ptr, len+3
		wasm.I32Const(32), lget(2), st32(0),
		wasm.I32Const(32), lget(1), wasm.I32Const(3), ins(0x6a), st32(4),
		wasm.I32Const(32),
	)))
	tPost := b.FuncType([]wasm.ValType{ti32}, nil)
	b.Export("cabi_post_greet", wasm.ExternFunc, b.Func(tPost, nil, nil))
	// api#swap(a, ptr, len) -> retptr with a+1 and the same string.
	tSwap := b.FuncType([]wasm.ValType{ti32, ti32, ti32}, []wasm.ValType{ti32})
	b.Export("test:basic/api@0.1.0#swap", wasm.ExternFunc, b.Func(tSwap, nil, join(
		wasm.I32Const(48), lget(0), wasm.I32Const(1), ins(0x6a), st32(0),
		wasm.I32Const(48), lget(1), st32(4),
		wasm.I32Const(48), lget(2), st32(8),
		wasm.I32Const(48),
	)))
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return m.Encode()
}

// mustNew runs New and checks that the result decodes and validates.
func mustNew(t *testing.T, core []byte, opts NewOptions) []byte {
	t.Helper()
	out, err := New(core, opts)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Decode(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(c); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestNewHandBuilt(t *testing.T) {
	r, w := loadWorld(t, filepath.Join("testdata", "new", "basic.wit"), "basic")
	comp := mustNew(t, basicModule(t), NewOptions{Resolve: r, World: w})
	out := runUnderJco(t, comp, []string{"test:basic/host=../host.mjs"}, map[string]string{
		"host.mjs": "export const logged = [];\nexport function log(msg) { logged.push(msg); }\n",
	}, `import * as c from './out/c.js';
import { logged } from './host.mjs';
console.log(JSON.stringify({add: c.add(2, 40), greet: c.greet("wörld"), swap: c.api.swap({a: 7, b: "x"}), logged}));
`)
	want := `{"add":42,"greet":"hi wörld","swap":{"a":8,"b":"x"},"logged":["wörld"]}`
	if strings.TrimSpace(out) != want {
		t.Errorf("under jco:\n got %s\nwant %s", out, want)
	}
}
