package canonabi

import (
	"fmt"
	"sync"

	"github.com/witgo/witgo/wit"
)

// Limits from CanonicalABI.md.
const (
	MaxFlatParams      = 16 // MAX_FLAT_PARAMS
	MaxFlatAsyncParams = 4  // MAX_FLAT_ASYNC_PARAMS
	MaxFlatResults     = 1  // MAX_FLAT_RESULTS
	// MaxTypeSize is the validation bound on elem_size (Element Size).
	MaxTypeSize = 1 << 28
	// MaxListByteLength is MAX_LIST_BYTE_LENGTH and MAX_STRING_BYTE_LENGTH + 1.
	MaxListByteLength = 1<<28 - 1
	// maxFlatKept bounds the flat types remembered per type: beyond it a type
	// can only travel through memory, and fixed-size lists could otherwise
	// make huge slices.
	maxFlatKept = 4 * MaxFlatParams
)

// ABI computes Canonical ABI facts for the types of one wit.Resolve
// (32-bit memories, the `wasm32` target). Results are cached per TypeID, so
// an ABI should live as long as its Resolve; it is safe for concurrent use.
// The Resolve must not change types already asked about.
type ABI struct {
	Resolve *wit.Resolve

	// AsyncCallback selects the callback form of async lifting (the one
	// wit-bindgen emits): a lifted async export returns an i32 status code.
	// Without it the stackful form returns nothing.
	AsyncCallback bool

	mu     sync.Mutex
	shapes []*shape
	busy   []bool
	funcs  map[*wit.Function]funcShapes
}

// New returns an ABI for r.
func New(r *wit.Resolve) *ABI {
	return &ABI{Resolve: r, AsyncCallback: true}
}

// Layout is a type's size and alignment in linear memory.
type Layout struct {
	Size  uint32 // elem_size
	Align uint32 // alignment
}

// TypeError reports a type the Canonical ABI does not accept (an empty
// record, flags with more than 32 labels, a recursive type, ...).
type TypeError struct {
	Type   string // WIT-ish rendering of the offending type
	Reason string
}

func (e *TypeError) Error() string {
	return fmt.Sprintf("canonabi: type %s: %s", e.Type, e.Reason)
}

// Layout returns the size and alignment of t (CanonicalABI.md, Alignment
// and Element Size).
func (a *ABI) Layout(t wit.Type) (Layout, error) {
	sh, err := a.shape(t)
	if err != nil {
		return Layout{}, err
	}
	return Layout{Size: sh.size, Align: sh.align}, nil
}

// Flat returns the core types t flattens to (CanonicalABI.md, Flattening).
func (a *ABI) Flat(t wit.Type) ([]CoreType, error) {
	sh, err := a.shape(t)
	if err != nil {
		return nil, err
	}
	if sh.flatTooLong {
		return nil, &TypeError{Type: a.TypeString(t), Reason: fmt.Sprintf("flattens to more than %d core values", maxFlatKept)}
	}
	return sh.flat, nil
}

// KindOf returns the kind of t after following aliases.
func (a *ABI) KindOf(t wit.Type) (Kind, error) {
	sh, err := a.shape(t)
	if err != nil {
		return KindInvalid, err
	}
	return sh.kind, nil
}

// NeedsCleanup reports whether a value of t owns memory allocated while
// lowering it (it contains a string or a variable-length list), which is
// what makes an export need `cabi_post_`.
func (a *ABI) NeedsCleanup(t wit.Type) (bool, error) {
	sh, err := a.shape(t)
	if err != nil {
		return false, err
	}
	return sh.hasAlloc, nil
}

// shape returns the cached shape of t, computing it on first use.
func (a *ABI) shape(t wit.Type) (*shape, error) {
	if t.IsPrimitive() {
		if sh := primitiveShapes[t]; sh != nil {
			return sh, nil
		}
	}
	if t == wit.NoType {
		return nil, &TypeError{Type: "_", Reason: "no type"}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.shapeLocked(t)
}

func (a *ABI) shapeLocked(t wit.Type) (*shape, error) {
	if t.IsPrimitive() {
		if sh := primitiveShapes[t]; sh != nil {
			return sh, nil
		}
		return nil, &TypeError{Type: fmt.Sprintf("#%d", t), Reason: "unknown primitive"}
	}
	id, ok := t.TypeID()
	if !ok {
		return nil, &TypeError{Type: "_", Reason: "no type"}
	}
	if int(id) >= len(a.Resolve.Types) || a.Resolve.Types[id] == nil {
		return nil, &TypeError{Type: fmt.Sprintf("type#%d", id), Reason: "refers to no type definition"}
	}
	for int(id) >= len(a.shapes) {
		a.shapes = append(a.shapes, nil)
		a.busy = append(a.busy, false)
	}
	if sh := a.shapes[id]; sh != nil {
		return sh, nil
	}
	if a.busy[id] {
		return nil, &TypeError{Type: a.typeStringLocked(t, 0), Reason: "is recursive"}
	}
	a.busy[id] = true
	sh, err := a.build(id)
	a.busy[id] = false
	if err != nil {
		return nil, err
	}
	a.shapes[id] = sh
	return sh, nil
}
