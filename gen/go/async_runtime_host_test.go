package gogen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/engine"
	"github.com/witgo/witgo/engine/wasi"
	"github.com/witgo/witgo/wit"
)

// runAsyncGuest instantiates the async guest component on witgo's engine,
// with test:arun/host implemented by async host functions (each runs on a
// goroutine of its own while the guest goes on), and checks every export.
func runAsyncGuest(t *testing.T, comp []byte) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	eng, err := engine.New(ctx, engine.Options{NoCloseOnContextDone: true})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)
	compiled, err := eng.Compile(ctx, comp)
	skipUnsupported(t, err)
	wasiHost, err := wasi.New(wasi.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer wasiHost.Close()
	im := wasiHost.Imports(compiled)

	var inst *engine.Instance
	var mu sync.Mutex
	inFlight, maxInFlight := 0, 0
	var echoOrder []string
	// While gate is above zero, delay-echo calls do not sleep: each waits
	// until gate calls have arrived, then they answer in the order of their
	// delays. That proves the calls overlap without depending on timing,
	// which a loaded machine does not keep. A stuck gate opens after 30 s
	// and the checks below fail.
	gate, arrived := 0, 0
	var pending []uint64
	cond := sync.NewCond(&mu)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	go func() {
		for range tick.C {
			cond.Broadcast()
		}
	}()
	im.Interface("test:arun/host", map[string]engine.HostFunc{
		"delay-echo": func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
			ms := a[0].Uint()
			mu.Lock()
			inFlight++
			maxInFlight = max(maxInFlight, inFlight)
			gated := gate > 0
			if gated {
				arrived++
				pending = append(pending, ms)
				cond.Broadcast()
				deadline := time.Now().Add(30 * time.Second)
				for (arrived < gate || slices.Min(pending) != ms) && time.Now().Before(deadline) {
					cond.Wait()
				}
				pending = slices.Delete(pending, slices.Index(pending, ms), slices.Index(pending, ms)+1)
			}
			mu.Unlock()
			if !gated {
				time.Sleep(time.Duration(ms) * 10 * time.Millisecond)
			}
			mu.Lock()
			inFlight--
			echoOrder = append(echoOrder, a[1].Str())
			cond.Broadcast()
			mu.Unlock()
			return a[1], nil
		},
		"consume": func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
			rd, err := inst.StreamReader(a[0])
			if err != nil {
				return canonabi.Value{}, err
			}
			defer rd.Close()
			b, err := io.ReadAll(rd)
			return canonabi.U64Value(uint64(len(b))), err
		},
		"join": func(_ context.Context, a []canonabi.Value) (canonabi.Value, error) {
			return canonabi.StringValue(fmt.Sprintf("%d %d %d %d %g %s", a[0].Uint(), a[1].Int(), a[2].Uint(), a[3].Uint(), a[4].Float64(), a[5].Str())), nil
		},
		"produce": func(_ context.Context, a []canonabi.Value) (canonabi.Value, error) {
			// The writer outlives this call: it uses the test's context.
			w, v, err := inst.NewStream()
			if err != nil {
				return canonabi.Value{}, err
			}
			go func() {
				defer w.Close()
				for i := range a[0].Uint() {
					if _, err := w.WriteValues(ctx, []canonabi.Value{canonabi.StringValue(fmt.Sprintf("w%d", i))}); err != nil {
						return
					}
				}
			}()
			return v, nil
		},
	})
	im.Func("twice", func(_ context.Context, a []canonabi.Value) (canonabi.Value, error) {
		return canonabi.StringValue(a[0].Str() + a[0].Str()), nil
	})
	inst, err = eng.Instantiate(ctx, compiled, im)
	skipUnsupported(t, err)
	defer inst.Close(ctx)

	call := func(name string, args ...canonabi.Value) (canonabi.Value, *wit.Function) {
		t.Helper()
		fn, err := inst.Func("test:arun/guest#" + name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fn.Call(ctx, args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return got, fn.Type()
	}
	wave := func(f *wit.Function, v canonabi.Value) string {
		s, err := inst.ABI().FormatWAVE(f.Result, v)
		if err != nil {
			return err.Error()
		}
		return s
	}
	strs := func(words ...string) canonabi.Value {
		var vs []canonabi.Value
		for _, s := range words {
			vs = append(vs, canonabi.StringValue(s))
		}
		return canonabi.ListValue(vs...)
	}

	// fan-out: five async imports from five goroutines, all in flight.
	mu.Lock()
	gate = 5
	mu.Unlock()
	got, f := call("fan-out", strs("a", "bb", "ccc", "dddd", "eeeee"))
	mu.Lock()
	gate = 0
	mu.Unlock()
	if s := wave(f, got); s != `["a", "bb", "ccc", "dddd", "eeeee"]` {
		t.Errorf("fan-out returned %s", s)
	}
	if maxInFlight != 5 || !slices.Equal(echoOrder, []string{"eeeee", "dddd", "ccc", "bb", "a"}) {
		t.Errorf("fan-out: %d host calls in flight at most, answered %v; want 5, shortest delay first", maxInFlight, echoOrder)
	}

	// sum-bytes: a stream<u8> the host writes in pieces.
	w, v, err := inst.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	data := make([]byte, 3000)
	var sum uint64
	for i := range data {
		data[i] = byte(i * 7)
		sum += uint64(data[i])
	}
	go func() {
		defer w.Close()
		for chunk := range slices.Chunk(data, 700) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}()
	if got, _ = call("sum-bytes", v); got.Uint() != uint64(len(data))<<32|sum {
		t.Errorf("sum-bytes returned %#x, want %#x", got.Uint(), uint64(len(data))<<32|sum)
	}

	// points: a stream of records the guest writes after returning it.
	got, f = call("points", canonabi.U32Value(4))
	rd, err := inst.StreamReader(got)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := f.Result.TypeID()
	point := inst.ABI().Resolve.Types[id].Kind.(*wit.Stream).Elem
	var pts []string
	for {
		vs, err := rd.ReadValues(ctx, 16)
		for _, p := range vs {
			s, err := inst.ABI().FormatWAVE(point, p)
			if err != nil {
				t.Fatal(err)
			}
			pts = append(pts, s)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("points: reading: %v", err)
		}
	}
	rd.Close()
	if want := []string{"{x: 0, y: 0}", "{x: 1, y: -1}", "{x: 2, y: -2}", "{x: 3, y: -3}"}; !slices.Equal(pts, want) {
		t.Errorf("points: read %v, want %v", pts, want)
	}

	// later: a future<string> a goroutine resolves after a host call.
	got, _ = call("later", canonabi.StringValue("héllo"))
	fr, err := inst.FutureReader(got)
	if err != nil {
		t.Fatal(err)
	}
	if fv, err := fr.Read(ctx); err != nil || fv.Str() != "HÉLLO" {
		t.Errorf("later: the future held %v, %v; want HÉLLO", fv, err)
	}
	fr.Close()

	// relay: stream<string> from the host, stream<u8> back, in one task.
	if got, f = call("relay", canonabi.U32Value(12)); wave(f, got) != "{words: 12, bytes: 26}" {
		t.Errorf("relay returned %s, want {words: 12, bytes: 26}", wave(f, got))
	}

	// Spilled arguments and results: join's 6 flat arguments go through
	// memory (async lower takes 4), wide's 17 in and out too (16).
	if got, _ = call("joined", canonabi.U8Value(255), canonabi.S16Value(-300), canonabi.U32Value(70000),
		canonabi.U64Value(1<<40), canonabi.F64Value(-2.5), canonabi.StringValue("zé")); got.Str() != "255 -300 70000 1099511627776 -2.5 zé" {
		t.Errorf("joined returned %q", got.Str())
	}
	var pts8 []canonabi.Value
	for i := range int32(8) {
		pts8 = append(pts8, canonabi.RecordValue(canonabi.S32Value(i), canonabi.S32Value(-i*i)))
	}
	got, f = call("wide", append(pts8, canonabi.U8Value(41))...)
	if s := wave(f, got); s != "({x: 7, y: -49}, {x: 6, y: -36}, {x: 5, y: -25}, {x: 4, y: -16}, {x: 3, y: -9}, {x: 2, y: -4}, {x: 1, y: -1}, {x: 0, y: 0}, 42)" {
		t.Errorf("wide returned %s", s)
	}

	// read-for: Close cancels the read another goroutine has in flight.
	w, v, err = inst.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	go w.Write([]byte("abc")) // and nothing more: the writer stays open
	if got, _ = call("read-for", v, canonabi.U32Value(20)); got.Uint() != 3 {
		t.Errorf("read-for returned %d, want 3", got.Uint())
	}
	w.Close()

	// A sync export calling an async import: the engine runs the host
	// function inline (a sync caller cannot wait), the guest gets RETURNED.
	if got, _ = call("echo-now", canonabi.StringValue("now")); got.Str() != "now" {
		t.Errorf("echo-now returned %q", got.Str())
	}

	// An exported resource's async method, and the world's own async
	// import and export (module $root).
	res, _ := call("[constructor]acc", canonabi.U32Value(40))
	if got, _ = call("[method]acc.add", borrowOf(res), canonabi.U32Value(2)); got.Uint() != 42 {
		t.Errorf("acc.add returned %d, want 42", got.Uint())
	}
	if got, _ = call("[method]acc.add", borrowOf(res), canonabi.U32Value(8)); got.Uint() != 50 {
		t.Errorf("second acc.add returned %d, want 50", got.Uint())
	}
	pingFn, err := inst.Func("ping")
	if err != nil {
		t.Fatal(err)
	}
	if got, err = pingFn.Call(ctx, canonabi.StringValue("ab")); err != nil || got.Str() != "pong abab" {
		t.Errorf("ping: %q, %v; want pong abab", got.Str(), err)
	}

	// error-context: made by the guest, its message read back by the guest.
	ec, _ := call("make-error", canonabi.StringValue("disk on fire ☃"))
	if got, _ = call("describe", ec); got.Str() != "disk on fire ☃" {
		t.Errorf("describe(make-error(...)) = %q, want %q", got.Str(), "disk on fire ☃")
	}

	// Three export calls from three host goroutines at once: each gets its
	// own result (their tasks share the guest's waitable set).
	maxInFlight = 0
	var wg sync.WaitGroup
	results := make([]string, 3)
	for i, c := range []struct {
		name string
		arg  canonabi.Value
	}{{"fan-out", strs("p", "q", "r")}, {"relay", canonabi.U32Value(3)}, {"fan-out", strs("s", "t")}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn, err := inst.Func("test:arun/guest#" + c.name)
			if err != nil {
				results[i] = err.Error()
				return
			}
			got, err := fn.Call(ctx, c.arg)
			if err != nil {
				results[i] = err.Error()
				return
			}
			results[i] = wave(fn.Type(), got)
		}()
	}
	wg.Wait()
	if want := []string{`["p", "q", "r"]`, "{words: 3, bytes: 6}", `["s", "t"]`}; !slices.Equal(results, want) {
		t.Errorf("concurrent calls returned %q, want %q", results, want)
	}
	// How far the engine overlaps the calls is its choice (3 to 5).
	t.Logf("concurrent calls: %d delay-echo calls in flight at most", maxInFlight)
}

// skipUnsupported skips when the engine refuses part of the component,
// and fails on any other error.
func skipUnsupported(t *testing.T, err error) {
	t.Helper()
	var u *engine.UnsupportedError
	if errors.As(err, &u) {
		t.Skipf("witgo's engine cannot run the async guest yet: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// borrowOf is a borrow of the owned handle v, for a method call.
func borrowOf(v canonabi.Value) canonabi.Value {
	return canonabi.HandleValue(canonabi.KindBorrow, v.Handle())
}
