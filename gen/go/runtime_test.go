package gogen

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/wit"
)

// guestMemory is a wazero module's linear memory as canonabi sees it; its
// allocator is the guest's cabi_realloc.
type guestMemory struct {
	ctx     context.Context
	mod     api.Module
	realloc api.Function
}

func (m *guestMemory) Read(ptr, n uint32) ([]byte, bool) { return m.mod.Memory().Read(ptr, n) }
func (m *guestMemory) Write(ptr uint32, data []byte) bool {
	return m.mod.Memory().Write(ptr, data)
}
func (m *guestMemory) Realloc(old, oldSize, align, newSize uint32) (uint32, error) {
	res, err := m.realloc.Call(m.ctx, uint64(old), uint64(oldSize), uint64(align), uint64(newSize))
	if err != nil {
		return 0, err
	}
	return uint32(res[0]), nil
}

func wazeroTypes(ts []canonabi.CoreType) []api.ValueType {
	out := make([]api.ValueType, len(ts))
	for i, t := range ts {
		out[i] = map[canonabi.CoreType]api.ValueType{canonabi.I32: api.ValueTypeI32, canonabi.I64: api.ValueTypeI64,
			canonabi.F32: api.ValueTypeF32, canonabi.F64: api.ValueTypeF64}[t]
	}
	return out
}

// hostResult is what the host's `types` functions return for args: the
// argument itself, or what the WIT docs of the function say.
func hostResult(name string, args []canonabi.Value) canonabi.Value {
	switch name {
	case "echo-flags":
		return canonabi.TupleValue(args...)
	case "many":
		return canonabi.TupleValue(args[:8]...)
	case "checked":
		if args[0].Uint()%2 == 0 {
			return canonabi.OkValue(&args[0])
		}
		odd := canonabi.StringValue("odd")
		return canonabi.ErrValue(&odd)
	case "unit":
		if args[0].Uint()%2 == 0 {
			return canonabi.OkValue(nil)
		}
		return canonabi.ErrValue(&args[0])
	}
	return args[0]
}

// host is the test's side of the component boundary: canonabi lifts and
// lowers, this struct keeps the resources.
type host struct {
	t     *testing.T
	ctx   context.Context
	abi   *canonabi.ABI
	names *canonabi.Names
	guest api.Module
	mem   *guestMemory

	received map[string][]canonabi.Value // what each import got last

	counters     map[uint32]uint32 // imported resource counter: handle -> value
	nextCounter  uint32
	counterDrops int
	tallies      map[uint32]uint32 // exported resource tally: handle -> rep
	nextTally    uint32
}

// importFunc is the host side of an imported WIT function.
func (h *host) importFunc(f *wit.Function, args []canonabi.Value) canonabi.Value {
	newCounter := func(v uint32) canonabi.Value {
		h.nextCounter++
		h.counters[h.nextCounter] = v
		return canonabi.HandleValue(canonabi.KindOwn, h.nextCounter)
	}
	switch f.Name {
	case "[constructor]counter":
		return newCounter(uint32(args[0].Uint()))
	case "[method]counter.add":
		h.counters[args[0].Handle()] += uint32(args[1].Uint())
		return canonabi.U32Value(h.counters[args[0].Handle()])
	case "[method]counter.get":
		return canonabi.U32Value(h.counters[args[0].Handle()])
	case "[static]counter.merge":
		return newCounter(h.counters[args[0].Handle()] + h.counters[args[1].Handle()])
	case "make-counters":
		var hs []canonabi.Value
		for i := uint32(1); i <= uint32(args[0].Uint()); i++ {
			hs = append(hs, newCounter(i))
		}
		return canonabi.ListValue(hs...)
	case "[static]counter.try-new":
		n, err := strconv.ParseUint(args[0].Str(), 10, 32)
		if err != nil {
			msg := canonabi.StringValue("not a number: " + args[0].Str())
			return canonabi.ErrValue(&msg)
		}
		c := newCounter(uint32(n))
		return canonabi.OkValue(&c)
	case "sum":
		var sum uint64
		for _, c := range args[0].Elems() {
			if c.Kind() != canonabi.KindBorrow {
				h.t.Errorf("sum got %s, want borrow handles", c)
			}
			sum += uint64(h.counters[c.Handle()])
		}
		return canonabi.U64Value(sum)
	case "log":
		return canonabi.Value{}
	case "keep": // the host now owns the counter: it stays in the table
		if args[0].Kind() != canonabi.KindOwn {
			h.t.Errorf("keep got %s, want an own handle", args[0])
		}
		return canonabi.U32Value(h.counters[args[0].Handle()])
	}
	return hostResult(f.Name, args)
}

