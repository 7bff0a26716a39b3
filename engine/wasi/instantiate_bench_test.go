package wasi_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/witgo/witgo/engine/wasi"
)

// BenchmarkInstantiateGoComponent: instantiating the compiled Go guest
// component (with a fresh WASI host; its start runs Go's _initialize) against
// wazero instantiating the same core module, compiled, with wazero's own
// preview1 host and _initialize. Issue target: at most 2x. The ratio is
// reported as x-wazero, measured in the same run.
func BenchmarkInstantiateGoComponent(b *testing.B) {
	ctx := context.Background()
	c := goGuest(b)
	core := goGuestCore(b)

	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	wasi_snapshot_preview1.MustInstantiate(ctx, r)
	mod, err := r.CompileModule(ctx, core)
	if err != nil {
		b.Fatal(err)
	}
	cfg := wazero.NewModuleConfig().WithName("").WithStartFunctions("_initialize")
	var wazeroNs float64
	b.Run("wazero-module", func(b *testing.B) {
		b.ReportAllocs()
		start := time.Now()
		for i := 0; i < b.N; i++ {
			m, err := r.InstantiateModule(ctx, mod, cfg)
			if err != nil {
				b.Fatal(err)
			}
			m.Close(ctx)
		}
		wazeroNs = float64(time.Since(start).Nanoseconds()) / float64(b.N)
	})
	b.Run("component", func(b *testing.B) {
		b.ReportAllocs()
		start := time.Now()
		for i := 0; i < b.N; i++ {
			h, err := wasi.New(wasi.Config{})
			if err != nil {
				b.Fatal(err)
			}
			inst, err := sharedEngine(b).Instantiate(ctx, c, h.Imports(c))
			if err != nil {
				b.Fatal(err)
			}
			inst.Close(ctx)
			h.Close()
		}
		if wazeroNs > 0 {
			per := float64(time.Since(start).Nanoseconds()) / float64(b.N)
			b.ReportMetric(per/wazeroNs, "x-wazero(limit-2)")
		}
	})
}

// goGuestCore builds testdata/goguest as a core module (cached per run).
func goGuestCore(b *testing.B) []byte {
	goTool, err := exec.LookPath("go")
	if err != nil {
		skipOrFail(b, "go not found")
	}
	out := filepath.Join(b.TempDir(), "core.wasm")
	cmd := exec.Command(goTool, "build", "-buildmode=c-shared", "-trimpath", "-o", out, "./testdata/goguest")
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, msg)
	}
	core, err := os.ReadFile(out)
	if err != nil {
		b.Fatal(err)
	}
	return core
}
