package compose

import (
	"fmt"

	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/wit"
)

// encoder builds the outer component and counts its index spaces.
type encoder struct {
	c          *component.Component
	types      uint32
	funcs      uint32
	instances  uint32
	components uint32
	// wtInstances maps instance indices of the world type to the outer
	// component's (imports keep theirs; exports are re-numbered).
	wtInstances []uint32
	imports     map[string]component.SortIdx // outer imports by name
	aliases     map[aliasKey]component.SortIdx
}

type aliasKey struct {
	instance uint32
	name     string
}

func newEncoder() *encoder {
	return &encoder{c: &component.Component{Version: 0x0d}, imports: map[string]component.SortIdx{},
		aliases: map[aliasKey]component.SortIdx{}}
}

// encode emits the composed component of plan pl with world b.
func encode(pl *plan, b *worldBuilder) (*component.Component, error) {
	wt, err := component.WorldType(b.out, b.worldID)
	if err != nil {
		return nil, fmt.Errorf("encoding the composed world: %w", err)
	}
	split := importHalf(wt.Decls)
	e := newEncoder()
	for _, d := range wt.Decls[:split] {
		if err := e.importDecl(d); err != nil {
			return nil, err
		}
	}
	in := &instantiator{e: e, pl: pl, b: b, comps: map[*part]uint32{}, insts: map[*part]uint32{},
		reexported: map[*extern]component.SortIdx{}}
	for _, p := range pl.order {
		e.add(&component.ComponentSection{Component: p.comp})
		in.comps[p] = e.components
		e.components++
	}
	// Exports alias the socket's exports, or for a re-exported linked
	// interface the plug's; instances are made as exports need them. A
	// re-export has no type ascription: wasm-tools does not accept
	// ascribing (sub resource) to a resource of a nested instance, and
	// without one the export keeps the plug's resource types, which the
	// socket's exports name.
	var source *extern
	fromInstances := func(name string, sort component.Sort) (component.SortIdx, bool, error) {
		ex, ok := b.sources[name]
		if !ok {
			return component.SortIdx{}, false, fmt.Errorf("the composed world exports %s, which no component provides", name)
		}
		if err := in.through(ex.part); err != nil {
			return component.SortIdx{}, false, err
		}
		source = ex
		return e.alias(in.insts[ex.part], ex.name, sort), ex.part == pl.parts[0], nil
	}
	for _, d := range wt.Decls[split:] {
		source = nil
		it, err := e.exportDecl(fromInstances, d)
		if err != nil {
			return nil, err
		}
		if source != nil && source.part != pl.parts[0] {
			in.reexported[source] = it
		}
	}
	if err := in.through(pl.parts[0]); err != nil {
		return nil, err
	}
	return e.c, nil
}

// instantiator instantiates the nested components in plan order.
type instantiator struct {
	e     *encoder
	pl    *plan
	b     *worldBuilder
	comps map[*part]uint32 // component index of each part
	insts map[*part]uint32 // instance index of each instantiated part
	next  int              // the next part of pl.order to instantiate
	// reexported: plug exports the composed component re-exports. A
	// resource an export defines is a new type to what follows it, so
	// later instances take the exported instance rather than the plug's.
	reexported map[*extern]component.SortIdx
}

// through instantiates the parts up to p in plan order.
func (in *instantiator) through(p *part) error {
	for {
		if _, done := in.insts[p]; done {
			return nil
		}
		if in.next >= len(in.pl.order) {
			return fmt.Errorf("%s is not part of the composition", p.name)
		}
		q := in.pl.order[in.next]
		in.next++
		inst := component.Instance{Component: in.comps[q]}
		for _, im := range q.imports {
			item, err := in.argFor(im)
			if err != nil {
				return err
			}
			inst.Args = append(inst.Args, component.InstantiateArg{Name: im.name, Item: item})
		}
		in.e.add(&component.InstanceSection{Instances: []component.Instance{inst}})
		in.insts[q] = in.e.instances
		in.e.instances++
	}
}

// argFor is what instantiates import im: a plug's export (or the
// composed component's re-export of it) or an outer import.
func (in *instantiator) argFor(im *extern) (component.SortIdx, error) {
	if ex, ok := in.pl.links[im]; ok {
		if it, ok := in.reexported[ex]; ok {
			return it, nil
		}
		sort := component.SortInstance
		if ex.item.Kind == wit.ItemFunction {
			sort = component.SortFunc
		}
		return in.e.alias(in.insts[ex.part], ex.name, sort), nil
	}
	sh, ok := in.b.served[im]
	if !ok {
		return component.SortIdx{}, fmt.Errorf("%s: import %s is neither linked nor imported", im.part.name, im.name)
	}
	name := in.b.externNameOf(sh.key)
	it, ok := in.e.imports[name]
	if !ok {
		return component.SortIdx{}, fmt.Errorf("%s: import %s: the composed component has no import %s", im.part.name, im.name, name)
	}
	return it, nil
}

// importHalf is the length of the declarators up to the last import: the
// world type lists its imports (with the types they need) first.
func importHalf(decls []component.Decl) int {
	split := 0
	for i, d := range decls {
		if d.Kind == component.DeclImport {
			split = i + 1
		}
	}
	return split
}

