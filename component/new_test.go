package component_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/witgo/witgo/component"
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

var (
	i32 = wasm.V(wasm.I32)
)

func op(b ...byte) []byte { return b }

func u32(v uint32) []byte {
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

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func localGet(i uint32) []byte { return cat(op(0x20), u32(i)) }
func call(f uint32) []byte     { return cat(op(0x10), u32(f)) }
func i32Store(off uint32) []byte {
	return cat(op(0x36, 2), u32(off))
}
func i32Load(off uint32) []byte { return cat(op(0x28, 2), u32(off)) }

// basicModule is a core module for testdata/new/basic.wit written by
// hand: a bump allocator, add, greet (logs the name through the host and
// returns "hi " ++ name) and api#swap (swaps nothing: returns the pair
// with a+1 and the same string).
func basicModule(t testing.TB) []byte {
	b := wasm.NewBuilder()
	tLog := b.FuncType([]wasm.ValType{i32, i32}, nil)
	log := b.ImportFunc("test:basic/host@0.1.0", "log", tLog)
	mem := b.Memory(wasm.MemType{Limits: wasm.Limits{Min: 1}})
	b.Export("memory", wasm.ExternMemory, mem)
	// Heap pointer global starting at 1024.
	heap := b.Global(wasm.GlobalType{Val: i32, Flags: 1}, wasm.I32Const(1024))
	// cabi_realloc(old, oldsize, align, newsize) -> ptr: bump, aligned to 8.
	tRealloc := b.FuncType([]wasm.ValType{i32, i32, i32, i32}, []wasm.ValType{i32})
	realloc := b.Func(tRealloc, []wasm.ValType{i32}, cat(
		op(0x23), u32(heap), wasm.I32Const(7), op(0x6a), wasm.I32Const(-8), op(0x71), op(0x22), u32(4), // local.tee 4
		localGet(3), op(0x6a), op(0x24), u32(heap),
		localGet(4),
	))
	b.Export("cabi_realloc", wasm.ExternFunc, realloc)
	tAdd := b.FuncType([]wasm.ValType{i32, i32}, []wasm.ValType{i32})
	b.Export("add", wasm.ExternFunc, b.Func(tAdd, nil, cat(localGet(0), localGet(1), op(0x6a))))
	// greet(ptr, len) -> retptr: log(name); copy "hi " + name into new memory.
	b.ActiveData(0, wasm.I32Const(16), []byte("hi "))
	tGreet := b.FuncType([]wasm.ValType{i32, i32}, []wasm.ValType{i32})
	b.Export("greet", wasm.ExternFunc, b.Func(tGreet, []wasm.ValType{i32}, cat(
		localGet(0), localGet(1), call(log),
		// dst = realloc(0,0,1,len+3)
		wasm.I32Const(0), wasm.I32Const(0), wasm.I32Const(1), localGet(1), wasm.I32Const(3), op(0x6a), call(realloc), op(0x21), u32(2),
		localGet(2), wasm.I32Const(16), wasm.I32Const(3), op(0xfc, 10, 0, 0), // memory.copy
		localGet(2), wasm.I32Const(3), op(0x6a), localGet(0), localGet(1), op(0xfc, 10, 0, 0),
		// return area at 32: ptr, len+3
		wasm.I32Const(32), localGet(2), i32Store(0),
		wasm.I32Const(32), localGet(1), wasm.I32Const(3), op(0x6a), i32Store(4),
		wasm.I32Const(32),
	)))
	tPost := b.FuncType([]wasm.ValType{i32}, nil)
	b.Export("cabi_post_greet", wasm.ExternFunc, b.Func(tPost, nil, nil))
	// api#swap(a, ptr, len) -> retptr with a+1 and the same string.
	tSwap := b.FuncType([]wasm.ValType{i32, i32, i32}, []wasm.ValType{i32})
	b.Export("test:basic/api@0.1.0#swap", wasm.ExternFunc, b.Func(tSwap, nil, cat(
		wasm.I32Const(48), localGet(0), wasm.I32Const(1), op(0x6a), i32Store(0),
		wasm.I32Const(48), localGet(1), i32Store(4),
		wasm.I32Const(48), localGet(2), i32Store(8),
		wasm.I32Const(48),
	)))
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return m.Encode()
}

func TestNewHandBuilt(t *testing.T) {
	r, w := loadWorld(t, filepath.Join("testdata", "new", "basic.wit"), "basic")
	out, err := component.New(basicModule(t), component.NewOptions{Resolve: r, World: w})
	if err != nil {
		t.Fatal(err)
	}
	c, err := component.Decode(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := component.Validate(c); err != nil {
		t.Fatal(err)
	}
	os.WriteFile("/tmp/basic.wasm", out, 0o644)
}