// intrinsic is the host side of resource.drop/new/rep.
func (h *host) intrinsic(n canonabi.CoreName, x uint32) uint32 {
	switch {
	case n.Kind == canonabi.NameResourceDrop && !n.Exported:
		if _, ok := h.counters[x]; !ok {
			h.t.Errorf("the guest dropped counter handle %d, which it does not own", x)
		}
		delete(h.counters, x)
		h.counterDrops++
	case n.Kind == canonabi.NameResourceNew:
		h.nextTally++
		h.tallies[h.nextTally] = x
		return h.nextTally
	case n.Kind == canonabi.NameResourceRep:
		rep, ok := h.tallies[x]
		if !ok {
			h.t.Errorf("resource.rep of unknown tally handle %d", x)
		}
		return rep
	case n.Kind == canonabi.NameResourceDrop:
		h.dropTally(x)
	}
	return 0
}

// dropTally drops an owned tally handle: the guest's destructor runs.
func (h *host) dropTally(handle uint32) {
	rep, ok := h.tallies[handle]
	if !ok {
		h.t.Errorf("drop of unknown tally handle %d", handle)
		return
	}
	delete(h.tallies, handle)
	for _, n := range h.names.Items {
		if n.Kind == canonabi.NameResourceDtor {
			if _, err := h.guest.ExportedFunction(n.Field).Call(h.ctx, uint64(rep)); err != nil {
				h.t.Errorf("destructor %s: %v", n.Field, err)
			}
		}
	}
}

// startRuntimeGuest builds the guest and instantiates it on wazero with
// the host's imports.
func startRuntimeGuest(t *testing.T) (*host, *wit.Resolve) {
	r, w := loadRuntimeWorld(t)
	wasm := buildRuntimeGuest(t, r, w)
	h := &host{t: t, ctx: context.Background(), abi: canonabi.New(r), received: map[string][]canonabi.Value{},
		counters: map[uint32]uint32{}, tallies: map[uint32]uint32{}, nextTally: 1000}
	var err error
	if h.names, err = h.abi.Names(w, canonabi.Legacy); err != nil {
		t.Fatal(err)
	}
	rt := wazero.NewRuntime(h.ctx)
	t.Cleanup(func() { rt.Close(h.ctx) })
	wasi_snapshot_preview1.MustInstantiate(h.ctx, rt)
	hosts := map[string]wazero.HostModuleBuilder{}
	for _, n := range h.names.Items {
		if !n.Import {
			continue
		}
		b, ok := hosts[n.Module]
		if !ok {
			b = rt.NewHostModuleBuilder(n.Module)
			hosts[n.Module] = b
		}
		if n.Kind != canonabi.NameFunc {
			n := n
			results := []api.ValueType{api.ValueTypeI32}
			if n.Kind == canonabi.NameResourceDrop {
				results = nil
			}
			b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(_ context.Context, _ api.Module, stack []uint64) {
				stack[0] = uint64(h.intrinsic(n, uint32(stack[0])))
			}), []api.ValueType{api.ValueTypeI32}, results).Export(n.Field)
			continue
		}
		f := n.Function
		sig, err := h.abi.Signature(f, canonabi.Lower)
		if err != nil {
			t.Fatal(err)
		}
		nparams := len(sig.Params)
		b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(_ context.Context, _ api.Module, stack []uint64) {
			cx := &canonabi.Context{Memory: h.mem}
			params := append([]uint64(nil), stack[:nparams]...)
			args, err := h.abi.LiftArgs(cx, f, params)
			if err != nil {
				panic(fmt.Sprintf("host %s: lifting the arguments: %v", f.Name, err))
			}
			h.received[f.Name] = args
			flat, err := h.abi.LowerResult(cx, f, h.importFunc(f, args), params)
			if err != nil {
				panic(fmt.Sprintf("host %s: lowering the result: %v", f.Name, err))
			}
			copy(stack, flat)
		}), wazeroTypes(sig.Params), wazeroTypes(sig.Results)).Export(n.Field)
	}
	h.guest, h.mem = instantiateGuest(t, h.ctx, rt, hosts, wasm)
	return h, r
}

