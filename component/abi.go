package component

import "github.com/witgo/witgo/component/wasm"

// A small canonical-ABI helper for validation: element sizes and the
// flattening of function types (CanonicalABI.md, "Flattening"). Package
// canonabi does the same for WIT types; this one works on the resolved
// binary types of the validator.

const (
	maxFlatParams      = 16
	maxFlatAsyncParams = 4
	maxFlatResults     = 1
	sizeCap            = 1 << 40 // saturate sizes well above the 2^28 limit
)

func satAdd(a, b uint64) uint64 { return min(a+b, sizeCap) }
func satMul(a, b uint64) uint64 {
	if a != 0 && b > sizeCap/a {
		return sizeCap
	}
	return min(a*b, sizeCap)
}

func alignTo(n, a uint64) uint64 { return (n + a - 1) / a * a }

func discriminantSize(n int) uint64 {
	switch {
	case n <= 1<<8:
		return 1
	case n <= 1<<16:
		return 2
	}
	return 4
}

func flagsSize(n int) uint64 {
	switch {
	case n <= 8:
		return 1
	case n <= 16:
		return 2
	}
	return 4
}

// alignment of a value type in linear memory. Validation limits types by
// elem_size(t, 'i64'), so sizes here assume 64-bit pointers.
func alignment(t *vtype) uint64 {
	if t.align != 0 {
		return t.align
	}
	switch t.kind {
	case KindPrim:
		switch t.prim {
		case Bool, S8, U8:
			return 1
		case S16, U16:
			return 2
		case S64, U64, F64, String:
			return 8
		}
		return 4
	case KindList, KindMap:
		return 8 // pointer and length, with 64-bit pointers (see elemSize)
	case KindFixedList:
		return alignment(t.elem)
	case KindRecord:
		a := uint64(1)
		for _, f := range t.fields {
			a = max(a, alignment(f.t))
		}
		return a
	case KindTuple:
		a := uint64(1)
		for _, x := range t.types {
			a = max(a, alignment(x))
		}
		return a
	case KindFlags:
		return flagsSize(len(t.labels))
	case KindEnum:
		return discriminantSize(len(t.labels))
	case KindVariant, KindOption, KindResult:
		cases := variantCases(t)
		a := discriminantSize(len(cases))
		for _, c := range cases {
			if c != nil {
				a = max(a, alignment(c))
			}
		}
		return a
	}
	return 4
}

// variantCases returns the payload types of a variant-like type.
func variantCases(t *vtype) []*vtype {
	switch t.kind {
	case KindOption:
		return []*vtype{nil, t.elem}
	case KindResult:
		return []*vtype{t.ok, t.err}
	}
	cs := make([]*vtype, len(t.fields))
	for i, f := range t.fields {
		cs[i] = f.t
	}
	return cs
}

// elemSize is the byte size of a value type in linear memory, saturated.
func elemSize(t *vtype) uint64 {
	if t.align != 0 {
		return t.esize
	}
	switch t.kind {
	case KindPrim:
		switch t.prim {
		case Bool, S8, U8:
			return 1
		case S16, U16:
			return 2
		case S64, U64, F64:
			return 8
		case String:
			return 16
		}
		return 4
	case KindList, KindMap:
		return 16
	case KindFixedList:
		return satMul(uint64(t.length), elemSize(t.elem))
	case KindRecord, KindTuple:
		var fs []*vtype
		if t.kind == KindTuple {
			fs = t.types
		} else {
			for _, f := range t.fields {
				fs = append(fs, f.t)
			}
		}
		var s uint64
		for _, f := range fs {
			s = satAdd(alignTo(s, alignment(f)), elemSize(f))
		}
		return alignTo(s, alignment(t))
	case KindFlags:
		return flagsSize(len(t.labels))
	case KindEnum:
		return discriminantSize(len(t.labels))
	case KindVariant, KindOption, KindResult:
		cases := variantCases(t)
		s := discriminantSize(len(cases))
		var payload uint64
		var maxAlign uint64 = 1
		for _, c := range cases {
			if c != nil {
				payload = max(payload, elemSize(c))
				maxAlign = max(maxAlign, alignment(c))
			}
		}
		s = satAdd(alignTo(s, maxAlign), payload)
		return alignTo(s, alignment(t))
	}
	return 4
}

// flatten appends the flat core types of t (CanonicalABI flatten_type).
func flatten(out []byte, t *vtype) []byte {
	if len(out) > maxFlatParams+1 {
		return out // only the count matters beyond the limit
	}
	switch t.kind {
	case KindPrim:
		switch t.prim {
		case S64, U64:
			return append(out, wasm.I64)
		case F32:
			return append(out, wasm.F32)
		case F64:
			return append(out, wasm.F64)
		case String:
			return append(out, wasm.I32, wasm.I32)
		}
		return append(out, wasm.I32)
	case KindList, KindMap:
		return append(out, wasm.I32, wasm.I32)
	case KindFixedList:
		for i := uint32(0); i < t.length && len(out) <= maxFlatParams+1; i++ {
			out = flatten(out, t.elem)
		}
		return out
	case KindRecord:
		for _, f := range t.fields {
			out = flatten(out, f.t)
		}
		return out
	case KindTuple:
		for _, x := range t.types {
			out = flatten(out, x)
		}
		return out
	case KindVariant, KindOption, KindResult:
		out = append(out, wasm.I32)
		var joined []byte
		for _, c := range variantCases(t) {
			if c == nil {
				continue
			}
			for i, ft := range flatten(nil, c) {
				if i < len(joined) {
					joined[i] = joinFlat(joined[i], ft)
				} else {
					joined = append(joined, ft)
				}
			}
		}
		return append(out, joined...)
	}
	return append(out, wasm.I32) // flags (at most 32), enum, handles, stream, future
}

func joinFlat(a, b byte) byte {
	if a == b {
		return a
	}
	if (a == wasm.I32 && b == wasm.F32) || (a == wasm.F32 && b == wasm.I32) {
		return wasm.I32
	}
	return wasm.I64
}

// flatFuncType is flatten_functype(opts, ft, context).
func flatFuncType(f *funcT, lift, async, callback bool) wasm.FuncType {
	var params, results []byte
	for _, p := range f.params {
		params = flatten(params, p.t)
	}
	if f.result != nil {
		results = flatten(results, f.result)
	}
	ptr := []byte{wasm.I32}
	switch {
	case !async:
		if len(params) > maxFlatParams {
			params = ptr
		}
		if len(results) > maxFlatResults {
			if lift {
				results = ptr
			} else {
				params = append(params, wasm.I32)
				results = nil
			}
		}
	case lift:
		if len(params) > maxFlatParams {
			params = ptr
		}
		results = nil
		if callback {
			results = ptr
		}
	default:
		if len(params) > maxFlatAsyncParams {
			params = ptr
		}
		if len(results) > 0 {
			params = append(params, wasm.I32)
		}
		results = ptr
	}
	return wasm.FuncType{Params: toValTypes(params), Results: toValTypes(results)}
}

func toValTypes(codes []byte) []wasm.ValType {
	out := make([]wasm.ValType, len(codes))
	for i, c := range codes {
		out[i] = wasm.V(c)
	}
	return out
}

func sameCoreFunc(a, b *wasm.FuncType) bool {
	return sameValTypes(a.Params, b.Params) && sameValTypes(a.Results, b.Results)
}

func sameValTypes(a, b []wasm.ValType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
