package component

import "github.com/witgo/witgo/component/wasm"

// compBuilder appends sections to a component and keeps the counts of its
// index spaces, so that each definition can return its index.
// Consecutive definitions of one kind share a section.
type compBuilder struct {
	c                                   Component
	coreFuncs, coreInsts, coreModules   uint32
	coreTables, coreMems                uint32
	funcs, types, instances, components uint32
}

func newCompBuilder() *compBuilder { return &compBuilder{c: Component{Version: 0x0d}} }

// lastSection returns the last section if it is a T, or appends a new one.
func lastSection[T any, P interface {
	*T
	Section
}](b *compBuilder) P {
	if n := len(b.c.Sections); n > 0 {
		if s, ok := b.c.Sections[n-1].(P); ok {
			return s
		}
	}
	s := P(new(T))
	b.c.Sections = append(b.c.Sections, s)
	return s
}

func (b *compBuilder) coreModule(m *wasm.Module) uint32 {
	b.c.Sections = append(b.c.Sections, &CoreModuleSection{Module: m})
	b.coreModules++
	return b.coreModules - 1
}

func (b *compBuilder) coreInstance(ci CoreInstance) uint32 {
	s := lastSection[CoreInstanceSection](b)
	s.Instances = append(s.Instances, ci)
	b.coreInsts++
	return b.coreInsts - 1
}

func (b *compBuilder) instantiate(mod uint32, args []CoreInstantiateArg) uint32 {
	return b.coreInstance(CoreInstance{Module: mod, Args: args})
}

func (b *compBuilder) coreBundle(exports []CoreInlineExport) uint32 {
	return b.coreInstance(CoreInstance{FromExports: true, Exports: exports})
}

func (b *compBuilder) alias(a Alias) uint32 {
	s := lastSection[AliasSection](b)
	s.Aliases = append(s.Aliases, a)
	return b.bump(a.Sort)
}

// aliasCore aliases the export name of core instance inst.
func (b *compBuilder) aliasCore(inst uint32, name string, sort Sort) uint32 {
	return b.alias(Alias{Sort: sort, Kind: AliasCoreExport, Instance: inst, Name: name})
}

// bump adds one item to the index space of sort and returns its index.
func (b *compBuilder) bump(sort Sort) uint32 {
	var n *uint32
	switch sort {
	case SortCoreFunc:
		n = &b.coreFuncs
	case SortCoreTable:
		n = &b.coreTables
	case SortCoreMemory:
		n = &b.coreMems
	case SortCoreModule:
		n = &b.coreModules
	case SortCoreInstance:
		n = &b.coreInsts
	case SortFunc:
		n = &b.funcs
	case SortType:
		n = &b.types
	case SortInstance:
		n = &b.instances
	default:
		return 0
	}
	*n++
	return *n - 1
}

// canon adds a canonical definition; lift defines a func, the others a
// core func.
func (b *compBuilder) canon(c Canon) uint32 {
	s := lastSection[CanonSection](b)
	s.Funcs = append(s.Funcs, c)
	if c.Op == CanonLift {
		return b.bump(SortFunc)
	}
	return b.bump(SortCoreFunc)
}

func (b *compBuilder) defineType(t Type) uint32 {
	s := lastSection[TypeSection](b)
	s.Types = append(s.Types, t)
	return b.bump(SortType)
}

func (b *compBuilder) instance(in Instance) uint32 {
	s := lastSection[InstanceSection](b)
	s.Instances = append(s.Instances, in)
	return b.bump(SortInstance)
}

func (b *compBuilder) importItem(name string, desc ExternDesc) {
	s := lastSection[ImportSection](b)
	s.Imports = append(s.Imports, Import{Name: ExternName{Name: name}, Desc: desc})
	b.bump(externSort(desc.Kind))
}

func (b *compBuilder) export(name string, item SortIdx, desc *ExternDesc) uint32 {
	s := lastSection[ExportSection](b)
	s.Exports = append(s.Exports, Export{Name: ExternName{Name: name}, Item: item, Desc: desc})
	return b.bump(item.Sort)
}

func externSort(kind byte) Sort {
	switch kind {
	case ExternModule:
		return SortCoreModule
	case ExternFunc:
		return SortFunc
	case ExternValue:
		return SortValue
	case ExternType:
		return SortType
	case ExternComponent:
		return SortComponent
	}
	return SortInstance
}

// decl replays a declarator of a component type as a definition of the
// component (imports, types and aliases; exports are the caller's job).
func (b *compBuilder) decl(d Decl) {
	switch d.Kind {
	case DeclType:
		b.defineType(*d.Type)
	case DeclAlias:
		b.alias(*d.Alias)
	case DeclImport:
		b.importItem(d.Name.Name, d.Desc)
	}
}
