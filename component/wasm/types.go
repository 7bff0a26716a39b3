package wasm

// Value type codes of core WebAssembly (including the reference types of
// WebAssembly 3.0 in their one-byte shorthand forms).
const (
	I32       byte = 0x7f
	I64       byte = 0x7e
	F32       byte = 0x7d
	F64       byte = 0x7c
	V128      byte = 0x7b
	I8        byte = 0x78 // packed storage type, struct/array fields only
	I16       byte = 0x77 // packed storage type, struct/array fields only
	FuncRef   byte = 0x70
	ExternRef byte = 0x6f
	RefNull   byte = 0x63 // (ref null ht)
	Ref       byte = 0x64 // (ref ht)
)

// ValType is a core value type. For RefNull and Ref, Heap holds the heap
// type as its s33 encoding: a type index if >= 0, otherwise an abstract
// heap type (e.g. -0x10 is func); SharedHeap marks the 0x65 prefix.
type ValType struct {
	Code       byte
	Heap       int64
	SharedHeap bool
}

// V is shorthand for a simple (non-indexed) value type.
func V(code byte) ValType { return ValType{Code: code} }

// IsNum reports whether t is a numeric or vector type.
func (t ValType) IsNum() bool { return t.Code >= V128 && t.Code <= I32 }

// String returns the text-format name of t.
func (t ValType) String() string {
	switch t.Code {
	case I32:
		return "i32"
	case I64:
		return "i64"
	case F32:
		return "f32"
	case F64:
		return "f64"
	case V128:
		return "v128"
	case I8:
		return "i8"
	case I16:
		return "i16"
	case FuncRef:
		return "funcref"
	case ExternRef:
		return "externref"
	case RefNull, Ref:
		return "ref"
	}
	return "reftype"
}

// Composite type kinds.
const (
	KindFunc   byte = 0x60
	KindStruct byte = 0x5f
	KindArray  byte = 0x5e
)

// FieldType is a struct field or array element type.
type FieldType struct {
	Storage ValType // may be I8 or I16
	Mutable bool
}

// CompType is a composite type: a function, struct or array type.
type CompType struct {
	Kind    byte
	Params  []ValType   // func
	Results []ValType   // func
	Fields  []FieldType // struct; array has exactly one
}

// FuncType is a function signature.
type FuncType struct {
	Params, Results []ValType
}

// SubType is a composite type with its subtyping declaration. Explicit is
// set when it was written with a sub/sub-final prefix.
type SubType struct {
	Explicit bool
	Final    bool
	Supers   []uint32
	Comp     CompType
}

// RecGroup is one entry of a type section: a single sub type, or a
// rec group (Explicit) of several.
type RecGroup struct {
	Explicit bool
	Types    []SubType
}

// Func returns the group for one plain function type.
func Func(params, results []ValType) RecGroup {
	return RecGroup{Types: []SubType{{Final: true, Comp: CompType{Kind: KindFunc, Params: params, Results: results}}}}
}

// Limits of a table or memory. Flags are the encoded flag byte
// (bit 0: has max, bit 1: shared, bit 2: 64-bit, bit 3: custom page size).
type Limits struct {
	Flags        byte
	Min, Max     uint64
	PageSizeLog2 uint32
}

// HasMax reports whether the limits declare a maximum.
func (l Limits) HasMax() bool { return l.Flags&1 != 0 }

// Is64 reports whether the limits use 64-bit indices.
func (l Limits) Is64() bool { return l.Flags&4 != 0 }

// TableType describes a table.
type TableType struct {
	Elem   ValType
	Limits Limits
}

// MemType describes a memory.
type MemType struct{ Limits Limits }

// GlobalType describes a global. Flags bit 0 is mutability, bit 1 shared.
type GlobalType struct {
	Val   ValType
	Flags byte
}

// Mutable reports whether the global is mutable.
func (g GlobalType) Mutable() bool { return g.Flags&1 != 0 }

// TagType describes an exception tag.
type TagType struct {
	Attr byte
	Type uint32
}

// External kinds of imports and exports.
const (
	ExternFunc   byte = 0x00
	ExternTable  byte = 0x01
	ExternMemory byte = 0x02
	ExternGlobal byte = 0x03
	ExternTag    byte = 0x04
)

// ExternType is the type of an import: which kind, and its descriptor.
type ExternType struct {
	Kind   byte
	Func   uint32 // type index for ExternFunc
	Table  TableType
	Memory MemType
	Global GlobalType
	Tag    TagType
}

// Import is a core import.
type Import struct {
	Module, Name string
	Type         ExternType
}

// Export is a core export.
type Export struct {
	Name  string
	Kind  byte
	Index uint32
}
