// Package compose links components into one: the first component (the
// socket) has its imports satisfied by the exports of the others (the
// plugs), as `wac plug` and `wasm-tools compose` do.
//
// # Matching
//
// An import is satisfied by the export of the same name of a plug:
// interface names match exactly or with a semver-compatible version
// (`a:b/c@0.2.0` and `a:b/c@0.2.6`; compatible versions share their
// major version, or 0.minor, or 0.0.patch). A plug's own imports may be
// satisfied by other plugs: for the component at position i the plugs
// after it are searched first, then the ones before it; the socket never
// provides. Links form a graph that must have no cycle. The export must
// offer every function and type the import asks for, with equal types
// (compared structurally; resources by their interface and name); the
// first difference is reported with both sides named.
//
// Imports nobody satisfies become imports of the composed component.
// Imports of the same interface by several components (WASI, typically)
// are merged into one: the union of their functions and types, equal
// where both have them, under the highest of their versions. Every
// component then gets the same instance, so the resources of a shared
// interface are one type for all of them.
//
// A plug nobody uses is left out with a warning. When the socket's
// exports use types of an interface a plug provides (a plug's resource
// handed out by the socket), that interface is exported too, so that the
// composed component's exports can name the types; an import left open
// cannot use such types, which is an error.
//
// # Encoding
//
// The composed component is an outer component that imports the merged
// imports (encoded from a WIT world by component.WorldType), embeds each
// used input as a nested component (section 4), instantiates the plugs
// (providers first) and the socket with `with` arguments, and exports
// the socket's exports, aliased from its instance, each with a type
// ascription so that tools can describe it without running it.
//
// A re-exported plug interface is exported before the components that
// use it are instantiated, and they get the exported instance: a resource
// an export carries is a new type to what follows it. It has no type
// ascription, since wasm-tools does not accept ascribing `(sub resource)`
// to the resource of a nested instance. component.ComponentWorld (so
// `witgo component wit`) follows aliases into the instances of nested
// components, so it describes every composition as jco does.
//
// Validation is most of the cost of composing: the inputs are validated
// once, as part of the composed component, and an invalid one is named.
//
// The package works on component types (component.ComponentWorld gives
// each input's world as WIT); it never parses WIT text.
package compose
