package component

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/witgo/witgo/component/wasm"
	"github.com/witgo/witgo/wit"
)

// commandModule is a hand-built preview1-style command without WASI
// imports: `_start` adds 1 to a counter that `get` returns; `_initialize`
// and rustc's `main` trap, so a component that calls them fails.
func commandModule(t testing.TB, withGet bool) []byte {
	b := wasm.NewBuilder()
	mem := b.Memory(wasm.MemType{Limits: wasm.Limits{Min: 1}})
	b.Export("memory", wasm.ExternMemory, mem)
	count := b.Global(wasm.GlobalType{Val: ti32, Flags: 1}, wasm.I32Const(0))
	none := b.FuncType(nil, nil)
	b.Export("_start", wasm.ExternFunc, b.Func(none, nil, join(ins(0x23), leb(count), wasm.I32Const(1), ins(0x6a, 0x24), leb(count))))
	b.Export("_initialize", wasm.ExternFunc, b.Func(none, nil, ins(0x00)))
	b.Export("main", wasm.ExternFunc, b.Func(b.FuncType([]wasm.ValType{ti32, ti32}, []wasm.ValType{ti32}), nil, ins(0x00)))
	if withGet {
		b.Export("get", wasm.ExternFunc, b.Func(b.FuncType(nil, []wasm.ValType{ti32}), nil, join(ins(0x23), leb(count))))
	}
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return m.Encode()
}

// componentExports lists the names a component's world exports.
func componentExports(t *testing.T, comp []byte) []string {
	_, exports := componentWorldNames(t, comp)
	return exports
}

// componentWorldNames lists the names a component's world imports and exports.
func componentWorldNames(t *testing.T, comp []byte) (imports, exports []string) {
	t.Helper()
	c, err := Decode(comp)
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := ComponentWorld(c)
	if err != nil {
		t.Fatal(err)
	}
	names := func(keys []wit.WorldKey) []string {
		var out []string
		for _, key := range keys {
			name, err := worldKeyName(r, key)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, name)
		}
		return out
	}
	return names(r.Worlds[w].Imports.Keys()), names(r.Worlds[w].Exports.Keys())
}

// aliasesCoreExport reports whether the component aliases a core export
// named name anywhere at its top level.
func aliasesCoreExport(t *testing.T, comp []byte, name string) bool {
	t.Helper()
	c, err := Decode(comp)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Sections {
		if as, ok := s.(*AliasSection); ok {
			for _, a := range as.Aliases {
				if a.Kind == AliasCoreExport && a.Name == name {
					return true
				}
			}
		}
	}
	return false
}

// TestNewCommandNoWorld: a command without any world becomes a component
// that exports wasi:cli/run@0.2.0 and nothing else, and never calls
// `_initialize`.
func TestNewCommandNoWorld(t *testing.T) {
	comp := mustNew(t, commandModule(t, false), NewOptions{})
	if got := componentExports(t, comp); strings.Join(got, " ") != "wasi:cli/run@0.2.0" {
		t.Errorf("exports %q, want wasi:cli/run@0.2.0", got)
	}
	if aliasesCoreExport(t, comp, "_initialize") || aliasesCoreExport(t, comp, "main") {
		t.Error("the component uses the command's _initialize or main")
	}
	if !aliasesCoreExport(t, comp, "_start") {
		t.Error("the component does not use _start")
	}
}

// TestNewCommandWorld: a world given without wasi:cli/run gets it added
// beside its own exports; under jco, run calls _start once (get goes from
// 0 to 1), returns ok, and a second run traps.
func TestNewCommandWorld(t *testing.T) {
	r, w := loadWorld(t, filepath.Join("testdata", "new", "command.wit"), "with-get")
	comp := mustNew(t, commandModule(t, true), NewOptions{Resolve: r, World: w})
	if got := componentExports(t, comp); strings.Join(got, " ") != "get wasi:cli/run@0.2.0" {
		t.Errorf("exports %q, want get and wasi:cli/run@0.2.0", got)
	}
	out := runUnderJco(t, comp, nil, map[string]string{}, `import { get, run } from './out/c.js';
const before = get();
const result = run.run();
const after = get();
let again = 'returned';
try { run.run(); } catch (e) { again = 'threw'; }
console.log(JSON.stringify({ before, result: result === undefined ? 'ok' : result, after, again }));
`)
	if want := `{"before":0,"result":"ok","after":1,"again":"threw"}`; strings.TrimSpace(out) != want {
		t.Errorf("under jco:\n got %s\nwant %s", out, want)
	}
}

