package component

import (
	"fmt"
	"strings"
)

// Label and extern-name rules of Explainer.md, "Import and Export
// Definitions", plus the dependency/URL/integrity names that older
// versions of the spec defined and wasm-tools still writes.

// checkLabel reports whether s is a kebab-case label.
func checkLabel(s string) error {
	if s == "" {
		return fmt.Errorf("name cannot be empty")
	}
	for i, frag := range strings.Split(s, "-") {
		if frag == "" {
			return fmt.Errorf("`%s` is not in kebab case", s)
		}
		if i == 0 && !isLetter(frag[0]) {
			return fmt.Errorf("`%s` is not in kebab case", s)
		}
		lower, upper := false, false
		for j := 0; j < len(frag); j++ {
			c := frag[j]
			switch {
			case c >= 'a' && c <= 'z':
				lower = true
			case c >= 'A' && c <= 'Z':
				upper = true
			case c >= '0' && c <= '9':
			default:
				return fmt.Errorf("`%s` is not in kebab case", s)
			}
		}
		if lower && upper {
			return fmt.Errorf("`%s` is not in kebab case", s)
		}
	}
	return nil
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// checkWords checks a namespace or package name: lowercase kebab words.
func checkWords(s string) error {
	if s == "" {
		return fmt.Errorf("empty identifier segment")
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return fmt.Errorf("character `%c` is not lowercase in package name/namespace", c)
		}
	}
	return checkLabel(s)
}

// nameKind classifies a valid extern name.
type nameKind int

const (
	namePlain nameKind = iota
	nameConstructor
	nameMethod
	nameStatic
	nameInterface
	nameOther // dependency, URL and integrity names
)

// parsedName is a validated extern name.
type parsedName struct {
	kind     nameKind
	resource string // constructor, method, static
	label    string // plain: the label; method/static: the function part
}

// parseExternName validates an extern name.
func parseExternName(s string) (parsedName, error) {
	for _, p := range []struct {
		prefix string
		kind   nameKind
	}{{"[constructor]", nameConstructor}, {"[method]", nameMethod}, {"[static]", nameStatic}} {
		rest, ok := strings.CutPrefix(s, p.prefix)
		if !ok {
			continue
		}
		if p.kind == nameConstructor {
			if err := checkLabel(rest); err != nil {
				return parsedName{}, err
			}
			return parsedName{kind: p.kind, resource: rest}, nil
		}
		res, fn, ok := strings.Cut(rest, ".")
		if !ok {
			return parsedName{}, fmt.Errorf("failed to find `.` character in `%s`", s)
		}
		if err := checkLabel(res); err != nil {
			return parsedName{}, err
		}
		if err := checkLabel(fn); err != nil {
			return parsedName{}, err
		}
		return parsedName{kind: p.kind, resource: res, label: fn}, nil
	}
	if strings.HasPrefix(s, "relative-url=") {
		return parsedName{}, fmt.Errorf("`%s` is not a valid extern name", s)
	}
	for _, p := range []string{"unlocked-dep=", "locked-dep=", "url=", "integrity="} {
		if strings.HasPrefix(s, p) {
			return parsedName{kind: nameOther}, checkLegacyName(s)
		}
	}
	if strings.ContainsAny(s, ":/@") {
		return parsedName{kind: nameInterface}, checkInterfaceName(s)
	}
	if strings.HasPrefix(s, "[") {
		return parsedName{}, fmt.Errorf("`%s` is not a valid extern name", s)
	}
	return parsedName{kind: namePlain, label: s}, checkLabel(s)
}

// parseExportName validates an export name: dependency, URL and
// integrity names may only be imported.
func parseExportName(s string) (parsedName, error) {
	pn, err := parseExternName(s)
	if err == nil && pn.kind == nameOther {
		return pn, fmt.Errorf("`%s` is not a valid export name", s)
	}
	return pn, err
}

// checkInterfaceName checks namespace:package/interface@version.
func checkInterfaceName(s string) error {
	ns, rest, ok := strings.Cut(s, ":")
	if !ok {
		return fmt.Errorf("`%s` is not in kebab case", s)
	}
	if err := checkWords(ns); err != nil {
		return err
	}
	pkg, rest, ok := strings.Cut(rest, "/")
	if !ok {
		return fmt.Errorf("expected `/` after package name")
	}
	if err := checkWords(pkg); err != nil {
		return err
	}
	iface, ver, hasVer := strings.Cut(rest, "@")
	if i := strings.IndexByte(iface, '/'); i >= 0 {
		return fmt.Errorf("trailing characters found: `%s`", iface[i:])
	}
	if err := checkLabel(iface); err != nil {
		return err
	}
	if hasVer && !isCanonVersion(ver) {
		return checkSemver(ver)
	}
	return nil
}

