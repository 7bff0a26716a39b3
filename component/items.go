package component

// externDesc resolves an extern type. Resources it introduces (sub
// resource bounds, and the exports of an instance type, which are fresh
// for every import or export) are returned in created.
func (v *validator) externDesc(s *scope, d ExternDesc, imported bool) (externT, []*resource, error) {
	e := externT{kind: d.Kind}
	typeAt := func() (typeEntry, error) {
		if int(d.Index) >= len(s.types) {
			return typeEntry{}, v.errorf("type index out of bounds: %d", d.Index)
		}
		return s.types[d.Index], nil
	}
	switch d.Kind {
	case ExternModule:
		if int(d.Index) >= len(s.coreTypes) {
			return e, nil, v.errorf("core type index out of bounds: %d", d.Index)
		}
		if e.module = s.coreTypes[d.Index].module; e.module == nil {
			return e, nil, v.errorf("core type index %d is not a module type", d.Index)
		}
	case ExternFunc:
		te, err := typeAt()
		if err != nil {
			return e, nil, err
		}
		if e.fn = te.fn; e.fn == nil {
			return e, nil, v.errorf("type index %d is not a function type", d.Index)
		}
	case ExternComponent:
		te, err := typeAt()
		if err != nil {
			return e, nil, err
		}
		if e.comp = te.comp; e.comp == nil {
			return e, nil, v.errorf("type index %d is not a component type", d.Index)
		}
	case ExternInstance:
		te, err := typeAt()
		if err != nil {
			return e, nil, err
		}
		if te.inst == nil {
			return e, nil, v.errorf("type index %d is not an instance type", d.Index)
		}
		m := map[*resource]*resource{}
		created := freshen(te.inst.defined, s, imported, m)
		inst := *newSubstituter(m).inst(te.inst)
		inst.defined = nil
		e.inst = &inst
		return e, created, nil
	case ExternType:
		if d.Bound == 1 {
			r := &resource{creator: s, imported: imported}
			e.ty = typeEntry{res: r}
			return e, []*resource{r}, nil
		}
		te, err := typeAt()
		if err != nil {
			return e, nil, err
		}
		e.ty = te
	case ExternValue:
		if d.Bound == 0 {
			if int(d.Index) >= len(s.values) {
				return e, nil, v.errorf("value index out of bounds: %d", d.Index)
			}
			e.val = s.values[d.Index]
		} else {
			t, err := v.valType(s, d.ValType)
			if err != nil {
				return e, nil, err
			}
			e.val = t
		}
	}
	return e, nil, v.checkSize(e.size())
}

// addItem appends an imported, exported or aliased item to its index
// space. Imports and exports of types make a new type index; naming (nil
// for aliases) records the names they give.
func (s *scope) addItem(e externT, naming map[any]bool) externT {
	switch e.kind {
	case ExternModule:
		s.coreModules = append(s.coreModules, e.module)
	case ExternFunc:
		s.funcs = append(s.funcs, e.fn)
	case ExternValue:
		s.values = append(s.values, e.val)
	case ExternType:
		te := e.ty
		if naming != nil && te.val != nil {
			c := *te.val
			te.val = &c
			naming[te.val] = true
		}
		if naming != nil && te.res != nil {
			te.res = &resource{aliasOf: te.res}
			naming[te.res] = true
		}
		s.types = append(s.types, te)
		e.ty = te
	case ExternComponent:
		s.components = append(s.components, e.comp)
	case ExternInstance:
		if naming != nil {
			nameInstance(e.inst, naming)
		}
		s.instances = append(s.instances, e.inst)
	}
	return e
}

// nameInstance records the types an instance exports, transitively:
// exporting or importing an instance names them.
func nameInstance(it *instT, naming map[any]bool) {
	for _, x := range it.exports {
		switch x.t.kind {
		case ExternType:
			if x.t.ty.val != nil {
				naming[x.t.ty.val] = true
			}
			if x.t.ty.res != nil {
				naming[x.t.ty.res] = true
			}
		case ExternInstance:
			nameInstance(x.t.inst, naming)
		}
	}
}

// importDecl validates an import of a component or component type.
func (v *validator) importDecl(s *scope, name ExternName, d ExternDesc) error {
	pn, err := parseExternName(name.Name)
	if err != nil {
		return v.errorf("%v", err)
	}
	if err := s.importNames.add(name.Name, "import"); err != nil {
		return v.errorf("%v", err)
	}
	e, created, err := v.externDesc(s, d, true)
	if err != nil {
		return err
	}
	if err := checkAttrs(name, pn, e.kind); err != nil {
		return v.errorf("%v", err)
	}
	if err := v.checkExternal(s, e, true); err != nil {
		return err
	}
	if err := v.checkResourceName(s, name.Name, pn, e, s.importRes); err != nil {
		return err
	}
	e = s.addItem(e, s.namedImp)
	if e.kind == ExternType && e.ty.res != nil {
		s.importRes[pn.label] = e.ty.res
	}
	s.imports = append(s.imports, namedExt{name.Name, e})
	s.imported = append(s.imported, created...)
	return nil
}

