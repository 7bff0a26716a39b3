package engine

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/internal/wast"
)

// hostStreamsWAT is a guest with async exports that read and write
// stream<u8> and call an async host import twice at once.
const hostStreamsWAT = `(component
  (import "slow" (func $slow async (param "x" u32) (result u32)))
  (core module $Mem (memory (export "mem") 1))
  (core instance $mem (instantiate $Mem))
  (type $ST (stream u8))
  (core func $slow' (canon lower (func $slow) async (memory (core memory $mem "mem"))))
  (core func $stream.new (canon stream.new $ST))
  (core func $stream.read (canon stream.read $ST (memory (core memory $mem "mem"))))
  (core func $stream.write (canon stream.write $ST async (memory (core memory $mem "mem"))))
  (core func $stream.drop-readable (canon stream.drop-readable $ST))
  (core func $stream.drop-writable (canon stream.drop-writable $ST))
  (core func $ws.new (canon waitable-set.new))
  (core func $join (canon waitable.join))
  (core func $subtask.drop (canon subtask.drop))
  (core func $ret-stream (canon task.return (result $ST)))
  (core func $ret-u32 (canon task.return (result u32)))
  (core module $M
    (import "" "mem" (memory 1))
    (import "" "slow" (func $slow (param i32 i32) (result i32)))
    (import "" "stream.new" (func $stream.new (result i64)))
    (import "" "stream.read" (func $stream.read (param i32 i32 i32) (result i32)))
    (import "" "stream.write" (func $stream.write (param i32 i32 i32) (result i32)))
    (import "" "stream.drop-readable" (func $stream.drop-readable (param i32)))
    (import "" "stream.drop-writable" (func $stream.drop-writable (param i32)))
    (import "" "ws.new" (func $ws.new (result i32)))
    (import "" "join" (func $join (param i32 i32)))
    (import "" "subtask.drop" (func $subtask.drop (param i32)))
    (import "" "ret-stream" (func $ret-stream (param i32)))
    (import "" "ret-u32" (func $ret-u32 (param i32)))
    (global $tx (mut i32) (i32.const 0))
    (global $left (mut i32) (i32.const 0))
    (global $ws (mut i32) (i32.const 0))
    (global $ws2 (mut i32) (i32.const 0))
    (global $pending (mut i32) (i32.const 0))

    ;; sum-stream: a synchronous lift of an async function: blocking reads
    (func (export "sum-stream") (param $s i32) (result i32)
      (local $ret i32) (local $sum i32) (local $i i32) (local $n i32)
      (loop $l
        (local.set $ret (call $stream.read (local.get $s) (i32.const 64) (i32.const 16)))
        (local.set $n (i32.shr_u (local.get $ret) (i32.const 4)))
        (local.set $i (i32.const 0))
        (block $b (loop $add
          (br_if $b (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $sum (i32.add (local.get $sum) (i32.load8_u (i32.add (i32.const 64) (local.get $i)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $add)))
        (br_if $l (i32.eqz (i32.and (local.get $ret) (i32.const 0xf)))))
      (call $stream.drop-readable (local.get $s))
      (local.get $sum))

    ;; make-stream: returns a stream, then writes $n bytes of 7 into it
    (func $write-some (result i32)
      (local $ret i32) (local $i i32)
      (loop $w
        (if (i32.eqz (global.get $left)) (then
          (call $stream.drop-writable (global.get $tx))
          (return (i32.const 0))))
        (local.set $i (i32.const 0))
        (block $b (loop $fill
          (br_if $b (i32.ge_u (local.get $i) (global.get $left)))
          (i32.store8 (i32.add (i32.const 1024) (local.get $i)) (i32.const 7))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $fill)))
        (local.set $ret (call $stream.write (global.get $tx) (i32.const 1024) (global.get $left)))
        (if (i32.eq (local.get $ret) (i32.const -1)) (then
          (call $join (global.get $tx) (global.get $ws))
          (return (i32.or (i32.const 2) (i32.shl (global.get $ws) (i32.const 4))))))
        (global.set $left (i32.sub (global.get $left) (i32.shr_u (local.get $ret) (i32.const 4))))
        (br $w))
      unreachable)
    (func (export "make-stream") (param $n i32) (result i32)
      (local $r64 i64)
      (local.set $r64 (call $stream.new))
      (global.set $tx (i32.wrap_i64 (i64.shr_u (local.get $r64) (i64.const 32))))
      (global.set $left (local.get $n))
      (global.set $ws (call $ws.new))
      (call $ret-stream (i32.wrap_i64 (local.get $r64)))
      (call $write-some))
    (func (export "make-stream-cb") (param $ev i32) (param $idx i32) (param $p i32) (result i32)
      (if (i32.ne (local.get $ev) (i32.const 3)) (then unreachable))
      (call $join (global.get $tx) (i32.const 0))
      (global.set $left (i32.sub (global.get $left) (i32.shr_u (local.get $p) (i32.const 4))))
      (if (i32.eq (i32.and (local.get $p) (i32.const 0xf)) (i32.const 1)) (then
        (call $stream.drop-writable (global.get $tx))
        (return (i32.const 0))))
      (call $write-some))

    ;; call-slow: two concurrent async calls of the host's slow
    (func (export "call-slow") (param $x i32) (result i32)
      (local $st1 i32) (local $st2 i32)
      (global.set $ws2 (call $ws.new))
      (local.set $st1 (call $slow (local.get $x) (i32.const 256)))
      (local.set $st2 (call $slow (i32.add (local.get $x) (i32.const 1)) (i32.const 260)))
      (if (i32.ne (i32.and (local.get $st1) (i32.const 0xf)) (i32.const 1)) (then unreachable))
      (if (i32.ne (i32.and (local.get $st2) (i32.const 0xf)) (i32.const 1)) (then unreachable))
      (call $join (i32.shr_u (local.get $st1) (i32.const 4)) (global.get $ws2))
      (call $join (i32.shr_u (local.get $st2) (i32.const 4)) (global.get $ws2))
      (global.set $pending (i32.const 2))
      (i32.or (i32.const 2) (i32.shl (global.get $ws2) (i32.const 4))))
    (func (export "call-slow-cb") (param $ev i32) (param $idx i32) (param $p i32) (result i32)
      (if (i32.ne (local.get $ev) (i32.const 1)) (then unreachable))
      (if (i32.ne (local.get $p) (i32.const 2)) (then unreachable))
      (call $subtask.drop (local.get $idx))
      (global.set $pending (i32.sub (global.get $pending) (i32.const 1)))
      (if (global.get $pending) (then
        (return (i32.or (i32.const 2) (i32.shl (global.get $ws2) (i32.const 4))))))
      (call $ret-u32 (i32.add (i32.load (i32.const 256)) (i32.load (i32.const 260))))
      (i32.const 0))
  )
  (core instance $m (instantiate $M (with "" (instance
    (export "mem" (memory $mem "mem"))
    (export "slow" (func $slow'))
    (export "stream.new" (func $stream.new))
    (export "stream.read" (func $stream.read))
    (export "stream.write" (func $stream.write))
    (export "stream.drop-readable" (func $stream.drop-readable))
    (export "stream.drop-writable" (func $stream.drop-writable))
    (export "ws.new" (func $ws.new))
    (export "join" (func $join))
    (export "subtask.drop" (func $subtask.drop))
    (export "ret-stream" (func $ret-stream))
    (export "ret-u32" (func $ret-u32))))))
  (func (export "sum-stream") async (param "s" $ST) (result u32)
    (canon lift (core func $m "sum-stream")))
  (func (export "make-stream") async (param "n" u32) (result $ST)
    (canon lift (core func $m "make-stream") async (callback (core func $m "make-stream-cb"))))
  (func (export "call-slow") async (param "x" u32) (result u32)
    (canon lift (core func $m "call-slow") async (callback (core func $m "call-slow-cb"))))
)`

