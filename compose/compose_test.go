package compose

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/witgo/witgo/component"
)

const mathV010 = `package test:e@0.1.0;
interface math {
  record point { x: s32, y: s32 }
  add: func(a: s32, b: s32) -> s32;
  scale: func(p: point, k: s32) -> point;
}
`

// A socket that uses math and exports api; plugs that export math.
const (
	socketUsesMath = mathV010 + `
interface api { run: func(n: s32) -> s32; }
world w { import math; export api; }`
	plugMath = mathV010 + `world w { export math; }`
)

func TestComposeLinksAndReexports(t *testing.T) {
	res, err := composeStubs(t, socketUsesMath, plugMath)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings: %q", res.Warnings)
	}
	imports, exports := worldOf(t, res.Component)
	// The socket's import of math is satisfied inside; the plug's stub
	// import (impl-0, what its export re-exports) and the socket's
	// (impl-0 too: one shared import) remain.
	if _, ok := imports["test:e/math@0.1.0"]; ok {
		t.Errorf("math is still imported: %v", imports)
	}
	if !reflect.DeepEqual(exports, map[string][]string{"test:e/api@0.1.0": {"run"}}) {
		t.Errorf("exports = %v", exports)
	}
	if got := nestedCount(t, res.Component); got != 2 {
		t.Errorf("%d nested components, want 2", got)
	}
}

func TestComposeTypeMismatch(t *testing.T) {
	cases := []struct {
		name, plug              string
		item, where, imTy, exTy string
	}{
		{"parameter", strings.Replace(plugMath, "add: func(a: s32, b: s32)", "add: func(a: s32, b: u32)", 1),
			"function add", "parameter b", "s32", "u32"},
		{"record field", strings.Replace(plugMath, "y: s32 }", "y: f64 }", 1),
			"type point", "field y", "s32", "f64"},
		{"field name", strings.Replace(plugMath, "y: s32 }", "z: s32 }", 1),
			"type point", "point: field 2", "y", "z"},
		{"result", strings.Replace(plugMath, "b: s32) -> s32", "b: s32) -> s64", 1),
			"function add", "result", "s32", "s64"},
		{"missing function", strings.Replace(plugMath, "add: func(a: s32, b: s32) -> s32;", "", 1),
			"function add", "", "func(a: s32, b: s32) -> s32", "no such function (missing export)"},
		{"missing type", `package test:e@0.1.0;
interface math { add: func(a: s32, b: s32) -> s32; }
world w { export math; }`, "type point", "", "point", "no such type (missing export)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := composeStubs(t, socketUsesMath, c.plug)
			var me *MismatchError
			if !errors.As(err, &me) {
				t.Fatalf("err = %v, want a MismatchError", err)
			}
			want := MismatchError{Importer: "socket", Exporter: "plug1", Import: "test:e/math@0.1.0", Export: "test:e/math@0.1.0",
				Item: c.item, Where: c.where, ImportType: c.imTy, ExportType: c.exTy}
			if *me != want {
				t.Errorf("got  %+v\nwant %+v", *me, want)
			}
			for _, s := range []string{"socket", "plug1", c.item, c.imTy, c.exTy} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("message %q lacks %q", err, s)
				}
			}
		})
	}
}

// A plug's function export satisfies the socket's function import.
func TestComposeLinksFunction(t *testing.T) {
	socket := `package test:e@0.1.0;
interface api { run: func(); }
world w { import log: func(msg: string) -> u32; export api; }`
	plug := `package test:e@0.1.0;
world w { export log: func(msg: string) -> u32; }`
	res, err := composeStubs(t, socket, plug)
	if err != nil {
		t.Fatal(err)
	}
	// The sections are read directly; towit_test.go checks the world.
	imports, _ := topLevelNames(t, res.Component)
	if slices.Contains(imports, "log") || len(res.Warnings) != 0 {
		t.Errorf("log is still imported (%v) or warnings %q", imports, res.Warnings)
	}
	bad := strings.Replace(plug, "-> u32", "-> u64", 1)
	_, err = composeStubs(t, socket, bad)
	var me *MismatchError
	if !errors.As(err, &me) || me.Import != "log" || me.Where != "result" || me.ImportType != "u32" || me.ExportType != "u64" {
		t.Errorf("err = %v, want a MismatchError on log's result", err)
	}
}

