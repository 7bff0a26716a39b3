package wit

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// Diagnostic is one problem found in WIT source.
type Diagnostic struct {
	Pos     Pos
	Len     int // length of the offending token in characters, 0 if unknown
	Message string
	source  []byte // the file's text, for rendering the line
}

// Error is what the wit package returns for bad input: one or more
// diagnostics, each rendered as `path:line:col: message` followed by the
// source line and a caret under the span.
type Error struct {
	Diags []Diagnostic
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, d := range e.Diags {
		if i > 0 {
			b.WriteByte('\n')
		}
		d.render(&b)
	}
	return b.String()
}

func (d *Diagnostic) render(b *strings.Builder) {
	if d.Pos.IsValid() {
		fmt.Fprintf(b, "%s: %s", d.Pos, d.Message)
	} else if d.Pos.File != "" {
		fmt.Fprintf(b, "%s: %s", d.Pos.File, d.Message)
	} else {
		b.WriteString(d.Message)
	}
	line, ok := sourceLine(d.source, d.Pos)
	if !ok {
		return
	}
	gutter := fmt.Sprintf("%d", d.Pos.Line)
	pad := strings.Repeat(" ", len(gutter))
	fmt.Fprintf(b, "\n %s |\n %s | %s\n %s | ", pad, gutter, line, pad)
	// Keep tabs so the caret lines up under tab-indented source.
	col := 0
	for _, r := range line {
		if col >= d.Pos.Column-1 {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		col++
	}
	b.WriteByte('^')
	if d.Len > 1 {
		b.WriteString(strings.Repeat("-", d.Len-1))
	}
}

// sourceLine returns the text of the line p points into.
func sourceLine(src []byte, p Pos) (string, bool) {
	if src == nil || !p.IsValid() || p.Offset < 0 || p.Offset > len(src) {
		return "", false
	}
	start := bytes.LastIndexByte(src[:p.Offset], '\n') + 1
	end := bytes.IndexByte(src[p.Offset:], '\n')
	if end < 0 {
		end = len(src)
	} else {
		end += p.Offset
	}
	line := strings.TrimRight(string(src[start:end]), "\r")
	if !utf8.ValidString(line) {
		return "", false
	}
	return line, true
}

func posOf(p lexer.Position) Pos {
	return Pos{File: p.Filename, Offset: p.Offset, Line: p.Line, Column: p.Column}
}

// diagnostics collects errors while parsing and resolving.
type diagnostics struct {
	sources map[string][]byte
	list    []Diagnostic
}

func (d *diagnostics) add(p Pos, length int, format string, args ...any) {
	d.list = append(d.list, Diagnostic{Pos: p, Len: length, Message: fmt.Sprintf(format, args...), source: d.sources[p.File]})
}

func (d *diagnostics) err() error {
	if len(d.list) == 0 {
		return nil
	}
	return &Error{Diags: d.list}
}

// errorAt makes a single-diagnostic error.
func errorAt(src []byte, p Pos, length int, format string, args ...any) *Error {
	return &Error{Diags: []Diagnostic{{Pos: p, Len: length, Message: fmt.Sprintf(format, args...), source: src}}}
}

// withSource fills in the source text of diagnostics that lack it.
func withSource(err error, sources map[string][]byte) error {
	if e, ok := err.(*Error); ok {
		for i := range e.Diags {
			if e.Diags[i].source == nil {
				e.Diags[i].source = sources[e.Diags[i].Pos.File]
			}
		}
	}
	return err
}
