package component

// checkExternal enforces the external-visibility rule: a record, variant,
// enum or flags type, or a resource, defined in this scope and used inside
// an imported or exported item must itself have been imported or exported.
func (v *validator) checkExternal(s *scope, e externT, isImport bool) error {
	what := "export"
	if isImport {
		what = "import"
	}
	bad := func() error {
		return v.errorf("%s not valid to be used as %s", externKindNames[e.kind], what)
	}
	switch e.kind {
	case ExternType:
		if e.ty.val != nil && !s.valNamed(e.ty.val, true, nil) {
			return bad()
		}
		if e.ty.fn != nil && !s.funcNamed(e.ty.fn, nil) {
			return bad()
		}
	case ExternFunc:
		if !s.funcNamed(e.fn, nil) {
			return bad()
		}
	case ExternValue:
		if !s.valNamed(e.val, false, nil) {
			return bad()
		}
	case ExternInstance:
		// An instance names its own exported types.
		local := map[any]bool{}
		for _, x := range e.inst.exports {
			if x.t.kind == ExternType {
				if x.t.ty.val != nil {
					if !s.valNamed(x.t.ty.val, true, local) {
						return bad()
					}
					local[x.t.ty.val] = true
				}
				if x.t.ty.res != nil {
					local[x.t.ty.res] = true
				}
			}
		}
		for _, x := range e.inst.exports {
			switch x.t.kind {
			case ExternFunc:
				if !s.funcNamed(x.t.fn, local) {
					return bad()
				}
			case ExternValue:
				if !s.valNamed(x.t.val, false, local) {
					return bad()
				}
			}
		}
	}
	return nil
}

func (s *scope) funcNamed(f *funcT, local map[any]bool) bool {
	for _, p := range f.params {
		if !s.valNamed(p.t, false, local) {
			return false
		}
	}
	return f.result == nil || s.valNamed(f.result, false, local)
}

func (s *scope) resNamed(r *resource, local map[any]bool) bool {
	return r.imported || r.creator != s || s.namedRes[r] || local[r]
}

// valNamed reports whether every nominal type inside t has a name; top
// allows t itself to be unnamed (it is being named by this export).
func (s *scope) valNamed(t *vtype, top bool, local map[any]bool) bool {
	if t == nil {
		return true
	}
	switch t.kind {
	case KindRecord, KindVariant, KindEnum, KindFlags:
		if !top && t.owner == s && !s.named[t] && !local[t] {
			return false
		}
		if !top && (s.named[t] || local[t] || t.owner != s) {
			return true // its contents were checked when it was named
		}
	case KindOwn, KindBorrow:
		return s.resNamed(t.res, local)
	case KindPrim:
		return true
	}
	if !s.valNamed(t.elem, false, local) || !s.valNamed(t.val, false, local) ||
		!s.valNamed(t.ok, false, local) || !s.valNamed(t.err, false, local) {
		return false
	}
	for _, f := range t.fields {
		if !s.valNamed(f.t, false, local) {
			return false
		}
	}
	for _, x := range t.types {
		if !s.valNamed(x, false, local) {
			return false
		}
	}
	return true
}

// checkResourceName checks the [constructor], [method] and [static]
// annotations against the resources named in the same scope and direction.
func (v *validator) checkResourceName(s *scope, name string, pn parsedName, e externT, names map[string]*resource) error {
	if pn.kind != nameConstructor && pn.kind != nameMethod && pn.kind != nameStatic {
		return nil
	}
	if e.kind != ExternFunc {
		return v.errorf("item named `%s` is not a func", name)
	}
	want, known := names[pn.resource]
	nameOf := func(r *resource) error {
		for n, x := range names {
			if x == r {
				if n != pn.resource {
					return v.errorf("function does not match expected resource name `%s`", n)
				}
				return nil
			}
		}
		return v.errorf("resource used in function does not have a name in this context")
	}
	f := e.fn
	switch pn.kind {
	case nameStatic:
		if !known {
			return v.errorf("static resource name is not known in this context")
		}
	case nameConstructor:
		r := f.result
		if r == nil {
			return v.errorf("function should return one value")
		}
		if r.kind == KindResult && r.ok != nil {
			r = r.ok
		}
		if r.kind != KindOwn {
			return v.errorf("function should return `(own $T)` or `(result (own $T))`")
		}
		if err := nameOf(r.res); err != nil {
			return err
		}
	case nameMethod:
		if len(f.params) == 0 {
			return v.errorf("function should have at least one argument")
		}
		if f.params[0].name != "self" {
			return v.errorf("function should have a first argument called `self`")
		}
		p := f.params[0].t
		if p.kind != KindBorrow {
			return v.errorf("function should take a first argument of `(borrow $T)`")
		}
		if err := nameOf(p.res); err != nil {
			return err
		}
	}
	_ = want
	return nil
}
