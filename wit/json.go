package wit

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// MarshalJSON encodes r in the shape wasm-tools' wit-parser gives
// `serde_json::to_string_pretty(&resolve)`: two-space indentation, keys in the
// order of wit-parser's struct fields, optional keys ("docs", "stability",
// "result", an empty param name) left out when empty. Written by hand so the
// key order is explicit and encoding costs no reflection.
func (r *Resolve) MarshalJSON() ([]byte, error) {
	e := jsonEncoder{r: r}
	e.buf.Grow(r.jsonSizeHint())
	e.resolve()
	if e.err != nil {
		return nil, e.err
	}
	return e.buf.Bytes(), nil
}

// jsonSizeHint guesses the encoded size so the buffer is allocated once:
// growing it step by step (and clearing each new block) used to cost more
// than the encoding itself. The per-item figures are generous averages over
// the wit-parser corpus.
func (r *Resolve) jsonSizeHint() int {
	n := 64 + 200*len(r.Types) + 120*len(r.Interfaces) + 120*len(r.Worlds) + 100*len(r.Packages)
	for _, td := range r.Types {
		if td == nil {
			continue
		}
		n += len(td.Docs)
		switch k := td.Kind.(type) {
		case *Record:
			for _, f := range k.Fields {
				n += 80 + len(f.Docs)
			}
		case *Variant:
			for _, c := range k.Cases {
				n += 80 + len(c.Docs)
			}
		case *Enum:
			for _, c := range k.Cases {
				n += 60 + len(c.Docs)
			}
		case *Flags:
			for _, f := range k.Flags {
				n += 60 + len(f.Docs)
			}
		}
	}
	for _, it := range r.Interfaces {
		if it != nil {
			n += 350*it.Functions.Len() + 30*it.Types.Len()
		}
	}
	for _, w := range r.Worlds {
		if w != nil {
			n += 250 * (w.Imports.Len() + w.Exports.Len())
		}
	}
	return n
}

// jsonEncoder writes serde_json's pretty format. It keeps, per open object or
// array, whether an element was written yet, because serde puts `{}`/`[]` on
// one line when empty and otherwise one element per line.
type jsonEncoder struct {
	r     *Resolve
	buf   bytes.Buffer
	empty []bool // per open container: nothing written into it yet
	err   error
}

func (e *jsonEncoder) fail(format string, args ...any) {
	if e.err == nil {
		e.err = fmt.Errorf("wit: cannot encode JSON: "+format, args...)
	}
}

// newlineIndent is a newline and enough indentation for the deepest
// nesting the format has, written in one piece.
const newlineIndent = "\n                                                                "

func (e *jsonEncoder) newline() {
	if n := 1 + 2*len(e.empty); n <= len(newlineIndent) {
		e.buf.WriteString(newlineIndent[:n])
		return
	}
	e.buf.WriteByte('\n')
	for range len(e.empty) {
		e.buf.WriteString("  ")
	}
}

func (e *jsonEncoder) open(c byte) {
	e.buf.WriteByte(c)
	e.empty = append(e.empty, true)
}

func (e *jsonEncoder) close(c byte) {
	wasEmpty := e.empty[len(e.empty)-1]
	e.empty = e.empty[:len(e.empty)-1]
	if !wasEmpty {
		e.newline()
	}
	e.buf.WriteByte(c)
}

// elem starts the next element of the innermost container.
func (e *jsonEncoder) elem() {
	top := len(e.empty) - 1
	if !e.empty[top] {
		e.buf.WriteByte(',')
	}
	e.empty[top] = false
	e.newline()
}

// key starts the next member of the innermost object.
func (e *jsonEncoder) key(k string) {
	e.elem()
	e.str(k)
	e.buf.WriteString(": ")
}

