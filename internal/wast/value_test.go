package wast

import "testing"

// TestValueWAVE parses values as the reference scripts write them and
// checks their WAVE text.
func TestValueWAVE(t *testing.T) {
	cases := []struct{ in, want string }{
		{`(u32.const 0xffff_ffff)`, `4294967295`},
		{`(s32.const -1)`, `-1`},
		{`(s8.const -128)`, `-128`},
		{`(s64.const 0x7fffffffffffffff)`, `9223372036854775807`},
		{`(u16.const 0xffff)`, `65535`},
		{`(bool.const true)`, `true`},
		{`(f32.const -3.3)`, `-3.3`},
		{`(f64.const 0x1.8p1)`, `3`},
		{`(f64.const -inf)`, `-inf`},
		{`(f32.const nan:0x200000)`, `nan`},
		{`(char.const "⛳")`, `'⛳'`},
		{`(char.const "\27")`, `'\''`},
		{`(str.const "a\"b\n\u{1F370}")`, `"a\"b\n🍰"`},
		{`(list.const)`, `[]`},
		{`(list.const (u8.const 1) (u8.const 2))`, `[1, 2]`},
		{`(tuple.const (u8.const 1) (str.const "x"))`, `(1, "x")`},
		{`(record.const (field "slot" u8.const 0) (field "event" enum.const "stream-write"))`, `{slot: 0, event: stream-write}`},
		{`(record.const (field "ok" (u8.const 3)))`, `{%ok: 3}`},
		{`(record.const)`, `{:}`},
		{`(variant.const "expect-code" (s32.const 1337))`, `expect-code(1337)`},
		{`(variant.const "none")`, `%none`},
		{`(enum.const "b")`, `b`},
		{`(option.none)`, `none`},
		{`(option.some (u32.const 5))`, `some(5)`},
		{`(result.ok)`, `ok`},
		{`(result.err (str.const "e"))`, `err("e")`},
		{`(flags.const "f1" "f5")`, `{f1, f5}`},
		{`(flags.const)`, `{}`},
	}
	for _, c := range cases {
		top, err := readAll(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		v, err := parseValue(top[0], 0)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		got, err := v.WAVE()
		if err != nil || got != c.want {
			t.Errorf("%s: WAVE %s (%v), want %s", c.in, got, err, c.want)
		}
	}
}

// TestValueErrors: out-of-range numbers and malformed values are errors.
func TestValueErrors(t *testing.T) {
	for _, in := range []string{
		`(u8.const 256)`, `(u32.const -1)`, `(s8.const 128)`, `(s8.const -129)`, `(u32.const 1__0)`,
		`(u32.const _1)`, `(u32.const)`, `(u32.const 1 2)`, `(bool.const yes)`, `(f32.const x)`,
		`(char.const "ab")`, `(char.const "")`, `(str.const x)`, `(variant.const)`, `(option.some)`,
		`(option.none (u8.const 1))`, `(record.const (u8.const 1))`, `(flags.const a)`, `(foo.const 1)`,
		`(list.const u8.const)`, `(f32.const nan:0x0)`, `(u32.const 010x)`,
	} {
		top, err := readAll(in)
		if err != nil {
			continue
		}
		if v, err := parseValue(top[0], 0); err == nil {
			t.Errorf("%s: accepted as %+v", in, v)
		}
	}
}
