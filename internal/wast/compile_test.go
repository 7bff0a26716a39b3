package wast

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const answerWAT = `(component
  (core module $m (func (export "f") (result i32) i32.const 42))
  (core instance $i (instantiate $m))
  (func (export "f") (result u32) (canon lift (core func $i "f"))))`

// componentHeader is the preamble of every component binary (version
// 0x0d, layer 1).
var componentHeader = []byte{0, 'a', 's', 'm', 0x0d, 0, 1, 0}

func TestComponentFromWAT(t *testing.T) {
	b := ComponentFromWAT(t, answerWAT)
	if !bytes.HasPrefix(b, componentHeader) {
		t.Fatalf("not a component binary: % x", b[:min(len(b), 8)])
	}
	// The async forms the engine's tests need.
	async := ComponentFromWAT(t, `(component
  (core module $m
    (import "" "task.return" (func $ret (param i32)))
    (func (export "f") (result i32) (call $ret (i32.const 7)) (i32.const 0))
    (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
  (core func $ret (canon task.return (result u32)))
  (core instance $i (instantiate $m (with "" (instance (export "task.return" (func $ret))))))
  (func (export "f") async (result u32) (canon lift (core func $i "f") async (callback (core func $i "cb")))))`)
	if !bytes.HasPrefix(async, componentHeader) {
		t.Fatal("async component: not a component binary")
	}
}

// TestCompileBatchAndCache compiles good and bad texts in one batch into
// a fresh cache, then again from the cache, with the same results.
func TestCompileBatchAndCache(t *testing.T) {
	c := *TestCompiler(t)
	c.Dir = t.TempDir()
	// A 128 KB binary fills the stdout pipe many times over: the script
	// must wait for the reader rather than fail (EAGAIN).
	big := `(component (core module (memory 5) (data (i32.const 0) "` + strings.Repeat("x", 128<<10) + `")))`
	texts := []string{answerWAT, "(component (bad", "(component)", answerWAT, big, big}
	first, err := c.Compile(texts)
	if err != nil {
		t.Fatal(err)
	}
	check := func(rs []Result) {
		t.Helper()
		var pe *ParseError
		if rs[0].Err != nil || !bytes.HasPrefix(rs[0].Binary, componentHeader) || !bytes.Equal(rs[0].Binary, rs[3].Binary) {
			t.Errorf("text 0: %v", rs[0].Err)
		}
		if !errors.As(rs[1].Err, &pe) || pe.Msg != "1:12: expected valid component field" {
			t.Errorf("text 1: want jco's parse error at 1:12, got %v", rs[1].Err)
		}
		if !bytes.Equal(rs[2].Binary, componentHeader) {
			t.Errorf("empty component: % x", rs[2].Binary)
		}
		for _, r := range rs[4:] {
			if r.Err != nil || len(r.Binary) < 128<<10 {
				t.Errorf("big component: %d bytes, %v", len(r.Binary), r.Err)
			}
		}
	}
	check(first)
	files, _ := filepath.Glob(filepath.Join(c.Dir, "*", "*"))
	if len(files) != 4 { // three binaries and one error; duplicates share a file
		t.Errorf("cache holds %d files, want 4: %v", len(files), files)
	}
	c.Node = filepath.Join(t.TempDir(), "no-node") // the second run must not start node
	second, err := c.Compile(texts)
	if err != nil {
		t.Fatal(err)
	}
	check(second)
	if _, err := os.Stat(c.Node); err == nil {
		t.Fatal("unexpected node")
	}
}
