package compose

import (
	"fmt"
	"strings"

	"github.com/witgo/witgo/wit"
)

// typeRef is a type in a given Resolve: the two sides of a comparison
// come from different components' worlds.
type typeRef struct {
	r *wit.Resolve
	t wit.Type
}

// difference is the first place where two types differ: where (a path
// such as "field y" or "result") and the two types there.
type difference struct {
	where string
	a, b  string
}

func (d *difference) in(step string) *difference {
	if d != nil {
		if d.where == "" {
			d.where = step
		} else {
			d.where = step + ": " + d.where
		}
	}
	return d
}

// deref follows aliases (`type a = b`, `use` names) to the definition.
func deref(x typeRef) (typeRef, *wit.TypeDef) {
	for {
		id, ok := x.t.TypeID()
		if !ok || int(id) >= len(x.r.Types) {
			return x, nil
		}
		td := x.r.Types[id]
		al, ok := td.Kind.(*wit.Alias)
		if !ok {
			return x, td
		}
		x.t = al.Type
	}
}

// typeDiff compares two types structurally (resources by identity: their
// interface without version and their name) and returns nil when equal.
func typeDiff(a, b typeRef) *difference {
	a, da := deref(a)
	b, db := deref(b)
	differ := &difference{a: typeString(a), b: typeString(b)}
	if da == nil || db == nil {
		if da != nil || db != nil || a.t != b.t {
			return differ
		}
		return nil
	}
	switch ka := da.Kind.(type) {
	case *wit.Resource:
		if _, ok := db.Kind.(*wit.Resource); !ok || resourceKey(a.r, da) != resourceKey(b.r, db) {
			return differ
		}
		return nil
	case *wit.Record:
		kb, ok := db.Kind.(*wit.Record)
		if !ok {
			return differ
		}
		if d := labelDiff(len(ka.Fields), len(kb.Fields), func(i int) string { return ka.Fields[i].Name },
			func(i int) string { return kb.Fields[i].Name }, "field"); d != nil {
			return d.in(typeString(a))
		}
		for i, f := range ka.Fields {
			if d := typeDiff(typeRef{a.r, f.Type}, typeRef{b.r, kb.Fields[i].Type}); d != nil {
				return d.in("field " + f.Name)
			}
		}
		return nil
	case *wit.Variant:
		kb, ok := db.Kind.(*wit.Variant)
		if !ok {
			return differ
		}
		if d := labelDiff(len(ka.Cases), len(kb.Cases), func(i int) string { return ka.Cases[i].Name },
			func(i int) string { return kb.Cases[i].Name }, "case"); d != nil {
			return d.in(typeString(a))
		}
		for i, c := range ka.Cases {
			if d := optDiff(typeRef{a.r, c.Type}, typeRef{b.r, kb.Cases[i].Type}); d != nil {
				return d.in("case " + c.Name)
			}
		}
		return nil
	case *wit.Enum:
		kb, ok := db.Kind.(*wit.Enum)
		if !ok {
			return differ
		}
		return labelDiff(len(ka.Cases), len(kb.Cases), func(i int) string { return ka.Cases[i].Name },
			func(i int) string { return kb.Cases[i].Name }, "case").in(typeString(a))
	case *wit.Flags:
		kb, ok := db.Kind.(*wit.Flags)
		if !ok {
			return differ
		}
		return labelDiff(len(ka.Flags), len(kb.Flags), func(i int) string { return ka.Flags[i].Name },
			func(i int) string { return kb.Flags[i].Name }, "flag").in(typeString(a))
	case *wit.Tuple:
		kb, ok := db.Kind.(*wit.Tuple)
		if !ok || len(ka.Types) != len(kb.Types) {
			return differ
		}
		for i := range ka.Types {
			if d := typeDiff(typeRef{a.r, ka.Types[i]}, typeRef{b.r, kb.Types[i]}); d != nil {
				return d.in(fmt.Sprintf("tuple element %d", i))
			}
		}
		return nil
	}
	return shapeDiff(a, da, b, db, differ)
}

// shapeDiff compares the type constructors with one or two payloads.
func shapeDiff(a typeRef, da *wit.TypeDef, b typeRef, db *wit.TypeDef, differ *difference) *difference {
	pair := func(x, y wit.Type) *difference { return optDiff(typeRef{a.r, x}, typeRef{b.r, y}) }
	switch ka := da.Kind.(type) {
	case *wit.Option:
		if kb, ok := db.Kind.(*wit.Option); ok {
			return pair(ka.Type, kb.Type).in("option payload")
		}
	case *wit.Result:
		if kb, ok := db.Kind.(*wit.Result); ok {
			if d := pair(ka.OK, kb.OK); d != nil {
				return d.in("result ok")
			}
			return pair(ka.Err, kb.Err).in("result error")
		}
	case *wit.List:
		if kb, ok := db.Kind.(*wit.List); ok {
			return pair(ka.Elem, kb.Elem).in("list element")
		}
	case *wit.FixedList:
		if kb, ok := db.Kind.(*wit.FixedList); ok && ka.Len == kb.Len {
			return pair(ka.Elem, kb.Elem).in("list element")
		}
	case *wit.Map:
		if kb, ok := db.Kind.(*wit.Map); ok {
			if d := pair(ka.Key, kb.Key); d != nil {
				return d.in("map key")
			}
			return pair(ka.Value, kb.Value).in("map value")
		}
	case *wit.Future:
		if kb, ok := db.Kind.(*wit.Future); ok {
			return pair(ka.Elem, kb.Elem).in("future payload")
		}
	case *wit.Stream:
		if kb, ok := db.Kind.(*wit.Stream); ok {
			return pair(ka.Elem, kb.Elem).in("stream payload")
		}
	case *wit.Own:
		if kb, ok := db.Kind.(*wit.Own); ok {
			return pair(wit.Ref(ka.Resource), wit.Ref(kb.Resource))
		}
	case *wit.Borrow:
		if kb, ok := db.Kind.(*wit.Borrow); ok {
			return pair(wit.Ref(ka.Resource), wit.Ref(kb.Resource))
		}
	}
	return differ
}

