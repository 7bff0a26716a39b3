package engine

import (
	"context"
	"errors"

	"github.com/tetratelabs/wazero/api"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/wit"
)

// The general call path, used by every call of an instance whose
// component uses anything of async: canon_lift (runTask), canon_lower
// (loweredGeneral) and host calls into exports (callGeneral).

// Callback codes.
const (
	callbackExit  = 0
	callbackYield = 1
	callbackWait  = 2
)

// guestCx is a lifting and lowering context for inst with options o.
func (t *Instance) guestCx(ctx context.Context, inst *compInstance, o *canonOpts, sc *callScope) *canonabi.Context {
	return &canonabi.Context{Memory: &guestMemory{ctx: ctx, mem: o.mem, realloc: o.realloc}, Encoding: o.enc,
		Handles: &handleCx{t: t, inst: inst, scope: sc}}
}

// runTask is the body of canon_lift's implicit thread.
func (t *Instance) runTask(ctx context.Context, tk *task, th *thread) error {
	if !tk.enterImplicitThread(th) {
		return nil
	}
	g := tk.f
	args, err := tk.start()
	if err != nil {
		return trapOrErr(err)
	}
	cx := t.guestCx(ctx, g.inst, &g.opts, &tk.sc)
	flat, err := t.bridge.abi.LowerArgs(cx, g.wf, args)
	if err != nil {
		return trapOrErr(err)
	}
	fn, err := g.core.take(ctx)
	if err != nil {
		return err
	}
	defer g.core.put(fn)
	stack := make([]uint64, max(len(flat), g.nresult, 1))
	copy(stack, flat)
	if err := fn.CallWithStack(ctx, stack); err != nil {
		return trapOrErr(err)
	}
	switch {
	case !g.opts.async:
		v, has, err := t.bridge.abi.LiftResult(cx, g.wf, stack[:g.nresult])
		if err != nil {
			return trapOrErr(err)
		}
		if err := tk.returnValue(v, has); err != nil {
			return err
		}
		if g.opts.post != nil {
			g.inst.setMayLeave(false)
			err := g.opts.post.call(ctx, stack[:g.nresult])
			g.inst.setMayLeave(true)
			if err != nil {
				return trapOrErr(err)
			}
		}
	case g.opts.callback != nil:
		if err := t.callbackLoop(ctx, tk, th, uint32(stack[0])); err != nil {
			return err
		}
	}
	return tk.exitImplicitThread()
}

// callbackLoop is the event loop of an `async callback` lift.
func (t *Instance) callbackLoop(ctx context.Context, tk *task, th *thread, packed uint32) error {
	inst := tk.inst
	cb, err := tk.f.opts.callback.take(ctx)
	if err != nil {
		return err
	}
	defer tk.f.opts.callback.put(cb)
	notExclusive := func() bool { return inst.exclusive == nil }
	stack := make([]uint64, 3)
	for {
		code, si := packed&0xf, packed>>4
		if code == callbackExit {
			return nil
		}
		inst.exclusive = nil
		var ev event
		switch code {
		case callbackYield:
			if th.waitUntil(notExclusive, true, true) {
				ev.code = eventTaskCancelled
			}
		case callbackWait:
			ws, err := inst.waitableSet(si)
			if err != nil {
				return err
			}
			ev = ws.waitForEventAnd(th, notExclusive, true)
		default:
			return trap("unsupported callback code %d", code)
		}
		inst.exclusive = th
		stack[0], stack[1], stack[2] = uint64(ev.code), uint64(ev.p1), uint64(ev.p2)
		if err := cb.CallWithStack(ctx, stack); err != nil {
			return trapOrErr(err)
		}
		packed = uint32(stack[0])
	}
}

