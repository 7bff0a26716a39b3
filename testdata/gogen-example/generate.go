// Command gogen-example is a WebAssembly component written in Go with the
// bindings witgo generates: `go generate` refreshes them from ./wit, and
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o hello.wasm .
//
// builds the core module (a reactor) that `witgo component new` turns into
// a component.
package main

//go:generate go run github.com/witgo/witgo/cmd/witgo bindgen --world hello --out internal/bindings --package-root example.com/gogen-example/internal/bindings ./wit
