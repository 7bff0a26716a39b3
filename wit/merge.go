package wit

import (
	"fmt"
	"sort"
	"strings"
)

// merger copies one unresolvedPackage into a Resolve: it maps foreign
// placeholders to what earlier packages defined, drops items whose feature
// gate is off, turns references to resources into shared `own` handles,
// flattens includes and elaborates worlds.
type merger struct {
	res    *Resolve
	up     *unresolvedPackage
	pkg    PackageID
	types  []TypeID // local -> final, -1 when gated out
	ifaces []InterfaceID
	worlds []WorldID
	// One anonymous own<R> per resource, shared by the whole package.
	ownHandles map[TypeID]TypeID
	// The ID the world being updated will get.
	nextWorld WorldID
}

const excluded = -1

func (m *merger) errorf(p Pos, length int, format string, args ...any) error {
	return errorAt(m.res.Sources[p.File], p, length, format, args...)
}

// mergePackage adds up to res and returns its ID.
func (res *Resolve) mergePackage(up *unresolvedPackage) (PackageID, error) {
	name := up.name.String()
	if _, dup := res.PackageNames[name]; dup {
		return 0, errorAt(res.Sources[up.pos.File], up.pos, len(name), "package `%s` is defined more than once", name)
	}
	pkgID := PackageID(len(res.Packages))
	res.Packages = append(res.Packages, &Package{Name: up.name, Docs: up.docs, Pos: up.pos})
	res.PackageNames[name] = pkgID
	m := &merger{res: res, up: up, pkg: pkgID, ownHandles: map[TypeID]TypeID{}}
	if err := m.merge(); err != nil {
		// Leave the Resolve as it was.
		res.Packages = res.Packages[:pkgID]
		delete(res.PackageNames, name)
		return 0, err
	}
	return pkgID, nil
}

func (m *merger) merge() error {
	if err := m.foreignDeps(); err != nil {
		return err
	}
	up, res := m.up, m.res
	for i := up.nForeignTypes; i < len(up.types); i++ {
		td := up.types[i]
		ok, err := m.include(td.Stability, td.Pos, len(td.Name))
		if err != nil {
			return err
		}
		if !ok {
			m.types = append(m.types, excluded)
			continue
		}
		cp := *td
		if td.Name == "" && m.refersToExcluded(td.Kind) {
			// An anonymous type made for a gated-out item goes with it.
			m.types = append(m.types, excluded)
			continue
		}
		if err := m.updateTypeDef(&cp); err != nil {
			return err
		}
		id := TypeID(len(res.Types))
		res.Types = append(res.Types, &cp)
		m.types = append(m.types, id)
	}
	for i := up.nForeignIfaces; i < len(up.interfaces); i++ {
		src := up.interfaces[i]
		ok, err := m.include(src.Stability, src.Pos, len(src.Name))
		if err != nil {
			return err
		}
		if !ok {
			m.ifaces = append(m.ifaces, excluded)
			continue
		}
		iface, err := m.updateInterface(src)
		if err != nil {
			return err
		}
		id := InterfaceID(len(res.Interfaces))
		res.Interfaces = append(res.Interfaces, iface)
		m.ifaces = append(m.ifaces, id)
	}
	// Interfaces are known now: fix the owners of interface types.
	for i := up.nForeignTypes; i < len(up.types); i++ {
		id := m.types[i]
		if id == excluded {
			continue
		}
		td := res.Types[id]
		if td.Owner.Kind == OwnerInterface {
			owner, err := m.mapIface(td.Owner.Interface, td.Pos, len(td.Name), true)
			if err != nil {
				return err
			}
			td.Owner.Interface = owner
		}
	}
	for i := up.nForeignWorlds; i < len(up.worlds); i++ {
		src := up.worlds[i]
		ok, err := m.include(src.Stability, src.Pos, len(src.Name))
		if err != nil {
			return err
		}
		if !ok {
			m.worlds = append(m.worlds, excluded)
			continue
		}
		id := WorldID(len(res.Worlds))
		m.nextWorld = id
		w, err := m.updateWorld(WorldID(i), src, id)
		if err != nil {
			return err
		}
		res.Worlds = append(res.Worlds, w)
		m.worlds = append(m.worlds, id)
	}
	for i := up.nForeignTypes; i < len(up.types); i++ {
		id := m.types[i]
		if id != excluded && res.Types[id].Owner.Kind == OwnerWorld {
			w := m.worlds[res.Types[id].Owner.World]
			res.Types[id].Owner.World = w
		}
	}
	pkg := res.Packages[m.pkg]
	for _, id := range m.ifaces[up.nForeignIfaces:] {
		if id != excluded && res.Interfaces[id].Name != "" {
			pkg.Interfaces.Set(res.Interfaces[id].Name, id)
		}
	}
	for _, id := range m.worlds[up.nForeignWorlds:] {
		if id != excluded {
			pkg.Worlds.Set(res.Worlds[id].Name, id)
		}
	}
	return nil
}

