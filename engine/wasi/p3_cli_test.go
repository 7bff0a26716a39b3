package wasi_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/witgo/witgo/engine/wasi"
)

// TestP3Hello: a 0.3 command writes stdout and stderr through
// write-via-stream; each future resolves ok and run's ok is status 0.
func TestP3Hello(t *testing.T) {
	c := p3Command(t, `(data (i32.const 1024) "hello from 0.3\n") (data (i32.const 1040) "to stderr\n")`, `
      (call $out (i32.const 0) (i32.const 1024) (i32.const 15))
      (call $out (i32.const 1) (i32.const 1040) (i32.const 10))
      (call $out (i32.const 0) (i32.const 1024) (i32.const 6))
      (call $ret (i32.const 0))`)
	res := run(t, c, wasi.Config{})
	if res.code != 0 || res.stdout != "hello from 0.3\nhello " || res.stderr != "to stderr\n" {
		t.Errorf("got status %d, stdout %q, stderr %q", res.code, res.stdout, res.stderr)
	}
}

// TestP3ArgsEnvCwd: get-arguments and get-environment give what Config
// grants (nothing by default), get-initial-cwd none.
func TestP3ArgsEnvCwd(t *testing.T) {
	c := p3Command(t, `(data (i32.const 1024) "=") (data (i32.const 1032) "cwd: none\n")`, `
      (call $args (i32.const 32))
      (call $printlist (i32.load (i32.const 32)) (i32.load (i32.const 36)))
      (call $vars (i32.const 40))
      (local.set $i (i32.load (i32.const 40)))
      (local.set $n (i32.load (i32.const 44)))
      (block $done (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (call $out (i32.const 0) (i32.load (local.get $i)) (i32.load offset=4 (local.get $i)))
        (call $out (i32.const 0) (i32.const 1024) (i32.const 1))
        (call $out (i32.const 0) (i32.load offset=8 (local.get $i)) (i32.load offset=12 (local.get $i)))
        (call $out (i32.const 0) (i32.const 1000) (i32.const 1))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
      (call $cwd (i32.const 48))
      (if (i32.eqz (i32.load8_u (i32.const 48))) (then (call $out (i32.const 0) (i32.const 1032) (i32.const 10))))
      (call $ret (i32.const 0))`)
	res := run(t, c, wasi.Config{Args: []string{"app", "a b", "ü"}, Env: [][2]string{{"HOME", "/h"}, {"X", "1=2"}}})
	if want := "app\na b\nü\nHOME=/h\nX=1=2\ncwd: none\n"; res.code != 0 || res.stdout != want {
		t.Errorf("got status %d, stdout %q; want %q", res.code, res.stdout, want)
	}
	res = run(t, c, wasi.Config{})
	if res.stdout != "cwd: none\n" {
		t.Errorf("nothing granted: stdout %q", res.stdout)
	}
}

// p3Cat echoes stdin to stdout through read-via-stream, then checks the
// future says ok.
const p3Cat = `
      (call $rvs (i32.const 64))
      (block $done (loop $l
        (local.set $st (call $sr (i32.load (i32.const 64)) (i32.const 4096) (i32.const 4096)))
        (local.set $n (i32.shr_u (local.get $st) (i32.const 4)))
        (if (local.get $n) (then (call $out (i32.const 0) (i32.const 4096) (local.get $n))))
        (br_if $done (i32.eq (i32.and (local.get $st) (i32.const 0xf)) (i32.const 1)))
        (br $l)))
      (call $sdr (i32.load (i32.const 64)))
      (if (i32.ne (call $fr (i32.load (i32.const 68)) (i32.const 80)) (i32.const 0)) (then unreachable))
      (call $fdr (i32.load (i32.const 68)))
      (if (i32.load8_u (i32.const 80)) (then unreachable))
      (call $ret (i32.const 0))`

// TestP3Stdin: read-via-stream gives stdin's bytes exactly (300 KB, in
// many reads) and ends; the default stdin is empty.
func TestP3Stdin(t *testing.T) {
	c := p3Command(t, "", p3Cat)
	in := make([]byte, 300<<10)
	for i := range in {
		in[i] = byte(i*7 + i>>9)
	}
	res := run(t, c, wasi.Config{Stdin: bytes.NewReader(in)})
	if res.code != 0 || res.stdout != string(in) {
		t.Errorf("status %d, echoed %d bytes (want %d), equal %v", res.code, len(res.stdout), len(in), res.stdout == string(in))
	}
	if res := run(t, c, wasi.Config{}); res.code != 0 || res.stdout != "" {
		t.Errorf("empty stdin: status %d, stdout %q", res.code, res.stdout)
	}
}

