package wasm

import (
	"strings"
	"testing"
)

func TestValidateSegments(t *testing.T) {
	i32 := V(I32)
	tests := []struct {
		name  string
		build func(b *Builder)
		want  string // "" for valid
	}{
		{"valid segments", func(b *Builder) {
			f := b.Func(b.FuncType(nil, nil), nil, nil)
			tbl := b.Table(TableType{Elem: V(FuncRef), Limits: Limits{Min: 1}})
			b.Memory(MemType{Limits: Limits{Min: 1}})
			b.ActiveElem(tbl, I32Const(0), []uint32{f})
			b.ActiveData(0, I32Const(8), []byte("x"))
			b.PassiveData([]byte("y"))
		}, ""},
		{"unknown table", func(b *Builder) {
			f := b.Func(b.FuncType(nil, nil), nil, nil)
			b.ActiveElem(3, I32Const(0), []uint32{f})
		}, "unknown table 3"},
		{"unknown function", func(b *Builder) {
			tbl := b.Table(TableType{Elem: V(FuncRef), Limits: Limits{Min: 1}})
			b.ActiveElem(tbl, I32Const(0), []uint32{9})
		}, "unknown function 9"},
		{"i64 offset for a 32-bit memory", func(b *Builder) {
			b.Memory(MemType{Limits: Limits{Min: 1}})
			b.ActiveData(0, []byte{0x42, 0}, []byte("x"))
		}, "type mismatch"},
		{"unknown memory", func(b *Builder) {
			b.ActiveData(0, I32Const(0), []byte("x"))
		}, "unknown memory 0"},
		{"global init of the wrong type", func(b *Builder) {
			b.Global(GlobalType{Val: V(I64)}, I32Const(1))
		}, "type mismatch"},
		{"global init reads a mutable global", func(b *Builder) {
			g := b.ImportGlobal("env", "g", GlobalType{Val: i32, Flags: 1})
			b.Global(GlobalType{Val: i32}, []byte{0x23, byte(g)})
		}, "mutable global"},
		{"global init reads an imported immutable global", func(b *Builder) {
			g := b.ImportGlobal("env", "g", GlobalType{Val: i32})
			b.Global(GlobalType{Val: i32}, []byte{0x23, byte(g)})
		}, ""},
	}
	for _, tc := range tests {
		b := NewBuilder()
		tc.build(b)
		m, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		// Decode the encoding, as a real module would arrive.
		m, err = DecodeModule(m.Encode())
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		err = m.ValidateCode()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}
