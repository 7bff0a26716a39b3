package component

import (
	"github.com/witgo/witgo/component/internal/binio"
	"github.com/witgo/witgo/component/wasm"
)

// Encode returns the binary encoding of c. A component returned by Decode
// encodes to the bytes it was decoded from. Encode trusts the AST: the
// pointer fields that a node's Kind or Op requires must be set (Validate
// reports a hand-built AST that breaks this instead of panicking).
func (c *Component) Encode() []byte { return c.AppendTo(make([]byte, 0, c.sizeHint())) }

// sizeHint estimates the encoded size, so that Encode allocates once:
// big components are mostly the raw bytes of their core modules.
func (c *Component) sizeHint() int {
	n := 8
	for _, s := range c.Sections {
		n += 6
		switch s := s.(type) {
		case *CoreModuleSection:
			n += s.Module.SizeHint()
		case *ComponentSection:
			n += s.Component.sizeHint()
		case *CustomSection:
			n += len(s.Name) + len(s.Data) + 5
		default:
			n += 128 * max(1, len(s.meta().items))
		}
	}
	return n
}

// AppendTo appends the encoding of c to b.
func (c *Component) AppendTo(b []byte) []byte {
	v := byte(c.Version)
	if v == 0 {
		v = 0x0d
	}
	b = append(b, 0x00, 0x61, 0x73, 0x6d, v, 0x00, 0x01, 0x00)
	w := binio.Writer{Buf: b}
	for _, s := range c.Sections {
		var mark int
		w.Buf, mark = binio.BeginSection(w.Buf, s.ID())
		encodeSection(&w, s)
		w.Buf = binio.EndSection(w.Buf, mark, s.meta().Width)
	}
	return w.Buf
}

func writeVec[T any](w *binio.Writer, xs []T, write func(*binio.Writer, T)) {
	w.U32(uint32(len(xs)))
	for _, x := range xs {
		write(w, x)
	}
}

func encodeSection(w *binio.Writer, s Section) {
	switch s := s.(type) {
	case *CustomSection:
		w.Name(s.Name)
		w.Bytes(s.Data)
	case *CoreModuleSection:
		w.Buf = s.Module.AppendTo(w.Buf)
	case *CoreInstanceSection:
		writeVec(w, s.Instances, writeCoreInstance)
	case *CoreTypeSection:
		writeVec(w, s.Types, writeCoreType)
	case *ComponentSection:
		w.Buf = s.Component.AppendTo(w.Buf)
	case *InstanceSection:
		writeVec(w, s.Instances, writeInstance)
	case *AliasSection:
		writeVec(w, s.Aliases, writeAlias)
	case *TypeSection:
		writeVec(w, s.Types, writeType)
	case *CanonSection:
		writeVec(w, s.Funcs, writeCanon)
	case *StartSection:
		w.U32(s.Start.Func)
		writeVec(w, s.Start.Args, (*binio.Writer).U32)
		w.U32(s.Start.Results)
	case *ImportSection:
		writeVec(w, s.Imports, func(w *binio.Writer, im Import) {
			writeExternName(w, im.Name)
			writeExternDesc(w, im.Desc)
		})
	case *ExportSection:
		writeVec(w, s.Exports, writeExport)
	case *ValueSection:
		writeVec(w, s.Values, func(w *binio.Writer, v Value) {
			writeValType(w, v.Type)
			w.U32(uint32(len(v.Data)))
			w.Bytes(v.Data)
		})
	}
}

func writeSort(w *binio.Writer, s Sort) {
	if s.IsCore() {
		w.Byte(0x00)
	}
	w.Byte(byte(s))
}

func writeSortIdx(w *binio.Writer, si SortIdx) {
	writeSort(w, si.Sort)
	w.U32(si.Index)
}

func writeCoreInstance(w *binio.Writer, ci CoreInstance) {
	if ci.FromExports {
		w.Byte(0x01)
		writeVec(w, ci.Exports, func(w *binio.Writer, e CoreInlineExport) {
			w.Name(e.Name)
			w.Byte(byte(e.Sort))
			w.U32(e.Idx)
		})
		return
	}
	w.Byte(0x00)
	w.U32(ci.Module)
	writeVec(w, ci.Args, func(w *binio.Writer, a CoreInstantiateArg) {
		w.Name(a.Name)
		w.Byte(0x12)
		w.U32(a.Instance)
	})
}

