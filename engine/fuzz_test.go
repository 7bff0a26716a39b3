package engine

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/witgo/witgo/internal/testshared"
	"github.com/witgo/witgo/internal/wast"
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
	for _, b := range asyncSeeds() {
		f.Add(b)
	}
	e := newEngine(f, Options{MaxMemoryPages: 64})
	f.Fuzz(func(t *testing.T, b []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		watchdog := time.AfterFunc(20*time.Second, func() { panic("FuzzInstantiate: input hangs") })
		defer watchdog.Stop()
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

// asyncSeeds are components of the async ABI: the host-stream test guest
// and those of the spec's async reference scripts (compiled by jco, from
// its cache; none when jco is missing).
func asyncSeeds() [][]byte {
	c, err := wast.SharedCompiler()
	if err != nil {
		return nil
	}
	texts := []string{hostStreamsWAT, hostFuturesWAT}
	if dir := testshared.Find("reference", "spec", "test", "async"); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "*.wast"))
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				continue
			}
			s, err := wast.Parse(file, string(src))
			if err != nil {
				continue
			}
			for _, cmd := range s.Commands {
				if cmd.Module != nil && cmd.Module.Text != "" && !cmd.Module.Core {
					texts = append(texts, cmd.Module.Text)
				}
			}
		}
	}
	rs, err := c.Compile(texts)
	if err != nil {
		return nil
	}
	var out [][]byte
	for _, r := range rs {
		if r.Err == nil {
			out = append(out, r.Binary)
		}
	}
	return out
}
