package wasi_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/witgo/witgo/engine/wasi"
)

// TestBigGoProgram runs issue 5's "big Go" program (the preview1
// adapter's own whole-program test, component/adapter/testdata/bigo) on
// the engine and this host: fmt, os.Args, os.Environ, 64 MiB allocated,
// time.Sleep, the wall clock, and files in a writable preopen. Its output
// follows from the program's source; the adapter's test expects the same
// against a fake host.
func TestBigGoProgram(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		skipOrFail(t, "go not found: needed to build the Go guest")
	}
	c := guest(t, "bigo", func(out string) error {
		cmd := exec.Command(goTool, "build", "-buildmode=c-shared", "-trimpath", "-o", out, "../../component/adapter/testdata/bigo")
		cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
		if msg, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, msg)
		}
		return nil
	})
	dir := t.TempDir()
	hello := filepath.Join(dir, "hello.txt")
	must(t, os.WriteFile(hello, []byte("hello from the host\n"), 0o644))
	mtime := time.Unix(1_700_000_000, 0)
	must(t, os.Chtimes(hello, mtime, mtime))
	res, h := runKeepingHost(t, c, wasi.Config{
		Args:     []string{"bigo", "first", "second arg", ""},
		Env:      [][2]string{{"GREETING", "hello"}, {"EMPTY", ""}},
		Preopens: []wasi.Preopen{{Host: dir, Guest: "/data", Writable: true}},
	})
	want := `args: first|second arg|
env: EMPTY=|GREETING=hello
allocated MiB: 64 checksum: 2088960
slept >= 10ms: true
wall clock after 2020: true
read: "hello from the host\n" <nil>
write: <nil>
append: <nil>
reread: "written by go+more" <nil>
dir: hello.txt:false out.txt:false <nil>
stat: 20 1700000000 false
missing is not-exist: true
mkdir: <nil>
remove: <nil>
`
	if res.code != 0 || res.stdout != want || res.stderr != "done\n" {
		t.Errorf("code %d, stdout:\n%s\nwant:\n%s\nstderr %q", res.code, res.stdout, want, res.stderr)
	}
	if info, err := os.Stat(filepath.Join(dir, "sub")); err != nil || !info.IsDir() {
		t.Errorf("the guest's mkdir did not reach the host: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "out.txt")); !os.IsNotExist(err) {
		t.Errorf("out.txt was not removed: %v", err)
	}
	// What the adapter still holds: stdout, stderr and the preopen. Files,
	// directory streams and sleep pollables were all dropped.
	n := wasi.OpenResources(h)
	if n > 4 {
		t.Errorf("%d host resources still open after the run", n)
	}
	t.Logf("host resources open after the run: %d", n)
}
