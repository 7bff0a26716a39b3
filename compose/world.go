package compose

import (
	"fmt"
	"slices"

	"github.com/witgo/witgo/wit"
)

// worldBuilder makes the composed component's world in a new Resolve:
// the merged imports nobody satisfies, then the socket's exports.
type worldBuilder struct {
	out     *wit.Resolve
	worldID wit.WorldID
	world   *wit.World
	rootPkg wit.PackageID
	shared  map[string]*sharedImport // by compatKey of the import name
	served  map[*extern]*sharedImport
	sources map[string]*extern // output export name -> the inner export it aliases
	ifaces  map[srcIface]wit.InterfaceID
	types   map[srcType]wit.TypeID
}

type srcIface struct {
	r  *wit.Resolve
	id wit.InterfaceID
}

type srcType struct {
	r  *wit.Resolve
	id wit.TypeID
}

// sharedImport is one import of the composed component, serving every
// inner import of a compatible name.
type sharedImport struct {
	key   wit.WorldKey // in the output world
	first *extern      // the inner import that created it
	ver   *wit.Version
}

func newWorldBuilder() *worldBuilder {
	b := &worldBuilder{out: wit.NewResolve(), shared: map[string]*sharedImport{}, served: map[*extern]*sharedImport{}, sources: map[string]*extern{},
		ifaces: map[srcIface]wit.InterfaceID{}, types: map[srcType]wit.TypeID{}}
	b.rootPkg = b.pkg(wit.PackageName{Namespace: "root", Name: "component"})
	b.world = &wit.World{Name: "root", Package: b.rootPkg}
	b.out.Worlds = append(b.out.Worlds, b.world)
	b.out.Packages[b.rootPkg].Worlds.Set("root", 0)
	return b
}

// buildWorld gathers the imports the plan leaves open, from the socket
// and then the plugs in instantiation order, and the socket's exports.
func buildWorld(pl *plan) (*worldBuilder, error) {
	b := newWorldBuilder()
	parts := []*part{pl.parts[0]}
	for _, p := range pl.order {
		if p != pl.parts[0] {
			parts = append(parts, p)
		}
	}
	for _, p := range parts {
		for _, im := range p.imports {
			if _, linked := pl.links[im]; linked {
				continue
			}
			if err := b.addImport(im); err != nil {
				return nil, err
			}
		}
	}
	b.sortImports()
	for _, ex := range pl.parts[0].exports {
		if err := b.exportLinkedDeps(pl, ex); err != nil {
			return nil, err
		}
		if err := b.addExport(ex, ex); err != nil {
			return nil, fmt.Errorf("%s: export %s: %w", ex.part.name, ex.name, err)
		}
	}
	return b, nil
}

// exportLinkedDeps re-exports the linked interfaces whose types export ex
// of the socket uses (a plug's resource or record in the socket's
// exported functions): the composed component must export them for its
// own exports to name their types. Their own dependencies come first.
func (b *worldBuilder) exportLinkedDeps(pl *plan, ex *extern) error {
	socket := ex.part
	for _, dep := range usedInterfaces(socket.r, ex.item) {
		if _, done := b.ifaces[srcIface{socket.r, dep}]; done {
			continue
		}
		for _, im := range socket.imports {
			linked, ok := pl.links[im]
			if !ok || im.item.Kind != wit.ItemInterface || im.item.Interface != dep {
				continue
			}
			if err := b.exportLinkedDeps(pl, im); err != nil {
				return err
			}
			if err := b.addExport(im, linked); err != nil {
				return fmt.Errorf("%s: re-exporting %s of %s: %w", socket.name, linked.name, linked.part.name, err)
			}
		}
	}
	return nil
}

