package engine

import (
	"context"

	"github.com/tetratelabs/wazero/api"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/wit"
)

// The stream, future and error-context built-ins.

// elemKind is what a stream or future built-in knows of its payload,
// computed once.
type elemKind struct {
	elem        *vtype   // nil: no payload
	wt          wit.Type // wit.NoType: no payload
	size, align uint32
	raw         bool // plain numbers: bytes copy as they are
}

func (t *Instance) elemKindOf(elem *vtype) (elemKind, error) {
	k := elemKind{elem: elem, wt: wit.NoType, align: 1}
	if elem == nil {
		return k, nil
	}
	k.wt = t.bridge.typ(elem)
	l, err := t.bridge.abi.Layout(k.wt)
	k.size, k.align = l.Size, l.Align
	k.raw = plainNumber(elem) && elem.kind == component.KindPrim && elem.prim != component.Bool
	return k, err
}

// guestBuffer is BufferGuestImpl: n values at ptr in a guest's memory.
type guestBuffer struct {
	t      *Instance
	ctx    context.Context
	inst   *compInstance
	opts   *canonOpts
	cx     *canonabi.Context // made when values (not raw bytes) are copied
	k      *elemKind
	ptr    uint32
	length uint32
	done   uint32
}

func (t *Instance) newGuestBuffer(ctx context.Context, inst *compInstance, opts *canonOpts, k *elemKind, ptr, n uint32) *guestBuffer {
	if n > maxBufferLength {
		panic(trap("buffer length %d is too long", n))
	}
	if k.elem != nil && n > 0 {
		if ptr%k.align != 0 {
			panic(trap("buffer pointer %#x is not aligned to %d", ptr, k.align))
		}
		if opts.mem == nil || uint64(ptr)+uint64(n)*uint64(k.size) > uint64(opts.mem.Size()) {
			panic(trap("buffer of %d values at %#x is out of bounds", n, ptr))
		}
	}
	return &guestBuffer{t: t, ctx: ctx, inst: inst, opts: opts, k: k, ptr: ptr, length: n}
}

func (b *guestBuffer) context() *canonabi.Context {
	if b.cx == nil {
		b.cx = b.t.guestCx(b.ctx, b.inst, b.opts, &callScope{})
	}
	return b.cx
}

func (b *guestBuffer) remain() uint32   { return b.length - b.done }
func (b *guestBuffer) zeroLength() bool { return b.length == 0 }
func (b *guestBuffer) progress() uint32 { return b.done }

func (b *guestBuffer) read(n uint32) ([]canonabi.Value, error) {
	vs := make([]canonabi.Value, n)
	if b.k.elem != nil {
		cx := b.context()
		for i := range vs {
			v, err := b.t.bridge.abi.Load(cx, b.k.wt, b.ptr)
			if err != nil {
				return nil, err
			}
			vs[i] = v
			b.ptr += b.k.size
		}
	}
	b.done += n
	return vs, nil
}

func (b *guestBuffer) write(vs []canonabi.Value) error {
	if b.k.elem != nil {
		cx := b.context()
		for _, v := range vs {
			if err := b.t.bridge.abi.Store(cx, b.k.wt, v, b.ptr); err != nil {
				return err
			}
			b.ptr += b.k.size
		}
	}
	b.done += uint32(len(vs))
	return nil
}

func (b *guestBuffer) rawSize() uint32 { return b.k.size }

// readRaw returns a view of the memory, valid until it is next grown
// (copyInto writes it elsewhere at once).
func (b *guestBuffer) readRaw(n uint32) []byte {
	p, _ := b.opts.mem.Read(b.ptr, n*b.k.size)
	b.ptr += n * b.k.size
	b.done += n
	return p
}

func (b *guestBuffer) writeRaw(p []byte) {
	b.opts.mem.Write(b.ptr, p)
	b.ptr += uint32(len(p))
	b.done += uint32(len(p)) / b.k.size
}

// rawOK: only buffers of plain numbers take the raw path.
func (b *guestBuffer) rawOK() bool { return b.k.raw }

