package component

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// largeComponent returns a componentize-js component (about 12 MB): from
// WITGO_LARGE_COMPONENT, from the user cache, or built with node and
// componentize-js (found beside jco, see jcoWasmTools) and then cached.
func largeComponent(tb testing.TB) []byte {
	skip := func(msg string) []byte {
		if os.Getenv("WITGO_REQUIRE_TOOLS") == "1" {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
		return nil
	}
	if p := os.Getenv("WITGO_LARGE_COMPONENT"); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		return b
	}
	cacheDir, err := os.UserCacheDir()
	if err != nil {
		return skip("no user cache directory")
	}
	cached := filepath.Join(cacheDir, "witgo", "componentize-js-hello.wasm")
	if b, err := os.ReadFile(cached); err == nil {
		return b
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return skip("node not found; set WITGO_LARGE_COMPONENT to a large component")
	}
	var roots []string
	if p := os.Getenv("WITGO_JCO_WASM_TOOLS"); p != "" {
		if i := strings.LastIndex(p, "node_modules"); i >= 0 {
			roots = append(roots, p[:i+len("node_modules")])
		}
	}
	roots = append(roots, npmRoots(tb)...)
	for _, root := range roots {
		pkg := filepath.Join(root, "@bytecodealliance", "componentize-js")
		if _, err := os.Stat(pkg); err != nil {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(cached), 0o755); err != nil {
			tb.Fatal(err)
		}
		start := time.Now()
		cmd := exec.Command(node, filepath.Join("testdata", "componentize.mjs"), pkg, cached)
		if out, err := cmd.CombinedOutput(); err != nil {
			tb.Fatalf("componentize-js: %v\n%s", err, out)
		}
		tb.Logf("built %s with componentize-js in %v", cached, time.Since(start))
		b, err := os.ReadFile(cached)
		if err != nil {
			tb.Fatal(err)
		}
		return b
	}
	return skip("componentize-js not found; set WITGO_LARGE_COMPONENT or WITGO_JCO_WASM_TOOLS")
}

// A real 12 MB component decodes, validates and re-encodes byte for byte.
func TestLargeComponent(t *testing.T) {
	b := largeComponent(t)
	start := time.Now()
	c, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	decoded := time.Since(start)
	if err := Validate(c); err != nil {
		t.Fatal(err)
	}
	if out := c.Encode(); !bytes.Equal(out, b) {
		t.Fatalf("re-encoded bytes differ at offset %d", firstDiff(out, b))
	}
	t.Logf("%d bytes, %d sections, decoded in %v", len(b), len(c.Sections), decoded)
}

// BenchmarkDecodeLarge decodes a 12 MB componentize-js component.
func BenchmarkDecodeLarge(b *testing.B) {
	data := largeComponent(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

// decodedLarge returns the large component decoded, and its size.
func decodedLarge(b *testing.B) (*Component, int) {
	data := largeComponent(b)
	c, err := Decode(data)
	if err != nil {
		b.Fatal(err)
	}
	return c, len(data)
}

// BenchmarkEncodeLarge encodes the decoded 12 MB component.
func BenchmarkEncodeLarge(b *testing.B) {
	c, size := decodedLarge(b)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		c.Encode()
	}
}

// BenchmarkValidateLarge validates the decoded 12 MB component, core
// function bodies included.
func BenchmarkValidateLarge(b *testing.B) {
	c, size := decodedLarge(b)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		if err := Validate(c); err != nil {
			b.Fatal(err)
		}
	}
}
