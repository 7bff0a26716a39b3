package wasm

import (
	"fmt"

	"github.com/witgo/witgo/component/internal/binio"
)

// ValidateCode type-checks the function bodies, global and table
// initializers and element and data segments of m with the validation
// algorithm of the core specification (its appendix): operand and control
// stacks, block types, locals, globals, memories, tables and calls.
// It covers core 2.0 (multi-value, reference types, bulk memory,
// sign extension, saturating truncation) and tail calls. A body that uses
// an instruction outside that set (SIMD, threads, GC, exceptions...) is
// not checked further: ValidateCode accepts what it does not know rather
// than rejecting valid modules.
func (m *Module) ValidateCode() error {
	c, err := newCodeContext(m)
	if err != nil {
		return err
	}
	if err := m.validateSegments(c); err != nil {
		return err
	}
	nImported := m.ImportCount(ExternFunc)
	fv := funcValidator{ctx: c}
	for i, body := range m.Code {
		ft := c.funcs[nImported+i]
		if ft == nil {
			continue
		}
		// Reuse the stacks across functions.
		fv.r = binio.NewReader(body.Body, body.Offset)
		fv.locals, fv.vals, fv.ctrls = fv.locals[:0], fv.vals[:0], fv.ctrls[:0]
		if err := fv.run(ft); err != nil {
			if err == errUnsupported {
				continue
			}
			if e, ok := err.(*binio.Error); ok {
				e.Context = fmt.Sprintf("function %d", nImported+i)
			}
			return err
		}
	}
	return nil
}

// codeContext holds the index spaces function bodies refer to.
type codeContext struct {
	types    []*FuncType // nil for non-function types
	funcs    []*FuncType
	tables   []TableType
	mems     []MemType
	globals  []GlobalType
	elems    int
	datas    int
	hasDataN bool
}

func newCodeContext(m *Module) (*codeContext, error) {
	c := &codeContext{}
	for _, g := range m.Types {
		for _, st := range g.Types {
			if st.Comp.Kind == KindFunc {
				c.types = append(c.types, &FuncType{Params: st.Comp.Params, Results: st.Comp.Results})
			} else {
				c.types = append(c.types, nil)
			}
		}
	}
	typeOf := func(i uint32) *FuncType {
		if int(i) < len(c.types) {
			return c.types[i]
		}
		return nil
	}
	for _, im := range m.Imports {
		switch im.Type.Kind {
		case ExternFunc:
			c.funcs = append(c.funcs, typeOf(im.Type.Func))
		case ExternTable:
			c.tables = append(c.tables, im.Type.Table)
		case ExternMemory:
			c.mems = append(c.mems, im.Type.Memory)
		case ExternGlobal:
			c.globals = append(c.globals, im.Type.Global)
		}
	}
	for _, f := range m.Funcs {
		c.funcs = append(c.funcs, typeOf(f))
	}
	for _, t := range m.Tables {
		c.tables = append(c.tables, t.Type)
	}
	c.mems = append(c.mems, m.Memories...)
	for _, g := range m.Globals {
		c.globals = append(c.globals, g.Type)
	}
	if m.Elements != nil {
		n, err := binio.NewReader(m.Elements, 0).U32()
		if err != nil {
			return nil, err
		}
		c.elems = int(n)
	}
	if m.DataCount != nil {
		c.datas, c.hasDataN = int(*m.DataCount), true
	} else if m.Data != nil {
		n, err := binio.NewReader(m.Data, 0).U32()
		if err != nil {
			return nil, err
		}
		c.datas = int(n)
	}
	return c, nil
}

var errUnsupported = fmt.Errorf("unsupported instruction")

// unknown is the bottom type of unreachable code.
var unknown = ValType{Code: 0}

type ctrlFrame struct {
	opcode      byte
	start       []ValType
	end         []ValType
	height      int
	unreachable bool
}

type funcValidator struct {
	ctx    *codeContext
	r      *binio.Reader
	locals []ValType
	vals   []ValType
	ctrls  []ctrlFrame
}

func (f *funcValidator) errorf(format string, args ...any) error {
	return f.r.Errorf(format, args...)
}

func (f *funcValidator) push(t ValType) { f.vals = append(f.vals, t) }

func (f *funcValidator) pushAll(ts []ValType) {
	for _, t := range ts {
		f.push(t)
	}
}

func isRef(t ValType) bool { return t.Code != 0 && !t.IsNum() }

