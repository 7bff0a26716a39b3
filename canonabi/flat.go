package canonabi

import (
	"math"

	"github.com/witgo/witgo/wit"
)

// Flat core values are uint64s as wazero passes them: an i32 or f32 in the
// low 32 bits (zero-extended), an i64 or f64 in all 64. In this form the
// spec's variant coercions (CanonicalABI.md, Flat Lifting: CoerceValueIter,
// and Flat Lowering: lower_flat_variant) are no-ops: f32<->i32 reinterpret
// the same bits, i32->i64 zero-extends, i64->i32 wraps when the reader takes
// the low 32 bits, which every 32-bit reader here does.

// LiftFlat lifts a value of type t from its flattening (lift_flat); flat
// must hold exactly the type's flat values.
func (a *ABI) LiftFlat(cx *Context, t wit.Type, flat []uint64) (Value, error) {
	sh, err := a.shape(t)
	if err != nil {
		return Value{}, err
	}
	if sh.flatTooLong || len(flat) != len(sh.flat) {
		return Value{}, trapf("%s flattens to %d values, given %d", sh.kind, sh.flatLen, len(flat))
	}
	pos := 0
	return cx.liftFlat(sh, flat, &pos)
}

// LowerFlat appends the flattening of v, a value of type t, to dst
// (lower_flat).
func (a *ABI) LowerFlat(cx *Context, t wit.Type, v Value, dst []uint64) ([]uint64, error) {
	sh, err := a.shape(t)
	if err != nil {
		return dst, err
	}
	if sh.flatTooLong {
		return dst, trapf("%s flattens to too many values to pass flat", sh.kind)
	}
	return cx.lowerFlat(sh, v, dst)
}

func (cx *Context) liftFlat(sh *shape, flat []uint64, pos *int) (Value, error) {
	if *pos+sh.flatLen > len(flat) {
		return Value{}, trapf("too few flat values")
	}
	next := func() uint64 { x := flat[*pos]; *pos++; return x }
	switch sh.kind {
	case KindBool:
		return BoolValue(uint32(next()) != 0), nil
	case KindU8:
		return U8Value(uint8(next())), nil
	case KindS8:
		return S8Value(int8(next())), nil
	case KindU16:
		return U16Value(uint16(next())), nil
	case KindS16:
		return S16Value(int16(next())), nil
	case KindU32:
		return U32Value(uint32(next())), nil
	case KindS32:
		return S32Value(int32(next())), nil
	case KindU64:
		return U64Value(next()), nil
	case KindS64:
		return S64Value(int64(next())), nil
	case KindF32:
		return liftF32(uint32(next())), nil
	case KindF64:
		return liftF64(next()), nil
	case KindChar:
		return liftChar(uint32(next()))
	case KindString:
		p, n := uint32(next()), uint32(next())
		return cx.liftString(p, n)
	case KindList, KindMap:
		p, n := uint32(next()), uint32(next())
		return cx.liftList(sh, p, n)
	case KindFixedList:
		elems := make([]Value, sh.length)
		for i := range elems {
			v, err := cx.liftFlat(sh.elem, flat, pos)
			if err != nil {
				return Value{}, err
			}
			elems[i] = v
		}
		return Value{kind: KindFixedList, elems: elems}, nil
	case KindRecord, KindTuple:
		elems := make([]Value, len(sh.fields))
		for i, f := range sh.fields {
			v, err := cx.liftFlat(f, flat, pos)
			if err != nil {
				return Value{}, err
			}
			elems[i] = v
		}
		return Value{kind: sh.kind, elems: elems}, nil
	case KindVariant, KindEnum, KindOption, KindResult:
		start := *pos
		c := uint32(next())
		if c >= uint32(len(sh.fields)) {
			return Value{}, trapf("discriminant %d out of range for %d cases", c, len(sh.fields))
		}
		v := Value{kind: sh.kind, bits: uint64(c)}
		if p := sh.fields[c]; p != nil {
			pv, err := cx.liftFlat(p, flat, pos)
			if err != nil {
				return Value{}, err
			}
			v.elems = []Value{pv}
		}
		*pos = start + sh.flatLen
		return v, nil
	case KindFlags:
		return FlagsValue(uint32(next()) & flagMask(len(sh.labels))), nil
	case KindOwn, KindBorrow, KindFuture, KindStream, KindErrorContext:
		return cx.liftHandle(sh, uint32(next()))
	}
	return Value{}, trapf("cannot lift a value of kind %s", sh.kind)
}

func (cx *Context) lowerFlat(sh *shape, v Value, dst []uint64) ([]uint64, error) {
	if v.kind != sh.kind {
		return dst, mismatch(sh, v)
	}
	switch sh.kind {
	case KindBool:
		return append(dst, min(v.bits, 1)), nil
	case KindU8, KindU16, KindU32, KindS8, KindS16, KindS32, KindF32:
		return append(dst, uint64(uint32(v.bits))), nil
	case KindU64, KindS64, KindF64:
		return append(dst, v.bits), nil
	case KindChar:
		if v.bits > math.MaxUint32 || !validChar(uint32(v.bits)) {
			return dst, trapf("%#x is not a Unicode scalar value", v.bits)
		}
		return append(dst, v.bits), nil
	case KindString:
		p, n, err := cx.lowerString(v.str)
		return append(dst, uint64(p), uint64(n)), err
	case KindList, KindMap:
		p, n, err := cx.lowerList(sh, v)
		return append(dst, uint64(p), uint64(n)), err
	case KindFixedList:
		if uint32(v.Len()) != sh.length {
			return dst, trapf("fixed-size list of %d elements given %d", sh.length, v.Len())
		}
		var err error
		for _, e := range v.Elems() {
			if dst, err = cx.lowerFlat(sh.elem, e, dst); err != nil {
				return dst, err
			}
		}
		return dst, nil
	case KindRecord, KindTuple:
		if len(v.elems) != len(sh.fields) {
			return dst, trapf("%s of %d fields given %d", sh.kind, len(sh.fields), len(v.elems))
		}
		var err error
		for i, f := range sh.fields {
			if dst, err = cx.lowerFlat(f, v.elems[i], dst); err != nil {
				return dst, err
			}
		}
		return dst, nil
	case KindVariant, KindEnum, KindOption, KindResult:
		p, err := checkCase(sh, v)
		if err != nil {
			return dst, err
		}
		end := len(dst) + sh.flatLen
		dst = append(dst, v.bits)
		if p != nil {
			if dst, err = cx.lowerFlat(p, v.elems[0], dst); err != nil {
				return dst, err
			}
		}
		for len(dst) < end {
			dst = append(dst, 0)
		}
		return dst, nil
	case KindFlags:
		if v.bits > math.MaxUint32 || uint32(v.bits)&^flagMask(len(sh.labels)) != 0 {
			return dst, trapf("flags value %#x sets bits past its %d labels", v.bits, len(sh.labels))
		}
		return append(dst, v.bits), nil
	case KindOwn, KindBorrow, KindFuture, KindStream, KindErrorContext:
		h, err := cx.lowerHandle(sh, v)
		return append(dst, uint64(h)), err
	}
	return dst, mismatch(sh, v)
}
