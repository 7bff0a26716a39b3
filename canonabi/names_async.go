package canonabi

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/witgo/witgo/wit"
)

// The async ABI's core names under the legacy scheme. The facts come from
// wasm-tools' crates/wit-component/src/validation.rs (`Legacy` name
// mangling, read at commit a7ef4778a98e of 2026-08-21):
//
//   - function-bound intrinsics live in the module of their function (the
//     interface's import module or `$root`; for exported functions
//     `[export]` + that module) and are named `[<intrinsic>-<N>]<func>`;
//   - `[async-lower]` in front of a stream/future read, write, cancel-read,
//     cancel-write and of `[subtask-cancel]` selects the `async` option;
//   - `[cancellable]` in front of `[waitable-set-wait]`,
//     `[waitable-set-poll]` and `[thread-yield]` selects `cancellable`;
//   - `unit` in place of N names the payload-less `stream`/`future`; the
//     text after `]` is then not looked at;
//   - `[task-cancel]` is an intrinsic of exports: it lives in an
//     `[export]...` module (any exported interface's, or `[export]$root`),
//     never in `$root`.

// FuncABI says which form of the Canonical ABI a core function uses.
type FuncABI uint8

const (
	// ABISync: `canon lift`/`canon lower` without `async`.
	ABISync FuncABI = iota
	// ABIAsync: imports `[async-lower]f` (canon lower async); exports
	// `[async-lift]name` with a `[callback][async-lift]name` (canon lift
	// async (callback ...)); intrinsics with an `[async-lower]` prefix (the
	// `async` option of stream/future copies and cancels, subtask.cancel).
	ABIAsync
	// ABIAsyncStackful: exports `[async-lift-stackful]name` (canon lift
	// async, no callback).
	ABIAsyncStackful
)

func (a FuncABI) String() string {
	return [...]string{"sync", "async", "async-stackful"}[a]
}

// intrinsic describes one canon built-in that a core module imports by name.
type intrinsic struct {
	spelling string // the bracketed name without `[`/`]` and N
	payload  bool   // a stream/future built-in: `[spelling-N]func`
	async    bool   // accepts the `[async-lower]` prefix
	cancel   bool   // accepts the `[cancellable]` prefix
	export   bool   // lives in an `[export]` module
	// params and results are the core signature (CanonicalABI.md,
	// "validation specifies"): 'i' is i32, 'I' is i64.
	params, results string
}

var intrinsics = map[NameKind]intrinsic{
	NameTaskCancel:               {spelling: "task-cancel", export: true},
	NameStreamNew:                {spelling: "stream-new", payload: true, results: "I"},
	NameStreamRead:               {spelling: "stream-read", payload: true, async: true, params: "iii", results: "i"},
	NameStreamWrite:              {spelling: "stream-write", payload: true, async: true, params: "iii", results: "i"},
	NameStreamCancelRead:         {spelling: "stream-cancel-read", payload: true, async: true, params: "i", results: "i"},
	NameStreamCancelWrite:        {spelling: "stream-cancel-write", payload: true, async: true, params: "i", results: "i"},
	NameStreamDropReadable:       {spelling: "stream-drop-readable", payload: true, params: "i"},
	NameStreamDropWritable:       {spelling: "stream-drop-writable", payload: true, params: "i"},
	NameFutureNew:                {spelling: "future-new", payload: true, results: "I"},
	NameFutureRead:               {spelling: "future-read", payload: true, async: true, params: "ii", results: "i"},
	NameFutureWrite:              {spelling: "future-write", payload: true, async: true, params: "ii", results: "i"},
	NameFutureCancelRead:         {spelling: "future-cancel-read", payload: true, async: true, params: "i", results: "i"},
	NameFutureCancelWrite:        {spelling: "future-cancel-write", payload: true, async: true, params: "i", results: "i"},
	NameFutureDropReadable:       {spelling: "future-drop-readable", payload: true, params: "i"},
	NameFutureDropWritable:       {spelling: "future-drop-writable", payload: true, params: "i"},
	NameWaitableSetNew:           {spelling: "waitable-set-new", results: "i"},
	NameWaitableSetWait:          {spelling: "waitable-set-wait", cancel: true, params: "ii", results: "i"},
	NameWaitableSetPoll:          {spelling: "waitable-set-poll", cancel: true, params: "ii", results: "i"},
	NameWaitableSetDrop:          {spelling: "waitable-set-drop", params: "i"},
	NameWaitableJoin:             {spelling: "waitable-join", params: "ii"},
	NameThreadYield:              {spelling: "thread-yield", cancel: true, results: "i"},
	NameSubtaskDrop:              {spelling: "subtask-drop", params: "i"},
	NameSubtaskCancel:            {spelling: "subtask-cancel", async: true, params: "i", results: "i"},
	NameContextGet:               {spelling: "context-get", results: "i"},
	NameContextSet:               {spelling: "context-set", params: "i"},
	NameBackpressureInc:          {spelling: "backpressure-inc"},
	NameBackpressureDec:          {spelling: "backpressure-dec"},
	NameErrorContextNew:          {spelling: "error-context-new", params: "ii", results: "i"},
	NameErrorContextDebugMessage: {spelling: "error-context-debug-message", params: "ii"},
	NameErrorContextDrop:         {spelling: "error-context-drop", params: "i"},
}

