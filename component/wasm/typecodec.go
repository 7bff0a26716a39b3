package wasm

import "github.com/witgo/witgo/component/internal/binio"

// The Read* and Write* functions of this file are shared with the
// component codec, which embeds core types in its own sections.

// ReadValType reads a core value type.
func ReadValType(r *binio.Reader) (ValType, error) {
	off := r.Offset()
	b, err := r.Byte()
	if err != nil {
		return ValType{}, err
	}
	switch {
	case b >= V128 && b <= I32:
		return ValType{Code: b}, nil
	case b == RefNull || b == Ref:
		t := ValType{Code: b}
		t.Heap, t.SharedHeap, err = readHeapType(r)
		return t, err
	case b >= 0x69 && b <= 0x74:
		return ValType{Code: b}, nil
	}
	return ValType{}, r.ErrorAt(off, "invalid value type 0x%02x", b)
}

func readHeapType(r *binio.Reader) (int64, bool, error) {
	shared := false
	if b, err := r.Peek(); err == nil && b == 0x65 {
		shared = true
		r.Byte()
	}
	off := r.Offset()
	h, err := r.S33()
	if err != nil {
		return 0, false, err
	}
	if h < 0 && (h < -0x17 || h > -0x0c) {
		return 0, false, r.ErrorAt(off, "invalid heap type %d", h)
	}
	return h, shared, nil
}

// WriteValType appends a core value type.
func WriteValType(w *binio.Writer, t ValType) {
	w.Byte(t.Code)
	if t.Code == RefNull || t.Code == Ref {
		if t.SharedHeap {
			w.Byte(0x65)
		}
		w.S64(t.Heap)
	}
}

func readStorage(r *binio.Reader) (ValType, error) {
	b, err := r.Peek()
	if err != nil {
		return ValType{}, err
	}
	if b == I8 || b == I16 {
		r.Byte()
		return ValType{Code: b}, nil
	}
	return ReadValType(r)
}

func readValTypes(r *binio.Reader) ([]ValType, error) {
	n, err := r.Count(1)
	if err != nil {
		return nil, err
	}
	ts := make([]ValType, n)
	for i := range ts {
		if ts[i], err = ReadValType(r); err != nil {
			return nil, err
		}
	}
	return ts, nil
}

func writeValTypes(w *binio.Writer, ts []ValType) {
	w.U32(uint32(len(ts)))
	for _, t := range ts {
		WriteValType(w, t)
	}
}

func readFieldType(r *binio.Reader) (FieldType, error) {
	st, err := readStorage(r)
	if err != nil {
		return FieldType{}, err
	}
	off := r.Offset()
	m, err := r.Byte()
	if err != nil {
		return FieldType{}, err
	}
	if m > 1 {
		return FieldType{}, r.ErrorAt(off, "invalid mutability byte 0x%02x", m)
	}
	return FieldType{Storage: st, Mutable: m == 1}, nil
}

func writeFieldType(w *binio.Writer, f FieldType) {
	WriteValType(w, f.Storage)
	if f.Mutable {
		w.Byte(1)
	} else {
		w.Byte(0)
	}
}

// readCompType reads a composite type whose kind byte was already read.
func readCompType(r *binio.Reader, kind byte, off int) (CompType, error) {
	c := CompType{Kind: kind}
	var err error
	switch kind {
	case KindFunc:
		if c.Params, err = readValTypes(r); err != nil {
			return c, err
		}
		c.Results, err = readValTypes(r)
	case KindStruct:
		var n int
		if n, err = r.Count(2); err != nil {
			return c, err
		}
		c.Fields = make([]FieldType, n)
		for i := range c.Fields {
			if c.Fields[i], err = readFieldType(r); err != nil {
				return c, err
			}
		}
	case KindArray:
		var f FieldType
		f, err = readFieldType(r)
		c.Fields = []FieldType{f}
	default:
		err = r.ErrorAt(off, "invalid composite type 0x%02x, expected func (0x60), struct or array", kind)
	}
	return c, err
}