func writeInstance(w *binio.Writer, in Instance) {
	if in.FromExports {
		w.Byte(0x01)
		writeVec(w, in.Exports, func(w *binio.Writer, e InlineExport) {
			writeExternName(w, e.Name)
			writeSortIdx(w, e.Item)
		})
		return
	}
	w.Byte(0x00)
	w.U32(in.Component)
	writeVec(w, in.Args, func(w *binio.Writer, a InstantiateArg) {
		w.Name(a.Name)
		writeSortIdx(w, a.Item)
	})
}

func writeAlias(w *binio.Writer, a Alias) {
	writeSort(w, a.Sort)
	w.Byte(a.Kind)
	if a.Kind == AliasOuter {
		w.U32(a.Count)
		w.U32(a.Index)
		return
	}
	w.U32(a.Instance)
	w.Name(a.Name)
}

func writeExternName(w *binio.Writer, n ExternName) {
	w.Byte(n.Form)
	w.Name(n.Name)
	if n.Form == 2 {
		writeVec(w, n.Attrs, func(w *binio.Writer, a NameAttr) {
			w.Byte(a.Kind)
			w.Name(a.Value)
		})
	}
}

func writeExternDesc(w *binio.Writer, e ExternDesc) {
	w.Byte(e.Kind)
	switch e.Kind {
	case ExternModule:
		w.Byte(0x11)
		w.U32(e.Index)
	case ExternFunc, ExternComponent, ExternInstance:
		w.U32(e.Index)
	case ExternType:
		w.Byte(e.Bound)
		if e.Bound == 0 {
			w.U32(e.Index)
		}
	case ExternValue:
		w.Byte(e.Bound)
		if e.Bound == 0 {
			w.U32(e.Index)
		} else {
			writeValType(w, e.ValType)
		}
	}
}

func writeExport(w *binio.Writer, e Export) {
	writeExternName(w, e.Name)
	writeSortIdx(w, e.Item)
	if e.Desc == nil {
		w.Byte(0x00)
		return
	}
	w.Byte(0x01)
	writeExternDesc(w, *e.Desc)
}

func writeCoreType(w *binio.Writer, ct CoreType) {
	if ct.Module == nil {
		wasm.WriteRecGroup(w, ct.Rec, true)
		return
	}
	w.Byte(0x50)
	writeVec(w, ct.Module.Decls, func(w *binio.Writer, md ModuleDecl) {
		w.Byte(md.Kind)
		switch md.Kind {
		case ModuleDeclImport:
			wasm.WriteImport(w, md.Import)
		case ModuleDeclType:
			writeCoreType(w, *md.Type)
		case ModuleDeclAlias:
			w.Byte(0x10)
			w.Byte(0x01)
			w.U32(md.Count)
			w.U32(md.Index)
		case ModuleDeclExport:
			w.Name(md.Name)
			wasm.WriteExternType(w, md.Desc)
		}
	})
}

func writeValType(w *binio.Writer, t ValType) {
	if t.Prim != 0 {
		w.Byte(t.Prim)
		return
	}
	w.S64(int64(t.Idx))
}

func writeOptValType(w *binio.Writer, t *ValType) {
	if t == nil {
		w.Byte(0x00)
		return
	}
	w.Byte(0x01)
	writeValType(w, *t)
}

func writeField(w *binio.Writer, f Field) {
	w.Name(f.Name)
	writeValType(w, f.Type)
}

func writeResultList(w *binio.Writer, t *ValType) {
	if t == nil {
		w.Byte(0x01)
		w.Byte(0x00)
		return
	}
	w.Byte(0x00)
	writeValType(w, *t)
}

