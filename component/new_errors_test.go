package component

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/component/wasm"
	"github.com/witgo/witgo/wit"
)

// editModule decodes basicModule, lets edit change it and encodes it.
func editModule(t *testing.T, edit func(m *wasm.Module)) []byte {
	m, err := wasm.DecodeModule(basicModule(t))
	if err != nil {
		t.Fatal(err)
	}
	edit(m)
	return m.Encode()
}

func renameExport(m *wasm.Module, from, to string) {
	for i := range m.Exports {
		if m.Exports[i].Name == from {
			m.Exports[i].Name = to
		}
	}
}

// basicWorldAt loads basic.wit with its package version replaced.
func basicWorldAt(t *testing.T, version string) (*wit.Resolve, wit.WorldID) {
	src, err := os.ReadFile(filepath.Join("testdata", "new", "basic.wit"))
	if err != nil {
		t.Fatal(err)
	}
	r := wit.NewResolve()
	pkg, err := r.AddSource("basic.wit", []byte(strings.ReplaceAll(string(src), "@0.1.0", "@"+version)))
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.SelectWorld(pkg, "basic")
	if err != nil {
		t.Fatal(err)
	}
	return r, w
}

// TestNewErrors: core imports and exports that do not fit the world are
// errors that name the function and what the world expects.
func TestNewErrors(t *testing.T) {
	cases := []struct {
		name    string
		version string
		edit    func(m *wasm.Module)
		want    []string
	}{
		{"unknown import field", "0.1.0", func(m *wasm.Module) { m.Imports[0].Name = "logg" },
			[]string{`"test:basic/host@0.1.0" "logg"`, `"log"`}},
		{"unknown import module", "0.1.0", func(m *wasm.Module) { m.Imports[0].Module = "test:basic/nope@0.1.0" },
			[]string{`"test:basic/nope@0.1.0"`, `"test:basic/host@0.1.0"`}},
		{"unknown export", "0.1.0", func(m *wasm.Module) { renameExport(m, "add", "addd") },
			[]string{`"addd"`, "matches nothing"}},
		{"missing export", "0.1.0", func(m *wasm.Module) {
			var keep []wasm.Export
			for _, e := range m.Exports {
				if e.Name != "test:basic/api@0.1.0#swap" {
					keep = append(keep, e)
				}
			}
			m.Exports = keep
		}, []string{`function "swap" of test:basic/api@0.1.0`, `"test:basic/api@0.1.0#swap"`}},
		{"export signature", "0.1.0", func(m *wasm.Module) {
			renameExport(m, "add", "tmp")
			renameExport(m, "test:basic/api@0.1.0#swap", "add")
			renameExport(m, "tmp", "test:basic/api@0.1.0#swap")
		}, []string{`"add"`, "(func (param i32 i32 i32) (result i32))", "(func (param i32 i32) (result i32))"}},
		{"import signature", "0.1.0", func(m *wasm.Module) {
			m.Imports[0].Type.Func = 1 // cabi_realloc's type
		}, []string{`"log"`, "(func (param i32 i32))"}},
		{"incompatible version", "0.2.0", func(*wasm.Module) {}, []string{`"test:basic/host@0.1.0" "log"`}},
		{"not a function", "0.1.0", func(m *wasm.Module) {
			m.Imports = append(m.Imports, wasm.Import{Module: "env", Name: "table",
				Type: wasm.ExternType{Kind: wasm.ExternTable, Table: funcTable(1)}})
		}, []string{`"env" "table"`, "not a function"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, w := basicWorldAt(t, tc.version)
			_, err := New(editModule(t, tc.edit), NewOptions{Resolve: r, World: w})
			if err == nil {
				t.Fatal("no error")
			}
			for _, s := range tc.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %s", err, s)
				}
			}
		})
	}
}

// TestNewSemverAndDuplicates: a module built against host@0.1.0 fits a
// world with host@0.1.5, and a duplicated import is bound once.
func TestNewSemverAndDuplicates(t *testing.T) {
	r, w := basicWorldAt(t, "0.1.5")
	comp := mustNew(t, basicModuleWith(t, true), NewOptions{Resolve: r, World: w})
	c, err := Decode(comp)
	if err != nil {
		t.Fatal(err)
	}
	var imports, coreImports []string
	for _, s := range c.Sections {
		switch s := s.(type) {
		case *ImportSection:
			for _, im := range s.Imports {
				imports = append(imports, im.Name.Name)
			}
		case *CoreModuleSection:
			for _, im := range s.Module.Imports {
				if strings.HasPrefix(im.Module, "test:basic/host") {
					coreImports = append(coreImports, im.Name)
				}
			}
		}
	}
	if strings.Join(coreImports, ",") != "log,log [v2]" {
		t.Errorf("the module imports %q, want the duplicate renamed as wasm-tools does", coreImports)
	}
	if strings.Join(imports, " ") != "test:basic/host@0.1.5" {
		t.Errorf("component imports %q, want the world's host@0.1.5", imports)
	}
}

// FuzzNew: whatever core module it is given, New returns a component or
// an error, never a panic.
func FuzzNew(f *testing.F) {
	f.Add(basicModule(f))
	f.Add(basicModuleWith(f, true))
	r := wit.NewResolve()
	pkg, err := r.LoadPath(filepath.Join("testdata", "new", "basic.wit"))
	if err != nil {
		f.Fatal(err)
	}
	w, err := r.SelectWorld(pkg, "basic")
	if err != nil {
		f.Fatal(err)
	}
	// Async modules carry their world: New reads it with no options.
	for _, seed := range asyncSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, module []byte) {
		New(module, NewOptions{Resolve: r, World: w})
		if out, err := New(module, NewOptions{}); err == nil {
			c, err := Decode(out)
			if err == nil {
				err = Validate(c)
			}
			if err != nil {
				t.Fatalf("New made an invalid component: %v", err)
			}
		}
	})
}

// An `[async-lift]` export without its `[callback]` is an error naming both.
func TestNewAsyncLiftNeedsCallback(t *testing.T) {
	r := wit.NewResolve()
	pkg, err := r.AddSource("a.wit", []byte("package test:a;\nworld a {\n  export f: async func() -> u32;\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.SelectWorld(pkg, "a")
	if err != nil {
		t.Fatal(err)
	}
	b := wasm.NewBuilder()
	typ := b.FuncType(nil, []wasm.ValType{ti32})
	b.Export("[async-lift]f", wasm.ExternFunc, b.Func(typ, nil, wasm.I32Const(0)))
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(m.Encode(), NewOptions{Resolve: r, World: w})
	if err == nil || !strings.Contains(err.Error(), `"[callback][async-lift]f"`) || !strings.Contains(err.Error(), `"[async-lift]f"`) {
		t.Errorf("error %v, want one naming the async export and its callback", err)
	}
}
