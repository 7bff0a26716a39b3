package gogen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/wit"
)

// Streams and futures. A package gets, per payload type its functions
// use, a cabi.ElemOps (converting elements), a cabi.StreamOps or
// cabi.FutureOps (the built-ins, taken from the first function that uses
// the type: the Canonical ABI only checks that a built-in's payload type
// matches the end's) and a constructor NewStream<T>/NewFuture<T>.

// declarePayloads declares the ops of every stream and future type in
// p's functions, in canonabi.FuturesAndStreams order (a payload's own
// streams come first, so their ops exist when its lifting needs them).
func (g *generator) declarePayloads(p *goPackage) error {
	for _, pf := range p.funcs {
		for _, id := range canonabi.FuturesAndStreams(g.r, pf.f) {
			if _, err := g.payloadOps(p, pf, id); err != nil {
				return fmt.Errorf("function %s: %w", pf.f.Name, err)
			}
		}
	}
	return nil
}

// payloadOps returns the ops variable of stream or future type id in p,
// declaring it with pf's built-ins on first use.
func (g *generator) payloadOps(p *goPackage, pf pkgFunc, id wit.TypeID) (string, error) {
	kind, elem, err := g.payloadOf(id)
	if err != nil {
		return "", err
	}
	key := kind + g.typeKey(elem)
	if v, ok := p.payloads[key]; ok {
		return v, nil
	}
	elemOps, err := g.elemOps(p, elem)
	if err != nil {
		return "", err
	}
	et, err := g.goType(elem, p)
	if err != nil {
		return "", err
	}
	label := g.payloadLabel(elem, p)
	name := p.idents.take(kind + "Ops" + label)
	p.payloads[key] = name

	k := func(stream, future canonabi.NameKind) canonabi.NameKind {
		if kind == "stream" {
			return stream
		}
		return future
	}
	intrinsic := func(nk canonabi.NameKind, async bool) (string, error) {
		c, err := g.names.PayloadIntrinsic(pf.exported, pf.f, nk, id, async)
		if err != nil {
			return "", err
		}
		params, results, _ := canonabi.IntrinsicSignature(nk)
		ident := p.idents.take("wasm_" + strings.NewReplacer(".", "_", "-", "_").Replace(nk.String()) + "_" + label)
		g.declareWasmImport(p, ident, c.Module, c.Field, params, results)
		return ident, nil
	}
	// new, read, write, drop-readable, drop-writable, cancel-read and (for
	// streams) cancel-write; copies and cancels in their async form.
	kinds := []canonabi.NameKind{
		k(canonabi.NameStreamNew, canonabi.NameFutureNew),
		k(canonabi.NameStreamRead, canonabi.NameFutureRead),
		k(canonabi.NameStreamWrite, canonabi.NameFutureWrite),
		k(canonabi.NameStreamDropReadable, canonabi.NameFutureDropReadable),
		k(canonabi.NameStreamDropWritable, canonabi.NameFutureDropWritable),
		k(canonabi.NameStreamCancelRead, canonabi.NameFutureCancelRead),
	}
	if kind == "stream" {
		kinds = append(kinds, canonabi.NameStreamCancelWrite)
	}
	fns := make([]string, len(kinds))
	for i, nk := range kinds {
		if fns[i], err = intrinsic(nk, i == 1 || i == 2 || i >= 5); err != nil {
			return "", err
		}
	}
	h, ptr, n := jen.Id("h").Uint32(), jen.Id("p").Qual("unsafe", "Pointer"), jen.Id("n").Uint32()
	copyFn := func(fn string) jen.Code {
		if kind == "stream" {
			return jen.Func().Params(h, ptr, n).Uint32().Block(jen.Return(jen.Id(fn).Call(
				jen.Id("h"), jen.Qual(g.supportPath(), "Addr").Call(jen.Id("p")), jen.Id("n"))))
		}
		return jen.Func().Params(h, ptr).Uint32().Block(jen.Return(jen.Id(fn).Call(
			jen.Id("h"), jen.Qual(g.supportPath(), "Addr").Call(jen.Id("p")))))
	}
	opsType, ctor, endT := "StreamOps", "NewStream", "Stream"
	if kind == "future" {
		opsType, ctor, endT = "FutureOps", "NewFuture", "Future"
	}
	p.main.Commentf("%s are the built-ins of %s<%s>.", name, kind, g.typeText(elem))
	fields := jen.Dict{
		jen.Id("Elem"): jen.Op("&").Id(elemOps),
		jen.Id("New"): jen.Func().Params().Params(jen.Uint32(), jen.Uint32()).Block(
			jen.Id("rw").Op(":=").Id(fns[0]).Call(),
			jen.Return(jen.Uint32().Call(jen.Id("rw")), jen.Uint32().Call(jen.Id("rw").Op(">>").Lit(32)))),
		jen.Id("Read"):         copyFn(fns[1]),
		jen.Id("Write"):        copyFn(fns[2]),
		jen.Id("DropReadable"): jen.Id(fns[3]),
		jen.Id("DropWritable"): jen.Id(fns[4]),
		jen.Id("CancelRead"):   jen.Id(fns[5]),
	}
	if kind == "stream" {
		fields[jen.Id("CancelWrite")] = jen.Id(fns[6])
	}
	p.main.Var().Id(name).Op("=").Qual(g.supportPath(), opsType).Types(et).Values(fields)
	cname := p.idents.take(ctor + label)
	p.main.Add(docComment(fmt.Sprintf("%s creates a %s<%s> and returns its readable end (to pass to a\nfunction) and its writable end (to keep).", cname, kind, g.typeText(elem))))
	sup := func(s string) *jen.Statement { return jen.Op("*").Qual(g.supportPath(), s).Types(et) }
	p.main.Func().Id(cname).Params().Params(sup(endT+"Reader"), sup(endT+"Writer")).Block(
		jen.Return(jen.Qual(g.supportPath(), ctor).Call(jen.Op("&").Id(name))))
	return name, nil
}

