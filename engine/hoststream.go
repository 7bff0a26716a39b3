package engine

import (
	"context"
	"errors"
	"io"
	"sync"

	"github.com/witgo/witgo/canonabi"
)

// Host ends of streams and futures. A host function that receives a
// stream or future (an argument, or the result of a call into the guest)
// takes its readable end with StreamReader or FutureReader; one that
// gives one to a guest makes it with NewStream or NewFuture and passes
// the returned Value. Every method may be called from any goroutine: the
// operation is queued for whoever runs the store, or, when nobody does,
// the calling goroutine runs the store itself until the operation is done.
// Each end counts as a source of future events while open, so close every
// end you take or make (a guest waiting on an abandoned end waits for
// ever instead of reporting a deadlock).

// ErrStreamClosed is returned by writes whose reader dropped its end, and
// by any operation on an end already closed.
var ErrStreamClosed = errors.New("engine: stream or future closed")

// hostEnd is the part StreamReader, StreamWriter, FutureReader and
// FutureWriter share.
type hostEnd struct {
	t      *Instance
	handle uint32 // the host-table index to adopt (readers), or 0
	sh     *shared
	mu     sync.Mutex // one operation at a time
	closed bool
	done   bool // the other end dropped (reads: EOF)
}

func (t *Instance) asyncStore() (*store, error) {
	if t.st == nil {
		return nil, errorf("the component uses no async features: it has no streams or futures")
	}
	return t.st, nil
}

// adopt takes the shared state out of the host table (on the baton).
func (e *hostEnd) adopt(future bool) error {
	if e.sh != nil {
		return nil
	}
	x, err := e.t.host.get(e.handle)
	if err != nil {
		return err
	}
	sh, ok := x.obj.(*shared)
	if !ok || sh.future != future {
		return errorf("handle %d is not the readable end of a stream or future of that kind", e.handle)
	}
	_, _ = e.t.host.remove(e.handle)
	e.sh = sh
	return nil
}

// hostOp runs start on the baton and waits until it calls finish.
func (st *store) hostOp(ctx context.Context, start func(finish func(n uint32, result uint32)), cancel func()) (uint32, uint32, error) {
	if ctx.Value(inlineKey{}) == st {
		return 0, 0, errorf("stream and future operations cannot wait inside a synchronous host function (it runs on the goroutine that runs the store): use a goroutine, or give the function an async type")
	}
	type outcome struct{ n, result uint32 }
	reply := make(chan outcome, 1)
	finished := false
	finish := func(n, result uint32) {
		if !finished {
			finished = true
			reply <- outcome{n, result}
		}
	}
	st.post(func() {
		defer func() {
			if r := recover(); r != nil {
				err, _ := r.(error)
				if err == nil {
					err = errorf("host stream operation failed: %v", r)
				}
				st.fail(err)
			}
		}()
		start(finish)
	})
	for {
		st.mu.Lock()
		posted := st.posted
		st.mu.Unlock()
		if st.tryAcquire() {
			// Nobody runs the store: run what is ready, without keeping
			// the baton while waiting for others.
			// (An operation the guest cannot complete now waits: a later
			// call into the guest may still complete it.)
			more, err := st.runReady(func() bool { return finished })
			if err != nil && !finished && st.failed == nil {
				cancel() // the buffer must not stay lent to the stream
			}
			st.release()
			select {
			case o := <-reply:
				return o.n, o.result, nil
			default:
			}
			if err != nil {
				return 0, 0, err
			}
			if more {
				continue
			}
		}
		select {
		case o := <-reply:
			return o.n, o.result, nil
		case <-posted:
		case <-st.idleCh():
		case <-st.dead:
			return 0, 0, st.failed
		case <-ctx.Done():
			st.post(cancel)
			select {
			case o := <-reply:
				return o.n, o.result, ctx.Err()
			case <-st.dead:
				return 0, 0, st.failed
			case <-st.idleCh():
				continue
			}
		}
	}
}

// copyHost runs one copy of the host end e over buffer b.
func (e *hostEnd) copyHost(ctx context.Context, reading, future bool, b buffer) (uint32, uint32, error) {
	st := e.t.st
	var pending bool
	start := func(finish func(uint32, uint32)) {
		if err := e.adopt(future); err != nil {
			panic(err)
		}
		pending = true
		onCopy := func(reclaim func()) {
			if !reading && b.remain() > 0 {
				return // a writer's buffer stays lent until it is all read
			}
			reclaim()
			pending = false
			finish(b.progress(), copyCompleted)
		}
		var onDone func(uint32)
		onDone = func(result uint32) {
			if !reading && !future && result == copyCompleted && b.remain() > 0 {
				// A reader took part of it: offer the rest at once, so that
				// its next reads find it waiting (no round trip per read).
				e.sh.copy(nil, false, b, onCopy, onDone)
				return
			}
			pending = false
			finish(b.progress(), result)
		}
		e.sh.copy(nil, reading, b, onCopy, onDone)
	}
	cancel := func() {
		if pending && e.sh.pendingBuf == b {
			e.sh.cancel()
		}
	}
	return st.hostOp(ctx, start, cancel)
}

