package compose

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/witgo/witgo/canonabi"
)

// The tally socket (C) creates a counter, a resource the Go plug exports,
// calls its method through borrowed handles and drops it: own and borrow
// handles of a resource defined by one component cross into another.
var tallyCalls = []call{
	{`tally(10, [1, 2, 3])`, `16`, `tally.tally(10, new Uint32Array([1, 2, 3]))`, `16`},
	{`tally(7, [])`, `7`, `tally.tally(7, new Uint32Array([]))`, `7`},
	{`tally(4294967295, [1])`, `0`, `tally.tally(4294967295, new Uint32Array([1]))`, `0`},
	{`tally(0, [5, 5, 5, 5, 5, 5, 5, 5])`, `40`, `tally.tally(0, new Uint32Array([5, 5, 5, 5, 5, 5, 5, 5]))`, `40`},
}

// Under jco the counter open returns is an object of the re-exported
// interface's class.
var tallyJcoCalls = append(tallyCalls[:len(tallyCalls):len(tallyCalls)],
	call{js: `(() => { const c = tally.open(5); c.add(3); return c.add(4); })()`, jsonResult: `12`},
	call{js: `tally.open(1) instanceof counter.Counter`, jsonResult: `true`})

func composeTally(t testing.TB) []byte {
	t.Helper()
	res, err := Compose([]Input{{Name: "tally.wasm", Bytes: tallySocket(t)}, {Name: "counter.wasm", Bytes: counterPlug(t)}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Component
}

func TestComposeResourceAcrossComponents(t *testing.T) {
	composed := composeTally(t)
	// open returns the plug's counter, so its interface is re-exported
	// (without a type ascription; towit_test.go checks the world witgo
	// prints for it against jco's). The imports are the Go plug's WASI.
	imports, exports := topLevelNames(t, composed)
	if want := []string{"test:compose/counter@0.1.0", "test:compose/tally@0.1.0"}; !reflect.DeepEqual(exports, want) {
		t.Errorf("exports %q, want %q", exports, want)
	}
	plugImports, _ := worldOf(t, counterPlug(t))
	if len(imports) != len(plugImports) {
		t.Errorf("imports %q, want the Go plug's %v", imports, plugImports)
	}
	for _, name := range imports {
		if _, ok := plugImports[name]; !ok {
			t.Errorf("import %s is not one of the Go plug's", name)
		}
	}
	got, _ := runOnEngine(t, composed, tallyCalls)
	for i, c := range tallyCalls {
		if got[i] != c.waveResult {
			t.Errorf("engine: %s = %s, want %s", c.wave, got[i], c.waveResult)
		}
	}
	// A counter made by the Go plug, handed out by the C socket, used
	// through the re-exported interface: open(5), add(3), add(4) = 12.
	ctx := context.Background()
	inst := engineInstance(t, composed, io.Discard)
	h, err := inst.Call(ctx, "open", canonabi.U32Value(5))
	if err != nil || h.Kind() != canonabi.KindOwn {
		t.Fatalf("open(5) = %v, %v; want an own handle", h, err)
	}
	add := "test:compose/counter@0.1.0#[method]counter.add"
	borrowed := canonabi.HandleValue(canonabi.KindBorrow, h.Handle())
	for _, step := range []struct{ n, total uint32 }{{3, 8}, {4, 12}} {
		got, err := inst.Call(ctx, add, borrowed, canonabi.U32Value(step.n))
		if err != nil || got.Uint() != uint64(step.total) {
			t.Errorf("add(%d) = %v, %v; want %d", step.n, got, err, step.total)
		}
	}
	if err := inst.DropResource(ctx, h.Handle()); err != nil {
		t.Errorf("dropping the counter: %v", err)
	}
}

func TestComposeResourceAcrossComponentsUnderJco(t *testing.T) {
	if testing.Short() {
		t.Skip("runs node")
	}
	jcoTools(t)
	composed := composeTally(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "composed.wasm"), composed, 0o644); err != nil {
		t.Fatal(err)
	}
	world := strings.SplitAfter(jco(t, dir, "wit", "composed.wasm"), "}\n")[0]
	const wantExports = "\n  export test:compose/counter@0.1.0;\n  export test:compose/tally@0.1.0;\n}\n"
	if !strings.HasSuffix(world, wantExports) || strings.Contains(world, "import test:compose") {
		t.Errorf("jco wit:\n%s\nwant it to end with%s", world, wantExports)
	}
	got, _ := runUnderJco(t, composed, "tally, counter", tallyJcoCalls)
	for i, c := range tallyJcoCalls {
		if got[i] != c.jsonResult {
			t.Errorf("jco: %s = %s, want %s", c.js, got[i], c.jsonResult)
		}
	}
}
