package component

import (
	"github.com/witgo/witgo/component/wasm"
)

const maxMemoryPages = 65536

func (v *validator) checkLimits(kind byte, l wasm.Limits) error {
	if l.HasMax() && l.Max < l.Min {
		return v.errorf("size minimum must not be greater than maximum")
	}
	if kind == wasm.ExternMemory && !l.Is64() && (l.Min > maxMemoryPages || (l.HasMax() && l.Max > maxMemoryPages)) {
		return v.errorf("memory size must be at most %d pages (4GiB)", maxMemoryPages)
	}
	return nil
}

// coreExternOf resolves an import type against a core type space.
func (v *validator) coreExternOf(types []coreTypeEntry, t wasm.ExternType) (coreExtern, error) {
	ce := coreExtern{kind: t.Kind, table: t.Table, mem: t.Memory, global: t.Global}
	switch t.Kind {
	case wasm.ExternFunc, wasm.ExternTag:
		idx := t.Func
		if t.Kind == wasm.ExternTag {
			idx = t.Tag.Type
		}
		if int(idx) >= len(types) {
			return ce, v.errorf("type index out of bounds: %d", idx)
		}
		if ce.fn = types[idx].fn; ce.fn == nil {
			return ce, v.errorf("type index %d is not a function type", idx)
		}
	case wasm.ExternTable:
		return ce, v.checkLimits(t.Kind, t.Table.Limits)
	case wasm.ExternMemory:
		return ce, v.checkLimits(t.Kind, t.Memory.Limits)
	}
	return ce, nil
}

// recGroupEntries turns a rec group into core type entries.
func recGroupEntries(g wasm.RecGroup) []coreTypeEntry {
	out := make([]coreTypeEntry, len(g.Types))
	for i, st := range g.Types {
		if st.Comp.Kind == wasm.KindFunc {
			out[i].fn = &wasm.FuncType{Params: st.Comp.Params, Results: st.Comp.Results}
		}
	}
	return out
}

// coreModule computes the type of an embedded core module and checks the
// parts of it that the component model relies on.
func (v *validator) coreModule(m *wasm.Module) (*moduleT, error) {
	var types []coreTypeEntry
	for _, g := range m.Types {
		types = append(types, recGroupEntries(g)...)
	}
	mt := &moduleT{size: 1}
	var funcs, tags []*wasm.FuncType
	var tables []wasm.TableType
	var mems []wasm.MemType
	var globals []wasm.GlobalType
	seen := map[[2]string]bool{}
	for _, im := range m.Imports {
		key := [2]string{im.Module, im.Name}
		if seen[key] {
			return nil, v.errorf("duplicate import name `%s:%s`", im.Module, im.Name)
		}
		seen[key] = true
		ce, err := v.coreExternOf(types, im.Type)
		if err != nil {
			return nil, err
		}
		mt.imports = append(mt.imports, coreImport{im.Module, im.Name, ce})
		switch ce.kind {
		case wasm.ExternFunc:
			funcs = append(funcs, ce.fn)
		case wasm.ExternTag:
			tags = append(tags, ce.fn)
		case wasm.ExternTable:
			tables = append(tables, ce.table)
		case wasm.ExternMemory:
			mems = append(mems, ce.mem)
		case wasm.ExternGlobal:
			globals = append(globals, ce.global)
		}
	}
	for _, f := range m.Funcs {
		if int(f) >= len(types) || types[f].fn == nil {
			return nil, v.errorf("type index %d is not a function type", f)
		}
		funcs = append(funcs, types[f].fn)
	}
	for _, t := range m.Tables {
		if err := v.checkLimits(wasm.ExternTable, t.Type.Limits); err != nil {
			return nil, err
		}
		tables = append(tables, t.Type)
	}
	for _, mem := range m.Memories {
		if err := v.checkLimits(wasm.ExternMemory, mem.Limits); err != nil {
			return nil, err
		}
		mems = append(mems, mem)
	}
	for _, t := range m.Tags {
		if int(t.Type) >= len(types) || types[t.Type].fn == nil {
			return nil, v.errorf("type index %d is not a function type", t.Type)
		}
		tags = append(tags, types[t.Type].fn)
	}
	for _, g := range m.Globals {
		globals = append(globals, g.Type)
	}
	if m.Start != nil && int(*m.Start) >= len(funcs) {
		return nil, v.errorf("unknown function %d: start function index out of bounds", *m.Start)
	}
	names := map[string]bool{}
	for _, ex := range m.Exports {
		if names[ex.Name] {
			return nil, v.errorf("duplicate export name `%s`", ex.Name)
		}
		names[ex.Name] = true
		ce := coreExtern{kind: ex.Kind}
		ok := false
		switch ex.Kind {
		case wasm.ExternFunc:
			if ok = int(ex.Index) < len(funcs); ok {
				ce.fn = funcs[ex.Index]
			}
		case wasm.ExternTag:
			if ok = int(ex.Index) < len(tags); ok {
				ce.fn = tags[ex.Index]
			}
		case wasm.ExternTable:
			if ok = int(ex.Index) < len(tables); ok {
				ce.table = tables[ex.Index]
			}
		case wasm.ExternMemory:
			if ok = int(ex.Index) < len(mems); ok {
				ce.mem = mems[ex.Index]
			}
		case wasm.ExternGlobal:
			if ok = int(ex.Index) < len(globals); ok {
				ce.global = globals[ex.Index]
			}
		}
		if !ok {
			return nil, v.errorf("unknown %s %d: exported %s index out of bounds", coreKindNames[ex.Kind], ex.Index, coreKindNames[ex.Kind])
		}
		mt.exports = append(mt.exports, coreExport{ex.Name, ce})
	}
	if err := m.ValidateCode(); err != nil {
		return nil, err
	}
	mt.size += len(mt.imports) + len(mt.exports)
	return mt, nil
}

