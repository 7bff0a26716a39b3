package wit

import (
	"bytes"
	"fmt"
	"strings"
)

// witPrinter writes WIT text. Errors (a Resolve that WIT cannot express, or
// a dangling reference) are kept, first one wins, and printing goes on so
// the code stays linear.
type witPrinter struct {
	r      *Resolve
	b      bytes.Buffer
	indent int
	pkg    PackageID // the package being printed: its interfaces go by bare name
	err    error

	anonExprs map[TypeID]string // spelled-out anonymous types, by id

	// Blank-line state of the innermost block: whether an item was written,
	// and the kind of the last one if it was a one-liner that may sit
	// right after another of its kind (consecutive `use`s, imports, funcs).
	started  bool
	lastLine string
}

func (p *witPrinter) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("wit: cannot print: "+format, args...)
	}
}

// line writes one indented line.
func (p *witPrinter) line(s string) {
	for range p.indent {
		p.b.WriteString("  ")
	}
	p.b.WriteString(s)
	p.b.WriteByte('\n')
}

// item starts an item of a block, separated from the previous one by a
// blank line unless both are one-liners of the same kind (kind "" means the
// item is not a one-liner).
func (p *witPrinter) item(kind string) {
	if p.started && (kind == "" || kind != p.lastLine) {
		p.b.WriteByte('\n')
	}
	p.started = true
	p.lastLine = kind
}

// blockState is what open saves of the enclosing block.
type blockState struct {
	started  bool
	lastLine string
	bodyAt   int // buffer length right after `head {\n`
}

// open writes `head {` and starts a block; close ends it with `}`, or turns
// it into `head {}` when nothing was written inside.
func (p *witPrinter) open(head string) blockState {
	p.line(head + " {")
	p.indent++
	saved := blockState{p.started, p.lastLine, p.b.Len()}
	p.started, p.lastLine = false, ""
	return saved
}

func (p *witPrinter) close(saved blockState) {
	p.indent--
	if p.b.Len() == saved.bodyAt {
		p.b.Truncate(saved.bodyAt - 1) // drop the newline after `{`
		p.b.WriteString("}\n")
	} else {
		p.line("}")
	}
	p.started, p.lastLine = saved.started, saved.lastLine
}

func (p *witPrinter) docs(d string) {
	if d == "" {
		return
	}
	for _, l := range strings.Split(d, "\n") {
		if l == "" {
			p.line("///")
		} else {
			p.line("/// " + l)
		}
	}
}

func (p *witPrinter) gate(s Stability) {
	switch s.Kind {
	case Stable:
		if s.Since == nil {
			p.fail("@since without a version")
			return
		}
		p.line("@since(version = " + s.Since.String() + ")")
	case Unstable:
		p.line("@unstable(feature = " + escapeID(s.Feature) + ")")
	default:
		if s.Deprecated != nil {
			p.fail("@deprecated needs @since or @unstable beside it")
		}
		return
	}
	if s.Deprecated != nil {
		p.line("@deprecated(version = " + s.Deprecated.String() + ")")
	}
}

// startItem starts an item with its docs and gate. kind names a one-liner
// ("use", "func", ...) that may sit right under another of its kind; an
// item with docs or a gate, or kind "", gets blank lines around it.
func (p *witPrinter) startItem(kind, docs string, s Stability) {
	if docs != "" || s.Kind != Unknown || s.Deprecated != nil {
		kind = ""
	}
	p.item(kind)
	p.docs(docs)
	p.gate(s)
}

func (p *witPrinter) file(root PackageID, nested []PackageID) {
	pkg := p.packageAt(root)
	if pkg == nil {
		return
	}
	p.pkg = root
	p.docs(pkg.Docs)
	p.line("package " + p.packageName(pkg.Name) + ";")
	p.started = true
	p.packageBody(pkg)
	for _, id := range nested {
		dep := p.packageAt(id)
		if dep == nil || id == root {
			p.fail("package %d cannot be nested in package %d", id, root)
			return
		}
		p.pkg = id
		p.item("")
		p.docs(dep.Docs)
		saved := p.open("package " + p.packageName(dep.Name))
		p.packageBody(dep)
		p.close(saved)
	}
}

func (p *witPrinter) packageAt(id PackageID) *Package {
	if id < 0 || int(id) >= len(p.r.Packages) || p.r.Packages[id] == nil {
		p.fail("no package %d", id)
		return nil
	}
	return p.r.Packages[id]
}

func (p *witPrinter) packageName(n PackageName) string {
	s := escapeID(n.Namespace) + ":" + escapeID(n.Name)
	if n.Version != nil {
		s += "@" + n.Version.String()
	}
	return s
}

