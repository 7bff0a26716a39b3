package wit

import (
	"fmt"
	"strconv"
	"strings"
)

// This file turns the AST of one package (all of its files, or one nested
// `package a:b { ... }` block) into an unresolvedPackage: arenas with
// package-local IDs, where interfaces and worlds of other packages are
// placeholders. merge.go then maps it into the Resolve.
//
// The order in which IDs are assigned follows the reference resolver
// (wasm-tools' wit-parser), because the JSON form and component type
// indices expose it: foreign placeholders first, then interfaces and worlds
// in dependency order, and types as their interfaces are resolved.

// declList is the top-level items of one file, or of one nested package.
type declList struct {
	file  string
	items []*astTopItem
}

// pkgSource is everything that defines one package.
type pkgSource struct {
	name    PackageName
	namePos Pos
	nameLen int
	docs    string
	lists   []declList
}

type unresolvedPackage struct {
	name       PackageName
	docs       string
	pos        Pos
	types      []*TypeDef
	interfaces []*Interface
	worlds     []*World
	includes   map[WorldID][]pendingInclude

	// Foreign placeholders occupy the first IDs of each arena.
	nForeignTypes, nForeignIfaces, nForeignWorlds int
	foreignPkgs                                   []*foreignPkg
	foreignTypes                                  []foreignTypeRef // by placeholder TypeID
	// Placeholder types used in a handle must turn out to be resources.
	requiredResources []requiredResource
}

type foreignPkg struct {
	name  string
	pos   Pos
	len   int
	items []*foreignItem
	byKey map[string]*foreignItem
}

type foreignItem struct {
	name      string
	stability Stability // of the first reference: a gated-out item may be missing
	world     bool
	id        int // placeholder InterfaceID or WorldID
	pos       Pos
}

type foreignTypeRef struct {
	iface InterfaceID
	name  string
	pos   Pos
}

type requiredResource struct {
	id  TypeID
	pos Pos
}

type pendingInclude struct {
	world     WorldID
	names     []includeRename
	stability Stability
	pos       Pos
}

type includeRename struct {
	name, as string
	pos      Pos
}

// unknownKind marks a placeholder for a type defined in another package.
type unknownKind struct{}

func (*unknownKind) isTypeDefKind() {}

type itemRef struct {
	world bool
	id    int
}

// nameEntry is a name in an interface's or world's namespace.
type nameEntry struct {
	typ  TypeID
	what string // "" for a type, else "function"
	pos  Pos
}

type astResolver struct {
	src map[string][]byte
	pkg *unresolvedPackage

	foreign      map[string]*foreignPkg
	packageItems map[string]itemRef
	astItems     []map[string]itemRef
	cur          int // index of the decl list being resolved

	ifaceTypes map[InterfaceID]map[string]nameEntry
	anon       map[string]TypeID

	// The gate of the item being resolved: anonymous types it creates take
	// it on, as in the reference resolver.
	st Stability

	// The namespace of the interface or world being resolved.
	lookup      map[string]nameEntry
	lookupOrder []string
}

func (r *astResolver) errorf(p Pos, length int, format string, args ...any) error {
	return errorAt(r.src[p.File], p, length, format, args...)
}

func idPos(id astID) Pos { return posOf(id.Pos) }

// resolvePackage resolves one package's AST.
func resolvePackage(ps *pkgSource, src map[string][]byte) (*unresolvedPackage, error) {
	r := &astResolver{
		src:          src,
		pkg:          &unresolvedPackage{name: ps.name, docs: ps.docs, pos: ps.namePos, includes: map[WorldID][]pendingInclude{}},
		foreign:      map[string]*foreignPkg{},
		packageItems: map[string]itemRef{},
		ifaceTypes:   map[InterfaceID]map[string]nameEntry{},
		anon:         map[string]TypeID{},
	}
	r.populateForeignDeps(ps.lists)
	ifaceOrder, worldOrder, err := r.populateItems(ps.lists)
	if err != nil {
		return nil, err
	}
	if err := r.populateForeignTypes(ps.lists); err != nil {
		return nil, err
	}
	ifaceAST := map[InterfaceID]*astInterface{}
	worldAST := map[WorldID]*astWorld{}
	ifaceList := map[InterfaceID]int{}
	worldList := map[WorldID]int{}
	itemOf := map[any]*astTopItem{}
	for i, dl := range ps.lists {
		for _, it := range dl.items {
			switch {
			case it.Interface != nil:
				id := InterfaceID(r.astItems[i][idName(it.Interface.Name)].id)
				ifaceAST[id], ifaceList[id] = it.Interface, i
				itemOf[it.Interface] = it
			case it.World != nil:
				id := WorldID(r.astItems[i][idName(it.World.Name)].id)
				worldAST[id], worldList[id] = it.World, i
				itemOf[it.World] = it
			}
		}
	}
	for _, id := range ifaceOrder {
		r.cur = ifaceList[id]
		a := ifaceAST[id]
		top := itemOf[a]
		if err := r.resolveInterface(id, a.Items, top.docs, top.Attrs); err != nil {
			return nil, err
		}
	}
	for _, id := range worldOrder {
		r.cur = worldList[id]
		a := worldAST[id]
		if err := r.resolveWorld(id, a, itemOf[a]); err != nil {
			return nil, err
		}
	}
	return r.pkg, nil
}

// pathKind says what a path names where it appears.
type pathKind uint8

const (
	pathUnknown pathKind = iota
	pathInterface
	pathWorld
)

