package canonabi

import (
	"math/rand/v2"
	"testing"

	"github.com/witgo/witgo/wit"
)

// fuzzType picks a type from a seed, so the fuzzer explores types too.
func fuzzType(seed uint64) (*ABI, wit.Type) {
	b := newBuilder()
	ty := randType(rand.New(rand.NewPCG(seed, seed>>7)), b, 3)
	return New(b.r), ty
}

// seedLowered adds real inputs: random values stored the way a guest would.
func seedLowered(f *testing.F) {
	for seed := uint64(0); seed < 24; seed++ {
		a, ty := fuzzType(seed)
		sh, _ := a.shape(ty)
		v := randValue(rand.New(rand.NewPCG(seed, 1)), sh)
		mem := &SliceMemory{}
		cx := &Context{Memory: mem, Encoding: StringEncoding(seed % 3)}
		ptr, _ := mem.Realloc(0, 0, sh.align, sh.size)
		if err := a.Store(cx, ty, v, ptr); err != nil {
			f.Fatal(err)
		}
		f.Add(seed, ptr, uint8(seed%3), mem.Data[:mem.Next])
	}
}

// FuzzLoad: lifting arbitrary bytes as a value of an arbitrary type returns
// a value or an error, never panics, and what it returns stores again.
func FuzzLoad(f *testing.F) {
	seedLowered(f)
	f.Fuzz(func(t *testing.T, seed uint64, ptr uint32, enc uint8, data []byte) {
		a, ty := fuzzType(seed)
		cx := &Context{Memory: &SliceMemory{Data: data}, Encoding: StringEncoding(enc % 3)}
		v, err := a.Load(cx, ty, ptr)
		if err != nil {
			return
		}
		out := &Context{Memory: &SliceMemory{}, Encoding: cx.Encoding}
		sh, _ := a.shape(ty)
		p, _ := out.Memory.Realloc(0, 0, sh.align, sh.size)
		if err := a.Store(out, ty, v, p); err != nil {
			t.Fatalf("a loaded value does not store again: %v", err)
		}
	})
}

// FuzzLiftFlat: arbitrary core values (and memory) lift or fail cleanly.
func FuzzLiftFlat(f *testing.F) {
	seedLowered(f)
	f.Fuzz(func(t *testing.T, seed uint64, ptr uint32, enc uint8, data []byte) {
		a, ty := fuzzType(seed)
		sh, _ := a.shape(ty)
		if sh.flatTooLong {
			return
		}
		flat := make([]uint64, len(sh.flat))
		r := rand.New(rand.NewPCG(uint64(ptr), seed))
		for i := range flat {
			flat[i] = r.Uint64() >> (r.IntN(64))
			if sh.flat[i] == I32 || sh.flat[i] == F32 {
				flat[i] &= 0xffffffff
			}
		}
		cx := &Context{Memory: &SliceMemory{Data: data}, Encoding: StringEncoding(enc % 3)}
		_, _ = a.LiftFlat(cx, ty, flat)
	})
}

// FuzzParseWAVE: arbitrary text parses as a value of an arbitrary type or
// fails with an error; a parsed value prints and parses back equal.
func FuzzParseWAVE(f *testing.F) {
	for seed := uint64(0); seed < 24; seed++ {
		a, ty := fuzzType(seed)
		sh, _ := a.shape(ty)
		text, err := a.FormatWAVE(ty, randValue(rand.New(rand.NewPCG(seed, 2)), sh))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(seed, text)
	}
	f.Add(uint64(0), `{a: [1, 2,], b: some("x\u{41}"), c: %true} // c`)
	f.Fuzz(func(t *testing.T, seed uint64, text string) {
		a, ty := fuzzType(seed)
		v, err := a.ParseWAVE(ty, text)
		if err != nil {
			return
		}
		out, err := a.FormatWAVE(ty, v)
		if err != nil {
			t.Fatalf("parsed value does not print: %v", err)
		}
		back, err := a.ParseWAVE(ty, out)
		if err != nil || !Equal(back, v) {
			t.Fatalf("%q printed as %q does not parse back: %v", text, out, err)
		}
	})
}

// FuzzParseCoreName: arbitrary core names either name an item of the
// example world, whose own names are then exactly those, or fail.
func FuzzParseCoreName(f *testing.F) {
	b, w := exampleWorld(f)
	a := New(b.r)
	tables := map[Scheme]*Names{}
	for _, s := range []Scheme{Legacy, CM32P2} {
		n, err := a.Names(w, s)
		if err != nil {
			f.Fatal(err)
		}
		tables[s] = n
		for _, c := range n.Items {
			f.Add(uint8(s), c.Module, c.Field)
		}
	}
	f.Fuzz(func(t *testing.T, scheme uint8, module, field string) {
		n := tables[Scheme(scheme%2)]
		if c, err := n.ParseImport(module, field); err == nil && (c.Module != module || c.Field != field || !c.Import) {
			t.Fatalf("import %q %q parsed as %s", module, field, c)
		}
		if c, err := n.ParseExport(field); err == nil && (c.Field != field || c.Import) {
			t.Fatalf("export %q parsed as %s", field, c)
		}
	})
}

// FuzzParseCall: arbitrary call expressions parse or fail cleanly.
func FuzzParseCall(f *testing.F) {
	a, ts := waveTypes()
	fn := fn("greet", wit.String, wit.String, ts["option<u8>"], ts["record"], ts["flags"])
	lookup := func(name string) (*wit.Function, error) {
		if name != "greet" {
			return nil, &WAVEError{Msg: "no function " + name}
		}
		return fn, nil
	}
	f.Add(`greet("x", 3, {required: 2}, {read})`)
	f.Add(`greet("\u{1F389}", none, {required: 2, optional: some(1),}, {},)`)
	f.Fuzz(func(t *testing.T, text string) {
		got, args, err := a.ParseCall(text, lookup)
		if err == nil && (got != fn || len(args) != 4) {
			t.Fatalf("%q parsed into %d args", text, len(args))
		}
	})
}
