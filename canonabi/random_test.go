package canonabi

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/witgo/witgo/wit"
)

// randType builds a random type of bounded depth into b.
func randType(rng *rand.Rand, b *builder, depth int) wit.Type {
	prims := []wit.Type{wit.Bool, wit.U8, wit.U16, wit.U32, wit.U64, wit.S8, wit.S16,
		wit.S32, wit.S64, wit.F32, wit.F64, wit.Char, wit.String}
	if depth <= 0 || rng.IntN(3) == 0 {
		return prims[rng.IntN(len(prims))]
	}
	sub := func() wit.Type { return randType(rng, b, depth-1) }
	maybe := func() wit.Type {
		if rng.IntN(3) == 0 {
			return wit.NoType
		}
		return sub()
	}
	switch rng.IntN(12) {
	case 0:
		return b.list(sub())
	case 1:
		return b.fixed(sub(), uint32(1+rng.IntN(4)))
	case 2:
		return b.mapOf(prims[rng.IntN(len(prims))], sub())
	case 3:
		n := 1 + rng.IntN(5)
		ts := make([]wit.Type, n)
		for i := range ts {
			ts[i] = sub()
		}
		return b.record(ts...)
	case 4:
		return b.tuple(sub(), sub())
	case 5:
		n := 1 + rng.IntN(5)
		ts := make([]wit.Type, n)
		for i := range ts {
			ts[i] = maybe()
		}
		return b.variant(ts...)
	case 6:
		return b.enum([]int{1, 3, 256, 257}[rng.IntN(4)])
	case 7:
		return b.option(sub())
	case 8:
		return b.result(maybe(), maybe())
	case 9:
		return b.flags([]int{1, 8, 9, 17, 32}[rng.IntN(5)])
	case 10:
		return b.list(wit.U8)
	}
	return b.alias(sub())
}

var sampleStrings = []string{"", "a", "héllo", "ÿ latin", "日本語", "emoji 🎉", "\x00nul", "mixed ÿ 🎉 z"}

// randValue makes a random value of sh.
func randValue(rng *rand.Rand, sh *shape) Value {
	switch sh.kind {
	case KindBool:
		return BoolValue(rng.IntN(2) == 1)
	case KindU8:
		return U8Value(uint8(rng.Uint32()))
	case KindU16:
		return U16Value(uint16(rng.Uint32()))
	case KindU32:
		return U32Value(rng.Uint32())
	case KindU64:
		return U64Value(rng.Uint64())
	case KindS8:
		return S8Value(int8(rng.Uint32()))
	case KindS16:
		return S16Value(int16(rng.Uint32()))
	case KindS32:
		return S32Value(int32(rng.Uint32()))
	case KindS64:
		return S64Value(int64(rng.Uint64()))
	case KindF32:
		return F32Value([]float32{0, -1.5, float32(math.Inf(1)), float32(math.NaN()), rng.Float32()}[rng.IntN(5)])
	case KindF64:
		return F64Value([]float64{0, -2.25, math.Inf(-1), math.NaN(), rng.Float64()}[rng.IntN(5)])
	case KindChar:
		return CharValue([]rune{'a', 0, 0xff, 0xD7FF, 0xE000, 0x10FFFF, '日'}[rng.IntN(7)])
	case KindString:
		return StringValue(sampleStrings[rng.IntN(len(sampleStrings))])
	case KindList, KindMap:
		n := rng.IntN(4)
		if sh.kind == KindList && sh.elem.kind == KindU8 && rng.IntN(2) == 0 {
			bs := make([]byte, n*7)
			for i := range bs {
				bs[i] = byte(rng.Uint32())
			}
			return BytesValue(bs)
		}
		elems := make([]Value, n)
		for i := range elems {
			elems[i] = randValue(rng, sh.elem)
		}
		return Value{kind: sh.kind, elems: elems}
	case KindFixedList:
		elems := make([]Value, sh.length)
		for i := range elems {
			elems[i] = randValue(rng, sh.elem)
		}
		return Value{kind: KindFixedList, elems: elems}
	case KindRecord, KindTuple:
		elems := make([]Value, len(sh.fields))
		for i, f := range sh.fields {
			elems[i] = randValue(rng, f)
		}
		return Value{kind: sh.kind, elems: elems}
	case KindVariant, KindEnum, KindOption, KindResult:
		c := rng.IntN(len(sh.fields))
		v := Value{kind: sh.kind, bits: uint64(c)}
		if p := sh.fields[c]; p != nil {
			v.elems = []Value{randValue(rng, p)}
		}
		return v
	case KindFlags:
		return FlagsValue(rng.Uint32() & flagMask(len(sh.labels)))
	}
	panic(fmt.Sprintf("randValue: kind %s", sh.kind))
}

// checkedMemory records allocations and fails writes outside a block that
// was either allocated or named as the destination.
type checkedMemory struct {
	SliceMemory
	t      testing.TB
	blocks [][2]uint32
}

func (m *checkedMemory) allow(ptr, n uint32) { m.blocks = append(m.blocks, [2]uint32{ptr, ptr + n}) }

func (m *checkedMemory) Realloc(old, oldSize, align, size uint32) (uint32, error) {
	p, err := m.SliceMemory.Realloc(old, oldSize, align, size)
	if err == nil {
		if p%align != 0 {
			m.t.Errorf("allocation %#x not aligned to %d", p, align)
		}
		m.allow(p, size)
	}
	return p, err
}

func (m *checkedMemory) Write(ptr uint32, data []byte) bool {
	end := ptr + uint32(len(data))
	for _, b := range m.blocks {
		if ptr >= b[0] && end <= b[1] {
			return m.SliceMemory.Write(ptr, data)
		}
	}
	m.t.Errorf("write of %d bytes at %#x is outside every block", len(data), ptr)
	return false
}

func TestRoundTripRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	b := newBuilder()
	a := New(b.r)
	types, values := 0, 0
	for i := 0; i < 400; i++ {
		ty := randType(rng, b, 3)
		sh, err := a.shape(ty)
		if err != nil {
			t.Fatalf("type %s: %v", a.TypeString(ty), err)
		}
		types++
		for j := 0; j < 8; j++ {
			v := randValue(rng, sh)
			values++
			for _, enc := range []StringEncoding{UTF8, UTF16, Latin1UTF16} {
				roundTripMemory(t, a, ty, sh, v, enc)
				roundTripFlat(t, a, ty, sh, v, enc)
			}
		}
	}
	t.Logf("%d random types, %d values, 3 encodings, memory and flat", types, values)
}

func roundTripMemory(t *testing.T, a *ABI, ty wit.Type, sh *shape, v Value, enc StringEncoding) {
	t.Helper()
	mem := &checkedMemory{t: t}
	mem.Data = make([]byte, 64)
	cx := &Context{Memory: mem, Encoding: enc}
	ptr, err := mem.SliceMemory.Realloc(0, 0, sh.align, sh.size)
	if err != nil {
		t.Fatal(err)
	}
	mem.allow(ptr, sh.size) // the value itself may use exactly elem_size bytes
	if err := a.Store(cx, ty, v, ptr); err != nil {
		t.Fatalf("%s: store: %v", a.TypeString(ty), err)
	}
	got, err := a.Load(cx, ty, ptr)
	if err != nil {
		t.Fatalf("%s: load: %v", a.TypeString(ty), err)
	}
	if !Equal(got, v) {
		t.Fatalf("%s (%s): memory round trip\n got %s\nwant %s", a.TypeString(ty), enc, mustWave(a, ty, got), mustWave(a, ty, v))
	}
}

func roundTripFlat(t *testing.T, a *ABI, ty wit.Type, sh *shape, v Value, enc StringEncoding) {
	t.Helper()
	if sh.flatTooLong {
		return
	}
	mem := &checkedMemory{t: t}
	cx := &Context{Memory: mem, Encoding: enc}
	flat, err := a.LowerFlat(cx, ty, v, nil)
	if err != nil {
		t.Fatalf("%s: lower flat: %v", a.TypeString(ty), err)
	}
	if len(flat) != len(sh.flat) {
		t.Fatalf("%s: %d flat values, want %d", a.TypeString(ty), len(flat), len(sh.flat))
	}
	for i, ct := range sh.flat {
		if (ct == I32 || ct == F32) && flat[i] > math.MaxUint32 {
			t.Fatalf("%s: flat value %d (%s) = %#x does not fit 32 bits", a.TypeString(ty), i, ct, flat[i])
		}
	}
	got, err := a.LiftFlat(cx, ty, flat)
	if err != nil {
		t.Fatalf("%s: lift flat: %v", a.TypeString(ty), err)
	}
	if !Equal(got, v) {
		t.Fatalf("%s: flat round trip\n got %s\nwant %s", a.TypeString(ty), mustWave(a, ty, got), mustWave(a, ty, v))
	}
}

func mustWave(a *ABI, ty wit.Type, v Value) string {
	s, err := a.FormatWAVE(ty, v)
	if err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return s
}

// Function-level round trips cross the 16-parameter and 1-result limits:
// lower the arguments as a caller of an export does, lift them as the
// callee of an import does; and the result the other way round.
func TestCallRoundTripRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	b := newBuilder()
	a := New(b.r)
	spilled := 0
	for i := 0; i < 200; i++ {
		n := rng.IntN(20)
		f := &wit.Function{Name: "f", Result: randType(rng, b, 2)}
		for j := 0; j < n; j++ {
			f.Params = append(f.Params, wit.Param{Name: fmt.Sprint("p", j), Type: randType(rng, b, 2)})
		}
		args := make([]Value, n)
		for j, p := range f.Params {
			sh, _ := a.shape(p.Type)
			args[j] = randValue(rng, sh)
		}
		mem := &checkedMemory{t: t}
		cx := &Context{Memory: mem}
		flat, err := a.LowerArgs(cx, f, args)
		if err != nil {
			t.Fatal(err)
		}
		sig, _ := a.Signature(f, Lift)
		if len(flat) != len(sig.Params) {
			t.Fatalf("LowerArgs gave %d core values, signature has %d", len(flat), len(sig.Params))
		}
		if sig.ParamsInMemory {
			spilled++
		}
		got, err := a.LiftArgs(cx, f, flat)
		if err != nil {
			t.Fatal(err)
		}
		for j := range args {
			if !Equal(got[j], args[j]) {
				t.Fatalf("arg %d of %s differs", j, a.TypeString(f.Params[j].Type))
			}
		}
		rsh, _ := a.shape(f.Result)
		want := randValue(rng, rsh)
		lsig, _ := a.Signature(f, Lower)
		params := make([]uint64, len(lsig.Params))
		if lsig.RetPtr {
			area, _ := mem.Realloc(0, 0, rsh.align, rsh.size)
			params[len(params)-1] = uint64(area)
		}
		res, err := a.LowerResult(cx, f, want, params)
		if err != nil {
			t.Fatal(err)
		}
		if lsig.RetPtr {
			res = params[len(params)-1:]
		}
		v, ok, err := a.LiftResult(cx, f, res)
		if err != nil || !ok || !Equal(v, want) {
			t.Fatalf("result of %s: %v %v", a.TypeString(f.Result), ok, err)
		}
	}
	if spilled == 0 {
		t.Error("no random function spilled its parameters")
	}
}
