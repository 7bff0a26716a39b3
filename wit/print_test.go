package wit

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata/print")

// printGoldens are the conformance cases whose printed WIT is kept under
// testdata/print: one per feature the printer has to get right. Each golden
// was checked by hand against the case's own .wit source.
var printGoldens = []string{
	"async",                       // async funcs, async methods and statics
	"comments",                    // docs from every comment form
	"foreign-deps",                // fully qualified foreign paths, nested deps
	"maps",                        // map<K, V>, docs
	"packages-multiple-nested",    // nested packages, inline interfaces with use
	"resources",                   // constructors (infallible and fallible), handles
	"since-and-unstable",          // gates, deprecation, world items
	"streams-and-futures",         // future/stream with and without payloads
	"types",                       // every type expression and keyword escapes
	"use",                         // use grouping and renames
	"world-top-level-resources",   // resources used across interfaces
	"kebab-name-include-with",     // flattened includes with renames
	"name-both-resource-and-type", // a use'd resource and an own<> alias
}

// topPackages are the packages no other package depends on: what a WIT
// file's root package can be.
func topPackages(r *Resolve) []PackageID {
	used := map[PackageID]bool{}
	for id := range r.Packages {
		for _, dep := range r.PackageDeps(PackageID(id)) {
			used[dep] = true
		}
	}
	var tops []PackageID
	for id := range r.Packages {
		if !used[PackageID(id)] {
			tops = append(tops, PackageID(id))
		}
	}
	return tops
}

// printSelfContained prints each top package with its dependencies nested.
func printSelfContained(t *testing.T, r *Resolve) string {
	t.Helper()
	var parts []string
	for _, top := range topPackages(r) {
		s, err := r.PrintPackages(top, r.PackageDeps(top))
		if err != nil {
			t.Fatalf("print package %s: %v", r.Packages[top].Name, err)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "\n// ----\n\n")
}

// TestPrintConformance prints every package of every decoded wit-parser
// expectation: no errors, the same text twice, and the goldens match.
func TestPrintConformance(t *testing.T) {
	golden := map[string]bool{}
	for _, g := range printGoldens {
		golden[g] = true
	}
	files := witParserUIJSONFiles(t)
	printed, goldens := 0, 0
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".wit.json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			r, err := UnmarshalResolveJSON(data)
			if err != nil {
				t.Fatal(err)
			}
			for id := range r.Packages {
				one, err := r.PrintPackage(PackageID(id))
				if err != nil {
					t.Fatalf("package %s: %v", r.Packages[id].Name, err)
				}
				again, _ := r.PrintPackage(PackageID(id))
				if one != again {
					t.Fatalf("package %s prints differently twice", r.Packages[id].Name)
				}
				if want := "package " + r.Packages[id].Name.String() + ";"; !strings.Contains(strings.ReplaceAll(one, "%", ""), "\n"+want+"\n") && !strings.HasPrefix(strings.ReplaceAll(one, "%", ""), want+"\n") {
					t.Fatalf("package %s: no %q line in\n%s", r.Packages[id].Name, want, one)
				}
				printed++
			}
			text := printSelfContained(t, r)
			if !golden[name] {
				return
			}
			goldens++
			path := filepath.Join("testdata", "print", name+".wit")
			if *updateGolden {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if text != string(want) {
				t.Fatalf("printed WIT differs from %s at %s", path, firstLineDiff(text, string(want)))
			}
		})
	}
	t.Logf("printed %d packages from %d conformance files; %d golden files compared", printed, len(files), goldens)
}

// conformanceInputs maps each wit-parser ui case to its input: a .wit file
// or a package directory. Cases whose input is a component (.wat) are left
// out: the parser reads WIT text only.
func conformanceInputs(t testing.TB) map[string]string {
	t.Helper()
	dir := sharedDir(t, "conformance", "wit-parser-ui")
	inputs := map[string]string{}
	for _, file := range witParserUIJSONFiles(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".wit.json")
		for _, candidate := range []string{filepath.Join(dir, name+".wit"), filepath.Join(dir, name)} {
			if _, err := os.Stat(candidate); err == nil {
				inputs[name] = candidate
				break
			}
		}
	}
	return inputs
}

// loadForRoundTrip reads a conformance input as wit-parser's tests do (with
// the "active" feature on). It reports notYet while the parser is a stub.
func loadForRoundTrip(path string) (r *Resolve, root PackageID, notYet bool, err error) {
	return loadForRoundTripWith(path, false)
}

// loadForRoundTripWith can also enable every feature, so that nothing is
// gated out.
func loadForRoundTripWith(path string, allFeatures bool) (r *Resolve, root PackageID, notYet bool, err error) {
	r = NewResolve()
	r.Features["active"] = true
	r.AllFeatures = allFeatures
	root, err = r.LoadPath(path)
	if err != nil && strings.Contains(err.Error(), " yet") &&
		(strings.Contains(err.Error(), "not implemented") || strings.Contains(err.Error(), "not supported")) {
		return nil, 0, true, err
	}
	return r, root, false, err
}

