package component

import (
	"errors"
	"strings"
	"testing"
)

// Validation errors name the section, its offset and the item.
func TestValidateErrorPosition(t *testing.T) {
	// (component (import "a" (func (type 0)))) with no type 0: the import
	// is at offset 11 (header 8, section id, size, count).
	name := "a"
	imp := append([]byte{1, 0, byte(len(name))}, name...)
	imp = append(imp, ExternFunc, 0)
	b := componentOf(section(SecImport, imp...))
	c, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	err = Validate(c)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want *Error", err)
	}
	if e.Offset != 11 || e.Context != "import section" || !strings.Contains(e.Msg, "type index out of bounds") {
		t.Fatalf("err = %+v", e)
	}
}

// The canon lift signature check uses the flattening rules.
func TestFlatten(t *testing.T) {
	u32, str, f64 := primTypes[U32], primTypes[String], primTypes[F64]
	rec := &vtype{kind: KindRecord, fields: []vfield{{"a", u32}, {"b", f64}}}
	opt := &vtype{kind: KindOption, elem: f64}
	res := &vtype{kind: KindResult, ok: u32, err: primTypes[F32]}
	for _, tc := range []struct {
		f       *funcT
		lift    bool
		params  string
		results string
	}{
		{&funcT{params: []vfield{{"x", u32}}, result: u32}, true, "[i32]", "[i32]"},
		{&funcT{params: []vfield{{"s", str}}, result: str}, true, "[i32, i32]", "[i32]"},
		{&funcT{params: []vfield{{"s", str}}, result: str}, false, "[i32, i32, i32]", "[]"},
		{&funcT{params: []vfield{{"r", rec}, {"o", opt}}}, true, "[i32, f64, i32, f64]", "[]"},
		{&funcT{result: res}, true, "[]", "[i32]"},
	} {
		ft := flatFuncType(tc.f, tc.lift, false, false)
		if got := typeList(ft.Params); got != tc.params {
			t.Errorf("params = %s, want %s", got, tc.params)
		}
		if got := typeList(ft.Results); got != tc.results {
			t.Errorf("results = %s, want %s", got, tc.results)
		}
	}
	// 17 flat parameters go through memory.
	var ps []vfield
	for i := 0; i < 17; i++ {
		ps = append(ps, vfield{"p", u32})
	}
	if got := typeList(flatFuncType(&funcT{params: ps}, true, false, false).Params); got != "[i32]" {
		t.Errorf("17 params flatten to %s, want [i32]", got)
	}
}

// A hand-built AST with a missing pointer is an error, not a panic.
func TestValidateMalformedAST(t *testing.T) {
	c := &Component{Sections: []Section{&TypeSection{Types: []Type{{Kind: KindFunc}}}}}
	if err := Validate(c); err == nil || !strings.Contains(err.Error(), "malformed component AST") {
		t.Fatalf("err = %v", err)
	}
}

func TestValueSection(t *testing.T) {
	value := func(vt byte, data ...byte) []byte {
		return componentOf(section(SecValue, append([]byte{1, vt, byte(len(data))}, data...)...))
	}
	for _, tc := range []struct {
		name string
		bin  []byte
		want string // "" when valid
	}{
		{"u32", value(U32, 42), ""},
		{"string", value(String, 2, 'h', 'i'), ""},
		{"char", value(Char, 0xc3, 0xa9), ""},
		{"f32 canonical NaN", value(F32, 0, 0, 0xc0, 0x7f), ""},
		{"bool 2", value(Bool, 2), "invalid bool"},
		{"trailing bytes", value(U8, 1, 2), "after its encoding"},
		{"bad char", value(Char, 0xff), "invalid UTF-8"},
		{"f32 other NaN", value(F32, 1, 0, 0xc0, 0x7f), "canonical"},
		{"s16 out of range", value(S16, 0x80, 0x80, 0x02), "out of range"},
	} {
		c, err := Decode(tc.bin)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		err = Validate(c)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}
