package gogen

// supportAsyncSource is the async runtime of the support package, added
// only to worlds that use async functions, streams, futures or
// error-context (a sync world's module imports none of its intrinsics).
// The intrinsics are function variables: cabi_async_wasip1.go sets them
// to the //go:wasmimport functions, tests on other platforms to fakes.
const supportAsyncSource = `package cabi

import "runtime"

// The async runtime (Concurrency.md, CanonicalABI.md "canon lift" with
// async and callback). Go on wasm has one thread and no preemption: a
// goroutine runs until it blocks or yields. An async export's entry starts
// the user's function in a goroutine and then drives: it yields
// (runtime.Gosched) until the goroutines stop making progress through the
// bindings. A goroutine that needs an event from the host (a subtask that
// has not returned, a stream copy that blocked) joins the waitable to the
// runtime's waitable set and parks on a channel; the export's callback
// hands the event to that goroutine and drives again. Without a driver (a
// sync export or init calling an async import) the goroutine waits in
// waitable-set.wait on a set of its own, blocking the component.

// Event, callback, subtask and copy codes (CanonicalABI.md).
const (
	eventNone          = 0
	eventSubtask       = 1
	eventStreamRead    = 2
	eventStreamWrite   = 3
	eventFutureRead    = 4
	eventTaskCancelled = 6

	callbackExit  = 0
	callbackYield = 1
	callbackWait  = 2

	subtaskReturned = 2

	copyCompleted = 0
	copyDropped   = 1

	blocked = 0xffffffff
)

// The intrinsics the runtime calls (set per platform).
var (
	waitableSetNew  func() uint32
	waitableSetWait func(set uint32) (code, waitable, payload uint32)
	waitableSetPoll func(set uint32) (code, waitable, payload uint32)
	waitableSetDrop func(set uint32)
	waitableJoin    func(waitable, set uint32)
	subtaskDrop     func(subtask uint32)
	contextGet      func() uint32
	contextSet      func(v uint32)
)

// Event is what the host reports about a waitable: its code, the
// waitable's handle and the payload (a subtask's state, a copy's result).
type Event struct {
	Code, Waitable, Payload uint32
}

// task is one call of an async export.
type task struct {
	id       uint32
	finished bool   // the user's function has returned
	ret      func() // calls task.return with its result
	returned bool   // ret has run
}

var (
	tasks    = map[uint32]*task{}
	lastTask uint32
	// driving is set while a driver runs goroutines: a goroutine that
	// waits then parks instead of blocking the component.
	driving bool
	// activity counts what goroutines do through the bindings; the driver
	// stops when a round of yields changed nothing.
	activity uint64
	waitSet  uint32
	parked   = map[uint32]chan Event{}
	early    = map[uint32]Event{} // events that came before their waiter
)

// StartTask is the body of an [async-lift] entry: run is the user's
// function, run in a goroutine; it returns the function that hands its
// result to task.return. StartTask returns the callback code.
func StartTask(run func() func()) uint32 {
	lastTask++
	if lastTask == 0 {
		lastTask = 1
	}
	t := &task{id: lastTask}
	tasks[t.id] = t
	contextSet(t.id)
	go func() {
		t.ret = run()
		t.finished = true
		activity++
	}()
	return drive(t)
}

// Callback is the body of every [callback][async-lift] export: it hands
// the event to the goroutine waiting for it and drives the current task.
func Callback(code, waitable, payload uint32) uint32 {
	t := tasks[contextGet()]
	if t == nil {
		panic("witgo: async callback for an unknown task")
	}
	deliver(Event{code, waitable, payload})
	return drive(t)
}

// drive runs goroutines until they settle and says what the task does
// next. Once the user's function has returned, its result goes to
// task.return; the task still runs (waits, yields) while goroutines are
// parked on waitables, so that work it started (writing a stream it
// returned, say) goes on, and exits when none is left. Before that it
// waits for an event when goroutines are parked, or yields.
func drive(t *task) uint32 {
	for {
		settle()
		if t.finished && !t.returned {
			t.returned = true
			t.ret()
		}
		if t.returned && len(parked) == 0 {
			delete(tasks, t.id)
			return callbackExit
		}
		if len(parked) == 0 {
			// Blocked on something else (a timer, another task's work):
			// come back soon.
			return callbackYield
		}
		if len(tasks) == 1 {
			return callbackWait | waitSet<<4
		}
		// Several tasks share the set, and a task's goroutine may be
		// unblocked by another task's work: poll instead of sleeping.
		code, w, p := waitableSetPoll(waitSet)
		if code == eventNone {
			return callbackYield
		}
		deliver(Event{code, w, p})
	}
}

// settle yields until two rounds in a row saw no activity.
func settle() {
	driving = true
	for idle := 0; idle < 2; {
		before := activity
		runtime.Gosched()
		if activity == before {
			idle++
		} else {
			idle = 0
		}
	}
	driving = false
}

func deliver(e Event) {
	if e.Code == eventNone || e.Code == eventTaskCancelled {
		return // cancellation is not delivered: the task runs to its end
	}
	activity++
	if ch, ok := parked[e.Waitable]; ok {
		delete(parked, e.Waitable)
		ch <- e
		return
	}
	early[e.Waitable] = e
}

// Wait blocks the calling goroutine until waitable w has an event.
func Wait(w uint32) Event {
	activity++
	if e, ok := early[w]; ok {
		delete(early, w)
		return e
	}
	if !driving {
		return waitAlone(w)
	}
	if waitSet == 0 {
		waitSet = waitableSetNew()
	}
	waitableJoin(w, waitSet)
	ch := make(chan Event, 1)
	parked[w] = ch
	return <-ch
}

// waitAlone waits in waitable-set.wait on a set that holds only w, so no
// other goroutine's event is taken.
func waitAlone(w uint32) Event {
	set := waitableSetNew()
	waitableJoin(w, set)
	code, waitable, payload := waitableSetWait(set)
	waitableJoin(w, 0)
	waitableSetDrop(set)
	return Event{code, waitable, payload}
}

// AwaitSubtask waits until the call of an [async-lower] import that
// returned status has returned, then drops its subtask.
func AwaitSubtask(status uint32) {
	state, subtask := status&0xf, status>>4
	if state == subtaskReturned {
		return
	}
	for state != subtaskReturned {
		e := Wait(subtask)
		if e.Code != eventSubtask {
			panic("witgo: unexpected event for a subtask")
		}
		state = e.Payload
	}
	subtaskDrop(subtask)
}
`
