package wasm

var (
	tI32 = ValType{Code: I32}
	tI64 = ValType{Code: I64}
	tF32 = ValType{Code: F32}
	tF64 = ValType{Code: F64}
)

// numSig is the signature of a numeric instruction: up to two operands of
// type in (none if in is zero) and one result.
type numSig struct {
	in  ValType
	n   int // operand count; 0 means not a numeric opcode
	out ValType
}

// numericSigs maps the single-byte numeric opcodes to their signatures.
var numericSigs = func() *[256]numSig {
	m := &[256]numSig{}
	set := func(lo, hi byte, in ValType, n int, out ValType) {
		for op := lo; ; op++ {
			m[op] = numSig{in: in, n: n, out: out}
			if op == hi {
				break
			}
		}
	}
	set(0x45, 0x45, tI32, 1, tI32)
	set(0x46, 0x4f, tI32, 2, tI32)
	set(0x50, 0x50, tI64, 1, tI32)
	set(0x51, 0x5a, tI64, 2, tI32)
	set(0x5b, 0x60, tF32, 2, tI32)
	set(0x61, 0x66, tF64, 2, tI32)
	set(0x67, 0x69, tI32, 1, tI32)
	set(0x6a, 0x78, tI32, 2, tI32)
	set(0x79, 0x7b, tI64, 1, tI64)
	set(0x7c, 0x8a, tI64, 2, tI64)
	set(0x8b, 0x91, tF32, 1, tF32)
	set(0x92, 0x98, tF32, 2, tF32)
	set(0x99, 0x9f, tF64, 1, tF64)
	set(0xa0, 0xa6, tF64, 2, tF64)
	conv := []struct {
		op      byte
		in, out ValType
	}{
		{0xa7, tI64, tI32}, {0xa8, tF32, tI32}, {0xa9, tF32, tI32}, {0xaa, tF64, tI32}, {0xab, tF64, tI32},
		{0xac, tI32, tI64}, {0xad, tI32, tI64}, {0xae, tF32, tI64}, {0xaf, tF32, tI64}, {0xb0, tF64, tI64},
		{0xb1, tF64, tI64}, {0xb2, tI32, tF32}, {0xb3, tI32, tF32}, {0xb4, tI64, tF32}, {0xb5, tI64, tF32},
		{0xb6, tF64, tF32}, {0xb7, tI32, tF64}, {0xb8, tI32, tF64}, {0xb9, tI64, tF64}, {0xba, tI64, tF64},
		{0xbb, tF32, tF64}, {0xbc, tF32, tI32}, {0xbd, tF64, tI64}, {0xbe, tI32, tF32}, {0xbf, tI64, tF64},
		{0xc0, tI32, tI32}, {0xc1, tI32, tI32}, {0xc2, tI64, tI64}, {0xc3, tI64, tI64}, {0xc4, tI64, tI64},
	}
	for _, c := range conv {
		m[c.op] = numSig{in: c.in, n: 1, out: c.out}
	}
	return m
}()

// loadStore gives, per memory opcode, the value type and the natural
// alignment (log2 of the access size).
var loadStore = [256]struct {
	t     ValType
	align uint32
	store bool
}{
	0x28: {tI32, 2, false}, 0x29: {tI64, 3, false}, 0x2a: {tF32, 2, false}, 0x2b: {tF64, 3, false},
	0x2c: {tI32, 0, false}, 0x2d: {tI32, 0, false}, 0x2e: {tI32, 1, false}, 0x2f: {tI32, 1, false},
	0x30: {tI64, 0, false}, 0x31: {tI64, 0, false}, 0x32: {tI64, 1, false}, 0x33: {tI64, 1, false},
	0x34: {tI64, 2, false}, 0x35: {tI64, 2, false},
	0x36: {tI32, 2, true}, 0x37: {tI64, 3, true}, 0x38: {tF32, 2, true}, 0x39: {tF64, 3, true},
	0x3a: {tI32, 0, true}, 0x3b: {tI32, 1, true}, 0x3c: {tI64, 0, true}, 0x3d: {tI64, 1, true},
	0x3e: {tI64, 2, true},
}

// satTrunc are the 0xfc 0..7 saturating truncations.
var satTrunc = [8][2]ValType{
	{tF32, tI32}, {tF32, tI32}, {tF64, tI32}, {tF64, tI32},
	{tF32, tI64}, {tF32, tI64}, {tF64, tI64}, {tF64, tI64},
}

