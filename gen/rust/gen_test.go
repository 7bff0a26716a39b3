package rustgen

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/internal/testshared"
	"github.com/witgo/witgo/wit"
)

func TestRustNames(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{camelName("output-stream"), "OutputStream"},
		{camelName("is-XML"), "IsXml"},
		{camelName("result"), "ResultType"}, // would shadow the prelude's Result
		{camelName("guest"), "GuestType"},   // the generated trait
		{camelCase("none"), "None"},         // a case lives in its enum
		{camelCase("self"), "SelfType"},
		{snakeName("get-random-bytes"), "get_random_bytes"},
		{snakeName("type"), "r#type"},
		{snakeName("self"), "self_"},
		{snakeName("crate"), "crate_"},
		{snakeName("HTTP-status"), "http_status"},
		{screamingName("read-only"), "READ_ONLY"},
		{rustString(`a"b\c` + "\n"), `"a\"b\\c\u{a}"`},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	ns := nameSet{}
	if a, b, c := ns.take("get"), ns.take("get"), ns.take("r#type"); a != "get" || b != "get2" || c != "r#type" {
		t.Errorf("nameSet gave %q, %q, %q", a, b, c)
	}
	if d := ns.take("r#type"); d != "type2" {
		t.Errorf("second r#type became %q, want type2", d)
	}
}

func generateWorld(t *testing.T, path, world string) (*wit.Resolve, wit.WorldID, string) {
	t.Helper()
	r := wit.NewResolve()
	pkg, err := r.LoadPath(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.SelectWorld(pkg, world)
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(r, w, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r, w, string(files[0].Content)
}

// Every core import and export canonabi lists for a world appears in the
// bindings under exactly that name: imports in #[link] blocks, exports
// (functions, needed post-returns, destructors) in export!.
func TestCoreNamesMatchCanonabi(t *testing.T) {
	cases := [][2]string{{filepath.Join("testdata", "runtime", "rt.wit"), "rrt"}}
	if dir := testshared.Find("reference", "wasi", "0.2.0", "wit"); dir != "" {
		cases = append(cases, [2]string{dir, "wasi:cli/command@0.2.0"})
	}
	for _, c := range cases {
		r, w, src := generateWorld(t, c[0], c[1])
		abi := canonabi.New(r)
		names, err := abi.Names(w, canonabi.Legacy)
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, n := range names.Items {
			var want string
			switch {
			case n.Import && (n.Kind == canonabi.NameFunc || n.Kind == canonabi.NameResourceDrop ||
				n.Kind == canonabi.NameResourceNew || n.Kind == canonabi.NameResourceRep):
				pair := regexp.MustCompile(regexp.QuoteMeta("#[link(wasm_import_module = "+rustString(n.Module)+")]") +
					`\s*extern "C" \{\s*` + regexp.QuoteMeta("#[link_name = "+rustString(n.Field)+"]"))
				if !pair.MatchString(src) {
					t.Errorf("%s: import %q %q is not declared", c[1], n.Module, n.Field)
				}
				checked++
				continue
			case n.Kind == canonabi.NameFunc || n.Kind == canonabi.NameResourceDtor:
				want = "#[export_name = " + rustString(n.Field) + "]"
			case n.Kind == canonabi.NamePostReturn:
				sig, err := abi.Signature(n.Function, canonabi.Lift)
				if err != nil {
					t.Fatal(err)
				}
				if !sig.NeedsPostReturn {
					if strings.Contains(src, "#[export_name = "+rustString(n.Field)+"]") {
						t.Errorf("%s: %s is exported though nothing needs freeing", c[1], n.Field)
					}
					continue
				}
				want = "#[export_name = " + rustString(n.Field) + "]"
			default:
				continue
			}
			if !strings.Contains(src, want) {
				t.Errorf("%s: %s is missing", c[1], want)
			}
			checked++
		}
		if strings.Count(src, "#[export_name = ") == 0 || checked < 10 {
			t.Errorf("%s: checked only %d names", c[1], checked)
		}
		if !strings.Contains(src, "pub unsafe extern \"C\" fn cabi_realloc(") {
			t.Errorf("%s: no cabi_realloc export", c[1])
		}
	}
}

func TestAsyncIsRefused(t *testing.T) {
	r := wit.NewResolve()
	if _, err := r.AddSource("a.wit", []byte("package a:b;\ninterface i { f: async func(); s: func() -> stream<u8>; }\nworld w { import i; }\nworld v { export g: func() -> future<string>; }\n")); err != nil {
		t.Fatal(err)
	}
	for id := range r.Worlds {
		_, err := Generate(r, wit.WorldID(id), Options{})
		if err == nil || !strings.Contains(err.Error(), "not supported by the Rust generator yet") {
			t.Errorf("world %s: err = %v, want a refusal", r.Worlds[id].Name, err)
		}
	}
	if _, err := Generate(r, 99, Options{}); err == nil {
		t.Error("Generate of a missing world succeeded")
	}
}

// Generating twice gives the same bytes (no map-order dependence).
func TestGenerateIsDeterministic(t *testing.T) {
	_, _, first := generateWorld(t, filepath.Join("testdata", "runtime", "rt.wit"), "rrt")
	for i := 0; i < 3; i++ {
		if _, _, again := generateWorld(t, filepath.Join("testdata", "runtime", "rt.wit"), "rrt"); again != first {
			t.Fatal("two generations of the runtime world differ")
		}
	}
}
