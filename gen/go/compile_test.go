package gogen

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/witgo/witgo/internal/testworlds"
)

// sharedDir finds ../shared (the reference WIT and conformance corpus) by
// walking up from the package directory.
func sharedDir(t testing.TB) string {
	dir, _ := os.Getwd()
	for {
		if st, err := os.Stat(filepath.Join(dir, "shared")); err == nil && st.IsDir() {
			return filepath.Join(dir, "shared")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if os.Getenv("WITGO_REQUIRE_TOOLS") == "1" {
		t.Fatal("the shared directory (reference WIT, conformance corpus) is missing")
	}
	t.Skip("the shared directory (reference WIT, conformance corpus) is missing")
	return ""
}

// worldCase is one world to generate bindings for.
type worldCase = testworlds.Case

// allCases are the worlds of this package's testdata, of WASI 0.2.0,
// 0.2.12 and 0.3.0, and of the wit-parser conformance cases.
func allCases(t *testing.T) []worldCase {
	return testworlds.ForGenerators(t, []string{"0.2.0", "0.2.12", "0.3.0"}, filepath.Join("testdata", "*.wit"))
}

// TestGeneratedCodeBuilds generates bindings (with stubs) for every world
// of the testdata WIT, the WASI reference WIT and the wit-parser
// conformance cases, checks that every file is gofmt-clean and carries the
// header, then runs go vet (native and wasip1) and a wasip1 build over one
// module that holds them all, and links every world, with its stubs, as a
// reactor with -buildmode=c-shared.
func TestGeneratedCodeBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds many packages")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	cases := allCases(t)
	// A fixed directory, rewritten only where the output changed, lets the
	// go build cache (keyed partly by source paths) serve repeated runs.
	mod := filepath.Join(os.TempDir(), "witgo-gogen-compile-test")
	if err := os.MkdirAll(mod, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(mod, "go.mod"), "module example.com/ct\n\ngo 1.24\n")
	removeStaleWorlds(t, mod, len(cases))
	var apps []string
	generated, wasi3 := 0, 0
	start := time.Now()
	for i, c := range cases {
		dir := fmt.Sprintf("w%d", i)
		files, err := Generate(c.R, c.World, Options{PackageRoot: "example.com/ct/" + dir, Stubs: true})
		if err != nil {
			t.Errorf("%s: %v", c.Label, err)
			continue
		}
		generated++
		if strings.HasPrefix(c.Label, "wasi 0.3.0") {
			wasi3++
		}
		for _, f := range files {
			checkFormatted(t, c.Label, f)
		}
		if err := WriteFiles(filepath.Join(mod, dir), files); err != nil {
			t.Fatal(err)
		}
		app := filepath.Join(dir, "app")
		stub := "example.com/ct/" + dir + "/" + stubPackage(files)
		writeFile(t, filepath.Join(mod, app, "main.go"),
			fmt.Sprintf("// %s\npackage main\n\nimport _ %q\n\nfunc main() {}\n", c.Label, stub))
		apps = append(apps, "./"+app)
	}
	t.Logf("generated %d worlds in %v", generated, time.Since(start))
	// WASI 0.3.0 (async functions, streams, futures) has 8 worlds.
	if wasi3 != 8 {
		t.Errorf("generated %d WASI 0.3.0 worlds, want 8", wasi3)
	}
	if t.Failed() {
		return
	}
	goCmd := func(env []string, args ...string) error {
		cmd := exec.Command(goTool, args...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), append([]string{"GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off"}, env...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%v go %s: %v\n%s", env, strings.Join(args, " "), err, firstLines(string(out), 60))
		}
		return nil
	}
	run := func(env []string, args ...string) {
		t.Helper()
		start := time.Now()
		if err := goCmd(env, args...); err != nil {
			t.Fatal(err)
		}
		t.Logf("%v go %s: %v", env, args[0], time.Since(start))
	}
	wasip1 := []string{"GOOS=wasip1", "GOARCH=wasm"}
	run(nil, "vet", "./...")
	run(wasip1, "vet", "./...")
	// Compile every package (linking is the c-shared step below).
	list := exec.Command(goTool, "list", "-f", "{{if ne .Name \"main\"}}{{.ImportPath}}{{end}}", "./...")
	list.Dir = mod
	list.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off", "GOOS=wasip1", "GOARCH=wasm")
	pkgs, err := list.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	run(wasip1, append([]string{"build"}, strings.Fields(string(pkgs))...)...)
	// c-shared needs one main package per build; two at a time use both cores.
	start = time.Now()
	next := make(chan string)
	errs := make(chan error, len(apps))
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for app := range next {
				errs <- goCmd(wasip1, "build", "-buildmode=c-shared", "-o", os.DevNull, app)
			}
		}()
	}
	for _, app := range apps {
		next <- app
	}
	close(next)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	t.Logf("%d worlds vetted, built for wasip1 and linked as c-shared reactors (links: %v)", len(apps), time.Since(start))
}

// stubPackage is the directory of the generated stub package.
func stubPackage(files []File) string {
	for _, f := range files {
		if strings.HasSuffix(f.Path, "/stub/stub.go") {
			return strings.TrimSuffix(f.Path, "/stub.go")
		}
	}
	return ""
}

func checkFormatted(t *testing.T, label string, f File) {
	t.Helper()
	if !bytes.HasPrefix(f.Content, []byte(Header+"\n")) {
		t.Errorf("%s: %s does not start with the header", label, f.Path)
	}
	formatted, err := format.Source(f.Content)
	if err != nil {
		t.Errorf("%s: %s does not parse: %v", label, f.Path, err)
		return
	}
	if !bytes.Equal(formatted, f.Content) {
		t.Errorf("%s: %s is not gofmt-clean", label, f.Path)
	}
}

// removeStaleWorlds deletes the w<N> directories of an earlier run that
// had more worlds.
func removeStaleWorlds(t *testing.T, mod string, n int) {
	entries, _ := os.ReadDir(mod)
	for _, e := range entries {
		var i int
		if _, err := fmt.Sscanf(e.Name(), "w%d", &i); err == nil && e.IsDir() && i >= n {
			if err := os.RemoveAll(filepath.Join(mod, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if old, err := os.ReadFile(path); err == nil && string(old) == content {
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func firstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = append(lines[:n], fmt.Sprintf("... (%d more lines)", len(lines)-n))
	}
	return strings.Join(lines, "\n")
}
