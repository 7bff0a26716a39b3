package wit

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// Each diagnostic the front end can produce, with the input that triggers
// it and where it must point. Inputs are one file (t.wit) unless files is set.
var diagnosticCases = []struct {
	name      string
	src       string
	files     map[string]string // a package directory instead of one file
	want      string
	line, col int
}{
	// Lexer.
	{"bad char", "package a:b;\ninterface i { $ }", nil, "unexpected character '$'", 2, 15},
	{"control char", "package a:b;\n\x01", nil, "control character", 2, 1},
	{"bidi override", "package a:b;\n// \u202e\n", nil, "bidirectional override", 2, 4},
	{"invalid utf8", "package a:b;\n// \xff\n", nil, "invalid UTF-8", 2, 4},
	{"unterminated comment", "package a:b;\n/* x", nil, "unterminated block comment", 2, 1},
	{"unterminated string", "package a:b;\n\"abc", nil, "unterminated string literal", 2, 1},
	{"bad escape", "package a:b;\n@external-id(\"\\q\")", nil, "invalid escape", 2, 15},
	{"lone percent", "package a:b;\ninterface % {}", nil, "expected an identifier after '%'", 2, 11},
	{"not kebab", "package a:b;\ninterface Foo-bar {}", nil, "not a valid identifier", 2, 11},
	{"underscore id", "package a:b;\ninterface foo_bar {}", nil, "not a valid identifier", 2, 11},
	// Grammar.
	{"missing brace", "package a:b;\ninterface i {\n  f: func();\n", nil, "expected", 4, 1},
	{"return type", "package a:b;\ninterface i {\n  f: func() -> ();\n}", nil, "expected a type, found '('", 3, 16},
	{"late package", "package a:b;\ninterface i {}\npackage c:d;", nil, "expected '{', found ';'", 3, 12},
	{"nested nested", "package a:b;\npackage c:d {\n  package e:f {}\n}", nil, "nested packages must be placed at the top-level", 3, 11},
	{"unknown attribute", "package a:b;\n@bogus(x = y)\ninterface i {}", nil, "unknown attribute", 2, 2},
	{"attribute key", "package a:b;\n@since(feature = x)\ninterface i {}", nil, "expected `version`, found `feature`", 2, 8},
	{"empty attribute", "package a:b;\n@unstable()\ninterface i {}", nil, "expected an identifier or string, found ')'", 2, 11},
	{"bad version", "package a:b@1.0;", nil, "major.minor.patch", 1, 13},
	{"type nesting", "package a:b;\ninterface i { type t = " + strings.Repeat("list<", 101) + "u8" + strings.Repeat(">", 101) + "; }", nil, "type nesting too deep", 2, 524},
	// Resolver: names.
	{"no package", "interface i {}", nil, "no `package` header", 0, 0},
	{"unknown type", "package a:b;\ninterface i {\n  type t = u32;\n  type u = tt;\n}", nil, "type `tt` does not exist (did you mean `t`?)", 4, 12},
	{"unknown type in func", "package a:b;\ninterface i {\n  record point { x: u32 }\n  f: func(p: pointt);\n}", nil, "type `pointt` does not exist (did you mean `point`?)", 4, 14},
	{"function as type", "package a:b;\ninterface i {\n  f: func();\n  g: func(x: f);\n}", nil, "cannot use function `f` as a type", 4, 14},
	{"duplicate type", "package a:b;\ninterface i {\n  type t = u32;\n  type t = u8;\n}", nil, "name `t` is defined more than once", 4, 8},
	{"duplicate func", "package a:b;\ninterface i {\n  f: func();\n  f: func();\n}", nil, "name `f` is defined more than once", 4, 3},
	{"duplicate param", "package a:b;\ninterface i {\n  f: func(x: u8, x: u8);\n}", nil, "param `x` is defined more than once", 3, 18},
	{"duplicate item", "package a:b;\ninterface i {}\nworld i {}", nil, "duplicate item named `i`", 3, 7},
	{"duplicate file name", "package a:b;\nuse i as j;\ninterface i {}\ninterface j {}", nil, "duplicate name `j` in this file", 4, 11},
	{"unknown interface", "package a:b;\ninterface i {\n  use jj.{t};\n}\ninterface j { type t = u8; }", nil, "interface or world `jj` does not exist", 3, 7},
	{"unknown use name", "package a:b;\ninterface i {\n  use j.{tt};\n}\ninterface j { type t = u8; }", nil, "name `tt` does not exist (did you mean `t`?)", 3, 10},
	{"use a function", "package a:b;\ninterface i {\n  use j.{f};\n}\ninterface j { f: func(); }", nil, "cannot import function `f`", 3, 10},
	{"use of a world", "package a:b;\ninterface i {\n  use w.{t};\n}\nworld w {}", nil, "name `w` is defined as a world, not an interface", 3, 7},
	{"include interface", "package a:b;\ninterface i {}\nworld w {\n  include i;\n}", nil, "name `i` is defined as an interface, not a world", 4, 11},
	{"attributes on top-level use", "package a:b;\n@since(version = 1.0.0)\nuse i as j;\ninterface i {}", nil, "attributes not allowed on top-level use", 2, 1},
	// Resolver: types.
	{"type cycle", "package a:b;\ninterface i {\n  type a = b;\n  type b = a;\n}", nil, "type `b` depends on itself", 3, 12},
	{"use cycle", "package a:b;\ninterface i {\n  use j.{t};\n}\ninterface j {\n  use i.{t};\n}", nil, "depends on itself", 5, 11},
	{"empty variant", "package a:b;\ninterface i {\n  variant v {}\n}", nil, "empty variant", 3, 11},
	{"empty enum", "package a:b;\ninterface i {\n  enum e {}\n}", nil, "empty enum", 3, 8},
	{"enum payload", "package a:b;\ninterface i {\n  enum e { a(u8) }\n}", nil, "enum cases cannot have payloads", 3, 14},
	{"flags payload", "package a:b;\ninterface i {\n  flags f { a(u8) }\n}", nil, "flags cannot have payloads", 3, 15},
	{"zero-length list", "package a:b;\ninterface i {\n  type t = list<u8, 0>;\n}", nil, "length greater than zero", 3, 21},
	{"huge list length", "package a:b;\ninterface i {\n  type t = list<u8, 99999999999>;\n}", nil, "invalid fixed-length list size", 3, 21},
	{"map key", "package a:b;\ninterface i {\n  type t = map<f32, u8>;\n}", nil, "invalid map key type", 3, 12},
	{"handle of non-resource", "package a:b;\ninterface i {\n  type t = u8;\n  type h = borrow<t>;\n}", nil, "type `t` used in a handle must be a resource", 4, 19},
	{"borrow result", "package a:b;\ninterface i {\n  resource r;\n  f: func() -> borrow<r>;\n}", nil, "returns a type which contains a `borrow<T>`", 4, 3},
	{"constructor result", "package a:b;\ninterface i {\n  resource r { constructor() -> u8; }\n}", nil, "must be a `result`", 3, 33},
	{"constructor ok type", "package a:b;\ninterface i {\n  resource r { constructor() -> result<u8>; }\n}", nil, "the `ok` type must be the resource being constructed", 3, 40},
	{"duplicate constructor", "package a:b;\ninterface i {\n  resource r {\n    constructor();\n    constructor();\n  }\n}", nil, "duplicate constructors", 5, 5},
	{"duplicate method", "package a:b;\ninterface i {\n  resource r {\n    m: func();\n    m: static func();\n  }\n}", nil, "duplicate function name `m`", 5, 5},
	// Resolver: worlds.
	{"import twice", "package a:b;\ninterface i {}\nworld w {\n  import i;\n  import i;\n}", nil, "interface cannot be imported more than once", 5, 10},
	{"name conflict", "package a:b;\nworld w {\n  import f: func();\n  import f: interface {}\n}", nil, "import `f` conflicts with prior func of same name", 4, 10},
	{"include shadows", "package a:b;\nworld v { import f: func(); }\nworld w {\n  import f: func();\n  include v;\n}", nil, "import of `f` shadows previously imported items", 5, 11},
	{"include with unknown", "package a:b;\nworld v { import f: func(); }\nworld w {\n  include v with { g as h }\n}", nil, "no import or export kebab-name `g`", 4, 11},
	{"case-insensitive", "package a:b;\nworld w {\n  export f: func();\n  export F: func();\n}", nil, "conflicts with export `f` (kebab-case identifiers are case-insensitive)", 2, 7},
	{"incompatible deps", "package a:b;\ninterface i1 { type t = u8; }\ninterface i2 { use i1.{t}; }\ninterface i3 { use i2.{t}; }\nworld w {\n  import i2;\n  export i1;\n  export i3;\n}", nil, "transitively depends on an interface in incompatible ways", 5, 7},
	// Gates.
	{"gated type used", "package a:b;\ninterface i {\n  @unstable(feature = off)\n  type g = u8;\n  type t = g;\n}", nil, "excluded due to its feature not being activated", 5, 8},
	{"gated world included", "package a:b;\n@unstable(feature = off)\nworld v {}\nworld w { include v; }", nil, "found a reference to a world which is excluded", 4, 19},
	{"since in unversioned", "package a:b;\n@since(version = 1.0.0)\ninterface i {}", nil, "must have a version", 3, 11},
	{"since unreleased", "package a:b@1.0.0;\n@since(version = 2.0.0)\ninterface i {}", nil, "feature gate cannot reference unreleased version 2.0.0", 3, 11},
	// Packages.
	{"unknown package", "package a:b;\ninterface i {\n  use x:y/z.{t};\n}", nil, "package 'x:y' not found", 3, 7},
	{"unknown foreign interface", "package a:b;\ninterface i {\n  use x:y/zz.{t};\n}\npackage x:y { interface z { type t = u8; } }", nil, "interface 'zz' not found in package 'x:y' (did you mean `z`?)", 3, 11},
	{"unknown foreign type", "package a:b;\ninterface i {\n  use x:y/z.{tt};\n}\npackage x:y { interface z { type t = u8; } }", nil, "type `tt` not defined in interface (did you mean `t`?)", 3, 14},
	{"foreign handle", "package a:b;\ninterface i {\n  use x:y/z.{t};\n  type h = own<t>;\n}\npackage x:y { interface z { type t = u8; } }", nil, "type used in a handle must be a resource", 4, 16},
	{"package cycle", "package a:b;\npackage x:y { interface i { use z:w/j.{t}; } }\npackage z:w { interface j { use x:y/i.{t}; } }", nil, "creates a dependency cycle", 2, 33},
	{"package twice", "package a:b;\npackage x:y {}\npackage x:y {}", nil, "defined in two different locations", 0, 0},
	{"package mismatch", "", map[string]string{"a.wit": "package a:b;", "b.wit": "package a:c;"}, "does not match previous package name", 1, 9},
	{"package docs twice", "", map[string]string{"a.wit": "/// one\npackage a:b;", "b.wit": "/// two\npackage a:b;"}, "found doc comments on multiple 'package' items", 1, 1},
}

