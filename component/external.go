package component

// checkExternal enforces the external-visibility rule: every record,
// variant, enum, flags and resource type used inside an imported item
// must have been named by an import, and inside an exported item by an
// import or an export, of the same scope. Instance types are exempt
// until they are attached to a concrete import or export.
func (v *validator) checkExternal(s *scope, e externT, isImport bool) error {
	if s.kind == scopeInstanceType {
		return nil
	}
	what := "export"
	if isImport {
		what = "import"
	}
	nm := namer{s: s, isImport: isImport, local: map[any]bool{}}
	ok := true
	switch e.kind {
	case ExternType:
		ok = nm.val(e.ty.val, true) && (e.ty.fn == nil || nm.fn(e.ty.fn)) &&
			(e.ty.inst == nil || nm.instance(e.ty.inst))
	case ExternFunc:
		ok = nm.fn(e.fn)
	case ExternValue:
		ok = nm.val(e.val, false)
	case ExternInstance:
		ok = nm.instance(e.inst)
	}
	if !ok {
		return v.errorf("%s not valid to be used as %s", externKindNames[e.kind], what)
	}
	return nil
}

type namer struct {
	s        *scope
	isImport bool
	local    map[any]bool // named by the instance being checked
}

func (n namer) has(x any) bool {
	return n.local[x] || n.s.namedImp[x] || (!n.isImport && n.s.namedExp[x])
}

// instance checks an instance: its own type exports name types for the
// rest of it.
func (n namer) instance(it *instT) bool {
	for _, x := range it.exports {
		switch x.t.kind {
		case ExternType:
			if !n.val(x.t.ty.val, true) {
				return false
			}
			if x.t.ty.val != nil {
				n.local[x.t.ty.val] = true
			}
			if x.t.ty.res != nil {
				n.local[x.t.ty.res] = true
			}
		case ExternFunc:
			if !n.fn(x.t.fn) {
				return false
			}
		case ExternValue:
			if !n.val(x.t.val, false) {
				return false
			}
		case ExternInstance:
			if !n.instance(x.t.inst) {
				return false
			}
		}
	}
	return true
}

func (n namer) fn(f *funcT) bool {
	for _, p := range f.params {
		if !n.val(p.t, false) {
			return false
		}
	}
	return f.result == nil || n.val(f.result, false)
}

// val reports whether every nominal type inside t has a name; top allows
// t itself to be unnamed (the export being checked names it).
func (n namer) val(t *vtype, top bool) bool {
	if t == nil {
		return true
	}
	switch t.kind {
	case KindRecord, KindVariant, KindEnum, KindFlags:
		if !top {
			return n.has(t) // its contents were checked when it was named
		}
	case KindOwn, KindBorrow:
		return n.has(t.res)
	case KindPrim:
		return true
	}
	if !n.val(t.elem, false) || !n.val(t.val, false) || !n.val(t.ok, false) || !n.val(t.err, false) {
		return false
	}
	for _, f := range t.fields {
		if !n.val(f.t, false) {
			return false
		}
	}
	for _, x := range t.types {
		if !n.val(x, false) {
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
