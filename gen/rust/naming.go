package rustgen

import (
	"fmt"
	"strings"
)

// words splits a WIT kebab-case label into its words.
func words(label string) []string {
	var out []string
	for _, w := range strings.Split(label, "-") {
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// camelName is a label as a Rust type or enum case name (UpperCamelCase):
// `output-stream` -> OutputStream, `is-XML` -> IsXml.
func camelName(label string) string {
	var sb strings.Builder
	for _, w := range words(label) {
		lw := strings.ToLower(w)
		sb.WriteString(strings.ToUpper(lw[:1]))
		sb.WriteString(lw[1:])
	}
	s := sb.String()
	if s == "" || !isLetter(s[0]) {
		s = "X" + s
	}
	if reservedTypes[s] {
		s += "Type"
	}
	return s
}

// snakeName is a label as a Rust function, field, module or variable name:
// `get-random-bytes` -> get_random_bytes; keywords become raw identifiers
// (r#type), and the few that cannot be raw get a trailing underscore.
func snakeName(label string) string {
	ws := words(label)
	for i, w := range ws {
		ws[i] = strings.ToLower(w)
	}
	s := strings.Join(ws, "_")
	if s == "" || !isLetter(s[0]) {
		s = "x" + s
	}
	return escapeKeyword(s)
}

// screamingName is a label as a Rust constant name: `read-only` -> READ_ONLY.
func screamingName(label string) string {
	ws := words(label)
	for i, w := range ws {
		ws[i] = strings.ToUpper(w)
	}
	s := strings.Join(ws, "_")
	if s == "" || !isLetter(s[0]) {
		s = "X" + s
	}
	return s
}

func escapeKeyword(s string) string {
	switch {
	case unrawable[s]:
		return s + "_"
	case keywords[s]:
		return "r#" + s
	}
	return s
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// keywords are Rust's strict and reserved keywords (2021 edition).
var keywords = setOf("as", "break", "const", "continue", "crate", "else", "enum", "extern", "false",
	"fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
	"return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use",
	"where", "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final",
	"macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "union")

// unrawable keywords cannot be written as r#name.
var unrawable = setOf("crate", "self", "super", "Self")

// reservedTypes are type names the generated code uses unqualified (the
// prelude's and its own), so WIT types of those names get a suffix.
var reservedTypes = setOf("Vec", "String", "Option", "Result", "Box", "Some", "None", "Ok", "Err",
	"Self", "Guest", "Drop", "Clone", "Copy", "Debug", "PartialEq", "Eq", "Hash", "Default", "Sized")

func setOf(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// nameSet hands out unique identifiers within one namespace.
type nameSet map[string]bool

// take returns name, or name with a number appended if it is taken.
func (s nameSet) take(name string) string {
	if !s[name] {
		s[name] = true
		return name
	}
	base := strings.TrimSuffix(name, "_")
	raw := strings.HasPrefix(base, "r#")
	base = strings.TrimPrefix(base, "r#")
	for i := 2; ; i++ {
		n := fmt.Sprintf("%s%d", base, i)
		if raw && keywords[n] {
			n = "r#" + n
		}
		if !s[n] {
			s[n] = true
			return n
		}
	}
}
