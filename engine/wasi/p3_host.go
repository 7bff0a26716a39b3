package wasi

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/engine"
)

// WASI 0.3 on the same Host: the interfaces a component imports at a
// 0.3 version (0.3.0, or a 0.3.0-rc-* release candidate) are served by
// the functions below, which share Config, the preopened directories and
// the resource table with the 0.2 host. Streams and futures are the
// engine's host ends (engine.Instance.NewStream and friends); the
// goroutines that copy them ("pumps") are counted so that Run and Flush
// can wait until everything a guest wrote has reached the host's writers.

// isP3 reports whether an interface version is WASI 0.3.
func isP3(version string) bool {
	return version == "0.3.0" || strings.HasPrefix(version, "0.3.0-") || strings.HasPrefix(version, "0.3.")
}

// p3State is the Host's 0.3 part.
type p3State struct {
	once   sync.Once
	ctx    context.Context // ends when the Host closes: pumps stop then
	cancel context.CancelFunc
	names  map[string]string // unversioned -> imported name, for NewResource

	busy     activity
	progress atomic.Int64 // bumped by every chunk a pump moves

	stdinMu  sync.Mutex // one stream at a time takes from the stdin reader
	stdoutMu sync.Mutex // writes of concurrent streams do not interleave mid-chunk
	stderrMu sync.Mutex
}

func (h *Host) p3() *p3State {
	h.p3s.once.Do(func() {
		h.p3s.ctx, h.p3s.cancel = context.WithCancel(context.Background())
		h.p3s.names = map[string]string{}
	})
	return &h.p3s
}

// interfaces3 lists the 0.3 functions and resources by interface name
// without version.
func (h *Host) interfaces3() map[string]ifaceImpl {
	none := map[string]engine.HostFunc{}
	return map[string]ifaceImpl{
		"wasi:cli/environment":        {funcs: h.environment3()},
		"wasi:cli/exit":               {funcs: h.exit()},
		"wasi:cli/types":              {funcs: none},
		"wasi:cli/stdin":              {funcs: h.stdin3()},
		"wasi:cli/stdout":             {funcs: h.stdout3()},
		"wasi:cli/stderr":             {funcs: h.stderr3()},
		"wasi:cli/terminal-input":     {funcs: none, resources: []string{"terminal-input"}},
		"wasi:cli/terminal-output":    {funcs: none, resources: []string{"terminal-output"}},
		"wasi:cli/terminal-stdin":     {funcs: noTerminal("get-terminal-stdin")},
		"wasi:cli/terminal-stdout":    {funcs: noTerminal("get-terminal-stdout")},
		"wasi:cli/terminal-stderr":    {funcs: noTerminal("get-terminal-stderr")},
		"wasi:clocks/types":           {funcs: none},
		"wasi:clocks/monotonic-clock": {funcs: h.monotonicClock3()},
		"wasi:clocks/system-clock":    {funcs: h.systemClock3()},
		"wasi:clocks/timezone":        {funcs: timezone3()},
		"wasi:random/random":          {funcs: h.random3()},
		"wasi:random/insecure":        {funcs: h.insecureRandom3()},
		"wasi:random/insecure-seed":   {funcs: h.insecureSeed3()},
		"wasi:filesystem/types":       {funcs: h.filesystem3(), resources: []string{"descriptor"}},
		"wasi:filesystem/preopens":    {funcs: h.preopens3()},
		"wasi:sockets/types":          {funcs: deniedSockets3(), resources: []string{"tcp-socket", "udp-socket"}},
		"wasi:sockets/ip-name-lookup": {funcs: deniedNameLookup3()},
	}
}

// asyncCaller is what the 0.3 host needs of the calling instance beyond
// handles: the host ends of streams and futures.
type asyncCaller interface {
	caller
	StreamReader(v canonabi.Value) (*engine.StreamReader, error)
	NewStream() (*engine.StreamWriter, canonabi.Value, error)
	NewFuture() (*engine.FutureWriter, canonabi.Value, error)
}

func asyncCallerOf(ctx context.Context) (asyncCaller, error) {
	c, err := callerOf(ctx)
	if err != nil {
		return nil, err
	}
	ac, ok := c.(asyncCaller)
	if !ok {
		return nil, errors.New("wasi: the calling instance has no streams or futures")
	}
	return ac, nil
}

