package canonabi

import (
	"github.com/witgo/witgo/internal/testshared"
	"sort"
	"strings"
	"testing"

	"github.com/witgo/witgo/wit"
)

// exampleWorld builds, by hand, the world of BuildTargets.md "Example":
//
//	package ns:pkg@0.2.1;
//	interface i { resource r { constructor(s: string); m: func() -> string; } frob: func(in: r) -> r; }
//	world w {
//	  import f: func() -> string; import i; import j: interface { ...same as i... };
//	  export g: func() -> string; export i; export j: interface { ...same as i... };
//	}
func exampleWorld(t testing.TB) (*builder, wit.WorldID) {
	b := newBuilder()
	r := b.r
	v, _ := wit.ParseVersion("0.2.1")
	r.Packages = append(r.Packages, &wit.Package{Name: wit.PackageName{Namespace: "ns", Name: "pkg", Version: v}})
	r.PackageNames["ns:pkg@0.2.1"] = 0
	mkIface := func(name string) wit.InterfaceID {
		id := wit.InterfaceID(len(r.Interfaces))
		iface := &wit.Interface{Name: name, Package: 0}
		r.Interfaces = append(r.Interfaces, iface)
		res := b.resource("r")
		r.Types[res].Owner = wit.Owner{Kind: wit.OwnerInterface, Interface: id}
		iface.Types.Set("r", res)
		own, borrow := b.own(res), b.borrow(res)
		iface.Functions.Set("[constructor]r", &wit.Function{Name: "[constructor]r", Kind: wit.Constructor,
			Resource: res, Params: []wit.Param{{Name: "s", Type: wit.String}}, Result: own})
		iface.Functions.Set("[method]r.m", &wit.Function{Name: "[method]r.m", Kind: wit.Method,
			Resource: res, Params: []wit.Param{{Name: "self", Type: borrow}}, Result: wit.String})
		iface.Functions.Set("frob", &wit.Function{Name: "frob", Params: []wit.Param{{Name: "in", Type: own}}, Result: own})
		if name != "" {
			r.Packages[0].Interfaces.Set(name, id)
		}
		return id
	}
	i, jIn, jOut := mkIface("i"), mkIface(""), mkIface("")
	w := &wit.World{Name: "w", Package: 0}
	w.Imports.Set(wit.NameKey("f"), &wit.WorldItem{Kind: wit.ItemFunction, Function: fn("f", wit.String)})
	w.Imports.Set(wit.InterfaceKey(i), &wit.WorldItem{Kind: wit.ItemInterface, Interface: i})
	w.Imports.Set(wit.NameKey("j"), &wit.WorldItem{Kind: wit.ItemInterface, Interface: jIn})
	w.Exports.Set(wit.NameKey("g"), &wit.WorldItem{Kind: wit.ItemFunction, Function: fn("g", wit.String)})
	w.Exports.Set(wit.InterfaceKey(i), &wit.WorldItem{Kind: wit.ItemInterface, Interface: i})
	w.Exports.Set(wit.NameKey("j"), &wit.WorldItem{Kind: wit.ItemInterface, Interface: jOut})
	r.Worlds = append(r.Worlds, w)
	r.Packages[0].Worlds.Set("w", 0)
	return b, 0
}

func nameList(n *Names) []string {
	var out []string
	for _, c := range n.Items {
		out = append(out, c.String())
	}
	sort.Strings(out)
	return out
}

