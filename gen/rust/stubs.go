package rustgen

import (
	"fmt"
	"strings"

	"github.com/witgo/witgo/wit"
)

// genStubs writes stub.rs: `pub struct Stub` implementing every Guest
// trait with unimplemented!(), one type per exported resource, and the
// export! call. A starting point, and what the compile tests build.
func (g *generator) genStubs() ([]byte, error) {
	var sb strings.Builder
	sb.WriteString(Header + "\n//\n// A stub implementation of the exports: declare `mod stub;` beside `mod bindings;`\n// and replace the bodies.\n")
	var body strings.Builder
	mods := []*module{g.root}
	for _, m := range g.mods {
		if m.exported {
			mods = append(mods, m)
		}
	}
	any := false
	for _, m := range mods {
		var free []*wit.Function
		for _, f := range m.funcs {
			if f.Kind == wit.Freestanding && m.isExportedFn(f) {
				free = append(free, f)
			}
		}
		resources := []wit.TypeID{}
		if m.exported {
			resources = g.ownResources(m)
		}
		if len(free) == 0 && len(resources) == 0 {
			continue
		}
		any = true
		// Types are written from the crate root through the module path.
		view := &module{absPrefix: g.opts.ModulePath, types: m.types, fnNames: m.fnNames,
			exported: m.exported, iface: m.iface, hasIface: m.hasIface, isWorld: m.isWorld, depth: m.depth}
		path := g.modulePath(m)
		prefix := strings.ReplaceAll(strings.Join(m.segments(), "-"), "r#", "")
		resNames := map[wit.TypeID]string{}
		for _, id := range resources {
			resNames[id] = "Stub" + camelName(prefix) + m.types[id]
		}
		fmt.Fprintf(&body, "\nimpl %s::Guest for Stub {\n", path)
		for _, id := range resources {
			fmt.Fprintf(&body, "    type %s = %s;\n", m.types[id], resNames[id])
		}
		for _, f := range free {
			sig, err := g.stubSignature(view, m, f)
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(&body, "    %s {\n        unimplemented!()\n    }\n", sig)
		}
		body.WriteString("}\n")
		for _, id := range resources {
			fmt.Fprintf(&body, "\npub struct %s;\n\nimpl %s::%s for %s {\n", resNames[id], path, m.traits[id], resNames[id])
			for _, f := range m.funcs {
				if f.Kind == wit.Freestanding || g.followAlias(f.Resource) != id {
					continue
				}
				sig, err := g.stubSignature(view, m, f)
				if err != nil {
					return nil, err
				}
				fmt.Fprintf(&body, "    %s {\n        unimplemented!()\n    }\n", sig)
			}
			body.WriteString("}\n")
		}
	}
	if any {
		sb.WriteString("/// Implements every export with unimplemented!().\npub struct Stub;\n")
		sb.WriteString(body.String())
		fmt.Fprintf(&sb, "\n%s::export!(Stub);\n", g.opts.ModulePath)
	}
	return []byte(breakLongLines(sb.String())), nil
}

// stubSignature is an export's signature written outside the bindings
// (types through absolute paths, parameters prefixed with _).
func (g *generator) stubSignature(view, m *module, f *wit.Function) (string, error) {
	return g.exportSignatureFrom(view, m, f)
}

// exportSignatureFrom renders f's trait signature with types as seen from
// view, for the functions of m.
func (g *generator) exportSignatureFrom(view, m *module, f *wit.Function) (string, error) {
	ns := nameSet{}
	var parts []string
	typ := func(t wit.Type) (string, error) {
		s, err := g.rustType(t, m, modeOwned)
		if err != nil {
			return "", err
		}
		return absolutize(s, m, view), nil
	}
	for i, p := range f.Params {
		if i == 0 && f.Kind == wit.Method {
			parts = append(parts, "&self")
			continue
		}
		t, err := typ(p.Type)
		if err != nil {
			return "", err
		}
		parts = append(parts, "_"+strings.TrimPrefix(ns.take(snakeName(p.Name)), "r#")+": "+t)
	}
	sig := "fn " + m.fnNames[f] + "(" + strings.Join(parts, ", ") + ")"
	switch {
	case f.Kind == wit.Constructor:
		sig += " -> Self"
	case f.Result != wit.NoType:
		rt, err := typ(f.Result)
		if err != nil {
			return "", err
		}
		sig += " -> " + rt
	}
	return sig, nil
}

// absolutize rewrites a type written in module m (paths relative through
// super:: or bare names of m's own types) into absolute paths.
func absolutize(s string, m, view *module) string {
	up := strings.Repeat("super::", m.depth)
	root := view.absPrefix + "::"
	here := root + strings.Join(append(m.segments(), ""), "::")
	if m.depth == 0 {
		here = root
	}
	var out strings.Builder
	i := 0
	for i < len(s) {
		if up != "" && strings.HasPrefix(s[i:], up) {
			out.WriteString(root)
			i += len(up)
			continue
		}
		c := s[i]
		if c >= 'A' && c <= 'Z' && (i == 0 || !isPathChar(s[i-1])) {
			j := i
			for j < len(s) && isPathChar(s[j]) {
				j++
			}
			word := s[i:j]
			if !preludeNames[word] {
				out.WriteString(here)
			}
			out.WriteString(word)
			i = j
			continue
		}
		out.WriteByte(c)
		i++
	}
	return out.String()
}

func isPathChar(c byte) bool {
	return c == '_' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '#'
}

var preludeNames = setOf("Vec", "String", "Option", "Result", "Box", "Self")
