package wasi

import (
	"os"
	"path/filepath"
	"testing"
)

// TestOpenAtCannotEscape asks the descriptor layer directly (what the
// adapter forwards from C's fopen("/data/../x") is "../x"): every way
// out of the preopen is refused with not-permitted, and ways that stay
// inside work.
func TestOpenAtCannotEscape(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "data")
	mustDo(t, os.MkdirAll(filepath.Join(dir, "sub"), 0o755))
	mustDo(t, os.WriteFile(filepath.Join(base, "secret"), []byte("s"), 0o644))
	mustDo(t, os.WriteFile(filepath.Join(dir, "in.txt"), []byte("in"), 0o644))
	mustDo(t, os.Symlink(filepath.Join(base, "secret"), filepath.Join(dir, "abs")))
	mustDo(t, os.Symlink("../secret", filepath.Join(dir, "rel")))
	mustDo(t, os.Symlink("..", filepath.Join(dir, "sub", "up")))
	d, err := openPreopen(Preopen{Host: dir, Guest: "/data"})
	if err != nil {
		t.Fatal(err)
	}
	defer d.root.Close()
	follow := uint32(symlinkFollow)
	for _, p := range []string{"../secret", "sub/../../secret", "/etc/passwd", filepath.Join(base, "secret"), "abs", "rel", "sub/up/../secret"} {
		if _, err := d.openAt(follow, p, 0, flagRead); codeOf(err) != ecNotPermitted {
			t.Errorf("open-at %q: %v (code %d), want not-permitted", p, err, codeOf(err))
		}
		if _, err := d.statAt(follow, p); codeOf(err) != ecNotPermitted {
			t.Errorf("stat-at %q: %v (code %d), want not-permitted", p, err, codeOf(err))
		}
	}
	for _, p := range []string{"in.txt", "sub/../in.txt", "sub/up/in.txt"} {
		nd, err := d.openAt(follow, p, 0, flagRead)
		if err != nil {
			t.Errorf("open-at %q: %v", p, err)
			continue
		}
		b, eof, err := nd.read(10, 0)
		if string(b) != "in" || !eof || err != nil {
			t.Errorf("read %q: %q %v %v", p, b, eof, err)
		}
		nd.close()
	}
	// A subdirectory descriptor is a capability of its own: its ".." is
	// refused even though the parent is granted.
	sub, err := d.openAt(follow, "sub", 0, flagRead)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.close()
	if _, err := sub.openAt(follow, "../in.txt", 0, flagRead); codeOf(err) != ecNotPermitted {
		t.Errorf("sub: open-at ../in.txt: %v, want not-permitted", err)
	}
	// Read-only: no writing, creating or removing.
	if _, err := d.openAt(follow, "in.txt", 0, flagRead|flagWrite); codeOf(err) != ecNotPermitted {
		t.Errorf("write on a read-only preopen: %v", err)
	}
	if _, err := d.openAt(follow, "new", openCreate, flagRead); codeOf(err) != ecNotPermitted {
		t.Errorf("create on a read-only preopen: %v", err)
	}
	if err := d.removeAt("in.txt", false); codeOf(err) != ecNotPermitted {
		t.Errorf("unlink on a read-only preopen: %v", err)
	}
}

// TestErrorCodes: the host's errors map to the error-code of the same
// meaning.
func TestErrorCodes(t *testing.T) {
	dir := t.TempDir()
	mustDo(t, os.Mkdir(filepath.Join(dir, "d"), 0o755))
	mustDo(t, os.WriteFile(filepath.Join(dir, "d", "f"), nil, 0o644))
	d, err := openPreopen(Preopen{Host: dir, Guest: "/", Writable: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.root.Close()
	cases := []struct {
		name string
		err  error
		want errorCode
	}{
		{"open missing", second(d.openAt(0, "missing", 0, flagRead)), ecNoEntry},
		{"create existing exclusively", second(d.openAt(0, "d/f", openCreate|openExclusive, flagRead|flagWrite)), ecExist},
		{"open a file as a directory", second(d.openAt(0, "d/f", openDirectory, flagRead)), ecNotDirectory},
		{"write a directory", second(d.openAt(0, "d", 0, flagWrite)), ecIsDirectory},
		{"rmdir non-empty", d.removeAt("d", true), ecNotEmpty},
		{"rmdir a file", d.removeAt("d/f", true), ecNotDirectory},
		{"unlink a directory", d.removeAt("d", false), ecIsDirectory},
		{"mkdir existing", d.root.Mkdir("d", 0o755), ecExist},
	}
	for _, c := range cases {
		if got := codeOf(c.err); got != c.want {
			t.Errorf("%s: %v is code %d, want %d", c.name, c.err, got, c.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