// exportDecl validates an export declarator of a component or instance type.
func (v *validator) exportDecl(s *scope, name ExternName, d ExternDesc) error {
	pn, err := parseExportName(name.Name)
	if err != nil {
		return v.errorf("%v", err)
	}
	if err := s.exportNames.add(name.Name, "export"); err != nil {
		return v.errorf("%v", err)
	}
	e, created, err := v.externDesc(s, d, false)
	if err != nil {
		return err
	}
	if err := checkAttrs(name, pn, e.kind); err != nil {
		return v.errorf("%v", err)
	}
	return v.finishExport(s, name.Name, pn, e, created)
}

func (v *validator) finishExport(s *scope, name string, pn parsedName, e externT, created []*resource) error {
	if err := v.checkExternal(s, e, false); err != nil {
		return err
	}
	if err := v.checkResourceName(s, name, pn, e, s.exportRes); err != nil {
		return err
	}
	e = s.addItem(e, s.namedExp)
	if e.kind == ExternType && e.ty.res != nil {
		s.exportRes[pn.label] = e.ty.res
	}
	s.exports = append(s.exports, namedExt{name, e})
	s.defined = append(s.defined, created...)
	return nil
}

// itemType returns the type of the item a sortidx refers to.
func (v *validator) itemType(s *scope, si SortIdx) (externT, error) {
	n := 0
	switch si.Sort {
	case SortCoreModule:
		n = len(s.coreModules)
	case SortFunc:
		n = len(s.funcs)
	case SortValue:
		n = len(s.values)
	case SortType:
		n = len(s.types)
	case SortComponent:
		n = len(s.components)
	case SortInstance:
		n = len(s.instances)
	default:
		return externT{}, v.errorf("%s is not a valid extern sort here", si.Sort)
	}
	if int(si.Index) >= n {
		return externT{}, v.errorf("%s index out of bounds: %d", si.Sort, si.Index)
	}
	switch si.Sort {
	case SortCoreModule:
		return externT{kind: ExternModule, module: s.coreModules[si.Index]}, nil
	case SortFunc:
		return externT{kind: ExternFunc, fn: s.funcs[si.Index]}, nil
	case SortValue:
		return externT{kind: ExternValue, val: s.values[si.Index]}, nil
	case SortType:
		return externT{kind: ExternType, ty: s.types[si.Index]}, nil
	case SortComponent:
		return externT{kind: ExternComponent, comp: s.components[si.Index]}, nil
	}
	return externT{kind: ExternInstance, inst: s.instances[si.Index]}, nil
}

// export validates an export of a concrete component.
func (v *validator) export(s *scope, ex Export) error {
	pn, err := parseExportName(ex.Name.Name)
	if err != nil {
		return v.errorf("%v", err)
	}
	if err := s.exportNames.add(ex.Name.Name, "export"); err != nil {
		return v.errorf("%v", err)
	}
	e, err := v.itemType(s, ex.Item)
	if err != nil {
		return err
	}
	if err := checkAttrs(ex.Name, pn, e.kind); err != nil {
		return v.errorf("%v", err)
	}
	if ex.Desc != nil {
		want, created, err := v.externDesc(s, *ex.Desc, false)
		if err != nil {
			return err
		}
		m := newMatcher()
		m.allow(created)
		if want.kind == ExternType && want.ty.res != nil {
			m.allow([]*resource{want.ty.res})
		}
		if err := externSub(e, want, m); err != nil {
			return v.errorf("ascribed type of export is not compatible with item's type: %v", err)
		}
		// The ascribed type is what the outside sees: its (sub resource)
		// types are fresh abstract resources.
		e = want
	}
	return v.finishExport(s, ex.Name.Name, pn, e, nil)
}