// instantiateGuest instantiates the host modules, then the guest (running
// its _initialize), and returns the guest and its memory.
func instantiateGuest(t *testing.T, ctx context.Context, rt wazero.Runtime, hosts map[string]wazero.HostModuleBuilder, wasm []byte) (api.Module, *guestMemory) {
	for name, b := range hosts {
		if _, err := b.Instantiate(ctx); err != nil {
			t.Fatalf("host module %s: %v", name, err)
		}
	}
	guest, err := rt.InstantiateWithConfig(ctx, wasm, wazero.NewModuleConfig().WithStartFunctions().WithStderr(os.Stderr))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := guest.ExportedFunction("_initialize").Call(ctx); err != nil {
		t.Fatalf("_initialize: %v", err)
	}
	mem := &guestMemory{ctx: ctx, mod: guest, realloc: guest.ExportedFunction("cabi_realloc")}
	if mem.realloc == nil {
		t.Fatal("the guest does not export cabi_realloc")
	}
	return guest, mem
}

// call calls the guest's export f with args, runs its post-return, and
// returns the lifted result.
func (h *host) call(f *wit.Function, args ...canonabi.Value) (canonabi.Value, error) {
	cx := &canonabi.Context{Memory: h.mem}
	flat, err := h.abi.LowerArgs(cx, f, args)
	if err != nil {
		return canonabi.Value{}, fmt.Errorf("lowering: %w", err)
	}
	core, _ := h.names.Func(true, f)
	res, err := h.guest.ExportedFunction(core.Field).Call(h.ctx, flat...)
	if err != nil {
		return canonabi.Value{}, fmt.Errorf("the guest trapped: %w", err)
	}
	got, _, err := h.abi.LiftResult(cx, f, res)
	if err != nil {
		return canonabi.Value{}, fmt.Errorf("lifting the result: %w", err)
	}
	if post := h.guest.ExportedFunction("cabi_post_" + core.Field); post != nil {
		if _, err := post.Call(h.ctx, res...); err != nil {
			return canonabi.Value{}, fmt.Errorf("post-return: %w", err)
		}
	}
	return got, nil
}

// TestRuntimeRoundTrip runs a Go guest built with the generated bindings
// on wazero, with the host side of every call done by canonabi (an
// independent implementation of the Canonical ABI). Each case calls an
// export of test:rt/forward with values lowered by canonabi; the guest's
// export lifts them, calls the import of the same name, whose host side
// lifts them again, echoes them, and the result travels back the same way.
// The test checks the value that arrives at the host import and the value
// the export finally returns, so both directions of lifting and lowering
// are checked for the generated imports and exports.
func TestRuntimeRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a wasm module")
	}
	h, r := startRuntimeGuest(t)
	abi := h.abi
	forward := findInterface(t, r, "forward")
	checks := 0
	for _, c := range runtimeCases {
		f, ok := forward.Functions.Get(c.fn)
		if !ok {
			t.Fatalf("forward has no function %s", c.fn)
		}
		args := make([]canonabi.Value, len(f.Params))
		var err error
		for i, p := range f.Params {
			if args[i], err = abi.ParseWAVE(p.Type, c.args[i]); err != nil {
				t.Fatalf("%s: argument %q: %v", c.fn, c.args[i], err)
			}
		}
		want := hostResult(c.fn, args)
		if c.want != "" {
			if want, err = abi.ParseWAVE(f.Result, c.want); err != nil {
				t.Fatalf("%s: result %q: %v", c.fn, c.want, err)
			}
		}
		label := fmt.Sprintf("%s(%s)", c.fn, strings.Join(c.args, ", "))
		delete(h.received, c.fn)
		got, err := h.call(f, args...)
		if err != nil {
			t.Errorf("%s: %v", label, err)
			continue
		}
		if !canonabi.Equal(got, want) {
			t.Errorf("%s returned %s, want %s", label, wave(abi, f.Result, got), wave(abi, f.Result, want))
		}
		sent := h.received[c.fn]
		if len(sent) != len(args) {
			t.Errorf("%s: the host import got %d arguments", label, len(sent))
			continue
		}
		for i := range args {
			wantArg := args[i]
			if c.fn == "echo-map" && c.want != "" {
				wantArg = want // duplicates were merged by the Go map
			}
			if !canonabi.Equal(sent[i], wantArg) {
				t.Errorf("%s: the import received %s for %s", label, wave(abi, f.Params[i].Type, sent[i]), f.Params[i].Name)
			}
		}
		checks++
	}
	t.Logf("%d round trips through the generated export and import glue", checks)
}

