package engine

import (
	"context"

	"github.com/tetratelabs/wazero/api"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/component/wasm"
	"github.com/witgo/witgo/wit"
)

func (t *Instance) canon(ctx context.Context, s *scope, c *component.Canon) error {
	switch c.Op {
	case component.CanonLift:
		f, err := t.lift(ctx, s, c)
		if err != nil {
			return err
		}
		s.funcs = append(s.funcs, f)
		return nil
	case component.CanonLower:
		x, err := t.lower(ctx, s, c)
		if err != nil {
			return err
		}
		s.coreFuncs = append(s.coreFuncs, x)
		return nil
	case component.CanonResourceNew, component.CanonResourceDrop, component.CanonResourceRep:
		e, err := s.typeAt(c.Type)
		if err != nil {
			return err
		}
		rt, ok := e.(*resourceType)
		if !ok {
			return errorf("type %d is not a resource", c.Type)
		}
		x, err := t.resourceBuiltin(ctx, s.inst, rt, c.Op)
		if err != nil {
			return err
		}
		s.coreFuncs = append(s.coreFuncs, x)
		return nil
	}
	x, err := t.asyncBuiltin(ctx, s, c)
	if err != nil {
		return err
	}
	s.coreFuncs = append(s.coreFuncs, x)
	return nil
}

func (t *Instance) canonOpts(ctx context.Context, s *scope, opts []component.CanonOpt) (canonOpts, error) {
	var o canonOpts
	for _, op := range opts {
		switch op.Kind {
		case component.OptUTF8:
			o.enc = canonabi.UTF8
		case component.OptUTF16:
			o.enc = canonabi.UTF16
		case component.OptLatin1UTF16:
			o.enc = canonabi.Latin1UTF16
		case component.OptMemory:
			x, err := at(s.coreMems, op.Index, component.SortCoreMemory)
			if err != nil {
				return o, err
			}
			o.mem = x.mod.ExportedMemory(x.name)
		case component.OptRealloc, component.OptPostReturn, component.OptCallback:
			x, err := s.coreFuncAt(op.Index)
			if err != nil {
				return o, err
			}
			f := &lazyFunc{t: t, x: x}
			switch op.Kind {
			case component.OptRealloc:
				o.realloc = f
			case component.OptPostReturn:
				o.post = f
			default:
				o.callback = f
			}
		case component.OptAsync:
			o.async = true
		default:
			return o, unsupported("canonical option %#x", op.Kind)
		}
	}
	return o, nil
}

func (t *Instance) lift(ctx context.Context, s *scope, c *component.Canon) (*compFunc, error) {
	x, err := s.coreFuncAt(c.Func)
	if err != nil {
		return nil, err
	}
	e, err := s.typeAt(c.Type)
	if err != nil {
		return nil, err
	}
	ft, ok := e.(*funcType)
	if !ok {
		return nil, errorf("type %d is not a function type", c.Type)
	}
	opts, err := t.canonOpts(ctx, s, c.Opts)
	if err != nil {
		return nil, err
	}
	if (opts.async || ft.async) && t.st == nil {
		return nil, errorf("engine bug: async lift in a component not marked async")
	}
	wf := t.bridge.function("", ft)
	sig, err := t.bridge.abi.Signature(withAsync(wf, opts.async), canonabi.Lift)
	if err != nil {
		return nil, err
	}
	if x.kind != wasm.ExternFunc {
		return nil, errorf("canon lift of a core %d item", x.kind)
	}
	core := &lazyFunc{t: t, x: x}
	f := &compFunc{typ: ft, wf: wf, inst: s.inst, core: core, opts: opts,
		nparams: len(sig.Params), nresult: len(sig.Results)}
	if opts.async { // results: the callback code, or none (stackful)
		f.nresult = 0
		if opts.callback != nil {
			f.nresult = 1
		}
	}
	f.fast = isFast(ft)
	return f, nil
}

func (ci *compInstance) isAncestorOf(o *compInstance) bool {
	for p := o.parent; p != nil; p = p.parent {
		if p == ci {
			return true
		}
	}
	return false
}

// withAsync returns wf flattened as the canon option async says (not as
// its type says: a sync lower of an async function uses the sync ABI).
func withAsync(wf *wit.Function, async bool) *wit.Function {
	if wf.Async == async {
		return wf
	}
	cp := *wf
	cp.Async = async
	return &cp
}

// isFast: every parameter and the result are 32- or 64-bit integers or
// floats, whose core values pass unchanged in both directions (a float
// NaN is canonicalized when lifted and may be scrambled when lowered, so
// passing its bits through is one of the spec's outcomes).
func isFast(ft *funcType) bool {
	if len(ft.params) > canonabi.MaxFlatParams {
		return false
	}
	plain := func(v *vtype) bool {
		if v.kind != component.KindPrim {
			return false
		}
		switch v.prim {
		case component.U32, component.S32, component.U64, component.S64, component.F32, component.F64:
			return true
		}
		return false
	}
	for _, p := range ft.params {
		if !plain(p.t) {
			return false
		}
	}
	return ft.result == nil || plain(ft.result)
}

