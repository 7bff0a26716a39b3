package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tetratelabs/wazero/api"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/wit"
)

// compFunc is a component function: lifted from a core function of a
// component instance, or implemented by the host in Go.
type compFunc struct {
	name string
	typ  *funcType
	wf   *wit.Function

	// lifted
	inst    *compInstance
	core    *lazyFunc
	opts    canonOpts
	nparams int // core parameters
	nresult int // core results
	fast    bool
	frame   *frame

	host HostFunc
}

// canonOpts are the canonical options of a lift or lower, resolved.
type canonOpts struct {
	mem      api.Memory
	realloc  *lazyFunc
	post     *lazyFunc
	callback *lazyFunc
	enc      canonabi.StringEncoding
	async    bool
}

// lazyFunc is a core function made callable on first use: wazero's
// ExportedFunction allocates a call engine, which most functions of an
// instance never need.
type lazyFunc struct {
	t    *Instance
	x    coreExt
	f    api.Function
	pool []api.Function // for take/put
}

// take returns a function of its own for a call that may be suspended
// (an api.Function must not be re-entered while it runs); put returns it.
func (l *lazyFunc) take(ctx context.Context) (api.Function, error) {
	if n := len(l.pool); n > 0 {
		f := l.pool[n-1]
		l.pool = l.pool[:n-1]
		return f, nil
	}
	return l.t.function(ctx, l.x)
}

func (l *lazyFunc) put(f api.Function) { l.pool = append(l.pool, f) }

func (l *lazyFunc) get(ctx context.Context) (api.Function, error) {
	if l.f != nil {
		return l.f, nil
	}
	f, err := l.t.function(ctx, l.x)
	l.f = f
	return f, err
}

// call calls the function with stack.
func (l *lazyFunc) call(ctx context.Context, stack []uint64) error {
	f := l.f
	if f == nil {
		var err error
		if f, err = l.get(ctx); err != nil {
			return err
		}
	}
	return f.CallWithStack(ctx, stack)
}

// compInstance is the run-time state of one component instance.
type compInstance struct {
	top      *Instance
	parent   *compInstance // the instance whose component instantiated this one
	handles  handleTable
	mayLeave bool
	entered  bool

	// With direct guest-to-guest edges (flags.go) the flags also live in
	// wasm globals, which the edges read and write; these mirror them.
	mayLeaveG api.MutableGlobal
	enteredG  api.MutableGlobal
	flagsMod  api.Module

	// async state (CanonicalABI.md, ComponentInstance)
	threads           handleTable // explicit-thread components: the threads table
	backpressure      int
	numWaitingToEnter int
	exclusive         *thread
}

// guestMemory is a canonabi.Memory over a wazero memory and the guest's
// realloc.
type guestMemory struct {
	ctx     context.Context
	mem     api.Memory
	realloc *lazyFunc
	stack   [4]uint64
}

func (g *guestMemory) Read(ptr, n uint32) ([]byte, bool) {
	if g.mem == nil {
		return nil, false
	}
	return g.mem.Read(ptr, n)
}

func (g *guestMemory) Write(ptr uint32, data []byte) bool {
	return g.mem != nil && g.mem.Write(ptr, data)
}

func (g *guestMemory) Realloc(oldPtr, oldSize, align, newSize uint32) (uint32, error) {
	if g.realloc == nil {
		return 0, trap("no realloc to allocate %d bytes", newSize)
	}
	g.stack = [4]uint64{uint64(oldPtr), uint64(oldSize), uint64(align), uint64(newSize)}
	if err := g.realloc.call(g.ctx, g.stack[:]); err != nil {
		return 0, err
	}
	return uint32(g.stack[0]), nil
}

// Trap is a guest trap or a violation of the component model's run-time
// rules. Err, when set, is wazero's error, whose text carries the guest's
// stack.
type Trap struct {
	Reason string
	Err    error
}

func (t *Trap) Error() string {
	if t.Reason == "" && t.Err != nil {
		return "engine: trap: " + t.Err.Error()
	}
	msg := "engine: trap: " + t.Reason
	if t.Err != nil {
		if _, stack, ok := strings.Cut(t.Err.Error(), "wasm stack trace:"); ok {
			msg += "\nwasm stack trace:" + stack
		}
	}
	return msg
}

func (t *Trap) Unwrap() error { return t.Err }

func trap(format string, args ...any) error { return &Trap{Reason: fmt.Sprintf(format, args...)} }

// trapOrErr wraps an error from a guest call as a Trap, unless it is one.
func trapOrErr(err error) error {
	if err == nil {
		return nil
	}
	var tr *Trap
	if errors.As(err, &tr) {
		if tr.Err == nil && tr.Reason != "" && err != tr {
			return &Trap{Reason: tr.Reason, Err: err}
		}
		return err
	}
	var ct *canonabi.Trap
	if errors.As(err, &ct) {
		return &Trap{Reason: ct.Reason, Err: err}
	}
	return &Trap{Err: err}
}

// frame is the per-call state of one function: reused from call to call
// (a component instance cannot be re-entered, so a function's frame is
// free again by the time it is called next); busy guards the exceptions.
type frame struct {
	busy  bool
	sc    callScope
	mem   guestMemory
	hc    handleCx
	cx    canonabi.Context
	stack []uint64
}

