package compose

import (
	"reflect"
	"strings"
	"testing"
)

// The C socket, the Rust plug (which imports demo:app/words and exports
// it again, shouting the greetings) and the Go plug: a call goes C ->
// Rust -> Go and back. The socket's import is satisfied by the first
// plug after it that exports words (Rust), Rust's by the plug after it
// (Go).
var chainCalls = []call{
	{`hello("Ann")`, `"C says: HELLO, ANN!"`, `greeter.hello("Ann")`, `"C says: HELLO, ANN!"`},
	{`count("the quick brown fox")`, `4`, `greeter.count("the quick brown fox")`, `4`},
	{`longest("the quick brown fox")`, `some("quick")`, `greeter.longest("the quick brown fox")`, `"quick"`},
	{`longest("")`, `none`, `greeter.longest("")`, `null`},
}

func composeChain(t testing.TB) []byte {
	t.Helper()
	res, err := Compose([]Input{{Name: "greeter.wasm", Bytes: greeterSocket(t)},
		{Name: "shouter.wasm", Bytes: shouterPlug(t)}, {Name: "words.wasm", Bytes: wordsPlug(t)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings: %q", res.Warnings)
	}
	return res.Component
}

func TestComposeThreeLanguages(t *testing.T) {
	composed := composeChain(t)
	if n := nestedCount(t, composed); n != 3 {
		t.Errorf("%d nested components, want 3", n)
	}
	imports, exports := worldOf(t, composed)
	if _, ok := imports["demo:app/words@0.1.0"]; ok {
		t.Error("demo:app/words is still imported")
	}
	if !reflect.DeepEqual(exports, map[string][]string{"test:compose/greeter@0.1.0": {"hello", "count", "longest"}}) {
		t.Errorf("exports = %v", exports)
	}
	got, _ := runOnEngine(t, composed, chainCalls)
	for i, c := range chainCalls {
		if got[i] != c.waveResult {
			t.Errorf("engine: %s = %s, want %s", c.wave, got[i], c.waveResult)
		}
	}

	// With the Go plug first, it satisfies the socket directly and the
	// Rust plug is left out.
	res, err := Compose([]Input{{Name: "greeter.wasm", Bytes: greeterSocket(t)},
		{Name: "words.wasm", Bytes: wordsPlug(t)}, {Name: "shouter.wasm", Bytes: shouterPlug(t)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "shouter.wasm is not used") {
		t.Errorf("warnings = %q", res.Warnings)
	}
	if n := nestedCount(t, res.Component); n != 2 {
		t.Errorf("%d nested components, want 2", n)
	}
}

func TestComposeThreeLanguagesUnderJco(t *testing.T) {
	if testing.Short() {
		t.Skip("runs node")
	}
	jcoTools(t)
	got, _ := runUnderJco(t, composeChain(t), "greeter", chainCalls)
	for i, c := range chainCalls {
		if got[i] != c.jsonResult {
			t.Errorf("jco: %s = %s, want %s", c.js, got[i], c.jsonResult)
		}
	}
}
