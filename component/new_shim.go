package component

import (
	"fmt"
	"strconv"

	"github.com/witgo/witgo/wit"
)

// An exported interface whose functions belong to resources cannot be a
// bundle of exports: a `[method]r.m` export must use the very type index
// the same export list names `r`, which a bundle cannot refer to. As
// wit-component does, such an interface is exported from a small nested
// component that imports the types (resources as `(sub resource)`) and
// the lifted functions, exports the types under their names and
// re-exports each function with a type written in terms of those names.

// shimImports records the type imports of an export shim.
type shimImports struct {
	used     map[string]bool
	names    []string
	types    []wit.TypeID
	imported map[wit.TypeID]uint32
}

// add imports a named type as `import-type-<name>` (made unique).
func (s *shimImports) add(scope *declScope, id wit.TypeID, name string, desc ExternDesc) uint32 {
	imp := "import-type-" + name
	for i := 1; s.used[imp]; i++ {
		imp = "import-type-" + name + strconv.Itoa(i)
	}
	s.used[imp] = true
	idx := scope.extern(DeclImport, imp, desc)
	s.names = append(s.names, imp)
	s.types = append(s.types, id)
	s.imported[id] = idx
	return idx
}

// needsShim reports whether an exported interface has resource functions.
func needsShim(iface *wit.Interface) bool {
	for f := range iface.Functions.Values() {
		if f.Kind != wit.Freestanding {
			return true
		}
	}
	return false
}

// exportShim instantiates the shim component of interface id with the
// component's types and the lifted functions, and returns the instance.
func (n *newState) exportShim(id wit.InterfaceID, lifted []uint32) (uint32, error) {
	iface := n.r.Interfaces[id]
	imports := &shimImports{used: map[string]bool{}, imported: map[wit.TypeID]uint32{}}
	e := newWorldEncoder(n.r)
	e.shim, e.inIf, e.iface = imports, true, id
	for t := range iface.Types.Values() {
		if _, err := e.valType(wit.Ref(t)); err != nil {
			return 0, err
		}
	}
	funcs := iface.Functions.Keys()
	for i, name := range funcs {
		f, _ := iface.Functions.Get(name)
		ft, err := e.funcType(f)
		if err != nil {
			return 0, err
		}
		e.outer.extern(DeclImport, "import-func-f"+strconv.Itoa(i), ExternDesc{Kind: ExternFunc, Index: ft})
	}
	// Export the types, then the functions typed with the exported names.
	typeMap := map[wit.TypeID]uint32{}
	for t, idx := range imports.imported {
		typeMap[t] = idx
	}
	for name, t := range iface.Types.All() {
		idx, ok := imports.imported[t]
		if !ok {
			return 0, fmt.Errorf("type %q was not imported into the export shim", name)
		}
		typeMap[t] = e.outer.extern(DeclExport, name, ExternDesc{Kind: ExternType, Index: idx})
	}
	e.outer.typeMap, e.outer.funcMap = typeMap, map[string]uint32{}
	e.shim = nil
	var exports []Export
	for i, name := range funcs {
		f, _ := iface.Functions.Get(name)
		ft, err := e.funcType(f)
		if err != nil {
			return 0, err
		}
		exports = append(exports, Export{Name: ExternName{Name: name}, Item: SortIdx{Sort: SortFunc, Index: uint32(i)},
			Desc: &ExternDesc{Kind: ExternFunc, Index: ft}})
	}
	shim := shimComponent(e.outer.decls, exports)
	// Instantiate it with the component's own types and functions.
	var args []InstantiateArg
	for i, name := range imports.names {
		idx, ok := n.e.outer.typeMap[imports.types[i]]
		if !ok {
			return 0, fmt.Errorf("type %q has no index in the component", n.r.Types[imports.types[i]].Name)
		}
		args = append(args, InstantiateArg{Name: name, Item: SortIdx{Sort: SortType, Index: idx}})
	}
	for i := range funcs {
		args = append(args, InstantiateArg{Name: "import-func-f" + strconv.Itoa(i), Item: SortIdx{Sort: SortFunc, Index: lifted[i]}})
	}
	n.b.c.Sections = append(n.b.c.Sections, &ComponentSection{Component: shim})
	comp := n.b.components
	n.b.components++
	return n.b.instance(Instance{Component: comp, Args: args}), nil
}

// shimComponent turns the shim's declarators into a component: types and
// imports as they are, type exports as exports of the type index.
func shimComponent(decls []Decl, funcExports []Export) *Component {
	b := newCompBuilder()
	for _, d := range decls {
		switch d.Kind {
		case DeclType, DeclImport:
			b.decl(d)
		case DeclExport:
			b.export(d.Name.Name, SortIdx{Sort: SortType, Index: d.Desc.Index}, nil)
		}
	}
	for _, ex := range funcExports {
		b.export(ex.Name.Name, ex.Item, ex.Desc)
	}
	return &b.c
}
