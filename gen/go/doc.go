// Package gogen generates Go guest bindings for a WIT world, for big Go's
// wasip1 target (`GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared`).
//
// # Output
//
// One Go package per imported interface (`<ns>/<pkg>/<iface>`), one per
// exported interface (`exports/<ns>/<pkg>/<iface>`), one for the world's
// own functions and types (`<ns>/<pkg>/<world>`), and the support package
// `cabi`, all under one output directory whose import path is
// Options.PackageRoot. Each package has a platform-independent file (types,
// wrappers, export glue), a `_wasip1.go` file with the //go:wasmimport and
// //go:wasmexport declarations, and an `_other.go` file whose stand-ins
// panic, so the bindings also build natively for `go vet` and tests. The
// generated code imports only the standard library.
//
// # Go types
//
//	record            struct
//	enum              named uint8/16/32 with constants and String()
//	flags             named uint8/16/32 bitset with constants and Has
//	variant           sealed interface, one struct type per case (Value holds the payload)
//	option<T>         cabi.Option[T]
//	result<T, E>      cabi.Result[T, E]; as a function's result: (T, error)
//	                  or error, the error being *cabi.Error[E]
//	tuple<A, B, ...>  cabi.TupleN[A, B, ...]
//	list<T>           []T; list<T, N> is [N]T
//	map<K, V>         map[K]V (a later duplicate key wins, as the spec allows)
//	string, char      string, rune
//	imported resource struct handle type with methods, New<R>, statics, Drop
//	exported resource interface the user's type implements
//
// Option, Result and the tuples hold their payloads as typed fields, so
// the garbage collector always sees pointers where they are: nothing is
// stored in untyped byte arrays.
//
// # Calls
//
// Every Canonical ABI fact (layouts, flattening, spilling, return areas,
// post-return, core names) comes from package canonabi: the generator
// translates canonabi.Plan instruction trees into Go and holds no size or
// alignment rule of its own. Flat core values are carried as uint64s, the
// form in which the spec's variant join coercions need no code.
//
// An import wrapper lowers its arguments with a cabi.Lowerer, which pins
// (runtime.Pinner) every Go object whose address it hands to the host,
// calls the //go:wasmimport function, lifts the result, and unpins. Memory
// the host allocates with cabi_realloc is held in a registry until the
// lifted value takes it over (strings and plain lists share it).
//
// An export's glue lifts the parameters, calls the user's implementation
// (registered with Export), and lowers the result into a static return
// area; what the result points to stays pinned until the host calls the
// export's cabi_post_ function. cabi_realloc allocates from the Go heap, so
// the host may call it only after _initialize.
//
// Exported resources: the bindings keep the Go values they hand out in a
// table (their reps); the destructor export removes them and calls their
// Drop method if they have one. An owned handle passed into an export moves
// the Go value out of the table and drops the handle.
//
// Async functions (WASI 0.3) are not supported yet: Generate reports them.
package gogen
