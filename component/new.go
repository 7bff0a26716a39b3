package component

import (
	"fmt"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component/wasm"
	"github.com/witgo/witgo/wit"
)

// NewOptions configure New.
type NewOptions struct {
	// Resolve and World select the world; when Resolve is nil the world
	// comes from the module's `component-type` custom section.
	Resolve *wit.Resolve
	World   wit.WorldID
	// Encoding is the string encoding of the module's functions when the
	// world comes from Resolve (an embedded world carries its own).
	Encoding StringEncoding
	// Adapter is the WASI preview1 adapter module (see package
	// component/adapter for its contract); it is needed only when the
	// module imports wasi_snapshot_preview1.
	Adapter []byte
	// AdapterResolve and AdapterWorld describe the adapter's imports when
	// the adapter module carries no component-type section.
	AdapterResolve *wit.Resolve
	AdapterWorld   wit.WorldID
}

// preview1 is the module name of WASI preview1 imports.
const preview1 = "wasi_snapshot_preview1"

// New turns a core module into a component of its world:
//
//   - the world's imports are imported with the types WorldType gives
//     them; every function the module imports is canon-lowered (through
//     the shim table when it needs the module's memory or realloc);
//   - the module is instantiated with those functions, and with the
//     adapter's functions for its wasi_snapshot_preview1 imports;
//   - `_initialize` runs from the start function of a tiny core module
//     instantiated after the fixup module has filled the shim table. A
//     core start runs during instantiation, before the host can reach any
//     export, and unlike a component-level start function it is
//     supported by every runtime (wasmtime and jco reject component start);
//   - a preview1 command (a module exporting `_start`) exports
//     wasi:cli/run, whose run calls `_start` (see new_command.go);
//   - every world export is canon-lifted (realloc, post-return, string
//     encoding as the signature needs) and exported; an exported interface
//     is a bundle of its types and lifted functions, exported with the
//     world's instance type as its ascribed type;
//   - the async ABI (new_async.go): `[async-lower]` imports are lowered
//     with `async`, exports are lifted `async` with their `[callback]` (or
//     stackful, or sync: an async function type allows all three), and the
//     stream, future, task, subtask, waitable-set, context, backpressure
//     and error-context built-ins a module imports are canon definitions
//     with the stream/future type and the options each needs.
//
// Core imports or exports that match nothing in the world are errors
// naming them and what the world expects.
func New(module []byte, opts NewOptions) ([]byte, error) {
	m, err := wasm.DecodeModule(module)
	if err != nil {
		return nil, fmt.Errorf("component new: %w", err)
	}
	r, w, enc := opts.Resolve, opts.World, opts.Encoding
	embedded, err := takeWorldSections(m)
	if err != nil {
		return nil, err
	}
	addExports, err := commandRunExport(m, r, w, embedded)
	if err != nil {
		return nil, err
	}
	if r == nil {
		switch {
		case embedded != nil:
			r, w, enc = embedded.Resolve, embedded.World, embedded.Encoding
		case addExports != nil:
			// A command without a world: it exports wasi:cli/run only.
			r, w, addExports = addExports.Resolve, addExports.World, nil
		default:
			return nil, fmt.Errorf("component new: the module has no component-type custom section; give a world (--wit)")
		}
	}
	renameDuplicateImports(m)
	n := &newState{main: m, enc: enc, b: newCompBuilder(), coreExports: map[string]string{},
		exportForms: map[*wit.Function]*canonabi.CoreName{}}
	var addImports *WorldSection
	if usesPreview1(m) {
		if opts.Adapter == nil {
			return nil, fmt.Errorf("component new: the module imports %s but no adapter was given", preview1)
		}
		if err := n.loadAdapter(opts.Adapter, opts.AdapterResolve, opts.AdapterWorld); err != nil {
			return nil, err
		}
		addImports = n.adapterWorld
	}
	if addImports != nil || addExports != nil {
		if r, w, err = mergeWorld(r, w, addImports, addExports); err != nil {
			return nil, fmt.Errorf("component new: adding the adapter's imports or wasi:cli/run: %w", err)
		}
	}
	n.r, n.w = r, w
	if err := n.build(); err != nil {
		return nil, fmt.Errorf("component new: %w", err)
	}
	return n.b.c.Encode(), nil
}

func usesPreview1(m *wasm.Module) bool {
	for _, im := range m.Imports {
		if im.Module == preview1 {
			return true
		}
	}
	return false
}

