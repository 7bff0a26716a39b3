package gogen

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/wit"
)

// coreHost runs the core module of an async Go guest on wazero and plays
// the component runtime around it, after CanonicalABI.md: one handles
// table (waitable sets, subtasks, stream and future ends), pending events,
// the async-callback event loop of each export call, and test:arun/host.
// Host work happens only between the guest's core calls, in virtual time:
// a copy the guest starts always returns BLOCKED and completes at the
// host's next step, and delay-echo completes when its time comes. This
// checks the generated runtime in real wasm (the wasmexport driver,
// parking goroutines, pinned buffers) while witgo's engine learns async.
type coreHost struct {
	t     *testing.T
	ctx   context.Context
	abi   *canonabi.ABI
	names *canonabi.Names
	guest api.Module
	mem   *guestMemory

	table   map[uint32]any
	next    uint32
	now     int
	timers  []hostTimer
	streams map[uint32]*hostStream // by host id
	nextID  uint32
	work    []func() bool // host-side consumers; true when done
	task    *hostTask

	inFlight, maxInFlight int // delay-echo calls not yet returned
	cancels               int
	echoOrder             []string
}

type hostTimer struct {
	at  int
	run func()
}

type hostTask struct {
	ctx      uint32
	returned bool
	result   canonabi.Value
}

type hostEvent struct{ code, p1, p2 uint32 }

// waitable is the state every waitable shares: its set and pending event.
type waitable struct {
	set   uint32
	event *hostEvent
}

type waitSet struct{}

type subtask struct{ waitable }

// hostStream is a stream or future; each end is held by the guest (its
// index in the table) or by the host (0).
type hostStream struct {
	elem           wit.Type
	future         bool
	guestR, guestW uint32
	queue          []canonabi.Value // what the host still offers (host writer)
	received       []canonabi.Value // what the host took (host reader)
	writerDone     bool
	readerDone     bool
}

type streamEnd struct {
	waitable
	s        *hostStream
	readable bool
	op       *copyOp // a copy in progress
}

type copyOp struct{ ptr, n uint32 }

const (
	evSubtask     = 1
	evStreamRead  = 2
	evStreamWrite = 3
	evFutureRead  = 4
	evFutureWrite = 5
	blockedCode   = 0xffffffff
)

func (h *coreHost) add(v any) uint32 {
	h.next++
	h.table[h.next] = v
	return h.next
}

func (h *coreHost) waitableOf(i uint32) *waitable {
	switch v := h.table[i].(type) {
	case *subtask:
		return &v.waitable
	case *streamEnd:
		return &v.waitable
	}
	panic(fmt.Sprintf("handle %d is not a waitable", i))
}

func (h *coreHost) end(i uint32) *streamEnd {
	e, ok := h.table[i].(*streamEnd)
	if !ok {
		panic(fmt.Sprintf("handle %d is not a stream or future end", i))
	}
	return e
}

// LiftHandle and LowerHandle move stream and future ends across calls.
func (h *coreHost) LiftHandle(k canonabi.Kind, typ wit.Type, index uint32) (uint32, error) {
	e, ok := h.table[index].(*streamEnd)
	if !ok || !e.readable || e.op != nil {
		return 0, fmt.Errorf("handle %d is not an idle readable end", index)
	}
	delete(h.table, index)
	e.s.guestR = 0
	return h.register(e.s), nil
}

func (h *coreHost) LowerHandle(k canonabi.Kind, typ wit.Type, id uint32) (uint32, error) {
	s := h.streams[id]
	s.guestR = h.add(&streamEnd{s: s, readable: true})
	return s.guestR, nil
}

func (h *coreHost) register(s *hostStream) uint32 {
	h.nextID++
	h.streams[h.nextID] = s
	return h.nextID
}

func (h *coreHost) cx() *canonabi.Context { return &canonabi.Context{Memory: h.mem, Handles: h} }

