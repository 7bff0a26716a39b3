package canonabi

import (
	"fmt"
	"math"
	"strings"

	"github.com/witgo/witgo/wit"
)

// Value is a dynamic component-model value of any WIT type. It is a small
// struct rather than an interface so that scalars and records of scalars
// lift without an allocation per field. Its Kind says how to read it:
//
//   - integers, bool, char, floats: the bits (Uint, Int, Float, Bool, Char)
//   - string: Str
//   - list, fixed-size list, map, record, tuple: Elems (a map's elements are
//     two-element tuples); a list<u8> may instead hold Bytes (IsBytes)
//   - variant, enum, option, result: Case and, if the case has one, Payload
//     (option: case 0 none, 1 some; result: 0 ok, 1 err)
//   - flags: Flags, bit i set when label i is present
//   - own, borrow, future, stream, error-context: Handle, the i32 table index
type Value struct {
	kind  Kind
	bytes bool // a list held as raw bytes in str
	bits  uint64
	str   string
	elems []Value
}

// Kind is the value's kind.
func (v Value) Kind() Kind { return v.kind }

// Constructors.
func BoolValue(b bool) Value {
	if b {
		return Value{kind: KindBool, bits: 1}
	}
	return Value{kind: KindBool}
}
func U8Value(x uint8) Value      { return Value{kind: KindU8, bits: uint64(x)} }
func U16Value(x uint16) Value    { return Value{kind: KindU16, bits: uint64(x)} }
func U32Value(x uint32) Value    { return Value{kind: KindU32, bits: uint64(x)} }
func U64Value(x uint64) Value    { return Value{kind: KindU64, bits: x} }
func S8Value(x int8) Value       { return Value{kind: KindS8, bits: uint64(int64(x))} }
func S16Value(x int16) Value     { return Value{kind: KindS16, bits: uint64(int64(x))} }
func S32Value(x int32) Value     { return Value{kind: KindS32, bits: uint64(int64(x))} }
func S64Value(x int64) Value     { return Value{kind: KindS64, bits: uint64(x)} }
func F32Value(x float32) Value   { return Value{kind: KindF32, bits: uint64(math.Float32bits(x))} }
func F64Value(x float64) Value   { return Value{kind: KindF64, bits: math.Float64bits(x)} }
func CharValue(r rune) Value     { return Value{kind: KindChar, bits: uint64(uint32(r))} }
func StringValue(s string) Value { return Value{kind: KindString, str: s} }

// ListValue is a list of elements; BytesValue a list<u8> held as bytes
// (the bytes are copied).
func ListValue(elems ...Value) Value { return Value{kind: KindList, elems: elems} }
func BytesValue(b []byte) Value      { return Value{kind: KindList, bytes: true, str: string(b)} }

// FixedListValue, MapValue (of two-element TupleValues), RecordValue (fields
// in declaration order) and TupleValue hold element values.
func FixedListValue(elems ...Value) Value { return Value{kind: KindFixedList, elems: elems} }
func MapValue(pairs ...Value) Value       { return Value{kind: KindMap, elems: pairs} }
func RecordValue(fields ...Value) Value   { return Value{kind: KindRecord, elems: fields} }
func TupleValue(elems ...Value) Value     { return Value{kind: KindTuple, elems: elems} }

// VariantValue is case i of a variant with an optional payload.
func VariantValue(i uint32, payload *Value) Value { return caseValue(KindVariant, i, payload) }
func EnumValue(i uint32) Value                    { return Value{kind: KindEnum, bits: uint64(i)} }
func NoneValue() Value                            { return Value{kind: KindOption} }
func SomeValue(v Value) Value                     { return caseValue(KindOption, 1, &v) }
func OkValue(payload *Value) Value                { return caseValue(KindResult, 0, payload) }
func ErrValue(payload *Value) Value               { return caseValue(KindResult, 1, payload) }
func FlagsValue(bits uint32) Value                { return Value{kind: KindFlags, bits: uint64(bits)} }

// HandleValue is an own, borrow, future, stream or error-context handle.
func HandleValue(k Kind, h uint32) Value { return Value{kind: k, bits: uint64(h)} }

func caseValue(k Kind, i uint32, payload *Value) Value {
	v := Value{kind: k, bits: uint64(i)}
	if payload != nil {
		v.elems = []Value{*payload}
	}
	return v
}

