package component

import (
	"fmt"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component/wasm"
	"github.com/witgo/witgo/wit"
)

// The async ABI in component new: the canon built-ins behind the core
// names of canonabi/names_async.go, as wit-component defines them for the
// same imports (Binary.md for the encodings, CanonicalABI.md for the
// options each one needs).

// payloadOps maps the stream/future name kinds to their canon opcodes.
var payloadOps = map[canonabi.NameKind]byte{
	canonabi.NameStreamNew: CanonStreamNew, canonabi.NameStreamRead: CanonStreamRead,
	canonabi.NameStreamWrite: CanonStreamWrite, canonabi.NameStreamCancelRead: CanonStreamCancelRead,
	canonabi.NameStreamCancelWrite: CanonStreamCancelWrite, canonabi.NameStreamDropReadable: CanonStreamDropReadable,
	canonabi.NameStreamDropWritable: CanonStreamDropWritable,
	canonabi.NameFutureNew:          CanonFutureNew, canonabi.NameFutureRead: CanonFutureRead,
	canonabi.NameFutureWrite: CanonFutureWrite, canonabi.NameFutureCancelRead: CanonFutureCancelRead,
	canonabi.NameFutureCancelWrite: CanonFutureCancelWrite, canonabi.NameFutureDropReadable: CanonFutureDropReadable,
	canonabi.NameFutureDropWritable: CanonFutureDropWritable,
}

// rootOps maps the function-less name kinds to their canon opcodes.
var rootOps = map[canonabi.NameKind]byte{
	canonabi.NameTaskCancel: CanonTaskCancel, canonabi.NameWaitableSetNew: CanonWaitableSetNew,
	canonabi.NameWaitableSetWait: CanonWaitableSetWait, canonabi.NameWaitableSetPoll: CanonWaitableSetPoll,
	canonabi.NameWaitableSetDrop: CanonWaitableSetDrop, canonabi.NameWaitableJoin: CanonWaitableJoin,
	canonabi.NameThreadYield: CanonThreadYield, canonabi.NameSubtaskDrop: CanonSubtaskDrop,
	canonabi.NameSubtaskCancel: CanonSubtaskCancel, canonabi.NameContextGet: CanonContextGet,
	canonabi.NameContextSet: CanonContextSet, canonabi.NameBackpressureInc: CanonBackpressureInc,
	canonabi.NameBackpressureDec: CanonBackpressureDec, canonabi.NameErrorContextNew: CanonErrorContextNew,
	canonabi.NameErrorContextDebugMessage: CanonErrorContextDebugMessage, canonabi.NameErrorContextDrop: CanonErrorContextDrop,
}

var errorContextEncodings = map[string]byte{"utf8": OptUTF8, "utf16": OptUTF16, "latin1+utf16": OptLatin1UTF16}

// importType is the core type an import of c must have, and whether its
// canon definition needs the module's memory (then it goes through the shim
// table and is defined after the module is instantiated).
func (n *newState) importType(c *canonabi.CoreName) (wasm.FuncType, bool, error) {
	i32 := []wasm.ValType{wasm.V(wasm.I32)}
	switch c.Kind {
	case canonabi.NameFunc:
		sig, err := n.abi.SignatureForm(c.Function, canonabi.Lower, c.ABI)
		if err != nil {
			return wasm.FuncType{}, false, err
		}
		return coreSig(sig), sig.NeedsMemory || sig.NeedsRealloc, nil
	case canonabi.NameResourceDrop:
		return wasm.FuncType{Params: i32}, false, nil
	case canonabi.NameResourceNew, canonabi.NameResourceRep:
		return wasm.FuncType{Params: i32, Results: i32}, false, nil
	case canonabi.NameTaskReturn:
		params, mem, err := n.abi.TaskReturnSignature(c.Function)
		return wasm.FuncType{Params: coreValTypes(params)}, mem, err
	}
	if c.Cancellable {
		// CanonicalABI.md here still has the immediate, but
		// component-model#716 made its byte always 0 and current
		// validators (jco 1.35's wasm-tools) reject a component using it.
		return wasm.FuncType{}, false, fmt.Errorf("the [cancellable] form of %s was removed by component-model#716: import the plain name", c.Kind)
	}
	params, results, ok := canonabi.IntrinsicSignature(c.Kind)
	if !ok {
		return wasm.FuncType{}, false, fmt.Errorf("%s imports are not supported", c.Kind)
	}
	ft := wasm.FuncType{Params: coreValTypes(params), Results: coreValTypes(results)}
	switch c.Kind {
	case canonabi.NameStreamRead, canonabi.NameStreamWrite, canonabi.NameFutureRead, canonabi.NameFutureWrite,
		canonabi.NameWaitableSetWait, canonabi.NameWaitableSetPoll,
		canonabi.NameErrorContextNew, canonabi.NameErrorContextDebugMessage:
		return ft, true, nil
	}
	return ft, false, nil
}

