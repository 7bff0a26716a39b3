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
	case *InstanceSection:
		for range sec.Instances {
			s.instances = append(s.instances, &iEntry{types: map[string]wit.Type{}, funcs: map[string]*FuncType{}})
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
	}
	return fmt.Errorf("the %s has no type ascription; witgo cannot describe it yet", ex.Item.Sort)
}
