package canonabi

import (
	"fmt"
	"strings"

	"github.com/witgo/witgo/wit"
)

// Op is a plan instruction; see doc.go for the instruction set.
type Op uint8

const (
	// Call-level steps, at the top of a plan.
	OpParamsArea Op = iota // the parameters travel as a tuple in memory (Layout)
	OpParam                // parameter Index; Body converts it
	OpRetArea              // a return area (Layout) passed as the last core parameter
	OpCall                 // call the function
	OpResult               // the result; Body converts it (for an async Lift, the task.return arguments)
	OpPostReturn           // post-return: Body walks the result to free its allocations

	// Value conversions, at a Place.
	OpScalar    // bool, integers, floats, char
	OpString    // pointer + code units; allocates with realloc when lowering
	OpList      // pointer + length; Body converts one element at the element's base
	OpFixedList // Len elements inline, Stride bytes apart (FlatLen core values apart); Body is element 0
	OpRecord    // record or tuple: Blocks[i] converts field i
	OpVariant   // variant, enum, option, result: discriminant at Place, Blocks[c] the payload of case c
	OpFlags     // a bit vector of Size bytes (an i32 when flat)
	OpHandle    // own, borrow, future, stream or error-context handle (an i32)
)

var opNames = [...]string{"params-area", "param", "ret-area", "call", "result", "post-return",
	"scalar", "string", "list", "fixed-list", "record", "variant", "flags", "handle"}

func (o Op) String() string { return opNames[o] }

// Place is where a value lives: a run of flat core values starting at Flat,
// or bytes at Offset from the current base pointer (the parameter tuple, the
// return area, or the element of the enclosing list).
type Place struct {
	InMemory bool
	Offset   uint32
	Flat     int
}

func (p Place) String() string {
	if p.InMemory {
		return fmt.Sprintf("mem+%d", p.Offset)
	}
	return fmt.Sprintf("flat[%d]", p.Flat)
}

// Instr is one plan instruction.
type Instr struct {
	Op    Op
	Kind  Kind     // the WIT kind converted
	Type  wit.Type // the WIT type converted (NoType for call-level steps)
	Place Place
	// Slots are the core types actually present at a flat Place: for a
	// variant payload they are the joined types, which the converter
	// coerces from/to the kind's own flat types (CanonicalABI.md,
	// lift_flat_variant / lower_flat_variant).
	Slots []CoreType
	// Layout of the value (or of the area for OpParamsArea / OpRetArea).
	Layout Layout
	Index  int // parameter index (OpParam)
	// Size is the byte width in memory: of a scalar, flags, or variant
	// discriminant.
	Size uint32
	// Len, Stride, FlatLen describe OpFixedList.
	Len     uint32
	Stride  uint32
	FlatLen int
	// Plain marks a list whose elements are integers or floats: its memory
	// is a packed array that needs no per-element conversion (beyond NaN
	// canonicalization when lifting floats), so it can be copied whole.
	Plain bool
	// Resource is the resource of an own/borrow handle.
	Resource wit.TypeID
	// Labels are record field, variant case or flag names.
	Labels []string
	// Body is a nested block (OpParam, OpResult, OpPostReturn, OpList,
	// OpFixedList); Blocks are per-field or per-case blocks, nil for a case
	// without payload.
	Body   []Instr
	Blocks [][]Instr
}

// Plan is the ordered steps of a function in one direction, read from the
// guest's side of the boundary: for Lower (an import) the guest lowers the
// arguments, calls, and lifts the result; for Lift (an export) it lifts
// the parameters, calls the implementation, lowers the result, and later
// runs post-return. A host interprets the same plan mirrored: it lifts
// where the guest lowers.
type Plan struct {
	Func  *wit.Function
	Dir   Direction
	Sig   *Signature
	Steps []Instr
}

// Plan builds f's plan for dir.
func (a *ABI) Plan(f *wit.Function, dir Direction) (*Plan, error) {
	sig, err := a.Signature(f, dir)
	if err != nil {
		return nil, err
	}
	params, tuple, result, err := a.funcShapes(f)
	if err != nil {
		return nil, err
	}
	p := &Plan{Func: f, Dir: dir, Sig: sig}
	if sig.ParamsInMemory {
		p.Steps = append(p.Steps, Instr{Op: OpParamsArea, Layout: sig.ParamsLayout, Type: wit.NoType})
	}
	flat := 0
	for i, ps := range params {
		place := Place{InMemory: sig.ParamsInMemory, Offset: tuple.offsets[i], Flat: flat}
		flat += ps.flatLen
		p.Steps = append(p.Steps, Instr{Op: OpParam, Index: i, Type: ps.typ, Kind: ps.kind,
			Body: []Instr{valueInstr(ps, place, nil)}})
	}
	if sig.RetPtr {
		p.Steps = append(p.Steps, Instr{Op: OpRetArea, Layout: sig.ResultLayout})
	}
	p.Steps = append(p.Steps, Instr{Op: OpCall})
	if result != nil {
		place := Place{InMemory: sig.ResultInMemory}
		if f.Async && dir == Lift {
			// The guest hands the result to task.return, flat unless it
			// takes more than MaxFlatParams values.
			place.InMemory = len(sig.TaskReturn) == 1 && result.flatLen > MaxFlatParams
		}
		body := []Instr{valueInstr(result, place, nil)}
		p.Steps = append(p.Steps, Instr{Op: OpResult, Type: f.Result, Kind: result.kind, Body: body})
		if sig.NeedsPostReturn {
			p.Steps = append(p.Steps, Instr{Op: OpPostReturn, Type: f.Result, Kind: result.kind, Body: body})
		}
	}
	return p, nil
}

