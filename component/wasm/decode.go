package wasm

import (
	"bytes"

	"github.com/witgo/witgo/component/internal/binio"
)

// Error is a decoding error with the byte offset where it was found.
type Error = binio.Error

var magic = []byte{0x00, 0x61, 0x73, 0x6d}

// sectionRank gives the required relative order of known sections.
var sectionRank = [14]int{
	SecType: 1, SecImport: 2, SecFunction: 3, SecTable: 4, SecMemory: 5,
	SecTag: 6, SecGlobal: 7, SecExport: 8, SecStart: 9, SecElement: 10,
	SecDataCount: 11, SecCode: 12, SecData: 13,
}

var sectionNames = [14]string{
	"custom section", "type section", "import section", "function section",
	"table section", "memory section", "global section", "export section",
	"start section", "element section", "code section", "data section",
	"data count section", "tag section",
}

// DecodeModule decodes a core module binary.
func DecodeModule(b []byte) (*Module, error) { return DecodeModuleAt(b, 0) }

// DecodeModuleAt decodes a core module whose first byte is at absolute
// offset base of a larger input (used for modules nested in components).
func DecodeModuleAt(b []byte, base int) (*Module, error) {
	r := binio.NewReader(b, base)
	hdr, err := r.Bytes(8)
	if err != nil || !bytes.Equal(hdr[:4], magic) {
		return nil, &Error{Offset: base, Msg: "magic header not detected: expected \\0asm"}
	}
	if hdr[4] != 1 || hdr[5] != 0 || hdr[6] != 0 || hdr[7] != 0 {
		return nil, &Error{Offset: base + 4, Msg: "unknown binary version, expected a core module (version 1)"}
	}
	m := &Module{}
	lastRank := 0
	err = binio.Sections(r, sectionNames[:], func(h binio.SectionHeader, sr *binio.Reader) error {
		info := SectionInfo{ID: h.ID, SizeWidth: h.SizeWidth}
		if h.ID != SecCustom {
			rank := sectionRank[h.ID]
			if rank <= lastRank {
				return r.ErrorAt(h.Offset, "unexpected %s: sections out of order or duplicated", sectionNames[h.ID])
			}
			lastRank = rank
		} else {
			info.Custom = len(m.Customs)
		}
		m.Layout = append(m.Layout, info)
		return m.decodeSection(h.ID, sr)
	})
	if err != nil {
		return nil, err
	}
	if len(m.Funcs) != len(m.Code) {
		return nil, &Error{Offset: r.Offset(), Msg: "function and code section have inconsistent lengths"}
	}
	return m, nil
}

func (m *Module) decodeSection(id byte, r *binio.Reader) error {
	var err error
	switch id {
	case SecCustom:
		var c Custom
		if c.Name, err = r.Name(); err != nil {
			return err
		}
		c.Data = r.Rest()
		m.Customs = append(m.Customs, c)
	case SecType:
		m.Types, err = binio.ReadVec(r, 1, ReadRecGroup)
	case SecImport:
		m.Imports, err = binio.ReadVec(r, 4, ReadImport)
	case SecFunction:
		m.Funcs, err = binio.ReadVec(r, 1, (*binio.Reader).U32)
	case SecTable:
		m.Tables, err = binio.ReadVec(r, 3, readTable)
	case SecMemory:
		m.Memories, err = binio.ReadVec(r, 2, func(r *binio.Reader) (MemType, error) {
			l, err := readLimits(r, true)
			return MemType{Limits: l}, err
		})
	case SecTag:
		m.Tags, err = binio.ReadVec(r, 2, readTagType)
	case SecGlobal:
		m.Globals, err = binio.ReadVec(r, 3, readGlobal)
	case SecExport:
		m.Exports, err = binio.ReadVec(r, 3, readExport)
	case SecStart:
		var s uint32
		s, err = r.U32()
		m.Start = &s
	case SecElement:
		m.Elements = r.Rest()
	case SecDataCount:
		var n uint32
		n, err = r.U32()
		m.DataCount = &n
	case SecCode:
		m.Code, err = binio.ReadVec(r, 1, readCode)
	case SecData:
		m.Data = r.Rest()
	}
	return err
}

func readTable(r *binio.Reader) (Table, error) {
	b, err := r.Peek()
	if err != nil {
		return Table{}, err
	}
	if b != 0x40 {
		tt, err := ReadTableType(r)
		return Table{Type: tt}, err
	}
	r.Byte()
	off := r.Offset()
	if z, err := r.Byte(); err != nil || z != 0 {
		return Table{}, r.ErrorAt(off, "malformed table: expected 0x00 after 0x40")
	}
	tt, err := ReadTableType(r)
	if err != nil {
		return Table{}, err
	}
	init, err := readConstExpr(r)
	return Table{Type: tt, Init: init}, err
}

func readGlobal(r *binio.Reader) (Global, error) {
	gt, err := ReadGlobalType(r)
	if err != nil {
		return Global{}, err
	}
	init, err := readConstExpr(r)
	return Global{Type: gt, Init: init}, err
}

func readExport(r *binio.Reader) (Export, error) {
	var e Export
	var err error
	if e.Name, err = r.Name(); err != nil {
		return e, err
	}
	off := r.Offset()
	if e.Kind, err = r.Byte(); err != nil {
		return e, err
	}
	if e.Kind > ExternTag {
		return e, r.ErrorAt(off, "invalid export kind 0x%02x", e.Kind)
	}
	e.Index, err = r.U32()
	return e, err
}

func readCode(r *binio.Reader) (Code, error) {
	n, err := r.U32()
	if err != nil {
		return Code{}, err
	}
	off := r.Offset()
	b, err := r.Bytes(int(n))
	return Code{Body: b, Offset: off}, err
}
