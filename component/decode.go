package component

import (
	"bytes"

	"github.com/witgo/witgo/component/internal/binio"
	"github.com/witgo/witgo/component/wasm"
)

// Error is a decoding or validation error carrying the byte offset.
type Error = binio.Error

// MaxNesting bounds nested components and nested type declarators, so
// that hostile input cannot exhaust the stack.
const MaxNesting = 100

var sectionNames = [13]string{
	"custom section", "core module section", "core instance section",
	"core type section", "component section", "instance section",
	"alias section", "type section", "canon section", "start section",
	"import section", "export section", "value section",
}

// Decode decodes a component binary. It checks the syntax only; call
// Validate for the semantic rules.
func Decode(b []byte) (*Component, error) {
	d := decoder{}
	return d.component(b, 0)
}

type decoder struct {
	depth int
}

func (d *decoder) enter(r *binio.Reader) error {
	d.depth++
	if d.depth > MaxNesting {
		return r.Errorf("nesting too deep (more than %d levels)", MaxNesting)
	}
	return nil
}

func (d *decoder) leave() { d.depth-- }

func (d *decoder) component(b []byte, base int) (*Component, error) {
	r := binio.NewReader(b, base)
	if err := d.enter(r); err != nil {
		return nil, err
	}
	defer d.leave()
	hdr, err := r.Bytes(8)
	if err != nil || !bytes.Equal(hdr[:4], []byte{0, 'a', 's', 'm'}) {
		return nil, &Error{Offset: base, Msg: "magic header not detected: expected \\0asm"}
	}
	if hdr[6] != 1 || hdr[7] != 0 {
		return nil, &Error{Offset: base + 6, Msg: "not a component: expected layer 1"}
	}
	if (hdr[4] != 0x0d && hdr[4] != 0x0a) || hdr[5] != 0 {
		return nil, &Error{Offset: base + 4, Msg: "unknown component version, expected 0x0d (or 0x0a)"}
	}
	c := &Component{Version: uint16(hdr[4])}
	err = binio.Sections(r, sectionNames[:], func(h binio.SectionHeader, sr *binio.Reader) error {
		s, err := d.section(h.ID, sr)
		if err != nil {
			return err
		}
		m := s.meta()
		m.Offset = h.Offset
		if h.SizeWidth > binio.SizeU32(uint32(sr.Len()+sr.Pos())) {
			m.Width = h.SizeWidth
		}
		c.Sections = append(c.Sections, s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

func (d *decoder) section(id byte, r *binio.Reader) (sec Section, err error) {
	var items []int
	defer func() {
		if sec != nil {
			sec.meta().items = items
		}
	}()
	switch id {
	case SecCustom:
		s := &CustomSection{}
		if s.Name, err = r.Name(); err != nil {
			return nil, err
		}
		s.Data = r.Rest()
		return s, nil
	case SecCoreModule:
		off := r.Offset()
		m, err := wasm.DecodeModuleAt(r.Rest(), off)
		return &CoreModuleSection{Module: m}, err
	case SecCoreInstance:
		s := &CoreInstanceSection{}
		s.Instances, err = readItems(r, &items, 2, d.coreInstance)
		return s, err
	case SecCoreType:
		s := &CoreTypeSection{}
		s.Types, err = readItems(r, &items, 1, d.coreType)
		return s, err
	case SecComponent:
		off := r.Offset()
		c, err := d.component(r.Rest(), off)
		return &ComponentSection{Component: c}, err
	case SecInstance:
		s := &InstanceSection{}
		s.Instances, err = readItems(r, &items, 2, d.instance)
		return s, err
	case SecAlias:
		s := &AliasSection{}
		s.Aliases, err = readItems(r, &items, 3, readAlias)
		return s, err
	case SecType:
		s := &TypeSection{}
		s.Types, err = readItems(r, &items, 1, d.typ)
		return s, err
	case SecCanon:
		s := &CanonSection{}
		s.Funcs, err = readItems(r, &items, 1, readCanon)
		return s, err
	case SecStart:
		s := &StartSection{}
		s.Start, err = readStart(r)
		return s, err
	case SecImport:
		s := &ImportSection{}
		s.Imports, err = readItems(r, &items, 3, readImport)
		return s, err
	case SecExport:
		s := &ExportSection{}
		s.Exports, err = readItems(r, &items, 4, readExport)
		return s, err
	case SecValue:
		s := &ValueSection{}
		s.Values, err = readItems(r, &items, 2, readValue)
		return s, err
	}
	return nil, r.Errorf("malformed section id %d", id)
}

func expectByte(r *binio.Reader, want byte, what string) error {
	off := r.Offset()
	b, err := r.Byte()
	if err != nil {
		return err
	}
	if b != want {
		return r.ErrorAt(off, "invalid leading byte (0x%x) for %s", b, what)
	}
	return nil
}

// readOptional reads the 0x00 / 0x01 prefix of an optional immediate.
func readOptional(r *binio.Reader, what string) (bool, error) {
	off := r.Offset()
	b, err := r.Byte()
	if err != nil {
		return false, err
	}
	if b > 1 {
		return false, r.ErrorAt(off, "invalid leading byte (0x%x) for optional %s", b, what)
	}
	return b == 1, nil
}

func readSort(r *binio.Reader) (Sort, error) {
	off := r.Offset()
	b, err := r.Byte()
	if err != nil {
		return 0, err
	}
	if b == 0 {
		return readCoreSort(r)
	}
	if b > 5 {
		return 0, r.ErrorAt(off, "invalid leading byte (0x%x) for sort", b)
	}
	return Sort(b), nil
}

func readCoreSort(r *binio.Reader) (Sort, error) {
	off := r.Offset()
	b, err := r.Byte()
	if err != nil {
		return 0, err
	}
	if b > 4 && (b < 0x10 || b > 0x12) {
		return 0, r.ErrorAt(off, "invalid leading byte (0x%x) for core sort", b)
	}
	return CoreSort | Sort(b), nil
}

func readSortIdx(r *binio.Reader) (SortIdx, error) {
	s, err := readSort(r)
	if err != nil {
		return SortIdx{}, err
	}
	i, err := r.U32()
	return SortIdx{Sort: s, Index: i}, err
}

func (d *decoder) coreInstance(r *binio.Reader) (CoreInstance, error) {
	var ci CoreInstance
	off := r.Offset()
	k, err := r.Byte()
	if err != nil {
		return ci, err
	}
	switch k {
	case 0x00:
		if ci.Module, err = r.U32(); err != nil {
			return ci, err
		}
		ci.Args, err = binio.ReadVec(r, 3, func(r *binio.Reader) (CoreInstantiateArg, error) {
			var a CoreInstantiateArg
			var err error
			if a.Name, err = r.Name(); err != nil {
				return a, err
			}
			if err = expectByte(r, 0x12, "core instantiation argument (expected instance)"); err != nil {
				return a, err
			}
			a.Instance, err = r.U32()
			return a, err
		})
	case 0x01:
		ci.FromExports = true
		ci.Exports, err = binio.ReadVec(r, 3, func(r *binio.Reader) (CoreInlineExport, error) {
			var e CoreInlineExport
			var err error
			if e.Name, err = r.Name(); err != nil {
				return e, err
			}
			if e.Sort, err = readCoreSort(r); err != nil {
				return e, err
			}
			e.Idx, err = r.U32()
			return e, err
		})
	default:
		err = r.ErrorAt(off, "invalid leading byte (0x%x) for core instance", k)
	}
	return ci, err
}

func (d *decoder) instance(r *binio.Reader) (Instance, error) {
	var in Instance
	off := r.Offset()
	k, err := r.Byte()
	if err != nil {
		return in, err
	}
	switch k {
	case 0x00:
		if in.Component, err = r.U32(); err != nil {
			return in, err
		}
		in.Args, err = binio.ReadVec(r, 3, func(r *binio.Reader) (InstantiateArg, error) {
			var a InstantiateArg
			var err error
			if a.Name, err = r.Name(); err != nil {
				return a, err
			}
			a.Item, err = readSortIdx(r)
			return a, err
		})
	case 0x01:
		in.FromExports = true
		in.Exports, err = binio.ReadVec(r, 4, func(r *binio.Reader) (InlineExport, error) {
			var e InlineExport
			var err error
			if e.Name, err = readExternName(r); err != nil {
				return e, err
			}
			e.Item, err = readSortIdx(r)
			return e, err
		})
	default:
		err = r.ErrorAt(off, "invalid leading byte (0x%x) for instance", k)
	}
	return in, err
}

func readAlias(r *binio.Reader) (Alias, error) {
	var a Alias
	var err error
	if a.Sort, err = readSort(r); err != nil {
		return a, err
	}
	off := r.Offset()
	if a.Kind, err = r.Byte(); err != nil {
		return a, err
	}
	switch a.Kind {
	case AliasExport, AliasCoreExport:
		if a.Instance, err = r.U32(); err != nil {
			return a, err
		}
		a.Name, err = r.Name()
	case AliasOuter:
		if a.Count, err = r.U32(); err != nil {
			return a, err
		}
		a.Index, err = r.U32()
	default:
		err = r.ErrorAt(off, "invalid leading byte (0x%x) for alias", a.Kind)
	}
	return a, err
}

func readExternName(r *binio.Reader) (ExternName, error) {
	var n ExternName
	off := r.Offset()
	var err error
	if n.Form, err = r.Byte(); err != nil {
		return n, err
	}
	if n.Form > 2 {
		return n, r.ErrorAt(off, "invalid leading byte (0x%x) for component external name", n.Form)
	}
	if n.Name, err = r.Name(); err != nil {
		return n, err
	}
	if n.Form == 2 {
		n.Attrs, err = binio.ReadVec(r, 2, func(r *binio.Reader) (NameAttr, error) {
			var a NameAttr
			off := r.Offset()
			var err error
			if a.Kind, err = r.Byte(); err != nil {
				return a, err
			}
			if a.Kind > 2 {
				return a, r.ErrorAt(off, "invalid leading byte (0x%x) for name attribute", a.Kind)
			}
			a.Value, err = r.Name()
			return a, err
		})
	}
	return n, err
}

func readExternDesc(r *binio.Reader) (ExternDesc, error) {
	var e ExternDesc
	off := r.Offset()
	var err error
	if e.Kind, err = r.Byte(); err != nil {
		return e, err
	}
	switch e.Kind {
	case ExternModule:
		if err = expectByte(r, 0x11, "module type"); err != nil {
			return e, err
		}
		e.Index, err = r.U32()
	case ExternFunc, ExternComponent, ExternInstance:
		e.Index, err = r.U32()
	case ExternType:
		off := r.Offset()
		if e.Bound, err = r.Byte(); err != nil {
			return e, err
		}
		switch e.Bound {
		case 0:
			e.Index, err = r.U32()
		case 1:
		default:
			err = r.ErrorAt(off, "invalid leading byte (0x%x) for type bound", e.Bound)
		}
	case ExternValue:
		off := r.Offset()
		if e.Bound, err = r.Byte(); err != nil {
			return e, err
		}
		switch e.Bound {
		case 0:
			e.Index, err = r.U32()
		case 1:
			e.ValType, err = readValType(r)
		default:
			err = r.ErrorAt(off, "invalid leading byte (0x%x) for value bound", e.Bound)
		}
	default:
		err = r.ErrorAt(off, "invalid leading byte (0x%x) for component external type", e.Kind)
	}
	return e, err
}

func readImport(r *binio.Reader) (Import, error) {
	var im Import
	var err error
	if im.Name, err = readExternName(r); err != nil {
		return im, err
	}
	im.Desc, err = readExternDesc(r)
	return im, err
}

func readExport(r *binio.Reader) (Export, error) {
	var ex Export
	var err error
	if ex.Name, err = readExternName(r); err != nil {
		return ex, err
	}
	if ex.Item, err = readSortIdx(r); err != nil {
		return ex, err
	}
	has, err := readOptional(r, "export type")
	if err != nil || !has {
		return ex, err
	}
	desc, err := readExternDesc(r)
	ex.Desc = &desc
	return ex, err
}

func readStart(r *binio.Reader) (Start, error) {
	var s Start
	var err error
	if s.Func, err = r.U32(); err != nil {
		return s, err
	}
	if s.Args, err = binio.ReadVec(r, 1, (*binio.Reader).U32); err != nil {
		return s, err
	}
	s.Results, err = r.U32()
	return s, err
}

func readValue(r *binio.Reader) (Value, error) {
	var v Value
	var err error
	if v.Type, err = readValType(r); err != nil {
		return v, err
	}
	n, err := r.U32()
	if err != nil {
		return v, err
	}
	v.Data, err = r.Bytes(int(n))
	return v, err
}

// readItems is binio.ReadVec that also records each item's offset.
func readItems[T any](r *binio.Reader, offs *[]int, minSize int, read func(*binio.Reader) (T, error)) ([]T, error) {
	n, err := r.Count(minSize)
	if err != nil {
		return nil, err
	}
	out := make([]T, n)
	*offs = make([]int, n)
	for i := range out {
		(*offs)[i] = r.Offset()
		if out[i], err = read(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}