// streamOut is a stream the host fills for the guest and the future of
// how that ended (stdin, file reads, directory listings).
type streamOut struct {
	sw     *engine.StreamWriter
	fw     *engine.FutureWriter
	result canonabi.Value // the future's value, ok unless set
}

// newStreamOut makes the two host ends and the tuple<stream, future>
// value the guest gets.
func newStreamOut(ctx context.Context) (*streamOut, canonabi.Value, error) {
	inst, err := asyncCallerOf(ctx)
	if err != nil {
		return nil, unit, err
	}
	sw, sv, err := inst.NewStream()
	if err != nil {
		return nil, unit, err
	}
	fw, fv, err := inst.NewFuture()
	if err != nil {
		sw.Close()
		return nil, unit, err
	}
	return &streamOut{sw: sw, fw: fw, result: okUnit()}, canonabi.TupleValue(sv, fv), nil
}

// finish ends the stream and delivers the outcome; Flush waits for this
// part, as the guest may be reading the future by now.
func (o *streamOut) finish(ctx context.Context, h *Host) {
	p := h.p3()
	p.busy.begin()
	defer p.busy.end()
	o.sw.Close()
	resolve(ctx, o.fw, o.result)
}

// takeStream takes the guest's stream<u8> v and makes the future of the
// outcome the guest gets back (stdout, file writes).
func takeStream(ctx context.Context, v canonabi.Value) (*engine.StreamReader, *engine.FutureWriter, canonabi.Value, error) {
	inst, err := asyncCallerOf(ctx)
	if err != nil {
		return nil, nil, unit, err
	}
	r, err := inst.StreamReader(v)
	if err != nil {
		return nil, nil, unit, err
	}
	fw, fv, err := inst.NewFuture()
	if err != nil {
		r.Close()
		return nil, nil, unit, err
	}
	return r, fw, fv, nil
}

// newResource3 is newResource for a 0.3 interface.
func (h *Host) newResource3(ctx context.Context, iface, name string, obj any) (canonabi.Value, error) {
	return h.newResourceAs(ctx, h.p3().names[iface], name, obj)
}

// goPump runs f on a goroutine of its own that Flush waits for (a copy
// of guest output and the delivery of its outcome); goBackground runs one
// Flush does not wait for unless it marks itself busy (stdin, which may
// wait for input for ever).
func (h *Host) goPump(f func(ctx context.Context)) {
	p := h.p3()
	p.busy.begin()
	go func() {
		defer p.busy.end()
		f(p.ctx)
	}()
}

func (h *Host) goBackground(f func(ctx context.Context)) {
	go f(h.p3().ctx)
}

// activity counts goroutines Flush waits for.
type activity struct {
	mu   sync.Mutex
	n    int
	zero chan struct{} // closed when n drops to 0
}

func (a *activity) begin() {
	a.mu.Lock()
	if a.n == 0 {
		a.zero = make(chan struct{})
	}
	a.n++
	a.mu.Unlock()
}

func (a *activity) end() {
	a.mu.Lock()
	a.n--
	if a.n == 0 {
		close(a.zero)
	}
	a.mu.Unlock()
}

var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// idle is closed once nothing is busy.
func (a *activity) idle() <-chan struct{} {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.n == 0 {
		return closedChan
	}
	return a.zero
}

// flushIdle is how long Flush waits for pumps that make no progress once
// the guest's call is over: a guest that returns while keeping a stream
// to stdout open and idle would otherwise hold witgo for ever.
const flushIdle = time.Second

// Flush waits until the streams a guest gave stdout and stderr (and any
// other 0.3 copy the host runs) have ended and been written out, after
// the guest's call returned: a guest's task may still write after it
// returned its value, and the host's copies drive it meanwhile. Copies
// that move nothing for a second are abandoned; ctx bounds the wait.
func (h *Host) Flush(ctx context.Context) error {
	p := h.p3()
	tick := time.NewTicker(flushIdle)
	defer tick.Stop()
	last := p.progress.Load()
	for {
		select {
		case <-p.busy.idle():
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
			now := p.progress.Load()
			if now == last {
				return nil
			}
			last = now
		}
	}
}

// closeP3 stops the pumps when the Host closes.
func (h *Host) closeP3() {
	if h.p3s.cancel != nil {
		h.p3s.cancel()
	}
}
