package adapter

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// buildRust compiles testdata/<dir>/main.rs with Debian's rustc for
// wasm32-wasi (ARCHITECTURE.md: /usr/bin/rustc has the wasm targets).
func buildRust(t testing.TB, dir string) []byte {
	t.Helper()
	rustc := "/usr/bin/rustc"
	if _, err := os.Stat(rustc); err != nil {
		if os.Getenv("WITGO_REQUIRE_TOOLS") == "1" {
			t.Fatal("Debian rustc not found at /usr/bin/rustc")
		}
		t.Skip("Debian rustc not found at /usr/bin/rustc")
	}
	out := filepath.Join(t.TempDir(), dir+".wasm")
	cmd := exec.Command(rustc, "--target", "wasm32-wasi", "-O", "-o", out, filepath.Join("testdata", dir, "main.rs"))
	if msg, err := cmd.CombinedOutput(); err != nil {
		if os.Getenv("WITGO_REQUIRE_TOOLS") != "1" {
			t.Skipf("rustc cannot build for wasm32-wasi: %v\n%s", err, msg)
		}
		t.Fatalf("rustc: %v\n%s", err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRustProgram(t *testing.T) {
	bin := buildRust(t, "rustprog")
	h := bigGoHost(t)
	res := runCommand(t, bin, h, nil)
	if res.exit != 0 {
		t.Errorf("exit %d, stderr %q", res.exit, h.err.String())
	}
	want := "args=first|second arg|\nGREETING=hello\nfile=hello from the host\ndir=hello.txt,rust.txt\nslept=true\nalloc=58720256\n"
	if h.out.String() != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", h.out.String(), want)
	}
	if h.err.String() != "bye\n" {
		t.Errorf("stderr %q", h.err.String())
	}
	if got := string(h.files["/data/rust.txt"]); got != "from rust" {
		t.Errorf("rust.txt = %q", got)
	}
	t.Logf("preview1 calls: %v", res.calls)
}