// builtin is the host side of the core import n.
func (h *coreHost) builtin(n *canonabi.CoreName, stack []uint64) {
	arg := func(i int) uint32 { return uint32(stack[i]) }
	switch n.Kind {
	case canonabi.NameTaskReturn:
		v, err := h.abi.LiftFlat(h.cx(), n.Function.Result, stack[:len(stack)])
		if n.Function.Result == wit.NoType {
			v, err = canonabi.Value{}, nil
		}
		if err != nil || h.task.returned {
			panic(fmt.Sprintf("task.return: %v (returned before: %v)", err, h.task.returned))
		}
		h.task.returned, h.task.result = true, v
	case canonabi.NameContextGet:
		stack[0] = uint64(h.task.ctx)
	case canonabi.NameContextSet:
		h.task.ctx = arg(0)
	case canonabi.NameWaitableSetNew:
		stack[0] = uint64(h.add(&waitSet{}))
	case canonabi.NameWaitableSetDrop:
		for i, v := range h.table {
			if w, ok := v.(interface{ isIn(uint32) bool }); ok && w.isIn(arg(0)) {
				panic(fmt.Sprintf("waitable-set.drop(%d) while %d is in it", arg(0), i))
			}
		}
		delete(h.table, arg(0))
	case canonabi.NameWaitableJoin:
		if _, ok := h.table[arg(1)].(*waitSet); !ok && arg(1) != 0 {
			panic(fmt.Sprintf("waitable.join: %d is not a waitable set", arg(1)))
		}
		h.waitableOf(arg(0)).set = arg(1)
	case canonabi.NameWaitableSetWait, canonabi.NameWaitableSetPoll:
		e, ok := h.takeEvent(arg(0))
		for n.Kind == canonabi.NameWaitableSetWait && !ok {
			// A blocking wait (the bindings without a driver): the host
			// works until the set has an event. (This host lets a sync
			// export block; the spec traps unless other threads can run.)
			if !h.step() {
				panic(fmt.Sprintf("waitable-set.wait(%d) can never return", arg(0)))
			}
			e, ok = h.takeEvent(arg(0))
		}
		if !ok {
			e = hostEvent{}
		}
		h.mem.mod.Memory().WriteUint32Le(arg(1), e.p1)
		h.mem.mod.Memory().WriteUint32Le(arg(1)+4, e.p2)
		stack[0] = uint64(e.code)
	case canonabi.NameSubtaskDrop:
		st, ok := h.table[arg(0)].(*subtask)
		if !ok || st.event != nil {
			panic(fmt.Sprintf("subtask.drop(%d) of a subtask with an undelivered event", arg(0)))
		}
		delete(h.table, arg(0))
	case canonabi.NameStreamNew, canonabi.NameFutureNew:
		_, elem, _ := (&generator{r: h.abi.Resolve}).payloadOf(n.Payload)
		s := &hostStream{elem: elem, future: n.Kind == canonabi.NameFutureNew}
		s.guestR = h.add(&streamEnd{s: s, readable: true})
		s.guestW = h.add(&streamEnd{s: s})
		stack[0] = uint64(s.guestR) | uint64(s.guestW)<<32
	case canonabi.NameStreamRead, canonabi.NameStreamWrite, canonabi.NameFutureRead, canonabi.NameFutureWrite:
		if n.ABI != canonabi.ABIAsync {
			panic("the Go runtime must use the async stream and future copies")
		}
		e := h.end(arg(0))
		count := uint32(1)
		if n.Kind.IsStream() {
			count = arg(2)
		}
		e.op = &copyOp{ptr: arg(1), n: count}
		stack[0] = blockedCode
	case canonabi.NameStreamCancelRead, canonabi.NameStreamCancelWrite, canonabi.NameFutureCancelRead:
		e := h.end(arg(0))
		if e.op == nil || n.ABI != canonabi.ABIAsync {
			panic(fmt.Sprintf("%s of end %d, which is not copying, or not async", n.Field, arg(0)))
		}
		e.op = nil
		h.cancels++
		stack[0] = 2 // CANCELLED, nothing copied: the host takes the buffer back at once
	case canonabi.NameStreamDropReadable, canonabi.NameFutureDropReadable:
		e := h.end(arg(0))
		if e.op != nil {
			panic(fmt.Sprintf("%s of end %d while it copies (the spec traps)", n.Field, arg(0)))
		}
		e.s.readerDone, e.s.guestR = true, 0
		delete(h.table, arg(0))
	case canonabi.NameStreamDropWritable, canonabi.NameFutureDropWritable:
		e := h.end(arg(0))
		e.s.writerDone, e.s.guestW = true, 0
		delete(h.table, arg(0))
	case canonabi.NameFunc:
		h.hostImport(n, stack)
	default:
		panic(fmt.Sprintf("the test host does not implement %s", n))
	}
}

