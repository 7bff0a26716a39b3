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
	core    api.Function
	opts    canonOpts
	nparams int // core parameters
	nresult int // core results
	fast    bool

	host HostFunc
}

// canonOpts are the canonical options of a lift or lower, resolved.
type canonOpts struct {
	mem     api.Memory
	realloc api.Function
	post    api.Function
	enc     canonabi.StringEncoding
}

// compInstance is the run-time state of one component instance.
type compInstance struct {
	top      *Instance
	handles  handleTable
	mayLeave bool
	entered  bool
}

// guestMemory is a canonabi.Memory over a wazero memory and the guest's
// realloc.
type guestMemory struct {
	ctx     context.Context
	mem     api.Memory
	realloc api.Function
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
	if err := g.realloc.CallWithStack(g.ctx, g.stack[:]); err != nil {
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

func (t *Instance) context(ctx context.Context, inst *compInstance, o *canonOpts, sc *callScope, alias bool) *canonabi.Context {
	return &canonabi.Context{
		Memory:   &guestMemory{ctx: ctx, mem: o.mem, realloc: o.realloc},
		Encoding: o.enc,
		Handles:  &handleCx{t: t, inst: inst, scope: sc},
		Alias:    alias,
	}
}

// invoke calls f with args. consume sees the result before the callee's
// post-return runs (a lifted result may alias the callee's memory).
func (t *Instance) invoke(ctx context.Context, f *compFunc, args []canonabi.Value, alias bool, consume func(canonabi.Value, bool) error) error {
	if f.host != nil {
		v, err := f.host(ctx, args)
		if err != nil {
			return err
		}
		return consume(v, f.typ.result != nil)
	}
	ci := f.inst
	if ci.entered {
		return trap("cannot enter component instance: it is already running (reentrance)")
	}
	ci.entered = true
	defer func() { ci.entered = false }()
	sc := &callScope{}
	cx := t.context(ctx, ci, &f.opts, sc, alias)
	flat, err := t.bridge.abi.LowerArgs(cx, f.wf, args)
	if err != nil {
		return trapOrErr(err)
	}
	stack := make([]uint64, max(len(flat), f.nresult))
	copy(stack, flat)
	if err := f.core.CallWithStack(ctx, stack); err != nil {
		return trapOrErr(err)
	}
	v, ok, err := t.bridge.abi.LiftResult(cx, f.wf, stack[:f.nresult])
	if err != nil {
		return trapOrErr(err)
	}
	if err := consume(v, ok); err != nil {
		return err
	}
	if f.opts.post != nil {
		ci.mayLeave = false
		err := f.opts.post.CallWithStack(ctx, stack)
		ci.mayLeave = true
		if err != nil {
			return trapOrErr(err)
		}
	}
	return sc.end(t)
}

// callValues calls f from the host and returns its result.
func (t *Instance) callValues(ctx context.Context, f *compFunc, args []canonabi.Value, alias bool) (canonabi.Value, bool, error) {
	var res canonabi.Value
	var has bool
	err := t.invoke(ctx, f, args, alias, func(v canonabi.Value, ok bool) error {
		res, has = v, ok
		return nil
	})
	return res, has, err
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
			if ci.entered {
				panic(trap("cannot enter component instance: it is already running (reentrance)"))
			}
			ci.entered = true
			err := g.core.CallWithStack(ctx, stack)
			ci.entered = false
			if err != nil {
				panic(trapOrErr(err))
			}
		}
	}
	alias := g.host == nil
	return func(ctx context.Context, _ api.Module, stack []uint64) {
		if !caller.mayLeave {
			panic(trap("cannot leave component instance"))
		}
		sc := &callScope{}
		cx := t.context(ctx, caller, &opts, sc, alias)
		params := stack[:nparams]
		args, err := t.bridge.abi.LiftArgs(cx, wf, params)
		if err == nil {
			err = t.invoke(ctx, g, args, alias, func(v canonabi.Value, ok bool) error {
				out, err := t.bridge.abi.LowerResult(cx, wf, v, params)
				copy(stack, out)
				return err
			})
		}
		if err == nil {
			err = sc.end(t)
		} else {
			_ = sc.end(t)
		}
		if err != nil {
			panic(trapOrErr(err))
		}
	}
}
