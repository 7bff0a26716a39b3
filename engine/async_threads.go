package engine

import (
	"context"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/component/wasm"
)

// Explicit threads (CanonicalABI.md, 🧵 thread.* built-ins). A component
// that uses them runs every task on a goroutine thread, synchronous ones
// too, so that any thread can be suspended and switched to; the caller of
// a synchronous task then runs canon_lift's loop (syncLoop).

// suspended: not running, not waiting, not ended (thread.resume-later and
// the *-then-resume built-ins want one).
func (th *thread) suspended() bool { return !th.running && th.ready == nil && !th.ended }

// switchTo suspends th and resumes other in its place (Thread.switch_to):
// whoever resumed th goes on to run other.
func (th *thread) switchTo(other *thread, cancellable bool) bool {
	th.next = other
	th.cancellable = cancellable
	c := th.block()
	th.cancellable = false
	return c
}

// syncLoop is the end of canon_lift for a non-async type: until the task
// returned, run other ready threads of its instance; with none, it would
// block, which a non-async call may not.
func (st *store) syncLoop(tk *task) error {
	inst := tk.inst
	for tk.state != taskResolved && st.failed == nil {
		cand := st.readyIn(inst)
		if cand == nil {
			if st.hostOps.Load() > 0 {
				_ = st.waitInbox(context.Background())
				st.applyInbox()
				continue
			}
			return trap("cannot block a synchronous task before returning (nothing else in its component instance can run)")
		}
		st.resume(cand, false)
	}
	return st.failed
}

func (st *store) threadAt(inst *compInstance, i uint32) *thread {
	x, err := inst.threads.get(i)
	must(err)
	th, ok := x.obj.(*thread)
	if !ok || th.ended {
		panic(trap("unknown thread index %d", i))
	}
	return th
}

func (tk *task) registerThread(th *thread) {
	tk.nthreads++
	if th != tk.implicit {
		tk.others = append(tk.others, th)
	}
	i, err := tk.inst.threads.addObj(th)
	must(err)
	th.index = i
}

func (tk *task) unregisterThread(th *thread) error {
	tk.nthreads--
	for i, o := range tk.others {
		if o == th {
			tk.others = append(tk.others[:i], tk.others[i+1:]...)
			break
		}
	}
	_, _ = tk.inst.threads.remove(th.index)
	if tk.nthreads == 0 && tk.state != taskResolved {
		return trap("the task ended without calling task.return")
	}
	return nil
}

func (t *Instance) threadBuiltin(ctx context.Context, s *scope, c *component.Canon) (coreExt, error) {
	inst, st := s.inst, t.st
	cancellable := c.Flag
	cur := func() *thread {
		mustLeave(inst)
		th := st.cur
		if th == nil || th.inline {
			panic(trap("thread built-ins need a thread (none runs here)"))
		}
		return th
	}
	switch c.Op {
	case component.CanonThreadIndex:
		return t.hostFunc(ctx, func(_ context.Context, _ api.Module, stack []uint64) {
			stack[0] = uint64(cur().index)
		}, nil, i32)
	case component.CanonThreadNewIndirect:
		call, err := t.indirectCaller(ctx, s, c.Table)
		if err != nil {
			return coreExt{}, err
		}
		return t.hostFunc(ctx, func(ctx context.Context, _ api.Module, stack []uint64) {
			parent := cur()
			tk := parent.task
			fi, arg := stack[0], stack[1]
			th := st.newThread(tk, nil)
			th.fn = func() { // a function of its own: other threads may be suspended in one
				err := call.ExportedFunction("call").CallWithStack(ctx, []uint64{fi, arg})
				if err == nil {
					err = tk.unregisterThread(th)
				}
				if err != nil && !th.aborted {
					st.fail(trapOrErr(err))
				}
			}
			tk.registerThread(th)
			stack[0] = uint64(th.index)
		}, i32x2, i32)
	case component.CanonThreadResumeLater:
		return t.hostFunc(ctx, func(_ context.Context, _ api.Module, stack []uint64) {
			cur()
			other := st.threadAt(inst, uint32(stack[0]))
			if !other.suspended() {
				panic(trap("thread %d is not suspended", stack[0]))
			}
			other.startWaiting(func() bool { return true })
		}, i32, nil)
	case component.CanonThreadSuspend:
		return t.hostFunc(ctx, func(_ context.Context, _ api.Module, stack []uint64) {
			th := cur()
			st.mustMayBlock(inst)
			if th.task.deliverPendingCancel(cancellable) {
				stack[0] = 1
				return
			}
			th.cancellable = cancellable
			stack[0] = b2i(th.block())
			th.cancellable = false
		}, nil, i32)
	}
	yield := c.Op == component.CanonThreadYieldThenResume || c.Op == component.CanonThreadYieldThenPromote
	promote := c.Op == component.CanonThreadSuspendThenPromote || c.Op == component.CanonThreadYieldThenPromote
	return t.hostFunc(ctx, func(_ context.Context, _ api.Module, stack []uint64) {
		th := cur()
		other := st.threadAt(inst, uint32(stack[0]))
		if th.task.deliverPendingCancel(cancellable) {
			stack[0] = 1
			return
		}
		if promote {
			if !other.isReady() { // fall back to a plain suspend or yield
				if yield {
					stack[0] = b2i(th.waitUntil(func() bool { return true }, cancellable, true))
					return
				}
				th.cancellable = cancellable
				stack[0] = b2i(th.block())
				th.cancellable = false
				return
			}
			other.stopWaiting()
		}
		if !other.suspended() {
			panic(trap("thread %d is not suspended", stack[0]))
		}
		if yield {
			th.startWaiting(func() bool { return true })
		}
		stack[0] = b2i(th.switchTo(other, cancellable))
	}, i32, i32)
}

// indirectCaller returns a function (fi, c) that calls entry fi of the
// core table with (func (param i32)): a small module that imports it.
func (t *Instance) indirectCaller(ctx context.Context, s *scope, table uint32) (api.Module, error) {
	x, err := at(s.coreTables, table, component.SortCoreTable)
	if err != nil {
		return nil, err
	}
	if x.mod == nil {
		return nil, unsupported("thread.new-indirect on a table not exported by a core module")
	}
	b := wasm.NewBuilder()
	tt := x.table
	b.ImportTable("t", x.name, tt)
	ft := b.FuncType([]wasm.ValType{wasm.V(wasm.I32)}, nil)
	call := b.FuncType([]wasm.ValType{wasm.V(wasm.I32), wasm.V(wasm.I32)}, nil)
	f := b.Func(call, nil, []byte{0x20, 1, 0x20, 0, 0x11, byte(ft), 0})
	b.Export("call", wasm.ExternFunc, f)
	m, err := b.Build()
	if err != nil {
		return nil, errorf("thread glue: %v", err)
	}
	cm, err := t.engine.glueModule(ctx, m)
	if err != nil {
		return nil, err
	}
	rctx := experimental.WithImportResolver(ctx, func(string) api.Module { return x.mod })
	mod, err := t.engine.rt.InstantiateModule(rctx, cm, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	if err != nil {
		return nil, errorf("thread glue: %v", err)
	}
	t.modules = append(t.modules, mod)
	return mod, nil
}
