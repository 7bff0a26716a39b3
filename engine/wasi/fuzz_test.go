package wasi

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzPathsStayInside: whatever path a guest names, open-at, stat-at and
// create-directory-at never reach outside the preopened directory (the
// secret beside it is never opened, nothing is created beside it), and
// nothing panics.
func FuzzPathsStayInside(f *testing.F) {
	for _, seed := range []string{"in.txt", "../secret", "sub/../../secret", "/etc/passwd", "abs", "rel",
		"sub/up/../secret", "sub/up/in.txt", ".", "..", "", "a\x00b", "sub/./up/./../data/in.txt", "new/../../x"} {
		f.Add(seed)
	}
	base := f.TempDir()
	dir := filepath.Join(base, "data")
	for _, err := range []error{
		os.MkdirAll(filepath.Join(dir, "sub"), 0o755),
		os.WriteFile(filepath.Join(base, "secret"), []byte("TOPSECRET"), 0o644),
		os.WriteFile(filepath.Join(dir, "in.txt"), []byte("in"), 0o644),
		os.Symlink(filepath.Join(base, "secret"), filepath.Join(dir, "abs")),
		os.Symlink("../secret", filepath.Join(dir, "rel")),
		os.Symlink("..", filepath.Join(dir, "sub", "up")),
	} {
		if err != nil {
			f.Fatal(err)
		}
	}
	secret, err := os.Stat(filepath.Join(base, "secret"))
	if err != nil {
		f.Fatal(err)
	}
	d, err := openPreopen(Preopen{Host: dir, Guest: "/", Writable: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { d.root.Close() })
	f.Fuzz(func(t *testing.T, p string) {
		for _, pflags := range []uint32{0, symlinkFollow} {
			if info, err := d.statAt(pflags, p); err == nil && os.SameFile(info, secret) {
				t.Fatalf("stat-at %q reached the secret", p)
			}
			if nd, err := d.openAt(pflags, p, 0, flagRead); err == nil {
				b, _, _ := nd.read(100, 0)
				if string(b) == "TOPSECRET" {
					t.Fatalf("open-at %q read the secret", p)
				}
				nd.close()
			}
		}
		if r, err := d.mutable(p); err == nil {
			if r.Mkdir(p, 0o755) == nil {
				defer r.Remove(p)
			}
		}
		entries, err := os.ReadDir(base)
		if err != nil || len(entries) != 2 {
			t.Fatalf("after %q the parent holds %d entries: %v", p, len(entries), err)
		}
	})
}
