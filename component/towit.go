package component

import (
	"fmt"

	"github.com/witgo/witgo/wit"
)

// ComponentWorld describes a component's imports and exports as a WIT
// world `root:component/root` (the names jco and wasm-tools print), with
// every interface it names in its own package. Top-level type
// definitions, aliases, imports, lifted functions and exports are
// followed; an export needs a type ascription unless it is a function
// or re-exports an import (components made by New carry them).
func ComponentWorld(c *Component) (*wit.Resolve, wit.WorldID, error) {
	d := newWorldDecoder()
	pid, err := d.pkg("root:component")
	if err != nil {
		return nil, 0, err
	}
	d.worldPkg = pid
	d.worldID = 0
	w := &wit.World{Name: "root", Package: pid}
	d.r.Worlds = append(d.r.Worlds, w)
	d.r.Packages[pid].Worlds.Set("root", 0)
	s := &decodeScope{owner: wit.Owner{Kind: wit.OwnerWorld, World: 0}}
	for _, sec := range c.Sections {
		if err := d.topSection(s, w, sec); err != nil {
			return nil, 0, fmt.Errorf("component wit: %w", err)
		}
	}
	return d.r, 0, nil
}

func (d *worldDecoder) topSection(s *decodeScope, w *wit.World, sec Section) error {
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
	case *ImportSection:
		for _, im := range sec.Imports {
			if err := d.worldExtern(s, &w.Imports, im.Name.Name, im.Desc); err != nil {
				return err
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
		s.components = append(s.components, sec.Component)
	case *InstanceSection:
		for _, in := range sec.Instances {
			s.instances = append(s.instances, d.instantiate(s, in))
		}
	case *ExportSection:
		for _, ex := range sec.Exports {
			if err := d.topExport(s, w, ex); err != nil {
				return fmt.Errorf("export %q: %w", ex.Name.Name, err)
			}
		}
	}
	return nil
}

func (d *worldDecoder) topExport(s *decodeScope, w *wit.World, ex Export) error {
	name := ex.Name.Name
	if ex.Desc != nil {
		return d.worldExtern(s, &w.Exports, name, *ex.Desc)
	}
	switch ex.Item.Sort {
	case SortFunc:
		if int(ex.Item.Index) >= len(s.funcs) {
			return fmt.Errorf("func index %d out of bounds", ex.Item.Index)
		}
		fe := s.funcs[ex.Item.Index]
		f, err := d.function(fe.scope, name, fe.ft, nil)
		if err != nil {
			return err
		}
		s.funcs = append(s.funcs, fe)
		w.Exports.Set(wit.NameKey(name), &wit.WorldItem{Kind: wit.ItemFunction, Function: f})
		return nil
	case SortType:
		return nil // a type export names a type for the other exports
	case SortInstance:
		if int(ex.Item.Index) < len(s.instances) && s.instances[ex.Item.Index].shape != nil {
			inst, err := d.exportedInstance(s, w, name, s.instances[ex.Item.Index])
			if err != nil {
				return err
			}
			s.instances = append(s.instances, inst)
			return nil
		}
	}
	return fmt.Errorf("the %s has no type ascription; witgo cannot describe it yet", ex.Item.Sort)
}

// instanceShape is what an instantiation of a nested component exports:
// its type and function exports in order, typed in the nested scope.
type instanceShape struct {
	typeNames []string
	types     map[string]*tEntry
	funcNames []string
	funcs     map[string]*FuncType
	scope     *decodeScope
}

// instantiate follows `(instantiate c (with ...))` of a nested component
// whose imports are types and functions (the export shims of
// wit-component and of New): each import is bound to its argument, and
// the component's exports are recorded. Anything else is an instance of
// unknown shape.
func (d *worldDecoder) instantiate(s *decodeScope, in Instance) *iEntry {
	inst := &iEntry{types: map[string]wit.Type{}, funcs: map[string]*FuncType{}}
	if in.FromExports || int(in.Component) >= len(s.components) {
		return inst
	}
	args := map[string]SortIdx{}
	for _, a := range in.Args {
		args[a.Name] = a.Item
	}
	child := &decodeScope{parent: s, owner: s.owner}
	shape := &instanceShape{types: map[string]*tEntry{}, funcs: map[string]*FuncType{}, scope: child}
	for _, sec := range s.components[in.Component].Sections {
		switch sec := sec.(type) {
		case *TypeSection:
			for i := range sec.Types {
				if d.typeDecl(child, &sec.Types[i]) != nil {
					return inst
				}
			}
		case *ImportSection:
			for _, im := range sec.Imports {
				a, ok := args[im.Name.Name]
				switch {
				case ok && im.Desc.Kind == ExternType && a.Sort == SortType && int(a.Index) < len(s.types):
					child.types = append(child.types, s.types[a.Index])
				case ok && im.Desc.Kind == ExternFunc && a.Sort == SortFunc && int(a.Index) < len(s.funcs):
					child.funcs = append(child.funcs, s.funcs[a.Index])
				default:
					return inst
				}
			}
		case *ExportSection:
			for _, ex := range sec.Exports {
				name := ex.Name.Name
				switch {
				case ex.Item.Sort == SortType && ex.Desc == nil && int(ex.Item.Index) < len(child.types):
					e := child.types[ex.Item.Index]
					shape.typeNames = append(shape.typeNames, name)
					shape.types[name] = e
					child.types = append(child.types, e)
				case ex.Item.Sort == SortFunc && ex.Desc != nil && ex.Desc.Kind == ExternFunc:
					ft, err := funcTypeAt(child, ex.Desc.Index)
					if err != nil {
						return inst
					}
					shape.funcNames = append(shape.funcNames, name)
					shape.funcs[name] = ft
				default:
					return inst
				}
			}
		default:
			return inst
		}
	}
	inst.shape = shape
	return inst
}

// exportedInstance makes the interface an exported shim instance stands for.
func (d *worldDecoder) exportedInstance(s *decodeScope, w *wit.World, name string, from *iEntry) (*iEntry, error) {
	id, key, err := d.newInterface(name)
	if err != nil {
		return nil, err
	}
	iface := d.r.Interfaces[id]
	sh := from.shape
	inst := &iEntry{iface: id, types: map[string]wit.Type{}, funcs: map[string]*FuncType{}, scope: sh.scope}
	owner := wit.Owner{Kind: wit.OwnerInterface, Interface: id}
	for _, tn := range sh.typeNames {
		e := sh.types[tn]
		td := &wit.TypeDef{Name: tn, Owner: owner}
		switch {
		case e.wit != wit.NoType:
			td.Kind = &wit.Alias{Type: e.wit}
		case e.def != nil && e.def.Kind == KindPrim:
			td.Kind = &wit.Alias{Type: witPrim[e.def.Prim]}
		case e.def != nil:
			k, err := d.defKind(e.scope, e.def)
			if err != nil {
				return nil, err
			}
			td.Kind = k
		default: // a resource defined by the component
			td.Kind = &wit.Resource{}
		}
		tid := wit.TypeID(len(d.r.Types))
		d.r.Types = append(d.r.Types, td)
		if e.wit == wit.NoType {
			e.wit = wit.Ref(tid)
		}
		iface.Types.Set(tn, tid)
		inst.types[tn] = wit.Ref(tid)
	}
	for _, fn := range sh.funcNames {
		f, err := d.function(sh.scope, fn, sh.funcs[fn], iface)
		if err != nil {
			return nil, err
		}
		iface.Functions.Set(fn, f)
		inst.funcs[fn] = sh.funcs[fn]
	}
	w.Exports.Set(key, &wit.WorldItem{Kind: wit.ItemInterface, Interface: id})
	return inst, nil
}
