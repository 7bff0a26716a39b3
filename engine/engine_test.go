package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/witgo/witgo/component"

	"github.com/witgo/witgo/canonabi"
)

func newEngine(t testing.TB, opts Options) *Engine {
	ctx := context.Background()
	e, err := New(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close(ctx) })
	return e
}

func instantiate(t testing.TB, e *Engine, bin []byte, im *Imports) *Instance {
	ctx := context.Background()
	c, err := e.Compile(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := e.Instantiate(ctx, c, im)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = inst.Close(ctx) })
	return inst
}

func call(t *testing.T, inst *Instance, name string, args ...canonabi.Value) canonabi.Value {
	t.Helper()
	v, err := inst.Call(context.Background(), name, args...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

func TestCalleeExports(t *testing.T) {
	inst := instantiate(t, newEngine(t, Options{}), calleeComponent(t, 0), nil)
	if got := call(t, inst, "add", canonabi.U32Value(40), canonabi.U32Value(2)); got.Uint() != 42 {
		t.Errorf("add(40, 2) = %v", got)
	}
	if got := call(t, inst, "add", canonabi.U32Value(0xffffffff), canonabi.U32Value(2)); got.Uint() != 1 {
		t.Errorf("add wraps: got %v", got)
	}
	if got := call(t, inst, "greet", canonabi.StringValue("héllo ☃")); got.Str() != "héllo ☃" {
		t.Errorf("greet = %q", got.Str())
	}
	big := make([]byte, 200_000)
	if got := call(t, inst, "count", canonabi.BytesValue(big)); got.Uint() != uint64(len(big)) {
		t.Errorf("count = %v", got)
	}
	if got := call(t, inst, "fadd", canonabi.F64Value(1.5), canonabi.F64Value(2.25)); got.Float64() != 3.75 {
		t.Errorf("fadd = %v", got)
	}
	nan := canonabi.F64Value(math.Float64frombits(0x7ff8_0000_dead_beef))
	if got := call(t, inst, "fadd", nan, canonabi.F64Value(0)); math.Float64bits(got.Float64()) != 0x7ff8000000000000 {
		t.Errorf("a NaN result is not canonicalized: %#x", math.Float64bits(got.Float64()))
	}
	if _, err := inst.Call(context.Background(), "add", canonabi.StringValue("x"), canonabi.U32Value(1)); err == nil {
		t.Error("a string for a u32 parameter was accepted")
	}
	if _, err := inst.Call(context.Background(), "nope"); err == nil {
		t.Error("calling a missing export succeeded")
	}
}

func TestCrossComponentCalls(t *testing.T) {
	inst := instantiate(t, newEngine(t, Options{}), composedComponent(t), nil)
	if got := call(t, inst, "run-add", canonabi.U32Value(7), canonabi.U32Value(8)); got.Uint() != 15 {
		t.Errorf("run-add = %v", got)
	}
	if got := call(t, inst, "loop", canonabi.U32Value(1000), canonabi.U32Value(5)); got.Uint() != 1005 {
		t.Errorf("loop = %v", got)
	}
	s := strings.Repeat("ab☃", 40)
	if got := call(t, inst, "run-greet", canonabi.StringValue(s)); got.Str() != s {
		t.Errorf("run-greet = %q", got.Str())
	}
}

func TestHostImports(t *testing.T) {
	var seen []string
	im := (&Imports{}).
		Func("add", func(_ context.Context, args []canonabi.Value) (canonabi.Value, error) {
			return canonabi.U32Value(uint32(args[0].Uint()*10 + args[1].Uint())), nil
		}).
		Func("greet", func(_ context.Context, args []canonabi.Value) (canonabi.Value, error) {
			seen = append(seen, args[0].Str())
			return canonabi.StringValue("hello, " + args[0].Str()), nil
		})
	inst := instantiate(t, newEngine(t, Options{}), encode(t, callerSections(t)), im)
	if got := call(t, inst, "run-add", canonabi.U32Value(4), canonabi.U32Value(2)); got.Uint() != 42 {
		t.Errorf("run-add via host = %v", got)
	}
	if got := call(t, inst, "run-greet", canonabi.StringValue("wit")); got.Str() != "hello, wit" {
		t.Errorf("run-greet via host = %q", got.Str())
	}
	if len(seen) != 1 || seen[0] != "wit" {
		t.Errorf("host saw %q", seen)
	}
	// A guest passing the host a string out of bounds, or invalid UTF-8:
	// traps before the host function runs; a fresh instance works.
	e := newEngine(t, Options{})
	for _, f := range []string{"bad-ptr", "bad-utf8"} {
		inst := instantiate(t, e, encode(t, callerSections(t)), im)
		_, err := inst.Call(context.Background(), f)
		var tr *Trap
		if !errors.As(err, &tr) {
			t.Errorf("%s: want a trap, got %v", f, err)
		}
	}
	if len(seen) != 1 {
		t.Errorf("the host function ran with bad arguments: %q", seen)
	}
	inst = instantiate(t, e, encode(t, callerSections(t)), im)
	if got := call(t, inst, "run-greet", canonabi.StringValue("ok")); got.Str() != "hello, ok" {
		t.Errorf("after hostile calls: %q", got.Str())
	}
}

func TestMissingImportIsALinkError(t *testing.T) {
	e := newEngine(t, Options{})
	c, err := e.Compile(context.Background(), encode(t, callerSections(t)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Instantiate(context.Background(), c, nil)
	var le *LinkError
	if !errors.As(err, &le) || le.Name != "add" {
		t.Fatalf("want a LinkError for add, got %v", err)
	}
}

// A host function that calls back into the instance that called it is
// reentrance, which the component model refuses.
func TestReentranceTraps(t *testing.T) {
	var inst *Instance
	im := (&Imports{}).
		Func("add", func(ctx context.Context, args []canonabi.Value) (canonabi.Value, error) {
			return inst.Call(ctx, "run-add", args...)
		}).
		Func("greet", func(context.Context, []canonabi.Value) (canonabi.Value, error) { return canonabi.StringValue(""), nil })
	inst = instantiate(t, newEngine(t, Options{}), encode(t, callerSections(t)), im)
	_, err := inst.Call(context.Background(), "run-add", canonabi.U32Value(1), canonabi.U32Value(2))
	var tr *Trap
	if !errors.As(err, &tr) || !strings.Contains(err.Error(), "reentrance") {
		t.Fatalf("want a reentrance trap, got %v", err)
	}
}

// Hostile guests: each failure is an error, the process survives and a
// fresh instance works.
func TestHostileGuests(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, Options{MaxMemoryPages: 8})
	check := func(name string, err error) {
		t.Helper()
		var tr *Trap
		if !errors.As(err, &tr) {
			t.Errorf("%s: want a trap, got %v", name, err)
		}
		fresh := instantiate(t, e, calleeComponent(t, 0), nil)
		if got := call(t, fresh, "add", canonabi.U32Value(1), canonabi.U32Value(2)); got.Uint() != 3 {
			t.Errorf("after %s: add = %v", name, got)
		}
	}

	bad := instantiate(t, e, calleeComponent(t, -1), nil)
	_, err := bad.Call(ctx, "greet", canonabi.StringValue("x"))
	check("out-of-bounds string", err)
	if _, err := bad.Call(ctx, "add", canonabi.U32Value(1), canonabi.U32Value(2)); err == nil {
		t.Error("a trapped instance accepted another call")
	}

	inst := instantiate(t, e, calleeComponent(t, 0), nil)
	_, err = inst.Call(ctx, "count", canonabi.BytesValue(make([]byte, 1<<20)))
	check("list beyond the memory limit", err)

	inst = instantiate(t, e, calleeComponent(t, 0), nil)
	dctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = inst.Call(dctx, "spin")
	if time.Since(start) > 5*time.Second {
		t.Errorf("infinite loop ran %v past its deadline", time.Since(start))
	}
	check("infinite loop with a deadline", err)

	inst = instantiate(t, e, calleeComponent(t, 0), nil)
	_, err = inst.Call(ctx, "greet", canonabi.StringValue(string([]byte{0xff, 0xfe})))
	if err == nil {
		t.Error("invalid UTF-8 from the host was lowered")
	}
}

// Strings cross between UTF-8, UTF-16 and latin1+utf16 components: the
// callee echoes its argument's code units, so any transcoding error on
// either side shows.
func TestStringEncodings(t *testing.T) {
	e := newEngine(t, Options{})
	samples := []string{"", "plain ascii", "latin1: é ü ñ ÿ", "wide: ☃ ツ", "astral: 😀 𝄞", strings.Repeat("é☃", 300)}
	for _, enc := range []byte{component.OptUTF8, component.OptUTF16, component.OptLatin1UTF16} {
		direct := instantiate(t, e, encode(t, calleeSectionsEnc(t, 0, enc)), nil)
		// The argument really sits in the guest's memory in its encoding.
		// (latin1+utf16 gets a Latin-1 string: a wider one is moved by the
		// test allocator's realloc.)
		probe := map[byte]string{component.OptUTF8: "é☃", component.OptUTF16: "é☃", component.OptLatin1UTF16: "éü"}[enc]
		call(t, direct, "greet", canonabi.StringValue(probe))
		want := map[byte]string{component.OptUTF8: "é☃", component.OptUTF16: "\xe9\x00\x03\x26", component.OptLatin1UTF16: "\xe9\xfc"}[enc]
		mem := direct.modules[0].ExportedMemory("memory")
		if got, _ := mem.Read(heapStart, uint32(len(want))); string(got) != want {
			t.Errorf("encoding %d: guest memory holds % x, want % x", enc, got, want)
		}
		composed := instantiate(t, e, composedComponentEnc(t, enc), nil)
		for _, s := range samples {
			if got := call(t, direct, "greet", canonabi.StringValue(s)); got.Str() != s {
				t.Errorf("encoding %d: greet(%q) = %q", enc, s, got.Str())
			}
			if got := call(t, composed, "run-greet", canonabi.StringValue(s)); got.Str() != s {
				t.Errorf("encoding %d across components: run-greet(%q) = %q", enc, s, got.Str())
			}
		}
	}
}

// The on-disk compilation cache serves a second engine.
func TestDiskCache(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 2; i++ {
		inst := instantiate(t, newEngine(t, Options{CacheDir: dir}), calleeComponent(t, 0), nil)
		if got := call(t, inst, "add", canonabi.U32Value(2), canonabi.U32Value(3)); got.Uint() != 5 {
			t.Fatalf("add = %v", got)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) == 0 {
		t.Error("nothing was written to the cache directory")
	}
}

// Built-ins the engine does not run (shared-memory threads) are refused when
// compiling.
func TestUnsupportedIsReportedAtCompile(t *testing.T) {
	bin := encode(t, []component.Section{&component.CanonSection{Funcs: []component.Canon{{Op: component.CanonThreadAvailParallelism}}}})
	_, err := newEngine(t, Options{}).Compile(context.Background(), bin)
	var ue *UnsupportedError
	if !errors.As(err, &ue) {
		t.Fatalf("want an UnsupportedError, got %v", err)
	}
}

func TestSemverCompatibleInterfaces(t *testing.T) {
	im := (&Imports{}).Interface("wasi:cli/stdout@0.2.12", map[string]HostFunc{}).Interface("a:b/c@1.4.0", map[string]HostFunc{})
	for name, want := range map[string]bool{
		"wasi:cli/stdout@0.2.12": true, "wasi:cli/stdout@0.2.0": true, "wasi:cli/stdout@0.3.0": false,
		"a:b/c@1.0.0": true, "a:b/c@2.0.0": false, "wasi:cli/stderr@0.2.0": false,
	} {
		if _, ok := im.lookupInterface(name); ok != want {
			t.Errorf("%s: found %v, want %v", name, ok, want)
		}
	}
}

// One engine serves goroutines that each instantiate and call.
func TestConcurrentInstances(t *testing.T) {
	e := newEngine(t, Options{})
	c, err := e.Compile(context.Background(), composedComponent(t))
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for g := 0; g < 4; g++ {
		go func(g int) {
			ctx := context.Background()
			inst, err := e.Instantiate(ctx, c, nil)
			if err != nil {
				errs <- err
				return
			}
			defer inst.Close(ctx)
			for i := 0; i < 50; i++ {
				v, err := inst.Call(ctx, "run-add", canonabi.U32Value(uint32(g)), canonabi.U32Value(uint32(i)))
				if err != nil || v.Uint() != uint64(g+i) {
					errs <- fmt.Errorf("goroutine %d: run-add = %v, %v", g, v, err)
					return
				}
			}
			errs <- nil
		}(g)
	}
	for g := 0; g < 4; g++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// A direct guest-to-guest edge (integers only: no Go in between) still
// enforces the rules: here the flags are set by hand, as a running callee
// and a caller inside its post-return would have them.
func TestDirectEdgeRules(t *testing.T) {
	e := newEngine(t, Options{})
	for _, tc := range []struct {
		name string
		set  func(callee, caller *compInstance)
		want string
	}{
		{"callee running", func(callee, _ *compInstance) { callee.setEntered(true) }, "reentrance"},
		{"caller may not leave", func(_, caller *compInstance) { caller.setMayLeave(false) }, "cannot leave"},
	} {
		inst := instantiate(t, e, composedComponent(t), nil)
		if got := call(t, inst, "run-add", canonabi.U32Value(1), canonabi.U32Value(2)); got.Uint() != 3 {
			t.Fatalf("run-add = %v", got)
		}
		// compInsts: the root, then the callee, then the caller.
		callee, caller := inst.compInsts[1], inst.compInsts[2]
		if callee.enteredG == nil || caller.mayLeaveG == nil {
			t.Fatal("run-add's import is not a direct edge")
		}
		tc.set(callee, caller)
		_, err := inst.Call(context.Background(), "run-add", canonabi.U32Value(1), canonabi.U32Value(2))
		var tr *Trap
		if !errors.As(err, &tr) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: want a %q trap, got %v", tc.name, tc.want, err)
		}
	}
}
