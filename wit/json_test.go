package wit

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// witParserUIJSONFiles lists wit-parser's expected *.wit.json files, sorted.
func witParserUIJSONFiles(t testing.TB) []string {
	t.Helper()
	dir := sharedDir(t, "conformance", "wit-parser-ui")
	files, err := filepath.Glob(filepath.Join(dir, "*.wit.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no *.wit.json in %s", dir)
	}
	sort.Strings(files)
	return files
}

func trimExpected(b []byte) string {
	return strings.TrimSpace(strings.ReplaceAll(string(b), "\r\n", "\n"))
}

// TestJSONConformanceRoundTrip decodes every wit-parser expectation and
// encodes it again: the text must come back byte for byte, which checks the
// decoder and the encoder against the reference's own output.
func TestJSONConformanceRoundTrip(t *testing.T) {
	files := witParserUIJSONFiles(t)
	passed := 0
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".wit.json")
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			r, err := UnmarshalResolveJSON(want)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			got, err := r.MarshalJSON()
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if g, w := trimExpected(got), trimExpected(want); g != w {
				t.Fatalf("re-encoded JSON differs from %s at %s", filepath.Base(file), firstLineDiff(g, w))
			}
			passed++
		})
	}
	t.Logf("JSON round trip: %d of %d conformance files identical", passed, len(files))
}

// firstLineDiff describes where two texts first differ, for failure messages.
func firstLineDiff(got, want string) string {
	gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w || i >= len(gl) || i >= len(wl) {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + g + "\nwant: " + w
		}
	}
	return "(no difference)"
}

