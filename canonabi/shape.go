package canonabi

import (
	"fmt"

	"github.com/witgo/witgo/wit"
)

// shape is a type with its Canonical ABI facts precomputed: what every
// lift, lower, layout and plan walks instead of the Resolve.
type shape struct {
	kind  Kind
	typ   wit.Type
	size  uint32
	align uint32
	flat  []CoreType
	// flatTooLong is set when the flattening has more than maxFlatKept
	// values; flat is then nil.
	flatTooLong bool
	flatLen     int // len of the full flattening, saturated at maxFlatKept+1
	// hasAlloc: contains a string or variable-length list.
	hasAlloc bool

	// elem is the element of a list, fixed-size list, map (a key/value
	// tuple), future or stream (nil for a bare future/stream).
	elem   *shape
	length uint32 // fixed-size list length

	// fields are record/tuple fields at offsets, or the payload of each case
	// of a variant/enum/option/result (nil when the case has none).
	fields  []*shape
	offsets []uint32
	labels  []string // record fields, case names, flag names

	discSize      uint32 // variant discriminant bytes: 1, 2 or 4
	payloadOffset uint32 // variant payload offset
	resource      wit.TypeID
}

func prim(k Kind, t wit.Type, size uint32, ct CoreType) *shape {
	return &shape{kind: k, typ: t, size: size, align: size, flat: []CoreType{ct}, flatLen: 1}
}

// primitiveShapes follows the tables of CanonicalABI.md, Alignment, Element
// Size and Flattening.
var primitiveShapes = map[wit.Type]*shape{
	wit.Bool:         prim(KindBool, wit.Bool, 1, I32),
	wit.U8:           prim(KindU8, wit.U8, 1, I32),
	wit.S8:           prim(KindS8, wit.S8, 1, I32),
	wit.U16:          prim(KindU16, wit.U16, 2, I32),
	wit.S16:          prim(KindS16, wit.S16, 2, I32),
	wit.U32:          prim(KindU32, wit.U32, 4, I32),
	wit.S32:          prim(KindS32, wit.S32, 4, I32),
	wit.U64:          prim(KindU64, wit.U64, 8, I64),
	wit.S64:          prim(KindS64, wit.S64, 8, I64),
	wit.F32:          prim(KindF32, wit.F32, 4, F32),
	wit.F64:          prim(KindF64, wit.F64, 8, F64),
	wit.Char:         prim(KindChar, wit.Char, 4, I32),
	wit.ErrorContext: prim(KindErrorContext, wit.ErrorContext, 4, I32),
	wit.String: {kind: KindString, typ: wit.String, size: 8, align: 4,
		flat: []CoreType{I32, I32}, flatLen: 2, hasAlloc: true},
}

func alignTo(n, a uint64) uint64 { return (n + a - 1) / a * a }

// discriminantSize is elem_size(discriminant_type(cases)).
func discriminantSize(n int) uint32 {
	switch {
	case n <= 1<<8:
		return 1
	case n <= 1<<16:
		return 2
	}
	return 4
}

