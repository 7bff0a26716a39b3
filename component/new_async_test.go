package component

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component/wasm"
	"github.com/witgo/witgo/wit"
)

// asyncWIT has async functions, streams and futures of several payloads
// (u8, string, a record, a resource, none) in imports and exports, at
// world level and in interfaces, and an exported resource with an async
// method (exported through a shim component).
const asyncWIT = `package test:asy@1.0.0;

interface types {
  record point { x: u32, y: u32 }
  resource blob { constructor(); size: func() -> u32; }
}

interface io {
  use types.{point, blob};
  read: async func(n: u32) -> stream<u8>;
  pipe: async func(s: stream<string>, f: future<point>) -> future<future<u32>>;
  blobs: func(b: stream<blob>) -> future;
  unit-stream: func() -> stream;
  many: async func(a: string, b: u64, c: u64, d: u64, e: u64) -> string;
  record chunk { data: list<u8>, last: bool }
  resource cursor { next: async func() -> option<chunk>; }
  chunks: func(c: borrow<cursor>) -> stream<chunk>;
  cursors: async func() -> stream<cursor>;
}

interface serve {
  use types.{point};
  resource conn {
    constructor();
    send: async func(data: stream<u8>) -> future<result<_, string>>;
  }
  accept: func() -> stream<conn>;
  handle: async func(p: point, tag: string) -> result<point, error-context>;
}

world w {
  import io;
  import tick: async func() -> u32;
  import fetch: func(url: string) -> future<string>;
  export io;
  export serve;
  export run: async func();
  export greet: async func(name: string) -> string;
  export count: async func() -> u32;
}
`

func asyncWorld(t testing.TB) (*wit.Resolve, wit.WorldID) {
	t.Helper()
	r := wit.NewResolve()
	pkg, err := r.AddSource("asy.wit", []byte(asyncWIT))
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.SelectWorld(pkg, "w")
	if err != nil {
		t.Fatal(err)
	}
	return r, w
}

// asyncModuleSpec says which core names a hand-built module uses.
type asyncModuleSpec struct {
	// skipImport drops imports for which it returns true.
	skipImport func(c *canonabi.CoreName) bool
	// exportForm picks the form of each exported function (default: the
	// preferred one).
	exportForm map[string]canonabi.FuncABI
	// extraImports are added as they are: {module, field, params, results}
	// with 'i'/'I' letters, to test errors.
	extraImports [][4]string
	// retype replaces the type of the import or export with this field.
	retype     map[string]wasm.FuncType
	noCallback bool
}

