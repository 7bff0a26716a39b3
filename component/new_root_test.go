package component

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/component/wasm"
)

// rootModule imports world-level functions (module `$root`): twice calls
// tick twice; loud returns shout(s) unchanged (the import's result string
// arrives through cabi_realloc and goes out again).
func rootModule(t *testing.T) []byte {
	b := wasm.NewBuilder()
	i2i := b.FuncType([]wasm.ValType{ti32}, []wasm.ValType{ti32})
	tick := b.ImportFunc("$root", "tick", i2i)
	shout := b.ImportFunc("$root", "shout", b.FuncType([]wasm.ValType{ti32, ti32, ti32}, nil))
	b.Export("memory", wasm.ExternMemory, b.Memory(wasm.MemType{Limits: wasm.Limits{Min: 1}}))
	heap := b.Global(wasm.GlobalType{Val: ti32, Flags: 1}, wasm.I32Const(1024))
	b.Export("cabi_realloc", wasm.ExternFunc, b.Func(b.FuncType([]wasm.ValType{ti32, ti32, ti32, ti32}, []wasm.ValType{ti32}), nil, join(
		ins(0x23), leb(heap), ins(0x23), leb(heap), lget(3), ins(0x6a), ins(0x24), leb(heap),
	)))
	b.Export("twice", wasm.ExternFunc, b.Func(i2i, nil, join(lget(0), callf(tick), ins(0x1a), lget(0), callf(tick))))
	// loud(ptr, len) -> retptr: shout writes (ptr, len) at 64, which is
	// also loud's return area.
	b.Export("loud", wasm.ExternFunc, b.Func(b.FuncType([]wasm.ValType{ti32, ti32}, []wasm.ValType{ti32}), nil, join(
		lget(0), lget(1), wasm.I32Const(64), callf(shout), wasm.I32Const(64),
	)))
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return m.Encode()
}

func TestNewRootImports(t *testing.T) {
	r, w := loadWorld(t, filepath.Join("testdata", "new", "root.wit"), "root")
	comp := mustNew(t, rootModule(t), NewOptions{Resolve: r, World: w})
	out := runUnderJco(t, comp, []string{"tick=../host.mjs#tick", "shout=../host.mjs#shout"}, map[string]string{
		"host.mjs": "let n = 0;\nexport function tick(step) { n += step; return n; }\nexport function shout(s) { return s.toUpperCase() + '!'; }\n",
	}, "import { twice, loud } from './out/c.js';\nconsole.log(JSON.stringify([twice(5), twice(1), loud('héllo')]));\n")
	if want := `[10,12,"HÉLLO!"]`; strings.TrimSpace(out) != want {
		t.Errorf("under jco:\n got %s\nwant %s", out, want)
	}
}
