package wit

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// witLexer adapts lexWIT to participle. The parser is fed pre-lexed tokens
// through ParseFromLexer, so Lex is only used if someone calls the parser on
// a reader directly.
type witLexer struct{}

func (witLexer) Symbols() map[string]lexer.TokenType {
	m := map[string]lexer.TokenType{}
	for t, n := range tokenNames {
		m[n] = t
	}
	return m
}

func (witLexer) Lex(filename string, r io.Reader) (lexer.Lexer, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	l, err := lexWIT(filename, src)
	if err != nil {
		return nil, err
	}
	return &sliceLexer{tokens: l.tokens}, nil
}

type sliceLexer struct {
	tokens []lexer.Token
	i      int
}

func (s *sliceLexer) Next() (lexer.Token, error) {
	if s.i >= len(s.tokens) {
		return s.tokens[len(s.tokens)-1], nil
	}
	t := s.tokens[s.i]
	s.i++
	return t, nil
}

// The lookahead lets the grammar tell `import a: func()` from
// `import a:b/c;` and `result<_, E>` from `result<T>` by backtracking.
var witParser = participle.MustBuild[astFile](
	participle.Lexer(witLexer{}),
	participle.UseLookahead(8),
)

// parseWIT lexes and parses one file and attaches docs and gates.
func parseWIT(filename string, src []byte) (*astFile, error) {
	lx, err := lexWIT(filename, src)
	if err != nil {
		return nil, withSource(err, map[string][]byte{filename: src})
	}
	if err := checkNesting(lx.tokens, src); err != nil {
		return nil, err
	}
	peek, err := lexer.Upgrade(&sliceLexer{tokens: lx.tokens})
	if err != nil {
		return nil, err
	}
	file, err := witParser.ParseFromLexer(peek)
	if err != nil {
		return nil, parseError(err, src, lx.tokens)
	}
	docs := map[int][]comment{}
	for i, c := range lx.comments {
		if c != nil {
			docs[lx.tokens[i].Pos.Offset] = c
		}
	}
	p := &postParse{src: src, docs: docs}
	p.file(file)
	if p.err != nil {
		return nil, p.err
	}
	return file, nil
}

// parseError turns a participle error into a positioned diagnostic in the
// reference parser's words: "expected X, found Y".
func parseError(err error, src []byte, toks []lexer.Token) error {
	var ute *participle.UnexpectedTokenError
	if errors.As(err, &ute) {
		tok := ute.Unexpected
		if tok.Value == "->" && tok.Type == tokPunct {
			// The optional `-> T` backtracked: the real problem is the
			// token where a type should be.
			if next, ok := tokenAfter(toks, tok); ok {
				tok = next
			}
		}
		if prev, ok := tokenBefore(toks, tok); ok && prev.Value == "->" && prev.Type == tokPunct {
			return errorAt(src, posOf(tok.Pos), tokenLen(tok), "expected a type, found %s", describeToken(tok))
		}
		msg := "found " + describeToken(tok)
		if ute.Expect != "" {
			msg = "expected " + ute.Expect + ", " + msg
		} else {
			msg = "unexpected " + describeToken(tok)
		}
		return errorAt(src, posOf(tok.Pos), tokenLen(tok), "%s", msg)
	}
	var pe participle.Error
	if errors.As(err, &pe) {
		return errorAt(src, posOf(pe.Position()), 1, "%s", pe.Message())
	}
	return err
}

// tokenAfter finds the token that follows t.
func tokenAfter(toks []lexer.Token, t lexer.Token) (lexer.Token, bool) {
	for i, x := range toks {
		if x.Pos.Offset == t.Pos.Offset && i+1 < len(toks) {
			return toks[i+1], true
		}
	}
	return lexer.Token{}, false
}

// tokenBefore finds the token that precedes t.
func tokenBefore(toks []lexer.Token, t lexer.Token) (lexer.Token, bool) {
	for i, x := range toks {
		if x.Pos.Offset == t.Pos.Offset && i > 0 {
			return toks[i-1], true
		}
	}
	return lexer.Token{}, false
}

func describeToken(t lexer.Token) string {
	switch t.Type {
	case tokEOF:
		return "eof"
	case tokKeyword:
		return "keyword `" + t.Value + "`"
	case tokIdent:
		return "an identifier"
	case tokInteger:
		return "an integer"
	case tokVersion:
		return "a version"
	case tokString:
		return "a string"
	}
	return "'" + t.Value + "'"
}