// TestNewCommandWorldWithRun: a world that already exports a compatible
// wasi:cli/run keeps it (no second run), and _start serves it.
func TestNewCommandWorldWithRun(t *testing.T) {
	r, w := loadWorld(t, filepath.Join("testdata", "new", "command.wit"), "with-run")
	comp := mustNew(t, commandModule(t, false), NewOptions{Resolve: r, World: w})
	if got := componentExports(t, comp); strings.Join(got, " ") != "wasi:cli/run@0.2.3" {
		t.Errorf("exports %q, want wasi:cli/run@0.2.3", got)
	}
	if !aliasesCoreExport(t, comp, "_start") {
		t.Error("the component does not use _start")
	}
}

// TestNewCommandErrors: a run of the wrong type cannot be served by
// _start, nor can a _start of the wrong type serve run, and the exports tolerated beside _start are still errors in a
// module that is not a command.
func TestNewCommandErrors(t *testing.T) {
	r, w := loadWorld(t, filepath.Join("testdata", "new", "command.wit"), "bad-run")
	_, err := New(commandModule(t, false), NewOptions{Resolve: r, World: w})
	if err == nil || !strings.Contains(err.Error(), "is not func() -> result") {
		t.Errorf("wrong run type: got %v", err)
	}
	b := wasm.NewBuilder()
	b.Export("_start", wasm.ExternFunc, b.Func(b.FuncType(nil, []wasm.ValType{ti32}), nil, wasm.I32Const(0)))
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if _, err = New(m.Encode(), NewOptions{}); err == nil || !strings.Contains(err.Error(), "entry point is (func)") {
		t.Errorf("_start returning i32: got %v", err)
	}
	b = wasm.NewBuilder()
	b.Export("main", wasm.ExternFunc, b.Func(b.FuncType(nil, nil), nil, nil))
	m, err = b.Build()
	if err != nil {
		t.Fatal(err)
	}
	r, w = loadWorld(t, filepath.Join("testdata", "new", "command.wit"), "with-get")
	_, err = New(m.Encode(), NewOptions{Resolve: r, World: w})
	if err == nil || !strings.Contains(err.Error(), `"main"`) {
		t.Errorf("a reactor exporting main: got %v", err)
	}
}

// TestRunGlueCallsStartOnce runs the glue module on wazero: the first run
// calls _start and returns 0 (ok); the second traps without calling it.
func TestRunGlueCallsStartOnce(t *testing.T) {
	glue, err := runGlueModule()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := wazero.NewRuntime(ctx)
	defer rt.Close(ctx)
	calls := 0
	_, err = rt.NewHostModuleBuilder(glueImportModule).NewFunctionBuilder().
		WithGoFunction(api.GoFunc(func(context.Context, []uint64) { calls++ }), nil, nil).
		Export("_start").Instantiate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Fatalf("wazero called the host's _start %d times at instantiation, want once", calls)
	}
	calls = 0 // wazero runs an exported _start when it instantiates a module, here the host's
	mod, err := rt.InstantiateWithConfig(ctx, glue.Encode(), wazero.NewModuleConfig().WithStartFunctions())
	if err != nil {
		t.Fatal(err)
	}
	if calls != 0 {
		t.Fatalf("instantiating the glue called _start %d times", calls)
	}
	res, err := mod.ExportedFunction("run").Call(ctx)
	if err != nil || len(res) != 1 || res[0] != 0 || calls != 1 {
		t.Fatalf("first run: %v %v, _start called %d times", res, err, calls)
	}
	if _, err := mod.ExportedFunction("run").Call(ctx); err == nil || !strings.Contains(err.Error(), "unreachable") || calls != 1 {
		t.Errorf("second run: %v, _start called %d times", err, calls)
	}
}

// FuzzNewCommand: New on mutated commands, with no world and with a
// world that lacks wasi:cli/run, never panics, and what it accepts of a
// valid module decodes and validates (New does not validate function
// bodies of its input).
func FuzzNewCommand(f *testing.F) {
	f.Add(commandModule(f, false))
	f.Add(commandModule(f, true))
	r, w := loadWorld(f, filepath.Join("testdata", "new", "command.wit"), "with-get")
	f.Fuzz(func(t *testing.T, module []byte) {
		m, err := wasm.DecodeModule(module)
		if err != nil {
			return
		}
		valid := Validate(&Component{Version: 0x0d, Sections: []Section{&CoreModuleSection{Module: m}}}) == nil
		for _, opts := range []NewOptions{{}, {Resolve: r, World: w}} {
			out, err := New(module, opts)
			if err != nil {
				continue
			}
			c, err := Decode(out)
			if err == nil {
				err = Validate(c)
			}
			if err != nil && valid {
				t.Fatalf("New accepted a valid module but its component is invalid: %v", err)
			}
		}
	})
}