// foreignDeps maps placeholders of other packages' interfaces, worlds and
// types to what those packages defined.
func (m *merger) foreignDeps() error {
	up, res := m.up, m.res
	m.types = make([]TypeID, 0, len(up.types))
	m.ifaces = make([]InterfaceID, 0, len(up.interfaces))
	m.worlds = make([]WorldID, 0, len(up.worlds))
	foreignIface := make([]InterfaceID, up.nForeignIfaces)
	foreignWorld := make([]WorldID, up.nForeignWorlds)
	for _, fp := range up.foreignPkgs {
		pid, ok := res.PackageNames[fp.name]
		if !ok {
			var known []string
			for _, p := range res.Packages {
				known = append(known, "    "+p.Name.String())
			}
			return m.errorf(fp.pos, fp.len, "package '%s' not found. known packages:\n%s", fp.name, strings.Join(known, "\n"))
		}
		pkg := res.Packages[pid]
		for _, it := range fp.items {
			var found bool
			if it.world {
				foreignWorld[it.id], found = pkg.Worlds.Get(it.name)
			} else {
				foreignIface[it.id], found = pkg.Interfaces.Get(it.name)
			}
			if found {
				continue
			}
			// An item gated out of its package may only be referred to
			// under a gate that is off too.
			if on, err := m.include(it.stability, it.pos, len(it.name)); err == nil && !on {
				if it.world {
					foreignWorld[it.id] = excluded
				} else {
					foreignIface[it.id] = excluded
				}
				continue
			}
			what := "interface"
			if it.world {
				what = "world"
			}
			names := pkg.Interfaces.Keys()
			if it.world {
				names = pkg.Worlds.Keys()
			}
			return m.errorf(it.pos, len(it.name), "%s '%s' not found in package '%s'%s", what, it.name, fp.name, didYouMean(it.name, names))
		}
	}
	// The maps are indexed by local ID: foreign placeholders come first and
	// local entries are appended after them.
	m.ifaces = append(m.ifaces, foreignIface...)
	m.worlds = append(m.worlds, foreignWorld...)
	for i, ft := range up.foreignTypes {
		var t TypeID
		ok := false
		if iid := foreignIface[ft.iface]; iid != excluded {
			t, ok = res.Interfaces[iid].Types.Get(ft.name)
		}
		if !ok {
			if on, err := m.include(up.types[i].Stability, ft.pos, len(ft.name)); err == nil && !on {
				m.types = append(m.types, excluded)
				continue
			}
			var names []string
			if iid := foreignIface[ft.iface]; iid != excluded {
				names = res.Interfaces[iid].Types.Keys()
			}
			return m.errorf(ft.pos, len(ft.name), "type `%s` not defined in interface%s", ft.name, didYouMean(ft.name, names))
		}
		m.types = append(m.types, t)
	}
	for _, rr := range up.requiredResources {
		if m.types[rr.id] != excluded && !m.isResource(m.types[rr.id]) {
			return m.errorf(rr.pos, 1, "type used in a handle must be a resource")
		}
	}
	return nil
}