// TestJSONStringEscaping checks serde_json's escaping: only `"`, `\` and
// control characters, with the short forms serde uses and lowercase \u00xx.
func TestJSONStringEscaping(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain", `"plain"`},
		{`a"b\c`, `"a\"b\\c"`},
		{"\n\r\t\b\f", `"\n\r\t\b\f"`},
		{"\x00\x1f\x7f", `"\u0000\u001f` + "\x7f" + `"`},
		{"snow ☃ and é", `"snow ☃ and é"`},
		{"</script>", `"</script>"`},
		{"bad \xff byte", "\"bad \ufffd byte\""},
	}
	for _, c := range cases {
		e := jsonEncoder{}
		e.str(c.in)
		if got := e.buf.String(); got != c.want {
			t.Errorf("str(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

// TestJSONDocsAndGates builds a small Resolve by hand and checks the keys
// that the conformance corpus exercises least: deprecated gates, docs on
// members, async kinds, empty param names, bare future/stream.
func TestJSONDocsAndGates(t *testing.T) {
	v1, _ := ParseVersion("1.0.0")
	v2, _ := ParseVersion("1.2.0-rc.1")
	r := NewResolve()
	r.Packages = append(r.Packages, &Package{Name: PackageName{Namespace: "a", Name: "b", Version: v1}})
	r.Interfaces = append(r.Interfaces, &Interface{Name: "i", Package: 0,
		Stability: Stability{Kind: Unstable, Feature: "f", Deprecated: v2}})
	r.Packages[0].Interfaces.Set("i", 0)
	r.Types = append(r.Types,
		&TypeDef{Kind: &Future{}, Owner: Owner{}},
		&TypeDef{Name: "e", Kind: &Enum{Cases: []EnumCase{{Name: "x", Docs: "doc\n\"q\""}}},
			Owner: Owner{Kind: OwnerInterface, Interface: 0}, Stability: Stability{Kind: Stable, Since: v1, Deprecated: v2}},
	)
	r.Interfaces[0].Types.Set("e", 1)
	r.Interfaces[0].Functions.Set("f", &Function{Name: "f", Async: true,
		Params: []Param{{Type: Ref(0)}}, Result: Ref(1)})
	got, err := r.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "worlds": [],
  "interfaces": [
    {
      "name": "i",
      "types": {
        "e": 1
      },
      "functions": {
        "f": {
          "name": "f",
          "kind": "async-freestanding",
          "params": [
            {
              "type": 0
            }
          ],
          "result": 1
        }
      },
      "stability": {
        "unstable": {
          "feature": "f",
          "deprecated": "1.2.0-rc.1"
        }
      },
      "package": 0
    }
  ],
  "types": [
    {
      "name": null,
      "kind": {
        "future": null
      },
      "owner": null
    },
    {
      "name": "e",
      "kind": {
        "enum": {
          "cases": [
            {
              "name": "x",
              "docs": {
                "contents": "doc\n\"q\""
              }
            }
          ]
        }
      },
      "owner": {
        "interface": 0
      },
      "stability": {
        "stable": {
          "since": "1.0.0",
          "deprecated": "1.2.0-rc.1"
        }
      }
    }
  ],
  "packages": [
    {
      "name": "a:b@1.0.0",
      "interfaces": {
        "i": 0
      },
      "worlds": {}
    }
  ]
}`
	if string(got) != want {
		t.Fatalf("got\n%s\nwant differs at %s", got, firstLineDiff(string(got), want))
	}
	back, err := UnmarshalResolveJSON(got)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := back.Interfaces[0].Functions.Get("f")
	if !f.Async || f.Kind != Freestanding || f.Params[0].Name != "" {
		t.Errorf("decoded function = %+v", f)
	}
	if s := back.Types[1].Stability; s.Kind != Stable || s.Deprecated.String() != "1.2.0-rc.1" {
		t.Errorf("decoded stability = %+v", s)
	}
}

// TestUnmarshalResolveJSONErrors feeds malformed documents: each must be an
// error naming the problem, never a panic or a silently wrong Resolve.
func TestUnmarshalResolveJSONErrors(t *testing.T) {
	const empty = `"worlds":[],"interfaces":[],"packages":[]`
	cases := []struct{ name, in, want string }{
		{"not json", `{`, "unexpected end"},
		{"trailing", `{"worlds":[],"interfaces":[],"types":[],"packages":[]} 1`, "after the top-level"},
		{"missing key", `{"worlds":[],"interfaces":[],"types":[]}`, `missing key "packages"`},
		{"unknown key", `{"worlds":[],"interfaces":[],"types":[],"packages":[],"x":1}`, `unknown key "x"`},
		{"type out of range", `{` + empty + `,"types":[{"name":null,"kind":{"list":0},"owner":null}]}`, "out of range"},
		{"forward type ref", `{` + empty + `,"types":[{"name":null,"kind":{"list":1},"owner":null},{"name":null,"kind":"resource","owner":null}]}`, "out of range"},
		{"negative index", `{` + empty + `,"types":[{"name":null,"kind":{"option":-1},"owner":null}]}`, "invalid type index"},
		{"fractional index", `{` + empty + `,"types":[{"name":null,"kind":{"option":0.5},"owner":null}]}`, "invalid type index"},
		{"bad primitive", `{` + empty + `,"types":[{"name":null,"kind":{"option":"u128"},"owner":null}]}`, "unknown primitive"},
		{"owner out of range", `{` + empty + `,"types":[{"name":"t","kind":{"type":"u8"},"owner":{"interface":3}}]}`, "out of range"},
		{"bad kind tag", `{` + empty + `,"types":[{"name":null,"kind":{"box":"u8"},"owner":null}]}`, `unknown key "box"`},
		{"map arity", `{` + empty + `,"types":[{"name":null,"kind":{"map":["u8"]},"owner":null}]}`, "expected 2 elements"},
		{"duplicate key", `{"worlds":[],"worlds":[],"interfaces":[],"types":[],"packages":[]}`, "duplicate key"},
		{"bad package name", `{"worlds":[],"interfaces":[],"types":[],"packages":[{"name":"nocolon","interfaces":{},"worlds":{}}]}`, "not of the form"},
		{"bad version", `{"worlds":[],"interfaces":[],"types":[],"packages":[{"name":"a:b@1.0","interfaces":{},"worlds":{}}]}`, "major.minor.patch"},
		{"duplicate package", `{"worlds":[],"interfaces":[],"types":[],"packages":[{"name":"a:b","interfaces":{},"worlds":{}},{"name":"a:b","interfaces":{},"worlds":{}}]}`, "duplicate package"},
		{"world key mismatch", `{"worlds":[{"name":"w","imports":{"interface-0":{"type":0}},"exports":{},"package":null}],"interfaces":[{"name":"i","types":{},"functions":{},"package":null}],"types":[{"name":null,"kind":"resource","owner":null}],"packages":[]}`, "not that interface"},
		{"world key range", `{"worlds":[{"name":"w","imports":{"interface-7":{"interface":{"id":7}}},"exports":{},"package":null}],"interfaces":[],"types":[],"packages":[]}`, "out of range"},
		{"async constructor", `{"worlds":[],"interfaces":[{"name":"i","types":{},"functions":{"f":{"name":"f","kind":{"async-constructor":0},"params":[]}},"package":null}],"types":[{"name":"r","kind":"resource","owner":null}],"packages":[]}`, `unknown key "async-constructor"`},
		{"wrong value type", `{"worlds":{},"interfaces":[],"types":[],"packages":[]}`, "expected an array"},
		{"stability both", `{` + empty + `,"types":[{"name":"t","kind":"resource","owner":null,"stability":{"stable":{"since":"1.0.0"},"unstable":{"feature":"x"}}}]}`, "one key"},
		{"since missing", `{` + empty + `,"types":[{"name":"t","kind":"resource","owner":null,"stability":{"stable":{}}}]}`, `missing key "since"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := UnmarshalResolveJSON([]byte(c.in))
			if err == nil {
				t.Fatalf("no error; decoded %+v", r)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q does not mention %q", err, c.want)
			}
		})
	}
}

