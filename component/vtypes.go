package component

import (
	"fmt"

	"github.com/witgo/witgo/component/wasm"
)

var primTypes = func() map[byte]*vtype {
	m := map[byte]*vtype{}
	for c := String; c <= Bool; c++ {
		m[c] = &vtype{kind: KindPrim, prim: c, size: 1, hasStr: c == String}
	}
	m[ErrorContext] = &vtype{kind: KindPrim, prim: ErrorContext, size: 1}
	return m
}()

// valType resolves a valtype.
func (v *validator) valType(s *scope, t ValType) (*vtype, error) {
	if t.Prim != 0 {
		return primTypes[t.Prim], nil
	}
	if int(t.Idx) >= len(s.types) {
		return nil, v.errorf("type index out of bounds: %d", t.Idx)
	}
	e := s.types[t.Idx]
	if e.val == nil {
		return nil, v.errorf("type index %d is not a defined type", t.Idx)
	}
	return e.val, nil
}

func (v *validator) optValType(s *scope, t *ValType) (*vtype, error) {
	if t == nil {
		return nil, nil
	}
	return v.valType(s, *t)
}

// typeDef validates a type definition and returns its index-space entry.
func (v *validator) typeDef(s *scope, t Type) (typeEntry, error) {
	switch t.Kind {
	case KindFunc, KindAsyncFunc:
		f, err := v.funcType(s, t.Func)
		return typeEntry{fn: f}, err
	case KindComponent:
		c, err := v.componentType(s, t.Component.Decls)
		return typeEntry{comp: c}, err
	case KindInstance:
		in, err := v.instanceType(s, t.Instance.Decls)
		return typeEntry{inst: in}, err
	case KindResource:
		r, err := v.resourceType(s, t.Resource)
		return typeEntry{res: r}, err
	}
	vt, err := v.defValType(s, t.Val)
	return typeEntry{val: vt}, err
}

func (v *validator) resourceType(s *scope, rt *ResourceType) (*resource, error) {
	if s.kind != scopeComponent {
		return nil, v.errorf("resources can only be defined within a concrete component")
	}
	if rt.Rep.Code != wasm.I32 {
		return nil, v.errorf("resources can only be represented by `i32`")
	}
	if rt.Dtor != nil {
		if int(*rt.Dtor) >= len(s.coreFuncs) {
			return nil, v.errorf("function index out of bounds: %d", *rt.Dtor)
		}
		ft := s.coreFuncs[*rt.Dtor]
		if !sameCoreFunc(ft, &wasm.FuncType{Params: []wasm.ValType{wasm.V(wasm.I32)}}) {
			return nil, v.errorf("wrong signature for a destructor")
		}
	}
	return &resource{creator: s, local: true, rep: rt.Rep}, nil
}

func (v *validator) funcType(s *scope, ft *FuncType) (*funcT, error) {
	f := &funcT{async: ft.Async, size: 1}
	var names nameSet
	for _, p := range ft.Params {
		if p.Name == "" {
			return nil, v.errorf("function parameter name cannot be empty")
		}
		if err := checkLabel(p.Name); err != nil {
			return nil, v.errorf("function parameter name %v", err)
		}
		if err := names.add(p.Name, "function parameter"); err != nil {
			return nil, v.errorf("%v", err)
		}
		t, err := v.valType(s, p.Type)
		if err != nil {
			return nil, err
		}
		f.params = append(f.params, vfield{p.Name, t})
		f.size += t.size
		f.hasRes = f.hasRes || t.hasRes
	}
	r, err := v.optValType(s, ft.Result)
	if err != nil {
		return nil, err
	}
	if r != nil {
		if r.borrow {
			return nil, v.errorf("function result cannot contain a `borrow` type")
		}
		f.result = r
		f.size += r.size
		f.hasRes = f.hasRes || r.hasRes
	}
	return f, v.checkSize(f.size)
}

