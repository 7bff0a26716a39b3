package wasi_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/engine/wasi"
)

// TestCGuest: a wasi-libc program prints to stdout and stderr, reads the
// environment and a preopened file, sleeps, and every path out of the
// preopen fails (wasi-libc hands "../secret.txt" to the host as is).
func TestCGuest(t *testing.T) {
	c := cGuest(t)
	dir := hostDir(t)
	must(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	res := run(t, c, wasi.Config{
		Env:      [][2]string{{"GREETING", "hi"}},
		Preopens: []wasi.Preopen{{Host: dir, Guest: "/data"}},
	})
	want := `hello from c
GREETING=hi
line: hello file
refused /data/../secret.txt
refused /data/sub/../../secret.txt
refused /data/abs-link
refused /data/rel-link
slept >= 20ms: 1
`
	if res.code != 0 || res.stdout != want {
		t.Errorf("code %d, stdout:\n%s\nwant:\n%s", res.code, res.stdout, want)
	}
	if res.stderr != "c stderr\n" {
		t.Errorf("stderr %q", res.stderr)
	}
}

// TestRustGuest: a Rust std program through the adapter: arguments,
// environment, a preopened file read and written, a directory listing,
// sleep, stderr, and its exit status.
func TestRustGuest(t *testing.T) {
	c := rustGuest(t)
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hello from the host\n"), 0o644))
	res := run(t, c, wasi.Config{
		Args:     []string{"rust", "first", "second arg"},
		Env:      [][2]string{{"GREETING", "hello"}},
		Preopens: []wasi.Preopen{{Host: dir, Guest: "/data", Writable: true}},
	})
	want := "args=first|second arg\nGREETING=hello\nfile=hello from the host\nwrite=ok\ndir=hello.txt,rust.txt\nslept=true\n"
	if res.code != 0 || res.stdout != want || res.stderr != "bye\n" {
		t.Errorf("code %d, stdout:\n%s\nwant:\n%s\nstderr %q", res.code, res.stdout, want, res.stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "rust.txt")); string(b) != "from rust" {
		t.Errorf("rust.txt = %q", b)
	}
	res = run(t, c, wasi.Config{Args: []string{"rust", "fail"}})
	if res.code != 1 || !strings.Contains(res.stdout, "write error: ") {
		t.Errorf("without a grant: code %d, stdout %q", res.code, res.stdout)
	}
}

// TestWasmtimeAdapterCommand: a C command componentized with wasmtime's
// preview1 adapter (which uses the streams of descriptors, get-flags,
// get-type and more than witgo's adapter does) runs on the host.
func TestWasmtimeAdapterCommand(t *testing.T) {
	c := jcoCommand(t)
	dir := hostDir(t)
	res := run(t, c, wasi.Config{
		Args:     []string{"ccommand", "a"},
		Env:      [][2]string{{"GREETING", "hi"}},
		Preopens: []wasi.Preopen{{Host: dir, Guest: "/data", Writable: true}},
	})
	want := "argc=2 argv1=a\nGREETING=hi\nline: hello file\nwrote\nescape: refused\n"
	if res.code != 0 || res.stdout != want || res.stderr != "bye\n" {
		t.Errorf("code %d, stdout:\n%s\nwant:\n%s\nstderr %q", res.code, res.stdout, want, res.stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "new.txt")); string(b) != "made by C\n" {
		t.Errorf("new.txt = %q", b)
	}
	// return 7 from main: the adapter can only say err, which is status 1.
	if res := run(t, c, wasi.Config{Args: []string{"ccommand", "a", "b"}, Preopens: []wasi.Preopen{{Host: dir, Guest: "/data"}}}); res.code != 1 {
		t.Errorf("exit status %d, want 1", res.code)
	}
}
