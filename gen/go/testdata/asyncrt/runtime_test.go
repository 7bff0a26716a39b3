package cabi

import (
	"errors"
	"io"
	"slices"
	"sync"
	"testing"
	"unsafe"
)

// A task whose function returns without waiting exits at once, after
// task.return (the closure) ran exactly once, in the task's own turn.
func TestTaskExitsAtOnce(t *testing.T) {
	h := newFakeHost(t)
	returned := 0
	code := StartTask(func() func() { return func() { returned++ } })
	if code != callbackExit || returned != 1 {
		t.Fatalf("code %d, task.return called %d times; want EXIT (0) and 1", code, returned)
	}
	if h.context != 1 || len(tasks) != 0 {
		t.Fatalf("context %d, %d tasks left; want 1 and 0", h.context, len(tasks))
	}
}

// A subtask that has not returned parks the goroutine: the task waits on
// the runtime's set (WAIT | set<<4) with the subtask joined to it; STARTED
// keeps it parked; RETURNED resumes it, the subtask is dropped and the
// task exits.
func TestSubtaskParksUntilReturned(t *testing.T) {
	h := newFakeHost(t)
	var steps []string
	code := StartTask(func() func() {
		steps = append(steps, "call")
		AwaitSubtask(0 | 7<<4) // STARTING, subtask 7
		steps = append(steps, "returned")
		return func() { steps = append(steps, "task.return") }
	})
	if code&0xf != callbackWait || code>>4 != waitSet || waitSet == 0 {
		t.Fatalf("code %#x, waitable set %d: want WAIT with the runtime's set", code, waitSet)
	}
	if h.member[7] != waitSet {
		t.Fatalf("subtask 7 is in set %d, want %d", h.member[7], waitSet)
	}
	if code := Callback(eventSubtask, 7, 1); code != callbackWait|waitSet<<4 {
		t.Fatalf("after STARTED: code %#x, want WAIT again", code)
	}
	if code := Callback(eventSubtask, 7, subtaskReturned); code != callbackExit {
		t.Fatalf("after RETURNED: code %#x, want EXIT", code)
	}
	if want := []string{"call", "returned", "task.return"}; !slices.Equal(steps, want) {
		t.Fatalf("steps %v, want %v", steps, want)
	}
	if !slices.Equal(h.dropped, []uint32{7}) {
		t.Fatalf("dropped subtasks %v, want [7]", h.dropped)
	}
}

// A subtask that returned at once needs no waiting and no drop.
func TestSubtaskReturnedAtOnce(t *testing.T) {
	h := newFakeHost(t)
	code := StartTask(func() func() {
		AwaitSubtask(subtaskReturned)
		return func() {}
	})
	if code != callbackExit || len(h.dropped) != 0 || waitSet != 0 {
		t.Fatalf("code %d, dropped %v, set %d: want EXIT, none, none", code, h.dropped, waitSet)
	}
}

// Goroutines of one task call imports concurrently: each parks on its own
// subtask, events arrive in the opposite order, every goroutine gets its
// own event, and the task returns what they computed.
func TestConcurrentSubtasksGetTheirOwnEvents(t *testing.T) {
	h := newFakeHost(t)
	var got []uint32
	code := StartTask(func() func() {
		var wg sync.WaitGroup
		var mu sync.Mutex
		for _, st := range []uint32{11, 12, 13} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				AwaitSubtask(1 | st<<4)
				mu.Lock()
				got = append(got, st)
				mu.Unlock()
			}()
		}
		wg.Wait()
		return func() {}
	})
	for _, st := range []uint32{13, 11} {
		if code&0xf != callbackWait {
			t.Fatalf("code %#x before subtask %d returned, want WAIT", code, st)
		}
		code = Callback(eventSubtask, st, subtaskReturned)
	}
	if code&0xf != callbackWait || !slices.Equal(got, []uint32{13, 11}) {
		t.Fatalf("code %#x, resumed %v: want WAIT and [13 11]", code, got)
	}
	if code = Callback(eventSubtask, 12, subtaskReturned); code != callbackExit {
		t.Fatalf("code %#x after the last subtask, want EXIT", code)
	}
	if !slices.Equal(got, []uint32{13, 11, 12}) || len(h.dropped) != 3 {
		t.Fatalf("resumed %v, dropped %v", got, h.dropped)
	}
}

