package wit

// PrintPackage writes one package of r as a WIT file: `package ns:name@ver;`
// and its interfaces and worlds, with references to other packages fully
// qualified. The text re-parses to the same package (positions aside) once
// its dependencies are available; PrintPackages makes a self-contained file.
func (r *Resolve) PrintPackage(pkg PackageID) (string, error) {
	return r.PrintPackages(pkg, nil)
}

// PrintPackages writes root as the file's package and each of nested as a
// `package a:b { ... }` block after it, so that a file with
// nested = r.PackageDeps(root) parses on its own.
func (r *Resolve) PrintPackages(root PackageID, nested []PackageID) (string, error) {
	p := &witPrinter{r: r}
	p.file(root, nested)
	if p.err != nil {
		return "", p.err
	}
	return p.b.String(), nil
}

// PackageDeps lists the packages that pkg refers to, directly or through
// other packages, in arena order (which puts a dependency before its users).
func (r *Resolve) PackageDeps(pkg PackageID) []PackageID {
	seen := map[PackageID]bool{pkg: true}
	queue := []PackageID{pkg}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, dep := range r.directPackageDeps(cur) {
			if !seen[dep] {
				seen[dep] = true
				queue = append(queue, dep)
			}
		}
	}
	var deps []PackageID
	for id := range r.Packages {
		if seen[PackageID(id)] && PackageID(id) != pkg {
			deps = append(deps, PackageID(id))
		}
	}
	return deps
}

// directPackageDeps lists the packages whose interfaces pkg's interfaces
// (inline ones included) and worlds name: through `use` (an alias of a type
// owned by their interface) or as world imports and exports.
func (r *Resolve) directPackageDeps(pkg PackageID) []PackageID {
	var out []PackageID
	addIface := func(id InterfaceID) {
		if it := r.ifaceAt(id); it != nil && it.Package != pkg && it.Package != NoPackage {
			out = append(out, it.Package)
		}
	}
	addType := func(id TypeID) {
		if target := r.usedTypeTarget(id); target != nil {
			addIface(target.Owner.Interface)
		}
	}
	for _, it := range r.Interfaces {
		if it != nil && it.Package == pkg {
			for id := range it.Types.Values() {
				addType(id)
			}
		}
	}
	for _, w := range r.Worlds {
		if w == nil || w.Package != pkg {
			continue
		}
		for _, items := range [2]*OrderedMap[WorldKey, *WorldItem]{&w.Imports, &w.Exports} {
			for item := range items.Values() {
				switch {
				case item == nil:
				case item.Kind == ItemInterface:
					addIface(item.Interface)
				case item.Kind == ItemType:
					addType(item.Type)
				}
			}
		}
	}
	return out
}

// ifaceAt returns the interface id names, or nil when it is out of range.
func (r *Resolve) ifaceAt(id InterfaceID) *Interface {
	if id < 0 || int(id) >= len(r.Interfaces) {
		return nil
	}
	return r.Interfaces[id]
}

// typeDefAt returns the TypeDef id names, or nil when it is out of range.
func (r *Resolve) typeDefAt(id TypeID) *TypeDef {
	if id < 0 || int(id) >= len(r.Types) {
		return nil
	}
	return r.Types[id]
}

// usedTypeTarget returns the type a `use` brought in, when id is such an alias:
// an Alias of a named type that an interface other than id's owner owns.
// WIT has no other way to write that, so the printer writes it as `use`.
func (r *Resolve) usedTypeTarget(id TypeID) *TypeDef {
	td := r.typeDefAt(id)
	if td == nil {
		return nil
	}
	alias, ok := td.Kind.(*Alias)
	if !ok {
		return nil
	}
	tid, ok := alias.Type.TypeID()
	if !ok {
		return nil
	}
	target := r.typeDefAt(tid)
	if target == nil || target.Name == "" || target.Owner.Kind != OwnerInterface || target.Owner == td.Owner {
		return nil
	}
	return target
}
