package rustgen

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/engine"
	"github.com/witgo/witgo/wit"
)

const rtIface = "test:rrt/host"

// buildRuntimeGuest builds testdata/runtime/guest/lib.rs for the world
// rrt of testdata/runtime/rt.wit (see buildGuest).
func buildRuntimeGuest(t *testing.T, opt ...string) []byte {
	return buildGuest(t, filepath.Join("testdata", "runtime", "rt.wit"), "rrt",
		filepath.Join("testdata", "runtime", "guest", "lib.rs"), opt...)
}

// buildGuest generates bindings for world of the WIT at witPath, builds
// the crate root lib with them (rustc, wasm32-unknown-unknown, warnings
// denied; -O unless opt says otherwise) and makes the core module a
// component with component.New, as `witgo component new` does.
func buildGuest(t *testing.T, witPath, world, lib string, opt ...string) []byte {
	rustc := requireRustc(t)
	r := wit.NewResolve()
	pkg, err := r.LoadPath(witPath)
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.SelectWorld(pkg, world)
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(r, w, Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(lib)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "lib.rs"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "guest.wasm")
	if len(opt) == 0 {
		opt = []string{"-O"}
	}
	args := append([]string{"--edition", "2021", "--target", "wasm32-unknown-unknown", "--crate-type", "cdylib"}, opt...)
	cmd := exec.Command(rustc, append(args, "-D", "warnings", "-C", "strip=debuginfo", "-o", out, filepath.Join(dir, "lib.rs"))...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("rustc: %v\n%s", err, firstLines(string(b), 60))
	}
	core, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	comp, err := component.New(core, component.NewOptions{Resolve: r, World: w})
	if err != nil {
		t.Fatalf("component new: %v", err)
	}
	return comp
}

// rtHost is the host side of test:rrt/host: echo functions return their
// argument; counters are host resources whose rep indexes values.
type rtHost struct {
	t        *testing.T
	counters map[uint32]uint32
	next     uint32
	dropped  []uint32
	logged   []string
}

func (h *rtHost) imports() *engine.Imports {
	funcs := map[string]engine.HostFunc{}
	echo := func(_ context.Context, a []canonabi.Value) (canonabi.Value, error) { return a[0], nil }
	for _, name := range []string{"echo-u8", "echo-s8", "echo-u16", "echo-s16", "echo-u32", "echo-s32", "echo-u64",
		"echo-s64", "echo-f32", "echo-f64", "echo-bool", "echo-char", "echo-string", "echo-bytes", "echo-strings", "echo-spot",
		"echo-items", "echo-shape", "echo-joined", "echo-option", "echo-result", "echo-unit", "echo-tuple",
		"echo-fixed", "echo-map"} {
		funcs[name] = echo
	}
	funcs["echo-flags"] = func(_ context.Context, a []canonabi.Value) (canonabi.Value, error) {
		return canonabi.TupleValue(a...), nil
	}
	funcs["many"] = func(_ context.Context, a []canonabi.Value) (canonabi.Value, error) {
		if len(a) != 17 {
			h.t.Errorf("many got %d arguments", len(a))
		}
		return canonabi.TupleValue(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[16]), nil
	}
	newCounter := func(ctx context.Context, v uint32) (canonabi.Value, error) {
		h.next++
		h.counters[h.next] = v
		return engine.CallerInstance(ctx).NewResource(rtIface, "counter", h.next)
	}
	value := func(ctx context.Context, handle canonabi.Value) uint32 {
		rep, err := engine.CallerInstance(ctx).ResourceRep(handle.Handle())
		if err != nil {
			h.t.Errorf("counter handle %v: %v", handle, err)
		}
		return h.counters[rep]
	}
	funcs["[constructor]counter"] = func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
		return newCounter(ctx, uint32(a[0].Uint()))
	}
	funcs["[method]counter.add"] = func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
		rep, err := engine.CallerInstance(ctx).ResourceRep(a[0].Handle())
		h.counters[rep] += uint32(a[1].Uint())
		return canonabi.U32Value(h.counters[rep]), err
	}
	funcs["[method]counter.get"] = func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
		return canonabi.U32Value(value(ctx, a[0])), nil
	}
	funcs["[static]counter.merge"] = func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
		return newCounter(ctx, value(ctx, a[0])+value(ctx, a[1]))
	}
	funcs["sum"] = func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
		var sum uint64
		for _, c := range a[0].Elems() {
			if c.Kind() != canonabi.KindBorrow {
				h.t.Errorf("sum got %s, want borrow handles", c)
			}
			sum += uint64(value(ctx, c))
		}
		return canonabi.U64Value(sum), nil
	}
	funcs["keep"] = func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
		if a[0].Kind() != canonabi.KindOwn {
			h.t.Errorf("keep got %s, want an own handle", a[0])
		}
		v := value(ctx, a[0])
		return canonabi.U32Value(v), engine.CallerInstance(ctx).DropResource(ctx, a[0].Handle())
	}
	return (&engine.Imports{}).
		Resource(rtIface, "counter", func(rep uint32) { h.dropped = append(h.dropped, rep) }).
		Interface(rtIface, funcs).
		Func("log", func(_ context.Context, a []canonabi.Value) (canonabi.Value, error) {
			h.logged = append(h.logged, a[0].Str())
			return canonabi.Value{}, nil
		})
}

