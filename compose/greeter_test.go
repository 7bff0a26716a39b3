package compose

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/witgo/witgo/component"
)

// greeterCalls are the calls made on the composed C + Go component, with
// the results expected in WAVE (witgo's engine) and in JSON (jco; none is
// null). The C socket adds "C says: " to the Go plug's greeting and passes
// on its word counts; strings cross both linear memories.
var greeterCalls = []call{
	{`hello("Ann")`, `"C says: Hello, Ann!"`, `greeter.hello("Ann")`, `"C says: Hello, Ann!"`},
	{`hello("")`, `"C says: Hello, !"`, `greeter.hello("")`, `"C says: Hello, !"`},
	{`count("the quick brown fox")`, `4`, `greeter.count("the quick brown fox")`, `4`},
	{`longest("the quick brown fox")`, `some("quick")`, `greeter.longest("the quick brown fox")`, `"quick"`},
	{`longest("")`, `none`, `greeter.longest("")`, `null`},
	{`longest("één twee drie")`, `some("één")`, `greeter.longest("één twee drie")`, `"één"`},
}

// The stderr lines of the C socket, one per call (through the shared
// wasi:cli/stderr import).
const greeterStderr = "greeter: hello\ngreeter: hello\ngreeter: count\ngreeter: longest\ngreeter: longest\ngreeter: longest\n"

// composeGreeter composes the C socket with the Go plug.
func composeGreeter(t testing.TB) (socket, plug, composed []byte) {
	t.Helper()
	socket, plug = greeterSocket(t), wordsPlug(t)
	res, err := Compose([]Input{{Name: "greeter.wasm", Bytes: socket}, {Name: "words.wasm", Bytes: plug}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings: %q", res.Warnings)
	}
	return socket, plug, res.Component
}

// TestComposeCAndGo links a C component that imports demo:app/words with
// the Go component that exports it, checks the composed world (the WASI
// imports of both merged into one set), and runs it on witgo's engine.
func TestComposeCAndGo(t *testing.T) {
	socket, plug, composed := composeGreeter(t)
	c, err := component.Decode(composed)
	if err != nil {
		t.Fatal(err)
	}
	if err := component.Validate(c); err != nil {
		t.Fatalf("witgo's validator: %v", err)
	}
	imports, exports := worldOf(t, composed)
	if !reflect.DeepEqual(exports, map[string][]string{"test:compose/greeter@0.1.0": {"hello", "count", "longest"}}) {
		t.Errorf("exports = %v", exports)
	}
	// Every import of either component except the linked one, once, with
	// the union of the functions the two import.
	sIm, _ := worldOf(t, socket)
	pIm, _ := worldOf(t, plug)
	want := map[string][]string{}
	shared := 0
	for _, m := range []map[string][]string{sIm, pIm} {
		for name, funcs := range m {
			if _, ok := want[name]; ok {
				shared++
			}
			want[name] = append(want[name], funcs...)
		}
	}
	delete(want, "demo:app/words@0.1.0")
	for name := range want {
		slices.Sort(want[name])
		want[name] = append([]string{}, slices.Compact(want[name])...)
	}
	for name := range imports {
		slices.Sort(imports[name])
	}
	if !reflect.DeepEqual(imports, want) {
		t.Errorf("imports:\n got %v\nwant %v", imports, want)
	}
	if shared < 5 {
		t.Errorf("only %d interfaces are imported by both components; the test means to merge WASI imports", shared)
	}
	t.Logf("%d imports (%d imported by both components), %d bytes", len(imports), shared, len(composed))

	got, stderr := runOnEngine(t, composed, greeterCalls)
	for i, call := range greeterCalls {
		if got[i] != call.waveResult {
			t.Errorf("engine: %s = %s, want %s", call.wave, got[i], call.waveResult)
		}
	}
	if stderr != greeterStderr {
		t.Errorf("engine: stderr = %q, want %q", stderr, greeterStderr)
	}
}

// TestComposeCAndGoUnderJco checks the composed component with jco, an
// independent implementation: it prints the same world as witgo, and
// transpiled to JavaScript it gives the results witgo's engine gives.
func TestComposeCAndGoUnderJco(t *testing.T) {
	if testing.Short() {
		t.Skip("runs node")
	}
	jcoTools(t)
	_, _, composed := composeGreeter(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "composed.wasm"), composed, 0o644); err != nil {
		t.Fatal(err)
	}
	// jco wit and witgo's ComponentWorld print the same world.
	c, err := component.Decode(composed)
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := component.ComponentWorld(c)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := r.PrintPackage(r.Worlds[w].Package)
	if err != nil {
		t.Fatal(err)
	}
	theirs := jco(t, dir, "wit", "composed.wasm")
	if first := strings.SplitAfter(theirs, "}\n")[0]; !strings.HasPrefix(ours, first) {
		t.Errorf("jco wit's world:\n%s\nwitgo's:\n%s", first, ours)
	}
	if printed := jco(t, dir, "print", "composed.wasm"); !strings.Contains(printed, "(component") {
		t.Errorf("jco print: %.200s", printed)
	}

	lines, stderr := runUnderJco(t, composed, "greeter", greeterCalls)
	for i, call := range greeterCalls {
		if lines[i] != call.jsonResult {
			t.Errorf("jco: %s = %s, want %s", call.js, lines[i], call.jsonResult)
		}
	}
	if stderr != greeterStderr {
		t.Errorf("jco: stderr = %q, want %q", stderr, greeterStderr)
	}
}
