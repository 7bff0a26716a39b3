package adapter

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component/internal/binio"
	"github.com/witgo/witgo/component/wasm"
)

// Memory layout constants of the borrowed scratch region (see the package
// doc): [0, smallScratch) for return areas of single host calls,
// [0, bigScratch) for the calls that return variable-size data.
const (
	smallScratch = 128
	bigScratch   = 12288
	listArena    = 64   // [64, 4096): arrays the host allocates
	byteArena    = 4096 // [4096, 12288): strings and bytes
	fdSlots      = 32   // preview1 descriptors the adapter can hold
)

var (
	moduleOnce  sync.Once
	moduleBytes []byte
	moduleErr   error
)

// Module returns the adapter core module (see the package doc for its
// imports and exports). The bytes are built once and shared: do not
// modify them.
func Module() ([]byte, error) {
	moduleOnce.Do(func() {
		m, err := build()
		if err != nil {
			moduleErr = err
			return
		}
		moduleBytes = m.Encode()
	})
	return moduleBytes, moduleErr
}

// hostImport is one canon-lowered WASI 0.2 function the adapter imports.
type hostImport struct {
	module, field string
	alias         string // `iface#field`, the name bodies call it by
	params        []wasm.ValType
	results       []wasm.ValType
}

// hostImports lists the world's imports with the core signatures that
// canonabi derives for `canon lower`.
func hostImports() ([]hostImport, error) {
	res, world, err := World()
	if err != nil {
		return nil, err
	}
	abi := canonabi.New(res)
	names, err := abi.Names(world, canonabi.Legacy)
	if err != nil {
		return nil, fmt.Errorf("adapter: %w", err)
	}
	var out []hostImport
	for _, it := range names.Items {
		if !it.Import {
			continue
		}
		h := hostImport{module: it.Module, field: it.Field}
		iface := it.Module
		if it.HasInterface {
			iface = res.Interfaces[it.Interface].Name
		}
		h.alias = iface + "#" + it.Field
		switch it.Kind {
		case canonabi.NameFunc:
			sig, err := abi.Signature(it.Function, canonabi.Lower)
			if err != nil {
				return nil, fmt.Errorf("adapter: %s: %w", h.alias, err)
			}
			h.params, h.results = coreTypes(sig.Params), coreTypes(sig.Results)
		case canonabi.NameResourceDrop:
			h.params = []wasm.ValType{wasm.V(wasm.I32)}
		default:
			return nil, fmt.Errorf("adapter: unexpected import %s (%v)", it.String(), it.Kind)
		}
		out = append(out, h)
	}
	return out, nil
}

func coreTypes(ts []canonabi.CoreType) []wasm.ValType {
	out := make([]wasm.ValType, len(ts))
	for i, t := range ts {
		switch t {
		case canonabi.I64:
			out[i] = wasm.V(wasm.I64)
		case canonabi.F32:
			out[i] = wasm.V(wasm.F32)
		case canonabi.F64:
			out[i] = wasm.V(wasm.F64)
		default:
			out[i] = wasm.V(wasm.I32)
		}
	}
	return out
}

// global is one adapter global (all mutable).
type global struct {
	name string
	t    wasm.ValType
	init int64
}

