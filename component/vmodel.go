package component

import "github.com/witgo/witgo/component/wasm"

// The validator resolves type indices into the trees below. Types are
// shared by pointer; a resource's identity is its *resource pointer.

// vtype is a resolved value type.
type vtype struct {
	kind    byte // KindPrim or a DefValType kind
	prim    byte
	fields  []vfield // record fields, variant cases (t nil for no payload)
	elem    *vtype   // list, fixed list, option, stream, future, map key
	val     *vtype   // map value
	ok, err *vtype   // result
	types   []*vtype // tuple
	labels  []string // flags, enum
	length  uint32   // fixed list
	res     *resource
	size    int    // effective size: nodes counted with repetition
	depth   int    // nesting depth, bounded by maxTypeDepth
	borrow  bool   // transitively contains a borrow handle
	hasRes  bool   // transitively contains a handle
	hasStr  bool   // transitively contains a string or list (needs memory)
	owner   *scope // record, variant, enum, flags: the defining scope
	esize   uint64 // cached elemSize, valid when align != 0
	align   uint64
}

type vfield struct {
	name string
	t    *vtype
}

// resource is one resource type. creator is the scope that created it
// (by definition, import or instantiation); local marks a resource
// defined by a resource type in a concrete component.
type resource struct {
	// aliasOf is set for the new type index an import or export of an
	// existing resource makes: the same resource (identity is the root),
	// but named separately for the external-visibility rules.
	aliasOf  *resource
	creator  *scope
	local    bool
	imported bool
	rep      wasm.ValType
}

// root is the resource that r is or aliases.
func (r *resource) root() *resource {
	for r.aliasOf != nil {
		r = r.aliasOf
	}
	return r
}

type funcT struct {
	async  bool
	params []vfield
	result *vtype
	size   int
	hasRes bool // refers to a resource
}

type namedExt struct {
	name string
	t    externT
}

// compT is a component type. imported lists the abstract resources its
// imports introduce (bound by instantiation); defined the resources its
// exports introduce (fresh on each instantiation).
type compT struct {
	imports  []namedExt
	exports  []namedExt
	imported []*resource
	defined  []*resource
	size     int
	hasRes   bool // refers to a resource
}

// instT is an instance type; defined are the resources its exports
// introduce (fresh for each import of the type).
type instT struct {
	exports []namedExt
	defined []*resource
	size    int
	hasRes  bool // refers to a resource
}

// refersToRes reports whether an item type mentions any resource;
// substitution skips the parts that do not.
func (e externT) refersToRes() bool {
	switch e.kind {
	case ExternFunc:
		return e.fn.hasRes
	case ExternValue:
		return e.val.hasRes
	case ExternType:
		te := e.ty
		return te.res != nil || (te.val != nil && te.val.hasRes) || (te.fn != nil && te.fn.hasRes) ||
			(te.comp != nil && te.comp.hasRes) || (te.inst != nil && te.inst.hasRes)
	case ExternComponent:
		return e.comp.hasRes
	case ExternInstance:
		return e.inst.hasRes
	}
	return false
}

func anyRes(lists ...[]namedExt) bool {
	for _, l := range lists {
		for _, e := range l {
			if e.t.refersToRes() {
				return true
			}
		}
	}
	return false
}

func (t *instT) export(name string) (externT, bool) {
	for _, e := range t.exports {
		if e.name == name {
			return e.t, true
		}
	}
	return externT{}, false
}

// typeEntry is an entry of the type index space.
type typeEntry struct {
	val  *vtype
	fn   *funcT
	comp *compT
	inst *instT
	res  *resource
}

func (e typeEntry) size() int {
	switch {
	case e.val != nil:
		return e.val.size
	case e.fn != nil:
		return e.fn.size
	case e.comp != nil:
		return e.comp.size
	case e.inst != nil:
		return e.inst.size
	}
	return 1
}

func (e typeEntry) describe() string {
	switch {
	case e.val != nil:
		return "defined type"
	case e.fn != nil:
		return "func type"
	case e.comp != nil:
		return "component type"
	case e.inst != nil:
		return "instance type"
	}
	return "resource"
}

// externT is the type of an import, export or instance item.
type externT struct {
	kind   byte // ExternModule, ExternFunc, ...
	module *moduleT
	fn     *funcT
	val    *vtype
	ty     typeEntry
	comp   *compT
	inst   *instT
}

func (e externT) size() int {
	switch e.kind {
	case ExternModule:
		return e.module.size
	case ExternFunc:
		return e.fn.size
	case ExternValue:
		return e.val.size
	case ExternType:
		return e.ty.size()
	case ExternComponent:
		return e.comp.size
	}
	return e.inst.size
}

var externKindNames = [6]string{"module", "func", "value", "type", "component", "instance"}

// Core types.

type coreExtern struct {
	kind   byte
	fn     *wasm.FuncType // func and tag
	table  wasm.TableType
	mem    wasm.MemType
	global wasm.GlobalType
}

type coreImport struct {
	module, name string
	t            coreExtern
}

type coreExport struct {
	name string
	t    coreExtern
}

type moduleT struct {
	imports []coreImport
	exports []coreExport
	size    int
}

type coreInstT struct {
	exports []coreExport
}

func (t *coreInstT) export(name string) (coreExtern, bool) {
	for _, e := range t.exports {
		if e.name == name {
			return e.t, true
		}
	}
	return coreExtern{}, false
}

// coreTypeEntry is an entry of the core type index space.
type coreTypeEntry struct {
	fn     *wasm.FuncType // nil for struct/array types and module types
	module *moduleT
}

var coreKindNames = [5]string{"func", "table", "memory", "global", "tag"}
