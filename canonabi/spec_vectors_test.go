package canonabi

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/witgo/witgo/wit"
)

// Memory images written by the spec's reference store() (definitions.py,
// run locally with a bump allocator that starts at 8 and shrinks in place,
// like SliceMemory), for the same types and values as below. The value is
// allocated first, then everything it owns, in the spec's order.
var specStoreVectors = map[string]string{
	"record{u8,u64,u8}":             "000000000000000001000000000000000807060504030201ff00000000000000",
	"record{s8,s16,s32,s64}":        "0000000000000000ff00fefffdfffffffcffffffffffffff",
	"record{f32,f64,char,bool}":     "00000000000000000000c03f00000000000000000000d0bf89f3010001000000",
	"string":                        "0000000000000000100000000500000068656c6c6f",
	"list<string>":                  "0000000000000000100000000300000028000000020000002a000000000000002a00000003000000616278797a",
	"option<option<u32>>/some-none": "0000000000000000010000000000000000000000",
	"option<option<u32>>/some-some": "0000000000000000010000000100000007000000",
	"result<string,u8>/err":         "0000000000000000010000000900000000000000",
	"variant257/case256":            "00000000000000000001efbe",
	"flags17":                       "000000000000000001000100",
	"list<u16,3>":                   "0000000000000000010002000300",
	"map<string,u32>":               "000000000000000010000000010000001c00000001000000050000006b",
	"list<record{u8,string}>":       "00000000000000001000000002000000010000002800000001000000020000002900000002000000616263",
	"string/utf16":                  "0000000000000000100000000500000068006900e9003cd889df000000000000",
	"string/latin1":                 "00000000000000001000000004000000636166e900",
	"string/latin1-tagged":          "00000000000000001600000002000080000000000000e5652c670000000000000000",
}

func TestStoreMatchesSpec(t *testing.T) {
	b := newBuilder()
	v257 := make([]wit.Type, 257)
	v257[256] = wit.U16
	u16p := U16Value(0xbeef)
	u32p := U32Value(7)
	none := NoneValue()
	u8p := U8Value(9)
	rows := []struct {
		name string
		enc  StringEncoding
		t    wit.Type
		v    Value
	}{
		{"record{u8,u64,u8}", UTF8, b.record(wit.U8, wit.U64, wit.U8), RecordValue(U8Value(1), U64Value(0x0102030405060708), U8Value(255))},
		{"record{s8,s16,s32,s64}", UTF8, b.record(wit.S8, wit.S16, wit.S32, wit.S64), RecordValue(S8Value(-1), S16Value(-2), S32Value(-3), S64Value(-4))},
		{"record{f32,f64,char,bool}", UTF8, b.record(wit.F32, wit.F64, wit.Char, wit.Bool), RecordValue(F32Value(1.5), F64Value(-0.25), CharValue('🎉'), BoolValue(true))},
		{"string", UTF8, wit.String, StringValue("hello")},
		{"list<string>", UTF8, b.list(wit.String), ListValue(StringValue("ab"), StringValue(""), StringValue("xyz"))},
		{"option<option<u32>>/some-none", UTF8, b.option(b.option(wit.U32)), SomeValue(none)},
		{"option<option<u32>>/some-some", UTF8, b.option(b.option(wit.U32)), SomeValue(SomeValue(u32p))},
		{"result<string,u8>/err", UTF8, b.result(wit.String, wit.U8), ErrValue(&u8p)},
		{"variant257/case256", UTF8, b.variant(v257...), VariantValue(256, &u16p)},
		{"flags17", UTF8, b.flags(17), FlagsValue(1 | 1<<16)},
		{"list<u16,3>", UTF8, b.fixed(wit.U16, 3), FixedListValue(U16Value(1), U16Value(2), U16Value(3))},
		{"map<string,u32>", UTF8, b.mapOf(wit.String, wit.U32), MapValue(TupleValue(StringValue("k"), U32Value(5)))},
		{"list<record{u8,string}>", UTF8, b.list(b.record(wit.U8, wit.String)), ListValue(
			RecordValue(U8Value(1), StringValue("a")), RecordValue(U8Value(2), StringValue("bc")))},
		{"string/utf16", UTF16, wit.String, StringValue("hié🎉")},
		{"string/latin1", Latin1UTF16, wit.String, StringValue("café")},
		{"string/latin1-tagged", Latin1UTF16, wit.String, StringValue("日本")},
	}
	a := New(b.r)
	for _, row := range rows {
		want, err := hex.DecodeString(specStoreVectors[row.name])
		if err != nil || len(want) == 0 {
			t.Fatalf("%s: no vector", row.name)
		}
		mem := &SliceMemory{Data: make([]byte, 256)}
		cx := &Context{Memory: mem, Encoding: row.enc}
		l, _ := a.Layout(row.t)
		ptr, _ := mem.Realloc(0, 0, l.Align, l.Size)
		if err := a.Store(cx, row.t, row.v, ptr); err != nil {
			t.Fatalf("%s: %v", row.name, err)
		}
		// Compare up to the longer image (SliceMemory stops at its last
		// allocation; the spec's image may end in shrunk-away zeros).
		n := max(len(want), int(mem.Next))
		want = append(want, make([]byte, n-len(want))...)
		if got := mem.Data[:n]; !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %x\nwant %x", row.name, got, want)
		}
		back, err := a.Load(cx, row.t, ptr)
		if err != nil || !Equal(back, row.v) {
			t.Errorf("%s: load back: %v", row.name, err)
		}
	}
}
