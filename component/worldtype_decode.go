package component

import (
	"fmt"
	"strings"

	"github.com/witgo/witgo/wit"
)

// worldDecoder turns the declarators of a world's component type (or the
// top level of a concrete component) into a wit.Resolve, the inverse of
// WorldType: imported/exported instance types become interfaces, type
// exports of an instance its named types (an (eq) of a type aliased from
// another instance is a `use`), func exports its functions.
type worldDecoder struct {
	r        *wit.Resolve
	pkgOf    map[string]wit.PackageID
	worldPkg wit.PackageID
	worldID  wit.WorldID
	budget   int // sections of nested components followed (towit_nested.go)
	// nameless holds the interfaces made to read types out of a nested
	// instance before it is exported, and named by its export.
	nameless map[wit.InterfaceID]bool
}

func newWorldDecoder() *worldDecoder {
	return &worldDecoder{r: wit.NewResolve(), pkgOf: map[string]wit.PackageID{}, nameless: map[wit.InterfaceID]bool{}}
}

// tEntry is one entry of a type index space while decoding.
type tEntry struct {
	def   *DefValType   // a defined value type not yet converted
	fn    *FuncType     // a function type
	inst  *InstanceType // an instance type
	wit   wit.Type      // the converted (or named) type; NoType if none yet
	scope *decodeScope  // where def was defined (its indices refer there)
}

// iEntry is an instance: the interface it stands for and its exports.
type iEntry struct {
	iface wit.InterfaceID
	types map[string]wit.Type
	funcs map[string]*fEntry
	scope *decodeScope
	// An instance not described yet (towit_nested.go): of a nested
	// component or a bundle of exports (shape), of an instance type still
	// to decode in itScope (it), or one that cannot be described (err).
	shape   *instanceShape
	it      *InstanceType
	itScope *decodeScope
	err     error
}

// decodeScope is the index spaces of one type or component.
type decodeScope struct {
	parent     *decodeScope
	types      []*tEntry
	instances  []*iEntry
	funcs      []*fEntry
	components []*cEntry
	owner      wit.Owner
	iface      *wit.Interface // set while decoding an instance type
}

// cEntry is a nested component and the scope it was defined in, which
// its outer aliases refer to.
type cEntry struct {
	c     *Component
	scope *decodeScope
}

type fEntry struct {
	ft    *FuncType
	scope *decodeScope
}

func (d *worldDecoder) pkg(full string) (wit.PackageID, error) {
	if id, ok := d.pkgOf[full]; ok {
		return id, nil
	}
	name, err := parsePackageName(full)
	if err != nil {
		return 0, err
	}
	id := wit.PackageID(len(d.r.Packages))
	d.r.Packages = append(d.r.Packages, &wit.Package{Name: name})
	d.r.PackageNames[full] = id
	d.pkgOf[full] = id
	return id, nil
}

func parsePackageName(full string) (wit.PackageName, error) {
	var pn wit.PackageName
	rest := full
	if at := strings.IndexByte(full, '@'); at >= 0 {
		v, err := wit.ParseVersion(full[at+1:])
		if err != nil {
			return pn, fmt.Errorf("package %q: %w", full, err)
		}
		pn.Version = v
		rest = full[:at]
	}
	colon := strings.IndexByte(rest, ':')
	if colon <= 0 || colon == len(rest)-1 {
		return pn, fmt.Errorf("package name %q is not `ns:name`", full)
	}
	pn.Namespace, pn.Name = rest[:colon], rest[colon+1:]
	return pn, nil
}

// world decodes a world's declarators into a new world of package pkgName.
func (d *worldDecoder) world(pkgName, worldName string, decls []Decl) (wit.WorldID, error) {
	pid, err := d.pkg(pkgName)
	if err != nil {
		return 0, err
	}
	d.worldPkg = pid
	d.worldID = wit.WorldID(len(d.r.Worlds))
	w := &wit.World{Name: worldName, Package: pid}
	d.r.Worlds = append(d.r.Worlds, w)
	d.r.Packages[pid].Worlds.Set(worldName, d.worldID)
	s := &decodeScope{owner: wit.Owner{Kind: wit.OwnerWorld, World: d.worldID}}
	for i, decl := range decls {
		if err := d.worldDecl(s, w, decl); err != nil {
			return 0, fmt.Errorf("declarator %d: %w", i, err)
		}
	}
	return d.worldID, nil
}

