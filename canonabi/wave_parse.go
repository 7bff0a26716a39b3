package canonabi

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/witgo/witgo/wit"
)

// ParseWAVE parses text as a WAVE value of type t. Whitespace and `//`
// comments may surround tokens; trailing commas are allowed; an option may
// be written as its bare payload ("flat some") and a result as its bare ok
// payload; record fields of option type may be left out (`{:}` when all
// are). Handles have no WAVE form.
func (a *ABI) ParseWAVE(t wit.Type, text string) (Value, error) {
	sh, err := a.shape(t)
	if err != nil {
		return Value{}, err
	}
	p := &waveParser{src: text}
	v, err := p.value(sh, 0)
	if err != nil {
		return Value{}, err
	}
	p.skipSpace()
	if p.pos != len(p.src) {
		return Value{}, p.errorf("unexpected %q after the value", p.rest())
	}
	return v, nil
}

// ParseCall parses a call expression such as `f(1, "x")`, as wasmtime's
// --invoke takes it. lookup returns the function a name refers to, whose
// parameter types guide the parsing of the arguments.
func (a *ABI) ParseCall(text string, lookup func(name string) (*wit.Function, error)) (*wit.Function, []Value, error) {
	p := &waveParser{src: text}
	p.skipSpace()
	start := p.pos
	for p.pos < len(p.src) && p.src[p.pos] != '(' && !isSpace(p.src[p.pos]) {
		p.pos++
	}
	name := p.src[start:p.pos]
	if name == "" {
		return nil, nil, p.errorf("expected a function name")
	}
	f, err := lookup(strings.TrimPrefix(name, "%"))
	if err != nil {
		return nil, nil, err
	}
	if err := p.expect('('); err != nil {
		return nil, nil, err
	}
	args := make([]Value, 0, len(f.Params))
	for i, param := range f.Params {
		if i > 0 {
			if err := p.expect(','); err != nil {
				return nil, nil, err
			}
		}
		sh, err := a.shape(param.Type)
		if err != nil {
			return nil, nil, err
		}
		v, err := p.value(sh, 0)
		if err != nil {
			return nil, nil, fmt.Errorf("argument %s: %w", param.Name, err)
		}
		args = append(args, v)
	}
	p.skipSpace()
	if len(args) > 0 && p.peek() == ',' {
		p.pos++
	}
	if err := p.expect(')'); err != nil {
		return nil, nil, err
	}
	p.skipSpace()
	if p.pos != len(p.src) {
		return nil, nil, p.errorf("unexpected %q after the call", p.rest())
	}
	return f, args, nil
}

// maxWaveDepth bounds nesting so hostile input cannot exhaust the stack.
const maxWaveDepth = 200

type waveParser struct {
	src string
	pos int
}

// WAVEError is a syntax or type error at a byte offset of the text.
type WAVEError struct {
	Offset int
	Msg    string
}

func (e *WAVEError) Error() string { return fmt.Sprintf("wave: offset %d: %s", e.Offset, e.Msg) }

func (p *waveParser) errorf(format string, args ...any) error {
	return &WAVEError{Offset: p.pos, Msg: fmt.Sprintf(format, args...)}
}

