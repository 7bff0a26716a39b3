package gogen

import (
	"go/token"
	"testing"
)

func TestGoName(t *testing.T) {
	for in, want := range map[string]string{
		"get-random-bytes":    "GetRandomBytes",
		"is-XML":              "IsXML",
		"ipv4-socket-address": "Ipv4SocketAddress",
		"a1-2-3":              "A123",
		"type":                "Type",
		"x":                   "X",
		"A-B-C":               "ABC",
	} {
		if got := GoName(in); got != want {
			t.Errorf("GoName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLocalNameEscapesKeywordsAndBuiltins(t *testing.T) {
	for in, want := range map[string]string{
		"buffer-size": "bufferSize",
		"type":        "type_",
		"func":        "func_",
		"range":       "range_",
		"len":         "len_",
		"string":      "string_",
		"error":       "error_",
		"cabi":        "cabi_", // the support package
		"lw":          "lw_",   // a temporary of the generated code
		"XML-parser":  "xmlParser",
		"self":        "self",
		"a":           "a",
	} {
		if got := localName(in); got != want {
			t.Errorf("localName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPackageName(t *testing.T) {
	for in, want := range map[string]string{
		"wall-clock": "wallclock",
		"streams":    "streams",
		"error":      "error_",
		"go":         "go_",
		"import":     "import_",
	} {
		if got := packageName(in); got != want {
			t.Errorf("packageName(%q) = %q, want %q", in, got, want)
		}
		if d := dirName(in); d != want && d+"_" != want {
			t.Errorf("dirName(%q) = %q, inconsistent with package %q", in, d, want)
		}
	}
}

func TestNameSetMakesNamesUnique(t *testing.T) {
	ns := nameSet{}
	got := []string{ns.take("Drop"), ns.take("Drop"), ns.take("Drop_"), ns.take("Other")}
	want := []string{"Drop", "Drop_", "Drop__", "Other"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("take sequence = %q, want %q", got, want)
		}
	}
}

// FuzzNames checks that any kebab-ish label becomes valid Go identifiers.
func FuzzNames(f *testing.F) {
	for _, s := range []string{"get-random-bytes", "is-XML", "type", "a1-2-3", "", "-", "9lives", "wall-clock"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, label string) {
		for _, c := range []byte(label) {
			if !isLetter(c) && !(c >= '0' && c <= '9') && c != '-' {
				return // WIT labels hold only these characters
			}
		}
		for _, id := range []string{GoName(label), localName(label), packageName(label)} {
			if !token.IsIdentifier(id) {
				t.Fatalf("label %q gives %q, not a Go identifier", label, id)
			}
		}
		if !token.IsExported(GoName(label)) {
			t.Fatalf("GoName(%q) = %q is not exported", label, GoName(label))
		}
	})
}