// TestRustGuestRuntime runs a Rust guest built with the generated
// bindings on witgo's engine. Each api.echo-* call carries its value host
// -> guest export -> guest import -> host and back, so the result must
// equal the argument; resources are checked both ways.
func TestRustGuestRuntime(t *testing.T) {
	// Optimized, and a debug build with overflow checks and debug
	// assertions (the standard library's pointer checks).
	for _, b := range []struct {
		name string
		opt  []string
	}{
		{"release", []string{"-O"}},
		{"debug", []string{"-C", "opt-level=0", "-C", "debug-assertions=on", "-C", "overflow-checks=on"}},
	} {
		t.Run(b.name, func(t *testing.T) { runRustGuest(t, buildRuntimeGuest(t, b.opt...)) })
	}
}

func runRustGuest(t *testing.T, comp []byte) {
	ctx := context.Background()
	eng, compiled := compileComponent(t, comp)
	defer eng.Close(ctx)
	h := &rtHost{t: t, counters: map[uint32]uint32{}}
	inst, err := eng.Instantiate(ctx, compiled, h.imports())
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close(ctx)
	abi := inst.ABI()
	call := func(text string) (canonabi.Value, []canonabi.Value, *wit.Function, error) {
		var fn *engine.Func
		wf, args, err := abi.ParseCall(text, func(name string) (*wit.Function, error) {
			if !strings.HasPrefix(name, "[") && name != "run" {
				name = "test:rrt/api#" + name
			}
			f, err := inst.Func(name)
			if err != nil {
				return nil, err
			}
			fn = f
			return f.Type(), nil
		})
		if err != nil {
			return canonabi.Value{}, nil, nil, err
		}
		got, err := fn.Call(ctx, args...)
		return got, args, wf, err
	}

	echoes := []string{
		`echo-u8(0)`, `echo-u8(255)`, `echo-s8(-128)`, `echo-s8(127)`, `echo-u16(65535)`, `echo-s16(-32768)`,
		`echo-u32(4294967295)`, `echo-s32(-2147483648)`, `echo-u64(18446744073709551615)`,
		`echo-s64(-9223372036854775808)`, `echo-s64(9223372036854775807)`, `echo-f32(-0.0)`, `echo-f32(3.4028235e38)`,
		`echo-f32(nan)`, `echo-f64(1.7976931348623157e308)`, `echo-f64(-inf)`, `echo-f64(5e-324)`,
		`echo-bool(true)`, `echo-bool(false)`, `echo-char('\u{10ffff}')`, `echo-char('ß')`, `echo-char('\u{0}')`,
		`echo-string("")`, `echo-string("héllo ☃ 😀")`, `echo-string("plain")`,
		`echo-bytes([])`, `echo-bytes([0, 1, 255])`, `echo-spot({x: -5, y: 6})`, `echo-strings([])`, `echo-strings(["a", "", "ü😀"])`,
		`echo-items([{name: "n", tags: ["t1", ""], score: some(0.5), at: {x: -1, y: 2147483647}, c: blue, p: {read, exec}}, {name: "", tags: [], score: none, at: {x: 0, y: 0}, c: red, p: {}}])`,
		`echo-shape(circle(1.5))`, `echo-shape(rect((1.0, -2.0)))`, `echo-shape(named("x☃"))`, `echo-shape(empty)`,
		`echo-shape(nested(some(ok(7))))`, `echo-shape(nested(some(err("bad"))))`, `echo-shape(nested(none))`,
		`echo-joined(big(18446744073709551615))`, `echo-joined(small(-2.5))`, `echo-joined(wide(-2.5))`,
		`echo-joined(tiny(-1))`, `echo-joined(text("j"))`, `echo-joined(%none)`,
		`echo-option(none)`, `echo-option(some(none))`, `echo-option(some(some("deep")))`, `echo-option(some(some("")))`,
		`echo-result(ok([1, 2, 4294967295]))`, `echo-result(ok([]))`, `echo-result(err(green))`,
		`echo-unit(ok)`, `echo-unit(err)`,
		`echo-tuple((255, "two", 3.5, 'ß'))`, `echo-fixed([1, 2, 65535])`,
		`echo-map([])`, `echo-map([("a", 1), ("ü", 4294967295)])`,
		`many(1, "two", 3, 4.5, 6.25, -7, "", 8, 9, 10, 11, 12, 13, 14, 15, 16, [17, 255])`,
	}
	live := func() uint64 {
		v, _, _, err := call("live-bytes()")
		if err != nil {
			t.Fatal(err)
		}
		return v.Uint()
	}
	// Twice: the second round must leave the guest's heap as it found it
	// (parameter areas, lists the host passed in, post-return frees).
	var before uint64
	for round := 0; round < 2; round++ {
		if round == 1 {
			before = live()
		}
		for _, text := range echoes {
			got, args, _, err := call(text)
			if err != nil {
				t.Errorf("%s: %v", text, err)
				continue
			}
			want := args[0]
			if strings.HasPrefix(text, "many") {
				want = canonabi.TupleValue(args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[16])
			}
			if !canonabi.Equal(got, want) {
				t.Errorf("%s returned %v", text, got)
			}
		}
	}
	if after := live(); after != before {
		t.Errorf("the guest's live heap went from %d to %d bytes over %d calls", before, after, len(echoes))
	}
	for _, c := range []struct{ call, want string }{
		{`echo-flags({read, exec}, {w0, w16})`, `({read, exec}, {w0, w16})`},
		{`echo-flags({}, {w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11, w12, w13, w14, w15, w16})`, ``},
		{`run(["a", "b😀"])`, `ok(2)`},
		{`run([])`, `err("no arguments")`},
		{`use-counter(3, 4)`, `14`},
		{`sum-counters(4)`, `10`},
		{`hand-over(9)`, `9`},
		{`dropped()`, `0`},
	} {
		got, args, f, err := call(c.call)
		if err != nil {
			t.Errorf("%s: %v", c.call, err)
			continue
		}
		want := canonabi.TupleValue(args...)
		if c.want != "" {
			if want, err = abi.ParseWAVE(f.Result, c.want); err != nil {
				t.Fatalf("%s: %v", c.want, err)
			}
		}
		if !canonabi.Equal(got, want) {
			t.Errorf("%s = %s, want %s", c.call, got, c.want)
		}
	}
	if strings.Join(h.logged, ",") != "a,b😀" {
		t.Errorf("log got %q", h.logged)
	}
	// use-counter drops c and the merged counter; sum-counters 4; keep's
	// counter is dropped by the host: 7 in all.
	if len(h.dropped) != 7 {
		t.Errorf("host saw %d counter drops, want 7 (%v)", len(h.dropped), h.dropped)
	}
	checkResources(t, ctx, inst, h)
}

