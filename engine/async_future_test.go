package engine

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/internal/wast"
)

// hostFuturesWAT: a guest that awaits a future<u32> from the host,
// returns one to the host, and cancels an async host call.
const hostFuturesWAT = `(component
  (import "wait" (func $wait async (result u32)))
  (core module $Mem (memory (export "mem") 1))
  (core instance $mem (instantiate $Mem))
  (type $FT (future u32))
  (core func $wait' (canon lower (func $wait) async (memory (core memory $mem "mem"))))
  (core func $future.new (canon future.new $FT))
  (core func $future.read (canon future.read $FT (memory (core memory $mem "mem"))))
  (core func $future.write (canon future.write $FT async (memory (core memory $mem "mem"))))
  (core func $future.drop-readable (canon future.drop-readable $FT))
  (core func $future.drop-writable (canon future.drop-writable $FT))
  (core func $ws.new (canon waitable-set.new))
  (core func $join (canon waitable.join))
  (core func $subtask.cancel (canon subtask.cancel async))
  (core func $subtask.drop (canon subtask.drop))
  (core func $ret-future (canon task.return (result $FT)))
  (core func $ret-u32 (canon task.return (result u32)))
  (core module $M
    (import "" "mem" (memory 1))
    (import "" "wait" (func $wait (param i32) (result i32)))
    (import "" "future.new" (func $future.new (result i64)))
    (import "" "future.read" (func $future.read (param i32 i32) (result i32)))
    (import "" "future.write" (func $future.write (param i32 i32) (result i32)))
    (import "" "future.drop-readable" (func $future.drop-readable (param i32)))
    (import "" "future.drop-writable" (func $future.drop-writable (param i32)))
    (import "" "ws.new" (func $ws.new (result i32)))
    (import "" "join" (func $join (param i32 i32)))
    (import "" "subtask.cancel" (func $subtask.cancel (param i32) (result i32)))
    (import "" "subtask.drop" (func $subtask.drop (param i32)))
    (import "" "ret-future" (func $ret-future (param i32)))
    (import "" "ret-u32" (func $ret-u32 (param i32)))
    (global $w (mut i32) (i32.const 0))
    (global $ws (mut i32) (i32.const 0))

    ;; await-future: a synchronous lift of an async function: a blocking read
    (func (export "await-future") (param $f i32) (result i32)
      (if (i32.ne (call $future.read (local.get $f) (i32.const 16)) (i32.const 0)) (then unreachable))
      (call $future.drop-readable (local.get $f))
      (i32.add (i32.load (i32.const 16)) (i32.const 1)))

    ;; make-future: returns a future, then writes 41 into it
    (func (export "make-future") (result i32)
      (local $r64 i64) (local $ret i32)
      (local.set $r64 (call $future.new))
      (global.set $w (i32.wrap_i64 (i64.shr_u (local.get $r64) (i64.const 32))))
      (call $ret-future (i32.wrap_i64 (local.get $r64)))
      (i32.store (i32.const 32) (i32.const 41))
      (local.set $ret (call $future.write (global.get $w) (i32.const 32)))
      (if (i32.eq (local.get $ret) (i32.const -1)) (then
        (global.set $ws (call $ws.new))
        (call $join (global.get $w) (global.get $ws))
        (return (i32.or (i32.const 2) (i32.shl (global.get $ws) (i32.const 4))))))
      (call $future.drop-writable (global.get $w))
      (i32.const 0))
    (func (export "make-future-cb") (param $ev i32) (param $i i32) (param $p i32) (result i32)
      (if (i32.ne (local.get $ev) (i32.const 5)) (then unreachable))
      (if (i32.ne (local.get $p) (i32.const 0)) (then unreachable))
      (call $join (global.get $w) (i32.const 0))
      (call $future.drop-writable (global.get $w))
      (i32.const 0))

    ;; cancel-wait: starts the host's wait, cancels it, returns the final state
    (func (export "cancel-wait") (result i32)
      (local $st i32) (local $ret i32)
      (local.set $st (call $wait (i32.const 48)))
      (if (i32.ne (i32.and (local.get $st) (i32.const 0xf)) (i32.const 1)) (then unreachable))
      (global.set $w (i32.shr_u (local.get $st) (i32.const 4)))
      (local.set $ret (call $subtask.cancel (global.get $w)))
      (if (i32.ne (local.get $ret) (i32.const -1)) (then
        (call $subtask.drop (global.get $w))
        (call $ret-u32 (local.get $ret))
        (return (i32.const 0))))
      (global.set $ws (call $ws.new))
      (call $join (global.get $w) (global.get $ws))
      (i32.or (i32.const 2) (i32.shl (global.get $ws) (i32.const 4))))
    (func (export "cancel-wait-cb") (param $ev i32) (param $i i32) (param $p i32) (result i32)
      (if (i32.ne (local.get $ev) (i32.const 1)) (then unreachable))
      (call $subtask.drop (local.get $i))
      (call $ret-u32 (local.get $p))
      (i32.const 0))
  )
  (core instance $m (instantiate $M (with "" (instance
    (export "mem" (memory $mem "mem"))
    (export "wait" (func $wait'))
    (export "future.new" (func $future.new))
    (export "future.read" (func $future.read))
    (export "future.write" (func $future.write))
    (export "future.drop-readable" (func $future.drop-readable))
    (export "future.drop-writable" (func $future.drop-writable))
    (export "ws.new" (func $ws.new))
    (export "join" (func $join))
    (export "subtask.cancel" (func $subtask.cancel))
    (export "subtask.drop" (func $subtask.drop))
    (export "ret-future" (func $ret-future))
    (export "ret-u32" (func $ret-u32))))))
  (func (export "await-future") async (param "f" $FT) (result u32)
    (canon lift (core func $m "await-future")))
  (func (export "make-future") async (result $FT)
    (canon lift (core func $m "make-future") async (callback (core func $m "make-future-cb"))))
  (func (export "cancel-wait") async (result u32)
    (canon lift (core func $m "cancel-wait") async (callback (core func $m "cancel-wait-cb"))))
)`

