package wit

import (
	"sort"

	"github.com/alecthomas/participle/v2/lexer"
)

// After the first error the resolver stops, as the reference does. To
// report more than one problem per run, a failed package is scanned once
// more for the most common mistake, type names that are not defined in
// their interface or world, and those are added after the first error.

const maxExtraDiagnostics = 20

// addNameErrors appends unknown-type diagnostics of ps to err.
func addNameErrors(err error, ps *pkgSource, src map[string][]byte) error {
	e, ok := err.(*Error)
	if !ok || len(e.Diags) == 0 {
		return err
	}
	seen := map[Pos]bool{}
	for _, d := range e.Diags {
		seen[d.Pos] = true
	}
	add := func(id *astID, scope map[string]bool) {
		name := idName(*id)
		p := idPos(*id)
		if scope[name] || seen[p] || len(e.Diags) > maxExtraDiagnostics {
			return
		}
		seen[p] = true
		names := make([]string, 0, len(scope))
		for n := range scope {
			names = append(names, n)
		}
		d := errorAt(src[p.File], p, len(id.Name), "type `%s` does not exist%s", name, didYouMean(name, append(sortedStrings(names), primitiveNames[1:]...)))
		e.Diags = append(e.Diags, d.Diags[0])
	}
	for _, dl := range ps.lists {
		for _, it := range dl.items {
			switch {
			case it.Interface != nil:
				checkIfaceNames(it.Interface.Items, add)
			case it.World != nil:
				scope := map[string]bool{}
				var types []*astTypeDef
				for _, wi := range it.World.Items {
					switch {
					case wi.Use != nil:
						addUseNames(wi.Use, scope)
					case wi.TypeDef != nil:
						scope[idName(typeDefName(wi.TypeDef))] = true
						types = append(types, wi.TypeDef)
					}
				}
				for _, td := range types {
					checkTypeDefNames(td, scope, add)
				}
				for _, wi := range it.World.Items {
					for _, ext := range []*astExtern{wi.Import, wi.Export} {
						if ext == nil || ext.Named == nil {
							continue
						}
						if ext.Named.Func != nil {
							checkFuncNames(ext.Named.Func, scope, add)
						}
						if ext.Named.Interface != nil {
							checkIfaceNames(ext.Named.Interface.Items, add)
						}
					}
				}
			}
		}
	}
	return e
}

type nameCheck func(id *astID, scope map[string]bool)

func addUseNames(u *astUse, scope map[string]bool) {
	for _, n := range u.Names {
		if n.As != nil {
			scope[idName(*n.As)] = true
		} else {
			scope[idName(n.Name)] = true
		}
	}
}

func checkIfaceNames(items []*astIfaceItem, add nameCheck) {
	scope := map[string]bool{}
	for _, it := range items {
		switch {
		case it.Use != nil:
			addUseNames(it.Use, scope)
		case it.TypeDef != nil:
			scope[idName(typeDefName(it.TypeDef))] = true
		}
	}
	for _, it := range items {
		switch {
		case it.TypeDef != nil:
			checkTypeDefNames(it.TypeDef, scope, add)
		case it.Func != nil:
			checkFuncNames(&it.Func.Func, scope, add)
		}
	}
}

func checkTypeDefNames(td *astTypeDef, scope map[string]bool, add nameCheck) {
	var deps []topoRef
	collectDeps(td, &deps)
	for _, d := range deps {
		if !scope[d.name] {
			add(&astID{Pos: posToLexer(d.pos), Name: d.name}, scope)
		}
	}
	if td.Resource != nil {
		for _, ri := range td.Resource.Items {
			switch {
			case ri.Constructor != nil:
				for _, p := range ri.Constructor.Params {
					checkTypeNames(&p.Type, scope, add)
				}
			case ri.Func != nil:
				checkFuncNames(&ri.Func.Func, scope, add)
			}
		}
	}
}

func checkFuncNames(f *astFuncType, scope map[string]bool, add nameCheck) {
	for _, p := range f.Params {
		checkTypeNames(&p.Type, scope, add)
	}
	if f.Result != nil {
		checkTypeNames(f.Result, scope, add)
	}
}

func checkTypeNames(t *astType, scope map[string]bool, add nameCheck) {
	var deps []topoRef
	collectTypeDeps(t, &deps)
	for _, d := range deps {
		if !scope[d.name] {
			add(&astID{Pos: posToLexer(d.pos), Name: d.name}, scope)
		}
	}
}

func posToLexer(p Pos) lexer.Position {
	return lexer.Position{Filename: p.File, Offset: p.Offset, Line: p.Line, Column: p.Column}
}

func sortedStrings(s []string) []string {
	sort.Strings(s)
	return s
}
