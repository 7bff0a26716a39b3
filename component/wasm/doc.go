// Package wasm reads and writes core WebAssembly modules, as far as the
// component work needs them: the type, import, function, table, memory,
// tag, global, export and start sections are decoded; element and data
// sections and function bodies are kept as raw bytes (instructions are not
// decoded). Custom sections and the order of all sections are kept, so a
// decoded module re-encodes to the same bytes.
//
// ValidateCode type-checks function bodies (core 2.0 and tail calls).
//
// Builder emits new modules (adapters, glue modules) from function bodies
// given as instruction bytes.
//
// Errors are *Error values carrying the absolute byte offset.
package wasm
