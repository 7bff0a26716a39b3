package adapter

import (
	"strings"
	"testing"

	"github.com/witgo/witgo/component/wasm"
)

func TestAssembler(t *testing.T) {
	sym := &symbols{funcs: map[string]uint32{"f": 3}, globals: map[string]uint32{"g": 1}, consts: map[string]int64{"K": 7}}
	f := &fnDef{params: []local{{"x", wasm.V(wasm.I32)}}, locals: []local{{"y", wasm.V(wasm.I64)}}, body: `
	block $out ;; comment
	  local.get $x i32.const @K i32.add i32.load 8 global.set $g
	  local.get $x br_if $out
	  i64.const -1 local.set $y call $f
	end`}
	code, extra, err := sym.assemble(f)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{0x02, 0x40, 0x20, 0, 0x41, 7, 0x6a, 0x28, 2, 8, 0x24, 1, 0x20, 0, 0x0d, 0, 0x42, 0x7f, 0x21, 1, 0x10, 3, 0x0b}
	if string(code) != string(want) || len(extra) != 1 || extra[0].Code != wasm.I64 {
		t.Errorf("code % x, locals %v", code, extra)
	}
	for body, msg := range map[string]string{
		"i32.frob":                "unknown instruction",
		"local.get $nope":         "unknown local",
		"call $nope":              "unknown function",
		"block br $elsewhere end": "unknown label",
		"block":                   "not closed",
		"end":                     "end without block",
		"i32.const @MISSING":      "unknown constant",
		"i32.const":               "unexpected end",
		"br_table local.get $x":   "without labels",
		"global.set x":            "unknown global",
	} {
		_, _, err := sym.assemble(&fnDef{params: f.params, body: body})
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: error %v, want %q", body, err, msg)
		}
	}
	if _, _, err := parseSig("a:i32 b:f32 -> i32"); err == nil {
		t.Error("f32 parameter accepted")
	}
	if _, _, err := parseSig("a -> i32"); err == nil {
		t.Error("untyped parameter accepted")
	}
}