func (w *waitable) isIn(set uint32) bool { return w.set == set }

// takeEvent removes a pending event of a member of set.
func (h *coreHost) takeEvent(set uint32) (hostEvent, bool) {
	ids := make([]uint32, 0, len(h.table))
	for i := range h.table {
		ids = append(ids, i)
	}
	sort.Slice(ids, func(a, b int) bool { return ids[a] < ids[b] })
	for _, i := range ids {
		var w *waitable
		switch v := h.table[i].(type) {
		case *subtask:
			w = &v.waitable
		case *streamEnd:
			w = &v.waitable
		default:
			continue
		}
		if w.set == set && w.event != nil {
			e := *w.event
			w.event = nil
			return e, true
		}
	}
	return hostEvent{}, false
}

// hostImport starts an [async-lower] call of test:arun/host: a subtask
// that returns later.
func (h *coreHost) hostImport(n *canonabi.CoreName, stack []uint64) {
	f := n.Function
	if !f.Async || n.ABI != canonabi.ABIAsync {
		panic(fmt.Sprintf("unexpected import %s", n))
	}
	sig, _ := h.abi.Signature(f, canonabi.Lower)
	params := append([]uint64(nil), stack[:len(sig.Params)]...)
	args, err := h.abi.LiftArgs(h.cx(), f, params)
	if err != nil {
		panic(fmt.Sprintf("%s: %v", f.Name, err)) // the guest's bug: the test fails
	}
	retptr := uint32(params[len(params)-1])
	st := &subtask{}
	sti := h.add(st)
	finish := func(v canonabi.Value) {
		if err := h.abi.Store(h.cx(), f.Result, v, retptr); err != nil {
			h.t.Errorf("%s: storing the result: %v", f.Name, err)
		}
		st.event = &hostEvent{evSubtask, sti, 2}
	}
	switch f.Name {
	case "delay-echo":
		h.inFlight++
		h.maxInFlight = max(h.maxInFlight, h.inFlight)
		s := args[1].Str()
		h.timers = append(h.timers, hostTimer{h.now + int(args[0].Uint()), func() {
			h.inFlight--
			h.echoOrder = append(h.echoOrder, s)
			finish(canonabi.StringValue(s))
		}})
	case "consume":
		s := h.streams[args[0].Handle()]
		h.work = append(h.work, func() bool {
			if !s.writerDone {
				return false
			}
			finish(canonabi.U64Value(uint64(len(s.received))))
			return true
		})
	case "produce":
		s := &hostStream{elem: wit.String, writerDone: true}
		for i := range args[0].Uint() {
			s.queue = append(s.queue, canonabi.StringValue(fmt.Sprintf("w%d", i)))
		}
		id := h.register(s)
		h.timers = append(h.timers, hostTimer{h.now + 1, func() { finish(canonabi.HandleValue(canonabi.KindStream, id)) }})
	default:
		panic("unknown host function " + f.Name)
	}
	stack[0] = 1 | uint64(sti)<<4 // STARTED
}

// step makes one piece of host progress: a copy, a consumer's end, or the
// next timer. It reports whether anything happened.
func (h *coreHost) step() bool {
	ids := make([]uint32, 0, len(h.table))
	for i := range h.table {
		ids = append(ids, i)
	}
	sort.Slice(ids, func(a, b int) bool { return ids[a] < ids[b] })
	for _, i := range ids {
		e, ok := h.table[i].(*streamEnd)
		if !ok || e.op == nil {
			continue
		}
		if h.serviceCopy(i, e) {
			return true
		}
	}
	for i, w := range h.work {
		if w() {
			h.work = append(h.work[:i], h.work[i+1:]...)
			return true
		}
	}
	if len(h.timers) > 0 {
		sort.SliceStable(h.timers, func(a, b int) bool { return h.timers[a].at < h.timers[b].at })
		tm := h.timers[0]
		h.timers = h.timers[1:]
		h.now = max(h.now, tm.at)
		tm.run()
		return true
	}
	return false
}

