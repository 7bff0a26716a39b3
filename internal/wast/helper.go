package wast

import (
	"errors"
	"os"
	"sync"
	"testing"
)

var shared struct {
	once sync.Once
	c    *Compiler
	err  error
}

// SharedCompiler returns one Compiler per process, caching in
// DefaultCacheDir; the error is ErrNoJCO when jco is not installed.
func SharedCompiler() (*Compiler, error) {
	shared.once.Do(func() { shared.c, shared.err = NewCompiler(DefaultCacheDir()) })
	return shared.c, shared.err
}

// TestCompiler is SharedCompiler for a test: without jco it skips t, or
// fails it under WITGO_REQUIRE_TOOLS=1 (as CI runs).
func TestCompiler(t testing.TB) *Compiler {
	t.Helper()
	c, err := SharedCompiler()
	if errors.Is(err, ErrNoJCO) {
		if os.Getenv("WITGO_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%v (required under WITGO_REQUIRE_TOOLS=1)", err)
		}
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ComponentFromWAT compiles component text, such as
// `(component (core module ...) ...)`, to a binary with jco, cached in the
// repository's .cache/wast. Without jco it skips t (fails under
// WITGO_REQUIRE_TOOLS=1); text jco refuses fails t with jco's message.
func ComponentFromWAT(t testing.TB, wat string) []byte {
	t.Helper()
	rs, err := TestCompiler(t).Compile([]string{wat})
	if err != nil {
		t.Fatal(err)
	}
	if rs[0].Err != nil {
		t.Fatalf("ComponentFromWAT: %v", rs[0].Err)
	}
	return rs[0].Binary
}
