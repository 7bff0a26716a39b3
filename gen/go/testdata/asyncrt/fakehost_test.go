package cabi

// A fake host for the async runtime's unit tests (TestAsyncRuntimeUnit in
// gen/go copies this file into a generated cabi package and runs it
// natively). It keeps the state the Canonical ABI keeps for one component
// instance: waitable sets, which set each waitable is in, pending events,
// and the task context slot, and checks the runtime's use of them.

import (
	"fmt"
	"testing"
	"unsafe"
)

type fakeHost struct {
	t        *testing.T
	next     uint32
	sets     map[uint32]bool
	member   map[uint32]uint32 // waitable -> set
	pending  []Event           // events the host has ready, in order
	dropped  []uint32          // subtasks dropped
	context  uint32
	waits    int // waitable-set.wait calls
	polls    int
	joinLog  []string
	setDrops int
}

func newFakeHost(t *testing.T) *fakeHost {
	h := &fakeHost{t: t, next: 100, sets: map[uint32]bool{}, member: map[uint32]uint32{}}
	// Reset the runtime's state between tests.
	tasks, lastTask, driving, activity, waitSet = map[uint32]*task{}, 0, false, 0, 0
	parked, early = map[uint32]chan Event{}, map[uint32]Event{}
	waitableSetNew = func() uint32 {
		h.next++
		h.sets[h.next] = true
		return h.next
	}
	waitableSetWait = func(set uint32) (uint32, uint32, uint32) {
		h.waits++
		e, ok := h.take(set)
		if !ok {
			t.Fatalf("waitable-set.wait(%d) would block forever: no event for its members", set)
		}
		return e.Code, e.Waitable, e.Payload
	}
	waitableSetPoll = func(set uint32) (uint32, uint32, uint32) {
		h.polls++
		e, ok := h.take(set)
		if !ok {
			return eventNone, 0, 0
		}
		return e.Code, e.Waitable, e.Payload
	}
	waitableSetDrop = func(set uint32) {
		for w, s := range h.member {
			if s == set {
				t.Fatalf("waitable-set.drop(%d) while waitable %d is in it (the spec traps)", set, w)
			}
		}
		delete(h.sets, set)
		h.setDrops++
	}
	waitableJoin = func(w, set uint32) {
		h.joinLog = append(h.joinLog, fmt.Sprintf("%d->%d", w, set))
		if set == 0 {
			delete(h.member, w)
			return
		}
		if !h.sets[set] {
			t.Fatalf("waitable.join(%d, %d): no such set", w, set)
		}
		h.member[w] = set
	}
	subtaskDrop = func(st uint32) { h.dropped = append(h.dropped, st) }
	contextGet = func() uint32 { return h.context }
	contextSet = func(v uint32) { h.context = v }
	return h
}

// take removes and returns the first pending event of a member of set.
func (h *fakeHost) take(set uint32) (Event, bool) {
	for i, e := range h.pending {
		if h.member[e.Waitable] == set {
			h.pending = append(h.pending[:i], h.pending[i+1:]...)
			return e, true
		}
	}
	return Event{}, false
}

// fakeStream is one stream in the fake host: the guest reads from (or
// writes to) it; data is what the other side offers or took.
type fakeStream struct {
	data    []uint8
	dropped bool // the other end is gone
	// a read that blocked: the guest's buffer, until the host fills it
	buf unsafe.Pointer
	n   uint32
}

// u8Ops are stream<u8> built-ins over fake streams: a read copies what is
// there (BLOCKED when nothing is and the writer lives), a write takes at
// most limit elements per call.
func (h *fakeHost) u8Ops(streams map[uint32]*fakeStream, limit int) *StreamOps[uint8] {
	return &StreamOps[uint8]{
		Elem: &ElemOps[uint8]{Size: 1, Plain: true},
		New: func() (uint32, uint32) {
			h.next += 2
			streams[h.next-1], streams[h.next] = &fakeStream{}, &fakeStream{}
			return h.next - 1, h.next
		},
		Read: func(hd uint32, p unsafe.Pointer, n uint32) uint32 {
			s := streams[hd]
			if len(s.data) == 0 {
				if s.dropped {
					return copyDropped
				}
				s.buf, s.n = p, n
				return blocked
			}
			k := copy(unsafe.Slice((*uint8)(p), n), s.data)
			s.data = s.data[k:]
			return copyCompleted | uint32(k)<<4
		},
		Write: func(hd uint32, p unsafe.Pointer, n uint32) uint32 {
			s := streams[hd]
			if s.dropped {
				return copyDropped
			}
			k := min(int(n), limit)
			s.data = append(s.data, unsafe.Slice((*uint8)(p), k)...)
			return copyCompleted | uint32(k)<<4
		},
		DropReadable: func(hd uint32) { streams[hd].dropped = true },
		DropWritable: func(hd uint32) { streams[hd].dropped = true },
	}
}

// fill completes the blocked read of stream hd with data (as the writer
// would) and makes its STREAM_READ event pending.
func (h *fakeHost) fill(streams map[uint32]*fakeStream, hd uint32, data []uint8) {
	s := streams[hd]
	if s.buf == nil {
		h.t.Fatalf("stream %d has no blocked read", hd)
	}
	k := copy(unsafe.Slice((*uint8)(s.buf), s.n), data)
	s.buf = nil
	h.pending = append(h.pending, Event{2, hd, copyCompleted | uint32(k)<<4})
}
