// gohello is a tiny Go reactor; the component tests turn it into a
// component with jco (wasm-tools component new and the preview1 adapter)
// to check that real Go components decode, validate and round-trip.
package main

import (
	"fmt"
	"os"
)

func main() {}

//go:wasmexport hello
func hello(n int32) int32 {
	fmt.Fprintln(os.Stdout, "hello", n, len(os.Args))
	return n + 1
}
