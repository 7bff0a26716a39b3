package compose

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/engine"
	"github.com/witgo/witgo/engine/wasi"
	"github.com/witgo/witgo/internal/testshared"
	"github.com/witgo/witgo/wit"
)

// greeterCalls are the calls made on the composed C + Go component, with
// the results expected in WAVE (witgo's engine) and in JSON (jco; none is
// null). The C socket adds "C says: " to the Go plug's greeting and passes
// on its word counts; strings cross both linear memories.
var greeterCalls = []struct {
	wave, waveResult string
	js, jsonResult   string
}{
	{`hello("Ann")`, `"C says: Hello, Ann!"`, `greeter.hello("Ann")`, `"C says: Hello, Ann!"`},
	{`hello("")`, `"C says: Hello, !"`, `greeter.hello("")`, `"C says: Hello, !"`},
	{`count("the quick brown fox")`, `4`, `greeter.count("the quick brown fox")`, `4`},
	{`longest("the quick brown fox")`, `some("quick")`, `greeter.longest("the quick brown fox")`, `"quick"`},
	{`longest("")`, `none`, `greeter.longest("")`, `null`},
	{`longest("één twee drie")`, `some("één")`, `greeter.longest("één twee drie")`, `"één"`},
}

// The stderr lines of the C socket, one per call (through the shared
// wasi:cli/stderr import).
const greeterStderr = "greeter: hello\ngreeter: hello\ngreeter: count\ngreeter: longest\ngreeter: longest\ngreeter: longest\n"

// composeGreeter composes the C socket with the Go plug.
func composeGreeter(t testing.TB) (socket, plug, composed []byte) {
	t.Helper()
	socket, plug = greeterSocket(t), wordsPlug(t)
	res, err := Compose([]Input{{Name: "greeter.wasm", Bytes: socket}, {Name: "words.wasm", Bytes: plug}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings: %q", res.Warnings)
	}
	return socket, plug, res.Component
}

// TestComposeCAndGo links a C component that imports demo:app/words with
// the Go component that exports it, checks the composed world (the WASI
// imports of both merged into one set), and runs it on witgo's engine.
func TestComposeCAndGo(t *testing.T) {
	socket, plug, composed := composeGreeter(t)
	c, err := component.Decode(composed)
	if err != nil {
		t.Fatal(err)
	}
	if err := component.Validate(c); err != nil {
		t.Fatalf("witgo's validator: %v", err)
	}
	imports, exports := worldOf(t, composed)
	if !reflect.DeepEqual(exports, map[string][]string{"test:compose/greeter@0.1.0": {"hello", "count", "longest"}}) {
		t.Errorf("exports = %v", exports)
	}
	// Every import of either component except the linked one, once, with
	// the union of the functions the two import.
	sIm, _ := worldOf(t, socket)
	pIm, _ := worldOf(t, plug)
	want := map[string][]string{}
	shared := 0
	for _, m := range []map[string][]string{sIm, pIm} {
		for name, funcs := range m {
			if _, ok := want[name]; ok {
				shared++
			}
			want[name] = append(want[name], funcs...)
		}
	}
	delete(want, "demo:app/words@0.1.0")
	for name := range want {
		slices.Sort(want[name])
		want[name] = append([]string{}, slices.Compact(want[name])...)
	}
	for name := range imports {
		slices.Sort(imports[name])
	}
	if !reflect.DeepEqual(imports, want) {
		t.Errorf("imports:\n got %v\nwant %v", imports, want)
	}
	if shared < 5 {
		t.Errorf("only %d interfaces are imported by both components; the test means to merge WASI imports", shared)
	}
	t.Logf("%d imports (%d imported by both components), %d bytes", len(imports), shared, len(composed))

	got, stderr := runOnEngine(t, composed)
	for i, call := range greeterCalls {
		if got[i] != call.waveResult {
			t.Errorf("engine: %s = %s, want %s", call.wave, got[i], call.waveResult)
		}
	}
	if stderr != greeterStderr {
		t.Errorf("engine: stderr = %q, want %q", stderr, greeterStderr)
	}
}

// runOnEngine makes greeterCalls on a fresh instance of comp on witgo's
// engine with its WASI host, and returns the results in WAVE and stderr.
func runOnEngine(t testing.TB, comp []byte) ([]string, string) {
	t.Helper()
	ctx := context.Background()
	eng, err := engine.New(ctx, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)
	compiled, err := eng.Compile(ctx, comp)
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	host, err := wasi.New(wasi.Config{Stdout: &stderr, Stderr: &stderr})
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	inst, err := eng.Instantiate(ctx, compiled, host.Imports(compiled))
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close(ctx)
	var out []string
	for _, call := range greeterCalls {
		var fn *engine.Func
		f, args, err := inst.ABI().ParseCall(call.wave, func(name string) (*wit.Function, error) {
			fn, err = inst.Func(name)
			if err != nil {
				return nil, err
			}
			return fn.Type(), nil
		})
		if err != nil {
			t.Fatalf("%s: %v", call.wave, err)
		}
		res, err := fn.Call(ctx, args...)
		if err != nil {
			t.Fatalf("%s: %v", call.wave, err)
		}
		text, err := inst.ABI().FormatWAVE(f.Result, res)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, text)
	}
	return out, stderr.String()
}

