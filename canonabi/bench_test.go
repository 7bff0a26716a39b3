package canonabi

import (
	"strings"
	"testing"

	"github.com/witgo/witgo/wit"
)

// benchMemory is a SliceMemory whose allocator restarts every iteration.
func benchMemory(size int) *SliceMemory { return &SliceMemory{Data: make([]byte, size)} }

// BenchmarkListU8 compares lowering and lifting a 1 MiB list<u8> with a
// plain copy of 1 MiB measured in the same run (the target is at least half
// of copy's bandwidth).
func BenchmarkListU8(b *testing.B) {
	const n = 1 << 20
	src := make([]byte, n)
	for i := range src {
		src[i] = byte(i * 7)
	}
	bl := newBuilder()
	a := New(bl.r)
	ty := bl.list(wit.U8)
	v := BytesValue(src)
	b.Run("copy", func(b *testing.B) {
		dst := make([]byte, n)
		b.SetBytes(n)
		b.ReportAllocs()
		for b.Loop() {
			copy(dst, src)
		}
	})
	benchLowerLift(b, a, ty, v, 2*n, n)
	// transfer: lift from one memory without a copy (Alias) and lower into
	// another, as a host-mediated cross-component call does.
	b.Run("transfer", func(b *testing.B) {
		from := &Context{Memory: benchMemory(2 * n), Alias: true}
		to := benchMemory(2 * n)
		into := &Context{Memory: to}
		flat, _ := a.LowerFlat(from, ty, v, nil)
		out := make([]uint64, 0, 2)
		b.SetBytes(n)
		b.ReportAllocs()
		for b.Loop() {
			to.Next = 0
			lifted, err := a.LiftFlat(from, ty, flat)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := a.LowerFlat(into, ty, lifted, out[:0]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkString(b *testing.B) {
	bl := newBuilder()
	a := New(bl.r)
	s := strings.Repeat("hello, wörld! ", 73) // about 1 KiB
	for _, enc := range []StringEncoding{UTF8, UTF16, Latin1UTF16} {
		b.Run(enc.String(), func(b *testing.B) {
			mem := benchMemory(1 << 16)
			cx := &Context{Memory: mem, Encoding: enc}
			flat := make([]uint64, 0, 2)
			v := StringValue(s)
			b.SetBytes(int64(len(s)))
			b.ReportAllocs()
			for b.Loop() {
				mem.Next = 0
				flat, _ = a.LowerFlat(cx, wit.String, v, flat[:0])
				if _, err := a.LiftFlat(cx, wit.String, flat); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkListOfRecords lowers and lifts a list of 10k records
// {id: u32, score: f64, name: string, ok: bool}.
func BenchmarkListOfRecords(b *testing.B) {
	bl := newBuilder()
	a := New(bl.r)
	rec := bl.add("item", &wit.Record{Fields: []wit.Field{{Name: "id", Type: wit.U32},
		{Name: "score", Type: wit.F64}, {Name: "name", Type: wit.String}, {Name: "ok", Type: wit.Bool}}})
	ty := bl.list(rec)
	elems := make([]Value, 10000)
	for i := range elems {
		elems[i] = RecordValue(U32Value(uint32(i)), F64Value(float64(i)/3), StringValue("item name"), BoolValue(i%2 == 0))
	}
	v := ListValue(elems...)
	benchLowerLift(b, a, ty, v, 1<<20, 0)
}

// benchLowerLift runs "lower" and "lift" sub-benchmarks of v through a
// memory of memSize bytes; bytes, if not zero, is reported as throughput.
func benchLowerLift(b *testing.B, a *ABI, ty wit.Type, v Value, memSize int, bytes int64) {
	mem := benchMemory(memSize)
	cx := &Context{Memory: mem}
	flat := make([]uint64, 0, 2)
	b.Run("lower", func(b *testing.B) {
		b.SetBytes(bytes)
		b.ReportAllocs()
		for b.Loop() {
			mem.Next = 0
			if _, err := a.LowerFlat(cx, ty, v, flat[:0]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("lift", func(b *testing.B) {
		mem.Next = 0
		flat, _ := a.LowerFlat(cx, ty, v, nil)
		b.SetBytes(bytes)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := a.LiftFlat(cx, ty, flat); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRecord16 passes a record of 16 scalars as the parameters of a
// function: exactly MAX_FLAT_PARAMS core values.
func BenchmarkRecord16(b *testing.B) {
	bl := newBuilder()
	a := New(bl.r)
	kinds := []wit.Type{wit.U8, wit.U16, wit.U32, wit.U64, wit.S8, wit.S16, wit.S32, wit.S64,
		wit.F32, wit.F64, wit.Bool, wit.Char, wit.U32, wit.U64, wit.F32, wit.F64}
	rec := bl.record(kinds...)
	f := fn("f", rec, rec)
	vals := []Value{U8Value(1), U16Value(2), U32Value(3), U64Value(4), S8Value(-5), S16Value(-6),
		S32Value(-7), S64Value(-8), F32Value(9.5), F64Value(10.5), BoolValue(true), CharValue('x'),
		U32Value(13), U64Value(14), F32Value(15.5), F64Value(16.5)}
	v := RecordValue(vals...)
	mem := benchMemory(1 << 12)
	cx := &Context{Memory: mem}
	b.Run("args", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			flat, err := a.LowerArgs(cx, f, []Value{v})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := a.LiftArgs(cx, f, flat); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("result-in-memory", func(b *testing.B) {
		area, _ := mem.Realloc(0, 0, 8, 128)
		params := []uint64{0, uint64(area)}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := a.LowerResult(cx, f, v, params); err != nil {
				b.Fatal(err)
			}
			if _, _, err := a.LiftResult(cx, f, params[1:]); err != nil {
				b.Fatal(err)
			}
		}
	})
}
