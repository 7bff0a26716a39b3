// Package wit reads WebAssembly Interface Type (WIT) documents: it lexes and
// parses them into an AST with positions, resolves packages (with their deps/)
// into a Resolve, prints a Resolve back as canonical WIT, and encodes it as
// JSON in the shape wasm-tools' `component wit --json` produces.
//
// A Resolve is a set of arenas. Packages, interfaces, worlds and type
// definitions live in slices and refer to one another by small integer IDs,
// so a generator can walk everything reachable from a WorldID without maps of
// pointers, and the JSON form is the arena form.
package wit

import "fmt"

// IDs index the arenas of a Resolve.
type (
	PackageID   int
	InterfaceID int
	WorldID     int
	TypeID      int
)

// NoPackage marks an interface or world that belongs to no package (a world's
// inline `import x: interface {...}` has none of its own name, but it does
// have a package; NoPackage is used by decoded components that lack one).
const NoPackage PackageID = -1

// Resolve is a fully resolved set of WIT packages.
type Resolve struct {
	Worlds     []*World
	Interfaces []*Interface
	Types      []*TypeDef
	Packages   []*Package

	// PackageNames finds a package by its full name (`ns:name@1.2.3`).
	PackageNames map[string]PackageID

	// Features enables `@unstable(feature = ...)` items; AllFeatures enables
	// every one of them.
	Features    map[string]bool
	AllFeatures bool

	// Sources holds the text of every file read, for diagnostics.
	Sources map[string][]byte
}

// NewResolve returns an empty Resolve.
func NewResolve() *Resolve {
	return &Resolve{
		PackageNames: map[string]PackageID{},
		Features:     map[string]bool{},
		Sources:      map[string][]byte{},
	}
}

// Package is one WIT package: its interfaces and worlds, by name, in the order
// the resolver assigned them.
type Package struct {
	Name       PackageName
	Docs       string
	Interfaces OrderedMap[string, InterfaceID]
	Worlds     OrderedMap[string, WorldID]
	Pos        Pos
}

// PackageName is `namespace:name@version`.
type PackageName struct {
	Namespace string
	Name      string
	Version   *Version // nil when unversioned
}

func (n PackageName) String() string {
	s := n.Namespace + ":" + n.Name
	if n.Version != nil {
		s += "@" + n.Version.String()
	}
	return s
}

// Interface is a named (or, inline in a world, anonymous) interface.
type Interface struct {
	Name      string // "" for an inline interface of a world
	Types     OrderedMap[string, TypeID]
	Functions OrderedMap[string, *Function]
	Docs      string
	Stability Stability
	Package   PackageID
	Pos       Pos
}

// World is a resolved and elaborated world: includes are flattened and the
// interfaces its items depend on are listed as imports.
type World struct {
	Name      string
	Imports   OrderedMap[WorldKey, *WorldItem]
	Exports   OrderedMap[WorldKey, *WorldItem]
	Package   PackageID
	Docs      string
	Stability Stability
	Pos       Pos
}

// WorldKey names an import or export of a world: a plain kebab name
// (`import f: func()`, `import x: interface {..}`) or an interface by
// identity (`import wasi:io/streams;`).
type WorldKey struct {
	Name      string      // set for a named item
	Interface InterfaceID // used when Name == ""
}

// NameKey and InterfaceKey build WorldKeys.
func NameKey(name string) WorldKey         { return WorldKey{Name: name} }
func InterfaceKey(id InterfaceID) WorldKey { return WorldKey{Interface: id} }
func (k WorldKey) IsInterface() bool       { return k.Name == "" }
func (k WorldKey) String() string {
	if k.Name != "" {
		return k.Name
	}
	return fmt.Sprintf("interface-%d", k.Interface)
}

// WorldItemKind tells which field of a WorldItem is set.
type WorldItemKind uint8

const (
	ItemInterface WorldItemKind = iota
	ItemFunction
	ItemType
)

// WorldItem is what a world imports or exports.
type WorldItem struct {
	Kind      WorldItemKind
	Interface InterfaceID // ItemInterface
	Function  *Function   // ItemFunction
	Type      TypeID      // ItemType
	Stability Stability   // of an interface item
	Docs      string
	Pos       Pos
}

// TypeDef is a named or anonymous type definition.
type TypeDef struct {
	Name      string // "" for an anonymous type (list<u8>, option<T>, ...)
	Kind      TypeDefKind
	Owner     Owner
	Docs      string
	Stability Stability
	Pos       Pos
}

// OwnerKind tells what defines a type.
type OwnerKind uint8

const (
	OwnerNone OwnerKind = iota
	OwnerInterface
	OwnerWorld
)

// Owner is the interface or world that defines a named type.
type Owner struct {
	Kind      OwnerKind
	Interface InterfaceID
	World     WorldID
}

// TypeDefKind is one of the *Kind types below.
type TypeDefKind interface{ isTypeDefKind() }

