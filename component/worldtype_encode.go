package component

import (
	"fmt"
	"slices"
	"strings"

	"github.com/witgo/witgo/component/wasm"
	"github.com/witgo/witgo/wit"
)

// WorldType encodes world w of r as a component type: the type that
// wit-component gives a world. Imported interfaces become imported
// instance types, world functions imported or exported funcs, exported
// interfaces exported instance types. Types an interface `use`s from
// another are aliased from that interface's instance (alias export in
// the world type, then alias outer inside the instance type), named
// types are exported from their instance with (eq i), and function types
// are shared between functions of the same shape.
func WorldType(r *wit.Resolve, w wit.WorldID) (*ComponentType, error) {
	e := newWorldEncoder(r)
	if err := e.world(w); err != nil {
		return nil, err
	}
	return &ComponentType{Decls: e.outer.decls}, nil
}

func newWorldEncoder(r *wit.Resolve) *worldEncoder {
	return &worldEncoder{r: r, outer: newDeclScope(), importMap: map[wit.InterfaceID]uint32{},
		outerTypes: map[wit.TypeID]uint32{}}
}

// world encodes the imports and then the exports of world w into e.outer.
func (e *worldEncoder) world(w wit.WorldID) error {
	if int(w) < 0 || int(w) >= len(e.r.Worlds) {
		return fmt.Errorf("component: world #%d does not exist", w)
	}
	world := e.r.Worlds[w]
	for key, item := range world.Imports.All() {
		if err := e.item(key, item, true); err != nil {
			return err
		}
	}
	for key, item := range world.Exports.All() {
		if err := e.item(key, item, false); err != nil {
			return err
		}
	}
	return nil
}

// declScope is one component or instance type being built, with the
// bookkeeping of its type index space.
type declScope struct {
	decls     []Decl
	typeCount uint32
	typeMap   map[wit.TypeID]uint32
	funcMap   map[string]uint32
}

func newDeclScope() *declScope {
	return &declScope{typeMap: map[wit.TypeID]uint32{}, funcMap: map[string]uint32{}}
}

func (s *declScope) define(t Type) uint32 {
	s.decls = append(s.decls, Decl{Kind: DeclType, Type: &t})
	s.typeCount++
	return s.typeCount - 1
}

func (s *declScope) defineVal(d DefValType) uint32 {
	return s.define(Type{Kind: d.Kind, Val: &d})
}

// extern adds an import or export declarator; a type import or export
// adds a type index, which it returns.
func (s *declScope) extern(kind byte, name string, desc ExternDesc) uint32 {
	s.decls = append(s.decls, Decl{Kind: kind, Name: ExternName{Name: name}, Desc: desc})
	if desc.Kind == ExternType {
		s.typeCount++
		return s.typeCount - 1
	}
	return 0
}

type worldEncoder struct {
	r     *wit.Resolve
	outer *declScope
	inst  *declScope // the instance type being built, nil at world level
	iface wit.InterfaceID
	inIf  bool // encoding an interface (iface is valid)
	// importTypes: world-level named types are imported rather than exported.
	importTypes bool
	importMap   map[wit.InterfaceID]uint32 // interface -> its instance index in the world type
	outerTypes  map[wit.TypeID]uint32      // types aliased out of instances into the world type
	instances   uint32
	// concrete: define types in a concrete component rather than a type:
	// named types stay anonymous definitions (the caller exports them),
	// resources are defined with rep i32 and the destructor in dtors.
	concrete bool
	dtors    map[wit.TypeID]uint32
	// shim: named types are imported under unique names (the first half
	// of an export shim component, new_shim.go).
	shim *shimImports
}

func (e *worldEncoder) cur() *declScope {
	if e.inst != nil {
		return e.inst
	}
	return e.outer
}

