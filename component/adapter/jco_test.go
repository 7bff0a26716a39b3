package adapter

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/internal/jcotool"
	"github.com/witgo/witgo/wit"
)

// TestBigGoComponentUnderJco is issue 5's big-Go test end to end: the
// program built as a wasip1 reactor, made into a component by
// component.New with this adapter, run by jco (node) with a preopened
// directory: it prints, reads its arguments and environment, allocates
// 64 MiB, sleeps, reads the clock and uses files.
func TestBigGoComponentUnderJco(t *testing.T) {
	jco := jcotool.Require(t, "preview2-shim")
	node, cli := jco.Node, jco.CLI
	shim := filepath.Join(jco.Preview2Shim, "dist", "nodejs", "filesystem.js")

	dir := t.TempDir()
	core := filepath.Join(dir, "bigo.wasm")
	build := exec.Command("go", "build", "-buildmode=c-shared", "-o", core, "./testdata/bigo")
	build.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	module, err := os.ReadFile(core)
	if err != nil {
		t.Fatal(err)
	}
	res := wit.NewResolve()
	pkg, err := res.LoadPath(filepath.Join("testdata", "bigo", "world.wit"))
	if err != nil {
		t.Fatal(err)
	}
	world, err := res.SelectWorld(pkg, "bigo")
	if err != nil {
		t.Fatal(err)
	}
	ad, err := Module()
	if err != nil {
		t.Fatal(err)
	}
	adRes, adWorld, err := World()
	if err != nil {
		t.Fatal(err)
	}
	comp, err := component.New(module, component.NewOptions{Resolve: res, World: world,
		Adapter: ad, AdapterResolve: adRes, AdapterWorld: adWorld})
	if err != nil {
		t.Fatal(err)
	}
	compPath := filepath.Join(dir, "bigo.component.wasm")
	if err := os.WriteFile(compPath, comp, 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "hello.txt"), []byte("hello from the host\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	preload, err := filepath.Abs(filepath.Join("testdata", "preopen.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	run := exec.Command(node, cli, "run", compPath, "first", "second arg", "")
	run.Env = append(os.Environ(), "GREETING=hello", "NODE_OPTIONS=--import "+preload,
		"WITGO_SHIM="+shim, "WITGO_PREOPEN_DATA="+data)
	var stdout, stderr bytes.Buffer
	run.Stdout, run.Stderr = &stdout, &stderr
	if err := run.Run(); err != nil {
		t.Fatalf("jco run: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	var lines []string
	for _, l := range strings.SplitAfter(stdout.String(), "\n") {
		switch {
		case strings.HasPrefix(l, "env: "):
			// jco passes node's whole environment: check ours is in it.
			if !strings.Contains("|"+l[5:]+"|", "|GREETING=hello|") {
				t.Errorf("environment lacks GREETING=hello: %s", l)
			}
		case strings.HasPrefix(l, "stat: 20 "):
			lines = append(lines, "stat: 20 (mtime) false\n") // the host file's real mtime
		default:
			lines = append(lines, l)
		}
	}
	want := bigGoOutput("stat: 20 (mtime) false")
	if got := strings.Join(lines, ""); got != want {
		t.Errorf("stdout:\n%s\nwant:\n%s\nstderr:\n%s", got, want, stderr.String())
	}
	if stderr.String() != "done\n" {
		t.Errorf("stderr %q", stderr.String())
	}
	if fi, err := os.Stat(filepath.Join(data, "sub")); err != nil || !fi.IsDir() {
		t.Errorf("mkdir did not reach the host: %v", err)
	}
}