// Accessors.
func (v Value) Bool() bool       { return v.bits != 0 }
func (v Value) Uint() uint64     { return v.bits }
func (v Value) Int() int64       { return int64(v.bits) }
func (v Value) Char() rune       { return rune(v.bits) }
func (v Value) Str() string      { return v.str }
func (v Value) Case() uint32     { return uint32(v.bits) }
func (v Value) Flags() uint32    { return uint32(v.bits) }
func (v Value) Handle() uint32   { return uint32(v.bits) }
func (v Value) IsBytes() bool    { return v.bytes }
func (v Value) Float32() float32 { return math.Float32frombits(uint32(v.bits)) }
func (v Value) Float64() float64 { return math.Float64frombits(v.bits) }

// Bytes returns a list<u8> held as bytes (a copy).
func (v Value) Bytes() []byte { return []byte(v.str) }

// Elems returns the elements of a list, map, record, tuple or fixed-size
// list. A byte list is expanded into u8 values.
func (v Value) Elems() []Value {
	if v.bytes {
		out := make([]Value, len(v.str))
		for i := 0; i < len(v.str); i++ {
			out[i] = U8Value(v.str[i])
		}
		return out
	}
	return v.elems
}

// Len is the number of elements of a sequence, record or tuple.
func (v Value) Len() int {
	if v.bytes {
		return len(v.str)
	}
	return len(v.elems)
}

// Payload returns the payload of a case value.
func (v Value) Payload() (Value, bool) {
	if len(v.elems) == 0 {
		return Value{}, false
	}
	return v.elems[0], true
}

// Equal reports whether two values are the same, treating a byte list and
// a list of u8 values alike and comparing floats by bits, except that any
// two NaNs are equal (lifting canonicalizes NaNs).
func Equal(a, b Value) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case KindF32:
		if math.IsNaN(float64(a.Float32())) && math.IsNaN(float64(b.Float32())) {
			return true
		}
		return a.bits == b.bits
	case KindF64:
		if math.IsNaN(a.Float64()) && math.IsNaN(b.Float64()) {
			return true
		}
		return a.bits == b.bits
	case KindString:
		return a.str == b.str
	}
	if a.bytes && b.bytes {
		return a.str == b.str
	}
	if a.bytes || b.bytes {
		if a.Len() != b.Len() {
			return false
		}
		ea, eb := a.Elems(), b.Elems()
		for i := range ea {
			if !Equal(ea[i], eb[i]) {
				return false
			}
		}
		return true
	}
	if a.bits != b.bits || len(a.elems) != len(b.elems) {
		return false
	}
	for i := range a.elems {
		if !Equal(a.elems[i], b.elems[i]) {
			return false
		}
	}
	return true
}

// String renders v without its type, for debugging: scalars as WAVE,
// cases as `#index(payload)`, flags as a bit mask. FormatWAVE gives the
// real text form.
func (v Value) String() string {
	var sb strings.Builder
	v.debug(&sb)
	return sb.String()
}

func (v Value) debug(sb *strings.Builder) {
	switch {
	case v.kind >= KindU8 && v.kind <= KindF64, v.kind == KindBool, v.kind == KindChar, v.kind == KindString:
		sh := primitiveShapes[primitiveOf[v.kind]]
		_ = formatWAVE(sb, sh, v)
	case v.kind.isCaseKind():
		fmt.Fprintf(sb, "#%d", v.bits)
		if p, ok := v.Payload(); ok {
			sb.WriteByte('(')
			p.debug(sb)
			sb.WriteByte(')')
		}
	case v.kind == KindFlags:
		fmt.Fprintf(sb, "flags(%#x)", v.bits)
	case v.kind.isHandle():
		fmt.Fprintf(sb, "%s(%d)", v.kind, v.bits)
	default:
		sb.WriteString(v.kind.String())
		sb.WriteByte('[')
		for i, e := range v.Elems() {
			if i > 0 {
				sb.WriteString(", ")
			}
			e.debug(sb)
		}
		sb.WriteByte(']')
	}
}

var primitiveOf = map[Kind]wit.Type{
	KindBool: wit.Bool, KindU8: wit.U8, KindU16: wit.U16, KindU32: wit.U32, KindU64: wit.U64,
	KindS8: wit.S8, KindS16: wit.S16, KindS32: wit.S32, KindS64: wit.S64, KindF32: wit.F32,
	KindF64: wit.F64, KindChar: wit.Char, KindString: wit.String,
}
