package gogen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/wit"
)

// genExport writes the glue of an exported WIT function: a Go function
// that lifts the core parameters, calls the user's implementation and
// lowers its result, plus the //go:wasmexport entry points (the function
// and, when the result owns memory, its cabi_post_ function).
func (g *generator) genExport(p *goPackage, f *wit.Function) error {
	plan, err := g.abi.Plan(f, canonabi.Lift)
	if err != nil {
		return err
	}
	core, ok := g.names.Func(true, f)
	if !ok {
		return fmt.Errorf("gogen: no core name for exported function %s", f.Name)
	}
	sig, err := g.signature(p, f)
	if err != nil {
		return err
	}
	fg := &fnGen{g: g, p: p}
	call, result, err := fg.liftExportArgs(plan, sig)
	if err != nil {
		return err
	}
	if f.Async {
		return g.genAsyncExport(fg, plan, sig, core, call, result)
	}
	cs := plan.Sig
	fg.emit(implCall(fg, sig, call)...)
	if result != nil {
		if cs.NeedsPostReturn {
			fg.emit(jen.Id("lw").Op(":=").Op("&").Add(fg.cabi("Returns")))
		}
		if cs.ResultInMemory {
			area := p.wasmName[coreKey(f, "ret")]
			p.main.Commentf("%s is the return area of %s.", area, core.Field)
			p.main.Var().Id(area).Index(jen.Lit(int((cs.ResultLayout.Size + 7) / 8))).Uint64()
			fg.emit(jen.Id("ret").Op(":=").Qual("unsafe", "Pointer").Call(jen.Op("&").Id(area)))
			if err := fg.lower(result.Body[0], jen.Id("result"), loc{base: "ret"}); err != nil {
				return fmt.Errorf("function %s: %w", f.Name, err)
			}
			fg.emit(jen.Return(fg.cabi("Addr").Call(jen.Id("ret"))))
		} else {
			fg.emit(jen.Var().Id("rflat").Index(jen.Lit(1)).Uint64())
			if err := fg.lower(result.Body[0], jen.Id("result"), loc{flat: "rflat"}); err != nil {
				return fmt.Errorf("function %s: %w", f.Name, err)
			}
			fg.emit(jen.Return(coreFromU64(cs.Results[0], jen.Id("rflat").Index(jen.Lit(0)))))
		}
	}
	g.exportEntry(p, f, core.Field, cs, fg.stmts)
	if cs.NeedsPostReturn {
		post, _ := g.names.PostReturn(f)
		p.wasm.Comment("//go:wasmexport " + post.Field)
		p.wasm.Func().Id(p.wasmName[coreKey(f, "post")]).Params(coreParams(cs.Results)...).Block(
			jen.Qual(g.supportPath(), "Returns").Dot("Release").Call())
	}
	return nil
}

// exportEntry writes the glue function of an export, with body stmts, and
// the //go:wasmexport function that calls it.
func (g *generator) exportEntry(p *goPackage, f *wit.Function, export string, cs *canonabi.Signature, stmts []jen.Code) {
	glue := p.wasmName[coreKey(f, "glue")]
	p.main.Commentf("%s runs the export %s.", glue, export)
	p.main.Func().Id(glue).Params(coreParams(cs.Params)...).Add(coreResults(cs.Results)).Block(stmts...)
	p.hasWasm = true
	var coreArgs []jen.Code
	for i := range cs.Params {
		coreArgs = append(coreArgs, jen.Id(fmt.Sprintf("p%d", i)))
	}
	body := jen.Id(glue).Call(coreArgs...)
	if len(cs.Results) > 0 {
		body = jen.Return(body)
	}
	p.wasm.Comment("//go:wasmexport " + export)
	p.wasm.Func().Id(p.wasmName[coreKey(f, "func")]).Params(coreParams(cs.Params)...).Add(coreResults(cs.Results)).Block(body)
}

func (g *generator) exportLabel(p *goPackage) string {
	if p.isWorld {
		return "the exports of world " + g.worldDef().Name
	}
	return p.module
}

