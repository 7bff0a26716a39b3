package canonabi

import (
	"encoding/binary"
	"math"

	"github.com/witgo/witgo/wit"
)

var le = binary.LittleEndian

// Load lifts a value of type t stored at ptr (CanonicalABI.md, Loading).
func (a *ABI) Load(cx *Context, t wit.Type, ptr uint32) (Value, error) {
	sh, err := a.shape(t)
	if err != nil {
		return Value{}, err
	}
	return cx.load(sh, ptr)
}

func (cx *Context) load(sh *shape, ptr uint32) (Value, error) {
	buf, err := cx.read(ptr, sh.size, sh.align)
	if err != nil {
		return Value{}, err
	}
	return cx.decode(sh, buf, 0)
}

// decode lifts the value of sh at buf[off:], a range already checked to
// hold sh.size bytes.
func (cx *Context) decode(sh *shape, buf []byte, off uint32) (Value, error) {
	b := buf[off : off+sh.size]
	switch sh.kind {
	case KindBool:
		return BoolValue(b[0] != 0), nil
	case KindU8:
		return U8Value(b[0]), nil
	case KindS8:
		return S8Value(int8(b[0])), nil
	case KindU16:
		return U16Value(le.Uint16(b)), nil
	case KindS16:
		return S16Value(int16(le.Uint16(b))), nil
	case KindU32:
		return U32Value(le.Uint32(b)), nil
	case KindS32:
		return S32Value(int32(le.Uint32(b))), nil
	case KindU64:
		return U64Value(le.Uint64(b)), nil
	case KindS64:
		return S64Value(int64(le.Uint64(b))), nil
	case KindF32:
		return liftF32(le.Uint32(b)), nil
	case KindF64:
		return liftF64(le.Uint64(b)), nil
	case KindChar:
		return liftChar(le.Uint32(b))
	case KindString:
		return cx.liftString(le.Uint32(b), le.Uint32(b[4:]))
	case KindList, KindMap:
		return cx.liftList(sh, le.Uint32(b), le.Uint32(b[4:]))
	case KindFixedList:
		return cx.decodeElems(sh, KindFixedList, b, sh.length)
	case KindRecord, KindTuple:
		return cx.decodeRecord(sh, b, make([]Value, len(sh.fields)))
	case KindVariant, KindEnum, KindOption, KindResult:
		var c uint32
		switch sh.discSize {
		case 1:
			c = uint32(b[0])
		case 2:
			c = uint32(le.Uint16(b))
		default:
			c = le.Uint32(b)
		}
		if c >= uint32(len(sh.fields)) {
			return Value{}, trapf("discriminant %d out of range for %d cases", c, len(sh.fields))
		}
		v := Value{kind: sh.kind, bits: uint64(c)}
		if p := sh.fields[c]; p != nil {
			pv, err := cx.decode(p, b, sh.payloadOffset)
			if err != nil {
				return Value{}, err
			}
			v.elems = []Value{pv}
		}
		return v, nil
	case KindFlags:
		var bits uint32
		switch sh.size {
		case 1:
			bits = uint32(b[0])
		case 2:
			bits = uint32(le.Uint16(b))
		default:
			bits = le.Uint32(b)
		}
		return FlagsValue(bits & flagMask(len(sh.labels))), nil
	case KindOwn, KindBorrow, KindFuture, KindStream, KindErrorContext:
		return cx.liftHandle(sh, le.Uint32(b))
	}
	return Value{}, trapf("cannot load a value of kind %s", sh.kind)
}

// flagMask keeps the bits that name labels; load_flags ignores the rest.
func flagMask(n int) uint32 {
	if n >= 32 {
		return math.MaxUint32
	}
	return 1<<n - 1
}

func liftF32(bits uint32) Value {
	f := math.Float32frombits(bits)
	if f != f {
		bits = 0x7fc00000 // CANONICAL_FLOAT32_NAN
	}
	return Value{kind: KindF32, bits: uint64(bits)}
}

func liftF64(bits uint64) Value {
	f := math.Float64frombits(bits)
	if f != f {
		bits = 0x7ff8000000000000 // CANONICAL_FLOAT64_NAN
	}
	return Value{kind: KindF64, bits: bits}
}

func validChar(i uint32) bool { return i < 0xD800 || (i > 0xDFFF && i < 0x110000) }

func liftChar(i uint32) (Value, error) {
	if !validChar(i) {
		return Value{}, trapf("%#x is not a Unicode scalar value", i)
	}
	return CharValue(rune(i)), nil
}

// liftList is load_list_from_range.
func (cx *Context) liftList(sh *shape, ptr, n uint32) (Value, error) {
	el := sh.elem
	byteLen := uint64(n) * uint64(el.size)
	if byteLen > MaxListByteLength {
		return Value{}, trapf("list of %d elements of %d bytes is too long", n, el.size)
	}
	buf, err := cx.read(ptr, uint32(byteLen), el.align)
	if err != nil {
		return Value{}, err
	}
	if el.kind == KindU8 && sh.kind == KindList {
		return Value{kind: KindList, bytes: true, str: cx.keep(buf)}, nil
	}
	return cx.decodeElems(sh, sh.kind, buf, n)
}

// decodeRecord lifts the fields of a record at b into fields.
func (cx *Context) decodeRecord(sh *shape, b []byte, fields []Value) (Value, error) {
	for i, f := range sh.fields {
		v, err := cx.decode(f, b, sh.offsets[i])
		if err != nil {
			return Value{}, err
		}
		fields[i] = v
	}
	return Value{kind: sh.kind, elems: fields}, nil
}

func (cx *Context) decodeElems(sh *shape, k Kind, buf []byte, n uint32) (Value, error) {
	el := sh.elem
	elems := make([]Value, n)
	if el.kind == KindRecord || el.kind == KindTuple {
		// One allocation for the fields of every element.
		nf := len(el.fields)
		slab := make([]Value, int(n)*nf)
		for i := range elems {
			v, err := cx.decodeRecord(el, buf[uint32(i)*el.size:], slab[i*nf:(i+1)*nf:(i+1)*nf])
			if err != nil {
				return Value{}, err
			}
			elems[i] = v
		}
		return Value{kind: k, elems: elems}, nil
	}
	for i := range elems {
		v, err := cx.decode(el, buf, uint32(i)*el.size)
		if err != nil {
			return Value{}, err
		}
		elems[i] = v
	}
	return Value{kind: k, elems: elems}, nil
}
