package component

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// commandDir holds the Go, C and Rust preview1 commands.
var commandDir = filepath.Join("testdata", "commands")

// commandBuilds compile each command with its toolchain's defaults for
// wasm32 WASI (a command, exporting _start).
var commandBuilds = []struct {
	name, tool, src string
	env             []string
	args            func(src, out string) []string
}{
	{"go", "go", "main.go", []string{"GOOS=wasip1", "GOARCH=wasm"}, func(src, out string) []string {
		return []string{"build", "-trimpath", "-o", out, src}
	}},
	{"c", "clang", "main.c", nil, func(src, out string) []string {
		return []string{"--target=wasm32-wasi", "-O2", "-o", out, src}
	}},
	{"rust", "/usr/bin/rustc", "main.rs", nil, func(src, out string) []string {
		return []string{"--target", "wasm32-wasi", "-O", "-o", out, src}
	}},
}

// buildCommand builds command i (cached under .cache/component-new).
func buildCommand(t testing.TB, i int) []byte {
	g := commandBuilds[i]
	return buildWithTool(t, "command-"+g.name, g.tool, filepath.Join(commandDir, g.src), g.env, g.args)
}

// buildWithTool compiles src with tool (args gives its arguments for an
// output path) and returns the output, cached under .cache/component-new
// by name, source, environment and arguments.
func buildWithTool(t testing.TB, name, tool, src string, env []string, args func(src, out string) []string) []byte {
	path := requireTool(t, tool, "builds "+name+"; make deps installs it")
	out := cachedBuild(t, name, []string{src}, append(env, args(src, "OUT")...), func(out string) error {
		cmd := exec.Command(path, args(src, out)...)
		cmd.Env = append(os.Environ(), env...)
		cmd.Stderr = os.Stderr
		return cmd.Run()
	})
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jcoRun runs `jco run comp args...` with GREETING set and returns stdout,
// stderr and the exit status.
func jcoRun(t *testing.T, comp []byte, args ...string) (string, string, int) {
	t.Helper()
	node, cli, _ := jcoTool(t)
	p := filepath.Join(t.TempDir(), "cmd.wasm")
	if err := os.WriteFile(p, comp, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, append([]string{cli, "run", p}, args...)...)
	cmd.Env = append(os.Environ(), "GREETING=hi there")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return stdout.String(), stderr.String(), 0
	case errors.As(err, &exit):
		return stdout.String(), stderr.String(), exit.ExitCode()
	}
	t.Fatalf("jco run: %v", err)
	return "", "", 0
}

// TestNewCommandsUnderJco: Go, C and Rust preview1 commands, made into
// components as `witgo component new cmd.wasm` does (no world, witgo's
// adapter), validate, export wasi:cli/run@0.2.0, and run under `jco run`
// with their arguments, environment, output and exit status. WASI 0.2.0's
// exit takes a result, so exit(3) is status 1.
func TestNewCommandsUnderJco(t *testing.T) {
	adapter, ar, aw := realAdapter(t)
	cases := []struct {
		build  int
		args   []string
		stdout string
		stderr string
		status int
	}{
		{0, []string{"a", "b c"}, "hello from a go command\nargs: [\"a\" \"b c\"]\nGREETING=\"hi there\"\ndone\n", "", 0},
		{0, []string{"exit3"}, "hello from a go command\nargs: [\"exit3\"]\nGREETING=\"hi there\"\n", "exiting with 3\n", 1},
		{1, []string{"a", "b c"}, "hello from a c command\nargs: [a] [b c]\nGREETING=hi there\ndone\n", "", 0},
		{1, []string{"exit3"}, "hello from a c command\nargs: [exit3]\nGREETING=hi there\n", "exiting with 3\n", 1},
		{1, []string{"return3"}, "hello from a c command\nargs: [return3]\nGREETING=hi there\n", "", 1},
		{2, []string{"a", "b c"}, "hello from a rust command\nargs: [\"a\", \"b c\"]\nGREETING=\"hi there\"\ndone\n", "", 0},
		{2, []string{"exit3"}, "hello from a rust command\nargs: [\"exit3\"]\nGREETING=\"hi there\"\n", "exiting with 3\n", 1},
	}
	comps := map[int][]byte{}
	for _, tc := range cases {
		name := commandBuilds[tc.build].name + "/" + strings.Join(tc.args, ",")
		t.Run(name, func(t *testing.T) {
			comp, ok := comps[tc.build]
			if !ok {
				core := buildCommand(t, tc.build)
				comp = mustNew(t, core, NewOptions{Adapter: adapter, AdapterResolve: ar, AdapterWorld: aw})
				checkRunExport(t, comp)
				comps[tc.build] = comp
			}
			stdout, stderr, status := jcoRun(t, comp, tc.args...)
			if stdout != tc.stdout || stderr != tc.stderr || status != tc.status {
				t.Errorf("jco run %q: status %d, stdout:\n%s\nstderr:\n%s\nwant status %d, stdout:\n%s\nstderr:\n%s",
					tc.args, status, stdout, stderr, tc.status, tc.stdout, tc.stderr)
			}
		})
	}
}

