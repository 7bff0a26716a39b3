package engine

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/component/wasm"
)

// startComponent lifts init (bumps a counter) and runs it as the
// component's start function; get returns the counter and boom traps.
func startComponent(t testing.TB) []byte {
	b := wasm.NewBuilder()
	b.Global(wasm.GlobalType{Val: vI32, Flags: 1}, i32c(0))
	tv := b.FuncType(nil, nil)
	b.Export("init", wasm.ExternFunc, b.Func(tv, nil, cat([]byte{0x23, 0}, i32c(1), []byte{0x6a}, globalSet(0))))
	b.Export("get", wasm.ExternFunc, b.Func(b.FuncType(nil, []wasm.ValType{vI32}), nil, []byte{0x23, 0}))
	b.Export("boom", wasm.ExternFunc, b.Func(tv, nil, []byte{0x00}))
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return encode(t, []component.Section{
		&component.CoreModuleSection{Module: m},
		&component.CoreInstanceSection{Instances: []component.CoreInstance{{Module: 0}}},
		&component.AliasSection{Aliases: []component.Alias{
			coreAlias(component.SortCoreFunc, 0, "init"),
			coreAlias(component.SortCoreFunc, 0, "get"),
			coreAlias(component.SortCoreFunc, 0, "boom"),
		}},
		&component.TypeSection{Types: []component.Type{fnType(nil, nil), fnType(nil, &u32)}},
		&component.CanonSection{Funcs: []component.Canon{
			{Op: component.CanonLift, Func: 0, Type: 0},
			{Op: component.CanonLift, Func: 1, Type: 1},
			{Op: component.CanonLift, Func: 2, Type: 0},
		}},
		&component.StartSection{Start: component.Start{Func: 0}},
		&component.ExportSection{Exports: []component.Export{
			export("get", component.SortFunc, 1),
			export("boom", component.SortFunc, 2),
		}},
	})
}

func TestStartAndGuestStack(t *testing.T) {
	inst := instantiate(t, newEngine(t, Options{}), startComponent(t), nil)
	if got := call(t, inst, "get"); got.Uint() != 1 {
		t.Errorf("after start, get() = %v, want 1", got)
	}
	_, err := inst.Call(context.Background(), "boom")
	var tr *Trap
	if !errors.As(err, &tr) {
		t.Fatalf("want a trap, got %v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "unreachable") || !strings.Contains(msg, "wasm stack trace") {
		t.Errorf("trap message lacks the reason or the guest stack:\n%s", msg)
	}
}
