package engine

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component/wasm"
)

// benchOpts are the engine options of the benchmarks: the default (guests
// stoppable by their context, which makes wazero watch each call from a
// goroutine), or without that when WITGO_BENCH_NOCLOSE is set.
func benchOpts() Options {
	return Options{NoCloseOnContextDone: os.Getenv("WITGO_BENCH_NOCLOSE") != ""}
}

func benchFunc(b *testing.B, bin []byte, name string, args ...canonabi.Value) {
	inst := instantiate(b, newEngine(b, benchOpts()), bin, nil)
	f, err := inst.Func(name)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := f.Call(ctx, args...); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.Call(ctx, args...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAddComponent: add(u32, u32) -> u32 through the component layer.
func BenchmarkAddComponent(b *testing.B) {
	benchFunc(b, calleeComponent(b, 0), "add", canonabi.U32Value(1), canonabi.U32Value(2))
}

// BenchmarkAddRawWazero: the same core function called with wazero alone.
func BenchmarkAddRawWazero(b *testing.B) {
	inst := instantiate(b, newEngine(b, benchOpts()), calleeComponent(b, 0), nil)
	var core api.Function
	for _, m := range inst.modules {
		if f := m.ExportedFunction("add"); f != nil {
			core = f
		}
	}
	ctx := context.Background()
	stack := []uint64{1, 2}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		stack[0], stack[1] = 1, 2
		if err := core.CallWithStack(ctx, stack); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAddCrossComponent: one guest-to-guest call of add between two
// component instances (the caller's loop makes 1000 per iteration).
func BenchmarkAddCrossComponent(b *testing.B) {
	inst := instantiate(b, newEngine(b, benchOpts()), composedComponent(b), nil)
	f, _ := inst.Func("loop")
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.Call(ctx, canonabi.U32Value(1000), canonabi.U32Value(0)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000, "ns/call")
}

// BenchmarkAddRawHostCall: the same loop in a plain core module calling
// a Go host function add through wazero alone (wasm -> Go per call).
func BenchmarkAddRawHostCall(b *testing.B) {
	ctx := context.Background()
	e := newEngine(b, benchOpts())
	_, err := e.rt.NewHostModuleBuilder("bench-env").NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(func(_ context.Context, _ api.Module, s []uint64) {
			s[0] = uint64(uint32(s[0]) + uint32(s[1]))
		}), []api.ValueType{api.ValueTypeI32, api.ValueTypeI32}, []api.ValueType{api.ValueTypeI32}).
		Export("add").Instantiate(ctx)
	if err != nil {
		b.Fatal(err)
	}
	mb := wasm.NewBuilder()
	addLoop(mb, mb.ImportFunc("bench-env", "add", mb.FuncType([]wasm.ValType{vI32, vI32}, []wasm.ValType{vI32})))
	m, err := mb.Build()
	if err != nil {
		b.Fatal(err)
	}
	mod, err := e.rt.Instantiate(ctx, m.Encode())
	if err != nil {
		b.Fatal(err)
	}
	loop := mod.ExportedFunction("loop")
	stack := make([]uint64, 2)
	b.ReportAllocs()
	for b.Loop() {
		stack[0], stack[1] = 1000, 0
		if err := loop.CallWithStack(ctx, stack); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000, "ns/call")
}

func BenchmarkGreet100(b *testing.B) {
	benchFunc(b, calleeComponent(b, 0), "greet", canonabi.StringValue(strings.Repeat("x", 100)))
}

func BenchmarkGreet100CrossComponent(b *testing.B) {
	benchFunc(b, composedComponent(b), "run-greet", canonabi.StringValue(strings.Repeat("x", 100)))
}

func BenchmarkList1MiB(b *testing.B) {
	b.SetBytes(1 << 20)
	benchFunc(b, calleeComponent(b, 0), "count", canonabi.BytesValue(make([]byte, 1<<20)))
}

func BenchmarkMemcpy1MiB(b *testing.B) {
	src, dst := make([]byte, 1<<20), make([]byte, 1<<20)
	b.SetBytes(1 << 20)
	for b.Loop() {
		copy(dst, src)
	}
}

// TestPerformanceReport runs the benchmarks above and prints each figure
// beside its limit from the same run (go test -run PerformanceReport -v),
// once with guests stoppable by their context (the default) and once
// without, since wazero's per-call context watcher dominates small calls.
func TestPerformanceReport(t *testing.T) {
	if os.Getenv("WITGO_PERF") != "1" {
		t.Skip("set WITGO_PERF=1 to run the performance report (timing-sensitive: run it on a quiet machine)")
	}
	ns := func(r testing.BenchmarkResult) float64 { return float64(r.T.Nanoseconds()) / float64(r.N) }
	mbps := func(r testing.BenchmarkResult) float64 { return float64(r.Bytes) * float64(r.N) / r.T.Seconds() / 1e6 }
	// best of two runs: the machines are shared, and a figure is only as
	// good as the quietest moment it got.
	best := func(f func(*testing.B)) testing.BenchmarkResult {
		a, b := testing.Benchmark(f), testing.Benchmark(f)
		if ns(b) < ns(a) {
			return b
		}
		return a
	}
	for _, noClose := range []string{"", "1"} {
		t.Setenv("WITGO_BENCH_NOCLOSE", noClose)
		mode := "context-stoppable (default)"
		if noClose != "" {
			mode = "NoCloseOnContextDone"
		}
		add := best(BenchmarkAddComponent)
		raw := best(BenchmarkAddRawWazero)
		cross := best(BenchmarkAddCrossComponent)
		hostCall := best(BenchmarkAddRawHostCall)
		greet := best(BenchmarkGreet100)
		greetX := best(BenchmarkGreet100CrossComponent)
		list := best(BenchmarkList1MiB)
		memcpy := best(BenchmarkMemcpy1MiB)
		inst := best(BenchmarkInstantiate)
		instRaw := best(BenchmarkInstantiateRawWazero)
		instComposed := best(BenchmarkInstantiateComposed)
		ratio := ns(add) / ns(raw)
		instRatio := ns(inst) / ns(instRaw)
		share := mbps(list) / mbps(memcpy)
		fmt.Printf("== engine %s\n", mode)
		fmt.Printf("add via component layer  %8.1f ns/op %d allocs  raw wazero %8.1f ns/op %d allocs  ratio %.2fx (limit <= 3x)\n",
			ns(add), add.AllocsPerOp(), ns(raw), raw.AllocsPerOp(), ratio)
		crossRatio := ns(cross) / ns(hostCall)
		fmt.Printf("add guest-to-guest        %8.1f ns/call  raw wasm->Go host call %8.1f ns/call  ratio %.2fx (limit <= 3x)\n",
			ns(cross)/1000, ns(hostCall)/1000, crossRatio)
		if crossRatio > 3 {
			t.Errorf("%s: a guest-to-guest add is %.2fx a raw wazero host call (limit 3x)", mode, crossRatio)
		}
		fmt.Printf("greet(100-byte string)    %8.1f ns/op %d allocs; across components %8.1f ns/op %d allocs\n",
			ns(greet), greet.AllocsPerOp(), ns(greetX), greetX.AllocsPerOp())
		fmt.Printf("list<u8> 1 MiB            %8.0f MB/s  memcpy %8.0f MB/s  share %.0f%% (limit >= 50%%)\n",
			mbps(list), mbps(memcpy), share*100)
		fmt.Printf("instantiate (compiled)    %8.0f ns/op  raw wazero module %8.0f ns/op  ratio %.2fx (limit <= 2x); two nested components %8.0f ns/op\n",
			ns(inst), ns(instRaw), instRatio, ns(instComposed))
		if instRatio > 2 {
			t.Errorf("%s: instantiation is %.2fx wazero's (limit 2x)", mode, instRatio)
		}
		if ratio > 3 {
			t.Errorf("%s: add through the component layer is %.2fx a raw wazero call (limit 3x)", mode, ratio)
		}
		if share < 0.5 {
			t.Errorf("%s: 1 MiB list<u8> reaches %.0f%% of memcpy bandwidth (limit 50%%)", mode, share*100)
		}
	}
}

// BenchmarkInstantiate: instantiating a compiled component (the callee:
// one core module, four lifted functions) ...
func BenchmarkInstantiate(b *testing.B) {
	ctx := context.Background()
	e := newEngine(b, benchOpts())
	c, err := e.Compile(ctx, calleeComponent(b, 0))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		inst, err := e.Instantiate(ctx, c, nil)
		if err != nil {
			b.Fatal(err)
		}
		_ = inst.Close(ctx)
	}
}

// ... against instantiating its core module with wazero alone.
func BenchmarkInstantiateRawWazero(b *testing.B) {
	ctx := context.Background()
	e := newEngine(b, benchOpts())
	c, err := e.Compile(ctx, calleeComponent(b, 0))
	if err != nil {
		b.Fatal(err)
	}
	var cm wazero.CompiledModule
	for _, m := range c.modules {
		cm = m
	}
	b.ReportAllocs()
	for b.Loop() {
		m, err := e.rt.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName("").WithStartFunctions())
		if err != nil {
			b.Fatal(err)
		}
		_ = m.Close(ctx)
	}
}

// BenchmarkInstantiateComposed: two nested components wired together
// (glue modules and trampolines included).
func BenchmarkInstantiateComposed(b *testing.B) {
	ctx := context.Background()
	e := newEngine(b, benchOpts())
	c, err := e.Compile(ctx, composedComponent(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		inst, err := e.Instantiate(ctx, c, nil)
		if err != nil {
			b.Fatal(err)
		}
		_ = inst.Close(ctx)
	}
}
