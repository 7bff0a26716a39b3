package canonabi

import (
	"math"
	"unsafe"

	"github.com/witgo/witgo/wit"
)

// Store lowers v, a value of type t, into memory at ptr (CanonicalABI.md,
// Storing). Strings and lists inside it are allocated with realloc.
func (a *ABI) Store(cx *Context, t wit.Type, v Value, ptr uint32) error {
	sh, err := a.shape(t)
	if err != nil {
		return err
	}
	return cx.store(sh, v, ptr)
}

func (cx *Context) store(sh *shape, v Value, ptr uint32) error {
	if _, err := cx.read(ptr, sh.size, sh.align); err != nil {
		return err
	}
	buf := make([]byte, sh.size)
	if err := cx.encode(sh, v, buf, 0); err != nil {
		return err
	}
	return cx.write(ptr, buf)
}

func mismatch(sh *shape, v Value) error {
	return trapf("a %s value cannot be lowered as %s", v.kind, sh.kind)
}

// encode writes v's representation into buf[off:off+sh.size], a staging
// buffer the caller copies into memory; nested strings and lists are
// allocated and written directly.
func (cx *Context) encode(sh *shape, v Value, buf []byte, off uint32) error {
	if v.kind != sh.kind {
		return mismatch(sh, v)
	}
	b := buf[off : off+sh.size]
	switch sh.kind {
	case KindBool:
		b[0] = byte(min(v.bits, 1))
	case KindU8, KindS8:
		b[0] = byte(v.bits)
	case KindU16, KindS16:
		le.PutUint16(b, uint16(v.bits))
	case KindU32, KindS32, KindF32:
		le.PutUint32(b, uint32(v.bits))
	case KindU64, KindS64, KindF64:
		le.PutUint64(b, v.bits)
	case KindChar:
		if !validChar(uint32(v.bits)) || v.bits > math.MaxUint32 {
			return trapf("%#x is not a Unicode scalar value", v.bits)
		}
		le.PutUint32(b, uint32(v.bits))
	case KindString:
		ptr, n, err := cx.lowerString(v.str)
		if err != nil {
			return err
		}
		le.PutUint32(b, ptr)
		le.PutUint32(b[4:], n)
	case KindList, KindMap:
		ptr, n, err := cx.lowerList(sh, v)
		if err != nil {
			return err
		}
		le.PutUint32(b, ptr)
		le.PutUint32(b[4:], n)
	case KindFixedList:
		if uint32(v.Len()) != sh.length {
			return trapf("fixed-size list of %d elements given %d", sh.length, v.Len())
		}
		return cx.encodeElems(sh.elem, v, b)
	case KindRecord, KindTuple:
		if len(v.elems) != len(sh.fields) {
			return trapf("%s of %d fields given %d", sh.kind, len(sh.fields), len(v.elems))
		}
		for i, f := range sh.fields {
			if err := cx.encode(f, v.elems[i], b, sh.offsets[i]); err != nil {
				return err
			}
		}
	case KindVariant, KindEnum, KindOption, KindResult:
		p, err := checkCase(sh, v)
		if err != nil {
			return err
		}
		switch sh.discSize {
		case 1:
			b[0] = byte(v.bits)
		case 2:
			le.PutUint16(b, uint16(v.bits))
		default:
			le.PutUint32(b, uint32(v.bits))
		}
		if p != nil {
			return cx.encode(p, v.elems[0], b, sh.payloadOffset)
		}
	case KindFlags:
		if uint32(v.bits)&^flagMask(len(sh.labels)) != 0 || v.bits > math.MaxUint32 {
			return trapf("flags value %#x sets bits past its %d labels", v.bits, len(sh.labels))
		}
		switch sh.size {
		case 1:
			b[0] = byte(v.bits)
		case 2:
			le.PutUint16(b, uint16(v.bits))
		default:
			le.PutUint32(b, uint32(v.bits))
		}
	case KindOwn, KindBorrow, KindFuture, KindStream, KindErrorContext:
		h, err := cx.lowerHandle(sh, v)
		if err != nil {
			return err
		}
		le.PutUint32(b, h)
	default:
		return mismatch(sh, v)
	}
	return nil
}

// checkCase validates a case value and returns its payload shape.
func checkCase(sh *shape, v Value) (*shape, error) {
	if v.bits >= uint64(len(sh.fields)) {
		return nil, trapf("case %d out of range for %d cases", v.bits, len(sh.fields))
	}
	p := sh.fields[v.bits]
	if (p != nil) != (len(v.elems) == 1) || len(v.elems) > 1 {
		return nil, trapf("case %s: payload given %d values, type wants %v", sh.labels[v.bits], len(v.elems), p != nil)
	}
	return p, nil
}

// lowerList is store_list_into_range.
func (cx *Context) lowerList(sh *shape, v Value) (ptr, n uint32, err error) {
	el := sh.elem
	byteLen := uint64(v.Len()) * uint64(el.size)
	if byteLen > MaxListByteLength {
		return 0, 0, trapf("list of %d elements of %d bytes is too long", v.Len(), el.size)
	}
	if ptr, err = cx.allocate(el.align, uint32(byteLen)); err != nil {
		return 0, 0, err
	}
	if v.bytes {
		if el.kind != KindU8 {
			return 0, 0, trapf("a byte list cannot be lowered as list<%s>", el.kind)
		}
		return ptr, uint32(len(v.str)), cx.write(ptr, unsafe.Slice(unsafe.StringData(v.str), len(v.str)))
	}
	buf := make([]byte, byteLen)
	if err := cx.encodeElems(el, v, buf); err != nil {
		return 0, 0, err
	}
	return ptr, uint32(len(v.elems)), cx.write(ptr, buf)
}

func (cx *Context) encodeElems(el *shape, v Value, buf []byte) error {
	if v.bytes {
		if el.kind != KindU8 {
			return trapf("a byte list cannot be lowered as a list of %s", el.kind)
		}
		copy(buf, v.str)
		return nil
	}
	for i := range v.elems {
		if err := cx.encode(el, v.elems[i], buf, uint32(i)*el.size); err != nil {
			return err
		}
	}
	return nil
}
