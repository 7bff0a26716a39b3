package gogen

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/witgo/witgo/wit"
)

// The Go guest of the runtime tests (wazero in runtime_test.go, jco in
// jco_test.go), built once and cached.

// moduleRoot is the directory holding witgo's go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for !fileExistsAt(filepath.Join(dir, "go.mod")) {
		if filepath.Dir(dir) == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = filepath.Dir(dir)
	}
	return dir
}

func fileExistsAt(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// jcoCacheDir is where the test keeps what it built, keyed by content.
func jcoCacheDir(t *testing.T) string {
	dir := filepath.Join(moduleRoot(t), ".cache", "gogen-jco")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func contentKey(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte{byte(len(p)), byte(len(p) >> 8), byte(len(p) >> 16), byte(len(p) >> 24)})
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil))[:20]
}

// loadRuntimeWorld loads the world of testdata/runtime/rt.wit.
func loadRuntimeWorld(t *testing.T) (*wit.Resolve, wit.WorldID) {
	return loadWorld(t, filepath.Join("testdata", "runtime", "rt.wit"), "rt")
}

// loadWorld loads the WIT at path and selects world name.
func loadWorld(t *testing.T, path, name string) (*wit.Resolve, wit.WorldID) {
	t.Helper()
	r := wit.NewResolve()
	pkg, err := r.LoadPath(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.SelectWorld(pkg, name)
	if err != nil {
		t.Fatal(err)
	}
	return r, w
}

// buildRuntimeGuest generates the bindings of the world and builds the
// guest of testdata/runtime/guest as a wasip1 reactor, cached under
// .cache/gogen-jco by the generated code, the guest's source and the Go
// version (a warm run skips the Go build).
func buildRuntimeGuest(t *testing.T, r *wit.Resolve, w wit.WorldID) []byte {
	t.Helper()
	return buildGuest(t, r, w, filepath.Join("testdata", "runtime", "guest", "main.go"), "example.com/rt")
}

// buildGuest generates the bindings of the world under module root and
// builds the guest program at guestFile with them as a wasip1 reactor,
// cached as buildRuntimeGuest says.
func buildGuest(t *testing.T, r *wit.Resolve, w wit.WorldID, guestFile, root string) []byte {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	files, err := Generate(r, w, Options{PackageRoot: root})
	if err != nil {
		t.Fatal(err)
	}
	guest, err := os.ReadFile(guestFile)
	if err != nil {
		t.Fatal(err)
	}
	parts := [][]byte{guest, []byte(runtime.Version()), []byte(root)}
	for _, f := range files {
		parts = append(parts, []byte(f.Path), f.Content)
	}
	out := filepath.Join(jcoCacheDir(t), "guest-"+contentKey(parts...)+".wasm")
	if cacheHit(out) {
		if b, err := os.ReadFile(out); err == nil {
			return b
		}
	}
	mod := t.TempDir()
	if err := WriteFiles(mod, files); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(mod, "go.mod"), "module "+root+"\n\ngo 1.24\n")
	writeFile(t, filepath.Join(mod, "app", "main.go"), string(guest))
	built := filepath.Join(mod, "guest.wasm")
	cmd := exec.Command(goTool, "build", "-buildmode=c-shared", "-trimpath", "-o", built, "./app")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the guest: %v\n%s", err, msg)
	}
	b, err := os.ReadFile(built)
	if err != nil {
		t.Fatal(err)
	}
	pruneCache(filepath.Dir(out), "guest-")
	storeCached(t, out, func(tmp string) error { return os.WriteFile(tmp, b, 0o644) })
	return b
}

// storeCached makes path with write, under a temporary name in the same
// folder and renamed, so that a concurrent run never sees half of it.
func storeCached(t *testing.T, path string, write func(tmp string) error) {
	t.Helper()
	tmp := fmt.Sprintf("%s.tmp%d", path, os.Getpid())
	defer os.RemoveAll(tmp)
	if err := write(tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil && !fileExistsAt(path) {
		t.Fatal(err)
	}
}

// cacheHit reports whether path exists, and marks it used for pruneCache.
func cacheHit(path string) bool {
	now := time.Now()
	return os.Chtimes(path, now, now) == nil
}

// pruneCache removes the entries of dir named prefix* that were not
// touched for a day: older builds of inputs that have changed since.
func pruneCache(dir, prefix string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		info, err := e.Info()
		if err == nil && strings.HasPrefix(e.Name(), prefix) && time.Since(info.ModTime()) > 24*time.Hour {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}
