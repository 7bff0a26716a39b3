package canonabi

import (
	"fmt"
	"strings"

	"github.com/witgo/witgo/wit"
)

// TypeString renders t in WIT syntax: a named type by its name, an
// anonymous one structurally (`list<option<u8>>`).
func (a *ABI) TypeString(t wit.Type) string {
	return a.typeStringLocked(t, 0)
}

// typeStringLocked reads only the Resolve, so it is safe with a.mu held.
func (a *ABI) typeStringLocked(t wit.Type, depth int) string {
	if t == wit.NoType {
		return "_"
	}
	if t.IsPrimitive() {
		return t.PrimitiveName()
	}
	id, _ := t.TypeID()
	if int(id) >= len(a.Resolve.Types) || a.Resolve.Types[id] == nil {
		return fmt.Sprintf("type#%d", id)
	}
	td := a.Resolve.Types[id]
	if td.Name != "" && depth > 0 {
		return td.Name
	}
	if depth > 8 {
		return "..."
	}
	sub := func(u wit.Type) string { return a.typeStringLocked(u, depth+1) }
	var s string
	switch k := td.Kind.(type) {
	case *wit.Alias:
		s = sub(k.Type)
	case *wit.Resource:
		s = "resource"
	case *wit.Own:
		s = "own<" + sub(wit.Ref(k.Resource)) + ">"
	case *wit.Borrow:
		s = "borrow<" + sub(wit.Ref(k.Resource)) + ">"
	case *wit.Flags:
		names := make([]string, len(k.Flags))
		for i, f := range k.Flags {
			names[i] = f.Name
		}
		s = "flags { " + strings.Join(names, ", ") + " }"
	case *wit.Record:
		parts := make([]string, len(k.Fields))
		for i, f := range k.Fields {
			parts[i] = f.Name + ": " + sub(f.Type)
		}
		s = "record { " + strings.Join(parts, ", ") + " }"
	case *wit.Tuple:
		parts := make([]string, len(k.Types))
		for i, u := range k.Types {
			parts[i] = sub(u)
		}
		s = "tuple<" + strings.Join(parts, ", ") + ">"
	case *wit.Variant:
		parts := make([]string, len(k.Cases))
		for i, c := range k.Cases {
			parts[i] = c.Name
			if c.Type != wit.NoType {
				parts[i] += "(" + sub(c.Type) + ")"
			}
		}
		s = "variant { " + strings.Join(abbreviate(parts), ", ") + " }"
	case *wit.Enum:
		parts := make([]string, len(k.Cases))
		for i, c := range k.Cases {
			parts[i] = c.Name
		}
		s = "enum { " + strings.Join(abbreviate(parts), ", ") + " }"
	case *wit.Option:
		s = "option<" + sub(k.Type) + ">"
	case *wit.Result:
		switch {
		case k.OK == wit.NoType && k.Err == wit.NoType:
			s = "result"
		case k.Err == wit.NoType:
			s = "result<" + sub(k.OK) + ">"
		default:
			s = "result<" + sub(k.OK) + ", " + sub(k.Err) + ">"
		}
	case *wit.List:
		s = "list<" + sub(k.Elem) + ">"
	case *wit.FixedList:
		s = fmt.Sprintf("list<%s, %d>", sub(k.Elem), k.Len)
	case *wit.Map:
		s = "map<" + sub(k.Key) + ", " + sub(k.Value) + ">"
	case *wit.Future:
		s = "future"
		if k.Elem != wit.NoType {
			s += "<" + sub(k.Elem) + ">"
		}
	case *wit.Stream:
		s = "stream"
		if k.Elem != wit.NoType {
			s += "<" + sub(k.Elem) + ">"
		}
	default:
		s = fmt.Sprintf("type#%d", id)
	}
	if td.Name != "" {
		return td.Name + " = " + s
	}
	return s
}

// abbreviate keeps error messages short for types with hundreds of cases.
func abbreviate(parts []string) []string {
	if len(parts) <= 6 {
		return parts
	}
	return append(append(parts[:3:3], fmt.Sprintf("... %d more", len(parts)-4)), parts[len(parts)-1])
}
