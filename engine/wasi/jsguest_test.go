package wasi_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/engine"
	"github.com/witgo/witgo/engine/wasi"
)

// jsComponent returns the componentize-js component (StarlingMonkey, about
// 12 MB) that exports hello(name) = "Hello " + name: the one component's
// decoder tests use, cached in the user cache directory, built with
// component/testdata/componentize.mjs when it is not there yet.
func jsComponent(t *testing.T) []byte {
	cacheDir, err := os.UserCacheDir()
	if err != nil {
		skipOrFail(t, "no user cache directory")
	}
	cached := filepath.Join(cacheDir, "witgo", "componentize-js-hello.wasm")
	if b, err := os.ReadFile(cached); err == nil {
		return b
	}
	node, err := exec.LookPath("node")
	if err != nil {
		skipOrFail(t, "node not found")
	}
	pkg, _ := filepath.Abs(filepath.Join("..", "..", ".cache", "npm", "node_modules", "@bytecodealliance", "componentize-js"))
	if _, err := os.Stat(pkg); err != nil {
		skipOrFail(t, "componentize-js not in .cache/npm: run `make deps`")
	}
	if err := os.MkdirAll(filepath.Dir(cached), 0o755); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join("..", "..", "component", "testdata", "componentize.mjs")
	if out, err := exec.Command(node, script, pkg, cached).CombinedOutput(); err != nil {
		t.Fatalf("componentize-js: %v\n%s", err, out)
	}
	b, err := os.ReadFile(cached)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestJSComponent runs the componentize-js component (a JavaScript engine
// compiled to a component) on witgo's engine with the WASI host; its
// wasi:http imports, which it does not call, are stubs. jco runs the same
// component in component's tests; hello is plain JS string concatenation.
func TestJSComponent(t *testing.T) {
	if testing.Short() {
		t.Skip("compiling a 12 MB component takes seconds")
	}
	comp := jsComponent(t)
	ctx := context.Background()
	cacheDir, _ := os.UserCacheDir()
	e, err := engine.New(ctx, engine.Options{CacheDir: filepath.Join(cacheDir, "witgo", "engine-test-cache")})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(ctx)
	compiled, err := e.Compile(ctx, comp)
	if err != nil {
		t.Fatal(err)
	}
	host, err := wasi.New(wasi.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	im := host.Imports(compiled)
	im.Stub = true
	inst, err := e.Instantiate(ctx, compiled, im)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close(ctx)
	for _, name := range []string{"witgo", "wörld ☃", ""} {
		got, err := inst.Call(ctx, "hello", canonabi.StringValue(name))
		if err != nil {
			t.Fatalf("hello(%q): %v", name, err)
		}
		if want := "Hello " + name; got.Str() != want {
			t.Errorf("hello(%q) = %q, want %q", name, got.Str(), want)
		}
	}
}
