package wasi_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/component/adapter"
	"github.com/witgo/witgo/engine"
	"github.com/witgo/witgo/engine/wasi"
	"github.com/witgo/witgo/internal/jcotool"
	"github.com/witgo/witgo/internal/testshared"
	"github.com/witgo/witgo/wit"
)

var (
	engOnce sync.Once
	eng     *engine.Engine
	engErr  error
	guests  sync.Map // name -> *engine.Compiled
)

func sharedEngine(t testing.TB) *engine.Engine {
	engOnce.Do(func() { eng, engErr = engine.New(context.Background(), engine.Options{}) })
	if engErr != nil {
		t.Fatal(engErr)
	}
	return eng
}

func skipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	if testshared.Required() {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

// commandComponent makes core module core (a wasip1 reactor exporting
// wasi:cli/run) a component with witgo's preview1 adapter.
func commandComponent(t testing.TB, core []byte) []byte {
	t.Helper()
	r := wit.NewResolve()
	pkg, err := r.LoadPath(filepath.Join("testdata", "wit", "run.wit"))
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.SelectWorld(pkg, "command")
	if err != nil {
		t.Fatal(err)
	}
	ad, err := adapter.Module()
	if err != nil {
		t.Fatal(err)
	}
	ar, aw, err := adapter.World()
	if err != nil {
		t.Fatal(err)
	}
	comp, err := component.New(core, component.NewOptions{Resolve: r, World: w, Adapter: ad, AdapterResolve: ar, AdapterWorld: aw})
	if err != nil {
		t.Fatal(err)
	}
	return comp
}

// guest compiles, once per test process, the component made from the
// core module build writes to out.
func guest(t testing.TB, key string, build func(out string) error) *engine.Compiled {
	t.Helper()
	if c, ok := guests.Load(key); ok {
		return c.(*engine.Compiled)
	}
	out := filepath.Join(t.TempDir(), key+".wasm")
	if err := build(out); err != nil {
		t.Fatal(err)
	}
	core, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	c, err := sharedEngine(t).Compile(context.Background(), commandComponent(t, core))
	if err != nil {
		t.Fatal(err)
	}
	guests.Store(key, c)
	return c
}

// goGuest is testdata/goguest, a Go wasip1 reactor.
func goGuest(t testing.TB) *engine.Compiled {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		skipOrFail(t, "go not found: needed to build the Go guest")
	}
	return guest(t, "go", func(out string) error {
		cmd := exec.Command(goTool, "build", "-buildmode=c-shared", "-trimpath", "-o", out, "./testdata/goguest")
		cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
		if msg, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, msg)
		}
		return nil
	})
}

// cGuest is testdata/cguest built with clang as a wasm32-wasi reactor.
func cGuest(t testing.TB) *engine.Compiled {
	t.Helper()
	clang, err := exec.LookPath("clang")
	if err != nil {
		skipOrFail(t, "clang not found (make deps installs clang, lld and wasi-libc)")
	}
	return guest(t, "c", func(out string) error {
		cmd := exec.Command(clang, "--target=wasm32-wasi", "-mexec-model=reactor", "-O2", "-o", out, filepath.Join("testdata", "cguest", "main.c"))
		if msg, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("clang (wasm32-wasi with wasi-libc): %v\n%s", err, msg)
		}
		return nil
	})
}

// runResult is what one run of a command produced.
type runResult struct {
	code           int
	stdout, stderr string
}

// run instantiates c with a host made from cfg (stdout and stderr
// captured) and runs it.
func run(t testing.TB, c *engine.Compiled, cfg wasi.Config) runResult {
	t.Helper()
	res, _ := runKeepingHost(t, c, cfg)
	return res
}

// runKeepingHost is run that also returns the host (closed at the end
// of the test) for a look at what it still holds.
func runKeepingHost(t testing.TB, c *engine.Compiled, cfg wasi.Config) (runResult, *wasi.Host) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cfg.Stdout, cfg.Stderr = &stdout, &stderr
	h, err := wasi.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	ctx := context.Background()
	inst, err := sharedEngine(t).Instantiate(ctx, c, h.Imports(c))
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close(ctx)
	code, err := h.Run(ctx, inst)
	if err != nil {
		t.Fatalf("run: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	return runResult{code, stdout.String(), stderr.String()}, h
}

// rustGuest is testdata/rustguest built with Debian's rustc (wasm32-wasi,
// linked as a reactor as ARCHITECTURE.md describes).
func rustGuest(t testing.TB) *engine.Compiled {
	t.Helper()
	const rustc = "/usr/bin/rustc"
	if _, err := os.Stat(rustc); err != nil {
		skipOrFail(t, "Debian rustc not found at %s (make deps installs it)", rustc)
	}
	return guest(t, "rust", func(out string) error {
		cmd := exec.Command(rustc, "--target", "wasm32-wasi", "--crate-type", "cdylib", "-O",
			"-C", "link-arg=/usr/lib/rustlib/wasm32-wasi/lib/self-contained/crt1-reactor.o",
			"-C", "link-arg=--export=_initialize", "-o", out, filepath.Join("testdata", "rustguest", "main.rs"))
		if msg, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("rustc (wasm32-wasi): %v\n%s", err, msg)
		}
		return nil
	})
}

// jcoCommand builds testdata/ccommand with clang and makes it a component
// with `jco new --wasi-command` (wasmtime's preview1 command adapter,
// shipped with jco), once per test process.
func jcoCommand(t testing.TB) *engine.Compiled {
	t.Helper()
	if c, ok := guests.Load("jco-c"); ok {
		return c.(*engine.Compiled)
	}
	clang, err := exec.LookPath("clang")
	if err != nil {
		skipOrFail(t, "clang not found (make deps installs clang, lld and wasi-libc)")
	}
	jco := jcotool.Require(t)
	tmp := t.TempDir()
	core, comp := filepath.Join(tmp, "core.wasm"), filepath.Join(tmp, "comp.wasm")
	if msg, err := exec.Command(clang, "--target=wasm32-wasi", "-O2", "-o", core, filepath.Join("testdata", "ccommand", "main.c")).CombinedOutput(); err != nil {
		t.Fatalf("clang: %v\n%s", err, msg)
	}
	if msg, err := exec.Command(jco.Node, jco.CLI, "new", core, "--wasi-command", "-o", comp).CombinedOutput(); err != nil {
		t.Fatalf("jco new: %v\n%s", err, msg)
	}
	b, err := os.ReadFile(comp)
	if err != nil {
		t.Fatal(err)
	}
	c, err := sharedEngine(t).Compile(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	guests.Store("jco-c", c)
	return c
}