func (p *witPrinter) packageBody(pkg *Package) {
	for name, id := range pkg.Interfaces.All() {
		it := p.r.ifaceAt(id)
		if it == nil {
			p.fail("package %s lists missing interface %d", pkg.Name, id)
			return
		}
		p.startItem("", it.Docs, it.Stability)
		p.interfaceBlock("interface "+escapeID(name), id)
	}
	for name, id := range pkg.Worlds.All() {
		if id < 0 || int(id) >= len(p.r.Worlds) || p.r.Worlds[id] == nil {
			p.fail("package %s lists missing world %d", pkg.Name, id)
			return
		}
		w := p.r.Worlds[id]
		p.startItem("", w.Docs, w.Stability)
		saved := p.open("world " + escapeID(name))
		p.worldBody(id, w)
		p.close(saved)
	}
}

// interfaceBlock writes `head { ... }` with the interface's types, then its
// freestanding functions; resource functions go inside their resource. A
// free function that comes before a resource's functions in the interface's
// order is written before that resource, so re-parsing keeps the order.
func (p *witPrinter) interfaceBlock(head string, id InterfaceID) {
	it := p.r.Interfaces[id]
	saved := p.open(head)
	type indexed struct {
		f   *Function
		pos int
	}
	var free []indexed
	byResource := map[TypeID][]*Function{}
	firstPos := map[TypeID]int{}
	pos := 0
	for name, f := range it.Functions.All() {
		switch {
		case f == nil:
			p.fail("interface %s: function %s is nil", it.Name, name)
			return
		case f.Kind == Freestanding:
			free = append(free, indexed{f, pos})
		default:
			if _, ok := firstPos[f.Resource]; !ok {
				firstPos[f.Resource] = pos
			}
			byResource[f.Resource] = append(byResource[f.Resource], f)
		}
		pos++
	}
	writeFree := func(before int) {
		for len(free) > 0 && free[0].pos < before {
			f := free[0].f
			free = free[1:]
			p.startItem("func", f.Docs, f.Stability)
			p.line(escapeID(f.Name) + ": " + p.funcType(f, 0) + ";")
		}
	}
	p.typeItems(it.Types.Keys(), typeIDs(&it.Types), Owner{Kind: OwnerInterface, Interface: id}, byResource,
		func(res TypeID) { writeFree(firstPos[res]) })
	writeFree(pos)
	p.leftoverResourceFuncs(byResource)
	p.close(saved)
}

func typeIDs(m *OrderedMap[string, TypeID]) []TypeID {
	ids := make([]TypeID, 0, m.Len())
	for id := range m.Values() {
		ids = append(ids, id)
	}
	return ids
}

// leftoverResourceFuncs reports resource functions whose resource was not
// printed in the same block: WIT can only declare them inside it.
func (p *witPrinter) leftoverResourceFuncs(byResource map[TypeID][]*Function) {
	var first *Function // the lowest resource id, so the error is stable
	for _, fs := range byResource {
		if len(fs) > 0 && (first == nil || fs[0].Resource < first.Resource) {
			first = fs[0]
		}
	}
	if first != nil {
		p.fail("function %s belongs to resource %d, which is not defined beside it", first.Name, first.Resource)
	}
}

// typeItems writes named types in order. Runs of `use`d types from one
// interface with the same gate become one `use path.{a, b as c};`.
// byResource holds the functions of resources not yet printed; those that
// get printed are removed; beforeResource, if set, runs before a resource
// with functions is written.
func (p *witPrinter) typeItems(names []string, ids []TypeID, owner Owner, byResource map[TypeID][]*Function, beforeResource func(TypeID)) {
	for i := 0; i < len(ids); {
		td := p.r.typeDefAt(ids[i])
		if td == nil {
			p.fail("missing type %d", ids[i])
			return
		}
		if target := p.r.usedTypeTarget(ids[i]); target != nil {
			var list []string
			j := i
			for ; j < len(ids); j++ {
				tj := p.r.usedTypeTarget(ids[j])
				if tj == nil || tj.Owner != target.Owner || p.r.Types[ids[j]].Stability != td.Stability ||
					p.r.Types[ids[j]].Docs != "" && j > i {
					break
				}
				list = append(list, useName(tj.Name, names[j]))
			}
			p.startItem("use", td.Docs, td.Stability)
			p.line("use " + p.ifacePath(target.Owner.Interface) + ".{" + strings.Join(list, ", ") + "};")
			i = j
			continue
		}
		if td.Owner != owner {
			p.fail("type %s (%d) is listed in a scope that does not own it", names[i], ids[i])
		}
		funcs := byResource[ids[i]]
		if len(funcs) > 0 && beforeResource != nil {
			beforeResource(ids[i])
		}
		p.typeDecl(names[i], ids[i], td, funcs)
		delete(byResource, ids[i])
		i++
	}
}

