package component

import "github.com/witgo/witgo/component/wasm"

// Component is a decoded component: its sections in binary order.
type Component struct {
	Version  uint16 // 0x0d (current) or 0x0a (older tools)
	Sections []Section
}

// Section is one section of a component. The concrete types are
// *CustomSection, *CoreModuleSection, *CoreInstanceSection,
// *CoreTypeSection, *ComponentSection, *InstanceSection, *AliasSection,
// *TypeSection, *CanonSection, *StartSection, *ImportSection,
// *ExportSection and *ValueSection.
type Section interface {
	// ID is the section id of the binary format.
	ID() byte
	meta() *SectionMeta
}

// Section ids.
const (
	SecCustom       byte = 0
	SecCoreModule   byte = 1
	SecCoreInstance byte = 2
	SecCoreType     byte = 3
	SecComponent    byte = 4
	SecInstance     byte = 5
	SecAlias        byte = 6
	SecType         byte = 7
	SecCanon        byte = 8
	SecStart        byte = 9
	SecImport       byte = 10
	SecExport       byte = 11
	SecValue        byte = 12
)

// SectionMeta records where a decoded section came from: how many bytes
// its size used (so that non-minimal encodings survive a round trip; zero
// means minimal), its offset and the offsets of its items, which
// validation errors report. Sections built by hand leave it zero.
type SectionMeta struct {
	Width  int
	Offset int   // absolute offset of the section id byte in the decoded input
	items  []int // absolute offset of each item of vector sections
}

func (m *SectionMeta) meta() *SectionMeta { return m }

// itemOffset is the offset of item i, or of the section if unknown.
func (m *SectionMeta) itemOffset(i int) int {
	if i >= 0 && i < len(m.items) {
		return m.items[i]
	}
	return m.Offset
}

type (
	// CustomSection is a custom section (id 0), including "component-name".
	CustomSection struct {
		SectionMeta
		Name string
		Data []byte
	}
	// CoreModuleSection embeds one core module.
	CoreModuleSection struct {
		SectionMeta
		Module *wasm.Module
	}
	// CoreInstanceSection defines core instances.
	CoreInstanceSection struct {
		SectionMeta
		Instances []CoreInstance
	}
	// CoreTypeSection defines core types.
	CoreTypeSection struct {
		SectionMeta
		Types []CoreType
	}
	// ComponentSection embeds one nested component.
	ComponentSection struct {
		SectionMeta
		Component *Component
	}
	// InstanceSection defines component instances.
	InstanceSection struct {
		SectionMeta
		Instances []Instance
	}
	// AliasSection defines aliases.
	AliasSection struct {
		SectionMeta
		Aliases []Alias
	}
	// TypeSection defines component types.
	TypeSection struct {
		SectionMeta
		Types []Type
	}
	// CanonSection defines functions with canonical built-ins.
	CanonSection struct {
		SectionMeta
		Funcs []Canon
	}
	// StartSection is a start definition.
	StartSection struct {
		SectionMeta
		Start Start
	}
	// ImportSection defines imports.
	ImportSection struct {
		SectionMeta
		Imports []Import
	}
	// ExportSection defines exports.
	ExportSection struct {
		SectionMeta
		Exports []Export
	}
	// ValueSection defines values.
	ValueSection struct {
		SectionMeta
		Values []Value
	}
)

func (*CustomSection) ID() byte       { return SecCustom }
func (*CoreModuleSection) ID() byte   { return SecCoreModule }
func (*CoreInstanceSection) ID() byte { return SecCoreInstance }
func (*CoreTypeSection) ID() byte     { return SecCoreType }
func (*ComponentSection) ID() byte    { return SecComponent }
func (*InstanceSection) ID() byte     { return SecInstance }
func (*AliasSection) ID() byte        { return SecAlias }
func (*TypeSection) ID() byte         { return SecType }
func (*CanonSection) ID() byte        { return SecCanon }
func (*StartSection) ID() byte        { return SecStart }
func (*ImportSection) ID() byte       { return SecImport }
func (*ExportSection) ID() byte       { return SecExport }
func (*ValueSection) ID() byte        { return SecValue }

// Sort is a sort of the component index spaces. Core sorts are
// CoreSort|<core:sort byte>; component sorts are 0x01..0x05.
type Sort uint16