// asyncModule builds a core module that imports every import of the
// world's core names (or those spec keeps) with the types canonabi gives
// them and exports every world function in the form spec picks; every
// body is `unreachable`.
func asyncModule(t testing.TB, r *wit.Resolve, w wit.WorldID, spec asyncModuleSpec) []byte {
	t.Helper()
	a := canonabi.New(r)
	names, err := a.Names(w, canonabi.Legacy)
	if err != nil {
		t.Fatal(err)
	}
	b := wasm.NewBuilder()
	typeOf := func(field string, ft wasm.FuncType) uint32 {
		if alt, ok := spec.retype[field]; ok {
			ft = alt
		}
		return b.FuncType(ft.Params, ft.Results)
	}
	sigOf := func(f *wit.Function, dir canonabi.Direction, form canonabi.FuncABI) wasm.FuncType {
		s, err := a.SignatureForm(f, dir, form)
		if err != nil {
			t.Fatal(err)
		}
		return coreSig(s)
	}
	i32 := []wasm.ValType{ti32}
	for i := range names.Items {
		c := &names.Items[i]
		if !c.Import || spec.skipImport != nil && spec.skipImport(c) {
			continue
		}
		var ft wasm.FuncType
		switch c.Kind {
		case canonabi.NameFunc:
			ft = sigOf(c.Function, canonabi.Lower, c.ABI)
		case canonabi.NameTaskReturn:
			p, _, err := a.TaskReturnSignature(c.Function)
			if err != nil {
				t.Fatal(err)
			}
			ft = wasm.FuncType{Params: coreValTypes(p)}
		case canonabi.NameResourceDrop:
			ft = wasm.FuncType{Params: i32}
		case canonabi.NameResourceNew, canonabi.NameResourceRep:
			ft = wasm.FuncType{Params: i32, Results: i32}
		default:
			p, res, ok := canonabi.IntrinsicSignature(c.Kind)
			if !ok {
				t.Fatalf("no signature for %s", c)
			}
			ft = wasm.FuncType{Params: coreValTypes(p), Results: coreValTypes(res)}
		}
		b.ImportFunc(c.Module, c.Field, typeOf(c.Field, ft))
	}
	for _, x := range spec.extraImports {
		conv := func(s string) []wasm.ValType {
			var out []wasm.ValType
			for _, ch := range s {
				out = append(out, map[rune]wasm.ValType{'i': ti32, 'I': wasm.V(wasm.I64)}[ch])
			}
			return out
		}
		b.ImportFunc(x[0], x[1], b.FuncType(conv(x[2]), conv(x[3])))
	}
	mem := b.Memory(wasm.MemType{Limits: wasm.Limits{Min: 1}})
	b.Export("memory", wasm.ExternMemory, mem)
	unreachable := []byte{0x00}
	tRealloc := b.FuncType([]wasm.ValType{ti32, ti32, ti32, ti32}, i32)
	b.Export("cabi_realloc", wasm.ExternFunc, b.Func(tRealloc, nil, unreachable))
	for i := range names.Items {
		c := &names.Items[i]
		switch {
		case c.Import:
			continue
		case c.Kind == canonabi.NameResourceDtor:
			b.Export(c.Field, wasm.ExternFunc, b.Func(b.FuncType(i32, nil), nil, unreachable))
			continue
		case c.Kind != canonabi.NameFunc:
			continue
		}
		pref, _ := names.Func(true, c.Function)
		form := pref.ABI
		if f, ok := spec.exportForm[c.Function.Name]; ok {
			form = f
		}
		if c.ABI != form {
			continue
		}
		b.Export(c.Field, wasm.ExternFunc, b.Func(typeOf(c.Field, sigOf(c.Function, canonabi.Lift, form)), nil, unreachable))
		if form == canonabi.ABIAsync && !spec.noCallback {
			cb, _ := names.Callback(c.Function)
			tcb := wasm.FuncType{Params: []wasm.ValType{ti32, ti32, ti32}, Results: i32}
			b.Export(cb.Field, wasm.ExternFunc, b.Func(typeOf(cb.Field, tcb), nil, unreachable))
		}
	}
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return m.Encode()
}

// allAsyncForms exports run stackful and greet sync-lifted (an async
// function type allows both), the rest in the preferred callback form.
var allAsyncForms = asyncModuleSpec{exportForm: map[string]canonabi.FuncABI{
	"run": canonabi.ABIAsyncStackful, "greet": canonabi.ABISync}}

func TestNewAsyncEveryName(t *testing.T) {
	r, w := asyncWorld(t)
	core := asyncModule(t, r, w, allAsyncForms)
	comp := mustNew(t, core, NewOptions{Resolve: r, World: w})
	c, err := Decode(comp)
	if err != nil {
		t.Fatal(err)
	}
	// Count the canon built-ins by opcode: every intrinsic of the table.
	ops := map[byte]int{}
	var lifts []Canon
	var walk func(c *Component)
	walk = func(c *Component) {
		for _, s := range c.Sections {
			switch s := s.(type) {
			case *CanonSection:
				for _, f := range s.Funcs {
					ops[f.Op]++
					if f.Op == CanonLift {
						lifts = append(lifts, f)
					}
				}
			case *ComponentSection:
				walk(s.Component)
			}
		}
	}
	walk(c)
	for op := CanonTaskCancel; op <= CanonWaitableJoin+2; op++ {
		if op == CanonResourceDropAsync || op == 0x08 {
			continue
		}
		if ops[op] == 0 {
			t.Errorf("no canon built-in 0x%02x", op)
		}
	}
	// Streams/futures: io's 7 imported (+3 world) and exported types.
	if ops[CanonStreamNew]+ops[CanonFutureNew] < 14 {
		t.Errorf("%d stream.new and %d future.new", ops[CanonStreamNew], ops[CanonFutureNew])
	}
	async, callback := 0, 0
	for _, l := range lifts {
		for _, o := range l.Opts {
			switch o.Kind {
			case OptAsync:
				async++
			case OptCallback:
				callback++
			}
		}
	}
	// Async: read, pipe, many, cursor.next, cursors, send, handle, run
	// (stackful), count; callback: all but run; greet is lifted sync.
	if async != 9 || callback != 8 {
		t.Errorf("%d async lifts and %d with a callback, want 9 and 8", async, callback)
	}
	got := componentWIT(t, comp)
	for _, want := range []string{
		"import tick: async func() -> u32;",
		"import fetch: func(url: string) -> future<string>;",
		"export run: async func();",
		"export greet: async func(name: string) -> string;",
		"read: async func(n: u32) -> stream<u8>;",
		"pipe: async func(s: stream<string>, f: future<point>) -> future<future<u32>>;",
		"blobs: func(b: stream<blob>) -> future;",
		"unit-stream: func() -> stream;",
		"chunks: func(c: borrow<cursor>) -> stream<chunk>;",
		"cursors: async func() -> stream<cursor>;",
		"send: async func(data: stream<u8>) -> future<result<_, string>>;",
		"accept: func() -> stream<conn>;",
		"handle: async func(p: point, tag: string) -> result<point, error-context>;",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("component wit lacks %q:\n%s", want, got)
		}
	}
	checkWithJco(t, comp, got)
}

