package wit

import (
	"strings"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"
)

func tokenString(toks []lexer.Token) string {
	var parts []string
	for _, t := range toks {
		if t.Type == tokEOF {
			parts = append(parts, "EOF")
			continue
		}
		parts = append(parts, tokenNames[t.Type]+"("+t.Value+")")
	}
	return strings.Join(parts, " ")
}

// The token rules of WIT.md "Lexical structure".
func TestLexer(t *testing.T) {
	cases := []struct{ src, want string }{
		{"interface foo", "Keyword(interface) Ident(foo) EOF"},
		{"%interface", "Ident(%interface) EOF"},
		{"error-context my-type XML-doc", "Keyword(error-context) Ident(my-type) Ident(XML-doc) EOF"},
		{"a->b", "Ident(a) Punct(->) Ident(b) EOF"},
		{"list<u8, 4>", "Keyword(list) Punct(<) Keyword(u8) Punct(,) Integer(4) Punct(>) EOF"},
		{"result<_, e>", "Keyword(result) Punct(<) Punct(_) Punct(,) Ident(e) Punct(>) EOF"},
		{"@1.2.3", "Punct(@) Version(1.2.3) EOF"},
		{"@1.0.0-rc.1+build.5", "Punct(@) Version(1.0.0-rc.1+build.5) EOF"},
		{"@1.0.1--", "Punct(@) Version(1.0.1--) EOF"},
		// A version ends before `.{` in `use a:b/c@1.0.0.{x}`.
		{"@1.0.0.{x}", "Punct(@) Version(1.0.0) Punct(.) Punct({) Ident(x) Punct(}) EOF"},
		{"@0.2.0-rc-2023.{x}", "Punct(@) Version(0.2.0-rc-2023) Punct(.) Punct({) Ident(x) Punct(}) EOF"},
		{`"a\u{2603}\7f\n"`, "String(a\u2603\x7f\n) EOF"},
		{"a /* x /* nested */ y */ b // tail", "Ident(a) Ident(b) EOF"},
		{"", "EOF"},
	}
	for _, c := range cases {
		l, err := lexWIT("t.wit", []byte(c.src))
		if err != nil {
			t.Errorf("%q: %v", c.src, err)
			continue
		}
		if got := tokenString(l.tokens); got != c.want {
			t.Errorf("%q:\n got  %s\n want %s", c.src, got, c.want)
		}
	}
}

func TestLexerPositions(t *testing.T) {
	l, err := lexWIT("t.wit", []byte("a\n  /* ☃ */ b\n\tc"))
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]int{{1, 1}, {2, 11}, {3, 2}}
	for i, w := range want {
		p := l.tokens[i].Pos
		if p.Line != w[0] || p.Column != w[1] {
			t.Errorf("token %d at %d:%d, want %d:%d", i, p.Line, p.Column, w[0], w[1])
		}
	}
}

