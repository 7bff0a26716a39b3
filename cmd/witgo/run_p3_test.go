package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/internal/wast"
)

// p3RunWAT is a wasi:cli/command@0.3.0 component written by hand: its
// async run prints one line through stdout's write-via-stream (waiting
// for the future of the result), then ends as {{END}} says; its async
// export answer prints "answering" and returns 42.
const p3RunWAT = `(component
  (import "wasi:cli/stdout@0.3.0" (instance $stdout
    (type $ec (enum "io" "illegal-byte-sequence" "pipe"))
    (export "error-code" (type $e (eq $ec)))
    (type $st (stream u8))
    (type $r (result (error $e)))
    (type $fu (future $r))
    (export "write-via-stream" (func (param "data" $st) (result $fu)))))
  (import "wasi:cli/exit@0.3.0" (instance $exit
    (export "exit-with-code" (func (param "status-code" u8)))))
  (alias export $stdout "error-code" (type $ec))
  (type $ST (stream u8))
  (type $FU (future (result (error $ec))))
  (type $RES (result))
  (core module $Mem (memory (export "mem") 1))
  (core instance $mem (instantiate $Mem))
  (core func $wvs (canon lower (func $stdout "write-via-stream")))
  (core func $exitc (canon lower (func $exit "exit-with-code")))
  (core func $sn (canon stream.new $ST))
  (core func $sw (canon stream.write $ST (memory (core memory $mem "mem"))))
  (core func $sdw (canon stream.drop-writable $ST))
  (core func $fr (canon future.read $FU (memory (core memory $mem "mem"))))
  (core func $fdr (canon future.drop-readable $FU))
  (core func $taskret (canon task.return (result $RES)))
  (core func $taskret32 (canon task.return (result u32)))
  (core module $M
    (import "" "mem" (memory 1))
    (import "" "wvs" (func $wvs (param i32) (result i32)))
    (import "" "exitc" (func $exitc (param i32)))
    (import "" "sn" (func $sn (result i64)))
    (import "" "sw" (func $sw (param i32 i32 i32) (result i32)))
    (import "" "sdw" (func $sdw (param i32)))
    (import "" "fr" (func $fr (param i32 i32) (result i32)))
    (import "" "fdr" (func $fdr (param i32)))
    (import "" "taskret" (func $ret (param i32)))
    (import "" "taskret32" (func $ret32 (param i32)))
    (data (i32.const 1024) "hello from 0.3 (wat)\n")
    (data (i32.const 1056) "answering\n")
    ;; $print writes (ptr, len) in one write, which the host takes whole
    (func $print (param $ptr i32) (param $len i32)
      (local $rw i64) (local $f i32)
      (local.set $rw (call $sn))
      (local.set $f (call $wvs (i32.wrap_i64 (local.get $rw))))
      (if (i32.ne (i32.shr_u (call $sw (i32.wrap_i64 (i64.shr_u (local.get $rw) (i64.const 32))) (local.get $ptr) (local.get $len)) (i32.const 4))
                  (local.get $len)) (then unreachable))
      (call $sdw (i32.wrap_i64 (i64.shr_u (local.get $rw) (i64.const 32))))
      (if (call $fr (local.get $f) (i32.const 16)) (then unreachable))
      (call $fdr (local.get $f))
      (if (i32.load8_u (i32.const 16)) (then unreachable)))
    (func (export "run") (result i32)
      (call $print (i32.const 1024) (i32.const 21))
      {{END}}
      (i32.const 0))
    (func (export "answer") (result i32)
      (call $print (i32.const 1056) (i32.const 10))
      (call $ret32 (i32.const 42))
      (i32.const 0))
    (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
  (core instance $m (instantiate $M (with "" (instance
    (export "mem" (memory $mem "mem"))
    (export "wvs" (func $wvs)) (export "exitc" (func $exitc))
    (export "sn" (func $sn)) (export "sw" (func $sw)) (export "sdw" (func $sdw))
    (export "fr" (func $fr)) (export "fdr" (func $fdr))
    (export "taskret" (func $taskret)) (export "taskret32" (func $taskret32))))))
  (func $run async (result $RES)
    (canon lift (core func $m "run") async (callback (core func $m "cb"))))
  (instance $runi (export "run" (func $run)))
  (export "wasi:cli/run@0.3.0" (instance $runi))
  (func (export "answer") async (result u32)
    (canon lift (core func $m "answer") async (callback (core func $m "cb"))))
)`

// p3RunComponent writes the component whose run ends with end to a file.
func p3RunComponent(t *testing.T, end string) string {
	t.Helper()
	bin := wast.ComponentFromWAT(t, strings.Replace(p3RunWAT, "{{END}}", end, 1))
	path := filepath.Join(t.TempDir(), "p3.wasm")
	if err := os.WriteFile(path, bin, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRunP3Command: `witgo run` runs a 0.3.0 command (the async
// wasi:cli/run@0.3.0 export): its output, and its exit status from
// exit-with-code, from run's err, and 0 from run's ok; --invoke calls
// another async export and prints what it streamed and its result.
func TestRunP3Command(t *testing.T) {
	for _, tc := range []struct {
		end  string
		want int
	}{
		{`(call $exitc (i32.const 3)) unreachable`, 3},
		{`(call $ret (i32.const 1))`, 1},
		{`(call $ret (i32.const 0))`, 0},
	} {
		comp := p3RunComponent(t, tc.end)
		r := witgo(t, "run", comp)
		r.expect(t, tc.want)
		if r.stdout != "hello from 0.3 (wat)\n" || r.stderr != "" {
			t.Errorf("%s: stdout %q, stderr %q", tc.end, r.stdout, r.stderr)
		}
	}
	comp := p3RunComponent(t, `(call $ret (i32.const 0))`)
	r := witgo(t, "run", "--invoke", "answer()", comp)
	r.expect(t, exitOK)
	if r.stdout != "answering\n42\n" {
		t.Errorf("--invoke answer(): stdout %q", r.stdout)
	}
}
