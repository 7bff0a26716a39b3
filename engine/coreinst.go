package engine

import (
	"context"
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
// itself, or for a bundle a generated module that imports each item from
// where it lives and re-exports it under the bundle's name.
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
	b := wasm.NewBuilder()
	for _, n := range names {
		x := ci.bundle[n]
		var idx uint32
		switch x.kind {
		case wasm.ExternFunc:
			d, ok := x.mod.ExportedFunctionDefinitions()[x.name]
			if !ok {
				return nil, errorf("module has no function %q", x.name)
			}
			idx = b.ImportFunc(x.modName, x.name, b.FuncType(valTypes(d.ParamTypes()), valTypes(d.ResultTypes())))
		case wasm.ExternMemory:
			d, ok := x.mod.ExportedMemoryDefinitions()[x.name]
			if !ok {
				return nil, errorf("module has no memory %q", x.name)
			}
			lim := wasm.Limits{Min: uint64(d.Min())}
			if m, ok := d.Max(); ok {
				lim.Flags, lim.Max = 1, uint64(m)
			}
			idx = b.ImportMemory(x.modName, x.name, wasm.MemType{Limits: lim})
		case wasm.ExternGlobal:
			g := x.mod.ExportedGlobal(x.name)
			if g == nil {
				return nil, errorf("module has no global %q", x.name)
			}
			gt := wasm.GlobalType{Val: wasm.V(byte(g.Type()))}
			if _, mut := g.(api.MutableGlobal); mut {
				gt.Flags = 1
			}
			idx = b.ImportGlobal(x.modName, x.name, gt)
		case wasm.ExternTable:
			tt := x.table
			tt.Limits.Flags &^= 1 // the table may have grown: ask only for its minimum
			idx = b.ImportTable(x.modName, x.name, tt)
		default:
			return nil, unsupported("core tags")
		}
		b.Export(n, x.kind, idx)
	}
	m, err := b.Build()
	if err != nil {
		return nil, errorf("glue module: %v", err)
	}
	cm, err := t.engine.glueModule(ctx, m)
	if err != nil {
		return nil, err
	}
	mod, err := t.engine.rt.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName(t.engine.uniqueName("g")).WithStartFunctions())
	if err != nil {
		return nil, errorf("glue module: %v", err)
	}
	t.modules = append(t.modules, mod)
	ci.glue = mod
	return mod, nil
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
	if x.host {
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
