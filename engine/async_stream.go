package engine

import (
	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component"
)

// Streams and futures (CanonicalABI.md, Buffer, Stream and Future State).
// Both ends share one `shared`, the spec's SharedStreamImpl or
// SharedFutureImpl: a rendezvous between one pending read or write and
// its complement. Host-side ends (hoststream.go) use it too, with Go
// buffers.

// Copy results.
const (
	copyCompleted = 0
	copyDropped   = 1
	copyCancelled = 2
)

const maxBufferLength = 1<<28 - 1

// buffer is the spec's Buffer: a region of values to read from (the
// writer's) or to write into (the reader's).
type buffer interface {
	remain() uint32
	zeroLength() bool
	progress() uint32
	read(n uint32) ([]canonabi.Value, error)
	write(vs []canonabi.Value) error
}

// rawBuffer is a buffer of plain numbers whose bytes copy as they are.
type rawBuffer interface {
	rawSize() uint32
	readRaw(n uint32) []byte
	writeRaw(b []byte)
}

// copyInto moves n values from src into dst.
func copyInto(dst, src buffer, n uint32) {
	if d, ok := dst.(rawBuffer); ok {
		if s, ok := src.(rawBuffer); ok && s.rawSize() == d.rawSize() {
			d.writeRaw(s.readRaw(n))
			return
		}
	}
	vs, err := src.read(n)
	if err == nil {
		err = dst.write(vs)
	}
	if err != nil {
		panic(trapOrErr(err))
	}
}

// shared is the state both ends of one stream or future share.
type shared struct {
	future  bool
	elem    *vtype // nil: no payload
	typed   bool   // elem is known (host-made streams learn it when lowered)
	dropped bool

	pendingInst   *compInstance
	pendingBuf    buffer
	pendingOnCopy func(reclaim func())
	pendingDone   func(result uint32)
}

func (s *shared) setPending(inst *compInstance, b buffer, onCopy func(func()), done func(uint32)) {
	s.pendingInst, s.pendingBuf, s.pendingOnCopy, s.pendingDone = inst, b, onCopy, done
}

func (s *shared) resetPending() { s.setPending(nil, nil, nil, nil) }

func (s *shared) resetAndNotify(result uint32) {
	done := s.pendingDone
	s.resetPending()
	done(result)
}

func (s *shared) cancel() { s.resetAndNotify(copyCancelled) }

func (s *shared) drop() {
	if !s.dropped {
		s.dropped = true
		if s.pendingBuf != nil {
			s.resetAndNotify(copyDropped)
		}
	}
}

// sameInstance is the spec's temporary trap: both ends in one instance
// with a payload that is not a number.
func (s *shared) sameInstance(inst *compInstance) {
	if inst != nil && inst == s.pendingInst && !plainNumber(s.elem) {
		panic(trap("cannot read from and write to intra-component future or stream of this type"))
	}
}

func plainNumber(t *vtype) bool {
	if t == nil {
		return true
	}
	if t.kind != component.KindPrim {
		return false
	}
	switch t.prim {
	case component.Bool, component.Char, component.String, component.ErrorContext:
		return false
	}
	return true
}

// copy is SharedStreamImpl.read (reading: dst is the caller's buffer) and
// .write (the caller's src); futures copy exactly one value.
func (s *shared) copy(inst *compInstance, reading bool, b buffer, onCopy func(func()), done func(uint32)) {
	if s.future {
		s.copyFuture(inst, reading, b, done)
		return
	}
	switch {
	case s.dropped:
		done(copyDropped)
	case s.pendingBuf == nil:
		s.setPending(inst, b, onCopy, done)
	default:
		s.sameInstance(inst)
		p := s.pendingBuf
		switch {
		case p.remain() > 0:
			if b.remain() > 0 {
				n := min(b.remain(), p.remain())
				if reading {
					copyInto(b, p, n)
				} else {
					copyInto(p, b, n)
				}
				s.pendingOnCopy(s.resetPending)
			}
			done(copyCompleted)
		case !reading && b.zeroLength() && p.zeroLength():
			done(copyCompleted)
		default:
			s.resetAndNotify(copyCompleted)
			s.setPending(inst, b, onCopy, done)
		}
	}
}

func (s *shared) copyFuture(inst *compInstance, reading bool, b buffer, done func(uint32)) {
	switch {
	case !reading && s.dropped:
		done(copyDropped)
	case s.pendingBuf == nil:
		s.setPending(inst, b, nil, done)
	default:
		s.sameInstance(inst)
		if reading {
			copyInto(b, s.pendingBuf, 1)
		} else {
			copyInto(s.pendingBuf, b, 1)
		}
		s.resetAndNotify(copyCompleted)
		done(copyCompleted)
	}
}

// Copy states of one end.
const (
	copyIdle = iota
	copyCopying
	copyCancelling
	copyDone
)

// copyEnd is one end of a stream or future in a handle table.
type copyEnd struct {
	waitable
	shared   *shared
	state    int
	readable bool
	// partial: the pending event reports values copied while the buffer
	// is still the other end's to fill (on_copy, not on_copy_done).
	partial bool
}

func (e *copyEnd) copying() bool { return e.state == copyCopying || e.state == copyCancelling }

func (e *copyEnd) drop() error {
	if e.copying() {
		return trap("cannot drop busy stream or future: a copy is in progress (cannot remove busy stream)")
	}
	if e.shared.future && !e.readable && e.state != copyDone {
		return trap("cannot drop future write end without first writing a value")
	}
	e.shared.drop()
	e.waitable.drop()
	return nil
}

// endAt returns the end at index i of inst's table, checking its kind and
// payload type against the built-in's.
func endAt(inst *compInstance, i uint32, readable, future bool, elem *vtype) *copyEnd {
	x, err := inst.handles.get(i)
	must(err)
	e, ok := x.obj.(*copyEnd)
	if !ok || e.readable != readable || e.shared.future != future {
		panic(trap("handle %d is not the expected stream or future end", i))
	}
	if !typesEqual(e.shared.elem, elem) {
		panic(trap("handle %d: stream or future payload type mismatch", i))
	}
	return e
}

// errorContext is an error-context value: a debug message.
type errorContext struct{ msg string }
