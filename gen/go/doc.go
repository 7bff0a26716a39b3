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
// # Async functions, streams and futures (WASI 0.3)
//
// An async function looks like any other Go function. An imported
// `f: async func(x: u32) -> string` is `func F(x uint32) string`: it is
// lowered with `[async-lower]` and blocks the calling goroutine until the
// subtask has returned, so calling it from several goroutines runs the
// calls concurrently. An exported async function is a method of Exports
// the user implements as plain, blocking Go: it may start goroutines and
// call async imports. It is lifted with async and a callback: the
// `[async-lift]` entry runs the method in a goroutine and drives the
// goroutines (runtime.Gosched until they stop making progress); the
// `[callback]` export hands each event to the goroutine waiting for it.
// The method's result goes to task.return; the task runs on while
// goroutines it started still wait on the host (writing a stream it
// returned, say) and exits when none do.
//
//	stream<T>   *cabi.StreamReader[T]: Read([]T) (int, error), io.EOF once
//	            the writer has dropped its end; Close. Package-level
//	            NewStream<T>() returns a reader (to pass on) and a
//	            *cabi.StreamWriter[T]: Write([]T) (int, error), which writes
//	            everything or returns io.EOF when the reader is gone; Close.
//	            For stream<u8> they are an io.Reader and an io.Writer.
//	future<T>   *cabi.FutureReader[T]: Read() (T, error); NewFuture<T>()
//	            also returns a *cabi.FutureWriter[T]: Write(T) error. Each
//	            end is used once and dropped by its Read or Write.
//	error-context cabi.ErrorContext (a handle): DebugMessage, Drop;
//	            cabi.NewErrorContext(msg).
//
// Passing a reader to a function hands it over: it is closed afterwards.
// Close from another goroutine while a Read or Write is blocked cancels
// that copy (stream.cancel-read/-write), which then returns ErrClosed.
// <T> in the constructor names is the payload's Go name (U8, String,
// Point, ResultU32String, Unit for a bare stream); every package whose
// functions use a payload type has its own constructor for it.
//
// For example, an async export that fetches in parallel through an async
// import, and a WASI 0.3 program writing to stdout through a stream:
//
//	func (impl) Sizes(urls []string) []int { // sizes: async func(urls: list<string>) -> list<u32>
//		sizes := make([]int, len(urls))
//		var wg sync.WaitGroup
//		for i, u := range urls {
//			wg.Add(1)
//			go func() { defer wg.Done(); sizes[i] = len(api.Fetch(u)) }() // fetch: async func(url: string) -> list<u8>
//		}
//		wg.Wait()
//		return sizes
//	}
//
//	r, w := stdout.NewStreamU8()
//	done := stdout.WriteViaStream(r) // future<result<_, error-code>>
//	fmt.Fprintln(w, "hello")
//	w.Close()
//	_, err := done.Read()
//
// The async runtime lives in the support package (cabi/async.go,
// cabi/stream.go) and is added only to worlds that use async functions,
// streams, futures or error-context. Its rules: Go on wasm has one thread
// and no preemption, so goroutines run only while an export of the
// component runs; they park on channels while the host has not answered
// (waitable handles are joined to one waitable set). Without a driver (a
// sync export or init calling an async import) the call waits in
// waitable-set.wait on a set of its own and so blocks the component (the
// spec traps there if a sync-typed export would block). A goroutine that
// writes a stream returned by a sync export runs only while an async
// export runs.
//
// While two or more async exports are in flight, their callbacks poll the
// set and yield instead of sleeping in WAIT (a goroutine of one task may
// be unblocked by another's work). A task that went to WAIT alone and
// whose function is then finished by another task's goroutines (through
// a Go channel, say) returns at the next event of the set: the runtime has
// no way to wake it sooner. Task cancellation is not delivered:
// a cancelled task runs to its end. Buffers handed to the host are
// pinned (runtime.Pinner) until the copy or call completes.
package gogen
