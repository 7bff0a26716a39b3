package component

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// goHello builds testdata/component/gohello as a wasip1 reactor (cached).
func goHello(t testing.TB) []byte {
	goTool := requireTool(t, "go", "builds the Go guest")
	src := filepath.Join("..", "testdata", "component", "gohello", "main.go")
	args := []string{"build", "-buildmode=c-shared", "-trimpath", "-o", "OUT", src}
	path := cachedBuild(t, "gohello", []string{src}, args, func(out string) error {
		cmd := exec.Command(goTool, "build", "-buildmode=c-shared", "-trimpath", "-o", out, src)
		cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
		cmd.Stderr = os.Stderr
		return cmd.Run()
	})
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func goHelloOptions(t testing.TB) NewOptions {
	r, w := loadWorld(t, filepath.Join("..", "testdata", "component", "gohello", "gohello.wit"), "gohello")
	if AdapterForTests == nil {
		t.Fatal("the WASI adapter hook is not set")
	}
	adapter, ar, aw, err := AdapterForTests()
	if err != nil {
		t.Fatalf("the WASI adapter: %v", err)
	}
	return NewOptions{Resolve: r, World: w, Adapter: adapter, AdapterResolve: ar, AdapterWorld: aw}
}

// TestNewGo: a Go reactor becomes a component with witgo's adapter, and
// jco runs its export (with _initialize run first by the init module).
func TestNewGo(t *testing.T) {
	core := goHello(t)
	comp := mustNew(t, core, goHelloOptions(t))
	out := runUnderJco(t, comp, nil, map[string]string{},
		"import { run } from './out/c.js';\nconsole.log('result', run(21));\n")
	if !strings.Contains(out, "hello from go: 21\n") || !strings.Contains(out, "result 42") {
		t.Errorf("under jco:\n%s", out)
	}
}

// BenchmarkNewGo: `component new` of a ~2 MB Go module with the adapter.
func BenchmarkNewGo(b *testing.B) {
	core := goHello(b)
	opts := goHelloOptions(b)
	b.SetBytes(int64(len(core)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := New(core, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// TestNewGoSpeed holds `component new` of the Go module to its budget
// (50 ms; it takes a few ms): the best of five runs.
func TestNewGoSpeed(t *testing.T) {
	core := goHello(t)
	opts := goHelloOptions(t)
	best := time.Duration(1 << 62)
	for i := 0; i < 5; i++ {
		start := time.Now()
		if _, err := New(core, opts); err != nil {
			t.Fatal(err)
		}
		best = min(best, time.Since(start))
	}
	t.Logf("component new of a %d-byte Go module: %v", len(core), best)
	if best > 50*time.Millisecond {
		t.Errorf("component new took %v, over the 50 ms budget", best)
	}
}