func TestComposeKindMismatch(t *testing.T) {
	socket := `package test:e@0.1.0;
world w { import log: func(msg: string); export run: func(); }`
	plug := `package test:e@0.1.0;
world w { export log: interface { info: func(msg: string); } }`
	_, err := composeStubs(t, socket, plug)
	var me *MismatchError
	if !errors.As(err, &me) || me.Import != "log" || me.ImportType != "a function" || me.ExportType != "an interface" {
		t.Fatalf("err = %v, want a MismatchError: a function against an interface", err)
	}
	t.Log(err)
}

func TestComposeCycle(t *testing.T) {
	socket := `package test:e@0.1.0;
interface a { f: func() -> u32; }
world w { import a; export run: func(); }`
	plugA := `package test:e@0.1.0;
interface a { f: func() -> u32; }
interface b { g: func() -> u32; }
world w { import b; export a; }`
	plugB := `package test:e@0.1.0;
interface a { f: func() -> u32; }
interface b { g: func() -> u32; }
world w { import a; export b; }`
	_, err := composeStubs(t, socket, plugA, plugB)
	var ce *CycleError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a CycleError", err)
	}
	want := []string{"plug1 imports test:e/b@0.1.0 from plug2", "plug2 imports test:e/a@0.1.0 from plug1"}
	if !reflect.DeepEqual(ce.Steps, want) {
		t.Errorf("steps = %q, want %q", ce.Steps, want)
	}
}

func TestComposeTransitive(t *testing.T) {
	socket := `package test:e@0.1.0;
interface a { f: func() -> u32; }
interface api { run: func() -> u32; }
world w { import a; export api; }`
	// plug1 exports b, which plug2 (after it) needs: an earlier plug is searched after the later ones.
	plug1 := `package test:e@0.1.0;
interface b { g: func() -> u32; }
interface host { now: func() -> u64; }
world w { import host; export b; }`
	plug2 := `package test:e@0.1.0;
interface a { f: func() -> u32; }
interface b { g: func() -> u32; }
world w { import b; export a; }`
	res, err := composeStubs(t, socket, plug1, plug2)
	if err != nil {
		t.Fatal(err)
	}
	imports, exports := worldOf(t, res.Component)
	for _, name := range []string{"test:e/a@0.1.0", "test:e/b@0.1.0"} {
		if _, ok := imports[name]; ok {
			t.Errorf("%s is still imported", name)
		}
	}
	if _, ok := imports["test:e/host@0.1.0"]; !ok {
		t.Errorf("plug1's import of host is missing: %v", imports)
	}
	if !reflect.DeepEqual(exports, map[string][]string{"test:e/api@0.1.0": {"run"}}) {
		t.Errorf("exports = %v", exports)
	}
	if got := nestedCount(t, res.Component); got != 3 {
		t.Errorf("%d nested components, want 3", got)
	}
}

// A socket's function export is aliased out of its instance and exported
// with its type. This checks the export section itself; the world
// `witgo component wit` prints for it is checked in towit_test.go.
func TestComposeFuncExport(t *testing.T) {
	socket := `package test:e@0.1.0;
interface a { f: func() -> u32; }
world w { import a; export run: func(n: u32) -> string; }`
	plug := `package test:e@0.1.0;
interface a { f: func() -> u32; }
world w { export a; }`
	res, err := composeStubs(t, socket, plug)
	if err != nil {
		t.Fatal(err)
	}
	c, err := component.Decode(res.Component)
	if err != nil {
		t.Fatal(err)
	}
	var exports []string
	for _, s := range c.Sections {
		if s, ok := s.(*component.ExportSection); ok {
			for _, ex := range s.Exports {
				if ex.Item.Sort == component.SortFunc && ex.Desc != nil && ex.Desc.Kind == component.ExternFunc {
					exports = append(exports, ex.Name.Name)
				}
			}
		}
	}
	if !reflect.DeepEqual(exports, []string{"run"}) {
		t.Errorf("func exports with a type = %q, want [run]", exports)
	}
}