func (f *funcValidator) memory(idx uint32) (ValType, error) {
	if int(idx) >= len(f.ctx.mems) {
		return unknown, f.errorf("unknown memory %d", idx)
	}
	if f.ctx.mems[idx].Limits.Is64() {
		return tI64, nil
	}
	return tI32, nil
}

func (f *funcValidator) table(idx uint32) (TableType, ValType, error) {
	if int(idx) >= len(f.ctx.tables) {
		return TableType{}, unknown, f.errorf("unknown table %d", idx)
	}
	t := f.ctx.tables[idx]
	if t.Limits.Is64() {
		return t, tI64, nil
	}
	return t, tI32, nil
}

func (f *funcValidator) memArg(natural uint32) (ValType, error) {
	align, err := f.r.U32()
	if err != nil {
		return unknown, err
	}
	mem := uint32(0)
	if align&0x40 != 0 { // multi-memory: an explicit memory index follows
		align &^= 0x40
		if mem, err = f.r.U32(); err != nil {
			return unknown, err
		}
	}
	addr, err := f.memory(mem)
	if err != nil {
		return unknown, err
	}
	if addr == tI64 {
		_, err = f.r.U64()
	} else {
		_, err = f.r.U32()
	}
	if err != nil {
		return unknown, err
	}
	if align > natural {
		return unknown, f.errorf("alignment must not be larger than natural")
	}
	return addr, nil
}

func (f *funcValidator) local(idx uint32) (ValType, error) {
	if int(idx) >= len(f.locals) {
		return unknown, f.errorf("unknown local %d", idx)
	}
	return f.locals[idx], nil
}

func (f *funcValidator) callType(ft *FuncType, tail bool) error {
	if err := f.popAll(ft.Params); err != nil {
		return err
	}
	if !tail {
		f.pushAll(ft.Results)
		return nil
	}
	if !sameTypes(ft.Results, f.ctrls[0].end) {
		return f.errorf("type mismatch: tail call results differ from the function's")
	}
	f.setUnreachable()
	return nil
}

func sameTypes(a, b []ValType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !matches(a[i], b[i]) {
			return false
		}
	}
	return true
}