// gatedOut marks the cases where an item gated out still shaped the Resolve:
// it made its package depend on another one (fixing the package order), or
// left the anonymous types of its signature behind. No printed text has
// the item, so these are compared with every feature enabled instead.
const gatedOut = "a gated-out item shaped the Resolve"

// roundTripKeepsIndicesNot lists the cases whose Resolve cannot come back
// index for index from printed WIT, and why. They must still reach a
// fixpoint (print, parse, print gives the same text).
var roundTripKeepsIndicesNot = map[string]string{
	"unstable-resource": gatedOut,
	// The root includes another package's world whose only import is
	// gated out; flattened, the root no longer depends on that package,
	// which changes the package order.
	"foreign-interface-dep-gated": "flattened include of a foreign world drops a package dependency",
	"foreign-world-dep-gated":     "flattened include of a foreign world drops a package dependency",
	// `include a with { r as s }` clones a's types in a's order; printed
	// flattened, b declares its own resource and its handles come in
	// parse order instead.
	"with-resource-as": "flattened include allocates handles in another order",
}

// printWithAllPackages prints root with every other package of r nested,
// sorted by name so the text does not depend on arena order.
func printWithAllPackages(r *Resolve, root PackageID) (string, error) {
	var others []PackageID
	for id := range r.Packages {
		if PackageID(id) != root {
			others = append(others, PackageID(id))
		}
	}
	sort.Slice(others, func(i, j int) bool {
		return r.Packages[others[i]].Name.String() < r.Packages[others[j]].Name.String()
	})
	return r.PrintPackages(root, others)
}

// checkPrintRoundTrip prints r (root plus every other package nested),
// re-parses the text, and fails t unless printing the result gives the same
// text and, when compareJSON is set, the same Resolve as JSON.
func checkPrintRoundTrip(t *testing.T, name string, r *Resolve, root PackageID, compareJSON bool) {
	t.Helper()
	text, err := printWithAllPackages(r, root)
	if err != nil {
		t.Fatalf("print: %v", err)
	}
	r2 := NewResolve()
	r2.AllFeatures = r.AllFeatures
	for f, on := range r.Features {
		r2.Features[f] = on
	}
	root2, err := r2.AddSource(name+".printed.wit", []byte(text))
	if err != nil {
		t.Fatalf("re-parse printed WIT: %v\n%s", err, text)
	}
	text2, err := printWithAllPackages(r2, root2)
	if err != nil {
		t.Fatalf("print the re-parsed Resolve: %v", err)
	}
	if text2 != text {
		t.Fatalf("printing is not a fixpoint at %s\n%s", firstLineDiff(text2, text), text)
	}
	if !compareJSON {
		return
	}
	j1, err1 := r.MarshalJSON()
	j2, err2 := r2.MarshalJSON()
	if err1 != nil || err2 != nil {
		t.Fatalf("encode: %v / %v", err1, err2)
	}
	if string(j1) != string(j2) {
		t.Fatalf("re-parsed printed WIT gives a different Resolve at %s\nprinted:\n%s", firstLineDiff(string(j2), string(j1)), text)
	}
}

// TestPrintParseRoundTrip parses each conformance input, prints it as one
// self-contained file (the root package with every other package nested),
// parses that, and checks that printing again gives the same text and that
// both Resolves encode to the same JSON. It skips while the parser cannot
// read the input yet.
func TestPrintParseRoundTrip(t *testing.T) {
	inputs := conformanceInputs(t)
	if len(inputs) == 0 {
		t.Fatal("no conformance inputs found")
	}
	names := make([]string, 0, len(inputs))
	for name := range inputs {
		names = append(names, name)
	}
	sort.Strings(names)
	identical, fixpointOnly, ran := 0, 0, 0
	for _, name := range names {
		path := inputs[name]
		t.Run(name, func(t *testing.T) {
			r, root, notYet, err := loadForRoundTrip(path)
			if notYet {
				t.Skipf("parser cannot read this yet: %v", err)
			}
			ran++
			if err != nil {
				t.Fatalf("parse %s: %v", path, err)
			}
			why, excused := roundTripKeepsIndicesNot[name]
			checkPrintRoundTrip(t, name, r, root, !excused) // stops the subtest on failure
			if why == gatedOut {
				r, root, _, err = loadForRoundTripWith(path, true)
				if err != nil {
					t.Fatalf("parse %s with every feature: %v", path, err)
				}
				checkPrintRoundTrip(t, name, r, root, true)
				identical++
				return
			}
			if excused {
				fixpointOnly++
				t.Logf("JSON not compared: %s", why)
				return
			}
			identical++
		})
	}
	t.Logf("parse → print → parse: %d of %d inputs parsed; %d give identical JSON, %d more (excused from JSON) reach a print fixpoint",
		ran, len(inputs), identical, fixpointOnly)
}

func BenchmarkPrint(b *testing.B) {
	for _, c := range largestWitParserUICases(b, 3) {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			size := 0
			for b.Loop() {
				size = 0
				for id := range c.r.Packages {
					s, err := c.r.PrintPackage(PackageID(id))
					if err != nil {
						b.Fatal(err)
					}
					size += len(s)
				}
			}
			b.SetBytes(int64(size))
		})
	}
}
