// Package wast reads the Component Model spec's reference test scripts
// (.wast text) into commands, and turns the component text they hold into
// binaries with jco (`parse`, the wasm-tools text parser jco bundles), so
// that Go tests can run the scripts on witgo's engine.
//
// Parse splits a script into commands (component, component definition,
// component instance, invoke, assert_return, assert_trap, assert_invalid,
// assert_malformed, assert_unlinkable, register), each with its line
// number; a component's source is kept verbatim so it can be compiled.
// Compiler compiles many texts in one node process and caches the result
// by content hash; ComponentFromWAT is the one-line form for tests.
package wast
