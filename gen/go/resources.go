package gogen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/wit"
)

// resourceCore finds a resource intrinsic's core name.
func (g *generator) resourceCore(exported bool, id wit.TypeID, kind canonabi.NameKind) (*canonabi.CoreName, error) {
	for i := range g.names.Items {
		n := &g.names.Items[i]
		if n.Kind == kind && n.Resource == id && n.Exported == exported {
			return n, nil
		}
	}
	return nil, fmt.Errorf("gogen: no %s for resource %s", kind, g.r.Types[id].Name)
}

// declareResource writes an imported resource as a handle type with Drop,
// or an exported one as the interface the user's type implements, with the
// table and intrinsics the bindings use to hand it out.
func (g *generator) declareResource(p *goPackage, id wit.TypeID, name string) error {
	if p.exported {
		return g.declareExportedResource(p, id, name)
	}
	f := p.main
	drop, err := g.resourceCore(false, id, canonabi.NameResourceDrop)
	if err != nil {
		return err
	}
	dropFn := p.idents.take("wasm_resource_drop_" + identChars(g.r.Types[id].Name))
	g.declareWasmImport(p, dropFn, drop.Module, drop.Field, []canonabi.CoreType{canonabi.I32}, nil)
	f.Add(docComment(joinDocs(g.r.Types[id].Docs, fmt.Sprintf("%s is a handle to the imported resource %s. Call Drop once an\nowned handle is no longer needed; a borrowed one is the caller's.", name, g.r.Types[id].Name))))
	f.Type().Id(name).Struct(jen.Id("handle").Uint32())
	from := p.fromH[id]
	f.Commentf("%s wraps a handle index (for handles received from elsewhere).", from)
	f.Func().Id(from).Params(jen.Id("h").Uint32()).Id(name).Block(jen.Return(jen.Id(name).Values(jen.Dict{jen.Id("handle"): jen.Id("h")})))
	f.Comment("Handle returns the handle's index in the component's table.")
	f.Func().Params(jen.Id("self").Id(name)).Id("Handle").Params().Uint32().Block(jen.Return(jen.Id("self").Dot("handle")))
	f.Comment("Drop drops the handle (resource.drop); the value must not be used afterwards.")
	f.Func().Params(jen.Id("self").Id(name)).Id("Drop").Params().Block(jen.Id(dropFn).Call(jen.Id("self").Dot("handle")))
	return nil
}

func (g *generator) declareExportedResource(p *goPackage, id wit.TypeID, name string) error {
	f := p.main
	wname := g.r.Types[id].Name
	var methods []jen.Code
	for _, pf := range p.funcs {
		if pf.f.Kind != wit.Method || g.followAlias(pf.f.Resource) != id {
			continue
		}
		sig, err := g.signature(p, pf.f)
		if err != nil {
			return err
		}
		methods = append(methods, doc(pf.f.Docs).Id(p.methods[pf.f]).Params(sig.params...).Params(sig.results...))
	}
	f.Add(docComment(joinDocs(g.r.Types[id].Docs, fmt.Sprintf("%s is the exported resource %s: implement it with any Go type. The\n"+
		"bindings keep every value they hand out in a table until the host drops\n"+
		"the handle; then a Drop() method, if the value has one, is called.", name, wname))))
	f.Type().Id(name).Interface(methods...)
	table := p.wasmName[fmt.Sprint("table", id)]
	f.Var().Id(table).Qual(g.supportPath(), "Table").Types(jen.Id(name))

	for _, k := range []struct {
		kind    canonabi.NameKind
		key     string
		results []canonabi.CoreType
	}{{canonabi.NameResourceNew, "new", []canonabi.CoreType{canonabi.I32}},
		{canonabi.NameResourceRep, "rep", []canonabi.CoreType{canonabi.I32}},
		{canonabi.NameResourceDrop, "drop", nil}} {
		c, err := g.resourceCore(true, id, k.kind)
		if err != nil {
			return err
		}
		g.declareWasmImport(p, p.wasmName[fmt.Sprint(k.key, id)], c.Module, c.Field, []canonabi.CoreType{canonabi.I32}, k.results)
	}
	dtor, err := g.resourceCore(true, id, canonabi.NameResourceDtor)
	if err != nil {
		return err
	}
	p.wasm.Comment("//go:wasmexport " + dtor.Field)
	p.wasm.Func().Id(p.wasmName[fmt.Sprint("dtor", id)]).Params(jen.Id("rep").Uint32()).Block(
		jen.List(jen.Id("v"), jen.Id("live")).Op(":=").Id(table).Dot("Delete").Call(jen.Id("rep")),
		jen.If(jen.List(jen.Id("d"), jen.Id("ok")).Op(":=").Any().Call(jen.Id("v")).Assert(
			jen.Interface(jen.Id("Drop").Params())), jen.Id("live").Op("&&").Id("ok")).Block(jen.Id("d").Dot("Drop").Call()))
	return nil
}

// joinDocs puts the WIT documentation, if any, before the bindings' own
// description, as separate paragraphs.
func joinDocs(witDocs, ours string) string {
	if strings.TrimSpace(witDocs) == "" {
		return ours
	}
	return strings.TrimSpace(witDocs) + "\n\n" + ours
}
