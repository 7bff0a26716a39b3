package engine

import (
	"sync"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/wit"
)

// handleEntry is one slot of a handle table (CanonicalABI.md, Handles).
type handleEntry struct {
	rt    *resourceType
	rep   uint32
	own   bool
	lends int        // own: live borrows lent out of it
	scope *callScope // borrow: the call it was lent to
	used  bool
	// obj is every other kind of element: waitables, waitable sets,
	// stream and future ends, error contexts (rt is nil then).
	obj any
}

// handleTable is a component instance's table of resource handles. Index
// 0 is never used, so a handle is never 0; freed slots are reused last
// in, first out, as the spec's table does.
type handleTable struct {
	entries []handleEntry
	free    []uint32
	// mu guards the root's host table in async instances, where host
	// goroutines add and take stream and future ends.
	mu *sync.Mutex
}

func (h *handleTable) init() { h.entries = make([]handleEntry, 1, 8) }

func (h *handleTable) add(e handleEntry) uint32 {
	if h.mu != nil {
		h.mu.Lock()
		defer h.mu.Unlock()
	}
	e.used = true
	if n := len(h.free); n > 0 {
		i := h.free[n-1]
		h.free = h.free[:n-1]
		h.entries[i] = e
		return i
	}
	h.entries = append(h.entries, e)
	return uint32(len(h.entries) - 1)
}

// maxTableLength is Table.MAX_LENGTH: indices keep their high 4 bits free.
const maxTableLength = 1<<28 - 1

// addObj adds a non-resource element.
func (h *handleTable) addObj(obj any) (uint32, error) {
	if len(h.free) == 0 && len(h.entries) > maxTableLength {
		return 0, trap("the handle table is full")
	}
	return h.add(handleEntry{obj: obj}), nil
}

func (h *handleTable) get(i uint32) (*handleEntry, error) {
	if h.mu == nil {
		return h.getLocked(i)
	}
	// (an add may copy the slice meanwhile; the entry read stays valid)
	h.mu.Lock()
	e, err := h.getLocked(i)
	h.mu.Unlock()
	return e, err
}

func (h *handleTable) getLocked(i uint32) (*handleEntry, error) {
	if i == 0 || int(i) >= len(h.entries) || !h.entries[i].used {
		return nil, trap("unknown handle index %d", i)
	}
	return &h.entries[i], nil
}

func (h *handleTable) remove(i uint32) (handleEntry, error) {
	if h.mu != nil {
		h.mu.Lock()
		defer h.mu.Unlock()
	}
	e, err := h.getLocked(i)
	if err != nil {
		return handleEntry{}, err
	}
	out := *e
	*e = handleEntry{}
	h.free = append(h.free, i)
	return out, nil
}

// callScope tracks the borrows of one call: those lent to the callee
// (which must all be dropped by the time it returns) and the caller's
// handles lent out (released when it returns).
type callScope struct {
	borrows   int
	lenders   []lendRef
	transient []uint32 // borrow entries in the root's transit table
}

type lendRef struct {
	table *handleTable
	index uint32
}

// end releases what the call holds; borrows still held by the callee trap.
func (c *callScope) end(t *Instance) error {
	for _, l := range c.lenders {
		if e, err := l.table.get(l.index); err == nil {
			e.lends--
		}
	}
	for _, i := range c.transient {
		_, _ = t.host.remove(i)
	}
	c.lenders, c.transient = c.lenders[:0], c.transient[:0]
	if c.borrows != 0 {
		return trap("borrow handles still remain at the end of the call")
	}
	return nil
}

// handleCx implements canonabi.HandleTable for one side of a call: the
// component instance inst (nil: the host) during the call scope. Handles
// in Values are indices into the root Instance's transit table (host).
type handleCx struct {
	t     *Instance
	inst  *compInstance
	scope *callScope
}

func (h *handleCx) table() *handleTable {
	if h.inst == nil {
		return &h.t.host
	}
	return &h.inst.handles
}

func (h *handleCx) resourceOf(typ wit.Type) (*resourceType, error) {
	id, ok := typ.TypeID()
	if !ok || int(id) >= len(h.t.bridge.r.Types) {
		return nil, trap("handle of unknown type")
	}
	switch k := h.t.bridge.r.Types[id].Kind.(type) {
	case *wit.Own:
		id = k.Resource
	case *wit.Borrow:
		id = k.Resource
	}
	rt := h.t.bridge.resources[id]
	if rt == nil {
		return nil, unsupported("handles other than own and borrow (async types)")
	}
	return rt, nil
}

func (h *handleCx) LiftHandle(k canonabi.Kind, typ wit.Type, index uint32) (uint32, error) {
	if k != canonabi.KindOwn && k != canonabi.KindBorrow {
		return h.liftAsyncValue(k, typ, index)
	}
	rt, err := h.resourceOf(typ)
	if err != nil {
		return 0, err
	}
	tab := h.table()
	if k == canonabi.KindOwn {
		e, err := tab.get(index)
		if err != nil {
			return 0, err
		}
		if e.rt != rt {
			return 0, trap("handle %d has the wrong resource type", index)
		}
		if !e.own {
			return 0, trap("handle %d is a borrow, an own was expected", index)
		}
		if e.lends != 0 {
			return 0, trap("handle %d is lent out", index)
		}
		moved, _ := tab.remove(index)
		if h.inst == nil {
			return h.t.host.add(moved), nil
		}
		return h.t.host.add(handleEntry{rt: rt, rep: moved.rep, own: true}), nil
	}
	e, err := tab.get(index)
	if err != nil {
		return 0, err
	}
	if e.rt != rt {
		return 0, trap("handle %d has the wrong resource type", index)
	}
	e.lends++
	h.scope.lenders = append(h.scope.lenders, lendRef{tab, index})
	i := h.t.host.add(handleEntry{rt: rt, rep: e.rep})
	h.scope.transient = append(h.scope.transient, i)
	return i, nil
}

func (h *handleCx) LowerHandle(k canonabi.Kind, typ wit.Type, handle uint32) (uint32, error) {
	if k != canonabi.KindOwn && k != canonabi.KindBorrow {
		return h.lowerAsyncValue(k, typ, handle)
	}
	rt, err := h.resourceOf(typ)
	if err != nil {
		return 0, err
	}
	e, err := h.t.host.get(handle)
	if err != nil {
		return 0, err
	}
	if e.rt != rt {
		return 0, trap("handle %d has the wrong resource type", handle)
	}
	if k == canonabi.KindOwn {
		if !e.own || e.lends != 0 {
			return 0, trap("handle %d cannot be given away", handle)
		}
		moved, _ := h.t.host.remove(handle)
		if h.inst == nil {
			return h.t.host.add(moved), nil
		}
		return h.inst.handles.add(handleEntry{rt: rt, rep: moved.rep, own: true}), nil
	}
	if h.inst == nil || rt.impl == h.inst {
		return e.rep, nil
	}
	h.scope.borrows++
	return h.inst.handles.add(handleEntry{rt: rt, rep: e.rep, scope: h.scope}), nil
}