// TestRuntimeResources checks imported resources (constructor, methods,
// static, lists of handles, own parameters, Drop) and exported ones
// (constructor, methods and statics on borrows, lists of owned handles,
// own parameters, destructors) against the host's handle tables.
func TestRuntimeResources(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a wasm module")
	}
	h, r := startRuntimeGuest(t)
	things := findInterface(t, r, "things")
	fn := func(name string) *wit.Function {
		f, ok := things.Functions.Get(name)
		if !ok {
			t.Fatalf("things has no function %s", name)
		}
		return f
	}
	u32 := canonabi.U32Value
	expect := func(label string, f *wit.Function, want canonabi.Value, args ...canonabi.Value) canonabi.Value {
		t.Helper()
		got, err := h.call(f, args...)
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		if !canonabi.Equal(got, want) && want.Kind() != canonabi.KindInvalid {
			t.Errorf("%s = %s, want %s", label, got, want)
		}
		return got
	}
	expectCounters := func(label string, live, drops int) {
		t.Helper()
		if len(h.counters) != live || h.counterDrops != drops {
			t.Errorf("after %s: %d live counters and %d drops, want %d and %d", label, len(h.counters), h.counterDrops, live, drops)
		}
	}

	// Imported resources.
	expect("use-counter(3, 4)", fn("use-counter"), u32(14), u32(3), u32(4))
	expectCounters("use-counter", 0, 2)
	expect("sum-counters(4)", fn("sum-counters"), u32(10), u32(4))
	expectCounters("sum-counters", 0, 6)
	h.nextCounter++
	h.counters[h.nextCounter] = 42
	expect("take-counter(own 42)", fn("take-counter"), u32(42), canonabi.HandleValue(canonabi.KindOwn, h.nextCounter))
	expectCounters("take-counter", 0, 7)

	// A borrowed counter is read, not dropped; a counter the guest makes
	// comes back as an own handle the host then holds.
	h.nextCounter++
	h.counters[h.nextCounter] = 7
	lent := h.nextCounter
	expect("peek(borrow 7)", fn("peek"), u32(7), canonabi.HandleValue(canonabi.KindBorrow, lent))
	expectCounters("peek", 1, 7)
	fresh := expect("fresh-counter(9)", fn("fresh-counter"), canonabi.Value{}, u32(9))
	if v, ok := h.counters[fresh.Handle()]; !ok || v != 10 || fresh.Kind() != canonabi.KindOwn {
		t.Errorf("fresh-counter(9) gave %s (value %d, in the table: %v), want an own counter of 10", fresh, v, ok)
	}
	expect("hand-over(5)", fn("hand-over"), u32(5), u32(5))
	expectCounters("hand-over", 3, 7)
	expect("sum-borrowed(4)", fn("sum-borrowed"), canonabi.U64Value(10), u32(4))
	expectCounters("sum-borrowed", 3, 11)
	okCount, notNumber := u32(12), canonabi.StringValue("not a number: x")
	expect(`try-counter("12")`, fn("try-counter"), canonabi.OkValue(&okCount), canonabi.StringValue("12"))
	expect(`try-counter("x")`, fn("try-counter"), canonabi.ErrValue(&notNumber), canonabi.StringValue("x"))
	expectCounters("try-counter", 3, 12)
	clear(h.counters)

	// Exported resources: the host holds handles, the guest's methods get
	// reps (lower_borrow into the implementing component).
	t1 := expect("[constructor]tally(5)", fn("[constructor]tally"), canonabi.Value{}, u32(5)).Handle()
	t2 := expect("[constructor]tally(10)", fn("[constructor]tally"), canonabi.Value{}, u32(10)).Handle()
	borrow := func(handle uint32) canonabi.Value {
		return canonabi.HandleValue(canonabi.KindBorrow, h.tallies[handle])
	}
	expect("[method]tally.add(t1, 3)", fn("[method]tally.add"), u32(8), borrow(t1), u32(3))
	expect("[static]tally.total(t1, t2)", fn("[static]tally.total"), u32(18), borrow(t1), borrow(t2))
	expect("maybe-count(some(borrow t2))", fn("maybe-count"), canonabi.SomeValue(u32(10)), canonabi.SomeValue(borrow(t2)))
	expect("maybe-count(none)", fn("maybe-count"), canonabi.NoneValue(), canonabi.NoneValue())
	copied := expect("[method]tally.copy(t1)", fn("[method]tally.copy"), canonabi.Value{}, borrow(t1)).Handle()
	expect("[method]tally.add(copy, 1)", fn("[method]tally.add"), u32(9), borrow(copied), u32(1))
	expect("[method]tally.add(t1, 0)", fn("[method]tally.add"), u32(8), borrow(t1), u32(0))
	h.dropTally(copied)
	expect("dropped() after dropping the copy", fn("dropped"), u32(1))
	list := expect("make-tallies(3)", fn("make-tallies"), canonabi.Value{}, u32(3))
	if list.Len() != 3 || len(h.tallies) != 5 {
		t.Fatalf("make-tallies(3) gave %d handles; the host table has %d", list.Len(), len(h.tallies))
	}
	for i, e := range list.Elems() {
		expect(fmt.Sprintf("[method]tally.add(made %d, 0)", i), fn("[method]tally.add"), u32(uint32(i)), borrow(e.Handle()), u32(0))
		h.dropTally(e.Handle())
	}
	expect("dropped()", fn("dropped"), u32(4))
	// An own parameter moves the Go value to the implementation: the
	// handle is dropped, but the value's Drop is not called.
	expect("consume(own t1)", fn("consume"), u32(8), canonabi.HandleValue(canonabi.KindOwn, t1))
	if _, ok := h.tallies[t1]; ok {
		t.Error("consume did not drop the handle it owned")
	}
	expect("dropped() after consume", fn("dropped"), u32(4))
	h.dropTally(t2)
	expect("dropped() after dropping t2", fn("dropped"), u32(5))
	// Results the guest builds itself: a concatenation, and a constant
	// (pinning static data is a no-op, and must not break post-return).
	greeting, empty := canonabi.StringValue("hello, wörld"), canonabi.StringValue("empty")
	expect(`greet("wörld")`, fn("greet"), canonabi.OkValue(&greeting), canonabi.StringValue("wörld"))
	expect(`greet("")`, fn("greet"), canonabi.ErrValue(&empty), canonabi.StringValue(""))
	plain := canonabi.StringValue("a plain Go error")
	expect(`greet("?")`, fn("greet"), canonabi.ErrValue(&plain), canonabi.StringValue("?"))
	if len(h.tallies) != 0 {
		t.Errorf("%d tally handles left", len(h.tallies))
	}
}

