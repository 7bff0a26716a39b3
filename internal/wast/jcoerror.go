package wast

import (
	"regexp"
	"strconv"
	"strings"
)

// jco reports a parse error as wasm-tools' Debug form, e.g.
// `Error { kind: Wast(Error { inner: ErrorInner { text: Some(Text { line:
// 0, col: 12, ... }), ..., kind: Custom("expected ...") } }) }`.
var (
	jcoErrorPlace = regexp.MustCompile(`text: Some\(Text \{ line: (\d+), col: (\d+)`)
	jcoErrorText  = regexp.MustCompile(`kind: (?:Custom|Lex\w*)\((".*")\) \}`)
)

// tidyJCOError turns that form into "line:col: message" (1-based line, as
// in the text given), or returns msg unchanged when it has another shape.
func tidyJCOError(msg string) string {
	first, _, _ := strings.Cut(msg, "\n")
	m := jcoErrorText.FindStringSubmatch(first)
	if m == nil {
		return first
	}
	text, err := strconv.Unquote(m[1])
	if err != nil {
		return first
	}
	if p := jcoErrorPlace.FindStringSubmatch(first); p != nil {
		line, _ := strconv.Atoi(p[1])
		return strconv.Itoa(line+1) + ":" + p[2] + ": " + text
	}
	return text
}
