package wit

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// LoadPath reads a WIT file, or a package directory with its deps/, into r
// and returns the root package. A directory's *.wit files form the root
// package; each entry of deps/ is a package directory or a single .wit file
// (which may hold nested `package a:b {}` blocks).
func (r *Resolve) LoadPath(path string) (PackageID, error) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	if !st.IsDir() {
		src, err := os.ReadFile(path)
		if err != nil {
			return 0, err
		}
		return r.AddSource(path, src)
	}
	return r.loadDir(dirSource{fsys: os.DirFS(path), prefix: path})
}

// LoadFS is LoadPath over a file system: dir (in fsys) is the root package's
// directory. Diagnostics name files by their path in fsys.
func (r *Resolve) LoadFS(fsys fs.FS, dir string) (PackageID, error) {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		return 0, err
	}
	return r.loadDir(dirSource{fsys: sub, prefix: dir})
}

// dirSource is a package directory: files in fsys, shown as prefix/name.
type dirSource struct {
	fsys   fs.FS
	prefix string
}

func (d dirSource) display(name string) string {
	return filepath.Join(d.prefix, filepath.FromSlash(name))
}

func (r *Resolve) loadDir(d dirSource) (PackageID, error) {
	root, err := r.readPackageDir(d, ".")
	if err != nil {
		return 0, err
	}
	fileSets := [][]*witFile{root}
	entries, err := fs.ReadDir(d.fsys, "deps")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return 0, err
	}
	for _, e := range entries {
		p := path.Join("deps", e.Name())
		var set []*witFile
		switch {
		case e.IsDir():
			set, err = r.readPackageDir(d, p)
		case strings.HasSuffix(e.Name(), ".wit"):
			var src []byte
			if src, err = fs.ReadFile(d.fsys, p); err == nil {
				set = []*witFile{{name: d.display(p), src: src}}
			}
		case strings.HasSuffix(e.Name(), ".wasm"), strings.HasSuffix(e.Name(), ".wat"):
			err = fmt.Errorf("%s: WIT packages encoded as components are not supported in deps/ yet", d.display(p))
		default:
			continue // other files are ignored
		}
		if err != nil {
			return 0, err
		}
		fileSets = append(fileSets, set)
	}
	var all []*witFile
	for _, set := range fileSets {
		all = append(all, set...)
	}
	parseFiles(all)
	groups := make([]*sourceGroup, 0, len(fileSets))
	for _, set := range fileSets {
		g, err := r.parseGroup(set)
		if err != nil {
			return 0, err
		}
		groups = append(groups, g)
	}
	return r.pushGroups(groups)
}

// witFile is one source file and, once parsed, its AST or error.
type witFile struct {
	name string
	src  []byte
	ast  *astFile
	err  error
}

// parseFiles parses files in parallel: files are independent until they
// are grouped into packages, and parsing is most of the front end's time.
func parseFiles(files []*witFile) {
	workers := min(runtime.GOMAXPROCS(0), len(files))
	if workers <= 1 {
		for _, f := range files {
			f.ast, f.err = parseWIT(f.name, f.src)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(files) {
					return
				}
				f := files[i]
				f.ast, f.err = parseWIT(f.name, f.src)
			}
		}()
	}
	wg.Wait()
}

// AddSource parses one WIT file's text (a root package, with any nested
// `package a:b {}` blocks resolved as its deps) into r.
func (r *Resolve) AddSource(filename string, src []byte) (PackageID, error) {
	f := &witFile{name: filename, src: src}
	parseFiles([]*witFile{f})
	g, err := r.parseGroup([]*witFile{f})
	if err != nil {
		return 0, err
	}
	return r.pushGroups([]*sourceGroup{g})
}

// sourceGroup is what one directory or file defines: a main package and
// the packages nested in it.
type sourceGroup struct {
	main   *pkgSource
	nested []*pkgSource
}

func (r *Resolve) readPackageDir(d dirSource, dir string) ([]*witFile, error) {
	entries, err := fs.ReadDir(d.fsys, dir)
	if err != nil {
		return nil, err
	}
	var files []*witFile
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".wit") {
			continue
		}
		p := path.Join(dir, e.Name())
		src, err := fs.ReadFile(d.fsys, p)
		if err != nil {
			return nil, err
		}
		files = append(files, &witFile{name: d.display(p), src: src})
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no .wit files found", d.display(dir))
	}
	return files, nil
}

