package wasi_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/engine/wasi"
)

// hostDir makes a directory holding hello.txt, and beside it a secret the
// guest must never reach, linked from inside.
func hostDir(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	dir := filepath.Join(base, "data")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	must(t, os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hello file\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(base, "secret.txt"), []byte("TOPSECRET"), 0o644))
	must(t, os.Symlink(filepath.Join(base, "secret.txt"), filepath.Join(dir, "abs-link")))
	must(t, os.Symlink("../secret.txt", filepath.Join(dir, "rel-link")))
	must(t, os.Symlink("hello.txt", filepath.Join(dir, "ok-link")))
	return dir
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestGoReadsPreopenedFile: a granted directory is readable, symlinks
// inside it work, and nothing is reachable without a grant.
func TestGoReadsPreopenedFile(t *testing.T) {
	c := goGuest(t)
	dir := hostDir(t)
	pre := []wasi.Preopen{{Host: dir, Guest: "/data"}}
	for _, path := range []string{"/data/hello.txt", "/data/ok-link"} {
		res := run(t, c, wasi.Config{Args: []string{"g", "cat", path}, Preopens: pre})
		if res.code != 0 || res.stdout != "hello file\n" {
			t.Errorf("cat %s: code %d, stdout %q", path, res.code, res.stdout)
		}
	}
	res := run(t, c, wasi.Config{Args: []string{"g", "cat", "/data/hello.txt"}})
	if res.code != 1 || !strings.Contains(res.stdout, "error:") {
		t.Errorf("without a grant: code %d, stdout %q", res.code, res.stdout)
	}
}

// TestGoCannotEscape: symlinks that lead out of the preopen (absolute or
// through "..") are refused by the host.
func TestGoCannotEscape(t *testing.T) {
	c := goGuest(t)
	pre := []wasi.Preopen{{Host: hostDir(t), Guest: "/data", Writable: true}}
	for _, path := range []string{"/data/abs-link", "/data/rel-link", "/data/../secret.txt"} {
		res := run(t, c, wasi.Config{Args: []string{"g", "cat", path}, Preopens: pre})
		if res.code != 1 || strings.Contains(res.stdout, "TOPSECRET") {
			t.Errorf("cat %s: code %d, stdout %q", path, res.code, res.stdout)
		}
	}
}

// TestGoWrites: a read-only grant refuses writes; a writable one takes
// them, and the file lands in the host directory.
func TestGoWrites(t *testing.T) {
	c := goGuest(t)
	dir := hostDir(t)
	res := run(t, c, wasi.Config{Args: []string{"g", "write", "/data/new.txt", "x"}, Preopens: []wasi.Preopen{{Host: dir, Guest: "/data"}}})
	if res.stdout == "write: <nil>\n" {
		t.Errorf("read-only preopen accepted a write")
	}
	if _, err := os.Stat(filepath.Join(dir, "new.txt")); err == nil {
		t.Errorf("read-only preopen: new.txt was created")
	}
	res = run(t, c, wasi.Config{Args: []string{"g", "write", "/data/new.txt", "written"}, Preopens: []wasi.Preopen{{Host: dir, Guest: "/data", Writable: true}}})
	if res.stdout != "write: <nil>\n" {
		t.Errorf("writable preopen: %q", res.stdout)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "new.txt")); string(b) != "written" {
		t.Errorf("new.txt holds %q", b)
	}
}

// TestGoFilesystemTour: mkdir, write, stat, readdir, rename, read,
// not-exist, rmdir of a non-empty directory, unlink, rmdir.
func TestGoFilesystemTour(t *testing.T) {
	c := goGuest(t)
	dir := hostDir(t)
	res := run(t, c, wasi.Config{Args: []string{"g", "fs", "/data"}, Preopens: []wasi.Preopen{{Host: dir, Guest: "/data", Writable: true}}})
	want := `mkdir: <nil>
write: <nil>
stat: 5 false true
entry: f.txt false
readdir: <nil>
rename: <nil>
read: "12345" <nil>
missing: true
rmdir non-empty: true
unlink: <nil>
rmdir: <nil>
`
	if res.stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", res.stdout, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "sub")); !os.IsNotExist(err) {
		t.Errorf("sub still exists: %v", err)
	}
}
