package gogen

import (
	"fmt"

	"github.com/witgo/witgo/wit"
)

// genPackage writes one package: its types, then its functions.
func (g *generator) genPackage(p *goPackage) error {
	if p.isWorld {
		p.main.PackageComment(fmt.Sprintf("Package %s holds the bindings of world %s's own functions and types.", p.name, g.worldDef().Name))
	} else if p.exported {
		p.main.PackageComment(fmt.Sprintf("Package %s holds the bindings of the exported interface %s.", p.name, p.module))
	} else {
		p.main.PackageComment(fmt.Sprintf("Package %s holds the bindings of the imported interface %s.", p.name, p.module))
	}
	if err := g.declareTypes(p); err != nil {
		return err
	}
	if err := g.declarePayloads(p); err != nil {
		return err
	}
	for _, pf := range p.funcs {
		var err error
		if pf.exported {
			err = g.genExport(p, pf.f)
		} else {
			err = g.genImport(p, pf.f)
		}
		if err != nil {
			return err
		}
	}
	if g.hasExports(p) {
		return g.declareExports(p)
	}
	return nil
}

// isResource reports whether id is a resource definition.
func (g *generator) isResource(id wit.TypeID) bool {
	_, ok := g.r.Types[id].Kind.(*wit.Resource)
	return ok
}
