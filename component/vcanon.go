package component

import "github.com/witgo/witgo/component/wasm"

var encodingNames = map[byte]string{OptUTF8: "utf8", OptUTF16: "utf16", OptLatin1UTF16: "latin1-utf16"}

// canonOpts is a validated option list.
type canonOpts struct {
	memory, realloc, postReturn, callback *uint32
	async                                 bool
}

func (v *validator) canonOptions(s *scope, opts []CanonOpt, lift bool) (canonOpts, error) {
	var o canonOpts
	encoding := -1
	once := func(p **uint32, idx uint32, name string) error {
		if *p != nil {
			return v.errorf("canonical option `%s` is specified more than once", name)
		}
		i := idx
		*p = &i
		return nil
	}
	i32 := wasm.V(wasm.I32)
	for _, opt := range opts {
		switch opt.Kind {
		case OptUTF8, OptUTF16, OptLatin1UTF16:
			if encoding >= 0 {
				return o, v.errorf("canonical encoding option `%s` conflicts with option `%s`", encodingNames[byte(encoding)], encodingNames[opt.Kind])
			}
			encoding = int(opt.Kind)
		case OptMemory:
			if err := once(&o.memory, opt.Index, "memory"); err != nil {
				return o, err
			}
			if int(opt.Index) >= len(s.coreMems) {
				return o, v.errorf("memory index out of bounds: %d", opt.Index)
			}
		case OptRealloc:
			if err := once(&o.realloc, opt.Index, "realloc"); err != nil {
				return o, err
			}
			if int(opt.Index) >= len(s.coreFuncs) {
				return o, v.errorf("function index out of bounds: %d", opt.Index)
			}
			want := wasm.FuncType{Params: []wasm.ValType{i32, i32, i32, i32}, Results: []wasm.ValType{i32}}
			if !sameCoreFunc(s.coreFuncs[opt.Index], &want) {
				return o, v.errorf("canonical option `realloc` uses a core function with an incorrect signature")
			}
		case OptPostReturn:
			if !lift {
				return o, v.errorf("canonical option `post-return` cannot be specified for lowerings")
			}
			if err := once(&o.postReturn, opt.Index, "post-return"); err != nil {
				return o, err
			}
			if int(opt.Index) >= len(s.coreFuncs) {
				return o, v.errorf("function index out of bounds: %d", opt.Index)
			}
		case OptAsync:
			if o.async {
				return o, v.errorf("canonical option `async` is specified more than once")
			}
			o.async = true
		case OptCallback:
			if err := once(&o.callback, opt.Index, "callback"); err != nil {
				return o, err
			}
			if int(opt.Index) >= len(s.coreFuncs) {
				return o, v.errorf("function index out of bounds: %d", opt.Index)
			}
		}
	}
	if o.realloc != nil && o.memory == nil {
		return o, v.errorf("canonical option `memory` is required")
	}
	if o.callback != nil && !o.async {
		return o, v.errorf("cannot specify callback without async")
	}
	if o.postReturn != nil && o.async {
		return o, v.errorf("cannot specify post-return with async")
	}
	return o, nil
}

// require checks that memory (and realloc) are given when values must
// go through linear memory.
func (v *validator) require(o canonOpts, memory, realloc bool) error {
	if (memory || realloc) && o.memory == nil {
		return v.errorf("canonical option `memory` is required")
	}
	if realloc && o.realloc == nil {
		return v.errorf("canonical option `realloc` is required")
	}
	return nil
}

func flatCount(ts ...*vtype) int {
	var out []byte
	for _, t := range ts {
		if t != nil {
			out = flatten(out, t)
		}
	}
	return len(out)
}

func paramTypes(f *funcT) []*vtype {
	ts := make([]*vtype, len(f.params))
	for i, p := range f.params {
		ts[i] = p.t
	}
	return ts
}

func anyStr(ts []*vtype) bool {
	for _, t := range ts {
		if t != nil && t.hasStr {
			return true
		}
	}
	return false
}

func (v *validator) canonLift(s *scope, c Canon) error {
	if int(c.Func) >= len(s.coreFuncs) {
		return v.errorf("function index out of bounds: %d", c.Func)
	}
	if int(c.Type) >= len(s.types) {
		return v.errorf("type index out of bounds: %d", c.Type)
	}
	f := s.types[c.Type].fn
	if f == nil {
		return v.errorf("type index %d is not a function type", c.Type)
	}
	o, err := v.canonOptions(s, c.Opts, true)
	if err != nil {
		return err
	}
	if o.async && !f.async {
		return v.errorf("the `async` canonical option requires an async function type")
	}
	params := paramTypes(f)
	maxResults := maxFlatResults
	if o.async {
		maxResults = maxFlatParams
	}
	needRealloc := anyStr(params) || flatCount(params...) > maxFlatParams
	needMemory := needRealloc || (f.result != nil && f.result.hasStr) || flatCount(f.result) > maxResults
	if err := v.require(o, needMemory, needRealloc); err != nil {
		return err
	}
	want := flatFuncType(f, true, o.async, o.callback != nil)
	got := s.coreFuncs[c.Func]
	if !sameValTypes(got.Params, want.Params) {
		return v.errorf("lowered parameter types `%s` do not match parameter types `%s` of core function %d",
			typeList(want.Params), typeList(got.Params), c.Func)
	}
	if !sameValTypes(got.Results, want.Results) {
		return v.errorf("lowered result types `%s` do not match result types `%s` of core function %d",
			typeList(want.Results), typeList(got.Results), c.Func)
	}
	if o.postReturn != nil {
		pr := wasm.FuncType{Params: want.Results}
		if !sameCoreFunc(s.coreFuncs[*o.postReturn], &pr) {
			return v.errorf("canonical option `post-return` uses a core function with an incorrect signature")
		}
	}
	s.funcs = append(s.funcs, f)
	return nil
}