// waitHost blocks until its call is cancelled.
func waitHost(ctx context.Context, _ []canonabi.Value) (canonabi.Value, error) {
	select {
	case <-ctx.Done():
		return canonabi.Value{}, ctx.Err()
	case <-time.After(10 * time.Second):
		return canonabi.U32Value(0), errors.New("never cancelled")
	}
}

func hostFuturesInstance(t testing.TB) *Instance {
	bin := wast.ComponentFromWAT(t, hostFuturesWAT)
	return instantiate(t, newEngine(t, Options{}), bin, (&Imports{}).Func("wait", waitHost))
}

func TestHostFutureBothWays(t *testing.T) {
	inst := hostFuturesInstance(t)
	ctx := context.Background()
	w, v, err := inst.NewFuture()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		if err := w.Write(ctx, canonabi.U32Value(99)); err != nil {
			t.Error(err)
		}
		w.Close()
	}()
	got, err := inst.Call(ctx, "await-future", v)
	if err != nil || got.Uint() != 100 {
		t.Fatalf("await-future = %v, %v; want 100", got, err)
	}

	fv, err := inst.Call(ctx, "make-future")
	if err != nil {
		t.Fatal(err)
	}
	r, err := inst.FutureReader(fv)
	if err != nil {
		t.Fatal(err)
	}
	x, err := r.Read(ctx)
	if err != nil || x.Uint() != 41 {
		t.Fatalf("the guest's future read %v, %v; want 41", x, err)
	}
	if _, err := r.Read(ctx); !errors.Is(err, ErrStreamClosed) {
		t.Fatalf("a second read: %v, want ErrStreamClosed", err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}

// subtask.cancel of an async host call cancels its context; the host
// returning ctx.Err() resolves the subtask as CANCELLED_BEFORE_RETURNED.
func TestCancelAsyncHostCall(t *testing.T) {
	inst := hostFuturesInstance(t)
	got, err := inst.Call(context.Background(), "cancel-wait")
	if err != nil {
		t.Fatal(err)
	}
	if got.Uint() != subtaskCancelledBeforeReturned {
		t.Fatalf("cancel-wait = %v, want %d (CANCELLED_BEFORE_RETURNED)", got, subtaskCancelledBeforeReturned)
	}
}

// A panic in an async host function (on its goroutine) traps the guest
// instead of ending the process.
func TestAsyncHostPanicTraps(t *testing.T) {
	bin := wast.ComponentFromWAT(t, hostFuturesWAT)
	boom := func(context.Context, []canonabi.Value) (canonabi.Value, error) { panic("boom") }
	inst := instantiate(t, newEngine(t, Options{}), bin, (&Imports{}).Func("wait", boom))
	_, err := inst.Call(context.Background(), "cancel-wait")
	var tr *Trap
	if !errors.As(err, &tr) {
		t.Fatalf("want a trap, got %v", err)
	}
}
