package adapter

import "testing"

// BenchmarkFdWriteSmall: fd_write of one 16-byte iovec to stdout, called
// from Go into the adapter, which calls the fake host's
// blocking-write-and-flush (one wasm->Go call) with a borrowed return
// area.
func BenchmarkFdWriteSmall(b *testing.B) {
	g := newRig(b, 4, func(h *fakeHost) { h.discard = true })
	g.iov(iovAt, dataAt, []byte("0123456789abcdef"))
	fn := g.adapter.ExportedFunction("fd_write")
	stack := []uint64{1, iovAt, 1, outAt}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		stack[0], stack[1], stack[2], stack[3] = 1, iovAt, 1, outAt
		if err := fn.CallWithStack(g.ctx, stack); err != nil || stack[0] != 0 {
			b.Fatal(err, stack[0])
		}
	}
	if g.host.written != 16*b.N {
		b.Fatalf("host saw %d bytes", g.host.written)
	}
}

// BenchmarkArgsSizesGet: the big borrowed region (12 KiB saved on the
// engine stack and restored) around one get-arguments call.
func BenchmarkArgsSizesGet(b *testing.B) {
	g := newRig(b, 4, func(h *fakeHost) { h.args = []string{"prog", "--flag", "value"} })
	fn := g.adapter.ExportedFunction("args_sizes_get")
	stack := []uint64{outAt, outAt + 4}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		stack[0], stack[1] = outAt, outAt+4
		if err := fn.CallWithStack(g.ctx, stack); err != nil || stack[0] != 0 {
			b.Fatal(err, stack[0])
		}
	}
}

// BenchmarkBuild: assembling and validating the adapter (Module caches
// the result; this is the one-time cost a `witgo component new` pays).
func BenchmarkBuild(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := build(); err != nil {
			b.Fatal(err)
		}
	}
}