// loweredGeneral is canon_lower of g into caller, sync or async.
func (t *Instance) loweredGeneral(caller *compInstance, g *compFunc, wf *wit.Function, opts canonOpts, async bool, sig *canonabi.Signature) api.GoModuleFunc {
	st := t.st
	nparams := len(sig.Params)
	var tuple wit.Type
	if async && sig.ParamsInMemory {
		ts := make([]wit.Type, len(wf.Params))
		for i, p := range wf.Params {
			ts[i] = p.Type
		}
		tuple = t.bridge.add(&wit.Tuple{Types: ts})
	}
	return func(ctx context.Context, _ api.Module, stack []uint64) {
		if !caller.mayLeave {
			panic(trap("cannot leave component instance"))
		}
		th := st.curThread(caller)
		if !async && g.typ.async && (th.inline || !th.task.f.typ.async && th.task.state != taskResolved) {
			// A task that may not block calling an async function
			// synchronously (dont-block-start.wast, trap-if-block-and-sync.wast).
			panic(trap("cannot block a synchronous task before returning (a synchronous call of an async function)"))
		}
		sub := &subtask{}
		flat := append([]uint64(nil), stack[:nparams]...)
		cx := t.guestCx(ctx, caller, &opts, &sub.sc)
		progress := func() {}
		onStart := func() ([]canonabi.Value, error) {
			progress()
			sub.state = subtaskStarted
			if tuple != wit.NoType {
				v, err := t.bridge.abi.Load(cx, tuple, uint32(flat[0]))
				return v.Elems(), err
			}
			return t.bridge.abi.LiftArgs(cx, wf, flat)
		}
		onResolve := func(v canonabi.Value, has, cancelled bool) error {
			progress()
			switch {
			case cancelled && sub.state == subtaskStarting:
				sub.state = subtaskCancelledBeforeStarted
				return nil
			case cancelled:
				sub.state = subtaskCancelledBeforeReturned
				return nil
			case async:
				if wf.Result != wit.NoType {
					if err := t.bridge.abi.Store(cx, wf.Result, v, uint32(flat[len(flat)-1])); err != nil {
						return trapOrErr(err)
					}
				}
			default:
				out, err := t.bridge.abi.LowerResult(cx, wf, v, flat)
				if err != nil {
					return trapOrErr(err)
				}
				sub.flat = out
			}
			sub.state = subtaskReturned
			return nil
		}
		onCancel, err := t.invoke(ctx, g, onStart, onResolve, caller)
		if err != nil {
			panic(trapOrErr(err))
		}
		sub.onCancel = onCancel
		if !async {
			if !sub.resolved() {
				th.waitUntil(sub.resolved, false, false)
			}
			if err := sub.deliverResolve(t); err != nil {
				panic(err)
			}
			copy(stack, sub.flat)
			return
		}
		if sub.resolved() {
			if err := sub.deliverResolve(t); err != nil {
				panic(err)
			}
			stack[0] = subtaskReturned
			return
		}
		i, err := caller.handles.addObj(sub)
		if err != nil {
			panic(err)
		}
		progress = func() {
			sub.setPending(func() event {
				if sub.resolved() && !sub.delivered {
					if err := sub.deliverResolve(t); err != nil {
						panic(err)
					}
				}
				return event{eventSubtask, i, sub.state}
			})
		}
		stack[0] = uint64(sub.state | i<<4)
	}
}

// callGeneral calls f from the host and runs the store's event loop until
// f returns its value.
func (f *Func) callGeneral(ctx context.Context, args []canonabi.Value) (res canonabi.Value, err error) {
	t := f.t
	st := t.st
	if st.hostDepth > 0 {
		return res, trap("cannot enter component instance: a host function of it is running (reentrance)")
	}
	st.acquire()
	defer st.release()
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = trapOrErr(e)
			} else {
				err = errorf("call failed: %v", r)
			}
		}
		var tr *Trap
		if errors.As(err, &tr) {
			st.fail(err)
			st.abortAll()
		}
	}()
	if st.failed != nil {
		return res, st.failed
	}
	resolved := false
	onStart := func() ([]canonabi.Value, error) { return args, nil }
	onResolve := func(v canonabi.Value, _, _ bool) error {
		res, resolved = v, true
		return nil
	}
	if _, err = t.invoke(ctx, f.f, onStart, onResolve, nil); err != nil {
		return res, err
	}
	if err = st.runUntil(ctx, func() bool { return resolved }, 0); err != nil {
		return res, err
	}
	return res, st.drain()
}