func typeList(ts []wasm.ValType) string {
	out := "["
	for i, t := range ts {
		if i > 0 {
			out += ", "
		}
		out += t.String()
	}
	return out + "]"
}

func (v *validator) canonLower(s *scope, c Canon) error {
	if int(c.Func) >= len(s.funcs) {
		return v.errorf("function index out of bounds: %d", c.Func)
	}
	f := s.funcs[c.Func]
	o, err := v.canonOptions(s, c.Opts, false)
	if err != nil {
		return err
	}
	if o.async && !f.async {
		return v.errorf("the `async` canonical option requires an async function type")
	}
	params := paramTypes(f)
	maxParams := maxFlatParams
	if o.async {
		maxParams = maxFlatAsyncParams
	}
	needRealloc := f.result != nil && f.result.hasStr
	needMemory := needRealloc || anyStr(params) || flatCount(params...) > maxParams ||
		flatCount(f.result) > maxFlatResults || (o.async && f.result != nil)
	if err := v.require(o, needMemory, needRealloc); err != nil {
		return err
	}
	ft := flatFuncType(f, false, o.async, false)
	s.coreFuncs = append(s.coreFuncs, &ft)
	return nil
}

func (v *validator) resourceOf(s *scope, idx uint32, mustBeLocal bool) (*resource, error) {
	if int(idx) >= len(s.types) {
		return nil, v.errorf("type index out of bounds: %d", idx)
	}
	r := s.types[idx].res
	if r == nil {
		return nil, v.errorf("type index %d is not a resource type", idx)
	}
	r = r.root()
	if mustBeLocal && (!r.local || r.creator != s) {
		return nil, v.errorf("type index %d is not a local resource", idx)
	}
	return r, nil
}

func sig(params, results string) *wasm.FuncType {
	conv := func(s string) []wasm.ValType {
		out := make([]wasm.ValType, len(s))
		for i, c := range s {
			switch c {
			case 'i':
				out[i] = wasm.V(wasm.I32)
			case 'I':
				out[i] = wasm.V(wasm.I64)
			}
		}
		return out
	}
	return &wasm.FuncType{Params: conv(params), Results: conv(results)}
}

// builtinSigs are the core signatures CanonicalABI.md gives the
// built-ins that have no function-type operand ('i' is i32, 'I' is i64;
// 32-bit memories and tables).
var builtinSigs = map[byte][2]string{
	CanonBackpressureInc: {"", ""}, CanonBackpressureDec: {"", ""},
	CanonTaskCancel: {"", ""}, CanonSubtaskCancel: {"i", "i"}, CanonSubtaskDrop: {"i", ""},
	CanonStreamNew: {"", "I"}, CanonStreamRead: {"iii", "i"}, CanonStreamWrite: {"iii", "i"},
	CanonStreamCancelRead: {"i", "i"}, CanonStreamCancelWrite: {"i", "i"},
	CanonStreamDropReadable: {"i", ""}, CanonStreamDropWritable: {"i", ""},
	CanonFutureNew: {"", "I"}, CanonFutureRead: {"ii", "i"}, CanonFutureWrite: {"ii", "i"},
	CanonFutureCancelRead: {"i", "i"}, CanonFutureCancelWrite: {"i", "i"},
	CanonFutureDropReadable: {"i", ""}, CanonFutureDropWritable: {"i", ""},
	CanonErrorContextNew: {"ii", "i"}, CanonErrorContextDebugMessage: {"ii", ""},
	CanonErrorContextDrop: {"i", ""}, CanonWaitableSetNew: {"", "i"},
	CanonWaitableSetWait: {"ii", "i"}, CanonWaitableSetPoll: {"ii", "i"},
	CanonWaitableSetDrop: {"i", ""}, CanonWaitableJoin: {"ii", ""},
	CanonThreadIndex: {"", "i"}, CanonThreadNewIndirect: {"ii", "i"},
	CanonThreadResumeLater: {"i", ""}, CanonThreadSuspend: {"", "i"}, CanonThreadYield: {"", "i"},
	CanonThreadSuspendThenResume: {"i", "i"}, CanonThreadYieldThenResume: {"i", "i"},
	CanonThreadSuspendThenPromote: {"i", "i"}, CanonThreadYieldThenPromote: {"i", "i"},
	CanonThreadSpawnRef: {"ii", "i"}, CanonThreadSpawnIndirect: {"ii", "i"},
	CanonThreadAvailParallelism: {"", "i"},
}

