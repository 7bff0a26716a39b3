package engine

import (
	"context"
	"errors"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/tetratelabs/wazero/api"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/wit"
)

// Instance is an instantiated component. It is not safe for concurrent
// calls (nor are wazero's functions); instantiate once per goroutine.
type Instance struct {
	engine    *Engine
	compiled  *Compiled
	bridge    *bridge
	modules   []api.Module
	compInsts []*compInstance
	host      handleTable // the host's handles and handles in transit
	exports   map[string]sortItem
	funcs     map[string]*Func
	poisoned  error
	st        *store // the component uses async: the general call path

	hostResources map[string]*resourceType // by "interface#name"
	trampolines   []uint32                 // registry ids to release
}

// Instantiate instantiates c with the host's imports (nil: none). The
// component's `start` runs before it returns.
func (e *Engine) Instantiate(ctx context.Context, c *Compiled, imports *Imports) (inst *Instance, err error) {
	t := &Instance{engine: e, compiled: c, bridge: newBridge(), funcs: map[string]*Func{}}
	t.host.init()
	if c.async {
		t.st = newStore(t)
		t.st.threads = c.threads
		t.host.mu = &sync.Mutex{}
	}
	defer func() {
		if r := recover(); r != nil { // a bug here must not take the host down
			err = errorf("instantiation failed: %v", r)
		}
		if err != nil {
			_ = t.Close(ctx)
			inst = nil
		}
	}()
	if imports == nil {
		imports = &Imports{}
	}
	s, err := t.run(ctx, &compDef{ast: c.ast}, t.hostProvider(imports), nil)
	if err != nil {
		return nil, err
	}
	t.exports = s.exports
	return t, nil
}

// Close releases the instance's core modules.
func (t *Instance) Close(ctx context.Context) error {
	if t.st != nil {
		t.st.close()
	}
	var errs []error
	for i := len(t.modules) - 1; i >= 0; i-- {
		errs = append(errs, t.modules[i].Close(ctx))
	}
	t.modules = nil
	for _, id := range t.trampolines {
		t.engine.reg.remove(id)
	}
	t.trampolines = nil
	return errors.Join(errs...)
}

// Func is an exported component function.
type Func struct {
	t     *Instance
	f     *compFunc
	stack []uint64
}

// Type is the function's signature as a wit function (its types live in
// ABI().Resolve).
func (f *Func) Type() *wit.Function { return f.f.wf }

// ABI returns the canonabi view of the instance's types (for WAVE).
func (t *Instance) ABI() *canonabi.ABI { return t.bridge.abi }

