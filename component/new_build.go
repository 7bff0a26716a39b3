package component

import (
	"fmt"
	"strings"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component/wasm"
	"github.com/witgo/witgo/wit"
)

// coreArgs collects the exports of the core instances a module is
// instantiated with, one per import module name, in first-use order.
type coreArgs struct {
	order []string
	items map[string][]CoreInlineExport
	seen  map[[2]string]bool
}

func newCoreArgs() *coreArgs {
	return &coreArgs{items: map[string][]CoreInlineExport{}, seen: map[[2]string]bool{}}
}

// add records field of module; a duplicate import (Go imports fd_write
// twice) is satisfied by the first.
func (a *coreArgs) add(module, field string, sort Sort, idx uint32) {
	k := [2]string{module, field}
	if a.seen[k] {
		return
	}
	a.seen[k] = true
	if _, ok := a.items[module]; !ok {
		a.order = append(a.order, module)
	}
	a.items[module] = append(a.items[module], CoreInlineExport{Name: field, Sort: sort, Idx: idx})
}

// instantiate bundles each module's exports and instantiates mod with them.
func (a *coreArgs) instantiate(b *compBuilder, mod uint32) uint32 {
	var args []CoreInstantiateArg
	for _, module := range a.order {
		args = append(args, CoreInstantiateArg{Name: module, Instance: b.coreBundle(a.items[module])})
	}
	return b.instantiate(mod, args)
}

// importUse is a core import of the main module or the adapter resolved
// against the world; emit adds it to args once the shim instance exists.
type importUse struct {
	im   wasm.Import
	name *canonabi.CoreName
	slot int // shim slot, or -1 when bound directly
}

func (n *newState) build() error {
	n.abi = canonabi.New(n.r)
	nm, err := n.abi.Names(n.w, canonabi.Legacy)
	if err != nil {
		return err
	}
	n.nm = nm
	n.e = newWorldEncoder(n.r)
	if err := n.e.world(n.w); err != nil {
		return err
	}
	n.funcImports, n.instImports = map[string]uint32{}, map[string]uint32{}
	mainUses, p1, err := n.planImports(n.main, "module", true)
	if err != nil {
		return err
	}
	exports, err := n.checkExports()
	if err != nil {
		return err
	}
	var adapterUses []importUse
	if n.adapter != nil {
		if adapterUses, _, err = n.planImports(n.adapter, "adapter", false); err != nil {
			return err
		}
	}
	// Main's preview1 imports and the exported resources' destructors go
	// through the shim too.
	p1Slots, err := n.planPreview1(p1)
	if err != nil {
		return err
	}
	dtorSlots := n.planDtors(exports)

	b := n.b
	shimInst := uint32(0)
	if len(n.shimSigs) > 0 {
		shim, err := shimModule(n.shimSigs)
		if err != nil {
			return err
		}
		shimInst = b.instantiate(b.coreModule(shim), nil)
	}
	n.flush()
	n.snapshotImportTypes()
	if err := n.defineExportTypes(shimInst, dtorSlots); err != nil {
		return err
	}
	mainMod := b.coreModule(n.main)
	args := newCoreArgs()
	for _, u := range mainUses {
		if err := n.bindImport(args, u, shimInst); err != nil {
			return err
		}
	}
	for _, s := range p1Slots {
		args.add(preview1, s.field, SortCoreFunc, b.aliasCore(shimInst, fmt.Sprint(s.slot), SortCoreFunc))
	}
	mainInst := args.instantiate(b, mainMod)
	n.mainInst = mainInst
	if n.adapter != nil {
		aargs := newCoreArgs()
		aargs.add("env", "memory", SortCoreMemory, n.mainMemory())
		for _, u := range adapterUses {
			if err := n.bindImport(aargs, u, shimInst); err != nil {
				return err
			}
		}
		n.adapterInst = aargs.instantiate(b, b.coreModule(n.adapter))
	}
	if len(n.shimSigs) > 0 {
		if err := n.fixup(shimInst); err != nil {
			return err
		}
	}
	if n.runField != "" {
		if err := n.instantiateRunGlue(); err != nil {
			return err
		}
	}
	// A command initializes itself in `_start` (see new_command.go).
	if hasExport(n.main, "_initialize", wasm.ExternFunc) && !isCommand(n.main) {
		init, err := initModule()
		if err != nil {
			return err
		}
		bundle := b.coreBundle([]CoreInlineExport{{Name: "", Sort: SortCoreFunc, Idx: b.aliasCore(mainInst, "_initialize", SortCoreFunc)}})
		b.instantiate(b.coreModule(init), []CoreInstantiateArg{{Name: "", Instance: bundle}})
	}
	return n.liftExports()
}

func hasExport(m *wasm.Module, name string, kind byte) bool {
	for _, e := range m.Exports {
		if e.Name == name && e.Kind == kind {
			return true
		}
	}
	return false
}

// mainMemory aliases the main module's memory once.
func (n *newState) mainMemory() uint32 {
	if n.memory == nil {
		idx := n.b.aliasCore(n.mainInst, "memory", SortCoreMemory)
		n.memory = &idx
	}
	return *n.memory
}

