package canonabi

import (
	"errors"
	"strings"
	"testing"

	"github.com/witgo/witgo/wit"
)

func flatString(ts []CoreType) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.String()
	}
	return strings.Join(parts, " ")
}

// The expected figures follow CanonicalABI.md sections Alignment, Element
// Size and Flattening; every row was also confirmed against the spec's
// reference definitions.py (elem_size, alignment, flatten_type).
func TestLayoutTable(t *testing.T) {
	b := newBuilder()
	res := b.resource("r")
	u8, u16, u32, u64, f32, f64, str := wit.U8, wit.U16, wit.U32, wit.U64, wit.F32, wit.F64, wit.String
	rows := []struct {
		name  string
		t     wit.Type
		size  uint32
		align uint32
		flat  string
	}{
		// Alignment / Element Size: primitive tables.
		{"bool", wit.Bool, 1, 1, "i32"},
		{"u8", u8, 1, 1, "i32"},
		{"s8", wit.S8, 1, 1, "i32"},
		{"u16", u16, 2, 2, "i32"},
		{"s16", wit.S16, 2, 2, "i32"},
		{"u32", u32, 4, 4, "i32"},
		{"s32", wit.S32, 4, 4, "i32"},
		{"u64", u64, 8, 8, "i64"},
		{"s64", wit.S64, 8, 8, "i64"},
		{"f32", f32, 4, 4, "f32"},
		{"f64", f64, 8, 8, "f64"},
		{"char", wit.Char, 4, 4, "i32"},
		{"string", str, 8, 4, "i32 i32"},
		{"error-context", wit.ErrorContext, 4, 4, "i32"},
		// alignment_list / elem_size_list / flatten_list.
		{"list<u8>", b.list(u8), 8, 4, "i32 i32"},
		{"list<string>", b.list(str), 8, 4, "i32 i32"},
		{"list<u16, 3>", b.fixed(u16, 3), 6, 2, "i32 i32 i32"},
		{"list<u64, 2>", b.fixed(u64, 2), 16, 8, "i64 i64"},
		{"list<tuple<u8, f32>, 2>", b.fixed(b.tuple(u8, f32), 2), 16, 4, "i32 f32 i32 f32"},
		// Despecialization: map<k, v> is list<tuple<k, v>>.
		{"map<string, u32>", b.mapOf(str, u32), 8, 4, "i32 i32"},
		// alignment_record / elem_size_record / flatten_record.
		{"record{u8,u32}", b.record(u8, u32), 8, 4, "i32 i32"},
		{"record{u8,u64,u8}", b.record(u8, u64, u8), 24, 8, "i32 i64 i32"},
		{"record{u8,u16,u8}", b.record(u8, u16, u8), 6, 2, "i32 i32 i32"},
		{"tuple<u8,u16>", b.tuple(u8, u16), 4, 2, "i32 i32"},
		{"alias of u64", b.alias(u64), 8, 8, "i64"},
		// Variants: discriminant_type, elem_size_variant, flatten_variant + join.
		{"option<u8>", b.option(u8), 2, 1, "i32 i32"},
		{"option<u64>", b.option(u64), 16, 8, "i32 i64"},
		{"option<option<u32>>", b.option(b.option(u32)), 12, 4, "i32 i32 i32"},
		{"option<option<u8>>", b.option(b.option(u8)), 3, 1, "i32 i32 i32"},
		{"result<_, _>", b.result(wit.NoType, wit.NoType), 1, 1, "i32"},
		{"result<u32, f32>", b.result(u32, f32), 8, 4, "i32 i32"},
		{"result<f32, f64>", b.result(f32, f64), 16, 8, "i32 i64"},
		{"result<u64, f32>", b.result(u64, f32), 16, 8, "i32 i64"},
		{"result<string, u8>", b.result(str, u8), 12, 4, "i32 i32 i32"},
		{"result<_, string>", b.result(wit.NoType, str), 12, 4, "i32 i32 i32"},
		{"variant{u8,string,_}", b.variant(u8, str, wit.NoType), 12, 4, "i32 i32 i32"},
		{"variant{record{u8,u64},f32}", b.variant(b.record(u8, u64), f32), 24, 8, "i32 i32 i64"},
		{"variant{record{f32,u8},f64,u16}", b.variant(b.record(f32, u8), f64, u16), 16, 8, "i32 i64 i32"},
		{"variant{option<record{u8,u16}>,_}", b.variant(b.option(b.record(u8, u16)), wit.NoType), 8, 2, "i32 i32 i32 i32"},
		{"enum 2", b.enum(2), 1, 1, "i32"},
		{"enum 256", b.enum(256), 1, 1, "i32"},
		{"enum 257", b.enum(257), 2, 2, "i32"},
		{"enum 65536", b.enum(65536), 2, 2, "i32"},
		{"enum 65537", b.enum(65537), 4, 4, "i32"},
		{"variant 256 cases, u8 payload", b.variant(append([]wit.Type{u8}, repeat(wit.NoType, 255)...)...), 2, 1, "i32 i32"},
		{"variant 257 cases, u8 payload", b.variant(append([]wit.Type{u8}, repeat(wit.NoType, 256)...)...), 4, 2, "i32 i32"},
		// alignment_flags / elem_size_flags.
		{"flags 1", b.flags(1), 1, 1, "i32"},
		{"flags 8", b.flags(8), 1, 1, "i32"},
		{"flags 9", b.flags(9), 2, 2, "i32"},
		{"flags 16", b.flags(16), 2, 2, "i32"},
		{"flags 17", b.flags(17), 4, 4, "i32"},
		{"flags 32", b.flags(32), 4, 4, "i32"},
		// Handles and async values are i32 table indices.
		{"own", b.own(res), 4, 4, "i32"},
		{"borrow", b.borrow(res), 4, 4, "i32"},
		{"resource used as a type", wit.Ref(res), 4, 4, "i32"},
		{"future<u8>", b.add("", &wit.Future{Elem: u8}), 4, 4, "i32"},
		{"stream", b.add("", &wit.Stream{}), 4, 4, "i32"},
	}
	a := New(b.r)
	for _, row := range rows {
		l, err := a.Layout(row.t)
		if err != nil {
			t.Errorf("%s: %v", row.name, err)
			continue
		}
		if l.Size != row.size || l.Align != row.align {
			t.Errorf("%s: size %d align %d, want %d %d", row.name, l.Size, l.Align, row.size, row.align)
		}
		flat, err := a.Flat(row.t)
		if err != nil {
			t.Errorf("%s: %v", row.name, err)
			continue
		}
		if got := flatString(flat); got != row.flat {
			t.Errorf("%s: flat %q, want %q", row.name, got, row.flat)
		}
	}
}

