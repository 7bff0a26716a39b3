package gogen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/wit"
)

// lift emits the statements that read the value at in's place and returns
// a Go expression of the value's type.
func (fg *fnGen) lift(in canonabi.Instr, l loc) (jen.Code, error) {
	switch in.Op {
	case canonabi.OpScalar:
		return scalarFromU64(in.Kind, fg.get(in, l, 0, 0, in.Size)), nil
	case canonabi.OpFlags:
		t, err := fg.g.goType(in.Type, fg.p)
		if err != nil {
			return nil, err
		}
		return jen.Add(t).Call(fg.get(in, l, 0, 0, in.Size)), nil
	case canonabi.OpString:
		s := fg.tmp("s")
		fg.emit(jen.Id(s).Op(":=").Add(fg.cabi("LiftString").Call(
			fg.getU32(in, l, 0, 0, 4), fg.getU32(in, l, 1, 4, 4))))
		return jen.Id(s), nil
	case canonabi.OpList:
		return fg.liftList(in, l)
	case canonabi.OpFixedList:
		return fg.liftFixedList(in, l)
	case canonabi.OpRecord:
		return fg.liftRecord(in, l)
	case canonabi.OpVariant:
		return fg.liftVariant(in, l)
	case canonabi.OpHandle:
		return fg.liftHandle(in, fg.getU32(in, l, 0, 0, 4))
	}
	return nil, fmt.Errorf("gogen: cannot lift a %s", in.Op)
}

func (fg *fnGen) liftList(in canonabi.Instr, l loc) (jen.Code, error) {
	t, err := fg.g.goType(in.Type, fg.p)
	if err != nil {
		return nil, err
	}
	out, n := fg.tmp("list"), fg.tmp("n")
	ptr := fg.getU32(in, l, 0, 0, 4)
	fg.emit(jen.Id(n).Op(":=").Add(fg.getU32(in, l, 1, 4, 4)))
	elem := in.Body[0]
	if in.Plain && in.Kind == canonabi.KindList {
		et, err := fg.g.goType(elem.Type, fg.p)
		if err != nil {
			return nil, err
		}
		fg.emit(jen.Id(out).Op(":=").Add(fg.cabi("LiftPlain").Types(et).Call(ptr, jen.Id(n))))
		return jen.Id(out), nil
	}
	base, i, eb := fg.tmp("base"), fg.tmp("i"), fg.tmp("elem")
	el := loc{base: eb}
	var body []jen.Code
	if in.Kind == canonabi.KindMap {
		fg.emit(jen.Id(out).Op(":=").Make(t, jen.Id(n)))
		body, err = fg.capture(func() error {
			fg.emit(jen.Id(eb).Op(":=").Add(fg.cabi("Element").Call(jen.Id(base), jen.Id(i), jen.Lit(int(elem.Layout.Size)))))
			k, err := fg.lift(elem.Blocks[0][0], el)
			if err != nil {
				return err
			}
			kv := fg.tmp("k")
			fg.emit(jen.Id(kv).Op(":=").Add(k))
			v, err := fg.lift(elem.Blocks[1][0], el)
			if err != nil {
				return err
			}
			// A later pair with the same key wins (Explainer.md, map).
			fg.emit(jen.Id(out).Index(jen.Id(kv)).Op("=").Add(v))
			return nil
		})
		if err != nil {
			return nil, err
		}
		fg.emit(jen.If(jen.Id(n).Op(">").Lit(0)).Block(append([]jen.Code{
			jen.Id(base).Op(":=").Add(fg.cabi("Take").Call(ptr)),
			jen.For(jen.Id(i).Op(":=").Range().Int().Call(jen.Id(n))).Block(body...)}, nil...)...))
		return jen.Id(out), nil
	}
	body, err = fg.liftTo(jen.Id(out).Index(jen.Id(i)), elem, el,
		jen.Id(eb).Op(":=").Add(fg.cabi("Element").Call(jen.Id(base), jen.Id(i), jen.Lit(int(elem.Layout.Size)))))
	if err != nil {
		return nil, err
	}
	fg.emit(jen.Var().Id(out).Add(t))
	fg.emit(jen.If(jen.Id(n).Op(">").Lit(0)).Block(
		jen.Id(base).Op(":=").Add(fg.cabi("Take").Call(ptr)),
		jen.Id(out).Op("=").Make(t, jen.Id(n)),
		jen.For(jen.Id(i).Op(":=").Range().Id(out)).Block(body...)))
	return jen.Id(out), nil
}

