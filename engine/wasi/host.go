package wasi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"strings"
	"time"
	"unsafe"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/engine"
)

// Config is what a guest is granted. The zero Config grants nothing: no
// arguments, no environment, empty stdin, discarded output, no files.
type Config struct {
	Args     []string    // get-arguments, program name first
	Env      [][2]string // get-environment
	Stdin    io.Reader
	Stdout   io.Writer
	Stderr   io.Writer
	Preopens []Preopen
}

// Preopen grants the guest the host directory Host under the name Guest,
// read-only unless Writable.
type Preopen struct {
	Host, Guest string
	Writable    bool
}

// Host implements WASI 0.2 for one component instance: the resources it
// hands out live in its table. Use a new Host for each instance.
type Host struct {
	cfg      Config
	res      table
	epoch    time.Time
	preopens []*descriptor
	// stdinReader reads stdin ahead of the guest (see asyncReader).
	stdinReader *asyncReader
	// names maps an interface without its version to the name the
	// component imports it under, which NewResource must be given.
	names map[string]string
	p3s   p3State // the WASI 0.3 interfaces (p3_host.go)
}

// ExitError is how wasi:cli/exit ends a run: it unwinds the guest (as a
// trap the engine reports) and Run turns it into the exit code.
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("wasi: exit status %d", e.Code) }

// New opens the preopened directories of cfg.
func New(cfg Config) (*Host, error) {
	h := &Host{cfg: cfg, epoch: time.Now(), names: map[string]string{}}
	if h.cfg.Stdin == nil {
		h.cfg.Stdin = strings.NewReader("")
	}
	if h.cfg.Stdout == nil {
		h.cfg.Stdout = io.Discard
	}
	if h.cfg.Stderr == nil {
		h.cfg.Stderr = io.Discard
	}
	for _, p := range cfg.Preopens {
		d, err := openPreopen(p)
		if err != nil {
			h.Close()
			return nil, err
		}
		h.preopens = append(h.preopens, d)
	}
	return h, nil
}

// Close releases the preopened directories and every open resource.
func (h *Host) Close() error {
	h.res.mu.Lock()
	objs := h.res.objs
	h.res.objs = nil
	h.res.mu.Unlock()
	for _, v := range objs {
		if c, ok := v.(interface{ close() }); ok {
			c.close()
		}
	}
	for _, d := range h.preopens {
		d.root.Close()
	}
	h.preopens = nil
	if h.stdinReader != nil {
		h.stdinReader.close()
	}
	h.closeP3()
	return nil
}

// interfaces lists the host's functions and resources by interface name
// without version.
func (h *Host) interfaces() map[string]ifaceImpl {
	m := map[string]ifaceImpl{
		"wasi:cli/environment":        {funcs: h.environment()},
		"wasi:cli/exit":               {funcs: h.exit()},
		"wasi:cli/stdin":              {funcs: h.stdin()},
		"wasi:cli/stdout":             {funcs: h.stdout()},
		"wasi:cli/stderr":             {funcs: h.stderr()},
		"wasi:cli/terminal-input":     {funcs: map[string]engine.HostFunc{}, resources: []string{"terminal-input"}},
		"wasi:cli/terminal-output":    {funcs: map[string]engine.HostFunc{}, resources: []string{"terminal-output"}},
		"wasi:cli/terminal-stdin":     {funcs: noTerminal("get-terminal-stdin")},
		"wasi:cli/terminal-stdout":    {funcs: noTerminal("get-terminal-stdout")},
		"wasi:cli/terminal-stderr":    {funcs: noTerminal("get-terminal-stderr")},
		"wasi:io/error":               {funcs: h.ioError(), resources: []string{"error"}},
		"wasi:io/poll":                {funcs: h.poll(), resources: []string{"pollable"}},
		"wasi:io/streams":             {funcs: h.streams(), resources: []string{"input-stream", "output-stream"}},
		"wasi:clocks/monotonic-clock": {funcs: h.monotonicClock()},
		"wasi:clocks/wall-clock":      {funcs: h.wallClock()},
		"wasi:random/random":          {funcs: h.random()},
		"wasi:random/insecure":        {funcs: h.insecureRandom()},
		"wasi:random/insecure-seed":   {funcs: h.insecureSeed()},
		"wasi:filesystem/types":       {funcs: h.filesystem(), resources: []string{"descriptor", "directory-entry-stream"}},
		"wasi:filesystem/preopens":    {funcs: h.preopensFuncs()},
	}
	maps.Copy(m, h.sockets2())
	return m
}

type ifaceImpl struct {
	funcs     map[string]engine.HostFunc
	resources []string
}

