package canonabi

import (
	"fmt"
	"strings"
	"testing"

	"github.com/witgo/witgo/wit"
)

const asyncTestWIT = `package test:asy@1.0.0;

interface types {
  record point { x: u32, y: u32 }
  resource blob { constructor(); size: func() -> u32; }
  type bytes = stream<u8>;
}

interface io {
  use types.{point, blob, bytes};
  read: async func(n: u32) -> stream<u8>;
  pipe: async func(s: stream<string>, f: future<point>) -> future<future<u32>>;
  blobs: func(b: stream<blob>) -> future;
  twice: func(a: bytes, b: bytes) -> stream;
  nested: func(r: result<stream<u8>, future<string>>, t: tuple<option<stream<point>>, list<future<u8>>>);
}

world w {
  import io;
  import tick: async func() -> u32;
  import fetch: func(url: string) -> future<string>;
  export io;
  export serve: async func(body: stream<u8>) -> result<string, error-context>;
  export run: async func();
}
`

func asyncWorld(t testing.TB) (*wit.Resolve, wit.WorldID) {
	t.Helper()
	r := wit.NewResolve()
	pkg, err := r.AddSource("asy.wit", []byte(asyncTestWIT))
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.SelectWorld(pkg, "w")
	if err != nil {
		t.Fatal(err)
	}
	return r, w
}

func ifaceFunc(t testing.TB, r *wit.Resolve, iface, name string) *wit.Function {
	t.Helper()
	for _, i := range r.Interfaces {
		if i.Name == iface {
			if f, ok := i.Functions.Get(name); ok {
				return f
			}
		}
	}
	t.Fatalf("no function %s.%s", iface, name)
	return nil
}

func worldFunc(t testing.TB, r *wit.Resolve, w wit.WorldID, exported bool, name string) *wit.Function {
	t.Helper()
	items := &r.Worlds[w].Imports
	if exported {
		items = &r.Worlds[w].Exports
	}
	item, ok := items.Get(wit.NameKey(name))
	if !ok || item.Function == nil {
		t.Fatalf("no world function %s", name)
	}
	return item.Function
}

// typeText renders a stream/future type for comparisons.
func typeText(r *wit.Resolve, id wit.TypeID) string {
	return New(r).TypeString(wit.Ref(id))
}

// The order of wit-parser's find_futures_and_streams, including the
// example of its doc comment (`foo: func(x: future<future<u32>>, y: u32)
// -> stream<u8>` gives future<u32>, future<future<u32>>, stream<u8>).
func TestFuturesAndStreamsOrder(t *testing.T) {
	r, _ := asyncWorld(t)
	for _, c := range []struct {
		f    string
		want []string
	}{
		{"read", []string{"stream<u8>"}},
		{"pipe", []string{"stream<string>", "future<point>", "future<u32>", "future<future<u32>>"}},
		{"blobs", []string{"stream<own<blob>>", "future"}},
		// A named stream used twice: listed twice (no deduplication).
		{"twice", []string{"bytes = stream<u8>", "bytes = stream<u8>", "stream"}},
		{"nested", []string{"stream<u8>", "future<string>", "stream<point>", "future<u8>"}},
	} {
		var got []string
		for _, id := range FuturesAndStreams(r, ifaceFunc(t, r, "io", c.f)) {
			got = append(got, typeText(r, id))
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%s: %v, want %v", c.f, got, c.want)
		}
	}
}