// usedInterfaces lists the interfaces that own types an interface or a
// function uses, other than the interface itself.
func usedInterfaces(r *wit.Resolve, item *wit.WorldItem) []wit.InterfaceID {
	var deps []wit.InterfaceID
	seen := map[wit.TypeID]bool{}
	var visit func(t wit.Type)
	visit = func(t wit.Type) {
		id, ok := t.TypeID()
		if !ok || seen[id] || int(id) >= len(r.Types) {
			return
		}
		seen[id] = true
		td := r.Types[id]
		if o := td.Owner; o.Kind == wit.OwnerInterface && (item.Kind != wit.ItemInterface || o.Interface != item.Interface) &&
			!slices.Contains(deps, o.Interface) {
			deps = append(deps, o.Interface)
		}
		for _, sub := range wit.TypeOperands(td.Kind) {
			visit(sub)
		}
	}
	visitFunc := func(f *wit.Function) {
		for _, p := range f.Params {
			visit(p.Type)
		}
		visit(f.Result)
	}
	switch item.Kind {
	case wit.ItemInterface:
		iface := r.Interfaces[item.Interface]
		for t := range iface.Types.Values() {
			visit(wit.Ref(t))
		}
		for f := range iface.Functions.Values() {
			visitFunc(f)
		}
	case wit.ItemFunction:
		visitFunc(item.Function)
	}
	return deps
}

func (b *worldBuilder) pkg(name wit.PackageName) wit.PackageID {
	full := name.String()
	if id, ok := b.out.PackageNames[full]; ok {
		return id
	}
	id := wit.PackageID(len(b.out.Packages))
	b.out.Packages = append(b.out.Packages, &wit.Package{Name: name})
	b.out.PackageNames[full] = id
	return id
}

// newInterface adds an empty interface of the same name as src's.
func (b *worldBuilder) newInterface(r *wit.Resolve, src wit.InterfaceID) wit.InterfaceID {
	in := r.Interfaces[src]
	id := wit.InterfaceID(len(b.out.Interfaces))
	iface := &wit.Interface{Name: in.Name, Docs: in.Docs, Package: b.rootPkg}
	if in.Package != wit.NoPackage && in.Name != "" {
		iface.Package = b.pkg(r.Packages[in.Package].Name)
		if !b.out.Packages[iface.Package].Interfaces.Has(in.Name) {
			b.out.Packages[iface.Package].Interfaces.Set(in.Name, id)
		}
	}
	b.out.Interfaces = append(b.out.Interfaces, iface)
	return id
}

// addImport adds an inner import the plan leaves open, merging it with an
// earlier import of a compatible name.
func (b *worldBuilder) addImport(im *extern) error {
	key := compatKey(im.name)
	_, ver := splitVersion(im.name)
	sh, ok := b.shared[key]
	if ok && im.item.Kind != sh.first.item.Kind {
		return &MergeError{Name: im.name, First: sh.first.part.name, Second: im.part.name,
			FirstType: sh.first.kindName(), SecondType: im.kindName()}
	}
	if !ok {
		sh = &sharedImport{first: im, ver: ver}
		b.shared[key] = sh
	}
	b.served[im] = sh
	merge := func(item string, d *difference) error {
		return &MergeError{Name: im.name, First: sh.first.part.name, Second: im.part.name,
			Item: item, Where: d.where, FirstType: d.a, SecondType: d.b}
	}
	r := im.part.r
	switch im.item.Kind {
	case wit.ItemInterface:
		if !ok {
			id := b.newInterface(r, im.item.Interface)
			sh.key = wit.InterfaceKey(id)
			if !im.key.IsInterface() {
				sh.key = wit.NameKey(im.name)
			}
			b.world.Imports.Set(sh.key, &wit.WorldItem{Kind: wit.ItemInterface, Interface: id})
		}
		have, _ := b.world.Imports.Get(sh.key)
		if ver != nil && sh.ver != nil && ver.Compare(sh.ver) > 0 {
			b.renameInterface(have.Interface, r, im.item.Interface)
			sh.ver = ver
		}
		item, d, err := b.mergeInterface(r, im.item.Interface, have.Interface)
		if err != nil {
			return fmt.Errorf("%s: import %s: %w", im.part.name, im.name, err)
		}
		if d != nil {
			return merge(item, d)
		}
	case wit.ItemFunction:
		if ok {
			if d := funcDiff(sh.first.part.r, sh.first.item.Function, r, im.item.Function); d != nil {
				return merge("", d)
			}
			return nil
		}
		f, err := b.copyFunc(r, im.item.Function)
		if err != nil {
			return fmt.Errorf("%s: import %s: %w", im.part.name, im.name, err)
		}
		sh.key = wit.NameKey(im.name)
		b.world.Imports.Set(sh.key, &wit.WorldItem{Kind: wit.ItemFunction, Function: f})
	default:
		if ok {
			have, _ := b.world.Imports.Get(sh.key)
			if d := typeDiff(typeRef{b.out, wit.Ref(have.Type)}, typeRef{r, wit.Ref(im.item.Type)}); d != nil {
				return merge("", d)
			}
			b.types[srcType{r, im.item.Type}] = have.Type
			return nil
		}
		t, err := b.copyTypeID(r, im.item.Type)
		if err != nil {
			return fmt.Errorf("%s: import %s: %w", im.part.name, im.name, err)
		}
		sh.key = wit.NameKey(im.name)
		b.world.Imports.Set(sh.key, &wit.WorldItem{Kind: wit.ItemType, Type: t})
	}
	return nil
}