func (d *worldDecoder) worldDecl(s *decodeScope, w *wit.World, decl Decl) error {
	switch decl.Kind {
	case DeclCoreType:
		return nil
	case DeclType:
		return d.typeDecl(s, decl.Type)
	case DeclAlias:
		return d.alias(s, decl.Alias)
	case DeclImport, DeclExport:
		items := &w.Imports
		if decl.Kind == DeclExport {
			items = &w.Exports
		}
		return d.worldExtern(s, items, decl.Name.Name, decl.Desc)
	}
	return fmt.Errorf("unexpected declarator kind %#x", decl.Kind)
}

func (d *worldDecoder) typeDecl(s *decodeScope, t *Type) error {
	e := &tEntry{scope: s}
	switch {
	case t.Val != nil:
		e.def = t.Val
	case t.Func != nil:
		e.fn = t.Func
	case t.Instance != nil:
		e.inst = t.Instance
	case t.Resource != nil:
		return fmt.Errorf("resource definitions cannot be described in WIT without a name")
	}
	s.types = append(s.types, e)
	return nil
}

func (d *worldDecoder) alias(s *decodeScope, a *Alias) error {
	switch {
	case a.Kind == AliasOuter:
		target := s
		for i := uint32(0); i < a.Count && target != nil; i++ {
			target = target.parent
		}
		if target == nil || pushItem(target, s, SortIdx{Sort: a.Sort, Index: a.Index}) != nil {
			return fmt.Errorf("outer alias %d/%d out of bounds", a.Count, a.Index)
		}
	case a.Kind == AliasExport:
		if int(a.Instance) >= len(s.instances) {
			return fmt.Errorf("instance index out of bounds: %d", a.Instance)
		}
		return d.aliasExport(s, s.instances[a.Instance], a)
	}
	return nil
}

// worldExtern handles an import or export of the world.
func (d *worldDecoder) worldExtern(s *decodeScope, items *wit.OrderedMap[wit.WorldKey, *wit.WorldItem], name string, desc ExternDesc) error {
	switch desc.Kind {
	case ExternInstance:
		it, err := d.instanceTypeAt(s, desc.Index)
		if err != nil {
			return err
		}
		id, key, err := d.newInterface(name)
		if err != nil {
			return err
		}
		inst, err := d.interfaceBody(s, id, it)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		s.instances = append(s.instances, inst)
		items.Set(key, &wit.WorldItem{Kind: wit.ItemInterface, Interface: id})
	case ExternFunc:
		ft, err := funcTypeAt(s, desc.Index)
		if err != nil {
			return err
		}
		f, err := d.function(s, name, ft, nil)
		if err != nil {
			return err
		}
		s.funcs = append(s.funcs, &fEntry{ft: ft, scope: s})
		items.Set(wit.NameKey(name), &wit.WorldItem{Kind: wit.ItemFunction, Function: f})
	case ExternType:
		id, err := d.namedType(s, name, desc, nil)
		if err != nil {
			return err
		}
		items.Set(wit.NameKey(name), &wit.WorldItem{Kind: wit.ItemType, Type: id})
	default:
		return fmt.Errorf("%s: a world cannot hold a %s", name, externKindNames[desc.Kind])
	}
	return nil
}

func (d *worldDecoder) instanceTypeAt(s *decodeScope, idx uint32) (*InstanceType, error) {
	if int(idx) >= len(s.types) || s.types[idx].inst == nil {
		return nil, fmt.Errorf("type %d is not an instance type", idx)
	}
	return s.types[idx].inst, nil
}

func funcTypeAt(s *decodeScope, idx uint32) (*FuncType, error) {
	if int(idx) >= len(s.types) || s.types[idx].fn == nil {
		return nil, fmt.Errorf("type %d is not a function type", idx)
	}
	return s.types[idx].fn, nil
}