// declareExports writes the Exports interface the user implements, the
// Export function that registers it, and its variable.
func (g *generator) declareExports(p *goPackage) error {
	var methods []jen.Code
	for _, pf := range p.funcs {
		f := pf.f
		if !pf.exported || f.Kind == wit.Method {
			continue
		}
		sig, err := g.signature(p, f)
		if err != nil {
			return err
		}
		methods = append(methods, doc(f.Docs).Id(p.methods[f]).Params(sig.params...).Params(sig.results...))
	}
	impl := p.wasmName["impl"]
	p.main.Add(docComment(fmt.Sprintf("Exports is the Go implementation of %s: implement it and pass it to Export.\n"+
		"A function returning result<T, E> returns (T, error): fail with cabi.Fail(e)\n"+
		"(any error will do when E is string: its message becomes the value).", g.exportLabel(p))))
	p.main.Type().Id("Exports").Interface(methods...)
	p.main.Var().Id(impl).Id("Exports")
	p.main.Add(docComment("Export sets the implementation of the exports. Call it from an init\n" +
		"function: the host may call exports as soon as _initialize has run."))
	p.main.Func().Id("Export").Params(jen.Id("impl").Id("Exports")).Block(jen.Id(impl).Op("=").Id("impl"))
	return nil
}

// liftExportArgs emits the lifting of an export's parameters and returns
// the call of the user's implementation and the plan's result step.
func (fg *fnGen) liftExportArgs(plan *canonabi.Plan, sig *goSignature) (*jen.Statement, *canonabi.Instr, error) {
	g, p, f, cs := fg.g, fg.p, plan.Func, plan.Sig
	l := loc{base: "params", flat: "flat"}
	switch {
	case cs.ParamsInMemory:
		fg.emit(jen.Id("params").Op(":=").Add(fg.cabi("Take").Call(jen.Id("p0"))))
	case len(cs.FlatParams) > 0:
		vals := make([]jen.Code, len(cs.FlatParams))
		for i, c := range cs.FlatParams {
			vals[i] = coreToU64(c, jen.Id(fmt.Sprintf("p%d", i)))
		}
		fg.emit(jen.Id("flat").Op(":=").Index(jen.Lit(len(vals))).Uint64().Values(vals...))
	}
	args := make([]jen.Code, len(f.Params))
	var result *canonabi.Instr
	for i := range plan.Steps {
		st := &plan.Steps[i]
		switch st.Op {
		case canonabi.OpParam:
			v, err := fg.lift(st.Body[0], l)
			if err != nil {
				return nil, nil, fmt.Errorf("function %s: %w", f.Name, err)
			}
			a := fg.tmp("arg")
			fg.emit(jen.Id(a).Op(":=").Add(v))
			args[st.Index] = jen.Id(a)
		case canonabi.OpResult:
			result = st
		}
	}
	if f.Kind == wit.Method {
		return jen.Add(args[0]).Dot(p.methods[f]).Call(args[1:]...), result, nil
	}
	impl := p.wasmName["impl"]
	fg.emit(jen.If(jen.Id(impl).Op("==").Nil()).Block(jen.Panic(jen.Lit(
		"witgo: no implementation of " + g.exportLabel(p) + ": call Export from an init function"))))
	return jen.Id(impl).Dot(p.methods[f]).Call(args...), result, nil
}

// implCall is the statements that call the user's implementation and
// leave its WIT result in the variable result.
func implCall(fg *fnGen, sig *goSignature, call *jen.Statement) []jen.Code {
	switch sig.shape {
	case resPlain:
		return []jen.Code{jen.Id("result").Op(":=").Add(call)}
	case resValueErr:
		return []jen.Code{jen.List(jen.Id("value"), jen.Id("err")).Op(":=").Add(call),
			jen.Id("result").Op(":=").Add(fg.cabi("Join").Types(sig.okT, sig.errT).Call(jen.Id("value"), jen.Id("err")))}
	case resErrOnly:
		return []jen.Code{jen.Id("err").Op(":=").Add(call),
			jen.Id("result").Op(":=").Add(fg.cabi("Join").Types(sig.okT, sig.errT).Call(jen.Struct().Values(), jen.Id("err")))}
	}
	return []jen.Code{call}
}
