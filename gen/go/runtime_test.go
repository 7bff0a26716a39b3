package gogen

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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

// buildRuntimeGuest generates the bindings of testdata/runtime/rt.wit and
// builds the guest program in testdata/runtime/guest as a wasip1 reactor.
func buildRuntimeGuest(t *testing.T, r *wit.Resolve, w wit.WorldID) []byte {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	files, err := Generate(r, w, Options{PackageRoot: "example.com/rt"})
	if err != nil {
		t.Fatal(err)
	}
	mod := filepath.Join(os.TempDir(), "witgo-gogen-runtime-test")
	if err := WriteFiles(mod, files); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(mod, "go.mod"), "module example.com/rt\n\ngo 1.24\n")
	guest, err := os.ReadFile(filepath.Join("testdata", "runtime", "guest", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(mod, "app", "main.go"), string(guest))
	out := filepath.Join(t.TempDir(), "rt.wasm")
	cmd := exec.Command(goTool, "build", "-buildmode=c-shared", "-o", out, "./app")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the guest: %v\n%s", err, msg)
	}
	wasm, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return wasm
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
	r := wit.NewResolve()
	pkg, err := r.LoadPath(filepath.Join("testdata", "runtime", "rt.wit"))
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.SelectWorld(pkg, "rt")
	if err != nil {
		t.Fatal(err)
	}
	wasm := buildRuntimeGuest(t, r, w)
	abi := canonabi.New(r)
	names, err := abi.Names(w, canonabi.Legacy)
	if err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	rt := wazero.NewRuntime(ctx)
	defer rt.Close(ctx)
	wasi_snapshot_preview1.MustInstantiate(ctx, rt)

	// received records what each host import was given, to compare with
	// what the test sent to the export.
	received := map[string][]canonabi.Value{}
	var mem *guestMemory
	hosts := map[string]wazero.HostModuleBuilder{}
	for _, n := range names.Items {
		if !n.Import || n.Kind != canonabi.NameFunc {
			continue
		}
		f := n.Function
		sig, err := abi.Signature(f, canonabi.Lower)
		if err != nil {
			t.Fatal(err)
		}
		b, ok := hosts[n.Module]
		if !ok {
			b = rt.NewHostModuleBuilder(n.Module)
			hosts[n.Module] = b
		}
		nparams := len(sig.Params)
		b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, m api.Module, stack []uint64) {
			cx := &canonabi.Context{Memory: mem}
			params := append([]uint64(nil), stack[:nparams]...)
			args, err := abi.LiftArgs(cx, f, params)
			if err != nil {
				panic(fmt.Sprintf("host %s: lifting the arguments: %v", f.Name, err))
			}
			received[f.Name] = args
			flat, err := abi.LowerResult(cx, f, hostResult(f.Name, args), params)
			if err != nil {
				panic(fmt.Sprintf("host %s: lowering the result: %v", f.Name, err))
			}
			copy(stack, flat)
		}), wazeroTypes(sig.Params), wazeroTypes(sig.Results)).Export(n.Field)
	}
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
	mem = &guestMemory{ctx: ctx, mod: guest, realloc: guest.ExportedFunction("cabi_realloc")}
	if mem.realloc == nil {
		t.Fatal("the guest does not export cabi_realloc")
	}

	forward := findInterface(t, r, "forward")
	checks := 0
	for _, c := range runtimeCases {
		f, ok := forward.Functions.Get(c.fn)
		if !ok {
			t.Fatalf("forward has no function %s", c.fn)
		}
		args := make([]canonabi.Value, len(f.Params))
		for i, p := range f.Params {
			if args[i], err = abi.ParseWAVE(p.Type, c.args[i]); err != nil {
				t.Fatalf("%s: argument %q: %v", c.fn, c.args[i], err)
			}
		}
		want := args[0]
		if c.want != "" {
			if want, err = abi.ParseWAVE(f.Result, c.want); err != nil {
				t.Fatalf("%s: result %q: %v", c.fn, c.want, err)
			}
		} else {
			want = hostResult(c.fn, args)
		}
		label := fmt.Sprintf("%s(%s)", c.fn, strings.Join(c.args, ", "))
		cx := &canonabi.Context{Memory: mem}
		flat, err := abi.LowerArgs(cx, f, args)
		if err != nil {
			t.Fatalf("%s: lowering: %v", label, err)
		}
		core, _ := names.Func(true, f)
		delete(received, c.fn)
		res, err := guest.ExportedFunction(core.Field).Call(ctx, flat...)
		if err != nil {
			t.Errorf("%s: the guest trapped: %v", label, err)
			continue
		}
		got, _, err := abi.LiftResult(cx, f, res)
		if err != nil {
			t.Errorf("%s: lifting the result: %v", label, err)
			continue
		}
		if post := guest.ExportedFunction("cabi_post_" + core.Field); post != nil {
			if _, err := post.Call(ctx, res...); err != nil {
				t.Errorf("%s: post-return: %v", label, err)
			}
		}
		if !canonabi.Equal(got, want) {
			t.Errorf("%s returned %s, want %s", label, wave(abi, f.Result, got), wave(abi, f.Result, want))
		}
		sent := received[c.fn]
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
	{"many", []string{"1", `"two"`, "3", "4.5", "5.25", "-6", `"seven"`, "8", "9", "10", "11", "12", "13", "14", "15", "16", "17"}, ""},
	{"checked", []string{"2"}, "ok(2)"},
	{"checked", []string{"3"}, `err("odd")`},
	{"unit", []string{"4"}, "ok"},
	{"unit", []string{"5"}, "err(5)"},
}