// coreTypeDef validates a core type definition and appends it.
func (v *validator) coreTypeDef(s *scope, ct CoreType) error {
	if ct.Module == nil {
		if err := v.checkRecGroup(s.coreTypes, ct.Rec); err != nil {
			return err
		}
		s.coreTypes = append(s.coreTypes, recGroupEntries(ct.Rec)...)
		return nil
	}
	mt, err := v.moduleType(s, ct.Module)
	if err != nil {
		return err
	}
	s.coreTypes = append(s.coreTypes, coreTypeEntry{module: mt})
	return nil
}

func (v *validator) moduleType(s *scope, m *ModuleType) (*moduleT, error) {
	var types []coreTypeEntry
	mt := &moduleT{size: 1}
	seen := map[[2]string]bool{}
	exports := map[string]bool{}
	for _, d := range m.Decls {
		switch d.Kind {
		case ModuleDeclType:
			if d.Type.Module != nil {
				return nil, v.errorf("core type index is a module type: module types cannot nest")
			}
			if err := v.checkRecGroup(types, d.Type.Rec); err != nil {
				return nil, err
			}
			types = append(types, recGroupEntries(d.Type.Rec)...)
		case ModuleDeclAlias:
			// Count 0 is the module type itself, 1 the enclosing scope.
			space := types
			target := s
			for i := uint32(1); i < d.Count && target != nil; i++ {
				target = target.parent
			}
			if target == nil {
				return nil, v.errorf("invalid outer alias count of %d", d.Count)
			}
			if d.Count > 0 {
				space = target.coreTypes
			}
			if int(d.Index) >= len(space) {
				return nil, v.errorf("type index out of bounds: %d", d.Index)
			}
			te := space[d.Index]
			if te.module != nil {
				return nil, v.errorf("core type index %d is a module type", d.Index)
			}
			types = append(types, te)
		case ModuleDeclImport:
			key := [2]string{d.Import.Module, d.Import.Name}
			if seen[key] {
				return nil, v.errorf("duplicate import name `%s:%s`", d.Import.Module, d.Import.Name)
			}
			seen[key] = true
			ce, err := v.coreExternOf(types, d.Import.Type)
			if err != nil {
				return nil, err
			}
			mt.imports = append(mt.imports, coreImport{d.Import.Module, d.Import.Name, ce})
		case ModuleDeclExport:
			if exports[d.Name] {
				return nil, v.errorf("export name `%s` already defined", d.Name)
			}
			exports[d.Name] = true
			ce, err := v.coreExternOf(types, d.Desc)
			if err != nil {
				return nil, err
			}
			mt.exports = append(mt.exports, coreExport{d.Name, ce})
		}
	}
	mt.size += len(mt.imports) + len(mt.exports)
	return mt, nil
}

