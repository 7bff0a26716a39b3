package wasi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/witgo/witgo/engine"
	"github.com/witgo/witgo/internal/wast"
)

// p3Command is a hand-written wasi:cli/command@0.3.0 component: imports
// of 0.3 interfaces with the types the WIT gives them, a core module
// whose async `run` (lifted with a callback, which it never needs: it
// blocks in sync built-ins, as an async-typed task may, and exits at
// once) runs body, and helpers:
//
//	$out(which, ptr, len)  writes through a new stream given to
//	                       stdout (which=0) or stderr (1) and traps unless
//	                       the future says ok
//	$ret(i32)              task.return of run's result (0 ok, 1 err)
//
// body may use the locals $i $n $st $x $y (i32) and $t0 (i64); memory
// below 1000 is scratch for return areas, 4096-8191 a buffer.
// data is the module's data segments (static text from 1024; the bump
// heap starts at 8192). run also has an export `answer` (async, u32) that
// prints "answering\n" and returns 42, for --invoke.
func p3Command(t *testing.T, data, body string) *engine.Compiled {
	t.Helper()
	wat := strings.NewReplacer("{{DATA}}", data, "{{BODY}}", body,
		"{{STDOUT}}", p3OutputImport("stdout"), "{{STDERR}}", p3OutputImport("stderr")).Replace(p3CommandWAT)
	bin := wast.ComponentFromWAT(t, wat)
	c, err := sharedEngine(t).Compile(context.Background(), bin)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// p3OutputImport is the import of wasi:cli/stdout or stderr, 0.3.0.
func p3OutputImport(name string) string {
	return `  (import "wasi:cli/` + name + `@0.3.0" (instance $` + name + `
    (type $ec (enum "io" "illegal-byte-sequence" "pipe"))
    (export "error-code" (type $e (eq $ec)))
    (type $st (stream u8))
    (type $r (result (error $e)))
    (type $fu (future $r))
    (export "write-via-stream" (func (param "data" $st) (result $fu)))))`
}

const p3CommandWAT = `(component
{{STDOUT}}
{{STDERR}}
  (import "wasi:cli/stdin@0.3.0" (instance $stdin
    (type $ec (enum "io" "illegal-byte-sequence" "pipe"))
    (export "error-code" (type $e (eq $ec)))
    (type $st (stream u8))
    (type $r (result (error $e)))
    (type $fu (future $r))
    (type $t (tuple $st $fu))
    (export "read-via-stream" (func (result $t)))))
  (import "wasi:cli/environment@0.3.0" (instance $env
    (type $args (list string))
    (export "get-arguments" (func (result $args)))
    (type $kv (tuple string string))
    (type $vars (list $kv))
    (export "get-environment" (func (result $vars)))
    (type $cwd (option string))
    (export "get-initial-cwd" (func (result $cwd)))))
  (import "wasi:cli/exit@0.3.0" (instance $exit
    (export "exit-with-code" (func (param "status-code" u8)))))
  (import "wasi:clocks/monotonic-clock@0.3.0" (instance $mono
    (export "now" (func (result u64)))
    (export "wait-for" (func async (param "how-long" u64)))))
  (import "wasi:random/random@0.3.0" (instance $random
    (type $bytes (list u8))
    (export "get-random-bytes" (func (param "max-len" u64) (result $bytes)))))

  (alias export $stdout "error-code" (type $ec))
  (type $ST (stream u8))
  (type $R (result (error $ec)))
  (type $FU (future $R))
  (type $RES (result))

  (core module $Mem
    (memory (export "mem") 1)
    (global $heap (mut i32) (i32.const 8192))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get 2) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get 2))))
      (global.set $heap (i32.add (local.get $p) (local.get 3)))
      (local.get $p)))
  (core instance $mem (instantiate $Mem))

  (core func $wvs (canon lower (func $stdout "write-via-stream")))
  (core func $ewvs (canon lower (func $stderr "write-via-stream")))
  (core func $rvs (canon lower (func $stdin "read-via-stream") (memory (core memory $mem "mem"))))
  (core func $args (canon lower (func $env "get-arguments") (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
  (core func $vars (canon lower (func $env "get-environment") (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
  (core func $cwd (canon lower (func $env "get-initial-cwd") (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
  (core func $exitc (canon lower (func $exit "exit-with-code")))
  (core func $now (canon lower (func $mono "now")))
  (core func $waitfor (canon lower (func $mono "wait-for")))
  (core func $waitfor-async (canon lower (func $mono "wait-for") async))
  (core func $randbytes (canon lower (func $random "get-random-bytes") (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
  (core func $sn (canon stream.new $ST))
  (core func $sw (canon stream.write $ST (memory (core memory $mem "mem"))))
  (core func $sr (canon stream.read $ST (memory (core memory $mem "mem"))))
  (core func $sdw (canon stream.drop-writable $ST))
  (core func $sdr (canon stream.drop-readable $ST))
  (core func $fr (canon future.read $FU (memory (core memory $mem "mem"))))
  (core func $fdr (canon future.drop-readable $FU))
  (core func $wsnew (canon waitable-set.new))
  (core func $wswait (canon waitable-set.wait (memory (core memory $mem "mem"))))
  (core func $join (canon waitable.join))
  (core func $stdrop (canon subtask.drop))
  (core func $taskret (canon task.return (result $RES)))
  (core func $taskret32 (canon task.return (result u32)))

  (core module $M
    (import "" "mem" (memory 1))
    (import "" "wvs" (func $wvs (param i32) (result i32)))
    (import "" "ewvs" (func $ewvs (param i32) (result i32)))
    (import "" "rvs" (func $rvs (param i32)))
    (import "" "args" (func $args (param i32)))
    (import "" "vars" (func $vars (param i32)))
    (import "" "cwd" (func $cwd (param i32)))
    (import "" "exitc" (func $exitc (param i32)))
    (import "" "now" (func $now (result i64)))
    (import "" "waitfor" (func $waitfor (param i64)))
    (import "" "waitfor-async" (func $waitfor-async (param i64) (result i32)))
    (import "" "randbytes" (func $randbytes (param i64 i32)))
    (import "" "sn" (func $sn (result i64)))
    (import "" "sw" (func $sw (param i32 i32 i32) (result i32)))
    (import "" "sr" (func $sr (param i32 i32 i32) (result i32)))
    (import "" "sdw" (func $sdw (param i32)))
    (import "" "sdr" (func $sdr (param i32)))
    (import "" "fr" (func $fr (param i32 i32) (result i32)))
    (import "" "fdr" (func $fdr (param i32)))
    (import "" "wsnew" (func $wsnew (result i32)))
    (import "" "wswait" (func $wswait (param i32 i32) (result i32)))
    (import "" "join" (func $join (param i32 i32)))
    (import "" "stdrop" (func $stdrop (param i32)))
    (import "" "taskret" (func $ret (param i32)))
    (import "" "taskret32" (func $ret32 (param i32)))

    (func $out (param $which i32) (param $ptr i32) (param $len i32)
      (local $rw i64) (local $w i32) (local $f i32) (local $st i32) (local $n i32)
      (local.set $rw (call $sn))
      (local.set $w (i32.wrap_i64 (i64.shr_u (local.get $rw) (i64.const 32))))
      (if (local.get $which)
        (then (local.set $f (call $ewvs (i32.wrap_i64 (local.get $rw)))))
        (else (local.set $f (call $wvs (i32.wrap_i64 (local.get $rw))))))
      (block $done (loop $l
        (br_if $done (i32.eqz (local.get $len)))
        (local.set $st (call $sw (local.get $w) (local.get $ptr) (local.get $len)))
        (local.set $n (i32.shr_u (local.get $st) (i32.const 4)))
        (local.set $ptr (i32.add (local.get $ptr) (local.get $n)))
        (local.set $len (i32.sub (local.get $len) (local.get $n)))
        (br_if $done (i32.eq (i32.and (local.get $st) (i32.const 0xf)) (i32.const 1)))
        (br $l)))
      (call $sdw (local.get $w))
      (if (i32.ne (call $fr (local.get $f) (i32.const 16)) (i32.const 0)) (then unreachable))
      (call $fdr (local.get $f))
      (if (i32.load8_u (i32.const 16)) (then unreachable)))

    ;; $printlist writes each string of the list<string> at (ptr, n), one a line.
    (func $printlist (param $ptr i32) (param $n i32)
      (block $done (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (call $out (i32.const 0) (i32.load (local.get $ptr)) (i32.load offset=4 (local.get $ptr)))
        (call $out (i32.const 0) (i32.const 1000) (i32.const 1))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l))))

    (data (i32.const 1000) "\n")
    (data (i32.const 1008) "answering\n")
    {{DATA}}

    (func (export "run") (result i32)
      (local $i i32) (local $n i32) (local $st i32) (local $x i32) (local $y i32) (local $t0 i64)
      {{BODY}}
      (i32.const 0))
    (func (export "answer") (result i32)
      (call $out (i32.const 0) (i32.const 1008) (i32.const 10))
      (call $ret32 (i32.const 42))
      (i32.const 0))
    (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
  (core instance $m (instantiate $M (with "" (instance
    (export "mem" (memory $mem "mem"))
    (export "wvs" (func $wvs)) (export "ewvs" (func $ewvs)) (export "rvs" (func $rvs))
    (export "args" (func $args)) (export "vars" (func $vars)) (export "cwd" (func $cwd))
    (export "exitc" (func $exitc)) (export "now" (func $now))
    (export "waitfor" (func $waitfor)) (export "waitfor-async" (func $waitfor-async))
    (export "randbytes" (func $randbytes))
    (export "sn" (func $sn)) (export "sw" (func $sw)) (export "sr" (func $sr))
    (export "sdw" (func $sdw)) (export "sdr" (func $sdr))
    (export "fr" (func $fr)) (export "fdr" (func $fdr))
    (export "wsnew" (func $wsnew)) (export "wswait" (func $wswait)) (export "join" (func $join))
    (export "stdrop" (func $stdrop))
    (export "taskret" (func $taskret)) (export "taskret32" (func $taskret32))))))
  (func $run async (result $RES)
    (canon lift (core func $m "run") async (callback (core func $m "cb"))))
  (instance $runi (export "run" (func $run)))
  (export "wasi:cli/run@0.3.0" (instance $runi))
  (func (export "answer") async (result u32)
    (canon lift (core func $m "answer") async (callback (core func $m "cb"))))
)`