// ContextSlots is the number of context.get/set slots (CanonicalABI.md:
// `$i` must be less than 2).
const ContextSlots = 2

// ErrorContextEncodings are the string encodings of the error-context
// built-ins, as their names spell them.
var ErrorContextEncodings = []string{"utf8", "utf16", "latin1+utf16"}

// IsIntrinsic reports whether k is an async built-in with a fixed core
// signature (everything but functions, task.return and callbacks).
func (k NameKind) IsIntrinsic() bool { _, ok := intrinsics[k]; return ok }

// IsPayload reports whether k is a stream or future built-in.
func (k NameKind) IsPayload() bool { return intrinsics[k].payload }

// IsStream reports whether k is a stream built-in.
func (k NameKind) IsStream() bool { return k >= NameStreamNew && k <= NameStreamDropWritable }

// IntrinsicSignature is the core type of a built-in of kind k, from
// CanonicalABI.md; ok is false for kinds whose type depends on a function.
func IntrinsicSignature(k NameKind) (params, results []CoreType, ok bool) {
	in, ok := intrinsics[k]
	if !ok {
		return nil, nil, false
	}
	conv := func(s string) []CoreType {
		out := make([]CoreType, len(s))
		for i, c := range s {
			out[i] = I32
			if c == 'I' {
				out[i] = I64
			}
		}
		return out
	}
	return conv(in.params), conv(in.results), true
}

// FuturesAndStreams lists the future and stream types in f's signature in
// the order wit-parser's `Function::find_futures_and_streams` gives them,
// which is what N in `[stream-new-N]f` indexes. Read from wasm-tools'
// crates/wit-parser/src/resolve.rs: a depth-first walk of each parameter
// type, then of the result; records, tuples, variant cases, option, list,
// fixed-size list, map (key then value), result (ok then err) and type
// aliases are walked into; a future or stream is appended AFTER its own
// payload (so `future<future<u32>>` gives [future<u32>, future<future<u32>>]);
// resources, handles, flags and enums are not walked; nothing is
// deduplicated (a type used twice appears twice).
func FuturesAndStreams(r *wit.Resolve, f *wit.Function) []wit.TypeID {
	var out []wit.TypeID
	for _, p := range f.Params {
		out = appendFuturesAndStreams(r, p.Type, out, 0)
	}
	if f.Result != wit.NoType {
		out = appendFuturesAndStreams(r, f.Result, out, 0)
	}
	return out
}