// jcoTools finds node and jco as make deps installs them in .cache/npm.
func jcoTools(t testing.TB) (node, cli, shim string) {
	t.Helper()
	node = requireTool(t, "node", "runs jco")
	root := filepath.Join("..", ".cache", "npm", "node_modules", "@bytecodealliance")
	cli = filepath.Join(root, "jco", "dist", "jco.js")
	for _, s := range []string{filepath.Join(root, "jco", "node_modules", "@bytecodealliance", "preview2-shim"), filepath.Join(root, "preview2-shim")} {
		if _, err := os.Stat(s); err == nil {
			shim = s
			break
		}
	}
	if _, err := os.Stat(cli); err != nil || shim == "" {
		msg := "jco and its preview2-shim not found under .cache/npm: run make deps"
		if testshared.Required() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	for _, p := range []*string{&cli, &shim} {
		abs, err := filepath.Abs(*p)
		if err != nil {
			t.Fatal(err)
		}
		*p = abs
	}
	return node, cli, shim
}

// jco runs the jco CLI in dir and returns its stdout.
func jco(t testing.TB, dir string, args ...string) string {
	t.Helper()
	node, cli, _ := jcoTools(t)
	cmd := exec.Command(node, append([]string{cli}, args...)...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("jco %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// TestComposeCAndGoUnderJco checks the composed component with jco, an
// independent implementation: it prints the same world as witgo, and
// transpiled to JavaScript it gives the results witgo's engine gives.
func TestComposeCAndGoUnderJco(t *testing.T) {
	if testing.Short() {
		t.Skip("runs node")
	}
	node, _, shim := jcoTools(t)
	_, _, composed := composeGreeter(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "composed.wasm"), composed, 0o644); err != nil {
		t.Fatal(err)
	}
	// jco wit and witgo's ComponentWorld print the same world.
	c, err := component.Decode(composed)
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := component.ComponentWorld(c)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := r.PrintPackage(r.Worlds[w].Package)
	if err != nil {
		t.Fatal(err)
	}
	theirs := jco(t, dir, "wit", "composed.wasm")
	if first := strings.SplitAfter(theirs, "}\n")[0]; !strings.HasPrefix(ours, first) {
		t.Errorf("jco wit's world:\n%s\nwitgo's:\n%s", first, ours)
	}
	if printed := jco(t, dir, "print", "composed.wasm"); !strings.Contains(printed, "(component") {
		t.Errorf("jco print: %.200s", printed)
	}

	jco(t, dir, "transpile", "composed.wasm", "-o", "out", "--name", "composed")
	var script strings.Builder
	script.WriteString("import { greeter } from './out/composed.js';\nconst results = [];\n")
	for _, call := range greeterCalls {
		script.WriteString("results.push(JSON.stringify(" + call.js + " ?? null));\n")
	}
	script.WriteString("console.log(results.join('\\n'));\n")
	if err := os.WriteFile(filepath.Join(dir, "run.mjs"), []byte(script.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	modules := filepath.Join(dir, "node_modules", "@bytecodealliance")
	if err := os.MkdirAll(modules, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(shim, filepath.Join(modules, "preview2-shim")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "run.mjs")
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != len(greeterCalls) {
		t.Fatalf("node printed %q", stdout.String())
	}
	for i, call := range greeterCalls {
		if lines[i] != call.jsonResult {
			t.Errorf("jco: %s = %s, want %s", call.js, lines[i], call.jsonResult)
		}
	}
	if stderr.String() != greeterStderr {
		t.Errorf("jco: stderr = %q, want %q", stderr.String(), greeterStderr)
	}
}