func (e *hostEnd) close(future bool) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil
	}
	e.closed = true
	st := e.t.st
	defer st.hostOps.Add(-1)
	// Closing never waits (a synchronous host function may close an end):
	// the drop is queued, and run now if nobody runs the store.
	st.post(func() {
		if e.adopt(future) == nil {
			e.sh.drop()
		}
	})
	if st.tryAcquire() {
		_, err := st.runReady(func() bool { return false })
		st.release()
		return err
	}
	return nil
}

// hostBuffer is a buffer of Go values, or of raw bytes for stream<u8>.
type hostBuffer struct {
	vals   []canonabi.Value
	bytes  []byte
	isRaw  bool
	length uint32
	done   uint32
}

func (b *hostBuffer) remain() uint32   { return b.length - b.done }
func (b *hostBuffer) zeroLength() bool { return b.length == 0 }
func (b *hostBuffer) progress() uint32 { return b.done }

func (b *hostBuffer) read(n uint32) ([]canonabi.Value, error) {
	if b.isRaw {
		out := make([]canonabi.Value, n)
		for i := range out {
			out[i] = canonabi.U8Value(b.bytes[b.done+uint32(i)])
		}
		b.done += n
		return out, nil
	}
	vs := b.vals[b.done : b.done+n]
	b.done += n
	return vs, nil
}

func (b *hostBuffer) write(vs []canonabi.Value) error {
	if b.isRaw {
		for i, v := range vs {
			b.bytes[b.done+uint32(i)] = byte(v.Uint())
		}
	} else {
		copy(b.vals[b.done:], vs)
	}
	b.done += uint32(len(vs))
	return nil
}

// rawHostBuffer is a hostBuffer of bytes that also copies raw.
type rawHostBuffer struct{ *hostBuffer }

func (b rawHostBuffer) rawSize() uint32 { return 1 }

func (b rawHostBuffer) readRaw(n uint32) []byte {
	p := b.bytes[b.done : b.done+n]
	b.done += n
	return p
}

func (b rawHostBuffer) writeRaw(p []byte) {
	copy(b.bytes[b.done:], p)
	b.done += uint32(len(p))
}

func newByteBuffer(p []byte) buffer {
	return rawHostBuffer{&hostBuffer{bytes: p, isRaw: true, length: uint32(min(len(p), maxBufferLength))}}
}

// StreamReader is the host's readable end of a stream.
type StreamReader struct{ hostEnd }

// StreamReader takes the readable end of a stream the host received as
// a Value (a host function's argument, or a call's result).
func (t *Instance) StreamReader(v canonabi.Value) (*StreamReader, error) {
	st, err := t.asyncStore()
	if err != nil {
		return nil, err
	}
	if v.Kind() != canonabi.KindStream {
		return nil, errorf("a %s is not a stream", v.Kind())
	}
	st.hostOps.Add(1)
	return &StreamReader{hostEnd{t: t, handle: v.Handle()}}, nil
}

// ReadValues waits for at most max values (at least one, unless the
// writer dropped its end: then io.EOF).
func (r *StreamReader) ReadValues(ctx context.Context, max int) ([]canonabi.Value, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, ErrStreamClosed
	}
	if r.done {
		return nil, io.EOF
	}
	b := &hostBuffer{vals: make([]canonabi.Value, max), length: uint32(min(max, maxBufferLength))}
	for {
		n, result, err := r.copyHost(ctx, true, false, b)
		if result == copyDropped {
			r.done = true
		}
		if n > 0 || err != nil {
			return b.vals[:n], err
		}
		if r.done {
			return nil, io.EOF
		}
	}
}

// Read implements io.Reader for a stream<u8>.
func (r *StreamReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return 0, ErrStreamClosed
	}
	if r.done {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	b := newByteBuffer(p)
	for {
		n, result, err := r.copyHost(context.Background(), true, false, b)
		if result == copyDropped {
			r.done = true
		}
		if n > 0 || err != nil {
			return int(n), err
		}
		if r.done {
			return 0, io.EOF
		}
	}
}

