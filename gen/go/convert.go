package gogen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/wit"
)

// fnGen translates the value instructions of a canonabi.Plan into Go
// statements. Flat core values are held as uint64s (an i32 or f32 in the
// low bits, zero-extended), the form in which the spec's variant join
// coercions need no code at all.
type fnGen struct {
	g     *generator
	p     *goPackage
	n     int
	stmts []jen.Code
	// usesLowerer: the statements use the *cabi.Lowerer lw.
	usesLowerer bool
}

func (fg *fnGen) tmp(prefix string) string {
	fg.n++
	return fmt.Sprintf("%s_%d", prefix, fg.n)
}

func (fg *fnGen) emit(c ...jen.Code) { fg.stmts = append(fg.stmts, c...) }

// capture runs build with a fresh statement list and returns it.
func (fg *fnGen) capture(build func() error) ([]jen.Code, error) {
	saved := fg.stmts
	fg.stmts = nil
	err := build()
	out := fg.stmts
	fg.stmts = saved
	return out, err
}

func (fg *fnGen) cabi(name string) *jen.Statement { return jen.Qual(fg.g.supportPath(), name) }

// loc says where the places of an instruction tree are: mem places are
// relative to the unsafe.Pointer variable base (plus memShift bytes), flat
// places index the [N]uint64 variable flat (plus flatShift).
type loc struct {
	base      string
	flat      string
	memShift  jen.Code
	flatShift jen.Code
}

// shifted moves every place by one more dynamic term (a fixed-size list
// element).
func (l loc) shifted(memTerm, flatTerm jen.Code) loc {
	add := func(old, term jen.Code) jen.Code {
		if old == nil {
			return term
		}
		return jen.Parens(jen.Add(old).Op("+").Add(term))
	}
	l.memShift = add(l.memShift, memTerm)
	l.flatShift = add(l.flatShift, flatTerm)
	return l
}

func (l loc) memOff(in canonabi.Instr, extra uint32) jen.Code {
	c := jen.Lit(int(in.Place.Offset + extra))
	if l.memShift != nil {
		return c.Op("+").Add(l.memShift)
	}
	return c
}

func (l loc) flatIdx(in canonabi.Instr, part int) jen.Code {
	c := jen.Lit(in.Place.Flat + part)
	if l.flatShift != nil {
		return c.Op("+").Add(l.flatShift)
	}
	return c
}

var putNames = map[uint32]string{1: "PutU8", 2: "PutU16", 4: "PutU32", 8: "PutU64"}
var getNames = map[uint32]string{1: "U8", 2: "U16", 4: "U32", 8: "U64"}

// put stores u, a uint64 expression, as the part-th flat value or as size
// bytes at offset extra of the place.
func (fg *fnGen) put(in canonabi.Instr, l loc, part int, extra, size uint32, u jen.Code) {
	if !in.Place.InMemory {
		fg.emit(jen.Id(l.flat).Index(l.flatIdx(in, part)).Op("=").Add(u))
		return
	}
	fg.emit(fg.cabi(putNames[size]).Call(jen.Id(l.base), l.memOff(in, extra), uintOfSize(size).(*jen.Statement).Call(u)))
}

// get loads the part-th flat value, or size bytes at offset extra, as a
// uint64 expression.
func (fg *fnGen) get(in canonabi.Instr, l loc, part int, extra, size uint32) jen.Code {
	if !in.Place.InMemory {
		return jen.Id(l.flat).Index(l.flatIdx(in, part))
	}
	load := fg.cabi(getNames[size]).Call(jen.Id(l.base), l.memOff(in, extra))
	if size == 8 {
		return load
	}
	return jen.Uint64().Call(load)
}

// getU32 is get narrowed to a uint32 expression, without a detour through
// uint64 where the place already holds 32 bits.
func (fg *fnGen) getU32(in canonabi.Instr, l loc, part int, extra, size uint32) jen.Code {
	if in.Place.InMemory && size == 4 {
		return fg.cabi("U32").Call(jen.Id(l.base), l.memOff(in, extra))
	}
	if in.Place.InMemory && size < 4 {
		return u32(fg.cabi(getNames[size]).Call(jen.Id(l.base), l.memOff(in, extra)))
	}
	return u32(fg.get(in, l, part, extra, size))
}

func u64(c jen.Code) jen.Code       { return jen.Uint64().Call(c) }
func u32(c jen.Code) *jen.Statement { return jen.Uint32().Call(c) }

