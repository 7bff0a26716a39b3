package wast

import (
	"os"
	"testing"
)

// BenchmarkParseReference parses every reference script once per
// iteration.
func BenchmarkParseReference(b *testing.B) {
	var srcs []string
	size := 0
	for _, f := range referenceFiles(b) {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, string(src))
		size += len(src)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, src := range srcs {
			if _, err := Parse("", src); err != nil {
				b.Fatal(err)
			}
		}
	}
}
