package gogen

import (
	"go/token"
	"strings"
)

// GoName turns a WIT kebab-case label into an exported Go identifier:
// `get-random-bytes` -> GetRandomBytes, `is-XML` -> IsXML. A leading digit
// (possible only after a namespace prefix is stripped) gets an X.
func GoName(label string) string {
	var sb strings.Builder
	sb.Grow(len(label))
	for _, part := range strings.Split(label, "-") {
		if part == "" {
			continue
		}
		sb.WriteString(strings.ToUpper(part[:1]))
		sb.WriteString(part[1:])
	}
	s := sb.String()
	if s == "" || !isLetter(s[0]) {
		s = "X" + s
	}
	return s
}

// localName turns a label into an unexported Go identifier for parameters
// and locals: `buffer-size` -> bufferSize. Go keywords, predeclared names
// and the names generated code uses itself get a trailing underscore.
func localName(label string) string {
	g := GoName(label)
	i := 0
	for i < len(g) && g[i] >= 'A' && g[i] <= 'Z' {
		i++
	}
	// Lower the leading run of capitals, but keep the one that starts the
	// next word (`XMLParser` -> xmlParser).
	if i > 1 && i < len(g) {
		i--
	}
	s := strings.ToLower(g[:i]) + g[i:]
	if token.IsKeyword(s) || reservedLocals[s] {
		s += "_"
	}
	return s
}

// packageName turns an interface or world name into a Go package name:
// lower case without dashes (`wall-clock` -> wallclock).
func packageName(label string) string {
	s := dirName(label)
	if token.IsKeyword(s) || reservedLocals[s] {
		s += "_"
	}
	return s
}

// dirName is the directory of a generated package: its WIT name in lower
// case without dashes (the package name adds an escape where Go needs one).
func dirName(label string) string {
	s := strings.ToLower(strings.ReplaceAll(label, "-", ""))
	if s == "" || !isLetter(s[0]) {
		s = "x" + s
	}
	return s
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// reservedLocals are names a parameter must not take: predeclared
// identifiers the generated code relies on, the packages it imports, and
// its own temporaries.
var reservedLocals = map[string]bool{
	"bool": true, "string": true, "len": true, "make": true, "uint8": true, "uint16": true,
	"uint32": true, "uint64": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"float32": true, "float64": true, "rune": true, "byte": true, "any": true, "error": true,
	"nil": true, "true": true, "false": true, "panic": true, "copy": true, "append": true,
	"new": true, "min": true, "max": true, "uintptr": true, "int": true, "uint": true,
	"cabi": true, "unsafe": true, "math": true, "runtime": true,
	"lw": true, "flat": true, "ret": true, "params": true, "result": true, "err": true,
	"impl": true, "rflat": true, "value": true, "r0": true,
}

// nameSet hands out unique identifiers within one Go scope.
type nameSet map[string]bool

// take returns name, or name with underscores appended until it is unused.
func (s nameSet) take(name string) string {
	for s[name] {
		name += "_"
	}
	s[name] = true
	return name
}