// renameInterface moves out interface id to the package (and so the
// version) of interface src of r.
func (b *worldBuilder) renameInterface(id wit.InterfaceID, r *wit.Resolve, src wit.InterfaceID) {
	iface := b.out.Interfaces[id]
	old := b.out.Packages[iface.Package]
	if got, ok := old.Interfaces.Get(iface.Name); ok && got == id {
		old.Interfaces.Delete(iface.Name)
	}
	iface.Package = b.pkg(r.Packages[r.Interfaces[src].Package].Name)
	if p := b.out.Packages[iface.Package]; !p.Interfaces.Has(iface.Name) {
		p.Interfaces.Set(iface.Name, id)
	}
}

// mergeInterface adds the types and functions of interface src of r to
// out interface dst, checking those dst already has. It returns the
// first item that differs.
func (b *worldBuilder) mergeInterface(r *wit.Resolve, src, dst wit.InterfaceID) (string, *difference, error) {
	b.ifaces[srcIface{r, src}] = dst
	in, out := r.Interfaces[src], b.out.Interfaces[dst]
	for name, tid := range in.Types.All() {
		if have, ok := out.Types.Get(name); ok {
			if d := typeDiff(typeRef{b.out, wit.Ref(have)}, typeRef{r, wit.Ref(tid)}); d != nil {
				return "type " + name, d, nil
			}
			b.types[srcType{r, tid}] = have
			continue
		}
		id, err := b.copyTypeID(r, tid)
		if err != nil {
			return "", nil, err
		}
		out.Types.Set(name, id)
	}
	for name, f := range in.Functions.All() {
		if have, ok := out.Functions.Get(name); ok {
			if d := funcDiff(b.out, have, r, f); d != nil {
				return "function " + name, d, nil
			}
			continue
		}
		nf, err := b.copyFunc(r, f)
		if err != nil {
			return "", nil, err
		}
		out.Functions.Set(name, nf)
	}
	return "", nil, nil
}

