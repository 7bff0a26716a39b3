package engine

import (
	"context"
	"errors"
	"testing"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/component/wasm"
)

// resourceComponent exports a resource r (rep i32) whose destructor counts
// drops, and make(x) -> own<r>, get(borrow<r>) -> u32, consume(own<r>) ->
// u32 (drops it), dropped() -> u32 and double-drop(own<r>) (a misuse).
func resourceComponent(t testing.TB) []byte {
	db := wasm.NewBuilder()
	db.Global(wasm.GlobalType{Val: vI32, Flags: 1}, i32c(0))
	db.Export("dtor", wasm.ExternFunc, db.Func(db.FuncType([]wasm.ValType{vI32}, nil), nil,
		cat([]byte{0x23, 0}, i32c(1), []byte{0x6a}, globalSet(0))))
	db.Export("dropped", wasm.ExternFunc, db.Func(db.FuncType(nil, []wasm.ValType{vI32}), nil, []byte{0x23, 0}))
	dmod, err := db.Build()
	if err != nil {
		t.Fatal(err)
	}
	mb := wasm.NewBuilder()
	t11 := mb.FuncType([]wasm.ValType{vI32}, []wasm.ValType{vI32})
	t10 := mb.FuncType([]wasm.ValType{vI32}, nil)
	newF := mb.ImportFunc("", "new", t11)
	repF := mb.ImportFunc("", "rep", t11)
	dropF := mb.ImportFunc("", "drop", t10)
	mb.Export("make", wasm.ExternFunc, mb.Func(t11, nil, cat(localGet(0), []byte{0x10, byte(newF)})))
	mb.Export("get", wasm.ExternFunc, mb.Func(t11, nil, localGet(0)))
	mb.Export("consume", wasm.ExternFunc, mb.Func(t11, nil, cat(
		localGet(0), []byte{0x10, byte(repF)}, localGet(0), []byte{0x10, byte(dropF)})))
	mb.Export("double-drop", wasm.ExternFunc, mb.Func(t10, nil, cat(
		localGet(0), []byte{0x10, byte(dropF)}, localGet(0), []byte{0x10, byte(dropF)})))
	mmod, err := mb.Build()
	if err != nil {
		t.Fatal(err)
	}
	dtor := uint32(0)
	own := func(i uint32) component.Type {
		return component.Type{Kind: component.KindOwn, Val: &component.DefValType{Kind: component.KindOwn, Res: i}}
	}
	borrow := component.Type{Kind: component.KindBorrow, Val: &component.DefValType{Kind: component.KindBorrow, Res: 1}}
	field := func(name string, i uint32) []component.Field {
		return []component.Field{{Name: name, Type: component.TypeRef(i)}}
	}
	own2 := component.TypeRef(2)
	return encode(t, []component.Section{
		&component.CoreModuleSection{Module: dmod},
		&component.CoreInstanceSection{Instances: []component.CoreInstance{{Module: 0}}},
		&component.AliasSection{Aliases: []component.Alias{
			coreAlias(component.SortCoreFunc, 0, "dtor"),    // core func 0
			coreAlias(component.SortCoreFunc, 0, "dropped"), // core func 1
		}},
		&component.TypeSection{Types: []component.Type{{Kind: component.KindResource,
			Resource: &component.ResourceType{Rep: vI32, Dtor: &dtor}}}},
		&component.CanonSection{Funcs: []component.Canon{
			{Op: component.CanonResourceNew, Type: 0},  // core func 2
			{Op: component.CanonResourceRep, Type: 0},  // core func 3
			{Op: component.CanonResourceDrop, Type: 0}, // core func 4
		}},
		&component.CoreModuleSection{Module: mmod},
		&component.CoreInstanceSection{Instances: []component.CoreInstance{
			{FromExports: true, Exports: []component.CoreInlineExport{
				{Name: "new", Sort: component.SortCoreFunc, Idx: 2},
				{Name: "rep", Sort: component.SortCoreFunc, Idx: 3},
				{Name: "drop", Sort: component.SortCoreFunc, Idx: 4},
			}},
			{Module: 1, Args: []component.CoreInstantiateArg{{Name: "", Instance: 1}}},
		}},
		&component.AliasSection{Aliases: []component.Alias{
			coreAlias(component.SortCoreFunc, 2, "make"),        // 5
			coreAlias(component.SortCoreFunc, 2, "get"),         // 6
			coreAlias(component.SortCoreFunc, 2, "consume"),     // 7
			coreAlias(component.SortCoreFunc, 2, "double-drop"), // 8
		}},
		&component.ExportSection{Exports: []component.Export{export("r", component.SortType, 0)}}, // type 1
		&component.TypeSection{Types: []component.Type{
			own(1), // 2
			borrow, // 3
			fnType([]component.Field{{Name: "x", Type: u32}}, &own2), // 4
			fnType(field("h", 3), &u32),                              // 5
			fnType(field("h", 2), &u32),                              // 6
			fnType(nil, &u32),                                        // 7
			fnType(field("h", 2), nil),                               // 8
		}},
		&component.CanonSection{Funcs: []component.Canon{
			{Op: component.CanonLift, Func: 5, Type: 4},
			{Op: component.CanonLift, Func: 6, Type: 5},
			{Op: component.CanonLift, Func: 7, Type: 6},
			{Op: component.CanonLift, Func: 1, Type: 7},
			{Op: component.CanonLift, Func: 8, Type: 8},
		}},
		&component.ExportSection{Exports: []component.Export{
			export("make", component.SortFunc, 0),
			export("get", component.SortFunc, 1),
			export("consume", component.SortFunc, 2),
			export("dropped", component.SortFunc, 3),
			export("double-drop", component.SortFunc, 4),
		}},
	})
}

