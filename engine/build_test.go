package engine

import (
	"testing"

	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/component/wasm"
)

// Test components are assembled here from core modules made with
// wasm.Builder and component sections, then encoded: the engine sees
// the same bytes a tool would write.

var (
	vI32 = wasm.V(wasm.I32)
	u8   = component.Prim(component.U8)
	u32  = component.Prim(component.U32)
	str  = component.Prim(component.String)
	f64  = component.Prim(component.F64)
)

// op helpers for hand-written function bodies.
func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func localGet(i byte) []byte  { return []byte{0x20, i} }
func globalSet(i byte) []byte { return []byte{0x24, i} }
func i32c(v int32) []byte     { return wasm.I32Const(v) }

// i32Store is i32.store with alignment 2 and a small offset.
func i32Store(off byte) []byte { return []byte{0x36, 2, off} }

const heapStart = 1024

// addReallocAndMemory defines memory 0, the bump allocator's global 0 and
// cabi_realloc (which grows memory as needed), exported as "memory" and
// "cabi_realloc".
func addReallocAndMemory(b *wasm.Builder) uint32 {
	b.Export("memory", wasm.ExternMemory, b.Memory(wasm.MemType{Limits: wasm.Limits{Min: 1}}))
	b.Export("heap", wasm.ExternGlobal, b.Global(wasm.GlobalType{Val: vI32, Flags: 1}, i32c(heapStart)))
	t := b.FuncType([]wasm.ValType{vI32, vI32, vI32, vI32}, []wasm.ValType{vI32})
	body := cat(
		// ptr = (next + align - 1) & -align
		[]byte{0x23, 0}, localGet(2), []byte{0x6a}, i32c(1), []byte{0x6b},
		i32c(0), localGet(2), []byte{0x6b}, []byte{0x71}, []byte{0x22, 4},
		// next = ptr + size
		localGet(3), []byte{0x6a}, globalSet(0),
		// if next > memory.size*64KiB: memory.grow((next - size*64Ki + 65535) >> 16)
		[]byte{0x23, 0}, []byte{0x3f, 0}, i32c(16), []byte{0x74}, []byte{0x4b},
		[]byte{0x04, 0x40},
		[]byte{0x23, 0}, []byte{0x3f, 0}, i32c(16), []byte{0x74}, []byte{0x6b},
		i32c(65535), []byte{0x6a}, i32c(16), []byte{0x76}, []byte{0x40, 0}, []byte{0x1a},
		[]byte{0x0b},
		// copy the old block when reallocating
		localGet(0), []byte{0x04, 0x40}, localGet(4), localGet(0), localGet(1), []byte{0xfc, 10, 0, 0}, []byte{0x0b},
		localGet(4),
	)
	f := b.Func(t, []wasm.ValType{vI32}, body)
	b.Export("cabi_realloc", wasm.ExternFunc, f)
	return f
}

// resetHeap frees everything the allocator handed out.
var resetHeap = cat(i32c(heapStart), globalSet(0))

