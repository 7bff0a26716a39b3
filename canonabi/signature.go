package canonabi

import (
	"fmt"
	"strings"

	"github.com/witgo/witgo/wit"
)

// Direction says which side of the boundary a core function is on.
type Direction uint8

const (
	// Lift is `canon lift`: the core function is a guest export that the
	// component (or host) calls; it lifts the guest's results.
	Lift Direction = iota
	// Lower is `canon lower`: the core function is an import the guest
	// calls; it lowers results into the guest.
	Lower
)

func (d Direction) String() string {
	if d == Lift {
		return "lift"
	}
	return "lower"
}

// Signature is the core function type of a WIT function in one direction
// (CanonicalABI.md, Flattening: flatten_functype), with the facts a code
// generator or engine needs around it.
type Signature struct {
	Params  []CoreType
	Results []CoreType

	// ParamsInMemory: the parameters did not fit in MaxFlatParams (or
	// MaxFlatAsyncParams for an async lower) and travel as a tuple in memory
	// whose address is the first core parameter. For Lift the caller
	// allocates it with realloc; for Lower the guest owns it.
	ParamsInMemory bool
	// ResultInMemory: the result did not fit in MaxFlatResults. For Lift the
	// core function returns a pointer to it; for Lower the guest passes a
	// return area as the last core parameter (RetPtr) and gets no results.
	ResultInMemory bool
	RetPtr         bool

	// FlatParams and FlatResult are the unspilled flattenings (nil when a
	// type is too long to flatten at all).
	FlatParams []CoreType
	FlatResult []CoreType

	// ParamsLayout is the layout of the tuple of all parameters (used when
	// ParamsInMemory); ResultLayout that of the result (zero if none).
	ParamsLayout Layout
	ResultLayout Layout

	// NeedsPostReturn: a synchronous export whose result owns allocations
	// the guest frees in `cabi_post_<name>` after the caller has lifted it.
	NeedsPostReturn bool
	// NeedsMemory / NeedsRealloc: whether canonopt memory / realloc are
	// required for this function in this direction.
	NeedsMemory  bool
	NeedsRealloc bool

	Async bool
	// TaskReturn is, for an async Lift, the parameter list of the
	// `task.return` built-in that delivers the result.
	TaskReturn []CoreType
}

func (s *Signature) String() string {
	return "(func" + coreList(" (param", s.Params) + coreList(" (result", s.Results) + ")"
}

func coreList(prefix string, ts []CoreType) string {
	if len(ts) == 0 {
		return ""
	}
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.String()
	}
	return prefix + " " + strings.Join(parts, " ") + ")"
}

// funcShapes returns the shapes of f's parameters, the tuple they form and
// the result's shape (nil when f returns nothing), cached per function.
func (a *ABI) funcShapes(f *wit.Function) (params []*shape, tuple *shape, result *shape, err error) {
	a.mu.Lock()
	fs, ok := a.funcs[f]
	a.mu.Unlock()
	if ok {
		return fs.params, fs.tuple, fs.result, nil
	}
	params = make([]*shape, len(f.Params))
	labels := make([]string, len(f.Params))
	for i, p := range f.Params {
		if params[i], err = a.shape(p.Type); err != nil {
			return nil, nil, nil, fmt.Errorf("function %s, parameter %s: %w", f.Name, p.Name, err)
		}
		labels[i] = p.Name
	}
	tuple = recordShape(KindTuple, wit.NoType, params, labels)
	if len(params) == 0 {
		tuple.size, tuple.align = 0, 1
	}
	if f.Result != wit.NoType {
		if result, err = a.shape(f.Result); err != nil {
			return nil, nil, nil, fmt.Errorf("function %s, result: %w", f.Name, err)
		}
	}
	a.mu.Lock()
	if a.funcs == nil {
		a.funcs = map[*wit.Function]funcShapes{}
	}
	a.funcs[f] = funcShapes{params, tuple, result}
	a.mu.Unlock()
	return params, tuple, result, nil
}

type funcShapes struct {
	params []*shape
	tuple  *shape
	result *shape
}

// Signature computes f's core signature for dir.
func (a *ABI) Signature(f *wit.Function, dir Direction) (*Signature, error) {
	_, tuple, result, err := a.funcShapes(f)
	if err != nil {
		return nil, err
	}
	s := &Signature{Async: f.Async, ParamsLayout: Layout{tuple.size, tuple.align}}
	if !tuple.flatTooLong {
		s.FlatParams = tuple.flat
	}
	flatResults := 0
	if result != nil {
		s.ResultLayout = Layout{result.size, result.align}
		flatResults = result.flatLen
		if !result.flatTooLong {
			s.FlatResult = result.flat
		}
	}
	maxParams := MaxFlatParams
	if f.Async && dir == Lower {
		maxParams = MaxFlatAsyncParams
	}
	if tuple.flatLen > maxParams {
		s.ParamsInMemory = true
		s.Params = []CoreType{I32}
	} else {
		s.Params = append([]CoreType(nil), tuple.flat...)
	}
	hasAllocResult := result != nil && result.hasAlloc
	switch {
	case !f.Async:
		if flatResults > MaxFlatResults {
			s.ResultInMemory = true
			if dir == Lift {
				s.Results = []CoreType{I32}
			} else {
				s.RetPtr = true
				s.Params = append(s.Params, I32)
			}
		} else if result != nil {
			s.Results = append([]CoreType(nil), result.flat...)
		}
		s.NeedsPostReturn = dir == Lift && hasAllocResult
	case dir == Lift:
		if a.AsyncCallback {
			s.Results = []CoreType{I32}
		}
		// task.return takes the result as parameters, spilled past 16.
		if result != nil {
			if result.flatLen > MaxFlatParams {
				s.TaskReturn = []CoreType{I32}
			} else {
				s.TaskReturn = append([]CoreType(nil), result.flat...)
			}
		}
	default: // async lower
		if result != nil {
			s.ResultInMemory, s.RetPtr = true, true
			s.Params = append(s.Params, I32)
		}
		s.Results = []CoreType{I32}
	}
	paramsAlloc := tuple.hasAlloc
	s.NeedsMemory = s.ParamsInMemory || s.ResultInMemory || paramsAlloc || hasAllocResult
	if dir == Lift {
		s.NeedsRealloc = s.ParamsInMemory || paramsAlloc
	} else {
		s.NeedsRealloc = hasAllocResult
	}
	return s, nil
}