// defValType resolves a defined value type and checks its rules.
func (v *validator) defValType(s *scope, d *DefValType) (*vtype, error) {
	if d.Kind == KindPrim {
		return primTypes[d.Prim], nil
	}
	t := &vtype{kind: d.Kind, size: 1, owner: s}
	add := func(c *vtype) {
		if c == nil {
			return
		}
		t.size += c.size
		t.depth = max(t.depth, c.depth+1)
		t.borrow = t.borrow || c.borrow
		t.hasRes = t.hasRes || c.hasRes
		t.hasStr = t.hasStr || c.hasStr
	}
	var err error
	switch d.Kind {
	case KindRecord:
		if len(d.Fields) == 0 {
			return nil, v.errorf("record type must have at least one field")
		}
		var names nameSet
		for _, f := range d.Fields {
			if err := labelRule(&names, f.Name, "record field"); err != nil {
				return nil, v.errorf("%v", err)
			}
			ft, err := v.valType(s, f.Type)
			if err != nil {
				return nil, err
			}
			t.fields = append(t.fields, vfield{f.Name, ft})
			add(ft)
		}
	case KindVariant:
		if len(d.Cases) == 0 {
			return nil, v.errorf("variant type must have at least one case")
		}
		var names nameSet
		for i, c := range d.Cases {
			if err := labelRule(&names, c.Name, "variant case"); err != nil {
				return nil, v.errorf("%v", err)
			}
			if c.Refines != nil && int(*c.Refines) >= i {
				return nil, v.errorf("variant case can only refine a previously defined case")
			}
			ct, err := v.optValType(s, c.Type)
			if err != nil {
				return nil, err
			}
			t.fields = append(t.fields, vfield{c.Name, ct})
			add(ct)
		}
	case KindList, KindOption, KindFixedList:
		if t.elem, err = v.valType(s, *d.Elem); err != nil {
			return nil, err
		}
		add(t.elem)
		t.length = d.Len
		if d.Kind == KindFixedList && d.Len == 0 {
			return nil, v.errorf("fixed-length list must have a length larger than 0")
		}
		if d.Kind == KindList {
			t.hasStr = true
		}
	case KindTuple:
		if len(d.Types) == 0 {
			return nil, v.errorf("tuple type must have at least one type")
		}
		for _, x := range d.Types {
			xt, err := v.valType(s, x)
			if err != nil {
				return nil, err
			}
			t.types = append(t.types, xt)
			add(xt)
		}
	case KindFlags, KindEnum:
		what := "flag"
		if d.Kind == KindEnum {
			what = "enum tag"
			if len(d.Labels) == 0 {
				return nil, v.errorf("enum type must have at least one variant")
			}
		} else if len(d.Labels) == 0 {
			return nil, v.errorf("flags must have at least one entry")
		} else if len(d.Labels) > 32 {
			return nil, v.errorf("cannot have more than 32 flags")
		}
		var names nameSet
		for _, l := range d.Labels {
			if err := labelRule(&names, l, what); err != nil {
				return nil, v.errorf("%v", err)
			}
		}
		t.labels = d.Labels
	case KindResult:
		if t.ok, err = v.optValType(s, d.Ok); err != nil {
			return nil, err
		}
		if t.err, err = v.optValType(s, d.Err); err != nil {
			return nil, err
		}
		add(t.ok)
		add(t.err)
	case KindOwn, KindBorrow:
		if int(d.Res) >= len(s.types) {
			return nil, v.errorf("type index out of bounds: %d", d.Res)
		}
		if t.res = s.types[d.Res].res; t.res == nil {
			return nil, v.errorf("type index %d is not a resource type", d.Res)
		}
		t.hasRes = true
		t.borrow = d.Kind == KindBorrow
	case KindStream, KindFuture:
		if t.elem, err = v.optValType(s, d.Elem); err != nil {
			return nil, err
		}
		if t.elem != nil && t.elem.borrow {
			return nil, v.errorf("stream and future element types cannot contain a `borrow`")
		}
		if d.Kind == KindStream && t.elem != nil && t.elem.kind == KindPrim && t.elem.prim == Char {
			return nil, v.errorf("`stream<char>` is not valid at this time")
		}
		add(t.elem)
		// A stream or future is a handle (one i32): its payload's strings
		// travel in stream.read/write, not in the function's lift or lower.
		t.borrow, t.hasStr = false, false
	case KindMap:
		if t.elem, err = v.valType(s, *d.Elem); err != nil {
			return nil, err
		}
		if t.val, err = v.valType(s, *d.Value); err != nil {
			return nil, err
		}
		add(t.elem)
		add(t.val)
		t.hasStr = true
	}
	if err := v.checkSize(t.size); err != nil {
		return nil, err
	}
	if t.depth > maxTypeDepth {
		return nil, v.errorf("type nesting is deeper than %d levels", maxTypeDepth)
	}
	t.esize, t.align = elemSize(t), alignment(t)
	if t.esize >= 1<<28 {
		return nil, v.errorf("type is too large: element size %d is not below 2^28", t.esize)
	}
	return t, nil
}

func labelRule(names *nameSet, l, what string) error {
	if l == "" {
		return fmt.Errorf("%s name cannot be empty", what)
	}
	if err := checkLabel(l); err != nil {
		return fmt.Errorf("%s name %v", what, err)
	}
	return names.add(l, what)
}