// checkResources exercises the exported tally and host counters passed
// into the guest.
func checkResources(t *testing.T, ctx context.Context, inst *engine.Instance, h *rtHost) {
	invoke := func(name string, args ...canonabi.Value) canonabi.Value {
		t.Helper()
		name = "test:rrt/api#" + name
		got, err := inst.Call(ctx, name, args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return got
	}
	u32 := canonabi.U32Value
	borrow := func(v canonabi.Value) canonabi.Value { return canonabi.HandleValue(canonabi.KindBorrow, v.Handle()) }
	expect := func(what string, got canonabi.Value, want uint64) {
		t.Helper()
		if got.Uint() != want {
			t.Errorf("%s = %v, want %d", what, got, want)
		}
	}
	t1 := invoke("[constructor]tally", u32(5))
	t2 := invoke("[constructor]tally", u32(10))
	expect("tally.add(t1, 3)", invoke("[method]tally.add", borrow(t1), u32(3)), 8)
	expect("tally.total(t1, t2)", invoke("[static]tally.total", borrow(t1), borrow(t2)), 18)
	cp := invoke("[method]tally.copy", borrow(t1))
	expect("tally.add(copy, 1)", invoke("[method]tally.add", borrow(cp), u32(1)), 9)
	expect("tally.add(t1, 0)", invoke("[method]tally.add", borrow(t1), u32(0)), 8)
	if err := inst.DropResource(ctx, cp.Handle()); err != nil {
		t.Fatal(err)
	}
	expect("dropped() after dropping the copy", invoke("dropped"), 1)
	if mc := invoke("maybe-count", canonabi.SomeValue(borrow(t2))); !canonabi.Equal(mc, canonabi.SomeValue(u32(10))) {
		t.Errorf("maybe-count(some(t2)) = %s", mc)
	}
	if mc := invoke("maybe-count", canonabi.NoneValue()); !canonabi.Equal(mc, canonabi.NoneValue()) {
		t.Errorf("maybe-count(none) = %s", mc)
	}
	made := invoke("make-tallies", u32(3))
	for i, e := range made.Elems() {
		expect("made tally", invoke("[method]tally.add", borrow(e), u32(0)), uint64(i))
		if err := inst.DropResource(ctx, e.Handle()); err != nil {
			t.Fatal(err)
		}
	}
	expect("dropped() after the made tallies", invoke("dropped"), 4)
	expect("consume(t1)", invoke("consume", t1), 8)
	expect("dropped() after consume", invoke("dropped"), 5)
	if err := inst.DropResource(ctx, t2.Handle()); err != nil {
		t.Fatal(err)
	}
	expect("dropped() after dropping t2", invoke("dropped"), 6)

	// A counter the host lends, and one the guest makes and returns.
	c, err := inst.NewResource(rtIface, "counter", 100)
	if err != nil {
		t.Fatal(err)
	}
	h.counters[100] = 42
	expect("peek(counter 42)", invoke("peek", borrow(c)), 42)
	fresh := invoke("fresh-counter", u32(77))
	rep, err := inst.ResourceRep(fresh.Handle())
	if err != nil || h.counters[rep] != 77 {
		t.Errorf("fresh-counter(77): rep %d, value %d, %v", rep, h.counters[rep], err)
	}
	before := len(h.dropped)
	if err := inst.DropResource(ctx, c.Handle()); err != nil {
		t.Fatal(err)
	}
	if len(h.dropped) != before+1 {
		t.Errorf("dropping the lent counter: %d drops, want %d (the guest must not have dropped a borrow)", len(h.dropped), before+1)
	}
}

// compileComponent compiles comp on a new engine (closed by the caller).
func compileComponent(t *testing.T, comp []byte) (*engine.Engine, *engine.Compiled) {
	t.Helper()
	ctx := context.Background()
	eng, err := engine.New(ctx, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	compiled, err := eng.Compile(ctx, comp)
	if err != nil {
		eng.Close(ctx)
		t.Fatal(err)
	}
	return eng, compiled
}
