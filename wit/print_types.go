package wit

import (
	"strconv"
	"strings"
)

// witKeywords are the words a WIT identifier must be %-escaped to use: the
// spec's keyword list (WIT.md "Keywords") plus the words wit-parser's lexer
// also reserves (`error-context`, `from`, `_`). Escaping a word that needs
// no escape is harmless, so the union is safe.
var witKeywords = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range strings.Fields(`as async bool borrow char constructor enum export
		f32 f64 flags from func future import include interface list map option own
		package record resource result s16 s32 s64 s8 static stream string tuple type
		u16 u32 u64 u8 use variant with world error-context _`) {
		m[k] = true
	}
	return m
}()

// escapeID writes an identifier, with `%` when it is a keyword.
func escapeID(s string) string {
	if witKeywords[s] {
		return "%" + s
	}
	return s
}

// typeDecl writes a named type defined in the current interface or world.
func (p *witPrinter) typeDecl(name string, id TypeID, td *TypeDef, funcs []*Function) {
	n := escapeID(name)
	switch k := td.Kind.(type) {
	case *Resource:
		if len(funcs) == 0 {
			p.startItem("type", td.Docs, td.Stability)
			p.line("resource " + n + ";")
			return
		}
		p.startItem("", td.Docs, td.Stability)
		saved := p.open("resource " + n)
		for _, f := range funcs {
			p.resourceFunc(id, f)
		}
		p.close(saved)
	case *Record:
		p.memberBlock("record "+n, td, len(k.Fields), func(i int) (string, string) {
			f := k.Fields[i]
			return f.Docs, escapeID(f.Name) + ": " + p.typeExpr(f.Type)
		})
	case *Variant:
		p.memberBlock("variant "+n, td, len(k.Cases), func(i int) (string, string) {
			c := k.Cases[i]
			if c.Type == NoType {
				return c.Docs, escapeID(c.Name)
			}
			return c.Docs, escapeID(c.Name) + "(" + p.typeExpr(c.Type) + ")"
		})
	case *Enum:
		p.memberBlock("enum "+n, td, len(k.Cases), func(i int) (string, string) {
			return k.Cases[i].Docs, escapeID(k.Cases[i].Name)
		})
	case *Flags:
		p.memberBlock("flags "+n, td, len(k.Flags), func(i int) (string, string) {
			return k.Flags[i].Docs, escapeID(k.Flags[i].Name)
		})
	default:
		var rhs string
		switch k := k.(type) {
		case *Alias:
			rhs = p.typeExpr(k.Type)
		case *Own:
			// Written out: `type t = r` would be an alias of the resource,
			// which is a different TypeDef.
			rhs = "own<" + p.resourceName(k.Resource) + ">"
		default:
			rhs = p.kindExpr(td.Kind)
		}
		p.startItem("type", td.Docs, td.Stability)
		p.line("type " + n + " = " + rhs + ";")
	}
}

// memberBlock writes a record, variant, enum or flags: `head {`, one
// `member,` line (with its docs) per member, `}`.
func (p *witPrinter) memberBlock(head string, td *TypeDef, n int, member func(int) (docs, text string)) {
	p.startItem("", td.Docs, td.Stability)
	saved := p.open(head)
	for i := range n {
		docs, text := member(i)
		p.docs(docs)
		p.line(text + ",")
	}
	p.close(saved)
}

// resourceFunc writes a constructor, method or static function inside the
// block of resource res.
func (p *witPrinter) resourceFunc(res TypeID, f *Function) {
	p.startItem("func", f.Docs, f.Stability)
	switch f.Kind {
	case Constructor:
		if f.Async {
			p.fail("constructor %s cannot be async in WIT", f.Name)
		}
		sig := "constructor(" + p.params(f.Params) + ")"
		if !p.isOwnOf(f.Result, res) {
			if f.Result == NoType {
				p.fail("constructor %s returns nothing", f.Name)
			}
			sig += " -> " + p.typeExpr(f.Result)
		}
		p.line(sig + ";")
	case Method:
		if len(f.Params) == 0 || f.Params[0].Name != "self" {
			p.fail("method %s has no self parameter", f.Name)
			return
		}
		p.line(escapeID(f.ItemName()) + ": " + p.funcType(f, 1) + ";")
	case Static:
		p.line(escapeID(f.ItemName()) + ": static " + p.funcType(f, 0) + ";")
	}
}

// isOwnOf reports whether t is the anonymous own<res> handle, the implicit
// result of an infallible constructor.
func (p *witPrinter) isOwnOf(t Type, res TypeID) bool {
	id, ok := t.TypeID()
	if !ok {
		return false
	}
	td := p.r.typeDefAt(id)
	if td == nil || td.Name != "" {
		return false
	}
	own, ok := td.Kind.(*Own)
	return ok && own.Resource == res
}