// forEachPath visits every use-path of a decl list in source order. owner
// is the interface or world whose ordering the path affects: an interface
// for its `use`s, a world for its `include`s, "" otherwise.
func forEachPath(dl declList, f func(owner string, attrs []*astAttr, p *astUsePath, names []*astUseName, kind pathKind) error) error {
	ifaceItems := func(owner string, items []*astIfaceItem) error {
		for _, it := range items {
			if it.Use != nil {
				if err := f(owner, it.Attrs, &it.Use.Path, it.Use.Names, pathInterface); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, it := range dl.items {
		switch {
		case it.Use != nil:
			if err := f("", it.Attrs, &it.Use.Path, nil, pathUnknown); err != nil {
				return err
			}
		case it.Interface != nil:
			if err := ifaceItems(idName(it.Interface.Name), it.Interface.Items); err != nil {
				return err
			}
		case it.World != nil:
			for _, wi := range it.World.Items {
				var err error
				switch {
				case wi.Import != nil || wi.Export != nil:
					ext := wi.Import
					if ext == nil {
						ext = wi.Export
					}
					switch {
					case ext.Path != nil:
						err = f("", wi.Attrs, ext.Path, nil, pathInterface)
					case ext.Named.Path != nil:
						err = f("", wi.Attrs, ext.Named.Path, nil, pathInterface)
					case ext.Named.Interface != nil:
						err = ifaceItems("", ext.Named.Interface.Items)
					}
				case wi.Use != nil:
					err = f("", wi.Attrs, &wi.Use.Path, wi.Use.Names, pathInterface)
				case wi.Include != nil:
					err = f(idName(it.World.Name), wi.Attrs, &wi.Include.Path, nil, pathWorld)
				}
				if err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// foreignPackageName returns `ns:pkg@ver` for a package path, "" for a local one.
func foreignPackageName(p *astUsePath) string {
	if p.Package == nil {
		return ""
	}
	s := idName(p.First) + ":" + idName(*p.Package)
	if p.Version != nil {
		s += "@" + p.Version.Value
	}
	return s
}

func (r *astResolver) populateForeignDeps(lists []declList) {
	for _, dl := range lists {
		_ = forEachPath(dl, func(_ string, attrs []*astAttr, p *astUsePath, _ []*astUseName, kind pathKind) error {
			pkgName := foreignPackageName(p)
			if pkgName == "" {
				return nil
			}
			fp := r.foreign[pkgName]
			if fp == nil {
				fp = &foreignPkg{name: pkgName, pos: idPos(p.First), len: len(idName(p.First)) + 1 + len(idName(*p.Package)), byKey: map[string]*foreignItem{}}
				r.foreign[pkgName] = fp
				r.pkg.foreignPkgs = append(r.pkg.foreignPkgs, fp)
			}
			name := idName(*p.Name)
			if fp.byKey[name] != nil {
				return nil
			}
			item := &foreignItem{name: name, pos: idPos(*p.Name), stability: stability(attrs)}
			if kind == pathWorld {
				item.world, item.id = true, len(r.pkg.worlds)
				r.pkg.worlds = append(r.pkg.worlds, &World{Name: name, Package: NoPackage, Pos: item.pos})
				r.pkg.nForeignWorlds++
			} else {
				item.id = len(r.pkg.interfaces)
				r.pkg.interfaces = append(r.pkg.interfaces, &Interface{Name: name, Package: NoPackage, Pos: item.pos})
				r.pkg.nForeignIfaces++
			}
			fp.byKey[name] = item
			fp.items = append(fp.items, item)
			return nil
		})
	}
}

// populateItems checks the names of interfaces and worlds, sorts them by
// their local dependencies and allocates their IDs in that order.
func (r *astResolver) populateItems(lists []declList) ([]InterfaceID, []WorldID, error) {
	type decl struct {
		world bool
		pos   Pos
	}
	decls := map[string]decl{}
	var nodes []topoNode
	nodeIndex := map[string]int{}
	for _, dl := range lists {
		for _, it := range dl.items {
			var id astID
			world := false
			switch {
			case it.Interface != nil:
				id = it.Interface.Name
			case it.World != nil:
				id, world = it.World.Name, true
			default:
				continue
			}
			name := idName(id)
			if _, dup := decls[name]; dup {
				return nil, nil, r.errorf(idPos(id), len(id.Name), "duplicate item named `%s`", name)
			}
			decls[name] = decl{world: world, pos: idPos(id)}
			nodeIndex[name] = len(nodes)
			nodes = append(nodes, topoNode{name: name, pos: idPos(id)})
		}
	}

	// Each file sees its own items and top-level `use`s first, then the
	// package's interfaces and worlds; foreign names add no ordering edge.
	for _, dl := range lists {
		fileNS := map[string]string{} // name -> local target, "" for foreign
		for _, it := range dl.items {
			var decl *astID
			switch {
			case it.Interface != nil:
				decl = &it.Interface.Name
			case it.World != nil:
				decl = &it.World.Name
			}
			if decl != nil {
				if _, dup := fileNS[idName(*decl)]; dup {
					return nil, nil, r.errorf(idPos(*decl), len(decl.Name), "duplicate name `%s` in this file", idName(*decl))
				}
				fileNS[idName(*decl)] = idName(*decl)
			}
			switch {
			case it.Use != nil:
				u := it.Use
				nameID := *lastID(&u.Path)
				if u.As != nil {
					nameID = *u.As
				}
				target := ""
				if u.Path.Package == nil {
					t := idName(u.Path.First)
					if _, ok := decls[t]; !ok {
						return nil, nil, r.errorf(idPos(u.Path.First), len(u.Path.First.Name), "interface or world `%s` does not exist%s", t, didYouMean(t, mapKeys(decls)))
					}
					target = t
				}
				if _, dup := fileNS[idName(nameID)]; dup {
					return nil, nil, r.errorf(idPos(nameID), len(nameID.Name), "duplicate name `%s` in this file", idName(nameID))
				}
				fileNS[idName(nameID)] = target
			}
		}
		err := forEachPath(dl, func(owner string, _ []*astAttr, p *astUsePath, _ []*astUseName, _ pathKind) error {
			if owner == "" || p.Package != nil {
				return nil
			}
			name := idName(p.First)
			target, ok := fileNS[name]
			if !ok {
				if _, isDecl := decls[name]; !isDecl {
					return r.errorf(idPos(p.First), len(p.First.Name), "interface or world `%s` does not exist%s", name, didYouMean(name, append(mapKeys(decls), mapKeys(fileNS)...)))
				}
				target = name
			}
			if target == "" {
				return nil
			}
			// The edge carries the target's declaration, which is where
			// the reference reports a cycle.
			n := &nodes[nodeIndex[owner]]
			n.deps = append(n.deps, topoRef{name: target, pos: decls[target].pos, len: len(target)})
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	order, err := toposort("interface or world", nodes, r.src)
	if err != nil {
		return nil, nil, err
	}
	var ifaceOrder []InterfaceID
	var worldOrder []WorldID
	for _, i := range order {
		n := nodes[i]
		if decls[n.name].world {
			id := WorldID(len(r.pkg.worlds))
			r.pkg.worlds = append(r.pkg.worlds, &World{Name: n.name, Pos: n.pos})
			r.packageItems[n.name] = itemRef{world: true, id: int(id)}
			worldOrder = append(worldOrder, id)
		} else {
			id := InterfaceID(len(r.pkg.interfaces))
			r.pkg.interfaces = append(r.pkg.interfaces, &Interface{Name: n.name, Pos: n.pos})
			r.packageItems[n.name] = itemRef{id: int(id)}
			ifaceOrder = append(ifaceOrder, id)
		}
	}
	for _, dl := range lists {
		items := map[string]itemRef{}
		for _, it := range dl.items {
			switch {
			case it.Interface != nil:
				items[idName(it.Interface.Name)] = r.packageItems[idName(it.Interface.Name)]
			case it.World != nil:
				items[idName(it.World.Name)] = r.packageItems[idName(it.World.Name)]
			case it.Use != nil:
				u := it.Use
				if len(it.Attrs) > 0 {
					return nil, nil, r.errorf(posOf(it.Pos), 1, "attributes not allowed on top-level use")
				}
				nameID := *lastID(&u.Path)
				if u.As != nil {
					nameID = *u.As
				}
				if pkgName := foreignPackageName(&u.Path); pkgName != "" {
					fi := r.foreign[pkgName].byKey[idName(*u.Path.Name)]
					items[idName(nameID)] = itemRef{world: fi.world, id: fi.id}
				} else {
					items[idName(nameID)] = r.packageItems[idName(u.Path.First)]
				}
			}
		}
		r.astItems = append(r.astItems, items)
	}
	return ifaceOrder, worldOrder, nil
}

// lastID is the name a path ends in.
func lastID(p *astUsePath) *astID {
	if p.Name != nil {
		return p.Name
	}
	return &p.First
}

// populateForeignTypes allocates a placeholder for every type that a `use`
// takes from another package.
func (r *astResolver) populateForeignTypes(lists []declList) error {
	for i, dl := range lists {
		r.cur = i
		err := forEachPath(dl, func(_ string, attrs []*astAttr, p *astUsePath, names []*astUseName, _ pathKind) error {
			if names == nil {
				return nil
			}
			ref, err := r.resolvePath(p)
			if err != nil {
				return err
			}
			if ref.id >= r.pkg.nForeignIfaces && !ref.world || ref.world && ref.id >= r.pkg.nForeignWorlds {
				return nil // local
			}
			iface, err := r.ifaceOf(ref, p)
			if err != nil {
				return err
			}
			m := r.ifaceTypes[iface]
			if m == nil {
				m = map[string]nameEntry{}
				r.ifaceTypes[iface] = m
			}
			for _, n := range names {
				name := idName(n.Name)
				if _, ok := m[name]; ok {
					continue
				}
				id := TypeID(len(r.pkg.types))
				r.pkg.types = append(r.pkg.types, &TypeDef{Name: name, Kind: &unknownKind{}, Owner: Owner{Kind: OwnerInterface, Interface: iface}, Stability: stability(attrs), Pos: idPos(n.Name)})
				r.pkg.foreignTypes = append(r.pkg.foreignTypes, foreignTypeRef{iface: iface, name: name, pos: idPos(n.Name)})
				r.pkg.nForeignTypes++
				m[name] = nameEntry{typ: id, pos: idPos(n.Name)}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// resolvePath finds what a use-path names, in the current file's scope.
func (r *astResolver) resolvePath(p *astUsePath) (itemRef, error) {
	if pkgName := foreignPackageName(p); pkgName != "" {
		fi := r.foreign[pkgName].byKey[idName(*p.Name)]
		return itemRef{world: fi.world, id: fi.id}, nil
	}
	name := idName(p.First)
	if ref, ok := r.astItems[r.cur][name]; ok {
		return ref, nil
	}
	if ref, ok := r.packageItems[name]; ok {
		return ref, nil
	}
	candidates := append(mapKeys(r.packageItems), mapKeys(r.astItems[r.cur])...)
	return itemRef{}, r.errorf(idPos(p.First), len(p.First.Name), "interface or world `%s` does not exist%s", name, didYouMean(name, candidates))
}

// ifaceOf requires a path to name an interface.
func (r *astResolver) ifaceOf(ref itemRef, p *astUsePath) (InterfaceID, error) {
	if ref.world {
		id := lastID(p)
		return 0, r.errorf(idPos(*id), len(id.Name), "name `%s` is defined as a world, not an interface", idName(*id))
	}
	return InterfaceID(ref.id), nil
}

func (r *astResolver) resetLookup() {
	r.lookup = map[string]nameEntry{}
	r.lookupOrder = r.lookupOrder[:0]
}

func (r *astResolver) define(id astID, e nameEntry) error {
	name := idName(id)
	if _, dup := r.lookup[name]; dup {
		return r.errorf(idPos(id), len(id.Name), "name `%s` is defined more than once", name)
	}
	r.lookup[name] = e
	r.lookupOrder = append(r.lookupOrder, name)
	return nil
}

func (r *astResolver) resolveInterface(id InterfaceID, items []*astIfaceItem, docs string, attrs []*astAttr) error {
	iface := r.pkg.interfaces[id]
	iface.Docs = docs
	iface.Stability = stability(attrs)
	r.resetLookup()
	var uses []*astIfaceItem
	var defs []*astIfaceItem
	for _, it := range items {
		switch {
		case it.Use != nil:
			uses = append(uses, it)
		case it.TypeDef != nil:
			defs = append(defs, it)
		}
	}
	owner := Owner{Kind: OwnerInterface, Interface: id}
	if err := r.resolveTypes(owner, useItemsOf(uses), typeItemsOf(defs)); err != nil {
		return err
	}
	types := map[string]nameEntry{}
	for _, name := range r.lookupOrder {
		e := r.lookup[name]
		iface.Types.Set(name, e.typ)
		types[name] = e
	}
	for _, it := range items {
		switch {
		case it.Func != nil:
			f := it.Func
			if err := r.define(f.Name, nameEntry{what: "function", pos: idPos(f.Name)}); err != nil {
				return err
			}
			fn, err := r.resolveFunction(idName(f.Name), Freestanding, 0, &f.Func, it.docs, it.Attrs, idPos(f.Name))
			if err != nil {
				return err
			}
			types[idName(f.Name)] = nameEntry{what: "function"}
			iface.Functions.Set(fn.Name, fn)
		case it.TypeDef != nil && it.TypeDef.Resource != nil:
			fns, err := r.resolveResourceFuncs(it.TypeDef.Resource)
			if err != nil {
				return err
			}
			for _, fn := range fns {
				iface.Functions.Set(fn.Name, fn)
			}
		}
	}
	r.ifaceTypes[id] = types
	return nil
}

// typeItem is a named type definition with its attributes and docs.
type typeItem struct {
	def   *astTypeDef
	attrs []*astAttr
	docs  string
	pos   Pos
}

type useItem struct {
	use   *astUse
	attrs []*astAttr
}

func useItemsOf(items []*astIfaceItem) []useItem {
	out := make([]useItem, len(items))
	for i, it := range items {
		out[i] = useItem{use: it.Use, attrs: it.Attrs}
	}
	return out
}

func typeItemsOf(items []*astIfaceItem) []typeItem {
	out := make([]typeItem, len(items))
	for i, it := range items {
		out[i] = typeItem{def: it.TypeDef, attrs: it.Attrs, docs: it.docs, pos: posOf(it.Pos)}
	}
	return out
}

func typeDefName(td *astTypeDef) astID {
	switch {
	case td.Resource != nil:
		return td.Resource.Name
	case td.Record != nil:
		return td.Record.Name
	case td.Variant != nil:
		return td.Variant.Name
	case td.Enum != nil:
		return td.Enum.Name
	case td.Flags != nil:
		return td.Flags.Name
	}
	return td.Alias.Name
}

// resolveTypes defines the `use`d names first, then the type definitions in
// dependency order; anonymous types are allocated as they are met.
func (r *astResolver) resolveTypes(owner Owner, uses []useItem, defs []typeItem) error {
	for _, u := range uses {
		if err := r.resolveUse(owner, u); err != nil {
			return err
		}
	}
	var nodes []topoNode
	index := map[string]int{}
	for _, name := range r.lookupOrder {
		index[name] = len(nodes)
		nodes = append(nodes, topoNode{name: name})
	}
	byName := map[string]typeItem{}
	for _, d := range defs {
		id := typeDefName(d.def)
		name := idName(id)
		if _, dup := byName[name]; dup {
			return r.errorf(idPos(id), len(id.Name), "name `%s` is defined more than once", name)
		}
		byName[name] = d
		var deps []topoRef
		collectDeps(d.def, &deps)
		if i, ok := index[name]; ok {
			// A definition with the name of a `use`d type: reported when it is defined.
			nodes[i].deps = deps
			continue
		}
		index[name] = len(nodes)
		nodes = append(nodes, topoNode{name: name, pos: idPos(id), deps: deps})
	}
	order, err := toposort("type", nodes, r.src)
	if err != nil {
		return err
	}
	for _, i := range order {
		d, ok := byName[nodes[i].name]
		if !ok {
			continue
		}
		delete(byName, nodes[i].name)
		r.st = stability(d.attrs)
		kind, err := r.resolveTypeDefKind(d.def)
		if err != nil {
			return err
		}
		id := TypeID(len(r.pkg.types))
		nameID := typeDefName(d.def)
		r.pkg.types = append(r.pkg.types, &TypeDef{Name: idName(nameID), Kind: kind, Owner: owner, Docs: d.docs, Stability: stability(d.attrs), Pos: idPos(nameID)})
		if err := r.define(nameID, nameEntry{typ: id, pos: idPos(nameID)}); err != nil {
			return err
		}
	}
	return nil
}

func (r *astResolver) resolveUse(owner Owner, u useItem) error {
	ref, err := r.resolvePath(&u.use.Path)
	if err != nil {
		return err
	}
	from, err := r.ifaceOf(ref, &u.use.Path)
	if err != nil {
		return err
	}
	st := stability(u.attrs)
	for _, n := range u.use.Names {
		name := idName(n.Name)
		e, ok := r.ifaceTypes[from][name]
		switch {
		case !ok:
			return r.errorf(idPos(n.Name), len(n.Name.Name), "name `%s` does not exist%s", name, didYouMean(name, mapKeys(r.ifaceTypes[from])))
		case e.what != "":
			return r.errorf(idPos(n.Name), len(n.Name.Name), "cannot import %s `%s`", e.what, name)
		}
		local := n.Name
		if n.As != nil {
			local = *n.As
		}
		id := TypeID(len(r.pkg.types))
		r.pkg.types = append(r.pkg.types, &TypeDef{Name: idName(local), Kind: &Alias{Type: Ref(e.typ)}, Owner: owner, Stability: st, Pos: idPos(local)})
		if err := r.define(local, nameEntry{typ: id, pos: idPos(local)}); err != nil {
			return err
		}
	}
	return nil
}

// collectDeps lists the local names a type definition refers to.
func collectDeps(td *astTypeDef, deps *[]topoRef) {
	switch {
	case td.Record != nil:
		for _, f := range td.Record.Fields {
			collectTypeDeps(&f.Type, deps)
		}
	case td.Variant != nil:
		for _, c := range td.Variant.Cases {
			if c.Type != nil {
				collectTypeDeps(c.Type, deps)
			}
		}
	case td.Alias != nil:
		collectTypeDeps(&td.Alias.Type, deps)
	}
}

func collectTypeDeps(t *astType, deps *[]topoRef) {
	add := func(id *astID) {
		*deps = append(*deps, topoRef{name: idName(*id), pos: idPos(*id), len: len(id.Name)})
	}
	switch {
	case t.Named != nil:
		add(t.Named)
	case t.Own != nil:
		add(t.Own)
	case t.Borrow != nil:
		add(t.Borrow)
	case t.List != nil:
		collectTypeDeps(&t.List.Elem, deps)
	case t.Map != nil:
		collectTypeDeps(&t.Map.Key, deps)
		collectTypeDeps(&t.Map.Value, deps)
	case t.Option != nil:
		collectTypeDeps(t.Option, deps)
	case t.Result != nil:
		for _, x := range []*astType{t.Result.Err1, t.Result.OK, t.Result.Err} {
			if x != nil {
				collectTypeDeps(x, deps)
			}
		}
	case t.Tuple != nil:
		for _, x := range t.Tuple.Types {
			collectTypeDeps(x, deps)
		}
	case t.Future != nil && t.Future.Elem != nil:
		collectTypeDeps(t.Future.Elem, deps)
	case t.Stream != nil && t.Stream.Elem != nil:
		collectTypeDeps(t.Stream.Elem, deps)
	}
}

func (r *astResolver) resolveTypeDefKind(td *astTypeDef) (TypeDefKind, error) {
	switch {
	case td.Resource != nil:
		return &Resource{}, nil
	case td.Record != nil:
		rec := &Record{Fields: make([]Field, 0, len(td.Record.Fields))}
		for _, f := range td.Record.Fields {
			t, err := r.resolveType(&f.Type)
			if err != nil {
				return nil, err
			}
			rec.Fields = append(rec.Fields, Field{Name: idName(f.Name), Type: t, Docs: f.docs, Pos: idPos(f.Name)})
		}
		return rec, nil
	case td.Variant != nil:
		if len(td.Variant.Cases) == 0 {
			return nil, r.errorf(idPos(td.Variant.Name), len(td.Variant.Name.Name), "empty variant")
		}
		v := &Variant{Cases: make([]Case, 0, len(td.Variant.Cases))}
		for _, c := range td.Variant.Cases {
			t := NoType
			if c.Type != nil {
				var err error
				if t, err = r.resolveType(c.Type); err != nil {
					return nil, err
				}
			}
			v.Cases = append(v.Cases, Case{Name: idName(c.Name), Type: t, Docs: c.docs, Pos: idPos(c.Name)})
		}
		return v, nil
	case td.Enum != nil:
		if len(td.Enum.Cases) == 0 {
			return nil, r.errorf(idPos(td.Enum.Name), len(td.Enum.Name.Name), "empty enum")
		}
		e := &Enum{Cases: make([]EnumCase, 0, len(td.Enum.Cases))}
		for _, c := range td.Enum.Cases {
			if c.Type != nil {
				return nil, r.errorf(posOf(c.Type.Pos), 1, "enum cases cannot have payloads")
			}
			e.Cases = append(e.Cases, EnumCase{Name: idName(c.Name), Docs: c.docs, Pos: idPos(c.Name)})
		}
		return e, nil
	case td.Flags != nil:
		fl := &Flags{Flags: make([]Flag, 0, len(td.Flags.Flags))}
		for _, c := range td.Flags.Flags {
			if c.Type != nil {
				return nil, r.errorf(posOf(c.Type.Pos), 1, "flags cannot have payloads")
			}
			fl.Flags = append(fl.Flags, Flag{Name: idName(c.Name), Docs: c.docs, Pos: idPos(c.Name)})
		}
		return fl, nil
	}
	return r.typeKind(&td.Alias.Type)
}

// typeKind resolves a type expression into the kind of a (named or
// anonymous) type definition.
func (r *astResolver) typeKind(t *astType) (TypeDefKind, error) {
	switch {
	case t.Primitive != "":
		p, _ := PrimitiveByName(t.Primitive)
		return &Alias{Type: p}, nil
	case t.Named != nil:
		id, err := r.typeName(t.Named)
		if err != nil {
			return nil, err
		}
		return &Alias{Type: Ref(id)}, nil
	case t.Own != nil:
		id, err := r.resourceName(t.Own)
		if err != nil {
			return nil, err
		}
		return &Own{Resource: id}, nil
	case t.Borrow != nil:
		id, err := r.resourceName(t.Borrow)
		if err != nil {
			return nil, err
		}
		return &Borrow{Resource: id}, nil
	case t.List != nil:
		elem, err := r.resolveType(&t.List.Elem)
		if err != nil {
			return nil, err
		}
		if t.List.Len == nil {
			return &List{Elem: elem}, nil
		}
		n, err := strconv.ParseUint(t.List.Len.Value, 10, 32)
		if err != nil {
			return nil, r.errorf(posOf(t.List.Len.Pos), len(t.List.Len.Value), "invalid fixed-length list size")
		}
		if n == 0 {
			return nil, r.errorf(posOf(t.List.Len.Pos), len(t.List.Len.Value), "fixed-length lists must have a length greater than zero")
		}
		return &FixedList{Elem: elem, Len: uint32(n)}, nil
	case t.Map != nil:
		k, err := r.resolveType(&t.Map.Key)
		if err != nil {
			return nil, err
		}
		switch k {
		case Bool, U8, U16, U32, U64, S8, S16, S32, S64, Char, String:
		default:
			return nil, r.errorf(posOf(t.Pos), 3, "invalid map key type: map keys must be bool, u8, u16, u32, u64, s8, s16, s32, s64, char, or string")
		}
		v, err := r.resolveType(&t.Map.Value)
		if err != nil {
			return nil, err
		}
		return &Map{Key: k, Value: v}, nil
	case t.Option != nil:
		x, err := r.resolveType(t.Option)
		if err != nil {
			return nil, err
		}
		return &Option{Type: x}, nil
	case t.Result != nil:
		res := &Result{}
		var err error
		a := t.Result
		if a.Err1 != nil {
			if res.Err, err = r.resolveType(a.Err1); err != nil {
				return nil, err
			}
		}
		if a.OK != nil {
			if res.OK, err = r.resolveType(a.OK); err != nil {
				return nil, err
			}
		}
		if a.Err != nil {
			if res.Err, err = r.resolveType(a.Err); err != nil {
				return nil, err
			}
		}
		return res, nil
	case t.Tuple != nil:
		tu := &Tuple{Types: make([]Type, 0, len(t.Tuple.Types))}
		for _, x := range t.Tuple.Types {
			y, err := r.resolveType(x)
			if err != nil {
				return nil, err
			}
			tu.Types = append(tu.Types, y)
		}
		return tu, nil
	case t.Future != nil:
		x, err := r.optType(t.Future.Elem)
		return &Future{Elem: x}, err
	case t.Stream != nil:
		x, err := r.optType(t.Stream.Elem)
		return &Stream{Elem: x}, err
	}
	return nil, r.errorf(posOf(t.Pos), 1, "unsupported type")
}

func (r *astResolver) optType(t *astType) (Type, error) {
	if t == nil {
		return NoType, nil
	}
	return r.resolveType(t)
}

// resolveType resolves a type used in a field, parameter or payload.
// Anonymous types are interned per package; `own<r>` is just `r` here (the
// merge turns references to resources into shared own handles).
func (r *astResolver) resolveType(t *astType) (Type, error) {
	kind, err := r.typeKind(t)
	if err != nil {
		return NoType, err
	}
	switch k := kind.(type) {
	case *Alias:
		return k.Type, nil
	case *Own:
		return Ref(k.Resource), nil
	}
	key := anonKey(kind)
	if id, ok := r.anon[key]; ok {
		return Ref(id), nil
	}
	id := TypeID(len(r.pkg.types))
	r.pkg.types = append(r.pkg.types, &TypeDef{Kind: kind, Stability: r.st, Pos: posOf(t.Pos)})
	r.anon[key] = id
	return Ref(id), nil
}

// anonKey is the structural identity of an anonymous type.
func anonKey(k TypeDefKind) string {
	var b strings.Builder
	switch k := k.(type) {
	case *Borrow:
		fmt.Fprintf(&b, "borrow %d", k.Resource)
	case *List:
		fmt.Fprintf(&b, "list %d", k.Elem)
	case *FixedList:
		fmt.Fprintf(&b, "fixed %d %d", k.Elem, k.Len)
	case *Map:
		fmt.Fprintf(&b, "map %d %d", k.Key, k.Value)
	case *Option:
		fmt.Fprintf(&b, "option %d", k.Type)
	case *Result:
		fmt.Fprintf(&b, "result %d %d", k.OK, k.Err)
	case *Tuple:
		b.WriteString("tuple")
		for _, t := range k.Types {
			fmt.Fprintf(&b, " %d", t)
		}
	case *Future:
		fmt.Fprintf(&b, "future %d", k.Elem)
	case *Stream:
		fmt.Fprintf(&b, "stream %d", k.Elem)
	default:
		fmt.Fprintf(&b, "%T %p", k, k)
	}
	return b.String()
}

// typeName looks a name up in the current interface or world.
func (r *astResolver) typeName(id *astID) (TypeID, error) {
	name := idName(*id)
	e, ok := r.lookup[name]
	if !ok {
		return 0, r.errorf(idPos(*id), len(id.Name), "type `%s` does not exist%s", name, didYouMean(name, append(append([]string(nil), r.lookupOrder...), primitiveNames[1:]...)))
	}
	if e.what != "" {
		return 0, r.errorf(idPos(*id), len(id.Name), "cannot use %s `%s` as a type", e.what, name)
	}
	return e.typ, nil
}

// resourceName resolves the name inside own<..>/borrow<..>, which must be
// a resource (through aliases). A type of another package is checked later.
func (r *astResolver) resourceName(id *astID) (TypeID, error) {
	tid, err := r.typeName(id)
	if err != nil {
		return 0, err
	}
	cur := tid
	for {
		switch k := r.pkg.types[cur].Kind.(type) {
		case *Resource:
			return tid, nil
		case *unknownKind:
			r.pkg.requiredResources = append(r.pkg.requiredResources, requiredResource{id: cur, pos: idPos(*id)})
			return tid, nil
		case *Alias:
			if next, ok := k.Type.TypeID(); ok {
				cur = next
				continue
			}
		}
		return 0, r.errorf(idPos(*id), len(id.Name), "type `%s` used in a handle must be a resource", idName(*id))
	}
}

func (r *astResolver) resolveParams(params []*astParam) ([]Param, error) {
	out := make([]Param, 0, len(params))
	seen := map[string]bool{}
	for _, p := range params {
		name := idName(p.Name)
		if seen[name] {
			return nil, r.errorf(idPos(p.Name), len(p.Name.Name), "param `%s` is defined more than once", name)
		}
		seen[name] = true
		t, err := r.resolveType(&p.Type)
		if err != nil {
			return nil, err
		}
		out = append(out, Param{Name: name, Type: t})
	}
	return out, nil
}

func (r *astResolver) resolveFunction(name string, kind FunctionKind, resource TypeID, ft *astFuncType, docs string, attrs []*astAttr, pos Pos) (*Function, error) {
	fn := &Function{Name: name, Kind: kind, Async: ft.Async, Resource: resource, Docs: docs, Stability: stability(attrs), Pos: pos}
	r.st = Stability{}
	if kind == Method {
		r.st = r.pkg.types[resource].Stability
		self := r.anonType(&Borrow{Resource: resource}, pos)
		r.st = Stability{}
		fn.Params = append(fn.Params, Param{Name: "self", Type: self})
	}
	params, err := r.resolveParams(ft.Params)
	if err != nil {
		return nil, err
	}
	fn.Params = append(fn.Params, params...)
	if ft.Result != nil {
		if fn.Result, err = r.resolveType(ft.Result); err != nil {
			return nil, err
		}
	}
	return fn, nil
}

// anonType interns an anonymous type definition.
func (r *astResolver) anonType(kind TypeDefKind, pos Pos) Type {
	key := anonKey(kind)
	if id, ok := r.anon[key]; ok {
		return Ref(id)
	}
	id := TypeID(len(r.pkg.types))
	r.pkg.types = append(r.pkg.types, &TypeDef{Kind: kind, Stability: r.st, Pos: pos})
	r.anon[key] = id
	return Ref(id)
}

// resolveResourceFuncs resolves a resource's constructor, methods and
// static functions, named `[constructor]r`, `[method]r.m`, `[static]r.s`.
func (r *astResolver) resolveResourceFuncs(res *astResource) ([]*Function, error) {
	rname := idName(res.Name)
	rid := r.lookup[rname].typ
	var out []*Function
	seen := map[string]bool{}
	for _, it := range res.Items {
		if c := it.Constructor; c != nil {
			pos := posOf(c.Pos)
			if seen["constructor"] {
				return nil, r.errorf(pos, len("constructor"), "duplicate constructors")
			}
			seen["constructor"] = true
			fn := &Function{Name: "[constructor]" + rname, Kind: Constructor, Resource: rid, Docs: it.docs, Stability: stability(it.Attrs), Pos: pos}
			r.st = Stability{}
			params, err := r.resolveParams(c.Params)
			if err != nil {
				return nil, err
			}
			fn.Params = params
			if c.Result == nil {
				fn.Result = Ref(rid)
			} else {
				if c.Result.Result == nil {
					return nil, r.errorf(posOf(c.Result.Pos), 1, "if a constructor return type is declared it must be a `result`")
				}
				ok := c.Result.Result.OK
				if ok == nil || ok.Named == nil || idName(*ok.Named) != rname {
					p := posOf(c.Result.Pos)
					if ok != nil {
						p = posOf(ok.Pos)
					}
					return nil, r.errorf(p, 1, "the `ok` type must be the resource being constructed")
				}
				t, err := r.resolveType(c.Result)
				if err != nil {
					return nil, err
				}
				fn.Result = t
			}
			out = append(out, fn)
			continue
		}
		m := it.Func
		name := idName(m.Name)
		if seen[name] {
			return nil, r.errorf(idPos(m.Name), len(m.Name.Name), "duplicate function name `%s`", name)
		}
		seen[name] = true
		kind, full := Method, "[method]"+rname+"."+name
		if m.Static {
			kind, full = Static, "[static]"+rname+"."+name
		}
		fn, err := r.resolveFunction(full, kind, rid, &m.Func, it.docs, it.Attrs, idPos(m.Name))
		if err != nil {
			return nil, err
		}
		out = append(out, fn)
	}
	return out, nil
}

// resolveWorld resolves a world's types, includes, imports and exports.
func (r *astResolver) resolveWorld(id WorldID, w *astWorld, top *astTopItem) error {
	world := r.pkg.worlds[id]
	world.Docs = top.docs
	world.Stability = stability(top.Attrs)
	r.resetLookup()
	var uses []useItem
	var defs []typeItem
	for _, it := range w.Items {
		switch {
		case it.Use != nil:
			uses = append(uses, useItem{use: it.Use, attrs: it.Attrs})
		case it.TypeDef != nil:
			defs = append(defs, typeItem{def: it.TypeDef, attrs: it.Attrs, docs: it.docs, pos: posOf(it.Pos)})
		}
	}
	if err := r.resolveTypes(Owner{Kind: OwnerWorld, World: id}, uses, defs); err != nil {
		return err
	}
	for _, it := range w.Items {
		if inc := it.Include; inc != nil {
			ref, err := r.resolvePath(&inc.Path)
			if err != nil {
				return err
			}
			if !ref.world {
				n := lastID(&inc.Path)
				return r.errorf(idPos(*n), len(n.Name), "name `%s` is defined as an interface, not a world", idName(*n))
			}
			pi := pendingInclude{world: WorldID(ref.id), stability: stability(it.Attrs), pos: idPos(*lastID(&inc.Path))}
			for _, n := range inc.Names {
				pi.names = append(pi.names, includeRename{name: idName(n.Name), as: idName(n.As), pos: idPos(n.Name)})
			}
			r.pkg.includes[id] = append(r.pkg.includes[id], pi)
		}
	}
	importNames := map[string]string{}
	exportNames := map[string]string{}
	for _, name := range r.lookupOrder {
		e := r.lookup[name]
		importNames[name] = "type"
		world.Imports.Set(NameKey(name), &WorldItem{Kind: ItemType, Type: e.typ, Pos: e.pos})
	}
	imported := map[InterfaceID]bool{}
	exported := map[InterfaceID]bool{}
	for _, it := range w.Items {
		var ext *astExtern
		desc, names, ifaces, dst := "import", importNames, imported, &world.Imports
		switch {
		case it.Import != nil:
			ext = it.Import
		case it.Export != nil:
			ext = it.Export
			desc, names, ifaces, dst = "export", exportNames, exported, &world.Exports
		case it.TypeDef != nil && it.TypeDef.Resource != nil:
			fns, err := r.resolveResourceFuncs(it.TypeDef.Resource)
			if err != nil {
				return err
			}
			for _, fn := range fns {
				world.Imports.Set(NameKey(fn.Name), &WorldItem{Kind: ItemFunction, Function: fn, Pos: fn.Pos})
			}
			continue
		default:
			continue
		}
		item, key, err := r.resolveExtern(ext, it, desc, names)
		if err != nil {
			return err
		}
		// Only `import a:b/c;` names an interface by identity; labelled
		// imports (`import x: a:b/c;`) may use one interface several times.
		if item.Kind == ItemInterface && key.IsInterface() {
			if ifaces[item.Interface] {
				return r.errorf(posOf(ext.Pos), 1, "interface cannot be %sed more than once", desc)
			}
			ifaces[item.Interface] = true
		}
		dst.Set(key, item)
	}
	return nil
}

// resolveExtern resolves what follows `import`/`export`.
func (r *astResolver) resolveExtern(ext *astExtern, it *astWorldItem, desc string, names map[string]string) (*WorldItem, WorldKey, error) {
	st := stability(it.Attrs)
	pos := posOf(ext.Pos)
	if ext.Path != nil {
		id, err := r.externPath(ext.Path)
		if err != nil {
			return nil, WorldKey{}, err
		}
		return &WorldItem{Kind: ItemInterface, Interface: id, Stability: st, Docs: it.docs, Pos: pos}, InterfaceKey(id), nil
	}
	n := ext.Named
	name := idName(n.Name)
	what := "func"
	if n.Func == nil {
		what = "interface"
	}
	if prev, dup := names[name]; dup {
		return nil, WorldKey{}, r.errorf(pos, len(n.Name.Name), "%s `%s` conflicts with prior %s of same name", desc, name, prev)
	}
	names[name] = what
	switch {
	case n.Func != nil:
		fn, err := r.resolveFunction(name, Freestanding, 0, n.Func, it.docs, it.Attrs, pos)
		if err != nil {
			return nil, WorldKey{}, err
		}
		return &WorldItem{Kind: ItemFunction, Function: fn, Pos: pos}, NameKey(name), nil
	case n.Interface != nil:
		id := InterfaceID(len(r.pkg.interfaces))
		r.pkg.interfaces = append(r.pkg.interfaces, &Interface{Pos: pos})
		saved, savedOrder := r.lookup, append([]string(nil), r.lookupOrder...)
		if err := r.resolveInterface(id, n.Interface.Items, it.docs, it.Attrs); err != nil {
			return nil, WorldKey{}, err
		}
		r.pkg.interfaces[id].Docs = ""
		r.lookup, r.lookupOrder = saved, savedOrder
		return &WorldItem{Kind: ItemInterface, Interface: id, Stability: st, Docs: it.docs, Pos: pos}, NameKey(name), nil
	}
	id, err := r.externPath(n.Path)
	if err != nil {
		return nil, WorldKey{}, err
	}
	return &WorldItem{Kind: ItemInterface, Interface: id, Stability: st, Docs: it.docs, Pos: pos}, NameKey(name), nil
}

func (r *astResolver) externPath(p *astUsePath) (InterfaceID, error) {
	ref, err := r.resolvePath(p)
	if err != nil {
		return 0, err
	}
	return r.ifaceOf(ref, p)
}