// With two tasks in flight the runtime does not sleep in WAIT (a task's
// goroutine may be unblocked by the other's work): it polls the set,
// delivers what it finds, and yields otherwise. The callback finds its
// task through the context slot.
func TestTwoTasksPollAndYield(t *testing.T) {
	h := newFakeHost(t)
	release := make(chan struct{})
	var order []string
	first := StartTask(func() func() {
		AwaitSubtask(1 | 21<<4)
		order = append(order, "first resumed")
		<-release // unblocked by the second task
		return func() { order = append(order, "first returns") }
	})
	if first&0xf != callbackWait {
		t.Fatalf("first task alone: code %#x, want WAIT", first)
	}
	second := StartTask(func() func() {
		AwaitSubtask(1 | 22<<4)
		close(release)
		return func() { order = append(order, "second returns") }
	})
	if second != callbackYield || h.polls != 1 {
		t.Fatalf("second task: code %#x after %d polls, want YIELD after 1", second, h.polls)
	}
	// The host has the first task's event; the second task's turn (a
	// NONE event after YIELD) polls it and resumes the first goroutine.
	h.pending = append(h.pending, Event{eventSubtask, 21, subtaskReturned})
	if code := Callback(eventNone, 0, 0); code != callbackYield {
		t.Fatalf("second task's turn: code %#x, want YIELD", code)
	}
	// The second task's subtask returns; its goroutine releases the first.
	if code := Callback(eventSubtask, 22, subtaskReturned); code != callbackExit {
		t.Fatalf("second task: code %#x, want EXIT", code)
	}
	h.context = 1 // the host now runs the first task's callback
	if code := Callback(eventNone, 0, 0); code != callbackExit {
		t.Fatalf("first task: code %#x, want EXIT", code)
	}
	want := []string{"first resumed", "second returns", "first returns"}
	if !slices.Equal(order, want) {
		t.Fatalf("order %v, want %v", order, want)
	}
}

// Without a driver (a sync export or init calling an async import) the
// goroutine blocks in waitable-set.wait on a set of its own, which it
// empties and drops afterwards; the runtime's shared set is not used.
func TestWaitWithoutDriverUsesOwnSet(t *testing.T) {
	h := newFakeHost(t)
	h.pending = []Event{{eventSubtask, 31, 1}, {eventSubtask, 31, subtaskReturned}}
	AwaitSubtask(0 | 31<<4)
	if h.waits != 2 || h.setDrops != 2 || waitSet != 0 || len(h.member) != 0 {
		t.Fatalf("%d waits, %d set drops, shared set %d, members %v: want 2, 2, 0, none", h.waits, h.setDrops, waitSet, h.member)
	}
	if !slices.Equal(h.dropped, []uint32{31}) {
		t.Fatalf("dropped %v, want [31]", h.dropped)
	}
}

// An event for an unknown task's callback is a bug in the host or the
// bindings: the runtime panics (a trap) instead of guessing.
func TestCallbackOfUnknownTaskPanics(t *testing.T) {
	newFakeHost(t)
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	Callback(eventNone, 0, 0)
}

