package engine

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/internal/wast"
)

// BenchmarkAsyncCallbackCall: an async callback export that returns at
// once (task.return, EXIT), called from Go: the general call path with
// one goroutine switch to the task's thread and back.
func BenchmarkAsyncCallbackCall(b *testing.B) {
	bin := wast.ComponentFromWAT(b, builtinsWAT(`(call $task.return (i32.const 7)) (i32.const 0)`, `unreachable`, false))
	benchFunc(b, bin, "run")
}

// BenchmarkAsyncYieldCall: the same export yielding once to the event
// loop before it returns (two thread switches more).
func BenchmarkAsyncYieldCall(b *testing.B) {
	bin := wast.ComponentFromWAT(b, builtinsWAT(`(i32.const 1)`, `(call $task.return (i32.const 11)) (i32.const 0)`, false))
	benchFunc(b, bin, "run")
}

// BenchmarkAsyncHostCalls: two concurrent async host calls (goroutines)
// awaited by a callback export.
func BenchmarkAsyncHostCalls(b *testing.B) {
	bin := wast.ComponentFromWAT(b, hostStreamsWAT)
	slow := func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
		return canonabi.U32Value(uint32(a[0].Uint()) * 2), nil
	}
	inst := instantiate(b, newEngine(b, benchOpts()), bin, (&Imports{}).Func("slow", slow))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := inst.Call(ctx, "call-slow", canonabi.U32Value(1)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHostStreamBytes: 64 KiB from a host writer into a guest that
// reads by 16 bytes (the rendezvous per chunk dominates).
func BenchmarkHostStreamBytes(b *testing.B) {
	inst := hostStreamsInstance(b, new(atomic.Int32))
	data := make([]byte, 64<<10)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		w, v, err := inst.NewStream()
		if err != nil {
			b.Fatal(err)
		}
		go func() { _, _ = w.Write(data); w.Close() }()
		if _, err := inst.Call(context.Background(), "sum-stream", v); err != nil {
			b.Fatal(err)
		}
	}
}