// slowHost is an async host function: it waits until both calls started
// (so they provably run at the same time) and returns 2x.
func slowHost(started *atomic.Int32) HostFunc {
	return func(ctx context.Context, args []canonabi.Value) (canonabi.Value, error) {
		started.Add(1)
		deadline := time.Now().Add(5 * time.Second)
		for started.Load() < 2 && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		return canonabi.U32Value(uint32(args[0].Uint()) * 2), nil
	}
}

func hostStreamsInstance(t testing.TB, started *atomic.Int32) *Instance {
	bin := wast.ComponentFromWAT(t, hostStreamsWAT)
	ctx := context.Background()
	eng := newEngine(t, Options{})
	c, err := eng.Compile(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := eng.Instantiate(ctx, c, (&Imports{}).Func("slow", slowHost(started)))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func TestAsyncHostFunctionsRunConcurrently(t *testing.T) {
	var started atomic.Int32
	inst := hostStreamsInstance(t, &started)
	got, err := inst.Call(context.Background(), "call-slow", canonabi.U32Value(10))
	if err != nil {
		t.Fatal(err)
	}
	if got.Uint() != 2*10+2*11 || started.Load() != 2 {
		t.Fatalf("call-slow(10) = %v with %d host calls, want 42 with 2", got, started.Load())
	}
}

func TestHostWritesStreamGuestReads(t *testing.T) {
	inst := hostStreamsInstance(t, new(atomic.Int32))
	w, v, err := inst.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for i := 0; i < 30; i++ { // 30 writes of 10 bytes of 3, in pieces the guest reads by 16
			if _, err := w.Write(bytes.Repeat([]byte{3}, 10)); err != nil {
				t.Error(err)
			}
		}
		w.Close()
	}()
	got, err := inst.Call(context.Background(), "sum-stream", v)
	if err != nil {
		t.Fatal(err)
	}
	if got.Uint() != 900 {
		t.Fatalf("sum-stream = %v, want 900", got)
	}
}

func TestGuestWritesStreamHostReads(t *testing.T) {
	inst := hostStreamsInstance(t, new(atomic.Int32))
	v, err := inst.Call(context.Background(), "make-stream", canonabi.U32Value(100))
	if err != nil {
		t.Fatal(err)
	}
	r, err := inst.StreamReader(v)
	if err != nil {
		t.Fatal(err)
	}
	var got []byte
	buf := make([]byte, 33) // partial reads: the guest's write completes in pieces
	for {
		n, err := r.Read(buf)
		got = append(got, buf[:n]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got, bytes.Repeat([]byte{7}, 100)) {
		t.Fatalf("read %d bytes %v, want 100 sevens", len(got), got)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}

// Values one by one (not the byte path), then the host's Close ends the
// guest's read loop.
func TestHostStreamValues(t *testing.T) {
	inst := hostStreamsInstance(t, new(atomic.Int32))
	w, v, err := inst.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		vs := []canonabi.Value{canonabi.U8Value(200), canonabi.U8Value(55)}
		if n, err := w.WriteValues(context.Background(), vs); n != 2 || err != nil {
			t.Errorf("WriteValues = %d, %v", n, err)
		}
		w.Close()
	}()
	got, err := inst.Call(context.Background(), "sum-stream", v)
	if err != nil || got.Uint() != 255 {
		t.Fatalf("sum-stream = %v, %v; want 255", got, err)
	}
}

// A guest waiting on a host end that stays open waits for the host, not
// for ever: the call's context ends it; with no host end it is a
// deadlock, reported at once.
func TestAsyncWaitEndsWithContextOrDeadlock(t *testing.T) {
	inst := hostStreamsInstance(t, new(atomic.Int32))
	w, v, err := inst.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := inst.Call(ctx, "sum-stream", v); err == nil {
		t.Fatal("sum-stream returned although nothing was written")
	}
	_ = w

	inst = hostStreamsInstance(t, new(atomic.Int32))
	v, err = inst.Call(context.Background(), "make-stream", canonabi.U32Value(5))
	if err != nil {
		t.Fatal(err)
	}
	// make-stream's task waits for a reader in its callback loop, which
	// needs the instance's exclusive lock; sum-stream, a synchronous lift,
	// holds it while its read blocks: nothing can run, a deadlock (as the
	// spec's rules imply), reported as a trap rather than a hang.
	_, err = inst.Call(context.Background(), "sum-stream", v)
	var tr *Trap
	if !errors.As(err, &tr) || !strings.Contains(err.Error(), "deadlock") {
		t.Fatalf("sum-stream(make-stream(5)): want a deadlock trap, got %v", err)
	}
}
