package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/internal/wast"
)

// builtinsWAT is a component whose one export, run: async () -> u32, is
// lifted with a callback from the core function bodies $run and $cb;
// every async built-in is imported under its own name.
func builtinsWAT(run, cb string, syncLift bool) string {
	return builtinsWATMode(run, cb, map[bool]string{true: "sync", false: "callback"}[syncLift])
}

// builtinsWATMode lifts run as mode says: "callback", "sync", or
// "stackful" (async without callback: run is then a core func () -> ()).
func builtinsWATMode(run, cb, mode string) string {
	lift := `(canon lift (core func $m "run") async (memory (core memory $mem "mem")) (callback (core func $m "cb")))`
	run2 := `unreachable`
	switch mode {
	case "sync":
		lift = `(canon lift (core func $m "run"))`
	case "stackful":
		lift = `(canon lift (core func $m "run2") async (memory (core memory $mem "mem")))`
		run, run2 = `unreachable`, run
	}
	return fmt.Sprintf(`(component
  (core module $Mem
    (memory (export "mem") 1)
    (global $top (mut i32) (i32.const 4096))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (global.get $top))
      (global.set $top (i32.add (global.get $top) (local.get 3)))
      (local.get $p)))
  (core instance $mem (instantiate $Mem))
  (type $ST (stream u32))
  (type $FT (future u32))
  (core func $task.return (canon task.return (result u32) (memory (core memory $mem "mem"))))
  (core func $task.return-none (canon task.return))
  (core func $task.cancel (canon task.cancel))
  (core func $context.get (canon context.get i32 0))
  (core func $context.set (canon context.set i32 0))
  (core func $thread.yield (canon thread.yield))
  (core func $backpressure.inc (canon backpressure.inc))
  (core func $backpressure.dec (canon backpressure.dec))
  (core func $waitable-set.new (canon waitable-set.new))
  (core func $waitable-set.wait (canon waitable-set.wait (memory (core memory $mem "mem"))))
  (core func $waitable-set.poll (canon waitable-set.poll (memory (core memory $mem "mem"))))
  (core func $waitable-set.drop (canon waitable-set.drop))
  (core func $waitable.join (canon waitable.join))
  (core func $stream.new (canon stream.new $ST))
  (core func $stream.read (canon stream.read $ST async (memory (core memory $mem "mem"))))
  (core func $stream.write (canon stream.write $ST async (memory (core memory $mem "mem"))))
  (core func $stream.drop-readable (canon stream.drop-readable $ST))
  (core func $stream.drop-writable (canon stream.drop-writable $ST))
  (core func $future.new (canon future.new $FT))
  (core func $future.read (canon future.read $FT async (memory (core memory $mem "mem"))))
  (core func $future.write (canon future.write $FT async (memory (core memory $mem "mem"))))
  (core func $future.drop-readable (canon future.drop-readable $FT))
  (core func $future.drop-writable (canon future.drop-writable $FT))
  (core func $error-context.new (canon error-context.new (memory (core memory $mem "mem"))))
  (core func $error-context.debug-message (canon error-context.debug-message (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
  (core func $error-context.drop (canon error-context.drop))
  (core module $M
    (import "" "mem" (memory 1))
    (import "" "task.return" (func $task.return (param i32)))
    (import "" "task.return-none" (func $task.return-none))
    (import "" "task.cancel" (func $task.cancel))
    (import "" "context.get" (func $context.get (result i32)))
    (import "" "context.set" (func $context.set (param i32)))
    (import "" "thread.yield" (func $thread.yield (result i32)))
    (import "" "backpressure.inc" (func $backpressure.inc))
    (import "" "backpressure.dec" (func $backpressure.dec))
    (import "" "waitable-set.new" (func $waitable-set.new (result i32)))
    (import "" "waitable-set.wait" (func $waitable-set.wait (param i32 i32) (result i32)))
    (import "" "waitable-set.poll" (func $waitable-set.poll (param i32 i32) (result i32)))
    (import "" "waitable-set.drop" (func $waitable-set.drop (param i32)))
    (import "" "waitable.join" (func $waitable.join (param i32 i32)))
    (import "" "stream.new" (func $stream.new (result i64)))
    (import "" "stream.read" (func $stream.read (param i32 i32 i32) (result i32)))
    (import "" "stream.write" (func $stream.write (param i32 i32 i32) (result i32)))
    (import "" "stream.drop-readable" (func $stream.drop-readable (param i32)))
    (import "" "stream.drop-writable" (func $stream.drop-writable (param i32)))
    (import "" "future.new" (func $future.new (result i64)))
    (import "" "future.read" (func $future.read (param i32 i32) (result i32)))
    (import "" "future.write" (func $future.write (param i32 i32) (result i32)))
    (import "" "future.drop-readable" (func $future.drop-readable (param i32)))
    (import "" "future.drop-writable" (func $future.drop-writable (param i32)))
    (import "" "error-context.new" (func $error-context.new (param i32 i32) (result i32)))
    (import "" "error-context.debug-message" (func $error-context.debug-message (param i32 i32)))
    (import "" "error-context.drop" (func $error-context.drop (param i32)))
    (global $g (mut i32) (i32.const 0))
    (global $h (mut i32) (i32.const 0))
    (data (i32.const 100) "oops")
    (func (export "run") (result i32) (local $r i32) (local $r64 i64) %s)
    (func (export "cb") (param $ev i32) (param $i i32) (param $p i32) (result i32) %s)
    (func (export "run2") (local $r i32) (local $r64 i64) %s))
  (core instance $m (instantiate $M (with "" (instance
    (export "mem" (memory $mem "mem"))
    (export "task.return" (func $task.return)) (export "task.return-none" (func $task.return-none))
    (export "task.cancel" (func $task.cancel))
    (export "context.get" (func $context.get)) (export "context.set" (func $context.set))
    (export "thread.yield" (func $thread.yield))
    (export "backpressure.inc" (func $backpressure.inc)) (export "backpressure.dec" (func $backpressure.dec))
    (export "waitable-set.new" (func $waitable-set.new)) (export "waitable-set.wait" (func $waitable-set.wait))
    (export "waitable-set.poll" (func $waitable-set.poll)) (export "waitable-set.drop" (func $waitable-set.drop))
    (export "waitable.join" (func $waitable.join))
    (export "stream.new" (func $stream.new)) (export "stream.read" (func $stream.read))
    (export "stream.write" (func $stream.write)) (export "stream.drop-readable" (func $stream.drop-readable))
    (export "stream.drop-writable" (func $stream.drop-writable))
    (export "future.new" (func $future.new)) (export "future.read" (func $future.read))
    (export "future.write" (func $future.write)) (export "future.drop-readable" (func $future.drop-readable))
    (export "future.drop-writable" (func $future.drop-writable))
    (export "error-context.new" (func $error-context.new))
    (export "error-context.debug-message" (func $error-context.debug-message))
    (export "error-context.drop" (func $error-context.drop))))))
  (func (export "run") async (result u32) %s))`, run, cb, run2, lift)
}