// instr validates one instruction.
func (f *funcValidator) instr() error {
	op, err := f.r.Byte()
	if err != nil {
		return err
	}
	if s := numericSigs[op]; s.n > 0 {
		for i := 0; i < s.n; i++ {
			if _, err := f.popExpect(s.in); err != nil {
				return err
			}
		}
		f.push(s.out)
		return nil
	}
	if ls := loadStore[op]; ls.t.Code != 0 {
		addr, err := f.memArg(ls.align)
		if err != nil {
			return err
		}
		if ls.store {
			if _, err := f.popExpect(ls.t); err != nil {
				return err
			}
			_, err = f.popExpect(addr)
			return err
		}
		if _, err := f.popExpect(addr); err != nil {
			return err
		}
		f.push(ls.t)
		return nil
	}
	switch op {
	case 0x00: // unreachable
		f.setUnreachable()
	case 0x01: // nop
	case 0x02, 0x03: // block, loop
		in, out, err := f.blockType()
		if err != nil {
			return err
		}
		if err := f.popAll(in); err != nil {
			return err
		}
		f.pushCtrl(op, in, out)
	case 0x04: // if
		in, out, err := f.blockType()
		if err != nil {
			return err
		}
		if _, err := f.popExpect(tI32); err != nil {
			return err
		}
		if err := f.popAll(in); err != nil {
			return err
		}
		f.pushCtrl(op, in, out)
	case 0x05: // else
		fr, err := f.popCtrl()
		if err != nil {
			return err
		}
		if fr.opcode != 0x04 {
			return f.errorf("else without if")
		}
		f.pushCtrl(0x05, fr.start, fr.end)
	case 0x0b: // end
		fr, err := f.popCtrl()
		if err != nil {
			return err
		}
		if fr.opcode == 0x04 && !sameTypes(fr.start, fr.end) {
			return f.errorf("type mismatch: if without else must leave its parameters unchanged")
		}
		f.pushAll(fr.end)
	case 0x0c, 0x0d: // br, br_if
		depth, err := f.r.U32()
		if err != nil {
			return err
		}
		if op == 0x0d {
			if _, err := f.popExpect(tI32); err != nil {
				return err
			}
		}
		lt, err := f.label(depth)
		if err != nil {
			return err
		}
		if err := f.popAll(lt); err != nil {
			return err
		}
		if op == 0x0c {
			f.setUnreachable()
		} else {
			f.pushAll(lt)
		}
	case 0x0e: // br_table
		n, err := f.r.Count(1)
		if err != nil {
			return err
		}
		targets := make([]uint32, n+1)
		for i := range targets {
			if targets[i], err = f.r.U32(); err != nil {
				return err
			}
		}
		if _, err := f.popExpect(tI32); err != nil {
			return err
		}
		def, err := f.label(targets[n])
		if err != nil {
			return err
		}
		for _, t := range targets {
			lt, err := f.label(t)
			if err != nil {
				return err
			}
			if len(lt) != len(def) {
				return f.errorf("type mismatch: br_table targets have different arities")
			}
			saved := append([]ValType(nil), f.vals...)
			if err := f.popAll(lt); err != nil {
				return err
			}
			f.vals = saved
		}
		if err := f.popAll(def); err != nil {
			return err
		}
		f.setUnreachable()
	case 0x0f: // return
		if err := f.popAll(f.ctrls[0].end); err != nil {
			return err
		}
		f.setUnreachable()
	case 0x10, 0x12: // call, return_call
		idx, err := f.r.U32()
		if err != nil {
			return err
		}
		if int(idx) >= len(f.ctx.funcs) || f.ctx.funcs[idx] == nil {
			return f.errorf("unknown function %d", idx)
		}
		return f.callType(f.ctx.funcs[idx], op == 0x12)
	case 0x11, 0x13: // call_indirect, return_call_indirect
		ti, err := f.r.U32()
		if err != nil {
			return err
		}
		tbl, err := f.r.U32()
		if err != nil {
			return err
		}
		_, addr, err := f.table(tbl)
		if err != nil {
			return err
		}
		if int(ti) >= len(f.ctx.types) || f.ctx.types[ti] == nil {
			return f.errorf("unknown type %d", ti)
		}
		if _, err := f.popExpect(addr); err != nil {
			return err
		}
		return f.callType(f.ctx.types[ti], op == 0x13)
	case 0x1a: // drop
		_, err := f.pop()
		return err
	case 0x1b: // select
		if _, err := f.popExpect(tI32); err != nil {
			return err
		}
		t1, err := f.pop()
		if err != nil {
			return err
		}
		t2, err := f.pop()
		if err != nil {
			return err
		}
		if isRef(t1) || isRef(t2) {
			return f.errorf("type mismatch: select without a type needs numeric operands")
		}
		if t1 != t2 && t1 != unknown && t2 != unknown {
			return f.errorf("type mismatch: select operands %s and %s differ", t1, t2)
		}
		if t1 == unknown {
			t1 = t2
		}
		f.push(t1)
	case 0x1c: // select t
		n, err := f.r.U32()
		if err != nil {
			return err
		}
		if n != 1 {
			return f.errorf("invalid result arity for select")
		}
		t, err := ReadValType(f.r)
		if err != nil {
			return err
		}
		if _, err := f.popExpect(tI32); err != nil {
			return err
		}
		if _, err := f.popExpect(t); err != nil {
			return err
		}
		if _, err := f.popExpect(t); err != nil {
			return err
		}
		f.push(t)
	case 0x20, 0x21, 0x22: // local.get, local.set, local.tee
		idx, err := f.r.U32()
		if err != nil {
			return err
		}
		t, err := f.local(idx)
		if err != nil {
			return err
		}
		if op != 0x20 {
			if _, err := f.popExpect(t); err != nil {
				return err
			}
		}
		if op != 0x21 {
			f.push(t)
		}
	case 0x23, 0x24: // global.get, global.set
		idx, err := f.r.U32()
		if err != nil {
			return err
		}
		if int(idx) >= len(f.ctx.globals) {
			return f.errorf("unknown global %d", idx)
		}
		g := f.ctx.globals[idx]
		if op == 0x23 {
			f.push(g.Val)
			return nil
		}
		if !g.Mutable() {
			return f.errorf("global is immutable: cannot modify it with global.set")
		}
		_, err = f.popExpect(g.Val)
		return err
	case 0x25, 0x26: // table.get, table.set
		idx, err := f.r.U32()
		if err != nil {
			return err
		}
		t, addr, err := f.table(idx)
		if err != nil {
			return err
		}
		if op == 0x26 {
			if _, err := f.popExpect(t.Elem); err != nil {
				return err
			}
		}
		if _, err := f.popExpect(addr); err != nil {
			return err
		}
		if op == 0x25 {
			f.push(t.Elem)
		}
	case 0x3f, 0x40: // memory.size, memory.grow
		idx, err := f.r.U32()
		if err != nil {
			return err
		}
		addr, err := f.memory(idx)
		if err != nil {
			return err
		}
		if op == 0x40 {
			if _, err := f.popExpect(addr); err != nil {
				return err
			}
		}
		f.push(addr)
	case 0x41:
		_, err = f.r.S32()
		f.push(tI32)
	case 0x42:
		_, err = f.r.S64()
		f.push(tI64)
	case 0x43:
		_, err = f.r.Bytes(4)
		f.push(tF32)
	case 0x44:
		_, err = f.r.Bytes(8)
		f.push(tF64)
	case 0xd0: // ref.null
		h, shared, err := readHeapType(f.r)
		if err != nil {
			return err
		}
		f.push(ValType{Code: RefNull, Heap: h, SharedHeap: shared})
	case 0xd1: // ref.is_null
		t, err := f.pop()
		if err != nil {
			return err
		}
		if t != unknown && !isRef(t) {
			return f.errorf("type mismatch: ref.is_null expects a reference, found %s", t)
		}
		f.push(tI32)
	case 0xd2: // ref.func
		idx, err := f.r.U32()
		if err != nil {
			return err
		}
		if int(idx) >= len(f.ctx.funcs) {
			return f.errorf("unknown function %d", idx)
		}
		f.push(ValType{Code: FuncRef})
	case 0xfc:
		return f.prefixed()
	default:
		return errUnsupported
	}
	return err
}

