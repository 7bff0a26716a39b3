package engine

import (
	"context"

	"github.com/witgo/witgo/canonabi"
)

// Tasks and subtasks (CanonicalABI.md, Tasks and Subtask State).

type taskState uint8

const (
	taskInitial taskState = iota
	taskStarted
	taskPendingCancel
	taskCancelDelivered
	taskResolved
)

// onStartFn gives the callee its arguments; onResolveFn takes its result
// (cancelled: task.cancel instead of a value).
type (
	onStartFn   func() ([]canonabi.Value, error)
	onResolveFn func(v canonabi.Value, has, cancelled bool) error
	onCancelFn  func(caller *compInstance) error
)

// task is one call of a lifted function.
type task struct {
	st        *store
	f         *compFunc
	inst      *compInstance
	onStart   onStartFn
	onResolve onResolveFn
	state     taskState
	sc        callScope // borrows lent to the callee (num_borrows)
	implicit  *thread
	nthreads  int
	others    []*thread // explicit threads (thread.new-indirect)
}

func (tk *task) needsExclusive() bool {
	return tk.f.typ.async && (!tk.f.opts.async || tk.f.opts.callback != nil)
}

// enterImplicitThread waits out backpressure (async types only); false
// means the task was cancelled before it started.
func (tk *task) enterImplicitThread(th *thread) bool {
	tk.implicit = th
	inst := tk.inst
	if tk.f.typ.async {
		hasBackpressure := func() bool {
			return inst.backpressure > 0 || tk.needsExclusive() && inst.exclusive != nil
		}
		if hasBackpressure() || inst.numWaitingToEnter > 0 {
			inst.numWaitingToEnter++
			cancelled := th.waitUntil(func() bool { return !hasBackpressure() }, true, true)
			inst.numWaitingToEnter--
			if cancelled {
				if err := tk.cancel(); err != nil {
					panic(err)
				}
				return false
			}
		}
		if tk.needsExclusive() {
			inst.exclusive = th
		}
	}
	if tk.st.threads {
		tk.registerThread(th)
	} else {
		tk.nthreads++
	}
	return true
}

func (tk *task) exitImplicitThread() error {
	if tk.f.typ.async && tk.needsExclusive() && tk.inst.exclusive == tk.implicit {
		tk.inst.exclusive = nil
	}
	if tk.st.threads {
		return tk.unregisterThread(tk.implicit)
	}
	tk.nthreads--
	if tk.nthreads == 0 && tk.state != taskResolved {
		return trap("the task ended without calling task.return")
	}
	return nil
}

func (tk *task) deliverPendingCancel(cancellable bool) bool {
	if cancellable && tk.state == taskPendingCancel {
		tk.state = taskCancelDelivered
		return true
	}
	return false
}

func (tk *task) start() ([]canonabi.Value, error) {
	tk.state = taskStarted
	return tk.onStart()
}

// returnValue is Task.return_.
func (tk *task) returnValue(v canonabi.Value, has bool) error {
	if tk.state == taskResolved {
		return trap("task.return called after the task already returned or was cancelled")
	}
	if tk.sc.borrows > 0 {
		return trap("borrow handles still remain at the end of the call")
	}
	if err := tk.onResolve(v, has, false); err != nil {
		return err
	}
	tk.state = taskResolved
	return nil
}

// cancel is Task.cancel (task.cancel, or cancellation before start).
func (tk *task) cancel() error {
	if tk.state != taskCancelDelivered {
		return trap("task.cancel called without a delivered cancellation request")
	}
	if tk.sc.borrows > 0 {
		return trap("borrow handles still remain at the end of the call")
	}
	if err := tk.onResolve(canonabi.Value{}, false, true); err != nil {
		return err
	}
	tk.state = taskResolved
	return nil
}

