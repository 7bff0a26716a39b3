package engine

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// The component model's concurrency (CanonicalABI.md, Concurrency and
// Embedding) on wazero, which cannot suspend a wasm stack: every thread
// of an async-typed task runs on a goroutine of its own, and a baton
// makes sure exactly one goroutine runs guest code at a time. resume
// hands the baton to a thread and waits until it blocks or ends; block
// hands it back to whoever resumed the thread. This is the Python
// reference's cont_new/resume/block, with channels for its locks.
// Threads of non-async tasks run inline on their caller's goroutine: they
// cannot block, so when they wait they run other ready threads of their
// instance themselves (canon_lift's loop for non-async types) and trap if
// there are none.

// store is the spec's Store for one root Instance: the waiting threads,
// the running one and the host's mailbox.
type store struct {
	t       *Instance
	cur     *thread
	waiting []*thread
	live    map[*thread]struct{} // goroutine threads started and not ended
	workers []*worker            // idle goroutines, kept for the next thread
	failed  error                // the first trap: the store is unusable

	// Host goroutines (async host functions, host stream ends) post work
	// that must run holding the baton; hostOps counts those that may
	// still post, so that waiting for them is not mistaken for deadlock.
	mu      sync.Mutex
	inbox   []func()
	posted  chan struct{} // closed (and replaced) when work is posted
	hostOps atomic.Int64

	// baton is held by whoever drives the store: a host call into an
	// export, or a host stream operation that finds the store idle.
	baton     sync.Mutex
	idle      chan struct{} // closed (and replaced) when the baton is released
	dead      chan struct{} // closed on the first trap
	hostDepth int           // host functions running inline
	threads   bool          // explicit threads: every task on a goroutine
}

func newStore(t *Instance) *store {
	return &store{t: t, live: map[*thread]struct{}{}, posted: make(chan struct{}),
		idle: make(chan struct{}), dead: make(chan struct{})}
}

// acquire takes the baton.
func (st *store) acquire() { st.baton.Lock() }

func (st *store) tryAcquire() bool { return st.baton.TryLock() }

// release gives up the baton and wakes host goroutines waiting for it.
func (st *store) release() {
	st.mu.Lock()
	close(st.idle)
	st.idle = make(chan struct{})
	st.mu.Unlock()
	st.baton.Unlock()
}

func (st *store) idleCh() <-chan struct{} {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.idle
}

// thread is the spec's Thread.
type thread struct {
	st      *store
	task    *task
	fn      func()
	inline  bool
	started bool
	ended   bool
	running bool
	aborted bool
	wake    chan bool
	park    chan struct{}
	ready   func() bool // non-nil while waiting
	next    *thread     // set by switchTo: the thread to run in its place
	index   uint32      // in its instance's threads table (explicit threads)
	// cancellable: the thread is blocked where it accepts cancellation.
	cancellable bool
	storage     [2]uint32
}

var errAborted = errors.New("engine: thread aborted")

func (st *store) newThread(tk *task, fn func()) *thread {
	return &thread{st: st, task: tk, fn: fn, wake: make(chan bool), park: make(chan struct{})}
}

func (th *thread) waitingNow() bool { return th.ready != nil }

func (th *thread) isReady() bool { return th.ready != nil && th.ready() }

func (th *thread) startWaiting(ready func() bool) {
	th.ready = ready
	th.st.waiting = append(th.st.waiting, th)
}

func (th *thread) stopWaiting() {
	th.ready = nil
	w := th.st.waiting
	for i, x := range w {
		if x == th {
			th.st.waiting = append(w[:i], w[i+1:]...)
			break
		}
	}
}

// resume runs th (on its goroutine) until it blocks or ends. A trap in it
// is left in st.failed for the caller to raise.
func (st *store) resume(th *thread, cancelled bool) {
	prev := st.cur
	for th != nil { // Thread.resume's loop: a switch_to runs the other thread here
		if th.waitingNow() {
			th.stopWaiting()
		}
		st.cur = th
		th.running = true
		if !th.started {
			th.started = true
			st.live[th] = struct{}{}
			st.startThread(th)
		}
		th.wake <- cancelled
		<-th.park
		next := th.next
		th.next = nil
		th, cancelled = next, false
	}
	st.cur = prev
}

// readyIn returns a ready thread of inst that may run now (not one that
// holds the exclusive lock), or nil.
func (st *store) readyIn(inst *compInstance) *thread {
	for _, w := range st.waiting {
		if w.task.inst == inst && w != inst.exclusive && w.isReady() {
			return w
		}
	}
	return nil
}

// worker is a goroutine that runs threads one after the other: a new
// goroutine's stack would grow again for every wasm call.
type worker struct{ next chan *thread }

func (st *store) startThread(th *thread) {
	if n := len(st.workers); n > 0 {
		w := st.workers[n-1]
		st.workers = st.workers[:n-1]
		w.next <- th
		return
	}
	w := &worker{next: make(chan *thread)}
	go func() {
		for th := range w.next {
			th.main(w)
		}
	}()
	w.next <- th
}

func (th *thread) main(w *worker) {
	<-th.wake
	defer func() {
		r := recover()
		th.running = false
		th.ended = true
		delete(th.st.live, th)
		if r != nil && !th.aborted {
			th.st.fail(errorf("engine bug in a guest thread: %v", r))
		}
		th.st.workers = append(th.st.workers, w) // (the resumer waits on park)
		th.park <- struct{}{}
	}()
	if th.aborted {
		return
	}
	th.fn()
}

// block gives the baton back to whoever resumed th and waits to be
// resumed; the result says whether it was resumed to be cancelled.
func (th *thread) block() bool {
	th.running = false
	th.park <- struct{}{}
	c := <-th.wake
	if th.aborted {
		panic(errAborted)
	}
	th.running = true
	return c
}

