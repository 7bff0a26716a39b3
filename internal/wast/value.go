package wast

import (
	"strings"
	"unicode/utf8"
)

// ValueKind is the type word of a value: "bool", "u8" ... "s64", "f32",
// "f64", "char", "string", "list", "record", "tuple", "variant", "enum",
// "option", "result", "flags".
type ValueKind string

// Value is an argument or expected result of a script.
type Value struct {
	Kind ValueKind
	Line int
	// Bits holds bool (0, 1), integers (two's complement, in the type's
	// width), float bits, and a char's code point.
	Bits uint64
	// NaN is "canonical" or "arithmetic" for a float pattern that any
	// such NaN matches (then Bits is the canonical NaN).
	NaN string
	// Str is a string's bytes, a variant's case, an enum's case, or a
	// result's "ok" or "err".
	Str string
	// Elems are a list's, tuple's or record's elements, or the payload of
	// a variant, option (some) or result: none or one.
	Elems []Value
	// Names are a record's field names (one per element) or the flags set.
	Names []string
}

// maxValueDepth bounds the nesting of values.
const maxValueDepth = 256

var intWidths = map[string]struct {
	bits   int
	signed bool
}{
	"u8": {8, false}, "u16": {16, false}, "u32": {32, false}, "u64": {64, false},
	"s8": {8, true}, "s16": {16, true}, "s32": {32, true}, "s64": {64, true},
}

// parseValue reads a parenthesised value such as (u32.const 42).
func parseValue(n *node, depth int) (Value, error) {
	if n.kind != nodeList || n.head() == "" {
		return Value{}, syntaxErrorf(n.line, "expected a value such as (u32.const 1)")
	}
	return parseValueBody(n, n.kids, depth)
}

// parseValueBody reads a value from its words: the head (`u32.const`)
// and what follows. at is the node for error lines.
func parseValueBody(at *node, words []*node, depth int) (Value, error) {
	if depth > maxValueDepth {
		return Value{}, syntaxErrorf(at.line, "values nested too deeply")
	}
	if len(words) == 0 || words[0].kind != nodeAtom {
		return Value{}, syntaxErrorf(at.line, "expected a value")
	}
	head, args := words[0].text, words[1:]
	v := Value{Line: at.line}
	bad := func(why string) (Value, error) {
		return Value{}, syntaxErrorf(at.line, "%s: %s", head, why)
	}
	oneAtom := func() (string, bool) {
		if len(args) != 1 || args[0].kind != nodeAtom {
			return "", false
		}
		return args[0].text, true
	}
	oneString := func() (string, bool) {
		if len(args) != 1 || args[0].kind != nodeString {
			return "", false
		}
		return args[0].text, true
	}
	kind, op, _ := strings.Cut(head, ".")
	v.Kind = ValueKind(kind)
	if w, ok := intWidths[kind]; ok && op == "const" {
		tok, ok := oneAtom()
		if !ok {
			return bad("expected one number")
		}
		if v.Bits, ok = parseInt(tok, w.bits, w.signed); !ok {
			return bad("bad number " + tok)
		}
		return v, nil
	}
	switch head {
	case "bool.const":
		switch tok, _ := oneAtom(); tok {
		case "true":
			v.Bits = 1
		case "false":
		default:
			return bad("expected true or false")
		}
	case "f32.const", "f64.const":
		tok, ok := oneAtom()
		width := 32
		if kind == "f64" {
			width = 64
		}
		if ok {
			v.Bits, v.NaN, ok = parseFloat(tok, width)
		}
		if !ok {
			return bad("expected one float")
		}
	case "char.const":
		s, ok := oneString()
		r, size := utf8.DecodeRuneInString(s)
		if !ok || size != len(s) || r == utf8.RuneError && size <= 1 {
			return bad("expected a string of one character")
		}
		v.Bits = uint64(r)
	case "str.const":
		s, ok := oneString()
		if !ok {
			return bad("expected one string")
		}
		v.Kind, v.Str = "string", s
	case "list.const", "tuple.const":
		for _, a := range args {
			e, err := parseValue(a, depth+1)
			if err != nil {
				return Value{}, err
			}
			v.Elems = append(v.Elems, e)
		}
	case "record.const":
		for _, a := range args {
			// (field "name" u32.const 1), the value's words inline; a
			// parenthesised value is accepted too.
			if a.head() != "field" || len(a.kids) < 3 || a.kids[1].kind != nodeString {
				return bad(`expected (field "name" value)`)
			}
			var e Value
			var err error
			if len(a.kids) == 3 && a.kids[2].kind == nodeList {
				e, err = parseValue(a.kids[2], depth+1)
			} else {
				e, err = parseValueBody(a, a.kids[2:], depth+1)
			}
			if err != nil {
				return Value{}, err
			}
			v.Names = append(v.Names, a.kids[1].text)
			v.Elems = append(v.Elems, e)
		}
	case "variant.const":
		if len(args) == 0 || len(args) > 2 || args[0].kind != nodeString {
			return bad(`expected "case" and an optional payload`)
		}
		v.Str = args[0].text
		if len(args) == 2 {
			e, err := parseValue(args[1], depth+1)
			if err != nil {
				return Value{}, err
			}
			v.Elems = []Value{e}
		}
	case "enum.const":
		s, ok := oneString()
		if !ok {
			return bad(`expected one "case"`)
		}
		v.Str = s
	case "flags.const":
		v.Names = []string{}
		for _, a := range args {
			if a.kind != nodeString {
				return bad("expected flag names as strings")
			}
			v.Names = append(v.Names, a.text)
		}
	case "option.none", "option.some", "result.ok", "result.err":
		v.Str = op
		if head == "option.none" && len(args) != 0 || head == "option.some" && len(args) != 1 || len(args) > 1 {
			return bad("wrong number of payloads")
		}
		if len(args) == 1 {
			e, err := parseValue(args[0], depth+1)
			if err != nil {
				return Value{}, err
			}
			v.Elems = []Value{e}
		}
	default:
		return Value{}, syntaxErrorf(at.line, "unknown value %q", head)
	}
	return v, nil
}
