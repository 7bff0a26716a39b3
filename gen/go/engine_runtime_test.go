package gogen

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/engine"
	"github.com/witgo/witgo/engine/wasi"
	"github.com/witgo/witgo/wit"
)

// TestEngineRuntime runs the same Go guest component that TestJcoRuntime
// runs under jco on witgo's own engine, with the WASI 0.2 host under
// witgo's preview1 adapter. The host's test:rt/types functions echo their
// arguments, so each forward.f call carries its value host -> guest export
// -> guest import -> host and back: the result must equal the argument.
// The calls are WAVE text, parsed against the export's own type.
func TestEngineRuntime(t *testing.T) {
	r, w := loadRuntimeWorld(t)
	comp := jcoComponent(t, r, w, buildRuntimeGuest(t, r, w))

	ctx := context.Background()
	eng, err := engine.New(ctx, engine.Options{NoCloseOnContextDone: true})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)
	compiled, err := eng.Compile(ctx, comp)
	if err != nil {
		t.Fatal(err)
	}
	host, err := wasi.New(wasi.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	im := host.Imports(compiled)
	im.Stub = true // test:rt/res and the world's log are not called below
	im.Interface("test:rt/types", echoHost(t, r))
	inst, err := eng.Instantiate(ctx, compiled, im)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close(ctx)

	calls := []string{
		`echo-bool(true)`, `echo-u8(255)`, `echo-s8(-128)`, `echo-u16(65535)`, `echo-s16(-32768)`,
		`echo-u32(4294967295)`, `echo-s32(-2147483648)`, `echo-u64(18446744073709551615)`,
		`echo-s64(-9223372036854775808)`, `echo-f32(-0.0)`, `echo-f64(1.7976931348623157e308)`,
		`echo-char('\u{10ffff}')`, `echo-string("")`, `echo-string("héllo ☃ 😀")`,
		`echo-bytes([0, 1, 255])`, `echo-floats([1.5, -2.25])`, `echo-strings(["a", "", "ü"])`,
		`echo-points([{x: -1, y: 2}, {x: 3, y: -4}])`,
		`echo-outer({id: 7, inner: {name: "n", tags: ["t1", "t2"], score: some(0.5)}, maybe: none, choice: rect((1.0, 2.0)), res: err("bad"), pts: [{x: 1, y: 1}], c: blue, f: {f1, f9}})`,
		`echo-shape(nested(some(ok(7))))`, `echo-shape(named("x"))`, `echo-shape(empty)`,
		`echo-option(some(none))`, `echo-option(some(some("deep")))`, `echo-option(none)`,
		`echo-result(ok([1, 2, 3]))`, `echo-result(err(green))`,
		`echo-flags({a}, {f2, f9}, {b0, b31})`, `echo-fixed([1, 2, 65535])`,
		`echo-map([("a", 1), ("b", 2)])`, `echo-tuple((1, "two", 3.5, 'ß'))`,
		`echo-u64s([0, 18446744073709551615])`, `echo-s8s([-1, 127])`, `echo-bools([true, false])`,
		`echo-chars(['a', '☃'])`, `echo-nested-lists([["a"], [], ["b", "c"]])`,
		`echo-shapes([circle(1.0), empty])`, `echo-options([some(1), none])`,
		`echo-joined(big(18446744073709551615))`, `echo-joined(wide(-2.5))`, `echo-joined(text("j"))`, `echo-joined(%none)`,
		`echo-bare-result(ok)`, `echo-bare-result(err)`, `echo-ok-only(ok("s"))`,
		`echo-fixed-strings(["x", "y"])`, `echo-fixed-points([{x: 1, y: 2}, {x: 3, y: 4}])`,
		`echo-map-lists([(1, ["a"]), (2, [])])`,
	}
	abi := inst.ABI()
	for _, call := range calls {
		var fn *engine.Func
		_, args, err := abi.ParseCall(call, func(name string) (*wit.Function, error) {
			f, err := inst.Func("test:rt/forward#" + name)
			if err != nil {
				return nil, err
			}
			fn = f
			return f.Type(), nil
		})
		if err != nil {
			t.Errorf("%s: %v", call, err)
			continue
		}
		got, err := fn.Call(ctx, args...)
		if err != nil {
			t.Errorf("%s: %v", call, err)
			continue
		}
		want := args[0]
		if strings.HasPrefix(call, "echo-flags") {
			want = canonabi.TupleValue(args...)
		}
		if !canonabi.Equal(sortedMap(got), sortedMap(want)) {
			t.Errorf("%s returned %v", call, got)
		}
	}

	// checked and unit: the host decides, the guest passes it through.
	for _, c := range []struct {
		call string
		ok   bool
	}{{"checked(4)", true}, {"checked(5)", false}, {"unit(2)", true}, {"unit(3)", false}} {
		var fn *engine.Func
		_, args, err := abi.ParseCall(c.call, func(name string) (*wit.Function, error) {
			f, err := inst.Func("test:rt/forward#" + name)
			fn = f
			if err != nil {
				return nil, err
			}
			return f.Type(), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := fn.Call(ctx, args...)
		if err != nil {
			t.Fatalf("%s: %v", c.call, err)
		}
		if isOK := got.Case() == 0; isOK != c.ok {
			t.Errorf("%s = %v, want ok=%v", c.call, got, c.ok)
		}
	}
}

// echoHost implements test:rt/types: echo-* return their argument
// (echo-flags its three as a tuple), checked and unit accept even numbers.
func echoHost(t *testing.T, r *wit.Resolve) map[string]engine.HostFunc {
	funcs := map[string]engine.HostFunc{}
	var types *wit.Interface
	for _, iface := range r.Interfaces {
		if iface.Name == "types" {
			types = iface
		}
	}
	if types == nil {
		t.Fatal("interface test:rt/types not in the runtime world")
	}
	for name := range types.Functions.All() {
		switch {
		case name == "echo-flags":
			funcs[name] = func(_ context.Context, a []canonabi.Value) (canonabi.Value, error) {
				return canonabi.TupleValue(a...), nil
			}
		case name == "checked":
			funcs[name] = func(_ context.Context, a []canonabi.Value) (canonabi.Value, error) {
				if a[0].Uint()%2 == 0 {
					return canonabi.OkValue(&a[0]), nil
				}
				odd := canonabi.StringValue("odd")
				return canonabi.ErrValue(&odd), nil
			}
		case name == "unit":
			funcs[name] = func(_ context.Context, a []canonabi.Value) (canonabi.Value, error) {
				if a[0].Uint()%2 == 0 {
					return canonabi.OkValue(nil), nil
				}
				return canonabi.ErrValue(&a[0]), nil
			}
		default:
			funcs[name] = func(_ context.Context, a []canonabi.Value) (canonabi.Value, error) {
				if len(a) == 0 {
					return canonabi.Value{}, nil
				}
				return a[0], nil
			}
		}
	}
	return funcs
}

// sortedMap orders a map's pairs by their text: a Go guest returns a map's
// entries in Go's random iteration order, and maps do not promise one.
func sortedMap(v canonabi.Value) canonabi.Value {
	if v.Kind() != canonabi.KindMap {
		return v
	}
	pairs := append([]canonabi.Value(nil), v.Elems()...)
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].String() < pairs[j].String() })
	return canonabi.MapValue(pairs...)
}