// coreInstance validates a core instance definition and appends it.
func (v *validator) coreInstance(s *scope, ci CoreInstance) error {
	if ci.FromExports {
		in := &coreInstT{}
		names := map[string]bool{}
		for _, e := range ci.Exports {
			if names[e.Name] {
				return v.errorf("export name `%s` already defined", e.Name)
			}
			names[e.Name] = true
			ce, err := v.coreItem(s, e.Sort, e.Idx)
			if err != nil {
				return err
			}
			in.exports = append(in.exports, coreExport{e.Name, ce})
		}
		s.coreInstances = append(s.coreInstances, in)
		return nil
	}
	if int(ci.Module) >= len(s.coreModules) {
		return v.errorf("unknown module %d: module index out of bounds", ci.Module)
	}
	mt := s.coreModules[ci.Module]
	args := map[string]*coreInstT{}
	for _, a := range ci.Args {
		if _, dup := args[a.Name]; dup {
			return v.errorf("duplicate module instantiation argument named `%s`", a.Name)
		}
		if int(a.Instance) >= len(s.coreInstances) {
			return v.errorf("unknown core instance %d: instance index out of bounds", a.Instance)
		}
		args[a.Name] = s.coreInstances[a.Instance]
	}
	for _, im := range mt.imports {
		arg, ok := args[im.module]
		if !ok {
			return v.errorf("missing module instantiation argument named `%s`", im.module)
		}
		et, ok := arg.export(im.name)
		if !ok {
			return v.errorf("module instantiation argument `%s` does not export an item named `%s`", im.module, im.name)
		}
		if err := coreExternSub(et, im.t); err != nil {
			return v.errorf("type mismatch for export `%s` of module instantiation argument `%s`: %v", im.name, im.module, err)
		}
	}
	s.coreInstances = append(s.coreInstances, &coreInstT{exports: mt.exports})
	return nil
}

// coreItem returns the type of a core item of the given sort.
func (v *validator) coreItem(s *scope, sort Sort, idx uint32) (coreExtern, error) {
	oob := func(n int) error {
		if int(idx) >= n {
			return v.errorf("%s index out of bounds: %d", sort, idx)
		}
		return nil
	}
	switch sort {
	case SortCoreFunc:
		if err := oob(len(s.coreFuncs)); err != nil {
			return coreExtern{}, err
		}
		return coreExtern{kind: wasm.ExternFunc, fn: s.coreFuncs[idx]}, nil
	case SortCoreTable:
		if err := oob(len(s.coreTables)); err != nil {
			return coreExtern{}, err
		}
		return coreExtern{kind: wasm.ExternTable, table: s.coreTables[idx]}, nil
	case SortCoreMemory:
		if err := oob(len(s.coreMems)); err != nil {
			return coreExtern{}, err
		}
		return coreExtern{kind: wasm.ExternMemory, mem: s.coreMems[idx]}, nil
	case SortCoreGlobal:
		if err := oob(len(s.coreGlobals)); err != nil {
			return coreExtern{}, err
		}
		return coreExtern{kind: wasm.ExternGlobal, global: s.coreGlobals[idx]}, nil
	case SortCoreTag:
		if err := oob(len(s.coreTags)); err != nil {
			return coreExtern{}, err
		}
		return coreExtern{kind: wasm.ExternTag, fn: s.coreTags[idx]}, nil
	}
	return coreExtern{}, v.errorf("a core instance cannot export a %s", sort)
}

// addCoreItem appends a core item to its index space.
func (s *scope) addCoreItem(ce coreExtern) {
	switch ce.kind {
	case wasm.ExternFunc:
		s.coreFuncs = append(s.coreFuncs, ce.fn)
	case wasm.ExternTable:
		s.coreTables = append(s.coreTables, ce.table)
	case wasm.ExternMemory:
		s.coreMems = append(s.coreMems, ce.mem)
	case wasm.ExternGlobal:
		s.coreGlobals = append(s.coreGlobals, ce.global)
	case wasm.ExternTag:
		s.coreTags = append(s.coreTags, ce.fn)
	}
}

// checkRecGroup checks the type indices that reference types of a rec
// group use: they must exist and must not name module types.
func (v *validator) checkRecGroup(types []coreTypeEntry, g wasm.RecGroup) error {
	limit := len(types) + len(g.Types)
	check := func(t wasm.ValType) error {
		if (t.Code != wasm.Ref && t.Code != wasm.RefNull) || t.Heap < 0 {
			return nil
		}
		if t.Heap >= int64(limit) {
			return v.errorf("type index out of bounds: %d", t.Heap)
		}
		if t.Heap < int64(len(types)) && types[t.Heap].module != nil {
			return v.errorf("type index %d is a module type", t.Heap)
		}
		return nil
	}
	for _, st := range g.Types {
		for _, list := range [][]wasm.ValType{st.Comp.Params, st.Comp.Results} {
			for _, t := range list {
				if err := check(t); err != nil {
					return err
				}
			}
		}
		for _, f := range st.Comp.Fields {
			if err := check(f.Storage); err != nil {
				return err
			}
		}
		for _, sup := range st.Supers {
			if int(sup) >= limit {
				return v.errorf("type index out of bounds: %d", sup)
			}
		}
	}
	return nil
}
