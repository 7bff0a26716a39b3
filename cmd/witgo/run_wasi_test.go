package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/witgo/witgo/internal/jcotool"
	"github.com/witgo/witgo/internal/testshared"
)

var (
	guestOnce sync.Once
	guestPath string
	guestErr  error
)

// goCommand builds engine/wasi's Go test guest as a wasip1 reactor and
// makes it a wasi:cli/run component with `witgo component new` (once).
func goCommand(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		if testshared.Required() {
			t.Fatal("go not found")
		}
		t.Skip("go not found: needed to build the guest")
	}
	guestOnce.Do(func() {
		dir, err := os.MkdirTemp("", "witgo-guest-")
		if err != nil {
			guestErr = err
			return
		}
		core := filepath.Join(dir, "core.wasm")
		cmd := exec.Command(goTool, "build", "-buildmode=c-shared", "-trimpath", "-o", core, "../../engine/wasi/testdata/goguest")
		cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
		if out, err := cmd.CombinedOutput(); err != nil {
			guestErr = &buildFailure{err: err, out: string(out)}
			return
		}
		guestPath = filepath.Join(dir, "guest.wasm")
		if r := witgo(t, "component", "new", core, "--wit", "../../engine/wasi/testdata/wit/run.wit", "-o", guestPath); r.code != 0 {
			guestErr = &buildFailure{err: os.ErrInvalid, out: r.stderr}
		}
	})
	if guestErr != nil {
		t.Fatal(guestErr)
	}
	return guestPath
}

// TestRunCommand: `witgo run x.wasm args...` runs a wasi:cli/run
// component with the component's path as argv[0], exits with the guest's
// status, and grants environment variables and directories only when asked.
func TestRunCommand(t *testing.T) {
	guest := goCommand(t)
	r := witgo(t, "run", guest, "hello", "a,b")
	r.expect(t, exitOK)
	if r.stdout != "hello from go a,b\nenv:  HOME=\n" || r.stderr != "to stderr\n" {
		t.Errorf("stdout %q stderr %q", r.stdout, r.stderr)
	}
	// Flags after the component are the guest's.
	r = witgo(t, "run", guest, "hello", "-v", "--env", "X=1")
	r.expect(t, exitOK)
	if !strings.HasPrefix(r.stdout, "hello from go -v|--env|X=1\n") {
		t.Errorf("guest flags: stdout %q", r.stdout)
	}
	t.Setenv("WITGO_TEST_INHERITED", "yes")
	r = witgo(t, "run", "--env", "HOME=/x,y", guest, "hello")
	r.expect(t, exitOK)
	if !strings.Contains(r.stdout, "env: HOME=/x,y HOME=/x,y") {
		t.Errorf("--env: stdout %q", r.stdout)
	}
	r = witgo(t, "run", "--inherit-env", guest, "hello")
	if !strings.Contains(r.stdout, "WITGO_TEST_INHERITED=yes") {
		t.Errorf("--inherit-env: stdout %q", r.stdout)
	}
	if r := witgo(t, "run", "--no-cache", guest, "hello"); r.code != 0 || !strings.HasPrefix(r.stdout, "hello from go") {
		t.Errorf("--no-cache: %d %q", r.code, r.stdout)
	}
	witgo(t, "run", guest, "fail").expect(t, 1)
	witgo(t, "run", guest, "exit", "0").expect(t, exitOK)
	witgo(t, "run", "--env", "novalue", guest, "hello").expect(t, exitUsage)
	// --invoke gets the WASI host too: run() with no arguments prints and
	// returns err, which --invoke prints in WAVE.
	r = witgo(t, "run", "--invoke", "wasi:cli/run@0.2.0#run()", guest)
	r.expect(t, exitOK)
	if r.stdout != "no command\nerr\n" {
		t.Errorf("--invoke run(): stdout %q", r.stdout)
	}
	// A guest that calls exit under --invoke ends witgo with its status.
	r = witgo(t, "run", "--invoke", "wasi:cli/run@0.2.0#run()", guest, "exit", "2")
	r.expect(t, 1)
	if r.stderr != "" {
		t.Errorf("exit under --invoke: stderr %q", r.stderr)
	}
}

func TestRunCommandDirs(t *testing.T) {
	guest := goCommand(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "in.txt"), []byte("from the host\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := witgo(t, "run", "--dir", dir+"::/data", guest, "cat", "/data/in.txt")
	r.expect(t, exitOK)
	if r.stdout != "from the host\n" {
		t.Errorf("stdout %q", r.stdout)
	}
	witgo(t, "run", guest, "cat", "/data/in.txt").expect(t, 1) // nothing granted
	r = witgo(t, "run", "--dir", dir+"::/data", guest, "write", "/data/out.txt", "x")
	if r.stdout == "write: <nil>\n" {
		t.Errorf("--dir granted writing")
	}
	r = witgo(t, "run", "--dir-rw", dir+"::/data", guest, "write", "/data/out.txt", "x")
	if r.stdout != "write: <nil>\n" {
		t.Errorf("--dir-rw: %q", r.stdout)
	}
	witgo(t, "run", "--dir", filepath.Join(dir, "missing"), guest, "hello").expect(t, exitUserError)
}

// jcoRun runs `jco run COMPONENT args...` (jco's node host, preview2-shim)
// from the repository's .cache/npm, or skips when it is not installed.
func jcoRun(t *testing.T, component string, args ...string) result {
	t.Helper()
	jco := jcotool.Require(t)
	var stdout, stderr strings.Builder
	cmd := exec.Command(jco.Node, append([]string{jco.CLI, "run", component}, args...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("jco run: %v", err)
	}
	return result{code, stdout.String(), stderr.String()}
}

// TestRunMatchesJco: the same command component under `witgo run` and
// `jco run` prints the same first line and stderr, and exits with the
// same status (jco's host always passes its environment, so both run
// with the environment inherited and the env line is not compared).
func TestRunMatchesJco(t *testing.T) {
	guest := goCommand(t)
	for _, args := range [][]string{{"hello", "a b", "ü"}, {"exit", "3"}, {"fail"}} {
		ours := witgo(t, append([]string{"run", "--inherit-env", guest}, args...)...)
		theirs := jcoRun(t, guest, args...)
		if ours.code != theirs.code {
			t.Errorf("%q: witgo exits %d, jco %d", args, ours.code, theirs.code)
		}
		first := func(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }
		if first(ours.stdout) != first(theirs.stdout) {
			t.Errorf("%q: witgo prints %q, jco %q", args, first(ours.stdout), first(theirs.stdout))
		}
		if args[0] == "hello" && ours.stderr != theirs.stderr {
			t.Errorf("%q: stderr: witgo %q, jco %q", args, ours.stderr, theirs.stderr)
		}
	}
}
