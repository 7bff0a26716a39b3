package wasi

import (
	"context"
	"sync"
)

// asyncReader reads a reader that may block (stdin) in a goroutine, a
// chunk ahead of the guest, so that input-stream.read can return at once
// with what has arrived and a pollable can tell when input is there, as
// wasmtime's stdin does. A blocked Read of the underlying reader is not
// interrupted: the goroutine ends at the reader's next chunk or error.
type asyncReader struct {
	chunks chan chunk
	done   chan struct{}
	start  sync.Once
	stop   sync.Once
	src    func([]byte) (int, error)

	cur []byte // received, not yet given to the guest
	err error  // the reader's end (io.EOF or a failure), after cur
}

type chunk struct {
	data []byte
	err  error
}

func newAsyncReader(read func([]byte) (int, error)) *asyncReader {
	return &asyncReader{chunks: make(chan chunk), done: make(chan struct{}), src: read}
}

func (a *asyncReader) run() {
	for {
		b := make([]byte, 64<<10)
		n, err := a.src(b)
		if n == 0 && err == nil {
			continue
		}
		select {
		case a.chunks <- chunk{b[:n], err}:
		case <-a.done:
			return
		}
		if err != nil {
			return
		}
	}
}

func (a *asyncReader) close() { a.stop.Do(func() { close(a.done) }) }

// take stores a received chunk.
func (a *asyncReader) take(c chunk) {
	a.cur = c.data
	a.err = c.err
}

// ready reports, without blocking, whether a read would return data or
// the end.
func (a *asyncReader) ready() bool {
	if len(a.cur) > 0 || a.err != nil {
		return true
	}
	a.start.Do(func() { go a.run() })
	select {
	case c := <-a.chunks:
		a.take(c)
		return true
	default:
		return false
	}
}

// wait blocks until ready or ctx ends.
func (a *asyncReader) wait(ctx context.Context) error {
	if a.ready() {
		return nil
	}
	select {
	case c := <-a.chunks:
		a.take(c)
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// read returns up to n bytes of what has arrived (none if nothing has),
// or the reader's end once everything before it was read.
func (a *asyncReader) read(n uint64) ([]byte, error) {
	if !a.ready() {
		return nil, nil
	}
	if len(a.cur) == 0 {
		return nil, a.err
	}
	k := min(n, uint64(len(a.cur)))
	out := a.cur[:k]
	a.cur = a.cur[k:]
	return out, nil
}
