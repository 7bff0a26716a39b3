package gogen

import (
	"github.com/witgo/witgo/canonabi"
	"path/filepath"
	"slices"
	"testing"

	"github.com/witgo/witgo/wit"
)

// TestAsyncRuntime builds the Go guest of testdata/asyncruntime (async
// exports calling async imports from many goroutines, stream<u8>,
// stream<string>, a stream of a record, future<string>) with witgo's
// component new and runs it on witgo's engine, whose async host functions
// run on goroutines of their own (async_runtime_host_test.go). It skips,
// with the reason, if component new or the engine refuses the component.
func TestAsyncRuntime(t *testing.T) {
	r, w := loadWorld(t, filepath.Join("testdata", "asyncruntime", "arun.wit"), "arun")
	core := buildGuest(t, r, w, filepath.Join("testdata", "asyncruntime", "guest", "main.go"), "example.com/arun")
	comp := asyncComponent(t, r, w, core)
	runAsyncGuest(t, comp)
}

// asyncComponent makes the component with witgo's preview1 adapter, or
// skips when component new refuses the module's async imports or exports.
func asyncComponent(t *testing.T, r *wit.Resolve, w wit.WorldID, core []byte) []byte {
	t.Helper()
	comp, err := newComponent(t, r, w, core)
	if err != nil {
		t.Skipf("component new cannot make the async guest a component yet: %v", err)
	}
	return comp
}

