package wit

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

// BenchmarkResolveWASI parses and resolves the whole WASI 0.2 tree (wasi:http
// with its deps: cli, clocks, filesystem, io, random, sockets). Files are
// read once up front so that the figure is the front end's, not the disk's.
func BenchmarkResolveWASI(b *testing.B) {
	root := sharedDir(b, "reference", "wasi", "0.2.0", "wit")
	files := readTree(b, root)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := NewResolve()
		if _, err := r.loadFiles(root, files); err != nil {
			b.Fatal(err)
		}
	}
}

func readTree(b testing.TB, root string) map[string][]byte {
	files := map[string][]byte{}
	err := filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && filepath.Ext(p) == ".wit" {
			files[p], err = os.ReadFile(p)
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return files
}

// loadFiles loads a package directory from files already in memory, keyed
// by path (root/x.wit, root/deps/...).
func (r *Resolve) loadFiles(root string, files map[string][]byte) (PackageID, error) {
	m := fstest.MapFS{}
	for p, b := range files {
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return 0, err
		}
		m[filepath.ToSlash(rel)] = &fstest.MapFile{Data: b}
	}
	return r.loadDir(dirSource{fsys: m, prefix: root})
}

// BenchmarkLexWASI and BenchmarkParseWASI split BenchmarkResolveWASI into
// its stages (single-threaded).
func BenchmarkLexWASI(b *testing.B) {
	files := readTree(b, sharedDir(b, "reference", "wasi", "0.2.0", "wit"))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for name, src := range files {
			if _, err := lexWIT(name, src); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkParseWASI(b *testing.B) {
	files := readTree(b, sharedDir(b, "reference", "wasi", "0.2.0", "wit"))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for name, src := range files {
			if _, err := parseWIT(name, src); err != nil {
				b.Fatal(err)
			}
		}
	}
}