func TestKebab(t *testing.T) {
	for _, ok := range []string{"a", "abc", "a-b", "XML", "a1", "hello-world2", "HTTP-request", "a-B"} {
		if !isKebab(ok) {
			t.Errorf("%q rejected", ok)
		}
	}
	for _, bad := range []string{"", "-a", "a-", "a--b", "Ab", "a-1b", "a_b", "1a", "aB-c"} {
		if isKebab(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

// Docs follow the reference parser: every comment before an item counts.
func TestFormatDocs(t *testing.T) {
	cs := func(texts ...string) []comment {
		var out []comment
		for _, s := range texts {
			out = append(out, comment{text: s})
		}
		return out
	}
	cases := []struct {
		in   []comment
		want string
	}{
		{cs("/// hello", "/// world"), "hello\nworld"},
		{cs("// plain", "/* block */"), " plain\n* block */"},
		{cs("/** doc */"), "doc"},
		{cs("///   indented", "///     more"), "indented\n  more"},
		{cs("/// a", "//", "/// b"), "a\n\nb"},
		{cs("/// trailing\t  "), "trailing"},
	}
	for _, c := range cases {
		if got := formatDocs(c.in); got != c.want {
			t.Errorf("%v: got %q, want %q", c.in, got, c.want)
		}
	}
}

// The grammar: each form parses into the AST node it should.
func TestGrammar(t *testing.T) {
	parse := func(src string) *astFile {
		t.Helper()
		f, err := parseWIT("t.wit", []byte(src))
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		return f
	}
	iface := func(body string) []*astIfaceItem {
		t.Helper()
		return parse("package a:b; interface i {" + body + "}").Items[1].Interface.Items
	}

	res := iface("type a = result; type b = result<u8>; type c = result<_, u8>; type d = result<u8, string>;")
	checks := []struct {
		r               *astResult
		ok, err         bool
		name            string
		wantOK, wantErr bool
	}{
		{res[0].TypeDef.Alias.Type.Result, false, false, "result", false, false},
		{res[1].TypeDef.Alias.Type.Result, true, false, "result<u8>", true, false},
		{res[2].TypeDef.Alias.Type.Result, false, true, "result<_, u8>", false, true},
		{res[3].TypeDef.Alias.Type.Result, true, true, "result<u8, string>", true, true},
	}
	for _, c := range checks {
		gotOK := c.r.OK != nil
		gotErr := c.r.Err != nil || c.r.Err1 != nil
		if gotOK != c.wantOK || gotErr != c.wantErr {
			t.Errorf("%s: ok=%v err=%v", c.name, gotOK, gotErr)
		}
	}

	fl := iface("type f = list<u8, 16>;")[0].TypeDef.Alias.Type.List
	if fl.Len == nil || fl.Len.Value != "16" {
		t.Errorf("fixed-size list length not parsed: %+v", fl)
	}

	w := parse("package a:b; world w { import f: func(); import a:b/c@1.0.0; export x: interface { g: async func(); } import lbl: a:b/c; include v with { a as b } }").Items[1].World.Items
	if w[0].Import.Named == nil || w[0].Import.Named.Func == nil {
		t.Errorf("import f: func() not a named function")
	}
	if p := w[1].Import.Path; p == nil || foreignPackageName(p) != "a:b@1.0.0" || idName(*p.Name) != "c" {
		t.Errorf("import a:b/c@1.0.0 not a package path")
	}
	if e := w[2].Export.Named; e == nil || e.Interface == nil || !e.Interface.Items[0].Func.Func.Async {
		t.Errorf("export x: interface { async func } not parsed")
	}
	if n := w[3].Import.Named; n == nil || n.Path == nil || idName(n.Name) != "lbl" {
		t.Errorf("import lbl: a:b/c not the implements form")
	}
	if inc := w[4].Include; inc == nil || len(inc.Names) != 1 || idName(inc.Names[0].As) != "b" {
		t.Errorf("include with not parsed")
	}

	r := iface("resource r { constructor(a: u8); m: func(); s: static func() -> u8; }")[0].TypeDef.Resource
	if len(r.Items) != 3 || r.Items[0].Constructor == nil || r.Items[1].Func.Static || !r.Items[2].Func.Static {
		t.Errorf("resource members not parsed: %+v", r.Items)
	}

	attrs := parse("package a:b@1.0.0; @since(version = 1.0.0) @deprecated(version = 1.1.0) interface i {}").Items[1].Attrs
	st := stability(attrs)
	if st.Kind != Stable || st.Since.String() != "1.0.0" || st.Deprecated.String() != "1.1.0" {
		t.Errorf("gates: %+v", st)
	}

	top := parse("package a:b; package c:d { interface x {} } use c:d/x as y;").Items
	if top[1].Package == nil || top[1].Package.Semi != nil || len(top[1].Package.Items) != 1 {
		t.Errorf("nested package block not parsed")
	}
	if u := top[2].Use; u == nil || idName(*u.As) != "y" {
		t.Errorf("top-level use with as not parsed")
	}
}
