package compose

import (
	"reflect"
	"testing"
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
	imports, exports := worldOf(t, composed)
	if _, ok := imports["test:compose/counter@0.1.0"]; ok {
		t.Errorf("the counter is still imported")
	}
	if !reflect.DeepEqual(exports, map[string][]string{"test:compose/tally@0.1.0": {"tally"}}) {
		t.Errorf("exports = %v", exports)
	}
	got, _ := runOnEngine(t, composed, tallyCalls)
	for i, c := range tallyCalls {
		if got[i] != c.waveResult {
			t.Errorf("engine: %s = %s, want %s", c.wave, got[i], c.waveResult)
		}
	}
}

func TestComposeResourceAcrossComponentsUnderJco(t *testing.T) {
	if testing.Short() {
		t.Skip("runs node")
	}
	jcoTools(t)
	got, _ := runUnderJco(t, composeTally(t), "tally", tallyCalls)
	for i, c := range tallyCalls {
		if got[i] != c.jsonResult {
			t.Errorf("jco: %s = %s, want %s", c.js, got[i], c.jsonResult)
		}
	}
}
