package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/internal/testshared"
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

// p3GoCommand makes engine/wasi/testdata/p3goguest a component with the
// CLI alone: `witgo bindgen` for wasi:cli/command@0.3.0, a wasip1
// c-shared build, `witgo component new` (with witgo's preview1 adapter,
// which Go's runtime needs). Skips, with the reason, without the WASI
// 0.3.0 WIT or go.
func p3GoCommand(t *testing.T) string {
	t.Helper()
	witDir := sharedDir(t, "reference", "wasi", "0.3.0", "wit")
	goTool, err := exec.LookPath("go")
	if err != nil {
		if testshared.Required() {
			t.Fatal("go not found")
		}
		t.Skip("go not found: needed to build the guest")
	}
	mod := t.TempDir()
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/p3\n\ngo 1.24\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	witgo(t, "bindgen", "--out", filepath.Join(mod, "gen"), "--package-root", "example.com/p3/gen",
		"--world", "wasi:cli/command@0.3.0", witDir).expect(t, exitOK)
	src, err := os.ReadFile(filepath.Join("..", "..", "engine", "wasi", "testdata", "p3goguest", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(mod, "app"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "app", "main.go"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	core := filepath.Join(mod, "core.wasm")
	cmd := exec.Command(goTool, "build", "-buildmode=c-shared", "-trimpath", "-o", core, "./app")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build of the 0.3 guest: %v\n%s", err, out)
	}
	comp := filepath.Join(mod, "p3go.wasm")
	witgo(t, "component", "new", core, "--wit", witDir, "--world", "wasi:cli/command@0.3.0", "-o", comp).expect(t, exitOK)
	return comp
}

// TestRunP3GoCommand: a Go guest built for wasi:cli/command@0.3.0 with
// witgo's own bindings runs under `witgo run`: its async run export
// prints through write-via-stream, reads its arguments, sleeps with
// wait-for, and its exit-with-code, err and ok reach witgo's status.
func TestRunP3GoCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go wasm guest")
	}
	comp := p3GoCommand(t)
	for _, tc := range []struct {
		args   []string
		status int
		stdout string
	}{
		{nil, 0, "hello from 0.3\n"},
		{[]string{"sleep"}, 0, "hello from 0.3\nargs: sleep\n"},
		{[]string{"exit"}, 5, "hello from 0.3\nargs: exit\n"},
		{[]string{"fail", "x y"}, 1, "hello from 0.3\nargs: fail x y\n"},
	} {
		r := witgo(t, append([]string{"run", comp}, tc.args...)...)
		r.expect(t, tc.status)
		if r.stdout != tc.stdout {
			t.Errorf("%q: stdout %q, want %q (stderr %q)", tc.args, r.stdout, tc.stdout, r.stderr)
		}
	}
	// Files through a preopen: stat-at and open-at (async imports the Go
	// bindings lower with [async-lower]), then read-via-stream.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "f.txt"), []byte("file body\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := witgo(t, "run", "--dir", dir+"::/d", comp, "file", "f.txt")
	r.expect(t, exitOK)
	if want := "hello from 0.3\nargs: file f.txt\nsize 10: file body\n"; r.stdout != want {
		t.Errorf("file f.txt: stdout %q, want %q (stderr %q)", r.stdout, want, r.stderr)
	}
	r = witgo(t, "run", comp, "file", "f.txt")
	if r.expect(t, exitOK); r.stdout != "hello from 0.3\nargs: file f.txt\nno preopens\n" {
		t.Errorf("file without --dir: stdout %q", r.stdout)
	}
	// stdin through read-via-stream (the real process: witgo gives the
	// guest its own stdin).
	cmd := exec.Command(witgoBinary(t), "run", comp, "cat")
	cmd.Stdin = strings.NewReader("typed input\n")
	out, err := cmd.Output()
	if err != nil || string(out) != "hello from 0.3\nargs: cat\ntyped input\n" {
		t.Errorf("cat: %v, stdout %q", err, out)
	}
}
