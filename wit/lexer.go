package wit

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// Token kinds produced by the WIT lexer. Comments are not tokens: the lexer
// keeps them aside so that the parser can attach them to items as docs.
const (
	tokEOF = lexer.EOF - iota
	tokIdent
	tokKeyword
	tokInteger
	tokVersion
	tokString
	tokPunct
)

var tokenNames = map[lexer.TokenType]string{
	tokEOF: "EOF", tokIdent: "Ident", tokKeyword: "Keyword", tokInteger: "Integer",
	tokVersion: "Version", tokString: "String", tokPunct: "Punct",
}

// keywords are the reserved words of WIT (WIT.md "Keywords"), plus
// `error-context`, which the reference parser also reserves.
var keywords = map[string]bool{}

func init() {
	for _, k := range []string{
		"as", "async", "bool", "borrow", "char", "constructor", "enum", "export",
		"f32", "f64", "flags", "from", "func", "future", "import", "include",
		"interface", "list", "map", "option", "own", "package", "record", "resource",
		"result", "s16", "s32", "s64", "s8", "static", "stream", "string", "tuple",
		"type", "u16", "u32", "u64", "u8", "use", "variant", "with", "world",
		"error-context",
	} {
		keywords[k] = true
	}
}

// comment is a `//` or `/* */` comment, kept for docs.
type comment struct {
	text string
	pos  lexer.Position
}

// lexed is the result of lexing one file: the tokens (ending in EOF) and,
// for each token, the comments between it and the token before.
type lexed struct {
	tokens   []lexer.Token
	comments [][]comment // parallel to tokens; nil for most
}

// maxNesting bounds `<`, `(` and `{` nesting. The reference parser allows 100
// levels of type and package nesting; the limit also keeps the recursive
// grammar from exhausting the stack on hostile input.
const maxNesting = 100

// lexWIT splits src into tokens. It rejects what WIT.md forbids in a file
// (invalid UTF-8, bidi overrides, control codes other than \t \n \r).
func lexWIT(filename string, src []byte) (*lexed, error) {
	l := &lexState{file: filename, src: src, text: string(src), line: 1, col: 1}
	out := &lexed{tokens: make([]lexer.Token, 0, len(src)/32+16)}
	var pending []comment
	for {
		if err := l.skipSpace(&pending); err != nil {
			return nil, err
		}
		pos := l.pos()
		if l.off >= len(src) {
			out.tokens = append(out.tokens, lexer.Token{Type: tokEOF, Pos: pos})
			out.comments = append(out.comments, pending)
			break
		}
		typ, val, err := l.next()
		if err != nil {
			return nil, err
		}
		out.tokens = append(out.tokens, lexer.Token{Type: typ, Value: val, Pos: pos})
		out.comments = append(out.comments, pending)
		pending = nil
	}
	// Most tokens have no comments; trim the parallel slice's footprint only
	// by keeping it as is (nil entries cost one word each).
	return out, nil
}

type lexState struct {
	file      string
	src       []byte
	text      string // src as one string: token values are slices of it
	off       int
	line, col int
}

func (l *lexState) pos() lexer.Position {
	return lexer.Position{Filename: l.file, Offset: l.off, Line: l.line, Column: l.col}
}

func (l *lexState) errorf(pos lexer.Position, format string, args ...any) error {
	return &Error{Diags: []Diagnostic{{Pos: posOf(pos), Message: fmt.Sprintf(format, args...)}}}
}

// advance moves over n bytes that contain no newline.
func (l *lexState) advance(n int) {
	l.off += n
	l.col += n
}

// checkChar validates one code point of the file.
func (l *lexState) checkChar(r rune, size int) error {
	switch {
	case r == utf8.RuneError && size <= 1:
		return l.errorf(l.pos(), "invalid UTF-8 in source")
	case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0x7f:
		return l.errorf(l.pos(), "control character %U is not allowed", r)
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return l.errorf(l.pos(), "bidirectional override %U is not allowed", r)
	case r == 0x149, r == 0x673, r == 0xf77, r == 0xf79, r == 0x17a3, r == 0x17a4,
		r >= 0x206a && r <= 0x206f, r == 0x2329, r == 0x232a, r >= 0xe0001 && r <= 0xe007f:
		return l.errorf(l.pos(), "deprecated code point %U is not allowed", r)
	}
	return nil
}