// lower emits the statements that store the Go value v (a side-effect-free
// expression) at in's place.
func (fg *fnGen) lower(in canonabi.Instr, v jen.Code, l loc) error {
	switch in.Op {
	case canonabi.OpScalar:
		fg.put(in, l, 0, 0, in.Size, fg.scalarToU64(in.Kind, v))
	case canonabi.OpFlags:
		fg.put(in, l, 0, 0, in.Size, u64(v))
	case canonabi.OpString:
		fg.usesLowerer = true
		ptr, n := fg.tmp("ptr"), fg.tmp("n")
		fg.emit(jen.List(jen.Id(ptr), jen.Id(n)).Op(":=").Id("lw").Dot("String").Call(v))
		fg.put(in, l, 0, 0, 4, u64(jen.Id(ptr)))
		fg.put(in, l, 1, 4, 4, u64(jen.Id(n)))
	case canonabi.OpList:
		return fg.lowerList(in, v, l)
	case canonabi.OpFixedList:
		i := fg.tmp("i")
		elem := in.Body[0]
		body, err := fg.capture(func() error {
			return fg.lower(elem, jen.Add(v).Index(jen.Id(i)), l.shifted(
				jen.Uintptr().Call(jen.Id(i)).Op("*").Lit(int(in.Stride)),
				jen.Id(i).Op("*").Lit(in.FlatLen)))
		})
		if err != nil {
			return err
		}
		fg.emit(jen.For(jen.Id(i).Op(":=").Range().Lit(int(in.Len))).Block(body...))
	case canonabi.OpRecord:
		names, err := fg.g.memberNames(in)
		if err != nil {
			return err
		}
		for i, b := range in.Blocks {
			if err := fg.lower(b[0], jen.Add(v).Dot(names[i]), l); err != nil {
				return err
			}
		}
	case canonabi.OpVariant:
		return fg.lowerVariant(in, v, l)
	case canonabi.OpHandle:
		h, err := fg.lowerHandle(in, v)
		if err != nil {
			return err
		}
		fg.put(in, l, 0, 0, 4, h)
	default:
		return fmt.Errorf("gogen: cannot lower a %s", in.Op)
	}
	return nil
}

// scalarToU64 widens a scalar Go value to its flat uint64 form.
func (fg *fnGen) scalarToU64(k canonabi.Kind, v jen.Code) jen.Code {
	switch k {
	case canonabi.KindBool:
		return fg.cabi("Bool").Call(v)
	case canonabi.KindS8, canonabi.KindS16, canonabi.KindS32, canonabi.KindChar:
		return u64(u32(v))
	case canonabi.KindF32:
		return u64(jen.Qual("math", "Float32bits").Call(v))
	case canonabi.KindF64:
		return jen.Qual("math", "Float64bits").Call(v)
	}
	return u64(v)
}

// scalarFromU64 narrows a flat uint64 to the scalar's Go type.
func scalarFromU64(k canonabi.Kind, u jen.Code) jen.Code {
	switch k {
	case canonabi.KindBool:
		return jen.Add(u).Op("!=").Lit(0)
	case canonabi.KindU8:
		return jen.Uint8().Call(u)
	case canonabi.KindU16:
		return jen.Uint16().Call(u)
	case canonabi.KindU32:
		return jen.Uint32().Call(u)
	case canonabi.KindS8:
		return jen.Int8().Call(u)
	case canonabi.KindS16:
		return jen.Int16().Call(u)
	case canonabi.KindS32:
		return jen.Int32().Call(u)
	case canonabi.KindS64:
		return jen.Int64().Call(u)
	case canonabi.KindF32:
		return jen.Qual("math", "Float32frombits").Call(u32(u))
	case canonabi.KindF64:
		return jen.Qual("math", "Float64frombits").Call(u)
	case canonabi.KindChar:
		return jen.Rune().Call(u)
	}
	return u
}

func (fg *fnGen) lowerList(in canonabi.Instr, v jen.Code, l loc) error {
	fg.usesLowerer = true
	ptr := fg.tmp("ptr")
	n := jen.Uint64().Call(jen.Len(v))
	if in.Plain && in.Kind == canonabi.KindList {
		fg.emit(jen.Id(ptr).Op(":=").Add(fg.cabi("PlainAddr").Call(jen.Id("lw"), v)))
	} else {
		elem := in.Body[0]
		buf, i, eb := fg.tmp("buf"), fg.tmp("i"), fg.tmp("elem")
		fg.emit(jen.Id(buf).Op(":=").Id("lw").Dot("Alloc").Call(
			jen.Uint32().Call(jen.Len(v)).Op("*").Lit(int(elem.Layout.Size))))
		var body []jen.Code
		var err error
		el := loc{base: eb}
		addr := jen.Id(eb).Op(":=").Add(fg.cabi("Element").Call(jen.Id(buf), jen.Id(i), jen.Lit(int(elem.Layout.Size))))
		if in.Kind == canonabi.KindMap {
			k, val := fg.tmp("k"), fg.tmp("v")
			body, err = fg.capture(func() error {
				fg.emit(addr)
				if err := fg.lower(elem.Blocks[0][0], jen.Id(k), el); err != nil {
					return err
				}
				if err := fg.lower(elem.Blocks[1][0], jen.Id(val), el); err != nil {
					return err
				}
				fg.emit(jen.Id(i).Op("++"))
				return nil
			})
			fg.emit(jen.Id(i).Op(":=").Lit(0))
			fg.emit(jen.For(jen.List(jen.Id(k), jen.Id(val)).Op(":=").Range().Add(v)).Block(body...))
		} else {
			e := fg.tmp("e")
			body, err = fg.capture(func() error {
				fg.emit(addr)
				return fg.lower(elem, jen.Id(e), el)
			})
			fg.emit(jen.For(jen.List(jen.Id(i), jen.Id(e)).Op(":=").Range().Add(v)).Block(body...))
		}
		if err != nil {
			return err
		}
		fg.emit(jen.Id(ptr).Op(":=").Add(fg.cabi("Addr").Call(jen.Id(buf))))
	}
	fg.put(in, l, 0, 0, 4, u64(jen.Id(ptr)))
	fg.put(in, l, 1, 4, 4, n)
	return nil
}

