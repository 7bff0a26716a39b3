package component

import (
	"fmt"

	"github.com/witgo/witgo/wit"
)

// mergeWorld returns a new Resolve with one world that imports and
// exports everything world w of r does, plus the interfaces the world of
// imports imports (the adapter's) and those the world of exports exports
// (wasi:cli/run for a command); either may be nil. r is left as it is.
// An added interface that w's side already has under the same name, or a
// semver-compatible newer one, is shared.
func mergeWorld(r *wit.Resolve, w wit.WorldID, imports, exports *WorldSection) (*wit.Resolve, wit.WorldID, error) {
	dst := wit.NewResolve()
	base := r.Worlds[w]
	merged := &wit.World{Name: base.Name, Docs: base.Docs, Package: wit.NoPackage}
	dst.Worlds = append(dst.Worlds, merged)
	mc := newResolveCopier(dst, r)
	if base.Package != wit.NoPackage {
		merged.Package = mc.pkg(r.Packages[base.Package].Name)
		dst.Packages[merged.Package].Worlds.Set(base.Name, 0)
	}
	mc.worldPkg = merged.Package
	for key, item := range base.Imports.All() {
		k, it, err := mc.item(key, item)
		if err != nil {
			return nil, 0, err
		}
		merged.Imports.Set(k, it)
	}
	if imports != nil {
		if err := addInterfaces(dst, &merged.Imports, imports, "imports"); err != nil {
			return nil, 0, err
		}
	}
	for key, item := range base.Exports.All() {
		k, it, err := mc.item(key, item)
		if err != nil {
			return nil, 0, err
		}
		merged.Exports.Set(k, it)
	}
	if exports != nil {
		if err := addInterfaces(dst, &merged.Exports, exports, "exports"); err != nil {
			return nil, 0, err
		}
	}
	return dst, 0, nil
}

// addInterfaces copies the interfaces that ws's world imports or exports
// (side) into dst and adds those that items lacks.
func addInterfaces(dst *wit.Resolve, items *wit.OrderedMap[wit.WorldKey, *wit.WorldItem], ws *WorldSection, side string) error {
	from := ws.Resolve.Worlds[ws.World].Imports
	if side == "exports" {
		from = ws.Resolve.Worlds[ws.World].Exports
	}
	c := newResolveCopier(dst, ws.Resolve)
	for key, item := range from.All() {
		if item.Kind != wit.ItemInterface || !key.IsInterface() {
			return fmt.Errorf("the added world %s %q, which is not an interface", side, key.Name)
		}
		id, err := c.iface(item.Interface)
		if err != nil {
			return err
		}
		if !items.Has(wit.InterfaceKey(id)) {
			items.Set(wit.InterfaceKey(id), &wit.WorldItem{Kind: wit.ItemInterface, Interface: id})
		}
	}
	return nil
}

// resolveCopier copies interfaces and types of src into dst (the one
// world of dst owns the world-level types).
type resolveCopier struct {
	dst, src *wit.Resolve
	ifaces   map[wit.InterfaceID]wit.InterfaceID
	types    map[wit.TypeID]wit.TypeID
	worldPkg wit.PackageID
}

func newResolveCopier(dst, src *wit.Resolve) *resolveCopier {
	return &resolveCopier{dst: dst, src: src, ifaces: map[wit.InterfaceID]wit.InterfaceID{},
		types: map[wit.TypeID]wit.TypeID{}, worldPkg: wit.NoPackage}
}

// pkg finds or adds the package named pn in dst.
func (c *resolveCopier) pkg(pn wit.PackageName) wit.PackageID {
	if id, ok := c.dst.PackageNames[pn.String()]; ok {
		return id
	}
	id := wit.PackageID(len(c.dst.Packages))
	c.dst.Packages = append(c.dst.Packages, &wit.Package{Name: pn})
	c.dst.PackageNames[pn.String()] = id
	return id
}

// item copies a world item and its key.
func (c *resolveCopier) item(key wit.WorldKey, it *wit.WorldItem) (wit.WorldKey, *wit.WorldItem, error) {
	out := *it
	var err error
	switch it.Kind {
	case wit.ItemInterface:
		out.Interface, err = c.iface(it.Interface)
		if key.IsInterface() {
			key = wit.InterfaceKey(out.Interface)
		}
	case wit.ItemFunction:
		out.Function, err = c.function(it.Function)
	case wit.ItemType:
		out.Type, err = c.typeID(it.Type)
	}
	return key, &out, err
}

func (c *resolveCopier) function(f *wit.Function) (*wit.Function, error) {
	nf := *f
	nf.Params = append([]wit.Param(nil), f.Params...)
	var err error
	for i := range nf.Params {
		if nf.Params[i].Type, err = c.ty(f.Params[i].Type); err != nil {
			return nil, err
		}
	}
	if nf.Result, err = c.ty(f.Result); err != nil {
		return nil, err
	}
	if f.Kind != wit.Freestanding {
		if nf.Resource, err = c.typeID(f.Resource); err != nil {
			return nil, err
		}
	}
	return &nf, nil
}

