package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/component/wasm"
)

// Options configure an Engine. The zero value is usable.
type Options struct {
	// CacheDir, when set, keeps compiled core modules on disk there
	// (wazero's file cache); an in-memory cache is always used.
	CacheDir string
	// MaxMemoryPages caps every linear memory (64 KiB pages); 0 means
	// wazero's default (4 GiB).
	MaxMemoryPages uint32
	// NoCloseOnContextDone turns off stopping guests when a call's context
	// is cancelled or past its deadline (on by default: it costs a little
	// per loop iteration).
	NoCloseOnContextDone bool
}

// Engine compiles and instantiates components. It is safe for concurrent
// use; instances are not.
type Engine struct {
	rt    wazero.Runtime
	cache wazero.CompilationCache

	mu          sync.Mutex
	glue        map[string]wazero.CompiledModule // re-export modules by their bytes
	dispatchers map[string]string                // host module names by signature
	reg         registry                         // trampolines of all instances
	trapMod     bool                             // the trap host module exists
	counter     atomic.Uint64                    // unique store names
}

// New returns an engine backed by a fresh wazero runtime.
func New(ctx context.Context, opts Options) (*Engine, error) {
	var cache wazero.CompilationCache
	if opts.CacheDir != "" {
		c, err := wazero.NewCompilationCacheWithDir(opts.CacheDir)
		if err != nil {
			return nil, fmt.Errorf("engine: cache dir: %w", err)
		}
		cache = c
	} else {
		cache = wazero.NewCompilationCache()
	}
	cfg := wazero.NewRuntimeConfig().WithCompilationCache(cache).
		WithCloseOnContextDone(!opts.NoCloseOnContextDone).
		WithCoreFeatures(api.CoreFeaturesV2)
	if opts.MaxMemoryPages != 0 {
		cfg = cfg.WithMemoryLimitPages(opts.MaxMemoryPages)
	}
	return &Engine{rt: wazero.NewRuntimeWithConfig(ctx, cfg), cache: cache,
		glue: map[string]wazero.CompiledModule{}, dispatchers: map[string]string{}}, nil
}

// Close releases the runtime, its instances and the in-memory cache.
func (e *Engine) Close(ctx context.Context) error {
	err := e.rt.Close(ctx)
	return errors.Join(err, e.cache.Close(ctx))
}

// Compiled is a decoded, validated component whose core modules are
// compiled. It can be instantiated any number of times.
type Compiled struct {
	engine  *Engine
	ast     *component.Component
	modules map[*wasm.Module]wazero.CompiledModule
	// async: the component uses async functions, built-ins, streams,
	// futures or error contexts; its instances take the general call path.
	async bool
	// threads: it uses explicit threads: every task gets a goroutine.
	threads bool
}

// Component returns the decoded component.
func (c *Compiled) Component() *component.Component { return c.ast }

// Compile decodes, validates and compiles a component binary.
func (e *Engine) Compile(ctx context.Context, b []byte) (*Compiled, error) {
	ast, err := component.Decode(b)
	if err != nil {
		return nil, err
	}
	if err := component.Validate(ast); err != nil {
		return nil, err
	}
	c := &Compiled{engine: e, ast: ast, modules: map[*wasm.Module]wazero.CompiledModule{}}
	if err := c.compileAll(ctx, ast); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Compiled) compileAll(ctx context.Context, ast *component.Component) error {
	for _, s := range ast.Sections {
		switch s := s.(type) {
		case *component.CoreModuleSection:
			cm, err := c.engine.rt.CompileModule(ctx, encodeForWazero(s.Module))
			if err != nil {
				return fmt.Errorf("engine: compiling core module: %w", err)
			}
			c.modules[s.Module] = cm
		case *component.ComponentSection:
			if err := c.compileAll(ctx, s.Component); err != nil {
				return err
			}
		case *component.ValueSection:
			return unsupported("value sections")
		case *component.CanonSection:
			for _, cn := range s.Funcs {
				if err := checkCanon(&cn); err != nil {
					return err
				}
				if usesAsync(&cn) {
					c.async = true
				}
				if explicitThreads[cn.Op] {
					c.threads = true
				}
			}
		case *component.TypeSection:
			for i := range s.Types {
				if typeUsesAsync(&s.Types[i]) {
					c.async = true
				}
			}
		case *component.ImportSection, *component.ExportSection, *component.AliasSection:
		}
	}
	return nil
}

