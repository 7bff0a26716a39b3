package engine

import (
	"context"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/witgo/witgo/component/wasm"
)

// A lowered function whose signature holds only 32- and 64-bit integers,
// lifted from another component instance's core function, needs no value
// conversion: the glue binds the caller's import straight to the callee's
// core function through a small wasm function that enforces the run-time
// rules itself (a wasm-to-wasm call costs a few ns; through Go, tens, and
// with WithCloseOnContextDone wazero starts a goroutine per Go-to-wasm
// call). The rules need the instances' flags in wasm: each such instance
// gets a flags module with two mutable globals, may_leave and entered,
// which Go keeps in step with its own copies.

func b2u(v bool) uint64 {
	if v {
		return 1
	}
	return 0
}

func (ci *compInstance) isEntered() bool {
	if ci.enteredG != nil {
		return ci.enteredG.Get() != 0
	}
	return ci.entered
}

func (ci *compInstance) setEntered(v bool) {
	ci.entered = v
	if ci.enteredG != nil {
		ci.enteredG.Set(b2u(v))
	}
}

func (ci *compInstance) setMayLeave(v bool) {
	ci.mayLeave = v
	if ci.mayLeaveG != nil {
		ci.mayLeaveG.Set(b2u(v))
	}
}

// flags returns ci's flags module, instantiating it on first use.
func (t *Instance) flags(ctx context.Context, ci *compInstance) (api.Module, error) {
	if ci.flagsMod != nil {
		return ci.flagsMod, nil
	}
	b := wasm.NewBuilder()
	mut := wasm.GlobalType{Val: wasm.V(wasm.I32), Flags: 1}
	b.Export("may_leave", wasm.ExternGlobal, b.Global(mut, wasm.I32Const(1)))
	b.Export("entered", wasm.ExternGlobal, b.Global(mut, wasm.I32Const(0)))
	m, err := b.Build()
	if err != nil {
		return nil, errorf("flags module: %v", err)
	}
	cm, err := t.engine.glueModule(ctx, m)
	if err != nil {
		return nil, err
	}
	mod, err := t.engine.rt.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	if err != nil {
		return nil, errorf("flags module: %v", err)
	}
	t.modules = append(t.modules, mod)
	ci.flagsMod = mod
	ci.mayLeaveG = mod.ExportedGlobal("may_leave").(api.MutableGlobal)
	ci.enteredG = mod.ExportedGlobal("entered").(api.MutableGlobal)
	ci.mayLeaveG.Set(b2u(ci.mayLeave))
	ci.enteredG.Set(b2u(ci.entered))
	return mod, nil
}

// directEdge is a lowered integer-only function bound straight to the
// callee's core function.
type directEdge struct {
	callerFlags, calleeFlags api.Module
	target                   coreExt
}

// directLower returns the direct edge for lowering g into caller, if g
// qualifies.
func (t *Instance) directLower(ctx context.Context, caller *compInstance, g *compFunc) (*directEdge, error) {
	if !g.fast || g.host != nil || g.opts.post != nil || g.core.x.tramp != nil || g.inst == caller {
		return nil, nil
	}
	cf, err := t.flags(ctx, caller)
	if err != nil {
		return nil, err
	}
	gf, err := t.flags(ctx, g.inst)
	if err != nil {
		return nil, err
	}
	return &directEdge{callerFlags: cf, calleeFlags: gf, target: g.core.x}, nil
}

// directFunc adds to the glue the imports and the checking function of a
// direct edge, and returns the function's index. Imports are added in
// the first pass (importDirect), the function in the second.
func (g *glueBuilder) importDirect(ctx context.Context, e *Engine, d *directEdge) (directImports, error) {
	var di directImports
	if g.trap == nil {
		name, err := e.trapFunc(ctx)
		if err != nil {
			return di, err
		}
		t := g.b.ImportFunc(name, "t", g.b.FuncType([]wasm.ValType{wasm.V(wasm.I32)}, nil))
		g.trap = &t
	}
	di.trap = *g.trap
	mut := wasm.GlobalType{Val: wasm.V(wasm.I32), Flags: 1}
	di.mayLeave = g.b.ImportGlobal(g.source(d.callerFlags), "may_leave", mut)
	di.entered = g.b.ImportGlobal(g.source(d.calleeFlags), "entered", mut)
	def, ok := d.target.mod.ExportedFunctionDefinitions()[d.target.name]
	if !ok {
		return di, errorf("module has no function %q", d.target.name)
	}
	di.params, di.results = valTypes(def.ParamTypes()), valTypes(def.ResultTypes())
	di.target = g.b.ImportFunc(g.source(d.target.mod), d.target.name, g.b.FuncType(di.params, di.results))
	return di, nil
}

type directImports struct {
	mayLeave, entered, target, trap uint32
	params, results                 []wasm.ValType
}

// Reasons a direct edge traps with (the argument of the engine's trap
// host function).
const (
	trapCannotLeave = 1
	trapReentrance  = 2
)

var trapReasons = map[uint32]string{
	trapCannotLeave: "cannot leave component instance",
	trapReentrance:  "cannot enter component instance: it is already running (reentrance)",
}

// trapFunc returns the store name of the engine's host module whose "t"
// (reason i32) traps with that reason.
func (e *Engine) trapFunc(ctx context.Context) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	const name = "witgo:trap"
	if e.trapMod {
		return name, nil
	}
	_, err := e.rt.NewHostModuleBuilder(name).NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(func(_ context.Context, _ api.Module, stack []uint64) {
			panic(trap("%s", trapReasons[uint32(stack[0])]))
		}), []api.ValueType{api.ValueTypeI32}, nil).Export("t").Instantiate(ctx)
	if err != nil {
		return "", errorf("trap module: %v", err)
	}
	e.trapMod = true
	return name, nil
}

func (g *glueBuilder) directFunc(di directImports) uint32 {
	body := []byte{0x23}
	body = binioU32(body, di.mayLeave)
	// i32.eqz if (call trap (reason)) unreachable end
	body = append(body, 0x45, 0x04, 0x40, 0x41, trapCannotLeave, 0x10)
	body = binioU32(body, di.trap)
	body = append(body, 0x00, 0x0b, 0x23)
	body = binioU32(body, di.entered)
	body = append(body, 0x04, 0x40, 0x41, trapReentrance, 0x10)
	body = binioU32(body, di.trap)
	body = append(body, 0x00, 0x0b)
	body = append(body, 0x41, 1, 0x24) // i32.const 1 global.set
	body = binioU32(body, di.entered)
	for i := range di.params {
		body = append(body, 0x20)
		body = binioU32(body, uint32(i))
	}
	body = append(body, 0x10)
	body = binioU32(body, di.target)
	body = append(body, 0x41, 0, 0x24) // i32.const 0 global.set
	body = binioU32(body, di.entered)
	return g.b.Func(g.b.FuncType(di.params, di.results), nil, body)
}
