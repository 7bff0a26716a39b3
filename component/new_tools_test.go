package component

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/internal/jcotool"
	"github.com/witgo/witgo/wit"
)

// Helpers for the tests of New and Embed that need outside tools.

// requireTool skips (or fails under WITGO_REQUIRE_TOOLS=1) when tool is
// not installed, and returns its path.
func requireTool(t testing.TB, tool, why string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err == nil {
		return p
	}
	msg := tool + " not found (" + why + ")"
	if os.Getenv("WITGO_REQUIRE_TOOLS") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// repoRoot is the directory holding go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// cachedBuild returns the path of a build output cached under
// .cache/component-new, keyed by the build's inputs; build writes it
// when missing.
func cachedBuild(t testing.TB, name string, inputs []string, args []string, build func(out string) error) string {
	t.Helper()
	h := sha256.New()
	for _, in := range inputs {
		b, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		h.Write(b)
	}
	h.Write([]byte(strings.Join(args, "\x00")))
	dir := filepath.Join(repoRoot(t), ".cache", "component-new")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, name+"-"+hex.EncodeToString(h.Sum(nil))[:16]+".wasm")
	if _, err := os.Stat(out); err == nil {
		return out
	}
	tmp := out + ".tmp"
	if err := build(tmp); err != nil {
		t.Fatalf("building %s: %v", name, err)
	}
	if err := os.Rename(tmp, out); err != nil {
		t.Fatal(err)
	}
	return out
}

// runCmd runs a command and returns its stdout, failing with stderr.
func runCmd(t testing.TB, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}

// jcoTool finds node, jco's entry point and the node_modules folder it
// runs from.
func jcoTool(t *testing.T) (node, cli, nodeModules string) {
	t.Helper()
	jco := jcotool.Require(t)
	return jco.Node, jco.CLI, jco.NodeModules
}

// jcoPreview2Shim is the preview2-shim package jco's transpiled code imports.
func jcoPreview2Shim(t *testing.T, _ string) string {
	t.Helper()
	return jcotool.Require(t, "preview2-shim").Preview2Shim
}

// runUnderJco transpiles a component with jco into a temporary folder
// (maps: `import=./file.mjs` module maps) and runs script there with node,
// returning its stdout. files are written beside the script first.
func runUnderJco(t *testing.T, comp []byte, maps []string, files map[string]string, script string) string {
	t.Helper()
	node, cli, nodeModules := jcoTool(t)
	dir := t.TempDir()
	shim := filepath.Join(dir, "node_modules", "@bytecodealliance")
	if err := os.MkdirAll(shim, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(jcoPreview2Shim(t, nodeModules), filepath.Join(shim, "preview2-shim")); err != nil {
		t.Fatal(err)
	}
	files["run.mjs"] = script
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "c.wasm"), comp, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{cli, "transpile", "c.wasm", "-o", "out", "--name", "c"}
	for _, m := range maps {
		args = append(args, "--map", m)
	}
	runCmd(t, dir, nil, node, args...)
	return runCmd(t, dir, nil, node, "run.mjs")
}

// jcoWit is `jco wit` of a component.
func jcoWit(t *testing.T, comp []byte) string {
	t.Helper()
	node, cli, _ := jcoTool(t)
	p := filepath.Join(t.TempDir(), "c.wasm")
	if err := os.WriteFile(p, comp, 0o644); err != nil {
		t.Fatal(err)
	}
	return runCmd(t, "", nil, node, cli, "wit", p)
}

// AdapterForTests supplies the WASI adapter (package component/adapter)
// to this package's tests. It is set by adapter_hook_test.go, an external
// test file, because the adapter package may import this one.
var AdapterForTests func() ([]byte, *wit.Resolve, wit.WorldID, error)

func realAdapter(t *testing.T) ([]byte, *wit.Resolve, wit.WorldID) {
	t.Helper()
	if AdapterForTests == nil {
		t.Fatal("the WASI adapter hook is not set")
	}
	b, r, w, err := AdapterForTests()
	if err != nil {
		t.Fatalf("the WASI adapter: %v", err)
	}
	return b, r, w
}