func tokenLen(t lexer.Token) int {
	if t.Type == tokEOF {
		return 1
	}
	if t.Type == tokString {
		return len(t.Value) + 2
	}
	return len(t.Value)
}

// checkNesting bounds bracket nesting before the recursive parser runs, with
// the reference parser's messages for types and packages.
func checkNesting(toks []lexer.Token, src []byte) error {
	type open struct {
		tok   byte
		pkgAt int // index of the `package` keyword that opened a `{`, or -1
	}
	var stack []open
	pkgDepth, angles := 0, 0
	for i, t := range toks {
		if t.Type != tokPunct || len(t.Value) != 1 {
			continue
		}
		switch c := t.Value[0]; c {
		case '<', '(', '{':
			o := open{tok: c, pkgAt: -1}
			if c == '{' {
				if k := packageHeaderStart(toks, i); k >= 0 {
					o.pkgAt = k
					pkgDepth++
					if pkgDepth > maxNesting {
						return errorAt(src, posOf(toks[k].Pos), len("package"), "package nesting too deep")
					}
				}
			}
			stack = append(stack, o)
			if c == '<' {
				angles++
			}
			if angles > maxNesting || len(stack) > 4*maxNesting {
				at := t
				if i > 0 {
					at = toks[i-1]
				}
				what := "type nesting too deep"
				if c != '<' {
					what = "nesting too deep"
				}
				return errorAt(src, posOf(at.Pos), tokenLen(at), "%s", what)
			}
		case '>', ')', '}':
			if n := len(stack); n > 0 {
				if stack[n-1].pkgAt >= 0 {
					pkgDepth--
				}
				if stack[n-1].tok == '<' {
					angles--
				}
				stack = stack[:n-1]
			}
		}
	}
	return nil
}

// packageHeaderStart returns the index of `package` if toks[brace] is the
// `{` of `package ns:name[@version] {`, else -1.
func packageHeaderStart(toks []lexer.Token, brace int) int {
	i := brace - 1
	if i >= 0 && toks[i].Type == tokVersion {
		i -= 2 // version and '@'
	}
	i -= 3 // name ':' namespace
	if i >= 0 && toks[i].Type == tokKeyword && toks[i].Value == "package" {
		return i
	}
	return -1
}

// postParse attaches docs, checks attribute syntax and converts gates.
type postParse struct {
	src  []byte
	docs map[int][]comment
	err  error
}

func (p *postParse) fail(pos lexer.Position, length int, format string, args ...any) {
	if p.err == nil {
		p.err = errorAt(p.src, posOf(pos), length, format, args...)
	}
}

func (p *postParse) docsAt(pos lexer.Position) string {
	return formatDocs(p.docs[pos.Offset])
}

func (p *postParse) file(f *astFile) {
	p.topItems(f.Items, 0)
}

func (p *postParse) topItems(items []*astTopItem, depth int) {
	for _, it := range items {
		it.docs = p.docsAt(it.Pos)
		if cs := p.docs[it.Pos.Offset]; len(cs) > 0 {
			it.docsPos = cs[0].pos
		}
		p.attrs(it.Attrs)
		switch {
		case it.Package != nil:
			if depth > 0 && it.Package.Semi == nil {
				p.fail(it.Package.Name.Pos, len(it.Package.Name.Namespace.Name), "nested packages must be placed at the top-level")
			}
			p.topItems(it.Package.Items, depth+1)
		case it.Interface != nil:
			p.ifaceItems(it.Interface.Items)
		case it.World != nil:
			for _, wi := range it.World.Items {
				wi.docs = p.docsAt(wi.Pos)
				p.attrs(wi.Attrs)
				switch {
				case wi.TypeDef != nil:
					p.typeDef(wi.TypeDef)
				case wi.Import != nil && wi.Import.Named != nil && wi.Import.Named.Interface != nil:
					p.ifaceItems(wi.Import.Named.Interface.Items)
				case wi.Export != nil && wi.Export.Named != nil && wi.Export.Named.Interface != nil:
					p.ifaceItems(wi.Export.Named.Interface.Items)
				}
			}
		}
	}
}

func (p *postParse) ifaceItems(items []*astIfaceItem) {
	for _, it := range items {
		it.docs = p.docsAt(it.Pos)
		p.attrs(it.Attrs)
		if it.TypeDef != nil {
			p.typeDef(it.TypeDef)
		}
	}
}

