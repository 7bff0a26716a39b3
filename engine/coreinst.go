package engine

import (
	"context"
	"fmt"
	"sort"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/component/wasm"
)

// coreInstance evaluates one core instance definition. Every instantiated
// module gets a unique name in wazero's store so that glue modules can
// import from it; the module's own imports are resolved per instantiation
// by an import resolver that maps its import module names to the argument
// instances.
func (t *Instance) coreInstance(ctx context.Context, s *scope, in *component.CoreInstance) (*coreInst, error) {
	if in.FromExports {
		ci := &coreInst{bundle: map[string]coreExt{}}
		for _, ex := range in.Exports {
			it, err := s.get(ex.Sort, ex.Idx)
			if err != nil {
				return nil, err
			}
			x, ok := it.v.(coreExt)
			if !ok {
				return nil, errorf("core export %q is not a core item", ex.Name)
			}
			ci.bundle[ex.Name] = x
		}
		return ci, nil
	}
	md, err := at(s.modules, in.Module, component.SortCoreModule)
	if err != nil {
		return nil, err
	}
	args := map[string]api.Module{}
	for _, a := range in.Args {
		arg, err := at(s.coreInsts, a.Instance, component.SortCoreInstance)
		if err != nil {
			return nil, err
		}
		m, err := t.asModule(ctx, arg)
		if err != nil {
			return nil, err
		}
		args[a.Name] = m
	}
	for _, im := range md.ast.Imports {
		if args[im.Module] == nil {
			return nil, &LinkError{Name: im.Module + "." + im.Name, Reason: "core module import has no argument"}
		}
	}
	name := t.engine.uniqueName("m")
	rctx := experimental.WithImportResolver(ctx, func(n string) api.Module {
		if n == emptyModuleName {
			n = ""
		}
		return args[n]
	})
	mod, err := t.engine.rt.InstantiateModule(rctx, md.compiled, wazero.NewModuleConfig().WithName(name).WithStartFunctions())
	if err != nil {
		return nil, trapOrErr(err)
	}
	t.modules = append(t.modules, mod)
	return &coreInst{mod: mod, modName: name, ast: md.ast}, nil
}

