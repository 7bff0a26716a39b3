package wasi_test

import (
	"os"
	"path/filepath"
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