// add appends a section, joining it to the previous one when both are
// vector sections of the same kind.
func (e *encoder) add(s component.Section) {
	if n := len(e.c.Sections); n > 0 {
		switch last := e.c.Sections[n-1].(type) {
		case *component.TypeSection:
			if s, ok := s.(*component.TypeSection); ok {
				last.Types = append(last.Types, s.Types...)
				return
			}
		case *component.AliasSection:
			if s, ok := s.(*component.AliasSection); ok {
				last.Aliases = append(last.Aliases, s.Aliases...)
				return
			}
		case *component.ImportSection:
			if s, ok := s.(*component.ImportSection); ok {
				last.Imports = append(last.Imports, s.Imports...)
				return
			}
		case *component.InstanceSection:
			if s, ok := s.(*component.InstanceSection); ok {
				last.Instances = append(last.Instances, s.Instances...)
				return
			}
		case *component.ExportSection:
			if s, ok := s.(*component.ExportSection); ok {
				last.Exports = append(last.Exports, s.Exports...)
				return
			}
		}
	}
	e.c.Sections = append(e.c.Sections, s)
}

// importDecl copies a declarator of the world type's import half. Nothing
// precedes them in the outer component, so their indices are unchanged.
func (e *encoder) importDecl(d component.Decl) error {
	switch d.Kind {
	case component.DeclCoreType:
		e.add(&component.CoreTypeSection{Types: []component.CoreType{*d.CoreType}})
	case component.DeclType:
		e.add(&component.TypeSection{Types: []component.Type{*d.Type}})
		e.types++
	case component.DeclAlias:
		return e.typeAlias(*d.Alias)
	case component.DeclImport:
		e.add(&component.ImportSection{Imports: []component.Import{{Name: d.Name, Desc: d.Desc}}})
		switch d.Desc.Kind {
		case component.ExternInstance:
			e.imports[d.Name.Name] = component.SortIdx{Sort: component.SortInstance, Index: e.instances}
			e.wtInstances = append(e.wtInstances, e.instances)
			e.instances++
		case component.ExternFunc:
			e.imports[d.Name.Name] = component.SortIdx{Sort: component.SortFunc, Index: e.funcs}
			e.funcs++
		case component.ExternType:
			e.imports[d.Name.Name] = component.SortIdx{Sort: component.SortType, Index: e.types}
			e.types++
		default:
			return fmt.Errorf("the composed world imports a %d extern, which compose does not handle", d.Desc.Kind)
		}
	default:
		return fmt.Errorf("unexpected declarator %d in the composed world's imports", d.Kind)
	}
	return nil
}

// typeAlias copies a type alias of the world type (an export alias of an
// imported or exported instance), renumbering the instance.
func (e *encoder) typeAlias(a component.Alias) error {
	if a.Sort != component.SortType || a.Kind != component.AliasExport || int(a.Instance) >= len(e.wtInstances) {
		return fmt.Errorf("unexpected alias in the composed world type")
	}
	a.Instance = e.wtInstances[a.Instance]
	e.add(&component.AliasSection{Aliases: []component.Alias{a}})
	e.types++
	return nil
}

// exportSource gives the item exported under name, and whether to ascribe
// the world's type to it.
type exportSource func(name string, sort component.Sort) (item component.SortIdx, ascribe bool, err error)

// exportDecl turns a declarator of the world type's export half into the
// outer component: types and aliases as they are, an export declarator
// into an export of the item source gives (the socket's) with the
// declared type ascribed.
// It returns the index an export declarator's export gets.
func (e *encoder) exportDecl(source exportSource, d component.Decl) (component.SortIdx, error) {
	switch d.Kind {
	case component.DeclType:
		e.add(&component.TypeSection{Types: []component.Type{*d.Type}})
		e.types++
		return component.SortIdx{}, nil
	case component.DeclAlias:
		return component.SortIdx{}, e.typeAlias(*d.Alias)
	case component.DeclExport:
	default:
		return component.SortIdx{}, fmt.Errorf("unexpected declarator %d in the composed world's exports", d.Kind)
	}
	desc := d.Desc
	var sort component.Sort
	switch desc.Kind {
	case component.ExternInstance:
		sort = component.SortInstance
	case component.ExternFunc:
		sort = component.SortFunc
	default:
		return component.SortIdx{}, fmt.Errorf("the socket exports %s as a %d extern, which compose does not handle", d.Name.Name, desc.Kind)
	}
	item, ascribe, err := source(d.Name.Name, sort)
	if err != nil {
		return component.SortIdx{}, err
	}
	ex := component.Export{Name: d.Name, Item: item}
	if ascribe {
		ex.Desc = &desc
	}
	e.add(&component.ExportSection{Exports: []component.Export{ex}})
	it := component.SortIdx{Sort: sort}
	if sort == component.SortInstance {
		it.Index = e.instances
		e.wtInstances = append(e.wtInstances, e.instances)
		e.instances++
	} else {
		it.Index = e.funcs
		e.funcs++
	}
	return it, nil
}

// alias makes (once) an alias of an export of an inner instance.
func (e *encoder) alias(instance uint32, name string, sort component.Sort) component.SortIdx {
	k := aliasKey{instance, name}
	if it, ok := e.aliases[k]; ok {
		return it
	}
	e.add(&component.AliasSection{Aliases: []component.Alias{{Sort: sort, Kind: component.AliasExport, Instance: instance, Name: name}}})
	it := component.SortIdx{Sort: sort}
	if sort == component.SortInstance {
		it.Index = e.instances
		e.instances++
	} else {
		it.Index = e.funcs
		e.funcs++
	}
	e.aliases[k] = it
	return it
}
