package compose

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/component/adapter"
	gogen "github.com/witgo/witgo/gen/go"
	"github.com/witgo/witgo/internal/testshared"
	"github.com/witgo/witgo/wit"
)

// The real guests the compose tests link: the C sockets of
// testdata/greeter (clang, wasm32-wasi reactors), the Go components of
// ../testdata/demo-app and testdata/counter (bindings by gen/go, wasip1
// c-shared builds) and the Rust component of testdata/shouter (rustc,
// wasm32-unknown-unknown), made components by component.New with witgo's
// WASI adapter.
// Core modules are cached in .cache/compose by the hash of their inputs.

var (
	demoAppDir = filepath.Join("..", "testdata", "demo-app")
	greeterDir = filepath.Join("testdata", "greeter")
)

// requireTool finds a program, or skips the test (fails under
// WITGO_REQUIRE_TOOLS=1) without it.
func requireTool(t testing.TB, name, why string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		msg := fmt.Sprintf("%s not found (%s; make deps installs it)", name, why)
		if testshared.Required() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}

// cachedCore returns the core module that build writes to its argument,
// cached under .cache/compose by key.
func cachedCore(t testing.TB, key string, build func(out string) error) []byte {
	t.Helper()
	dir := filepath.Join("..", ".cache", "compose")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, key+".wasm")
	if b, err := os.ReadFile(path); err == nil {
		return b
	}
	tmp := fmt.Sprintf("%s.tmp%d", path, os.Getpid())
	defer os.Remove(tmp)
	if err := build(tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func hashKey(prefix string, parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:", len(p))
		h.Write(p)
	}
	return prefix + "-" + hex.EncodeToString(h.Sum(nil))[:16]
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newComponent makes a component of a core module with witgo's adapter.
func newComponent(t testing.TB, core []byte, r *wit.Resolve, w wit.WorldID) []byte {
	t.Helper()
	mod, err := adapter.Module()
	if err != nil {
		t.Fatal(err)
	}
	ar, aw, err := adapter.World()
	if err != nil {
		t.Fatal(err)
	}
	comp, err := component.New(core, component.NewOptions{Resolve: r, World: w, Adapter: mod, AdapterResolve: ar, AdapterWorld: aw})
	if err != nil {
		t.Fatal(err)
	}
	return comp
}

// greeterWIT loads testdata/greeter/wit (which uses demo:app/words).
func greeterWIT(t testing.TB) (*wit.Resolve, wit.PackageID) {
	t.Helper()
	r := wit.NewResolve()
	if _, err := r.LoadPath(filepath.Join(demoAppDir, "wit")); err != nil {
		t.Fatal(err)
	}
	pkg, err := r.LoadPath(filepath.Join(greeterDir, "wit"))
	if err != nil {
		t.Fatal(err)
	}
	return r, pkg
}

func selectWorld(t testing.TB, r *wit.Resolve, pkg wit.PackageID, name string) wit.WorldID {
	t.Helper()
	w, err := r.SelectWorld(pkg, name)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// cComponent builds testdata/greeter/<file> with clang as a reactor and
// makes it a component of world of greeter.wit's package.
func cComponent(t testing.TB, file, world string) []byte {
	t.Helper()
	clang := requireTool(t, "clang", "builds the C sockets")
	src := filepath.Join(greeterDir, file)
	key := hashKey(strings.TrimSuffix(file, ".c")+"-c", readFile(t, src), readFile(t, filepath.Join(greeterDir, "cabi.h")))
	core := cachedCore(t, key, func(out string) error {
		cmd := exec.Command(clang, "--target=wasm32-wasi", "-O2", "-mexec-model=reactor", "-o", out, src)
		if msg, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("clang: %v\n%s", err, msg)
		}
		return nil
	})
	r, pkg := greeterWIT(t)
	return newComponent(t, core, r, selectWorld(t, r, pkg, world))
}

// greeterSocket is the C socket that imports demo:app/words.
func greeterSocket(t testing.TB) []byte { return cComponent(t, "greeter.c", "socket") }

// tallySocket is the C socket that uses the counter resource.
func tallySocket(t testing.TB) []byte { return cComponent(t, "tally.c", "tally-socket") }

// shouterPlug is the Rust component of testdata/shouter (no WASI).
func shouterPlug(t testing.TB) []byte {
	t.Helper()
	rustc := requireTool(t, "/usr/bin/rustc", "builds the Rust plug (Debian's rustc with the wasm32 standard library)")
	src := filepath.Join("testdata", "shouter", "lib.rs")
	core := cachedCore(t, hashKey("shouter-rust", readFile(t, src)), func(out string) error {
		cmd := exec.Command(rustc, "--target", "wasm32-unknown-unknown", "--crate-type", "cdylib", "-O", "-C", "strip=debuginfo", "-o", out, src)
		if msg, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("rustc: %v\n%s", err, msg)
		}
		return nil
	})
	r, pkg := greeterWIT(t)
	return newComponent(t, core, r, selectWorld(t, r, pkg, "shouter"))
}

// wordsPlug is the Go component of testdata/demo-app.
func wordsPlug(t testing.TB) []byte {
	t.Helper()
	r := wit.NewResolve()
	pkg, err := r.LoadPath(filepath.Join(demoAppDir, "wit"))
	if err != nil {
		t.Fatal(err)
	}
	return goComponent(t, r, selectWorld(t, r, pkg, "app"), filepath.Join(demoAppDir, "main.go"), "example.com/demo-app")
}

// counterPlug is the Go component of testdata/counter.
func counterPlug(t testing.TB) []byte {
	t.Helper()
	r, pkg := greeterWIT(t)
	return goComponent(t, r, selectWorld(t, r, pkg, "counter-plug"), filepath.Join("testdata", "counter", "main.go"), "example.com/counter")
}

// goComponent generates the bindings of world w under module root/gen,
// builds the program mainFile with them as a wasip1 reactor and makes it
// a component.
func goComponent(t testing.TB, r *wit.Resolve, w wit.WorldID, mainFile, root string) []byte {
	t.Helper()
	goTool := requireTool(t, "go", "builds the Go plugs")
	files, err := gogen.Generate(r, w, gogen.Options{PackageRoot: root + "/gen"})
	if err != nil {
		t.Fatal(err)
	}
	mainGo := readFile(t, mainFile)
	parts := [][]byte{mainGo, []byte(runtime.Version()), []byte(root)}
	for _, f := range files {
		parts = append(parts, []byte(f.Path), f.Content)
	}
	core := cachedCore(t, hashKey(path.Base(root)+"-go", parts...), func(out string) error {
		mod := t.TempDir()
		if err := gogen.WriteFiles(filepath.Join(mod, "gen"), files); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module "+root+"\n\ngo 1.25.0\n"), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(mod, "main.go"), mainGo, 0o644); err != nil {
			return err
		}
		abs, err := filepath.Abs(out)
		if err != nil {
			return err
		}
		cmd := exec.Command(goTool, "build", "-buildmode=c-shared", "-trimpath", "-o", abs, ".")
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off")
		if msg, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, msg)
		}
		return nil
	})
	return newComponent(t, core, r, w)
}
