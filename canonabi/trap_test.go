package canonabi

import (
	"errors"
	"testing"

	"github.com/witgo/witgo/wit"
)

// Every trap the spec's Loading section defines is an error.
func TestLoadTraps(t *testing.T) {
	b := newBuilder()
	a := New(b.r)
	put32 := func(mem []byte, off int, x uint32) { le.PutUint32(mem[off:], x) }
	mk := func(f func(m []byte)) []byte { m := make([]byte, 64); f(m); return m }
	rows := []struct {
		name string
		t    wit.Type
		enc  StringEncoding
		ptr  uint32
		mem  []byte
	}{
		{"u32 misaligned", wit.U32, UTF8, 2, make([]byte, 64)},
		{"u64 out of bounds", wit.U64, UTF8, 60, make([]byte, 64)},
		{"pointer past 4 GiB arithmetic", wit.U64, UTF8, 0xfffffff8, make([]byte, 64)},
		{"char surrogate", wit.Char, UTF8, 0, mk(func(m []byte) { put32(m, 0, 0xD800) })},
		{"char too big", wit.Char, UTF8, 0, mk(func(m []byte) { put32(m, 0, 0x110000) })},
		{"string out of bounds", wit.String, UTF8, 0, mk(func(m []byte) { put32(m, 0, 60); put32(m, 4, 10) })},
		{"string invalid utf8", wit.String, UTF8, 0, mk(func(m []byte) { put32(m, 0, 16); put32(m, 4, 2); m[16], m[17] = 0xC3, 0x28 })},
		{"string too long", wit.String, UTF8, 0, mk(func(m []byte) { put32(m, 0, 16); put32(m, 4, 1<<28) })},
		{"utf16 misaligned", wit.String, UTF16, 0, mk(func(m []byte) { put32(m, 0, 17); put32(m, 4, 1) })},
		{"utf16 lone high surrogate", wit.String, UTF16, 0, mk(func(m []byte) { put32(m, 0, 16); put32(m, 4, 1); m[16], m[17] = 0x00, 0xD8 })},
		{"utf16 lone low surrogate", wit.String, UTF16, 0, mk(func(m []byte) { put32(m, 0, 16); put32(m, 4, 2); m[17], m[18] = 0xDC, 'a' })},
		{"latin1+utf16 tagged misaligned", wit.String, Latin1UTF16, 0, mk(func(m []byte) { put32(m, 0, 17); put32(m, 4, 1|utf16Tag) })},
		{"list misaligned elements", b.list(wit.U32), UTF8, 0, mk(func(m []byte) { put32(m, 0, 18); put32(m, 4, 1) })},
		{"list out of bounds", b.list(wit.U32), UTF8, 0, mk(func(m []byte) { put32(m, 0, 16); put32(m, 4, 100) })},
		{"list length overflow", b.list(wit.U64), UTF8, 0, mk(func(m []byte) { put32(m, 0, 16); put32(m, 4, 0xffffffff) })},
		{"option discriminant 2", b.option(wit.U8), UTF8, 0, mk(func(m []byte) { m[0] = 2 })},
		{"enum 257 discriminant 257", b.enum(257), UTF8, 0, mk(func(m []byte) { m[0], m[1] = 1, 1 })},
		{"variant payload trap", b.variant(wit.Char), UTF8, 0, mk(func(m []byte) { put32(m, 4, 0xDFFF) })},
	}
	for _, row := range rows {
		cx := &Context{Memory: &SliceMemory{Data: row.mem}, Encoding: row.enc}
		_, err := a.Load(cx, row.t, row.ptr)
		var trap *Trap
		if !errors.As(err, &trap) {
			t.Errorf("%s: got %v, want a Trap", row.name, err)
		}
	}
}

func TestFlatTraps(t *testing.T) {
	b := newBuilder()
	a := New(b.r)
	cx := &Context{Memory: &SliceMemory{Data: make([]byte, 64)}}
	rows := []struct {
		name string
		t    wit.Type
		flat []uint64
	}{
		{"char", wit.Char, []uint64{0xD800}},
		{"option discriminant", b.option(wit.U32), []uint64{7, 0}},
		{"string bounds", wit.String, []uint64{60, 10}},
		{"too few values", b.tuple(wit.U32, wit.U32), []uint64{1}},
	}
	for _, row := range rows {
		if _, err := a.LiftFlat(cx, row.t, row.flat); err == nil {
			t.Errorf("%s: no error", row.name)
		}
	}
}

// Lowering rejects values that do not fit their type, and a realloc that
// returns a misaligned or out-of-bounds pointer.
func TestLowerTraps(t *testing.T) {
	b := newBuilder()
	a := New(b.r)
	cx := &Context{Memory: &SliceMemory{}}
	rows := []struct {
		name string
		t    wit.Type
		v    Value
	}{
		{"kind mismatch", wit.U32, StringValue("x")},
		{"bad char", wit.Char, CharValue(0xD800)},
		{"invalid utf8", wit.String, StringValue("\xff")},
		{"case out of range", b.option(wit.U8), VariantValue(5, nil)},
		{"missing payload", b.option(wit.U8), Value{kind: KindOption, bits: 1}},
		{"unexpected payload", b.option(wit.U8), func() Value { p := U8Value(1); return caseValue(KindOption, 0, &p) }()},
		{"record arity", b.record(wit.U8, wit.U8), RecordValue(U8Value(1))},
		{"fixed list length", b.fixed(wit.U8, 3), FixedListValue(U8Value(1))},
		{"flags past labels", b.flags(3), FlagsValue(8)},
		{"bytes as list<u32>", b.list(wit.U32), BytesValue([]byte{1})},
	}
	for _, row := range rows {
		if err := a.Store(cx, row.t, row.v, 8); err == nil {
			t.Errorf("%s: Store accepted it", row.name)
		}
		if row.name != "record arity" && row.name != "fixed list length" {
			if _, err := a.LowerFlat(cx, row.t, row.v, nil); err == nil {
				t.Errorf("%s: LowerFlat accepted it", row.name)
			}
		}
	}
	bad := &Context{Memory: &badRealloc{}}
	if _, err := a.LowerFlat(bad, wit.String, StringValue("hi"), nil); err == nil {
		t.Error("a misaligned realloc result was accepted")
	}
}

type badRealloc struct{ SliceMemory }

func (m *badRealloc) Realloc(_, _, _, size uint32) (uint32, error) {
	m.Data = make([]byte, 64)
	return 63, nil // in range for 1 byte only
}
