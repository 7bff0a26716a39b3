package rustgen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/internal/jcotool"
)

// TestJcoRuntime runs the Rust runtime guest under jco, an independent
// implementation of the component model in JavaScript: the component
// component.New made is transpiled, testdata/jco/host.mjs implements the
// imports, and run.mjs calls the exports and checks the values.
func TestJcoRuntime(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a wasm component and runs node")
	}
	node, cli := findJco(t)
	comp := buildRuntimeGuest(t)
	dir := t.TempDir()
	if keep := os.Getenv("WITGO_KEEP_JCO"); keep != "" {
		dir = keep
	}
	if err := os.WriteFile(filepath.Join(dir, "rrt.wasm"), comp, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"host.mjs", "run.mjs"} {
		b, err := os.ReadFile(filepath.Join("testdata", "jco", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	transpile := exec.Command(node, cli, "transpile", "rrt.wasm", "-o", "out", "--name", "rrt",
		"--map", "test:rrt/host=../host.mjs", "--map", "log=../host.mjs#log")
	transpile.Dir = dir
	if out, err := transpile.CombinedOutput(); err != nil {
		t.Fatalf("jco transpile: %v\n%s", err, out)
	}
	cmd := exec.Command(node, "run.mjs")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node run.mjs: %v\n%s", err, out)
	}
	passed, done := 0, false
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case strings.HasPrefix(line, "ok "):
			passed++
		case strings.HasPrefix(line, "FAIL "):
			t.Error(strings.TrimPrefix(line, "FAIL "))
		case strings.HasPrefix(line, "done "):
			done = true
		}
	}
	if !done || passed < 45 {
		t.Errorf("%d checks passed, finished %v:\n%s", passed, done, out)
	}
	t.Logf("%d checks passed under jco", passed)
}

// findJco finds node and jco's entry point.
func findJco(t *testing.T) (node, cli string) {
	t.Helper()
	jco := jcotool.Require(t)
	return jco.Node, jco.CLI
}
