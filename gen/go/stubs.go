package gogen

import (
	"github.com/dave/jennifer/jen"
	"github.com/witgo/witgo/wit"
)

// genStubs writes package stub: a zero-value implementation of every
// export that registers itself in init, for a quick start and for compile
// tests. It is regenerated on every run; copy it before editing.
func (g *generator) genStubs() error {
	path := g.opts.PackageRoot + "/" + g.worldPkg.rel + "/stub"
	f := jen.NewFilePathName(path, "stub")
	f.ImportName(g.supportPath(), supportPackageName)
	f.PackageComment("// Package stub implements every export of world " + g.worldDef().Name + " with zero values.\n" +
		"// Import it for its side effect (import _ \".../stub\") to get a module that builds.\n" +
		"// witgo rewrites this file on every run with --stubs: copy it before editing.")
	ns := nameSet{}
	var inits []jen.Code
	for _, p := range g.pkgs {
		if !g.hasExports(p) {
			continue
		}
		prefix := GoName(p.name)
		impl := ns.take(prefix + "Exports")
		f.Commentf("%s implements %s.", impl, g.exportLabel(p))
		f.Type().Id(impl).Struct()
		resTypes := map[wit.TypeID]string{}
		for _, id := range g.typeIDs(p) {
			if !g.isResource(id) || !p.exported {
				continue
			}
			rn := ns.take(prefix + p.types[id])
			resTypes[id] = rn
			f.Commentf("%s implements the resource %s.", rn, g.r.Types[id].Name)
			f.Type().Id(rn).Struct()
		}
		for _, pf := range p.funcs {
			if !pf.exported {
				continue
			}
			fn := pf.f
			sig, err := g.signature(p, fn)
			if err != nil {
				return err
			}
			recv := jen.Id(impl)
			if fn.Kind == wit.Method {
				recv = jen.Id(resTypes[g.followAlias(fn.Resource)])
			}
			var results []jen.Code
			for i, r := range sig.results {
				name := "r0"
				if i == len(sig.results)-1 && sig.shape != resPlain {
					name = "err"
				}
				results = append(results, jen.Id(name).Add(r))
			}
			body := []jen.Code{jen.Return()}
			if fn.Kind == wit.Constructor {
				if rn, ok := resTypes[g.followAlias(fn.Resource)]; ok && sig.shape != resErrOnly {
					body = []jen.Code{jen.Id("r0").Op("=").Id(rn).Values(), jen.Return()}
				}
			}
			f.Func().Params(recv).Id(p.methods[fn]).Params(sig.params...).Params(results...).Block(body...)
		}
		inits = append(inits, jen.Qual(p.importPath(g), "Export").Call(jen.Id(impl).Values()))
	}
	f.Func().Id("init").Params().Block(inits...)
	g.stubFile = f
	return nil
}