func useName(target, local string) string {
	if target == local {
		return escapeID(local)
	}
	return escapeID(target) + " as " + escapeID(local)
}

// ifacePath names an interface where a path is expected: bare when it is a
// named interface of the package being printed, else `ns:pkg/name@ver`.
func (p *witPrinter) ifacePath(id InterfaceID) string {
	it := p.r.ifaceAt(id)
	if it == nil || it.Name == "" {
		p.fail("interface %d has no name to refer to it by", id)
		return "?"
	}
	if it.Package == p.pkg {
		return escapeID(it.Name)
	}
	if it.Package < 0 || int(it.Package) >= len(p.r.Packages) || p.r.Packages[it.Package] == nil {
		p.fail("interface %s belongs to no package", it.Name)
		return "?"
	}
	n := p.r.Packages[it.Package].Name
	s := escapeID(n.Namespace) + ":" + escapeID(n.Name) + "/" + escapeID(it.Name)
	if n.Version != nil {
		s += "@" + n.Version.String()
	}
	return s
}

// worldBody writes imports then exports in order. A world's types sit among
// its imports; a world resource's functions are imports too and go inside
// the resource's block.
func (p *witPrinter) worldBody(id WorldID, w *World) {
	byResource := map[TypeID][]*Function{}
	for _, f := range w.Imports.All() {
		if f != nil && f.Kind == ItemFunction && f.Function != nil && f.Function.Kind != Freestanding {
			byResource[f.Function.Resource] = append(byResource[f.Function.Resource], f.Function)
		}
	}
	owner := Owner{Kind: OwnerWorld, World: id}
	p.worldItems("import", &w.Imports, owner, byResource)
	p.worldItems("export", &w.Exports, owner, nil)
	p.leftoverResourceFuncs(byResource)
}

func (p *witPrinter) worldItems(dir string, items *OrderedMap[WorldKey, *WorldItem], owner Owner, byResource map[TypeID][]*Function) {
	keys := items.Keys()
	for i := 0; i < len(keys); i++ {
		key := keys[i]
		item, _ := items.Get(key)
		if item == nil {
			p.fail("world item %s is nil", key)
			return
		}
		switch item.Kind {
		case ItemType:
			if byResource == nil {
				p.fail("a world cannot export type %s", key)
				return
			}
			// Gather the run of type items so `use`s group as in interfaces.
			var names []string
			var ids []TypeID
			for ; i < len(keys); i++ {
				it, _ := items.Get(keys[i])
				if it == nil || it.Kind != ItemType {
					break
				}
				names, ids = append(names, keys[i].Name), append(ids, it.Type)
			}
			i--
			p.typeItems(names, ids, owner, byResource, nil)
		case ItemFunction:
			f := item.Function
			if f == nil {
				p.fail("world item %s has no function", key)
				return
			}
			if f.Kind != Freestanding {
				if byResource == nil {
					p.fail("a world cannot export resource function %s", f.Name)
				}
				continue // printed inside its resource
			}
			p.startItem(dir, f.Docs, f.Stability)
			p.line(dir + " " + escapeID(key.Name) + ": " + p.funcType(f, 0) + ";")
		case ItemInterface:
			p.worldInterface(dir, key, item)
		default:
			p.fail("world item %s has unknown kind %d", key, item.Kind)
		}
	}
}

func (p *witPrinter) worldInterface(dir string, key WorldKey, item *WorldItem) {
	it := p.r.ifaceAt(item.Interface)
	if it == nil {
		p.fail("world item %s names missing interface %d", key, item.Interface)
		return
	}
	switch {
	case key.IsInterface():
		p.startItem(dir, item.Docs, item.Stability)
		p.line(dir + " " + p.ifacePath(item.Interface) + ";")
	case it.Name == "":
		// An inline interface: its docs and gate live on the interface.
		docs := it.Docs
		if docs == "" {
			docs = item.Docs
		}
		p.startItem("", docs, it.Stability)
		p.interfaceBlock(dir+" "+escapeID(key.Name)+": interface", item.Interface)
	default:
		p.startItem(dir, item.Docs, item.Stability)
		p.line(dir + " " + escapeID(key.Name) + ": " + p.ifacePath(item.Interface) + ";")
	}
}
