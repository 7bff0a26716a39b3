package wasi

import (
	"context"
	"errors"
	"io"
	"sync"
	"syscall"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/engine"
)

// wasi:cli/types error-code cases (0.3).
const (
	cliIO   = 0
	cliPipe = 2
)

// chunkSize is how much a pump moves per copy.
const chunkSize = 64 << 10

// chunkPool keeps copy buffers: guests often make a stream per line.
var chunkPool = sync.Pool{New: func() any { b := make([]byte, chunkSize); return &b }}

// environment3 is 0.2's environment with 0.3's name for the working
// directory, which the host does not grant.
func (h *Host) environment3() map[string]engine.HostFunc {
	m := h.environment()
	delete(m, "initial-cwd")
	m["get-initial-cwd"] = fn0(none())
	return m
}

func (h *Host) stdin3() map[string]engine.HostFunc {
	if h.stdinReader == nil {
		h.stdinReader = newAsyncReader(h.cfg.Stdin.Read)
	}
	return map[string]engine.HostFunc{"read-via-stream": h.readStdinViaStream}
}

// readStdinViaStream returns a stream the host fills from stdin and a
// future of how that ended: ok at stdin's end or when the guest dropped
// the stream, err(io) when reading failed. Bytes taken from stdin that a
// dropped stream did not accept go back, for the next stream.
func (h *Host) readStdinViaStream(ctx context.Context, _ []canonabi.Value) (canonabi.Value, error) {
	out, v, err := newStreamOut(ctx)
	if err != nil {
		return unit, err
	}
	p := h.p3()
	in := h.stdinReader
	h.goBackground(func(ctx context.Context) {
		defer out.finish(ctx, h)
		// One stream at a time takes from stdin: the lock is held until
		// the guest took the chunk or dropped its stream, and what it did
		// not take goes back for the next stream, in order.
		p.stdinMu.Lock()
		defer p.stdinMu.Unlock()
		for {
			err := in.wait(ctx)
			var data []byte
			if err == nil {
				data, err = in.read(chunkSize)
			}
			if err != nil {
				if !errors.Is(err, io.EOF) {
					out.result = cliFail(cliIO)
				}
				return
			}
			n, werr := out.sw.Write(data)
			p.progress.Add(1)
			if werr != nil {
				in.cur = append(data[n:len(data):len(data)], in.cur...)
				return
			}
		}
	})
	return v, nil
}

func (h *Host) stdout3() map[string]engine.HostFunc {
	return map[string]engine.HostFunc{"write-via-stream": h.writeViaStream(h.cfg.Stdout, &h.p3().stdoutMu)}
}

func (h *Host) stderr3() map[string]engine.HostFunc {
	return map[string]engine.HostFunc{"write-via-stream": h.writeViaStream(h.cfg.Stderr, &h.p3().stderrMu)}
}

// writeViaStream copies the guest's stream to w until the guest drops its
// end (ok) or w fails (the host drops the stream; err(pipe) for a broken
// pipe, err(io) otherwise).
func (h *Host) writeViaStream(w io.Writer, mu sync.Locker) engine.HostFunc {
	return func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
		r, fw, fv, err := takeStream(ctx, a[0])
		if err != nil {
			return unit, err
		}
		h.goPump(func(ctx context.Context) {
			werr := h.copyStream(w, mu, r)
			r.Close()
			result := okUnit()
			switch {
			case errors.Is(werr, syscall.EPIPE):
				result = cliFail(cliPipe)
			case werr != nil:
				result = cliFail(cliIO)
			}
			resolve(ctx, fw, result)
		})
		return fv, nil
	}
}

// errReadStream marks a failure on the guest's side of a copy (its
// store trapped), which no error-code describes: the future is dropped.
var errReadStream = errors.New("wasi: reading the guest's stream failed")

// copyStream moves r to w chunk by chunk, each written as soon as it
// arrives (a guest's write completes when the host holds its bytes).
func (h *Host) copyStream(w io.Writer, mu sync.Locker, r io.Reader) error {
	p := h.p3()
	bp := chunkPool.Get().(*[]byte)
	defer chunkPool.Put(bp)
	buf := *bp
	for {
		n, err := r.Read(buf)
		if n > 0 {
			mu.Lock()
			_, werr := w.Write(buf[:n])
			mu.Unlock()
			p.progress.Add(1)
			if werr != nil {
				return werr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return errReadStream
		}
	}
}

// resolve writes a pump's outcome into its future and drops the host's
// end (a guest that dropped its end does not care).
func resolve(ctx context.Context, fw *engine.FutureWriter, v canonabi.Value) {
	_ = fw.Write(ctx, v)
	fw.Close()
}

func cliFail(code uint32) canonabi.Value { return fail(canonabi.EnumValue(code)) }