// Sorts.
const (
	CoreSort         Sort = 0x100
	SortCoreFunc     Sort = CoreSort | 0x00
	SortCoreTable    Sort = CoreSort | 0x01
	SortCoreMemory   Sort = CoreSort | 0x02
	SortCoreGlobal   Sort = CoreSort | 0x03
	SortCoreTag      Sort = CoreSort | 0x04
	SortCoreType     Sort = CoreSort | 0x10
	SortCoreModule   Sort = CoreSort | 0x11
	SortCoreInstance Sort = CoreSort | 0x12
	SortFunc         Sort = 0x01
	SortValue        Sort = 0x02
	SortType         Sort = 0x03
	SortComponent    Sort = 0x04
	SortInstance     Sort = 0x05
)

// IsCore reports whether s is a core sort.
func (s Sort) IsCore() bool { return s&CoreSort != 0 }

// String names the sort as the text format does.
func (s Sort) String() string {
	switch s {
	case SortCoreFunc:
		return "core func"
	case SortCoreTable:
		return "core table"
	case SortCoreMemory:
		return "core memory"
	case SortCoreGlobal:
		return "core global"
	case SortCoreTag:
		return "core tag"
	case SortCoreType:
		return "core type"
	case SortCoreModule:
		return "module"
	case SortCoreInstance:
		return "core instance"
	case SortFunc:
		return "func"
	case SortValue:
		return "value"
	case SortType:
		return "type"
	case SortComponent:
		return "component"
	case SortInstance:
		return "instance"
	}
	return "unknown sort"
}

// SortIdx is a sort and an index in its index space.
type SortIdx struct {
	Sort  Sort
	Index uint32
}

// CoreInstance is (instantiate module args) or a bundle of exports.
type CoreInstance struct {
	FromExports bool // 0x01: inline exports; otherwise 0x00: instantiate
	Module      uint32
	Args        []CoreInstantiateArg
	Exports     []CoreInlineExport
}

// CoreInstantiateArg is (with name (instance i)).
type CoreInstantiateArg struct {
	Name     string
	Instance uint32
}

// CoreInlineExport is (export name (sort idx)) of a core instance bundle.
type CoreInlineExport struct {
	Name string
	Sort Sort // a core sort
	Idx  uint32
}

// Instance is (instantiate component args) or a bundle of exports.
type Instance struct {
	FromExports bool
	Component   uint32
	Args        []InstantiateArg
	Exports     []InlineExport
}

// InstantiateArg is (with name sortidx).
type InstantiateArg struct {
	Name string
	Item SortIdx
}

// InlineExport is an export of an instance bundle.
type InlineExport struct {
	Name ExternName
	Item SortIdx
}

// Alias kinds.
const (
	AliasExport     byte = 0x00
	AliasCoreExport byte = 0x01
	AliasOuter      byte = 0x02
)

// Alias is an export alias of a (core) instance, or an outer alias.
type Alias struct {
	Sort     Sort
	Kind     byte
	Instance uint32 // export aliases
	Name     string // export aliases
	Count    uint32 // outer aliases
	Index    uint32 // outer aliases
}

// ExternName is a name with its attributes (nameattributes). Form is the
// leading byte of the encoding (0x00, 0x01 or 0x02 with attributes).
type ExternName struct {
	Form  byte
	Name  string
	Attrs []NameAttr
}

// NameAttr is an attribute of an extern name: 0x00 implements,
// 0x01 versionsuffix, 0x02 external-id.
type NameAttr struct {
	Kind  byte
	Value string
}

// Extern type kinds.
const (
	ExternModule    byte = 0x00
	ExternFunc      byte = 0x01
	ExternValue     byte = 0x02
	ExternType      byte = 0x03
	ExternComponent byte = 0x04
	ExternInstance  byte = 0x05
)

// ExternDesc is an externtype: the type of an import or export.
type ExternDesc struct {
	Kind byte
	// Index: core type index for modules; type index for func,
	// component, instance; for types with Bound 0 the (eq i) index; for
	// values with Bound 0 the value index.
	Index uint32
	// Bound for types: 0 (eq Index) or 1 (sub resource); for values:
	// 0 (eq Index) or 1 (ValType).
	Bound   byte
	ValType ValType
}

// Import is (import name desc).
type Import struct {
	Name ExternName
	Desc ExternDesc
}

// Export is (export name item desc?).
type Export struct {
	Name ExternName
	Item SortIdx
	Desc *ExternDesc
}

// Start is a start definition.
type Start struct {
	Func    uint32
	Args    []uint32
	Results uint32
}

// Value is a value definition; Data is the encoded value.
type Value struct {
	Type ValType
	Data []byte
}
