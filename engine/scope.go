package engine

import (
	"fmt"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/component/wasm"
)

// scope holds the index spaces of one component instance while its
// sections are evaluated in order. parent is the scope the component was
// defined in, which outer aliases reach.
type scope struct {
	parent *scope
	inst   *compInstance
	top    *Instance

	funcs     []*compFunc
	types     []any // *vtype, *funcType, *resourceType, *declType
	comps     []*compDef
	instances []*instanceVal

	coreFuncs   []coreExt
	coreTables  []coreExt
	coreMems    []coreExt
	coreGlobals []coreExt
	coreTags    []coreExt
	coreTypes   []any
	modules     []*moduleDef
	coreInsts   []*coreInst

	exports map[string]sortItem
}

// sortItem is an item of any component sort.
type sortItem struct {
	sort component.Sort
	v    any
}

// compDef is a component definition closed over the scope it was defined in.
type compDef struct {
	ast   *component.Component
	outer *scope
}

// moduleDef is a compiled core module.
type moduleDef struct {
	ast      *wasm.Module
	compiled wazero.CompiledModule
}

// instanceVal is a component instance as an item: its exports.
type instanceVal struct {
	exports map[string]sortItem
}

// coreExt is a core function, table, memory, global or tag: an export of
// a module in the store, named so that glue modules can import it.
type coreExt struct {
	kind    byte // wasm.ExternFunc ...
	mod     api.Module
	modName string
	name    string
	table   wasm.TableType // tables: the declared type
	tramp   *trampoline    // a host function (mod is nil)
	direct  *directEdge    // a direct guest-to-guest function (mod is nil)
}

// coreInst is a core instance: an instantiated module, or a bundle of
// exports (which becomes a glue module when something imports it).
type coreInst struct {
	mod     api.Module
	modName string
	ast     *wasm.Module
	bundle  map[string]coreExt
	glue    api.Module
}

func errorf(format string, args ...any) error {
	return fmt.Errorf("engine: "+format, args...)
}

func (s *scope) push(it sortItem) error {
	switch it.sort {
	case component.SortFunc:
		s.funcs = append(s.funcs, it.v.(*compFunc))
	case component.SortType:
		s.types = append(s.types, it.v)
	case component.SortComponent:
		s.comps = append(s.comps, it.v.(*compDef))
	case component.SortInstance:
		s.instances = append(s.instances, it.v.(*instanceVal))
	case component.SortCoreFunc:
		s.coreFuncs = append(s.coreFuncs, it.v.(coreExt))
	case component.SortCoreTable:
		s.coreTables = append(s.coreTables, it.v.(coreExt))
	case component.SortCoreMemory:
		s.coreMems = append(s.coreMems, it.v.(coreExt))
	case component.SortCoreGlobal:
		s.coreGlobals = append(s.coreGlobals, it.v.(coreExt))
	case component.SortCoreTag:
		s.coreTags = append(s.coreTags, it.v.(coreExt))
	case component.SortCoreType:
		s.coreTypes = append(s.coreTypes, it.v)
	case component.SortCoreModule:
		s.modules = append(s.modules, it.v.(*moduleDef))
	case component.SortCoreInstance:
		s.coreInsts = append(s.coreInsts, it.v.(*coreInst))
	default:
		return unsupported("%s items", it.sort)
	}
	return nil
}

func at[T any](xs []T, i uint32, what component.Sort) (T, error) {
	if int(i) >= len(xs) {
		var zero T
		return zero, errorf("%s index %d out of range", what, i)
	}
	return xs[i], nil
}

// get returns item i of a sort.
func (s *scope) get(sort component.Sort, i uint32) (sortItem, error) {
	var v any
	var err error
	switch sort {
	case component.SortFunc:
		v, err = at(s.funcs, i, sort)
	case component.SortType:
		v, err = at(s.types, i, sort)
	case component.SortComponent:
		v, err = at(s.comps, i, sort)
	case component.SortInstance:
		v, err = at(s.instances, i, sort)
	case component.SortCoreFunc:
		v, err = at(s.coreFuncs, i, sort)
	case component.SortCoreTable:
		v, err = at(s.coreTables, i, sort)
	case component.SortCoreMemory:
		v, err = at(s.coreMems, i, sort)
	case component.SortCoreGlobal:
		v, err = at(s.coreGlobals, i, sort)
	case component.SortCoreTag:
		v, err = at(s.coreTags, i, sort)
	case component.SortCoreType:
		v, err = at(s.coreTypes, i, sort)
	case component.SortCoreModule:
		v, err = at(s.modules, i, sort)
	case component.SortCoreInstance:
		v, err = at(s.coreInsts, i, sort)
	default:
		return sortItem{}, unsupported("%s items", sort)
	}
	return sortItem{sort, v}, err
}

func (s *scope) coreFuncAt(i uint32) (coreExt, error) {
	return at(s.coreFuncs, i, component.SortCoreFunc)
}

// export returns the export name of a core instance as a coreExt.
func (ci *coreInst) export(name string, sort component.Sort) (coreExt, error) {
	if ci.bundle != nil {
		x, ok := ci.bundle[name]
		if !ok {
			return coreExt{}, errorf("core instance has no export %q", name)
		}
		return x, nil
	}
	for _, e := range ci.ast.Exports {
		if e.Name != name {
			continue
		}
		x := coreExt{kind: e.Kind, mod: ci.mod, modName: ci.modName, name: name}
		if e.Kind == wasm.ExternTable {
			x.table = tableTypeOf(ci.ast, e.Index)
		}
		return x, nil
	}
	return coreExt{}, errorf("core instance has no export %q", name)
}

func tableTypeOf(m *wasm.Module, idx uint32) wasm.TableType {
	n := uint32(0)
	for _, im := range m.Imports {
		if im.Type.Kind == wasm.ExternTable {
			if n == idx {
				return im.Type.Table
			}
			n++
		}
	}
	if i := idx - n; int(i) < len(m.Tables) {
		return m.Tables[i].Type
	}
	return wasm.TableType{}
}
