package wasm

import "github.com/witgo/witgo/component/internal/binio"

func binioReader(c Code) *binio.Reader { return binio.NewReader(c.Body, c.Offset) }

// CodeStats reports how many bodies were fully checked, skipped for an
// unsupported instruction, or rejected (for tests).
func (m *Module) CodeStats() (checked, skipped, rejected int) {
	c, err := newCodeContext(m)
	if err != nil {
		return 0, 0, len(m.Code)
	}
	n := m.ImportCount(ExternFunc)
	for i, body := range m.Code {
		fv := funcValidator{ctx: c, r: binioReader(body)}
		switch err := fv.run(c.funcs[n+i]); err {
		case nil:
			checked++
		case errUnsupported:
			skipped++
		default:
			rejected++
		}
	}
	return
}