// checkRunExport checks that a command's component exports exactly
// wasi:cli/run@0.2.0 and imports only WASI 0.2.0 interfaces.
func checkRunExport(t *testing.T, comp []byte) {
	t.Helper()
	imports, exports := componentWorldNames(t, comp)
	if strings.Join(exports, " ") != "wasi:cli/run@0.2.0" {
		t.Errorf("exports %q, want wasi:cli/run@0.2.0 only", exports)
	}
	for _, name := range imports {
		if !strings.HasPrefix(name, "wasi:") || !strings.HasSuffix(name, "@0.2.0") {
			t.Errorf("import %q is not a WASI 0.2.0 interface", name)
		}
	}
}

// BenchmarkNewGoCommand: `component new` of the Go command (about 2.5 MB)
// with no world and witgo's adapter, as `witgo component new` runs it.
func BenchmarkNewGoCommand(b *testing.B) {
	core := buildCommand(b, 0)
	adapter, ar, aw, err := AdapterForTests()
	if err != nil {
		b.Fatal(err)
	}
	opts := NewOptions{Adapter: adapter, AdapterResolve: ar, AdapterWorld: aw}
	b.SetBytes(int64(len(core)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := New(core, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// TestNewCommandExportsAsWasmTools: wasm-tools (as `jco new
// --wasi-command`, with the wasmtime adapter) makes the C command a
// component that exports wasi:cli/run; witgo's exports the same
// interface (at 0.2.0, where wasm-tools takes its adapter's version).
func TestNewCommandExportsAsWasmTools(t *testing.T) {
	adapter, ar, aw := realAdapter(t)
	core := buildCommand(t, 1)
	node, cli, _ := jcoTool(t)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "c.wasm"), filepath.Join(dir, "c.component.wasm")
	if err := os.WriteFile(in, core, 0o644); err != nil {
		t.Fatal(err)
	}
	runCmd(t, "", nil, node, cli, "new", in, "--wasi-command", "-o", out)
	theirs, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	ours := mustNew(t, core, NewOptions{Adapter: adapter, AdapterResolve: ar, AdapterWorld: aw})
	exportLines := func(comp []byte) []string {
		var lines []string
		for _, l := range strings.Split(jcoWit(t, comp), "\n") {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, "export ") {
				lines = append(lines, l[:strings.LastIndexByte(l, '@')+1])
			}
		}
		return lines
	}
	got, want := exportLines(ours), exportLines(theirs)
	if strings.Join(got, "\n") != strings.Join(want, "\n") || len(want) != 1 {
		t.Errorf("exports (versions cut):\n witgo %q\n  jco  %q", got, want)
	}
}