// Imports returns the host's imports for component c: every WASI
// interface c imports, under the exact (versioned) name c uses, so that
// any 0.2.x guest links. Interfaces c imports that the host does not
// implement are left out (instantiation reports them).
func (h *Host) Imports(c *engine.Compiled) *engine.Imports {
	im := &engine.Imports{}
	impls := h.interfaces()
	var impls3 map[string]ifaceImpl
	for _, name := range importNames(c.Component()) {
		base, ver, _ := strings.Cut(name, "@")
		names := h.names
		table := impls
		if isP3(ver) {
			if impls3 == nil {
				impls3 = h.interfaces3()
			}
			names, table = h.p3().names, impls3
		}
		impl, ok := table[base]
		if !ok {
			continue
		}
		names[base] = name
		im.Interface(name, impl.funcs)
		for _, r := range impl.resources {
			im.Resource(name, r, h.res.remove)
		}
	}
	return im
}

func importNames(c *component.Component) []string {
	var names []string
	for _, s := range c.Sections {
		if is, ok := s.(*component.ImportSection); ok {
			for _, imp := range is.Imports {
				names = append(names, imp.Name.Name)
			}
		}
	}
	return names
}

// Run calls the component's wasi:cli/run export (0.2's function, or
// 0.3's async one) and returns the exit status: 0 for ok, 1 for err, or
// what the guest passed to exit. err is set only when the guest trapped
// or could not be called. Output streams a 0.3 guest handed to stdout or
// stderr are written out before Run returns (see Flush).
func (h *Host) Run(ctx context.Context, inst *engine.Instance) (int, error) {
	name := ""
	for _, e := range inst.Exports() {
		if strings.HasPrefix(e, "wasi:cli/run@") && strings.HasSuffix(e, "#run") {
			name = e
		}
	}
	if name == "" {
		return 0, errors.New("wasi: the component exports no wasi:cli/run")
	}
	res, err := inst.Call(ctx, name)
	if ferr := h.Flush(ctx); err == nil {
		err = ferr
	}
	var exit *ExitError
	if errors.As(err, &exit) {
		return exit.Code, nil
	}
	if err != nil {
		return 0, err
	}
	if res.Case() != 0 {
		return 1, nil
	}
	return 0, nil
}

// caller is what the host needs of the calling instance: the handle
// operations of engine.Instance (tests stand in for it).
type caller interface {
	NewResource(iface, name string, rep uint32) (canonabi.Value, error)
	ResourceRep(handle uint32) (uint32, error)
}

type callerKey struct{}

// callerOf is the instance whose guest called the host function.
func callerOf(ctx context.Context) (caller, error) {
	if c, ok := ctx.Value(callerKey{}).(caller); ok {
		return c, nil
	}
	if inst := engine.CallerInstance(ctx); inst != nil {
		return inst, nil
	}
	return nil, errors.New("wasi: no calling instance")
}

// newResource hands the calling guest a new own handle of resource name
// of interface iface (unversioned) for obj.
func (h *Host) newResource(ctx context.Context, iface, name string, obj any) (canonabi.Value, error) {
	return h.newResourceAs(ctx, h.names[iface], name, obj)
}

// newResourceAs is newResource with the interface's imported name.
func (h *Host) newResourceAs(ctx context.Context, iface, name string, obj any) (canonabi.Value, error) {
	inst, err := callerOf(ctx)
	if err != nil {
		return canonabi.Value{}, err
	}
	rep, err := h.res.add(obj)
	if err != nil {
		return canonabi.Value{}, err
	}
	v, err := inst.NewResource(iface, name, rep)
	if err != nil {
		h.res.remove(rep)
	}
	return v, err
}

// object returns the Go object behind a handle argument, of type T.
func object[T any](ctx context.Context, h *Host, v canonabi.Value) (T, error) {
	var zero T
	inst, err := callerOf(ctx)
	if err != nil {
		return zero, err
	}
	rep, err := inst.ResourceRep(v.Handle())
	if err != nil {
		return zero, err
	}
	o, ok := h.res.get(rep)
	if !ok {
		return zero, fmt.Errorf("wasi: handle %d has no host object", v.Handle())
	}
	t, ok := o.(T)
	if !ok {
		return zero, fmt.Errorf("wasi: handle %d is a %T, not a %T", v.Handle(), o, zero)
	}
	return t, nil
}

// Value helpers.

var unit = canonabi.Value{}

func ok(v canonabi.Value) canonabi.Value   { return canonabi.OkValue(&v) }
func okUnit() canonabi.Value               { return canonabi.OkValue(nil) }
func fail(v canonabi.Value) canonabi.Value { return canonabi.ErrValue(&v) }
func none() canonabi.Value                 { return canonabi.NoneValue() }
func fn0(v canonabi.Value) engine.HostFunc {
	return func(context.Context, []canonabi.Value) (canonabi.Value, error) { return v, nil }
}

// readOnlyBytes is a list<u8> argument without the copy Bytes makes. It
// must only be read, and not kept after the call returns: io.Writer's
// contract (no modifying, no retaining) is exactly that.
func readOnlyBytes(v canonabi.Value) []byte {
	s := v.Str()
	return unsafe.Slice(unsafe.StringData(s), len(s))
}