func (p *postParse) typeDef(td *astTypeDef) {
	switch {
	case td.Resource != nil:
		for _, ri := range td.Resource.Items {
			ri.docs = p.docsAt(ri.Pos)
			p.attrs(ri.Attrs)
		}
	case td.Record != nil:
		for _, f := range td.Record.Fields {
			f.docs = p.docsAt(f.Pos)
			p.attrs(f.Attrs)
		}
	case td.Variant != nil:
		p.cases(td.Variant.Cases)
	case td.Enum != nil:
		p.cases(td.Enum.Cases)
	case td.Flags != nil:
		p.cases(td.Flags.Flags)
	}
}

func (p *postParse) cases(cs []*astCase) {
	for _, c := range cs {
		c.docs = p.docsAt(c.Pos)
		p.attrs(c.Attrs)
	}
}

// attrs checks `@since(version = V)`, `@unstable(feature = F)` and
// `@deprecated(version = V)`; stability() later turns them into a Stability.
func (p *postParse) attrs(attrs []*astAttr) {
	for _, a := range attrs {
		want := ""
		switch a.Name.Name {
		case "since", "deprecated":
			want = "version"
		case "unstable":
			want = "feature"
		default:
			p.fail(a.Name.Pos, len(a.Name.Name), "unknown attribute `%s`", a.Name.Name)
			return
		}
		if len(a.Args) == 0 {
			p.fail(a.Close.Pos, 1, "expected an identifier or string, found ')'")
			return
		}
		first := a.Args[0]
		if first.String != nil {
			p.fail(first.Pos, len(*first.String)+2, "expected `%s`, found a string", want)
			return
		}
		if first.Key.Name != want {
			p.fail(first.Key.Pos, len(first.Key.Name), "expected `%s`, found `%s`", want, first.Key.Name)
			return
		}
		if want == "version" && first.Version == nil {
			p.fail(first.Ident.Pos, len(first.Ident.Name), "expected a version")
			return
		}
		if want == "feature" && first.Ident == nil {
			p.fail(first.Version.Pos, len(first.Version.Value), "expected a feature name")
			return
		}
		if want == "version" {
			if _, err := ParseVersion(first.Version.Value); err != nil {
				p.fail(first.Version.Pos, len(first.Version.Value), "%v", err)
				return
			}
		}
		for _, extra := range a.Args[1:] {
			// `@since(version = V, feature = F)` is an older form the
			// reference still accepts; nothing else may follow.
			if a.Name.Name == "since" && extra.String == nil && extra.Key.Name == "feature" && extra.Ident != nil {
				continue
			}
			p.fail(extra.Pos, 1, "unexpected argument to `@%s`", a.Name.Name)
			return
		}
	}
}

// stability converts checked attributes into a Stability.
func stability(attrs []*astAttr) Stability {
	var s Stability
	for _, a := range attrs {
		arg := a.Args[0]
		switch a.Name.Name {
		case "since":
			v, _ := ParseVersion(arg.Version.Value)
			s.Kind, s.Since = Stable, v
		case "unstable":
			s.Kind, s.Feature = Unstable, arg.Ident.Name
		case "deprecated":
			s.Deprecated, _ = ParseVersion(arg.Version.Value)
		}
	}
	return s
}

// formatDocs turns the comments before an item into its doc text, the way
// the reference parser does: every comment counts, `/**` blocks lose their
// delimiters, other comments lose their leading slashes, and the common
// indentation is removed.
func formatDocs(cs []comment) string {
	if len(cs) == 0 {
		return ""
	}
	texts := make([]string, len(cs))
	indent := -1
	for i, c := range cs {
		t := c.text
		if strings.HasPrefix(t, "/**") && strings.HasSuffix(t, "*/") && len(t) >= 5 {
			t = t[3 : len(t)-2]
		} else {
			t = strings.TrimLeft(t, "/")
		}
		t = strings.TrimRight(t, " \t\r\n")
		texts[i] = t
		for _, line := range strings.Split(t, "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			n := len(line) - len(strings.TrimLeft(line, " \t"))
			if indent < 0 || n < indent {
				indent = n
			}
		}
	}
	if indent < 0 {
		indent = 0
	}
	var b strings.Builder
	for _, t := range texts {
		if t == "" {
			b.WriteByte('\n')
			continue
		}
		for _, line := range strings.Split(t, "\n") {
			line = strings.TrimRight(line, "\r")
			if len(line) >= indent {
				line = line[indent:]
			} else {
				line = strings.TrimLeft(line, " \t")
			}
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// idName strips the `%` that escapes a keyword.
func idName(id astID) string { return strings.TrimPrefix(id.Name, "%") }

var _ = fmt.Sprintf