// skipSpace skips whitespace and comments, collecting the comments.
func (l *lexState) skipSpace(pending *[]comment) error {
	src := l.src
	for l.off < len(src) {
		c := src[l.off]
		switch {
		case c == '\n':
			l.off++
			l.line++
			l.col = 1
		case c == ' ' || c == '\t' || c == '\r':
			l.advance(1)
		case c == '/' && l.off+1 < len(src) && src[l.off+1] == '/':
			start, startPos := l.off, l.pos()
			for l.off < len(src) && src[l.off] != '\n' {
				if c := src[l.off]; c >= 0x20 && c < 0x7f {
					l.off++ // printable ASCII, the common case
					l.col++
					continue
				}
				if err := l.stepChar(); err != nil {
					return err
				}
			}
			*pending = append(*pending, comment{text: l.text[start:l.off], pos: startPos})
		case c == '/' && l.off+1 < len(src) && src[l.off+1] == '*':
			start, startPos := l.off, l.pos()
			l.advance(2)
			depth := 1
			for depth > 0 {
				if l.off >= len(src) {
					return l.errorf(startPos, "unterminated block comment")
				}
				switch {
				case src[l.off] == '*' && l.off+1 < len(src) && src[l.off+1] == '/':
					depth--
					l.advance(2)
				case src[l.off] == '/' && l.off+1 < len(src) && src[l.off+1] == '*':
					depth++
					l.advance(2)
				case src[l.off] >= 0x20 && src[l.off] < 0x7f:
					l.off++
					l.col++
				default:
					if err := l.stepChar(); err != nil {
						return err
					}
				}
			}
			*pending = append(*pending, comment{text: l.text[start:l.off], pos: startPos})
		default:
			return nil
		}
	}
	return nil
}

// stepChar moves over one (validated) character, tracking lines.
func (l *lexState) stepChar() error {
	c := l.src[l.off]
	if c < utf8.RuneSelf {
		if err := l.checkChar(rune(c), 1); err != nil {
			return err
		}
		if c == '\n' {
			l.off++
			l.line++
			l.col = 1
			return nil
		}
		l.advance(1)
		return nil
	}
	r, size := utf8.DecodeRune(l.src[l.off:])
	if err := l.checkChar(r, size); err != nil {
		return err
	}
	l.off += size
	l.col++
	return nil
}

func isIdentStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isIdentChar includes '_' so that `foo_bar` is one (invalid) identifier
// with a clear message rather than two tokens.
func isIdentChar(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '-' || c == '_'
}
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isKebab checks the component model's label syntax: words joined by single
// '-', each all-lowercase or all-uppercase, starting with a letter.
func isKebab(s string) bool {
	wordStart := true
	lower, upper := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-':
			if wordStart {
				return false // empty word
			}
			wordStart, lower, upper = true, false, false
			continue
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		case isDigit(c):
			if wordStart {
				return false // words start with a letter
			}
		default:
			return false
		}
		if lower && upper {
			return false
		}
		wordStart = false
	}
	return !wordStart
}

// next lexes one token at l.off (which is not whitespace).
func (l *lexState) next() (lexer.TokenType, string, error) {
	src := l.src
	start := l.off
	c := src[start]
	switch {
	case isIdentStart(c) || c == '%' || c == '_':
		if c == '_' && (start+1 >= len(src) || !isIdentChar(src[start+1])) {
			l.advance(1)
			return tokPunct, "_", nil
		}
		end := start + 1
		for end < len(src) && isIdentChar(src[end]) && !(src[end] == '-' && end+1 < len(src) && src[end+1] == '>') {
			end++
		}
		val := l.text[start:end]
		if c == '%' && end == start+1 {
			return 0, "", l.errorf(l.pos(), "expected an identifier after '%%'")
		}
		if c != '%' && keywords[val] {
			l.advance(end - start)
			return tokKeyword, val, nil
		}
		if !isKebab(val[len(val)-len(strings.TrimPrefix(val, "%")):]) {
			return 0, "", l.errorf(l.pos(), "`%s` is not a valid identifier: use kebab-case words that are all lowercase or all uppercase, each starting with a letter", val)
		}
		l.advance(end - start)
		return tokIdent, val, nil
	case isDigit(c):
		end := start
		for end < len(src) && isDigit(src[end]) {
			end++
		}
		if end+1 < len(src) && src[end] == '.' && isDigit(src[end+1]) {
			end = scanVersion(src, start)
			l.advance(end - start)
			return tokVersion, l.text[start:end], nil
		}
		l.advance(end - start)
		return tokInteger, l.text[start:end], nil
	case c == '"':
		return l.lexString()
	case c == '-' && start+1 < len(src) && src[start+1] == '>':
		l.advance(2)
		return tokPunct, "->", nil
	}
	switch c {
	case '=', ',', ':', ';', '(', ')', '{', '}', '<', '>', '*', '/', '.', '@', '-', '+':
		l.advance(1)
		return tokPunct, string(c), nil
	}
	pos := l.pos()
	r, size := utf8.DecodeRune(src[start:])
	if err := l.checkChar(r, size); err != nil {
		return 0, "", err
	}
	return 0, "", l.errorf(pos, "unexpected character %q", r)
}

