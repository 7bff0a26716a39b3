package gogen

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestAsyncRuntimeUnit runs the unit tests of the generated async runtime
// (testdata/asyncrt: a fake host behind the runtime's intrinsic
// variables) natively, inside the support package generated for
// testdata/async.wit: the driver's callback codes, parking and event
// delivery, waiting without a driver, and the stream and future types.
func TestAsyncRuntimeUnit(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	r, w := loadWorld(t, filepath.Join("testdata", "async.wit"), "async-all")
	files, err := Generate(r, w, Options{PackageRoot: "example.com/au"})
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	if err := WriteFiles(mod, files); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(mod, "go.mod"), "module example.com/au\n\ngo 1.24\n")
	tests, _ := filepath.Glob(filepath.Join("testdata", "asyncrt", "*_test.go"))
	if len(tests) == 0 {
		t.Fatal("no tests in testdata/asyncrt")
	}
	for _, f := range tests {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(mod, supportPackageName, filepath.Base(f)), string(b))
	}
	cmd := exec.Command(goTool, "test", "-count=1", "-v", "-bench=.", "-benchtime=2000x", "./"+supportPackageName)
	cmd.Dir = mod
	// One P, as on wasm, where a yield runs every other goroutine.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off", "GOMAXPROCS=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test of the generated runtime: %v\n%s", err, out)
	}
	passed := len(regexp.MustCompile(`(?m)^--- PASS`).FindAll(out, -1))
	if want := strings.Count(string(readAll(t, tests)), "\nfunc Test"); passed != want {
		t.Fatalf("%d runtime tests passed, want %d\n%s", passed, want, out)
	}
	t.Logf("%d tests of the generated async runtime passed", passed)
	for _, line := range regexp.MustCompile(`(?m)^Benchmark.*ns/op.*$`).FindAll(out, -1) {
		t.Log(string(line))
	}
}

func readAll(t *testing.T, paths []string) []byte {
	var all []byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}