// ValuePlan is the conversion of one value of type t at place, the building
// block of function plans (useful to a host that stores single values).
func (a *ABI) ValuePlan(t wit.Type, place Place) (Instr, error) {
	sh, err := a.shape(t)
	if err != nil {
		return Instr{}, err
	}
	if !place.InMemory && sh.flatTooLong {
		return Instr{}, &TypeError{Type: a.TypeString(t), Reason: "too long to pass flat"}
	}
	return valueInstr(sh, place, nil), nil
}

// valueInstr converts sh at place; slots, when non-nil, are the core types
// present at a flat place (joined types inside a variant payload).
func valueInstr(sh *shape, place Place, slots []CoreType) Instr {
	in := Instr{Kind: sh.kind, Type: sh.typ, Place: place, Layout: Layout{sh.size, sh.align}}
	if !place.InMemory && !sh.flatTooLong {
		if slots == nil {
			slots = sh.flat
		}
		in.Slots = slots[:len(sh.flat):len(sh.flat)]
	}
	sub := func(s *shape, off uint32, flat int) Instr {
		p := Place{InMemory: place.InMemory, Offset: place.Offset + off, Flat: place.Flat + flat}
		var subSlots []CoreType
		if in.Slots != nil {
			subSlots = in.Slots[flat:]
		}
		return valueInstr(s, p, subSlots)
	}
	switch sh.kind {
	case KindString:
		in.Op = OpString
	case KindList, KindMap:
		in.Op = OpList
		in.Body = []Instr{valueInstr(sh.elem, Place{InMemory: true}, nil)}
		in.Plain = sh.elem.kind >= KindU8 && sh.elem.kind <= KindF64
	case KindFixedList:
		in.Op, in.Len, in.Stride, in.FlatLen = OpFixedList, sh.length, sh.elem.size, sh.elem.flatLen
		in.Body = []Instr{sub(sh.elem, 0, 0)}
	case KindRecord, KindTuple:
		in.Op, in.Labels = OpRecord, sh.labels
		flat := 0
		for i, f := range sh.fields {
			in.Blocks = append(in.Blocks, []Instr{sub(f, sh.offsets[i], flat)})
			flat += f.flatLen
		}
	case KindVariant, KindEnum, KindOption, KindResult:
		in.Op, in.Labels, in.Size = OpVariant, sh.labels, sh.discSize
		for _, p := range sh.fields {
			if p == nil {
				in.Blocks = append(in.Blocks, nil)
				continue
			}
			in.Blocks = append(in.Blocks, []Instr{sub(p, sh.payloadOffset, 1)})
		}
	case KindFlags:
		in.Op, in.Labels, in.Size = OpFlags, sh.labels, sh.size
	case KindOwn, KindBorrow, KindFuture, KindStream, KindErrorContext:
		in.Op, in.Resource, in.Size = OpHandle, sh.resource, 4
	default:
		in.Op, in.Size = OpScalar, sh.size
	}
	return in
}

// String renders the plan one instruction per line, blocks indented: the
// form `witgo wit --abi` and tests show.
func (p *Plan) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s %s %s\n", p.Dir, p.Func.Name, p.Sig)
	writeInstrs(&sb, p.Steps, 1)
	return sb.String()
}

func writeInstrs(sb *strings.Builder, ins []Instr, depth int) {
	for _, in := range ins {
		sb.WriteString(strings.Repeat("  ", depth))
		sb.WriteString(in.Op.String())
		switch in.Op {
		case OpParamsArea, OpRetArea:
			fmt.Fprintf(sb, " size=%d align=%d", in.Layout.Size, in.Layout.Align)
		case OpParam:
			fmt.Fprintf(sb, " %d", in.Index)
		case OpCall, OpResult, OpPostReturn:
		default:
			fmt.Fprintf(sb, " %s %s", in.Kind, in.Place)
			if len(in.Slots) > 0 && in.Op != OpRecord && in.Op != OpFixedList {
				fmt.Fprintf(sb, " %s", flatText(in.Slots))
			}
			if in.Op == OpFixedList {
				fmt.Fprintf(sb, " len=%d stride=%d", in.Len, in.Stride)
			}
			if in.Op == OpList {
				fmt.Fprintf(sb, " elem=%d/%d", in.Body[0].Layout.Size, in.Body[0].Layout.Align)
				if in.Plain {
					sb.WriteString(" plain")
				}
			}
			if in.Op == OpVariant || in.Op == OpFlags || (in.Op == OpScalar && in.Place.InMemory) {
				fmt.Fprintf(sb, " size=%d", in.Size)
			}
		}
		sb.WriteByte('\n')
		writeInstrs(sb, in.Body, depth+1)
		for i, b := range in.Blocks {
			if b == nil {
				continue
			}
			fmt.Fprintf(sb, "%s%s:\n", strings.Repeat("  ", depth+1), in.Labels[i])
			writeInstrs(sb, b, depth+2)
		}
	}
}

func flatText(ts []CoreType) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.String()
	}
	return "(" + strings.Join(parts, " ") + ")"
}