// liftTo captures the statements (after pre) that lift in at l and assign
// the value to dst.
func (fg *fnGen) liftTo(dst jen.Code, in canonabi.Instr, l loc, pre ...jen.Code) ([]jen.Code, error) {
	return fg.capture(func() error {
		fg.emit(pre...)
		v, err := fg.lift(in, l)
		if err != nil {
			return err
		}
		fg.emit(jen.Add(dst).Op("=").Add(v))
		return nil
	})
}

func (fg *fnGen) liftFixedList(in canonabi.Instr, l loc) (jen.Code, error) {
	t, err := fg.g.goType(in.Type, fg.p)
	if err != nil {
		return nil, err
	}
	out, i := fg.tmp("arr"), fg.tmp("i")
	body, err := fg.liftTo(jen.Id(out).Index(jen.Id(i)), in.Body[0], l.shifted(
		jen.Uintptr().Call(jen.Id(i)).Op("*").Lit(int(in.Stride)),
		jen.Id(i).Op("*").Lit(in.FlatLen)))
	if err != nil {
		return nil, err
	}
	fg.emit(jen.Var().Id(out).Add(t))
	fg.emit(jen.For(jen.Id(i).Op(":=").Range().Id(out)).Block(body...))
	return jen.Id(out), nil
}

func (fg *fnGen) liftRecord(in canonabi.Instr, l loc) (jen.Code, error) {
	t, err := fg.g.goType(in.Type, fg.p)
	if err != nil {
		return nil, err
	}
	names, err := fg.g.memberNames(in)
	if err != nil {
		return nil, err
	}
	fields := jen.Dict{}
	for i, b := range in.Blocks {
		v, err := fg.lift(b[0], l)
		if err != nil {
			return nil, err
		}
		tv := fg.tmp("f")
		fg.emit(jen.Id(tv).Op(":=").Add(v))
		fields[jen.Id(names[i])] = jen.Id(tv)
	}
	return jen.Add(t).Values(fields), nil
}

func (fg *fnGen) liftVariant(in canonabi.Instr, l loc) (jen.Code, error) {
	t, err := fg.g.goType(in.Type, fg.p)
	if err != nil {
		return nil, err
	}
	if in.Kind == canonabi.KindEnum {
		return jen.Add(t).Call(fg.get(in, l, 0, 0, in.Size)), nil
	}
	disc := fg.getU32(in, l, 0, 0, in.Size)
	out := fg.tmp("v")
	// build returns the value of case c from its lifted payload.
	var build func(c int, payload jen.Code) (jen.Code, error)
	switch in.Kind {
	case canonabi.KindOption:
		pt, err := fg.g.goType(in.Blocks[1][0].Type, fg.p)
		if err != nil {
			return nil, err
		}
		build = func(c int, payload jen.Code) (jen.Code, error) {
			if c == 0 {
				return fg.cabi("None").Types(pt).Call(), nil
			}
			return fg.cabi("Some").Types(pt).Call(payload), nil
		}
	case canonabi.KindResult:
		okT, errT, err := fg.g.resultTypes(in.Type, fg.p)
		if err != nil {
			return nil, err
		}
		build = func(c int, payload jen.Code) (jen.Code, error) {
			if payload == nil {
				payload = jen.Struct().Values()
			}
			return fg.cabi([]string{"OK", "Err"}[c]).Types(okT, errT).Call(payload), nil
		}
	default:
		home, cases, err := fg.g.variantCases(in.Type, fg.p)
		if err != nil {
			return nil, err
		}
		build = func(c int, payload jen.Code) (jen.Code, error) {
			ct := jen.Qual(home.importPath(fg.g), cases[c])
			if payload == nil {
				return ct.Values(), nil
			}
			return ct.Values(jen.Dict{jen.Id("Value"): payload}), nil
		}
	}
	var clauses []jen.Code
	for c, b := range in.Blocks {
		body, err := fg.capture(func() error {
			var payload jen.Code
			if b != nil {
				v, err := fg.lift(b[0], l)
				if err != nil {
					return err
				}
				payload = v
			}
			val, err := build(c, payload)
			if err != nil {
				return err
			}
			fg.emit(jen.Id(out).Op("=").Add(val))
			return nil
		})
		if err != nil {
			return nil, err
		}
		clauses = append(clauses, jen.Case(jen.Lit(c)).Block(body...))
	}
	clauses = append(clauses, jen.Default().Block(jen.Panic(jen.Lit("witgo: invalid discriminant of "+fg.g.abi.TypeString(in.Type)))))
	fg.emit(jen.Var().Id(out).Add(t))
	fg.emit(jen.Switch(disc).Block(clauses...))
	return jen.Id(out), nil
}