// newInterface makes the interface an instance import or export names:
// `ns:pkg/i@v` gets a named interface of that package; a plain name an
// inline interface of the world's package.
func (d *worldDecoder) newInterface(name string) (wit.InterfaceID, wit.WorldKey, error) {
	id := wit.InterfaceID(len(d.r.Interfaces))
	pkgName, ifName, named := splitInterfaceName(name)
	if !named {
		d.r.Interfaces = append(d.r.Interfaces, &wit.Interface{Package: d.worldPkg})
		return id, wit.NameKey(name), nil
	}
	pid, err := d.pkg(pkgName)
	if err != nil {
		return 0, wit.WorldKey{}, err
	}
	if existing, ok := d.r.Packages[pid].Interfaces.Get(ifName); ok {
		return existing, wit.InterfaceKey(existing), nil
	}
	d.r.Interfaces = append(d.r.Interfaces, &wit.Interface{Name: ifName, Package: pid})
	d.r.Packages[pid].Interfaces.Set(ifName, id)
	return id, wit.InterfaceKey(id), nil
}

// splitInterfaceName splits `ns:pkg/i@v` into `ns:pkg@v` and `i`; named
// is false for a plain name.
func splitInterfaceName(name string) (pkgName, ifName string, named bool) {
	slash := strings.IndexByte(name, '/')
	if slash < 0 {
		return "", name, false
	}
	pkgName, ifName = name[:slash], name[slash+1:]
	if at := strings.IndexByte(ifName, '@'); at >= 0 {
		pkgName += ifName[at:]
		ifName = ifName[:at]
	}
	return pkgName, ifName, true
}

// interfaceBody decodes an instance type into interface id.
func (d *worldDecoder) interfaceBody(parent *decodeScope, id wit.InterfaceID, it *InstanceType) (*iEntry, error) {
	iface := d.r.Interfaces[id]
	s := &decodeScope{parent: parent, owner: wit.Owner{Kind: wit.OwnerInterface, Interface: id}, iface: iface}
	inst := &iEntry{iface: id, types: map[string]wit.Type{}, funcs: map[string]*fEntry{}, scope: s}
	fresh := iface.Types.Len() == 0 && iface.Functions.Len() == 0
	for i, decl := range it.Decls {
		var err error
		switch decl.Kind {
		case DeclCoreType:
		case DeclType:
			err = d.typeDecl(s, decl.Type)
		case DeclAlias:
			err = d.alias(s, decl.Alias)
		case DeclExport:
			name := decl.Name.Name
			switch decl.Desc.Kind {
			case ExternType:
				var tid wit.TypeID
				if existing, ok := iface.Types.Get(name); ok && !fresh {
					tid = existing
					s.types = append(s.types, &tEntry{wit: wit.Ref(tid)})
				} else if tid, err = d.namedType(s, name, decl.Desc, iface); err == nil {
					iface.Types.Set(name, tid)
				}
				inst.types[name] = wit.Ref(tid)
			case ExternFunc:
				var ft *FuncType
				if ft, err = funcTypeAt(s, decl.Desc.Index); err == nil {
					inst.funcs[name] = &fEntry{ft: ft, scope: s}
					if fresh {
						var f *wit.Function
						if f, err = d.function(s, name, ft, iface); err == nil {
							iface.Functions.Set(name, f)
						}
					}
				}
			default:
				err = fmt.Errorf("export %q: an interface cannot hold a %s", name, externKindNames[decl.Desc.Kind])
			}
		default:
			err = fmt.Errorf("unexpected declarator kind %#x in an instance type", decl.Kind)
		}
		if err != nil {
			return nil, fmt.Errorf("declarator %d: %w", i, err)
		}
	}
	return inst, nil
}