func TestNamesAsyncIntrinsics(t *testing.T) {
	r, w := asyncWorld(t)
	n, err := New(r).Names(w, Legacy)
	if err != nil {
		t.Fatal(err)
	}
	checkRoundTrip(t, n)
	all := strings.Join(nameList(n), "\n")
	for _, want := range []string{
		`import "test:asy/io@1.0.0" "[async-lower]read"`,
		`import "test:asy/io@1.0.0" "read"`,
		`import "test:asy/io@1.0.0" "[stream-new-0]read"`,
		`import "test:asy/io@1.0.0" "[async-lower][stream-read-0]read"`,
		`import "test:asy/io@1.0.0" "[stream-read-0]read"`,
		`import "test:asy/io@1.0.0" "[future-drop-writable-3]pipe"`,
		`import "test:asy/io@1.0.0" "[async-lower][future-cancel-write-1]pipe"`,
		`import "test:asy/io@1.0.0" "[stream-drop-readable-2]twice"`,
		`import "[export]test:asy/io@1.0.0" "[stream-write-0]read"`,
		`import "[export]test:asy/io@1.0.0" "[task-return]read"`,
		`export "[async-lift]test:asy/io@1.0.0#read"`,
		`export "[callback][async-lift]test:asy/io@1.0.0#read"`,
		`export "[async-lift-stackful]test:asy/io@1.0.0#read"`,
		`export "test:asy/io@1.0.0#blobs"`,
		`import "$root" "[async-lower]tick"`,
		`import "$root" "[future-read-0]fetch"`,
		`import "[export]$root" "[stream-read-0]serve"`,
		`import "[export]$root" "[task-return]serve"`,
		`import "[export]$root" "[task-return]run"`,
		`import "[export]$root" "[task-cancel]"`,
		`import "$root" "[waitable-set-new]"`,
		`import "$root" "[waitable-set-wait]"`,
		`import "$root" "[waitable-set-poll]"`,
		`import "$root" "[waitable-join]"`,
		`import "$root" "[thread-yield]"`,
		`import "$root" "[async-lower][subtask-cancel]"`,
		`import "$root" "[subtask-drop]"`,
		`import "$root" "[context-get-0]"`,
		`import "$root" "[context-set-0]"`,
		`import "$root" "[backpressure-inc]"`,
		`import "$root" "[backpressure-dec]"`,
		`import "$root" "[error-context-new-utf8]"`,
		`import "$root" "[error-context-debug-message-utf8]"`,
		`import "$root" "[error-context-drop]"`,
	} {
		if !strings.Contains(all, want+"\n") && !strings.HasSuffix(all, want) {
			t.Errorf("missing %s", want)
		}
	}
	// 11 built-in names per stream/future of every function, both sides.
	perFunc := map[string]int{}
	for _, c := range n.Items {
		if c.Kind.IsPayload() {
			perFunc[c.Module+" "+c.Function.Name]++
		}
	}
	for key, want := range map[string]int{"test:asy/io@1.0.0 pipe": 44, "[export]test:asy/io@1.0.0 nested": 44,
		"$root fetch": 11, "[export]$root serve": 11, "$root tick": 0} {
		if perFunc[key] != want {
			t.Errorf("%s: %d stream/future names, want %d", key, perFunc[key], want)
		}
	}

	// The generator's lookups.
	pipe := ifaceFunc(t, r, "io", "pipe")
	fs := FuturesAndStreams(r, pipe)
	c, err := n.PayloadIntrinsic(false, pipe, NameFutureRead, fs[3], true)
	if err != nil || c.Module != "test:asy/io@1.0.0" || c.Field != "[async-lower][future-read-3]pipe" || c.Payload != fs[3] || c.ABI != ABIAsync {
		t.Errorf("PayloadIntrinsic(pipe future 3) = %+v, %v", c, err)
	}
	c, err = n.PayloadIntrinsic(true, pipe, NameStreamNew, fs[0], false)
	if err != nil || c.Module != "[export]test:asy/io@1.0.0" || c.Field != "[stream-new-0]pipe" {
		t.Errorf("PayloadIntrinsic(exported pipe stream 0) = %+v, %v", c, err)
	}
	if _, err := n.PayloadIntrinsic(false, pipe, NameStreamNew, fs[0], true); err == nil {
		t.Error("stream.new has no async form")
	}
	twice := ifaceFunc(t, r, "io", "twice")
	ts := FuturesAndStreams(r, twice)
	if c, err := n.PayloadIntrinsic(false, twice, NameStreamDropReadable, ts[1], false); err != nil || c.PayloadIndex != 0 {
		t.Errorf("a type used twice maps to its first index: %+v, %v", c, err)
	}
	if c, err := n.Intrinsic(NameContextSet, IntrinsicOptions{Slot: 1}); err != nil || c.Field != "[context-set-1]" || c.Module != "$root" {
		t.Errorf("context-set-1: %+v, %v", c, err)
	}
	if c, err := n.Intrinsic(NameErrorContextNew, IntrinsicOptions{Encoding: "utf16"}); err != nil || c.Field != "[error-context-new-utf16]" {
		t.Errorf("error-context-new-utf16: %+v, %v", c, err)
	}
	if _, err := n.Intrinsic(NameWaitableSetNew, IntrinsicOptions{Cancellable: true}); err == nil {
		t.Error("waitable-set-new has no cancellable form")
	}
	serve := worldFunc(t, r, w, true, "serve")
	if c, ok := n.Func(true, serve); !ok || c.Field != "[async-lift]serve" {
		t.Errorf("Func(serve) = %+v", c)
	}
	if c, ok := n.Callback(serve); !ok || c.Field != "[callback][async-lift]serve" {
		t.Errorf("Callback(serve) = %+v", c)
	}
	if c, ok := n.FuncForm(true, serve, ABIAsyncStackful); !ok || c.Field != "[async-lift-stackful]serve" {
		t.Errorf("stackful serve = %+v", c)
	}
	tick := worldFunc(t, r, w, false, "tick")
	if c, ok := n.FuncForm(false, tick, ABISync); !ok || c.Field != "tick" || c.Module != "$root" {
		t.Errorf("sync-lowered tick = %+v", c)
	}
}

