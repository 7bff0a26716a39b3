package canonabi

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/witgo/witgo/wit"
)

// liftByPlan is a small interpreter of value instructions, the way an
// engine walks a plan: memory places are relative to base, flat places are
// shifted by shift (for fixed-size list elements).
func liftByPlan(cx *Context, in Instr, flat []uint64, base uint32, shift int) (Value, error) {
	mem := func(n uint32) ([]byte, error) { return cx.read(base+in.Place.Offset, n, 1) }
	word := func(i int) (uint32, error) {
		if in.Place.InMemory {
			b, err := mem(uint32(4*i) + 4)
			if err != nil {
				return 0, err
			}
			return le.Uint32(b[4*i:]), nil
		}
		return uint32(flat[in.Place.Flat+shift+i]), nil
	}
	switch in.Op {
	case OpScalar, OpFlags, OpHandle:
		raw, err := readAt(in, mem, flat, shift)
		if err != nil {
			return Value{}, err
		}
		sh := &shape{kind: in.Kind, typ: in.Type, size: in.Size, align: 1, flat: []CoreType{I32}, flatLen: 1,
			labels: in.Labels}
		if in.Kind == KindU64 || in.Kind == KindS64 || in.Kind == KindF64 {
			sh.flat = []CoreType{I64}
		}
		pos := 0
		return cx.liftFlat(sh, []uint64{raw}, &pos)
	case OpString:
		p, err := word(0)
		if err != nil {
			return Value{}, err
		}
		n, err := word(1)
		if err != nil {
			return Value{}, err
		}
		return cx.liftString(p, n)
	case OpList:
		p, err := word(0)
		if err != nil {
			return Value{}, err
		}
		n, err := word(1)
		if err != nil {
			return Value{}, err
		}
		el := in.Body[0]
		out := make([]Value, n)
		for i := range out {
			if out[i], err = liftByPlan(cx, el, nil, p+uint32(i)*el.Layout.Size, 0); err != nil {
				return Value{}, err
			}
		}
		return Value{kind: in.Kind, elems: out}, nil
	case OpFixedList:
		out := make([]Value, in.Len)
		for i := range out {
			var err error
			if out[i], err = liftByPlan(cx, in.Body[0], flat, base+uint32(i)*in.Stride, shift+i*in.FlatLen); err != nil {
				return Value{}, err
			}
		}
		return Value{kind: KindFixedList, elems: out}, nil
	case OpRecord:
		out := make([]Value, len(in.Blocks))
		for i, b := range in.Blocks {
			var err error
			if out[i], err = liftByPlan(cx, b[0], flat, base, shift); err != nil {
				return Value{}, err
			}
		}
		return Value{kind: in.Kind, elems: out}, nil
	case OpVariant:
		c, err := readAt(in, mem, flat, shift)
		if err != nil {
			return Value{}, err
		}
		if c >= uint64(len(in.Blocks)) {
			return Value{}, trapf("bad case %d", c)
		}
		v := Value{kind: in.Kind, bits: c}
		if b := in.Blocks[c]; b != nil {
			p, err := liftByPlan(cx, b[0], flat, base, shift)
			if err != nil {
				return Value{}, err
			}
			v.elems = []Value{p}
		}
		return v, nil
	}
	return Value{}, trapf("op %s", in.Op)
}

// readAt reads the in.Size-byte little-endian scalar at a memory place,
// or the core value at a flat one.
func readAt(in Instr, mem func(uint32) ([]byte, error), flat []uint64, shift int) (uint64, error) {
	if !in.Place.InMemory {
		return flat[in.Place.Flat+shift], nil
	}
	b, err := mem(in.Size)
	if err != nil {
		return 0, err
	}
	var raw uint64
	for i := int(in.Size) - 1; i >= 0; i-- {
		raw = raw<<8 | uint64(b[i])
	}
	return raw, nil
}

