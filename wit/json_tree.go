package wit

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonValue is a parsed JSON value that, unlike map[string]any, keeps the
// order of object members: the order of a Resolve's maps is meaningful.
type jsonValue struct {
	kind   jsonKind
	text   string // string contents, or a number's or literal's text
	items  []*jsonValue
	fields []jsonField
}

type jsonField struct {
	key string
	val *jsonValue
}

type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

func (k jsonKind) String() string {
	return [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}[k]
}

// jsonMaxDepth bounds nesting; the Resolve format needs about ten levels.
const jsonMaxDepth = 512

// parseJSONTree reads exactly one JSON value (RFC 8259; strings must be
// valid UTF-8) from b. It is a small scanner of its own because
// encoding/json's token API, the only ordered one, was the decoder's whole
// cost.
func parseJSONTree(b []byte) (*jsonValue, error) {
	s := jsonScanner{b: b}
	v, err := s.value(0)
	if err != nil {
		return nil, err
	}
	s.space()
	if s.i != len(s.b) {
		return nil, s.errorf("unexpected data after the top-level value")
	}
	return v, nil
}

type jsonScanner struct {
	b    []byte
	i    int
	slab []jsonValue // values are carved from here, a block at a time
}

func (s *jsonScanner) errorf(format string, args ...any) error {
	return fmt.Errorf("offset %d: %s", s.i, fmt.Sprintf(format, args...))
}

// endOr reports running out of input as such, and anything else as msg.
func (s *jsonScanner) endOr(msg string) error {
	if s.i >= len(s.b) {
		return errors.New("unexpected end of JSON input")
	}
	return s.errorf("%s", msg)
}

func (s *jsonScanner) newValue(k jsonKind) *jsonValue {
	if len(s.slab) == 0 {
		s.slab = make([]jsonValue, 64)
	}
	v := &s.slab[0]
	s.slab = s.slab[1:]
	v.kind = k
	return v
}

func (s *jsonScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *jsonScanner) value(depth int) (*jsonValue, error) {
	if depth > jsonMaxDepth {
		return nil, s.errorf("nesting deeper than %d", jsonMaxDepth)
	}
	s.space()
	if s.i >= len(s.b) {
		return nil, errors.New("unexpected end of JSON input")
	}
	switch c := s.b[s.i]; {
	case c == '{':
		return s.object(depth)
	case c == '[':
		return s.array(depth)
	case c == '"':
		str, err := s.str()
		if err != nil {
			return nil, err
		}
		v := s.newValue(jsonString)
		v.text = str
		return v, nil
	case c == '-' || c >= '0' && c <= '9':
		return s.number()
	}
	for _, lit := range [...]struct {
		word string
		kind jsonKind
	}{{"null", jsonNull}, {"true", jsonBool}, {"false", jsonBool}} {
		if len(s.b)-s.i >= len(lit.word) && string(s.b[s.i:s.i+len(lit.word)]) == lit.word {
			s.i += len(lit.word)
			v := s.newValue(lit.kind)
			v.text = lit.word
			return v, nil
		}
	}
	return nil, s.errorf("invalid character %q looking for a value", s.b[s.i])
}