// glueModule compiles (once per distinct binary) a generated module.
func (e *Engine) glueModule(ctx context.Context, m *wasm.Module) (wazero.CompiledModule, error) {
	b := m.Encode()
	e.mu.Lock()
	defer e.mu.Unlock()
	if cm, ok := e.glue[string(b)]; ok {
		return cm, nil
	}
	cm, err := e.rt.CompileModule(ctx, b)
	if err != nil {
		return nil, fmt.Errorf("engine: compiling glue module: %w", err)
	}
	e.glue[string(b)] = cm
	return cm, nil
}

// uniqueName names a module in the runtime's store.
func (e *Engine) uniqueName(prefix string) string {
	return fmt.Sprintf("witgo:%s%d", prefix, e.counter.Add(1))
}

// UnsupportedError names a component feature the engine does not run.
type UnsupportedError struct{ What string }

func (e *UnsupportedError) Error() string { return "engine: not supported: " + e.What }

func unsupported(format string, args ...any) error {
	return &UnsupportedError{What: fmt.Sprintf(format, args...)}
}

// emptyModuleName stands for the import module name "" (common in
// components), which wazero refuses.
const emptyModuleName = "witgo:empty"

func encodeForWazero(m *wasm.Module) []byte {
	renamed := false
	for _, im := range m.Imports {
		if im.Module == "" {
			renamed = true
		}
	}
	if !renamed {
		return m.Encode()
	}
	cp := *m
	cp.Imports = append([]wasm.Import(nil), m.Imports...)
	for i := range cp.Imports {
		if cp.Imports[i].Module == "" {
			cp.Imports[i].Module = emptyModuleName
		}
	}
	return cp.Encode()
}

// threadBuiltins are the built-ins not run yet: shared-memory threads
// (thread.spawn-*, 🧵②) and the old async resource.drop.
var threadBuiltins = map[byte]bool{
	component.CanonThreadSpawnRef: true, component.CanonThreadSpawnIndirect: true,
	component.CanonThreadAvailParallelism: true, component.CanonResourceDropAsync: true,
}

// explicitThreads are the cooperative thread built-ins (🧵).
var explicitThreads = map[byte]bool{
	component.CanonThreadIndex: true, component.CanonThreadNewIndirect: true, component.CanonThreadResumeLater: true,
	component.CanonThreadSuspend: true, component.CanonThreadSuspendThenResume: true,
	component.CanonThreadYieldThenResume: true, component.CanonThreadSuspendThenPromote: true,
	component.CanonThreadYieldThenPromote: true,
}

// checkCanon refuses, at compile time, the built-ins the engine does not
// run: shared-memory threads.
func checkCanon(c *component.Canon) error {
	if threadBuiltins[c.Op] {
		return unsupported("canon built-in %#x (shared-memory threads)", c.Op)
	}
	return nil
}

// usesAsync: c is an async built-in or has an async option.
func usesAsync(c *component.Canon) bool {
	switch c.Op {
	case component.CanonLift, component.CanonLower, component.CanonResourceNew,
		component.CanonResourceDrop, component.CanonResourceRep:
	default:
		return true
	}
	for _, o := range c.Opts {
		if o.Kind == component.OptAsync || o.Kind == component.OptCallback {
			return true
		}
	}
	return false
}

// typeUsesAsync: t is or declares an async function type, a stream or a
// future type, or uses error-context.
func typeUsesAsync(t *component.Type) bool {
	switch {
	case t.Func != nil:
		if t.Func.Async {
			return true
		}
		for _, p := range t.Func.Params {
			if p.Type.Prim == component.ErrorContext {
				return true
			}
		}
		return t.Func.Result != nil && t.Func.Result.Prim == component.ErrorContext
	case t.Val != nil:
		return t.Val.Kind == component.KindStream || t.Val.Kind == component.KindFuture ||
			t.Val.Prim == component.ErrorContext || valTypesUseErrorContext(t.Val)
	case t.Component != nil:
		return declsUseAsync(t.Component.Decls)
	case t.Instance != nil:
		return declsUseAsync(t.Instance.Decls)
	}
	return false
}

func valTypesUseErrorContext(d *component.DefValType) bool {
	var vs []*component.ValType
	for i := range d.Fields {
		vs = append(vs, &d.Fields[i].Type)
	}
	for i := range d.Cases {
		vs = append(vs, d.Cases[i].Type)
	}
	for i := range d.Types {
		vs = append(vs, &d.Types[i])
	}
	vs = append(vs, d.Elem, d.Ok, d.Err, d.Value)
	for _, v := range vs {
		if v != nil && v.Prim == component.ErrorContext {
			return true
		}
	}
	return false
}

func declsUseAsync(ds []component.Decl) bool {
	for i := range ds {
		if ds[i].Type != nil && typeUsesAsync(ds[i].Type) {
			return true
		}
	}
	return false
}