// checkWithJco validates comp with jco (its wasm-tools parses and
// validates) and compares jco's WIT with witgo's.
func checkWithJco(t *testing.T, comp []byte, witgoWIT string) {
	t.Helper()
	checkWithJcoPrint(t, comp, witgoWIT, true)
}

// checkWithJcoPrint is checkWithJco, with jco transpile only if asked.
func checkWithJcoPrint(t *testing.T, comp []byte, witgoWIT string, transpile bool) {
	t.Helper()
	node, cli, _ := jcoTool(t)
	p := filepath.Join(t.TempDir(), "c.wasm")
	if err := os.WriteFile(p, comp, 0o644); err != nil {
		t.Fatal(err)
	}
	runCmd(t, "", nil, node, cli, "print", p)
	// transpile validates too, and generates the JS bindings of every
	// async built-in (node 20 cannot run them: no JSPI).
	if transpile {
		runCmd(t, filepath.Dir(p), nil, node, cli, "transpile", p, "-o", filepath.Join(filepath.Dir(p), "out"), "--name", "c")
	}
	// jco prints the root package only; witgo also the packages it uses.
	jw := runCmd(t, "", nil, node, cli, "wit", p)
	if rootPackage(jw) != rootPackage(witgoWIT) {
		t.Errorf("jco wit:\n%s\nwitgo component wit:\n%s", jw, witgoWIT)
	}
}

// rootPackage is the first package of a printed WIT text.
func rootPackage(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "\npackage "); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// The preferred forms only (every async export with a callback), each
// intrinsic once, at world level only; wide's 17 flat parameters and
// results go through memory (lift: a pointer and realloc; task.return: a
// pointer and memory).
func TestNewAsyncWorldLevel(t *testing.T) {
	r := wit.NewResolve()
	pkg, err := r.AddSource("a.wit", []byte(`package test:a;
world a {
  import get: async func(k: string) -> list<u8>;
  export put: async func(k: string, v: stream<u8>) -> future<u32>;
  export wide: async func(a: u64, b: u64, c: u64, d: u64, e: u64, f: u64, g: u64, h: u64, i: u64, j: u64, k: u64, l: u64, m: u64, n: u64, o: u64, p: u64, q: u64) -> tuple<u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64>;
}
`))
	if err != nil {
		t.Fatal(err)
	}
	w, _ := r.SelectWorld(pkg, "a")
	comp := mustNew(t, asyncModule(t, r, w, asyncModuleSpec{}), NewOptions{Resolve: r, World: w})
	got := componentWIT(t, comp)
	want := `package root:component;

world root {
  import get: async func(k: string) -> list<u8>;

  export put: async func(k: string, v: stream<u8>) -> future<u32>;
  export wide: async func(a: u64, b: u64, c: u64, d: u64, e: u64, f: u64, g: u64, h: u64, i: u64, j: u64, k: u64, l: u64, m: u64, n: u64, o: u64, p: u64, q: u64) -> tuple<u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64>;
}
`
	if got != want {
		t.Errorf("component wit:\n%s\nwant\n%s", got, want)
	}
	checkWithJco(t, comp, got)
}

