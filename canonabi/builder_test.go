package canonabi

import (
	"fmt"

	"github.com/witgo/witgo/wit"
)

// builder appends TypeDefs to a hand-made Resolve, so tests do not need
// the WIT parser.
type builder struct{ r *wit.Resolve }

func newBuilder() *builder { return &builder{r: wit.NewResolve()} }

func (b *builder) add(name string, k wit.TypeDefKind) wit.Type {
	b.r.Types = append(b.r.Types, &wit.TypeDef{Name: name, Kind: k})
	return wit.Ref(wit.TypeID(len(b.r.Types) - 1))
}

func (b *builder) list(t wit.Type) wit.Type { return b.add("", &wit.List{Elem: t}) }
func (b *builder) fixed(t wit.Type, n uint32) wit.Type {
	return b.add("", &wit.FixedList{Elem: t, Len: n})
}
func (b *builder) mapOf(k, v wit.Type) wit.Type    { return b.add("", &wit.Map{Key: k, Value: v}) }
func (b *builder) option(t wit.Type) wit.Type      { return b.add("", &wit.Option{Type: t}) }
func (b *builder) result(ok, er wit.Type) wit.Type { return b.add("", &wit.Result{OK: ok, Err: er}) }
func (b *builder) tuple(ts ...wit.Type) wit.Type   { return b.add("", &wit.Tuple{Types: ts}) }
func (b *builder) alias(t wit.Type) wit.Type       { return b.add("a", &wit.Alias{Type: t}) }

func (b *builder) record(ts ...wit.Type) wit.Type {
	fields := make([]wit.Field, len(ts))
	for i, t := range ts {
		fields[i] = wit.Field{Name: fmt.Sprintf("f%d", i), Type: t}
	}
	return b.add("r", &wit.Record{Fields: fields})
}

// variant makes a variant whose case i carries ts[i] (NoType for none).
func (b *builder) variant(ts ...wit.Type) wit.Type {
	cases := make([]wit.Case, len(ts))
	for i, t := range ts {
		cases[i] = wit.Case{Name: fmt.Sprintf("c%d", i), Type: t}
	}
	return b.add("v", &wit.Variant{Cases: cases})
}

func (b *builder) enum(n int) wit.Type {
	cases := make([]wit.EnumCase, n)
	for i := range cases {
		cases[i] = wit.EnumCase{Name: fmt.Sprintf("e%d", i)}
	}
	return b.add("e", &wit.Enum{Cases: cases})
}

func (b *builder) flags(n int) wit.Type {
	fl := make([]wit.Flag, n)
	for i := range fl {
		fl[i] = wit.Flag{Name: fmt.Sprintf("f%d", i)}
	}
	return b.add("fl", &wit.Flags{Flags: fl})
}

func (b *builder) resource(name string) wit.TypeID {
	b.add(name, &wit.Resource{})
	return wit.TypeID(len(b.r.Types) - 1)
}
func (b *builder) own(r wit.TypeID) wit.Type    { return b.add("", &wit.Own{Resource: r}) }
func (b *builder) borrow(r wit.TypeID) wit.Type { return b.add("", &wit.Borrow{Resource: r}) }

func fn(name string, result wit.Type, params ...wit.Type) *wit.Function {
	f := &wit.Function{Name: name, Result: result}
	for i, p := range params {
		f.Params = append(f.Params, wit.Param{Name: fmt.Sprintf("p%d", i), Type: p})
	}
	return f
}

func repeat(t wit.Type, n int) []wit.Type {
	ts := make([]wit.Type, n)
	for i := range ts {
		ts[i] = t
	}
	return ts
}
