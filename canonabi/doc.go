// Package canonabi is witgo's one implementation of the Component Model's
// Canonical ABI (reference/spec/CanonicalABI.md) for 32-bit memories: the
// code generators and the engine both ask it, so each fact is computed and
// tested once. It depends only on package wit.
//
// # Types
//
// An ABI wraps a *wit.Resolve and caches, per TypeID, the despecialized
// shape of each type:
//
//   - Layout: elem_size and alignment (records, variants with 1/2/4-byte
//     discriminants, flags of 1 to 32 labels, fixed-size lists, maps as
//     list<tuple<k, v>>, handles and future/stream/error-context as i32).
//   - Flat: flatten_type, with variant payloads joined (join).
//   - Signature: flatten_functype for Lift or Lower, with
//     MaxFlatParams/MaxFlatResults spilling (parameters through a pointer;
//     results through a returned pointer for Lift or a caller-supplied
//     return area for Lower), async lowering and lifting, and whether a
//     post-return is needed (the result holds strings or lists).
//
// Types the spec rejects (empty records, flags outside 1..32 labels,
// zero-length fixed lists, sizes of 2^28 or more, recursive types) are
// TypeErrors.
//
// # Names
//
// Names lists every core import and export of a world under a Scheme:
// Legacy (what wit-bindgen emits: `$root`/`f`, `ns:pkg/i@1.2.3`/`f`,
// `ns:pkg/i@1.2.3#f`, `[resource-drop]r`, `[export]`-prefixed modules for
// exported resources' `[resource-new]`/`[resource-rep]`, `#[dtor]r`,
// `cabi_post_*`, `cabi_realloc`, `memory`, `_initialize`, and for async
// functions `[async-lower]`, `[async-lift]` with `[callback]` or
// `[async-lift-stackful]`, and `[task-return]`)
// or CM32P2 (BuildTargets.md). ParseImport and ParseExport map a core name
// back to its item, or explain why nothing matches. A `cabi_post_` name is
// listed for every export; a module defines it only when the function's
// Signature says NeedsPostReturn.
//
// The async ABI's built-ins (names_async.go) are named as wit-component's
// legacy scheme names them: `[stream-new-N]f` and the other stream and
// future built-ins in the module of function f, N indexing
// FuturesAndStreams(f) (`unit` for a payload-less one), `[async-lower]`
// for their async forms, and the function-less `$root` built-ins
// (`[waitable-set-new]`, `[context-get-0]`, ...). PayloadIntrinsic and
// Intrinsic give a generator the name of each; IntrinsicSignature its
// core type.
//
// # Values
//
// Value is a dynamic value of any WIT type. Load/Store and
// LiftFlat/LowerFlat convert values to and from linear memory and flat core
// values (uint64s, as wazero passes them); LowerArgs, LiftArgs, LowerResult
// and LiftResult do the same for whole calls with the spilling rules.
// Memory is an interface (Read, Write, Realloc) so the engine can back it
// with wazero; SliceMemory serves tests. Context carries the string
// encoding (utf8, utf16, latin1+utf16) and an optional HandleTable. Every
// out-of-bounds or misaligned pointer, bad discriminant, invalid char or
// invalid string is a *Trap error, never a panic.
//
// WAVE (FormatWAVE, ParseWAVE, ParseCall) is the value text format of
// wasm-wave and wasmtime --invoke.
//
// # Plans
//
// Plan(f, dir) is the ordered, target-independent program a code generator
// translates and an engine interprets. It is read from the guest's side:
// for Lower (an import) the guest lowers arguments, calls, lifts the
// result; for Lift (an export) the guest lifts parameters, calls the
// implementation, lowers the result, then frees in post-return. A host runs
// it mirrored (it lifts where the guest lowers). Steps:
//
//	params-area   parameters travel as a tuple in memory (Layout); the
//	              single core parameter points at it
//	param i       Body converts parameter i
//	ret-area      a return area (Layout) is the last core parameter
//	call          the call itself
//	result        Body converts the result; for an async Lift, the
//	              arguments of task.return; for an async Lower, what the
//	              callee writes into the return area when it returns
//	post-return   Body walks the result again to free what it owns
//
// Value conversions sit at a Place: flat[k] (core values k.. of the current
// window) or mem+off (bytes at off from the current base pointer: the
// parameter tuple, the return area, or the element being converted inside a
// list):
//
//	scalar       bool, integer, float, char; Size bytes in memory
//	string       two i32s: pointer and (tagged) code units
//	list         two i32s: pointer and length; Body converts one element
//	             with mem+ places relative to that element's address
//	fixed-list   Len elements, Stride bytes / FlatLen core values apart;
//	             Body is element 0
//	record       Blocks[i] converts field i (record and tuple)
//	variant      discriminant (Size bytes, or flat i32) then Blocks[c] for
//	             case c's payload, nil when it has none (variant, enum,
//	             option, result)
//	flags        Size bytes, or one i32
//	handle       one i32: own/borrow (Resource), future, stream,
//	             error-context
//
// At a flat Place, Slots lists the core types actually present. Inside a
// variant payload they are the joined types, so the converter must coerce:
// an f32 in an i32 slot is reinterpreted, an i32 in an i64 slot is
// zero-extended (wrapped when lifting), an f32 in an i64 slot goes through
// i32, an f64 in an i64 slot is reinterpreted. Generators emit blocks as
// nested code (a switch per variant, a loop per list); the engine walks the
// same tree.
//
// Summary renders a world's ABI as text for `witgo wit --abi`.
package canonabi
