package component

import (
	"fmt"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/wit"
)

// defineExportTypes defines, in the component itself, the types of the
// exported interfaces and functions (records and the like structurally,
// resources as new resource types with the module's destructor), so that
// functions can be lifted with them.
func (n *newState) defineExportTypes(shimInst uint32, dtorSlots map[wit.TypeID]int) error {
	e := n.e
	e.dtors = map[wit.TypeID]uint32{}
	for id, slot := range dtorSlots {
		e.dtors[id] = n.b.aliasCore(shimInst, fmt.Sprint(slot), SortCoreFunc)
	}
	world := n.r.Worlds[n.w]
	// Types of exported interfaces are defined here, not aliased from
	// the world type's exported instances (which the component does not have).
	for _, item := range world.Exports.All() {
		if item.Kind == wit.ItemInterface {
			delete(e.importMap, item.Interface)
		}
	}
	e.concrete, e.inst = true, nil
	n.exportFuncTypes = map[*wit.Function]uint32{}
	for _, item := range world.Exports.All() {
		switch item.Kind {
		case wit.ItemFunction:
			e.inIf = false
			idx, err := e.funcType(item.Function)
			if err != nil {
				return err
			}
			n.exportFuncTypes[item.Function] = idx
		case wit.ItemInterface:
			e.inIf, e.iface = true, item.Interface
			iface := n.r.Interfaces[item.Interface]
			for t := range iface.Types.Values() {
				if _, err := e.valType(wit.Ref(t)); err != nil {
					return err
				}
			}
			for f := range iface.Functions.Values() {
				idx, err := e.funcType(f)
				if err != nil {
					return err
				}
				n.exportFuncTypes[f] = idx
			}
		}
	}
	e.concrete = false
	n.flush()
	return nil
}

// worldExportTypes lists the type index the world type gives each export.
func (n *newState) worldExportTypes() []uint32 {
	var out []uint32
	for _, d := range n.e.outer.decls {
		if d.Kind == DeclExport {
			out = append(out, d.Desc.Index)
		}
	}
	return out
}

// liftExports lifts and exports every world export.
func (n *newState) liftExports() error {
	world := n.r.Worlds[n.w]
	types := n.worldExportTypes()
	i := 0
	for key, item := range world.Exports.All() {
		name, err := worldKeyName(n.r, key)
		if err != nil {
			return err
		}
		switch item.Kind {
		case wit.ItemFunction:
			f, err := n.lift(item.Function)
			if err != nil {
				return err
			}
			n.b.export(name, SortIdx{Sort: SortFunc, Index: f}, nil)
		case wit.ItemInterface:
			inst, err := n.exportBundle(item.Interface)
			if err != nil {
				return fmt.Errorf("export %s: %w", name, err)
			}
			// A bundle carries the world's instance type as its ascribed
			// type; a shim's instance is exported as it is (wasmparser does
			// not accept an abstract resource ascribed to a defined one).
			var desc *ExternDesc
			if !needsShim(n.r.Interfaces[item.Interface]) {
				desc = &ExternDesc{Kind: ExternInstance, Index: types[i]}
			}
			n.b.export(name, SortIdx{Sort: SortInstance, Index: inst}, desc)
		}
		i++
	}
	return nil
}

// exportBundle lifts an interface's functions and bundles them with its
// types into an instance.
func (n *newState) exportBundle(id wit.InterfaceID) (uint32, error) {
	iface := n.r.Interfaces[id]
	if needsShim(iface) {
		var lifted []uint32
		for f := range iface.Functions.Values() {
			idx, err := n.lift(f)
			if err != nil {
				return 0, err
			}
			lifted = append(lifted, idx)
		}
		return n.exportShim(id, lifted)
	}
	var exports []InlineExport
	for name, t := range iface.Types.All() {
		idx, ok := n.e.outer.typeMap[t]
		if !ok {
			// An alias of a primitive (`type x = u32`) has no index yet.
			prim, ok := primitiveBehind(n.r, t)
			if !ok {
				return 0, fmt.Errorf("type %q has no definition", name)
			}
			idx = n.e.outer.defineVal(DefValType{Kind: KindPrim, Prim: primCodes[prim]})
			n.e.outer.typeMap[t] = idx
			n.flush()
		}
		exports = append(exports, InlineExport{Name: ExternName{Name: name}, Item: SortIdx{Sort: SortType, Index: idx}})
	}
	for f := range iface.Functions.Values() {
		idx, err := n.lift(f)
		if err != nil {
			return 0, err
		}
		exports = append(exports, InlineExport{Name: ExternName{Name: f.Name}, Item: SortIdx{Sort: SortFunc, Index: idx}})
	}
	return n.b.instance(Instance{FromExports: true, Exports: exports}), nil
}

// lift canon-lifts the module's export of f.
func (n *newState) lift(f *wit.Function) (uint32, error) {
	c, ok := n.exportForms[f]
	if !ok {
		if c, ok = n.nm.Func(true, f); !ok {
			return 0, fmt.Errorf("no core export for function %q", f.Name)
		}
	}
	sig, err := n.abi.SignatureForm(f, canonabi.Lift, c.ABI)
	if err != nil {
		return 0, err
	}
	want := coreSig(sig)
	core := n.mainExport(c.Field)
	for _, ex := range n.main.Exports {
		if ex.Name == n.coreExports[c.Field] {
			if have, ok := funcTypeOf(n.main, ex.Index); ok && !sameFuncType(have, want) {
				return 0, fmt.Errorf("the module exports %q with type %s, but %s needs %s", c.Field,
					funcTypeString(have), describeFunc(n.r, c), funcTypeString(want))
			}
		}
	}
	var opts []CanonOpt
	if sig.NeedsMemory || sig.NeedsRealloc {
		opts = append(opts, CanonOpt{Kind: OptMemory, Index: n.mainMemory()})
		if sig.NeedsRealloc {
			realloc := n.mainRealloc()
			if realloc == nil {
				return 0, fmt.Errorf("%s takes strings or lists, so the module must export cabi_realloc", describeFunc(n.r, c))
			}
			opts = append(opts, CanonOpt{Kind: OptRealloc, Index: *realloc})
		}
		// As wit-component, a lift of an async function names an encoding
		// only when strings are involved (lifts of sync functions always do).
		if !f.Async || funcHasString(n.r, f) {
			opts = append(opts, n.enc.canonOpt())
		}
	}
	switch c.ABI {
	case canonabi.ABIAsync:
		cb, _ := n.nm.Callback(f)
		opts = append(opts, CanonOpt{Kind: OptAsync}, CanonOpt{Kind: OptCallback, Index: n.mainExport(cb.Field)})
	case canonabi.ABIAsyncStackful:
		opts = append(opts, CanonOpt{Kind: OptAsync})
	default:
		if post, ok := n.nm.PostReturn(f); ok && n.exportsFunc(post.Field) {
			opts = append(opts, CanonOpt{Kind: OptPostReturn, Index: n.mainExport(post.Field)})
		}
	}
	return n.b.canon(Canon{Op: CanonLift, Func: core, Type: n.exportFuncTypes[f], Opts: opts}), nil
}

// primitiveBehind follows aliases from t to a primitive type.
func primitiveBehind(r *wit.Resolve, t wit.TypeID) (wit.Type, bool) {
	for i := 0; i < 100; i++ {
		a, ok := r.Types[t].Kind.(*wit.Alias)
		if !ok {
			return 0, false
		}
		if a.Type.IsPrimitive() {
			return a.Type, true
		}
		if t, ok = a.Type.TypeID(); !ok {
			return 0, false
		}
	}
	return 0, false
}
