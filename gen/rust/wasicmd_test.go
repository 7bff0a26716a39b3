package rustgen

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/witgo/witgo/engine/wasi"
	"github.com/witgo/witgo/internal/testshared"
)

// TestWASICommand builds a Rust program that does its I/O through the
// generated wasi:cli/command@0.2.0 bindings (wasm32-unknown-unknown: no
// WASI in Rust's std at all), makes it a component and runs it with
// witgo's WASI 0.2 host: arguments, environment, random bytes, stdout
// and exit's err.
func TestWASICommand(t *testing.T) {
	comp := buildGuest(t, testshared.Dir(t, "reference", "wasi", "0.2.0", "wit"), "wasi:cli/command@0.2.0",
		filepath.Join("testdata", "wasicmd", "lib.rs"))
	ctx := context.Background()
	eng, compiled := compileComponent(t, comp)
	defer eng.Close(ctx)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"prog", "a", "bé"}, 0, "hello from rust: args=prog,a,bé env=K=v,E= random=16\n"},
		{[]string{"prog", "fail"}, 1, "hello from rust: args=prog,fail env=K=v,E= random=16\n"},
	} {
		var stdout bytes.Buffer
		host, err := wasi.New(wasi.Config{Args: c.args, Env: [][2]string{{"K", "v"}, {"E", ""}}, Stdout: &stdout})
		if err != nil {
			t.Fatal(err)
		}
		im := host.Imports(compiled)
		// The world imports wasi:sockets, which the host does not offer;
		// the program calls none of it.
		im.Stub = true
		inst, err := eng.Instantiate(ctx, compiled, im)
		if err != nil {
			t.Fatal(err)
		}
		code, err := host.Run(ctx, inst)
		if err != nil {
			t.Errorf("%v: run: %v", c.args, err)
		}
		if code != c.code || stdout.String() != c.want {
			t.Errorf("%v: exit %d, stdout %q; want %d, %q", c.args, code, stdout.String(), c.code, c.want)
		}
		inst.Close(ctx)
		host.Close()
	}
}
