package adapter

import (
	"context"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/witgo/witgo/component/wasm"
)

func valTypes(ts []wasm.ValType) []api.ValueType {
	out := make([]api.ValueType, len(ts))
	for i, t := range ts {
		switch t.Code {
		case wasm.I64:
			out[i] = api.ValueTypeI64
		case wasm.F32:
			out[i] = api.ValueTypeF32
		case wasm.F64:
			out[i] = api.ValueTypeF64
		default:
			out[i] = api.ValueTypeI32
		}
	}
	return out
}

var (
	compileCache = wazero.NewCompilationCache()
)

func newRuntime(ctx context.Context) wazero.Runtime {
	return wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCompilationCache(compileCache))
}

// rig is the adapter instantiated over a bare memory (exported by a tiny
// main module named "env") and the fake host.
type rig struct {
	ctx     context.Context
	host    *fakeHost
	r       wazero.Runtime
	mem     api.Memory
	adapter api.Module
}

func newRig(t testing.TB, pages uint64, setup func(*fakeHost)) *rig {
	t.Helper()
	ctx := context.Background()
	r := newRuntime(ctx)
	t.Cleanup(func() { r.Close(ctx) })
	h := newFakeHost(t)
	if setup != nil {
		setup(h)
	}
	h.instantiate(ctx, t, r)
	b := wasm.NewBuilder()
	b.Export("memory", wasm.ExternMemory, b.Memory(wasm.MemType{Limits: wasm.Limits{Min: pages}}))
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	env, err := r.InstantiateWithConfig(ctx, m.Encode(), wazero.NewModuleConfig().WithName("env"))
	if err != nil {
		t.Fatal(err)
	}
	ad := instantiateAdapter(t, ctx, r)
	t.Cleanup(func() {
		if len(h.faults) > 0 {
			t.Errorf("host saw protocol faults: %v", h.faults)
		}
	})
	return &rig{ctx: ctx, host: h, r: r, mem: env.Memory(), adapter: ad}
}

func instantiateAdapter(t testing.TB, ctx context.Context, r wazero.Runtime) api.Module {
	t.Helper()
	bin, err := Module()
	if err != nil {
		t.Fatal(err)
	}
	ad, err := r.InstantiateWithConfig(ctx, bin, wazero.NewModuleConfig().WithName("adapter"))
	if err != nil {
		t.Fatal(err)
	}
	return ad
}

// call runs a preview1 export and returns its errno (or the trap).
func (g *rig) call(name string, args ...uint64) (uint32, error) {
	res, err := g.adapter.ExportedFunction(name).Call(g.ctx, args...)
	if err != nil {
		return 0, err
	}
	if len(res) == 0 {
		return 0, nil
	}
	return uint32(res[0]), nil
}

func (g *rig) mustCall(t testing.TB, name string, want uint32, args ...uint64) {
	t.Helper()
	got, err := g.call(name, args...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if got != want {
		t.Fatalf("%s: errno %d, want %d", name, got, want)
	}
}

func (g *rig) put(p uint32, b []byte) {
	if !g.mem.Write(p, b) {
		panic("put out of bounds")
	}
}

func (g *rig) get(p, n uint32) []byte {
	b, ok := g.mem.Read(p, n)
	if !ok {
		panic("get out of bounds")
	}
	return append([]byte(nil), b...)
}

func (g *rig) u32(p uint32) uint32 { v, _ := g.mem.ReadUint32Le(p); return v }
func (g *rig) u64(p uint32) uint64 { v, _ := g.mem.ReadUint64Le(p); return v }
func (g *rig) setU32(p, v uint32)  { g.mem.WriteUint32Le(p, v) }

// iov writes one iovec at at pointing to data placed at dataAt.
func (g *rig) iov(at, dataAt uint32, data []byte) {
	g.put(dataAt, data)
	g.setU32(at, dataAt)
	g.setU32(at+4, uint32(len(data)))
}