// Each case is checked against CanonicalABI.md: the value run returns, or
// a trap whose message contains want.
var builtinCases = []struct {
	name, run, cb string
	sync          bool
	mode          string // overrides sync: "stackful"
	want          uint32
	trap          string
}{
	{name: "task.return then EXIT", run: `(call $task.return (i32.const 7)) (i32.const 0)`, cb: `unreachable`, want: 7},
	{name: "task.return twice", run: `(call $task.return (i32.const 7)) (call $task.return (i32.const 8)) (i32.const 0)`,
		cb: `unreachable`, trap: "task.return called after the task already returned"},
	{name: "EXIT without task.return", run: `(i32.const 0)`, cb: `unreachable`, trap: "without calling task.return"},
	{name: "task.return of the wrong type", run: `(call $task.return-none) (i32.const 0)`, cb: `unreachable`,
		trap: "result type does not match"},
	{name: "task.return in a sync lift", run: `(call $task.return (i32.const 1)) (i32.const 0)`, cb: `unreachable`, sync: true,
		trap: "synchronously lifted"},
	{name: "invalid callback code", run: `(i32.const 3)`, cb: `unreachable`, trap: "unsupported callback code"},
	{name: "YIELD delivers NONE", run: `(i32.const 1)`,
		cb: `(if (local.get $ev) (then unreachable)) (call $task.return (i32.const 11)) (i32.const 0)`, want: 11},
	{name: "thread.yield returns not-cancelled", run: `(call $task.return (i32.add (i32.const 20) (call $thread.yield))) (i32.const 0)`,
		cb: `unreachable`, want: 20},
	{name: "context.set survives the callback", run: `(call $context.set (i32.const 99)) (i32.const 1)`,
		cb: `(call $task.return (call $context.get)) (i32.const 0)`, want: 99},
	{name: "task.cancel without a request", run: `(call $task.cancel) (i32.const 0)`, cb: `unreachable`,
		trap: "without a delivered cancellation request"},
	{name: "backpressure below zero", run: `(call $backpressure.dec) (i32.const 0)`, cb: `unreachable`, trap: "backpressure"},
	{name: "backpressure inc and dec", run: `(call $backpressure.inc) (call $backpressure.dec) (call $task.return (i32.const 3)) (i32.const 0)`,
		cb: `unreachable`, want: 3},
	{name: "poll of an empty set", run: `(call $task.return (call $waitable-set.poll (call $waitable-set.new) (i32.const 8))) (i32.const 0)`,
		cb: `unreachable`, want: 0},
	{name: "wait on an unknown set", run: `(i32.const 0x52)`, cb: `unreachable`, trap: "unknown handle index 5"},
	{name: "drop a set with members", run: `
		(local.set $r (call $waitable-set.new))
		(local.set $r64 (call $future.new))
		(call $waitable.join (i32.wrap_i64 (local.get $r64)) (local.get $r))
		(call $waitable-set.drop (local.get $r)) (i32.const 0)`, cb: `unreachable`, trap: "still contains waitables"},
	{name: "future write then read in one instance", run: `
		(local.set $r64 (call $future.new))
		(global.set $g (i32.wrap_i64 (local.get $r64)))
		(global.set $h (i32.wrap_i64 (i64.shr_u (local.get $r64) (i64.const 32))))
		(if (i32.ne (call $future.read (global.get $g) (i32.const 16)) (i32.const -1)) (then unreachable))
		(i32.store (i32.const 20) (i32.const 1234))
		(if (i32.ne (call $future.write (global.get $h) (i32.const 20)) (i32.const 0)) (then unreachable))
		(local.set $r (call $waitable-set.new))
		(call $waitable.join (global.get $g) (local.get $r))
		(i32.or (i32.const 2) (i32.shl (local.get $r) (i32.const 4)))`,
		cb: `(if (i32.ne (local.get $ev) (i32.const 4)) (then unreachable))
		(if (i32.ne (local.get $i) (global.get $g)) (then unreachable))
		(if (i32.ne (local.get $p) (i32.const 0)) (then unreachable))
		(call $task.return (i32.load (i32.const 16))) (i32.const 0)`, want: 1234},
	{name: "future writer dropped before writing", run: `
		(local.set $r64 (call $future.new))
		(call $future.drop-writable (i32.wrap_i64 (i64.shr_u (local.get $r64) (i64.const 32)))) (i32.const 0)`,
		cb: `unreachable`, trap: "cannot drop future write end without first writing a value"},
	{name: "stream read on the writable end", run: `
		(local.set $r64 (call $stream.new))
		(drop (call $stream.read (i32.wrap_i64 (i64.shr_u (local.get $r64) (i64.const 32))) (i32.const 16) (i32.const 1))) (i32.const 0)`,
		cb: `unreachable`, trap: "not the expected stream or future end"},
	{name: "stream write with a misaligned buffer", run: `
		(local.set $r64 (call $stream.new))
		(drop (call $stream.write (i32.wrap_i64 (i64.shr_u (local.get $r64) (i64.const 32))) (i32.const 17) (i32.const 1))) (i32.const 0)`,
		cb: `unreachable`, trap: "not aligned"},
	{name: "stream drop while writing", run: `
		(local.set $r64 (call $stream.new))
		(local.set $r (i32.wrap_i64 (i64.shr_u (local.get $r64) (i64.const 32))))
		(if (i32.ne (call $stream.write (local.get $r) (i32.const 16) (i32.const 2)) (i32.const -1)) (then unreachable))
		(call $stream.drop-writable (local.get $r)) (i32.const 0)`,
		cb: `unreachable`, trap: "cannot drop busy stream"},
	{name: "stream reader dropped: the write sees DROPPED", run: `
		(local.set $r64 (call $stream.new))
		(call $stream.drop-readable (i32.wrap_i64 (local.get $r64)))
		(call $task.return (call $stream.write (i32.wrap_i64 (i64.shr_u (local.get $r64) (i64.const 32))) (i32.const 16) (i32.const 2)))
		(i32.const 0)`, cb: `unreachable`, want: 1},
	{name: "error-context round trip", run: `
		(local.set $r (call $error-context.new (i32.const 100) (i32.const 4)))
		(call $error-context.debug-message (local.get $r) (i32.const 32))
		(call $error-context.drop (local.get $r))
		(if (i32.ne (i32.load (i32.const 36)) (i32.const 4)) (then unreachable))
		(call $task.return (i32.load (i32.load (i32.const 32)))) (i32.const 0)`, cb: `unreachable`,
		want: uint32('o') | uint32('o')<<8 | uint32('p')<<16 | uint32('s')<<24},
	{name: "stackful: waits on a future it wrote itself", mode: "stackful", run: `
		(local.set $r64 (call $future.new))
		(global.set $g (i32.wrap_i64 (local.get $r64)))
		(global.set $h (i32.wrap_i64 (i64.shr_u (local.get $r64) (i64.const 32))))
		(if (i32.ne (call $future.read (global.get $g) (i32.const 16)) (i32.const -1)) (then unreachable))
		(local.set $r (call $waitable-set.new))
		(call $waitable.join (global.get $g) (local.get $r))
		(if (i32.ne (call $waitable-set.poll (local.get $r) (i32.const 8)) (i32.const 0)) (then unreachable))
		(i32.store (i32.const 20) (i32.const 77))
		(if (i32.ne (call $future.write (global.get $h) (i32.const 20)) (i32.const 0)) (then unreachable))
		(if (i32.ne (call $waitable-set.wait (local.get $r) (i32.const 8)) (i32.const 4)) (then unreachable))
		(call $task.return (i32.load (i32.const 16)))`, cb: `unreachable`, want: 77},
	{name: "stackful: thread.yield and context", mode: "stackful", run: `
		(call $context.set (i32.const 5))
		(drop (call $thread.yield))
		(call $task.return (call $context.get))`, cb: `unreachable`, want: 5},
	{name: "stackful: returns without task.return", mode: "stackful", run: ``, cb: `unreachable`,
		trap: "without calling task.return"},
	{name: "error-context dropped twice", run: `
		(local.set $r (call $error-context.new (i32.const 100) (i32.const 4)))
		(call $error-context.drop (local.get $r)) (call $error-context.drop (local.get $r)) (i32.const 0)`,
		cb: `unreachable`, trap: "unknown handle index"},
}