// TestP3StdinTwoStreams: a guest reads 5 bytes through one stdin stream,
// drops it, and reads the rest through a second: the bytes the first
// stream did not take come through the second, none lost, none twice.
func TestP3StdinTwoStreams(t *testing.T) {
	c := p3Command(t, "", `
      (call $rvs (i32.const 64))
      (local.set $st (call $sr (i32.load (i32.const 64)) (i32.const 4096) (i32.const 5)))
      (if (i32.ne (local.get $st) (i32.const 80)) (then unreachable))
      (call $out (i32.const 0) (i32.const 4096) (i32.const 5))
      (call $sdr (i32.load (i32.const 64)))
      (call $fdr (i32.load (i32.const 68)))`+p3Cat)
	res := run(t, c, wasi.Config{Stdin: strings.NewReader("0123456789abcdef")})
	if res.code != 0 || res.stdout != "0123456789abcdef" {
		t.Errorf("status %d, stdout %q", res.code, res.stdout)
	}
}

// TestP3WaitFor: a sync-lowered wait-for of 40 ms, then two async-lowered
// ones of 30 ms that are both in flight (STARTED) and return as subtask
// events; the guest checks with its own monotonic clock that 70 ms passed.
func TestP3WaitFor(t *testing.T) {
	c := p3Command(t, `(data (i32.const 1024) "slept\n")`, `
      (local.set $t0 (call $now))
      (call $waitfor (i64.const 40000000))
      (local.set $x (call $waitfor-async (i64.const 30000000)))
      (local.set $y (call $waitfor-async (i64.const 30000000)))
      (if (i32.ne (i32.and (local.get $x) (i32.const 0xf)) (i32.const 1)) (then unreachable))
      (if (i32.ne (i32.and (local.get $y) (i32.const 0xf)) (i32.const 1)) (then unreachable))
      (local.set $i (call $wsnew))
      (call $join (i32.shr_u (local.get $x) (i32.const 4)) (local.get $i))
      (call $join (i32.shr_u (local.get $y) (i32.const 4)) (local.get $i))
      (local.set $n (i32.const 2))
      (block $done (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (if (i32.ne (call $wswait (local.get $i) (i32.const 96)) (i32.const 1)) (then unreachable))
        (if (i32.ne (i32.load (i32.const 100)) (i32.const 2)) (then unreachable))
        (call $stdrop (i32.load (i32.const 96)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
      (if (i64.lt_u (i64.sub (call $now) (local.get $t0)) (i64.const 70000000)) (then unreachable))
      (call $out (i32.const 0) (i32.const 1024) (i32.const 6))
      (call $ret (i32.const 0))`)
	start := time.Now()
	res := run(t, c, wasi.Config{})
	if res.code != 0 || res.stdout != "slept\n" {
		t.Errorf("status %d, stdout %q", res.code, res.stdout)
	}
	if d := time.Since(start); d < 70*time.Millisecond {
		t.Errorf("run took %v, less than the 70 ms the guest waited", d)
	}
}

// TestP3CancelWait: a guest cancels its async-lowered 10 s wait-for; the
// host's sleep ends at once and the subtask resolves as
// CANCELLED_BEFORE_RETURNED (4).
func TestP3CancelWait(t *testing.T) {
	c := p3Command(t, `(data (i32.const 1024) "cancelled\n")`, `
      (local.set $x (call $waitfor-async (i64.const 10000000000)))
      (if (i32.ne (i32.and (local.get $x) (i32.const 0xf)) (i32.const 1)) (then unreachable))
      (if (i32.ne (call $stcancel (i32.shr_u (local.get $x) (i32.const 4))) (i32.const 4)) (then unreachable))
      (call $stdrop (i32.shr_u (local.get $x) (i32.const 4)))
      (call $out (i32.const 0) (i32.const 1024) (i32.const 10))
      (call $ret (i32.const 0))`)
	start := time.Now()
	res := run(t, c, wasi.Config{})
	if res.code != 0 || res.stdout != "cancelled\n" {
		t.Errorf("status %d, stdout %q", res.code, res.stdout)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the cancelled wait took %v", d)
	}
}

// TestP3ExitStatus: run's err is status 1; exit-with-code carries its
// code (7, and 0), with the output written before it.
func TestP3ExitStatus(t *testing.T) {
	c := p3Command(t, "", `(call $ret (i32.const 1))`)
	if res := run(t, c, wasi.Config{}); res.code != 1 {
		t.Errorf("run returned err: status %d, want 1", res.code)
	}
	for code, want := range map[string]int{"7": 7, "0": 0, "255": 255} {
		c := p3Command(t, `(data (i32.const 1024) "bye\n")`, `
      (call $out (i32.const 0) (i32.const 1024) (i32.const 4))
      (call $exitc (i32.const `+code+`))
      unreachable`)
		if res := run(t, c, wasi.Config{}); res.code != want || res.stdout != "bye\n" {
			t.Errorf("exit-with-code(%s): status %d, stdout %q", code, res.code, res.stdout)
		}
	}
}

// failingWriter fails every write with err.
type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

