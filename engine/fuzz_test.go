package engine

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/witgo/witgo/internal/testshared"
)

// FuzzInstantiate: whatever the bytes, compiling and instantiating them
// (and calling exports that take no arguments) returns or errors; it
// never panics or hangs.
func FuzzInstantiate(f *testing.F) {
	f.Add(calleeComponent(f, 0))
	f.Add(composedComponent(f))
	f.Add(resourceComponent(f))
	if dir := testshared.Find("conformance", "component-spec"); dir != "" {
		seeds, _ := filepath.Glob(filepath.Join(dir, "*", "*", "*.wasm"))
		for i, s := range seeds {
			if i%8 != 0 { // a sample keeps the seed corpus quick
				continue
			}
			if b, err := os.ReadFile(s); err == nil {
				f.Add(b)
			}
		}
	}
	e := newEngine(f, Options{MaxMemoryPages: 64})
	f.Fuzz(func(t *testing.T, b []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		c, err := e.Compile(ctx, b)
		if err != nil {
			return
		}
		inst, err := e.Instantiate(ctx, c, &Imports{Stub: true})
		if err != nil {
			return
		}
		defer inst.Close(ctx)
		for _, name := range inst.Exports() {
			if fn, err := inst.Func(name); err == nil && len(fn.Type().Params) == 0 {
				_, _ = fn.Call(ctx)
			}
		}
	})
}
