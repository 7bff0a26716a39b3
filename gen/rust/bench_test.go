package rustgen

import (
	"testing"

	"github.com/witgo/witgo/internal/testshared"
	"github.com/witgo/witgo/wit"
)

// BenchmarkGenerateWASICommand generates the bindings of
// wasi:cli/command@0.2.0 (27 interfaces, resources, many types).
func BenchmarkGenerateWASICommand(b *testing.B) {
	dir := testshared.Dir(b, "reference", "wasi", "0.2.0", "wit")
	r := wit.NewResolve()
	pkg, err := r.LoadPath(dir)
	if err != nil {
		b.Fatal(err)
	}
	w, err := r.SelectWorld(pkg, "wasi:cli/command@0.2.0")
	if err != nil {
		b.Fatal(err)
	}
	files, err := Generate(r, w, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(files[0].Content)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Generate(r, w, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
