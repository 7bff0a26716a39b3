package wit

import (
	"os"
	"path/filepath"
	"testing"
)

// seedWIT adds every .wit file of the conformance corpus and the WASI tree
// as a fuzz seed, when ../shared is there.
func seedWIT(f *testing.F) {
	f.Add([]byte("package a:b;\ninterface i { f: func(x: list<u8>) -> result<string, u32>; }"))
	f.Add([]byte("package a:b@1.0.0;\n@since(version = 1.0.0)\nworld w { import x: interface { resource r { constructor(); m: func(); } } }"))
	for _, rel := range [][]string{{"conformance", "wit-parser-ui"}, {"reference", "wasi", "0.2.0", "wit"}} {
		dir := findShared(rel...)
		if dir == "" {
			continue
		}
		filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && filepath.Ext(p) == ".wit" {
				if b, err := os.ReadFile(p); err == nil {
					f.Add(b)
				}
			}
			return nil
		})
	}
}

// findShared is sharedDir without the testing hooks.
func findShared(rel ...string) string {
	dir, _ := filepath.Abs(".")
	for {
		p := filepath.Join(append([]string{dir, "shared"}, rel...)...)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// FuzzParse: the lexer and grammar never panic, and every failure is a
// positioned *Error.
func FuzzParse(f *testing.F) {
	seedWIT(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		_, err := parseWIT("fuzz.wit", src)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			_ = err.Error()
		}
	})
}

// FuzzResolve: resolving any text never panics; a resolved package prints
// as JSON.
func FuzzResolve(f *testing.F) {
	seedWIT(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		r := NewResolve()
		r.AllFeatures = len(src)%2 == 0
		if _, err := r.AddSource("fuzz.wit", src); err != nil {
			_ = err.Error()
			return
		}
		if _, err := r.MarshalJSON(); err != nil {
			t.Fatalf("resolved but cannot encode: %v", err)
		}
	})
}
