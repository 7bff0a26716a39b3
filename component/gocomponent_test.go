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

// jcoCLI finds jco's command-line entry point beside the jco-transpile
// package named by WITGO_JCO_WASM_TOOLS, or under npm's global root.
func jcoCLI(t *testing.T) (node, cli string) {
	node, tools := jcoWasmTools(t)
	rel := filepath.Join("@bytecodealliance", "jco", "dist", "jco.js")
	if i := strings.LastIndex(tools, "node_modules"); i >= 0 {
		if p := filepath.Join(tools[:i+len("node_modules")], rel); fileExists(p) {
			return node, p
		}
	}
	if out, err := exec.Command("npm", "root", "-g").Output(); err == nil {
		if p := filepath.Join(strings.TrimSpace(string(out)), rel); fileExists(p) {
			return node, p
		}
	}
	if os.Getenv("WITGO_REQUIRE_TOOLS") == "1" {
		t.Fatal("jco not found beside jco-transpile")
	}
	t.Skip("jco not found beside jco-transpile")
	return "", ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// A Go wasip1 reactor made into a component by jco (wasm-tools' component
// new with the preview1 adapter) decodes, validates and re-encodes to the
// same bytes.
func TestGoComponent(t *testing.T) {
	node, cli := jcoCLI(t)
	dir := t.TempDir()
	core := filepath.Join(dir, "core.wasm")
	build := exec.Command("go", "build", "-buildmode=c-shared", "-o", core, filepath.Join("testdata", "gohello", "main.go"))
	build.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	comp := filepath.Join(dir, "component.wasm")
	if out, err := exec.Command(node, cli, "new", core, "--wasi-reactor", "-o", comp).CombinedOutput(); err != nil {
		t.Fatalf("jco new: %v\n%s", err, out)
	}
	b, err := os.ReadFile(comp)
	if err != nil {
		t.Fatal(err)
	}
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
	// The adapter's imports are WASI 0.2 interfaces.
	var names []string
	for _, s := range c.Sections {
		if is, ok := s.(*ImportSection); ok {
			for _, im := range is.Imports {
				names = append(names, im.Name.Name)
			}
		}
	}
	if len(names) == 0 || !strings.HasPrefix(names[0], "wasi:") {
		t.Fatalf("imports = %v, want WASI interfaces", names)
	}
	t.Logf("%d bytes, %d sections, %d imports, decoded in %v", len(b), len(c.Sections), len(names), decoded)
}