// scanVersion returns the end of a semver version starting at start: digits
// and dots, then an optional -pre-release and +build of [0-9A-Za-z-] parts
// separated by dots. A dot not followed by such a character (as in
// `@1.0.0.{x}`) ends the version.
func scanVersion(src []byte, start int) int {
	isPart := func(c byte) bool { return isIdentChar(c) }
	end := start
	for end < len(src) && (isDigit(src[end]) || src[end] == '.' && end+1 < len(src) && isDigit(src[end+1])) {
		end++
	}
	for _, sep := range []byte{'-', '+'} {
		if end+1 < len(src) && src[end] == sep && (isPart(src[end+1]) || src[end+1] == '.') {
			end++
			for end < len(src) && (isPart(src[end]) || src[end] == '.' && end+1 < len(src) && isPart(src[end+1])) {
				end++
			}
		}
	}
	return end
}

// lexString lexes a string literal in the core wasm `name` syntax.
func (l *lexState) lexString() (lexer.TokenType, string, error) {
	startPos := l.pos()
	l.advance(1)
	var out []byte
	for {
		if l.off >= len(l.src) || l.src[l.off] == '\n' {
			return 0, "", l.errorf(startPos, "unterminated string literal")
		}
		c := l.src[l.off]
		switch c {
		case '"':
			l.advance(1)
			if !utf8.Valid(out) {
				return 0, "", l.errorf(startPos, "string literal is not valid UTF-8")
			}
			return tokString, string(out), nil
		case '\\':
			b, n, err := l.escape()
			if err != nil {
				return 0, "", err
			}
			out = append(out, b...)
			l.advance(n)
		default:
			s := l.off
			if err := l.stepChar(); err != nil {
				return 0, "", err
			}
			out = append(out, l.src[s:l.off]...)
		}
	}
}

// escape decodes the escape at l.off: \t \n \r \" \' \\ \hh \u{h+}.
func (l *lexState) escape() ([]byte, int, error) {
	src := l.src[l.off:]
	bad := func() ([]byte, int, error) { return nil, 0, l.errorf(l.pos(), "invalid escape in string literal") }
	if len(src) < 2 {
		return bad()
	}
	switch src[1] {
	case 't':
		return []byte{'\t'}, 2, nil
	case 'n':
		return []byte{'\n'}, 2, nil
	case 'r':
		return []byte{'\r'}, 2, nil
	case '"', '\'', '\\':
		return []byte{src[1]}, 2, nil
	case 'u':
		if len(src) < 4 || src[2] != '{' {
			return bad()
		}
		var r rune
		i := 3
		for ; i < len(src) && src[i] != '}'; i++ {
			h := hexVal(src[i])
			if h < 0 || r > 0x10ffff {
				return bad()
			}
			r = r<<4 | rune(h)
		}
		if i >= len(src) || i == 3 || !utf8.ValidRune(r) {
			return bad()
		}
		return utf8.AppendRune(nil, r), i + 1, nil
	}
	if len(src) >= 3 && hexVal(src[1]) >= 0 && hexVal(src[2]) >= 0 {
		return []byte{byte(hexVal(src[1])<<4 | hexVal(src[2]))}, 3, nil
	}
	return bad()
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
