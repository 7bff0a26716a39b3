package component

import (
	"encoding/binary"
	"math"
	"unicode/utf8"

	"github.com/witgo/witgo/component/internal/binio"
)

// checkValue checks that data is exactly the encoding of one value of
// type t (Binary.md, "Value Definitions").
func (v *validator) checkValue(t *vtype, data []byte) error {
	r := binio.NewReader(data, v.meta.itemOffset(v.item))
	r.Context = "value"
	if err := checkVal(r, t); err != nil {
		return err
	}
	if !r.EOF() {
		return r.Errorf("value has %d bytes after its encoding", r.Len())
	}
	return nil
}

func checkVal(r *binio.Reader, t *vtype) error {
	var err error
	switch t.kind {
	case KindPrim:
		return checkPrimVal(r, t.prim)
	case KindRecord:
		for _, f := range t.fields {
			if err := checkVal(r, f.t); err != nil {
				return err
			}
		}
	case KindTuple:
		for _, x := range t.types {
			if err := checkVal(r, x); err != nil {
				return err
			}
		}
	case KindVariant, KindOption, KindResult:
		cases := variantCases(t)
		var i uint32
		if t.kind == KindVariant {
			i, err = r.U32()
		} else {
			var b byte
			b, err = r.Byte()
			i = uint32(b)
		}
		if err != nil {
			return err
		}
		if int(i) >= len(cases) {
			return r.Errorf("case index %d out of range for a %s of %d cases", i, t, len(cases))
		}
		if cases[i] != nil {
			return checkVal(r, cases[i])
		}
	case KindEnum:
		i, err := r.U32()
		if err == nil && int(i) >= len(t.labels) {
			return r.Errorf("enum case %d out of range", i)
		}
		return err
	case KindFlags:
		_, err = r.Bytes((len(t.labels) + 7) / 8)
	case KindList:
		n, err := r.Count(1)
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if err := checkVal(r, t.elem); err != nil {
				return err
			}
		}
	case KindFixedList:
		for i := uint32(0); i < t.length; i++ {
			if err := checkVal(r, t.elem); err != nil {
				return err
			}
		}
	default:
		return r.Errorf("a %s cannot be a value definition", t)
	}
	return err
}

func checkPrimVal(r *binio.Reader, prim byte) error {
	var err error
	switch prim {
	case Bool:
		var b byte
		if b, err = r.Byte(); err == nil && b > 1 {
			return r.Errorf("invalid bool value %d", b)
		}
	case S8, U8:
		_, err = r.Byte()
	case U16:
		var x uint32
		if x, err = r.U32(); err == nil && x > math.MaxUint16 {
			return r.Errorf("u16 value %d out of range", x)
		}
	case S16:
		var x int32
		if x, err = r.S32(); err == nil && (x < math.MinInt16 || x > math.MaxInt16) {
			return r.Errorf("s16 value %d out of range", x)
		}
	case U32:
		_, err = r.U32()
	case S32:
		_, err = r.S32()
	case U64:
		_, err = r.U64()
	case S64:
		_, err = r.S64()
	case F32:
		var b []byte
		if b, err = r.Bytes(4); err == nil {
			if f := math.Float32frombits(binary.LittleEndian.Uint32(b)); f != f && binary.LittleEndian.Uint32(b) != 0x7fc00000 {
				return r.Errorf("f32 NaN values must be canonical")
			}
		}
	case F64:
		var b []byte
		if b, err = r.Bytes(8); err == nil {
			if f := math.Float64frombits(binary.LittleEndian.Uint64(b)); f != f && binary.LittleEndian.Uint64(b) != 0x7ff8000000000000 {
				return r.Errorf("f64 NaN values must be canonical")
			}
		}
	case Char:
		c, size := utf8.DecodeRune(r.Tail())
		if c == utf8.RuneError && size <= 1 {
			return r.Errorf("invalid UTF-8 in char value")
		}
		_, err = r.Bytes(size)
	case String:
		_, err = r.Name()
	default:
		return r.Errorf("a %s cannot be a value definition", primNames[prim])
	}
	return err
}