// refersToExcluded reports whether a type definition mentions a type that
// a feature gate removed.
func (m *merger) refersToExcluded(k TypeDefKind) bool {
	bad := false
	forEachTypeRef(k, func(t Type) {
		if id, ok := t.TypeID(); ok && int(id) < len(m.types) && m.types[id] == excluded {
			bad = true
		}
	})
	return bad
}

// forEachTypeRef calls f for every type a definition refers to directly.
func forEachTypeRef(k TypeDefKind, f func(Type)) {
	switch k := k.(type) {
	case *Alias:
		f(k.Type)
	case *Record:
		for _, x := range k.Fields {
			f(x.Type)
		}
	case *Variant:
		for _, x := range k.Cases {
			f(x.Type)
		}
	case *Tuple:
		for _, x := range k.Types {
			f(x)
		}
	case *Option:
		f(k.Type)
	case *Result:
		f(k.OK)
		f(k.Err)
	case *List:
		f(k.Elem)
	case *FixedList:
		f(k.Elem)
	case *Map:
		f(k.Key)
		f(k.Value)
	case *Future:
		f(k.Elem)
	case *Stream:
		f(k.Elem)
	case *Own:
		f(Ref(k.Resource))
	case *Borrow:
		f(Ref(k.Resource))
	}
}

// isResource reports whether id is a resource, through aliases.
func (m *merger) isResource(id TypeID) bool {
	for {
		switch k := m.res.Types[id].Kind.(type) {
		case *Resource:
			return true
		case *Alias:
			next, ok := k.Type.TypeID()
			if !ok {
				return false
			}
			id = next
		default:
			return false
		}
	}
}

// include decides whether a gated item is kept.
func (m *merger) include(s Stability, p Pos, length int) (bool, error) {
	switch s.Kind {
	case Stable:
		pkg := m.res.Packages[m.pkg]
		if pkg.Name.Version == nil {
			return false, m.errorf(p, length, "package [%s] contains a feature gate with a version specifier, so it must have a version", pkg.Name)
		}
		if s.Since.Compare(pkg.Name.Version) > 0 {
			return false, m.errorf(p, length, "feature gate cannot reference unreleased version %s of package [%s] (current version %s)", s.Since, pkg.Name, pkg.Name.Version)
		}
		return true, nil
	case Unstable:
		return m.res.AllFeatures || m.res.Features[s.Feature], nil
	}
	return true, nil
}

func (m *merger) mapType(id TypeID, p Pos, length int) (TypeID, error) {
	if int(id) >= len(m.types) {
		return 0, m.errorf(p, length, "internal error: type referenced before it is defined")
	}
	t := m.types[id]
	if t == excluded {
		return 0, m.errorf(p, length, "found a reference to a type which is excluded due to its feature not being activated")
	}
	return t, nil
}

func (m *merger) mapIface(id InterfaceID, p Pos, length int, forType bool) (InterfaceID, error) {
	t := m.ifaces[id]
	if t == excluded {
		msg := "found a reference to a interface which is excluded due to its feature not being activated"
		if forType {
			msg += "; this type is not gated by a feature but its interface is"
		}
		return 0, m.errorf(p, length, "%s", msg)
	}
	return t, nil
}

func (m *merger) mapWorld(id WorldID, p Pos, length int) (WorldID, error) {
	t := m.worlds[id]
	if t == excluded {
		return 0, m.errorf(p, length, "found a reference to a world which is excluded due to its feature not being activated")
	}
	return t, nil
}

// updateType maps a type reference; with own set, a reference to a
// resource becomes the package's shared own<R> handle.
func (m *merger) updateType(t *Type, own bool, p Pos, length int) error {
	id, ok := t.TypeID()
	if !ok {
		return nil
	}
	nid, err := m.mapType(id, p, length)
	if err != nil {
		return err
	}
	*t = Ref(nid)
	if own && m.isResource(nid) {
		h, ok := m.ownHandles[nid]
		if !ok {
			h = TypeID(len(m.res.Types))
			m.res.Types = append(m.res.Types, &TypeDef{Kind: &Own{Resource: nid}})
			m.ownHandles[nid] = h
		}
		*t = Ref(h)
	}
	return nil
}