// TestP3WriteError: when stdout fails, write-via-stream's future is
// err(pipe) (2) for a broken pipe and err(io) (0) otherwise; the guest
// prints the case to stderr and returns err.
func TestP3WriteError(t *testing.T) {
	c := p3Command(t, `(data (i32.const 1024) "lost")`, `
      (local.set $t0 (call $sn))
      (local.set $x (i32.wrap_i64 (i64.shr_u (local.get $t0) (i64.const 32))))
      (local.set $y (call $wvs (i32.wrap_i64 (local.get $t0))))
      (drop (call $sw (local.get $x) (i32.const 1024) (i32.const 4)))
      (call $sdw (local.get $x))
      (if (call $fr (local.get $y) (i32.const 16)) (then unreachable))
      (call $fdr (local.get $y))
      (local.set $n (i32.load8_u (i32.const 16)))
      (i32.store8 (i32.const 20) (i32.add (i32.const 48) (i32.load8_u (i32.const 17))))
      (call $out (i32.const 1) (i32.const 20) (i32.const 1))
      (call $ret (local.get $n))`)
	for err, want := range map[error]string{syscall.EPIPE: "2", errors.New("disk on fire"): "0"} {
		var stderr bytes.Buffer
		h, inst := instance3(t, c, wasi.Config{Stdout: failingWriter{err}, Stderr: &stderr})
		code, runErr := h.Run(context.Background(), inst)
		if code != 1 || runErr != nil || stderr.String() != want {
			t.Errorf("stdout failing with %v: status %d (%v), stderr %q (want %q)", err, code, runErr, stderr.String(), want)
		}
	}
}

// TestP3FlushAfterReturn: a guest that writes 1000 lines into one stream,
// drops its end and the future without waiting, and returns at once:
// Run still writes every byte out.
func TestP3FlushAfterReturn(t *testing.T) {
	c := p3Command(t, `(data (i32.const 1024) "line of text\n")`, `
      (local.set $t0 (call $sn))
      (local.set $x (i32.wrap_i64 (i64.shr_u (local.get $t0) (i64.const 32))))
      (local.set $y (call $wvs (i32.wrap_i64 (local.get $t0))))
      (local.set $n (i32.const 1000))
      (block $done (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $st (call $sw (local.get $x) (i32.const 1024) (i32.const 13)))
        (if (i32.ne (local.get $st) (i32.const 208)) (then unreachable))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
      (call $sdw (local.get $x))
      (call $fdr (local.get $y))
      (call $ret (i32.const 0))`)
	res := run(t, c, wasi.Config{})
	if want := strings.Repeat("line of text\n", 1000); res.code != 0 || res.stdout != want {
		t.Errorf("status %d, %d bytes of stdout, want %d", res.code, len(res.stdout), len(want))
	}
}

// TestP3OpenStreamAtReturn: a guest that returns while its stream to
// stdout is still open does not hold the host: what it wrote is out,
// and Run returns (after Flush's idle second).
func TestP3OpenStreamAtReturn(t *testing.T) {
	c := p3Command(t, `(data (i32.const 1024) "partial\n")`, `
      (local.set $t0 (call $sn))
      (local.set $y (call $wvs (i32.wrap_i64 (local.get $t0))))
      (drop (call $sw (i32.wrap_i64 (i64.shr_u (local.get $t0) (i64.const 32))) (i32.const 1024) (i32.const 8)))
      (call $ret (i32.const 0))`)
	done := make(chan runResult, 1)
	go func() { done <- run(t, c, wasi.Config{}) }()
	select {
	case res := <-done:
		if res.code != 0 || res.stdout != "partial\n" {
			t.Errorf("status %d, stdout %q", res.code, res.stdout)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return")
	}
}

// TestP3Random: get-random-bytes returns max-len bytes (16 of them, not
// all zero) and none for 0.
func TestP3Random(t *testing.T) {
	c := p3Command(t, `(data (i32.const 1024) "random ok\n")`, `
      (call $randbytes (i64.const 16) (i32.const 112))
      (if (i32.ne (i32.load (i32.const 116)) (i32.const 16)) (then unreachable))
      (local.set $i (i32.load (i32.const 112)))
      (if (i64.eqz (i64.or (i64.load (local.get $i)) (i64.load offset=8 (local.get $i)))) (then unreachable))
      (call $randbytes (i64.const 0) (i32.const 112))
      (if (i32.ne (i32.load (i32.const 116)) (i32.const 0)) (then unreachable))
      (call $out (i32.const 0) (i32.const 1024) (i32.const 10))
      (call $ret (i32.const 0))`)
	if res := run(t, c, wasi.Config{}); res.code != 0 || res.stdout != "random ok\n" {
		t.Errorf("status %d, stdout %q", res.code, res.stdout)
	}
}

// TestP3Invoke: an async export of a component importing 0.3 interfaces,
// called directly (as `witgo run --invoke` does), prints through stdout.
func TestP3Invoke(t *testing.T) {
	c := p3Command(t, "", `(call $ret (i32.const 0))`)
	var stdout bytes.Buffer
	h, inst := instance3(t, c, wasi.Config{Stdout: &stdout})
	ctx := context.Background()
	v, err := inst.Call(ctx, "answer")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if v.Uint() != 42 || stdout.String() != "answering\n" {
		t.Errorf("answer() = %v, stdout %q", v, stdout.String())
	}
}