// The cm32p2 names are exactly those of the BuildTargets.md example, plus
// `_post` exports for every export (which a module may or may not define).
func TestNamesCM32P2Example(t *testing.T) {
	b, w := exampleWorld(t)
	n, err := New(b.r).Names(w, CM32P2)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`import "cm32p2" "f"`,
		`import "cm32p2|ns:pkg/i@0.2" "[constructor]r"`, `import "cm32p2|ns:pkg/i@0.2" "[method]r.m"`,
		`import "cm32p2|ns:pkg/i@0.2" "frob"`, `import "cm32p2|ns:pkg/i@0.2" "r_drop"`,
		`import "cm32p2|j" "[constructor]r"`, `import "cm32p2|j" "[method]r.m"`, `import "cm32p2|j" "frob"`, `import "cm32p2|j" "r_drop"`,
		`import "cm32p2|_ex_ns:pkg/i@0.2" "r_drop"`, `import "cm32p2|_ex_ns:pkg/i@0.2" "r_new"`, `import "cm32p2|_ex_ns:pkg/i@0.2" "r_rep"`,
		`import "cm32p2|_ex_j" "r_drop"`, `import "cm32p2|_ex_j" "r_new"`, `import "cm32p2|_ex_j" "r_rep"`,
		`export "cm32p2||g"`, `export "cm32p2||g_post"`,
		`export "cm32p2|ns:pkg/i@0.2|[constructor]r"`, `export "cm32p2|ns:pkg/i@0.2|[constructor]r_post"`,
		`export "cm32p2|ns:pkg/i@0.2|[method]r.m"`, `export "cm32p2|ns:pkg/i@0.2|[method]r.m_post"`,
		`export "cm32p2|ns:pkg/i@0.2|frob"`, `export "cm32p2|ns:pkg/i@0.2|frob_post"`, `export "cm32p2|ns:pkg/i@0.2|r_dtor"`,
		`export "cm32p2|j|[constructor]r"`, `export "cm32p2|j|[constructor]r_post"`,
		`export "cm32p2|j|[method]r.m"`, `export "cm32p2|j|[method]r.m_post"`,
		`export "cm32p2|j|frob"`, `export "cm32p2|j|frob_post"`, `export "cm32p2|j|r_dtor"`,
		`export "cm32p2_memory"`, `export "cm32p2_realloc"`, `export "cm32p2_initialize"`,
	}
	sort.Strings(want)
	if got := nameList(n); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("names:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	checkRoundTrip(t, n)
}

// The legacy names follow what wit-bindgen emits for the same world.
func TestNamesLegacyExample(t *testing.T) {
	b, w := exampleWorld(t)
	n, err := New(b.r).Names(w, Legacy)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`import "$root" "f"`,
		`import "ns:pkg/i@0.2.1" "[constructor]r"`, `import "ns:pkg/i@0.2.1" "[method]r.m"`,
		`import "ns:pkg/i@0.2.1" "frob"`, `import "ns:pkg/i@0.2.1" "[resource-drop]r"`,
		`import "j" "[constructor]r"`, `import "j" "[method]r.m"`, `import "j" "frob"`, `import "j" "[resource-drop]r"`,
		`import "[export]ns:pkg/i@0.2.1" "[resource-drop]r"`, `import "[export]ns:pkg/i@0.2.1" "[resource-new]r"`,
		`import "[export]ns:pkg/i@0.2.1" "[resource-rep]r"`,
		`import "[export]j" "[resource-drop]r"`, `import "[export]j" "[resource-new]r"`, `import "[export]j" "[resource-rep]r"`,
		`export "g"`, `export "cabi_post_g"`,
		`export "ns:pkg/i@0.2.1#[constructor]r"`, `export "cabi_post_ns:pkg/i@0.2.1#[constructor]r"`,
		`export "ns:pkg/i@0.2.1#[method]r.m"`, `export "cabi_post_ns:pkg/i@0.2.1#[method]r.m"`,
		`export "ns:pkg/i@0.2.1#frob"`, `export "cabi_post_ns:pkg/i@0.2.1#frob"`, `export "ns:pkg/i@0.2.1#[dtor]r"`,
		`export "j#[constructor]r"`, `export "cabi_post_j#[constructor]r"`,
		`export "j#[method]r.m"`, `export "cabi_post_j#[method]r.m"`,
		`export "j#frob"`, `export "cabi_post_j#frob"`, `export "j#[dtor]r"`,
		`export "memory"`, `export "cabi_realloc"`, `export "_initialize"`,
	}
	sort.Strings(want)
	if got := nameList(n); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("names:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	checkRoundTrip(t, n)
	for _, bad := range [][2]string{{"ns:pkg/i@0.2.1", "nope"}, {"wasi:nope/x", "f"}, {"$root", "g"}} {
		if _, err := n.ParseImport(bad[0], bad[1]); err == nil || !strings.Contains(err.Error(), bad[1]) {
			t.Errorf("ParseImport(%q, %q): %v", bad[0], bad[1], err)
		}
	}
	for _, bad := range []string{"ns:pkg/i@0.2.1#nope", "f", "cabi_post_nope", ""} {
		if _, err := n.ParseExport(bad); err == nil {
			t.Errorf("ParseExport(%q) matched", bad)
		}
	}
	// Lookups by function.
	f := b.r.Worlds[w].Imports.Keys()
	item, _ := b.r.Worlds[w].Imports.Get(f[0])
	if c, ok := n.Func(false, item.Function); !ok || c.Module != "$root" || c.Field != "f" {
		t.Errorf("Func(f) = %+v", c)
	}
}

