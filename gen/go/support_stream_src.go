package gogen

// supportStreamSource holds the stream, future and error-context types of
// the support package (added with supportAsyncSource).
const supportStreamSource = `package cabi

import (
	"errors"
	"io"
	"runtime"
	"unsafe"
)

// ErrClosed is returned by the methods of a stream or future end that was
// closed or handed to another component.
var ErrClosed = errors.New("cabi: use of a closed or transferred stream or future end")

// maxCopy is the most elements one stream copy may move (2^28 - 1).
const maxCopy = 1<<28 - 1

// ElemOps converts the elements of one stream or future payload type
// between Go values and their Canonical ABI form in linear memory.
type ElemOps[T any] struct {
	Size uintptr
	// Plain: T's Go layout is its Canonical ABI layout (numbers), so
	// copies go straight to and from the Go values.
	Plain bool
	// Lift reads len(out) elements at p; Lower writes in's elements at p.
	Lift  func(p unsafe.Pointer, out []T)
	Lower func(lw *Lowerer, in []T, p unsafe.Pointer)
}

// buffer returns linear memory for n elements: the Go values themselves
// when plain, else a fresh buffer (with the elements lowered into it when
// lower is set). The buffer is pinned in lw.
func (o *ElemOps[T]) buffer(lw *Lowerer, vals []T, lower bool) unsafe.Pointer {
	if len(vals) == 0 || o.Size == 0 {
		return nil
	}
	if o.Plain {
		p := unsafe.Pointer(unsafe.SliceData(vals))
		lw.pinner.Pin(p)
		return p
	}
	p := lw.Alloc(uint32(uintptr(len(vals)) * o.Size))
	if lower {
		o.Lower(lw, vals, p)
	}
	return p
}

// lift fills out from p after a read into a buffer.
func (o *ElemOps[T]) lift(p unsafe.Pointer, out []T) {
	if !o.Plain && len(out) > 0 && o.Size > 0 {
		o.Lift(p, out)
	}
}

// StreamOps are the intrinsics of one stream payload type (the copies and
// cancels in their async form).
type StreamOps[T any] struct {
	Elem                       *ElemOps[T]
	New                        func() (readable, writable uint32)
	Read, Write                func(h uint32, p unsafe.Pointer, n uint32) uint32
	CancelRead, CancelWrite    func(h uint32) uint32
	DropReadable, DropWritable func(h uint32)
}

// FutureOps are the intrinsics of one future payload type.
type FutureOps[T any] struct {
	Elem                       *ElemOps[T]
	New                        func() (readable, writable uint32)
	Read, Write                func(h uint32, p unsafe.Pointer) uint32
	CancelRead                 func(h uint32) uint32
	DropReadable, DropWritable func(h uint32)
}

// copyState lets Close end a copy another goroutine waits for: the
// Canonical ABI traps when an end is dropped while it copies, so Close
// cancels the copy, and the copying goroutine drops the end when its copy
// has ended.
type copyState struct {
	copying, closing bool
}

// begin marks a copy on h started; end marks it over and reports whether
// Close asked for the end to be dropped meanwhile.
func (c *copyState) begin() { c.copying = true }
func (c *copyState) end() bool {
	c.copying = false
	return c.closing
}

// closeDuring cancels the copy on h, handing a result that comes at once
// to the goroutine waiting for it (event is its event code).
func (c *copyState) closeDuring(h, event uint32, cancel func(uint32) uint32) {
	c.closing = true
	if code := cancel(h); code != blocked {
		deliver(Event{event, h, code})
	}
}

// copyResult waits for a copy that blocked and splits its result.
func copyResult(h, code uint32) (result uint32, n int) {
	if code == blocked {
		code = Wait(h).Payload
	}
	return code & 0xf, int(code >> 4)
}

// StreamReader is the readable end of a stream<T>: what a WIT function
// passes or returns. For stream<u8> it is an io.Reader.
type StreamReader[T any] struct {
	handle uint32
	ops    *StreamOps[T]
	eof    bool
	cs     copyState
}

// StreamWriter is the writable end of a stream<T> this component created.
// For stream<u8> it is an io.Writer.
type StreamWriter[T any] struct {
	handle  uint32
	ops     *StreamOps[T]
	dropped bool
	cs      copyState
}

// NewStream creates a stream and returns both its ends.
func NewStream[T any](ops *StreamOps[T]) (*StreamReader[T], *StreamWriter[T]) {
	r, w := ops.New()
	return &StreamReader[T]{handle: r, ops: ops}, &StreamWriter[T]{handle: w, ops: ops}
}

// LiftStreamReader wraps the readable end h that the bindings received.
func LiftStreamReader[T any](h uint32, ops *StreamOps[T]) *StreamReader[T] {
	return &StreamReader[T]{handle: h, ops: ops}
}

// TakeHandle hands the end over to the other side of a call: r may not be
// used afterwards.
func (r *StreamReader[T]) TakeHandle() uint32 {
	if r == nil || r.handle == 0 {
		panic("witgo: passing a nil, closed or already transferred stream")
	}
	h := r.handle
	r.handle = 0
	return h
}

// Read reads up to len(p) elements, blocking until at least one is there.
// It returns io.EOF once the writer has dropped its end and everything
// written was read.
func (r *StreamReader[T]) Read(p []T) (int, error) {
	if r.handle == 0 {
		return 0, ErrClosed
	}
	if r.eof {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	p = p[:min(len(p), maxCopy)]
	for {
		var lw Lowerer
		buf := r.ops.Elem.buffer(&lw, p, false)
		r.cs.begin()
		result, n := copyResult(r.handle, r.ops.Read(r.handle, buf, uint32(len(p))))
		r.ops.Elem.lift(buf, p[:n])
		lw.Release()
		runtime.KeepAlive(buf)
		if r.cs.end() {
			r.drop()
			if n > 0 {
				return n, nil
			}
			return 0, ErrClosed
		}
		if result == copyDropped {
			r.eof = true
			if n == 0 {
				return 0, io.EOF
			}
		}
		if n > 0 || r.eof {
			return n, nil
		}
	}
}

// Close drops the readable end. A Read blocked in another goroutine is
// cancelled: it returns what it got, or ErrClosed.
func (r *StreamReader[T]) Close() error {
	if r.handle == 0 || r.cs.closing {
		return ErrClosed
	}
	if r.cs.copying {
		r.cs.closeDuring(r.handle, eventStreamRead, r.ops.CancelRead)
		return nil
	}
	r.drop()
	return nil
}

func (r *StreamReader[T]) drop() {
	r.ops.DropReadable(r.handle)
	r.handle = 0
}

// Write writes all of p, blocking until the reader has taken it. It
// returns io.EOF, with the count written, if the reader drops its end.
func (w *StreamWriter[T]) Write(p []T) (int, error) {
	if w.handle == 0 {
		return 0, ErrClosed
	}
	if w.dropped {
		return 0, io.EOF
	}
	var lw Lowerer
	defer lw.Release()
	buf := w.ops.Elem.buffer(&lw, p, true)
	done := 0
	for done < len(p) {
		n := min(len(p)-done, maxCopy)
		var at unsafe.Pointer
		if buf != nil {
			at = unsafe.Add(buf, uintptr(done)*w.ops.Elem.Size)
		}
		w.cs.begin()
		result, k := copyResult(w.handle, w.ops.Write(w.handle, at, uint32(n)))
		done += k
		if w.cs.end() {
			w.drop()
			return done, ErrClosed
		}
		if result == copyDropped {
			w.dropped = true
			if done < len(p) {
				return done, io.EOF
			}
		}
	}
	return done, nil
}

// Close drops the writable end: the reader sees the end of the stream. A
// Write blocked in another goroutine is cancelled and returns ErrClosed
// with what was written.
func (w *StreamWriter[T]) Close() error {
	if w.handle == 0 || w.cs.closing {
		return ErrClosed
	}
	if w.cs.copying {
		w.cs.closeDuring(w.handle, eventStreamWrite, w.ops.CancelWrite)
		return nil
	}
	w.drop()
	return nil
}

func (w *StreamWriter[T]) drop() {
	w.ops.DropWritable(w.handle)
	w.handle = 0
}

// FutureReader is the readable end of a future<T>.
type FutureReader[T any] struct {
	handle uint32
	ops    *FutureOps[T]
	cs     copyState
}

// FutureWriter is the writable end of a future<T> this component created.
// Write it exactly once: the Canonical ABI traps when an unwritten future
// is dropped while its reader is still there.
type FutureWriter[T any] struct {
	handle uint32
	ops    *FutureOps[T]
}

// NewFuture creates a future and returns both its ends.
func NewFuture[T any](ops *FutureOps[T]) (*FutureReader[T], *FutureWriter[T]) {
	r, w := ops.New()
	return &FutureReader[T]{handle: r, ops: ops}, &FutureWriter[T]{handle: w, ops: ops}
}

// LiftFutureReader wraps the readable end h that the bindings received.
func LiftFutureReader[T any](h uint32, ops *FutureOps[T]) *FutureReader[T] {
	return &FutureReader[T]{handle: h, ops: ops}
}

// TakeHandle hands the end over to the other side of a call.
func (r *FutureReader[T]) TakeHandle() uint32 {
	if r == nil || r.handle == 0 {
		panic("witgo: passing a nil, read or already transferred future")
	}
	h := r.handle
	r.handle = 0
	return h
}

// Read blocks until the value is there, returns it and drops the end.
func (r *FutureReader[T]) Read() (T, error) {
	var zero T
	if r.handle == 0 {
		return zero, ErrClosed
	}
	var lw Lowerer
	defer lw.Release()
	v := make([]T, 1)
	buf := r.ops.Elem.buffer(&lw, v, false)
	h := r.handle
	r.cs.begin()
	result, _ := copyResult(h, r.ops.Read(h, buf))
	closed := r.cs.end()
	r.handle = 0
	r.ops.DropReadable(h)
	if result != copyCompleted {
		if closed {
			return zero, ErrClosed
		}
		return zero, io.EOF
	}
	r.ops.Elem.lift(buf, v)
	return v[0], nil
}

// Close drops the readable end without reading it. A Read blocked in
// another goroutine is cancelled and returns ErrClosed (or the value, if
// it came first).
func (r *FutureReader[T]) Close() error {
	if r.handle == 0 || r.cs.closing {
		return ErrClosed
	}
	if r.cs.copying {
		r.cs.closeDuring(r.handle, eventFutureRead, r.ops.CancelRead)
		return nil
	}
	r.ops.DropReadable(r.handle)
	r.handle = 0
	return nil
}

// Write delivers v, blocking until the reader has taken it, and drops the
// end. It returns io.EOF if the reader dropped its end instead.
func (w *FutureWriter[T]) Write(v T) error {
	if w.handle == 0 {
		return ErrClosed
	}
	var lw Lowerer
	defer lw.Release()
	vals := []T{v}
	buf := w.ops.Elem.buffer(&lw, vals, true)
	h := w.handle
	result, _ := copyResult(h, w.ops.Write(h, buf))
	w.handle = 0
	w.ops.DropWritable(h)
	if result != copyCompleted {
		return io.EOF
	}
	return nil
}

// Close drops the writable end (see FutureWriter about unwritten futures).
func (w *FutureWriter[T]) Close() error {
	if w.handle == 0 {
		return ErrClosed
	}
	w.ops.DropWritable(w.handle)
	w.handle = 0
	return nil
}

// The error-context intrinsics (set per platform).
var (
	errorContextNew          func(msg string) uint32
	errorContextDebugMessage func(h uint32) string
	errorContextDrop         func(h uint32)
)

// NewErrorContext creates an error-context with a debug message.
func NewErrorContext(msg string) ErrorContext { return ErrorContext(errorContextNew(msg)) }

// DebugMessage returns the error-context's debug message (which the host
// may leave empty).
func (e ErrorContext) DebugMessage() string { return errorContextDebugMessage(uint32(e)) }

// Drop drops the handle.
func (e ErrorContext) Drop() { errorContextDrop(uint32(e)) }
`