func writeCompType(w *binio.Writer, c CompType) {
	w.Byte(c.Kind)
	switch c.Kind {
	case KindFunc:
		writeValTypes(w, c.Params)
		writeValTypes(w, c.Results)
	case KindStruct:
		w.U32(uint32(len(c.Fields)))
		for _, f := range c.Fields {
			writeFieldType(w, f)
		}
	case KindArray:
		writeFieldType(w, c.Fields[0])
	}
}

// readSubType reads a sub type whose first byte was already read.
func readSubType(r *binio.Reader, b byte, off int) (SubType, error) {
	if b != 0x50 && b != 0x4f {
		c, err := readCompType(r, b, off)
		return SubType{Final: true, Comp: c}, err
	}
	s := SubType{Explicit: true, Final: b == 0x4f}
	n, err := r.Count(1)
	if err != nil {
		return s, err
	}
	s.Supers = make([]uint32, n)
	for i := range s.Supers {
		if s.Supers[i], err = r.U32(); err != nil {
			return s, err
		}
	}
	off = r.Offset()
	k, err := r.Byte()
	if err != nil {
		return s, err
	}
	s.Comp, err = readCompType(r, k, off)
	return s, err
}

func writeSubType(w *binio.Writer, s SubType, nonFinalPrefix bool) {
	if s.Explicit {
		if s.Final {
			w.Byte(0x4f)
		} else {
			if nonFinalPrefix {
				w.Byte(0x00)
			}
			w.Byte(0x50)
		}
		w.U32(uint32(len(s.Supers)))
		for _, x := range s.Supers {
			w.U32(x)
		}
	}
	writeCompType(w, s.Comp)
}

// ReadRecGroupAfter reads a type-section entry whose first byte b (at
// absolute offset off) was already consumed by the caller.
func ReadRecGroupAfter(r *binio.Reader, b byte, off int) (RecGroup, error) {
	if b != 0x4e {
		s, err := readSubType(r, b, off)
		return RecGroup{Types: []SubType{s}}, err
	}
	n, err := r.Count(2)
	if err != nil {
		return RecGroup{}, err
	}
	g := RecGroup{Explicit: true, Types: make([]SubType, n)}
	for i := range g.Types {
		off := r.Offset()
		k, err := r.Byte()
		if err != nil {
			return g, err
		}
		if g.Types[i], err = readSubType(r, k, off); err != nil {
			return g, err
		}
	}
	return g, nil
}

// ReadRecGroup reads one type-section entry.
func ReadRecGroup(r *binio.Reader) (RecGroup, error) {
	off := r.Offset()
	b, err := r.Byte()
	if err != nil {
		return RecGroup{}, err
	}
	return ReadRecGroupAfter(r, b, off)
}

// WriteRecGroup appends one type-section entry. inComponent selects the
// component-level form, where a lone non-final sub type is prefixed by 0x00.
func WriteRecGroup(w *binio.Writer, g RecGroup, inComponent bool) {
	if g.Explicit {
		w.Byte(0x4e)
		w.U32(uint32(len(g.Types)))
		for _, s := range g.Types {
			writeSubType(w, s, false)
		}
		return
	}
	for _, s := range g.Types {
		writeSubType(w, s, inComponent)
	}
}

func readLimits(r *binio.Reader, memory bool) (Limits, error) {
	off := r.Offset()
	f, err := r.Byte()
	if err != nil {
		return Limits{}, err
	}
	valid := byte(0x05)
	if memory {
		valid = 0x0f
	}
	if f&^valid != 0 {
		return Limits{}, r.ErrorAt(off, "invalid limits flags 0x%02x", f)
	}
	l := Limits{Flags: f}
	read := func() (uint64, error) {
		if l.Is64() {
			return r.U64()
		}
		v, err := r.U32()
		return uint64(v), err
	}
	if l.Min, err = read(); err != nil {
		return l, err
	}
	if l.HasMax() {
		if l.Max, err = read(); err != nil {
			return l, err
		}
	}
	if f&8 != 0 {
		if l.PageSizeLog2, err = r.U32(); err != nil {
			return l, err
		}
	}
	return l, nil
}