// An import left open cannot use the types of an interface a plug
// provides: the composed component's import could not name them. (Here
// the stub socket's own import behind its export does.)
func TestComposeOpenImportUsingLinkedTypes(t *testing.T) {
	types := `package test:e@0.1.0;
interface types {
  record point { x: s32, y: s32 }
  resource handle { get: func() -> point; }
}
`
	socket := types + `interface api {
  use types.{point, handle};
  make: func(p: point) -> handle;
}
world w { import types; export api; }`
	plug := types + `world w { export types; }`
	_, err := composeStubs(t, socket, plug)
	if err == nil || !strings.Contains(err.Error(), "uses type point of test:e/types@0.1.0, which another component of the composition provides") {
		t.Errorf("err = %v", err)
	}
}

func TestComposeUnusedPlug(t *testing.T) {
	unrelated := `package test:other@0.1.0;
interface x { f: func(); }
world w { export x; }`
	res, err := composeStubs(t, socketUsesMath, plugMath, unrelated)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "plug2 is not used") {
		t.Errorf("warnings = %q", res.Warnings)
	}
	if got := nestedCount(t, res.Component); got != 2 {
		t.Errorf("%d nested components, want 2 (the unused plug is left out)", got)
	}
}

func TestComposeSemver(t *testing.T) {
	newer := strings.Replace(plugMath, "@0.1.0", "@0.1.3", 1)
	res, err := composeStubs(t, socketUsesMath, newer)
	if err != nil {
		t.Fatal(err)
	}
	imports, _ := worldOf(t, res.Component)
	if _, ok := imports["test:e/math@0.1.0"]; ok || len(res.Warnings) != 0 {
		t.Errorf("math@0.1.3 did not satisfy math@0.1.0: imports %v, warnings %q", imports, res.Warnings)
	}
	// 0.2.0 is not compatible with 0.1.0: math stays an import, the plug is unused.
	incompatible := strings.Replace(plugMath, "@0.1.0", "@0.2.0", 1)
	res, err = composeStubs(t, socketUsesMath, incompatible)
	if err != nil {
		t.Fatal(err)
	}
	imports, _ = worldOf(t, res.Component)
	if _, ok := imports["test:e/math@0.1.0"]; !ok || len(res.Warnings) != 1 {
		t.Errorf("math@0.2.0 satisfied math@0.1.0: imports %v, warnings %q", imports, res.Warnings)
	}
}

// Two components importing versions of one interface share one import:
// the union of their functions, under the highest version, with a
// resource used through another interface staying one type.
func TestComposeMergesSharedImports(t *testing.T) {
	logV := func(v, extra string) string {
		return `package test:log@` + v + `;
interface streams { resource out { write: func(s: string); } }
interface log {
  use streams.{out};
  info: func(msg: string);
  get-out: func() -> out;
` + extra + `}
`
	}
	socket := logV("0.1.0", "") + `
interface api { run: func(); }
world w { import log; import test:e/math@0.1.0; export api; }
package test:e@0.1.0 { interface math { add: func(a: s32, b: s32) -> s32; } }`
	plug := logV("0.1.2", "  warn: func(msg: string);\n") + `
world w { import log; export test:e/math@0.1.0; }
package test:e@0.1.0 { interface math { add: func(a: s32, b: s32) -> s32; } }`
	res, err := composeStubs(t, socket, plug)
	if err != nil {
		t.Fatal(err)
	}
	imports, _ := worldOf(t, res.Component)
	got := imports["test:log/log@0.1.2"]
	slices.Sort(got)
	if !reflect.DeepEqual(got, []string{"get-out", "info", "warn"}) {
		t.Errorf("merged log import = %v (imports %v)", got, imports)
	}
	for name := range imports {
		if strings.HasSuffix(name, "@0.1.0") && strings.HasPrefix(name, "test:log/") {
			t.Errorf("the older version %s is imported too", name)
		}
	}
	// Different types for the same function cannot be merged.
	conflict := strings.Replace(plug, "info: func(msg: string)", "info: func(msg: u32)", 1)
	_, err = composeStubs(t, socket, conflict)
	var me *MergeError
	if !errors.As(err, &me) || me.Item != "function info" || me.Where != "parameter msg" || me.FirstType != "string" || me.SecondType != "u32" {
		t.Fatalf("err = %v (%+v), want a MergeError on info's msg", err, me)
	}
}