func appendFuturesAndStreams(r *wit.Resolve, t wit.Type, out []wit.TypeID, depth int) []wit.TypeID {
	id, ok := t.TypeID()
	if !ok || int(id) >= len(r.Types) || r.Types[id] == nil || depth > 1000 {
		return out
	}
	kind := r.Types[id].Kind
	for _, u := range wit.TypeOperands(kind) {
		if u != wit.NoType {
			out = appendFuturesAndStreams(r, u, out, depth+1)
		}
	}
	switch kind.(type) {
	case *wit.Future, *wit.Stream:
		out = append(out, id)
	}
	return out
}

// PayloadIntrinsic returns the core import of the stream/future built-in k
// (NameStreamNew ... NameFutureDropWritable) for the stream or future type
// t as it occurs in f, an imported (exported=false) or exported world
// function. async selects the `[async-lower]` form (only read, write and
// the cancels have one). When t occurs more than once in f, the first
// occurrence's index is used (each names the same type).
func (n *Names) PayloadIntrinsic(exported bool, f *wit.Function, k NameKind, t wit.TypeID, async bool) (*CoreName, error) {
	if !k.IsPayload() {
		return nil, fmt.Errorf("canonabi: %s is not a stream or future built-in", k)
	}
	i, ok := n.payloadIndex[payloadKey{exported, f, t}]
	if !ok {
		return nil, fmt.Errorf("canonabi: type #%d is not a stream or future of function %q", t, f.Name)
	}
	return n.PayloadIntrinsicAt(exported, f, k, i, async)
}

// PayloadIntrinsicAt is PayloadIntrinsic for the N-th future or stream of
// f (FuturesAndStreams order).
func (n *Names) PayloadIntrinsicAt(exported bool, f *wit.Function, k NameKind, index int, async bool) (*CoreName, error) {
	abi := ABISync
	if async {
		abi = ABIAsync
	}
	i, ok := n.funcs[funcKey{exported: exported, f: f, kind: k, abi: abi, payload: index + 1}]
	if !ok {
		return nil, fmt.Errorf("canonabi: function %q has no %s built-in at index %d (async %v)", f.Name, k, index, async)
	}
	return &n.Items[i], nil
}

// TaskReturn returns the `[task-return]` import of an exported async function.
func (n *Names) TaskReturn(f *wit.Function) (*CoreName, bool) {
	return n.lookupFunc(true, f, NameTaskReturn)
}

// Callback returns the `[callback][async-lift]` export of an exported
// async function.
func (n *Names) Callback(f *wit.Function) (*CoreName, bool) {
	return n.lookupFunc(true, f, NameAsyncCallback)
}

// FuncForm returns the core import or export of f in one ABI form: an
// async import also has a sync-lowered form (plain `f`), an async export
// the `[async-lift]` (callback) and `[async-lift-stackful]` forms.
func (n *Names) FuncForm(exported bool, f *wit.Function, abi FuncABI) (*CoreName, bool) {
	i, ok := n.funcs[funcKey{exported: exported, f: f, kind: NameFunc, abi: abi}]
	if !ok {
		return nil, false
	}
	return &n.Items[i], true
}

// IntrinsicOptions select a variant of a function-less built-in.
type IntrinsicOptions struct {
	Async       bool   // `[async-lower]` (subtask-cancel)
	Cancellable bool   // `[cancellable]` (waitable-set-wait/poll, thread-yield)
	Slot        uint32 // context-get/set
	Encoding    string // error-context-new/debug-message: "utf8" (default), "utf16", "latin1+utf16"
}