// calleeModule is the core of the "callee" component: add, greet (echo
// of a string through a return area) and count (length of a list<u8>).
// badLen, when non-zero, makes greet return that length instead.
func calleeModule(t testing.TB, badLen int32) *wasm.Module {
	b := wasm.NewBuilder()
	addReallocAndMemory(b)
	tAdd := b.FuncType([]wasm.ValType{vI32, vI32}, []wasm.ValType{vI32})
	b.Export("add", wasm.ExternFunc, b.Func(tAdd, nil, cat(localGet(0), localGet(1), []byte{0x6a})))
	lenExpr := localGet(1)
	if badLen != 0 {
		lenExpr = i32c(badLen)
	}
	b.Export("greet", wasm.ExternFunc, b.Func(tAdd, nil, cat(
		i32c(16), localGet(0), i32Store(0), i32c(16), lenExpr, i32Store(4), resetHeap, i32c(16))))
	b.Export("count", wasm.ExternFunc, b.Func(tAdd, nil, cat(resetHeap, localGet(1))))
	vF64 := wasm.V(wasm.F64)
	b.Export("fadd", wasm.ExternFunc, b.Func(b.FuncType([]wasm.ValType{vF64, vF64}, []wasm.ValType{vF64}), nil, cat(localGet(0), localGet(1), []byte{0xa0})))
	tVoid := b.FuncType(nil, nil)
	b.Export("spin", wasm.ExternFunc, b.Func(tVoid, nil, []byte{0x03, 0x40, 0x0c, 0x00, 0x0b}))
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func coreAlias(sort component.Sort, inst uint32, name string) component.Alias {
	return component.Alias{Sort: sort, Kind: component.AliasCoreExport, Instance: inst, Name: name}
}

func fnType(params []component.Field, result *component.ValType) component.Type {
	return component.Type{Kind: component.KindFunc, Func: &component.FuncType{Params: params, Result: result}}
}

func export(name string, sort component.Sort, idx uint32) component.Export {
	return component.Export{Name: component.ExternName{Name: name}, Item: component.SortIdx{Sort: sort, Index: idx}}
}

// calleeSections are the sections of the callee component; its types are
// 0: add's, 1: list<u8>, 2: greet's, 3: count's, 4: spin's; its funcs
// are add, greet, count, spin, exported under those names.
func calleeSections(t testing.TB, badLen int32) []component.Section {
	return calleeSectionsEnc(t, badLen, component.OptUTF8)
}

// calleeSectionsEnc is calleeSections with greet's string encoding enc
// (OptUTF8, OptUTF16 or OptLatin1UTF16).
func calleeSectionsEnc(t testing.TB, badLen int32, enc byte) []component.Section {
	mem := []component.CanonOpt{{Kind: component.OptMemory}, {Kind: component.OptRealloc, Index: 0}, {Kind: enc}}
	return []component.Section{
		&component.CoreModuleSection{Module: calleeModule(t, badLen)},
		&component.CoreInstanceSection{Instances: []component.CoreInstance{{Module: 0}}},
		&component.AliasSection{Aliases: []component.Alias{
			coreAlias(component.SortCoreMemory, 0, "memory"),
			coreAlias(component.SortCoreFunc, 0, "cabi_realloc"),
			coreAlias(component.SortCoreFunc, 0, "add"),
			coreAlias(component.SortCoreFunc, 0, "greet"),
			coreAlias(component.SortCoreFunc, 0, "count"),
			coreAlias(component.SortCoreFunc, 0, "spin"),
			coreAlias(component.SortCoreFunc, 0, "fadd"), // core func 5
		}},
		&component.TypeSection{Types: []component.Type{
			fnType([]component.Field{{Name: "a", Type: u32}, {Name: "b", Type: u32}}, &u32),
			{Kind: component.KindList, Val: &component.DefValType{Kind: component.KindList, Elem: &u8}},
			fnType([]component.Field{{Name: "s", Type: str}}, &str),
			fnType([]component.Field{{Name: "b", Type: component.TypeRef(1)}}, &u32),
			fnType(nil, nil),
			fnType([]component.Field{{Name: "a", Type: f64}, {Name: "b", Type: f64}}, &f64), // 5
		}},
		&component.CanonSection{Funcs: []component.Canon{
			{Op: component.CanonLift, Func: 1, Type: 0},
			{Op: component.CanonLift, Func: 2, Type: 2, Opts: mem},
			{Op: component.CanonLift, Func: 3, Type: 3, Opts: mem},
			{Op: component.CanonLift, Func: 4, Type: 4},
			{Op: component.CanonLift, Func: 5, Type: 5},
		}},
		&component.ExportSection{Exports: []component.Export{
			export("add", component.SortFunc, 0),
			export("greet", component.SortFunc, 1),
			export("count", component.SortFunc, 2),
			export("spin", component.SortFunc, 3),
			export("fadd", component.SortFunc, 4),
		}},
	}
}

func encode(t testing.TB, secs []component.Section) []byte {
	c := &component.Component{Version: 0x0d, Sections: secs}
	b := c.Encode()
	if err := component.Validate(c); err != nil {
		t.Fatalf("test component does not validate: %v", err)
	}
	return b
}

// calleeComponent is the callee on its own.
func calleeComponent(t testing.TB, badLen int32) []byte { return encode(t, calleeSections(t, badLen)) }

// callerSections are a component that imports "add" and "greet" (types 0
// and 1) and exports run-add, run-greet and loop (n calls of add,
// accumulating). Its memory and realloc live in a separate core module,
// so that the lowered imports can name them before the main module is
// instantiated.
func callerSections(t testing.TB) []component.Section {
	mb := wasm.NewBuilder()
	addReallocAndMemory(mb)
	memMod, err := mb.Build()
	if err != nil {
		t.Fatal(err)
	}
	b := wasm.NewBuilder()
	tAdd := b.FuncType([]wasm.ValType{vI32, vI32}, []wasm.ValType{vI32})
	tGreet := b.FuncType([]wasm.ValType{vI32, vI32, vI32}, nil)
	add := b.ImportFunc("", "add", tAdd)
	greet := b.ImportFunc("", "greet", tGreet)
	b.ImportMemory("", "memory", wasm.MemType{Limits: wasm.Limits{Min: 1}})
	b.ImportGlobal("", "heap", wasm.GlobalType{Val: vI32, Flags: 1}) // global 0: the allocator's
	b.Export("run-add", wasm.ExternFunc, b.Func(tAdd, nil, cat(localGet(0), localGet(1), []byte{0x10, byte(add)})))
	// run-greet frees the heap before returning: the result string stays
	// readable until the next call allocates.
	b.Export("run-greet", wasm.ExternFunc, b.Func(tAdd, nil, cat(localGet(0), localGet(1), i32c(32), []byte{0x10, byte(greet)}, resetHeap, i32c(32))))
	addLoop(b, add)
	// Hostile calls of greet: a string out of bounds, and invalid UTF-8.
	tRet := b.FuncType(nil, []wasm.ValType{vI32})
	b.Export("bad-ptr", wasm.ExternFunc, b.Func(tRet, nil, cat(i32c(-16), i32c(100), i32c(32), []byte{0x10, byte(greet)}, i32c(32))))
	b.Export("bad-utf8", wasm.ExternFunc, b.Func(tRet, nil, cat(
		i32c(64), i32c(0xff), []byte{0x3a, 0, 0}, // i32.store8
		i32c(64), i32c(1), i32c(32), []byte{0x10, byte(greet)}, i32c(32))))
	mainMod, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	lowerOpts := []component.CanonOpt{{Kind: component.OptMemory}, {Kind: component.OptRealloc, Index: 0}}
	return []component.Section{
		&component.TypeSection{Types: []component.Type{
			fnType([]component.Field{{Name: "a", Type: u32}, {Name: "b", Type: u32}}, &u32),
			fnType([]component.Field{{Name: "s", Type: str}}, &str),
		}},
		&component.ImportSection{Imports: []component.Import{
			{Name: component.ExternName{Name: "add"}, Desc: component.ExternDesc{Kind: component.ExternFunc, Index: 0}},
			{Name: component.ExternName{Name: "greet"}, Desc: component.ExternDesc{Kind: component.ExternFunc, Index: 1}},
		}},
		&component.CoreModuleSection{Module: memMod},
		&component.CoreModuleSection{Module: mainMod},
		&component.CoreInstanceSection{Instances: []component.CoreInstance{{Module: 0}}},
		&component.AliasSection{Aliases: []component.Alias{
			coreAlias(component.SortCoreMemory, 0, "memory"),
			coreAlias(component.SortCoreFunc, 0, "cabi_realloc"),
			coreAlias(component.SortCoreGlobal, 0, "heap"),
		}},
		&component.CanonSection{Funcs: []component.Canon{
			{Op: component.CanonLower, Func: 0},                  // core func 1
			{Op: component.CanonLower, Func: 1, Opts: lowerOpts}, // core func 2
		}},
		&component.CoreInstanceSection{Instances: []component.CoreInstance{
			{FromExports: true, Exports: []component.CoreInlineExport{
				{Name: "add", Sort: component.SortCoreFunc, Idx: 1},
				{Name: "greet", Sort: component.SortCoreFunc, Idx: 2},
				{Name: "memory", Sort: component.SortCoreMemory, Idx: 0},
				{Name: "heap", Sort: component.SortCoreGlobal, Idx: 0},
			}},
			{Module: 1, Args: []component.CoreInstantiateArg{{Name: "", Instance: 1}}},
		}},
		&component.AliasSection{Aliases: []component.Alias{
			coreAlias(component.SortCoreFunc, 2, "run-add"),   // core func 3
			coreAlias(component.SortCoreFunc, 2, "run-greet"), // core func 4
			coreAlias(component.SortCoreFunc, 2, "loop"),      // core func 5
			coreAlias(component.SortCoreFunc, 2, "bad-ptr"),   // core func 6
			coreAlias(component.SortCoreFunc, 2, "bad-utf8"),  // core func 7
		}},
		&component.TypeSection{Types: []component.Type{fnType(nil, &str)}}, // type 2
		&component.CanonSection{Funcs: []component.Canon{
			{Op: component.CanonLift, Func: 3, Type: 0},
			{Op: component.CanonLift, Func: 4, Type: 1, Opts: []component.CanonOpt{{Kind: component.OptMemory}, {Kind: component.OptRealloc, Index: 0}}},
			{Op: component.CanonLift, Func: 5, Type: 0},
			{Op: component.CanonLift, Func: 6, Type: 2, Opts: []component.CanonOpt{{Kind: component.OptMemory}, {Kind: component.OptRealloc, Index: 0}}},
			{Op: component.CanonLift, Func: 7, Type: 2, Opts: []component.CanonOpt{{Kind: component.OptMemory}, {Kind: component.OptRealloc, Index: 0}}},
		}},
		&component.ExportSection{Exports: []component.Export{
			export("run-add", component.SortFunc, 2),
			export("run-greet", component.SortFunc, 3),
			export("loop", component.SortFunc, 4),
			export("bad-ptr", component.SortFunc, 5),
			export("bad-utf8", component.SortFunc, 6),
		}},
	}
}

// addLoop exports loop(n, x): acc = x; while n != 0 { acc = add(acc, 1);
// n-- }; acc, where add is function index add.
func addLoop(b *wasm.Builder, add uint32) {
	tLoop := b.FuncType([]wasm.ValType{vI32, vI32}, []wasm.ValType{vI32})
	b.Export("loop", wasm.ExternFunc, b.Func(tLoop, nil, cat(
		[]byte{0x02, 0x40, 0x03, 0x40},     // block loop
		localGet(0), []byte{0x45, 0x0d, 1}, // br_if 1 (n == 0)
		localGet(1), i32c(1), []byte{0x10, byte(add)}, []byte{0x21, 1},
		localGet(0), i32c(1), []byte{0x6b, 0x21, 0},
		[]byte{0x0c, 0, 0x0b, 0x0b}, // br 0; end; end
		localGet(1))))
}

// composedComponent nests the callee and the caller and wires the
// caller's imports to the callee's exports.
func composedComponent(t testing.TB) []byte { return composedComponentEnc(t, component.OptUTF8) }

// composedComponentEnc is composedComponent with a callee whose strings
// use the encoding enc (the caller's stay UTF-8).
func composedComponentEnc(t testing.TB, enc byte) []byte {
	inst := func(i uint32, name string) component.Alias {
		return component.Alias{Sort: component.SortFunc, Kind: component.AliasExport, Instance: i, Name: name}
	}
	return encode(t, []component.Section{
		&component.ComponentSection{Component: &component.Component{Version: 0x0d, Sections: calleeSectionsEnc(t, 0, enc)}},
		&component.ComponentSection{Component: &component.Component{Version: 0x0d, Sections: callerSections(t)}},
		&component.InstanceSection{Instances: []component.Instance{{Component: 0}}},
		&component.AliasSection{Aliases: []component.Alias{inst(0, "add"), inst(0, "greet")}},
		&component.InstanceSection{Instances: []component.Instance{{Component: 1, Args: []component.InstantiateArg{
			{Name: "add", Item: component.SortIdx{Sort: component.SortFunc, Index: 0}},
			{Name: "greet", Item: component.SortIdx{Sort: component.SortFunc, Index: 1}},
		}}}},
		&component.AliasSection{Aliases: []component.Alias{inst(1, "run-add"), inst(1, "run-greet"), inst(1, "loop")}},
		&component.ExportSection{Exports: []component.Export{
			export("run-add", component.SortFunc, 2),
			export("run-greet", component.SortFunc, 3),
			export("loop", component.SortFunc, 4),
		}},
	})
}
