package wasm

import "github.com/witgo/witgo/component/internal/binio"

var canonicalOrder = []byte{
	SecType, SecImport, SecFunction, SecTable, SecMemory, SecTag, SecGlobal,
	SecExport, SecStart, SecElement, SecDataCount, SecCode, SecData,
}

// Encode returns the binary encoding of m. A decoded module that was not
// modified encodes to its original bytes.
func (m *Module) Encode() []byte {
	return m.AppendTo(make([]byte, 0, m.SizeHint()))
}

// AppendTo appends the encoding of m to b.
func (m *Module) AppendTo(b []byte) []byte {
	b = append(b, 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00)
	layout := m.Layout
	if layout == nil {
		for _, id := range canonicalOrder {
			if m.hasSection(id) {
				layout = append(layout, SectionInfo{ID: id})
			}
		}
		for i := range m.Customs {
			layout = append(layout, SectionInfo{ID: SecCustom, Custom: i})
		}
	}
	w := binio.Writer{Buf: b}
	for _, s := range layout {
		var mark int
		w.Buf, mark = binio.BeginSection(w.Buf, s.ID)
		m.encodeSection(&w, s)
		w.Buf = binio.EndSection(w.Buf, mark, s.SizeWidth)
	}
	return w.Buf
}

func (m *Module) hasSection(id byte) bool {
	switch id {
	case SecType:
		return len(m.Types) > 0
	case SecImport:
		return len(m.Imports) > 0
	case SecFunction:
		return len(m.Funcs) > 0
	case SecTable:
		return len(m.Tables) > 0
	case SecMemory:
		return len(m.Memories) > 0
	case SecTag:
		return len(m.Tags) > 0
	case SecGlobal:
		return len(m.Globals) > 0
	case SecExport:
		return len(m.Exports) > 0
	case SecStart:
		return m.Start != nil
	case SecElement:
		return m.Elements != nil
	case SecDataCount:
		return m.DataCount != nil
	case SecCode:
		return len(m.Code) > 0
	case SecData:
		return m.Data != nil
	}
	return false
}

func (m *Module) encodeSection(w *binio.Writer, s SectionInfo) {
	switch s.ID {
	case SecCustom:
		c := m.Customs[s.Custom]
		w.Name(c.Name)
		w.Bytes(c.Data)
	case SecType:
		w.U32(uint32(len(m.Types)))
		for _, g := range m.Types {
			WriteRecGroup(w, g, false)
		}
	case SecImport:
		w.U32(uint32(len(m.Imports)))
		for _, im := range m.Imports {
			WriteImport(w, im)
		}
	case SecFunction:
		w.U32(uint32(len(m.Funcs)))
		for _, f := range m.Funcs {
			w.U32(f)
		}
	case SecTable:
		w.U32(uint32(len(m.Tables)))
		for _, t := range m.Tables {
			if t.Init != nil {
				w.Byte(0x40)
				w.Byte(0x00)
			}
			WriteTableType(w, t.Type)
			w.Bytes(t.Init)
		}
	case SecMemory:
		w.U32(uint32(len(m.Memories)))
		for _, mt := range m.Memories {
			writeLimits(w, mt.Limits)
		}
	case SecTag:
		w.U32(uint32(len(m.Tags)))
		for _, t := range m.Tags {
			w.Byte(t.Attr)
			w.U32(t.Type)
		}
	case SecGlobal:
		w.U32(uint32(len(m.Globals)))
		for _, g := range m.Globals {
			WriteValType(w, g.Type.Val)
			w.Byte(g.Type.Flags)
			w.Bytes(g.Init)
		}
	case SecExport:
		w.U32(uint32(len(m.Exports)))
		for _, e := range m.Exports {
			w.Name(e.Name)
			w.Byte(e.Kind)
			w.U32(e.Index)
		}
	case SecStart:
		w.U32(*m.Start)
	case SecElement:
		w.Bytes(m.Elements)
	case SecDataCount:
		w.U32(*m.DataCount)
	case SecCode:
		w.U32(uint32(len(m.Code)))
		for _, c := range m.Code {
			w.U32(uint32(len(c.Body)))
			w.Bytes(c.Body)
		}
	case SecData:
		w.Bytes(m.Data)
	}
}

// SizeHint is an upper estimate of the encoded size of m, used to size
// the output buffer once (large modules are mostly raw bytes).
func (m *Module) SizeHint() int {
	n := 1024 + len(m.Elements) + len(m.Data)
	for _, c := range m.Code {
		n += len(c.Body) + 5
	}
	for _, c := range m.Customs {
		n += len(c.Data) + len(c.Name) + 16
	}
	n += 64 * (len(m.Types) + len(m.Imports) + len(m.Exports) + len(m.Globals) + len(m.Tables) + len(m.Memories))
	for _, im := range m.Imports {
		n += len(im.Module) + len(im.Name)
	}
	for _, e := range m.Exports {
		n += len(e.Name)
	}
	return n + 5*len(m.Funcs)
}
