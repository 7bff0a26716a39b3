package engine

// Waitables, waitable sets and events (CanonicalABI.md, Waitable State).

// Event codes.
const (
	eventNone          = 0
	eventSubtask       = 1
	eventStreamRead    = 2
	eventStreamWrite   = 3
	eventFutureRead    = 4
	eventFutureWrite   = 5
	eventTaskCancelled = 6
)

// blocked is BLOCKED, the result of an async operation that did not
// complete at once.
const blocked = 0xffff_ffff

type event struct{ code, p1, p2 uint32 }

// waitable is the state every waitable (subtask, stream or future end)
// shares: at most one pending event, computed when delivered.
type waitable struct {
	pending    func() event
	wset       *waitableSet
	syncWaiter bool
}

func (w *waitable) base() *waitable { return w }

type waitableObj interface{ base() *waitable }

func (w *waitable) setPending(f func() event) { w.pending = f }

func (w *waitable) hasPending() bool { return w.pending != nil }

func (w *waitable) takePending() event {
	f := w.pending
	w.pending = nil
	return f()
}

// waitPending is wait_for_pending_event: a synchronous wait on this
// waitable alone.
func (w *waitable) waitPending(th *thread) {
	w.syncWaiter = true
	th.waitUntil(w.hasPending, false, false)
	w.syncWaiter = false
}

func (w *waitable) join(ws *waitableSet) {
	if w.wset != nil {
		el := w.wset.elems
		for i, x := range el {
			if x == w {
				w.wset.elems = append(el[:i], el[i+1:]...)
				break
			}
		}
	}
	w.wset = ws
	if ws != nil {
		ws.elems = append(ws.elems, w)
	}
}

func (w *waitable) drop() { w.join(nil) }

// waitableSet is the spec's WaitableSet.
type waitableSet struct {
	elems      []*waitable
	numWaiting int
}

func (ws *waitableSet) hasPending() bool {
	for _, w := range ws.elems {
		if w.hasPending() {
			return true
		}
	}
	return false
}

// takePending delivers one pending event; the first in join order (the
// spec leaves the choice to the embedder).
func (ws *waitableSet) takePending() event {
	for _, w := range ws.elems {
		if w.hasPending() {
			return w.takePending()
		}
	}
	return event{}
}

func (ws *waitableSet) waitForEventAnd(th *thread, ready func() bool, cancellable bool) event {
	ws.numWaiting++
	defer func() { ws.numWaiting-- }()
	if th.waitUntil(func() bool { return ready() && ws.hasPending() }, cancellable, false) {
		return event{code: eventTaskCancelled}
	}
	return ws.takePending()
}

func (ws *waitableSet) poll(th *thread, cancellable bool) event {
	if th.task != nil && th.task.deliverPendingCancel(cancellable) {
		return event{code: eventTaskCancelled}
	}
	if !ws.hasPending() {
		return event{code: eventNone}
	}
	return ws.takePending()
}
