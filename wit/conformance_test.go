package wit

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// sharedDir finds shared/<rel...> above the package, or skips the test;
// under WITGO_REQUIRE_TOOLS=1 its absence is a failure. (Package wit keeps
// its own copy of this helper: it imports nothing of the project's.)
func sharedDir(t testing.TB, rel ...string) string {
	t.Helper()
	if p := findShared(rel...); p != "" {
		return p
	}
	if os.Getenv("WITGO_REQUIRE_TOOLS") == "1" {
		t.Fatalf("shared/%s not found (required under WITGO_REQUIRE_TOOLS=1)", filepath.Join(rel...))
	}
	t.Skipf("shared/%s not found; skipping", filepath.Join(rel...))
	return ""
}

// knownImpossible lists conformance cases witgo cannot pass, with why.
var knownImpossible = map[string]string{
	"kinds-of-deps":    "deps/ holds .wasm/.wat encoded packages; decoding them needs the component decoder, which package wit must not import",
	"simple-wasm-text": "the input is a .wat component text file",
}

func loadCase(path string) (*Resolve, PackageID, error) {
	r := NewResolve()
	r.Features["active"] = true
	id, err := r.LoadPath(path)
	return r, id, err
}

// TestConformancePass runs every case of wasm-tools' wit-parser ui tests
// that must resolve and compares the JSON with the reference's.
func TestConformancePass(t *testing.T) {
	dir := sharedDir(t, "conformance", "wit-parser-ui")
	expected, _ := filepath.Glob(filepath.Join(dir, "*.wit.json"))
	passed, failed, skipped := 0, 0, 0
	for _, exp := range expected {
		name := strings.TrimSuffix(filepath.Base(exp), ".wit.json")
		input := filepath.Join(dir, name)
		if _, err := os.Stat(input); err != nil {
			input += ".wit"
			if _, err := os.Stat(input); err != nil {
				if why, ok := knownImpossible[name]; ok {
					skipped++
					t.Logf("skip %s: %s", name, why)
					continue
				}
				t.Errorf("%s: no input found", name)
				failed++
				continue
			}
		}
		if why, ok := knownImpossible[name]; ok {
			skipped++
			t.Logf("skip %s: %s", name, why)
			continue
		}
		ok := t.Run(name, func(t *testing.T) {
			r, _, err := loadCase(input)
			if err != nil {
				t.Fatalf("resolve: %v", err)
			}
			got, err := r.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			want, _ := os.ReadFile(exp)
			var g, w any
			if err := json.Unmarshal(got, &g); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(want, &w); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(g, w) {
				t.Errorf("JSON differs from %s\n%s", exp, firstDiff(string(bytes.TrimSpace(got)), string(bytes.TrimSpace(want))))
			}
		})
		if ok {
			passed++
		} else {
			failed++
		}
	}
	t.Logf("wit-parser-ui pass cases: %d passed, %d failed, %d skipped, %d total", passed, failed, skipped, len(expected))
}

// firstDiff shows the first differing line of two texts, with context.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			lo := max(0, i-8)
			return "line " + strconv.Itoa(i+1) + ":\n--- got\n" + strings.Join(g[lo:min(len(g), i+3)], "\n") + "\n--- want\n" + strings.Join(w[lo:min(len(w), i+3)], "\n")
		}
	}
	return "(texts equal)"
}

var locationRE = regexp.MustCompile(`(?m)(?:-->\s+|^)tests/ui/parse-fail/(\S+?):(\d+):(\d+)`)

// TestConformanceFail runs every parse-fail case: each must be rejected,
// with the error at the position the reference names, if it names one.
func TestConformanceFail(t *testing.T) {
	dir := sharedDir(t, "conformance", "wit-parser-ui", "parse-fail")
	results, _ := filepath.Glob(filepath.Join(dir, "*.wit.result"))
	passed, failed, skipped := 0, 0, 0
	for _, res := range results {
		name := strings.TrimSuffix(filepath.Base(res), ".wit.result")
		input := filepath.Join(dir, name)
		if _, err := os.Stat(input); err != nil {
			input += ".wit"
		}
		if _, err := os.Stat(input); err != nil {
			// A few results in the corpus have no input (stale upstream).
			t.Logf("skip %s: the corpus has no input for it", name)
			skipped++
			continue
		}
		ok := t.Run(name, func(t *testing.T) {
			want, _ := os.ReadFile(res)
			_, _, err := loadCase(input)
			if err == nil {
				t.Fatalf("resolved, but the reference rejects it with:\n%s", want)
			}
			m := locationRE.FindStringSubmatch(string(want))
			if m == nil {
				return
			}
			var e *Error
			if !errors.As(err, &e) || len(e.Diags) == 0 {
				t.Fatalf("error has no position: %v\nwant at %s:%s:%s", err, m[1], m[2], m[3])
			}
			d := e.Diags[0]
			file := filepath.ToSlash(d.Pos.File)
			if !strings.HasSuffix(file, "/"+m[1]) || strconv.Itoa(d.Pos.Line) != m[2] || strconv.Itoa(d.Pos.Column) != m[3] {
				t.Errorf("error at %s:%d:%d, reference at %s:%s:%s\ngot:  %v\nwant: %s", file, d.Pos.Line, d.Pos.Column, m[1], m[2], m[3], err, want)
			}
		})
		if ok {
			passed++
		} else {
			failed++
		}
	}
	t.Logf("wit-parser-ui parse-fail cases: %d passed, %d failed, %d skipped (no input), %d total", passed, failed, skipped, len(results))
}