func (a *ABI) build(id wit.TypeID) (*shape, error) {
	td := a.Resolve.Types[id]
	t := wit.Ref(id)
	bad := func(format string, args ...any) error {
		return &TypeError{Type: a.typeStringLocked(t, 0), Reason: fmt.Sprintf(format, args...)}
	}
	sub := func(u wit.Type) (*shape, error) {
		if u == wit.NoType {
			return nil, nil
		}
		return a.shapeLocked(u)
	}
	switch k := td.Kind.(type) {
	case *wit.Alias:
		if k.Type == wit.NoType {
			return nil, bad("alias of nothing")
		}
		return a.shapeLocked(k.Type)
	case *wit.Resource:
		return handleShape(KindOwn, t, id), nil
	case *wit.Own:
		return handleShape(KindOwn, t, k.Resource), nil
	case *wit.Borrow:
		return handleShape(KindBorrow, t, k.Resource), nil
	case *wit.Future:
		el, err := sub(k.Elem)
		if err != nil {
			return nil, err
		}
		sh := handleShape(KindFuture, t, 0)
		sh.elem = el
		return sh, nil
	case *wit.Stream:
		el, err := sub(k.Elem)
		if err != nil {
			return nil, err
		}
		sh := handleShape(KindStream, t, 0)
		sh.elem = el
		return sh, nil
	case *wit.Flags:
		n := len(k.Flags)
		if n == 0 || n > 32 {
			// CanonicalABI.md, Alignment: alignment_flags asserts 0 < n <= 32.
			return nil, bad("flags must have 1 to 32 labels, not %d", n)
		}
		sh := &shape{kind: KindFlags, typ: t, flat: []CoreType{I32}, flatLen: 1}
		switch {
		case n <= 8:
			sh.size = 1
		case n <= 16:
			sh.size = 2
		default:
			sh.size = 4
		}
		sh.align = sh.size
		for _, f := range k.Flags {
			sh.labels = append(sh.labels, f.Name)
		}
		return sh, nil
	case *wit.List:
		el, err := a.shapeLocked(k.Elem)
		if err != nil {
			return nil, err
		}
		return &shape{kind: KindList, typ: t, size: 8, align: 4, flat: []CoreType{I32, I32},
			flatLen: 2, hasAlloc: true, elem: el}, nil
	case *wit.Map:
		ks, err := a.shapeLocked(k.Key)
		if err != nil {
			return nil, err
		}
		vs, err := a.shapeLocked(k.Value)
		if err != nil {
			return nil, err
		}
		// Despecialization: map<k, v> is list<tuple<k, v>>.
		pair := recordShape(KindTuple, wit.NoType, []*shape{ks, vs}, []string{"0", "1"})
		return &shape{kind: KindMap, typ: t, size: 8, align: 4, flat: []CoreType{I32, I32},
			flatLen: 2, hasAlloc: true, elem: pair}, nil
	case *wit.FixedList:
		if k.Len == 0 {
			return nil, bad("fixed-size list length must be larger than 0") // Explainer.md
		}
		el, err := a.shapeLocked(k.Elem)
		if err != nil {
			return nil, err
		}
		size := uint64(el.size) * uint64(k.Len)
		if size >= MaxTypeSize {
			return nil, bad("size %d is not below 2^28", size)
		}
		sh := &shape{kind: KindFixedList, typ: t, size: uint32(size), align: el.align,
			elem: el, length: k.Len, hasAlloc: el.hasAlloc}
		for i := uint32(0); i < k.Len && !sh.flatTooLong; i++ {
			sh.appendFlat(el)
		}
		if sh.flatTooLong {
			sh.flatLen = maxFlatKept + 1
		}
		return sh, nil
	case *wit.Record:
		if len(k.Fields) == 0 {
			// CanonicalABI.md, Element Size: empty types are not permitted.
			return nil, bad("a record must have at least one field")
		}
		fields := make([]*shape, len(k.Fields))
		labels := make([]string, len(k.Fields))
		for i, f := range k.Fields {
			fs, err := a.shapeLocked(f.Type)
			if err != nil {
				return nil, err
			}
			fields[i], labels[i] = fs, f.Name
		}
		return checkSize(recordShape(KindRecord, t, fields, labels), bad)
	case *wit.Tuple:
		if len(k.Types) == 0 {
			return nil, bad("a tuple must have at least one element")
		}
		fields := make([]*shape, len(k.Types))
		labels := make([]string, len(k.Types))
		for i, u := range k.Types {
			fs, err := a.shapeLocked(u)
			if err != nil {
				return nil, err
			}
			fields[i], labels[i] = fs, fmt.Sprint(i)
		}
		return checkSize(recordShape(KindTuple, t, fields, labels), bad)
	case *wit.Variant:
		if len(k.Cases) == 0 {
			return nil, bad("a variant must have at least one case")
		}
		payloads := make([]*shape, len(k.Cases))
		labels := make([]string, len(k.Cases))
		for i, c := range k.Cases {
			ps, err := sub(c.Type)
			if err != nil {
				return nil, err
			}
			payloads[i], labels[i] = ps, c.Name
		}
		return checkSize(variantShape(KindVariant, t, payloads, labels), bad)
	case *wit.Enum:
		if len(k.Cases) == 0 {
			return nil, bad("an enum must have at least one case")
		}
		labels := make([]string, len(k.Cases))
		for i, c := range k.Cases {
			labels[i] = c.Name
		}
		return variantShape(KindEnum, t, make([]*shape, len(k.Cases)), labels), nil
	case *wit.Option:
		ps, err := a.shapeLocked(k.Type)
		if err != nil {
			return nil, err
		}
		return checkSize(variantShape(KindOption, t, []*shape{nil, ps}, []string{"none", "some"}), bad)
	case *wit.Result:
		ok, err := sub(k.OK)
		if err != nil {
			return nil, err
		}
		er, err := sub(k.Err)
		if err != nil {
			return nil, err
		}
		return checkSize(variantShape(KindResult, t, []*shape{ok, er}, []string{"ok", "err"}), bad)
	case nil:
		return nil, bad("has no kind")
	}
	return nil, bad("unsupported kind %T", td.Kind)
}