// TestAsyncGuestOnCoreHost runs the same guest's core module on wazero
// with coreHost playing the component runtime (see async_corehost_test.go),
// so the generated async runtime is checked in real wasm today: each
// export's result, what the host received through streams and futures,
// and that the fan-out's calls were in flight together.
func TestAsyncGuestOnCoreHost(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a wasm module")
	}
	r, w := loadWorld(t, filepath.Join("testdata", "asyncruntime", "arun.wit"), "arun")
	core := buildGuest(t, r, w, filepath.Join("testdata", "asyncruntime", "guest", "main.go"), "example.com/arun")
	h := startCoreHost(t, r, w, core)
	guest := findInterface(t, r, "guest")
	fn := func(name string) *wit.Function {
		f, ok := guest.Functions.Get(name)
		if !ok {
			t.Fatalf("guest has no function %s", name)
		}
		return f
	}
	wave := func(f *wit.Function, v canonabi.Value) string {
		s, err := h.abi.FormatWAVE(f.Result, v)
		if err != nil {
			return err.Error()
		}
		return s
	}

	words := []string{"a", "bb", "ccc", "dddd", "eeeee"}
	var in []canonabi.Value
	for _, s := range words {
		in = append(in, canonabi.StringValue(s))
	}
	got, err := h.call(fn("fan-out"), canonabi.ListValue(in...))
	if err != nil {
		t.Fatalf("fan-out: %v", err)
	}
	if s := wave(fn("fan-out"), got); s != `["a", "bb", "ccc", "dddd", "eeeee"]` {
		t.Errorf("fan-out returned %s", s)
	}
	if h.maxInFlight != len(words) || !slices.Equal(h.echoOrder, []string{"eeeee", "dddd", "ccc", "bb", "a"}) {
		t.Errorf("fan-out: %d calls in flight at most, answered in order %v; want %d, the reverse of the words", h.maxInFlight, h.echoOrder, len(words))
	}

	data := &hostStream{elem: wit.U8, writerDone: true}
	var sum uint64
	for i := range 3000 {
		data.queue = append(data.queue, canonabi.U8Value(uint8(i*7)))
		sum += uint64(uint8(i * 7))
	}
	got, err = h.call(fn("sum-bytes"), canonabi.HandleValue(canonabi.KindStream, h.register(data)))
	if err != nil || got.Uint() != 3000<<32|sum || !data.readerDone {
		t.Errorf("sum-bytes: %s, %v (reader dropped %v); want %d", wave(fn("sum-bytes"), got), err, data.readerDone, uint64(3000)<<32|sum)
	}

	got, err = h.call(fn("points"), canonabi.U32Value(4))
	if err != nil {
		t.Fatalf("points: %v", err)
	}
	pts := h.streams[got.Handle()]
	var gotPts []string
	for _, p := range pts.received {
		s, _ := h.abi.FormatWAVE(pts.elem, p)
		gotPts = append(gotPts, s)
	}
	if want := []string{"{x: 0, y: 0}", "{x: 1, y: -1}", "{x: 2, y: -2}", "{x: 3, y: -3}"}; !slices.Equal(gotPts, want) || !pts.writerDone {
		t.Errorf("points: the host read %v (writer closed %v), want %v", gotPts, pts.writerDone, want)
	}

	got, err = h.call(fn("later"), canonabi.StringValue("héllo"))
	if err != nil {
		t.Fatalf("later: %v", err)
	}
	fut := h.streams[got.Handle()]
	if len(fut.received) != 1 || fut.received[0].Str() != "HÉLLO" || !fut.writerDone {
		t.Errorf("later: the host read %v (writer dropped %v), want [HÉLLO]", fut.received, fut.writerDone)
	}

	got, err = h.call(fn("relay"), canonabi.U32Value(12))
	if err != nil {
		t.Fatalf("relay: %v", err)
	}
	if s := wave(fn("relay"), got); s != "{words: 12, bytes: 26}" {
		t.Errorf("relay returned %s, want {words: 12, bytes: 26}", s)
	}
	// read-for: Close cancels the read another goroutine has in flight.
	open := &hostStream{elem: wit.U8, queue: []canonabi.Value{canonabi.U8Value(1), canonabi.U8Value(2), canonabi.U8Value(3)}}
	got, err = h.call(fn("read-for"), canonabi.HandleValue(canonabi.KindStream, h.register(open)), canonabi.U32Value(10))
	if err != nil || got.Uint() != 3 || h.cancels != 1 || !open.readerDone {
		t.Errorf("read-for: %v, %v after %d cancels (reader dropped %v); want 3 after 1", got, err, h.cancels, open.readerDone)
	}

	// A sync export calling an async import that does not return at once:
	// without a driver the bindings block in waitable-set.wait on a set of
	// their own, which they empty and drop.
	waits := len(h.table)
	if got, err = h.callSync(fn("echo-now"), canonabi.StringValue("now")); err != nil || got.Str() != "now" {
		t.Errorf("echo-now: %q, %v", got.Str(), err)
	}
	if len(h.table) != waits {
		t.Errorf("echo-now left %d handles in the table, had %d", len(h.table), waits)
	}

	// Three tasks in flight at once share the runtime's waitable set.
	list := func(words ...string) canonabi.Value {
		var vs []canonabi.Value
		for _, s := range words {
			vs = append(vs, canonabi.StringValue(s))
		}
		return canonabi.ListValue(vs...)
	}
	h.maxInFlight = 0
	one := h.start(fn("fan-out"), list("p", "q", "r"))
	two := h.start(fn("relay"), canonabi.U32Value(3))
	three := h.start(fn("fan-out"), list("s", "t"))
	if err := h.runAll(one, two, three); err != nil {
		t.Fatalf("concurrent tasks: %v", err)
	}
	for _, c := range []struct {
		call *hostCall
		want string
	}{{one, `["p", "q", "r"]`}, {two, "{words: 3, bytes: 6}"}, {three, `["s", "t"]`}} {
		if s := wave(c.call.f, c.call.task.result); s != c.want {
			t.Errorf("concurrent %s returned %s, want %s", c.call.f.Name, s, c.want)
		}
	}
	if h.maxInFlight != 5 {
		t.Errorf("concurrent fan-outs: %d delay-echo calls in flight at most, want 5", h.maxInFlight)
	}
	if live := len(h.table); live != 1 {
		t.Errorf("%d handles left in the guest's table, want 1 (the runtime's waitable set): %v", live, h.table)
	}
}