func (fg *fnGen) lowerVariant(in canonabi.Instr, v jen.Code, l loc) error {
	disc := func(c int) { fg.put(in, l, 0, 0, in.Size, jen.Lit(c)) }
	payload := func(c int, val jen.Code) ([]jen.Code, error) {
		return fg.capture(func() error {
			disc(c)
			if in.Blocks[c] == nil {
				return nil
			}
			return fg.lower(in.Blocks[c][0], val, l)
		})
	}
	switch in.Kind {
	case canonabi.KindEnum:
		fg.put(in, l, 0, 0, in.Size, u64(v))
		return nil
	case canonabi.KindOption:
		none, err := payload(0, nil)
		if err != nil {
			return err
		}
		some, err := payload(1, jen.Add(v).Dot("Value").Call())
		if err != nil {
			return err
		}
		fg.emit(jen.If(jen.Add(v).Dot("IsSome").Call()).Block(some...).Else().Block(none...))
		return nil
	case canonabi.KindResult:
		ok, err := payload(0, jen.Add(v).Dot("OK").Call())
		if err != nil {
			return err
		}
		bad, err := payload(1, jen.Add(v).Dot("Err").Call())
		if err != nil {
			return err
		}
		fg.emit(jen.If(jen.Add(v).Dot("IsErr").Call()).Block(bad...).Else().Block(ok...))
		return nil
	}
	home, cases, err := fg.g.variantCases(in.Type, fg.p)
	if err != nil {
		return err
	}
	c := fg.tmp("c")
	used := false
	var clauses []jen.Code
	for i := range in.Blocks {
		body, err := payload(i, jen.Id(c).Dot("Value"))
		if err != nil {
			return err
		}
		used = used || in.Blocks[i] != nil
		clauses = append(clauses, jen.Case(jen.Qual(home.importPath(fg.g), cases[i])).Block(body...))
	}
	clauses = append(clauses, jen.Default().Block(jen.Panic(jen.Lit("witgo: a nil value of variant "+fg.g.abi.TypeString(in.Type)))))
	subject := jen.Add(v).Assert(jen.Type())
	if used {
		subject = jen.Id(c).Op(":=").Add(subject)
	}
	fg.emit(jen.Switch(subject).Block(clauses...))
	return nil
}

// variantCases returns the package that declares a variant, seen from cur,
// and its case type names.
func (g *generator) variantCases(t wit.Type, cur *goPackage) (*goPackage, []string, error) {
	id, ok := t.TypeID()
	if !ok {
		return nil, nil, fmt.Errorf("gogen: variant without a type")
	}
	id = g.followAlias(id)
	home := g.typeHome(id, cur)
	if home == nil || home.cases[id] == nil {
		return nil, nil, fmt.Errorf("gogen: variant %s is not declared in any package", g.r.Types[id].Name)
	}
	return home, home.cases[id], nil
}

// memberNames are the Go field names of a record or tuple.
func (g *generator) memberNames(in canonabi.Instr) ([]string, error) {
	if in.Kind == canonabi.KindTuple {
		names := make([]string, len(in.Blocks))
		for i := range names {
			names[i] = fmt.Sprintf("F%d", i)
		}
		return names, nil
	}
	id, ok := in.Type.TypeID()
	if !ok {
		return nil, fmt.Errorf("gogen: record without a type")
	}
	rec, ok := g.r.Types[g.followAlias(id)].Kind.(*wit.Record)
	if !ok {
		return nil, fmt.Errorf("gogen: %s is not a record", g.abi.TypeString(in.Type))
	}
	return fieldNames(rec), nil
}