func (m *merger) updateTypeDef(td *TypeDef) error {
	p, n := td.Pos, len(td.Name)
	if n == 0 {
		n = 1
	}
	up := func(t *Type) error { return m.updateType(t, true, p, n) }
	switch k := td.Kind.(type) {
	case *Alias:
		c := *k
		td.Kind = &c
		return m.updateType(&c.Type, false, p, n)
	case *Record:
		c := &Record{Fields: append([]Field(nil), k.Fields...)}
		td.Kind = c
		for i := range c.Fields {
			f := &c.Fields[i]
			if err := m.updateType(&f.Type, true, f.Pos, len(f.Name)); err != nil {
				return err
			}
		}
	case *Variant:
		c := &Variant{Cases: append([]Case(nil), k.Cases...)}
		td.Kind = c
		for i := range c.Cases {
			cs := &c.Cases[i]
			if err := m.updateType(&cs.Type, true, cs.Pos, len(cs.Name)); err != nil {
				return err
			}
		}
	case *Tuple:
		c := &Tuple{Types: append([]Type(nil), k.Types...)}
		td.Kind = c
		for i := range c.Types {
			if err := up(&c.Types[i]); err != nil {
				return err
			}
		}
	case *Option:
		c := *k
		td.Kind = &c
		return up(&c.Type)
	case *Result:
		c := *k
		td.Kind = &c
		if err := up(&c.OK); err != nil {
			return err
		}
		return up(&c.Err)
	case *List:
		c := *k
		td.Kind = &c
		return up(&c.Elem)
	case *FixedList:
		c := *k
		td.Kind = &c
		return up(&c.Elem)
	case *Map:
		c := *k
		td.Kind = &c
		if err := up(&c.Key); err != nil {
			return err
		}
		return up(&c.Value)
	case *Future:
		c := *k
		td.Kind = &c
		return up(&c.Elem)
	case *Stream:
		c := *k
		td.Kind = &c
		return up(&c.Elem)
	case *Own:
		r, err := m.mapType(k.Resource, p, n)
		td.Kind = &Own{Resource: r}
		return err
	case *Borrow:
		r, err := m.mapType(k.Resource, p, n)
		td.Kind = &Borrow{Resource: r}
		return err
	}
	return nil
}

func (m *merger) updateInterface(src *Interface) (*Interface, error) {
	iface := &Interface{Name: src.Name, Docs: src.Docs, Stability: src.Stability, Package: m.pkg, Pos: src.Pos}
	for name, t := range src.Types.All() {
		if m.types[t] == excluded {
			continue
		}
		iface.Types.Set(name, m.types[t])
	}
	for name, f := range src.Functions.All() {
		ok, err := m.include(f.Stability, f.Pos, len(f.Name))
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		nf, err := m.updateFunction(f)
		if err != nil {
			return nil, err
		}
		iface.Functions.Set(name, nf)
	}
	return iface, nil
}

func (m *merger) updateFunction(f *Function) (*Function, error) {
	nf := *f
	nf.Params = append([]Param(nil), f.Params...)
	length := len(f.ItemName())
	if f.Kind != Freestanding {
		r, err := m.mapType(f.Resource, f.Pos, length)
		if err != nil {
			return nil, err
		}
		nf.Resource = r
	}
	for i := range nf.Params {
		if err := m.updateType(&nf.Params[i].Type, true, f.Pos, length); err != nil {
			return nil, err
		}
	}
	if err := m.updateType(&nf.Result, true, f.Pos, length); err != nil {
		return nil, err
	}
	if nf.Result != NoType && m.res.typeHasBorrow(nf.Result) {
		return nil, m.errorf(f.Pos, length, "function `%s` returns a type which contains a `borrow<T>` which is not supported", f.Name)
	}
	return &nf, nil
}

