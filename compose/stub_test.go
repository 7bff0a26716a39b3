package compose

import (
	"fmt"
	"strings"
	"testing"

	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/wit"
)

// stubComponent makes a component with the imports and exports of world
// `w` of the WIT source src, and no code: each export re-exports an
// extra import of the same type, "impl-" and the export's name. It lets the tests build
// components of any type in microseconds, to check matching, type checks
// and encoding; the tests with real guests run code.
func stubComponent(t testing.TB, src string) []byte {
	t.Helper()
	r := wit.NewResolve()
	pkg, err := r.AddSource("stub.wit", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	wid, err := r.SelectWorld(pkg, "w")
	if err != nil {
		t.Fatal(err)
	}
	orig := r.Worlds[wid]
	stub := &wit.World{Name: "stub", Package: orig.Package}
	for k, v := range orig.Imports.All() {
		stub.Imports.Set(k, v)
	}
	impl := map[string]string{}
	for k, v := range orig.Exports.All() {
		base, _ := splitVersion(externName(r, k))
		name := "impl-" + strings.NewReplacer(":", "-", "/", "-").Replace(base)
		stub.Imports.Set(wit.NameKey(name), v)
		stub.Exports.Set(k, v)
		impl[externName(r, k)] = name
	}
	r.Worlds = append(r.Worlds, stub)
	wt, err := component.WorldType(r, wit.WorldID(len(r.Worlds)-1))
	if err != nil {
		t.Fatal(err)
	}
	split := importHalf(wt.Decls)
	e := newEncoder()
	for _, d := range wt.Decls[:split] {
		if err := e.importDecl(d); err != nil {
			t.Fatal(err)
		}
	}
	fromImpl := func(name string, _ component.Sort) (component.SortIdx, bool, error) {
		return e.imports[impl[name]], true, nil
	}
	for _, d := range wt.Decls[split:] {
		if _, err := e.exportDecl(fromImpl, d); err != nil {
			t.Fatal(err)
		}
	}
	bin := e.c.Encode()
	if err := checkOutput(bin); err != nil {
		t.Fatalf("stub component: %v", err)
	}
	return bin
}

// composeStubs composes stub components made from the WIT sources, the
// first being the socket, named socket, plug1, plug2...
func composeStubs(t testing.TB, srcs ...string) (*Result, error) {
	t.Helper()
	inputs := make([]Input, len(srcs))
	for i, src := range srcs {
		name := "socket"
		if i > 0 {
			name = fmt.Sprintf("plug%d", i)
		}
		inputs[i] = Input{Name: name, Bytes: stubComponent(t, src)}
	}
	return Compose(inputs)
}

// worldOf describes a component as witgo component wit does: its imports
// and exports by name, and the functions of each interface.
func worldOf(t testing.TB, bin []byte) (imports, exports map[string][]string) {
	t.Helper()
	c, err := component.Decode(bin)
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := component.ComponentWorld(c)
	if err != nil {
		t.Fatal(err)
	}
	list := func(items *wit.OrderedMap[wit.WorldKey, *wit.WorldItem]) map[string][]string {
		m := map[string][]string{}
		for k, item := range items.All() {
			name := externName(r, k)
			m[name] = []string{}
			if item.Kind == wit.ItemInterface {
				m[name] = append(m[name], r.Interfaces[item.Interface].Functions.Keys()...)
			}
		}
		return m
	}
	return list(&r.Worlds[w].Imports), list(&r.Worlds[w].Exports)
}

// topLevelNames lists the import and export names of a component's own
// sections, for compositions component.ComponentWorld cannot describe.
func topLevelNames(t testing.TB, bin []byte) (imports, exports []string) {
	t.Helper()
	c, err := component.Decode(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Sections {
		switch s := s.(type) {
		case *component.ImportSection:
			for _, im := range s.Imports {
				imports = append(imports, im.Name.Name)
			}
		case *component.ExportSection:
			for _, ex := range s.Exports {
				exports = append(exports, ex.Name.Name)
			}
		}
	}
	return imports, exports
}
