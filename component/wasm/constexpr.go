package wasm

import "github.com/witgo/witgo/component/internal/binio"

// readConstExpr returns the bytes of a constant expression up to and
// including its end opcode. It knows the instructions that constant
// expressions may contain (core 2.0, extended-const, GC and SIMD).
func readConstExpr(r *binio.Reader) ([]byte, error) {
	start := r.Pos()
	for {
		off := r.Offset()
		op, err := r.Byte()
		if err != nil {
			return nil, err
		}
		switch op {
		case 0x0b:
			return r.Window(start, r.Pos()-start), nil
		case 0x41:
			_, err = r.S32()
		case 0x42:
			_, err = r.S64()
		case 0x43:
			_, err = r.Bytes(4)
		case 0x44:
			_, err = r.Bytes(8)
		case 0x23, 0xd2:
			_, err = r.U32()
		case 0xd0:
			_, _, err = readHeapType(r)
		case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e:
		case 0xfd:
			var sub uint32
			if sub, err = r.U32(); err == nil {
				if sub != 12 {
					return nil, r.ErrorAt(off, "instruction 0xfd %d is not allowed in a constant expression", sub)
				}
				_, err = r.Bytes(16)
			}
		case 0xfb:
			err = readGCConstOp(r, off)
		default:
			return nil, r.ErrorAt(off, "instruction 0x%02x is not allowed in a constant expression", op)
		}
		if err != nil {
			return nil, err
		}
	}
}

func readGCConstOp(r *binio.Reader, off int) error {
	sub, err := r.U32()
	if err != nil {
		return err
	}
	switch sub {
	case 0, 1, 6, 7: // struct.new, struct.new_default, array.new, array.new_default
		_, err = r.U32()
	case 8: // array.new_fixed
		if _, err = r.U32(); err == nil {
			_, err = r.U32()
		}
	case 0x1a, 0x1b, 0x1c: // any.convert_extern, extern.convert_any, ref.i31
	default:
		err = r.ErrorAt(off, "instruction 0xfb %d is not allowed in a constant expression", sub)
	}
	return err
}
