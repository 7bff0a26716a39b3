package component

// substituter replaces resources in types (instantiation binds imported
// resources to arguments and gives defined ones fresh identities).
// Results are memoized so shared subtrees stay shared.
type substituter struct {
	res      map[*resource]*resource
	vals     map[*vtype]*vtype // imported value types and what was supplied
	memo     map[*vtype]*vtype
	memoFn   map[*funcT]*funcT
	memoInst map[*instT]*instT
	memoComp map[*compT]*compT
}

func newSubstituter(res map[*resource]*resource) *substituter {
	return &substituter{res: res, vals: map[*vtype]*vtype{}, memo: map[*vtype]*vtype{},
		memoFn: map[*funcT]*funcT{}, memoInst: map[*instT]*instT{}, memoComp: map[*compT]*compT{}}
}

// skip reports whether a part with the given resource flag cannot change.
func (s *substituter) skip(hasRes bool) bool {
	return len(s.vals) == 0 && (!hasRes || len(s.res) == 0)
}

func (s *substituter) resource(r *resource) *resource {
	if n, ok := s.res[r.root()]; ok {
		return n
	}
	return r
}

func (s *substituter) val(t *vtype) *vtype {
	if t == nil || ((!t.hasRes || len(s.res) == 0) && len(s.vals) == 0) || t.kind == KindPrim {
		return t
	}
	if n, ok := s.vals[t]; ok && n != nil {
		return n
	}
	if n, ok := s.memo[t]; ok {
		return n
	}
	n := *t
	if t.res != nil {
		n.res = s.resource(t.res)
	}
	n.elem, n.val, n.ok, n.err = s.val(t.elem), s.val(t.val), s.val(t.ok), s.val(t.err)
	if t.fields != nil {
		n.fields = make([]vfield, len(t.fields))
		for i, f := range t.fields {
			n.fields[i] = vfield{f.name, s.val(f.t)}
		}
	}
	if t.types != nil {
		n.types = make([]*vtype, len(t.types))
		for i, x := range t.types {
			n.types[i] = s.val(x)
		}
	}
	s.memo[t] = &n
	return &n
}

func (s *substituter) fn(f *funcT) *funcT {
	if s.skip(f.hasRes) {
		return f
	}
	if n, ok := s.memoFn[f]; ok {
		return n
	}
	n := *f
	s.memoFn[f] = &n
	n.params = make([]vfield, len(f.params))
	for i, p := range f.params {
		n.params[i] = vfield{p.name, s.val(p.t)}
	}
	n.result = s.val(f.result)
	return &n
}

func (s *substituter) list(rs []*resource) []*resource {
	out := make([]*resource, len(rs))
	for i, r := range rs {
		out[i] = s.resource(r)
	}
	return out
}

func (s *substituter) empty() bool { return len(s.res) == 0 && len(s.vals) == 0 }

func (s *substituter) named(list []namedExt) []namedExt {
	if s.empty() {
		return list
	}
	out := make([]namedExt, len(list))
	for i, e := range list {
		out[i] = namedExt{e.name, s.extern(e.t)}
	}
	return out
}

func (s *substituter) inst(t *instT) *instT {
	if s.skip(t.hasRes || len(t.defined) > 0) {
		return t
	}
	if n, ok := s.memoInst[t]; ok {
		return n
	}
	n := &instT{defined: s.list(t.defined), size: t.size, hasRes: t.hasRes}
	s.memoInst[t] = n
	n.exports = s.named(t.exports)
	return n
}

func (s *substituter) comp(t *compT) *compT {
	if s.skip(t.hasRes || len(t.imported)+len(t.defined) > 0) {
		return t
	}
	if n, ok := s.memoComp[t]; ok {
		return n
	}
	n := &compT{imported: s.list(t.imported), defined: s.list(t.defined), size: t.size, hasRes: t.hasRes}
	s.memoComp[t] = n
	n.imports, n.exports = s.named(t.imports), s.named(t.exports)
	return n
}

func (s *substituter) entry(e typeEntry) typeEntry {
	switch {
	case e.res != nil:
		return typeEntry{res: s.resource(e.res)}
	case e.val != nil:
		return typeEntry{val: s.val(e.val)}
	case e.fn != nil:
		return typeEntry{fn: s.fn(e.fn)}
	case e.comp != nil:
		return typeEntry{comp: s.comp(e.comp)}
	}
	return typeEntry{inst: s.inst(e.inst)}
}

func (s *substituter) extern(e externT) externT {
	switch e.kind {
	case ExternFunc:
		e.fn = s.fn(e.fn)
	case ExternValue:
		e.val = s.val(e.val)
	case ExternType:
		e.ty = s.entry(e.ty)
	case ExternComponent:
		e.comp = s.comp(e.comp)
	case ExternInstance:
		e.inst = s.inst(e.inst)
	}
	return e
}

// freshen gives each resource of rs a new identity created by scope s.
func freshen(rs []*resource, s *scope, imported bool, into map[*resource]*resource) []*resource {
	out := make([]*resource, len(rs))
	for i, r := range rs {
		n := &resource{creator: s, imported: imported, rep: r.rep}
		into[r] = n
		out[i] = n
	}
	return out
}

// forEachResource calls fn for each resource an item type refers to.
func forEachResource(e externT, fn func(*resource)) {
	seen := map[*vtype]bool{}
	var val func(t *vtype)
	val = func(t *vtype) {
		if t == nil || !t.hasRes || seen[t] {
			return
		}
		seen[t] = true
		if t.res != nil {
			fn(t.res.root())
		}
		val(t.elem)
		val(t.val)
		val(t.ok)
		val(t.err)
		for _, f := range t.fields {
			val(f.t)
		}
		for _, x := range t.types {
			val(x)
		}
	}
	var ext func(e externT)
	entry := func(te typeEntry) {
		switch {
		case te.res != nil:
			fn(te.res.root())
		case te.val != nil:
			val(te.val)
		case te.fn != nil:
			ext(externT{kind: ExternFunc, fn: te.fn})
		case te.comp != nil:
			ext(externT{kind: ExternComponent, comp: te.comp})
		case te.inst != nil:
			ext(externT{kind: ExternInstance, inst: te.inst})
		}
	}
	ext = func(e externT) {
		switch e.kind {
		case ExternFunc:
			for _, p := range e.fn.params {
				val(p.t)
			}
			val(e.fn.result)
		case ExternValue:
			val(e.val)
		case ExternType:
			entry(e.ty)
		case ExternComponent:
			for _, x := range e.comp.imports {
				ext(x.t)
			}
			for _, x := range e.comp.exports {
				ext(x.t)
			}
		case ExternInstance:
			for _, x := range e.inst.exports {
				ext(x.t)
			}
		}
	}
	ext(e)
}