// requestCancellation is Task.request_cancellation, the task's OnCancel.
func (tk *task) requestCancellation(caller *compInstance) error {
	st := tk.st
	if tk.state == taskInitial {
		tk.state = taskCancelDelivered
		st.resume(tk.implicit, true)
		return st.failed
	}
	// A thread of the task blocked where it accepts cancellation (the
	// implicit one only if it may use the instance now).
	var th *thread
	for _, c := range append([]*thread{tk.implicit}, tk.others...) {
		if c == nil || c.ended || c.running || !c.cancellable {
			continue
		}
		if c == tk.implicit && tk.needsExclusive() && tk.inst.exclusive != nil && tk.inst.exclusive != c {
			continue
		}
		th = c
		break
	}
	enter := caller != tk.inst
	if th != nil && (!enter || !tk.inst.isEntered()) {
		tk.state = taskCancelDelivered
		if enter {
			tk.inst.setEntered(true)
		}
		st.resume(th, true)
		if enter {
			tk.inst.setEntered(false)
		}
		return st.failed
	}
	tk.state = taskPendingCancel
	return nil
}

// Subtask states.
const (
	subtaskStarting                = 0
	subtaskStarted                 = 1
	subtaskReturned                = 2
	subtaskCancelledBeforeStarted  = 3
	subtaskCancelledBeforeReturned = 4
)

// subtask is the caller's side of a call (canon lower).
type subtask struct {
	waitable
	state           uint32
	onCancel        onCancelFn
	sc              callScope // the caller's lent handles
	delivered       bool      // resolve delivered: lends returned
	cancelRequested bool
	flat            []uint64
}

func (s *subtask) resolved() bool { return s.state >= subtaskReturned }

func (s *subtask) deliverResolve(t *Instance) error {
	s.delivered = true
	return s.sc.end(t)
}

// invoke calls the component function g (the spec's FuncInst) for caller
// (nil: the host). It returns once g returned or blocked.
func (t *Instance) invoke(ctx context.Context, g *compFunc, onStart onStartFn, onResolve onResolveFn, caller *compInstance) (onCancelFn, error) {
	if g.host != nil {
		// An async host function runs on a goroutine of its own when its
		// caller may wait for it; for a task that may not block it runs
		// inline and resolves before returning (the host's choice).
		deferred := g.typ.async && t.st.mayBlock(t.st.cur)
		return t.invokeHost(ctx, g, onStart, onResolve, deferred)
	}
	st := t.st
	ci := g.inst
	enter := caller != ci
	if enter {
		if ci.isEntered() {
			return nil, trap("cannot enter component instance: it is already running (reentrance)")
		}
		ci.setEntered(true)
		defer ci.setEntered(false)
	}
	tk := &task{st: st, f: g, inst: ci, onStart: onStart, onResolve: onResolve}
	th := st.newThread(tk, nil)
	if !g.typ.async && !st.threads {
		th.inline = true
		prev := st.cur
		st.cur = th
		err := t.runTask(ctx, tk, th)
		st.cur = prev
		return tk.requestCancellation, err
	}
	th.fn = func() {
		if err := t.runTask(ctx, tk, th); err != nil && !th.aborted {
			st.fail(err)
		}
	}
	st.resume(th, false)
	if !g.typ.async && st.failed == nil {
		return tk.requestCancellation, st.syncLoop(tk)
	}
	return tk.requestCancellation, st.failed
}

// invokeHost calls a Go host function: synchronously, or (deferred: an
// async function whose caller can wait) on a goroutine whose result is
// delivered later (hostasync.go).
func (t *Instance) invokeHost(ctx context.Context, g *compFunc, onStart onStartFn, onResolve onResolveFn, deferred bool) (onCancelFn, error) {
	args, err := onStart()
	if err != nil {
		return nil, err
	}
	hctx := context.WithValue(ctx, callerKey{}, t)
	if deferred {
		return t.startAsyncHost(hctx, g, args, onResolve), nil
	}
	t.st.hostDepth++
	v, err := g.host(context.WithValue(hctx, inlineKey{}, t.st), args)
	t.st.hostDepth--
	if err != nil {
		return nil, trapOrErr(err)
	}
	return nil, onResolve(v, g.typ.result != nil, false)
}

// inlineKey marks the context of a host function run inline by the
// store's goroutine: stream operations there would wait for themselves.
type inlineKey struct{}

// curThread is the running thread, or for code that runs outside any
// task (a core start function) a stand-in that cannot block.
func (st *store) curThread(inst *compInstance) *thread {
	if st.cur != nil {
		return st.cur
	}
	th := st.newThread(&task{st: st, inst: inst, f: &compFunc{typ: &funcType{}}}, nil)
	th.inline = true
	return th
}