// serviceCopy completes the guest's copy on end i if the host holds the
// other end.
func (h *coreHost) serviceCopy(i uint32, e *streamEnd) bool {
	s := e.s
	layout, _ := h.abi.Layout(s.elem)
	code := uint32(evStreamWrite)
	if e.readable {
		code = evStreamRead
	}
	if s.future {
		code += 2
	}
	var result, n uint32
	switch {
	case e.readable && s.guestW == 0:
		if len(s.queue) == 0 && !s.writerDone {
			return false
		}
		if len(s.queue) == 0 {
			result = 1 // DROPPED
			break
		}
		for n < e.op.n && len(s.queue) > 0 {
			if err := h.abi.Store(h.cx(), s.elem, s.queue[0], e.op.ptr+n*layout.Size); err != nil {
				h.t.Errorf("storing a stream element: %v", err)
			}
			s.queue = s.queue[1:]
			n++
		}
	case !e.readable && s.guestR == 0:
		if s.readerDone {
			result = 1
			break
		}
		for ; n < e.op.n; n++ {
			v, err := h.abi.Load(h.cx(), s.elem, e.op.ptr+n*layout.Size)
			if err != nil {
				h.t.Errorf("loading a stream element: %v", err)
			}
			s.received = append(s.received, v)
		}
	default:
		return false
	}
	e.op = nil
	if s.future {
		e.event = &hostEvent{code, i, result}
	} else {
		e.event = &hostEvent{code, i, result | n<<4}
	}
	return true
}

// callSync calls a sync export and lifts its result (post-return runs).
func (h *coreHost) callSync(f *wit.Function, args ...canonabi.Value) (canonabi.Value, error) {
	h.task = &hostTask{}
	flat, err := h.abi.LowerArgs(h.cx(), f, args)
	if err != nil {
		return canonabi.Value{}, err
	}
	core, _ := h.names.Func(true, f)
	res, err := h.guest.ExportedFunction(core.Field).Call(h.ctx, flat...)
	if err != nil {
		return canonabi.Value{}, fmt.Errorf("the guest trapped: %w", err)
	}
	v, _, err := h.abi.LiftResult(h.cx(), f, res)
	if post, ok := h.names.PostReturn(f); ok && err == nil {
		_, err = h.guest.ExportedFunction(post.Field).Call(h.ctx, res...)
	}
	return v, err
}

// hostCall is one call of an async export in flight.
type hostCall struct {
	f    *wit.Function
	task *hostTask
	code uint32
	done bool
	err  error
}

// call runs the async export f with args through its event loop until it
// exits, and returns what it passed to task.return.
func (h *coreHost) call(f *wit.Function, args ...canonabi.Value) (canonabi.Value, error) {
	c := h.start(f, args...)
	err := h.runAll(c)
	return c.task.result, err
}

// start calls the [async-lift] entry of f.
func (h *coreHost) start(f *wit.Function, args ...canonabi.Value) *hostCall {
	c := &hostCall{f: f, task: &hostTask{}}
	h.task = c.task
	flat, err := h.abi.LowerArgs(h.cx(), f, args)
	if err != nil {
		c.err, c.done = err, true
		return c
	}
	core, _ := h.names.Func(true, f)
	h.result(c, func() ([]uint64, error) { return h.guest.ExportedFunction(core.Field).Call(h.ctx, flat...) })
	return c
}

// resume calls the export's callback with e, as the task of c.
func (h *coreHost) resume(c *hostCall, e hostEvent) {
	cb, _ := h.names.Callback(c.f)
	h.task = c.task
	h.result(c, func() ([]uint64, error) {
		return h.guest.ExportedFunction(cb.Field).Call(h.ctx, uint64(e.code), uint64(e.p1), uint64(e.p2))
	})
}

