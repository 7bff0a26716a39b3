package wasi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/witgo/witgo/engine"
	"github.com/witgo/witgo/engine/wasi"
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
func p3Command(t testing.TB, data, body string) *engine.Compiled {
	t.Helper()
	wat := strings.NewReplacer("{{DATA}}", data, "{{BODY}}", body,
		"{{STDOUT}}", p3OutputImport("stdout"), "{{STDERR}}", p3OutputImport("stderr"),
		"{{FS}}", p3FilesystemImport()).Replace(p3CommandWAT)
	bin := wast.ComponentFromWAT(t, wat)
	c, err := sharedEngine(t).Compile(context.Background(), bin)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// instance3 instantiates c with a new host for cfg; both close at the
// end of the test.
func instance3(t testing.TB, c *engine.Compiled, cfg wasi.Config) (*wasi.Host, *engine.Instance) {
	t.Helper()
	h, err := wasi.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	inst, err := sharedEngine(t).Instantiate(context.Background(), c, h.Imports(c))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { inst.Close(context.Background()) })
	return h, inst
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

// fsErrorCodes are wasi:filesystem@0.3.0's error-code cases in order.
var fsErrorCodes = strings.Fields(`access already bad-descriptor busy deadlock quota exist
	file-too-large illegal-byte-sequence in-progress interrupted invalid io is-directory loop
	too-many-links message-size name-too-long no-device no-entry no-lock insufficient-memory
	insufficient-space not-directory not-empty not-recoverable unsupported no-tty
	no-such-device overflow not-permitted pipe read-only invalid-seek text-file-busy cross-device`)

// p3FilesystemImport imports the functions of wasi:filesystem@0.3.0 the
// tests use, with the WIT's types, and get-directories.
func p3FilesystemImport() string {
	cases := ""
	for _, c := range fsErrorCodes {
		cases += ` (case "` + c + `")`
	}
	return `  (import "wasi:filesystem/types@0.3.0" (instance $fst
    (export "descriptor" (type $d (sub resource)))
    (type $ec (variant` + cases + ` (case "other" (option string))))
    (export "error-code" (type $e (eq $ec)))
    (type $dt (variant (case "block-device") (case "character-device") (case "directory") (case "fifo")
      (case "symbolic-link") (case "regular-file") (case "socket") (case "other" (option string))))
    (export "descriptor-type" (type $t (eq $dt)))
    (type $de (record (field "type" $t) (field "name" string)))
    (export "directory-entry" (type $dent (eq $de)))
    (type $dflags (flags "read" "write" "file-integrity-sync" "data-integrity-sync" "requested-write-sync" "mutate-directory"))
    (export "descriptor-flags" (type $df (eq $dflags)))
    (type $pflags (flags "symlink-follow"))
    (export "path-flags" (type $pf (eq $pflags)))
    (type $oflags (flags "create" "directory" "exclusive" "truncate"))
    (export "open-flags" (type $of (eq $oflags)))
    (type $res (result (error $e)))
    (type $fu (future $res))
    (type $bd (borrow $d))
    (type $od (own $d))
    (export "[method]descriptor.open-at" (func async (param "self" $bd) (param "path-flags" $pf) (param "path" string)
      (param "open-flags" $of) (param "flags" $df) (result (result $od (error $e)))))
    (export "[method]descriptor.read-via-stream" (func (param "self" $bd) (param "offset" u64) (result (tuple (stream u8) $fu))))
    (export "[method]descriptor.write-via-stream" (func (param "self" $bd) (param "data" (stream u8)) (param "offset" u64) (result $fu)))
    (export "[method]descriptor.append-via-stream" (func (param "self" $bd) (param "data" (stream u8)) (result $fu)))
    (export "[method]descriptor.read-directory" (func (param "self" $bd) (result (tuple (stream $dent) $fu))))))
  (alias export $fst "descriptor" (type $descriptor))
  (import "wasi:filesystem/preopens@0.3.0" (instance $pre
    (export "descriptor" (type $d (eq $descriptor)))
    (export "get-directories" (func (result (list (tuple (own $d) string)))))))`
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
{{FS}}
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
  (alias export $fst "error-code" (type $fse))
  (alias export $fst "directory-entry" (type $DE))
  (type $FSFU (future (result (error $fse))))
  (type $DEST (stream $DE))

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
  (core func $getdirs (canon lower (func $pre "get-directories") (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
  (core func $openat (canon lower (func $fst "[method]descriptor.open-at") (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
  (core func $frvs (canon lower (func $fst "[method]descriptor.read-via-stream") (memory (core memory $mem "mem"))))
  (core func $fwvs (canon lower (func $fst "[method]descriptor.write-via-stream")))
  (core func $fapvs (canon lower (func $fst "[method]descriptor.append-via-stream")))
  (core func $readdir (canon lower (func $fst "[method]descriptor.read-directory") (memory (core memory $mem "mem"))))
  (core func $fsfr (canon future.read $FSFU (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
  (core func $fsfdr (canon future.drop-readable $FSFU))
  (core func $desr (canon stream.read $DEST (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
  (core func $desdr (canon stream.drop-readable $DEST))
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
  (core func $stcancel (canon subtask.cancel))
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
    (import "" "getdirs" (func $getdirs (param i32)))
    (import "" "openat" (func $openat (param i32 i32 i32 i32 i32 i32 i32)))
    (import "" "frvs" (func $frvs (param i32 i64 i32)))
    (import "" "fwvs" (func $fwvs (param i32 i32 i64) (result i32)))
    (import "" "fapvs" (func $fapvs (param i32 i32) (result i32)))
    (import "" "readdir" (func $readdir (param i32 i32)))
    (import "" "fsfr" (func $fsfr (param i32 i32) (result i32)))
    (import "" "fsfdr" (func $fsfdr (param i32)))
    (import "" "desr" (func $desr (param i32 i32 i32) (result i32)))
    (import "" "desdr" (func $desdr (param i32)))
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
    (import "" "stcancel" (func $stcancel (param i32) (result i32)))
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

;; $sink writes (ptr, len) into the writable end w of a stream whose
    ;; readable end the host took with future f (of a filesystem result),
    ;; drops w, and returns the future's error-code case, or -1 for ok.
    (func $sink (param $f i32) (param $w i32) (param $ptr i32) (param $len i32) (result i32)
      (drop (call $sw (local.get $w) (local.get $ptr) (local.get $len)))
      (call $sdw (local.get $w))
      (if (call $fsfr (local.get $f) (i32.const 256)) (then unreachable))
      (call $fsfdr (local.get $f))
      (if (result i32) (i32.load8_u (i32.const 256))
        (then (i32.load8_u (i32.const 260)))
        (else (i32.const -1))))

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
    (export "getdirs" (func $getdirs)) (export "openat" (func $openat)) (export "frvs" (func $frvs))
    (export "fwvs" (func $fwvs)) (export "fapvs" (func $fapvs)) (export "readdir" (func $readdir)) (export "fsfr" (func $fsfr))
    (export "fsfdr" (func $fsfdr)) (export "desr" (func $desr)) (export "desdr" (func $desdr))
    (export "sn" (func $sn)) (export "sw" (func $sw)) (export "sr" (func $sr))
    (export "sdw" (func $sdw)) (export "sdr" (func $sdr))
    (export "fr" (func $fr)) (export "fdr" (func $fdr))
    (export "wsnew" (func $wsnew)) (export "wswait" (func $wswait)) (export "join" (func $join))
    (export "stdrop" (func $stdrop)) (export "stcancel" (func $stcancel))
    (export "taskret" (func $taskret)) (export "taskret32" (func $taskret32))))))
  (func $run async (result $RES)
    (canon lift (core func $m "run") async (callback (core func $m "cb"))))
  (instance $runi (export "run" (func $run)))
  (export "wasi:cli/run@0.3.0" (instance $runi))
  (func (export "answer") async (result u32)
    (canon lift (core func $m "answer") async (callback (core func $m "cb"))))
)`