// iface maps an interface of src to one of dst, copying it if needed.
func (c *resolveCopier) iface(id wit.InterfaceID) (wit.InterfaceID, error) {
	if got, ok := c.ifaces[id]; ok {
		return got, nil
	}
	src := c.src.Interfaces[id]
	pid := c.worldPkg // an inline interface belongs to the world's package
	if src.Name != "" {
		if src.Package == wit.NoPackage {
			return 0, fmt.Errorf("interface %q has no package", src.Name)
		}
		spn := c.src.Packages[src.Package].Name
		if got, ok := c.findCompatible(spn, src.Name); ok {
			c.ifaces[id] = got
			return got, nil
		}
		pid = c.pkg(spn)
	}
	nid := wit.InterfaceID(len(c.dst.Interfaces))
	iface := &wit.Interface{Name: src.Name, Package: pid, Docs: src.Docs, Stability: src.Stability}
	c.dst.Interfaces = append(c.dst.Interfaces, iface)
	if src.Name != "" {
		c.dst.Packages[pid].Interfaces.Set(src.Name, nid)
	}
	c.ifaces[id] = nid
	for name, t := range src.Types.All() {
		nt, err := c.typeID(t)
		if err != nil {
			return 0, err
		}
		iface.Types.Set(name, nt)
	}
	for name, f := range src.Functions.All() {
		nf, err := c.function(f)
		if err != nil {
			return 0, err
		}
		iface.Functions.Set(name, nf)
	}
	return nid, nil
}

// findCompatible finds interface name in a dst package with the same
// namespace and name and a semver-compatible version.
func (c *resolveCopier) findCompatible(pn wit.PackageName, name string) (wit.InterfaceID, bool) {
	for _, p := range c.dst.Packages {
		if p.Name.Namespace != pn.Namespace || p.Name.Name != pn.Name {
			continue
		}
		same := p.Name.Version == nil && pn.Version == nil ||
			p.Name.Version != nil && pn.Version != nil && semverCompatible(pn.Version, p.Name.Version)
		if !same {
			continue
		}
		if id, ok := p.Interfaces.Get(name); ok {
			return id, true
		}
	}
	return 0, false
}

func (c *resolveCopier) ty(t wit.Type) (wit.Type, error) {
	id, ok := t.TypeID()
	if !ok {
		return t, nil
	}
	nid, err := c.typeID(id)
	return wit.Ref(nid), err
}

func (c *resolveCopier) typeID(id wit.TypeID) (wit.TypeID, error) {
	if got, ok := c.types[id]; ok {
		return got, nil
	}
	td := c.src.Types[id]
	if td.Owner.Kind == wit.OwnerInterface {
		// Make sure the owner exists in dst: that maps its named types.
		owner, err := c.iface(td.Owner.Interface)
		if err != nil {
			return 0, err
		}
		if got, ok := c.types[id]; ok {
			return got, nil
		}
		if got, ok := c.dst.Interfaces[owner].Types.Get(td.Name); ok && td.Name != "" {
			c.types[id] = got
			return got, nil
		}
	}
	nt := &wit.TypeDef{Name: td.Name, Docs: td.Docs, Stability: td.Stability}
	nid := wit.TypeID(len(c.dst.Types))
	c.dst.Types = append(c.dst.Types, nt)
	c.types[id] = nid
	switch td.Owner.Kind {
	case wit.OwnerInterface:
		nt.Owner = wit.Owner{Kind: wit.OwnerInterface, Interface: c.ifaces[td.Owner.Interface]}
	case wit.OwnerWorld:
		nt.Owner = wit.Owner{Kind: wit.OwnerWorld, World: 0}
	}
	k, err := c.kind(td.Kind)
	nt.Kind = k
	return nid, err
}

// kind copies a type definition's kind with its references mapped.
func (c *resolveCopier) kind(k wit.TypeDefKind) (wit.TypeDefKind, error) {
	var err error
	m := func(t wit.Type) wit.Type {
		if err != nil {
			return t
		}
		var out wit.Type
		out, err = c.ty(t)
		return out
	}
	mid := func(id wit.TypeID) wit.TypeID {
		if err != nil {
			return id
		}
		var out wit.TypeID
		out, err = c.typeID(id)
		return out
	}
	switch k := k.(type) {
	case *wit.Alias:
		return &wit.Alias{Type: m(k.Type)}, err
	case *wit.Record:
		r := &wit.Record{Fields: append([]wit.Field(nil), k.Fields...)}
		for i := range r.Fields {
			r.Fields[i].Type = m(r.Fields[i].Type)
		}
		return r, err
	case *wit.Variant:
		v := &wit.Variant{Cases: append([]wit.Case(nil), k.Cases...)}
		for i := range v.Cases {
			v.Cases[i].Type = m(v.Cases[i].Type)
		}
		return v, err
	case *wit.Tuple:
		t := &wit.Tuple{Types: append([]wit.Type(nil), k.Types...)}
		for i := range t.Types {
			t.Types[i] = m(t.Types[i])
		}
		return t, err
	case *wit.Option:
		return &wit.Option{Type: m(k.Type)}, err
	case *wit.Result:
		return &wit.Result{OK: m(k.OK), Err: m(k.Err)}, err
	case *wit.List:
		return &wit.List{Elem: m(k.Elem)}, err
	case *wit.FixedList:
		return &wit.FixedList{Elem: m(k.Elem), Len: k.Len}, err
	case *wit.Map:
		return &wit.Map{Key: m(k.Key), Value: m(k.Value)}, err
	case *wit.Future:
		return &wit.Future{Elem: m(k.Elem)}, err
	case *wit.Stream:
		return &wit.Stream{Elem: m(k.Elem)}, err
	case *wit.Own:
		return &wit.Own{Resource: mid(k.Resource)}, err
	case *wit.Borrow:
		return &wit.Borrow{Resource: mid(k.Resource)}, err
	}
	return k, nil // resource, enum and flags hold no references
}
