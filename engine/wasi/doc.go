// Package wasi is witgo's WASI host: Go implementations of the
// wasi:cli, wasi:io, wasi:clocks, wasi:random, wasi:filesystem and
// (nothing granted) wasi:sockets interfaces of WASI 0.2.x, and of
// wasi:cli, wasi:clocks, wasi:random, wasi:filesystem and (nothing
// granted) wasi:sockets of WASI 0.3.0 (the WIT is the authority), that
// package engine links to a component's imports by name.
//
//	h, _ := wasi.New(wasi.Config{Args: []string{"app"}, Stdout: os.Stdout})
//	defer h.Close()
//	inst, _ := eng.Instantiate(ctx, compiled, h.Imports(compiled))
//	code, err := h.Run(ctx, inst) // calls wasi:cli/run
//
// Nothing is granted by default: no arguments, no environment variables,
// empty stdin, discarded stdout and stderr, no files, no terminals.
//
// Interfaces are linked under the exact versioned names the component
// imports (any 0.2.x; 0.3.0 and its 0.3.0-rc-* names get the 0.3
// functions), so the engine's resource keys match; interfaces the host
// lacks (wasi:http, 0.2's unstable wasi:clocks/timezone) are left to the
// engine to report at instantiation.
//
// Sockets, 0.2 and 0.3, are there so that a command whose bindings cover
// the whole wasi:cli/command world links: creating a socket or resolving
// a name answers access-denied, and the methods of sockets (which never
// exist) trap. 0.2's instance-network hands out a network that grants
// nothing.
//
// WASI 0.3 (p3_*.go) shares Config, the preopens and the resource table
// with 0.2. Its streams and futures are the engine's host ends: a
// goroutine per stream copies stdin or a file into the guest's stream,
// or the guest's stream to stdout, stderr or a file, and then writes the
// future of the outcome. Run calls the async wasi:cli/run@0.3.0 and
// then Flush waits until every output copy has ended (a guest may write
// after its task returned); one that moves nothing for a second, with the
// guest's end still open, is abandoned. Async functions (wait-for,
// wait-until, the descriptor methods) run on goroutines the engine
// starts; wait-for and wait-until end early when the guest cancels.
// Filesystem error-codes are 0.2's, renumbered for 0.3's variant.
//
// Resources (streams, pollables, errors, descriptors, directory streams)
// are Go objects in the Host's table; the engine hands guests handles
// whose representation is the table key, and a dropped handle removes
// (and closes) its object. A Host serves one instance.
//
// Behaviour where the spec leaves room, as wasmtime does:
//
//   - exit(ok) is status 0, exit(err) 1; ExitError unwinds the guest.
//   - Stdin is read a chunk ahead in a goroutine: read returns what has
//     arrived (possibly nothing), blocking-read waits, and its pollable is
//     ready when input or its end is there. File streams and outputs work
//     in place: writes go straight to the io.Writer, and their pollables
//     are always ready. check-write grants 1 MiB, reads return at most
//     1 MiB; a write beyond what check-write granted, or a blocking write
//     of more than 4096 bytes, traps. Clock pollables are ready
//     at their deadline; poll and block wait for the first ready pollable
//     (or for the context to end).
//   - monotonic-clock counts nanoseconds from the Host's creation, with a
//     resolution of 1 ns.
//   - Each preopened directory is an os.Root: no path, "..", absolute path
//     or symlink resolves outside it (not-permitted). A descriptor opened
//     from a directory inherits its right to mutate; a read-only preopen
//     refuses writes, creation and removal with not-permitted. Renames and
//     links work within one directory descriptor (cross-device otherwise).
//   - Random byte requests above 64 MiB trap rather than allocate.
package wasi