// checkSemver checks a semantic version (semver.org 2.0).
func checkSemver(v string) error {
	bad := fmt.Errorf("`%s` is not a valid semver", v)
	core, build, hasBuild := strings.Cut(v, "+")
	core, pre, hasPre := strings.Cut(core, "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return bad
	}
	for _, p := range parts {
		if !isNumericID(p) {
			return bad
		}
	}
	if hasPre && !validIdents(pre, true) {
		return bad
	}
	if hasBuild && !validIdents(build, false) {
		return bad
	}
	return nil
}

func isNumericID(p string) bool {
	if p == "" || (len(p) > 1 && p[0] == '0') {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
	}
	return true
}

// validIdents checks dot-separated pre-release or build identifiers.
func validIdents(s string, pre bool) bool {
	for _, id := range strings.Split(s, ".") {
		if id == "" {
			return false
		}
		numeric := true
		for i := 0; i < len(id); i++ {
			c := id[i]
			switch {
			case c >= '0' && c <= '9':
			case isLetter(c) || c == '-':
				numeric = false
			default:
				return false
			}
		}
		if pre && numeric && len(id) > 1 && id[0] == '0' {
			return false
		}
	}
	return true
}

// checkLegacyName checks the unlocked-dep, locked-dep, url, relative-url
// and integrity names.
func checkLegacyName(s string) error {
	kind, rest, _ := strings.Cut(s, "=")
	body, rest, err := bracketed(rest, kind == "unlocked-dep")
	if err != nil {
		return err
	}
	switch kind {
	case "unlocked-dep":
		if err := checkPkgQuery(body); err != nil {
			return err
		}
		return noTrailing(rest)
	case "integrity":
		if err := checkIntegrity(body); err != nil {
			return err
		}
		return noTrailing(rest)
	case "locked-dep":
		if err := checkPkgName(body); err != nil {
			return err
		}
	case "url", "relative-url":
		if strings.Contains(body, "<") {
			return fmt.Errorf("url cannot contain `<`")
		}
	}
	if rest == "" {
		return nil
	}
	tail, ok := strings.CutPrefix(rest, ",integrity=")
	if !ok {
		if strings.HasPrefix(rest, ",") {
			return fmt.Errorf("expected `integrity=<`")
		}
		return fmt.Errorf("trailing characters found: `%s`", rest)
	}
	body, rest, err = bracketed(tail, false)
	if err != nil {
		return err
	}
	if err := checkIntegrity(body); err != nil {
		return err
	}
	return noTrailing(rest)
}

func noTrailing(rest string) error {
	if rest != "" {
		return fmt.Errorf("trailing characters found: `%s`", rest)
	}
	return nil
}

// bracketed splits "<body>rest"; last selects the last '>' (version
// ranges contain '>=').
func bracketed(s string, last bool) (string, string, error) {
	if !strings.HasPrefix(s, "<") {
		return "", "", fmt.Errorf("expected `<` at `%s`", s)
	}
	i := strings.IndexByte(s, '>')
	if last {
		i = strings.LastIndexByte(s, '>')
	}
	if i < 0 {
		return "", "", fmt.Errorf("failed to find `>`")
	}
	return s[1:i], s[i+1:], nil
}

func checkPkgPath(p string) error {
	ns, pkg, ok := strings.Cut(p, ":")
	if !ok {
		return fmt.Errorf("expected `:` in package name `%s`", p)
	}
	if err := checkWords(ns); err != nil {
		return err
	}
	return checkWords(pkg)
}

func checkPkgName(s string) error {
	p, ver, hasVer := strings.Cut(s, "@")
	if err := checkPkgPath(p); err != nil {
		return err
	}
	if hasVer {
		return checkSemver(ver)
	}
	return nil
}

func checkPkgQuery(s string) error {
	p, rng, hasRange := strings.Cut(s, "@")
	if err := checkPkgPath(p); err != nil {
		return err
	}
	if !hasRange || rng == "*" {
		return nil
	}
	inner, ok := strings.CutPrefix(rng, "{")
	if !ok {
		return fmt.Errorf("expected `{` at `%s`", rng)
	}
	inner, ok = strings.CutSuffix(inner, "}")
	if !ok {
		return fmt.Errorf("expected `}` at end of version range")
	}
	lower, upper, both := strings.Cut(inner, " ")
	if !both {
		if v, ok := strings.CutPrefix(inner, ">="); ok {
			return checkSemver(v)
		}
		if v, ok := strings.CutPrefix(inner, "<"); ok {
			return checkSemver(v)
		}
		return fmt.Errorf("expected `>=` or `<` at start of version range")
	}
	lv, ok1 := strings.CutPrefix(lower, ">=")
	uv, ok2 := strings.CutPrefix(upper, "<")
	if !ok1 || !ok2 {
		return fmt.Errorf("`%s` is not a valid semver", inner)
	}
	if err := checkSemver(lv); err != nil {
		return err
	}
	return checkSemver(uv)
}