func TestAsyncBuiltins(t *testing.T) {
	texts := make([]string, len(builtinCases))
	for i, c := range builtinCases {
		texts[i] = builtinsWAT(c.run, c.cb, c.sync)
		if c.mode != "" {
			texts[i] = builtinsWATMode(c.run, c.cb, c.mode)
		}
	}
	rs, err := wast.TestCompiler(t).Compile(texts)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	eng := newEngine(t, Options{})
	for i, c := range builtinCases {
		t.Run(c.name, func(t *testing.T) {
			if rs[i].Err != nil {
				t.Fatalf("jco: %v", rs[i].Err)
			}
			comp, err := eng.Compile(ctx, rs[i].Binary)
			if err != nil {
				t.Fatal(err)
			}
			inst, err := eng.Instantiate(ctx, comp, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer inst.Close(ctx)
			got, err := inst.Call(ctx, "run")
			if c.trap != "" {
				var tr *Trap
				if !errors.As(err, &tr) || !strings.Contains(err.Error(), c.trap) {
					t.Fatalf("want a trap with %q, got %v, %v", c.trap, got, err)
				}
				if _, err := inst.Call(ctx, "run"); err == nil {
					t.Fatal("the instance ran again after a trap")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := canonabi.U32Value(c.want); got.String() != want.String() {
				t.Fatalf("run = %v, want %v", got, want)
			}
		})
	}
}