func writeLimits(w *binio.Writer, l Limits) {
	w.Byte(l.Flags)
	w.U64(l.Min)
	if l.HasMax() {
		w.U64(l.Max)
	}
	if l.Flags&8 != 0 {
		w.U32(l.PageSizeLog2)
	}
}

// ReadTableType reads a table type.
func ReadTableType(r *binio.Reader) (TableType, error) {
	et, err := ReadValType(r)
	if err != nil {
		return TableType{}, err
	}
	if et.IsNum() {
		return TableType{}, r.Errorf("table element type must be a reference type, found %s", et)
	}
	l, err := readLimits(r, false)
	return TableType{Elem: et, Limits: l}, err
}

// WriteTableType appends a table type.
func WriteTableType(w *binio.Writer, t TableType) {
	WriteValType(w, t.Elem)
	writeLimits(w, t.Limits)
}

// ReadGlobalType reads a global type.
func ReadGlobalType(r *binio.Reader) (GlobalType, error) {
	vt, err := ReadValType(r)
	if err != nil {
		return GlobalType{}, err
	}
	off := r.Offset()
	f, err := r.Byte()
	if err != nil {
		return GlobalType{}, err
	}
	if f > 3 {
		return GlobalType{}, r.ErrorAt(off, "invalid global mutability 0x%02x", f)
	}
	return GlobalType{Val: vt, Flags: f}, nil
}

// ReadExternType reads the descriptor of a core import or export type.
func ReadExternType(r *binio.Reader) (ExternType, error) {
	off := r.Offset()
	k, err := r.Byte()
	if err != nil {
		return ExternType{}, err
	}
	e := ExternType{Kind: k}
	switch k {
	case ExternFunc:
		e.Func, err = r.U32()
	case ExternTable:
		e.Table, err = ReadTableType(r)
	case ExternMemory:
		e.Memory.Limits, err = readLimits(r, true)
	case ExternGlobal:
		e.Global, err = ReadGlobalType(r)
	case ExternTag:
		e.Tag, err = readTagType(r)
	default:
		err = r.ErrorAt(off, "invalid external kind 0x%02x", k)
	}
	return e, err
}

func readTagType(r *binio.Reader) (TagType, error) {
	off := r.Offset()
	a, err := r.Byte()
	if err != nil {
		return TagType{}, err
	}
	if a != 0 {
		return TagType{}, r.ErrorAt(off, "invalid tag attribute 0x%02x", a)
	}
	t, err := r.U32()
	return TagType{Attr: a, Type: t}, err
}

// WriteExternType appends an import or export type descriptor.
func WriteExternType(w *binio.Writer, e ExternType) {
	w.Byte(e.Kind)
	switch e.Kind {
	case ExternFunc:
		w.U32(e.Func)
	case ExternTable:
		WriteTableType(w, e.Table)
	case ExternMemory:
		writeLimits(w, e.Memory.Limits)
	case ExternGlobal:
		WriteValType(w, e.Global.Val)
		w.Byte(e.Global.Flags)
	case ExternTag:
		w.Byte(e.Tag.Attr)
		w.U32(e.Tag.Type)
	}
}

// ReadImport reads a core import.
func ReadImport(r *binio.Reader) (Import, error) {
	var im Import
	var err error
	if im.Module, err = r.Name(); err != nil {
		return im, err
	}
	if im.Name, err = r.Name(); err != nil {
		return im, err
	}
	im.Type, err = ReadExternType(r)
	return im, err
}

// WriteImport appends a core import.
func WriteImport(w *binio.Writer, im Import) {
	w.Name(im.Module)
	w.Name(im.Name)
	WriteExternType(w, im.Type)
}