// instance validates an instance definition and appends it.
func (v *validator) instance(s *scope, in Instance) error {
	if in.FromExports {
		it := &instT{size: 1}
		var names nameSet
		resNames := map[string]*resource{}
		for _, e := range in.Exports {
			pn, err := parseExportName(e.Name.Name)
			if err != nil {
				return v.errorf("%v", err)
			}
			if err := names.add(e.Name.Name, "export"); err != nil {
				return v.errorf("%v", err)
			}
			et, err := v.itemType(s, e.Item)
			if err != nil {
				return err
			}
			if err := checkAttrs(e.Name, pn, et.kind); err != nil {
				return v.errorf("%v", err)
			}
			if et.kind == ExternType && et.ty.res != nil {
				et.ty.res = &resource{aliasOf: et.ty.res}
				resNames[pn.label] = et.ty.res
			}
			if err := v.checkResourceName(s, e.Name.Name, pn, et, resNames); err != nil {
				return err
			}
			it.exports = append(it.exports, namedExt{e.Name.Name, et})
			it.size += et.size()
		}
		if err := v.checkSize(it.size); err != nil {
			return err
		}
		s.instances = append(s.instances, it)
		return nil
	}
	if int(in.Component) >= len(s.components) {
		return v.errorf("unknown component %d: component index out of bounds", in.Component)
	}
	ct := s.components[in.Component]
	args := map[string]externT{}
	var names nameSet
	for _, a := range in.Args {
		if err := names.add(a.Name, "instantiation argument"); err != nil {
			return v.errorf("instantiation argument `%s` conflicts with previous argument", a.Name)
		}
		et, err := v.itemType(s, a.Item)
		if err != nil {
			return err
		}
		args[a.Name] = et
	}
	m := newMatcher()
	m.allow(ct.imported)
	for _, im := range ct.imports {
		arg, ok := args[im.name]
		if !ok {
			return v.errorf("missing import named `%s`", im.name)
		}
		if err := externSub(arg, im.t, m); err != nil {
			return v.errorf("type mismatch for import `%s`: %v", im.name, err)
		}
	}
	bind := map[*resource]*resource{}
	for _, r := range ct.imported {
		bind[r] = m.resolve(r)
	}
	freshen(ct.defined, s, false, bind)
	sub := newSubstituter(bind)
	// Imported value types are replaced by the supplied ones.
	for _, im := range ct.imports {
		if im.t.kind == ExternType && im.t.ty.val != nil {
			sub.vals[im.t.ty.val] = args[im.name].ty.val
		}
		if im.t.kind == ExternInstance {
			mapInstanceTypes(im.t.inst, args[im.name].inst, sub.vals)
		}
	}
	it := &instT{exports: sub.named(ct.exports), size: ct.size}
	it.hasRes = anyRes(it.exports)
	s.instances = append(s.instances, it)
	return nil
}

// componentType validates a component type's declarators.
func (v *validator) componentType(s *scope, decls []Decl) (*compT, error) {
	ts, err := v.typeScope(s, scopeComponentType, decls)
	if err != nil {
		return nil, err
	}
	ct := &compT{imports: ts.imports, exports: ts.exports, imported: ts.imported, defined: ts.defined}
	ct.hasRes = anyRes(ct.imports, ct.exports)
	return ct, v.sizeCompT(ct)
}

// instanceType validates an instance type's declarators.
func (v *validator) instanceType(s *scope, decls []Decl) (*instT, error) {
	ts, err := v.typeScope(s, scopeInstanceType, decls)
	if err != nil {
		return nil, err
	}
	it := &instT{exports: ts.exports, defined: ts.defined, size: 1}
	it.hasRes = anyRes(it.exports)
	for _, e := range it.exports {
		it.size += e.t.size()
	}
	return it, v.checkSize(it.size)
}

func (v *validator) typeScope(s *scope, kind scopeKind, decls []Decl) (*scope, error) {
	v.depth++
	defer func() { v.depth-- }()
	if v.depth > MaxNesting {
		return nil, v.errorf("nesting too deep")
	}
	ts := newScope(s, kind)
	for _, d := range decls {
		var err error
		switch d.Kind {
		case DeclCoreType:
			err = v.coreTypeDef(ts, *d.CoreType)
		case DeclType:
			var te typeEntry
			if te, err = v.typeDef(ts, *d.Type); err == nil {
				ts.types = append(ts.types, te)
			}
		case DeclAlias:
			a := *d.Alias
			switch {
			case a.Kind == AliasExport && a.Sort != SortInstance && a.Sort != SortType:
				err = v.errorf("export aliases in type declarations may only alias instances and types, not %s", a.Sort)
			case a.Kind == AliasCoreExport:
				err = v.errorf("core export aliases are not allowed in type declarations")
			case a.Kind == AliasOuter && a.Sort != SortType && a.Sort != SortCoreType:
				err = v.errorf("outer aliases in type declarations may only alias types and core types, not %s", a.Sort)
			default:
				err = v.alias(ts, a)
			}
		case DeclImport:
			err = v.importDecl(ts, d.Name, d.Desc)
		case DeclExport:
			err = v.exportDecl(ts, d.Name, d.Desc)
		}
		if err != nil {
			return nil, err
		}
	}
	return ts, nil
}

// mapInstanceTypes records, for the value types an expected instance
// exports, the types the supplied instance exports under the same names,
// so that instantiation substitutes them like type imports.
func mapInstanceTypes(want, got *instT, vals map[*vtype]*vtype) {
	for _, x := range want.exports {
		g, ok := got.export(x.name)
		if !ok || g.kind != x.t.kind {
			continue
		}
		switch x.t.kind {
		case ExternType:
			if x.t.ty.val != nil && g.ty.val != nil {
				vals[x.t.ty.val] = g.ty.val
			}
		case ExternInstance:
			mapInstanceTypes(x.t.inst, g.inst, vals)
		}
	}
}
