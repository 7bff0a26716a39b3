// Command witgo is the WebAssembly Component Model toolchain's command line.
//
// It only parses flags, calls the library packages and prints; everything a
// library user would need lives in those packages.
package main

import "os"

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}
