package canonabi

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/witgo/witgo/wit"
)

func waveTypes() (*ABI, map[string]wit.Type) {
	b := newBuilder()
	ts := map[string]wit.Type{
		"bool": wit.Bool, "u8": wit.U8, "s32": wit.S32, "u64": wit.U64, "s64": wit.S64,
		"f32": wit.F32, "f64": wit.F64, "char": wit.Char, "string": wit.String,
		"list<u32>":          b.list(wit.U32),
		"list<u8>":           b.list(wit.U8),
		"tuple<string, u32>": b.tuple(wit.String, wit.U32),
		"option<u8>":         b.option(wit.U8),
		"option<option<u8>>": b.option(b.option(wit.U8)),
		"result<string, u8>": b.result(wit.String, wit.U8),
		"result":             b.result(wit.NoType, wit.NoType),
		"result<_, string>":  b.result(wit.NoType, wit.String),
		"list<u8, 2>":        b.fixed(wit.U8, 2),
		"map<string, u8>":    b.mapOf(wit.String, wit.U8),
	}
	ts["record"] = b.add("basic", &wit.Record{Fields: []wit.Field{
		{Name: "required", Type: wit.U8}, {Name: "optional", Type: b.option(wit.U8)}}})
	ts["variant"] = b.add("duration", &wit.Variant{Cases: []wit.Case{
		{Name: "days", Type: wit.U32}, {Name: "forever"}, {Name: "true"}}})
	ts["enum"] = b.add("dir", &wit.Enum{Cases: []wit.EnumCase{{Name: "south"}, {Name: "west"}, {Name: "none"}}})
	ts["flags"] = b.add("perms", &wit.Flags{Flags: []wit.Flag{{Name: "read"}, {Name: "write"}, {Name: "exec"}}})
	return New(b.r), ts
}

// Accepted forms and their canonical printing, after the wasm-wave
// documentation's examples.
func TestWAVEAccept(t *testing.T) {
	a, ts := waveTypes()
	rows := []struct{ typ, in, out string }{
		{"bool", "true", "true"},
		{"u8", " 255 ", "255"},
		{"s32", "-9", "-9"},
		{"u64", "18446744073709551615", "18446744073709551615"},
		{"s64", "-9223372036854775808", "-9223372036854775808"},
		{"f32", "3.14", "3.14"},
		{"f64", "6.022e+23", "6.022e+23"},
		{"f64", "nan", "nan"},
		{"f32", "-inf", "-inf"},
		{"char", `'x'`, `'x'`},
		{"char", `'\''`, `'\''`},
		{"char", `'\u{0}'`, `'\u{0}'`},
		{"char", `'☃'`, `'☃'`},
		{"string", `"abc\t123"`, `"abc\t123"`},
		{"string", `"\u{1F389} \"q\" \\"`, `"🎉 \"q\" \\"`},
		{"list<u32>", "[1, 2, 3,]", "[1, 2, 3]"},
		{"list<u32>", "[]", "[]"},
		{"list<u8>", "[0, 255]", "[0, 255]"},
		{"list<u8, 2>", "[1, 2]", "[1, 2]"},
		{"map<string, u8>", `[("a", 1), ("b", 2)]`, `[("a", 1), ("b", 2)]`},
		{"tuple<string, u32>", `("abc", 123)`, `("abc", 123)`},
		{"option<u8>", "some(1)", "some(1)"},
		{"option<u8>", "1", "some(1)"},
		{"option<u8>", "none", "none"},
		{"option<option<u8>>", "some(none)", "some(none)"},
		{"option<option<u8>>", "5", "some(some(5))"},
		{"result<string, u8>", `"flat ok"`, `ok("flat ok")`},
		{"result<string, u8>", `err(3)`, `err(3)`},
		{"result", "ok", "ok"},
		{"result<_, string>", `err("oops")`, `err("oops")`},
		{"record", "{required: 1}", "{required: 1, optional: none}"},
		{"record", "{ optional: some(2), required: 1, }", "{required: 1, optional: some(2)}"},
		{"record", "// c\n{required: 1, // c\n optional: 2}", "{required: 1, optional: some(2)}"},
		{"variant", "days(30)", "days(30)"},
		{"variant", "forever", "forever"},
		{"variant", "%true", "%true"},
		{"enum", "west", "west"},
		{"enum", "%none", "%none"},
		{"flags", "{read, write}", "{read, write}"},
		{"flags", "{}", "{}"},
		{"flags", "{exec,read,}", "{read, exec}"},
	}
	for _, row := range rows {
		v, err := a.ParseWAVE(ts[row.typ], row.in)
		if err != nil {
			t.Errorf("%s %q: %v", row.typ, row.in, err)
			continue
		}
		out, err := a.FormatWAVE(ts[row.typ], v)
		if err != nil || out != row.out {
			t.Errorf("%s %q printed %q (%v), want %q", row.typ, row.in, out, err, row.out)
		}
	}
}

