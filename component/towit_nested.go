package component

import (
	"errors"
	"fmt"

	"github.com/witgo/witgo/wit"
)

// Instances of nested components. A composition (witgo compose, wac)
// instantiates its parts and aliases functions, types and instances out
// of them; to name their types the nested component's body is followed
// with its imports bound to the `with` arguments, so its exports share
// the entries of the outer index spaces they come from.

// instanceShape is what an instance of a nested component (or a bundle of
// exports) exports, by sort, in order.
type instanceShape struct {
	typeNames     []string
	types         map[string]*tEntry
	funcNames     []string
	funcs         map[string]*fEntry
	instanceNames []string
	instances     map[string]*iEntry
	scope         *decodeScope
}

func newShape(scope *decodeScope) *instanceShape {
	return &instanceShape{types: map[string]*tEntry{}, funcs: map[string]*fEntry{}, instances: map[string]*iEntry{}, scope: scope}
}

// add records export name of sort, whose entry is the last one of s's
// index space of that sort.
func (sh *instanceShape) add(s *decodeScope, name string, sort Sort) {
	switch sort {
	case SortType:
		sh.typeNames = append(sh.typeNames, name)
		sh.types[name] = s.types[len(s.types)-1]
	case SortFunc:
		sh.funcNames = append(sh.funcNames, name)
		sh.funcs[name] = s.funcs[len(s.funcs)-1]
	case SortInstance:
		sh.instanceNames = append(sh.instanceNames, name)
		sh.instances[name] = s.instances[len(s.instances)-1]
	}
}

// nestedBudget bounds the sections followed through instantiations: a
// component instantiating its nested components several times at every
// level would otherwise take exponential time.
const nestedBudget = 1 << 16

var errNestedBudget = errors.New("too many nested instantiations to follow")

// bodySection handles a section that defines items of a component's own
// index spaces (every section but imports and exports).
func (d *worldDecoder) bodySection(s *decodeScope, sec Section) error {
	switch sec := sec.(type) {
	case *TypeSection:
		for i := range sec.Types {
			if sec.Types[i].Resource != nil {
				s.types = append(s.types, &tEntry{})
				continue
			}
			if err := d.typeDecl(s, &sec.Types[i]); err != nil {
				return err
			}
		}
	case *AliasSection:
		for i := range sec.Aliases {
			if a := &sec.Aliases[i]; !a.Sort.IsCore() && a.Kind != AliasCoreExport {
				if err := d.alias(s, a); err != nil {
					return err
				}
			}
		}
	case *CanonSection:
		for _, c := range sec.Funcs {
			if c.Op == CanonLift {
				ft, err := funcTypeAt(s, c.Type)
				if err != nil {
					return err
				}
				s.funcs = append(s.funcs, &fEntry{ft: ft, scope: s})
			}
		}
	case *ComponentSection:
		s.components = append(s.components, &cEntry{c: sec.Component, scope: s})
	case *InstanceSection:
		for _, in := range sec.Instances {
			s.instances = append(s.instances, d.instantiate(s, in))
		}
	}
	return nil
}

// instantiate follows `(instantiate c (with ...))` of a nested component,
// or a bundle of exports. An instance that cannot be followed records why
// (it matters only if something is taken out of it).
func (d *worldDecoder) instantiate(s *decodeScope, in Instance) *iEntry {
	if in.FromExports {
		sh := newShape(s)
		child := &decodeScope{parent: s.parent, owner: s.owner}
		for _, ex := range in.Exports {
			if err := pushItem(s, child, ex.Item); err != nil {
				return &iEntry{err: fmt.Errorf("export %q: %w", ex.Name.Name, err)}
			}
			sh.add(child, ex.Name.Name, ex.Item.Sort)
		}
		return &iEntry{shape: sh}
	}
	if int(in.Component) >= len(s.components) || s.components[in.Component] == nil {
		return &iEntry{err: fmt.Errorf("instantiates component %d, which witgo cannot follow", in.Component)}
	}
	args := map[string]SortIdx{}
	for _, a := range in.Args {
		args[a.Name] = a.Item
	}
	ce := s.components[in.Component]
	child := &decodeScope{parent: ce.scope, owner: s.owner}
	sh, err := d.nestedBody(s, child, ce.c, args)
	if err != nil {
		return &iEntry{err: fmt.Errorf("instance of component %d: %w", in.Component, err)}
	}
	return &iEntry{shape: sh}
}