func writeType(w *binio.Writer, t Type) {
	switch t.Kind {
	case KindFunc, KindAsyncFunc:
		w.Byte(t.Kind)
		writeVec(w, t.Func.Params, writeField)
		writeResultList(w, t.Func.Result)
	case KindComponent:
		w.Byte(KindComponent)
		writeVec(w, t.Component.Decls, writeDecl)
	case KindInstance:
		w.Byte(KindInstance)
		writeVec(w, t.Instance.Decls, writeDecl)
	case KindResource:
		w.Byte(KindResource)
		wasm.WriteValType(w, t.Resource.Rep)
		if t.Resource.Dtor == nil {
			w.Byte(0x00)
		} else {
			w.Byte(0x01)
			w.U32(*t.Resource.Dtor)
		}
	default:
		writeDefValType(w, t.Val)
	}
}

func writeDefValType(w *binio.Writer, v *DefValType) {
	if v.Kind == KindPrim {
		w.Byte(v.Prim)
		return
	}
	w.Byte(v.Kind)
	switch v.Kind {
	case KindRecord:
		writeVec(w, v.Fields, writeField)
	case KindVariant:
		writeVec(w, v.Cases, func(w *binio.Writer, c Case) {
			w.Name(c.Name)
			writeOptValType(w, c.Type)
			if c.Refines == nil {
				w.Byte(0x00)
			} else {
				w.Byte(0x01)
				w.U32(*c.Refines)
			}
		})
	case KindList, KindOption:
		writeValType(w, *v.Elem)
	case KindFixedList:
		writeValType(w, *v.Elem)
		w.U32(v.Len)
	case KindTuple:
		writeVec(w, v.Types, writeValType)
	case KindFlags, KindEnum:
		writeVec(w, v.Labels, (*binio.Writer).Name)
	case KindResult:
		writeOptValType(w, v.Ok)
		writeOptValType(w, v.Err)
	case KindOwn, KindBorrow:
		w.U32(v.Res)
	case KindStream, KindFuture:
		writeOptValType(w, v.Elem)
	case KindMap:
		writeValType(w, *v.Elem)
		writeValType(w, *v.Value)
	}
}

func writeDecl(w *binio.Writer, d Decl) {
	w.Byte(d.Kind)
	switch d.Kind {
	case DeclCoreType:
		writeCoreType(w, *d.CoreType)
	case DeclType:
		writeType(w, *d.Type)
	case DeclAlias:
		writeAlias(w, *d.Alias)
	case DeclImport, DeclExport:
		writeExternName(w, d.Name)
		writeExternDesc(w, d.Desc)
	}
}

func writeCanon(w *binio.Writer, c Canon) {
	w.Byte(c.Op)
	imm := canonImms[c.Op]
	if imm&immFunc != 0 {
		w.Byte(0x00)
		w.U32(c.Func)
	}
	if imm&immResult != 0 {
		writeResultList(w, c.Result)
	}
	if imm&immCoreVal != 0 {
		wasm.WriteValType(w, c.CoreVal)
		w.U32(c.Slot)
	}
	flagFirst := c.Op == CanonThreadSpawnRef || c.Op == CanonThreadSpawnIndirect || c.Op == CanonThreadAvailParallelism
	writeFlag := func() {
		if c.Flag {
			w.Byte(0x01)
		} else {
			w.Byte(0x00)
		}
	}
	if imm&immFlag != 0 && flagFirst {
		writeFlag()
	}
	if imm&immType != 0 && c.Op != CanonLift {
		w.U32(c.Type)
	}
	if imm&immCoreType != 0 {
		w.U32(c.CoreType)
	}
	if imm&immTable != 0 {
		w.U32(c.Table)
	}
	if imm&immOpts != 0 {
		writeVec(w, c.Opts, func(w *binio.Writer, o CanonOpt) {
			w.Byte(o.Kind)
			switch o.Kind {
			case OptMemory, OptRealloc, OptPostReturn, OptCallback:
				w.U32(o.Index)
			}
		})
	}
	if imm&immFlag != 0 && !flagFirst {
		writeFlag()
	}
	if imm&immMemory != 0 {
		w.U32(c.Memory)
	}
	if c.Op == CanonLift {
		w.U32(c.Type)
	}
}
