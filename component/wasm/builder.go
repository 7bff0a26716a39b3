package wasm

import (
	"fmt"

	"github.com/witgo/witgo/component/internal/binio"
)

// Builder assembles a core module: adapters and glue modules are emitted
// with it. Imports must be added before the definitions of the same kind
// (so that returned indices stay valid); Build reports violations.
type Builder struct {
	m        Module
	funcSigs map[string]uint32
	elems    [][]byte
	datas    [][]byte
	defined  [5]bool // a definition of this extern kind was added
	err      error
}

// NewBuilder returns an empty builder.
func NewBuilder() *Builder { return &Builder{funcSigs: map[string]uint32{}} }

// FuncType returns the index of the function type params -> results,
// adding it once.
func (b *Builder) FuncType(params, results []ValType) uint32 {
	var w binio.Writer
	writeValTypes(&w, params)
	writeValTypes(&w, results)
	key := string(w.Buf)
	if i, ok := b.funcSigs[key]; ok {
		return i
	}
	i := uint32(b.m.TypeCount())
	b.m.Types = append(b.m.Types, Func(params, results))
	b.funcSigs[key] = i
	return i
}

func (b *Builder) importItem(module, name string, t ExternType) uint32 {
	if b.defined[t.Kind] && b.err == nil {
		b.err = fmt.Errorf("wasm builder: import %s.%s added after a definition of the same kind", module, name)
	}
	idx := uint32(b.m.ImportCount(t.Kind))
	b.m.Imports = append(b.m.Imports, Import{Module: module, Name: name, Type: t})
	return idx
}

// ImportFunc imports a function of type typ and returns its function index.
func (b *Builder) ImportFunc(module, name string, typ uint32) uint32 {
	return b.importItem(module, name, ExternType{Kind: ExternFunc, Func: typ})
}

// ImportMemory imports a memory and returns its index.
func (b *Builder) ImportMemory(module, name string, mt MemType) uint32 {
	return b.importItem(module, name, ExternType{Kind: ExternMemory, Memory: mt})
}

// ImportTable imports a table and returns its index.
func (b *Builder) ImportTable(module, name string, tt TableType) uint32 {
	return b.importItem(module, name, ExternType{Kind: ExternTable, Table: tt})
}

// ImportGlobal imports a global and returns its index.
func (b *Builder) ImportGlobal(module, name string, gt GlobalType) uint32 {
	return b.importItem(module, name, ExternType{Kind: ExternGlobal, Global: gt})
}

// Func defines a function of type typ with the given extra locals; body
// holds its instructions without the final end opcode, which Func adds.
// It returns the function index.
func (b *Builder) Func(typ uint32, locals []ValType, body []byte) uint32 {
	b.defined[ExternFunc] = true
	var w binio.Writer
	// Run-length encode the locals.
	var groups int
	for i := 0; i < len(locals); {
		j := i
		for j < len(locals) && locals[j] == locals[i] {
			j++
		}
		groups++
		i = j
	}
	w.U32(uint32(groups))
	for i := 0; i < len(locals); {
		j := i
		for j < len(locals) && locals[j] == locals[i] {
			j++
		}
		w.U32(uint32(j - i))
		WriteValType(&w, locals[i])
		i = j
	}
	w.Bytes(body)
	w.Byte(0x0b)
	b.m.Funcs = append(b.m.Funcs, typ)
	b.m.Code = append(b.m.Code, Code{Body: w.Buf})
	return uint32(b.m.ImportCount(ExternFunc) + len(b.m.Funcs) - 1)
}

// Memory defines a memory and returns its index.
func (b *Builder) Memory(mt MemType) uint32 {
	b.defined[ExternMemory] = true
	b.m.Memories = append(b.m.Memories, mt)
	return uint32(b.m.ImportCount(ExternMemory) + len(b.m.Memories) - 1)
}

// Table defines a table and returns its index.
func (b *Builder) Table(tt TableType) uint32 {
	b.defined[ExternTable] = true
	b.m.Tables = append(b.m.Tables, Table{Type: tt})
	return uint32(b.m.ImportCount(ExternTable) + len(b.m.Tables) - 1)
}

// Global defines a global; init is a constant expression without its end
// opcode (e.g. I32Const(0)). It returns the global index.
func (b *Builder) Global(gt GlobalType, init []byte) uint32 {
	b.defined[ExternGlobal] = true
	b.m.Globals = append(b.m.Globals, Global{Type: gt, Init: append(append([]byte{}, init...), 0x0b)})
	return uint32(b.m.ImportCount(ExternGlobal) + len(b.m.Globals) - 1)
}

// Export exports the item of the given kind and index.
func (b *Builder) Export(name string, kind byte, index uint32) {
	b.m.Exports = append(b.m.Exports, Export{Name: name, Kind: kind, Index: index})
}

// Start sets the start function.
func (b *Builder) Start(f uint32) { b.m.Start = &f }

// ActiveElem adds an active element segment that writes funcs into table
// at the offset computed by the constant expression offset (without end).
func (b *Builder) ActiveElem(table uint32, offset []byte, funcs []uint32) {
	var w binio.Writer
	if table == 0 {
		w.Byte(0x00)
	} else {
		w.Byte(0x02)
		w.U32(table)
	}
	w.Bytes(offset)
	w.Byte(0x0b)
	if table != 0 {
		w.Byte(0x00) // elemkind funcref
	}
	w.U32(uint32(len(funcs)))
	for _, f := range funcs {
		w.U32(f)
	}
	b.elems = append(b.elems, w.Buf)
}

// ActiveData adds an active data segment for memory mem at offset (a
// constant expression without end).
func (b *Builder) ActiveData(mem uint32, offset []byte, data []byte) {
	var w binio.Writer
	if mem == 0 {
		w.Byte(0x00)
	} else {
		w.Byte(0x02)
		w.U32(mem)
	}
	w.Bytes(offset)
	w.Byte(0x0b)
	w.U32(uint32(len(data)))
	w.Bytes(data)
	b.datas = append(b.datas, w.Buf)
}

// PassiveData adds a passive data segment and returns its index.
func (b *Builder) PassiveData(data []byte) uint32 {
	var w binio.Writer
	w.Byte(0x01)
	w.U32(uint32(len(data)))
	w.Bytes(data)
	b.datas = append(b.datas, w.Buf)
	n := uint32(len(b.datas))
	b.m.DataCount = &n
	return n - 1
}

// Custom adds a custom section.
func (b *Builder) Custom(name string, data []byte) {
	b.m.Customs = append(b.m.Customs, Custom{Name: name, Data: data})
}

// Build returns the module. The builder must not be used afterwards.
func (b *Builder) Build() (*Module, error) {
	if b.err != nil {
		return nil, b.err
	}
	b.m.Elements = joinSegments(b.elems)
	b.m.Data = joinSegments(b.datas)
	return &b.m, nil
}

func joinSegments(segs [][]byte) []byte {
	if len(segs) == 0 {
		return nil
	}
	var w binio.Writer
	w.U32(uint32(len(segs)))
	for _, s := range segs {
		w.Bytes(s)
	}
	return w.Buf
}

// I32Const returns the instruction i32.const v.
func I32Const(v int32) []byte { return binio.AppendS64([]byte{0x41}, int64(v)) }
