package canonabi

import (
	"testing"

	"github.com/witgo/witgo/wit"
)

// Figures from CanonicalABI.md, Flattening (flatten_functype with
// MAX_FLAT_PARAMS = 16, MAX_FLAT_ASYNC_PARAMS = 4, MAX_FLAT_RESULTS = 1),
// confirmed against the spec's definitions.py; async lifts use a callback.
func TestSignatureTable(t *testing.T) {
	b := newBuilder()
	u32, str := wit.U32, wit.String
	i32x16 := "i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32"
	rows := []struct {
		name        string
		f           *wit.Function
		lift, lower string
		post        bool
	}{
		{"16 params fit", fn("f", wit.NoType, repeat(u32, 16)...), "(func (param " + i32x16 + "))", "(func (param " + i32x16 + "))", false},
		{"17 params spill", fn("f", wit.NoType, repeat(u32, 17)...), "(func (param i32))", "(func (param i32))", false},
		{"8 strings are 16 flat", fn("f", wit.NoType, repeat(str, 8)...), "(func (param " + i32x16 + "))", "(func (param " + i32x16 + "))", false},
		{"-> u64 fits", fn("f", wit.U64), "(func (result i64))", "(func (result i64))", false},
		{"-> string spills", fn("f", str), "(func (result i32))", "(func (param i32))", true},
		{"u8 -> option<u8>", fn("f", b.option(wit.U8), wit.U8), "(func (param i32) (result i32))", "(func (param i32 i32))", false},
		{"17 params -> string", fn("f", str, repeat(u32, 17)...), "(func (param i32) (result i32))", "(func (param i32 i32))", true},
		{"-> list<u8>", fn("f", b.list(wit.U8)), "(func (result i32))", "(func (param i32))", true},
		{"-> result<_, u32>", fn("f", b.result(wit.NoType, u32)), "(func (result i32))", "(func (param i32))", false},
		{"-> result<_, _>", fn("f", b.result(wit.NoType, wit.NoType)), "(func (result i32))", "(func (result i32))", false},
	}
	a := New(b.r)
	for _, row := range rows {
		for _, dir := range []Direction{Lift, Lower} {
			s, err := a.Signature(row.f, dir)
			if err != nil {
				t.Fatalf("%s: %v", row.name, err)
			}
			want := row.lift
			if dir == Lower {
				want = row.lower
			}
			if s.String() != want {
				t.Errorf("%s %s: %s, want %s", row.name, dir, s, want)
			}
			if dir == Lift && s.NeedsPostReturn != row.post {
				t.Errorf("%s: NeedsPostReturn %v, want %v", row.name, s.NeedsPostReturn, row.post)
			}
		}
	}
	s, _ := a.Signature(fn("f", wit.NoType, repeat(u32, 17)...), Lift)
	if !s.ParamsInMemory || s.ParamsLayout != (Layout{68, 4}) {
		t.Errorf("17 u32 params: in memory %v, layout %+v, want tuple of 68 bytes aligned 4", s.ParamsInMemory, s.ParamsLayout)
	}
	s, _ = a.Signature(fn("f", wit.NoType, wit.U8, wit.U64, str), Lift)
	if s.ParamsLayout != (Layout{24, 8}) {
		t.Errorf("(u8, u64, string) params layout %+v, want 24/8", s.ParamsLayout)
	}
}

func TestAsyncSignature(t *testing.T) {
	b := newBuilder()
	u32 := wit.U32
	async := func(f *wit.Function) *wit.Function { f.Async = true; return f }
	rows := []struct {
		name        string
		f           *wit.Function
		lift, lower string
	}{
		{"4 params -> u32", async(fn("f", u32, repeat(u32, 4)...)), "(func (param i32 i32 i32 i32) (result i32))", "(func (param i32 i32 i32 i32 i32) (result i32))"},
		{"5 params", async(fn("f", wit.NoType, repeat(u32, 5)...)), "(func (param i32 i32 i32 i32 i32) (result i32))", "(func (param i32) (result i32))"},
		{"17 params -> string", async(fn("f", wit.String, repeat(u32, 17)...)), "(func (param i32) (result i32))", "(func (param i32 i32) (result i32))"},
	}
	a := New(b.r)
	for _, row := range rows {
		lift, err := a.Signature(row.f, Lift)
		if err != nil {
			t.Fatal(err)
		}
		lower, _ := a.Signature(row.f, Lower)
		if lift.String() != row.lift || lower.String() != row.lower {
			t.Errorf("%s: lift %s lower %s, want %s and %s", row.name, lift, lower, row.lift, row.lower)
		}
	}
	s, _ := a.Signature(async(fn("f", wit.String)), Lift)
	if flatString(s.TaskReturn) != "i32 i32" {
		t.Errorf("task.return params %v", s.TaskReturn)
	}
	a.AsyncCallback = false
	s, _ = a.Signature(async(fn("f", wit.String)), Lift)
	if len(s.Results) != 0 {
		t.Errorf("stackful async lift returns %v, want nothing", s.Results)
	}
}
