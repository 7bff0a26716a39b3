package rustgen

import (
	"strings"
	"testing"
	"unicode"
)

// TestBreakLongLinesLayouts checks layouts rustfmt 1.63 produced for
// lines the generator emitted (fmt_test.go checks whole files).
func TestBreakLongLinesLayouts(t *testing.T) {
	pad := strings.Repeat(" ", 20)
	for _, c := range []struct{ in, want string }{
		{ // arguments one per line, trailing comma
			pad + "wit_import_3(flat_0[0] as i32, flat_0[1] as i32, flat_0[2] as i32, flat_0[3] as i32, ret_0 as i32);",
			pad + "wit_import_3(\n" + pad + "    flat_0[0] as i32,\n" + pad + "    flat_0[1] as i32,\n" + pad + "    flat_0[2] as i32,\n" +
				pad + "    flat_0[3] as i32,\n" + pad + "    ret_0 as i32,\n" + pad + ");",
		},
		{ // a let value that fits on the next line moves there
			pad + "let rflat_0 = [wit_import_10(f32::from_bits(flat_0[0] as u32)).to_bits() as u64, 1234567];",
			pad + "let rflat_0 =\n" + pad + "    [wit_import_10(f32::from_bits(flat_0[0] as u32)).to_bits() as u64, 1234567];",
		},
		{ // a match arm whose body fits in a block
			pad + "            0 => Shape::Circle(f32::from_bits(witgo_rt::ld32(ret_0, 72) as u32)),",
			pad + "            0 => {\n" + pad + "                Shape::Circle(f32::from_bits(witgo_rt::ld32(ret_0, 72) as u32))\n" + pad + "            }",
		},
		{ // macro arguments take no trailing comma
			pad + "unreachable!(\"witgo bindings: test:matrix/numbers@0.1.0 edges can only be called on wasm32\")",
			pad + "unreachable!(\n" + pad + "    \"witgo bindings: test:matrix/numbers@0.1.0 edges can only be called on wasm32\"\n" + pad + ")",
		},
	} {
		if got := strings.TrimSuffix(breakLongLines(c.in+"\n"), "\n"); got != c.want {
			t.Errorf("breakLongLines(%q)\n got:\n%s\nwant:\n%s", c.in, got, c.want)
		}
	}
}

// FuzzBreakLongLines: breaking lines never panics, leaves no line that
// could be broken further unbroken, and changes nothing but layout,
// trailing commas and the braces of arm blocks and closures.
func FuzzBreakLongLines(f *testing.F) {
	f.Add("    " + strings.Repeat("f(a, b), ", 12) + "x\n")
	f.Add(strings.Repeat(" ", 40) + "_ => witgo_rt::invalid(\"a discriminant out of range\"),\n")
	f.Add("let x: [u64; 8] = [" + strings.Repeat("p0 as u32 as u64, ", 8) + "];\n")
	f.Add(")(\"(\\\"\n" + strings.Repeat("(", 120) + "\n")
	f.Fuzz(func(t *testing.T, src string) {
		out := breakLongLines(src)
		if layoutFree(out) != layoutFree(src) {
			t.Fatalf("tokens changed:\n%q\n->\n%q", src, out)
		}
	})
}

// layoutFree drops what breakLongLines may change.
func layoutFree(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == ',' || r == '{' || r == '}' {
			return -1
		}
		return r
	}, s)
}
