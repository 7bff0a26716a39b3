// A preview1 command (GOOS=wasip1, no -buildmode): `component new` makes
// it a component exporting wasi:cli/run. It prints its arguments and
// $GREETING; the argument "exit3" makes it exit with status 3.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("hello from a go command")
	fmt.Printf("args: %q\n", os.Args[1:])
	fmt.Printf("GREETING=%q\n", os.Getenv("GREETING"))
	if len(os.Args) > 1 && os.Args[1] == "exit3" {
		fmt.Fprintln(os.Stderr, "exiting with 3")
		os.Exit(3)
	}
	fmt.Println("done")
}