// str writes s as serde_json does: only `"`, `\` and control characters are
// escaped; everything else, non-ASCII included, is written literally.
func (e *jsonEncoder) str(s string) {
	const hex = "0123456789abcdef"
	e.buf.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				// Rust strings are always UTF-8; write the replacement
				// character rather than invalid JSON.
				e.buf.WriteString(s[start:i])
				e.buf.WriteString("\ufffd")
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		e.buf.WriteString(s[start:i])
		switch c {
		case '"':
			e.buf.WriteString(`\"`)
		case '\\':
			e.buf.WriteString(`\\`)
		case '\n':
			e.buf.WriteString(`\n`)
		case '\r':
			e.buf.WriteString(`\r`)
		case '\t':
			e.buf.WriteString(`\t`)
		case '\b':
			e.buf.WriteString(`\b`)
		case '\f':
			e.buf.WriteString(`\f`)
		default:
			e.buf.WriteString(`\u00`)
			e.buf.WriteByte(hex[c>>4])
			e.buf.WriteByte(hex[c&0xf])
		}
		i++
		start = i
	}
	e.buf.WriteString(s[start:])
	e.buf.WriteByte('"')
}

func (e *jsonEncoder) int(n int) {
	var tmp [20]byte
	e.buf.Write(strconv.AppendInt(tmp[:0], int64(n), 10))
}

func (e *jsonEncoder) null() { e.buf.WriteString("null") }

// nameOrNull writes an optional name: "" is Rust's None.
func (e *jsonEncoder) nameOrNull(s string) {
	if s == "" {
		e.null()
		return
	}
	e.str(s)
}

func (e *jsonEncoder) resolve() {
	r := e.r
	e.open('{')
	jsonArena(e, "worlds", r.Worlds, e.world)
	jsonArena(e, "interfaces", r.Interfaces, e.iface)
	jsonArena(e, "types", r.Types, e.typeDef)
	jsonArena(e, "packages", r.Packages, e.pkg)
	e.close('}')
}

// jsonArena writes one of the Resolve's four arenas as `"key": [...]`.
func jsonArena[T any](e *jsonEncoder, key string, items []*T, write func(*T)) {
	e.key(key)
	e.open('[')
	for i, item := range items {
		e.elem()
		if item == nil {
			e.fail("%s[%d] is nil", key, i)
			e.null()
			continue
		}
		write(item)
	}
	e.close(']')
}

func (e *jsonEncoder) pkg(p *Package) {
	e.open('{')
	e.key("name")
	e.str(p.Name.String())
	e.docs(p.Docs)
	jsonIDMap(e, "interfaces", &p.Interfaces)
	jsonIDMap(e, "worlds", &p.Worlds)
	e.close('}')
}

func (e *jsonEncoder) packageRef(id PackageID) {
	if id == NoPackage {
		e.null()
		return
	}
	e.int(int(id))
}

func (e *jsonEncoder) world(w *World) {
	e.open('{')
	e.key("name")
	e.str(w.Name)
	e.key("imports")
	e.worldItems(&w.Imports)
	e.key("exports")
	e.worldItems(&w.Exports)
	e.key("package")
	e.packageRef(w.Package)
	e.docs(w.Docs)
	e.stability(w.Stability)
	e.close('}')
}

func (e *jsonEncoder) worldItems(m *OrderedMap[WorldKey, *WorldItem]) {
	e.open('{')
	for k, it := range m.All() {
		e.key(k.String())
		if it == nil {
			e.fail("world item %s is nil", k)
			e.null()
			continue
		}
		e.open('{')
		switch it.Kind {
		case ItemInterface:
			e.key("interface")
			e.open('{')
			e.key("id")
			e.int(int(it.Interface))
			e.stability(it.Stability)
			e.docs(it.Docs)
			e.close('}')
		case ItemFunction:
			e.key("function")
			if it.Function == nil {
				e.fail("world item %s has no function", k)
				e.null()
			} else {
				e.function(it.Function)
			}
		case ItemType:
			e.key("type")
			e.int(int(it.Type))
		default:
			e.fail("world item %s has unknown kind %d", k, it.Kind)
		}
		e.close('}')
	}
	e.close('}')
}

