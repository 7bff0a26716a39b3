package wasm

import (
	"os"
	"path/filepath"
	"testing"
)

// The core modules of a large real component (componentize-js output,
// see component/large_test.go) pass code validation.
func TestCodeValidationLargeModule(t *testing.T) {
	dir, err := os.UserCacheDir()
	if err != nil {
		t.Skip("no cache dir")
	}
	b, err := os.ReadFile(filepath.Join(dir, "witgo", "componentize-js-hello.wasm"))
	if err != nil {
		t.Skip("no cached componentize-js component; run the component package's TestLargeComponent first")
	}
	var mods []*Module
	findModules(t, b, &mods)
	for _, m := range mods {
		checked, skipped, rejected := m.CodeStats()
		t.Logf("module with %d functions: %d checked, %d skipped (unsupported instructions), %d rejected", len(m.Code), checked, skipped, rejected)
		if rejected > 0 {
			t.Errorf("%d function bodies rejected", rejected)
		}
	}
}

// findModules walks the top-level sections of a component and decodes its
// core module sections (id 1).
func findModules(t *testing.T, b []byte, out *[]*Module) {
	r := binioReader(Code{Body: b[8:], Offset: 8})
	for !r.EOF() {
		id, _ := r.Byte()
		n, err := r.U32()
		if err != nil {
			t.Fatal(err)
		}
		off := r.Offset()
		payload, err := r.Bytes(int(n))
		if err != nil {
			t.Fatal(err)
		}
		if id == 1 {
			m, err := DecodeModuleAt(payload, off)
			if err != nil {
				t.Fatal(err)
			}
			*out = append(*out, m)
		}
	}
}