func wave(abi *canonabi.ABI, t wit.Type, v canonabi.Value) string {
	s, err := abi.FormatWAVE(t, v)
	if err != nil {
		return v.String()
	}
	return s
}

func findInterface(t *testing.T, r *wit.Resolve, name string) *wit.Interface {
	for _, i := range r.Interfaces {
		if i.Name == name {
			return i
		}
	}
	t.Fatalf("no interface %s", name)
	return nil
}

// runtimeCases are calls of test:rt/forward in WAVE; want is empty when
// the result is what the host computes from the arguments.
var runtimeCases = []struct {
	fn   string
	args []string
	want string
}{
	{"echo-bool", []string{"true"}, ""},
	{"echo-bool", []string{"false"}, ""},
	{"echo-u8", []string{"0"}, ""},
	{"echo-u8", []string{"255"}, ""},
	{"echo-s8", []string{"-128"}, ""},
	{"echo-s8", []string{"127"}, ""},
	{"echo-u16", []string{"65535"}, ""},
	{"echo-s16", []string{"-32768"}, ""},
	{"echo-u32", []string{"4294967295"}, ""},
	{"echo-s32", []string{"-2147483648"}, ""},
	{"echo-s32", []string{"2147483647"}, ""},
	{"echo-u64", []string{"18446744073709551615"}, ""},
	{"echo-s64", []string{"-9223372036854775808"}, ""},
	{"echo-s64", []string{"9223372036854775807"}, ""},
	{"echo-f32", []string{"3.5"}, ""},
	{"echo-f32", []string{"-inf"}, ""},
	{"echo-f32", []string{"1e-45"}, ""},
	{"echo-f64", []string{"-1.7976931348623157e308"}, ""},
	{"echo-f64", []string{"5e-324"}, ""},
	{"echo-char", []string{"'a'"}, ""},
	{"echo-char", []string{"'😀'"}, ""},
	{"echo-char", []string{"'\\u{10ffff}'"}, ""},
	{"echo-string", []string{`""`}, ""},
	{"echo-string", []string{`"héllo, 世界 😀"`}, ""},
	{"echo-bytes", []string{"[]"}, ""},
	{"echo-bytes", []string{"[0, 1, 127, 128, 255]"}, ""},
	{"echo-floats", []string{"[1.5, -2.25, 0.0]"}, ""},
	{"echo-strings", []string{`["a", "", "ünï", "😀😀"]`}, ""},
	{"echo-strings", []string{"[]"}, ""},
	{"echo-points", []string{"[{x: -1, y: 2}, {x: 2147483647, y: -2147483648}]"}, ""},
	{"echo-outer", []string{`{id: 18446744073709551615, inner: {name: "n", tags: ["t1", "t2"], score: some(1.5)}, maybe: none, choice: rect((1.5, 2.5)), res: err("bad"), pts: [{x: 1, y: 2}], c: blue, f: {f1, f9}}`}, ""},
	{"echo-outer", []string{`{id: 0, inner: {name: "", tags: [], score: none}, maybe: some({name: "m", tags: ["x"], score: some(-0.5)}), choice: nested(some(ok(7))), res: ok({name: "ok", tags: [], score: none}), pts: [], c: red, f: {}}`}, ""},
	{"echo-shape", []string{"circle(2.5)"}, ""},
	{"echo-shape", []string{`named("x")`}, ""},
	{"echo-shape", []string{"empty"}, ""},
	{"echo-shape", []string{"nested(none)"}, ""},
	{"echo-shape", []string{`nested(some(err("e")))`}, ""},
	{"echo-option", []string{"none"}, ""},
	{"echo-option", []string{"some(none)"}, ""},
	{"echo-option", []string{`some(some("x"))`}, ""},
	{"echo-result", []string{"ok([1, 2, 4294967295])"}, ""},
	{"echo-result", []string{"ok([])"}, ""},
	{"echo-result", []string{"err(green)"}, ""},
	{"echo-flags", []string{"{a}", "{f1, f9}", "{b0, b15, b31}"}, ""},
	{"echo-flags", []string{"{}", "{}", "{}"}, ""},
	{"echo-fixed", []string{"[1, 2, 65535]"}, ""},
	{"echo-map", []string{`[("k", 1)]`}, ""},
	{"echo-map", []string{`[]`}, ""},
	// Duplicate keys: the last pair wins (Explainer.md, map).
	{"echo-map", []string{`[("k", 1), ("k", 2)]`}, `[("k", 2)]`},
	{"echo-tuple", []string{`(255, "s", 1.25, 'z')`}, ""},
	{"echo-u64s", []string{"[0, 1, 18446744073709551615]"}, ""},
	{"echo-s8s", []string{"[-128, -1, 0, 127]"}, ""},
	{"echo-bools", []string{"[true, false, false, true]"}, ""},
	{"echo-chars", []string{`['a', 'é', '😀', '\u{10ffff}']`}, ""},
	{"echo-nested-lists", []string{`[[], ["a"], ["", "ü"]]`}, ""},
	{"echo-shapes", []string{`[circle(1.5), empty, nested(some(ok(3))), named("")]`}, ""},
	{"echo-options", []string{"[none, some(0), some(4294967295)]"}, ""},
	{"echo-outers", []string{`[{id: 1, inner: {name: "a", tags: [], score: none}, maybe: none, choice: empty, res: err(""), pts: [], c: green, f: {f5}}]`}, ""},
	{"echo-joined", []string{"big(18446744073709551615)"}, ""},
	{"echo-joined", []string{"small(-1.5)"}, ""},
	{"echo-joined", []string{"wide(5e-324)"}, ""},
	{"echo-joined", []string{"tiny(-128)"}, ""},
	{"echo-joined", []string{`text("jöined")`}, ""},
	{"echo-joined", []string{"%none"}, ""},
	{"echo-bare-result", []string{"ok"}, ""},
	{"echo-bare-result", []string{"err"}, ""},
	{"echo-ok-only", []string{`ok("fine")`}, ""},
	{"echo-ok-only", []string{"err"}, ""},
	{"echo-fixed-strings", []string{`["", "zwei ✌"]`}, ""},
	{"echo-fixed-points", []string{"[{x: -2147483648, y: 0}, {x: 1, y: 2147483647}]"}, ""},
	{"echo-map-lists", []string{`[(4294967295, ["a", "ü", ""])]`}, ""},
	{"echo-map-lists", []string{`[]`}, ""},
	{"flat16", []string{"18446744073709551615", "-1.5", "2.25", "-128", "65535", "'😀'", "true", "-9223372036854775808",
		"4294967295", "0.5", "-0.0", "-32768", "255", "-2147483648", "1", "5e-324"}, ""},
	{"many", []string{"1", `"two"`, "3", "4.5", "5.25", "-6", `"seven"`, "8", "9", "10", "11", "12", "13", "14", "15", "16", "17"}, ""},
	{"checked", []string{"2"}, "ok(2)"},
	{"checked", []string{"3"}, `err("odd")`},
	{"unit", []string{"4"}, "ok"},
	{"unit", []string{"5"}, "err(5)"},
}