// asModule returns a wasm module that exports what ci exports: the module
// itself, or for a bundle a generated glue module that imports each item
// from where it lives and re-exports it under the bundle's name; host
// functions (trampolines) become functions of the glue that call their
// signature's dispatcher with their id. Glue imports its sources under
// positional names resolved per instantiation, so its bytes, and its
// compilation, are shared by every instance of the component.
func (t *Instance) asModule(ctx context.Context, ci *coreInst) (api.Module, error) {
	if ci.mod != nil {
		return ci.mod, nil
	}
	if ci.glue != nil {
		return ci.glue, nil
	}
	names := make([]string, 0, len(ci.bundle))
	for n := range ci.bundle {
		names = append(names, n)
	}
	sort.Strings(names)
	g := glueBuilder{b: wasm.NewBuilder(), sources: map[api.Module]string{}, srcMods: map[string]api.Module{}, dispatch: map[string]uint32{}}
	idx := make([]uint32, len(names))
	directs := make([]directImports, len(names))
	for i, n := range names { // imports first: the builder wants them before definitions
		x := ci.bundle[n]
		var err error
		switch {
		case x.direct != nil:
			directs[i], err = g.importDirect(ctx, t.engine, x.direct)
		case x.tramp != nil:
			idx[i], err = g.dispatcher(ctx, t.engine, x.tramp)
		default:
			idx[i], err = g.importItem(x)
		}
		if err != nil {
			return nil, err
		}
	}
	type idGlobal struct {
		name string
		id   uint32
	}
	var ids []idGlobal
	for i, n := range names {
		x := ci.bundle[n]
		if x.direct != nil {
			idx[i] = g.directFunc(directs[i])
		}
		if x.tramp != nil {
			gname := fmt.Sprintf("witgo-id-%d", len(ids))
			idx[i] = g.trampolineFunc(x.tramp, idx[i], gname)
			ids = append(ids, idGlobal{gname, x.tramp.id})
		}
		g.b.Export(n, x.kind, idx[i])
	}
	m, err := g.b.Build()
	if err != nil {
		return nil, errorf("glue module: %v", err)
	}
	cm, err := t.engine.glueModule(ctx, m)
	if err != nil {
		return nil, err
	}
	rctx := experimental.WithImportResolver(ctx, func(n string) api.Module { return g.srcMods[n] })
	mod, err := t.engine.rt.InstantiateModule(rctx, cm, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	if err != nil {
		return nil, errorf("glue module: %v", err)
	}
	t.modules = append(t.modules, mod)
	for _, id := range ids {
		mg, ok := mod.ExportedGlobal(id.name).(api.MutableGlobal)
		if !ok {
			return nil, errorf("glue module: id global %s missing", id.name)
		}
		mg.Set(uint64(id.id))
	}
	ci.glue = mod
	return mod, nil
}

// glueBuilder assembles one glue module.
type glueBuilder struct {
	b        *wasm.Builder
	sources  map[api.Module]string
	srcMods  map[string]api.Module
	dispatch map[string]uint32 // signature -> imported dispatcher index
	trap     *uint32           // the imported trap function, once imported
}

func (g *glueBuilder) source(m api.Module) string {
	if n, ok := g.sources[m]; ok {
		return n
	}
	n := fmt.Sprintf("s%d", len(g.sources))
	g.sources[m] = n
	g.srcMods[n] = m
	return n
}

func (g *glueBuilder) importItem(x coreExt) (uint32, error) {
	b, src := g.b, g.source(x.mod)
	switch x.kind {
	case wasm.ExternFunc:
		d, ok := x.mod.ExportedFunctionDefinitions()[x.name]
		if !ok {
			return 0, errorf("module has no function %q", x.name)
		}
		return b.ImportFunc(src, x.name, b.FuncType(valTypes(d.ParamTypes()), valTypes(d.ResultTypes()))), nil
	case wasm.ExternMemory:
		d, ok := x.mod.ExportedMemoryDefinitions()[x.name]
		if !ok {
			return 0, errorf("module has no memory %q", x.name)
		}
		lim := wasm.Limits{Min: uint64(d.Min())}
		if m, ok := d.Max(); ok {
			lim.Flags, lim.Max = 1, uint64(m)
		}
		return b.ImportMemory(src, x.name, wasm.MemType{Limits: lim}), nil
	case wasm.ExternGlobal:
		gl := x.mod.ExportedGlobal(x.name)
		if gl == nil {
			return 0, errorf("module has no global %q", x.name)
		}
		gt := wasm.GlobalType{Val: wasm.V(byte(gl.Type()))}
		if _, mut := gl.(api.MutableGlobal); mut {
			gt.Flags = 1
		}
		return b.ImportGlobal(src, x.name, gt), nil
	case wasm.ExternTable:
		tt := x.table
		tt.Limits.Flags &^= 1 // the table may have grown: ask only for its minimum
		return b.ImportTable(src, x.name, tt), nil
	}
	return 0, unsupported("core tags")
}

// dispatcher imports the dispatcher of tr's signature (once per glue).
func (g *glueBuilder) dispatcher(ctx context.Context, e *Engine, tr *trampoline) (uint32, error) {
	key := sigKey(tr.params, tr.results)
	if i, ok := g.dispatch[key]; ok {
		return i, nil
	}
	name, err := e.dispatcher(ctx, tr.params, tr.results)
	if err != nil {
		return 0, err
	}
	withID := append([]wasm.ValType{wasm.V(wasm.I32)}, valTypes(tr.params)...)
	i := g.b.ImportFunc(name, "d", g.b.FuncType(withID, valTypes(tr.results)))
	g.dispatch[key] = i
	return i, nil
}

// trampolineFunc defines f(params) = dispatcher(id, params) with id in a
// mutable global exported as gname, and returns f's index.
func (g *glueBuilder) trampolineFunc(tr *trampoline, dispatcher uint32, gname string) uint32 {
	b := g.b
	gi := b.Global(wasm.GlobalType{Val: wasm.V(wasm.I32), Flags: 1}, wasm.I32Const(0))
	b.Export(gname, wasm.ExternGlobal, gi)
	body := []byte{0x23}
	body = binioU32(body, gi)
	for i := range tr.params {
		body = append(body, 0x20)
		body = binioU32(body, uint32(i))
	}
	body = append(body, 0x10)
	body = binioU32(body, dispatcher)
	return b.Func(b.FuncType(valTypes(tr.params), valTypes(tr.results)), nil, body)
}

// binioU32 appends v as unsigned LEB128.
func binioU32(b []byte, v uint32) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func valTypes(ts []api.ValueType) []wasm.ValType {
	out := make([]wasm.ValType, len(ts))
	for i, v := range ts {
		out[i] = wasm.V(byte(v))
	}
	return out
}

// function returns a callable api.Function for x. wazero does not let
// host modules' functions be called directly, so those go through a glue
// module that re-exports them.
func (t *Instance) function(ctx context.Context, x coreExt) (api.Function, error) {
	if x.tramp != nil || x.direct != nil {
		g, err := t.asModule(ctx, &coreInst{bundle: map[string]coreExt{"f": x}})
		if err != nil {
			return nil, err
		}
		return g.ExportedFunction("f"), nil
	}
	f := x.mod.ExportedFunction(x.name)
	if f == nil {
		return nil, errorf("core function %q not found", x.name)
	}
	return f, nil
}