func TestDiagnostics(t *testing.T) {
	for _, tc := range diagnosticCases {
		t.Run(tc.name, func(t *testing.T) {
			r := NewResolve()
			var err error
			file := "t.wit"
			if tc.files != nil {
				fsys := fstest.MapFS{}
				for name, src := range tc.files {
					fsys["pkg/"+name] = &fstest.MapFile{Data: []byte(src)}
				}
				_, err = r.LoadFS(fsys, "pkg")
				file = "b.wit"
			} else {
				_, err = r.AddSource(file, []byte(tc.src))
			}
			if err == nil {
				t.Fatalf("accepted; want error %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not contain %q", err, tc.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error is %T, not *wit.Error: %v", err, err)
			}
			d := e.Diags[0]
			if d.Pos.Line != tc.line || d.Pos.Column != tc.col {
				t.Errorf("at %d:%d, want %d:%d\n%v", d.Pos.Line, d.Pos.Column, tc.line, tc.col, err)
			}
			if tc.line > 0 && !strings.HasSuffix(d.Pos.File, file) {
				t.Errorf("in file %s, want %s", d.Pos.File, file)
			}
		})
	}
}

// TestDiagnosticRendering checks the rendered form: position, message, the
// source line and a caret under the span.
func TestDiagnosticRendering(t *testing.T) {
	src := "package a:b;\ninterface i {\n\ttype u = tt;\n}\n"
	_, err := NewResolve().AddSource("x.wit", []byte(src))
	if err == nil {
		t.Fatal("accepted")
	}
	want := "x.wit:3:11: type `tt` does not exist\n" +
		"   |\n" +
		" 3 | \ttype u = tt;\n" +
		"   | \t         ^-"
	if err.Error() != want {
		t.Errorf("got:\n%s\nwant:\n%s", err, want)
	}
}

// TestSeveralDiagnostics: a file with several misspelled type names gets
// all of them reported, and syntax errors in several files too.
func TestSeveralDiagnostics(t *testing.T) {
	src := "package a:b;\ninterface i {\n  type t = u32;\n  record r { a: tt, b: strin }\n  f: func(x: flaot) -> t;\n}\n"
	_, err := NewResolve().AddSource("x.wit", []byte(src))
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want *Error, got %v", err)
	}
	want := []string{
		"x.wit:4:17: type `tt` does not exist (did you mean `t`?)",
		"x.wit:4:24: type `strin` does not exist (did you mean `string`?)",
		"x.wit:5:14: type `flaot` does not exist",
	}
	if len(e.Diags) != len(want) {
		t.Fatalf("%d diagnostics, want %d:\n%v", len(e.Diags), len(want), err)
	}
	for i, w := range want {
		var b strings.Builder
		d := e.Diags[i]
		d.render(&b)
		if !strings.HasPrefix(b.String(), w) {
			t.Errorf("diagnostic %d: %q, want prefix %q", i, b.String(), w)
		}
	}

	fsys := fstest.MapFS{
		"p/a.wit": &fstest.MapFile{Data: []byte("package a:b;\ninterface i { f: func( }")},
		"p/b.wit": &fstest.MapFile{Data: []byte("interface j { type = u8; }")},
	}
	_, err = NewResolve().LoadFS(fsys, "p")
	if !errors.As(err, &e) || len(e.Diags) != 2 {
		t.Fatalf("want two syntax errors, got %v", err)
	}
	if !strings.HasSuffix(e.Diags[0].Pos.File, "a.wit") || !strings.HasSuffix(e.Diags[1].Pos.File, "b.wit") {
		t.Errorf("errors in %s and %s, want a.wit and b.wit", e.Diags[0].Pos.File, e.Diags[1].Pos.File)
	}
}

// Labelled imports (the "implements" form) may name one interface twice.
func TestImplementsTwice(t *testing.T) {
	src := "package a:b;\ninterface store { get: func() -> u8; }\nworld w {\n  import primary: store;\n  import secondary: store;\n}\n"
	r := NewResolve()
	pkg, err := r.AddSource("t.wit", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.SelectWorld(pkg, "w")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for k := range r.Worlds[w].Imports.All() {
		names = append(names, k.String())
	}
	if strings.Join(names, ",") != "primary,secondary" {
		t.Errorf("imports %v, want primary,secondary", names)
	}
}