// parseGroup assembles the parsed files of one package (in path order)
// and splits out nested packages.
func (r *Resolve) parseGroup(files []*witFile) (*sourceGroup, error) {
	files = append([]*witFile(nil), files...)
	sort.Slice(files, func(a, b int) bool { return files[a].name < files[b].name })
	// Report the syntax errors of every file, not just the first.
	var parseErrs []Diagnostic
	for _, f := range files {
		r.Sources[f.name] = f.src
		if e, ok := f.err.(*Error); ok {
			parseErrs = append(parseErrs, e.Diags...)
		} else if f.err != nil {
			return nil, f.err
		}
	}
	if len(parseErrs) > 0 {
		return nil, &Error{Diags: parseErrs}
	}
	g := &sourceGroup{main: &pkgSource{}}
	var docsAt *Pos
	for _, f := range files {
		name, src := f.name, f.src
		r.Sources[name] = src
		file, err := f.ast, f.err
		if err != nil {
			return nil, err
		}
		dl := declList{file: name}
		seenItem := false
		for _, it := range file.Items {
			if it.Package == nil {
				seenItem = true
				dl.items = append(dl.items, it)
				continue
			}
			pn, err := r.packageName(&it.Package.Name)
			if err != nil {
				return nil, err
			}
			namePos := posOf(it.Package.Name.Pos)
			if it.Package.Semi == nil {
				ps := &pkgSource{name: pn, namePos: namePos, nameLen: len(pn.String()), docs: it.docs}
				nested := declList{file: name}
				for _, sub := range it.Package.Items {
					if sub.Package == nil {
						nested.items = append(nested.items, sub)
					}
				}
				ps.lists = []declList{nested}
				g.nested = append(g.nested, ps)
				continue
			}
			if seenItem || len(g.nested) > 0 {
				// Only the first item may be `package a:b;`; later ones
				// must open a block.
				return nil, errorAt(src, posOf(it.Package.Semi.Pos), 1, "expected '{', found ';'")
			}
			if g.main.namePos.IsValid() {
				if g.main.name.String() != pn.String() {
					return nil, errorAt(src, namePos, len(pn.String()), "package identifier `%s` does not match previous package name of `%s`", pn, g.main.name)
				}
			} else {
				g.main.name, g.main.namePos, g.main.nameLen = pn, namePos, len(pn.String())
			}
			if it.docs != "" {
				if docsAt != nil {
					p := posOf(it.docsPos)
					return nil, errorAt(src, p, 1, "found doc comments on multiple 'package' items")
				}
				p := posOf(it.Pos)
				docsAt = &p
				g.main.docs = it.docs
			}
		}
		g.main.lists = append(g.main.lists, dl)
	}
	if !g.main.namePos.IsValid() {
		hasItems := false
		for _, dl := range g.main.lists {
			hasItems = hasItems || len(dl.items) > 0
		}
		if hasItems || len(g.nested) == 0 {
			return nil, &Error{Diags: []Diagnostic{{Message: "no `package` header was found in any WIT file for this package"}}}
		}
		g.main = nil
	}
	return g, nil
}

func (r *Resolve) packageName(n *astPackageName) (PackageName, error) {
	pn := PackageName{Namespace: idName(n.Namespace), Name: idName(n.Name)}
	if n.Version != nil {
		v, err := ParseVersion(n.Version.Value)
		if err != nil {
			return pn, errorAt(r.Sources[n.Version.Pos.Filename], posOf(n.Version.Pos), len(n.Version.Value), "%v", err)
		}
		pn.Version = v
	}
	return pn, nil
}

