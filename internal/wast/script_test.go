package wast

import (
	"errors"
	"testing"
)

const sampleScript = `;; a comment (with parens
(; a block (; nested ;) comment
   over lines ;)
(component definition $X
  (core module $m (func (export "f") (result i32) i32.const 42)) ;; ")"
  (import "a\"b" (func))
)
(component instance $i $X)
(component $C) (component)
(component binary "\00asm" "\0d\00\01\00")
(component quote "(core module)" "(import \"x\" (func))")
(assert_return (invoke $i "f" (u32.const 1) (str.const ";;")) (u32.const 42))
(assert_trap (invoke "g") "unreachable")
(assert_trap (component) "cannot block")
(assert_invalid
  (component (type $t u8)) ;; msg
  "type mismatch")
(assert_malformed (component quote "(bad") "unexpected")
(assert_unlinkable (component (import "x" (func))) "missing")
(invoke "h")
(register "reg" $i)
`

func TestParseScript(t *testing.T) {
	s, err := Parse("sample.wast", sampleScript)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		kind     Kind
		line     int
		name, of string
	}
	wants := []want{
		{KindDefinition, 4, "$X", ""}, {KindInstance, 8, "$i", "$X"}, {KindComponent, 9, "$C", ""},
		{KindComponent, 9, "", ""}, {KindComponent, 10, "", ""}, {KindComponent, 11, "", ""},
		{KindAssertReturn, 12, "", ""}, {KindAssertTrap, 13, "", ""}, {KindAssertTrap, 14, "", ""},
		{KindAssertInvalid, 15, "", ""}, {KindAssertMalformed, 18, "", ""}, {KindAssertUnlinkable, 19, "", ""},
		{KindInvoke, 20, "", ""}, {KindRegister, 21, "reg", "$i"},
	}
	if len(s.Commands) != len(wants) {
		t.Fatalf("%d commands, want %d: %+v", len(s.Commands), len(wants), s.Commands)
	}
	for i, w := range wants {
		c := s.Commands[i]
		if c.Kind != w.kind || c.Line != w.line || c.Name != w.name || c.Of != w.of {
			t.Errorf("command %d: %s line %d name %q of %q, want %+v", i, c.Kind, c.Line, c.Name, c.Of, w)
		}
	}
	c := s.Commands
	if got := c[0].Module.Text; got != `(component $X
  (core module $m (func (export "f") (result i32) i32.const 42)) ;; ")"
  (import "a\"b" (func))
)` {
		t.Errorf("definition text:\n%s", got)
	}
	if got := string(c[4].Module.Binary); c[4].Module.Form != "binary" || got != "\x00asm\x0d\x00\x01\x00" {
		t.Errorf("binary form: %q", got)
	}
	if got := c[5].Module.Text; got != `(component (core module) (import "x" (func)))` {
		t.Errorf("quote form: %s", got)
	}
	inv := c[6].Invoke
	if inv.Instance != "$i" || inv.Func != "f" || len(inv.Args) != 2 || inv.Args[1].Str != ";;" || len(c[6].Expected) != 1 || c[6].Expected[0].Bits != 42 {
		t.Errorf("assert_return: %+v expected %+v", inv, c[6].Expected)
	}
	if c[7].Invoke == nil || c[7].Invoke.Instance != "" || c[7].Message != "unreachable" {
		t.Errorf("assert_trap invoke: %+v", c[7])
	}
	if c[8].Module == nil || c[8].Invoke != nil || c[8].Message != "cannot block" {
		t.Errorf("assert_trap component: %+v", c[8])
	}
	if c[9].Module.Text != "(component (type $t u8))" || c[9].Message != "type mismatch" {
		t.Errorf("assert_invalid: %+v", c[9].Module)
	}
}

// TestParseErrors: bad scripts are *SyntaxError with the right line.
func TestParseErrors(t *testing.T) {
	cases := []struct {
		src  string
		line int
	}{
		{"(component", 1},
		{"\n)", 2},
		{"(component)\nfoo", 2},
		{"\n\n(foo)", 3},
		{"(; open", 1},
		{"(assert_return (u32.const 1))", 1},
		{"(component \"abc", 1},
		{"(component \"a\nb\")", 1},
		{"(component \"\\u{d800}\")", 1},
		{"(component \"\\zz\")", 1},
		{"(component instance $i)", 1},
		{"(assert_invalid (component))", 1},
		{"(assert_invalid (invoke \"f\") \"x\")", 1},
		{"(invoke)", 1},
		{"(register 1)", 1},
		{"(component binary \"x\" $y)", 1},
		{"()", 1},
	}
	for _, c := range cases {
		_, err := Parse("bad.wast", c.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: error %v, want a SyntaxError", c.src, err)
			continue
		}
		if se.Line != c.line || se.File != "bad.wast" {
			t.Errorf("%q: %v, want line %d", c.src, err, c.line)
		}
	}
}
