package component

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/witgo/witgo/internal/jcotool"
)

// jcoCLI finds node and jco's command-line entry point.
func jcoCLI(t *testing.T) (node, cli string) {
	t.Helper()
	jco := jcotool.Require(t)
	return jco.Node, jco.CLI
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// coreBuilders build a small wasip1 reactor with each toolchain.
var coreBuilders = []struct {
	name string
	tool string // must be on PATH (or an absolute path)
	args func(out string) []string
	env  []string
}{
	{"go", "go", func(out string) []string {
		return []string{"build", "-buildmode=c-shared", "-o", out, filepath.Join("testdata", "gohello", "main.go")}
	}, []string{"GOOS=wasip1", "GOARCH=wasm"}},
	{"c", "clang", func(out string) []string {
		return []string{"--target=wasm32-wasi", "-O2", "-mexec-model=reactor", "-o", out, filepath.Join("testdata", "chello", "hello.c")}
	}, nil},
	// Debian's rustc has the wasm32-wasi target (see ARCHITECTURE.md).
	{"rust", "/usr/bin/rustc", func(out string) []string {
		return []string{"--target", "wasm32-wasi", "--crate-type", "cdylib", "-O",
			"-C", "link-arg=/usr/lib/rustlib/wasm32-wasi/lib/self-contained/crt1-reactor.o",
			"-C", "link-arg=--export=_initialize", "-o", out, filepath.Join("testdata", "rusthello", "lib.rs")}
	}, nil},
}

// Reactors built by Go, clang and rustc, made into components by jco
// (wasm-tools' component new with the preview1 adapter), decode,
// validate and re-encode to the same bytes.
func TestToolchainComponents(t *testing.T) {
	node, cli := jcoCLI(t)
	for _, tc := range coreBuilders {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := exec.LookPath(tc.tool); err != nil {
				if os.Getenv("WITGO_REQUIRE_TOOLS") == "1" {
					t.Fatalf("%s not found", tc.tool)
				}
				t.Skipf("%s not found", tc.tool)
			}
			dir := t.TempDir()
			core := filepath.Join(dir, "core.wasm")
			build := exec.Command(tc.tool, tc.args(core)...)
			build.Env = append(os.Environ(), tc.env...)
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", tc.tool, err, out)
			}
			comp := filepath.Join(dir, "component.wasm")
			if out, err := exec.Command(node, cli, "new", core, "--wasi-reactor", "-o", comp).CombinedOutput(); err != nil {
				t.Fatalf("jco new: %v\n%s", err, out)
			}
			checkToolComponent(t, comp)
		})
	}
}

func checkToolComponent(t *testing.T, path string) {
	b, err := os.ReadFile(path)
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
