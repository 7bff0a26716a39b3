package component

import (
	"github.com/witgo/witgo/component/internal/binio"
	"github.com/witgo/witgo/component/wasm"
)

func (d *decoder) coreType(r *binio.Reader) (CoreType, error) {
	off := r.Offset()
	b, err := r.Byte()
	if err != nil {
		return CoreType{}, err
	}
	switch b {
	case 0x50:
		mt, err := d.moduleType(r)
		return CoreType{Module: mt}, err
	case 0x00:
		off = r.Offset()
		if err := expectByte(r, 0x50, "non-final sub type"); err != nil {
			return CoreType{}, err
		}
		b = 0x50
	}
	g, err := wasm.ReadRecGroupAfter(r, b, off)
	return CoreType{Rec: g}, err
}

func (d *decoder) moduleType(r *binio.Reader) (*ModuleType, error) {
	if err := d.enter(r); err != nil {
		return nil, err
	}
	defer d.leave()
	decls, err := binio.ReadVec(r, 2, func(r *binio.Reader) (ModuleDecl, error) {
		var md ModuleDecl
		off := r.Offset()
		var err error
		if md.Kind, err = r.Byte(); err != nil {
			return md, err
		}
		switch md.Kind {
		case ModuleDeclImport:
			md.Import, err = wasm.ReadImport(r)
		case ModuleDeclType:
			var ct CoreType
			ct, err = d.coreType(r)
			md.Type = &ct
		case ModuleDeclAlias:
			if err = expectByte(r, 0x10, "outer alias sort in module type (expected type)"); err != nil {
				return md, err
			}
			if err = expectByte(r, 0x01, "alias in module type (expected outer)"); err != nil {
				return md, err
			}
			if md.Count, err = r.U32(); err != nil {
				return md, err
			}
			md.Index, err = r.U32()
		case ModuleDeclExport:
			if md.Name, err = r.Name(); err != nil {
				return md, err
			}
			md.Desc, err = wasm.ReadExternType(r)
		default:
			err = r.ErrorAt(off, "invalid leading byte (0x%x) for type in module type", md.Kind)
		}
		return md, err
	})
	return &ModuleType{Decls: decls}, err
}

func readValType(r *binio.Reader) (ValType, error) {
	off := r.Offset()
	v, err := r.S33()
	if err != nil {
		return ValType{}, err
	}
	if v >= 0 {
		if v > 0xffffffff {
			return ValType{}, r.ErrorAt(off, "type index too large")
		}
		return ValType{Idx: uint32(v)}, nil
	}
	code := byte(v & 0x7f)
	if v < -0x40 || !IsPrim(code) {
		return ValType{}, r.ErrorAt(off, "invalid leading byte (0x%x) for primitive value type", code)
	}
	return ValType{Prim: code}, nil
}

func readOptValType(r *binio.Reader) (*ValType, error) {
	has, err := readOptional(r, "value type")
	if err != nil || !has {
		return nil, err
	}
	t, err := readValType(r)
	return &t, err
}

func readLabel(r *binio.Reader) (string, error) { return r.Name() }

func readField(r *binio.Reader) (Field, error) {
	var f Field
	var err error
	if f.Name, err = readLabel(r); err != nil {
		return f, err
	}
	f.Type, err = readValType(r)
	return f, err
}

func (d *decoder) typ(r *binio.Reader) (Type, error) {
	off := r.Offset()
	b, err := r.Byte()
	if err != nil {
		return Type{}, err
	}
	t := Type{Kind: b}
	switch b {
	case KindFunc, KindAsyncFunc:
		t.Func, err = readFuncType(r, b == KindAsyncFunc)
	case KindComponent:
		var decls []Decl
		decls, err = d.decls(r, true)
		t.Component = &ComponentType{Decls: decls}
	case KindInstance:
		var decls []Decl
		decls, err = d.decls(r, false)
		t.Instance = &InstanceType{Decls: decls}
	case KindResource:
		t.Resource, err = readResourceType(r)
	default:
		t.Val, err = readDefValType(r, b, off)
		if t.Val != nil && t.Val.Kind == KindPrim {
			t.Kind = KindPrim
		}
	}
	return t, err
}

func readFuncType(r *binio.Reader, async bool) (*FuncType, error) {
	f := &FuncType{Async: async}
	var err error
	if f.Params, err = binio.ReadVec(r, 2, readField); err != nil {
		return f, err
	}
	f.Result, err = readResultList(r)
	return f, err
}