// importedFunc is the component func of an imported world function.
func (n *newState) importedFunc(c *canonabi.CoreName) (uint32, error) {
	key, err := worldKeyName(n.r, c.Key)
	if err != nil {
		return 0, err
	}
	if !c.HasInterface {
		idx, ok := n.funcImports[key]
		if !ok {
			return 0, fmt.Errorf("world function %q is not imported", key)
		}
		return idx, nil
	}
	inst, ok := n.instImports[key]
	if !ok {
		return 0, fmt.Errorf("interface %q is not imported", key)
	}
	k := key + "#" + c.Function.Name
	if idx, ok := n.aliasedFuncs[k]; ok {
		return idx, nil
	}
	idx := n.b.alias(Alias{Sort: SortFunc, Kind: AliasExport, Instance: inst, Name: c.Function.Name})
	if n.aliasedFuncs == nil {
		n.aliasedFuncs = map[string]uint32{}
	}
	n.aliasedFuncs[k] = idx
	return idx, nil
}

// resourceType is the component type index of a resource of the world
// (imported: aliased from its instance; exported: defined here).
func (n *newState) resourceType(c *canonabi.CoreName) (uint32, error) {
	e := n.e
	if c.Exported {
		idx, ok := e.outer.typeMap[c.Resource]
		if !ok {
			return 0, fmt.Errorf("exported resource %q has no type", n.r.Types[c.Resource].Name)
		}
		return idx, nil
	}
	e.inIf, e.inst, e.concrete = false, nil, false
	vt, err := e.valType(wit.Ref(c.Resource))
	n.flush()
	return vt.Idx, err
}

// lower canon-lowers an imported world function with the options its
// signature needs; realloc is the realloc core func to use.
func (n *newState) lower(c *canonabi.CoreName, memory, realloc *uint32) (uint32, error) {
	f, err := n.importedFunc(c)
	if err != nil {
		return 0, err
	}
	sig, err := n.abi.SignatureForm(c.Function, canonabi.Lower, c.ABI)
	if err != nil {
		return 0, err
	}
	var opts []CanonOpt
	if c.ABI == canonabi.ABIAsync {
		opts = append(opts, CanonOpt{Kind: OptAsync})
	}
	if sig.NeedsMemory || sig.NeedsRealloc {
		if memory == nil {
			return 0, fmt.Errorf("%s needs a memory", c)
		}
		opts = append(opts, CanonOpt{Kind: OptMemory, Index: *memory})
		if sig.NeedsRealloc {
			if realloc == nil {
				return 0, fmt.Errorf("%s needs a realloc function: the module does not export cabi_realloc", c)
			}
			opts = append(opts, CanonOpt{Kind: OptRealloc, Index: *realloc})
		}
		// As wit-component, a lower of an async function names an encoding
		// only when strings are involved (lowers of sync functions always do).
		if !c.Function.Async || funcHasString(n.r, c.Function) {
			opts = append(opts, n.enc.canonOpt())
		}
	}
	return n.b.canon(Canon{Op: CanonLower, Func: f, Opts: opts}), nil
}

// bindImport adds the core function for one import to args: a shim stub
// or a direct canonical definition.
func (n *newState) bindImport(args *coreArgs, u importUse, shimInst uint32) error {
	if args.seen[[2]string{u.im.Module, u.im.Name}] {
		return nil
	}
	if u.slot >= 0 {
		args.add(u.im.Module, u.im.Name, SortCoreFunc, n.b.aliasCore(shimInst, fmt.Sprint(u.slot), SortCoreFunc))
		return nil
	}
	idx, err := n.defineImport(u.name, nil, nil)
	if err != nil {
		return err
	}
	args.add(u.im.Module, u.im.Name, SortCoreFunc, idx)
	return nil
}

// fixup fills the shim table.
func (n *newState) fixup(shimInst uint32) error {
	var exports []CoreInlineExport
	for i, fill := range n.shimFill {
		sort, idx, err := fill()
		if err != nil {
			return err
		}
		exports = append(exports, CoreInlineExport{Name: fmt.Sprint(i), Sort: sort, Idx: idx})
	}
	table := n.b.aliasCore(shimInst, shimTableName, SortCoreTable)
	exports = append(exports, CoreInlineExport{Name: shimTableName, Sort: SortCoreTable, Idx: table})
	fix, err := fixupModule(n.shimSigs)
	if err != nil {
		return err
	}
	n.b.instantiate(n.b.coreModule(fix), []CoreInstantiateArg{{Name: "", Instance: n.b.coreBundle(exports)}})
	return nil
}

func (n *newState) mainRealloc() *uint32 {
	if !hasExport(n.main, "cabi_realloc", wasm.ExternFunc) {
		return nil
	}
	if n.realloc == nil {
		idx := n.b.aliasCore(n.mainInst, "cabi_realloc", SortCoreFunc)
		n.realloc = &idx
	}
	return n.realloc
}

func isPreview1(module string) bool { return strings.EqualFold(module, preview1) }
