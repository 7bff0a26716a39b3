package engine

import (
	"context"
	"encoding/binary"

	"github.com/tetratelabs/wazero/api"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/wit"
)

// The async built-ins of CanonicalABI.md, Canonical Definitions: each is a
// trampoline bound to the component instance that defines it.

var (
	i32x2  = []api.ValueType{api.ValueTypeI32, api.ValueTypeI32}
	i32x3  = []api.ValueType{api.ValueTypeI32, api.ValueTypeI32, api.ValueTypeI32}
	i64out = []api.ValueType{api.ValueTypeI64}
)

func b2i(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

func mustLeave(inst *compInstance) {
	if !inst.mayLeave {
		panic(trap("cannot leave component instance"))
	}
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// waitableSet returns the waitable set at index i of inst's table.
func (ci *compInstance) waitableSet(i uint32) (*waitableSet, error) {
	e, err := ci.handles.get(i)
	if err != nil {
		return nil, err
	}
	ws, ok := e.obj.(*waitableSet)
	if !ok {
		return nil, trap("handle %d is not a waitable set", i)
	}
	return ws, nil
}

// asyncTask is the current task for task.return and task.cancel: it
// must be an async-lifted one.
func (st *store) asyncTask(what string) *task {
	if st.cur == nil || st.cur.task == nil || st.cur.task.f.inst == nil {
		panic(trap("%s called outside of a task", what))
	}
	tk := st.cur.task
	if !tk.f.opts.async {
		panic(trap("%s called by a synchronously lifted function", what))
	}
	return tk
}

func (t *Instance) asyncBuiltin(ctx context.Context, s *scope, c *component.Canon) (coreExt, error) {
	inst, st := s.inst, t.st
	if st == nil {
		return coreExt{}, errorf("engine bug: async built-in in a component not marked async")
	}
	switch c.Op {
	case component.CanonTaskReturn:
		return t.taskReturn(ctx, s, c)
	case component.CanonTaskCancel:
		return t.hostFunc(ctx, func(context.Context, api.Module, []uint64) {
			mustLeave(inst)
			must(st.asyncTask("task.cancel").cancel())
		}, nil, nil)
	case component.CanonContextGet:
		slot := c.Slot
		return t.hostFunc(ctx, func(_ context.Context, _ api.Module, stack []uint64) {
			stack[0] = uint64(st.curThread(inst).storage[slot])
		}, nil, i32)
	case component.CanonContextSet:
		slot := c.Slot
		return t.hostFunc(ctx, func(_ context.Context, _ api.Module, stack []uint64) {
			if st.cur != nil {
				st.cur.storage[slot] = uint32(stack[0])
			}
		}, i32, nil)
	case component.CanonThreadYield:
		cancellable := c.Flag
		return t.hostFunc(ctx, func(_ context.Context, _ api.Module, stack []uint64) {
			mustLeave(inst)
			th := st.curThread(inst)
			stack[0] = b2i(th.waitUntil(func() bool { return true }, cancellable, true))
		}, nil, i32)
	case component.CanonBackpressureInc, component.CanonBackpressureDec:
		d := 1
		if c.Op == component.CanonBackpressureDec {
			d = -1
		}
		return t.hostFunc(ctx, func(context.Context, api.Module, []uint64) {
			inst.backpressure += d
			if inst.backpressure >= 1<<16 || inst.backpressure < 0 {
				panic(trap("backpressure counter out of range"))
			}
		}, nil, nil)
	case component.CanonWaitableSetNew:
		return t.hostFunc(ctx, func(_ context.Context, _ api.Module, stack []uint64) {
			mustLeave(inst)
			i, err := inst.handles.addObj(&waitableSet{})
			must(err)
			stack[0] = uint64(i)
		}, nil, i32)
	case component.CanonWaitableSetWait, component.CanonWaitableSetPoll:
		return t.waitOrPoll(ctx, s, c)
	case component.CanonWaitableSetDrop:
		return t.hostFunc(ctx, func(_ context.Context, _ api.Module, stack []uint64) {
			mustLeave(inst)
			ws, err := inst.waitableSet(uint32(stack[0]))
			must(err)
			if len(ws.elems) > 0 {
				panic(trap("waitable set %d still contains waitables", stack[0]))
			}
			if ws.numWaiting > 0 {
				panic(trap("cannot drop waitable set with waiters (set %d)", stack[0]))
			}
			_, _ = inst.handles.remove(uint32(stack[0]))
		}, i32, nil)
	case component.CanonWaitableJoin:
		return t.hostFunc(ctx, func(_ context.Context, _ api.Module, stack []uint64) {
			mustLeave(inst)
			e, err := inst.handles.get(uint32(stack[0]))
			must(err)
			w, ok := e.obj.(waitableObj)
			if !ok {
				panic(trap("handle %d is not a waitable", stack[0]))
			}
			if w.base().syncWaiter {
				panic(trap("%s (waitable %d is being waited on synchronously)", inWaitableSet, stack[0]))
			}
			var ws *waitableSet
			if si := uint32(stack[1]); si != 0 {
				ws, err = inst.waitableSet(si)
				must(err)
			}
			w.base().join(ws)
		}, i32x2, nil)
	case component.CanonSubtaskDrop:
		return t.hostFunc(ctx, func(_ context.Context, _ api.Module, stack []uint64) {
			mustLeave(inst)
			sub := subtaskAt(inst, uint32(stack[0]))
			if !sub.delivered {
				panic(trap("cannot drop a subtask which has not yet resolved (subtask %d)", stack[0]))
			}
			sub.drop()
			_, _ = inst.handles.remove(uint32(stack[0]))
		}, i32, nil)
	case component.CanonSubtaskCancel:
		async := c.Flag
		return t.hostFunc(ctx, func(_ context.Context, _ api.Module, stack []uint64) {
			stack[0] = uint64(t.subtaskCancel(inst, async, uint32(stack[0])))
		}, i32, i32)
	case component.CanonErrorContextNew, component.CanonErrorContextDebugMessage, component.CanonErrorContextDrop:
		return t.errorContextBuiltin(ctx, s, c)
	}
	if explicitThreads[c.Op] {
		return t.threadBuiltin(ctx, s, c)
	}
	return t.streamBuiltin(ctx, s, c)
}

// mustMayBlock traps when the running task may not block: a task of a
// non-async function that has not returned (or code outside any task).
// The spec's reference tests expect this before anything else is checked.
func (st *store) mustMayBlock(inst *compInstance) {
	if !st.mayBlock(st.curThread(inst)) {
		panic(trap("cannot block a synchronous task before returning"))
	}
}

// mayBlock: th's task is of an async function, or has returned its value.
func (st *store) mayBlock(th *thread) bool {
	return th != nil && th.task != nil && (th.task.f.typ.async || th.task.state == taskResolved)
}

const inWaitableSet = "waitable cannot be used synchronously while added to a waitable set"

func subtaskAt(inst *compInstance, i uint32) *subtask {
	e, err := inst.handles.get(i)
	must(err)
	sub, ok := e.obj.(*subtask)
	if !ok {
		panic(trap("handle %d is not a subtask", i))
	}
	return sub
}

// subtaskCancel is canon_subtask_cancel.
func (t *Instance) subtaskCancel(inst *compInstance, async bool, i uint32) uint32 {
	mustLeave(inst)
	st := t.st
	if !async {
		st.mustMayBlock(inst)
	}
	th := st.curThread(inst)
	sub := subtaskAt(inst, i)
	if sub.delivered {
		panic(trap("subtask %d has already returned", i))
	}
	if sub.cancelRequested {
		panic(trap("subtask %d was already cancelled", i))
	}
	if sub.wset != nil && !async {
		panic(trap("%s (subtask %d)", inWaitableSet, i))
	}
	if !sub.resolved() {
		sub.cancelRequested = true
		if sub.onCancel != nil {
			must(sub.onCancel(inst))
		}
		if !sub.resolved() {
			if !async {
				sub.waitPending(th)
			} else {
				return blocked
			}
		}
	}
	sub.takePending()
	return sub.state
}

func (t *Instance) waitOrPoll(ctx context.Context, s *scope, c *component.Canon) (coreExt, error) {
	inst, st := s.inst, t.st
	x, err := at(s.coreMems, c.Memory, component.SortCoreMemory)
	if err != nil {
		return coreExt{}, err
	}
	mem := x.mod.ExportedMemory(x.name)
	cancellable, wait := c.Flag, c.Op == component.CanonWaitableSetWait
	return t.hostFunc(ctx, func(_ context.Context, _ api.Module, stack []uint64) {
		mustLeave(inst)
		if wait {
			st.mustMayBlock(inst)
		}
		ws, err := inst.waitableSet(uint32(stack[0]))
		must(err)
		th := st.curThread(inst)
		var ev event
		if wait {
			ev = ws.waitForEventAnd(th, func() bool { return true }, cancellable)
		} else {
			ev = ws.poll(th, cancellable)
		}
		var b [8]byte
		binary.LittleEndian.PutUint32(b[:], ev.p1)
		binary.LittleEndian.PutUint32(b[4:], ev.p2)
		ptr := uint32(stack[1])
		if ptr%4 != 0 || mem == nil || !mem.Write(ptr, b[:]) {
			panic(trap("event pointer %#x is misaligned or out of bounds", ptr))
		}
		stack[0] = uint64(ev.code)
	}, i32x2, i32)
}

// taskReturn is canon task.return: the result arrives as core parameters.
func (t *Instance) taskReturn(ctx context.Context, s *scope, c *component.Canon) (coreExt, error) {
	inst, st := s.inst, t.st
	opts, err := t.canonOpts(ctx, s, c.Opts)
	if err != nil {
		return coreExt{}, err
	}
	var rt *vtype
	if c.Result != nil {
		if rt, err = s.valType(*c.Result); err != nil {
			return coreExt{}, err
		}
	}
	fn := &wit.Function{Name: "task.return"}
	if rt != nil {
		fn.Params = []wit.Param{{Name: "result", Type: t.bridge.typ(rt)}}
	}
	sig, err := t.bridge.abi.Signature(fn, canonabi.Lower)
	if err != nil {
		return coreExt{}, err
	}
	return t.hostFunc(ctx, func(ctx context.Context, _ api.Module, stack []uint64) {
		mustLeave(inst)
		tk := st.asyncTask("task.return")
		if !typesEqual(rt, tk.f.typ.result) {
			panic(trap("task.return's result type does not match the function's"))
		}
		if opts.enc != tk.f.opts.enc || opts.mem != nil && !sameMemory(opts.mem, tk.f.opts.mem) {
			panic(trap("task.return's options differ from the lifted function's"))
		}
		cx := t.guestCx(ctx, inst, &opts, &tk.sc)
		args, err := t.bridge.abi.LiftArgs(cx, fn, stack[:len(sig.Params)])
		if err != nil {
			panic(trapOrErr(err))
		}
		var v canonabi.Value
		if len(args) == 1 {
			v = args[0]
		}
		must(tk.returnValue(v, rt != nil))
	}, apiTypes(sig.Params), nil)
}

func sameMemory(a, b api.Memory) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a == b
}

// typesEqual compares value types structurally (resources by identity).
func typesEqual(a, b *vtype) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil || a.kind != b.kind || a.prim != b.prim || a.length != b.length ||
		a.res != b.res || len(a.fields) != len(b.fields) || len(a.types) != len(b.types) ||
		len(a.labels) != len(b.labels) {
		return false
	}
	for i := range a.fields {
		if a.fields[i].name != b.fields[i].name || !typesEqual(a.fields[i].t, b.fields[i].t) {
			return false
		}
	}
	for i := range a.types {
		if !typesEqual(a.types[i], b.types[i]) {
			return false
		}
	}
	for i := range a.labels {
		if a.labels[i] != b.labels[i] {
			return false
		}
	}
	return typesEqual(a.elem, b.elem) && typesEqual(a.val, b.val) && typesEqual(a.ok, b.ok) && typesEqual(a.err, b.err)
}
