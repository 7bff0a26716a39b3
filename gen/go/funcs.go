package gogen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/wit"
)

// resultShape is how a function's WIT result appears in Go.
type resultShape uint8

const (
	resNone     resultShape = iota // no result
	resPlain                       // one value
	resValueErr                    // result<T, E>: (T, error)
	resErrOnly                     // result<_, E>: error
)

// goSignature is a function's Go parameter list (without the receiver of
// a method) and result list.
type goSignature struct {
	recv    string // "self" for a method
	names   []string
	params  []jen.Code
	results []jen.Code
	shape   resultShape
	// okT and errT are the payload types of a result<T, E> result.
	okT, errT jen.Code
}

func (g *generator) signature(p *goPackage, f *wit.Function) (*goSignature, error) {
	s := &goSignature{names: make([]string, len(f.Params))}
	ns := nameSet{}
	for i, prm := range f.Params {
		if i == 0 && f.Kind == wit.Method {
			s.recv = ns.take("self")
			s.names[i] = s.recv
			continue
		}
		name := localName(prm.Name)
		if g.pkgNames[name] {
			name += "_" // a parameter must not hide an imported package
		}
		s.names[i] = ns.take(name)
		t, err := g.goType(prm.Type, p)
		if err != nil {
			return nil, fmt.Errorf("function %s: %w", f.Name, err)
		}
		s.params = append(s.params, jen.Id(s.names[i]).Add(t))
	}
	if f.Result == wit.NoType {
		return s, nil
	}
	kind, err := g.abi.KindOf(f.Result)
	if err != nil {
		return nil, fmt.Errorf("function %s: %w", f.Name, err)
	}
	if kind == canonabi.KindResult {
		okT, errT, err := g.resultTypes(f.Result, p)
		if err != nil {
			return nil, err
		}
		s.okT, s.errT = okT, errT
		id, _ := f.Result.TypeID()
		if g.r.Types[g.followAlias(id)].Kind.(*wit.Result).OK == wit.NoType {
			s.shape, s.results = resErrOnly, []jen.Code{jen.Error()}
		} else {
			s.shape, s.results = resValueErr, []jen.Code{okT, jen.Error()}
		}
		return s, nil
	}
	t, err := g.goType(f.Result, p)
	if err != nil {
		return nil, fmt.Errorf("function %s: %w", f.Name, err)
	}
	s.shape, s.results = resPlain, []jen.Code{t}
	return s, nil
}

func coreGoType(c canonabi.CoreType) jen.Code {
	switch c {
	case canonabi.I64:
		return jen.Uint64()
	case canonabi.F32:
		return jen.Float32()
	case canonabi.F64:
		return jen.Float64()
	}
	return jen.Uint32()
}

// coreFromU64 converts a flat uint64 to the core parameter type.
func coreFromU64(c canonabi.CoreType, u jen.Code) jen.Code {
	switch c {
	case canonabi.I64:
		return u
	case canonabi.F32:
		return jen.Qual("math", "Float32frombits").Call(u32(u))
	case canonabi.F64:
		return jen.Qual("math", "Float64frombits").Call(u)
	}
	return u32(u)
}

// coreToU64 converts a core value to the flat uint64 form.
func coreToU64(c canonabi.CoreType, v jen.Code) jen.Code {
	switch c {
	case canonabi.I64:
		return v
	case canonabi.F32:
		return u64(jen.Qual("math", "Float32bits").Call(v))
	case canonabi.F64:
		return jen.Qual("math", "Float64bits").Call(v)
	}
	return u64(v)
}

// coreParams declares p0, p1, ... of the core types.
func coreParams(ts []canonabi.CoreType) []jen.Code {
	out := make([]jen.Code, len(ts))
	for i, t := range ts {
		out[i] = jen.Id(fmt.Sprintf("p%d", i)).Add(coreGoType(t))
	}
	return out
}

func coreResults(ts []canonabi.CoreType) jen.Code {
	if len(ts) == 0 {
		return jen.Null()
	}
	return coreGoType(ts[0])
}

// declareWasmImport writes the //go:wasmimport declaration of a core
// function and its panicking stand-in for other platforms.
func (g *generator) declareWasmImport(p *goPackage, ident, module, field string, params, results []canonabi.CoreType) {
	p.hasWasm = true
	p.wasm.Comment("//go:wasmimport " + module + " " + field)
	p.wasm.Func().Id(ident).Params(coreParams(params)...).Add(coreResults(results))
	p.stub.Func().Id(ident).Params(coreParams(params)...).Add(coreResults(results)).Block(
		jen.Panic(jen.Lit("witgo: " + module + " " + field + " can only be called on wasip1")))
}

