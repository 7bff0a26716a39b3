package component

import (
	"strconv"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component/internal/binio"
	"github.com/witgo/witgo/component/wasm"
)

// The shim/fixup pattern breaks the cycle between a module and the
// functions it imports that need its own exports (a lowered import needs
// the module's memory and realloc; an adapter's function needs the
// memory; a resource destructor is the module's export). The shim module,
// instantiated first, owns a table and exports one stub per such function
// that calls through the table; the module is instantiated with the
// stubs; the fixup module, instantiated last, fills the table with the
// real functions.

// shimTableName is the shim's exported table.
const shimTableName = "$imports"

func coreValTypes(ts []canonabi.CoreType) []wasm.ValType {
	out := make([]wasm.ValType, len(ts))
	for i, t := range ts {
		out[i] = wasm.V([...]byte{wasm.I32, wasm.I64, wasm.F32, wasm.F64}[t])
	}
	return out
}

func funcTable(n int) wasm.TableType {
	return wasm.TableType{Elem: wasm.V(wasm.FuncRef), Limits: wasm.Limits{Flags: 1, Min: uint64(n), Max: uint64(n)}}
}

// shimModule exports, for each signature, a function "i" that forwards
// its arguments to table slot i.
func shimModule(sigs []wasm.FuncType) (*wasm.Module, error) {
	b := wasm.NewBuilder()
	table := b.Table(funcTable(len(sigs)))
	for i, sig := range sigs {
		typ := b.FuncType(sig.Params, sig.Results)
		var body []byte
		for p := range sig.Params {
			body = binio.AppendU64(append(body, 0x20), uint64(p)) // local.get p
		}
		body = append(body, wasm.I32Const(int32(i))...)
		body = binio.AppendU64(append(body, 0x11), uint64(typ)) // call_indirect typ
		body = binio.AppendU64(body, uint64(table))
		b.Export(strconv.Itoa(i), wasm.ExternFunc, b.Func(typ, nil, body))
	}
	b.Export(shimTableName, wasm.ExternTable, table)
	return b.Build()
}

// fixupModule imports the shim's table and the real functions "0".."n-1"
// and writes them into the table with an active element segment.
func fixupModule(sigs []wasm.FuncType) (*wasm.Module, error) {
	b := wasm.NewBuilder()
	funcs := make([]uint32, len(sigs))
	for i, sig := range sigs {
		funcs[i] = b.ImportFunc("", strconv.Itoa(i), b.FuncType(sig.Params, sig.Results))
	}
	b.ImportTable("", shimTableName, funcTable(len(sigs)))
	b.ActiveElem(0, wasm.I32Const(0), funcs)
	return b.Build()
}

// initModule calls its import "" "" from its start function: instantiated
// after the fixup, it runs the module's `_initialize` before anything can
// call an export.
func initModule() (*wasm.Module, error) {
	b := wasm.NewBuilder()
	f := b.ImportFunc("", "", b.FuncType(nil, nil))
	b.Start(f)
	return b.Build()
}
