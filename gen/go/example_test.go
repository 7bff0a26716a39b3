package gogen

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestExampleProject runs the example project's `go generate` (which runs
// witgo bindgen through `go run`) on a copy, checks that the committed
// bindings are exactly what it generates, then runs the example's native
// tests and builds it as a wasip1 reactor.
func TestExampleProject(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go tool")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(repo, "testdata", "gogen-example")
	dst := t.TempDir()
	committed := map[string]string{}
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasPrefix(filepath.ToSlash(rel), "internal/bindings/") {
			committed[filepath.ToSlash(rel)] = string(data)
			return nil // go generate must recreate these
		}
		writeFile(t, filepath.Join(dst, rel), string(data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	goCmd := func(env []string, args ...string) {
		t.Helper()
		cmd := exec.Command(goTool, args...)
		cmd.Dir = dst
		cmd.Env = append(os.Environ(), append([]string{"GOFLAGS=", "GOPROXY=off", "GOWORK=off"}, env...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	goCmd(nil, "mod", "edit", "-replace", "github.com/witgo/witgo="+repo)
	goCmd(nil, "generate", "./...")
	generated := 0
	filepath.WalkDir(filepath.Join(dst, "internal", "bindings"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dst, p)
		rel = filepath.ToSlash(rel)
		data, _ := os.ReadFile(p)
		generated++
		if want, ok := committed[rel]; !ok {
			t.Errorf("go generate wrote %s, which is not committed", rel)
		} else if want != string(data) {
			t.Errorf("committed %s is stale: re-run go generate in testdata/gogen-example", rel)
		}
		return nil
	})
	if generated != len(committed) {
		t.Errorf("go generate wrote %d files, %d are committed", generated, len(committed))
	}
	goCmd(nil, "test", ".")
	goCmd([]string{"GOOS=wasip1", "GOARCH=wasm"}, "build", "-buildmode=c-shared", "-o", os.DevNull, ".")
}