func (t *Instance) streamBuiltin(ctx context.Context, s *scope, c *component.Canon) (coreExt, error) {
	inst, st := s.inst, t.st
	e, err := s.typeAt(c.Type)
	if err != nil {
		return coreExt{}, err
	}
	vt, ok := e.(*vtype)
	if !ok || (vt.kind != component.KindStream && vt.kind != component.KindFuture) {
		return coreExt{}, errorf("type %d is not a stream or future type", c.Type)
	}
	future, elem := vt.kind == component.KindFuture, vt.elem
	kind, err := t.elemKindOf(elem)
	if err != nil {
		return coreExt{}, err
	}
	code := func(readable bool) uint32 {
		switch {
		case future && readable:
			return eventFutureRead
		case future:
			return eventFutureWrite
		case readable:
			return eventStreamRead
		}
		return eventStreamWrite
	}
	switch c.Op {
	case component.CanonStreamNew, component.CanonFutureNew:
		return t.hostFunc(ctx, func(_ context.Context, _ api.Module, stack []uint64) {
			mustLeave(inst)
			sh := &shared{future: future, elem: elem, typed: true}
			ri, err := inst.handles.addObj(&copyEnd{shared: sh, readable: true})
			must(err)
			wi, err := inst.handles.addObj(&copyEnd{shared: sh})
			must(err)
			stack[0] = uint64(ri) | uint64(wi)<<32
		}, nil, i64out)
	case component.CanonStreamRead, component.CanonStreamWrite, component.CanonFutureRead, component.CanonFutureWrite:
		opts, err := t.canonOpts(ctx, s, c.Opts)
		if err != nil {
			return coreExt{}, err
		}
		readable := c.Op == component.CanonStreamRead || c.Op == component.CanonFutureRead
		params := i32x3
		if future {
			params = i32x2
		}
		return t.hostFunc(ctx, func(ctx context.Context, _ api.Module, stack []uint64) {
			n := uint32(1)
			if !future {
				n = uint32(stack[2])
			}
			stack[0] = uint64(t.copyOp(ctx, inst, &opts, readable, future, &kind, code(readable), uint32(stack[0]), uint32(stack[1]), n))
		}, params, i32)
	case component.CanonStreamCancelRead, component.CanonStreamCancelWrite,
		component.CanonFutureCancelRead, component.CanonFutureCancelWrite:
		readable := c.Op == component.CanonStreamCancelRead || c.Op == component.CanonFutureCancelRead
		async := c.Flag
		return t.hostFunc(ctx, func(_ context.Context, _ api.Module, stack []uint64) {
			mustLeave(inst)
			if !async {
				st.mustMayBlock(inst)
			}
			i := uint32(stack[0])
			e := endAt(inst, i, readable, future, elem)
			if e.state != copyCopying || e.syncWaiter {
				panic(trap("handle %d has no async copy in progress to cancel", i))
			}
			if e.wset != nil && !async {
				panic(trap("%s (handle %d)", inWaitableSet, i))
			}
			e.state = copyCancelling
			if e.partial { // values arrived but the copy is still open: cancel it
				e.shared.cancel()
			}
			if !e.hasPending() {
				e.shared.cancel()
				if !e.hasPending() {
					if !async {
						e.waitPending(st.curThread(inst))
					} else {
						stack[0] = blocked
						return
					}
				}
			}
			stack[0] = uint64(e.takePending().p2)
		}, i32, i32)
	case component.CanonStreamDropReadable, component.CanonStreamDropWritable,
		component.CanonFutureDropReadable, component.CanonFutureDropWritable:
		readable := c.Op == component.CanonStreamDropReadable || c.Op == component.CanonFutureDropReadable
		return t.hostFunc(ctx, func(_ context.Context, _ api.Module, stack []uint64) {
			mustLeave(inst)
			e := endAt(inst, uint32(stack[0]), readable, future, elem)
			must(e.drop())
			_, _ = inst.handles.remove(uint32(stack[0]))
		}, i32, nil)
	}
	return coreExt{}, unsupported("canon built-in %#x", c.Op)
}