// next skips space and consumes c if it comes next.
func (s *jsonScanner) next(c byte) bool {
	s.space()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

func (s *jsonScanner) array(depth int) (*jsonValue, error) {
	s.i++ // '['
	v := s.newValue(jsonArray)
	if s.next(']') {
		return v, nil
	}
	for {
		item, err := s.value(depth + 1)
		if err != nil {
			return nil, err
		}
		v.items = append(v.items, item)
		if s.next(']') {
			return v, nil
		}
		if !s.next(',') {
			return nil, s.endOr("expected ',' or ']' in array")
		}
	}
}

func (s *jsonScanner) object(depth int) (*jsonValue, error) {
	s.i++ // '{'
	v := s.newValue(jsonObject)
	if s.next('}') {
		return v, nil
	}
	var seen map[string]bool // only built for large objects
	for {
		s.space()
		if s.i >= len(s.b) {
			return nil, errors.New("unexpected end of JSON input in an object")
		}
		if s.b[s.i] != '"' {
			return nil, s.errorf("expected a string key in object")
		}
		key, err := s.str()
		if err != nil {
			return nil, err
		}
		if v.hasKey(key, &seen) {
			return nil, s.errorf("duplicate key %q", key)
		}
		if !s.next(':') {
			return nil, s.endOr("expected ':' after object key")
		}
		val, err := s.value(depth + 1)
		if err != nil {
			return nil, err
		}
		v.fields = append(v.fields, jsonField{key, val})
		if s.next('}') {
			return v, nil
		}
		if !s.next(',') {
			return nil, s.endOr("expected ',' or '}' in object")
		}
	}
}

// number checks the JSON number grammar and keeps the literal text.
func (s *jsonScanner) number() (*jsonValue, error) {
	start := s.i
	digits := func() int {
		n := 0
		for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
			s.i++
			n++
		}
		return n
	}
	if s.b[s.i] == '-' {
		s.i++
	}
	intStart := s.i
	if digits() == 0 || s.b[intStart] == '0' && s.i-intStart > 1 {
		return nil, s.errorf("invalid number")
	}
	if s.i < len(s.b) && s.b[s.i] == '.' {
		s.i++
		if digits() == 0 {
			return nil, s.errorf("invalid number")
		}
	}
	if s.i < len(s.b) && (s.b[s.i] == 'e' || s.b[s.i] == 'E') {
		s.i++
		if s.i < len(s.b) && (s.b[s.i] == '+' || s.b[s.i] == '-') {
			s.i++
		}
		if digits() == 0 {
			return nil, s.errorf("invalid number")
		}
	}
	v := s.newValue(jsonNumber)
	v.text = string(s.b[start:s.i])
	return v, nil
}

// str reads a string literal; s.b[s.i] is its opening quote.
func (s *jsonScanner) str() (string, error) {
	s.i++
	start := s.i
	// Fast path: no escapes, so the contents are the bytes as they are.
	for s.i < len(s.b) {
		c := s.b[s.i]
		if c == '"' {
			raw := s.b[start:s.i]
			s.i++
			if !utf8.Valid(raw) {
				return "", s.errorf("invalid UTF-8 in string")
			}
			return string(raw), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		s.i++
	}
	out := append([]byte(nil), s.b[start:s.i]...)
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			if !utf8.Valid(out) {
				return "", s.errorf("invalid UTF-8 in string")
			}
			return string(out), nil
		case c < 0x20:
			return "", s.errorf("control character %#x in string", c)
		case c != '\\':
			out = append(out, c)
			s.i++
			continue
		}
		if s.i+1 >= len(s.b) {
			break
		}
		esc := s.b[s.i+1]
		s.i += 2
		switch esc {
		case '"', '\\', '/':
			out = append(out, esc)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, err := s.hex4()
			if err != nil {
				return "", err
			}
			if utf16.IsSurrogate(r) {
				// A high surrogate needs its low half; anything else is a
				// lone surrogate, which Rust strings cannot hold.
				r2 := rune(-1)
				if s.i+1 < len(s.b) && s.b[s.i] == '\\' && s.b[s.i+1] == 'u' {
					s.i += 2
					if r2, err = s.hex4(); err != nil {
						return "", err
					}
				}
				if r = utf16.DecodeRune(r, r2); r == utf8.RuneError {
					return "", s.errorf("invalid surrogate pair in string")
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return "", s.errorf("invalid escape \\%c in string", esc)
		}
	}
	return "", errors.New("unexpected end of JSON input in a string")
}

func (s *jsonScanner) hex4() (rune, error) {
	if len(s.b)-s.i < 4 {
		return 0, s.errorf("short \\u escape")
	}
	n, err := strconv.ParseUint(string(s.b[s.i:s.i+4]), 16, 32)
	if err != nil {
		return 0, s.errorf("invalid \\u escape")
	}
	s.i += 4
	return rune(n), nil
}

// hasKey reports whether the object already has key, switching from a scan
// to a set once it grows, so hostile input stays linear.
func (v *jsonValue) hasKey(key string, seen *map[string]bool) bool {
	const scanLimit = 16
	if len(v.fields) < scanLimit {
		for _, f := range v.fields {
			if f.key == key {
				return true
			}
		}
		return false
	}
	if *seen == nil {
		*seen = make(map[string]bool, 2*len(v.fields))
		for _, f := range v.fields {
			(*seen)[f.key] = true
		}
	}
	if (*seen)[key] {
		return true
	}
	(*seen)[key] = true
	return false
}
