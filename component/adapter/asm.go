package adapter

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/witgo/witgo/component/internal/binio"
	"github.com/witgo/witgo/component/wasm"
)

// The adapter's functions are written in a small flat text form of wasm
// instructions (one token stream per function, `;;` comments) and
// assembled here: it keeps the bodies readable and reviewable, which raw
// byte slices would not be. Names: `$x` locals, globals, functions and
// labels; `@NAME` constants; loads and stores take an optional offset.

// simpleOps are the instructions without immediates.
var simpleOps = map[string]byte{
	"unreachable": 0x00, "nop": 0x01, "return": 0x0f, "drop": 0x1a, "select": 0x1b,
	"i32.eqz": 0x45, "i32.eq": 0x46, "i32.ne": 0x47, "i32.lt_s": 0x48, "i32.lt_u": 0x49,
	"i32.gt_s": 0x4a, "i32.gt_u": 0x4b, "i32.le_s": 0x4c, "i32.le_u": 0x4d, "i32.ge_s": 0x4e, "i32.ge_u": 0x4f,
	"i64.eqz": 0x50, "i64.eq": 0x51, "i64.ne": 0x52, "i64.lt_s": 0x53, "i64.lt_u": 0x54,
	"i64.gt_s": 0x55, "i64.gt_u": 0x56, "i64.le_s": 0x57, "i64.le_u": 0x58, "i64.ge_s": 0x59, "i64.ge_u": 0x5a,
	"i32.add": 0x6a, "i32.sub": 0x6b, "i32.mul": 0x6c, "i32.div_u": 0x6e, "i32.rem_u": 0x70,
	"i32.and": 0x71, "i32.or": 0x72, "i32.xor": 0x73, "i32.shl": 0x74, "i32.shr_u": 0x76,
	"i64.add": 0x7c, "i64.sub": 0x7d, "i64.mul": 0x7e, "i64.div_u": 0x80, "i64.rem_u": 0x82,
	"i64.and": 0x83, "i64.or": 0x84, "i64.shl": 0x86, "i64.shr_u": 0x88,
	"i32.wrap_i64": 0xa7, "i64.extend_i32_u": 0xad, "i64.extend_i32_s": 0xac,
}

// memOps are loads and stores with their natural alignment (log2).
var memOps = map[string][2]byte{
	"i32.load": {0x28, 2}, "i64.load": {0x29, 3}, "i32.load8_u": {0x2d, 0}, "i32.load16_u": {0x2f, 1},
	"i64.load32_u": {0x35, 2}, "i32.store": {0x36, 2}, "i64.store": {0x37, 3}, "i32.store8": {0x3a, 0},
	"i32.store16": {0x3b, 1}, "i64.store32": {0x3e, 2},
}

// fnDef is one function written in the text form.
type fnDef struct {
	name    string
	export  string // export name, or "" for an internal helper
	params  []local
	results []wasm.ValType
	locals  []local
	body    string
}

type local struct {
	name string
	t    wasm.ValType
}

// sig parses "a:i32 b:i64 -> i32" into parameters and results.
func parseSig(s string) (params []local, results []wasm.ValType, err error) {
	lhs, rhs, _ := strings.Cut(s, "->")
	if params, err = parseLocals(lhs); err != nil {
		return nil, nil, err
	}
	for _, f := range strings.Fields(rhs) {
		t, err := valType(f)
		if err != nil {
			return nil, nil, err
		}
		results = append(results, t)
	}
	return params, results, nil
}

func parseLocals(s string) ([]local, error) {
	var out []local
	for _, f := range strings.Fields(s) {
		name, typ, ok := strings.Cut(f, ":")
		if !ok {
			return nil, fmt.Errorf("local %q has no type", f)
		}
		t, err := valType(typ)
		if err != nil {
			return nil, err
		}
		out = append(out, local{name, t})
	}
	return out, nil
}

func valType(s string) (wasm.ValType, error) {
	switch s {
	case "i32":
		return wasm.V(wasm.I32), nil
	case "i64":
		return wasm.V(wasm.I64), nil
	}
	return wasm.ValType{}, fmt.Errorf("unknown value type %q", s)
}

// symbols are the names an assembled body may refer to.
type symbols struct {
	funcs   map[string]uint32
	globals map[string]uint32
	consts  map[string]int64
}