// fail records the store's first trap.
func (st *store) fail(err error) {
	if st.failed == nil {
		st.failed = trapOrErr(err)
		close(st.dead)
	}
}

// close ends the store for good (Instance.Close): host goroutines
// waiting on it get an error, suspended threads unwind.
func (st *store) close() {
	st.acquire()
	st.fail(errorf("the instance was closed"))
	st.abortAll()
	for _, w := range st.workers {
		close(w.next)
	}
	st.workers = nil
	st.release()
}

// abortAll ends every suspended goroutine thread (after a trap, or when
// the instance closes): each unwinds its wasm stack and exits.
func (st *store) abortAll() {
	for len(st.live) > 0 {
		for th := range st.live {
			th.aborted = true
			if th.waitingNow() {
				th.stopWaiting()
			}
			if th.running { // cannot happen with the baton held; be safe
				delete(st.live, th)
				continue
			}
			th.wake <- false
			<-th.park
			delete(st.live, th)
		}
	}
	st.waiting = nil
}

// waitUntil is Thread.wait_until; yield forces a turn even when ready
// already holds (thread.yield and the YIELD callback code).
func (th *thread) waitUntil(ready func() bool, cancellable, yield bool) bool {
	if th.task != nil && th.task.deliverPendingCancel(cancellable) {
		return true
	}
	if th.inline {
		th.st.runInlineUntil(th, ready, yield)
		return false
	}
	if !yield && ready() {
		return false
	}
	if inst := th.task.inst; inst.exclusive == th && th.task.state == taskResolved {
		// A task that already returned its value and blocks inside a
		// built-in lets other tasks of its instance start meanwhile (as
		// the reference tests expect, sync-streams.wast); it takes the
		// instance back before it continues.
		inst.exclusive = nil
		defer func() { inst.exclusive = th }()
		inner := ready
		ready = func() bool { return inst.exclusive == nil && inner() }
	}
	th.startWaiting(ready)
	th.cancellable = cancellable
	c := th.block()
	th.cancellable = false
	return c
}

// runInlineUntil is canon_lift's loop for a non-async task whose thread
// waits: other ready threads of the same instance run until ready holds;
// with none, the call would block, which a non-async call may not.
func (st *store) runInlineUntil(th *thread, ready func() bool, yield bool) {
	inst := th.task.inst
	for yield || !ready() {
		cand := st.readyIn(inst)
		if cand == nil {
			if yield {
				return
			}
			if st.hostOps.Load() > 0 {
				_ = st.waitInbox(context.Background())
				st.applyInbox()
				if st.failed != nil {
					panic(st.failed)
				}
				continue
			}
			panic(trap("cannot block a synchronous task before returning (deadlock: nothing else in its component instance can run)"))
		}
		yield = false
		st.resume(cand, false)
		if st.failed != nil {
			panic(st.failed)
		}
	}
}

// post queues work from a host goroutine to run holding the baton.
func (st *store) post(f func()) {
	st.mu.Lock()
	st.inbox = append(st.inbox, f)
	close(st.posted)
	st.posted = make(chan struct{})
	st.mu.Unlock()
}

// applyInbox runs posted work; it reports whether there was any.
func (st *store) applyInbox() bool {
	st.mu.Lock()
	q := st.inbox
	st.inbox = nil
	st.mu.Unlock()
	for _, f := range q {
		f()
	}
	return len(q) > 0
}

// waitInbox waits until a host goroutine posts (or ctx ends).
func (st *store) waitInbox(ctx context.Context) error {
	st.mu.Lock()
	n, posted := len(st.inbox), st.posted
	st.mu.Unlock()
	if n > 0 {
		return nil
	}
	select {
	case <-posted:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-st.dead:
		return st.failed
	}
}

// tick is Store.tick: resume one ready thread whose instance may be
// entered. It reports whether anything ran.
func (st *store) tick() bool {
	st.applyInbox()
	for _, th := range st.waiting {
		inst := th.task.inst
		if !th.isReady() || inst.isEntered() {
			continue
		}
		inst.setEntered(true)
		st.resume(th, false)
		inst.setEntered(false)
		return true
	}
	return false
}

// runUntil drives the store from the host until done holds: the event
// loop of a host call into an async export. own is how many of the host
// operations that may still post are the caller's own (a host stream op
// driving the store waits on the guest, not on itself).
func (st *store) runUntil(ctx context.Context, done func() bool, own int64) error {
	for !done() {
		if st.failed != nil {
			return st.failed
		}
		if err := ctx.Err(); err != nil { // a guest that yields for ever
			return err
		}
		if st.tick() {
			continue
		}
		if st.failed != nil {
			return st.failed
		}
		if done() {
			break
		}
		if st.hostOps.Load() <= own {
			return trap("deadlock detected: event loop cannot make further progress (every task is blocked and nothing can wake one)")
		}
		if err := st.waitInbox(ctx); err != nil {
			return err
		}
	}
	return st.failed
}

// runReady applies posted work and runs ready threads until none is
// left (a host goroutine driving an idle store).
// It reports whether work may remain (it gives up after one turn each,
// so that a task that yields for ever cannot keep the caller).
func (st *store) runReady(done func() bool) (more bool, err error) {
	st.applyInbox()
	for n := len(st.waiting) + 1; n > 0; n-- {
		if st.failed != nil || done() {
			return false, st.failed
		}
		if !st.tick() {
			return false, st.failed
		}
	}
	return true, st.failed
}

// drain gives each thread that is ready one turn (work a task does after
// it returned its value); a task that yields for ever does not keep it.
func (st *store) drain() error {
	for n := len(st.waiting); n > 0 && st.failed == nil && st.tick(); n-- {
	}
	return st.failed
}
