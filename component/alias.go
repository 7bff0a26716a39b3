package component

import "github.com/witgo/witgo/component/wasm"

var coreSortKinds = map[Sort]byte{
	SortCoreFunc: wasm.ExternFunc, SortCoreTable: wasm.ExternTable, SortCoreMemory: wasm.ExternMemory,
	SortCoreGlobal: wasm.ExternGlobal, SortCoreTag: wasm.ExternTag,
}

var sortExternKinds = map[Sort]byte{
	SortCoreModule: ExternModule, SortFunc: ExternFunc, SortValue: ExternValue,
	SortType: ExternType, SortComponent: ExternComponent, SortInstance: ExternInstance,
}

// alias validates an alias and appends the aliased item.
func (v *validator) alias(s *scope, a Alias) error {
	switch a.Kind {
	case AliasCoreExport:
		if int(a.Instance) >= len(s.coreInstances) {
			return v.errorf("core instance index out of bounds: %d", a.Instance)
		}
		ce, ok := s.coreInstances[a.Instance].export(a.Name)
		if !ok {
			return v.errorf("core instance %d has no export named `%s`", a.Instance, a.Name)
		}
		want, ok := coreSortKinds[a.Sort]
		if !ok || ce.kind != want {
			return v.errorf("export `%s` for core instance %d is not a %s", a.Name, a.Instance, a.Sort)
		}
		s.addCoreItem(ce)
		return nil
	case AliasExport:
		if int(a.Instance) >= len(s.instances) {
			return v.errorf("instance index out of bounds: %d", a.Instance)
		}
		e, ok := s.instances[a.Instance].export(a.Name)
		if !ok {
			return v.errorf("instance %d has no export named `%s`", a.Instance, a.Name)
		}
		if want, ok := sortExternKinds[a.Sort]; !ok || e.kind != want {
			return v.errorf("export `%s` for instance %d is not a %s", a.Name, a.Instance, a.Sort)
		}
		_ = s.addItem(e, nil)
		return nil
	}
	return v.outerAlias(s, a)
}

func (v *validator) outerAlias(s *scope, a Alias) error {
	target := s
	crossesComponent := false
	for i := uint32(0); i < a.Count; i++ {
		if target.kind == scopeComponent {
			crossesComponent = true
		}
		if target = target.parent; target == nil {
			return v.errorf("invalid outer alias count of %d", a.Count)
		}
	}
	oob := func(n int) error {
		if int(a.Index) >= n {
			return v.errorf("%s index out of bounds: %d", a.Sort, a.Index)
		}
		return nil
	}
	switch a.Sort {
	case SortCoreType:
		if err := oob(len(target.coreTypes)); err != nil {
			return err
		}
		s.coreTypes = append(s.coreTypes, target.coreTypes[a.Index])
	case SortCoreModule:
		if err := oob(len(target.coreModules)); err != nil {
			return err
		}
		s.coreModules = append(s.coreModules, target.coreModules[a.Index])
	case SortComponent:
		if err := oob(len(target.components)); err != nil {
			return err
		}
		s.components = append(s.components, target.components[a.Index])
	case SortType:
		if err := oob(len(target.types)); err != nil {
			return err
		}
		te := target.types[a.Index]
		if crossesComponent && refersToResources(te) {
			return v.errorf("type index %d refers to resources not defined in the current component", a.Index)
		}
		s.types = append(s.types, te)
	default:
		return v.errorf("outer aliases cannot alias a %s", a.Sort)
	}
	return nil
}

func refersToResources(te typeEntry) bool {
	found := false
	forEachResource(externT{kind: ExternType, ty: te}, func(*resource) { found = true })
	return found
}
