package wasi_test

import (
	"context"
	"fmt"
	"os"

	"github.com/witgo/witgo/engine"
	"github.com/witgo/witgo/engine/wasi"
)

// Running a wasi:cli/run command with a read-only directory granted.
func ExampleHost() {
	ctx := context.Background()
	bin, err := os.ReadFile("app.wasm")
	if err != nil {
		fmt.Println(err)
		return
	}
	eng, err := engine.New(ctx, engine.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer eng.Close(ctx)
	compiled, err := eng.Compile(ctx, bin)
	if err != nil {
		fmt.Println(err)
		return
	}
	host, err := wasi.New(wasi.Config{
		Args:     []string{"app.wasm", "--verbose"},
		Env:      [][2]string{{"LANG", "C"}},
		Stdout:   os.Stdout,
		Stderr:   os.Stderr,
		Preopens: []wasi.Preopen{{Host: "./data", Guest: "/data"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer host.Close()
	inst, err := eng.Instantiate(ctx, compiled, host.Imports(compiled))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer inst.Close(ctx)
	code, err := host.Run(ctx, inst)
	fmt.Println(code, err)
}
