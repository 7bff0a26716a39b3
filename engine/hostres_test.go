package engine

import (
	"context"
	"testing"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/component/wasm"
)

// hostResourceComponent imports interface test:res/host with a resource r,
// make(x) -> own<r> and peek(borrow<r>) -> u32, and exports go(x) -> u32,
// which makes a handle, peeks through a borrow and drops it.
func hostResourceComponent(t testing.TB) []byte {
	b := wasm.NewBuilder()
	t11 := b.FuncType([]wasm.ValType{vI32}, []wasm.ValType{vI32})
	drop := b.ImportFunc("", "drop", b.FuncType([]wasm.ValType{vI32}, nil))
	mk := b.ImportFunc("", "make", t11)
	peek := b.ImportFunc("", "peek", t11)
	b.Export("go", wasm.ExternFunc, b.Func(t11, []wasm.ValType{vI32, vI32}, cat(
		localGet(0), []byte{0x10, byte(mk), 0x21, 1}, // h = make(x)
		localGet(1), []byte{0x10, byte(peek), 0x21, 2}, // r = peek(h)
		localGet(1), []byte{0x10, byte(drop)}, // drop(h)
		localGet(2))))
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	ref := component.TypeRef
	decl := func(ty component.Type) component.Decl { return component.Decl{Kind: component.DeclType, Type: &ty} }
	exportDecl := func(name string, kind byte, idx, bound uint32) component.Decl {
		return component.Decl{Kind: component.DeclExport, Name: component.ExternName{Name: name},
			Desc: component.ExternDesc{Kind: kind, Index: idx, Bound: byte(bound)}}
	}
	own1, ret := ref(1), u32
	iface := &component.InstanceType{Decls: []component.Decl{
		exportDecl("r", component.ExternType, 0, 1),                                                                      // type 0: (sub resource)
		decl(component.Type{Kind: component.KindOwn, Val: &component.DefValType{Kind: component.KindOwn, Res: 0}}),       // 1
		decl(component.Type{Kind: component.KindBorrow, Val: &component.DefValType{Kind: component.KindBorrow, Res: 0}}), // 2
		decl(fnType([]component.Field{{Name: "x", Type: u32}}, &own1)),                                                   // 3
		decl(fnType([]component.Field{{Name: "h", Type: ref(2)}}, &ret)),                                                 // 4
		exportDecl("make", component.ExternFunc, 3, 0),
		exportDecl("peek", component.ExternFunc, 4, 0),
	}}
	fn := func(name string) component.Alias {
		return component.Alias{Sort: component.SortFunc, Kind: component.AliasExport, Instance: 0, Name: name}
	}
	return encode(t, []component.Section{
		&component.TypeSection{Types: []component.Type{{Kind: component.KindInstance, Instance: iface}}},
		&component.ImportSection{Imports: []component.Import{{Name: component.ExternName{Name: "test:res/host"},
			Desc: component.ExternDesc{Kind: component.ExternInstance, Index: 0}}}},
		&component.AliasSection{Aliases: []component.Alias{
			{Sort: component.SortType, Kind: component.AliasExport, Instance: 0, Name: "r"}, // type 1
			fn("make"), fn("peek"),
		}},
		&component.CanonSection{Funcs: []component.Canon{
			{Op: component.CanonResourceDrop, Type: 1}, // core func 0
			{Op: component.CanonLower, Func: 0},        // 1
			{Op: component.CanonLower, Func: 1},        // 2
		}},
		&component.CoreModuleSection{Module: m},
		&component.CoreInstanceSection{Instances: []component.CoreInstance{
			{FromExports: true, Exports: []component.CoreInlineExport{
				{Name: "drop", Sort: component.SortCoreFunc, Idx: 0},
				{Name: "make", Sort: component.SortCoreFunc, Idx: 1},
				{Name: "peek", Sort: component.SortCoreFunc, Idx: 2},
			}},
			{Module: 0, Args: []component.CoreInstantiateArg{{Name: "", Instance: 0}}},
		}},
		&component.AliasSection{Aliases: []component.Alias{coreAlias(component.SortCoreFunc, 1, "go")}},          // core func 3
		&component.TypeSection{Types: []component.Type{fnType([]component.Field{{Name: "x", Type: u32}}, &ret)}}, // type 2
		&component.CanonSection{Funcs: []component.Canon{{Op: component.CanonLift, Func: 3, Type: 2}}},
		&component.ExportSection{Exports: []component.Export{export("go", component.SortFunc, 2)}},
	})
}

// Host resources: a host function creates an own handle, the guest lends
// it back as a borrow and drops it, which runs the host's drop.
func TestHostResources(t *testing.T) {
	var dropped []uint32
	im := (&Imports{}).
		Resource("test:res/host", "r", func(rep uint32) { dropped = append(dropped, rep) }).
		Interface("test:res/host", map[string]HostFunc{
			"make": func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
				return CallerInstance(ctx).NewResource("test:res/host", "r", uint32(a[0].Uint())*10)
			},
			"peek": func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
				rep, err := CallerInstance(ctx).ResourceRep(a[0].Handle())
				return canonabi.U32Value(rep + 1), err
			},
		})
	inst := instantiate(t, newEngine(t, Options{}), hostResourceComponent(t), im)
	if got := call(t, inst, "go", canonabi.U32Value(4)); got.Uint() != 41 {
		t.Errorf("go(4) = %v, want 41", got)
	}
	if len(dropped) != 1 || dropped[0] != 40 {
		t.Errorf("host drops %v, want [40]", dropped)
	}
}
