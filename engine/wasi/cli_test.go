package wasi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/witgo/witgo/engine/wasi"
)

// TestGoHello: arguments reach os.Args, stdout and stderr are kept
// apart, and the environment is empty unless granted.
func TestGoHello(t *testing.T) {
	c := goGuest(t)
	res := run(t, c, wasi.Config{Args: []string{"guest", "hello", "a b", "ü"}})
	if res.code != 0 {
		t.Errorf("exit code %d, want 0", res.code)
	}
	want := "hello from go a b|ü\nenv:  HOME=\n"
	if res.stdout != want {
		t.Errorf("stdout %q, want %q", res.stdout, want)
	}
	if res.stderr != "to stderr\n" {
		t.Errorf("stderr %q", res.stderr)
	}
	res = run(t, c, wasi.Config{Args: []string{"guest", "hello"}, Env: [][2]string{{"HOME", "/h"}, {"X", "1=2"}}})
	if want := "hello from go \nenv: HOME=/h|X=1=2 HOME=/h\n"; res.stdout != want {
		t.Errorf("stdout %q, want %q", res.stdout, want)
	}
}

// TestGoExitCodes: returning err from run is 1; os.Exit(0) is 0, and any
// other os.Exit is 1 because WASI 0.2.0's exit carries only ok/err.
func TestGoExitCodes(t *testing.T) {
	c := goGuest(t)
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"g", "fail"}, 1},
		{[]string{"g", "exit", "0"}, 0},
		{[]string{"g", "exit", "3"}, 1},
		{[]string{"g"}, 1},
	} {
		if res := run(t, c, wasi.Config{Args: tc.args}); res.code != tc.want {
			t.Errorf("%q: exit code %d, want %d (stdout %q)", tc.args, res.code, tc.want, res.stdout)
		}
	}
}

// TestGoSleepAndClock: time.Sleep goes through poll_oneoff to a
// monotonic-clock pollable, and the wall clock is the host's.
func TestGoSleepAndClock(t *testing.T) {
	c := goGuest(t)
	start := time.Now()
	res := run(t, c, wasi.Config{Args: []string{"g", "sleep", "30"}})
	if res.stdout != "slept true true\n" {
		t.Errorf("stdout %q", res.stdout)
	}
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("the run took %v, less than the 30ms sleep", d)
	}
}

// TestGoStdin: stdin is the configured reader; empty by default.
func TestGoStdin(t *testing.T) {
	c := goGuest(t)
	res := run(t, c, wasi.Config{Args: []string{"g", "stdin"}, Stdin: strings.NewReader("typed")})
	if res.stdout != "stdin: \"typed\"\n" {
		t.Errorf("stdout %q", res.stdout)
	}
	res = run(t, c, wasi.Config{Args: []string{"g", "stdin"}})
	if res.stdout != "stdin: \"\"\n" {
		t.Errorf("default stdin: stdout %q", res.stdout)
	}
}

// TestGoSleepPastDeadline: a guest sleeping past the context's deadline
// is stopped (the host's poll gives up, or the engine stops the guest),
// and a fresh instance of the same component runs normally afterwards.
func TestGoSleepPastDeadline(t *testing.T) {
	c := goGuest(t)
	h, err := wasi.New(wasi.Config{Args: []string{"g", "sleep", "10000"}})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	inst, err := sharedEngine(t).Instantiate(ctx, c, h.Imports(c))
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close(context.Background())
	start := time.Now()
	if _, err := h.Run(ctx, inst); err == nil {
		t.Error("a 10s sleep under a 200ms deadline ended without error")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the run stopped after %v", d)
	}
	if res := run(t, c, wasi.Config{Args: []string{"g", "hello"}}); res.code != 0 || !strings.HasPrefix(res.stdout, "hello from go") {
		t.Errorf("the next instance: code %d, stdout %q", res.code, res.stdout)
	}
}