// TestMarshalJSONRejectsUnencodable: the model can say things the JSON form
// cannot (an async constructor); that is an error, not wrong output.
func TestMarshalJSONRejectsUnencodable(t *testing.T) {
	r := NewResolve()
	r.Types = append(r.Types, &TypeDef{Name: "r", Kind: &Resource{}})
	r.Interfaces = append(r.Interfaces, &Interface{Name: "i", Package: NoPackage})
	r.Interfaces[0].Functions.Set("[constructor]r", &Function{Name: "[constructor]r", Kind: Constructor, Async: true})
	if _, err := r.MarshalJSON(); err == nil || !strings.Contains(err.Error(), "no JSON kind") {
		t.Fatalf("err = %v, want an error about the function kind", err)
	}
}

// FuzzUnmarshalResolveJSON: decoding never panics, whatever decodes encodes
// and decodes again to the same text, and printing it as WIT never panics
// (it may refuse what WIT cannot express) and is deterministic.
func FuzzUnmarshalResolveJSON(f *testing.F) {
	for _, file := range witParserUIJSONFiles(f) {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := UnmarshalResolveJSON(b)
		if err != nil {
			return
		}
		for id := range r.Packages {
			s1, err1 := r.PrintPackages(PackageID(id), r.PackageDeps(PackageID(id)))
			s2, err2 := r.PrintPackages(PackageID(id), r.PackageDeps(PackageID(id)))
			if s1 != s2 || (err1 == nil) != (err2 == nil) {
				t.Fatalf("printing package %d is not deterministic", id)
			}
		}
		once, err := r.MarshalJSON()
		if err != nil {
			return // e.g. a missing type where the model needs one
		}
		r2, err := UnmarshalResolveJSON(once)
		if err != nil {
			t.Fatalf("re-decoding our own output: %v\n%s", err, once)
		}
		twice, err := r2.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(once, twice) {
			t.Fatalf("encoding is not stable:\n%s\n---\n%s", once, twice)
		}
	})
}

func BenchmarkMarshalJSON(b *testing.B) {
	for _, c := range largestWitParserUICases(b, 3) {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.r.MarshalJSON(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkUnmarshalResolveJSON(b *testing.B) {
	for _, c := range largestWitParserUICases(b, 3) {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := UnmarshalResolveJSON(c.data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchCase is a decoded conformance expectation.
type benchCase struct {
	name string
	data []byte
	r    *Resolve
}

// largestWitParserUICases returns the n biggest wit-parser expectations
// (world elaboration, WASI-size docs, every type form), decoded.
func largestWitParserUICases(b testing.TB, n int) []benchCase {
	files := witParserUIJSONFiles(b)
	size := func(f string) int64 {
		st, err := os.Stat(f)
		if err != nil {
			b.Fatal(err)
		}
		return st.Size()
	}
	sort.Slice(files, func(i, j int) bool { return size(files[i]) > size(files[j]) })
	var cases []benchCase
	for _, f := range files[:min(n, len(files))] {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		r, err := UnmarshalResolveJSON(data)
		if err != nil {
			b.Fatal(err)
		}
		cases = append(cases, benchCase{strings.TrimSuffix(filepath.Base(f), ".wit.json"), data, r})
	}
	return cases
}
