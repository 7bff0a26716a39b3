package component

import "github.com/witgo/witgo/component/wasm"

// CoreType is a core type definition: either a rec group of core types
// (Module == nil) or a module type.
type CoreType struct {
	Rec    wasm.RecGroup
	Module *ModuleType
}

// ModuleType is (module decl*).
type ModuleType struct{ Decls []ModuleDecl }

// Module type declarator kinds.
const (
	ModuleDeclImport byte = 0x00
	ModuleDeclType   byte = 0x01
	ModuleDeclAlias  byte = 0x02
	ModuleDeclExport byte = 0x03
)

// ModuleDecl is a declarator of a module type.
type ModuleDecl struct {
	Kind   byte
	Import wasm.Import     // ModuleDeclImport
	Type   *CoreType       // ModuleDeclType
	Count  uint32          // ModuleDeclAlias: (alias outer Count Index (type))
	Index  uint32          // ModuleDeclAlias
	Name   string          // ModuleDeclExport
	Desc   wasm.ExternType // ModuleDeclExport
}

// Primitive value type codes.
const (
	Bool         byte = 0x7f
	S8           byte = 0x7e
	U8           byte = 0x7d
	S16          byte = 0x7c
	U16          byte = 0x7b
	S32          byte = 0x7a
	U32          byte = 0x79
	S64          byte = 0x78
	U64          byte = 0x77
	F32          byte = 0x76
	F64          byte = 0x75
	Char         byte = 0x74
	String       byte = 0x73
	ErrorContext byte = 0x64
)

// IsPrim reports whether b is a primitive value type code.
func IsPrim(b byte) bool { return (b >= String && b <= Bool) || b == ErrorContext }

// ValType is a valtype: a primitive (Prim != 0) or a type index.
type ValType struct {
	Prim byte
	Idx  uint32
}

// Prim returns the primitive value type with the given code.
func Prim(code byte) ValType { return ValType{Prim: code} }

// TypeRef returns the value type that refers to type index i.
func TypeRef(i uint32) ValType { return ValType{Idx: i} }

// Defined value type kinds (their opcodes).
const (
	KindPrim      byte = 0x00 // not an opcode: DefValType.Prim holds it
	KindRecord    byte = 0x72
	KindVariant   byte = 0x71
	KindList      byte = 0x70
	KindFixedList byte = 0x67
	KindTuple     byte = 0x6f
	KindFlags     byte = 0x6e
	KindEnum      byte = 0x6d
	KindOption    byte = 0x6b
	KindResult    byte = 0x6a
	KindOwn       byte = 0x69
	KindBorrow    byte = 0x68
	KindStream    byte = 0x66
	KindFuture    byte = 0x65
	KindMap       byte = 0x63
)

// Type kinds of the type index space besides defined value types.
const (
	KindFunc      byte = 0x40
	KindAsyncFunc byte = 0x43
	KindComponent byte = 0x41
	KindInstance  byte = 0x42
	KindResource  byte = 0x3f
)

// Type is one type definition: a defined value type (Val), a function,
// component, instance or resource type, as Kind says.
type Type struct {
	Kind      byte // KindPrim or a defined value type kind, or KindFunc...
	Val       *DefValType
	Func      *FuncType
	Component *ComponentType
	Instance  *InstanceType
	Resource  *ResourceType
}

// Field is a labelled value type (record field, function parameter).
type Field struct {
	Name string
	Type ValType
}

// Case is a variant case. Refines is an index of an earlier case (older
// encodings; validation rejects forward references).
type Case struct {
	Name    string
	Type    *ValType
	Refines *uint32
}

// DefValType is a defined value type. Which fields are set depends on Kind.
type DefValType struct {
	Kind   byte
	Prim   byte      // KindPrim
	Fields []Field   // record
	Cases  []Case    // variant
	Elem   *ValType  // list, fixed list, option, stream?, future?, map key
	Len    uint32    // fixed list
	Types  []ValType // tuple
	Labels []string  // flags, enum
	Ok     *ValType  // result
	Err    *ValType  // result
	Value  *ValType  // map value
	Res    uint32    // own, borrow: the resource type index
}

// FuncType is (func async? params result?).
type FuncType struct {
	Async  bool
	Params []Field
	Result *ValType
}

// ResourceType is (resource (rep i32) (dtor f)?).
type ResourceType struct {
	Rep  wasm.ValType
	Dtor *uint32
}

// Declarator kinds of component and instance types.
const (
	DeclCoreType byte = 0x00
	DeclType     byte = 0x01
	DeclAlias    byte = 0x02
	DeclImport   byte = 0x03 // component types only
	DeclExport   byte = 0x04
)

// Decl is a declarator of a component or instance type.
type Decl struct {
	Kind     byte
	CoreType *CoreType
	Type     *Type
	Alias    *Alias
	Name     ExternName // import, export
	Desc     ExternDesc // import, export
}

// ComponentType is (component decl*).
type ComponentType struct{ Decls []Decl }

// InstanceType is (instance decl*).
type InstanceType struct{ Decls []Decl }
