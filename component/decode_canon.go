package component

import (
	"github.com/witgo/witgo/component/internal/binio"
	"github.com/witgo/witgo/component/wasm"
)

func readCanon(r *binio.Reader) (Canon, error) {
	var c Canon
	off := r.Offset()
	var err error
	if c.Op, err = r.Byte(); err != nil {
		return c, err
	}
	imm, ok := canonImms[c.Op]
	if !ok {
		return c, r.ErrorAt(off, "invalid leading byte (0x%x) for canonical function", c.Op)
	}
	if imm&immFunc != 0 {
		if err = expectByte(r, 0x00, "canonical function sort (expected func)"); err != nil {
			return c, err
		}
		if c.Func, err = r.U32(); err != nil {
			return c, err
		}
	}
	if imm&immResult != 0 {
		if c.Result, err = readResultList(r); err != nil {
			return c, err
		}
	}
	if imm&immCoreVal != 0 {
		if c.CoreVal, err = wasm.ReadValType(r); err != nil {
			return c, err
		}
		if c.Slot, err = r.U32(); err != nil {
			return c, err
		}
	}
	// thread.spawn-* put the shared? flag first; the others put it after
	// their type index.
	flagFirst := c.Op == CanonThreadSpawnRef || c.Op == CanonThreadSpawnIndirect || c.Op == CanonThreadAvailParallelism
	if imm&immFlag != 0 && flagFirst {
		if c.Flag, err = readOptional(r, "flag"); err != nil {
			return c, err
		}
	}
	if imm&immType != 0 && c.Op != CanonLift {
		if c.Type, err = r.U32(); err != nil {
			return c, err
		}
	}
	if imm&immCoreType != 0 {
		if c.CoreType, err = r.U32(); err != nil {
			return c, err
		}
	}
	if imm&immTable != 0 {
		if c.Table, err = r.U32(); err != nil {
			return c, err
		}
	}
	if imm&immOpts != 0 {
		if c.Opts, err = binio.ReadVec(r, 1, readCanonOpt); err != nil {
			return c, err
		}
	}
	if imm&immFlag != 0 && !flagFirst {
		if c.Flag, err = readOptional(r, "flag"); err != nil {
			return c, err
		}
	}
	if imm&immMemory != 0 {
		if c.Memory, err = r.U32(); err != nil {
			return c, err
		}
	}
	if c.Op == CanonLift {
		c.Type, err = r.U32()
	}
	return c, err
}

func readCanonOpt(r *binio.Reader) (CanonOpt, error) {
	var o CanonOpt
	off := r.Offset()
	var err error
	if o.Kind, err = r.Byte(); err != nil {
		return o, err
	}
	switch o.Kind {
	case OptUTF8, OptUTF16, OptLatin1UTF16, OptAsync:
	case OptMemory, OptRealloc, OptPostReturn, OptCallback:
		o.Index, err = r.U32()
	default:
		err = r.ErrorAt(off, "invalid leading byte (0x%x) for canonical option", o.Kind)
	}
	return o, err
}