// pushItem appends to dst's index space of item's sort the entry item
// names in src.
func pushItem(src, dst *decodeScope, item SortIdx) error {
	ok := true
	switch item.Sort {
	case SortType:
		ok = pushAt(&dst.types, src.types, item.Index)
	case SortFunc:
		ok = pushAt(&dst.funcs, src.funcs, item.Index)
	case SortInstance:
		ok = pushAt(&dst.instances, src.instances, item.Index)
	case SortComponent:
		ok = pushAt(&dst.components, src.components, item.Index)
	} // values and core items are not followed
	if !ok {
		return fmt.Errorf("%s index %d out of bounds", item.Sort, item.Index)
	}
	return nil
}

func pushAt[T any](dst *[]T, src []T, i uint32) bool {
	if int(i) >= len(src) {
		return false
	}
	*dst = append(*dst, src[i])
	return true
}

// nestedBody walks the sections of nested component c instantiated in
// outer, its imports bound to args, and returns what it exports.
func (d *worldDecoder) nestedBody(outer, s *decodeScope, c *Component, args map[string]SortIdx) (*instanceShape, error) {
	sh := newShape(s)
	for _, sec := range c.Sections {
		if d.budget++; d.budget > nestedBudget {
			return nil, errNestedBudget
		}
		switch sec := sec.(type) {
		case *ImportSection:
			for _, im := range sec.Imports {
				if err := d.nestedImport(outer, s, im, args); err != nil {
					return nil, fmt.Errorf("import %q: %w", im.Name.Name, err)
				}
			}
		case *ExportSection:
			for _, ex := range sec.Exports {
				if err := d.nestedExport(s, ex); err != nil {
					return nil, fmt.Errorf("export %q: %w", ex.Name.Name, err)
				}
				sh.add(s, ex.Name.Name, ex.Item.Sort)
			}
		default:
			if err := d.bodySection(s, sec); err != nil {
				return nil, err
			}
		}
	}
	return sh, nil
}

// nestedImport binds an import of a nested component to its argument, or
// without one (a valid component has one) to what its type describes.
func (d *worldDecoder) nestedImport(outer, s *decodeScope, im Import, args map[string]SortIdx) error {
	if a, ok := args[im.Name.Name]; ok && a.Sort == externSort(im.Desc.Kind) {
		return pushItem(outer, s, a)
	}
	switch im.Desc.Kind {
	case ExternType:
		if im.Desc.Bound == 1 {
			s.types = append(s.types, &tEntry{})
		} else if int(im.Desc.Index) < len(s.types) {
			s.types = append(s.types, s.types[im.Desc.Index])
		} else {
			return fmt.Errorf("type index %d out of bounds", im.Desc.Index)
		}
	case ExternFunc:
		ft, err := funcTypeAt(s, im.Desc.Index)
		if err != nil {
			return err
		}
		s.funcs = append(s.funcs, &fEntry{ft: ft, scope: s})
	case ExternInstance:
		it, err := d.instanceTypeAt(s, im.Desc.Index)
		if err != nil {
			return err
		}
		s.instances = append(s.instances, &iEntry{it: it, itScope: s})
	case ExternComponent:
		s.components = append(s.components, nil)
	}
	return nil
}

// nestedExport appends the item an export of a nested component defines.
// An ascribed instance is described by its ascription (its resources are
// then the export's own); other ascriptions name the item's own entry.
func (d *worldDecoder) nestedExport(s *decodeScope, ex Export) error {
	if ex.Desc != nil {
		switch ex.Desc.Kind {
		case ExternInstance:
			it, err := d.instanceTypeAt(s, ex.Desc.Index)
			if err != nil {
				return err
			}
			s.instances = append(s.instances, &iEntry{it: it, itScope: s})
			return nil
		case ExternFunc:
			ft, err := funcTypeAt(s, ex.Desc.Index)
			if err != nil {
				return err
			}
			s.funcs = append(s.funcs, &fEntry{ft: ft, scope: s})
			return nil
		}
	}
	return pushItem(s, s, ex.Item)
}

