package wit

// TypeOperands are the types a type definition refers to directly, in
// declaration order: an alias's target, record fields, variant payloads,
// tuple members, element, key and value types, option/result payloads,
// future/stream payloads, and the resource of an own or borrow handle.
// An absent payload is NoType. Enums, flags and resources have none.
func TypeOperands(k TypeDefKind) []Type {
	switch k := k.(type) {
	case *Alias:
		return []Type{k.Type}
	case *Record:
		ts := make([]Type, len(k.Fields))
		for i, f := range k.Fields {
			ts[i] = f.Type
		}
		return ts
	case *Variant:
		ts := make([]Type, len(k.Cases))
		for i, c := range k.Cases {
			ts[i] = c.Type
		}
		return ts
	case *Tuple:
		return k.Types
	case *Option:
		return []Type{k.Type}
	case *Result:
		return []Type{k.OK, k.Err}
	case *List:
		return []Type{k.Elem}
	case *FixedList:
		return []Type{k.Elem}
	case *Map:
		return []Type{k.Key, k.Value}
	case *Future:
		return []Type{k.Elem}
	case *Stream:
		return []Type{k.Elem}
	case *Own:
		return []Type{Ref(k.Resource)}
	case *Borrow:
		return []Type{Ref(k.Resource)}
	}
	return nil
}