func (h *coreHost) result(c *hostCall, run func() ([]uint64, error)) {
	res, err := run()
	switch {
	case err != nil:
		c.err, c.done = fmt.Errorf("the guest trapped: %w", err), true
	case res[0]&0xf > 2:
		c.err, c.done = fmt.Errorf("bad callback code %#x", res[0]), true
	case res[0] == 0:
		c.done = true
		if !c.task.returned {
			c.err = fmt.Errorf("the task exited without task.return")
		}
	default:
		c.code = uint32(res[0])
	}
}

// runAll runs the event loops of calls, interleaved, until all exit: a
// task that yields is resumed with no event, one that waits when its set
// has an event; when nothing was delivered the host makes progress.
func (h *coreHost) runAll(calls ...*hostCall) error {
	for rounds := 0; rounds < 100000; rounds++ {
		delivered, waiting, yielding := false, 0, 0
		for _, c := range calls {
			if c.done {
				continue
			}
			if c.code&0xf == 1 {
				yielding++
				h.resume(c, hostEvent{})
				continue
			}
			waiting++
			set := c.code >> 4
			if _, ok := h.table[set].(*waitSet); !ok {
				c.err, c.done = fmt.Errorf("WAIT on %d, not a waitable set", set), true
				continue
			}
			if e, ok := h.takeEvent(set); ok {
				delivered = true
				h.resume(c, e)
			}
		}
		if waiting+yielding == 0 {
			var errs []error
			for _, c := range calls {
				if c.err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", c.f.Name, c.err))
				}
			}
			return errors.Join(errs...)
		}
		if !delivered && !h.step() && yielding == 0 {
			return fmt.Errorf("deadlock: the guest waits and the host has nothing to do")
		}
	}
	return fmt.Errorf("no exit after 100000 rounds")
}

// startCoreHost instantiates the guest's core module with the host.
func startCoreHost(t *testing.T, r *wit.Resolve, w wit.WorldID, wasm []byte) *coreHost {
	h := &coreHost{t: t, ctx: context.Background(), abi: canonabi.New(r), table: map[uint32]any{},
		streams: map[uint32]*hostStream{}}
	var err error
	if h.names, err = h.abi.Names(w, canonabi.Legacy); err != nil {
		t.Fatal(err)
	}
	rt := wazero.NewRuntime(h.ctx)
	t.Cleanup(func() { rt.Close(h.ctx) })
	wasi_snapshot_preview1.MustInstantiate(h.ctx, rt)
	hosts := map[string]wazero.HostModuleBuilder{}
	for i := range h.names.Items {
		n := &h.names.Items[i]
		if !n.Import {
			continue
		}
		var params, results []canonabi.CoreType
		switch {
		case n.Kind == canonabi.NameFunc:
			sig, err := h.abi.Signature(n.Function, canonabi.Lower)
			if n.Function.Async && n.ABI == canonabi.ABISync {
				sig, err = h.abi.SignatureForm(n.Function, canonabi.Lower, canonabi.ABISync)
			}
			if err != nil {
				t.Fatal(err)
			}
			params, results = sig.Params, sig.Results
		case n.Kind == canonabi.NameTaskReturn:
			sig, err := h.abi.Signature(n.Function, canonabi.Lift)
			if err != nil {
				t.Fatal(err)
			}
			params = sig.TaskReturn
		case n.Kind == canonabi.NameResourceNew || n.Kind == canonabi.NameResourceRep:
			params, results = []canonabi.CoreType{canonabi.I32}, []canonabi.CoreType{canonabi.I32}
		case n.Kind == canonabi.NameResourceDrop:
			params = []canonabi.CoreType{canonabi.I32}
		default:
			var ok bool
			if params, results, ok = canonabi.IntrinsicSignature(n.Kind); !ok {
				continue
			}
		}
		b, ok := hosts[n.Module]
		if !ok {
			b = rt.NewHostModuleBuilder(n.Module)
			hosts[n.Module] = b
		}
		b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(_ context.Context, _ api.Module, stack []uint64) {
			h.builtin(n, stack[:max(len(params), len(results))])
		}), wazeroTypes(params), wazeroTypes(results)).Export(n.Field)
	}
	h.guest, h.mem = instantiateGuest(t, h.ctx, rt, hosts, wasm)
	return h
}