// Close drops the readable end.
func (r *StreamReader) Close() error { return r.close(false) }

// StreamWriter is the host's writable end of a stream it gave a guest.
type StreamWriter struct{ hostEnd }

// NewStream makes a stream whose readable end, the returned Value, the
// host gives a guest (as a host function's result or a call's argument);
// the host writes into w. The payload type is the one where the Value is
// given.
func (t *Instance) NewStream() (*StreamWriter, canonabi.Value, error) {
	st, err := t.asyncStore()
	if err != nil {
		return nil, canonabi.Value{}, err
	}
	sh := &shared{}
	h := t.host.add(handleEntry{obj: sh})
	st.hostOps.Add(1)
	return &StreamWriter{hostEnd{t: t, sh: sh}}, canonabi.HandleValue(canonabi.KindStream, h), nil
}

// WriteValues waits until the guest read all of vs, or dropped its end
// (ErrStreamClosed, with how many it read).
func (w *StreamWriter) WriteValues(ctx context.Context, vs []canonabi.Value) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.writeAll(ctx, len(vs), func(off int) buffer {
		rest := vs[off:]
		return &hostBuffer{vals: rest, length: uint32(min(len(rest), maxBufferLength))}
	})
}

// Write implements io.Writer for a stream<u8>.
func (w *StreamWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.writeAll(context.Background(), len(p), func(off int) buffer { return newByteBuffer(p[off:]) })
}

func (w *StreamWriter) writeAll(ctx context.Context, total int, buf func(off int) buffer) (int, error) {
	if w.closed {
		return 0, ErrStreamClosed
	}
	off := 0
	for off < total {
		if w.done {
			return off, ErrStreamClosed
		}
		n, result, err := w.copyHost(ctx, false, false, buf(off))
		off += int(n)
		if result == copyDropped {
			w.done = true
		}
		if err != nil {
			return off, err
		}
	}
	return off, nil
}

// Close drops the writable end: the guest reads the end of the stream.
func (w *StreamWriter) Close() error { return w.close(false) }

// FutureReader is the host's readable end of a future.
type FutureReader struct{ hostEnd }

// FutureReader takes the readable end of a future the host received.
func (t *Instance) FutureReader(v canonabi.Value) (*FutureReader, error) {
	st, err := t.asyncStore()
	if err != nil {
		return nil, err
	}
	if v.Kind() != canonabi.KindFuture {
		return nil, errorf("a %s is not a future", v.Kind())
	}
	st.hostOps.Add(1)
	return &FutureReader{hostEnd{t: t, handle: v.Handle()}}, nil
}

// Read waits for the future's value.
func (r *FutureReader) Read(ctx context.Context) (canonabi.Value, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || r.done {
		return canonabi.Value{}, ErrStreamClosed
	}
	b := &hostBuffer{vals: make([]canonabi.Value, 1), length: 1}
	_, result, err := r.copyHost(ctx, true, true, b)
	if err != nil {
		return canonabi.Value{}, err
	}
	if result != copyCompleted {
		return canonabi.Value{}, ErrStreamClosed
	}
	r.done = true
	return b.vals[0], nil
}

// Close drops the readable end.
func (r *FutureReader) Close() error { return r.close(true) }

// FutureWriter is the host's writable end of a future it gave a guest.
type FutureWriter struct{ hostEnd }

// NewFuture makes a future whose readable end, the returned Value, the
// host gives a guest; the host writes its value with w.Write.
func (t *Instance) NewFuture() (*FutureWriter, canonabi.Value, error) {
	st, err := t.asyncStore()
	if err != nil {
		return nil, canonabi.Value{}, err
	}
	sh := &shared{future: true}
	h := t.host.add(handleEntry{obj: sh})
	st.hostOps.Add(1)
	return &FutureWriter{hostEnd{t: t, sh: sh}}, canonabi.HandleValue(canonabi.KindFuture, h), nil
}

// Write waits until the guest took v (nil), or dropped its end
// (ErrStreamClosed).
func (w *FutureWriter) Write(ctx context.Context, v canonabi.Value) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed || w.done {
		return ErrStreamClosed
	}
	_, result, err := w.copyHost(ctx, false, true, &hostBuffer{vals: []canonabi.Value{v}, length: 1})
	if err != nil {
		return err
	}
	w.done = true
	if result == copyDropped {
		return ErrStreamClosed
	}
	return nil
}

// Close drops the writable end.
func (w *FutureWriter) Close() error { return w.close(true) }