// TestRuntimeWorldItems checks the world's own export (run, which calls
// the world's own import log) and the inline exported interface.
func TestRuntimeWorldItems(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a wasm module")
	}
	h, r := startRuntimeGuest(t)
	var world *wit.World
	for _, w := range r.Worlds {
		if w.Name == "rt" {
			world = w
		}
	}
	export := func(name string) *wit.WorldItem {
		item, ok := world.Exports.Get(wit.NameKey(name))
		if !ok {
			t.Fatalf("the world exports no %s", name)
		}
		return item
	}
	run := export("run").Function
	strs := func(ss ...string) canonabi.Value {
		vs := make([]canonabi.Value, len(ss))
		for i, s := range ss {
			vs[i] = canonabi.StringValue(s)
		}
		return canonabi.ListValue(vs...)
	}
	count, noArgs := canonabi.U32Value(2), canonabi.StringValue("no arguments")
	got, err := h.call(run, strs("a", "ü"))
	if err != nil || !canonabi.Equal(got, canonabi.OkValue(&count)) {
		t.Errorf(`run(["a", "ü"]) = %s, %v; want ok(2)`, got, err)
	}
	// The host keeps only the last call of each import: log("ü", 1).
	if logged := h.received["log"]; len(logged) != 2 || logged[0].Str() != "ü" || logged[1].Uint() != 1 {
		t.Errorf(`the last log call got %v, want ("ü", 1)`, logged)
	}
	if got, err = h.call(run, strs()); err != nil || !canonabi.Equal(got, canonabi.ErrValue(&noArgs)) {
		t.Errorf(`run([]) = %s, %v; want err("no arguments")`, got, err)
	}
	ping, ok := r.Interfaces[export("inline").Interface].Functions.Get("ping")
	if !ok {
		t.Fatal("inline has no ping")
	}
	want := canonabi.StringValue("pong -9223372036854775808")
	if got, err = h.call(ping, canonabi.S64Value(-1<<63)); err != nil || !canonabi.Equal(got, want) {
		t.Errorf("ping(min s64) = %s, %v; want %s", got, err, want)
	}
}