// genImport writes the Go function that calls an imported WIT function.
func (g *generator) genImport(p *goPackage, f *wit.Function) error {
	plan, err := g.abi.Plan(f, canonabi.Lower)
	if err != nil {
		return err
	}
	core, ok := g.names.Func(false, f)
	if !ok {
		return fmt.Errorf("gogen: no core name for imported function %s", f.Name)
	}
	sig, err := g.signature(p, f)
	if err != nil {
		return err
	}
	cs := plan.Sig
	wasmFn := p.wasmName[coreKey(f, "func")]
	g.declareWasmImport(p, wasmFn, core.Module, core.Field, cs.Params, cs.Results)

	fg := &fnGen{g: g, p: p}
	if cs.NeedsMemory || cs.RetPtr {
		fg.emit(jen.Id("lw").Op(":=").New(fg.cabi("Lowerer")), jen.Defer().Id("lw").Dot("Release").Call())
	}
	l := loc{base: "params", flat: "flat"}
	var args []jen.Code
	direct := false
	switch {
	case cs.ParamsInMemory:
		fg.emit(jen.Id("params").Op(":=").Id("lw").Dot("Alloc").Call(jen.Lit(int(cs.ParamsLayout.Size))))
		args = append(args, fg.cabi("Addr").Call(jen.Id("params")))
	case fg.directArgs(plan, sig, &args):
		direct = true // scalars and handles go straight into the call
	case len(cs.FlatParams) > 0:
		fg.emit(jen.Var().Id("flat").Index(jen.Lit(len(cs.FlatParams))).Uint64())
		for i, c := range cs.FlatParams {
			args = append(args, coreFromU64(c, jen.Id("flat").Index(jen.Lit(i))))
		}
	}
	var result *canonabi.Instr
	for i := range plan.Steps {
		st := &plan.Steps[i]
		switch st.Op {
		case canonabi.OpParam:
			if direct {
				continue
			}
			if err := fg.lower(st.Body[0], jen.Id(sig.names[st.Index]), l); err != nil {
				return fmt.Errorf("function %s: %w", f.Name, err)
			}
		case canonabi.OpRetArea:
			fg.emit(jen.Id("ret").Op(":=").Id("lw").Dot("Alloc").Call(jen.Lit(int(st.Layout.Size))))
			args = append(args, fg.cabi("Addr").Call(jen.Id("ret")))
		case canonabi.OpResult:
			result = st
		}
	}
	call := jen.Id(wasmFn).Call(args...)
	if f.Async {
		// The status says whether the callee returned already; until it
		// has, the argument and result memory stay pinned.
		fg.emit(fg.cabi("AwaitSubtask").Call(call))
	} else if len(cs.Results) == 1 {
		fg.emit(jen.Id("rflat").Op(":=").Index(jen.Lit(1)).Uint64().Values(coreToU64(cs.Results[0], call)))
	} else {
		fg.emit(call)
	}
	if result != nil {
		v, err := fg.lift(result.Body[0], loc{base: "ret", flat: "rflat"})
		if err != nil {
			return fmt.Errorf("function %s: %w", f.Name, err)
		}
		switch sig.shape {
		case resValueErr:
			fg.emit(jen.Return(fg.cabi("Split").Call(v)))
		case resErrOnly:
			fg.emit(jen.List(jen.Id("_"), jen.Id("err")).Op(":=").Add(fg.cabi("Split").Call(v)), jen.Return(jen.Id("err")))
		default:
			fg.emit(jen.Return(v))
		}
	}
	docs := f.Docs
	if strings.TrimSpace(docs) == "" {
		docs = fmt.Sprintf("%s calls the imported function %s.", p.methods[f], f.Name)
		switch f.Kind {
		case wit.Method:
			docs = fmt.Sprintf("%s calls the method %s of the imported resource.", p.methods[f], f.ItemName())
		case wit.Static:
			docs = fmt.Sprintf("%s calls the static function %s of the imported resource.", p.methods[f], f.ItemName())
		case wit.Constructor:
			docs = fmt.Sprintf("%s calls the constructor of the imported resource.", p.methods[f])
		}
	}
	decl := doc(docs).Func()
	if sig.recv != "" {
		decl = decl.Params(jen.Id(sig.recv).Qual(p.importPath(g), g.resourceName(p, f.Resource)))
	}
	p.main.Add(decl.Id(p.methods[f]).Params(sig.params...).Params(sig.results...).Block(fg.stmts...))
	return nil
}

// directArgs sets args to the core arguments of a call whose parameters
// are all scalars, enums, flags or imported handles, converted in place,
// and reports whether it could.
func (fg *fnGen) directArgs(plan *canonabi.Plan, sig *goSignature, args *[]jen.Code) bool {
	var out []jen.Code
	for _, st := range plan.Steps {
		if st.Op != canonabi.OpParam {
			continue
		}
		in, v := st.Body[0], jen.Id(sig.names[st.Index])
		switch {
		case in.Op == canonabi.OpScalar && in.Kind == canonabi.KindBool:
			out = append(out, u32(fg.cabi("Bool").Call(v)))
		case in.Op == canonabi.OpScalar && (in.Kind == canonabi.KindF32 || in.Kind == canonabi.KindF64):
			out = append(out, v)
		case in.Op == canonabi.OpScalar && (in.Kind == canonabi.KindU64 || in.Kind == canonabi.KindS64):
			out = append(out, jen.Uint64().Call(v))
		case in.Op == canonabi.OpScalar, in.Op == canonabi.OpFlags,
			in.Op == canonabi.OpVariant && in.Kind == canonabi.KindEnum:
			out = append(out, u32(v))
		case in.Op == canonabi.OpHandle && (in.Kind == canonabi.KindOwn || in.Kind == canonabi.KindBorrow):
			if _, _, exported, err := fg.resource(in); err != nil || exported {
				return false
			}
			out = append(out, jen.Add(v).Dot("Handle").Call())
		default:
			return false
		}
	}
	*args = append(*args, out...)
	return true
}