// payloadOf splits a stream or future type into its kind and payload.
func (g *generator) payloadOf(id wit.TypeID) (string, wit.Type, error) {
	switch k := g.r.Types[g.followAlias(id)].Kind.(type) {
	case *wit.Stream:
		return "stream", k.Elem, nil
	case *wit.Future:
		return "future", k.Elem, nil
	}
	return "", wit.NoType, fmt.Errorf("gogen: type #%d is not a stream or future", id)
}

// elemOps returns p's cabi.ElemOps variable of payload type t.
func (g *generator) elemOps(p *goPackage, t wit.Type) (string, error) {
	key := "elem" + g.typeKey(t)
	if v, ok := p.payloads[key]; ok {
		return v, nil
	}
	et, err := g.goType(t, p)
	if err != nil {
		return "", err
	}
	name := p.idents.take("elemOps" + g.payloadLabel(t, p))
	p.payloads[key] = name
	fields := jen.Dict{}
	if t == wit.NoType {
		fields[jen.Id("Plain")] = jen.True()
	} else {
		in, err := g.abi.ValuePlan(t, canonabi.Place{InMemory: true})
		if err != nil {
			return "", err
		}
		size := int(in.Layout.Size)
		fields[jen.Id("Size")] = jen.Lit(size)
		if in.Op == canonabi.OpScalar && in.Kind >= canonabi.KindU8 && in.Kind <= canonabi.KindF64 {
			fields[jen.Id("Plain")] = jen.True()
		} else {
			lift, lower, err := g.elemConverters(p, in, et)
			if err != nil {
				return "", err
			}
			fields[jen.Id("Lift")], fields[jen.Id("Lower")] = lift, lower
		}
	}
	p.main.Commentf("%s converts %s payloads.", name, g.typeText(t))
	p.main.Var().Id(name).Op("=").Qual(g.supportPath(), "ElemOps").Types(et).Values(fields)
	return name, nil
}

