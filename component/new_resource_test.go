package component

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/component/wasm"
)

// resModule implements testdata/new/res.wit by hand: an exported
// resource counter (its rep is the address of a cell holding the count),
// a function taking a borrowed imported blob, and a destructor that
// counts the counters dropped.
func resModule(t *testing.T) []byte {
	const host, exp, api = "test:res/host@0.1.0", "[export]test:res/api@0.1.0", "test:res/api@0.1.0#"
	b := wasm.NewBuilder()
	i2i := b.FuncType([]wasm.ValType{ti32}, []wasm.ValType{ti32})
	i2n := b.FuncType([]wasm.ValType{ti32}, nil)
	n2i := b.FuncType(nil, []wasm.ValType{ti32})
	size := b.ImportFunc(host, "[method]blob.size", i2i)
	b.ImportFunc(host, "[resource-drop]blob", i2n)
	newCounter := b.ImportFunc(exp, "[resource-new]counter", i2i)
	b.ImportFunc(exp, "[resource-rep]counter", i2i)
	b.ImportFunc(exp, "[resource-drop]counter", i2n)
	b.Export("memory", wasm.ExternMemory, b.Memory(wasm.MemType{Limits: wasm.Limits{Min: 1}}))
	heap := b.Global(wasm.GlobalType{Val: ti32, Flags: 1}, wasm.I32Const(64))
	dropped := b.Global(wasm.GlobalType{Val: ti32, Flags: 1}, wasm.I32Const(0))
	// constructor: cell = heap; heap += 4; *cell = start; resource.new(cell)
	b.Export(api+"[constructor]counter", wasm.ExternFunc, b.Func(i2i, []wasm.ValType{ti32}, join(
		ins(0x23), leb(heap), ins(0x22), leb(1), // local.tee 1
		wasm.I32Const(4), ins(0x6a), ins(0x24), leb(heap),
		lget(1), lget(0), st32(0),
		lget(1), callf(newCounter),
	)))
	// bump(rep): *rep += 1; return *rep
	b.Export(api+"[method]counter.bump", wasm.ExternFunc, b.Func(i2i, nil, join(
		lget(0), lget(0), ins(0x28, 2, 0), wasm.I32Const(1), ins(0x6a), st32(0),
		lget(0), ins(0x28, 2, 0),
	)))
	b.Export(api+"measure", wasm.ExternFunc, b.Func(i2i, nil, join(lget(0), callf(size))))
	b.Export(api+"drops", wasm.ExternFunc, b.Func(n2i, nil, join(ins(0x23), leb(dropped))))
	b.Export(api+"[dtor]counter", wasm.ExternFunc, b.Func(i2n, nil, join(
		ins(0x23), leb(dropped), wasm.I32Const(1), ins(0x6a), ins(0x24), leb(dropped),
	)))
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return m.Encode()
}

// TestNewResources: an exported resource (constructor, method,
// destructor through the shim table) and a borrowed imported resource
// work under jco.
func TestNewResources(t *testing.T) {
	r, w := loadWorld(t, filepath.Join("testdata", "new", "res.wit"), "res")
	comp := mustNew(t, resModule(t), NewOptions{Resolve: r, World: w})
	out := runUnderJco(t, comp, []string{"test:res/host=../host.mjs"}, map[string]string{
		"host.mjs": "export class Blob { constructor(n) { this.n = n; } size() { return this.n; } }\n",
	}, `import { api } from './out/c.js';
import { Blob } from './host.mjs';
const dispose = Symbol.dispose || Symbol.for('dispose');
const a = new api.Counter(5), b = new api.Counter(100);
a.bump();
const v = [a.bump(), b.bump()];
const m = api.measure(new Blob(9));
a[dispose]();
console.log(JSON.stringify({ v, m, drops: api.drops() }));
`)
	if want := `{"v":[7,101],"m":9,"drops":1}`; strings.TrimSpace(out) != want {
		t.Errorf("under jco:\n got %s\nwant %s", out, want)
	}
}
