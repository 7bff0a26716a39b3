package component

import (
	"fmt"

	"github.com/witgo/witgo/wit"
)

// ComponentWorld describes a component's imports and exports as a WIT
// world `root:component/root` (the names jco and wasm-tools print), with
// every interface it names in its own package. Top-level type
// definitions, aliases, imports, lifted functions, exports and the
// instances of nested components (whose exports are followed, with
// their imports bound to the `with` arguments) are read; an instance
// export without a type ascription is described by what it exports.
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
	case *ImportSection:
		for _, im := range sec.Imports {
			if err := d.worldExtern(s, &w.Imports, im.Name.Name, im.Desc); err != nil {
				return err
			}
		}
	case *ExportSection:
		for _, ex := range sec.Exports {
			if err := d.topExport(s, w, ex); err != nil {
				return fmt.Errorf("export %q: %w", ex.Name.Name, err)
			}
		}
	default:
		return d.bodySection(s, sec)
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
		if int(ex.Item.Index) < len(s.types) {
			s.types = append(s.types, s.types[ex.Item.Index])
		}
		return nil // a type export names a type for the other exports
	case SortInstance:
		if int(ex.Item.Index) >= len(s.instances) {
			return fmt.Errorf("instance index %d out of bounds", ex.Item.Index)
		}
		inst, err := d.exportedInstance(name, s.instances[ex.Item.Index])
		if err != nil {
			return err
		}
		key, err := d.interfaceKey(inst.iface, name)
		if err != nil {
			return err
		}
		s.instances = append(s.instances, inst)
		w.Exports.Set(key, &wit.WorldItem{Kind: wit.ItemInterface, Interface: inst.iface})
		return nil
	}
	return fmt.Errorf("the %s has no type ascription; witgo cannot describe it yet", ex.Item.Sort)
}

// exportedInstance makes the interface an instance exported without a
// type ascription stands for, named name.
func (d *worldDecoder) exportedInstance(name string, from *iEntry) (*iEntry, error) {
	switch {
	case from.err != nil:
		return nil, from.err
	case from.shape != nil:
		return d.shapeInterface(name, from.shape)
	case from.it != nil:
		return from, d.describeLazy(from, name)
	}
	return from, nil // an instance already described (an import)
}

// shapeInterface makes the interface of an instance of a nested component
// (or a bundle of exports): its types, then its functions.
func (d *worldDecoder) shapeInterface(name string, sh *instanceShape) (*iEntry, error) {
	id, _, err := d.newInterface(name)
	if err != nil {
		return nil, err
	}
	iface := d.r.Interfaces[id]
	inst := &iEntry{iface: id, types: map[string]wit.Type{}, funcs: map[string]*fEntry{}, scope: sh.scope}
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
		case e.fn != nil || e.inst != nil:
			return nil, fmt.Errorf("type %q is not a value type", tn)
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
	if len(sh.instanceNames) > 0 {
		return nil, fmt.Errorf("instance %q exports instance %q, which an interface cannot hold", name, sh.instanceNames[0])
	}
	for _, fn := range sh.funcNames {
		fe := sh.funcs[fn]
		f, err := d.function(fe.scope, fn, fe.ft, iface)
		if err != nil {
			return nil, err
		}
		iface.Functions.Set(fn, f)
		inst.funcs[fn] = fe
	}
	return inst, nil
}
