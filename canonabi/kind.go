package canonabi

// Kind is the shape of a WIT value type as the Canonical ABI sees it, and
// also the kind of a dynamic Value. Aliases are followed, so no Kind names
// them; a resource used directly as a value type is an own handle.
type Kind uint8

// The integer and float kinds are contiguous, KindU8 through KindF64.
const (
	KindInvalid Kind = iota
	KindBool
	KindU8
	KindU16
	KindU32
	KindU64
	KindS8
	KindS16
	KindS32
	KindS64
	KindF32
	KindF64
	KindChar
	KindString
	KindErrorContext
	KindList
	KindFixedList
	KindMap
	KindRecord
	KindTuple
	KindVariant
	KindEnum
	KindOption
	KindResult
	KindFlags
	KindOwn
	KindBorrow
	KindFuture
	KindStream
)

var kindNames = [...]string{
	KindInvalid: "invalid", KindBool: "bool", KindU8: "u8", KindU16: "u16", KindU32: "u32",
	KindU64: "u64", KindS8: "s8", KindS16: "s16", KindS32: "s32", KindS64: "s64",
	KindF32: "f32", KindF64: "f64", KindChar: "char", KindString: "string",
	KindErrorContext: "error-context", KindList: "list", KindFixedList: "fixed-list",
	KindMap: "map", KindRecord: "record", KindTuple: "tuple", KindVariant: "variant",
	KindEnum: "enum", KindOption: "option", KindResult: "result", KindFlags: "flags",
	KindOwn: "own", KindBorrow: "borrow", KindFuture: "future", KindStream: "stream",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "invalid"
}

// isCaseKind reports whether values of k are a case index plus an optional
// payload (the spec despecializes all of these to variant).
func (k Kind) isCaseKind() bool {
	return k == KindVariant || k == KindEnum || k == KindOption || k == KindResult
}

// isHandle reports whether values of k are an i32 table index.
func (k Kind) isHandle() bool {
	return k == KindOwn || k == KindBorrow || k == KindFuture || k == KindStream || k == KindErrorContext
}

// CoreType is a core WebAssembly value type.
type CoreType uint8

const (
	I32 CoreType = iota
	I64
	F32
	F64
)

func (c CoreType) String() string {
	switch c {
	case I32:
		return "i32"
	case I64:
		return "i64"
	case F32:
		return "f32"
	case F64:
		return "f64"
	}
	return "?"
}

// join is the spec's `join` of two flat types (CanonicalABI.md, Flattening).
func join(a, b CoreType) CoreType {
	if a == b {
		return a
	}
	if (a == I32 && b == F32) || (a == F32 && b == I32) {
		return I32
	}
	return I64
}