func (e *jsonEncoder) iface(it *Interface) {
	e.open('{')
	e.key("name")
	e.nameOrNull(it.Name)
	jsonIDMap(e, "types", &it.Types)
	e.key("functions")
	e.open('{')
	for name, f := range it.Functions.All() {
		e.key(name)
		if f == nil {
			e.fail("function %s is nil", name)
			e.null()
			continue
		}
		e.function(f)
	}
	e.close('}')
	e.docs(it.Docs)
	e.stability(it.Stability)
	e.key("package")
	e.packageRef(it.Package)
	e.close('}')
}

func (e *jsonEncoder) typeDef(td *TypeDef) {
	e.open('{')
	e.key("name")
	e.nameOrNull(td.Name)
	e.key("kind")
	e.typeDefKind(td.Kind)
	e.key("owner")
	switch td.Owner.Kind {
	case OwnerInterface:
		e.open('{')
		e.key("interface")
		e.int(int(td.Owner.Interface))
		e.close('}')
	case OwnerWorld:
		e.open('{')
		e.key("world")
		e.int(int(td.Owner.World))
		e.close('}')
	default:
		e.null()
	}
	e.docs(td.Docs)
	e.stability(td.Stability)
	e.close('}')
}

// typeDefKind writes serde's externally tagged enum: a bare string for a
// unit variant, `{"tag": payload}` otherwise.
func (e *jsonEncoder) typeDefKind(k TypeDefKind) {
	if _, ok := k.(*Resource); ok {
		e.str("resource")
		return
	}
	e.open('{')
	switch k := k.(type) {
	case *Alias:
		e.key("type")
		e.typ(k.Type)
	case *Record:
		e.key("record")
		e.open('{')
		e.key("fields")
		e.open('[')
		for _, f := range k.Fields {
			e.elem()
			e.open('{')
			e.key("name")
			e.str(f.Name)
			e.key("type")
			e.typ(f.Type)
			e.docs(f.Docs)
			e.close('}')
		}
		e.close(']')
		e.close('}')
	case *Own:
		e.handle("own", k.Resource)
	case *Borrow:
		e.handle("borrow", k.Resource)
	case *Flags:
		e.key("flags")
		e.open('{')
		e.key("flags")
		e.open('[')
		for _, f := range k.Flags {
			e.namedDocs(f.Name, f.Docs)
		}
		e.close(']')
		e.close('}')
	case *Tuple:
		e.key("tuple")
		e.open('{')
		e.key("types")
		e.open('[')
		for _, t := range k.Types {
			e.elem()
			e.typ(t)
		}
		e.close(']')
		e.close('}')
	case *Variant:
		e.key("variant")
		e.open('{')
		e.key("cases")
		e.open('[')
		for _, c := range k.Cases {
			e.elem()
			e.open('{')
			e.key("name")
			e.str(c.Name)
			e.key("type")
			e.optType(c.Type)
			e.docs(c.Docs)
			e.close('}')
		}
		e.close(']')
		e.close('}')
	case *Enum:
		e.key("enum")
		e.open('{')
		e.key("cases")
		e.open('[')
		for _, c := range k.Cases {
			e.namedDocs(c.Name, c.Docs)
		}
		e.close(']')
		e.close('}')
	case *Option:
		e.key("option")
		e.typ(k.Type)
	case *Result:
		e.key("result")
		e.open('{')
		e.key("ok")
		e.optType(k.OK)
		e.key("err")
		e.optType(k.Err)
		e.close('}')
	case *List:
		e.key("list")
		e.typ(k.Elem)
	case *FixedList:
		e.key("fixed-length-list")
		e.open('[')
		e.elem()
		e.typ(k.Elem)
		e.elem()
		e.int(int(k.Len))
		e.close(']')
	case *Map:
		e.key("map")
		e.open('[')
		e.elem()
		e.typ(k.Key)
		e.elem()
		e.typ(k.Value)
		e.close(']')
	case *Future:
		e.key("future")
		e.optType(k.Elem)
	case *Stream:
		e.key("stream")
		e.optType(k.Elem)
	default:
		e.fail("unknown type definition kind %T", k)
	}
	e.close('}')
}