// resultTypes are the Go types of a result's ok and err payloads
// (struct{} for an absent one).
func (g *generator) resultTypes(t wit.Type, cur *goPackage) (jen.Code, jen.Code, error) {
	id, ok := t.TypeID()
	if !ok {
		return nil, nil, fmt.Errorf("gogen: result without a type")
	}
	res, ok := g.r.Types[g.followAlias(id)].Kind.(*wit.Result)
	if !ok {
		return nil, nil, fmt.Errorf("gogen: %s is not a result", g.abi.TypeString(t))
	}
	okT, err := g.goType(res.OK, cur)
	if err != nil {
		return nil, nil, err
	}
	errT, err := g.goType(res.Err, cur)
	return okT, errT, err
}

// resource says which resource a handle refers to and whether this
// component exports it (its values are then the user's Go values).
func (fg *fnGen) resource(in canonabi.Instr) (wit.TypeID, *goPackage, bool, error) {
	rid := fg.g.followAlias(in.Resource)
	home := fg.g.typeHome(rid, fg.p)
	if home == nil {
		return 0, nil, false, fmt.Errorf("gogen: resource %s is in no package of the world", fg.g.r.Types[rid].Name)
	}
	if home.exported && home != fg.p {
		return 0, nil, false, fmt.Errorf("gogen: resource %s, exported by %s, is used by another package; not supported yet", fg.g.r.Types[rid].Name, home.module)
	}
	return rid, home, home.exported, nil
}

func (fg *fnGen) liftHandle(in canonabi.Instr, u jen.Code) (jen.Code, error) {
	switch in.Kind {
	case canonabi.KindFuture, canonabi.KindStream:
		return fg.liftPayloadEnd(in, u)
	case canonabi.KindErrorContext:
		return fg.cabi("ErrorContext").Call(u), nil
	}
	rid, home, exported, err := fg.resource(in)
	if err != nil {
		return nil, err
	}
	if !exported {
		return jen.Qual(home.importPath(fg.g), home.fromH[rid]).Call(u), nil
	}
	table := jen.Id(home.wasmName[fmt.Sprint("table", rid)])
	if in.Kind == canonabi.KindBorrow {
		// A borrow of our own resource arrives as its rep.
		return table.Dot("Get").Call(u), nil
	}
	// An owned handle of our own resource: the Go value leaves the table and
	// becomes the caller's, and the handle is dropped (its destructor call
	// then finds nothing left to destroy).
	h, obj := fg.tmp("h"), fg.tmp("obj")
	fg.emit(jen.Id(h).Op(":=").Add(u),
		jen.Id(obj).Op(":=").Add(table.Dot("Remove").Call(jen.Id(home.wasmName[fmt.Sprint("rep", rid)]).Call(jen.Id(h)))),
		jen.Id(home.wasmName[fmt.Sprint("drop", rid)]).Call(jen.Id(h)))
	return jen.Id(obj), nil
}

func (fg *fnGen) lowerHandle(in canonabi.Instr, v jen.Code) (jen.Code, error) {
	switch in.Kind {
	case canonabi.KindFuture, canonabi.KindStream:
		return u64(jen.Add(v).Dot("TakeHandle").Call()), nil
	case canonabi.KindErrorContext:
		return u64(v), nil
	}
	rid, home, exported, err := fg.resource(in)
	if err != nil {
		return nil, err
	}
	if !exported {
		return u64(jen.Add(v).Dot("Handle").Call()), nil
	}
	if in.Kind == canonabi.KindBorrow {
		return nil, fmt.Errorf("gogen: lowering a borrow of exported resource %s is not supported", fg.g.r.Types[rid].Name)
	}
	table := jen.Id(home.wasmName[fmt.Sprint("table", rid)])
	return u64(jen.Id(home.wasmName[fmt.Sprint("new", rid)]).Call(table.Dot("Add").Call(v))), nil
}

// liftPayloadEnd wraps a received stream or future handle in its reader
// type, with the ops the package declared for its payload.
func (fg *fnGen) liftPayloadEnd(in canonabi.Instr, u jen.Code) (jen.Code, error) {
	id, ok := in.Type.TypeID()
	if !ok {
		return nil, fmt.Errorf("gogen: a stream or future without a type")
	}
	kind, elem, err := fg.g.payloadOf(id)
	if err != nil {
		return nil, err
	}
	ops, ok := fg.p.payloads[kind+fg.g.typeKey(elem)]
	if !ok {
		return nil, fmt.Errorf("gogen: %s is used by no function of %s", fg.g.abi.TypeString(in.Type), fg.p.rel)
	}
	lift := "LiftStreamReader"
	if kind == "future" {
		lift = "LiftFutureReader"
	}
	return fg.cabi(lift).Call(u, jen.Op("&").Id(ops)), nil
}