// elemConverters are the Lift and Lower functions of an ElemOps: element
// i lives at p + i*size.
func (g *generator) elemConverters(p *goPackage, in canonabi.Instr, et jen.Code) (jen.Code, jen.Code, error) {
	size := int(in.Layout.Size)
	elem := jen.Id("elem").Op(":=").Qual(g.supportPath(), "Element").Call(jen.Id("p"), jen.Id("i"), jen.Lit(size))
	fg := &fnGen{g: g, p: p}
	liftBody, err := fg.liftTo(jen.Id("out").Index(jen.Id("i")), in, loc{base: "elem"}, elem)
	if err != nil {
		return nil, nil, err
	}
	lowerBody, err := fg.capture(func() error {
		fg.emit(elem)
		return fg.lower(in, jen.Id("v"), loc{base: "elem"})
	})
	if err != nil {
		return nil, nil, err
	}
	ptr := jen.Id("p").Qual("unsafe", "Pointer")
	lift := jen.Func().Params(ptr, jen.Id("out").Index().Add(et)).Block(
		jen.For(jen.Id("i").Op(":=").Range().Id("out")).Block(liftBody...))
	lwName := "lw"
	if !fg.usesLowerer {
		lwName = "_"
	}
	lower := jen.Func().Params(jen.Id(lwName).Op("*").Qual(g.supportPath(), "Lowerer"), jen.Id("in").Index().Add(et), ptr).Block(
		jen.For(jen.List(jen.Id("i"), jen.Id("v")).Op(":=").Range().Id("in")).Block(lowerBody...))
	return lift, lower, nil
}

// typeText is t in WIT syntax, a named type by its name.
func (g *generator) typeText(t wit.Type) string {
	if id, ok := t.TypeID(); ok && g.r.Types[id].Name != "" {
		return g.r.Types[id].Name
	}
	return g.abi.TypeString(t)
}

// typeKey identifies a type for sharing ops: named types by definition,
// anonymous ones by structure.
func (g *generator) typeKey(t wit.Type) string {
	if t == wit.NoType {
		return "_"
	}
	id, ok := t.TypeID()
	if !ok {
		return g.abi.TypeString(t)
	}
	id = g.followAlias(id)
	td := g.r.Types[id]
	if td.Name != "" {
		return fmt.Sprintf("#%d", id)
	}
	var parts []string
	for _, c := range wit.TypeOperands(td.Kind) {
		parts = append(parts, g.typeKey(c))
	}
	if fl, ok := td.Kind.(*wit.FixedList); ok {
		parts = append(parts, fmt.Sprint(fl.Len))
	}
	return fmt.Sprintf("%T<%s>", td.Kind, strings.Join(parts, ","))
}

// payloadLabel names a payload type in identifiers: U8, String, Point,
// ListString, ResultU32ErrorCode, Unit.
func (g *generator) payloadLabel(t wit.Type, cur *goPackage) string {
	if t == wit.NoType {
		return "Unit"
	}
	id, ok := t.TypeID()
	if !ok {
		return GoName(g.abi.TypeString(t))
	}
	id = g.followAlias(id)
	td := g.r.Types[id]
	if td.Name != "" {
		if home := g.typeHome(id, cur); home != nil && home.types[id] != "" {
			return home.types[id]
		}
		return GoName(td.Name)
	}
	label := strings.TrimPrefix(fmt.Sprintf("%T", td.Kind), "*wit.")
	switch k := td.Kind.(type) {
	case *wit.Own:
		return g.resourceName(cur, k.Resource)
	case *wit.Borrow:
		return "Borrow" + g.resourceName(cur, k.Resource)
	}
	for _, c := range wit.TypeOperands(td.Kind) {
		label += g.payloadLabel(c, cur)
	}
	return label
}
