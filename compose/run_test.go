package compose

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/engine"
	"github.com/witgo/witgo/engine/wasi"
	"github.com/witgo/witgo/internal/jcotool"
	"github.com/witgo/witgo/wit"
)

// Running composed components: on witgo's engine, and under jco (node).

// call is a call of an export, in WAVE for witgo's engine and in
// JavaScript for jco, with the result expected in WAVE and in JSON.
type call struct {
	wave, waveResult string
	js, jsonResult   string
}

// runOnEngine makes calls on a fresh instance of comp on witgo's engine
// with its WASI host, and returns the results in WAVE and stderr.
func runOnEngine(t testing.TB, comp []byte, calls []call) ([]string, string) {
	t.Helper()
	ctx := context.Background()
	var stderr bytes.Buffer
	inst := engineInstance(t, comp, &stderr)
	var out []string
	for _, call := range calls {
		var fn *engine.Func
		f, args, err := inst.ABI().ParseCall(call.wave, func(name string) (*wit.Function, error) {
			var ferr error
			if fn, ferr = inst.Func(name); ferr != nil {
				return nil, ferr
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

// engineInstance instantiates comp on a new engine with a WASI host
// whose stdout and stderr go to output; the test's cleanup closes them.
func engineInstance(t testing.TB, comp []byte, output io.Writer) *engine.Instance {
	t.Helper()
	ctx := context.Background()
	eng, err := engine.New(ctx, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close(ctx) })
	compiled, err := eng.Compile(ctx, comp)
	if err != nil {
		t.Fatal(err)
	}
	host, err := wasi.New(wasi.Config{Stdout: output, Stderr: output})
	if err != nil {
		t.Fatal(err)
	}
	inst, err := eng.Instantiate(ctx, compiled, host.Imports(compiled))
	if err != nil {
		host.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		inst.Close(ctx)
		host.Close()
	})
	return inst
}

// jcoTools finds node, jco's entry point and its preview2-shim.
func jcoTools(t testing.TB) (node, cli, shim string) {
	t.Helper()
	jco := jcotool.Require(t, "preview2-shim")
	return jco.Node, jco.CLI, jco.Preview2Shim
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

// runUnderJco transpiles comp with jco and makes calls on it in node,
// with the exported interface imported as iface; it returns each call's
// result as JSON (none as null) and what the component wrote to stderr.
func runUnderJco(t testing.TB, comp []byte, iface string, calls []call) ([]string, string) {
	t.Helper()
	node, _, shim := jcoTools(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "composed.wasm"), comp, 0o644); err != nil {
		t.Fatal(err)
	}
	jco(t, dir, "transpile", "composed.wasm", "-o", "out", "--name", "composed")
	var script strings.Builder
	script.WriteString("import { " + iface + " } from './out/composed.js';\nconst results = [];\n")
	for _, call := range calls {
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
	if len(lines) != len(calls) {
		t.Fatalf("node printed %q", stdout.String())
	}
	return lines, stderr.String()
}
