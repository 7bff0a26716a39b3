// gohello is a Go wasip1 reactor (go build -buildmode=c-shared) for
// gohello.wit: witgo's component tests and benchmarks make it into a
// component with the WASI adapter.
package main

import (
	"fmt"
	"os"
)

//go:wasmexport run
func run(n uint32) uint32 {
	fmt.Printf("hello from go: %d\n", n)
	fmt.Fprintln(os.Stderr, "stderr works too")
	return n * 2
}

func main() {}