// optDiff compares optional payloads (NoType means none).
func optDiff(a, b typeRef) *difference {
	if a.t == wit.NoType || b.t == wit.NoType {
		if a.t != b.t {
			return &difference{a: typeString(a), b: typeString(b)}
		}
		return nil
	}
	return typeDiff(a, b)
}

// labelDiff compares the names of fields, cases or flags in order.
func labelDiff(n, m int, a, b func(int) string, what string) *difference {
	for i := 0; i < n || i < m; i++ {
		switch {
		case i >= n:
			return &difference{a: "no " + what + " " + b(i), b: what + " " + b(i)}
		case i >= m:
			return &difference{a: what + " " + a(i), b: "no " + what + " " + a(i)}
		case a(i) != b(i):
			return &difference{where: fmt.Sprintf("%s %d", what, i+1), a: a(i), b: b(i)}
		}
	}
	return nil
}

// resourceKey identifies a resource across worlds: the interface that
// defines it, without its version, and its name.
func resourceKey(r *wit.Resolve, td *wit.TypeDef) string {
	if td.Owner.Kind == wit.OwnerInterface {
		base, _ := splitVersion(r.InterfaceName(td.Owner.Interface))
		return base + "#" + td.Name
	}
	return "#" + td.Name
}

// funcDiff compares two functions' signatures.
func funcDiff(ra *wit.Resolve, fa *wit.Function, rb *wit.Resolve, fb *wit.Function) *difference {
	sig := func(r *wit.Resolve, f *wit.Function) string { return funcString(r, f) }
	if fa.Async != fb.Async || fa.Kind != fb.Kind || len(fa.Params) != len(fb.Params) {
		return &difference{a: sig(ra, fa), b: sig(rb, fb)}
	}
	for i, p := range fa.Params {
		if p.Name != fb.Params[i].Name {
			return &difference{a: sig(ra, fa), b: sig(rb, fb)}
		}
		if d := typeDiff(typeRef{ra, p.Type}, typeRef{rb, fb.Params[i].Type}); d != nil {
			return d.in("parameter " + p.Name)
		}
	}
	return optDiff(typeRef{ra, fa.Result}, typeRef{rb, fb.Result}).in("result")
}

// typeString writes a type as WIT does, with named types by name.
func typeString(x typeRef) string {
	if x.t == wit.NoType {
		return "nothing"
	}
	if x.t.IsPrimitive() {
		return x.t.PrimitiveName()
	}
	id, ok := x.t.TypeID()
	if !ok || int(id) >= len(x.r.Types) {
		return "?"
	}
	td := x.r.Types[id]
	if td.Name != "" {
		if _, ok := td.Kind.(*wit.Resource); ok {
			return "resource " + td.Name
		}
		return td.Name
	}
	sub := func(t wit.Type) string {
		if t == wit.NoType {
			return "_"
		}
		return typeString(typeRef{x.r, t})
	}
	switch k := td.Kind.(type) {
	case *wit.Alias:
		return sub(k.Type)
	case *wit.Option:
		return "option<" + sub(k.Type) + ">"
	case *wit.Result:
		return "result<" + sub(k.OK) + ", " + sub(k.Err) + ">"
	case *wit.List:
		return "list<" + sub(k.Elem) + ">"
	case *wit.FixedList:
		return fmt.Sprintf("list<%s, %d>", sub(k.Elem), k.Len)
	case *wit.Map:
		return "map<" + sub(k.Key) + ", " + sub(k.Value) + ">"
	case *wit.Future:
		return "future<" + sub(k.Elem) + ">"
	case *wit.Stream:
		return "stream<" + sub(k.Elem) + ">"
	case *wit.Own:
		return sub(wit.Ref(k.Resource))
	case *wit.Borrow:
		return "borrow<" + sub(wit.Ref(k.Resource)) + ">"
	case *wit.Tuple:
		parts := make([]string, len(k.Types))
		for i, t := range k.Types {
			parts[i] = sub(t)
		}
		return "tuple<" + strings.Join(parts, ", ") + ">"
	}
	return "anonymous type"
}

func funcString(r *wit.Resolve, f *wit.Function) string {
	var b strings.Builder
	b.WriteString("func(")
	for i, p := range f.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s: %s", p.Name, typeString(typeRef{r, p.Type}))
	}
	b.WriteString(")")
	if f.Result != wit.NoType {
		b.WriteString(" -> " + typeString(typeRef{r, f.Result}))
	}
	if f.Async {
		return "async " + b.String()
	}
	return b.String()
}