func TestResources(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, Options{})
	bin := resourceComponent(t)
	inst := instantiate(t, e, bin, nil)
	dropped := func() uint64 { return call(t, inst, "dropped").Uint() }

	h := call(t, inst, "make", canonabi.U32Value(7))
	if h.Kind() != canonabi.KindOwn {
		t.Fatalf("make returned a %s", h.Kind())
	}
	borrowed := canonabi.HandleValue(canonabi.KindBorrow, h.Handle())
	if got := call(t, inst, "get", borrowed); got.Uint() != 7 {
		t.Errorf("get(borrow) = %v, want the rep 7", got)
	}
	if got := call(t, inst, "get", borrowed); got.Uint() != 7 {
		t.Errorf("a second borrow: %v", got)
	}
	if dropped() != 0 {
		t.Fatal("destructor ran early")
	}
	if got := call(t, inst, "consume", h); got.Uint() != 7 {
		t.Errorf("consume = %v", got)
	}
	if dropped() != 1 {
		t.Errorf("destructor ran %d times after the guest dropped its own handle", dropped())
	}
	if _, err := inst.Call(ctx, "get", borrowed); err == nil {
		t.Error("a handle given away was still usable")
	}

	inst = instantiate(t, e, bin, nil)
	h2 := call(t, inst, "make", canonabi.U32Value(9))
	if err := inst.DropResource(ctx, h2.Handle()); err != nil {
		t.Fatal(err)
	}
	if got := call(t, inst, "dropped"); got.Uint() != 1 {
		t.Errorf("host drop ran the destructor %v times", got)
	}
	if err := inst.DropResource(ctx, h2.Handle()); err == nil {
		t.Error("dropping a handle twice succeeded")
	}
	h3 := call(t, inst, "make", canonabi.U32Value(1))
	_, err := inst.Call(ctx, "double-drop", h3)
	var tr *Trap
	if !errors.As(err, &tr) {
		t.Errorf("a guest dropping a handle twice: want a trap, got %v", err)
	}
}