// Intrinsic returns the core import of a function-less built-in: `$root`
// names, and `[export]$root` `[task-cancel]`.
func (n *Names) Intrinsic(k NameKind, o IntrinsicOptions) (*CoreName, error) {
	in, ok := intrinsics[k]
	if !ok || in.payload {
		return nil, fmt.Errorf("canonabi: %s is not a function-less built-in", k)
	}
	if o.Async && !in.async || o.Cancellable && !in.cancel {
		return nil, fmt.Errorf("canonabi: %s has no such variant (async %v, cancellable %v)", k, o.Async, o.Cancellable)
	}
	c := CoreName{Kind: k, Import: true, Module: "$root", Cancellable: o.Cancellable, Slot: o.Slot, Encoding: o.Encoding}
	if o.Async {
		c.ABI = ABIAsync
	}
	switch k {
	case NameContextGet, NameContextSet:
		if o.Slot >= ContextSlots {
			return nil, fmt.Errorf("canonabi: context slot %d is out of range: there are %d", o.Slot, ContextSlots)
		}
	case NameErrorContextNew, NameErrorContextDebugMessage:
		if c.Encoding == "" {
			c.Encoding = "utf8"
		}
		if !validEncoding(c.Encoding) {
			return nil, fmt.Errorf("canonabi: unknown error-context string encoding %q", o.Encoding)
		}
	default:
		c.Slot, c.Encoding = 0, ""
	}
	if in.export {
		c.Module, c.Exported = "[export]$root", true
	}
	c.Field = intrinsicField(&c, "")
	if i, ok := n.imports[[2]string{c.Module, c.Field}]; ok {
		return &n.Items[i], nil
	}
	return &c, nil
}

func validEncoding(e string) bool {
	for _, x := range ErrorContextEncodings {
		if x == e {
			return true
		}
	}
	return false
}

// intrinsicField spells the field of a built-in; fn is the function name of
// a stream/future built-in.
func intrinsicField(c *CoreName, fn string) string {
	in := intrinsics[c.Kind]
	s := in.spelling
	switch {
	case in.payload && c.Unit:
		s += "-unit"
	case in.payload:
		s += fmt.Sprintf("-%d", c.PayloadIndex)
	case c.Kind == NameContextGet || c.Kind == NameContextSet:
		s += fmt.Sprintf("-%d", c.Slot)
	case c.Encoding != "":
		s += "-" + c.Encoding
	}
	s = "[" + s + "]" + fn
	if c.ABI == ABIAsync {
		s = "[async-lower]" + s
	}
	if c.Cancellable {
		s = "[cancellable]" + s
	}
	return s
}

type payloadKey struct {
	exported bool
	f        *wit.Function
	t        wit.TypeID
}