var coreValueTypes = [...]api.ValueType{
	canonabi.I32: api.ValueTypeI32, canonabi.I64: api.ValueTypeI64,
	canonabi.F32: api.ValueTypeF32, canonabi.F64: api.ValueTypeF64,
}

func apiTypes(ts []canonabi.CoreType) []api.ValueType {
	out := make([]api.ValueType, len(ts))
	for i, c := range ts {
		out[i] = coreValueTypes[c]
	}
	return out
}

func (t *Instance) lower(ctx context.Context, s *scope, c *component.Canon) (coreExt, error) {
	g, err := at(s.funcs, c.Func, component.SortFunc)
	if err != nil {
		return coreExt{}, err
	}
	opts, err := t.canonOpts(ctx, s, c.Opts)
	if err != nil {
		return coreExt{}, err
	}
	wf := t.bridge.function(g.name, g.typ)
	sig, err := t.bridge.abi.Signature(withAsync(wf, opts.async), canonabi.Lower)
	if err != nil {
		return coreExt{}, err
	}
	if g.inst != nil && g.inst != s.inst && (g.inst.isAncestorOf(s.inst) || s.inst.isAncestorOf(g.inst)) {
		// Calls between a component instance and its ancestors trap for now
		// (the spec's reference tests, trap-on-reenter.wast).
		return t.hostFunc(ctx, func(context.Context, api.Module, []uint64) {
			panic(trap("cannot enter component instance: calls between a parent and a child instance are not allowed"))
		}, apiTypes(sig.Params), apiTypes(sig.Results))
	}
	if t.st != nil {
		fn := t.loweredGeneral(s.inst, g, wf, opts, opts.async, sig)
		return t.hostFunc(ctx, fn, apiTypes(sig.Params), apiTypes(sig.Results))
	}
	if d, err := t.directLower(ctx, s.inst, g); err != nil || d != nil {
		return coreExt{kind: wasm.ExternFunc, direct: d}, err
	}
	fn := t.lowered(s.inst, g, wf, opts, len(sig.Params))
	return t.hostFunc(ctx, fn, apiTypes(sig.Params), apiTypes(sig.Results))
}

// hostFunc registers a Go function as a trampoline of this instance.
func (t *Instance) hostFunc(_ context.Context, fn api.GoModuleFunc, params, results []api.ValueType) (coreExt, error) {
	tr := &trampoline{fn: fn, params: params, results: results}
	tr.id = t.engine.reg.add(tr)
	t.trampolines = append(t.trampolines, tr.id)
	return coreExt{kind: wasm.ExternFunc, tramp: tr}, nil
}

var i32 = []api.ValueType{api.ValueTypeI32}

func (t *Instance) resourceBuiltin(ctx context.Context, inst *compInstance, rt *resourceType, op byte) (coreExt, error) {
	switch op {
	case component.CanonResourceNew:
		return t.hostFunc(ctx, func(ctx context.Context, _ api.Module, stack []uint64) {
			if !inst.mayLeave {
				panic(trap("cannot leave component instance"))
			}
			stack[0] = uint64(inst.handles.add(handleEntry{rt: rt, rep: uint32(stack[0]), own: true}))
		}, i32, i32)
	case component.CanonResourceRep:
		return t.hostFunc(ctx, func(ctx context.Context, _ api.Module, stack []uint64) {
			e, err := inst.handles.get(uint32(stack[0]))
			if err == nil && e.rt != rt {
				err = trap("handle %d has the wrong resource type", stack[0])
			}
			if err != nil {
				panic(err)
			}
			stack[0] = uint64(e.rep)
		}, i32, i32)
	}
	return t.hostFunc(ctx, func(ctx context.Context, _ api.Module, stack []uint64) {
		if !inst.mayLeave {
			panic(trap("cannot leave component instance"))
		}
		if err := t.dropHandle(ctx, inst, &inst.handles, rt, uint32(stack[0])); err != nil {
			panic(err)
		}
	}, i32, nil)
}

// dropHandle is resource.drop: an own handle runs the destructor, a
// borrow ends its loan.
func (t *Instance) dropHandle(ctx context.Context, inst *compInstance, tab *handleTable, rt *resourceType, i uint32) error {
	e, err := tab.get(i)
	if err != nil {
		return err
	}
	if rt != nil && e.rt != rt {
		return trap("handle %d has the wrong resource type", i)
	}
	if e.lends != 0 {
		return trap("handle %d is lent out and cannot be dropped", i)
	}
	h, _ := tab.remove(i)
	if !h.own {
		if h.scope != nil {
			h.scope.borrows--
		}
		return nil
	}
	return t.destroy(ctx, inst, h)
}

func (t *Instance) destroy(ctx context.Context, inst *compInstance, h handleEntry) error {
	rt := h.rt
	if rt.hostFn != nil {
		rt.hostFn(h.rep)
		return nil
	}
	if rt.dtor == nil {
		return nil
	}
	if rt.impl != nil && rt.impl != inst && rt.impl.isEntered() {
		return trap("cannot enter component instance to run a destructor (reentrance)")
	}
	if rt.impl != nil && rt.impl != inst {
		rt.impl.setEntered(true)
		defer func() { rt.impl.setEntered(false) }()
	}
	return trapOrErr(rt.dtor.call(ctx, []uint64{uint64(h.rep)}))
}
