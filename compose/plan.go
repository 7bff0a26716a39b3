package compose

import (
	"fmt"

	"github.com/witgo/witgo/wit"
)

// plan is which export satisfies which import, and the order in which
// the used components are instantiated.
type plan struct {
	parts    []*part
	links    map[*extern]*extern // an import -> the plug export that satisfies it
	order    []*part             // providers first, the socket last
	warnings []string
}

// makePlan links imports to plug exports, starting from the socket and
// following the plugs it uses, checks the types of every link, and
// orders the instantiations.
func makePlan(parts []*part) (*plan, error) {
	pl := &plan{parts: parts, links: map[*extern]*extern{}}
	used := make([]bool, len(parts))
	used[0] = true
	queue := []*part{parts[0]}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, im := range p.imports {
			ex := findProvider(parts, p, im)
			if ex == nil {
				continue
			}
			if err := checkLink(im, ex); err != nil {
				return nil, err
			}
			pl.links[im] = ex
			if q := ex.part; !used[q.index] {
				used[q.index] = true
				queue = append(queue, q)
			}
		}
	}
	for _, p := range parts[1:] {
		if !used[p.index] {
			pl.warnings = append(pl.warnings, fmt.Sprintf(
				"plug %s is not used: no component of the composition imports any of its exports; it is left out", p.name))
		}
	}
	if err := pl.orderParts(); err != nil {
		return nil, err
	}
	return pl, nil
}

// findProvider finds the plug export that satisfies import im of p: the
// plugs after p are searched first, then those before it (never p itself
// nor the socket); in each plug an exact name wins over a compatible one.
func findProvider(parts []*part, p *part, im *extern) *extern {
	var candidates []*part
	candidates = append(candidates, parts[p.index+1:]...)
	if p.index > 1 {
		candidates = append(candidates, parts[1:p.index]...)
	}
	for _, q := range candidates {
		var compatible *extern
		for _, ex := range q.exports {
			if ex.name == im.name {
				return ex
			}
			if compatible == nil && namesMatch(im.name, ex.name) {
				compatible = ex
			}
		}
		if compatible != nil {
			return compatible
		}
	}
	return nil
}

// checkLink checks that export ex offers what import im asks for.
func checkLink(im, ex *extern) error {
	mismatch := func(item string, d *difference) error {
		return &MismatchError{Importer: im.part.name, Exporter: ex.part.name, Import: im.name, Export: ex.name,
			Item: item, Where: d.where, ImportType: d.a, ExportType: d.b}
	}
	if im.item.Kind != ex.item.Kind {
		return mismatch("", &difference{a: im.kindName(), b: ex.kindName()})
	}
	switch im.item.Kind {
	case wit.ItemInterface:
		if item, d := interfaceDiff(im.part.r, im.item.Interface, ex.part.r, ex.item.Interface); d != nil {
			return mismatch(item, d)
		}
	case wit.ItemFunction:
		if d := funcDiff(im.part.r, im.item.Function, ex.part.r, ex.item.Function); d != nil {
			return mismatch("", d)
		}
	default:
		return mismatch("", &difference{a: "a type import", b: "a type export, which components cannot link"})
	}
	return nil
}

// interfaceDiff checks that interface b (an export) has every type and
// function of a (an import) with equal types. It names the first item
// that is missing or differs.
func interfaceDiff(ra *wit.Resolve, a wit.InterfaceID, rb *wit.Resolve, b wit.InterfaceID) (string, *difference) {
	ia, ib := ra.Interfaces[a], rb.Interfaces[b]
	for name, ta := range ia.Types.All() {
		item := "type " + name
		tb, ok := ib.Types.Get(name)
		if !ok {
			return item, &difference{a: typeString(typeRef{ra, wit.Ref(ta)}), b: "no such type (missing export)"}
		}
		if d := typeDiff(typeRef{ra, wit.Ref(ta)}, typeRef{rb, wit.Ref(tb)}); d != nil {
			return item, d
		}
	}
	for name, fa := range ia.Functions.All() {
		item := "function " + name
		fb, ok := ib.Functions.Get(name)
		if !ok {
			return item, &difference{a: funcString(ra, fa), b: "no such function (missing export)"}
		}
		if d := funcDiff(ra, fa, rb, fb); d != nil {
			return item, d
		}
	}
	return "", nil
}

// orderParts puts every used component after the plugs it imports from,
// and reports a cycle.
func (pl *plan) orderParts() error {
	const (
		unseen = iota
		visiting
		done
	)
	state := make([]int, len(pl.parts))
	var stack []linkStep
	var visit func(p *part) error
	visit = func(p *part) error {
		state[p.index] = visiting
		for _, im := range p.imports {
			ex, ok := pl.links[im]
			if !ok {
				continue
			}
			q := ex.part
			stack = append(stack, linkStep{p, im})
			switch state[q.index] {
			case visiting:
				return cycleError(stack, q, pl.links)
			case unseen:
				if err := visit(q); err != nil {
					return err
				}
			}
			stack = stack[:len(stack)-1]
		}
		state[p.index] = done
		pl.order = append(pl.order, p)
		return nil
	}
	return visit(pl.parts[0])
}

// linkStep is one import followed while ordering the components.
type linkStep struct {
	p  *part
	im *extern
}

// cycleError describes the cycle that ends on the stack at back.
func cycleError(stack []linkStep, back *part, links map[*extern]*extern) error {
	start := 0
	for i, s := range stack {
		if s.p == back {
			start = i
			break
		}
	}
	e := &CycleError{}
	for _, s := range stack[start:] {
		e.Steps = append(e.Steps, fmt.Sprintf("%s imports %s from %s", s.p.name, s.im.name, links[s.im].part.name))
	}
	return e
}
