package engine

import (
	"context"

	"github.com/witgo/witgo/component"
)

// importProvider supplies the item for one import of a component being
// instantiated: the instantiate arguments for a nested component, the
// host's Imports for the root.
type importProvider func(imp *component.Import, s *scope) (sortItem, error)

// run evaluates a component's sections in order in a fresh scope. This is
// the flattening pass: nested components, instances and aliases are
// resolved to core modules in wazero's store plus host trampolines, so
// no component-level structure remains at call time.
func (t *Instance) run(ctx context.Context, def *compDef, provide importProvider, parent *compInstance) (*scope, error) {
	ci := &compInstance{top: t, mayLeave: true, parent: parent}
	ci.handles.init()
	if t.st != nil && t.st.threads {
		ci.threads.init()
	}
	t.compInsts = append(t.compInsts, ci)
	s := &scope{parent: def.outer, inst: ci, top: t, exports: map[string]sortItem{}}
	for _, sec := range def.ast.Sections {
		if err := t.section(ctx, s, sec, provide); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (t *Instance) section(ctx context.Context, s *scope, sec component.Section, provide importProvider) error {
	switch sec := sec.(type) {
	case *component.CustomSection:
	case *component.CoreModuleSection:
		cm := t.compiled.modules[sec.Module]
		if cm == nil {
			return errorf("core module was not compiled")
		}
		s.modules = append(s.modules, &moduleDef{ast: sec.Module, compiled: cm})
	case *component.CoreTypeSection:
		for range sec.Types {
			s.coreTypes = append(s.coreTypes, nil)
		}
	case *component.ComponentSection:
		s.comps = append(s.comps, &compDef{ast: sec.Component, outer: s})
	case *component.CoreInstanceSection:
		for i := range sec.Instances {
			ci, err := t.coreInstance(ctx, s, &sec.Instances[i])
			if err != nil {
				return err
			}
			s.coreInsts = append(s.coreInsts, ci)
		}
	case *component.InstanceSection:
		for i := range sec.Instances {
			iv, err := t.componentInstance(ctx, s, &sec.Instances[i])
			if err != nil {
				return err
			}
			s.instances = append(s.instances, iv)
		}
	case *component.AliasSection:
		for i := range sec.Aliases {
			it, err := s.alias(&sec.Aliases[i])
			if err != nil {
				return err
			}
			if err := s.push(it); err != nil {
				return err
			}
		}
	case *component.TypeSection:
		for i := range sec.Types {
			e, err := s.defineType(&sec.Types[i])
			if err != nil {
				return err
			}
			s.types = append(s.types, e)
		}
	case *component.CanonSection:
		for i := range sec.Funcs {
			if err := t.canon(ctx, s, &sec.Funcs[i]); err != nil {
				return err
			}
		}
	case *component.StartSection:
		return t.start(ctx, s, &sec.Start)
	case *component.ImportSection:
		for i := range sec.Imports {
			imp := &sec.Imports[i]
			it, err := s.importItem(imp, provide)
			if err != nil {
				return err
			}
			if err := s.push(it); err != nil {
				return err
			}
		}
	case *component.ExportSection:
		for _, ex := range sec.Exports {
			it, err := s.get(ex.Item.Sort, ex.Item.Index)
			if err != nil {
				return err
			}
			s.exports[ex.Name.Name] = it
			if err := s.push(it); err != nil {
				return err
			}
		}
	case *component.ValueSection:
		return unsupported("value sections")
	default:
		return unsupported("section id %d", sec.ID())
	}
	return nil
}

// importItem binds one import. A type import with an equality bound is
// the type it names; everything else comes from the provider.
func (s *scope) importItem(imp *component.Import, provide importProvider) (sortItem, error) {
	if imp.Desc.Kind == component.ExternType && imp.Desc.Bound == 0 {
		e, err := s.typeAt(imp.Desc.Index)
		return sortItem{component.SortType, e}, err
	}
	if imp.Desc.Kind == component.ExternValue {
		return sortItem{}, unsupported("value imports (%s)", imp.Name.Name)
	}
	it, err := provide(imp, s)
	if err != nil {
		return sortItem{}, err
	}
	if want := externSort(imp.Desc.Kind); it.sort != want {
		return sortItem{}, &LinkError{Name: imp.Name.Name, Reason: "expected a " + want.String() + ", given a " + it.sort.String()}
	}
	return it, nil
}

func externSort(kind byte) component.Sort {
	switch kind {
	case component.ExternModule:
		return component.SortCoreModule
	case component.ExternFunc:
		return component.SortFunc
	case component.ExternValue:
		return component.SortValue
	case component.ExternType:
		return component.SortType
	case component.ExternComponent:
		return component.SortComponent
	}
	return component.SortInstance
}

// LinkError is an import that cannot be satisfied.
type LinkError struct{ Name, Reason string }

func (e *LinkError) Error() string { return "engine: import " + e.Name + ": " + e.Reason }

func (t *Instance) componentInstance(ctx context.Context, s *scope, in *component.Instance) (*instanceVal, error) {
	if in.FromExports {
		iv := &instanceVal{exports: map[string]sortItem{}}
		for _, ex := range in.Exports {
			it, err := s.get(ex.Item.Sort, ex.Item.Index)
			if err != nil {
				return nil, err
			}
			iv.exports[ex.Name.Name] = it
		}
		return iv, nil
	}
	def, err := at(s.comps, in.Component, component.SortComponent)
	if err != nil {
		return nil, err
	}
	args := map[string]sortItem{}
	for _, a := range in.Args {
		it, err := s.get(a.Item.Sort, a.Item.Index)
		if err != nil {
			return nil, err
		}
		args[a.Name] = it
	}
	child, err := t.run(ctx, def, func(imp *component.Import, _ *scope) (sortItem, error) {
		it, ok := args[imp.Name.Name]
		if !ok {
			return sortItem{}, &LinkError{Name: imp.Name.Name, Reason: "no argument given"}
		}
		return it, nil
	}, s.inst)
	if err != nil {
		return nil, err
	}
	return &instanceVal{exports: child.exports}, nil
}

func (s *scope) alias(a *component.Alias) (sortItem, error) {
	switch a.Kind {
	case component.AliasExport:
		iv, err := at(s.instances, a.Instance, component.SortInstance)
		if err != nil {
			return sortItem{}, err
		}
		it, ok := iv.exports[a.Name]
		if !ok {
			return sortItem{}, errorf("instance has no export %q", a.Name)
		}
		if it.sort != a.Sort {
			return sortItem{}, errorf("export %q is a %s, not a %s", a.Name, it.sort, a.Sort)
		}
		return it, nil
	case component.AliasCoreExport:
		ci, err := at(s.coreInsts, a.Instance, component.SortCoreInstance)
		if err != nil {
			return sortItem{}, err
		}
		x, err := ci.export(a.Name, a.Sort)
		if err == nil && component.Sort(x.kind)|component.CoreSort != a.Sort {
			err = errorf("core export %q is not a %s", a.Name, a.Sort)
		}
		return sortItem{a.Sort, x}, err
	case component.AliasOuter:
		o := s
		for n := a.Count; n > 0 && o != nil; n-- {
			o = o.parent
		}
		if o == nil {
			return sortItem{}, errorf("outer alias reaches past the root")
		}
		return o.get(a.Sort, a.Index)
	}
	return sortItem{}, errorf("unknown alias kind %d", a.Kind)
}

func (t *Instance) start(ctx context.Context, s *scope, st *component.Start) error {
	f, err := at(s.funcs, st.Func, component.SortFunc)
	if err != nil {
		return err
	}
	if len(st.Args) != 0 || st.Results != 0 {
		return unsupported("start functions with values")
	}
	if t.st != nil {
		_, err = (&Func{t: t, f: f}).callGeneral(ctx, nil)
		return err
	}
	_, _, err = t.callValues(ctx, f, nil)
	return err
}