// defineImport makes the core function for import c: a canon lower or
// built-in. memory and realloc are nil before the module is instantiated.
func (n *newState) defineImport(c *canonabi.CoreName, memory, realloc *uint32) (uint32, error) {
	switch c.Kind {
	case canonabi.NameFunc:
		return n.lower(c, memory, realloc)
	case canonabi.NameResourceDrop, canonabi.NameResourceNew, canonabi.NameResourceRep:
		t, err := n.resourceType(c)
		if err != nil {
			return 0, err
		}
		op := map[canonabi.NameKind]byte{canonabi.NameResourceDrop: CanonResourceDrop,
			canonabi.NameResourceNew: CanonResourceNew, canonabi.NameResourceRep: CanonResourceRep}[c.Kind]
		return n.b.canon(Canon{Op: op, Type: t}), nil
	case canonabi.NameTaskReturn:
		return n.taskReturn(c, memory)
	}
	if op, ok := payloadOps[c.Kind]; ok {
		return n.payloadBuiltin(c, op, memory, realloc)
	}
	op, ok := rootOps[c.Kind]
	if !ok {
		return 0, fmt.Errorf("%s imports are not supported", c.Kind)
	}
	def := Canon{Op: op}
	switch c.Kind {
	case canonabi.NameWaitableSetWait, canonabi.NameWaitableSetPoll:
		if memory == nil {
			return 0, fmt.Errorf("%s needs the module's memory", c)
		}
		def.Flag, def.Memory = c.Cancellable, *memory
	case canonabi.NameThreadYield:
		def.Flag = c.Cancellable
	case canonabi.NameSubtaskCancel:
		def.Flag = c.ABI == canonabi.ABIAsync
	case canonabi.NameContextGet, canonabi.NameContextSet:
		def.CoreVal, def.Slot = wasm.V(wasm.I32), c.Slot
	case canonabi.NameErrorContextNew, canonabi.NameErrorContextDebugMessage:
		if memory == nil {
			return 0, fmt.Errorf("%s needs the module's memory", c)
		}
		def.Opts = []CanonOpt{{Kind: OptMemory, Index: *memory}}
		if c.Kind == canonabi.NameErrorContextDebugMessage {
			if realloc == nil {
				return 0, fmt.Errorf("%s needs a realloc function: the module does not export cabi_realloc", c)
			}
			def.Opts = append(def.Opts, CanonOpt{Kind: OptRealloc, Index: *realloc})
		}
		def.Opts = append(def.Opts, CanonOpt{Kind: errorContextEncodings[c.Encoding]})
	}
	return n.b.canon(def), nil
}

// taskReturn defines `canon task.return` for an exported async function.
func (n *newState) taskReturn(c *canonabi.CoreName, memory *uint32) (uint32, error) {
	f := c.Function
	def := Canon{Op: CanonTaskReturn}
	if f.Result != wit.NoType {
		vt, err := n.typeFor(c, f.Result)
		if err != nil {
			return 0, err
		}
		def.Result = &vt
	}
	if _, mem, err := n.abi.TaskReturnSignature(f); err != nil {
		return 0, err
	} else if mem {
		if memory == nil {
			return 0, fmt.Errorf("%s needs the module's memory", c)
		}
		def.Opts = []CanonOpt{{Kind: OptMemory, Index: *memory}, n.enc.canonOpt()}
	}
	return n.b.canon(def), nil
}

// payloadBuiltin defines a stream or future built-in.
func (n *newState) payloadBuiltin(c *canonabi.CoreName, op byte, memory, realloc *uint32) (uint32, error) {
	t, elem, err := n.payloadType(c)
	if err != nil {
		return 0, err
	}
	def := Canon{Op: op, Type: t}
	async := c.ABI == canonabi.ABIAsync
	switch c.Kind {
	case canonabi.NameStreamCancelRead, canonabi.NameStreamCancelWrite,
		canonabi.NameFutureCancelRead, canonabi.NameFutureCancelWrite:
		def.Flag = async
	case canonabi.NameStreamRead, canonabi.NameStreamWrite, canonabi.NameFutureRead, canonabi.NameFutureWrite:
		if memory == nil {
			return 0, fmt.Errorf("%s needs the module's memory", c)
		}
		def.Opts = []CanonOpt{{Kind: OptMemory, Index: *memory}}
		reading := c.Kind == canonabi.NameStreamRead || c.Kind == canonabi.NameFutureRead
		if elem != wit.NoType && reading {
			// Values read into the guest allocate their strings and lists.
			sig, err := n.abi.Signature(&wit.Function{Name: "payload", Result: elem}, canonabi.Lower)
			if err != nil {
				return 0, err
			}
			if sig.NeedsRealloc {
				if realloc == nil {
					return 0, fmt.Errorf("%s reads strings or lists, so the module must export cabi_realloc", c)
				}
				def.Opts = append(def.Opts, CanonOpt{Kind: OptRealloc, Index: *realloc})
			}
		}
		if hasString(n.r, elem, 0) {
			def.Opts = append(def.Opts, n.enc.canonOpt())
		}
		if async {
			def.Opts = append(def.Opts, CanonOpt{Kind: OptAsync})
		}
	}
	return n.b.canon(def), nil
}