func matches(actual, want ValType) bool {
	if actual == unknown || want == unknown || actual == want {
		return true
	}
	// Reference subtyping is approximated: any reference matches any.
	return isRef(actual) && isRef(want)
}

func (f *funcValidator) pop() (ValType, error) {
	top := &f.ctrls[len(f.ctrls)-1]
	if len(f.vals) == top.height {
		if top.unreachable {
			return unknown, nil
		}
		return unknown, f.errorf("type mismatch: operand stack is empty")
	}
	t := f.vals[len(f.vals)-1]
	f.vals = f.vals[:len(f.vals)-1]
	return t, nil
}

func (f *funcValidator) popExpect(want ValType) (ValType, error) {
	t, err := f.pop()
	if err != nil {
		return t, err
	}
	if !matches(t, want) {
		return t, f.errorf("type mismatch: expected %s, found %s", want, t)
	}
	if t == unknown {
		return want, nil
	}
	return t, nil
}

func (f *funcValidator) popAll(ts []ValType) error {
	for i := len(ts) - 1; i >= 0; i-- {
		if _, err := f.popExpect(ts[i]); err != nil {
			return err
		}
	}
	return nil
}

func (f *funcValidator) pushCtrl(op byte, in, out []ValType) {
	f.ctrls = append(f.ctrls, ctrlFrame{opcode: op, start: in, end: out, height: len(f.vals)})
	f.pushAll(in)
}

func (f *funcValidator) popCtrl() (ctrlFrame, error) {
	if len(f.ctrls) == 0 {
		return ctrlFrame{}, f.errorf("unexpected end of function")
	}
	frame := f.ctrls[len(f.ctrls)-1]
	if err := f.popAll(frame.end); err != nil {
		return frame, err
	}
	if len(f.vals) != frame.height {
		return frame, f.errorf("type mismatch: values remain on the stack at the end of a block")
	}
	f.ctrls = f.ctrls[:len(f.ctrls)-1]
	return frame, nil
}

func labelTypes(fr ctrlFrame) []ValType {
	if fr.opcode == 0x03 { // loop
		return fr.start
	}
	return fr.end
}

func (f *funcValidator) setUnreachable() {
	top := &f.ctrls[len(f.ctrls)-1]
	f.vals = f.vals[:top.height]
	top.unreachable = true
}

func (f *funcValidator) label(depth uint32) ([]ValType, error) {
	if int(depth) >= len(f.ctrls) {
		return nil, f.errorf("unknown label %d", depth)
	}
	return labelTypes(f.ctrls[len(f.ctrls)-1-int(depth)]), nil
}

// blockType reads a block type and returns its parameters and results.
func (f *funcValidator) blockType() ([]ValType, []ValType, error) {
	b, err := f.r.Peek()
	if err != nil {
		return nil, nil, err
	}
	if b == 0x40 {
		f.r.Byte()
		return nil, nil, nil
	}
	if b >= 0x63 && b <= 0x7f {
		t, err := ReadValType(f.r)
		return nil, []ValType{t}, err
	}
	idx, err := f.r.S33()
	if err != nil {
		return nil, nil, err
	}
	if idx < 0 || int(idx) >= len(f.ctx.types) || f.ctx.types[idx] == nil {
		return nil, nil, f.errorf("unknown type %d in block type", idx)
	}
	ft := f.ctx.types[idx]
	return ft.Params, ft.Results, nil
}

func (f *funcValidator) run(ft *FuncType) error {
	f.locals = append(f.locals, ft.Params...)
	groups, err := f.r.U32()
	if err != nil {
		return err
	}
	total := uint64(len(f.locals))
	for i := uint32(0); i < groups; i++ {
		n, err := f.r.U32()
		if err != nil {
			return err
		}
		t, err := ReadValType(f.r)
		if err != nil {
			return err
		}
		if total += uint64(n); total > 50000 {
			return f.errorf("too many locals")
		}
		for j := uint32(0); j < n; j++ {
			f.locals = append(f.locals, t)
		}
	}
	f.pushCtrl(0x02, nil, ft.Results)
	for len(f.ctrls) > 0 {
		if f.r.EOF() {
			return f.errorf("unexpected end of function body")
		}
		if err := f.instr(); err != nil {
			return err
		}
	}
	if !f.r.EOF() {
		return f.errorf("operators remaining after the end of the function")
	}
	return nil
}