// namedType makes the TypeDef a type import or export declares, and
// appends its index.
func (d *worldDecoder) namedType(s *decodeScope, name string, desc ExternDesc, iface *wit.Interface) (wit.TypeID, error) {
	td := &wit.TypeDef{Name: name, Owner: s.owner}
	if desc.Bound == 1 {
		td.Kind = &wit.Resource{}
	} else {
		if int(desc.Index) >= len(s.types) {
			return 0, fmt.Errorf("type %q: type index %d out of bounds", name, desc.Index)
		}
		e := s.types[desc.Index]
		switch {
		case e.wit != wit.NoType:
			td.Kind = &wit.Alias{Type: e.wit}
		case e.def != nil && e.def.Kind == KindPrim:
			td.Kind = &wit.Alias{Type: witPrim[e.def.Prim]}
		case e.def != nil:
			k, err := d.defKind(e.scope, e.def)
			if err != nil {
				return 0, fmt.Errorf("type %q: %w", name, err)
			}
			td.Kind = k
		default:
			return 0, fmt.Errorf("type %q is not a value type", name)
		}
	}
	id := wit.TypeID(len(d.r.Types))
	d.r.Types = append(d.r.Types, td)
	if int(desc.Index) < len(s.types) && desc.Bound == 0 && s.types[desc.Index].wit == wit.NoType {
		s.types[desc.Index].wit = wit.Ref(id)
	}
	s.types = append(s.types, &tEntry{wit: wit.Ref(id)})
	return id, nil
}

var witPrim = map[byte]wit.Type{
	Bool: wit.Bool, U8: wit.U8, U16: wit.U16, U32: wit.U32, U64: wit.U64,
	S8: wit.S8, S16: wit.S16, S32: wit.S32, S64: wit.S64, F32: wit.F32, F64: wit.F64,
	Char: wit.Char, String: wit.String, ErrorContext: wit.ErrorContext,
}

// valType converts a value type of scope s.
func (d *worldDecoder) valType(s *decodeScope, vt ValType) (wit.Type, error) {
	if vt.Prim != 0 {
		t, ok := witPrim[vt.Prim]
		if !ok {
			return 0, fmt.Errorf("unknown primitive type %#x", vt.Prim)
		}
		return t, nil
	}
	if int(vt.Idx) >= len(s.types) {
		return 0, fmt.Errorf("type index %d out of bounds", vt.Idx)
	}
	e := s.types[vt.Idx]
	if e.wit != wit.NoType {
		return e.wit, nil
	}
	if e.def == nil {
		return 0, fmt.Errorf("type %d is not a value type", vt.Idx)
	}
	if e.def.Kind == KindPrim {
		return d.valType(s, Prim(e.def.Prim))
	}
	k, err := d.defKind(e.scope, e.def)
	if err != nil {
		return 0, err
	}
	id := wit.TypeID(len(d.r.Types))
	d.r.Types = append(d.r.Types, &wit.TypeDef{Kind: k})
	e.wit = wit.Ref(id)
	return e.wit, nil
}

func (d *worldDecoder) optType(s *decodeScope, vt *ValType) (wit.Type, error) {
	if vt == nil {
		return wit.NoType, nil
	}
	return d.valType(s, *vt)
}

// defKind converts a defined value type.
func (d *worldDecoder) defKind(s *decodeScope, def *DefValType) (wit.TypeDefKind, error) {
	var err error
	conv := func(vt *ValType) wit.Type {
		if err != nil {
			return wit.NoType
		}
		var t wit.Type
		t, err = d.optType(s, vt)
		return t
	}
	var k wit.TypeDefKind
	switch def.Kind {
	case KindRecord:
		r := &wit.Record{}
		for _, f := range def.Fields {
			r.Fields = append(r.Fields, wit.Field{Name: f.Name, Type: conv(&f.Type)})
		}
		k = r
	case KindVariant:
		v := &wit.Variant{}
		for _, c := range def.Cases {
			v.Cases = append(v.Cases, wit.Case{Name: c.Name, Type: conv(c.Type)})
		}
		k = v
	case KindEnum:
		en := &wit.Enum{}
		for _, l := range def.Labels {
			en.Cases = append(en.Cases, wit.EnumCase{Name: l})
		}
		k = en
	case KindFlags:
		fl := &wit.Flags{}
		for _, l := range def.Labels {
			fl.Flags = append(fl.Flags, wit.Flag{Name: l})
		}
		k = fl
	case KindTuple:
		tu := &wit.Tuple{}
		for i := range def.Types {
			tu.Types = append(tu.Types, conv(&def.Types[i]))
		}
		k = tu
	case KindOption:
		k = &wit.Option{Type: conv(def.Elem)}
	case KindResult:
		k = &wit.Result{OK: conv(def.Ok), Err: conv(def.Err)}
	case KindList:
		k = &wit.List{Elem: conv(def.Elem)}
	case KindFixedList:
		k = &wit.FixedList{Elem: conv(def.Elem), Len: def.Len}
	case KindMap:
		k = &wit.Map{Key: conv(def.Elem), Value: conv(def.Value)}
	case KindFuture:
		k = &wit.Future{Elem: conv(def.Elem)}
	case KindStream:
		k = &wit.Stream{Elem: conv(def.Elem)}
	case KindOwn, KindBorrow:
		res, rerr := d.resourceOf(s, def.Res)
		if rerr != nil {
			return nil, rerr
		}
		if def.Kind == KindOwn {
			k = &wit.Own{Resource: res}
		} else {
			k = &wit.Borrow{Resource: res}
		}
	default:
		return nil, fmt.Errorf("unsupported defined type %#x", def.Kind)
	}
	return k, err
}