// Types the spec rejects are errors, not layouts: flags take 1 to 32
// labels (alignment_flags asserts 0 < n <= 32), records need a field
// (Element Size: empty types are not permitted), fixed lists a length
// (Explainer.md: the fixed length must be larger than 0), and no type may
// reach 2^28 bytes.
func TestLayoutRejects(t *testing.T) {
	b := newBuilder()
	rows := map[string]wit.Type{
		"flags 0":            b.flags(0),
		"flags 33":           b.flags(33),
		"flags 64":           b.flags(64),
		"flags 100":          b.flags(100),
		"empty record":       b.record(),
		"empty tuple":        b.tuple(),
		"empty variant":      b.variant(),
		"empty enum":         b.enum(0),
		"list<u8, 0>":        b.fixed(wit.U8, 0),
		"list<u64, 2^25>":    b.fixed(wit.U64, 1<<25),
		"record of bad flag": b.record(wit.U8, b.flags(40)),
		"dangling ref":       wit.Ref(999),
		"no type":            wit.NoType,
	}
	// A type that contains itself.
	self := b.add("loop", &wit.Alias{})
	b.r.Types[len(b.r.Types)-1].Kind = &wit.Alias{Type: b.option(self)}
	rows["recursive"] = self
	a := New(b.r)
	for name, ty := range rows {
		_, err := a.Layout(ty)
		var te *TypeError
		if !errors.As(err, &te) {
			t.Errorf("%s: got %v, want a TypeError", name, err)
		}
	}
}

func TestFlatTooLong(t *testing.T) {
	b := newBuilder()
	a := New(b.r)
	big := b.fixed(wit.U32, 1000)
	l, err := a.Layout(big)
	if err != nil || l.Size != 4000 || l.Align != 4 {
		t.Fatalf("layout %v %v", l, err)
	}
	if _, err := a.Flat(big); err == nil {
		t.Fatal("Flat of a 1000-element fixed list should report it is too long")
	}
	sig, err := a.Signature(fn("f", big, big), Lower)
	if err != nil {
		t.Fatal(err)
	}
	if got := sig.String(); got != "(func (param i32 i32))" {
		t.Errorf("signature %s", got)
	}
}

// An ABI is shared by goroutines (the engine lifts on many at once).
func TestConcurrentUse(t *testing.T) {
	b := newBuilder()
	var types []wit.Type
	for i := 0; i < 50; i++ {
		types = append(types, b.option(b.record(wit.U8, b.list(wit.String), b.flags(i%32+1))))
	}
	a := New(b.r)
	done := make(chan error)
	for g := 0; g < 4; g++ {
		go func() {
			for _, ty := range types {
				if _, err := a.Layout(ty); err != nil {
					done <- err
					return
				}
				if _, err := a.Signature(fn("f", ty, ty), Lift); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

func TestKindAndCleanup(t *testing.T) {
	b := newBuilder()
	a := New(b.r)
	rows := []struct {
		t       wit.Type
		kind    Kind
		cleanup bool
	}{
		{wit.U32, KindU32, false},
		{wit.String, KindString, true},
		{b.alias(b.option(wit.U8)), KindOption, false},
		{b.fixed(wit.String, 2), KindFixedList, true},
		{b.variant(wit.U8, b.list(wit.U8)), KindVariant, true},
		{b.enum(3), KindEnum, false},
		{b.mapOf(wit.U8, wit.U8), KindMap, true},
	}
	for _, row := range rows {
		k, err := a.KindOf(row.t)
		c, err2 := a.NeedsCleanup(row.t)
		if err != nil || err2 != nil || k != row.kind || c != row.cleanup {
			t.Errorf("%s: kind %s cleanup %v (%v %v), want %s %v", a.TypeString(row.t), k, c, err, err2, row.kind, row.cleanup)
		}
	}
	if _, err := a.KindOf(b.flags(0)); err == nil {
		t.Error("KindOf accepted flags with no labels")
	}
}