func TestWAVEReject(t *testing.T) {
	a, ts := waveTypes()
	rows := []struct{ typ, in string }{
		{"bool", "yes"}, {"u8", "256"}, {"u8", "-1"}, {"s32", "2147483648"}, {"u32", "1.5"},
		{"f32", "0x10"}, {"f64", ""}, {"char", "'ab'"}, {"char", "''"}, {"char", `'\u{D800}'`},
		{"string", `"abc`}, {"string", `"\q"`}, {"string", "\"a\nb\""},
		{"list<u32>", "[1 2]"}, {"list<u32>", "[1,,2]"}, {"list<u8, 2>", "[1]"},
		{"tuple<string, u32>", `("a")`}, {"tuple<string, u32>", `("a", 1, 2)`},
		{"option<u8>", "some()"}, {"option<u8>", "some(1"},
		{"record", "{}"}, {"record", "{optional: none}"}, {"record", "{required: 1, required: 2}"},
		{"record", "{nope: 1}"}, {"variant", "days"}, {"variant", "forever(1)"}, {"variant", "true"},
		{"variant", "never"}, {"enum", "none"}, {"flags", "{read, read}"}, {"flags", "{all}"},
		{"u8", "1 2"}, {"u8", "1 // c"},
	}
	ts["u32"] = wit.U32
	for _, row := range rows {
		v, err := a.ParseWAVE(ts[row.typ], row.in)
		var we *WAVEError
		if row.in == "1 // c" {
			if err != nil || v.Uint() != 1 {
				t.Errorf("a trailing comment should be accepted: %v", err)
			}
			continue
		}
		if !errors.As(err, &we) {
			t.Errorf("%s %q: got %v, want a WAVEError", row.typ, row.in, err)
		}
	}
}

func TestParseCall(t *testing.T) {
	a, ts := waveTypes()
	f := fn("greet", wit.String, wit.String, ts["option<u8>"], ts["record"])
	lookup := func(name string) (*wit.Function, error) {
		if name == "greet" {
			return f, nil
		}
		return nil, fmt.Errorf("no function %q", name)
	}
	got, args, err := a.ParseCall(`greet("x", 3, {required: 2})`, lookup)
	if err != nil || got != f || len(args) != 3 {
		t.Fatalf("%v %v", args, err)
	}
	if args[0].Str() != "x" || args[1].Case() != 1 || args[2].Elems()[0].Uint() != 2 {
		t.Errorf("args %v", args)
	}
	for _, bad := range []string{`greet("x", 3)`, `greet("x", 3, {required: 2}) extra`, `nope()`, `("x")`, `greet("x" 3 {required: 2})`} {
		if _, _, err := a.ParseCall(bad, lookup); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
	f0 := fn("nullary", wit.NoType)
	if _, args, err := a.ParseCall(" nullary( ) ", func(string) (*wit.Function, error) { return f0, nil }); err != nil || len(args) != 0 {
		t.Errorf("nullary: %v %v", args, err)
	}
}

// Printing then parsing random values gives them back.
func TestWAVERoundTripRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	b := newBuilder()
	a := New(b.r)
	for i := 0; i < 500; i++ {
		ty := randType(rng, b, 3)
		sh, _ := a.shape(ty)
		v := randValue(rng, sh)
		text, err := a.FormatWAVE(ty, v)
		if err != nil {
			t.Fatalf("%s: %v", a.TypeString(ty), err)
		}
		back, err := a.ParseWAVE(ty, text)
		if err != nil {
			t.Fatalf("%s: parse %q: %v", a.TypeString(ty), text, err)
		}
		if !Equal(back, v) {
			t.Fatalf("%s: %q parsed back differently", a.TypeString(ty), text)
		}
	}
}

func TestValueString(t *testing.T) {
	p := StringValue("x")
	v := RecordValue(U8Value(1), SomeValue(ListValue(S32Value(-2))), ErrValue(&p), FlagsValue(5),
		HandleValue(KindOwn, 3), BytesValue([]byte{7}), NoneValue())
	want := `record[1, #1(list[-2]), #1("x"), flags(0x5), own(3), list[7], #0]`
	if got := v.String(); got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
}