func (p *waveParser) rest() string {
	r := p.src[p.pos:]
	if len(r) > 20 {
		r = r[:20] + "..."
	}
	return r
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (p *waveParser) skipSpace() {
	for p.pos < len(p.src) {
		switch {
		case isSpace(p.src[p.pos]):
			p.pos++
		case strings.HasPrefix(p.src[p.pos:], "//"):
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

func (p *waveParser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

// accept consumes c (after whitespace) if it is next.
func (p *waveParser) accept(c byte) bool {
	p.skipSpace()
	if p.peek() == c {
		p.pos++
		return true
	}
	return false
}

func (p *waveParser) expect(c byte) error {
	if !p.accept(c) {
		if p.pos >= len(p.src) {
			return p.errorf("expected %q, found the end", c)
		}
		return p.errorf("expected %q, found %q", c, p.rest())
	}
	return nil
}

func isLabelByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

// word reads a label or keyword; escaped reports a leading %.
func (p *waveParser) word() (w string, escaped bool) {
	p.skipSpace()
	start := p.pos
	if p.peek() == '%' {
		p.pos++
		escaped = true
	}
	s := p.pos
	for p.pos < len(p.src) && isLabelByte(p.src[p.pos]) {
		p.pos++
	}
	if p.pos == s {
		p.pos = start
		return "", false
	}
	return p.src[s:p.pos], escaped
}

// peekWord returns the next unescaped word without consuming it.
func (p *waveParser) peekWord() string {
	save := p.pos
	w, esc := p.word()
	p.pos = save
	if esc {
		return ""
	}
	return w
}

func (p *waveParser) value(sh *shape, depth int) (Value, error) {
	if depth > maxWaveDepth {
		return Value{}, p.errorf("nested too deeply")
	}
	p.skipSpace()
	switch sh.kind {
	case KindBool:
		switch w, esc := p.word(); {
		case w == "true" && !esc:
			return BoolValue(true), nil
		case w == "false" && !esc:
			return BoolValue(false), nil
		}
		return Value{}, p.errorf("expected true or false")
	case KindU8, KindU16, KindU32, KindU64:
		tok := p.number()
		n, err := strconv.ParseUint(tok, 10, int(sh.size*8))
		if err != nil {
			return Value{}, p.errorf("%q is not a %s", tok, sh.kind)
		}
		return Value{kind: sh.kind, bits: n}, nil
	case KindS8, KindS16, KindS32, KindS64:
		tok := p.number()
		n, err := strconv.ParseInt(tok, 10, int(sh.size*8))
		if err != nil {
			return Value{}, p.errorf("%q is not a %s", tok, sh.kind)
		}
		return Value{kind: sh.kind, bits: uint64(n)}, nil
	case KindF32, KindF64:
		return p.float(sh)
	case KindChar:
		s, err := p.quoted('\'')
		if err != nil {
			return Value{}, err
		}
		r, n := utf8.DecodeRuneInString(s)
		if n == 0 || n != len(s) {
			return Value{}, p.errorf("a char literal holds exactly one character")
		}
		return CharValue(r), nil
	case KindString:
		s, err := p.quoted('"')
		if err != nil {
			return Value{}, err
		}
		return StringValue(s), nil
	case KindList, KindFixedList, KindMap:
		return p.list(sh, depth)
	case KindTuple:
		return p.tuple(sh, depth)
	case KindRecord:
		return p.record(sh, depth)
	case KindVariant, KindEnum, KindOption, KindResult:
		return p.variant(sh, depth)
	case KindFlags:
		return p.flags(sh)
	}
	return Value{}, p.errorf("%s values have no WAVE form", sh.kind)
}

func (p *waveParser) number() string {
	start := p.pos
	if p.peek() == '-' || p.peek() == '+' {
		p.pos++
	}
	for p.pos < len(p.src) && (isLabelByte(p.src[p.pos]) || p.src[p.pos] == '.' ||
		(p.src[p.pos] == '+' || p.src[p.pos] == '-') && (p.src[p.pos-1] == 'e' || p.src[p.pos-1] == 'E')) {
		if p.src[p.pos] == '-' && p.src[p.pos-1] != 'e' && p.src[p.pos-1] != 'E' {
			break
		}
		p.pos++
	}
	return p.src[start:p.pos]
}

func (p *waveParser) float(sh *shape) (Value, error) {
	tok := p.number()
	var f float64
	switch tok {
	case "nan":
		f = math.NaN()
	case "inf":
		f = math.Inf(1)
	case "-inf":
		f = math.Inf(-1)
	default:
		// Only decimal notation: no hex floats, no "Infinity".
		for _, c := range tok {
			if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+') {
				return Value{}, p.errorf("%q is not a %s", tok, sh.kind)
			}
		}
		var err error
		f, err = strconv.ParseFloat(tok, int(sh.size*8))
		if err != nil || tok == "" {
			return Value{}, p.errorf("%q is not a %s", tok, sh.kind)
		}
	}
	if sh.kind == KindF32 {
		return F32Value(float32(f)), nil
	}
	return F64Value(f), nil
}

// quoted reads a char or string literal with WAVE escapes.
func (p *waveParser) quoted(q byte) (string, error) {
	if p.peek() != q {
		return "", p.errorf("expected a %c-quoted literal", q)
	}
	p.pos++
	var sb strings.Builder
	for {
		if p.pos >= len(p.src) {
			return "", p.errorf("unterminated literal")
		}
		c := p.src[p.pos]
		switch {
		case c == q:
			p.pos++
			return sb.String(), nil
		case c == '\n' || c == '\r':
			return "", p.errorf("line break in a literal")
		case c != '\\':
			r, n := utf8.DecodeRuneInString(p.src[p.pos:])
			if r == utf8.RuneError && n <= 1 {
				return "", p.errorf("invalid UTF-8")
			}
			sb.WriteString(p.src[p.pos : p.pos+n])
			p.pos += n
			continue
		}
		p.pos++
		if p.pos >= len(p.src) {
			return "", p.errorf("unterminated escape")
		}
		e := p.src[p.pos]
		p.pos++
		switch e {
		case '\\', '\'', '"':
			sb.WriteByte(e)
		case 't':
			sb.WriteByte('\t')
		case 'n':
			sb.WriteByte('\n')
		case 'r':
			sb.WriteByte('\r')
		case 'u':
			end := strings.IndexByte(p.src[p.pos:], '}')
			if p.peek() != '{' || end < 2 || end > 7 {
				return "", p.errorf(`expected \u{hex}`)
			}
			n, err := strconv.ParseUint(p.src[p.pos+1:p.pos+end], 16, 32)
			if err != nil || !validChar(uint32(n)) {
				return "", p.errorf("invalid Unicode scalar value in escape")
			}
			sb.WriteRune(rune(n))
			p.pos += end + 1
		default:
			return "", p.errorf("unknown escape \\%c", e)
		}
	}
}

// elems parses comma-separated values up to close, allowing a trailing comma.
func (p *waveParser) elems(close byte, each func(i int) error) error {
	for i := 0; ; i++ {
		if p.accept(close) {
			return nil
		}
		if err := each(i); err != nil {
			return err
		}
		if !p.accept(',') {
			return p.expect(close)
		}
	}
}

func (p *waveParser) list(sh *shape, depth int) (Value, error) {
	if err := p.expect('['); err != nil {
		return Value{}, err
	}
	el := sh.elem
	var out []Value
	err := p.elems(']', func(int) error {
		v, err := p.value(el, depth+1)
		out = append(out, v)
		return err
	})
	if err != nil {
		return Value{}, err
	}
	if sh.kind == KindFixedList && uint32(len(out)) != sh.length {
		return Value{}, p.errorf("fixed-size list of %d elements given %d", sh.length, len(out))
	}
	if out == nil {
		out = []Value{}
	}
	return Value{kind: sh.kind, elems: out}, nil
}

func (p *waveParser) tuple(sh *shape, depth int) (Value, error) {
	if err := p.expect('('); err != nil {
		return Value{}, err
	}
	out := make([]Value, 0, len(sh.fields))
	err := p.elems(')', func(i int) error {
		if i >= len(sh.fields) {
			return p.errorf("tuple has only %d elements", len(sh.fields))
		}
		v, err := p.value(sh.fields[i], depth+1)
		out = append(out, v)
		return err
	})
	if err != nil {
		return Value{}, err
	}
	if len(out) != len(sh.fields) {
		return Value{}, p.errorf("tuple of %d elements given %d", len(sh.fields), len(out))
	}
	return Value{kind: KindTuple, elems: out}, nil
}

func (p *waveParser) record(sh *shape, depth int) (Value, error) {
	if err := p.expect('{'); err != nil {
		return Value{}, err
	}
	out := make([]Value, len(sh.fields))
	seen := make([]bool, len(sh.fields))
	if p.accept(':') {
		if err := p.expect('}'); err != nil {
			return Value{}, err
		}
	} else {
		err := p.elems('}', func(int) error {
			name, _ := p.word()
			i := indexOf(sh.labels, name)
			if i < 0 {
				return p.errorf("unknown field %q", name)
			}
			if seen[i] {
				return p.errorf("duplicate field %q", name)
			}
			if err := p.expect(':'); err != nil {
				return err
			}
			v, err := p.value(sh.fields[i], depth+1)
			out[i], seen[i] = v, true
			return err
		})
		if err != nil {
			return Value{}, err
		}
	}
	for i, ok := range seen {
		if ok {
			continue
		}
		if sh.fields[i].kind != KindOption {
			return Value{}, p.errorf("missing field %q", sh.labels[i])
		}
		out[i] = NoneValue()
	}
	return Value{kind: KindRecord, elems: out}, nil
}

func indexOf(labels []string, name string) int {
	for i, l := range labels {
		if l == name {
			return i
		}
	}
	return -1
}

func (p *waveParser) variant(sh *shape, depth int) (Value, error) {
	w := p.peekWord()
	explicit := true
	switch sh.kind {
	case KindOption:
		explicit = w == "some" || w == "none"
	case KindResult:
		explicit = w == "ok" || w == "err" || sh.fields[0] == nil
	}
	if !explicit {
		// Flat some / flat ok: the bare payload of case 1 / case 0.
		c := 1
		if sh.kind == KindResult {
			c = 0
		}
		v, err := p.value(sh.fields[c], depth+1)
		if err != nil {
			return Value{}, err
		}
		return Value{kind: sh.kind, bits: uint64(c), elems: []Value{v}}, nil
	}
	name, escaped := p.word()
	if name == "" {
		return Value{}, p.errorf("expected a case name, found %q", p.rest())
	}
	if waveKeywords[name] && !escaped && sh.kind != KindOption && sh.kind != KindResult {
		return Value{}, p.errorf("case %q is a keyword and needs a %% prefix", name)
	}
	c := indexOf(sh.labels, name)
	if c < 0 {
		return Value{}, p.errorf("unknown case %q", name)
	}
	v := Value{kind: sh.kind, bits: uint64(c)}
	payload := sh.fields[c]
	if p.accept('(') {
		if payload == nil {
			return Value{}, p.errorf("case %q has no payload", name)
		}
		pv, err := p.value(payload, depth+1)
		if err != nil {
			return Value{}, err
		}
		v.elems = []Value{pv}
		return v, p.expect(')')
	}
	if payload != nil {
		return Value{}, p.errorf("case %q needs a payload", name)
	}
	return v, nil
}

func (p *waveParser) flags(sh *shape) (Value, error) {
	if err := p.expect('{'); err != nil {
		return Value{}, err
	}
	var bits uint32
	err := p.elems('}', func(int) error {
		name, _ := p.word()
		i := indexOf(sh.labels, name)
		if i < 0 {
			return p.errorf("unknown flag %q", name)
		}
		if bits&(1<<i) != 0 {
			return p.errorf("duplicate flag %q", name)
		}
		bits |= 1 << i
		return nil
	})
	return FlagsValue(bits), err
}