// A stream<u8> reader is an io.Reader: a read that blocks parks until the
// STREAM_READ event, a partial read returns what came, and the writer's
// drop reads as io.EOF after the data.
func TestStreamReaderIsAnIOReader(t *testing.T) {
	h := newFakeHost(t)
	streams := map[uint32]*fakeStream{}
	ops := h.u8Ops(streams, 1<<20)
	r, _ := NewStream(ops)
	hd := r.handle
	var got []byte
	var readErr error
	code := StartTask(func() func() {
		got, readErr = io.ReadAll(io.Reader(r))
		return func() {}
	})
	if code&0xf != callbackWait || h.member[hd] != waitSet {
		t.Fatalf("blocked read: code %#x, stream in set %d", code, h.member[hd])
	}
	h.fill(streams, hd, []byte("hello, "))
	e := h.pending[0]
	h.pending = nil
	// By the time the goroutine reads again, "world" is there and the
	// writer is gone: it reads it at once and then sees the drop.
	streams[hd].data = []byte("world")
	streams[hd].dropped = true
	if code = Callback(e.Code, e.Waitable, e.Payload); code != callbackExit {
		t.Fatalf("code %#x, want EXIT", code)
	}
	if string(got) != "hello, world" || readErr != nil {
		t.Fatalf("read %q, %v", got, readErr)
	}
	if n, err := r.Read(make([]byte, 4)); n != 0 || err != io.EOF {
		t.Fatalf("read after EOF: %d, %v", n, err)
	}
}

