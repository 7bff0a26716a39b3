package wasm

import (
	"github.com/witgo/witgo/component/internal/binio"
)

// validateSegments checks what ValidateCode does not reach through
// function bodies: the initializers of globals and tables, and the
// element and data segments (indices, offset expression types, element
// types and the data count).
func (m *Module) validateSegments(c *codeContext) error {
	nImportedGlobals := m.ImportCount(ExternGlobal)
	for i, g := range m.Globals {
		if err := c.constExpr(g.Init, g.Type.Val, nImportedGlobals+i, 0); err != nil {
			return err
		}
	}
	for _, t := range m.Tables {
		if t.Init != nil {
			if err := c.constExpr(t.Init, t.Type.Elem, len(c.globals), 0); err != nil {
				return err
			}
		}
	}
	if m.Elements != nil {
		if err := c.elements(binio.NewReader(m.Elements, 0)); err != nil {
			return err
		}
	}
	if m.Data != nil {
		n, err := c.dataSegments(binio.NewReader(m.Data, 0))
		if err != nil {
			return err
		}
		if m.DataCount != nil && int(*m.DataCount) != n {
			return &Error{Offset: -1, Context: "data section", Msg: "data count and data section have inconsistent lengths"}
		}
	} else if m.DataCount != nil && *m.DataCount != 0 {
		return &Error{Offset: -1, Context: "data count section", Msg: "data count and data section have inconsistent lengths"}
	}
	return nil
}

// constExpr type-checks a constant expression (ending with end) that
// must produce want. Only immutable globals below globalLimit may be read.
func (c *codeContext) constExpr(expr []byte, want ValType, globalLimit, base int) error {
	limited := *c
	if globalLimit < len(c.globals) {
		limited.globals = c.globals[:globalLimit]
	}
	fv := funcValidator{ctx: &limited, r: binio.NewReader(expr, base)}
	fv.r.Context = "constant expression"
	fv.pushCtrl(0x02, nil, []ValType{want})
	for len(fv.ctrls) > 0 {
		if fv.r.EOF() {
			return fv.errorf("unexpected end of constant expression")
		}
		off := fv.r.Pos()
		if expr[off] == 0x23 { // global.get: immutable globals only
			idx, err := binio.NewReader(expr[off+1:], 0).U32()
			if err == nil && int(idx) < len(limited.globals) && limited.globals[idx].Mutable() {
				return fv.errorf("constant expression required: global.get of a mutable global")
			}
		}
		if err := fv.instr(); err != nil {
			if err == errUnsupported {
				return nil
			}
			return err
		}
	}
	return nil
}

func (c *codeContext) offsetExpr(r *binio.Reader, want ValType) error {
	off := r.Offset()
	expr, err := readConstExpr(r)
	if err != nil {
		return err
	}
	return c.constExpr(expr, want, len(c.globals), off)
}

// elements validates the element section payload.
func (c *codeContext) elements(r *binio.Reader) error {
	r.Context = "element section"
	n, err := r.Count(1)
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		flags, err := r.U32()
		if err != nil {
			return err
		}
		if flags > 7 {
			return r.Errorf("invalid element segment flags %d", flags)
		}
		active := flags&1 == 0
		elemType := ValType{Code: FuncRef}
		if active {
			table := uint32(0)
			if flags&2 != 0 {
				if table, err = r.U32(); err != nil {
					return err
				}
			}
			if int(table) >= len(c.tables) {
				return r.Errorf("unknown table %d", table)
			}
			addr := tI32
			if c.tables[table].Limits.Is64() {
				addr = tI64
			}
			if err := c.offsetExpr(r, addr); err != nil {
				return err
			}
			if flags&2 == 0 {
				// Forms 0 and 4 imply funcref; check against the table below.
				if !matches(elemType, c.tables[table].Elem) {
					return r.Errorf("type mismatch: element segment does not match the table's element type")
				}
			}
		}
		if flags&3 != 0 { // explicit elemkind or reftype
			if flags&4 == 0 {
				k, err := r.Byte()
				if err != nil {
					return err
				}
				if k != 0 {
					return r.Errorf("invalid element kind 0x%02x", k)
				}
			} else if elemType, err = ReadValType(r); err != nil {
				return err
			}
		}
		count, err := r.Count(1)
		if err != nil {
			return err
		}
		for j := 0; j < count; j++ {
			if flags&4 == 0 {
				f, err := r.U32()
				if err != nil {
					return err
				}
				if int(f) >= len(c.funcs) {
					return r.Errorf("unknown function %d in element segment", f)
				}
			} else if err := c.offsetExpr(r, elemType); err != nil {
				return err
			}
		}
	}
	if !r.EOF() {
		return r.Errorf("unexpected content after the last element segment")
	}
	return nil
}

// dataSegments validates the data section payload and returns its segment count.
func (c *codeContext) dataSegments(r *binio.Reader) (int, error) {
	r.Context = "data section"
	n, err := r.Count(1)
	if err != nil {
		return 0, err
	}
	for i := 0; i < n; i++ {
		flags, err := r.U32()
		if err != nil {
			return 0, err
		}
		if flags > 2 {
			return 0, r.Errorf("invalid data segment flags %d", flags)
		}
		if flags != 1 {
			mem := uint32(0)
			if flags == 2 {
				if mem, err = r.U32(); err != nil {
					return 0, err
				}
			}
			if int(mem) >= len(c.mems) {
				return 0, r.Errorf("unknown memory %d", mem)
			}
			addr := tI32
			if c.mems[mem].Limits.Is64() {
				addr = tI64
			}
			if err := c.offsetExpr(r, addr); err != nil {
				return 0, err
			}
		}
		size, err := r.U32()
		if err != nil {
			return 0, err
		}
		if _, err := r.Bytes(int(size)); err != nil {
			return 0, err
		}
	}
	if !r.EOF() {
		return 0, r.Errorf("unexpected content after the last data segment")
	}
	return n, nil
}