// Names the table does not list still parse; bad ones say why.
func TestParseAsyncNames(t *testing.T) {
	r, w := asyncWorld(t)
	n, err := New(r).Names(w, Legacy)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		module, field string
		kind          NameKind
		check         func(*CoreName) bool
	}{
		{"$root", "[stream-new-unit]", NameStreamNew, func(c *CoreName) bool { return c.Unit }},
		{"test:asy/io@1.0.0", "[async-lower][future-read-unit]blobs", NameFutureRead, func(c *CoreName) bool { return c.Unit && c.ABI == ABIAsync }},
		{"[export]test:asy/io@1.0.0", "[task-cancel]", NameTaskCancel, nil},
		{"$root", "[context-get-1]", NameContextGet, func(c *CoreName) bool { return c.Slot == 1 }},
		{"$root", "[cancellable][waitable-set-poll]", NameWaitableSetPoll, func(c *CoreName) bool { return c.Cancellable }},
		{"$root", "[error-context-debug-message-latin1+utf16]", NameErrorContextDebugMessage, func(c *CoreName) bool { return c.Encoding == "latin1+utf16" }},
	} {
		got, err := n.ParseImport(c.module, c.field)
		if err != nil || got.Kind != c.kind || c.check != nil && !c.check(got) {
			t.Errorf("ParseImport(%q, %q) = %+v, %v", c.module, c.field, got, err)
		}
	}
	for _, c := range []struct{ module, field, want string }{
		{"test:asy/io@1.0.0", "[stream-new-1]read", `index 1 is out of range: function "read" has 1 futures and streams`},
		{"test:asy/io@1.0.0", "[stream-new-0]nope", `module "test:asy/io@1.0.0" has no function "nope"`},
		{"test:asy/io@1.0.0", "[stream-new-x]read", `neither a stream/future index nor "unit"`},
		{"$root", "[async-lower][stream-new-0]fetch", "no [async-lower] form"},
		{"$root", "[cancellable][waitable-set-drop]", "no [cancellable] form"},
		{"$root", "[context-get-2]", "context slot \"2\" is out of range"},
		{"$root", "[task-cancel]", "task.cancel belongs in an [export] module"},
		{"$root", "[error-context-new-utf32]", `unknown string encoding "utf32"`},
		{"$root", "[waitable-sets-new]", `no field "[waitable-sets-new]"`},
		{"$root", "[async-lower]fetch", `function "fetch" is not async, so it has no [async-lower] form: import "fetch"`},
	} {
		_, err := n.ParseImport(c.module, c.field)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.field) {
			t.Errorf("ParseImport(%q, %q): %v, want an error naming it with %q", c.module, c.field, err, c.want)
		}
	}
	if _, err := n.ParseExport("[async-lift]test:asy/io@1.0.0#blobs"); err == nil || !strings.Contains(err.Error(),
		`function "blobs" is not async, so it is exported as "test:asy/io@1.0.0#blobs"`) {
		t.Errorf("async lift of a sync export: %v", err)
	}
	// A sync world still accepts the function-less built-ins without
	// listing them.
	b, w2 := exampleWorld(t)
	n2, err := New(b.r).Names(w2, Legacy)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := n2.ParseImport("$root", "[waitable-set-new]"); err != nil || c.Kind != NameWaitableSetNew {
		t.Errorf("sync world, waitable-set-new: %+v, %v", c, err)
	}
	for _, c := range n2.Items {
		if c.Kind.IsIntrinsic() {
			t.Errorf("a sync world lists %s", c.String())
		}
	}
}