type (
	// Alias is `type a = T`, and also the local name a `use` introduces.
	Alias  struct{ Type Type }
	Record struct{ Fields []Field }
	// Resource is a resource type; its functions live in the interface.
	Resource struct{}
	Own      struct{ Resource TypeID }
	Borrow   struct{ Resource TypeID }
	Flags    struct{ Flags []Flag }
	Tuple    struct{ Types []Type }
	Variant  struct{ Cases []Case }
	Enum     struct{ Cases []EnumCase }
	Option   struct{ Type Type }
	// Result has NoType in OK or Err for an absent payload.
	Result struct{ OK, Err Type }
	List   struct{ Elem Type }
	// FixedList is `list<T, N>`.
	FixedList struct {
		Elem Type
		Len  uint32
	}
	Map    struct{ Key, Value Type }
	Future struct{ Elem Type } // Elem is NoType for a bare `future`
	Stream struct{ Elem Type } // Elem is NoType for a bare `stream`
)

func (*Alias) isTypeDefKind()     {}
func (*Record) isTypeDefKind()    {}
func (*Resource) isTypeDefKind()  {}
func (*Own) isTypeDefKind()       {}
func (*Borrow) isTypeDefKind()    {}
func (*Flags) isTypeDefKind()     {}
func (*Tuple) isTypeDefKind()     {}
func (*Variant) isTypeDefKind()   {}
func (*Enum) isTypeDefKind()      {}
func (*Option) isTypeDefKind()    {}
func (*Result) isTypeDefKind()    {}
func (*List) isTypeDefKind()      {}
func (*FixedList) isTypeDefKind() {}
func (*Map) isTypeDefKind()       {}
func (*Future) isTypeDefKind()    {}
func (*Stream) isTypeDefKind()    {}

type Field struct {
	Name string
	Type Type
	Docs string
	Pos  Pos
}

type Flag struct {
	Name string
	Docs string
	Pos  Pos
}

type Case struct {
	Name string
	Type Type // NoType when the case has no payload
	Docs string
	Pos  Pos
}

type EnumCase struct {
	Name string
	Docs string
	Pos  Pos
}

// Type is a reference to a type: a primitive or a TypeDef. The zero value,
// NoType, means "no type" (a result-less function, a payload-less case).
type Type uint32

const (
	NoType Type = iota
	Bool
	U8
	U16
	U32
	U64
	S8
	S16
	S32
	S64
	F32
	F64
	Char
	String
	ErrorContext
	firstRef // TypeDef references start here
)

// Ref returns the Type that refers to a TypeDef.
func Ref(id TypeID) Type { return Type(id) + firstRef }

// IsPrimitive reports whether t is one of the built-in types.
func (t Type) IsPrimitive() bool { return t != NoType && t < firstRef }

// TypeID returns the TypeDef t refers to, if it refers to one.
func (t Type) TypeID() (TypeID, bool) {
	if t < firstRef {
		return 0, false
	}
	return TypeID(t - firstRef), true
}

var primitiveNames = [...]string{
	NoType: "", Bool: "bool", U8: "u8", U16: "u16", U32: "u32", U64: "u64",
	S8: "s8", S16: "s16", S32: "s32", S64: "s64", F32: "f32", F64: "f64",
	Char: "char", String: "string", ErrorContext: "error-context",
}

// PrimitiveName is the WIT spelling of a primitive ("u32"), or "" for a reference.
func (t Type) PrimitiveName() string {
	if t < firstRef {
		return primitiveNames[t]
	}
	return ""
}

// PrimitiveByName maps a WIT keyword to its primitive Type.
func PrimitiveByName(name string) (Type, bool) {
	for i, n := range primitiveNames {
		if n == name && i != int(NoType) {
			return Type(i), true
		}
	}
	return NoType, false
}

// FunctionKind says how a function relates to a resource.
type FunctionKind uint8

const (
	Freestanding FunctionKind = iota
	Method
	Static
	Constructor
)

// Function is a freestanding function or a resource's method, static
// function or constructor. Resource functions carry their mangled names
// (`[method]r.m`, `[static]r.s`, `[constructor]r`), and a method's first
// parameter is `self: borrow<r>`.
type Function struct {
	Name      string
	Kind      FunctionKind
	Async     bool
	Resource  TypeID // Method, Static, Constructor
	Params    []Param
	Result    Type // NoType when the function returns nothing
	Docs      string
	Stability Stability
	Pos       Pos
}

type Param struct {
	Name string
	Type Type
}

// ItemName is the function's name without the `[method]r.` style prefix.
func (f *Function) ItemName() string {
	switch f.Kind {
	case Method, Static:
		for i := 0; i < len(f.Name); i++ {
			if f.Name[i] == '.' {
				return f.Name[i+1:]
			}
		}
	case Constructor:
		return "constructor"
	}
	return f.Name
}

// StabilityKind tells which gate, if any, applies.
type StabilityKind uint8

const (
	Unknown  StabilityKind = iota // no gate
	Stable                        // @since(version = ...)
	Unstable                      // @unstable(feature = ...)
)

// Stability is an item's feature gate.
type Stability struct {
	Kind       StabilityKind
	Since      *Version // Stable
	Feature    string   // Unstable
	Deprecated *Version // @deprecated(version = ...), with either kind
}

// Pos is a position in a WIT source file; lines and columns count from 1.
type Pos struct {
	File   string
	Offset int
	Line   int
	Column int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// IsValid reports whether p names a place in a file.
func (p Pos) IsValid() bool { return p.Line > 0 }
