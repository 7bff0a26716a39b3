package compose

import "testing"

// BenchmarkComposeCAndGo composes the C socket (about 100 KB with the
// adapter) with the Go plug (about 2 MB): decoding, validating and
// describing both, planning, encoding and validating the result.
func BenchmarkComposeCAndGo(b *testing.B) {
	inputs := []Input{{Name: "greeter.wasm", Bytes: greeterSocket(b)}, {Name: "words.wasm", Bytes: wordsPlug(b)}}
	benchCompose(b, inputs)
}

// BenchmarkComposeStubs composes three code-less components (a socket
// and one plug): the cost of matching and encoding alone.
func BenchmarkComposeStubs(b *testing.B) {
	inputs := []Input{
		{Name: "socket", Bytes: stubComponent(b, socketUsesMath)},
		{Name: "plug1", Bytes: stubComponent(b, plugMath)},
	}
	benchCompose(b, inputs)
}

func benchCompose(b *testing.B, inputs []Input) {
	b.ReportAllocs()
	size := 0
	for _, in := range inputs {
		size += len(in.Bytes)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Compose(inputs); err != nil {
			b.Fatal(err)
		}
	}
}