func readResultList(r *binio.Reader) (*ValType, error) {
	off := r.Offset()
	b, err := r.Byte()
	if err != nil {
		return nil, err
	}
	switch b {
	case 0x00:
		t, err := readValType(r)
		return &t, err
	case 0x01:
		off := r.Offset()
		n, err := r.Byte()
		if err != nil {
			return nil, err
		}
		if n != 0 {
			return nil, r.ErrorAt(off, "invalid leading byte (0x%x) for number of results", n)
		}
		return nil, nil
	}
	return nil, r.ErrorAt(off, "invalid leading byte (0x%x) for component function results", b)
}

func readResourceType(r *binio.Reader) (*ResourceType, error) {
	rt := &ResourceType{}
	var err error
	if rt.Rep, err = wasm.ReadValType(r); err != nil {
		return rt, err
	}
	has, err := readOptional(r, "destructor")
	if err != nil || !has {
		return rt, err
	}
	f, err := r.U32()
	rt.Dtor = &f
	return rt, err
}

func readDefValType(r *binio.Reader, b byte, off int) (*DefValType, error) {
	if IsPrim(b) {
		return &DefValType{Kind: KindPrim, Prim: b}, nil
	}
	v := &DefValType{Kind: b}
	var err error
	switch b {
	case KindRecord:
		v.Fields, err = binio.ReadVec(r, 2, readField)
	case KindVariant:
		v.Cases, err = binio.ReadVec(r, 3, readCase)
	case KindList, KindOption:
		var t ValType
		t, err = readValType(r)
		v.Elem = &t
	case KindFixedList:
		var t ValType
		if t, err = readValType(r); err != nil {
			return v, err
		}
		v.Elem = &t
		v.Len, err = r.U32()
	case KindTuple:
		v.Types, err = binio.ReadVec(r, 1, readValType)
	case KindFlags, KindEnum:
		v.Labels, err = binio.ReadVec(r, 1, readLabel)
	case KindResult:
		if v.Ok, err = readOptValType(r); err != nil {
			return v, err
		}
		v.Err, err = readOptValType(r)
	case KindOwn, KindBorrow:
		v.Res, err = r.U32()
	case KindStream, KindFuture:
		v.Elem, err = readOptValType(r)
	case KindMap:
		var k, val ValType
		if k, err = readValType(r); err != nil {
			return v, err
		}
		val, err = readValType(r)
		v.Elem, v.Value = &k, &val
	default:
		err = r.ErrorAt(off, "invalid leading byte (0x%x) for component defined type", b)
	}
	return v, err
}

func readCase(r *binio.Reader) (Case, error) {
	var c Case
	var err error
	if c.Name, err = readLabel(r); err != nil {
		return c, err
	}
	if c.Type, err = readOptValType(r); err != nil {
		return c, err
	}
	has, err := readOptional(r, "variant case refinement")
	if err != nil || !has {
		return c, err
	}
	x, err := r.U32()
	c.Refines = &x
	return c, err
}

func (d *decoder) decls(r *binio.Reader, component bool) ([]Decl, error) {
	if err := d.enter(r); err != nil {
		return nil, err
	}
	defer d.leave()
	return binio.ReadVec(r, 2, func(r *binio.Reader) (Decl, error) {
		var dc Decl
		off := r.Offset()
		var err error
		if dc.Kind, err = r.Byte(); err != nil {
			return dc, err
		}
		switch {
		case dc.Kind == DeclCoreType:
			var ct CoreType
			ct, err = d.coreType(r)
			dc.CoreType = &ct
		case dc.Kind == DeclType:
			var t Type
			t, err = d.typ(r)
			dc.Type = &t
		case dc.Kind == DeclAlias:
			var a Alias
			a, err = readAlias(r)
			dc.Alias = &a
		case dc.Kind == DeclExport || (component && dc.Kind == DeclImport):
			if dc.Name, err = readExternName(r); err != nil {
				return dc, err
			}
			dc.Desc, err = readExternDesc(r)
		default:
			what := "instance type declaration"
			if component {
				what = "component type declaration"
			}
			err = r.ErrorAt(off, "invalid leading byte (0x%x) for %s", dc.Kind, what)
		}
		return dc, err
	})
}