// assemble turns a function's text into instruction bytes (without the
// final end) and the list of its extra locals.
func (s *symbols) assemble(f *fnDef) ([]byte, []wasm.ValType, error) {
	locals := map[string]uint32{}
	var extra []wasm.ValType
	for i, p := range f.params {
		locals[p.name] = uint32(i)
	}
	for _, l := range f.locals {
		locals[l.name] = uint32(len(f.params) + len(extra))
		extra = append(extra, l.t)
	}
	toks := tokenize(f.body)
	var labels []string // innermost last
	var w binio.Writer
	i := 0
	next := func() (string, error) {
		if i >= len(toks) {
			return "", fmt.Errorf("unexpected end of body")
		}
		i++
		return toks[i-1], nil
	}
	lookup := func(m map[string]uint32, kind, name string) (uint32, error) {
		v, ok := m[strings.TrimPrefix(name, "$")]
		if !ok || !strings.HasPrefix(name, "$") {
			return 0, fmt.Errorf("unknown %s %q", kind, name)
		}
		return v, nil
	}
	label := func(name string) (uint32, error) {
		if n, err := strconv.Atoi(name); err == nil {
			return uint32(n), nil
		}
		for d := len(labels) - 1; d >= 0; d-- {
			if labels[d] == name {
				return uint32(len(labels) - 1 - d), nil
			}
		}
		return 0, fmt.Errorf("unknown label %q", name)
	}
	number := func(tok string) (int64, error) {
		if strings.HasPrefix(tok, "@") {
			v, ok := s.consts[tok[1:]]
			if !ok {
				return 0, fmt.Errorf("unknown constant %q", tok)
			}
			return v, nil
		}
		if u, err := strconv.ParseUint(tok, 0, 64); err == nil {
			return int64(u), nil
		}
		return strconv.ParseInt(tok, 0, 64)
	}
	isNumber := func(tok string) bool {
		_, err := number(tok)
		return err == nil
	}
	for i < len(toks) {
		op, _ := next()
		if b, ok := simpleOps[op]; ok {
			w.Byte(b)
			continue
		}
		if m, ok := memOps[op]; ok {
			off := int64(0)
			if i < len(toks) && isNumber(toks[i]) {
				off, _ = number(toks[i])
				i++
			}
			w.Byte(m[0])
			w.U32(uint32(m[1]))
			w.U32(uint32(off))
			continue
		}
		switch op {
		case "block", "loop", "if":
			name := ""
			if i < len(toks) && strings.HasPrefix(toks[i], "$") {
				name = toks[i]
				i++
			}
			labels = append(labels, name)
			w.Byte(map[string]byte{"block": 0x02, "loop": 0x03, "if": 0x04}[op])
			w.Byte(0x40)
		case "else":
			w.Byte(0x05)
		case "end":
			if len(labels) == 0 {
				return nil, nil, fmt.Errorf("end without block")
			}
			labels = labels[:len(labels)-1]
			w.Byte(0x0b)
		case "br", "br_if":
			tok, err := next()
			if err != nil {
				return nil, nil, err
			}
			d, err := label(tok)
			if err != nil {
				return nil, nil, err
			}
			w.Byte(map[string]byte{"br": 0x0c, "br_if": 0x0d}[op])
			w.U32(d)
		case "br_table":
			var ds []uint32
			for i < len(toks) && strings.HasPrefix(toks[i], "$") {
				d, err := label(toks[i])
				if err != nil {
					return nil, nil, err
				}
				ds = append(ds, d)
				i++
			}
			if len(ds) == 0 {
				return nil, nil, fmt.Errorf("br_table without labels")
			}
			w.Byte(0x0e)
			w.U32(uint32(len(ds) - 1))
			for _, d := range ds {
				w.U32(d)
			}
		case "local.get", "local.set", "local.tee", "global.get", "global.set", "call":
			tok, err := next()
			if err != nil {
				return nil, nil, err
			}
			var idx uint32
			switch op {
			case "global.get", "global.set":
				idx, err = lookup(s.globals, "global", tok)
			case "call":
				idx, err = lookup(s.funcs, "function", tok)
			default:
				idx, err = lookup(locals, "local", tok)
			}
			if err != nil {
				return nil, nil, err
			}
			w.Byte(map[string]byte{"local.get": 0x20, "local.set": 0x21, "local.tee": 0x22,
				"global.get": 0x23, "global.set": 0x24, "call": 0x10}[op])
			w.U32(idx)
		case "i32.const", "i64.const":
			tok, err := next()
			if err != nil {
				return nil, nil, err
			}
			v, err := number(tok)
			if err != nil {
				return nil, nil, fmt.Errorf("bad constant %q: %w", tok, err)
			}
			if op == "i32.const" {
				w.Buf = binio.AppendS64(append(w.Buf, 0x41), int64(int32(v)))
			} else {
				w.Buf = binio.AppendS64(append(w.Buf, 0x42), v)
			}
		case "memory.copy":
			w.Bytes([]byte{0xfc, 10, 0, 0})
		case "memory.size":
			w.Bytes([]byte{0x3f, 0})
		case "memory.fill":
			w.Bytes([]byte{0xfc, 11, 0})
		default:
			return nil, nil, fmt.Errorf("unknown instruction %q", op)
		}
	}
	if len(labels) != 0 {
		return nil, nil, fmt.Errorf("%d blocks not closed", len(labels))
	}
	return w.Buf, extra, nil
}

func tokenize(body string) []string {
	var toks []string
	for _, line := range strings.Split(body, "\n") {
		if c := strings.Index(line, ";;"); c >= 0 {
			line = line[:c]
		}
		toks = append(toks, strings.Fields(line)...)
	}
	return toks
}

// switchCode is a br_table switch: sel (instructions leaving an i32)
// picks arms[i]; any other value runs fallback. Each arm must end in a
// return or branch out.
func switchCode(sel string, arms []string, fallback string) string {
	var b strings.Builder
	b.WriteString("block $other\n")
	for i := len(arms) - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "block $c%d\n", i)
	}
	b.WriteString(sel + " br_table")
	for i := range arms {
		fmt.Fprintf(&b, " $c%d", i)
	}
	b.WriteString(" $other\n")
	for _, a := range arms {
		b.WriteString("end " + a + "\n")
	}
	return b.String() + "end " + fallback
}

// unitCall is the code of a descriptor method returning result<_,
// error-code>: args (the core arguments before the return area) and the
// call with a borrowed return area; the errno is left in local $e.
func unitCall(args, method string) string {
	return "call $save16\n" + args + " i32.const 0 call $types#[method]descriptor." + method +
		"\ncall $unit_result local.set $e\ncall $restore16"
}
