package wasi_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/witgo/witgo/engine/wasi"
)

// BenchmarkP3Stdout16MiB: a WAT guest writes 16 MiB to stdout through
// one write-via-stream (256 sync stream.write calls of 64 KiB, each
// taken by the host's copy in one piece) and waits for the future, run
// after run on one instance.
func BenchmarkP3Stdout16MiB(b *testing.B) {
	const size = 16 << 20
	c := p3Command(b, "", `
      (local.set $t0 (call $sn))
      (local.set $x (i32.wrap_i64 (i64.shr_u (local.get $t0) (i64.const 32))))
      (local.set $y (call $wvs (i32.wrap_i64 (local.get $t0))))
      (local.set $n (i32.const 256))
      (block $done (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (if (i32.ne (call $sw (local.get $x) (i32.const 0) (i32.const 65536)) (i32.const 1048576)) (then unreachable))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
      (call $sdw (local.get $x))
      (if (call $fr (local.get $y) (i32.const 16)) (then unreachable))
      (call $fdr (local.get $y))
      (call $ret (i32.const 0))`)
	out := &countingWriter{}
	h, inst := instance3(b, c, wasi.Config{Stdout: out})
	benchRuns(b, h, inst, out, size)
}

// BenchmarkP3InstantiateAndRun: a fresh host and instance per run of a
// WAT command that prints one line through write-via-stream.
func BenchmarkP3InstantiateAndRun(b *testing.B) {
	c := p3Command(b, `(data (i32.const 1024) "hello\n")`, `
      (call $out (i32.const 0) (i32.const 1024) (i32.const 6))
      (call $ret (i32.const 0))`)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		h, err := wasi.New(wasi.Config{Stdout: &countingWriter{}})
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

// BenchmarkP3StdinCat4MiB: the WAT cat guest reads 4 MiB of stdin through
// read-via-stream in 4 KiB reads and writes each piece back through a
// write-via-stream of its own (a new stream and future per 4 KiB), on a
// fresh host and instance per run (stdin is read once).
func BenchmarkP3StdinCat4MiB(b *testing.B) {
	const size = 4 << 20
	c := p3Command(b, "", p3Cat)
	in := make([]byte, size)
	ctx := context.Background()
	b.SetBytes(size)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		out := &countingWriter{}
		h, err := wasi.New(wasi.Config{Stdin: bytes.NewReader(in), Stdout: out})
		if err != nil {
			b.Fatal(err)
		}
		inst, err := sharedEngine(b).Instantiate(ctx, c, h.Imports(c))
		if err != nil {
			b.Fatal(err)
		}
		if code, err := h.Run(ctx, inst); err != nil || code != 0 || out.n != size {
			b.Fatalf("run: %d %v, %d bytes out", code, err, out.n)
		}
		inst.Close(ctx)
		h.Close()
	}
}