// checkIntegrity checks Subresource Integrity metadata.
func checkIntegrity(s string) error {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return fmt.Errorf("integrity hash cannot be empty")
	}
	for _, f := range fields {
		alg, hash, ok := strings.Cut(f, "-")
		if !ok {
			return fmt.Errorf("expected `-` after hash algorithm")
		}
		switch alg {
		case "sha256", "sha384", "sha512":
		default:
			return fmt.Errorf("unrecognized hash algorithm `%s`", alg)
		}
		hash, _, _ = strings.Cut(hash, "?")
		body := strings.TrimRight(hash, "=")
		if body == "" || len(hash)-len(body) > 2 {
			return fmt.Errorf("not valid base64: `%s`", hash)
		}
		for i := 0; i < len(body); i++ {
			c := body[i]
			if !(isLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '/') {
				return fmt.Errorf("not valid base64: `%s`", hash)
			}
		}
	}
	return nil
}

// uniqueKey canonicalizes a name for the strong-uniqueness rule: lowercase,
// [method]l.l and [static]l.l become l, and annotations other than
// [constructor] are stripped.
func uniqueKey(s string) string {
	if strings.Contains(s, "=<") {
		return s // dependency, URL and integrity names compare exactly
	}
	s = strings.ToLower(s)
	for _, p := range []string{"[method]", "[static]"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			if a, b, ok := strings.Cut(rest, "."); ok && a == b {
				return a
			}
			return rest
		}
	}
	return s
}

// nameSet detects names that are not strongly unique.
type nameSet map[string]string

func (ns *nameSet) add(name, what string) error {
	if *ns == nil {
		*ns = nameSet{}
	}
	k := uniqueKey(name)
	if prev, ok := (*ns)[k]; ok {
		if prev == name {
			return fmt.Errorf("%s name `%s` conflicts with previous name `%s` (duplicate %s name)", what, name, prev, what)
		}
		return fmt.Errorf("%s name `%s` conflicts with previous name `%s`", what, name, prev)
	}
	(*ns)[k] = name
	return nil
}

// Name attribute kinds.
const (
	AttrImplements    byte = 0x00
	AttrVersionSuffix byte = 0x01
	AttrExternalID    byte = 0x02
)

var attrNames = [3]string{"implements", "versionsuffix", "external-id"}

// checkAttrs validates the attributes of an extern name given to an item
// of the given extern kind.
func checkAttrs(n ExternName, pn parsedName, kind byte) error {
	var seen [3]bool
	for _, a := range n.Attrs {
		if seen[a.Kind] {
			return fmt.Errorf("duplicate '%s' option in name", attrNames[a.Kind])
		}
		seen[a.Kind] = true
		switch a.Kind {
		case AttrImplements:
			if a.Value == "" {
				return fmt.Errorf("`` is not a valid name for `implements`")
			}
			if !strings.ContainsAny(a.Value, ":/") {
				return fmt.Errorf("`implements` value `%s` must be an interface name", a.Value)
			}
			if err := checkInterfaceName(a.Value); err != nil {
				return fmt.Errorf("`implements` value must be an interface name: %v", err)
			}
			if kind != ExternInstance {
				return fmt.Errorf("only instances can have an `implements` attribute")
			}
			if pn.kind != namePlain {
				return fmt.Errorf("name `%s` is not valid with `implements`", n.Name)
			}
		case AttrVersionSuffix:
			_, ver, ok := strings.Cut(n.Name, "@")
			if !ok || pn.kind != nameInterface || !isCanonVersion(ver) {
				return fmt.Errorf("`versionsuffix` requires an interface name with a canonical version")
			}
			if err := checkSemver(ver + a.Value); err != nil {
				return fmt.Errorf("version `%s` with suffix `%s` is not a valid semver", ver, a.Value)
			}
		}
	}
	return nil
}

// isCanonVersion reports whether v is a canonversion: 1, 0.2, 0.0.3, 0.0.0.
func isCanonVersion(v string) bool {
	parts := strings.Split(v, ".")
	switch {
	case len(parts) == 1:
		return isNumericID(parts[0]) && parts[0] != "0"
	case len(parts) == 2:
		return parts[0] == "0" && isNumericID(parts[1]) && parts[1] != "0"
	case len(parts) == 3:
		return parts[0] == "0" && parts[1] == "0" && isNumericID(parts[2])
	}
	return false
}