func TestComposeBadInput(t *testing.T) {
	if _, err := Compose([]Input{{Name: "a", Bytes: stubComponent(t, plugMath)}}); err == nil {
		t.Error("one input: no error")
	}
	_, err := Compose([]Input{{Name: "a.wasm", Bytes: []byte("\x00asm\x0d\x00\x01\x00\x99")}, {Name: "b", Bytes: stubComponent(t, plugMath)}})
	if err == nil || !strings.HasPrefix(err.Error(), "a.wasm: ") {
		t.Errorf("truncated input: err = %v", err)
	}
	core := []byte("\x00asm\x01\x00\x00\x00")
	_, err = Compose([]Input{{Name: "core.wasm", Bytes: core}, {Name: "b", Bytes: stubComponent(t, plugMath)}})
	if err == nil || err.Error() != "core.wasm is a core module, not a component (witgo component new makes one of it)" {
		t.Errorf("core module: err = %v", err)
	}
}

// An input that decodes but is not valid is reported by name (it is
// validated inside the composed component).
func TestComposeInvalidInput(t *testing.T) {
	c, err := component.Decode(stubComponent(t, plugMath))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Sections {
		if s, ok := s.(*component.ExportSection); ok {
			s.Exports[0].Item.Index = 99
		}
	}
	_, err = Compose([]Input{{Name: "socket", Bytes: stubComponent(t, socketUsesMath)}, {Name: "bad.wasm", Bytes: c.Encode()}})
	if err == nil || !strings.HasPrefix(err.Error(), "bad.wasm: invalid component: ") {
		t.Errorf("err = %v", err)
	}
}

func nestedCount(t testing.TB, bin []byte) int {
	t.Helper()
	c, err := component.Decode(bin)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range c.Sections {
		if _, ok := s.(*component.ComponentSection); ok {
			n++
		}
	}
	return n
}

// wasm-tools (through jco wit) reads the stub compositions too: a link
// with a record, a merge of two versions with a resource, a chain, and a
// function export.
func TestComposeStubsUnderJco(t *testing.T) {
	if testing.Short() {
		t.Skip("runs node")
	}
	jcoTools(t)
	logV := func(v, extra string) string {
		return `package test:log@` + v + `;
interface streams { resource out { write: func(s: string); } }
interface log { use streams.{out}; info: func(msg: string); get-out: func() -> out;
` + extra + `}
`
	}
	cases := []struct {
		name    string
		srcs    []string
		lines   []string // in jco wit's output
		printed string   // in jco print's output
	}{
		{"link", []string{socketUsesMath, plugMath}, []string{"export test:e/api@0.1.0;"}, `"test:e/math@0.1.0" (instance (;`},
		{"merge", []string{
			logV("0.1.0", "") + "interface api { run: func(); }\nworld w { import log; import test:e/math@0.1.0; export api; }\npackage test:e@0.1.0 { interface math { f: func(); } }",
			logV("0.1.2", "warn: func(msg: string);\n") + "world w { import log; export test:e/math@0.1.0; }\npackage test:e@0.1.0 { interface math { f: func(); } }",
		}, []string{"import test:log/streams@0.1.2;", "import test:log/log@0.1.2;"}, `"warn" (func (type`},
		{"func export", []string{`package test:e@0.1.0;
interface a { f: func() -> u32; }
world w { import a; export run: func(n: u32) -> string; }`, `package test:e@0.1.0;
interface a { f: func() -> u32; }
world w { export a; }`}, []string{"export run: func(n: u32) -> string;"}, `"run" (func 1) (func (type 0))`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := composeStubs(t, c.srcs...)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "c.wasm"), res.Component, 0o644); err != nil {
				t.Fatal(err)
			}
			out := jco(t, dir, "wit", "c.wasm")
			for _, line := range c.lines {
				if !strings.Contains(out, line) {
					t.Errorf("jco wit lacks %q:\n%s", line, out)
				}
			}
			if printed := jco(t, dir, "print", "c.wasm"); !strings.Contains(printed, c.printed) {
				t.Errorf("jco print lacks %q:\n%s", c.printed, printed)
			}
		})
	}
}