// typeHasBorrow reports whether t contains a borrow handle.
func (res *Resolve) typeHasBorrow(t Type) bool {
	id, ok := t.TypeID()
	if !ok {
		return false
	}
	switch k := res.Types[id].Kind.(type) {
	case *Borrow:
		return true
	case *Alias:
		return res.typeHasBorrow(k.Type)
	case *Record:
		for _, f := range k.Fields {
			if res.typeHasBorrow(f.Type) {
				return true
			}
		}
	case *Variant:
		for _, c := range k.Cases {
			if res.typeHasBorrow(c.Type) {
				return true
			}
		}
	case *Tuple:
		for _, x := range k.Types {
			if res.typeHasBorrow(x) {
				return true
			}
		}
	case *Option:
		return res.typeHasBorrow(k.Type)
	case *Result:
		return res.typeHasBorrow(k.OK) || res.typeHasBorrow(k.Err)
	case *List:
		return res.typeHasBorrow(k.Elem)
	case *FixedList:
		return res.typeHasBorrow(k.Elem)
	case *Map:
		return res.typeHasBorrow(k.Key) || res.typeHasBorrow(k.Value)
	case *Future:
		return res.typeHasBorrow(k.Elem)
	case *Stream:
		return res.typeHasBorrow(k.Elem)
	}
	return false
}

func (m *merger) updateWorld(local WorldID, src *World, id WorldID) (*World, error) {
	w := &World{Name: src.Name, Package: m.pkg, Docs: src.Docs, Stability: src.Stability, Pos: src.Pos}
	for _, dir := range []struct {
		from, to *OrderedMap[WorldKey, *WorldItem]
	}{{&src.Imports, &w.Imports}, {&src.Exports, &w.Exports}} {
		for key, item := range dir.from.All() {
			it := *item
			var st Stability
			switch it.Kind {
			case ItemType:
				t, err := m.mapType(it.Type, it.Pos, len(key.Name))
				if err != nil {
					return nil, err
				}
				it.Type = t
				st = m.res.Types[t].Stability
			case ItemFunction:
				st = it.Function.Stability
			case ItemInterface:
				st = it.Stability
			}
			ok, err := m.include(st, it.Pos, 1)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			switch it.Kind {
			case ItemInterface:
				iid, err := m.mapIface(it.Interface, it.Pos, 1, false)
				if err != nil {
					return nil, err
				}
				it.Interface = iid
				if key.IsInterface() {
					key = InterfaceKey(iid)
				}
			case ItemFunction:
				f, err := m.updateFunction(it.Function)
				if err != nil {
					return nil, err
				}
				it.Function = f
			}
			dir.to.Set(key, &it)
		}
	}
	for _, inc := range m.up.includes[local] {
		ok, err := m.include(inc.stability, inc.pos, 1)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if err := m.resolveInclude(w, inc); err != nil {
			return nil, err
		}
	}
	if err := m.checkCaseInsensitive(w); err != nil {
		return nil, err
	}
	if err := m.res.elaborateWorld(w); err != nil {
		return nil, m.errorf(w.Pos, len(w.Name), "%v", err)
	}
	return w, nil
}