// takeWorldSections removes the module's component-type custom sections
// and decodes the first.
func takeWorldSections(m *wasm.Module) (*WorldSection, error) {
	var found *WorldSection
	keep := m.Customs[:0:0]
	remap := map[int]int{}
	for i, c := range m.Customs {
		if len(c.Name) >= len(ComponentTypeSectionPrefix) && c.Name[:len(ComponentTypeSectionPrefix)] == ComponentTypeSectionPrefix {
			if found == nil {
				ws, err := DecodeWorldSection(c.Data)
				if err != nil {
					return nil, fmt.Errorf("component new: custom section %q: %w", c.Name, err)
				}
				found = ws
			}
			continue
		}
		remap[i] = len(keep)
		keep = append(keep, c)
	}
	if len(keep) == len(m.Customs) {
		return found, nil
	}
	var layout []wasm.SectionInfo
	for _, s := range m.Layout {
		if s.ID == wasm.SecCustom {
			j, ok := remap[s.Custom]
			if !ok {
				continue
			}
			s.Custom = j
		}
		layout = append(layout, s)
	}
	m.Customs, m.Layout = keep, layout
	return found, nil
}

// newState carries what New builds.
type newState struct {
	r    *wit.Resolve
	w    wit.WorldID
	enc  StringEncoding
	main *wasm.Module
	b    *compBuilder
	abi  *canonabi.ABI
	nm   *canonabi.Names
	e    *worldEncoder
	wt   *ComponentType
	sent int // world type declarators already replayed into b

	funcImports map[string]uint32 // world-level imported funcs: name -> func index
	instImports map[string]uint32 // imported instances: name -> instance index

	shimSigs []wasm.FuncType
	shimFill []func() (Sort, uint32, error) // what goes in each shim slot, known after instantiation

	mainInst, adapterInst uint32
	memory, realloc       *uint32
	adapterRealloc        *uint32
	aliasedFuncs          map[string]uint32
	exportFuncTypes       map[*wit.Function]uint32
	coreExports           map[string]string // the world's core export name -> the module's

	adapter      *wasm.Module
	adapterWorld *WorldSection

	runField    string // the world's run export served by `_start` (a command), or ""
	runGlueInst uint32 // the glue instance that exports it

	// Async (new_async.go): the world's import-side type indices, the
	// imported instances by interface, the payload-less stream and future
	// types, and the form in which the module exports each async function.
	importTypeMap   map[wit.TypeID]uint32
	importInstances map[wit.InterfaceID]uint32
	unitTypes       map[byte]uint32
	exportForms     map[*wit.Function]*canonabi.CoreName
}

// shimSlot reserves a slot of the shim table with signature sig; fill
// gives the real function once it exists. It returns the index of a slot.
func (n *newState) shimSlot(sig wasm.FuncType, fill func() (Sort, uint32, error)) int {
	n.shimSigs = append(n.shimSigs, sig)
	n.shimFill = append(n.shimFill, fill)
	return len(n.shimSigs) - 1
}

// flush replays the world type's new declarators (not its exports).
func (n *newState) flush() {
	for ; n.sent < len(n.e.outer.decls); n.sent++ {
		d := n.e.outer.decls[n.sent]
		if d.Kind == DeclExport {
			continue
		}
		if d.Kind == DeclImport {
			switch d.Desc.Kind {
			case ExternFunc:
				n.funcImports[d.Name.Name] = n.b.funcs
			case ExternInstance:
				n.instImports[d.Name.Name] = n.b.instances
			}
		}
		n.b.decl(d)
	}
}

func coreSig(s *canonabi.Signature) wasm.FuncType {
	return wasm.FuncType{Params: coreValTypes(s.Params), Results: coreValTypes(s.Results)}
}

func sameFuncType(a, b wasm.FuncType) bool {
	return sameValTypes(a.Params, b.Params) && sameValTypes(a.Results, b.Results)
}

// mainExport aliases the module's export for the world's core export
// name field (the module may name an older compatible version).
func (n *newState) mainExport(field string) uint32 {
	if field == n.runField && field != "" {
		return n.b.aliasCore(n.runGlueInst, "run", SortCoreFunc)
	}
	if name, ok := n.coreExports[field]; ok {
		field = name
	}
	return n.b.aliasCore(n.mainInst, field, SortCoreFunc)
}

// exportsFunc reports whether the module exports the world's core export field.
func (n *newState) exportsFunc(field string) bool {
	_, ok := n.coreExports[field]
	return ok
}
