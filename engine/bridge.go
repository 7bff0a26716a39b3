package engine

import (
	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/wit"
)

// bridge turns resolved component types into wit types, so that canonabi
// can lift and lower them. Each resource type becomes one wit resource,
// and handles map back to it through resources. One bridge serves one
// root Instance (whose resource types are its own).
type bridge struct {
	r         *wit.Resolve
	abi       *canonabi.ABI
	types     map[*vtype]wit.Type
	funcs     map[*funcType]*wit.Function
	resIDs    map[*resourceType]wit.TypeID
	resources map[wit.TypeID]*resourceType
	vtypes    map[wit.TypeID]*vtype // back from wit types (streams, futures)
}

func newBridge() *bridge {
	r := wit.NewResolve()
	return &bridge{r: r, abi: canonabi.New(r), types: map[*vtype]wit.Type{}, funcs: map[*funcType]*wit.Function{},
		resIDs: map[*resourceType]wit.TypeID{}, resources: map[wit.TypeID]*resourceType{}}
}

var primWit = map[byte]wit.Type{
	component.Bool: wit.Bool, component.S8: wit.S8, component.U8: wit.U8, component.S16: wit.S16,
	component.U16: wit.U16, component.S32: wit.S32, component.U32: wit.U32, component.S64: wit.S64,
	component.U64: wit.U64, component.F32: wit.F32, component.F64: wit.F64, component.Char: wit.Char,
	component.String: wit.String, component.ErrorContext: wit.ErrorContext,
}

func (b *bridge) add(k wit.TypeDefKind) wit.Type {
	b.r.Types = append(b.r.Types, &wit.TypeDef{Kind: k})
	return wit.Ref(wit.TypeID(len(b.r.Types) - 1))
}

func (b *bridge) resource(rt *resourceType) wit.TypeID {
	if id, ok := b.resIDs[rt]; ok {
		return id
	}
	b.r.Types = append(b.r.Types, &wit.TypeDef{Name: rt.name, Kind: &wit.Resource{}})
	id := wit.TypeID(len(b.r.Types) - 1)
	b.resIDs[rt] = id
	b.resources[id] = rt
	return id
}

func (b *bridge) opt(v *vtype) wit.Type {
	if v == nil {
		return wit.NoType
	}
	return b.typ(v)
}

// typ returns the wit type of v, adding it on first use.
func (b *bridge) typ(v *vtype) wit.Type {
	if v.kind == component.KindPrim {
		return primWit[v.prim]
	}
	if t, ok := b.types[v]; ok {
		return t
	}
	var k wit.TypeDefKind
	switch v.kind {
	case component.KindRecord:
		fs := make([]wit.Field, len(v.fields))
		for i, f := range v.fields {
			fs[i] = wit.Field{Name: f.name, Type: b.typ(f.t)}
		}
		k = &wit.Record{Fields: fs}
	case component.KindVariant:
		cs := make([]wit.Case, len(v.fields))
		for i, f := range v.fields {
			cs[i] = wit.Case{Name: f.name, Type: b.opt(f.t)}
		}
		k = &wit.Variant{Cases: cs}
	case component.KindList:
		k = &wit.List{Elem: b.typ(v.elem)}
	case component.KindFixedList:
		k = &wit.FixedList{Elem: b.typ(v.elem), Len: v.length}
	case component.KindTuple:
		ts := make([]wit.Type, len(v.types))
		for i, e := range v.types {
			ts[i] = b.typ(e)
		}
		k = &wit.Tuple{Types: ts}
	case component.KindFlags:
		fs := make([]wit.Flag, len(v.labels))
		for i, l := range v.labels {
			fs[i] = wit.Flag{Name: l}
		}
		k = &wit.Flags{Flags: fs}
	case component.KindEnum:
		cs := make([]wit.EnumCase, len(v.labels))
		for i, l := range v.labels {
			cs[i] = wit.EnumCase{Name: l}
		}
		k = &wit.Enum{Cases: cs}
	case component.KindOption:
		k = &wit.Option{Type: b.typ(v.elem)}
	case component.KindResult:
		k = &wit.Result{OK: b.opt(v.ok), Err: b.opt(v.err)}
	case component.KindMap:
		k = &wit.Map{Key: b.typ(v.elem), Value: b.typ(v.val)}
	case component.KindOwn:
		k = &wit.Own{Resource: b.resource(v.res)}
	case component.KindBorrow:
		k = &wit.Borrow{Resource: b.resource(v.res)}
	case component.KindFuture:
		k = &wit.Future{Elem: b.opt(v.elem)}
	default:
		k = &wit.Stream{Elem: b.opt(v.elem)}
	}
	t := b.add(k)
	b.types[v] = t
	if id, ok := t.TypeID(); ok && (v.kind == component.KindStream || v.kind == component.KindFuture) {
		if b.vtypes == nil {
			b.vtypes = map[wit.TypeID]*vtype{}
		}
		b.vtypes[id] = v
	}
	return t
}

// function returns the wit function of ft.
func (b *bridge) function(name string, ft *funcType) *wit.Function {
	if f, ok := b.funcs[ft]; ok {
		return f
	}
	f := &wit.Function{Name: name, Async: ft.async, Result: b.opt(ft.result)}
	for _, p := range ft.params {
		f.Params = append(f.Params, wit.Param{Name: p.name, Type: b.typ(p.t)})
	}
	b.funcs[ft] = f
	return f
}
