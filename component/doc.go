// Package component reads, writes and validates WebAssembly components
// (the binary format of the Component Model, Binary.md; version 0x0d,
// layer 1; the 0x0a version of WASI 0.2-era tools is accepted too).
//
// # Design
//
// Decode turns a binary into a *Component: the sections in binary order,
// one Go type per section kind. Real components interleave many small
// sections, so nothing is grouped or reordered. Every item keeps the
// information its encoding needs (the leading byte of extern names, the
// shape of result lists, the optional immediates of canon built-ins,
// non-minimal section sizes), so Encode(Decode(b)) == b for binaries
// made by wasm-tools. Custom sections, including "component-name", are
// kept as raw bytes at their position; embedded core modules are decoded
// by the subpackage wasm (which keeps element/data sections and function
// bodies raw).
//
// Validate is separate from Decode: a tool may want to read a component
// that it does not need to check. It walks the sections in order and
// builds the index spaces of each component and of each component and
// instance type, resolving type indices into shared trees (see vmodel.go):
//
//   - value types, function, component and instance types, and resources
//     (a resource's identity is its pointer);
//   - instantiation binds a component's imported resources and value
//     types to the arguments and gives the resources it defines fresh
//     identities (subst.go); subtyping and type equality unify abstract
//     resources as they go (match.go);
//   - canon lift/lower are checked against core signatures with the
//     flattening rules of CanonicalABI.md (abi.go); option rules
//     (memory/realloc/post-return/async/callback) follow the same file;
//   - import and export names follow Explainer.md (plain, [constructor],
//     [method], [static] and interface names with semver; the older
//     dependency, URL and integrity names for imports), with the
//     strong-uniqueness rule and the external-visibility rule (types used
//     by an import or export must themselves be imported or exported).
//
// Errors are *Error values with the absolute byte offset: of the bad
// bytes for decoding errors, of the section (and the item's index in
// it) for validation errors.
//
// Hostile input: every vector count is checked against the bytes that
// remain before anything is allocated, nesting of components and type
// declarators is capped at MaxNesting, and the effective size of types
// (nodes counted with repetition) is capped at one million, so that
// comparisons of types built by repeated doubling stay cheap.
//
// Core modules are checked as far as components rely on them (imports,
// exports, limits, duplicate imports); their function bodies, initializers
// and element/data segments are type-checked by
// wasm.(*Module).ValidateCode, which covers core 2.0 and tail calls and
// accepts bodies that use instructions outside that set.
//
// Not done here: the "each value is consumed exactly once" rule of value
// definitions (🪙; their encodings are checked against their types), and
// shared-everything threads (🧵②) built-ins are checked only for their
// immediates.
package component
