package engine

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/internal/testshared"
	"github.com/witgo/witgo/wit"
)

// rustGuestComponent compiles ../testdata/component/guest.rs with Debian's
// rustc (wasm32-unknown-unknown, no WASI) and makes it a component with
// witgo's component.New.
func rustGuestComponent(t *testing.T) []byte {
	rustc := "/usr/bin/rustc"
	if _, err := os.Stat(rustc); err != nil {
		if testshared.Required() {
			t.Fatalf("%s is required under WITGO_REQUIRE_TOOLS=1", rustc)
		}
		t.Skip("Debian rustc (/usr/bin/rustc) not installed; make deps installs it")
	}
	dir := filepath.Join("..", "testdata", "component")
	out := filepath.Join(t.TempDir(), "guest.wasm")
	cmd := exec.Command(rustc, "--target", "wasm32-unknown-unknown", "--crate-type", "cdylib", "-O", "-o", out, filepath.Join(dir, "guest.rs"))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("rustc: %v\n%s", err, b)
	}
	core, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	r := wit.NewResolve()
	pkg, err := r.LoadPath(filepath.Join(dir, "guest", "guest.wit"))
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.SelectWorld(pkg, "guest")
	if err != nil {
		t.Fatal(err)
	}
	comp, err := component.New(core, component.NewOptions{Resolve: r, World: w})
	if err != nil {
		t.Fatal(err)
	}
	return comp
}

// TestRustGuest runs the Rust guest component with host functions in Go
// and expects what jco gets in node for the same calls (component's
// TestNewGuests checks those values under jco).
func TestRustGuest(t *testing.T) {
	comp := rustGuestComponent(t)
	var logged []string
	entry := func(k string, v uint32) canonabi.Value {
		return canonabi.RecordValue(canonabi.StringValue(k), canonabi.U32Value(v))
	}
	im := (&Imports{}).Interface("test:guest/host@0.1.0", map[string]HostFunc{
		"log": func(_ context.Context, a []canonabi.Value) (canonabi.Value, error) {
			logged = append(logged, a[0].Str())
			return canonabi.Value{}, nil
		},
		"fetch": func(_ context.Context, a []canonabi.Value) (canonabi.Value, error) {
			p := a[0].Str()
			return canonabi.ListValue(entry(p+"a", 1), entry(p+"bé", 2)), nil
		},
	})
	inst := instantiate(t, newEngine(t, Options{}), comp, im)
	if got := call(t, inst, "run", canonabi.StringValue("x")); got.Uint() != 3 {
		t.Errorf("run(\"x\") = %v, want 3", got)
	}
	if len(logged) != 2 || logged[0] != "xa" || logged[1] != "xbé" {
		t.Errorf("logged %q, want [xa xbé]", logged)
	}
	got := call(t, inst, "test:guest/api@0.1.0#summarize", canonabi.ListValue(entry("a", 1), entry("bb", 22)))
	if got.Str() != "a=1,bb=22" {
		t.Errorf("summarize = %q", got.Str())
	}
	got = call(t, inst, "test:guest/api@0.1.0#scale", entry("k€", 3), canonabi.U32Value(4))
	if !canonabi.Equal(got, entry("k€", 12)) {
		t.Errorf("scale = %v", got)
	}
}

// A bare function name finds the only exported interface function so
// named (as `witgo run --invoke 'summarize(...)'` uses it); a name that
// nothing exports is still an error.
func TestBareInterfaceFunctionName(t *testing.T) {
	comp := rustGuestComponent(t)
	im := (&Imports{Stub: true})
	inst := instantiate(t, newEngine(t, Options{}), comp, im)
	entry := canonabi.RecordValue(canonabi.StringValue("k€"), canonabi.U32Value(3))
	got := call(t, inst, "scale", entry, canonabi.U32Value(4))
	if want := canonabi.RecordValue(canonabi.StringValue("k€"), canonabi.U32Value(12)); !canonabi.Equal(got, want) {
		t.Errorf("scale = %v, want %v", got, want)
	}
	if _, err := inst.Func("no-such-function"); err == nil {
		t.Error("Func(\"no-such-function\") found something")
	}
}