// addExport copies ex, an export of the socket or a linked import of it,
// into the output world; source is what the composed component exports
// under its name (ex itself, or the plug export linked to it).
func (b *worldBuilder) addExport(ex, source *extern) error {
	r := ex.part.r
	switch ex.item.Kind {
	case wit.ItemInterface:
		id := b.newInterface(r, ex.item.Interface)
		if _, d, err := b.mergeInterface(r, ex.item.Interface, id); err != nil || d != nil {
			return err
		}
		key := wit.InterfaceKey(id)
		if !ex.key.IsInterface() {
			key = wit.NameKey(ex.key.Name)
		}
		b.world.Exports.Set(key, &wit.WorldItem{Kind: wit.ItemInterface, Interface: id})
		b.sources[b.externNameOf(key)] = source
	case wit.ItemFunction:
		f, err := b.copyFunc(r, ex.item.Function)
		if err != nil {
			return err
		}
		b.world.Exports.Set(wit.NameKey(ex.name), &wit.WorldItem{Kind: wit.ItemFunction, Function: f})
		b.sources[ex.name] = source
	default:
		return fmt.Errorf("a world cannot export a type")
	}
	return nil
}

func (b *worldBuilder) copyFunc(r *wit.Resolve, f *wit.Function) (*wit.Function, error) {
	nf := &wit.Function{Name: f.Name, Kind: f.Kind, Async: f.Async, Docs: f.Docs}
	if f.Kind != wit.Freestanding {
		id, err := b.copyTypeID(r, f.Resource)
		if err != nil {
			return nil, err
		}
		nf.Resource = id
	}
	for _, p := range f.Params {
		t, err := b.copyType(r, p.Type)
		if err != nil {
			return nil, err
		}
		nf.Params = append(nf.Params, wit.Param{Name: p.Name, Type: t})
	}
	t, err := b.copyType(r, f.Result)
	nf.Result = t
	return nf, err
}

func (b *worldBuilder) copyType(r *wit.Resolve, t wit.Type) (wit.Type, error) {
	id, ok := t.TypeID()
	if !ok {
		return t, nil
	}
	nid, err := b.copyTypeID(r, id)
	return wit.Ref(nid), err
}

// copyTypeID copies a type definition of r, once, into the output.
func (b *worldBuilder) copyTypeID(r *wit.Resolve, id wit.TypeID) (wit.TypeID, error) {
	if nid, ok := b.types[srcType{r, id}]; ok {
		return nid, nil
	}
	if int(id) >= len(r.Types) {
		return 0, fmt.Errorf("type %d does not exist", id)
	}
	td := r.Types[id]
	nt := &wit.TypeDef{Name: td.Name, Docs: td.Docs, Owner: td.Owner}
	switch td.Owner.Kind {
	case wit.OwnerInterface:
		owner, ok := b.ifaces[srcIface{r, td.Owner.Interface}]
		if !ok {
			return 0, fmt.Errorf("it uses type %s of %s, which another component of the composition provides, so the composed component cannot name it",
				td.Name, r.InterfaceName(td.Owner.Interface))
		}
		nt.Owner.Interface = owner
	case wit.OwnerWorld:
		nt.Owner.World = b.worldID
	}
	nid := wit.TypeID(len(b.out.Types))
	b.out.Types = append(b.out.Types, nt)
	b.types[srcType{r, id}] = nid
	kind, err := b.copyKind(r, td.Kind)
	nt.Kind = kind
	return nid, err
}