func (m *merger) resolveInclude(w *World, inc pendingInclude) error {
	wid, err := m.mapWorld(inc.world, inc.pos, 1)
	if err != nil {
		return err
	}
	from := m.res.Worlds[wid]
	unused := append([]includeRename(nil), inc.names...)
	for _, dir := range []*OrderedMap[WorldKey, *WorldItem]{&from.Imports, &from.Exports} {
		for _, k := range dir.Keys() {
			for i := 0; i < len(unused); i++ {
				if !k.IsInterface() && unused[i].name == k.Name {
					unused = append(unused[:i], unused[i+1:]...)
					i--
				}
			}
		}
	}
	if len(unused) > 0 {
		return m.errorf(inc.pos, 1, "no import or export kebab-name `%s`. Note that an ID does not support renaming", unused[0].name)
	}
	external := from.Package != w.Package
	c := &cloner{res: m.res, from: Owner{Kind: OwnerWorld, World: wid}, to: Owner{Kind: OwnerWorld, World: m.nextWorld}, types: map[TypeID]TypeID{}}
	for _, dir := range []struct {
		desc     string
		from, to *OrderedMap[WorldKey, *WorldItem]
	}{{"import", &from.Imports, &w.Imports}, {"export", &from.Exports, &w.Exports}} {
		for key, item := range dir.from.All() {
			if key.IsInterface() {
				merged := *item
				if prev, ok := dir.to.Get(key); ok {
					merged = *prev
				}
				mergeIncludeStability(item.Stability, &merged.Stability, external)
				dir.to.Set(key, &merged)
				continue
			}
			name := key.Name
			for _, n := range inc.names {
				if n.name == name {
					name = n.as
				}
			}
			it := c.worldItem(item, name)
			if it.Kind == ItemFunction && it.Function.Kind != Freestanding {
				name = it.Function.Name
			}
			if dir.to.Has(NameKey(name)) {
				return m.errorf(inc.pos, 1, "%s of `%s` shadows previously %sed items", dir.desc, name, dir.desc)
			}
			dir.to.Set(NameKey(name), it)
		}
	}
	return nil
}

// mergeIncludeStability combines the gate an included interface import
// has in the included world with the one it already has: stable gates of
// another package's world do not carry over, and an ungated entry takes
// the included gate.
func mergeIncludeStability(from Stability, into *Stability, external bool) {
	if external && from.Kind == Stable {
		*into = Stability{}
		return
	}
	if into.Kind == Unknown {
		*into = from
	}
}

// cloner copies the types a world owns into the world that includes it,
// so that each world has its own resources and types (as the reference
// resolver does); types of interfaces are shared.
type cloner struct {
	res      *Resolve
	from, to Owner
	types    map[TypeID]TypeID
}

func (c *cloner) worldItem(item *WorldItem, name string) *WorldItem {
	it := *item
	switch it.Kind {
	case ItemType:
		it.Type = c.typeID(it.Type)
		c.res.Types[it.Type].Name = name
	case ItemFunction:
		f := *it.Function
		f.Params = append([]Param(nil), f.Params...)
		if f.Kind != Freestanding {
			f.Resource = c.typeID(f.Resource)
			rname := c.res.Types[f.Resource].Name
			switch f.Kind {
			case Constructor:
				f.Name = "[constructor]" + rname
			case Method:
				f.Name = "[method]" + rname + "." + f.ItemName()
			case Static:
				f.Name = "[static]" + rname + "." + f.ItemName()
			}
		} else {
			f.Name = name
		}
		for i := range f.Params {
			f.Params[i].Type = c.ty(f.Params[i].Type)
		}
		f.Result = c.ty(f.Result)
		it.Function = &f
	}
	return &it
}

func (c *cloner) ty(t Type) Type {
	if id, ok := t.TypeID(); ok {
		return Ref(c.typeID(id))
	}
	return t
}

