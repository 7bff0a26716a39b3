package engine

import (
	"github.com/witgo/witgo/component"
)

// vtype is a value type resolved at instantiation: type indices are
// replaced by the trees they denote and handles point at the runtime
// resource type, whose identity is its pointer.
type vtype struct {
	kind   byte // component.KindPrim or a defined value type kind
	prim   byte
	fields []vfield // record fields, variant cases (t nil: no payload)
	elem   *vtype   // list, fixed list, option, map key
	val    *vtype   // map value
	ok     *vtype   // result
	err    *vtype
	types  []*vtype // tuple
	labels []string // flags, enum
	length uint32   // fixed list
	res    *resourceType
}

type vfield struct {
	name string
	t    *vtype
}

// funcType is a resolved component function type.
type funcType struct {
	async  bool
	params []vfield
	result *vtype
}

// resourceType is one resource type at run time. impl is the component
// instance that defined it (nil for a resource the host implements);
// dtor is its destructor, if any.
type resourceType struct {
	name   string
	impl   *compInstance
	dtor   *lazyFunc
	hostFn func(rep uint32) // host-implemented resources: destructor
}

// declType is a component or instance type kept as declarators with the
// scope that resolves their outer aliases.
type declType struct {
	kind  byte // component.KindComponent or KindInstance
	decls []component.Decl
	outer *scope
}

var primTypes = func() map[byte]*vtype {
	m := map[byte]*vtype{}
	for _, p := range []byte{component.Bool, component.S8, component.U8, component.S16, component.U16,
		component.S32, component.U32, component.S64, component.U64, component.F32, component.F64,
		component.Char, component.String, component.ErrorContext} {
		m[p] = &vtype{kind: component.KindPrim, prim: p}
	}
	return m
}()

// valType resolves a value type in s.
func (s *scope) valType(t component.ValType) (*vtype, error) {
	if t.Prim != 0 {
		return primTypes[t.Prim], nil
	}
	e, err := s.typeAt(t.Idx)
	if err != nil {
		return nil, err
	}
	v, ok := e.(*vtype)
	if !ok {
		return nil, errorf("type %d is not a value type", t.Idx)
	}
	return v, nil
}

func (s *scope) optValType(t *component.ValType) (*vtype, error) {
	if t == nil {
		return nil, nil
	}
	return s.valType(*t)
}

func (s *scope) typeAt(i uint32) (any, error) {
	if int(i) >= len(s.types) {
		return nil, errorf("type index %d out of range", i)
	}
	return s.types[i], nil
}

// defineType resolves one type definition into a type index entry.
func (s *scope) defineType(t *component.Type) (any, error) {
	switch {
	case t.Val != nil:
		return s.defValType(t.Val)
	case t.Func != nil:
		return s.funcType(t.Func)
	case t.Resource != nil:
		rt := &resourceType{impl: s.inst}
		if t.Resource.Dtor != nil {
			d, err := s.coreFuncAt(*t.Resource.Dtor)
			if err != nil {
				return nil, err
			}
			rt.dtor = &lazyFunc{t: s.top, x: d}
		}
		return rt, nil
	case t.Component != nil:
		return &declType{kind: component.KindComponent, decls: t.Component.Decls, outer: s}, nil
	case t.Instance != nil:
		return &declType{kind: component.KindInstance, decls: t.Instance.Decls, outer: s}, nil
	}
	return nil, errorf("empty type definition")
}

func (s *scope) funcType(f *component.FuncType) (*funcType, error) {
	ft := &funcType{async: f.Async}
	for _, p := range f.Params {
		t, err := s.valType(p.Type)
		if err != nil {
			return nil, err
		}
		ft.params = append(ft.params, vfield{p.Name, t})
	}
	r, err := s.optValType(f.Result)
	ft.result = r
	return ft, err
}

func (s *scope) defValType(d *component.DefValType) (*vtype, error) {
	v := &vtype{kind: d.Kind, prim: d.Prim, labels: d.Labels, length: d.Len}
	var err error
	switch d.Kind {
	case component.KindPrim:
		return primTypes[d.Prim], nil
	case component.KindRecord:
		for _, f := range d.Fields {
			t, err := s.valType(f.Type)
			if err != nil {
				return nil, err
			}
			v.fields = append(v.fields, vfield{f.Name, t})
		}
	case component.KindVariant:
		for _, c := range d.Cases {
			t, err := s.optValType(c.Type)
			if err != nil {
				return nil, err
			}
			v.fields = append(v.fields, vfield{c.Name, t})
		}
	case component.KindList, component.KindFixedList, component.KindOption:
		v.elem, err = s.optValType(d.Elem)
	case component.KindMap:
		if v.elem, err = s.optValType(d.Elem); err == nil {
			v.val, err = s.optValType(d.Value)
		}
	case component.KindTuple:
		for _, e := range d.Types {
			t, err := s.valType(e)
			if err != nil {
				return nil, err
			}
			v.types = append(v.types, t)
		}
	case component.KindFlags, component.KindEnum:
	case component.KindResult:
		if v.ok, err = s.optValType(d.Ok); err == nil {
			v.err, err = s.optValType(d.Err)
		}
	case component.KindStream, component.KindFuture:
		v.elem, err = s.optValType(d.Elem)
	case component.KindOwn, component.KindBorrow:
		e, err := s.typeAt(d.Res)
		if err != nil {
			return nil, err
		}
		rt, ok := e.(*resourceType)
		if !ok {
			return nil, errorf("type %d is not a resource", d.Res)
		}
		v.res = rt
	default:
		return nil, unsupported("value type kind %#x (async types)", d.Kind)
	}
	return v, err
}
