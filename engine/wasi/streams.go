package wasi

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/engine"
)

// maxChunk bounds what one read or check-write grants, so that a guest
// asking for 2^64 bytes gets a short read rather than the host
// allocating it (streams may always return less than asked).
const maxChunk = 1 << 20

// blockingLimit is what one blocking-write-and-flush may carry (the WIT
// says "up to 4096 bytes").
const blockingLimit = 4096

// inputStream reads r in place (files), or through async when reads may
// block (stdin).
type inputStream struct {
	r      io.Reader
	async  *asyncReader
	closed bool
}

type outputStream struct {
	w      io.Writer
	closed bool
}

// readUpTo reads at most n bytes: from a file in place; from an async
// stream what has arrived, waiting for something first if blocking.
func (s *inputStream) readUpTo(ctx context.Context, n uint64, blocking bool) ([]byte, error) {
	if s.async == nil {
		buf := make([]byte, n)
		got, err := s.r.Read(buf)
		return buf[:got], err
	}
	if blocking {
		if err := s.async.wait(ctx); err != nil {
			return nil, err
		}
	}
	return s.async.read(n)
}

// ioError is the wasi:io/error resource behind last-operation-failed.
type ioError struct{ err error }

// streamError makes a stream-error: closed at end of stream, otherwise
// last-operation-failed with an error resource.
func (h *Host) streamError(ctx context.Context, err error) (canonabi.Value, error) {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrClosedPipe) {
		return fail(canonabi.VariantValue(1, nil)), nil
	}
	e, herr := h.newResource(ctx, "wasi:io/error", "error", &ioError{err})
	if herr != nil {
		return unit, herr
	}
	return fail(canonabi.VariantValue(0, &e)), nil
}

// closedOr is the host error err (a trap), or else the closed stream-error.
func (h *Host) closedOr(ctx context.Context, err error) (canonabi.Value, error) {
	if err != nil {
		return unit, err
	}
	return h.streamError(ctx, io.EOF)
}

func (h *Host) ioError() map[string]engine.HostFunc {
	return map[string]engine.HostFunc{
		"[method]error.to-debug-string": func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
			e, err := object[*ioError](ctx, h, a[0])
			if err != nil {
				return unit, err
			}
			return canonabi.StringValue(e.err.Error()), nil
		},
	}
}

func (h *Host) streams() map[string]engine.HostFunc {
	reader := func(blocking bool) engine.HostFunc {
		return func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
			s, err := object[*inputStream](ctx, h, a[0])
			if err != nil || s.closed {
				return h.closedOr(ctx, err)
			}
			n := min(a[1].Uint(), maxChunk)
			if n == 0 {
				return ok(canonabi.BytesValue(nil)), nil
			}
			data, rerr := s.readUpTo(ctx, n, blocking)
			if len(data) == 0 && rerr != nil {
				if errors.Is(rerr, io.EOF) {
					s.closed = true
				} else if ctx.Err() != nil {
					return unit, rerr // the run was cancelled: stop the guest
				}
				return h.streamError(ctx, rerr)
			}
			return ok(canonabi.BytesValue(data)), nil
		}
	}
	read := reader(false)
	skipper := func(read engine.HostFunc) engine.HostFunc {
		return func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
			v, err := read(ctx, a)
			if err != nil || v.Case() != 0 {
				return v, err
			}
			p, _ := v.Payload()
			return ok(canonabi.U64Value(uint64(p.Len()))), nil
		}
	}
	write := func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
		s, err := object[*outputStream](ctx, h, a[0])
		if err != nil || s.closed {
			return h.closedOr(ctx, err)
		}
		if _, werr := s.w.Write(readOnlyBytes(a[1])); werr != nil {
			s.closed = true
			return h.streamError(ctx, werr)
		}
		return okUnit(), nil
	}
	flush := func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
		s, err := object[*outputStream](ctx, h, a[0])
		if err != nil || s.closed {
			return h.closedOr(ctx, err)
		}
		return okUnit(), nil
	}
	// As in wasmtime, writing more than check-write permits (or more than
	// 4096 bytes in one blocking call) traps.
	writeUpTo := func(limit uint64, name string) engine.HostFunc {
		return func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
			if n := uint64(len(a[1].Str())); n > limit {
				return unit, fmt.Errorf("wasi: %s of %d bytes, more than the %d permitted", name, n, limit)
			}
			return write(ctx, a)
		}
	}
	zeroesUpTo := func(limit uint64, name string) engine.HostFunc {
		return func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
			if n := a[1].Uint(); n > limit {
				return unit, fmt.Errorf("wasi: %s of %d bytes, more than the %d permitted", name, n, limit)
			}
			return write(ctx, []canonabi.Value{a[0], canonabi.BytesValue(make([]byte, a[1].Uint()))})
		}
	}
	splice := func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
		data, err := read(ctx, []canonabi.Value{a[1], a[2]})
		if err != nil || data.Case() != 0 {
			return data, err
		}
		p, _ := data.Payload()
		w, err := write(ctx, []canonabi.Value{a[0], p})
		if err != nil || w.Case() != 0 {
			return w, err
		}
		return ok(canonabi.U64Value(uint64(p.Len()))), nil
	}
	subscribe := func(ctx context.Context, _ []canonabi.Value) (canonabi.Value, error) {
		return h.newResource(ctx, "wasi:io/poll", "pollable", &pollable{})
	}
	subscribeInput := func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
		s, err := object[*inputStream](ctx, h, a[0])
		if err != nil {
			return unit, err
		}
		return h.newResource(ctx, "wasi:io/poll", "pollable", &pollable{stream: s.async})
	}
	return map[string]engine.HostFunc{
		"[method]input-stream.read":          read,
		"[method]input-stream.blocking-read": reader(true),
		"[method]input-stream.skip":          skipper(read),
		"[method]input-stream.blocking-skip": skipper(reader(true)),
		"[method]input-stream.subscribe":     subscribeInput,
		"[method]output-stream.check-write": func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
			s, err := object[*outputStream](ctx, h, a[0])
			if err != nil || s.closed {
				return h.closedOr(ctx, err)
			}
			return ok(canonabi.U64Value(maxChunk)), nil
		},
		"[method]output-stream.write":                           writeUpTo(maxChunk, "write"),
		"[method]output-stream.blocking-write-and-flush":        writeUpTo(blockingLimit, "blocking-write-and-flush"),
		"[method]output-stream.flush":                           flush,
		"[method]output-stream.blocking-flush":                  flush,
		"[method]output-stream.write-zeroes":                    zeroesUpTo(maxChunk, "write-zeroes"),
		"[method]output-stream.blocking-write-zeroes-and-flush": zeroesUpTo(blockingLimit, "blocking-write-zeroes-and-flush"),
		"[method]output-stream.splice":                          splice,
		"[method]output-stream.blocking-splice":                 splice,
		"[method]output-stream.subscribe":                       subscribe,
	}
}
