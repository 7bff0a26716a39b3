package engine

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/tetratelabs/wazero/api"
)

// Host functions made by canon lower and the resource built-ins are not
// compiled per instance (wazero compiles every host module, which cost
// most of an instantiation). Instead each is a trampoline: a Go closure
// in the engine's registry under a small id. One host module per core
// signature, the dispatcher, is compiled once per engine and takes the id
// as an extra first parameter; the glue module that passes trampolines to
// a core module defines, for each, a wasm function that calls the
// dispatcher with the id read from a global set after instantiation.
// Glue binaries thus depend only on the shape of what they re-export and
// are compiled once per engine.

// trampoline is one host function of an instance.
type trampoline struct {
	fn      api.GoModuleFunc
	params  []api.ValueType
	results []api.ValueType
	id      uint32
	scratch []uint64
	busy    bool
}

// registry maps trampoline ids to trampolines. Reads (one per host call)
// take no lock: ids index fixed-size chunks of atomic pointers, and the
// list of chunks is replaced, never modified, when it grows.
type registry struct {
	mu     sync.Mutex
	chunks atomic.Pointer[[]*regChunk]
	n      uint32
	free   []uint32
}

const regChunkSize = 1024

type regChunk [regChunkSize]atomic.Pointer[trampoline]

func (r *registry) add(t *trampoline) uint32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var id uint32
	if n := len(r.free); n > 0 {
		id = r.free[n-1]
		r.free = r.free[:n-1]
	} else {
		id = r.n
		r.n++
	}
	var chunks []*regChunk
	if p := r.chunks.Load(); p != nil {
		chunks = *p
	}
	if int(id/regChunkSize) >= len(chunks) {
		grown := append(append([]*regChunk(nil), chunks...), new(regChunk))
		r.chunks.Store(&grown)
		chunks = grown
	}
	chunks[id/regChunkSize][id%regChunkSize].Store(t)
	return id
}

func (r *registry) remove(id uint32) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if p := r.chunks.Load(); p != nil && int(id/regChunkSize) < len(*p) {
		if (*p)[id/regChunkSize][id%regChunkSize].Swap(nil) != nil {
			r.free = append(r.free, id)
		}
	}
}

func (r *registry) get(id uint32) *trampoline {
	p := r.chunks.Load()
	if p == nil || int(id/regChunkSize) >= len(*p) {
		return nil
	}
	return (*p)[id/regChunkSize][id%regChunkSize].Load()
}

// run calls the trampoline with the dispatcher's stack (id first). The
// scratch stack is reused unless the trampoline is already running.
func (t *trampoline) run(ctx context.Context, stack []uint64) {
	np, nr := len(t.params), len(t.results)
	buf := t.scratch
	if t.busy || buf == nil {
		buf = make([]uint64, max(np, nr, 1))
		if !t.busy {
			t.scratch = buf
		}
	}
	busy := t.busy
	t.busy = true
	copy(buf, stack[1:1+np])
	t.fn(ctx, nil, buf) // a panic (trap) leaves busy set: later calls allocate
	t.busy = busy
	copy(stack, buf[:nr])
}

func sigKey(params, results []api.ValueType) string {
	var sb strings.Builder
	for _, p := range params {
		sb.WriteByte(byte(p))
	}
	sb.WriteByte('_')
	for _, r := range results {
		sb.WriteByte(byte(r))
	}
	return fmt.Sprintf("%x", sb.String())
}

// dispatcher returns the store name of the host module whose function "d"
// (id i32, params...) -> results runs trampoline id.
func (e *Engine) dispatcher(ctx context.Context, params, results []api.ValueType) (string, error) {
	key := sigKey(params, results)
	e.mu.Lock()
	defer e.mu.Unlock()
	if name, ok := e.dispatchers[key]; ok {
		return name, nil
	}
	name := "witgo:d:" + key
	reg := &e.reg
	fn := func(ctx context.Context, _ api.Module, stack []uint64) {
		t := reg.get(uint32(stack[0]))
		if t == nil {
			panic(trap("host function of a closed instance called"))
		}
		t.run(ctx, stack)
	}
	withID := append([]api.ValueType{api.ValueTypeI32}, params...)
	_, err := e.rt.NewHostModuleBuilder(name).NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(fn), withID, results).Export("d").Instantiate(ctx)
	if err != nil {
		return "", errorf("dispatcher: %v", err)
	}
	e.dispatchers[key] = name
	return name, nil
}
