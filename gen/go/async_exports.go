package gogen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
	"github.com/witgo/witgo/canonabi"
)

// genAsyncExport writes an exported async function, lifted with async and
// a callback: the [async-lift] entry lifts the arguments and hands the
// call of the user's implementation to cabi.StartTask, which runs it in a
// goroutine; the closure it returns lowers the result into task.return's
// arguments and is called by the runtime in the task's own turn. The
// [callback] export is cabi.Callback. The statements so far (fg) lift the
// arguments; call is the user's implementation.
func (g *generator) genAsyncExport(fg *fnGen, plan *canonabi.Plan, sig *goSignature, core *canonabi.CoreName, call *jen.Statement, result *canonabi.Instr) error {
	p, f, cs := fg.p, plan.Func, plan.Sig
	cb, ok := g.names.Callback(f)
	if !ok {
		return fmt.Errorf("gogen: no callback for the async export %s", f.Name)
	}
	tr, ok := g.names.TaskReturn(f)
	if !ok {
		return fmt.Errorf("gogen: no task.return for the async export %s", f.Name)
	}
	taskReturn := p.wasmName[coreKey(f, "taskreturn")]
	g.declareWasmImport(p, taskReturn, tr.Module, tr.Field, cs.TaskReturn, nil)

	// ret lowers the result and calls task.return.
	ret := &fnGen{g: g, p: p, n: fg.n}
	var trArgs []jen.Code
	if result != nil {
		l := loc{flat: "rflat"}
		if result.Body[0].Place.InMemory {
			ret.usesLowerer = true
			ret.emit(jen.Id("ret").Op(":=").Id("lw").Dot("Alloc").Call(jen.Lit(int(cs.ResultLayout.Size))))
			l = loc{base: "ret"}
			trArgs = append(trArgs, fg.cabi("Addr").Call(jen.Id("ret")))
		} else {
			ret.emit(jen.Var().Id("rflat").Index(jen.Lit(len(cs.TaskReturn))).Uint64())
			for i, c := range cs.TaskReturn {
				trArgs = append(trArgs, coreFromU64(c, jen.Id("rflat").Index(jen.Lit(i))))
			}
		}
		if err := ret.lower(result.Body[0], jen.Id("result"), l); err != nil {
			return fmt.Errorf("function %s: %w", f.Name, err)
		}
	}
	ret.emit(jen.Id(taskReturn).Call(trArgs...))
	retBody := ret.stmts
	if ret.usesLowerer {
		retBody = append([]jen.Code{jen.Id("lw").Op(":=").New(fg.cabi("Lowerer")),
			jen.Defer().Id("lw").Dot("Release").Call()}, retBody...)
	}
	run := append(implCall(fg, sig, call), jen.Return(jen.Func().Params().Block(retBody...)))
	fg.emit(jen.Return(fg.cabi("StartTask").Call(jen.Func().Params().Func().Params().Block(run...))))
	g.exportEntry(p, f, core.Field, cs, fg.stmts)

	p.wasm.Comment("//go:wasmexport " + cb.Field)
	p.wasm.Func().Id(p.wasmName[coreKey(f, "callback")]).Params(jen.List(jen.Id("event"), jen.Id("waitable"), jen.Id("payload")).Uint32()).Uint32().Block(
		jen.Return(fg.cabi("Callback").Call(jen.Id("event"), jen.Id("waitable"), jen.Id("payload"))))
	return nil
}