func TestIntrinsicSignatures(t *testing.T) {
	// CanonicalABI.md, "validation specifies" of each built-in.
	for k, want := range map[NameKind]string{
		NameStreamNew: "() -> (i64)", NameStreamRead: "(i32 i32 i32) -> (i32)", NameFutureWrite: "(i32 i32) -> (i32)",
		NameStreamCancelWrite: "(i32) -> (i32)", NameFutureDropReadable: "(i32) -> ()", NameWaitableSetWait: "(i32 i32) -> (i32)",
		NameWaitableJoin: "(i32 i32) -> ()", NameThreadYield: "() -> (i32)", NameSubtaskCancel: "(i32) -> (i32)",
		NameContextGet: "() -> (i32)", NameContextSet: "(i32) -> ()", NameBackpressureInc: "() -> ()", NameTaskCancel: "() -> ()",
		NameErrorContextNew: "(i32 i32) -> (i32)", NameErrorContextDebugMessage: "(i32 i32) -> ()", NameErrorContextDrop: "(i32) -> ()",
	} {
		p, res, ok := IntrinsicSignature(k)
		got := "(" + coreTypesText(p) + ") -> (" + coreTypesText(res) + ")"
		if !ok || got != want {
			t.Errorf("%s: %s, want %s", k, got, want)
		}
	}
	if _, _, ok := IntrinsicSignature(NameTaskReturn); ok {
		t.Error("task.return's type depends on its function")
	}
}

func coreTypesText(ts []CoreType) string {
	var s []string
	for _, t := range ts {
		s = append(s, t.String())
	}
	return strings.Join(s, " ")
}

// Every function and every stream/future of the WASI 0.3.0 worlds gets
// names, and every name parses back to its item.
func TestNamesWASI03(t *testing.T) {
	r := loadWASI(t, "0.3.0")
	a := New(r)
	total, payloads, asyncFuncs := 0, 0, 0
	for w := range r.Worlds {
		n, err := a.Names(wit.WorldID(w), Legacy)
		if err != nil {
			t.Fatalf("world %s: %v", r.Worlds[w].Name, err)
		}
		checkRoundTrip(t, n)
		total += len(n.Items)
		for _, c := range n.Items {
			if c.Kind != NameFunc || c.ABI != ABISync && c.Exported {
				continue
			}
			f := c.Function
			if c.ABI == ABISync && f.Async && !c.Exported {
				continue // counted once, with its async form
			}
			if f.Async {
				asyncFuncs++
			}
			for i, id := range FuturesAndStreams(r, f) {
				payloads++
				for k := NameStreamNew; k <= NameFutureDropWritable; k++ {
					_, isStream := r.Types[id].Kind.(*wit.Stream)
					if k.IsStream() != isStream {
						continue
					}
					p, err := n.PayloadIntrinsicAt(c.Exported, f, k, i, false)
					if err != nil || p.Payload != id {
						t.Errorf("world %s, %s: %s %d: %+v %v", r.Worlds[w].Name, f.Name, k, i, p, err)
					}
				}
			}
		}
	}
	if payloads == 0 || asyncFuncs == 0 {
		t.Errorf("WASI 0.3.0 has %d streams/futures and %d async functions in its worlds", payloads, asyncFuncs)
	}
	t.Logf("WASI 0.3.0: %d worlds, %d core names, %d function streams/futures, %d async functions", len(r.Worlds), total, payloads, asyncFuncs)
}

// BenchmarkNamesWASI03: the core-name table of every WASI 0.3.0 world.
func BenchmarkNamesWASI03(b *testing.B) {
	r := loadWASI(b, "0.3.0")
	a := New(r)
	b.ReportAllocs()
	for b.Loop() {
		for w := range r.Worlds {
			if _, err := a.Names(wit.WorldID(w), Legacy); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// FuzzParseAsyncName: arbitrary names in the async world either parse to
// an item with exactly that module and field or fail; a stream/future
// built-in names its type (or is a unit one).
func FuzzParseAsyncName(f *testing.F) {
	r, w := asyncWorld(f)
	n, err := New(r).Names(w, Legacy)
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range n.Items {
		f.Add(c.Module, c.Field)
	}
	f.Add("$root", "[stream-new-unit]")
	f.Add("$root", "[context-get-1]")
	f.Add("test:asy/io@1.0.0", "[future-read-9]pipe")
	f.Fuzz(func(t *testing.T, module, field string) {
		c, err := n.ParseImport(module, field)
		if err != nil {
			if !strings.Contains(err.Error(), fmt.Sprintf("%q", field)) && !strings.Contains(err.Error(), "imports nothing") {
				t.Fatalf("error %q does not name %q", err, field)
			}
			return
		}
		if c.Module != module || c.Field != field || !c.Import {
			t.Fatalf("import %q %q parsed as %s", module, field, c)
		}
		if c.Kind.IsPayload() && !c.Unit && (c.Function == nil || r.Types[c.Payload] == nil) {
			t.Fatalf("%s names no stream or future", c)
		}
	})
}