func TestNewAsyncErrors(t *testing.T) {
	r, w := asyncWorld(t)
	for _, c := range []struct {
		name string
		spec asyncModuleSpec
		want []string
	}{
		{"wrong signature", asyncModuleSpec{retype: map[string]wasm.FuncType{"[stream-read-0]read": {Params: []wasm.ValType{ti32}}}},
			[]string{`"test:asy/io@1.0.0" "[stream-read-0]read"`, "stream.read of function \"read\"", "(func (param i32 i32 i32) (result i32))"}},
		{"wrong async-lower signature", asyncModuleSpec{retype: map[string]wasm.FuncType{"[async-lower]read": {Params: []wasm.ValType{ti32}, Results: []wasm.ValType{ti32}}}},
			[]string{`"[async-lower]read"`, "(func (param i32 i32) (result i32))"}},
		{"unknown function", asyncModuleSpec{extraImports: [][4]string{{"test:asy/io@1.0.0", "[stream-new-0]nope", "", "I"}}},
			[]string{`"[stream-new-0]nope"`, `has no function "nope"`}},
		{"index out of range", asyncModuleSpec{extraImports: [][4]string{{"test:asy/io@1.0.0", "[future-new-4]pipe", "", "I"}}},
			[]string{`"[future-new-4]pipe"`, `index 4 is out of range: function "pipe" has 4 futures and streams`}},
		{"task-cancel in $root", asyncModuleSpec{extraImports: [][4]string{{"$root", "[task-cancel]", "", ""}}},
			[]string{`"$root" "[task-cancel]"`, "[export] module"}},
		{"cancellable", asyncModuleSpec{extraImports: [][4]string{{"$root", "[cancellable][waitable-set-wait]", "ii", "i"}}},
			[]string{`"$root" "[cancellable][waitable-set-wait]"`, "component-model#716"}},
		{"async lower of a sync function", asyncModuleSpec{extraImports: [][4]string{{"$root", "[async-lower]fetch", "iii", "i"}}},
			[]string{`"[async-lower]fetch"`, `function "fetch" is not async`}},
		{"no callback", asyncModuleSpec{noCallback: true},
			[]string{"[callback][async-lift]"}},
		{"wrong callback type", asyncModuleSpec{retype: map[string]wasm.FuncType{"[callback][async-lift]count": {Params: []wasm.ValType{ti32}, Results: []wasm.ValType{ti32}}}},
			[]string{`"[callback][async-lift]count"`, "(func (param i32 i32 i32) (result i32))"}},
		{"wrong async-lift type", asyncModuleSpec{retype: map[string]wasm.FuncType{"[async-lift]count": {}}},
			[]string{`"[async-lift]count"`, "(func (result i32))"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(asyncModule(t, r, w, c.spec), NewOptions{Resolve: r, World: w})
			if err == nil {
				t.Fatal("accepted")
			}
			for _, want := range c.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
	// Two forms of one export.
	spec := asyncModuleSpec{extraImports: nil}
	core := asyncModule(t, r, w, spec)
	m, err := wasm.DecodeModule(core)
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range m.Exports {
		if ex.Name == "[async-lift]count" {
			m.Exports = append(m.Exports, wasm.Export{Name: "count", Kind: ex.Kind, Index: ex.Index})
			break
		}
	}
	if _, err := New(m.Encode(), NewOptions{Resolve: r, World: w}); err == nil || !strings.Contains(err.Error(), `both "[async-lift]count" and "count"`) {
		t.Errorf("two forms of count: %v", err)
	}
}

// asyncSeeds are async modules for the FuzzNew corpus.
func asyncSeeds(t testing.TB) [][]byte {
	r, w := asyncWorld(t)
	core := asyncModule(t, r, w, allAsyncForms)
	embedded, err := Embed(core, r, w, UTF8)
	if err != nil {
		t.Fatal(err)
	}
	return [][]byte{embedded}
}

// BenchmarkNewAsync: component new of the async test module (every
// async built-in of a world with 21 streams/futures).
func BenchmarkNewAsync(b *testing.B) {
	r, w := asyncWorld(b)
	core := asyncModule(b, r, w, allAsyncForms)
	b.SetBytes(int64(len(core)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(core, NewOptions{Resolve: r, World: w}); err != nil {
			b.Fatal(err)
		}
	}
}

// canonCensus counts a component's canon definitions (nested components
// included) by opcode, option kinds, flag and whether a result type is
// given: what two encoders of the same module should agree on.
func canonCensus(t *testing.T, comp []byte) map[string]int {
	t.Helper()
	c, err := Decode(comp)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	var walk func(c *Component)
	walk = func(c *Component) {
		for _, s := range c.Sections {
			switch s := s.(type) {
			case *CanonSection:
				for _, f := range s.Funcs {
					var kinds []byte
					for _, o := range f.Opts {
						kinds = append(kinds, o.Kind)
					}
					slices.Sort(kinds)
					out[fmt.Sprintf("op 0x%02x opts %v flag %v result %v", f.Op, kinds, f.Flag, f.Result != nil)]++
				}
			case *ComponentSection:
				walk(s.Component)
			}
		}
	}
	walk(c)
	return out
}

// TestNewAsyncLikeJcoNew: jco new (wit-component) accepts the same core
// module, embedded, and defines the same canon built-ins with the same
// options, and both components have the same WIT. Known differences,
// which are wit-component's and not the spec's: it shares one definition
// between `[stream-read-N]f` and `[async-lower][stream-read-N]f` (its shim
// key ignores `async`), so a module importing both gets no async copy;
// it gives task.return a memory when a future's payload has strings.
func TestNewAsyncLikeJcoNew(t *testing.T) {
	node, cli, _ := jcoTool(t)
	r, w := asyncWorld(t)
	// Only the async form of each copy, so that wit-component's sharing
	// does not hide the async option.
	spec := allAsyncForms
	spec.skipImport = func(c *canonabi.CoreName) bool {
		switch c.Kind {
		case canonabi.NameStreamRead, canonabi.NameStreamWrite, canonabi.NameFutureRead, canonabi.NameFutureWrite:
			return c.ABI != canonabi.ABIAsync
		}
		return false
	}
	core, err := Embed(asyncModule(t, r, w, spec), r, w, UTF8)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "core.wasm"), filepath.Join(dir, "jco.wasm")
	if err := os.WriteFile(in, core, 0o644); err != nil {
		t.Fatal(err)
	}
	runCmd(t, "", nil, node, cli, "new", in, "-o", out)
	theirs, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	ours := mustNew(t, core, NewOptions{})
	a, b := canonCensus(t, ours), canonCensus(t, theirs)
	known := func(k string) bool {
		return strings.HasPrefix(k, "op 0x09")
	}
	for k := range b {
		if a[k] != b[k] && !known(k) {
			t.Errorf("%s: witgo %d, jco new %d", k, a[k], b[k])
		}
	}
	for k := range a {
		if _, ok := b[k]; !ok && !known(k) {
			t.Errorf("%s: witgo %d, jco new none", k, a[k])
		}
	}
	for _, op := range []byte{CanonTaskReturn, CanonLower} {
		na, nb := 0, 0
		for k, v := range a {
			if strings.HasPrefix(k, fmt.Sprintf("op 0x%02x", op)) {
				na += v
			}
		}
		for k, v := range b {
			if strings.HasPrefix(k, fmt.Sprintf("op 0x%02x", op)) {
				nb += v
			}
		}
		if na != nb {
			t.Errorf("canon 0x%02x: witgo %d definitions, jco new %d", op, na, nb)
		}
	}
	if got, want := rootPackage(jcoWit(t, ours)), rootPackage(jcoWit(t, theirs)); got != want {
		t.Errorf("jco wit of witgo's component:\n%s\nof jco new's:\n%s", got, want)
	}
}

// Names the table does not list but wit-component accepts: `unit`
// payloads (no function needed), context slot 1, the other error-context
// encodings, task.cancel from an exported interface's module.
func TestNewAsyncUnlistedNames(t *testing.T) {
	r, w := asyncWorld(t)
	spec := allAsyncForms
	spec.extraImports = [][4]string{
		{"$root", "[stream-new-unit]", "", "I"},
		{"$root", "[async-lower][stream-read-unit]", "iii", "i"},
		{"test:asy/io@1.0.0", "[future-write-unit]read", "ii", "i"},
		{"[export]$root", "[future-drop-readable-unit]", "i", ""},
		{"$root", "[context-get-1]", "", "i"},
		{"$root", "[context-set-1]", "i", ""},
		{"$root", "[error-context-new-utf16]", "ii", "i"},
		{"$root", "[error-context-debug-message-latin1+utf16]", "ii", ""},
		{"[export]test:asy/serve@1.0.0", "[task-cancel]", "", ""},
	}
	comp := mustNew(t, asyncModule(t, r, w, spec), NewOptions{Resolve: r, World: w})
	census := canonCensus(t, comp)
	// Unit copies have no payload: no realloc or string-encoding, only memory.
	for _, want := range []string{"op 0x0f opts [3 6] flag false result false", "op 0x17 opts [3] flag false result false",
		"op 0x1c opts [1 3] flag false result false", "op 0x1d opts [2 3 4] flag false result false"} {
		if census[want] == 0 {
			t.Errorf("no canon definition %s", want)
		}
	}
	// jco validates it, but its translator (transpile) takes context slot
	// 0 only ("context.get immediate must be zero"), which the spec does
	// not require (`$i` must be less than 2).
	checkWithJcoPrint(t, comp, componentWIT(t, comp), false)
}
