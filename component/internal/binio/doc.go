// Package binio holds the byte-level reader and writer shared by the core
// module codec (component/wasm) and the component codec (component): LEB128
// integers, names, vectors and the Error type that carries a byte offset.
//
// Every count read from the input is checked against the bytes that remain
// before anything is allocated for it, so hostile input cannot make a
// decoder allocate more than a small multiple of its own size.
package binio