// funcType writes `[async ]func(params)[ -> result]`, leaving out the first
// skip parameters (a method's self).
func (p *witPrinter) funcType(f *Function, skip int) string {
	var b strings.Builder
	if f.Async {
		b.WriteString("async ")
	}
	b.WriteString("func(")
	b.WriteString(p.params(f.Params[skip:]))
	b.WriteByte(')')
	if f.Result != NoType {
		b.WriteString(" -> ")
		b.WriteString(p.typeExpr(f.Result))
	}
	return b.String()
}

func (p *witPrinter) params(ps []Param) string {
	parts := make([]string, len(ps))
	for i, prm := range ps {
		if prm.Name == "" {
			p.fail("a parameter of type %s has no name", p.typeExpr(prm.Type))
		}
		parts[i] = escapeID(prm.Name) + ": " + p.typeExpr(prm.Type)
	}
	return strings.Join(parts, ", ")
}

// typeExpr writes a reference to a type: a primitive, a named type by its
// name, or an anonymous type spelled out.
func (p *witPrinter) typeExpr(t Type) string {
	if t == NoType {
		p.fail("a type is missing")
		return "?"
	}
	id, ok := t.TypeID()
	if !ok {
		return t.PrimitiveName()
	}
	td := p.r.typeDefAt(id)
	if td == nil {
		p.fail("missing type %d", id)
		return "?"
	}
	if td.Name != "" {
		return escapeID(td.Name)
	}
	// Anonymous types form a DAG; spelled out, a shared one repeats. Keep
	// each spelling once, and refuse absurd sizes (a hostile JSON can make
	// them exponential; text written by people cannot).
	if s, ok := p.anonExprs[id]; ok {
		return s
	}
	s := p.kindExpr(td.Kind)
	if len(s) > maxTypeExprLen {
		p.fail("type %d spells out to more than %d bytes", id, maxTypeExprLen)
		s = "?"
	}
	if p.anonExprs == nil {
		p.anonExprs = map[TypeID]string{}
	}
	p.anonExprs[id] = s
	return s
}

// maxTypeExprLen bounds one anonymous type's spelling.
const maxTypeExprLen = 1 << 16

// kindExpr spells out an anonymous type (or the right-hand side of a named
// one). Decoded Resolves are acyclic (UnmarshalResolveJSON checks), and so
// are parsed ones, so the recursion ends.
func (p *witPrinter) kindExpr(k TypeDefKind) string {
	switch k := k.(type) {
	case *Alias:
		return p.typeExpr(k.Type)
	case *Own:
		// A bare resource name is an owned handle; `own<r>` reads the same.
		return p.resourceName(k.Resource)
	case *Borrow:
		return "borrow<" + p.resourceName(k.Resource) + ">"
	case *Tuple:
		parts := make([]string, len(k.Types))
		for i, t := range k.Types {
			parts[i] = p.typeExpr(t)
		}
		return "tuple<" + strings.Join(parts, ", ") + ">"
	case *Option:
		return "option<" + p.typeExpr(k.Type) + ">"
	case *Result:
		switch {
		case k.OK == NoType && k.Err == NoType:
			return "result"
		case k.Err == NoType:
			return "result<" + p.typeExpr(k.OK) + ">"
		case k.OK == NoType:
			return "result<_, " + p.typeExpr(k.Err) + ">"
		}
		return "result<" + p.typeExpr(k.OK) + ", " + p.typeExpr(k.Err) + ">"
	case *List:
		return "list<" + p.typeExpr(k.Elem) + ">"
	case *FixedList:
		return "list<" + p.typeExpr(k.Elem) + ", " + strconv.FormatUint(uint64(k.Len), 10) + ">"
	case *Map:
		return "map<" + p.typeExpr(k.Key) + ", " + p.typeExpr(k.Value) + ">"
	case *Future:
		if k.Elem == NoType {
			return "future"
		}
		return "future<" + p.typeExpr(k.Elem) + ">"
	case *Stream:
		if k.Elem == NoType {
			return "stream"
		}
		return "stream<" + p.typeExpr(k.Elem) + ">"
	}
	p.fail("a %T type has no name and cannot be written inline", k)
	return "?"
}

// resourceName names the resource a handle points at (the local name: after
// `use`, that is the alias).
func (p *witPrinter) resourceName(id TypeID) string {
	td := p.r.typeDefAt(id)
	if td == nil || td.Name == "" {
		p.fail("handle to type %d, which has no name", id)
		return "?"
	}
	return escapeID(td.Name)
}