func (d *worldDecoder) resourceOf(s *decodeScope, idx uint32) (wit.TypeID, error) {
	if int(idx) >= len(s.types) {
		return 0, fmt.Errorf("handle to type index %d out of bounds", idx)
	}
	id, ok := s.types[idx].wit.TypeID()
	if !ok || !d.isResource(id) {
		return 0, fmt.Errorf("handle to type %d, which is not a resource", idx)
	}
	return id, nil
}

func (d *worldDecoder) isResource(id wit.TypeID) bool {
	for i := 0; i < 100; i++ {
		switch k := d.r.Types[id].Kind.(type) {
		case *wit.Resource:
			return true
		case *wit.Alias:
			next, ok := k.Type.TypeID()
			if !ok {
				return false
			}
			id = next
		default:
			return false
		}
	}
	return false
}

// function converts a func export; resource functions find their
// resource by name in iface (or among the world's types).
func (d *worldDecoder) function(s *decodeScope, name string, ft *FuncType, iface *wit.Interface) (*wit.Function, error) {
	f := &wit.Function{Name: name, Async: ft.Async}
	resName := ""
	switch {
	case strings.HasPrefix(name, "[constructor]"):
		f.Kind, resName = wit.Constructor, name[len("[constructor]"):]
	case strings.HasPrefix(name, "[method]"):
		f.Kind, resName = wit.Method, name[len("[method]"):]
	case strings.HasPrefix(name, "[static]"):
		f.Kind, resName = wit.Static, name[len("[static]"):]
	}
	if f.Kind == wit.Method || f.Kind == wit.Static {
		dot := strings.IndexByte(resName, '.')
		if dot < 0 {
			return nil, fmt.Errorf("function %q: resource function name lacks a `.`", name)
		}
		resName = resName[:dot]
	}
	if f.Kind != wit.Freestanding {
		id, ok := d.lookupType(s, resName, iface)
		if !ok || !d.isResource(id) {
			return nil, fmt.Errorf("function %q: no resource named %q", name, resName)
		}
		f.Resource = id
	}
	for _, p := range ft.Params {
		t, err := d.valType(s, p.Type)
		if err != nil {
			return nil, fmt.Errorf("function %q: %w", name, err)
		}
		f.Params = append(f.Params, wit.Param{Name: p.Name, Type: t})
	}
	if ft.Result != nil {
		t, err := d.valType(s, *ft.Result)
		if err != nil {
			return nil, fmt.Errorf("function %q: %w", name, err)
		}
		f.Result = t
	}
	return f, nil
}

func (d *worldDecoder) lookupType(s *decodeScope, name string, iface *wit.Interface) (wit.TypeID, bool) {
	if iface != nil {
		return iface.Types.Get(name)
	}
	w := d.r.Worlds[d.worldID]
	for _, items := range []*wit.OrderedMap[wit.WorldKey, *wit.WorldItem]{&w.Imports, &w.Exports} {
		if it, ok := items.Get(wit.NameKey(name)); ok && it.Kind == wit.ItemType {
			return it.Type, true
		}
	}
	return 0, false
}