// addPayloadIntrinsics adds the stream/future built-ins of function c
// (whose module is module) for each of its futures and streams.
func (n *Names) addPayloadIntrinsics(r *wit.Resolve, c CoreName, module string) error {
	for i, t := range FuturesAndStreams(r, c.Function) {
		k := payloadKey{c.Exported, c.Function, t}
		if _, seen := n.payloadIndex[k]; !seen {
			n.payloadIndex[k] = i
		}
		first := NameFutureNew
		if _, ok := r.Types[t].Kind.(*wit.Stream); ok {
			first = NameStreamNew
		}
		for kind := first; kind < first+7; kind++ {
			for _, abi := range []FuncABI{ABISync, ABIAsync} {
				if abi == ABIAsync && !intrinsics[kind].async {
					continue
				}
				x := c
				x.Kind, x.Import, x.Module, x.ABI = kind, true, module, abi
				x.Payload, x.PayloadIndex = t, i
				x.Field = intrinsicField(&x, c.Function.Name)
				if err := n.add(x); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// addRootIntrinsics adds the function-less built-ins: every variant but
// the error-context encodings other than utf8, context slots other than 0
// and the `[cancellable]` forms, which Intrinsic and ParseImport still
// know. component-model#716 (merged 2026-08-29, after the spec copy in
// shared/reference) removed the `cancellable` immediate (its byte must be
// 0): no producer emits it, and current validators (jco 1.35) reject it.
func (n *Names) addRootIntrinsics() error {
	for k := NameTaskCancel; k <= NameErrorContextDrop; k++ {
		in := intrinsics[k]
		if in.payload {
			continue
		}
		variants := []IntrinsicOptions{{}}
		if in.async {
			variants = append(variants, IntrinsicOptions{Async: true})
		}
		for _, o := range variants {
			c, err := n.Intrinsic(k, o)
			if err != nil {
				return err
			}
			if err := n.add(*c); err != nil {
				return err
			}
		}
	}
	return nil
}

// usesAsync reports whether a world needs the async built-ins: it has an
// async function or a future, stream or error-context anywhere in a
// function's signature.
func usesAsync(r *wit.Resolve, w *wit.World) bool {
	for _, items := range []*wit.OrderedMap[wit.WorldKey, *wit.WorldItem]{&w.Imports, &w.Exports} {
		for item := range items.Values() {
			var fs []*wit.Function
			switch item.Kind {
			case wit.ItemFunction:
				fs = append(fs, item.Function)
			case wit.ItemInterface:
				if int(item.Interface) < len(r.Interfaces) {
					for f := range r.Interfaces[item.Interface].Functions.Values() {
						fs = append(fs, f)
					}
				}
			}
			for _, f := range fs {
				if f.Async || len(FuturesAndStreams(r, f)) > 0 || mentionsErrorContext(r, f) {
					return true
				}
			}
		}
	}
	return false
}

func mentionsErrorContext(r *wit.Resolve, f *wit.Function) bool {
	seen := map[wit.TypeID]bool{}
	var has func(t wit.Type) bool
	has = func(t wit.Type) bool {
		if t == wit.ErrorContext {
			return true
		}
		id, ok := t.TypeID()
		if !ok || seen[id] || int(id) >= len(r.Types) || r.Types[id] == nil {
			return false
		}
		seen[id] = true
		for _, u := range wit.TypeOperands(r.Types[id].Kind) {
			if has(u) {
				return true
			}
		}
		return false
	}
	for _, p := range f.Params {
		if has(p.Type) {
			return true
		}
	}
	return has(f.Result)
}

// parseIntrinsic recognizes the built-in names that the table does not
// list: function-less built-ins in a world without async features (and
// their rarer variants), `[task-cancel]` in any `[export]` module, the
// `unit` payload forms, and malformed stream/future names, which get an
// error saying what is wrong. It returns nil, nil for other names.
func (n *Names) parseIntrinsic(module, field string) (*CoreName, error) {
	if !n.interfaceModules[module] {
		return nil, nil
	}
	rest, async := strings.CutPrefix(field, "[async-lower]")
	rest, cancellable := strings.CutPrefix(rest, "[cancellable]")
	if async && !cancellable {
		if c, ok := n.imports[[2]string{module, rest}]; ok && n.Items[c].Kind == NameFunc {
			return nil, fmt.Errorf("canonabi: core import %q %q: function %q is not async, so it has no [async-lower] form: import %q",
				module, field, n.Items[c].Function.Name, rest)
		}
	}
	if !strings.HasPrefix(rest, "[") {
		return nil, nil
	}
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		return nil, nil
	}
	inner, fn := rest[1:end], rest[end+1:]
	for k := NameTaskCancel; k <= NameErrorContextDrop; k++ {
		in := intrinsics[k]
		arg, ok := strings.CutPrefix(inner, in.spelling)
		if !ok || arg != "" && arg[0] != '-' {
			continue
		}
		arg = strings.TrimPrefix(arg, "-")
		bad := func(format string, args ...any) (*CoreName, error) {
			return nil, fmt.Errorf("canonabi: core import %q %q: %s", module, field, fmt.Sprintf(format, args...))
		}
		if async && !in.async {
			return bad("%s has no [async-lower] form", k)
		}
		if cancellable && !in.cancel {
			return bad("%s has no [cancellable] form", k)
		}
		c := CoreName{Kind: k, Import: true, Module: module, Cancellable: cancellable, Exported: strings.HasPrefix(module, "[export]")}
		if async {
			c.ABI = ABIAsync
		}
		if in.payload {
			if arg == "unit" {
				c.Unit, c.Field = true, field
				return &c, nil
			}
			if _, err := strconv.ParseUint(arg, 10, 32); err != nil {
				return bad("%q is neither a stream/future index nor \"unit\"", arg)
			}
			return bad("%s", n.describePayload(module, fn, arg))
		}
		if fn != "" {
			return nil, nil // e.g. a function named like a built-in
		}
		switch {
		case in.export != c.Exported || !in.export && module != "$root":
			want := "$root"
			if in.export {
				want = "an [export] module"
			}
			return bad("%s belongs in %s", k, want)
		case k == NameContextGet || k == NameContextSet:
			slot, err := strconv.ParseUint(arg, 10, 32)
			if err != nil || slot >= ContextSlots {
				return bad("context slot %q is out of range: there are %d", arg, ContextSlots)
			}
			c.Slot = uint32(slot)
		case k == NameErrorContextNew || k == NameErrorContextDebugMessage:
			if !validEncoding(arg) {
				return bad("unknown string encoding %q (want one of %s)", arg, strings.Join(ErrorContextEncodings, ", "))
			}
			c.Encoding = arg
		case arg != "":
			return nil, nil
		}
		c.Field = field
		return &c, nil
	}
	return nil, nil
}

// describePayload says why `[...-N]fn` names nothing in module.
func (n *Names) describePayload(module, fn, index string) string {
	exported := strings.HasPrefix(module, "[export]")
	for i := range n.Items {
		c := &n.Items[i]
		if c.Kind == NameFunc && c.Function != nil && c.Function.Name == fn && c.Exported == exported && n.moduleOf(c) == module {
			count := 0
			for j := range n.Items {
				if x := &n.Items[j]; x.Function == c.Function && x.Exported == exported && (x.Kind == NameStreamNew || x.Kind == NameFutureNew) {
					count++
				}
			}
			return fmt.Sprintf("index %s is out of range: function %q has %d futures and streams", index, fn, count)
		}
	}
	return fmt.Sprintf("module %q has no function %q", module, fn)
}

// moduleOf is the import module of a function's built-ins.
func (n *Names) moduleOf(c *CoreName) string {
	if c.Import {
		return c.Module
	}
	if tr, ok := n.TaskReturn(c.Function); ok && c.Function.Async {
		return tr.Module
	}
	iface := ""
	if c.HasInterface {
		iface, _ = interfaceName(n.resolve, c.Key, n.Scheme)
	}
	return "[export]" + rootIfEmpty(iface)
}

// SignatureForm is f's core signature in one ABI form: Signature(f, dir)
// for f's own form, the sync signature for a sync lowering or lifting of
// an async function, the stackful form of an async lift (no result).
func (a *ABI) SignatureForm(f *wit.Function, dir Direction, form FuncABI) (*Signature, error) {
	if form != ABISync && !f.Async {
		return nil, fmt.Errorf("canonabi: function %q is not async: it has no %s form", f.Name, form)
	}
	if form == ABIAsyncStackful && dir != Lift {
		return nil, fmt.Errorf("canonabi: only exports have a stackful form")
	}
	g := f
	if f.Async && form == ABISync {
		sync := *f
		sync.Async = false
		g = &sync
	}
	s, err := a.Signature(g, dir)
	if err != nil {
		return nil, err
	}
	if dir == Lift && f.Async && form != ABISync {
		s.Results = nil
		if form == ABIAsync {
			s.Results = []CoreType{I32} // the callback code
		}
	}
	return s, nil
}

// TaskReturnSignature is the core type of f's `[task-return]` import:
// the flattened result as parameters (one pointer past MaxFlatParams), and
// whether the built-in needs the `memory` option (a spilled result, or
// strings and lists in it).
func (a *ABI) TaskReturnSignature(f *wit.Function) (params []CoreType, needsMemory bool, err error) {
	_, _, result, err := a.funcShapes(f)
	if err != nil || result == nil {
		return nil, false, err
	}
	if result.flatLen > MaxFlatParams {
		return []CoreType{I32}, true, nil
	}
	return append([]CoreType(nil), result.flat...), result.hasAlloc, nil
}
