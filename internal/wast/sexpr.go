package wast

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// nodeKind tells the three kinds of s-expression node apart.
type nodeKind uint8

const (
	nodeList   nodeKind = iota // ( ... )
	nodeAtom                   // keyword, $id, number
	nodeString                 // "..." (Text holds the decoded bytes)
)

// node is one s-expression with its place in the source, so that a
// component's text can be sliced out verbatim.
type node struct {
	kind       nodeKind
	text       string // atom text, or decoded string bytes
	kids       []*node
	start, end int // byte offsets of the node in the source: src[start:end]
	line       int
}

// maxDepth bounds nesting: deeper input is refused rather than risking
// a runaway recursion in later passes.
const maxDepth = 4096

// SyntaxError is a script the reader cannot split into s-expressions or
// commands.
type SyntaxError struct {
	File string
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// reader turns source text into top-level s-expressions.
type reader struct {
	src  string
	pos  int
	line int
}

func (r *reader) errorf(line int, format string, args ...any) error {
	return syntaxErrorf(line, format, args...)
}

func syntaxErrorf(line int, format string, args ...any) error {
	return &SyntaxError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// readAll returns the top-level nodes of src.
func readAll(src string) ([]*node, error) {
	r := &reader{src: src, line: 1}
	var top []*node
	var stack []*node // open lists
	for {
		if err := r.skipSpace(); err != nil {
			return nil, err
		}
		if r.pos >= len(r.src) {
			if len(stack) > 0 {
				return nil, r.errorf(stack[len(stack)-1].line, "unclosed '('")
			}
			return top, nil
		}
		c := r.src[r.pos]
		switch {
		case c == '(':
			if len(stack) >= maxDepth {
				return nil, r.errorf(r.line, "nesting deeper than %d", maxDepth)
			}
			stack = append(stack, &node{kind: nodeList, start: r.pos, line: r.line})
			r.pos++
			continue
		case c == ')':
			if len(stack) == 0 {
				return nil, r.errorf(r.line, "unexpected ')'")
			}
			r.pos++
			n := stack[len(stack)-1]
			n.end = r.pos
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				top = append(top, n)
			} else {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			}
			continue
		}
		n, err := r.token()
		if err != nil {
			return nil, err
		}
		if len(stack) == 0 {
			return nil, r.errorf(n.line, "unexpected %q outside of any form", r.src[n.start:n.end])
		}
		p := stack[len(stack)-1]
		p.kids = append(p.kids, n)
	}
}

// skipSpace skips white space and both kinds of comment.
func (r *reader) skipSpace() error {
	for r.pos < len(r.src) {
		c := r.src[r.pos]
		switch {
		case c == '\n':
			r.line++
			r.pos++
		case c == ' ' || c == '\t' || c == '\r':
			r.pos++
		case strings.HasPrefix(r.src[r.pos:], ";;"):
			i := strings.IndexByte(r.src[r.pos:], '\n')
			if i < 0 {
				r.pos = len(r.src)
			} else {
				r.pos += i
			}
		case strings.HasPrefix(r.src[r.pos:], "(;"):
			if err := r.blockComment(); err != nil {
				return err
			}
		default:
			return nil
		}
	}
	return nil
}

// blockComment skips a (; ... ;) comment, which nests.
func (r *reader) blockComment() error {
	line := r.line
	depth := 0
	for r.pos < len(r.src) {
		switch {
		case strings.HasPrefix(r.src[r.pos:], "(;"):
			depth++
			r.pos += 2
		case strings.HasPrefix(r.src[r.pos:], ";)"):
			depth--
			r.pos += 2
			if depth == 0 {
				return nil
			}
		default:
			if r.src[r.pos] == '\n' {
				r.line++
			}
			r.pos++
		}
	}
	return r.errorf(line, "unclosed block comment")
}

// token reads an atom or a string at r.pos.
func (r *reader) token() (*node, error) {
	start, line := r.pos, r.line
	if r.src[r.pos] == '"' {
		s, err := r.stringLit()
		if err != nil {
			return nil, err
		}
		return &node{kind: nodeString, text: s, start: start, end: r.pos, line: line}, nil
	}
	for r.pos < len(r.src) {
		c := r.src[r.pos]
		if c == '"' && r.pos > start && r.src[r.pos-1] == '$' {
			// $"quoted id": the string is part of the atom.
			if _, err := r.stringLit(); err != nil {
				return nil, err
			}
			continue
		}
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' || c == '"' || c == ';' {
			break
		}
		r.pos++
	}
	if r.pos == start {
		return nil, r.errorf(line, "unexpected %q", r.src[start:start+1])
	}
	return &node{kind: nodeAtom, text: r.src[start:r.pos], start: start, end: r.pos, line: line}, nil
}

// stringLit reads a "..." literal at r.pos and returns its decoded bytes
// (the text format's escapes: \t \n \r \" \' \\ \hh \u{h+}).
func (r *reader) stringLit() (string, error) {
	line := r.line
	r.pos++ // opening quote
	var sb strings.Builder
	for r.pos < len(r.src) {
		c := r.src[r.pos]
		switch {
		case c == '"':
			r.pos++
			return sb.String(), nil
		case c == '\n':
			return "", r.errorf(line, "newline in string literal")
		case c < 0x20 || c == 0x7f:
			return "", r.errorf(line, "control character %#x in string literal", c)
		case c != '\\':
			sb.WriteByte(c)
			r.pos++
			continue
		}
		if r.pos+1 >= len(r.src) {
			break
		}
		e := r.src[r.pos+1]
		r.pos += 2
		switch e {
		case 't':
			sb.WriteByte('\t')
		case 'n':
			sb.WriteByte('\n')
		case 'r':
			sb.WriteByte('\r')
		case '"', '\'', '\\':
			sb.WriteByte(e)
		case 'u':
			end := strings.IndexByte(r.src[r.pos:], '}')
			if !strings.HasPrefix(r.src[r.pos:], "{") || end < 2 {
				return "", r.errorf(line, `bad \u escape in string literal`)
			}
			v, err := strconv.ParseUint(strings.ReplaceAll(r.src[r.pos+1:r.pos+end], "_", ""), 16, 32)
			if err != nil || v > utf8.MaxRune || (v >= 0xd800 && v < 0xe000) {
				return "", r.errorf(line, `bad \u escape %q in string literal`, r.src[r.pos-2:r.pos+end+1])
			}
			sb.WriteRune(rune(v))
			r.pos += end + 1
		default:
			if r.pos >= len(r.src) {
				return "", r.errorf(line, "unclosed string literal")
			}
			v, err := strconv.ParseUint(r.src[r.pos-1:r.pos+1], 16, 8)
			if err != nil {
				return "", r.errorf(line, `bad escape \%s in string literal`, r.src[r.pos-1:r.pos+1])
			}
			sb.WriteByte(byte(v))
			r.pos++
		}
	}
	return "", r.errorf(line, "unclosed string literal")
}

// head returns the keyword a list starts with, or "".
func (n *node) head() string {
	if n.kind != nodeList || len(n.kids) == 0 || n.kids[0].kind != nodeAtom {
		return ""
	}
	return n.kids[0].text
}

// isAtom reports whether n is the atom text.
func (n *node) isAtom(text string) bool { return n.kind == nodeAtom && n.text == text }

// isID reports whether n is a $identifier.
func (n *node) isID() bool { return n.kind == nodeAtom && strings.HasPrefix(n.text, "$") }