func (e *worldEncoder) item(key wit.WorldKey, item *wit.WorldItem, imported bool) error {
	name, err := worldKeyName(e.r, key)
	if err != nil {
		return err
	}
	kind := byte(DeclExport)
	if imported {
		kind = DeclImport
	}
	switch item.Kind {
	case wit.ItemInterface:
		e.inIf, e.iface = true, item.Interface
		idx, err := e.instance(item.Interface)
		if err != nil {
			return err
		}
		e.outer.extern(kind, name, ExternDesc{Kind: ExternInstance, Index: idx})
	case wit.ItemFunction:
		e.inIf = false
		idx, err := e.funcType(item.Function)
		if err != nil {
			return err
		}
		e.outer.extern(kind, name, ExternDesc{Kind: ExternFunc, Index: idx})
	case wit.ItemType:
		if !imported {
			return fmt.Errorf("component: world exports type %q, which WIT does not allow", name)
		}
		e.inIf, e.importTypes = false, true
		_, err := e.valType(wit.Ref(item.Type))
		e.importTypes = false
		return err
	}
	return nil
}

// worldKeyName is the extern name of a world item: `ns:pkg/i@v` for an
// interface by identity, its plain name otherwise.
func worldKeyName(r *wit.Resolve, key wit.WorldKey) (string, error) {
	if !key.IsInterface() {
		return key.Name, nil
	}
	if int(key.Interface) < 0 || int(key.Interface) >= len(r.Interfaces) {
		return "", fmt.Errorf("component: interface #%d does not exist", key.Interface)
	}
	name := r.InterfaceName(key.Interface)
	if !strings.Contains(name, "/") {
		return "", fmt.Errorf("component: interface %q has no package-qualified name", name)
	}
	return name, nil
}

// instance encodes an interface as an instance type in the world type.
func (e *worldEncoder) instance(id wit.InterfaceID) (uint32, error) {
	iface := e.r.Interfaces[id]
	e.inst = newDeclScope()
	order := map[wit.TypeID]int{}
	for t := range iface.Types.Values() {
		if _, err := e.valType(wit.Ref(t)); err != nil {
			return 0, err
		}
		order[t] = len(order)
	}
	// Each resource's functions in the order of the resources, then the
	// freestanding functions (a stable sort), as wit-component writes them.
	funcs := slices.Collect(iface.Functions.Values())
	slices.SortStableFunc(funcs, func(a, b *wit.Function) int {
		return resourceOrder(order, a) - resourceOrder(order, b)
	})
	for _, f := range funcs {
		idx, err := e.funcType(f)
		if err != nil {
			return 0, err
		}
		e.inst.extern(DeclExport, f.Name, ExternDesc{Kind: ExternFunc, Index: idx})
	}
	it := &InstanceType{Decls: e.inst.decls}
	e.inst = nil
	idx := e.outer.define(Type{Kind: KindInstance, Instance: it})
	e.importMap[id] = e.instances
	e.instances++
	return idx, nil
}

func resourceOrder(order map[wit.TypeID]int, f *wit.Function) int {
	if i, ok := order[f.Resource]; ok && f.Kind != wit.Freestanding {
		return i
	}
	return len(order)
}

func (e *worldEncoder) funcType(f *wit.Function) (uint32, error) {
	s := e.cur()
	var key strings.Builder
	fmt.Fprintf(&key, "%v|", f.Async)
	for _, p := range f.Params {
		fmt.Fprintf(&key, "%s:%d,", p.Name, p.Type)
	}
	fmt.Fprintf(&key, "->%d", f.Result)
	if idx, ok := s.funcMap[key.String()]; ok {
		return idx, nil
	}
	ft := &FuncType{Async: f.Async}
	for _, p := range f.Params {
		vt, err := e.valType(p.Type)
		if err != nil {
			return 0, fmt.Errorf("function %s: %w", f.Name, err)
		}
		ft.Params = append(ft.Params, Field{Name: p.Name, Type: vt})
	}
	if f.Result != wit.NoType {
		vt, err := e.valType(f.Result)
		if err != nil {
			return 0, fmt.Errorf("function %s: %w", f.Name, err)
		}
		ft.Result = &vt
	}
	kind := byte(KindFunc)
	if f.Async {
		kind = KindAsyncFunc
	}
	idx := s.define(Type{Kind: kind, Func: ft})
	s.funcMap[key.String()] = idx
	return idx, nil
}