func (e *jsonEncoder) handle(tag string, id TypeID) {
	e.key("handle")
	e.open('{')
	e.key(tag)
	e.int(int(id))
	e.close('}')
}

// namedDocs writes a flag or enum case: `{"name", "docs"?}`.
func (e *jsonEncoder) namedDocs(name, docs string) {
	e.elem()
	e.open('{')
	e.key("name")
	e.str(name)
	e.docs(docs)
	e.close('}')
}

// typ writes a Type: a primitive's name or the index of its TypeDef.
func (e *jsonEncoder) typ(t Type) {
	if t == NoType {
		e.fail("missing type")
		e.null()
		return
	}
	if id, ok := t.TypeID(); ok {
		e.int(int(id))
		return
	}
	e.str(t.PrimitiveName())
}

// optType writes Rust's Option<Type>: NoType is null.
func (e *jsonEncoder) optType(t Type) {
	if t == NoType {
		e.null()
		return
	}
	e.typ(t)
}

func (e *jsonEncoder) function(f *Function) {
	e.open('{')
	e.key("name")
	e.str(f.Name)
	e.key("kind")
	e.functionKind(f)
	e.key("params")
	e.open('[')
	for _, p := range f.Params {
		e.elem()
		e.open('{')
		if p.Name != "" {
			e.key("name")
			e.str(p.Name)
		}
		e.key("type")
		e.typ(p.Type)
		e.close('}')
	}
	e.close(']')
	if f.Result != NoType {
		e.key("result")
		e.typ(f.Result)
	}
	e.docs(f.Docs)
	e.stability(f.Stability)
	e.close('}')
}

// functionKindTags are wit-parser's FunctionKind variants, [async][kind].
var functionKindTags = [2][4]string{
	{Freestanding: "freestanding", Method: "method", Static: "static", Constructor: "constructor"},
	{Freestanding: "async-freestanding", Method: "async-method", Static: "async-static"},
}

func (e *jsonEncoder) functionKind(f *Function) {
	async := 0
	if f.Async {
		async = 1
	}
	if int(f.Kind) >= len(functionKindTags[0]) || functionKindTags[async][f.Kind] == "" {
		e.fail("function %s has no JSON kind (kind %d, async %v)", f.Name, f.Kind, f.Async)
		e.null()
		return
	}
	tag := functionKindTags[async][f.Kind]
	if f.Kind == Freestanding {
		e.str(tag)
		return
	}
	e.open('{')
	e.key(tag)
	e.int(int(f.Resource))
	e.close('}')
}

func (e *jsonEncoder) docs(d string) {
	if d == "" {
		return
	}
	e.key("docs")
	e.open('{')
	e.key("contents")
	e.str(d)
	e.close('}')
}

func (e *jsonEncoder) stability(s Stability) {
	switch s.Kind {
	case Unknown:
		if s.Deprecated != nil {
			e.fail("@deprecated without @since or @unstable has no JSON form")
		}
		return
	case Stable:
		e.key("stability")
		e.open('{')
		e.key("stable")
		e.open('{')
		e.key("since")
		if s.Since == nil {
			e.fail("@since without a version")
			e.null()
		} else {
			e.str(s.Since.String())
		}
	case Unstable:
		e.key("stability")
		e.open('{')
		e.key("unstable")
		e.open('{')
		e.key("feature")
		e.str(s.Feature)
	default:
		e.fail("unknown stability kind %d", s.Kind)
		return
	}
	if s.Deprecated != nil {
		e.key("deprecated")
		e.str(s.Deprecated.String())
	}
	e.close('}')
	e.close('}')
}

// jsonIDMap writes `"key": {"name": index, ...}` in the map's order.
func jsonIDMap[ID ~int](e *jsonEncoder, key string, m *OrderedMap[string, ID]) {
	e.key(key)
	e.open('{')
	for name, id := range m.All() {
		e.key(name)
		e.int(int(id))
	}
	e.close('}')
}