func (b *worldBuilder) copyKind(r *wit.Resolve, k wit.TypeDefKind) (wit.TypeDefKind, error) {
	var err error
	ty := func(t wit.Type) wit.Type {
		if err != nil {
			return t
		}
		var nt wit.Type
		nt, err = b.copyType(r, t)
		return nt
	}
	res := func(id wit.TypeID) wit.TypeID {
		t := ty(wit.Ref(id))
		nid, _ := t.TypeID()
		return nid
	}
	switch k := k.(type) {
	case *wit.Alias:
		return &wit.Alias{Type: ty(k.Type)}, err
	case *wit.Resource:
		return &wit.Resource{}, nil
	case *wit.Record:
		fields := make([]wit.Field, len(k.Fields))
		for i, f := range k.Fields {
			fields[i] = wit.Field{Name: f.Name, Type: ty(f.Type), Docs: f.Docs}
		}
		return &wit.Record{Fields: fields}, err
	case *wit.Variant:
		cases := make([]wit.Case, len(k.Cases))
		for i, c := range k.Cases {
			cases[i] = wit.Case{Name: c.Name, Type: ty(c.Type), Docs: c.Docs}
		}
		return &wit.Variant{Cases: cases}, err
	case *wit.Enum:
		return &wit.Enum{Cases: append([]wit.EnumCase(nil), k.Cases...)}, nil
	case *wit.Flags:
		return &wit.Flags{Flags: append([]wit.Flag(nil), k.Flags...)}, nil
	case *wit.Tuple:
		types := make([]wit.Type, len(k.Types))
		for i, t := range k.Types {
			types[i] = ty(t)
		}
		return &wit.Tuple{Types: types}, err
	case *wit.Option:
		return &wit.Option{Type: ty(k.Type)}, err
	case *wit.Result:
		return &wit.Result{OK: ty(k.OK), Err: ty(k.Err)}, err
	case *wit.List:
		return &wit.List{Elem: ty(k.Elem)}, err
	case *wit.FixedList:
		return &wit.FixedList{Elem: ty(k.Elem), Len: k.Len}, err
	case *wit.Map:
		return &wit.Map{Key: ty(k.Key), Value: ty(k.Value)}, err
	case *wit.Future:
		return &wit.Future{Elem: ty(k.Elem)}, err
	case *wit.Stream:
		return &wit.Stream{Elem: ty(k.Elem)}, err
	case *wit.Own:
		return &wit.Own{Resource: res(k.Resource)}, err
	case *wit.Borrow:
		return &wit.Borrow{Resource: res(k.Resource)}, err
	}
	return nil, fmt.Errorf("cannot copy type of kind %T", k)
}

// sortImports orders the imported interfaces so that each comes after
// the interfaces whose types it uses (merging can add a `use` to an
// interface placed before the one it names). The order is otherwise kept.
func (b *worldBuilder) sortImports() {
	keys := b.world.Imports.Keys()
	deps := map[wit.WorldKey][]wit.WorldKey{}
	for _, k := range keys {
		item, _ := b.world.Imports.Get(k)
		if item.Kind == wit.ItemInterface {
			for _, d := range b.interfaceDeps(item.Interface) {
				deps[k] = append(deps[k], wit.InterfaceKey(d))
			}
		}
	}
	var sorted []wit.WorldKey
	placed := map[wit.WorldKey]bool{}
	var place func(k wit.WorldKey)
	place = func(k wit.WorldKey) {
		if placed[k] {
			return
		}
		placed[k] = true
		for _, d := range deps[k] {
			if b.world.Imports.Has(d) {
				place(d)
			}
		}
		sorted = append(sorted, k)
	}
	for _, k := range keys {
		place(k)
	}
	items := map[wit.WorldKey]*wit.WorldItem{}
	for k, v := range b.world.Imports.All() {
		items[k] = v
	}
	var fresh wit.OrderedMap[wit.WorldKey, *wit.WorldItem]
	for _, k := range sorted {
		fresh.Set(k, items[k])
	}
	b.world.Imports = fresh
}

// interfaceDeps lists the other interfaces whose types interface id's
// types alias.
func (b *worldBuilder) interfaceDeps(id wit.InterfaceID) []wit.InterfaceID {
	var deps []wit.InterfaceID
	for t := range b.out.Interfaces[id].Types.Values() {
		if d, ok := b.out.TypeInterfaceDep(t); ok && d != id {
			deps = append(deps, d)
		}
	}
	return deps
}

// externNameOf is the name of an item of the output world.
func (b *worldBuilder) externNameOf(key wit.WorldKey) string {
	if key.IsInterface() {
		return b.out.InterfaceName(key.Interface)
	}
	return key.Name
}