// A write the reader takes in pieces is repeated until everything is
// written; a dropped reader ends it with io.EOF and the count; a closed
// writer reports ErrClosed.
func TestStreamWriterWritesEverything(t *testing.T) {
	h := newFakeHost(t)
	streams := map[uint32]*fakeStream{}
	_, w := NewStream(h.u8Ops(streams, 3))
	hd := w.handle
	if n, err := w.Write([]byte("abcdefgh")); n != 8 || err != nil {
		t.Fatalf("Write: %d, %v", n, err)
	}
	if string(streams[hd].data) != "abcdefgh" {
		t.Fatalf("the reader got %q", streams[hd].data)
	}
	streams[hd].dropped = true
	if n, err := w.Write([]byte("xy")); n != 0 || err != io.EOF {
		t.Fatalf("Write after the reader dropped: %d, %v; want 0, io.EOF", n, err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("z")); !errors.Is(err, ErrClosed) {
		t.Fatalf("Write after Close: %v, want ErrClosed", err)
	}
}

// A future of a non-plain payload: the value is lowered into a buffer the
// host reads, and a read lifts what the host wrote; both ends drop after
// their one copy.
func TestFutureOfRecord(t *testing.T) {
	type pair struct {
		A uint32
		B uint64
	}
	h := newFakeHost(t)
	var stored [16]byte
	var drops []string
	elem := &ElemOps[pair]{Size: 16,
		Lift: func(p unsafe.Pointer, out []pair) {
			for i := range out {
				e := Element(p, i, 16)
				out[i] = pair{U32(e, 0), U64(e, 8)}
			}
		},
		Lower: func(_ *Lowerer, in []pair, p unsafe.Pointer) {
			for i, v := range in {
				e := Element(p, i, 16)
				PutU32(e, 0, v.A)
				PutU64(e, 8, v.B)
			}
		}}
	ops := &FutureOps[pair]{Elem: elem,
		New: func() (uint32, uint32) { return 41, 42 },
		Read: func(hd uint32, p unsafe.Pointer) uint32 {
			copy(unsafe.Slice((*byte)(p), 16), stored[:])
			return copyCompleted
		},
		Write: func(hd uint32, p unsafe.Pointer) uint32 {
			copy(stored[:], unsafe.Slice((*byte)(p), 16))
			return copyCompleted
		},
		DropReadable: func(hd uint32) { drops = append(drops, "readable") },
		DropWritable: func(hd uint32) { drops = append(drops, "writable") },
	}
	r, w := NewFuture(ops)
	if err := w.Write(pair{7, 1 << 40}); err != nil {
		t.Fatal(err)
	}
	v, err := r.Read()
	if err != nil || v != (pair{7, 1 << 40}) {
		t.Fatalf("Read: %+v, %v", v, err)
	}
	if !slices.Equal(drops, []string{"writable", "readable"}) {
		t.Fatalf("drops %v", drops)
	}
	if _, err := r.Read(); !errors.Is(err, ErrClosed) {
		t.Fatalf("second Read: %v, want ErrClosed", err)
	}
	_ = h
}

// Handing a reader to a call transfers it: the handle comes out once and
// the reader is closed afterwards.
func TestTakeHandleTransfers(t *testing.T) {
	h := newFakeHost(t)
	r, _ := NewStream(h.u8Ops(map[uint32]*fakeStream{}, 1))
	hd := r.handle
	if got := r.TakeHandle(); got != hd {
		t.Fatalf("TakeHandle %d, want %d", got, hd)
	}
	if _, err := r.Read(make([]byte, 1)); !errors.Is(err, ErrClosed) {
		t.Fatalf("Read after transfer: %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("a second TakeHandle did not panic")
		}
	}()
	r.TakeHandle()
}

// A task that returns a stream it writes in a goroutine calls task.return
// at once but keeps running while the writer is parked, and exits when
// the writer is done.
func TestTaskRunsOnAfterReturningForItsGoroutines(t *testing.T) {
	h := newFakeHost(t)
	streams := map[uint32]*fakeStream{}
	ops := h.u8Ops(streams, 2)
	returned := false
	var w *StreamWriter[uint8]
	var hd uint32
	code := StartTask(func() func() {
		var r *StreamReader[uint8]
		r, w = NewStream(ops)
		hd = w.handle
		go func() {
			AwaitSubtask(1 | 51<<4) // produce the data first
			w.Write([]byte("data"))
			w.Close()
		}()
		return func() { returned = r.TakeHandle() != 0 }
	})
	if !returned || code&0xf != callbackWait {
		t.Fatalf("task.return called %v, code %#x: want true and WAIT", returned, code)
	}
	if code := Callback(eventSubtask, 51, subtaskReturned); code != callbackExit {
		t.Fatalf("after the writer finished: code %#x, want EXIT", code)
	}
	if string(streams[hd].data) != "data" || !streams[hd].dropped {
		t.Fatalf("the reader got %q (writer dropped %v)", streams[hd].data, streams[hd].dropped)
	}
}

// Close while another goroutine's Read is in flight cancels the copy (the
// Canonical ABI traps on dropping a copying end): when the cancel
// completes at once its result goes to the reader, when it blocks the
// reader gets the later event; either way the reader drops the end and
// returns ErrClosed.
func TestCloseCancelsAReadInFlight(t *testing.T) {
	for _, cancelBlocks := range []bool{false, true} {
		h := newFakeHost(t)
		streams := map[uint32]*fakeStream{}
		ops := h.u8Ops(streams, 1)
		cancels := 0
		ops.CancelRead = func(hd uint32) uint32 {
			cancels++
			streams[hd].buf = nil
			if cancelBlocks {
				return blocked
			}
			return 2 // CANCELLED, nothing copied
		}
		r, _ := NewStream(ops)
		hd := r.handle
		var readErr error
		code := StartTask(func() func() {
			done := make(chan struct{})
			go func() {
				_, readErr = r.Read(make([]byte, 8))
				close(done)
			}()
			AwaitSubtask(1 | 61<<4)
			r.Close()
			<-done
			return func() {}
		})
		code = Callback(eventSubtask, 61, subtaskReturned)
		if cancelBlocks {
			if code&0xf != callbackWait {
				t.Fatalf("cancel blocked: code %#x, want WAIT for the cancelled read", code)
			}
			code = Callback(eventStreamRead, hd, 2)
		}
		if code != callbackExit || !errors.Is(readErr, ErrClosed) || cancels != 1 || !streams[hd].dropped || r.handle != 0 {
			t.Fatalf("cancel blocks %v: code %#x, read error %v, %d cancels, dropped %v", cancelBlocks, code, readErr, cancels, streams[hd].dropped)
		}
	}
}