// pushGroups resolves the packages of several groups and merges them into
// r in dependency order; it returns the first group's main package.
func (r *Resolve) pushGroups(groups []*sourceGroup) (PackageID, error) {
	type entry struct {
		src *pkgSource
		up  *unresolvedPackage
	}
	byName := map[string]*entry{}
	var rootName string
	for gi, g := range groups {
		var all []*pkgSource
		if g.main != nil {
			all = append(all, g.main)
		}
		all = append(all, g.nested...)
		for _, ps := range all {
			name := ps.name.String()
			if prev, dup := byName[name]; dup {
				return 0, &Error{Diags: []Diagnostic{{Message: fmt.Sprintf("package `%s` is defined in two different locations:\n  * %s\n  * %s", name, prev.src.namePos.File, ps.namePos.File)}}}
			}
			if _, loaded := r.PackageNames[name]; loaded {
				return 0, errorAt(r.Sources[ps.namePos.File], ps.namePos, ps.nameLen, "package `%s` is already loaded", name)
			}
			up, err := resolvePackage(ps, r.Sources)
			if err != nil {
				return 0, addNameErrors(err, ps, r.Sources)
			}
			byName[name] = &entry{src: ps, up: up}
		}
		if gi == 0 {
			if g.main != nil {
				rootName = g.main.name.String()
			} else if len(g.nested) > 0 {
				rootName = g.nested[len(g.nested)-1].name.String()
			}
		}
	}
	// Visit packages in (namespace, name, version) order, each after the
	// packages it depends on, in the order it first refers to them.
	keys := make([]*entry, 0, len(byName))
	for _, e := range byName {
		keys = append(keys, e)
	}
	sort.Slice(keys, func(i, j int) bool { return comparePackageNames(keys[i].up.name, keys[j].up.name) < 0 })
	var order []*entry
	done := map[string]bool{}
	visiting := map[string]bool{}
	var visit func(e *entry) error
	visit = func(e *entry) error {
		name := e.up.name.String()
		if done[name] {
			return nil
		}
		for _, fp := range e.up.foreignPkgs {
			if visiting[fp.name] {
				return errorAt(r.Sources[fp.pos.File], fp.pos, fp.len, "package `%s` creates a dependency cycle", fp.name)
			}
			if dep, ok := byName[fp.name]; ok {
				visiting[fp.name] = true
				if err := visit(dep); err != nil {
					return err
				}
				delete(visiting, fp.name)
			}
		}
		done[name] = true
		order = append(order, e)
		return nil
	}
	for _, e := range keys {
		if err := visit(e); err != nil {
			return 0, err
		}
	}
	root := PackageID(-1)
	for _, e := range order {
		id, err := r.mergePackage(e.up)
		if err != nil {
			return 0, err
		}
		if e.up.name.String() == rootName {
			root = id
		}
	}
	if root < 0 {
		return 0, fmt.Errorf("no package found")
	}
	return root, nil
}

// comparePackageNames orders by namespace, name, then version (none first).
func comparePackageNames(a, b PackageName) int {
	if c := strings.Compare(a.Namespace, b.Namespace); c != 0 {
		return c
	}
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	switch {
	case a.Version == nil && b.Version == nil:
		return 0
	case a.Version == nil:
		return -1
	case b.Version == nil:
		return 1
	}
	if c := a.Version.Compare(b.Version); c != 0 {
		return c
	}
	return strings.Compare(a.Version.Build, b.Version.Build)
}

// SelectWorld picks a world: "" means the package's only world, a bare name a
// world of pkg, and `ns:pkg/world@ver` a world of any loaded package.
func (r *Resolve) SelectWorld(pkg PackageID, name string) (WorldID, error) {
	if pkg < 0 || int(pkg) >= len(r.Packages) {
		return 0, fmt.Errorf("no such package")
	}
	p := r.Packages[pkg]
	if name == "" {
		switch p.Worlds.Len() {
		case 0:
			return 0, fmt.Errorf("package `%s` contains no worlds", p.Name)
		case 1:
			w, _ := p.Worlds.Get(p.Worlds.Keys()[0])
			return w, nil
		}
		return 0, fmt.Errorf("package `%s` contains %d worlds (%s); pick one with --world", p.Name, p.Worlds.Len(), strings.Join(p.Worlds.Keys(), ", "))
	}
	if i := strings.IndexByte(name, '/'); i >= 0 && strings.Contains(name[:i], ":") {
		pkgName, world := name[:i], name[i+1:]
		if at := strings.IndexByte(world, '@'); at >= 0 {
			pkgName += world[at:]
			world = world[:at]
		}
		id, ok := r.PackageNames[pkgName]
		if !ok {
			return 0, fmt.Errorf("package `%s` is not loaded", pkgName)
		}
		if w, ok := r.Packages[id].Worlds.Get(world); ok {
			return w, nil
		}
		return 0, fmt.Errorf("world `%s` not found in package `%s`", world, pkgName)
	}
	if w, ok := p.Worlds.Get(name); ok {
		return w, nil
	}
	msg := fmt.Sprintf("world `%s` not found in package `%s`", name, p.Name)
	if hint := didYouMean(name, p.Worlds.Keys()); hint != "" {
		return 0, fmt.Errorf("%s%s", msg, hint)
	}
	// A world of the same name in another package is likely what was meant.
	for _, other := range r.Packages {
		if _, ok := other.Worlds.Get(name); ok {
			full := other.Name.Namespace + ":" + other.Name.Name + "/" + name
			if other.Name.Version != nil {
				full += "@" + other.Name.Version.String()
			}
			return 0, fmt.Errorf("%s (did you mean `%s`?)", msg, full)
		}
	}
	if p.Worlds.Len() > 0 {
		msg += fmt.Sprintf("; its worlds are: %s", strings.Join(p.Worlds.Keys(), ", "))
	}
	return 0, fmt.Errorf("%s", msg)
}
