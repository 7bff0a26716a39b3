// Package engine runs WebAssembly components on wazero, which executes
// core modules only: the component layer (instantiation of the component
// graph, canonical lift and lower, resource handles) is done here.
//
// # Use
//
//	eng, _ := engine.New(ctx, engine.Options{})
//	c, _ := eng.Compile(ctx, wasmBytes)           // decode, validate, compile core modules
//	inst, _ := eng.Instantiate(ctx, c, imports)  // imports: Go functions, or nil
//	v, err := inst.Call(ctx, "greet", canonabi.StringValue("x"))
//
// Values are canonabi.Values (WAVE text through inst.ABI()). Host
// functions (HostFunc) implement top-level function imports and, through
// Imports.Interface, every function of an interface import; host resources
// (Imports.Resource, NewResource, ResourceRep) have their methods as host
// functions too. Package engine/wasi implements WASI 0.2 on this seam. A trap is a *Trap (with wazero's guest
// stack when there is one) and leaves that instance unusable, as the spec
// tears a trapped instance down; the engine and other instances go on.
// A cancelled context or a passed deadline stops a running guest
// (wazero's WithCloseOnContextDone; Options.NoCloseOnContextDone turns it
// off, which makes small calls much cheaper because wazero then no longer
// watches every call from a goroutine).
//
// # Instantiation is a flattening walk
//
// Instantiate evaluates the component's sections in order in a scope
// holding the index spaces (scope.go, instantiate.go); a nested component
// is a definition closed over its defining scope (outer aliases walk up
// it), and instantiating it evaluates its sections in a child scope whose
// imports are the instantiate arguments. Types are resolved to trees
// (types.go) in which each resource type is a run-time object, so
// instantiating the same component twice gives distinct resources. What
// remains at the end is plain wazero modules plus Go trampolines; no
// component structure is consulted at call time.
//
// Core modules are instantiated with unique names in wazero's store and
// an import resolver (experimental.WithImportResolver) that maps their
// import module names to the argument instances. A core instance built
// from an export list becomes, when something imports it, a small
// generated glue module (coreinst.go) that imports each item from its
// module and re-exports it under the list's name. Host functions (canon
// lower and the resource built-ins) are trampolines (trampoline.go): Go
// closures in an engine-wide registry, reached through one dispatcher
// host module per core signature, compiled once per engine, which the
// glue calls with the trampoline's id (kept in a glue global). So glue
// bytes depend only on the shape of what they re-export, are compiled
// once per engine, and instantiating a component compiles nothing (a C
// component with its WASI adapter: about 3 ms, against about 30 ms when
// every host function was a host module of its own). The import module
// name "" that components use is renamed, since wazero refuses it.
//
// # Calls cross components through the host
//
// wazero 1.12 has no multi-memory, so component instances never share a
// memory: `canon lower` of a function becomes a Go host function that
// lifts the arguments from the caller's memory with canonabi, calls the
// callee (a `canon lift`ed core function, or a HostFunc), lowers the
// result into the caller's memory with its realloc, and only then runs
// the callee's post-return (lifted strings and byte lists alias the
// callee's memory until then, which saves a copy). A lowered function
// whose signature holds only 32- and 64-bit integers and that is lifted
// from another instance's core function is bound directly instead
// (flags.go): the glue calls the callee's core function from a small wasm
// function that checks the caller's may_leave and the callee's entered
// flags, kept in wasm globals that Go mirrors, so such a call costs a few
// ns and never leaves wasm. Func.Call passes integer-only signatures
// through a reused stack without allocating. Each function reuses one
// call frame (context, memory view, borrow scope), since a component
// instance cannot be re-entered while it runs.
//
// # Rules enforced at run time
//
// Reentrance is refused (a component instance that is running cannot be
// entered again, and for now a parent and its child instances cannot
// call each other, as the spec's reference tests require); may_leave is cleared while a post-return runs, so
// calling an import or a resource built-in then traps; values lifted
// from a guest are validated by canonabi (bounds, alignment, UTF-8 and
// UTF-16, chars, discriminants, flags). Resources (handles.go): each
// component instance has a handle table (index 0 unused, freed slots
// reused last in, first out); own handles move between tables, borrows
// count as lends of the lender's handle until the call returns, and a
// callee returning while still holding borrows traps; resource.drop of an
// own handle runs the destructor (a core function of the defining
// instance, or a Go function for host resources). Handles in Values are
// indices in the root instance's host table, which also carries handles
// in transit between two guests.
//
// # Async (async_*.go, hostasync.go, hoststream.go)
//
// A component that uses anything of the async ABI (async function types,
// the async and callback options, task, subtask, waitable-set, context,
// backpressure, stream, future and error-context built-ins) runs on a
// general call path that follows CanonicalABI.md's Python definitions:
// tasks, subtasks, waitables and waitable sets, the callback event loop,
// backpressure and the exclusive lock, cancellation, and streams and
// futures as rendezvous of two buffers. wazero cannot suspend a wasm
// stack, so each thread of an async-typed task runs on a goroutine of
// its own and one baton lets exactly one goroutine run guest code; a
// non-async task runs inline on its caller's goroutine and, when it must
// wait, runs other ready threads of its instance itself or traps. The
// event loop (Store.tick) runs inside Func.Call, which returns once the
// export produced its value; a call that can never complete is a trap
// that says "deadlock", never a hang. Host functions of async imports
// run on goroutines and complete their subtasks later; host-side stream
// and future ends (StreamReader, StreamWriter, FutureReader,
// FutureWriter) work from any goroutine. Components without async keep
// the synchronous fast path unchanged. Explicit threads (thread.new-indirect,
// suspend, resume-later, the *-then-resume and *-then-promote switches)
// are goroutine threads too; a component that uses them runs every task,
// synchronous ones included, on a goroutine, so any thread can be
// switched to.
//
// # Not done yet
//
// Shared-memory threads (thread.spawn-*, thread.available-parallelism),
// the old async resource.drop, value sections and start functions with
// values are reported as *UnsupportedError. The host cannot yet supply core modules or
// components as imports.
package engine