// Exports lists the exported function names: top-level ones, and
// `instance#func` for functions of exported instances.
func (t *Instance) Exports() []string {
	var out []string
	for n, it := range t.exports {
		switch it.sort {
		case component.SortFunc:
			out = append(out, n)
		case component.SortInstance:
			for fn, x := range it.v.(*instanceVal).exports {
				if x.sort == component.SortFunc {
					out = append(out, n+"#"+fn)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// Func returns the exported function name (`f`, or `ns:pkg/iface#f`). A
// bare `f` that no top-level function has also finds the only exported
// interface function called f.
func (t *Instance) Func(name string) (*Func, error) {
	if f, ok := t.funcs[name]; ok {
		return f, nil
	}
	it, ok := t.exports[name]
	if !ok {
		if i := strings.LastIndexByte(name, '#'); i > 0 {
			if iv, ok2 := t.exports[name[:i]]; ok2 && iv.sort == component.SortInstance {
				it, ok = iv.v.(*instanceVal).exports[name[i+1:]]
			}
		}
	}
	if !ok && !strings.Contains(name, "#") {
		// A bare name may stand for the one interface function so named.
		var found []string
		for _, full := range t.Exports() {
			if i := strings.LastIndexByte(full, '#'); i > 0 && full[i+1:] == name {
				found = append(found, full)
			}
		}
		switch len(found) {
		case 1:
			return t.Func(found[0])
		case 0:
		default:
			return nil, errorf("exported function name %q is ambiguous: %s", name, strings.Join(found, ", "))
		}
	}
	if !ok || it.sort != component.SortFunc {
		return nil, errorf("no exported function %q", name)
	}
	cf := it.v.(*compFunc)
	if cf.wf == nil {
		cf.wf = t.bridge.function(name, cf.typ)
	}
	f := &Func{t: t, f: cf, stack: make([]uint64, max(cf.nparams, cf.nresult, 1))}
	t.funcs[name] = f
	return f, nil
}

// Call calls the exported function name with args.
func (t *Instance) Call(ctx context.Context, name string, args ...canonabi.Value) (canonabi.Value, error) {
	f, err := t.Func(name)
	if err != nil {
		return canonabi.Value{}, err
	}
	return f.Call(ctx, args...)
}

// Call calls the function. A trap returns a *Trap and leaves the
// instance unusable (the spec tears a trapped instance down); the engine
// and other instances are unaffected.
func (f *Func) Call(ctx context.Context, args ...canonabi.Value) (canonabi.Value, error) {
	t := f.t
	if t.poisoned != nil {
		return canonabi.Value{}, &Trap{Reason: "cannot enter component instance: it is unusable after an earlier trap", Err: t.poisoned}
	}
	if t.st != nil {
		res, err := f.callGeneral(ctx, args)
		if err != nil {
			return canonabi.Value{}, t.fail(err)
		}
		return res, nil
	}
	if cf := f.f; cf.fast && cf.host == nil && cf.opts.post == nil {
		x, err := f.callFast(ctx, args)
		if err != nil {
			return canonabi.Value{}, t.fail(err)
		}
		return fastResult(cf.typ.result, x), nil
	}
	res, err := f.callSlow(ctx, args)
	if err != nil {
		return canonabi.Value{}, t.fail(err)
	}
	return res, nil
}

// fail marks the instance unusable after a trap and returns err.
func (t *Instance) fail(err error) error {
	var tr *Trap
	if errors.As(err, &tr) {
		t.poisoned = err
	}
	return err
}

// callSlow goes through canonabi; a panic there is a bug, reported as an
// error rather than taking the host down.
func (f *Func) callSlow(ctx context.Context, args []canonabi.Value) (res canonabi.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errorf("call failed: %v", r)
		}
	}()
	res, _, err = f.t.callValues(ctx, f.f, args)
	return res, err
}

// callFast passes integer arguments straight through a reused stack and
// returns the core result.
func (f *Func) callFast(ctx context.Context, args []canonabi.Value) (uint64, error) {
	cf := f.f
	if len(args) != len(cf.typ.params) {
		return 0, trap("%s takes %d arguments, given %d", cf.wf.Name, len(cf.typ.params), len(args))
	}
	for i := range args {
		a := &args[i]
		k := primKind(cf.typ.params[i].t.prim)
		if a.Kind() != k {
			return 0, trap("argument %d is a %s, expected %s", i, a.Kind(), k)
		}
		if k == canonabi.KindU32 || k == canonabi.KindS32 || k == canonabi.KindF32 {
			f.stack[i] = uint64(uint32(a.Uint()))
		} else {
			f.stack[i] = a.Uint()
		}
	}
	ci := cf.inst
	if ci.isEntered() {
		return 0, trap("cannot enter component instance: it is already running (reentrance)")
	}
	ci.setEntered(true)
	err := cf.core.call(ctx, f.stack)
	ci.setEntered(false)
	if err != nil {
		return 0, trapOrErr(err)
	}
	return f.stack[0], nil
}

func fastResult(t *vtype, x uint64) canonabi.Value {
	if t == nil {
		return canonabi.Value{}
	}
	switch t.prim {
	case component.U32:
		return canonabi.U32Value(uint32(x))
	case component.S32:
		return canonabi.S32Value(int32(uint32(x)))
	case component.U64:
		return canonabi.U64Value(x)
	case component.F32:
		if f := math.Float32frombits(uint32(x)); f == f {
			return canonabi.F32Value(f)
		}
		return canonabi.F32Value(math.Float32frombits(0x7fc00000)) // canonical NaN
	case component.F64:
		if f := math.Float64frombits(x); f == f {
			return canonabi.F64Value(f)
		}
		return canonabi.F64Value(math.Float64frombits(0x7ff8000000000000))
	}
	return canonabi.S64Value(int64(x))
}

func primKind(p byte) canonabi.Kind {
	switch p {
	case component.U32:
		return canonabi.KindU32
	case component.S32:
		return canonabi.KindS32
	case component.U64:
		return canonabi.KindU64
	case component.F32:
		return canonabi.KindF32
	case component.F64:
		return canonabi.KindF64
	}
	return canonabi.KindS64
}

// DropResource drops an own handle the host holds (returned by a call),
// running the resource's destructor.
func (t *Instance) DropResource(ctx context.Context, handle uint32) error {
	return t.dropHandle(ctx, nil, &t.host, nil, handle)
}

// NewResource gives the host a new own handle of its resource type name in
// interface iface (the bare name for a top-level type import) with the
// representation rep. Host functions return it to guests.
func (t *Instance) NewResource(iface, name string, rep uint32) (canonabi.Value, error) {
	key := name
	if iface != "" {
		key = iface + "#" + name
	}
	rt := t.hostResources[key]
	if rt == nil {
		return canonabi.Value{}, errorf("the component imports no resource %s", key)
	}
	return canonabi.HandleValue(canonabi.KindOwn, t.host.add(handleEntry{rt: rt, rep: rep, own: true})), nil
}

// ResourceRep returns the representation behind a handle a host function
// received (own or borrow).
func (t *Instance) ResourceRep(handle uint32) (uint32, error) {
	e, err := t.host.get(handle)
	if err != nil {
		return 0, err
	}
	return e.rep, nil
}

type callerKey struct{}

// CallerInstance returns, inside a HostFunc, the instance whose guest
// called it (for NewResource and ResourceRep).
func CallerInstance(ctx context.Context) *Instance {
	t, _ := ctx.Value(callerKey{}).(*Instance)
	return t
}
