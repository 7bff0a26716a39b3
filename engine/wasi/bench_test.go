package wasi_test

import (
	"context"
	"io"
	"strconv"
	"testing"

	"github.com/witgo/witgo/engine"
	"github.com/witgo/witgo/engine/wasi"
)

// countingWriter counts what reached stdout.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(b []byte) (int, error) { w.n += int64(len(b)); return len(b), nil }

// BenchmarkGoStdout1MiB: the Go guest writes 1 MiB to stdout (64 KiB
// os.Stdout.Write calls; the adapter splits them into 4 KiB
// blocking-write-and-flush calls), run after run on one instance.
func BenchmarkGoStdout1MiB(b *testing.B) {
	const size = 1 << 20
	c := goGuest(b)
	out := &countingWriter{}
	h, err := wasi.New(wasi.Config{Args: []string{"g", "big", strconv.Itoa(size)}, Stdout: out})
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	ctx := context.Background()
	inst, err := sharedEngine(b).Instantiate(ctx, c, h.Imports(c))
	if err != nil {
		b.Fatal(err)
	}
	defer inst.Close(ctx)
	benchRuns(b, h, inst, out, size)
}

// benchRuns runs the command of inst b.N times and checks that each run
// wrote size bytes to out.
func benchRuns(b *testing.B, h *wasi.Host, inst *engine.Instance, out *countingWriter, size int64) {
	ctx := context.Background()
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if code, err := h.Run(ctx, inst); err != nil || code != 0 {
			b.Fatalf("run: %d %v", code, err)
		}
	}
	b.StopTimer()
	if out.n != int64(b.N)*size {
		b.Fatalf("stdout got %d bytes, want %d", out.n, int64(b.N)*size)
	}
}

// BenchmarkGoInstantiateAndRun: a fresh host and instance per run of a
// command that prints one line (what `witgo run` costs after compiling).
func BenchmarkGoInstantiateAndRun(b *testing.B) {
	c := goGuest(b)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		h, err := wasi.New(wasi.Config{Args: []string{"g", "hello"}, Stdout: io.Discard})
		if err != nil {
			b.Fatal(err)
		}
		inst, err := sharedEngine(b).Instantiate(ctx, c, h.Imports(c))
		if err != nil {
			b.Fatal(err)
		}
		if code, err := h.Run(ctx, inst); err != nil || code != 0 {
			b.Fatalf("run: %d %v", code, err)
		}
		inst.Close(ctx)
		h.Close()
	}
}