var primCodes = map[wit.Type]byte{
	wit.Bool: Bool, wit.U8: U8, wit.U16: U16, wit.U32: U32, wit.U64: U64,
	wit.S8: S8, wit.S16: S16, wit.S32: S32, wit.S64: S64, wit.F32: F32, wit.F64: F64,
	wit.Char: Char, wit.String: String, wit.ErrorContext: ErrorContext,
}

// valType encodes a WIT type in the current scope and returns its value type.
func (e *worldEncoder) valType(t wit.Type) (ValType, error) {
	if t.IsPrimitive() {
		return Prim(primCodes[t]), nil
	}
	id, ok := t.TypeID()
	if !ok || int(id) >= len(e.r.Types) || e.r.Types[id] == nil {
		return ValType{}, fmt.Errorf("component: type %d does not exist", t)
	}
	s := e.cur()
	if idx, ok := s.typeMap[id]; ok {
		return TypeRef(idx), nil
	}
	td := e.r.Types[id]
	if idx, ok := e.maybeImportType(id, td); ok {
		s.typeMap[id] = idx
		return TypeRef(idx), nil
	}
	if _, ok := td.Kind.(*wit.Resource); ok {
		if td.Name == "" {
			return ValType{}, fmt.Errorf("component: resource type %d has no name", id)
		}
		var idx uint32
		if e.shim != nil {
			idx = e.shim.add(e.outer, id, td.Name, ExternDesc{Kind: ExternType, Bound: 1})
		} else if e.concrete {
			rt := &ResourceType{Rep: wasm.V(wasm.I32)}
			if d, ok := e.dtors[id]; ok {
				rt.Dtor = &d
			}
			idx = s.define(Type{Kind: KindResource, Resource: rt})
		} else {
			idx = e.exportType(td.Name, ExternDesc{Kind: ExternType, Bound: 1})
		}
		s.typeMap[id] = idx
		return TypeRef(idx), nil
	}
	vt, err := e.defType(td)
	if err != nil {
		return ValType{}, err
	}
	if td.Name != "" && !e.concrete {
		idx := vt.Idx
		if vt.Prim != 0 {
			idx = s.defineVal(DefValType{Kind: KindPrim, Prim: vt.Prim})
		}
		if e.shim != nil {
			vt = TypeRef(e.shim.add(e.outer, id, td.Name, ExternDesc{Kind: ExternType, Index: idx}))
		} else {
			vt = TypeRef(e.exportType(td.Name, ExternDesc{Kind: ExternType, Index: idx}))
		}
	}
	if vt.Prim == 0 {
		s.typeMap[id] = vt.Idx
	}
	return vt, nil
}

// maybeImportType aliases a named type owned by another interface than
// the one being encoded (or by any interface at world level).
func (e *worldEncoder) maybeImportType(id wit.TypeID, td *wit.TypeDef) (uint32, bool) {
	if e.shim != nil || td.Owner.Kind != wit.OwnerInterface || (e.inIf && td.Owner.Interface == e.iface) {
		return 0, false
	}
	inst, ok := e.importMap[td.Owner.Interface]
	if !ok {
		return 0, false
	}
	outerIdx, ok := e.outerTypes[id]
	if !ok {
		e.outer.decls = append(e.outer.decls, Decl{Kind: DeclAlias,
			Alias: &Alias{Sort: SortType, Kind: AliasExport, Instance: inst, Name: td.Name}})
		outerIdx = e.outer.typeCount
		e.outer.typeCount++
		e.outerTypes[id] = outerIdx
	}
	if e.inst == nil {
		return outerIdx, true
	}
	e.inst.decls = append(e.inst.decls, Decl{Kind: DeclAlias,
		Alias: &Alias{Sort: SortType, Kind: AliasOuter, Count: 1, Index: outerIdx}})
	e.inst.typeCount++
	return e.inst.typeCount - 1, true
}