// prefixed validates the 0xfc instructions: saturating truncation, bulk
// memory and table operations.
func (f *funcValidator) prefixed() error {
	sub, err := f.r.U32()
	if err != nil {
		return err
	}
	if sub < 8 {
		if _, err := f.popExpect(satTrunc[sub][0]); err != nil {
			return err
		}
		f.push(satTrunc[sub][1])
		return nil
	}
	u32 := func() uint32 {
		if err != nil {
			return 0
		}
		var v uint32
		v, err = f.r.U32()
		return v
	}
	pop3 := func(a, b, c ValType) error {
		if _, err := f.popExpect(c); err != nil {
			return err
		}
		if _, err := f.popExpect(b); err != nil {
			return err
		}
		_, err := f.popExpect(a)
		return err
	}
	switch sub {
	case 8, 9: // memory.init, data.drop
		data := u32()
		if !f.ctx.hasDataN && err == nil {
			return f.errorf("data count section required")
		}
		if err == nil && int(data) >= f.ctx.datas {
			return f.errorf("unknown data segment %d", data)
		}
		if sub == 9 {
			return err
		}
		mem := u32()
		if err != nil {
			return err
		}
		addr, err := f.memory(mem)
		if err != nil {
			return err
		}
		return pop3(addr, tI32, tI32)
	case 10: // memory.copy
		dst, src := u32(), u32()
		if err != nil {
			return err
		}
		da, err := f.memory(dst)
		if err != nil {
			return err
		}
		sa, err := f.memory(src)
		if err != nil {
			return err
		}
		n := tI32
		if da == tI64 && sa == tI64 {
			n = tI64
		}
		return pop3(da, sa, n)
	case 11: // memory.fill
		mem := u32()
		if err != nil {
			return err
		}
		addr, err := f.memory(mem)
		if err != nil {
			return err
		}
		return pop3(addr, tI32, addr)
	case 12, 13: // table.init, elem.drop
		elem := u32()
		if err == nil && int(elem) >= f.ctx.elems {
			return f.errorf("unknown elem segment %d", elem)
		}
		if sub == 13 {
			return err
		}
		tbl := u32()
		if err != nil {
			return err
		}
		_, addr, err := f.table(tbl)
		if err != nil {
			return err
		}
		return pop3(addr, tI32, tI32)
	case 14: // table.copy
		dst, src := u32(), u32()
		if err != nil {
			return err
		}
		dt, da, err := f.table(dst)
		if err != nil {
			return err
		}
		st, sa, err := f.table(src)
		if err != nil {
			return err
		}
		if !matches(st.Elem, dt.Elem) {
			return f.errorf("type mismatch: table.copy between tables of different element types")
		}
		n := tI32
		if da == tI64 && sa == tI64 {
			n = tI64
		}
		return pop3(da, sa, n)
	case 15, 16, 17: // table.grow, table.size, table.fill
		tbl := u32()
		if err != nil {
			return err
		}
		t, addr, err := f.table(tbl)
		if err != nil {
			return err
		}
		switch sub {
		case 15:
			if _, err := f.popExpect(addr); err != nil {
				return err
			}
			if _, err := f.popExpect(t.Elem); err != nil {
				return err
			}
			f.push(addr)
		case 16:
			f.push(addr)
		default:
			return pop3(addr, t.Elem, addr)
		}
		return nil
	}
	return errUnsupported
}
