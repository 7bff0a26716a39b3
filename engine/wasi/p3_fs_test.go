package wasi_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/witgo/witgo/engine/wasi"
)

// TestP3Filesystem: a 0.3 guest takes its preopen, opens hello.txt and
// reads it through read-via-stream, creates out.txt and writes it
// through write-via-stream (each future ok), appends to it through
// append-via-stream, gets bad-descriptor from write-via-stream on the
// read-only descriptor of hello.txt, is refused ../secret.txt
// with not-permitted, and lists the directory through read-directory's
// stream of directory-entry.
func TestP3Filesystem(t *testing.T) {
	c := p3Command(t, `(data (i32.const 1024) "hello.txt") (data (i32.const 1040) "out.txt")
      (data (i32.const 1056) "written by 0.3\n") (data (i32.const 1080) "../secret.txt")
      (data (i32.const 1104) "escape refused\n") (data (i32.const 1120) "more\n")
      (data (i32.const 1128) "bad-descriptor\n")`, `
      (call $getdirs (i32.const 200))
      (if (i32.eqz (i32.load (i32.const 204))) (then unreachable))
      (local.set $x (i32.load (i32.load (i32.const 200))))
      (call $openat (local.get $x) (i32.const 1) (i32.const 1024) (i32.const 9) (i32.const 0) (i32.const 1) (i32.const 208))
      (if (i32.load8_u (i32.const 208)) (then unreachable))
      (local.set $y (i32.load (i32.const 212)))
      (i32.store (i32.const 300) (local.get $y))
      (call $frvs (local.get $y) (i64.const 0) (i32.const 240))
      (block $done (loop $l
        (local.set $st (call $sr (i32.load (i32.const 240)) (i32.const 4096) (i32.const 4096)))
        (local.set $n (i32.shr_u (local.get $st) (i32.const 4)))
        (if (local.get $n) (then (call $out (i32.const 0) (i32.const 4096) (local.get $n))))
        (br_if $done (i32.eq (i32.and (local.get $st) (i32.const 0xf)) (i32.const 1)))
        (br $l)))
      (call $sdr (i32.load (i32.const 240)))
      (if (call $fsfr (i32.load (i32.const 244)) (i32.const 256)) (then unreachable))
      (call $fsfdr (i32.load (i32.const 244)))
      (if (i32.load8_u (i32.const 256)) (then unreachable))

      (call $openat (local.get $x) (i32.const 0) (i32.const 1040) (i32.const 7) (i32.const 1) (i32.const 2) (i32.const 208))
      (if (i32.load8_u (i32.const 208)) (then unreachable))
      (local.set $y (i32.load (i32.const 212)))
      (local.set $t0 (call $sn))
      (local.set $i (call $fwvs (local.get $y) (i32.wrap_i64 (local.get $t0)) (i64.const 0)))
      (local.set $st (call $sw (i32.wrap_i64 (i64.shr_u (local.get $t0) (i64.const 32))) (i32.const 1056) (i32.const 15)))
      (if (i32.ne (local.get $st) (i32.const 240)) (then unreachable))
      (call $sdw (i32.wrap_i64 (i64.shr_u (local.get $t0) (i64.const 32))))
      (if (call $fsfr (local.get $i) (i32.const 256)) (then unreachable))
      (call $fsfdr (local.get $i))
      (if (i32.load8_u (i32.const 256)) (then unreachable))

      ;; append to out.txt through a new descriptor
      (call $openat (local.get $x) (i32.const 0) (i32.const 1040) (i32.const 7) (i32.const 0) (i32.const 2) (i32.const 208))
      (if (i32.load8_u (i32.const 208)) (then unreachable))
      (local.set $t0 (call $sn))
      (local.set $i (call $fapvs (i32.load (i32.const 212)) (i32.wrap_i64 (local.get $t0))))
      (if (i32.ne (call $sink (local.get $i) (i32.wrap_i64 (i64.shr_u (local.get $t0) (i64.const 32))) (i32.const 1120) (i32.const 5))
                  (i32.const -1)) (then unreachable))
      ;; writing through hello.txt's read-only descriptor: bad-descriptor (2)
      (local.set $t0 (call $sn))
      (local.set $i (call $fwvs (i32.load (i32.const 300)) (i32.wrap_i64 (local.get $t0)) (i64.const 0)))
      (if (i32.eq (call $sink (local.get $i) (i32.wrap_i64 (i64.shr_u (local.get $t0) (i64.const 32))) (i32.const 1120) (i32.const 5))
                  (i32.const 2)) (then (call $out (i32.const 0) (i32.const 1128) (i32.const 15))))

      (call $openat (local.get $x) (i32.const 0) (i32.const 1080) (i32.const 13) (i32.const 0) (i32.const 1) (i32.const 208))
      (if (i32.and (i32.eq (i32.load8_u (i32.const 208)) (i32.const 1)) (i32.eq (i32.load8_u (i32.const 212)) (i32.const 30)))
        (then (call $out (i32.const 0) (i32.const 1104) (i32.const 15))))

      (call $readdir (local.get $x) (i32.const 240))
      (block $done (loop $l
        (local.set $st (call $desr (i32.load (i32.const 240)) (i32.const 4096) (i32.const 16)))
        (local.set $n (i32.shr_u (local.get $st) (i32.const 4)))
        (local.set $i (i32.const 4096))
        (block $e (loop $m
          (br_if $e (i32.eqz (local.get $n)))
          (call $out (i32.const 0) (i32.load offset=16 (local.get $i)) (i32.load offset=20 (local.get $i)))
          (call $out (i32.const 0) (i32.const 1000) (i32.const 1))
          (local.set $i (i32.add (local.get $i) (i32.const 24)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $m)))
        (br_if $done (i32.eq (i32.and (local.get $st) (i32.const 0xf)) (i32.const 1)))
        (br $l)))
      (call $desdr (i32.load (i32.const 240)))
      (if (call $fsfr (i32.load (i32.const 244)) (i32.const 256)) (then unreachable))
      (if (i32.load8_u (i32.const 256)) (then unreachable))
      (call $ret (i32.const 0))`)
	dir := hostDir(t)
	res := run(t, c, wasi.Config{Preopens: []wasi.Preopen{{Host: dir, Guest: "/data", Writable: true}}})
	head, listing, _ := strings.Cut(res.stdout, "bad-descriptor\nescape refused\n")
	names := strings.Fields(listing)
	slices.Sort(names)
	if res.code != 0 || head != "hello file\n" || strings.Join(names, " ") != "abs-link hello.txt ok-link out.txt rel-link" {
		t.Errorf("status %d, stdout %q", res.code, res.stdout)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "out.txt")); err != nil || string(b) != "written by 0.3\nmore\n" {
		t.Errorf("out.txt: %q, %v", b, err)
	}
	// Through a read-only grant, creating out.txt fails: the guest traps
	// on the error after printing the file, and nothing is created.
	dir = hostDir(t)
	var stdout strings.Builder
	h, inst := instance3(t, c, wasi.Config{Stdout: &stdout, Preopens: []wasi.Preopen{{Host: dir, Guest: "/data"}}})
	if _, err := h.Run(context.Background(), inst); err == nil || stdout.String() != "hello file\n" {
		t.Errorf("read-only preopen: run error %v, stdout %q", err, stdout.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "out.txt")); !os.IsNotExist(err) {
		t.Errorf("out.txt created through a read-only preopen: %v", err)
	}
}