// canon validates a canonical definition and appends the function it defines.
func (v *validator) canon(s *scope, c Canon) error {
	switch c.Op {
	case CanonLift:
		return v.canonLift(s, c)
	case CanonLower:
		return v.canonLower(s, c)
	case CanonResourceNew, CanonResourceRep:
		if _, err := v.resourceOf(s, c.Type, true); err != nil {
			return err
		}
		s.coreFuncs = append(s.coreFuncs, sig("i", "i"))
		return nil
	case CanonResourceDrop, CanonResourceDropAsync:
		if _, err := v.resourceOf(s, c.Type, false); err != nil {
			return err
		}
		s.coreFuncs = append(s.coreFuncs, sig("i", ""))
		return nil
	case CanonTaskReturn:
		o, err := v.canonOptions(s, c.Opts, false)
		if err != nil {
			return err
		}
		if o.realloc != nil || o.async || o.callback != nil {
			return v.errorf("task.return may only use the `memory` and string-encoding options")
		}
		var params []byte
		if c.Result != nil {
			t, err := v.valType(s, *c.Result)
			if err != nil {
				return err
			}
			params = flatten(nil, t)
			if len(params) > maxFlatParams {
				params = []byte{wasm.I32}
			}
			if err := v.require(o, t.hasStr || len(params) == 1 && flatCount(t) > maxFlatParams, false); err != nil {
				return err
			}
		}
		s.coreFuncs = append(s.coreFuncs, &wasm.FuncType{Params: toValTypes(params)})
		return nil
	case CanonContextGet, CanonContextSet:
		if c.CoreVal.Code != wasm.I32 {
			return v.errorf("context slots hold i32 values")
		}
		if c.Slot >= 2 {
			return v.errorf("context slot %d is out of range: there are 2", c.Slot)
		}
		if c.Op == CanonContextGet {
			s.coreFuncs = append(s.coreFuncs, sig("", "i"))
		} else {
			s.coreFuncs = append(s.coreFuncs, sig("i", ""))
		}
		return nil
	case CanonErrorContextNew, CanonErrorContextDebugMessage:
		o, err := v.canonOptions(s, c.Opts, false)
		if err != nil {
			return err
		}
		if o.async {
			return v.errorf("error-context built-ins cannot be async")
		}
		if err := v.require(o, true, c.Op == CanonErrorContextDebugMessage); err != nil {
			return err
		}
	case CanonThreadNewIndirect, CanonThreadSpawnRef, CanonThreadSpawnIndirect:
		if int(c.CoreType) >= len(s.coreTypes) {
			return v.errorf("core type index out of bounds: %d", c.CoreType)
		}
		ft := s.coreTypes[c.CoreType].fn
		if ft == nil || !sameCoreFunc(ft, sig("i", "")) {
			return v.errorf("core type %d must be the function type (func (param i32))", c.CoreType)
		}
		if c.Op != CanonThreadSpawnRef {
			if int(c.Table) >= len(s.coreTables) {
				return v.errorf("table index out of bounds: %d", c.Table)
			}
			if s.coreTables[c.Table].Elem.Code != wasm.FuncRef {
				return v.errorf("table %d must hold funcref elements", c.Table)
			}
		} else {
			ref := wasm.ValType{Code: wasm.RefNull, Heap: int64(c.CoreType)}
			s.coreFuncs = append(s.coreFuncs, &wasm.FuncType{Params: []wasm.ValType{ref, wasm.V(wasm.I32)}, Results: []wasm.ValType{wasm.V(wasm.I32)}})
			return nil
		}
	}
	imm := canonImms[c.Op]
	if imm&immType != 0 {
		if int(c.Type) >= len(s.types) {
			return v.errorf("type index out of bounds: %d", c.Type)
		}
		if t := s.types[c.Type].val; t == nil || (t.kind != KindStream && t.kind != KindFuture) {
			return v.errorf("type index %d is not a stream or future type", c.Type)
		}
	}
	if imm&immOpts != 0 && c.Op != CanonErrorContextNew && c.Op != CanonErrorContextDebugMessage {
		o, err := v.canonOptions(s, c.Opts, false)
		if err != nil {
			return err
		}
		// Reading or writing a payload goes through memory.
		if t := s.types[c.Type].val; t.elem != nil {
			reading := c.Op == CanonStreamRead || c.Op == CanonFutureRead
			if err := v.require(o, true, reading && t.elem.hasStr); err != nil {
				return err
			}
		}
	}
	if imm&immMemory != 0 && int(c.Memory) >= len(s.coreMems) {
		return v.errorf("memory index out of bounds: %d", c.Memory)
	}
	if imm&immCoreType != 0 && int(c.CoreType) >= len(s.coreTypes) {
		return v.errorf("core type index out of bounds: %d", c.CoreType)
	}
	if imm&immTable != 0 && int(c.Table) >= len(s.coreTables) {
		return v.errorf("table index out of bounds: %d", c.Table)
	}
	sg := builtinSigs[c.Op]
	s.coreFuncs = append(s.coreFuncs, sig(sg[0], sg[1]))
	return nil
}