func (e *worldEncoder) exportType(name string, desc ExternDesc) uint32 {
	kind := byte(DeclExport)
	if e.inst == nil && e.importTypes {
		kind = DeclImport
	}
	return e.cur().extern(kind, name, desc)
}

func (e *worldEncoder) optVal(t wit.Type) (*ValType, error) {
	if t == wit.NoType {
		return nil, nil
	}
	vt, err := e.valType(t)
	return &vt, err
}

// defType encodes the definition of td anonymously.
func (e *worldEncoder) defType(td *wit.TypeDef) (ValType, error) {
	s := e.cur()
	d := DefValType{}
	var err error
	switch k := td.Kind.(type) {
	case *wit.Alias:
		return e.valType(k.Type)
	case *wit.Record:
		d.Kind = KindRecord
		for _, f := range k.Fields {
			vt, err := e.valType(f.Type)
			if err != nil {
				return ValType{}, err
			}
			d.Fields = append(d.Fields, Field{Name: f.Name, Type: vt})
		}
	case *wit.Variant:
		d.Kind = KindVariant
		for _, c := range k.Cases {
			vt, err := e.optVal(c.Type)
			if err != nil {
				return ValType{}, err
			}
			d.Cases = append(d.Cases, Case{Name: c.Name, Type: vt})
		}
	case *wit.Enum:
		d.Kind = KindEnum
		for _, c := range k.Cases {
			d.Labels = append(d.Labels, c.Name)
		}
	case *wit.Flags:
		d.Kind = KindFlags
		for _, f := range k.Flags {
			d.Labels = append(d.Labels, f.Name)
		}
	case *wit.Tuple:
		d.Kind = KindTuple
		for _, t := range k.Types {
			vt, err := e.valType(t)
			if err != nil {
				return ValType{}, err
			}
			d.Types = append(d.Types, vt)
		}
	case *wit.Option:
		d.Kind = KindOption
		d.Elem, err = e.optVal(k.Type)
	case *wit.Result:
		d.Kind = KindResult
		if d.Ok, err = e.optVal(k.OK); err == nil {
			d.Err, err = e.optVal(k.Err)
		}
	case *wit.List:
		d.Kind = KindList
		d.Elem, err = e.optVal(k.Elem)
	case *wit.FixedList:
		d.Kind, d.Len = KindFixedList, k.Len
		d.Elem, err = e.optVal(k.Elem)
	case *wit.Map:
		d.Kind = KindMap
		if d.Elem, err = e.optVal(k.Key); err == nil {
			d.Value, err = e.optVal(k.Value)
		}
	case *wit.Future:
		d.Kind = KindFuture
		d.Elem, err = e.optVal(k.Elem)
	case *wit.Stream:
		d.Kind = KindStream
		d.Elem, err = e.optVal(k.Elem)
	case *wit.Own:
		d.Kind = KindOwn
		d.Res, err = e.resourceIndex(k.Resource)
	case *wit.Borrow:
		d.Kind = KindBorrow
		d.Res, err = e.resourceIndex(k.Resource)
	default:
		return ValType{}, fmt.Errorf("component: cannot encode type %q (%T)", td.Name, td.Kind)
	}
	if err != nil {
		return ValType{}, err
	}
	return TypeRef(s.defineVal(d)), nil
}

func (e *worldEncoder) resourceIndex(id wit.TypeID) (uint32, error) {
	vt, err := e.valType(wit.Ref(id))
	if err != nil {
		return 0, err
	}
	if vt.Prim != 0 {
		return 0, fmt.Errorf("component: handle to a non-resource type")
	}
	return vt.Idx, nil
}
