package wasm

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// coreCorpus returns the core modules embedded in the conformance corpus
// binaries (found by their module headers inside components is not
// needed: the corpus also holds plain modules), or plain module files.
func corpusFiles(t testing.TB) [][]byte {
	dir, _ := filepath.Abs(".")
	for {
		p := filepath.Join(dir, "shared", "conformance", "component-spec")
		if _, err := os.Stat(p); err == nil {
			var out [][]byte
			filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
				if err == nil && filepath.Ext(path) == ".wasm" {
					if b, err := os.ReadFile(path); err == nil {
						out = append(out, b)
					}
				}
				return nil
			})
			return out
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if os.Getenv("WITGO_REQUIRE_TOOLS") == "1" {
		t.Fatal("shared/conformance not found")
	}
	t.Skip("shared/conformance not found above the package directory")
	return nil
}

func TestBuilderRoundTrip(t *testing.T) {
	b := NewBuilder()
	i32 := V(I32)
	sig := b.FuncType([]ValType{i32, i32}, []ValType{i32})
	if again := b.FuncType([]ValType{i32, i32}, []ValType{i32}); again != sig {
		t.Fatalf("FuncType not deduplicated: %d vs %d", again, sig)
	}
	imp := b.ImportFunc("env", "add", sig)
	mem := b.Memory(MemType{Limits: Limits{Min: 1}})
	tbl := b.Table(TableType{Elem: V(FuncRef), Limits: Limits{Min: 1}})
	// local.get 0 local.get 1 call $imp
	f := b.Func(sig, []ValType{i32, i32, V(I64)}, []byte{0x20, 0, 0x20, 1, 0x10, byte(imp)})
	g := b.Global(GlobalType{Val: i32, Flags: 1}, I32Const(-5))
	b.Export("f", ExternFunc, f)
	b.Export("memory", ExternMemory, mem)
	b.Export("g", ExternGlobal, g)
	b.ActiveElem(tbl, I32Const(0), []uint32{f})
	b.ActiveData(mem, I32Const(8), []byte("hi"))
	b.Custom("note", []byte{1, 2})
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if imp != 0 || f != 1 {
		t.Fatalf("indices: import %d, func %d; want 0 and 1", imp, f)
	}
	bin := m.Encode()
	m2, err := DecodeModule(bin)
	if err != nil {
		t.Fatalf("decode built module: %v", err)
	}
	if len(m2.Exports) != 3 || m2.Exports[0].Name != "f" || len(m2.Code) != 1 {
		t.Fatalf("decoded module lost items: %+v", m2.Exports)
	}
	// Locals are run-length encoded: 2 x i32, 1 x i64.
	if !bytes.HasPrefix(m2.Code[0].Body, []byte{2, 2, I32, 1, I64}) {
		t.Fatalf("locals encoded as % x", m2.Code[0].Body[:5])
	}
	if !bytes.Equal(m2.Encode(), bin) {
		t.Fatal("decoded module does not re-encode to the same bytes")
	}
	if err := m2.ValidateCode(); err != nil {
		t.Fatalf("built module does not validate: %v", err)
	}
	// A body that leaves the wrong type on the stack is rejected.
	bad := NewBuilder()
	sig2 := bad.FuncType(nil, []ValType{i32})
	bad.Func(sig2, nil, []byte{0x42, 0}) // i64.const 0
	bm, _ := bad.Build()
	if err := bm.ValidateCode(); err == nil || !strings.Contains(err.Error(), "type mismatch") {
		t.Fatalf("ValidateCode of an i64 body for an i32 result = %v", err)
	}
	if ft, ok := m2.FuncType(sig); !ok || len(ft.Params) != 2 {
		t.Fatalf("FuncType(%d) = %v, %v", sig, ft, ok)
	}
}

func TestBuilderImportAfterDefinition(t *testing.T) {
	b := NewBuilder()
	sig := b.FuncType(nil, nil)
	b.Func(sig, nil, nil)
	b.ImportFunc("env", "late", sig)
	if _, err := b.Build(); err == nil || !strings.Contains(err.Error(), "after a definition") {
		t.Fatalf("err = %v, want import-after-definition error", err)
	}
}

func TestDecodeModuleErrors(t *testing.T) {
	hdr := []byte{0, 'a', 's', 'm', 1, 0, 0, 0}
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"component", []byte{0, 'a', 's', 'm', 0x0d, 0, 1, 0}, "unknown binary version"},
		{"order", append(append([]byte{}, hdr...), SecFunction, 1, 0, SecType, 1, 0), "out of order"},
		{"huge count", append(append([]byte{}, hdr...), SecType, 5, 0xff, 0xff, 0xff, 0xff, 0x0f), "larger than"},
		{"bad const expr", append(append([]byte{}, hdr...), SecGlobal, 4, 1, I32, 0, 0x00), "not allowed in a constant expression"},
		{"func without code", append(append([]byte{}, hdr...), SecType, 4, 1, 0x60, 0, 0, SecFunction, 2, 1, 0), "inconsistent lengths"},
	} {
		_, err := DecodeModule(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}

func FuzzDecodeModule(f *testing.F) {
	for _, b := range corpusFiles(f) {
		// Seed with the core modules nested in corpus components: every
		// "\0asm\1\0\0\0" header starts one.
		for i := 0; ; {
			j := bytes.Index(b[i:], []byte{0, 'a', 's', 'm', 1, 0, 0, 0})
			if j < 0 {
				break
			}
			f.Add(b[i+j:])
			i += j + 1
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeModule(b)
		if err != nil {
			return
		}
		_ = m.ValidateCode() // must not panic
		out := m.Encode()
		m2, err := DecodeModule(out)
		if err != nil {
			t.Fatalf("re-encoded module does not decode: %v", err)
		}
		if !bytes.Equal(m2.Encode(), out) {
			t.Fatal("encoding is not stable")
		}
	})
}
