package component

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// corpusBinaries returns the paths of all .wasm files of the conformance
// corpus, largest first.
func corpusBinaries(t testing.TB) []string {
	root := filepath.Join(sharedDir(t), "conformance", "component-spec")
	var paths []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".wasm" {
			paths = append(paths, p)
		}
		return nil
	})
	size := func(p string) int64 {
		st, err := os.Stat(p)
		if err != nil {
			return 0
		}
		return st.Size()
	}
	sort.Slice(paths, func(i, j int) bool { return size(paths[i]) > size(paths[j]) })
	return paths
}

func FuzzDecodeComponent(f *testing.F) {
	for _, p := range corpusBinaries(f) {
		b, err := os.ReadFile(p)
		if err == nil && len(b) > 5 && b[4] != 1 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Decode(b)
		if err != nil {
			return
		}
		_ = Validate(c)
		// Whatever decodes must re-encode and decode again to the same bytes.
		out := c.Encode()
		c2, err := Decode(out)
		if err != nil {
			t.Fatalf("re-encoded component does not decode: %v", err)
		}
		if string(c2.Encode()) != string(out) {
			t.Fatal("encoding is not stable")
		}
	})
}

// largestValid returns the n largest valid components of the corpus and
// their total size.
func largestValid(b *testing.B, n int) ([][]byte, int) {
	var bins [][]byte
	total := 0
	for _, p := range corpusBinaries(b) {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		if len(bins) == n || DecodeAndValidate(data) != nil {
			continue
		}
		bins = append(bins, data)
		total += len(data)
	}
	return bins, total
}

// BenchmarkDecode decodes the five largest valid corpus components.
func BenchmarkDecode(b *testing.B) {
	bins, total := largestValid(b, 5)
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		for _, data := range bins {
			if _, err := Decode(data); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkDecodeValidate decodes and validates the same components.
func BenchmarkDecodeValidate(b *testing.B) {
	bins, total := largestValid(b, 5)
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		for _, data := range bins {
			if err := DecodeAndValidate(data); err != nil {
				b.Fatal(err)
			}
		}
	}
}
