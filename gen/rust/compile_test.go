package rustgen

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/internal/testshared"
	"github.com/witgo/witgo/internal/testworlds"
)

// rustcPath is Debian's rustc, which has the wasm32 standard libraries
// (ARCHITECTURE.md); rustup's toolchain beside it has no wasm targets.
const rustcPath = "/usr/bin/rustc"

// requireRustc skips (or, under WITGO_REQUIRE_TOOLS=1, fails) when rustc or
// its wasm32-unknown-unknown standard library is missing.
func requireRustc(t testing.TB) string {
	t.Helper()
	msg := ""
	if _, err := os.Stat(rustcPath); err != nil {
		msg = rustcPath + " not installed (apt-get install rustc libstd-rust-dev-wasm32 lld-14)"
	} else if out, err := exec.Command(rustcPath, "--print", "sysroot").Output(); err != nil {
		msg = "rustc --print sysroot: " + err.Error()
	} else if _, err := os.Stat(filepath.Join(strings.TrimSpace(string(out)), "lib", "rustlib", "wasm32-unknown-unknown")); err != nil {
		msg = "rustc has no wasm32-unknown-unknown standard library (apt-get install libstd-rust-dev-wasm32)"
	}
	if msg != "" {
		if testshared.Required() {
			t.Fatal(msg + " (required under WITGO_REQUIRE_TOOLS=1)")
		}
		t.Skip(msg)
	}
	return rustcPath
}

// worldCase is one world to generate bindings for.
type worldCase = testworlds.Case

// compileCases are the worlds gen/go's compile test uses too: this
// package's testdata, gen/go's matrix, WASI 0.2.0 and 0.2.12 and the
// wit-parser conformance worlds.
func compileCases(t *testing.T) []worldCase {
	return testworlds.ForGenerators(t, []string{"0.2.0", "0.2.12"},
		filepath.Join("testdata", "*.wit"), filepath.Join("..", "go", "testdata", "matrix.wit"))
}

// TestGeneratedRustBuilds generates bindings with stubs for every world
// and compiles each as a wasm32-unknown-unknown cdylib with rustc, with
// warnings denied. Worlds using async features must be refused with a
// clear error instead.
func TestGeneratedRustBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles many crates")
	}
	rustc := requireRustc(t)
	cases := compileCases(t)
	dir := t.TempDir()
	built, linked, refused := 0, 0, 0
	type job struct {
		label, crate string
		link, native bool
		c            worldCase
	}
	var jobs []job
	for i, c := range cases {
		crate := filepath.Join(dir, fmt.Sprintf("w%d", i))
		files := writeCrate(t, c, crate)
		if files == nil {
			refused++
			continue
		}
		lib := "// " + c.Label + "\nmod bindings;\nmod stub;\n"
		if err := os.WriteFile(filepath.Join(crate, "lib.rs"), []byte(lib), 0o644); err != nil {
			t.Fatal(err)
		}
		// Linking is slow: the matrix and the WASI command worlds are
		// linked; the rest are checked (type check, borrow check, lints).
		link := strings.Contains(c.Label, "matrix") || strings.HasSuffix(c.Label, "/command")
		jobs = append(jobs, job{c.Label, crate, link, false, c})
		if strings.HasSuffix(c.Label, "matrix") {
			// Also for the build machine, where imports panic (cargo test).
			jobs = append(jobs, job{c.Label + " (native)", crate, false, true, c})
		}
	}
	results := make(chan error, len(jobs))
	next := make(chan job)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				args := []string{"--edition", "2021", "--target", "wasm32-unknown-unknown", "--crate-type", "cdylib",
					"-D", "warnings", "-C", "opt-level=0", "--out-dir", j.crate, filepath.Join(j.crate, "lib.rs")}
				if j.native {
					args = []string{"--edition", "2021", "--crate-type", "lib", "-D", "warnings", "--emit=metadata",
						"-o", filepath.Join(j.crate, "native.rmeta"), filepath.Join(j.crate, "lib.rs")}
				}
				if !j.link && !j.native {
					args = append(args, "--emit=metadata")
				}
				if out, err := exec.Command(rustc, args...).CombinedOutput(); err != nil {
					results <- fmt.Errorf("%s: rustc: %v\n%s", j.label, err, firstLines(string(out), 40))
					continue
				}
				if j.link {
					results <- componentize(j.c, filepath.Join(j.crate, "lib.wasm"))
					continue
				}
				results <- nil
			}
		}()
	}
	for _, j := range jobs {
		next <- j
		if j.link {
			linked++
		}
	}
	close(next)
	wg.Wait()
	close(results)
	for err := range results {
		if err != nil {
			t.Error(err)
			continue
		}
		built++
	}
	t.Logf("%d builds of %d worlds with %s without warnings (%d linked to wasm and made components with component.New, the matrix also for the build machine), %d refused (async)", built, len(cases)-refused, rustcVersion(rustc), linked, refused)
	if built < 90 {
		t.Errorf("only %d worlds compiled", built)
	}
}

// writeCrate writes c's bindings with stubs into crate and returns them,
// or nil when the generator refuses the world (async) or fails (reported).
func writeCrate(t *testing.T, c worldCase, crate string) []File {
	t.Helper()
	files, err := Generate(c.R, c.World, Options{Stubs: true})
	if err != nil {
		if !strings.Contains(err.Error(), "not supported by the Rust generator yet") {
			t.Errorf("%s: %v", c.Label, err)
		}
		return nil
	}
	if err := WriteFiles(crate, files); err != nil {
		t.Fatal(err)
	}
	return files
}

func rustcVersion(rustc string) string {
	out, err := exec.Command(rustc, "--version").Output()
	if err != nil {
		return rustc
	}
	return strings.TrimSpace(string(out))
}

func firstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = append(lines[:n], fmt.Sprintf("... (%d more lines)", len(lines)-n))
	}
	return strings.Join(lines, "\n")
}

// componentize makes the linked module a component with component.New,
// which checks every core import and export name against the world.
func componentize(c worldCase, wasmPath string) error {
	core, err := os.ReadFile(wasmPath)
	if err != nil {
		return err
	}
	if _, err := component.New(core, component.NewOptions{Resolve: c.R, World: c.World}); err != nil {
		return fmt.Errorf("%s: component new: %v", c.Label, err)
	}
	return nil
}
