package adapter

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// buildC compiles testdata/<dir>/main.c with clang for wasm32-wasi.
func buildC(t testing.TB, dir string) []byte {
	t.Helper()
	clang, err := exec.LookPath("clang")
	if err != nil {
		if os.Getenv("WITGO_REQUIRE_TOOLS") == "1" {
			t.Fatal("clang not found (Makefile APT_PACKAGES installs clang lld wasi-libc libclang-rt-dev-wasm32)")
		}
		t.Skip("clang not found")
	}
	out := filepath.Join(t.TempDir(), dir+".wasm")
	cmd := exec.Command(clang, "--target=wasm32-wasi", "-O2", "-o", out, filepath.Join("testdata", dir, "main.c"))
	if msg, err := cmd.CombinedOutput(); err != nil {
		if os.Getenv("WITGO_REQUIRE_TOOLS") != "1" {
			t.Skipf("clang cannot build for wasm32-wasi: %v\n%s", err, msg)
		}
		t.Fatalf("clang: %v\n%s", err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCProgram(t *testing.T) {
	bin := buildC(t, "cprog")
	h := bigGoHost(t)
	h.files["/data/hello.txt"] = []byte("first line\nsecond line\n")
	res := runCommand(t, bin, h, nil)
	if res.exit != 0 {
		t.Errorf("exit %d, stderr %q", res.exit, h.err.String())
	}
	want := "argc=4 argv1=first\nGREETING=hello\nline: first line\nline: second line\nentries=2\nclock ok=1\n"
	if h.out.String() != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", h.out.String(), want)
	}
	if h.err.String() != "bye\n" {
		t.Errorf("stderr %q", h.err.String())
	}
	if got := string(h.files["/data/new.txt"]); got != "made by C 42\n" {
		t.Errorf("new.txt = %q", got)
	}
	t.Logf("preview1 calls: %v", res.calls)
}
