package canonabi

import (
	"github.com/witgo/witgo/wit"
)

// The four function-level operations of a synchronous call
// (CanonicalABI.md, Lifting and Lowering Values). For an export (Lift) the
// host lowers arguments with LowerArgs and lifts results with LiftResult;
// for an import (Lower) it lifts arguments with LiftArgs and lowers the
// result with LowerResult.

// LowerArgs lowers args into the core parameters of f lifted from a guest
// (lower_flat_values with MAX_FLAT_PARAMS); spilled parameters are stored
// in a tuple allocated with realloc.
func (a *ABI) LowerArgs(cx *Context, f *wit.Function, args []Value) ([]uint64, error) {
	params, tuple, _, err := a.funcShapes(f)
	if err != nil {
		return nil, err
	}
	if len(args) != len(params) {
		return nil, trapf("%s takes %d arguments, given %d", f.Name, len(params), len(args))
	}
	if tuple.flatLen <= MaxFlatParams {
		flat := make([]uint64, 0, tuple.flatLen)
		for i, p := range params {
			if flat, err = cx.lowerFlat(p, args[i], flat); err != nil {
				return nil, err
			}
		}
		return flat, nil
	}
	ptr, err := cx.allocate(tuple.align, tuple.size)
	if err != nil {
		return nil, err
	}
	return []uint64{uint64(ptr)}, cx.store(tuple, Value{kind: KindTuple, elems: args}, ptr)
}

// LiftArgs lifts the core parameters a guest passed to the import f
// (lift_flat_values with MAX_FLAT_PARAMS). A trailing return-area pointer,
// if the signature has one, is ignored here; LowerResult uses it.
func (a *ABI) LiftArgs(cx *Context, f *wit.Function, flat []uint64) ([]Value, error) {
	params, tuple, _, err := a.funcShapes(f)
	if err != nil {
		return nil, err
	}
	if tuple.flatLen > MaxFlatParams {
		if len(flat) < 1 {
			return nil, trapf("%s: missing parameter pointer", f.Name)
		}
		v, err := cx.load(tuple, uint32(flat[0]))
		if err != nil {
			return nil, err
		}
		return v.elems, nil
	}
	if len(flat) < tuple.flatLen {
		return nil, trapf("%s takes %d core parameters, given %d", f.Name, tuple.flatLen, len(flat))
	}
	args := make([]Value, len(params))
	pos := 0
	for i, p := range params {
		if args[i], err = cx.liftFlat(p, flat, &pos); err != nil {
			return nil, err
		}
	}
	return args, nil
}

// LiftResult lifts the core results of the export f (with MAX_FLAT_RESULTS:
// a single pointer to the result when it does not fit). ok is false when f
// returns nothing.
func (a *ABI) LiftResult(cx *Context, f *wit.Function, flat []uint64) (v Value, ok bool, err error) {
	if f.Result == wit.NoType {
		return Value{}, false, nil
	}
	sh, err := a.shape(f.Result)
	if err != nil {
		return Value{}, false, err
	}
	if sh.flatLen > MaxFlatResults {
		if len(flat) != 1 {
			return Value{}, false, trapf("%s returns a pointer, given %d core results", f.Name, len(flat))
		}
		v, err = cx.load(sh, uint32(flat[0]))
		return v, err == nil, err
	}
	if len(flat) != sh.flatLen {
		return Value{}, false, trapf("%s returns %d core results, given %d", f.Name, sh.flatLen, len(flat))
	}
	pos := 0
	v, err = cx.liftFlat(sh, flat, &pos)
	return v, err == nil, err
}

// LowerResult lowers the result of the import f. When the result does not
// fit in MAX_FLAT_RESULTS it is stored in the caller's return area, the last
// of params (the core parameters the guest passed), and no core results are
// returned.
func (a *ABI) LowerResult(cx *Context, f *wit.Function, result Value, params []uint64) ([]uint64, error) {
	if f.Result == wit.NoType {
		return nil, nil
	}
	sh, err := a.shape(f.Result)
	if err != nil {
		return nil, err
	}
	if sh.flatLen > MaxFlatResults {
		if len(params) == 0 {
			return nil, trapf("%s: missing return area pointer", f.Name)
		}
		return nil, cx.store(sh, result, uint32(params[len(params)-1]))
	}
	return cx.lowerFlat(sh, result, make([]uint64, 0, 1))
}