func build() (*wasm.Module, error) {
	imports, err := hostImports()
	if err != nil {
		return nil, err
	}
	b := wasm.NewBuilder()
	sym := &symbols{funcs: map[string]uint32{}, globals: map[string]uint32{}, consts: constants()}
	b.ImportMemory("env", "memory", wasm.MemType{})
	for _, h := range imports {
		sym.funcs[h.alias] = b.ImportFunc(h.module, h.field, b.FuncType(h.params, h.results))
	}
	for _, g := range globals() {
		init := wasm.I32Const(int32(g.init))
		if g.t.Code == wasm.I64 {
			init = i64Const(g.init)
		}
		sym.globals[g.name] = b.Global(wasm.GlobalType{Val: g.t, Flags: 1}, init)
	}
	defs, err := functions()
	if err != nil {
		return nil, err
	}
	// Indices first (bodies may call functions defined later), then bodies.
	base := uint32(len(imports))
	for i, f := range defs {
		if _, dup := sym.funcs[f.name]; dup {
			return nil, fmt.Errorf("adapter: function %s defined twice", f.name)
		}
		sym.funcs[f.name] = base + uint32(i)
	}
	for _, f := range defs {
		body, locals, err := sym.assemble(f)
		if err != nil {
			return nil, fmt.Errorf("adapter: function %s: %w", f.name, err)
		}
		params := make([]wasm.ValType, len(f.params))
		for i, p := range f.params {
			params[i] = p.t
		}
		idx := b.Func(b.FuncType(params, f.results), locals, body)
		if f.export != "" {
			b.Export(f.export, wasm.ExternFunc, idx)
		}
	}
	names := make([]string, 0, len(imports)+len(defs))
	for _, h := range imports {
		names = append(names, h.alias)
	}
	for _, f := range defs {
		names = append(names, f.name)
	}
	b.Custom("name", nameSection(names))
	m, err := b.Build()
	if err != nil {
		return nil, fmt.Errorf("adapter: %w", err)
	}
	if err := m.ValidateCode(); err != nil {
		var idx int
		if _, serr := fmt.Sscanf(err.Error(), "function %d", &idx); serr == nil && idx < len(names) {
			return nil, fmt.Errorf("adapter: generated code of %s does not validate: %w", names[idx], err)
		}
		return nil, fmt.Errorf("adapter: generated code does not validate: %w", err)
	}
	return m, nil
}

// nameSection encodes a `name` custom section with function names, so
// that traps inside the adapter name the function.
func nameSection(names []string) []byte {
	var sub binio.Writer
	sub.U32(uint32(len(names)))
	for i, n := range names {
		sub.U32(uint32(i))
		sub.Name(n)
	}
	var w binio.Writer
	w.Byte(1)
	w.U32(uint32(len(sub.Buf)))
	w.Bytes(sub.Buf)
	return w.Buf
}

func i64Const(v int64) []byte {
	var c []byte
	c = append(c, 0x42)
	for {
		b := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && b&0x40 == 0) || (v == -1 && b&0x40 != 0) {
			return append(c, b)
		}
		c = append(c, b|0x80)
	}
}

// fnList collects function definitions from the files that write them.
type fnList struct {
	defs []*fnDef
	err  error
}

// add defines a function; sig is "a:i32 b:i64 -> i32", locals "x:i32 ...".
func (l *fnList) add(name, export, sig, locals, body string) {
	params, results, err := parseSig(sig)
	if err == nil {
		var ls []local
		ls, err = parseLocals(locals)
		l.defs = append(l.defs, &fnDef{name: name, export: export, params: params, results: results, locals: ls, body: body})
	}
	if err != nil && l.err == nil {
		l.err = fmt.Errorf("adapter: function %s: %w", name, err)
	}
}

// export defines an exported preview1 function named name.
func (l *fnList) export(name, sig, locals, body string) { l.add(name, name, sig, locals, body) }

func functions() ([]*fnDef, error) {
	var l fnList
	for _, add := range []func(*fnList){addScratch, addState, addStdio, addEnviron, addClocks,
		addFiles, addPaths, addLinksAndTimes, addUnsupported} {
		add(&l)
	}
	return l.defs, l.err
}

// exportNames lists the preview1 functions the module exports, sorted.
func exportNames() []string {
	defs, _ := functions()
	var out []string
	for _, f := range defs {
		if f.export != "" && !strings.HasPrefix(f.export, "cabi_") {
			out = append(out, f.export)
		}
	}
	sort.Strings(out)
	return out
}

var (
	i32 = wasm.V(wasm.I32)
	i64 = wasm.V(wasm.I64)
)

func itoa(n int) string { return fmt.Sprint(n) }