func (c *cloner) typeID(id TypeID) TypeID {
	if n, ok := c.types[id]; ok {
		return n
	}
	td := c.res.Types[id]
	if td.Owner.Kind == OwnerInterface || td.Owner.Kind == OwnerWorld && td.Owner != c.from {
		return id
	}
	cp := *td
	if cp.Owner.Kind != OwnerNone {
		cp.Owner = c.to
	}
	switch k := td.Kind.(type) {
	case *Alias:
		if target, ok := k.Type.TypeID(); ok && c.res.Types[target].Owner == c.from {
			cp.Kind = &Alias{Type: c.ty(k.Type)}
		}
	case *Own:
		cp.Kind = &Own{Resource: c.typeID(k.Resource)}
	case *Borrow:
		cp.Kind = &Borrow{Resource: c.typeID(k.Resource)}
	case *Record:
		r := &Record{Fields: append([]Field(nil), k.Fields...)}
		for i := range r.Fields {
			r.Fields[i].Type = c.ty(r.Fields[i].Type)
		}
		cp.Kind = r
	case *Variant:
		v := &Variant{Cases: append([]Case(nil), k.Cases...)}
		for i := range v.Cases {
			v.Cases[i].Type = c.ty(v.Cases[i].Type)
		}
		cp.Kind = v
	case *Tuple:
		t := &Tuple{Types: make([]Type, len(k.Types))}
		for i, x := range k.Types {
			t.Types[i] = c.ty(x)
		}
		cp.Kind = t
	case *Option:
		cp.Kind = &Option{Type: c.ty(k.Type)}
	case *Result:
		cp.Kind = &Result{OK: c.ty(k.OK), Err: c.ty(k.Err)}
	case *List:
		cp.Kind = &List{Elem: c.ty(k.Elem)}
	case *FixedList:
		cp.Kind = &FixedList{Elem: c.ty(k.Elem), Len: k.Len}
	case *Map:
		cp.Kind = &Map{Key: c.ty(k.Key), Value: c.ty(k.Value)}
	case *Future:
		cp.Kind = &Future{Elem: c.ty(k.Elem)}
	case *Stream:
		cp.Kind = &Stream{Elem: c.ty(k.Elem)}
	}
	n := TypeID(len(c.res.Types))
	c.res.Types = append(c.res.Types, &cp)
	c.types[id] = n
	return n
}

// checkCaseInsensitive rejects names that differ only in case: kebab names
// are case-insensitive in the component model.
func (m *merger) checkCaseInsensitive(w *World) error {
	for _, dir := range []struct {
		desc  string
		items *OrderedMap[WorldKey, *WorldItem]
	}{{"import", &w.Imports}, {"export", &w.Exports}} {
		seen := map[string]string{}
		for _, k := range dir.items.Keys() {
			name := k.Name
			if k.IsInterface() {
				name = m.res.InterfaceName(k.Interface)
			}
			low := strings.ToLower(name)
			if prev, ok := seen[low]; ok && prev != name {
				return m.errorf(w.Pos, len(w.Name), "%s `%s` in world `%s` conflicts with %s `%s` (kebab-case identifiers are case-insensitive)", dir.desc, name, w.Name, dir.desc, prev)
			}
			seen[low] = name
		}
	}
	return nil
}

// InterfaceName is an interface's full name (`ns:pkg/iface@ver`), or "" for
// an inline one.
func (res *Resolve) InterfaceName(id InterfaceID) string {
	iface := res.Interfaces[id]
	if iface.Name == "" || iface.Package == NoPackage {
		return iface.Name
	}
	p := res.Packages[iface.Package].Name
	s := p.Namespace + ":" + p.Name + "/" + iface.Name
	if p.Version != nil {
		s += "@" + p.Version.String()
	}
	return s
}

// TypeInterfaceDep returns the interface a type is `use`d from, if it is an
// alias of a type owned elsewhere.
func (res *Resolve) TypeInterfaceDep(id TypeID) (InterfaceID, bool) {
	td := res.Types[id]
	a, ok := td.Kind.(*Alias)
	if !ok {
		return 0, false
	}
	dep, ok := a.Type.TypeID()
	if !ok {
		return 0, false
	}
	other := res.Types[dep]
	if other.Owner == td.Owner || other.Owner.Kind != OwnerInterface {
		return 0, false
	}
	return other.Owner.Interface, true
}

// InterfaceDirectDeps lists the interfaces an interface `use`s types from,
// in the order of its types (with repeats).
func (res *Resolve) InterfaceDirectDeps(id InterfaceID) []InterfaceID {
	var out []InterfaceID
	for t := range res.Interfaces[id].Types.Values() {
		if dep, ok := res.TypeInterfaceDep(t); ok {
			out = append(out, dep)
		}
	}
	return out
}

// worldItemClass orders a world's imports: interfaces, then `use`d types,
// then type definitions, then functions, then resource functions.
func (res *Resolve) worldItemClass(owner Owner, it *WorldItem) int {
	switch it.Kind {
	case ItemInterface:
		return 0
	case ItemType:
		td := res.Types[it.Type]
		if a, ok := td.Kind.(*Alias); ok {
			if dep, ok := a.Type.TypeID(); ok && res.Types[dep].Owner != td.Owner {
				return 1
			}
		}
		return 2
	}
	if it.Function.Kind == Freestanding {
		return 3
	}
	return 4
}

