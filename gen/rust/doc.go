// Package rustgen generates Rust guest bindings for a WIT world
// (`witgo bindgen --lang rust`): one file, bindings.rs, that needs no
// crates (no wit-bindgen, no wit-bindgen-rt) and builds with Rust 1.63 or
// newer (edition 2021) for wasm32-unknown-unknown:
//
//	mod bindings;            // src/bindings.rs, at the crate root
//	struct Component;
//	impl bindings::Guest for Component { ... }
//	bindings::export!(Component);
//
// then `cargo build --target wasm32-unknown-unknown` (crate-type cdylib) or
// `rustc --edition 2021 --target wasm32-unknown-unknown --crate-type cdylib
// src/lib.rs`, and `witgo component new`. Options.ModulePath (the CLI's
// --rust-module) says where the file sits if not at crate::bindings.
//
// Every ABI fact (sizes, alignments, flattening, spilling, return areas,
// post-return, core names under canonabi's Legacy scheme) comes from
// package canonabi: the generator translates canonabi.Plan instructions
// into Rust, as gen/go does into Go. Flat core values are held as u64s so
// the spec's variant join coercions need no code.
//
// # Modules and types
//
// The world's own functions and types sit at the top; an imported
// interface ns:pkg/iface is module ns::pkg::iface (pkg_v0_2_0 when two
// versions of a package meet), an exported one exports::ns::pkg::iface;
// witgo_rt holds the support code and the `cabi_realloc` export. Records
// are structs, variants enums with payloads, enums fieldless enums (Copy),
// flags a struct with a `bits` field, constants per flag and |, &, ^, -
// (written out, no bitflags crate), option/result/tuple/list/string
// Option/Result/tuples/Vec/String, fixed-size lists arrays, maps
// Vec<(K, V)>. Records and variants derive Clone, Debug and PartialEq,
// plus Copy when they own no heap memory and Eq and Hash when they hold
// no floats; with a resource handle inside, only Debug. Names are
// UpperCamelCase for types, snake_case for functions, fields and
// modules, SCREAMING_CASE for flag constants; Rust keywords become raw
// identifiers (r#type), and self/super/crate/Self get an underscore.
//
// # Imports
//
// An imported function is a safe Rust function. Parameters that own heap
// memory are borrowed (&str, &[T], &Record); plain values (numbers, enums,
// flags, and options, results, tuples, records and arrays of them) and
// values holding an owned handle are passed by value. Strings and lists of numbers are passed in place;
// other lists are converted into a temporary buffer freed after the call.
// Results are lifted from flat values or a return area on the stack;
// strings and lists the callee allocated (through cabi_realloc) become
// the caller's String and Vec without a copy.
//
// # Exports
//
// Each exported interface has a trait Guest (the world's own exports one
// at the top) whose functions take and return owned values. export!(T)
// defines every `#[export_name]` entry point (the exact core names), the
// `cabi_post_*` functions that free what a result allocated, and the
// destructors of exported resources.
//
// # Resources
//
// An imported resource is a struct holding its handle, with the
// constructor as `new`, methods taking &self, static functions, and Drop
// calling `[resource-drop]`. A borrow<R> an export receives is an R too:
// dropping it ends the borrow, which must happen before the export returns
// (the Canonical ABI traps otherwise), so do not keep it.
//
// An exported resource r has a trait GuestR the user implements
// (constructor `new` returning Self, methods on &self, static functions),
// named as the associated type `type R` of the interface's Guest. Its
// rep is a Box of the implementation: R::new(value) makes a handle
// (`[resource-new]`), R::get::<T>() reads it (`[resource-rep]`), Drop
// calls `[resource-drop]`, and the host's last drop runs the `[dtor]`,
// which frees the Box. A borrow arrives as RBorrow, whose get::<T>()
// returns the value.
//
// Signed integers are lowered sign-extended: into an i32 as the spec's
// lower_flat_signed does, and into a variant's joined i64 slot as
// wit-bindgen does (the spec's lifter wraps either extension; jco accepts
// only this one).
//
// # Not supported yet
//
// Async functions, streams, futures and error-context are refused with
// an error saying so. The output compiles without warnings
// (`#![allow(dead_code)]` covers imports the program does not call).
// Calling an import on a non-wasm target fails to link.
//
// # Layout
//
// The output is laid out as rustfmt 1.63 (edition 2021, default
// configuration) would write it, without running rustfmt: witgo_rt is
// imported by its short name into every module that uses it, and
// linebreak.go breaks lines longer than max_width the way rustfmt does for
// the shapes the generator emits (parameter and argument lists, tuples,
// match arms, let values, return types). Not imitated yet: rustfmt's
// overflow of a nested call argument in deep match arms, which the
// wasi:http worlds hit (fmt_test.go lists them).
package rustgen