// A plan interpreter lifts what LowerFlat and Store wrote, for random types
// and values: the plan's places, slots and blocks agree with the layout.
func TestPlanInterpretRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	b := newBuilder()
	a := New(b.r)
	for i := 0; i < 300; i++ {
		ty := randType(rng, b, 3)
		sh, _ := a.shape(ty)
		v := randValue(rng, sh)
		mem := &SliceMemory{}
		cx := &Context{Memory: mem}
		if !sh.flatTooLong {
			flat, err := a.LowerFlat(cx, ty, v, nil)
			if err != nil {
				t.Fatal(err)
			}
			in, err := a.ValuePlan(ty, Place{Flat: 0})
			if err != nil {
				t.Fatal(err)
			}
			got, err := liftByPlan(cx, in, flat, 0, 0)
			if err != nil || !Equal(got, v) {
				t.Fatalf("%s flat: %v, plan lifted %s want %s", a.TypeString(ty), err, mustWave(a, ty, got), mustWave(a, ty, v))
			}
		}
		ptr, _ := mem.Realloc(0, 0, sh.align, sh.size)
		if err := a.Store(cx, ty, v, ptr); err != nil {
			t.Fatal(err)
		}
		in, _ := a.ValuePlan(ty, Place{InMemory: true})
		got, err := liftByPlan(cx, in, nil, ptr, 0)
		if err != nil || !Equal(got, v) {
			t.Fatalf("%s memory: %v", a.TypeString(ty), err)
		}
	}
}

// The plan of a function that spills both ways, and one whose variant
// payload slots are joined, rendered as text.
func TestPlanText(t *testing.T) {
	b := newBuilder()
	a := New(b.r)
	res := b.result(wit.F32, b.record(wit.U8, wit.U64))
	f := fn("f", b.list(wit.String), append(repeat(wit.U32, 16), res)...)
	p, err := a.Plan(f, Lower)
	if err != nil {
		t.Fatal(err)
	}
	text := p.String()
	for _, want := range []string{
		"lower f (func (param i32 i32))\n  params-area size=88 align=8\n",
		"  param 16\n    variant result mem+64 size=1\n      ok:\n        scalar f32 mem+72 size=4\n      err:\n        record record mem+72\n",
		"  ret-area size=8 align=4\n  call\n  result\n    list list mem+0 elem=8/4\n      string string mem+0\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("plan text lacks %q:\n%s", want, text)
		}
	}
	g := fn("g", res, res)
	p, _ = a.Plan(g, Lift)
	text = p.String()
	// flatten_variant joins f32 with u8's i32 (i32) and appends u64's i64.
	if !strings.Contains(text, "variant result flat[0] (i32 i32 i64) size=1\n      ok:\n        scalar f32 flat[1] (i32)\n") {
		t.Errorf("joined slots missing:\n%s", text)
	}
	if strings.Contains(text, "post-return") {
		t.Errorf("no post-return expected:\n%s", text)
	}
	p, _ = a.Plan(fn("bytes", wit.NoType, b.list(wit.U8), b.list(wit.Bool)), Lower)
	if text := p.String(); !strings.Contains(text, "list list flat[0] (i32 i32) elem=1/1 plain\n") ||
		!strings.Contains(text, "list list flat[2] (i32 i32) elem=1/1\n") {
		t.Errorf("list<u8> should be plain, list<bool> not:\n%s", text)
	}
	p, _ = a.Plan(fn("h", wit.String), Lift)
	if !strings.Contains(p.String(), "result\n    string string mem+0\n  post-return\n") {
		t.Errorf("post-return missing:\n%s", p)
	}
}

func TestPlanAsync(t *testing.T) {
	b := newBuilder()
	a := New(b.r)
	f := fn("f", wit.String, repeat(wit.U32, 5)...)
	f.Async = true
	p, err := a.Plan(f, Lower)
	if err != nil {
		t.Fatal(err)
	}
	want := "lower f (func (param i32 i32) (result i32))\n  params-area size=20 align=4\n"
	if text := p.String(); !strings.HasPrefix(text, want) || !strings.Contains(text, "  ret-area size=8 align=4\n  call\n  result\n    string string mem+0\n") {
		t.Errorf("async lower plan:\n%s", text)
	}
	p, _ = a.Plan(f, Lift)
	if text := p.String(); !strings.Contains(text, "  call\n  result\n    string string flat[0] (i32 i32)\n") || strings.Contains(text, "post-return") {
		t.Errorf("async lift plan:\n%s", text)
	}
}
