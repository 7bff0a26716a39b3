package main

import (
	"bytes"
	"github.com/witgo/witgo/internal/testshared"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// result is what one witgo invocation did.
type result struct {
	code           int
	stdout, stderr string
}

// witgo runs the CLI in-process with args after the program name.
func witgo(t *testing.T, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"witgo"}, args...), &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

func (r result) expect(t *testing.T, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}

// writeTemp writes text to a new file named name in a test's temp dir.
func writeTemp(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var demoDir = filepath.Join("..", "..", "testdata", "demo")

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// witgoBinary builds the real executable once, for tests of the process's
// exit status and output streams. No VCS stamping: git may refuse a clone
// owned by another user, and the tests do not need the version.
func witgoBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "witgo-test-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "witgo")
		out, err := exec.Command("go", "build", "-buildvcs=false", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = &buildFailure{err: err, out: string(out)}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

type buildFailure struct {
	err error
	out string
}

func (b *buildFailure) Error() string { return "go build: " + b.err.Error() + "\n" + b.out }

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// sharedDir finds shared/<rel...> or skips (fails under WITGO_REQUIRE_TOOLS=1).
func sharedDir(t *testing.T, rel ...string) string { return testshared.Dir(t, rel...) }