// aliasExport takes export a.Name of instance inst into s.
func (d *worldDecoder) aliasExport(s *decodeScope, inst *iEntry, a *Alias) error {
	if inst.err != nil {
		return fmt.Errorf("instance %d: %w", a.Instance, inst.err)
	}
	if inst.it != nil {
		if err := d.describeLazy(inst, ""); err != nil {
			return fmt.Errorf("instance %d: %w", a.Instance, err)
		}
	}
	switch a.Sort {
	case SortType:
		if e, ok := inst.typeExport(a.Name); ok {
			s.types = append(s.types, e)
			return nil
		}
	case SortFunc:
		if fe, ok := inst.funcExport(a.Name); ok {
			s.funcs = append(s.funcs, fe)
			return nil
		}
	case SortInstance:
		if inst.shape == nil { // an interface holds no instances
			s.instances = append(s.instances, &iEntry{err: fmt.Errorf("instance %q of an interface", a.Name)})
			return nil
		}
		if ie, ok := inst.shape.instances[a.Name]; ok {
			s.instances = append(s.instances, ie)
			return nil
		}
	case SortComponent:
		s.components = append(s.components, nil)
		return nil
	default:
		return nil
	}
	return fmt.Errorf("instance %d has no %s export %q", a.Instance, a.Sort, a.Name)
}

func (inst *iEntry) typeExport(name string) (*tEntry, bool) {
	if inst.shape != nil {
		e, ok := inst.shape.types[name]
		return e, ok
	}
	t, ok := inst.types[name]
	return &tEntry{wit: t}, ok
}

func (inst *iEntry) funcExport(name string) (*fEntry, bool) {
	if inst.shape != nil {
		fe, ok := inst.shape.funcs[name]
		return fe, ok
	}
	fe, ok := inst.funcs[name]
	return fe, ok
}

// describeLazy decodes the instance type of inst into an interface: named
// name, or when name is "" a nameless one, not part of any package, which
// holds the types until the instance is exported under a name.
func (d *worldDecoder) describeLazy(inst *iEntry, name string) error {
	var id wit.InterfaceID
	if name == "" {
		id = wit.InterfaceID(len(d.r.Interfaces))
		d.r.Interfaces = append(d.r.Interfaces, &wit.Interface{Package: d.worldPkg})
		d.nameless[id] = true
	} else {
		var err error
		if id, _, err = d.newInterface(name); err != nil {
			return err
		}
	}
	body, err := d.interfaceBody(inst.itScope, id, inst.it)
	if err != nil {
		return err
	}
	*inst = *body
	return nil
}

// interfaceKey is the world key of an instance exported as name: a
// nameless interface takes the name.
func (d *worldDecoder) interfaceKey(id wit.InterfaceID, name string) (wit.WorldKey, error) {
	iface := d.r.Interfaces[id]
	if iface.Name != "" {
		return wit.InterfaceKey(id), nil
	}
	pkgName, ifName, named := splitInterfaceName(name)
	if !named {
		delete(d.nameless, id)
		return wit.NameKey(name), nil
	}
	if !d.nameless[id] {
		return wit.WorldKey{}, fmt.Errorf("an inline interface exported as %q cannot be described in WIT", name)
	}
	delete(d.nameless, id)
	pid, err := d.pkg(pkgName)
	if err != nil {
		return wit.WorldKey{}, err
	}
	if existing, ok := d.r.Packages[pid].Interfaces.Get(ifName); ok {
		return wit.InterfaceKey(existing), nil
	}
	iface.Name, iface.Package = ifName, pid
	d.r.Packages[pid].Interfaces.Set(ifName, id)
	return wit.InterfaceKey(id), nil
}