// copyOp is stream_copy and future_copy.
func (t *Instance) copyOp(ctx context.Context, inst *compInstance, opts *canonOpts, readable, future bool, k *elemKind, code, i, ptr, n uint32) uint32 {
	mustLeave(inst)
	if !opts.async {
		t.st.mustMayBlock(inst)
	}
	e := endAt(inst, i, readable, future, k.elem)
	if e.state != copyIdle {
		panic(trap("%s (handle %d)", busyMessage(e, "read from", "write to"), i))
	}
	if e.wset != nil && !opts.async {
		panic(trap("%s (handle %d)", inWaitableSet, i))
	}
	buf := t.newGuestBuffer(ctx, inst, opts, k, ptr, n)
	var b buffer = buf
	if !buf.rawOK() {
		b = valueOnly{buf}
	}
	finish := func(result uint32, reclaim func()) event {
		reclaim()
		e.partial = false
		if result == copyDropped || future && result == copyCompleted {
			e.state = copyDone
		} else {
			e.state = copyIdle
		}
		if future {
			return event{code, i, result}
		}
		return event{code, i, result | buf.done<<4}
	}
	onCopy := func(reclaim func()) {
		e.partial = true
		e.setPending(func() event { return finish(copyCompleted, reclaim) })
	}
	onDone := func(result uint32) {
		e.partial = false
		e.setPending(func() event { return finish(result, func() {}) })
	}
	e.state = copyCopying
	e.shared.copy(inst, readable, b, onCopy, onDone)
	if !e.hasPending() {
		if opts.async {
			return blocked
		}
		e.waitPending(t.st.curThread(inst))
	}
	return e.takePending().p2
}

// busyMessage says why end e cannot start a copy or be passed on (in the
// words of the spec's reference tests).
func busyMessage(e *copyEnd, read, write string) string {
	kind := "stream"
	if e.shared.future {
		kind = "future"
	}
	switch {
	case e.copying():
		return "cannot have concurrent operations active on a future/stream"
	case e.shared.future && e.readable:
		return "cannot " + read + " future after previous read succeeded"
	case e.shared.future:
		return "cannot " + write + " future after previous write succeeded or readable end dropped"
	case e.readable:
		return "cannot " + read + " " + kind + " after being notified that the writable end dropped"
	}
	return "cannot " + write + " " + kind + " after being notified that the readable end dropped"
}

// valueOnly hides a buffer's raw path.
type valueOnly struct{ buffer }

func (t *Instance) errorContextBuiltin(ctx context.Context, s *scope, c *component.Canon) (coreExt, error) {
	inst := s.inst
	switch c.Op {
	case component.CanonErrorContextDrop:
		return t.hostFunc(ctx, func(_ context.Context, _ api.Module, stack []uint64) {
			mustLeave(inst)
			errorContextAt(inst, uint32(stack[0]))
			_, _ = inst.handles.remove(uint32(stack[0]))
		}, i32, nil)
	}
	opts, err := t.canonOpts(ctx, s, c.Opts)
	if err != nil {
		return coreExt{}, err
	}
	if c.Op == component.CanonErrorContextNew {
		return t.hostFunc(ctx, func(ctx context.Context, _ api.Module, stack []uint64) {
			mustLeave(inst)
			cx := t.guestCx(ctx, inst, &opts, nil)
			v, err := t.bridge.abi.LiftFlat(cx, wit.String, stack[:2])
			if err != nil {
				panic(trapOrErr(err))
			}
			i, err := inst.handles.addObj(&errorContext{msg: v.Str()})
			must(err)
			stack[0] = uint64(i)
		}, i32x2, i32)
	}
	return t.hostFunc(ctx, func(ctx context.Context, _ api.Module, stack []uint64) {
		mustLeave(inst)
		ec := errorContextAt(inst, uint32(stack[0]))
		cx := t.guestCx(ctx, inst, &opts, nil)
		if err := t.bridge.abi.Store(cx, wit.String, canonabi.StringValue(ec.msg), uint32(stack[1])); err != nil {
			panic(trapOrErr(err))
		}
	}, i32x2, nil)
}

func errorContextAt(inst *compInstance, i uint32) *errorContext {
	x, err := inst.handles.get(i)
	must(err)
	ec, ok := x.obj.(*errorContext)
	if !ok {
		panic(trap("handle %d is not an error context", i))
	}
	return ec
}