// checkRoundTrip parses every name back and expects the same item.
func checkRoundTrip(t *testing.T, n *Names) {
	t.Helper()
	for i := range n.Items {
		c := &n.Items[i]
		var got *CoreName
		var err error
		if c.Import {
			got, err = n.ParseImport(c.Module, c.Field)
		} else {
			got, err = n.ParseExport(c.Field)
		}
		if err != nil || got != c {
			t.Errorf("%s does not parse back to itself: %v", c, err)
		}
	}
}

func TestCanonicalVersion(t *testing.T) {
	// The table of BuildTargets.md, Interface Name Canonicalization.
	for in, want := range map[string]string{
		"1.2.3+alpha": "1", "0.1.2+alpha": "0.1", "0.0.1+alpha": "0.0.1", "1.2.3-nightly+alpha": "1.2.3-nightly",
	} {
		v, err := wit.ParseVersion(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := canonicalVersion(v); got != want {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
}

// loadWASI resolves a WASI wit directory, skipping while the parser is not
// written yet.
func loadWASI(t testing.TB, version string) *wit.Resolve {
	t.Helper()
	dir := sharedDir(t, "reference", "wasi", version, "wit")
	r := wit.NewResolve()
	if _, err := r.LoadPath(dir); err != nil {
		if strings.Contains(err.Error(), "not implemented yet") {
			t.Skipf("wit.LoadPath: %v", err)
		}
		t.Fatal(err)
	}
	return r
}

// Every core name of every WASI 0.2 world, in both schemes, parses back to
// the item it was made from; every item kind occurs.
func TestNamesWASI(t *testing.T) {
	for _, version := range []string{"0.2.0", "0.2.12"} {
		t.Run(version, func(t *testing.T) {
			r := loadWASI(t, version)
			a := New(r)
			kinds := map[NameKind]int{}
			total := 0
			for w := range r.Worlds {
				for _, scheme := range []Scheme{Legacy, CM32P2} {
					n, err := a.Names(wit.WorldID(w), scheme)
					if err != nil {
						t.Fatalf("world %s: %v", r.Worlds[w].Name, err)
					}
					checkRoundTrip(t, n)
					for _, c := range n.Items {
						kinds[c.Kind]++
						if c.Kind == NameFunc {
							dir := Lower
							if c.Exported {
								dir = Lift
							}
							if _, err := a.Plan(c.Function, dir); err != nil {
								t.Errorf("%s: %v", c.String(), err)
							}
						}
					}
					total += len(n.Items)
				}
				if _, err := a.Summary(wit.WorldID(w)); err != nil {
					t.Errorf("summary of %s: %v", r.Worlds[w].Name, err)
				}
			}
			for _, k := range []NameKind{NameFunc, NamePostReturn, NameResourceDrop, NameRealloc, NameMemory, NameInitialize} {
				if kinds[k] == 0 {
					t.Errorf("no %s names in WASI %s", k, version)
				}
			}
			t.Logf("WASI %s: %d worlds, %d core names, by kind %v", version, len(r.Worlds), total, kinds)
		})
	}
}

func TestSummary(t *testing.T) {
	b, w := exampleWorld(t)
	text, err := New(b.r).Summary(w)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"world w\n",
		"import func f\n  func f: import \"$root\" \"f\" lower (func (param i32))\n    return area size=8 align=4; needs realloc\n",
		"import interface ns:pkg/i@0.2.1\n  type r: resource (own handle) size=4 align=4 flat (i32)\n",
		"  func [method]r.m: import \"ns:pkg/i@0.2.1\" \"[method]r.m\" lower (func (param i32 i32))\n",
		"export func g\n  func g: export \"g\" lift (func (result i32))\n    returns pointer to size=8 align=4; post-return cabi_post_g\n",
		"  func frob: export \"j#frob\" lift (func (param i32) (result i32))\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
}

// Known facts of WASI 0.2.0's wasi:cli/command world, from its WIT.
func TestWASICommandFacts(t *testing.T) {
	r := loadWASI(t, "0.2.0")
	pkg, ok := r.PackageNames["wasi:cli@0.2.0"]
	if !ok {
		t.Fatal("wasi:cli@0.2.0 not loaded")
	}
	w, err := r.SelectWorld(pkg, "command")
	if err != nil {
		t.Fatal(err)
	}
	a := New(r)
	n, err := a.Names(w, Legacy)
	if err != nil {
		t.Fatal(err)
	}
	read, err := n.ParseImport("wasi:io/streams@0.2.0", "[method]input-stream.read")
	if err != nil {
		t.Fatal(err)
	}
	// read: func(self: borrow<input-stream>, len: u64) -> result<list<u8>, stream-error>
	sig, _ := a.Signature(read.Function, Lower)
	if sig.String() != "(func (param i32 i64 i32))" || sig.ResultLayout != (Layout{12, 4}) {
		t.Errorf("input-stream.read lowers as %s with a %+v return area", sig, sig.ResultLayout)
	}
	if c, err := n.ParseImport("wasi:io/streams@0.2.0", "[resource-drop]output-stream"); err != nil || c.Kind != NameResourceDrop {
		t.Errorf("output-stream drop: %v", err)
	}
	run, err := n.ParseExport("wasi:cli/run@0.2.0#run")
	if err != nil || run.Function.Name != "run" {
		t.Fatalf("run export: %v", err)
	}
	// run: func() -> result: one flat i32, nothing to free.
	sig, _ = a.Signature(run.Function, Lift)
	if sig.String() != "(func (result i32))" || sig.NeedsPostReturn {
		t.Errorf("run lifts as %s post-return %v", sig, sig.NeedsPostReturn)
	}
	if _, err := n.ParseImport("wasi:io/streams@0.2.0", "[method]input-stream.reed"); err == nil ||
		!strings.Contains(err.Error(), `nearest: "[method]input-stream.read"`) {
		t.Errorf("a misspelt field should list the module's fields: %v", err)
	}
}

// Async functions use the names wit-bindgen and wasm-tools use for the
// component-model-async ABI.
func TestNamesLegacyAsync(t *testing.T) {
	b, w := exampleWorld(t)
	r := b.r
	af := fn("fetch", wit.String, wit.String)
	af.Async = true
	ag := fn("serve", wit.NoType)
	ag.Async = true
	r.Worlds[w].Imports.Set(wit.NameKey("fetch"), &wit.WorldItem{Kind: wit.ItemFunction, Function: af})
	r.Interfaces[0].Functions.Set("serve", ag) // interface i is also exported
	a := New(r)
	n, err := a.Names(w, Legacy)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`import "$root" "[async-lower]fetch"`,
		`import "ns:pkg/i@0.2.1" "[async-lower]serve"`,
		`export "[async-lift]ns:pkg/i@0.2.1#serve"`,
		`export "[callback][async-lift]ns:pkg/i@0.2.1#serve"`,
		`import "[export]ns:pkg/i@0.2.1" "[task-return]serve"`,
	} {
		if !strings.Contains(strings.Join(nameList(n), "\n"), want) {
			t.Errorf("missing %s", want)
		}
	}
	checkRoundTrip(t, n)
	a.AsyncCallback = false
	n, _ = a.Names(w, Legacy)
	if _, err := n.ParseExport("[async-lift-stackful]ns:pkg/i@0.2.1#serve"); err != nil {
		t.Error(err)
	}
}

// sharedDir finds shared/<rel...> or skips (fails under WITGO_REQUIRE_TOOLS=1).
func sharedDir(t testing.TB, rel ...string) string { return testshared.Dir(t, rel...) }
