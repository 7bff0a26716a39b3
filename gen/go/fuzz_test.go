package gogen

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/wit"
)

// FuzzGenerate feeds WIT text to the loader and, for every world that
// loads, to Generate: it must return files that parse as Go, or an error,
// and never panic.
func FuzzGenerate(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.wit"))
	for _, dir := range []string{"runtime", "asyncruntime"} {
		more, _ := filepath.Glob(filepath.Join("testdata", dir, "*.wit"))
		seeds = append(seeds, more...)
	}
	if dir, err := os.Getwd(); err == nil {
		ui := filepath.Join(dir, "..", "..", "..", "shared", "conformance", "wit-parser-ui", "*.wit")
		conf, _ := filepath.Glob(ui)
		seeds = append(seeds, conf...)
	}
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(string(data))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		r := wit.NewResolve()
		r.AllFeatures = true
		if _, err := r.AddSource("fuzz.wit", []byte(src)); err != nil {
			return
		}
		for id := range r.Worlds {
			files, err := Generate(r, wit.WorldID(id), Options{PackageRoot: "example.com/f", Stubs: true})
			if err != nil {
				continue
			}
			for _, file := range files {
				if !strings.HasSuffix(file.Path, ".go") {
					continue
				}
				if _, err := parser.ParseFile(token.NewFileSet(), file.Path, file.Content, parser.SkipObjectResolution); err != nil {
					t.Fatalf("world %s: %s does not parse: %v", r.Worlds[id].Name, file.Path, err)
				}
			}
		}
	})
}