// payloadType is the component type index of a built-in's stream or
// future type, and its payload.
func (n *newState) payloadType(c *canonabi.CoreName) (uint32, wit.Type, error) {
	if c.Unit {
		kind := byte(KindFuture)
		if c.Kind.IsStream() {
			kind = KindStream
		}
		if idx, ok := n.unitTypes[kind]; ok {
			return idx, wit.NoType, nil
		}
		idx := n.e.outer.defineVal(DefValType{Kind: kind})
		n.flush()
		n.unitTypes[kind] = idx
		return idx, wit.NoType, nil
	}
	var elem wit.Type
	switch k := n.r.Types[c.Payload].Kind.(type) {
	case *wit.Stream:
		elem = k.Elem
	case *wit.Future:
		elem = k.Elem
	}
	vt, err := n.typeFor(c, wit.Ref(c.Payload))
	if err != nil {
		return 0, 0, err
	}
	return vt.Idx, elem, nil
}

// typeFor encodes t, a type of c's function, in the component's type
// index space. As wit-component does, the types of imported functions and
// of world-level exports come from the world's imports; those of an
// exported interface's functions are the component's own definitions.
func (n *newState) typeFor(c *canonabi.CoreName, t wit.Type) (ValType, error) {
	e := n.e
	typeMap, importMap := e.outer.typeMap, e.importMap
	if !c.Exported || !c.HasInterface {
		e.outer.typeMap, e.importMap = n.importTypeMap, n.importInstances
		e.inIf, e.inst, e.concrete = false, nil, false
	} else {
		e.inIf, e.iface, e.inst, e.concrete = true, c.Interface, nil, true
	}
	vt, err := e.valType(t)
	e.outer.typeMap, e.importMap = typeMap, importMap
	e.concrete = false
	n.flush()
	return vt, err
}

// snapshotImportTypes remembers the world's import-side type indices
// before the exported interfaces' own types are defined.
func (n *newState) snapshotImportTypes() {
	n.importTypeMap = map[wit.TypeID]uint32{}
	for k, v := range n.e.outer.typeMap {
		n.importTypeMap[k] = v
	}
	// The instances the component imports (the world type's importMap
	// also counts exported instances, which the component does not have).
	n.importInstances = map[wit.InterfaceID]uint32{}
	for key, item := range n.r.Worlds[n.w].Imports.All() {
		if item.Kind != wit.ItemInterface {
			continue
		}
		if name, err := worldKeyName(n.r, key); err == nil {
			if idx, ok := n.instImports[name]; ok {
				n.importInstances[item.Interface] = idx
			}
		}
	}
	n.unitTypes = map[byte]uint32{}
}

// hasString reports whether values of t contain strings (which is when
// wit-component gives a stream/future copy a string-encoding option).
// A nested stream or future is a handle: its payload does not count.
func hasString(r *wit.Resolve, t wit.Type, depth int) bool {
	if t == wit.String {
		return true
	}
	id, ok := t.TypeID()
	if !ok || depth > 100 || int(id) >= len(r.Types) || r.Types[id] == nil {
		return false
	}
	var parts []wit.Type
	switch k := r.Types[id].Kind.(type) {
	case *wit.Record:
		for _, f := range k.Fields {
			parts = append(parts, f.Type)
		}
	case *wit.Variant:
		for _, c := range k.Cases {
			parts = append(parts, c.Type)
		}
	case *wit.Tuple:
		parts = k.Types
	case *wit.Option:
		parts = []wit.Type{k.Type}
	case *wit.Result:
		parts = []wit.Type{k.OK, k.Err}
	case *wit.List:
		parts = []wit.Type{k.Elem}
	case *wit.FixedList:
		parts = []wit.Type{k.Elem}
	case *wit.Map:
		parts = []wit.Type{k.Key, k.Value}
	case *wit.Alias:
		parts = []wit.Type{k.Type}
	}
	for _, p := range parts {
		if hasString(r, p, depth+1) {
			return true
		}
	}
	return false
}

// funcHasString reports whether f's parameters or result hold strings.
func funcHasString(r *wit.Resolve, f *wit.Function) bool {
	for _, p := range f.Params {
		if hasString(r, p.Type, 0) {
			return true
		}
	}
	return f.Result != wit.NoType && hasString(r, f.Result, 0)
}