func (t *Instance) acquire(fr **frame) *frame {
	if *fr == nil {
		*fr = &frame{}
	}
	f := *fr
	if f.busy {
		f = &frame{} // nested use: a fresh frame, not reused
	}
	f.busy = true
	return f
}

func (fr *frame) release() { fr.busy = false }

// context prepares the frame's canonabi context for inst with options o.
func (fr *frame) context(ctx context.Context, t *Instance, inst *compInstance, o *canonOpts, alias bool) *canonabi.Context {
	fr.mem = guestMemory{ctx: ctx, mem: o.mem, realloc: o.realloc}
	fr.hc = handleCx{t: t, inst: inst, scope: &fr.sc}
	fr.cx = canonabi.Context{Memory: &fr.mem, Encoding: o.enc, Handles: &fr.hc, Alias: alias}
	return &fr.cx
}

// begin calls f with args and lifts its result; finish must follow once
// the result has been used (it may alias the callee's memory until then):
// it runs the post-return and ends the call's borrow scope.
func (t *Instance) begin(ctx context.Context, f *compFunc, args []canonabi.Value, alias bool) (canonabi.Value, bool, *frame, error) {
	if f.host != nil {
		v, err := f.host(context.WithValue(ctx, callerKey{}, t), args)
		return v, f.typ.result != nil, nil, err
	}
	ci := f.inst
	if ci.isEntered() {
		return canonabi.Value{}, false, nil, trap("cannot enter component instance: it is already running (reentrance)")
	}
	ci.setEntered(true)
	fr := t.acquire(&f.frame)
	cx := fr.context(ctx, t, ci, &f.opts, alias)
	flat, err := t.bridge.abi.LowerArgs(cx, f.wf, args)
	if err != nil {
		t.abandon(f, fr)
		return canonabi.Value{}, false, nil, trapOrErr(err)
	}
	if n := max(len(flat), f.nresult); cap(fr.stack) < n {
		fr.stack = make([]uint64, n)
	}
	stack := fr.stack[:max(len(flat), f.nresult)]
	copy(stack, flat)
	if err := f.core.call(ctx, stack); err != nil {
		t.abandon(f, fr)
		return canonabi.Value{}, false, nil, trapOrErr(err)
	}
	v, ok, err := t.bridge.abi.LiftResult(cx, f.wf, stack[:f.nresult])
	if err != nil {
		t.abandon(f, fr)
		return canonabi.Value{}, false, nil, trapOrErr(err)
	}
	return v, ok, fr, nil
}

func (t *Instance) abandon(f *compFunc, fr *frame) {
	_ = fr.sc.end(t)
	fr.release()
	f.inst.setEntered(false)
}

func (t *Instance) finish(ctx context.Context, f *compFunc, fr *frame) error {
	if fr == nil {
		return nil
	}
	ci := f.inst
	defer func() {
		fr.release()
		ci.setEntered(false)
	}()
	if f.opts.post != nil {
		ci.setMayLeave(false)
		err := f.opts.post.call(ctx, fr.stack[:f.nresult])
		ci.setMayLeave(true)
		if err != nil {
			_ = fr.sc.end(t)
			return trapOrErr(err)
		}
	}
	return fr.sc.end(t)
}

// callValues calls f from the host and returns its result.
func (t *Instance) callValues(ctx context.Context, f *compFunc, args []canonabi.Value) (canonabi.Value, bool, error) {
	v, ok, fr, err := t.begin(ctx, f, args, false)
	if err != nil {
		return v, ok, err
	}
	return v, ok, t.finish(ctx, f, fr)
}

// lowered is the core function that `canon lower` makes of g for the
// component instance caller: it lifts the arguments from the caller's
// memory, calls g (host-mediated: no memory is shared between component
// instances) and lowers the result back. Signatures of plain integers
// skip the value layer entirely.
func (t *Instance) lowered(caller *compInstance, g *compFunc, wf *wit.Function, opts canonOpts, nparams int) api.GoModuleFunc {
	if g.fast && g.host == nil && g.opts.post == nil {
		return func(ctx context.Context, _ api.Module, stack []uint64) {
			if !caller.mayLeave {
				panic(trap("cannot leave component instance"))
			}
			ci := g.inst
			if ci.isEntered() {
				panic(trap("cannot enter component instance: it is already running (reentrance)"))
			}
			ci.setEntered(true)
			err := g.core.call(ctx, stack)
			ci.setEntered(false)
			if err != nil {
				panic(trapOrErr(err))
			}
		}
	}
	alias := g.host == nil
	var reuse *frame
	return func(ctx context.Context, _ api.Module, stack []uint64) {
		if !caller.mayLeave {
			panic(trap("cannot leave component instance"))
		}
		fr := t.acquire(&reuse)
		defer fr.release()
		cx := fr.context(ctx, t, caller, &opts, alias)
		params := stack[:nparams]
		args, err := t.bridge.abi.LiftArgs(cx, wf, params)
		if err == nil {
			var v canonabi.Value
			var callee *frame
			v, _, callee, err = t.begin(ctx, g, args, alias)
			if err == nil {
				var out []uint64
				out, err = t.bridge.abi.LowerResult(cx, wf, v, params)
				copy(stack, out)
				if ferr := t.finish(ctx, g, callee); err == nil {
					err = ferr
				}
			}
		}
		if eerr := fr.sc.end(t); err == nil {
			err = eerr
		}
		if err != nil {
			panic(trapOrErr(err))
		}
	}
}
