package wasm

// Section ids of core modules.
const (
	SecCustom    byte = 0
	SecType      byte = 1
	SecImport    byte = 2
	SecFunction  byte = 3
	SecTable     byte = 4
	SecMemory    byte = 5
	SecGlobal    byte = 6
	SecExport    byte = 7
	SecStart     byte = 8
	SecElement   byte = 9
	SecCode      byte = 10
	SecData      byte = 11
	SecDataCount byte = 12
	SecTag       byte = 13
)

// Module is a core WebAssembly module. Types, imports, functions, tables,
// memories, tags, globals, exports and start are decoded; element and data
// segments are kept as their raw section payloads, and each function body
// as its raw bytes (locals and instructions).
type Module struct {
	Types     []RecGroup
	Imports   []Import
	Funcs     []uint32 // type index of each defined function
	Tables    []Table
	Memories  []MemType
	Tags      []TagType
	Globals   []Global
	Exports   []Export
	Start     *uint32
	Elements  []byte // raw element section payload (nil if absent)
	DataCount *uint32
	Code      []Code
	Data      []byte // raw data section payload (nil if absent)
	Customs   []Custom

	// Layout records the sections in the order they were decoded, so
	// that encoding reproduces the input. Leave it nil for new modules:
	// Encode then writes non-empty sections in the canonical order and
	// the custom sections last.
	Layout []SectionInfo
}

// SectionInfo is one entry of Module.Layout.
type SectionInfo struct {
	ID        byte
	Custom    int // index into Customs for custom sections
	SizeWidth int // bytes used by the section size LEB128 in the input
}

// Table is a defined table with an optional initializer expression.
type Table struct {
	Type TableType
	Init []byte // constant expression including its end opcode, or nil
}

// Global is a defined global.
type Global struct {
	Type GlobalType
	Init []byte // constant expression including its end opcode
}

// Code is one function body: local declarations then instructions, ending
// with the end opcode, exactly as in the code section.
type Code struct {
	Body   []byte
	Offset int // absolute offset of Body in the decoded input (errors only)
}

// Custom is a custom section.
type Custom struct {
	Name string
	Data []byte
}

// FuncType returns the signature of type index i, if it is a function type.
func (m *Module) FuncType(i uint32) (FuncType, bool) {
	var n uint32
	for _, g := range m.Types {
		for _, s := range g.Types {
			if n == i {
				if s.Comp.Kind != KindFunc {
					return FuncType{}, false
				}
				return FuncType{Params: s.Comp.Params, Results: s.Comp.Results}, true
			}
			n++
		}
	}
	return FuncType{}, false
}

// TypeCount is the number of entries in the type index space.
func (m *Module) TypeCount() int {
	n := 0
	for _, g := range m.Types {
		n += len(g.Types)
	}
	return n
}

// ImportCount returns how many imports of the given kind there are.
func (m *Module) ImportCount(kind byte) int {
	n := 0
	for _, im := range m.Imports {
		if im.Type.Kind == kind {
			n++
		}
	}
	return n
}