func handleShape(k Kind, t wit.Type, resource wit.TypeID) *shape {
	return &shape{kind: k, typ: t, size: 4, align: 4, flat: []CoreType{I32}, flatLen: 1, resource: resource}
}

func checkSize(sh *shape, bad func(string, ...any) error) (*shape, error) {
	if sh.size >= MaxTypeSize {
		return nil, bad("size %d is not below 2^28", sh.size)
	}
	return sh, nil
}

// appendFlat appends el's flattening to sh's, saturating at maxFlatKept.
func (sh *shape) appendFlat(el *shape) {
	if sh.flatTooLong || el.flatTooLong || len(sh.flat)+len(el.flat) > maxFlatKept {
		sh.flatTooLong = true
		sh.flat = nil
		sh.flatLen = maxFlatKept + 1
		return
	}
	sh.flat = append(sh.flat, el.flat...)
	sh.flatLen = len(sh.flat)
}

// recordShape lays fields out as elem_size_record and flatten_record do.
func recordShape(k Kind, t wit.Type, fields []*shape, labels []string) *shape {
	sh := &shape{kind: k, typ: t, align: 1, fields: fields, labels: labels,
		offsets: make([]uint32, len(fields))}
	var off uint64
	for i, f := range fields {
		off = alignTo(off, uint64(f.align))
		sh.offsets[i] = uint32(min(off, MaxTypeSize))
		off += uint64(f.size)
		sh.align = max(sh.align, f.align)
		sh.hasAlloc = sh.hasAlloc || f.hasAlloc
		sh.appendFlat(f)
	}
	sh.flat = append([]CoreType(nil), sh.flat...) // own the slice
	sh.size = uint32(min(alignTo(off, uint64(sh.align)), MaxTypeSize))
	return sh
}

// variantShape follows elem_size_variant, alignment_variant and
// flatten_variant.
func variantShape(k Kind, t wit.Type, payloads []*shape, labels []string) *shape {
	sh := &shape{kind: k, typ: t, fields: payloads, labels: labels}
	sh.discSize = discriminantSize(len(payloads))
	var caseAlign uint32 = 1
	var caseSize uint32
	var joined []CoreType
	for _, p := range payloads {
		if p == nil {
			continue
		}
		caseAlign = max(caseAlign, p.align)
		caseSize = max(caseSize, p.size)
		sh.hasAlloc = sh.hasAlloc || p.hasAlloc
		if p.flatTooLong {
			sh.flatTooLong = true
			continue
		}
		for i, ft := range p.flat {
			if i < len(joined) {
				joined[i] = join(joined[i], ft)
			} else {
				joined = append(joined, ft)
			}
		}
	}
	sh.align = max(sh.discSize, caseAlign)
	sh.payloadOffset = uint32(alignTo(uint64(sh.discSize), uint64(caseAlign)))
	sh.size = uint32(min(alignTo(uint64(sh.payloadOffset)+uint64(caseSize), uint64(sh.align)), MaxTypeSize))
	if sh.flatTooLong || 1+len(joined) > maxFlatKept {
		sh.flatTooLong, sh.flatLen = true, maxFlatKept+1
		return sh
	}
	sh.flat = append([]CoreType{I32}, joined...)
	sh.flatLen = len(sh.flat)
	return sh
}
