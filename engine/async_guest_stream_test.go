package engine

import (
	"context"
	"testing"

	"github.com/witgo/witgo/internal/wast"
)

// Two guests pass a stream<string>: $C writes two strings (lifted from its
// memory), $D reads them into its own memory through its realloc and
// returns their total length and the sum of the bytes of the second.
const guestStringStreamWAT = `(component
  (component $C
    (core module $Mem (memory (export "mem") 1))
    (core instance $mem (instantiate $Mem))
    (type $ST (stream string))
    (core func $stream.new (canon stream.new $ST))
    (core func $stream.write (canon stream.write $ST async (memory (core memory $mem "mem"))))
    (core func $stream.drop-writable (canon stream.drop-writable $ST))
    (core func $ws.new (canon waitable-set.new))
    (core func $join (canon waitable.join))
    (core func $ret (canon task.return (result $ST)))
    (core module $M
      (import "" "mem" (memory 1))
      (import "" "stream.new" (func $stream.new (result i64)))
      (import "" "stream.write" (func $stream.write (param i32 i32 i32) (result i32)))
      (import "" "stream.drop-writable" (func $stream.drop-writable (param i32)))
      (import "" "ws.new" (func $ws.new (result i32)))
      (import "" "join" (func $join (param i32 i32)))
      (import "" "ret" (func $ret (param i32)))
      (global $w (mut i32) (i32.const 0))
      (global $ws (mut i32) (i32.const 0))
      (data (i32.const 100) "hello")
      (data (i32.const 110) "w\c3\b6rld")
      (func (export "words") (result i32)
        (local $r64 i64) (local $ret i32)
        (local.set $r64 (call $stream.new))
        (global.set $w (i32.wrap_i64 (i64.shr_u (local.get $r64) (i64.const 32))))
        (call $ret (i32.wrap_i64 (local.get $r64)))
        ;; two (ptr, len) string records at 16
        (i32.store (i32.const 16) (i32.const 100)) (i32.store (i32.const 20) (i32.const 5))
        (i32.store (i32.const 24) (i32.const 110)) (i32.store (i32.const 28) (i32.const 6))
        (local.set $ret (call $stream.write (global.get $w) (i32.const 16) (i32.const 2)))
        (if (i32.ne (local.get $ret) (i32.const -1)) (then unreachable))
        (global.set $ws (call $ws.new))
        (call $join (global.get $w) (global.get $ws))
        (i32.or (i32.const 2) (i32.shl (global.get $ws) (i32.const 4))))
      (func (export "words-cb") (param $ev i32) (param $i i32) (param $p i32) (result i32)
        (if (i32.ne (local.get $ev) (i32.const 3)) (then unreachable))
        (if (i32.ne (local.get $p) (i32.const 0x20)) (then unreachable)) ;; COMPLETED, 2 values
        (call $join (global.get $w) (i32.const 0))
        (call $stream.drop-writable (global.get $w))
        (i32.const 0)))
    (core instance $m (instantiate $M (with "" (instance
      (export "mem" (memory $mem "mem"))
      (export "stream.new" (func $stream.new)) (export "stream.write" (func $stream.write))
      (export "stream.drop-writable" (func $stream.drop-writable))
      (export "ws.new" (func $ws.new)) (export "join" (func $join)) (export "ret" (func $ret))))))
    (func (export "words") async (result $ST)
      (canon lift (core func $m "words") async (callback (core func $m "words-cb")))))
  (component $D
    (type $ST (stream string))
    (import "words" (func $words async (result $ST)))
    (core module $Mem
      (memory (export "mem") 1)
      (global $top (mut i32) (i32.const 1024))
      (func (export "realloc") (param i32 i32 i32 i32) (result i32)
        (local $p i32)
        (local.set $p (global.get $top))
        (global.set $top (i32.add (global.get $top) (local.get 3)))
        (local.get $p)))
    (core instance $mem (instantiate $Mem))
    (core func $words' (canon lower (func $words) (memory (core memory $mem "mem"))))
    (core func $stream.read (canon stream.read $ST (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
    (core func $stream.drop-readable (canon stream.drop-readable $ST))
    (core module $M
      (import "" "mem" (memory 1))
      (import "" "words" (func $words (result i32)))
      (import "" "stream.read" (func $stream.read (param i32 i32 i32) (result i32)))
      (import "" "stream.drop-readable" (func $stream.drop-readable (param i32)))
      (func (export "run") (result i32)
        (local $s i32) (local $ret i32) (local $i i32) (local $sum i32)
        (local.set $s (call $words))
        (local.set $ret (call $stream.read (local.get $s) (i32.const 64) (i32.const 4)))
        (if (i32.ne (local.get $ret) (i32.const 0x20)) (then unreachable)) ;; COMPLETED, 2 values
        (local.set $ret (call $stream.read (local.get $s) (i32.const 64) (i32.const 4)))
        (if (i32.ne (local.get $ret) (i32.const 1)) (then unreachable)) ;; DROPPED, none
        (call $stream.drop-readable (local.get $s))
        ;; sum the bytes of the second string
        (block $b (loop $l
          (br_if $b (i32.ge_u (local.get $i) (i32.load (i32.const 76))))
          (local.set $sum (i32.add (local.get $sum) (i32.load8_u (i32.add (i32.load (i32.const 72)) (local.get $i)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l)))
        (i32.add (i32.mul (i32.add (i32.load (i32.const 68)) (i32.load (i32.const 76))) (i32.const 10000))
                 (local.get $sum))))
    (core instance $m (instantiate $M (with "" (instance
      (export "mem" (memory $mem "mem")) (export "words" (func $words'))
      (export "stream.read" (func $stream.read)) (export "stream.drop-readable" (func $stream.drop-readable))))))
    (func (export "run") async (result u32) (canon lift (core func $m "run"))))
  (instance $c (instantiate $C))
  (instance $d (instantiate $D (with "words" (func $c "words"))))
  (export "run" (func $d "run")))`

func TestGuestToGuestStringStream(t *testing.T) {
	bin := wast.ComponentFromWAT(t, guestStringStreamWAT)
	inst := instantiate(t, newEngine(t, Options{}), bin, nil)
	got, err := inst.Call(context.Background(), "run")
	if err != nil {
		t.Fatal(err)
	}
	// 11 bytes in all ("hello", "wörld"); the second's bytes: w ö(c3 b6) r l d
	want := uint64(11*10000 + 'w' + 0xc3 + 0xb6 + 'r' + 'l' + 'd')
	if got.Uint() != want {
		t.Fatalf("run = %v, want %d", got, want)
	}
}
