package engine

import (
	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/wit"
)

// Streams, futures and error contexts crossing a call boundary
// (lift_async_value, lower_stream, lift_error_context...). In Values they
// are indices in the root's host table, whose element is the stream's or
// future's shared state, or the error context.

// elemOf returns the payload type of the stream or future type typ.
func (h *handleCx) elemOf(typ wit.Type) (*vtype, error) {
	id, ok := typ.TypeID()
	if !ok {
		return nil, trap("stream or future of unknown type")
	}
	v := h.t.bridge.vtypes[id]
	if v == nil {
		return nil, trap("stream or future of unknown type")
	}
	return v.elem, nil
}

func (h *handleCx) liftAsyncValue(k canonabi.Kind, typ wit.Type, index uint32) (uint32, error) {
	tab := h.table()
	x, err := tab.get(index)
	if err != nil {
		return 0, err
	}
	if k == canonabi.KindErrorContext {
		ec, ok := x.obj.(*errorContext)
		if !ok {
			return 0, trap("handle %d is not an error context", index)
		}
		if h.inst == nil {
			return index, nil
		}
		return h.t.host.addObj(ec)
	}
	if h.inst == nil {
		return index, nil
	}
	e, ok := x.obj.(*copyEnd)
	if !ok || !e.readable || e.shared.future != (k == canonabi.KindFuture) {
		return 0, trap("handle %d is not the readable end of a %s", index, k)
	}
	elem, err := h.elemOf(typ)
	if err != nil {
		return 0, err
	}
	if !typesEqual(elem, e.shared.elem) {
		return 0, trap("handle %d: %s payload type mismatch", index, k)
	}
	if e.state != copyIdle {
		return 0, trap("%s (handle %d)", busyMessage(e, "lift", "lift"), index)
	}
	if e.wset != nil {
		return 0, trap("cannot lift %s while it's in a waitable set (handle %d)", k, index)
	}
	_, _ = tab.remove(index)
	return h.t.host.addObj(e.shared)
}

func (h *handleCx) lowerAsyncValue(k canonabi.Kind, typ wit.Type, handle uint32) (uint32, error) {
	if h.inst == nil {
		return handle, nil
	}
	x, err := h.t.host.get(handle)
	if err != nil {
		return 0, err
	}
	if k == canonabi.KindErrorContext {
		ec, ok := x.obj.(*errorContext)
		if !ok {
			return 0, trap("handle %d is not an error context", handle)
		}
		_, _ = h.t.host.remove(handle)
		return h.inst.handles.addObj(ec)
	}
	sh, ok := x.obj.(*shared)
	if !ok || sh.future != (k == canonabi.KindFuture) {
		return 0, trap("handle %d is not a %s", handle, k)
	}
	elem, err := h.elemOf(typ)
	if err != nil {
		return 0, err
	}
	if !sh.typed {
		sh.elem, sh.typed = elem, true
	} else if !typesEqual(elem, sh.elem) {
		return 0, trap("handle %d: %s payload type mismatch", handle, k)
	}
	_, _ = h.t.host.remove(handle)
	return h.inst.handles.addObj(&copyEnd{shared: sh, readable: true})
}
