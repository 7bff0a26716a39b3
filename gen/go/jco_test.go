package gogen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/component/adapter"
	"github.com/witgo/witgo/internal/jcotool"
	"github.com/witgo/witgo/wit"
)

// TestJcoRuntime runs the Go guest of testdata/runtime (bindings generated
// by this package, built for wasip1 c-shared, made a component by
// component.New with witgo's preview1 adapter) under jco, an independent
// implementation of the component model in JavaScript. The node script in
// testdata/jco implements the imports (recording what the guest passed
// them) and calls every export with chosen values, checking both the
// results and what reached the imports.
func TestJcoRuntime(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a wasm component and runs node")
	}
	tools := findJco(t)
	start := time.Now()
	r, w := loadRuntimeWorld(t)
	core := buildRuntimeGuest(t, r, w)
	built := time.Since(start)
	comp := jcoComponent(t, r, w, core)
	transpiled := jcoTranspile(t, tools, comp)
	ready := time.Since(start)
	out := runJcoScript(t, tools, transpiled)
	t.Logf("guest build %v, component+transpile %v, node %v", built.Round(time.Millisecond),
		(ready - built).Round(time.Millisecond), (time.Since(start) - ready).Round(time.Millisecond))
	passed := checkJcoOutput(t, out)
	if !strings.Contains(out, "\nguest says: héllo wörld 😀\n") {
		t.Error("the guest's stdout line (things.say) is missing from node's output")
	}
	t.Logf("%d checks passed under jco", passed)
}

// jcoTools are the outside programs the test runs.
type jcoTools struct {
	node, cli, shim string
}

// findJco finds node, jco and its preview2-shim; it skips (or fails under
// WITGO_REQUIRE_TOOLS=1) without them.
func findJco(t *testing.T) jcoTools {
	t.Helper()
	jco := jcotool.Require(t, "preview2-shim")
	return jcoTools{node: jco.Node, cli: jco.CLI, shim: jco.Preview2Shim}
}

// jcoComponent makes the guest a component with witgo's adapter.
func jcoComponent(t *testing.T, r *wit.Resolve, w wit.WorldID, core []byte) []byte {
	t.Helper()
	comp, err := newComponent(t, r, w, core)
	if err != nil {
		t.Fatalf("component new: %v", err)
	}
	return comp
}

// newComponent runs component new on core with witgo's preview1 adapter.
func newComponent(t *testing.T, r *wit.Resolve, w wit.WorldID, core []byte) ([]byte, error) {
	t.Helper()
	mod, err := adapter.Module()
	if err != nil {
		t.Fatal(err)
	}
	ar, aw, err := adapter.World()
	if err != nil {
		t.Fatal(err)
	}
	return component.New(core, component.NewOptions{Resolve: r, World: w, Adapter: mod, AdapterResolve: ar, AdapterWorld: aw})
}

// jcoTranspile runs `jco transpile` on the component, whose imports
// (test:rt/* and the world's log) resolve to testdata/jco's files, and returns the folder of its output,
// cached by the component's bytes, jco's version and the arguments.
func jcoTranspile(t *testing.T, tools jcoTools, comp []byte) string {
	t.Helper()
	args := []string{tools.cli, "transpile", "rt.wasm", "-o", "out", "--name", "rt",
		"--map", "test:rt/types=../host.mjs", "--map", "test:rt/res=../host.mjs", "--map", "log=../log.mjs"}
	version, err := os.ReadFile(filepath.Join(filepath.Dir(filepath.Dir(tools.cli)), "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	cache := jcoCacheDir(t)
	dir := filepath.Join(cache, "transpiled-"+contentKey(comp, version, []byte(strings.Join(args[1:], "\x00"))))
	if cacheHit(dir) && fileExistsAt(filepath.Join(dir, "rt.js")) {
		return dir
	}
	work := t.TempDir()
	if err := os.WriteFile(filepath.Join(work, "rt.wasm"), comp, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tools.node, args...)
	cmd.Dir = work
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("jco transpile: %v\n%s", err, msg)
	}
	pruneCache(cache, "transpiled-")
	storeCached(t, dir, func(tmp string) error { return copyDir(filepath.Join(work, "out"), tmp) })
	return dir
}

// runJcoScript runs the harness with node in a fresh folder holding a copy
// of the transpiled component, the preview2 shim and testdata/jco's files,
// and returns its output.
func runJcoScript(t *testing.T, tools jcoTools, transpiled string) string {
	t.Helper()
	dir := t.TempDir()
	if err := copyDir(transpiled, filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"host.mjs", "log.mjs", "run.mjs"} {
		b, err := os.ReadFile(filepath.Join("testdata", "jco", name))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, name), string(b))
	}
	shim := filepath.Join(dir, "node_modules", "@bytecodealliance")
	if err := os.MkdirAll(shim, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(tools.shim, filepath.Join(shim, "preview2-shim")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tools.node, "run.mjs")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node run.mjs: %v\n%s", err, out)
	}
	return string(out)
}

// checkJcoOutput reports every FAIL line of the script and returns the
// number of checks that passed; the script ends with "done N". Lines
// "note ..." are logged.
func checkJcoOutput(t *testing.T, out string) int {
	t.Helper()
	passed, done := 0, false
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "ok "):
			passed++
		case strings.HasPrefix(line, "FAIL "):
			t.Error(strings.TrimPrefix(line, "FAIL "))
		case strings.HasPrefix(line, "note "):
			t.Log(strings.TrimPrefix(line, "note "))
		case strings.HasPrefix(line, "done "):
			done = true
		}
	}
	if !done {
		t.Errorf("the script did not finish:\n%s", out)
	}
	if passed == 0 {
		t.Errorf("no check passed:\n%s", out)
	}
	return passed
}

// copyDir copies the files of from (not its subfolders: jco writes only
// TypeScript declarations there) into a new folder to.
func copyDir(from, to string) error {
	entries, err := os.ReadDir(from)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