// elaborateWorld adds the interfaces that imports and exports depend on as
// imports (or exports, where the export side provides them) and orders
// imports by class, as the reference resolver does.
func (res *Resolve) elaborateWorld(w *World) error {
	type entry struct {
		key  WorldKey
		item *WorldItem
	}
	sorted := func(om *OrderedMap[WorldKey, *WorldItem]) []entry {
		var es []entry
		for k, v := range om.All() {
			es = append(es, entry{k, v})
		}
		sort.SliceStable(es, func(i, j int) bool {
			return res.worldItemClass(Owner{}, es[i].item) < res.worldItemClass(Owner{}, es[j].item)
		})
		return es
	}
	var imports OrderedMap[WorldKey, *WorldItem]
	var addImport func(key WorldKey, id InterfaceID, st Stability)
	addImport = func(key WorldKey, id InterfaceID, st Stability) {
		if imports.Has(key) {
			return
		}
		for _, dep := range res.InterfaceDirectDeps(id) {
			addImport(InterfaceKey(dep), dep, st)
		}
		imports.Set(key, &WorldItem{Kind: ItemInterface, Interface: id, Stability: st})
	}
	for _, e := range sorted(&w.Imports) {
		switch e.item.Kind {
		case ItemInterface:
			if imports.Has(e.key) {
				continue
			}
			for _, dep := range res.InterfaceDirectDeps(e.item.Interface) {
				addImport(InterfaceKey(dep), dep, e.item.Stability)
			}
			imports.Set(e.key, e.item)
		case ItemFunction:
			imports.Set(e.key, e.item)
		case ItemType:
			if dep, ok := res.TypeInterfaceDep(e.item.Type); ok {
				addImport(InterfaceKey(dep), dep, res.Types[e.item.Type].Stability)
			}
			imports.Set(e.key, e.item)
		}
	}
	var exports OrderedMap[WorldKey, *WorldItem]
	var exportIfaces OrderedMap[InterfaceID, entry]
	for k, v := range w.Exports.All() {
		switch v.Kind {
		case ItemInterface:
			exportIfaces.Set(v.Interface, entry{k, v})
		case ItemFunction:
			exports.Set(k, v)
		}
	}
	required := map[InterfaceID]bool{}
	var addExport func(id InterfaceID, key WorldKey, asExport bool, src *WorldItem) bool
	addExport = func(id InterfaceID, key WorldKey, asExport bool, src *WorldItem) bool {
		if exports.Has(key) {
			return asExport
		}
		if !asExport && required[id] {
			return true
		}
		for _, dep := range res.InterfaceDirectDeps(id) {
			depExport := asExport && exportIfaces.Has(dep)
			if !addExport(dep, InterfaceKey(dep), depExport, src) {
				return false
			}
		}
		item := &WorldItem{Kind: ItemInterface, Interface: id, Stability: src.Stability}
		if asExport {
			if required[id] {
				return false
			}
			if k, ok := exportIfaces.Get(id); ok && k.key == key {
				item = k.item
			}
			exports.Set(key, item)
		} else {
			required[id] = true
			if !imports.Has(key) {
				imports.Set(key, item)
			}
		}
		return true
	}
	for id, e := range exportIfaces.All() {
		if !addExport(id, e.key, true, e.item) {
			name := e.key.Name
			if e.key.IsInterface() {
				name = res.InterfaceName(e.key.Interface)
			}
			return fmt.Errorf("interface `%s` transitively depends on an interface in incompatible ways", name)
		}
	}
	final := sorted(&imports)
	w.Imports = OrderedMap[WorldKey, *WorldItem]{}
	for _, e := range final {
		w.Imports.Set(e.key, e.item)
	}
	w.Exports = exports
	return nil
}
