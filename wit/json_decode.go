package wit

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// UnmarshalResolveJSON reads the JSON form of a Resolve (as MarshalJSON and
// wasm-tools' `component wit --json` write it) back into a Resolve.
//
// Every cross reference is checked to be in range, and a type definition
// may refer only to types before it (wit-parser's arenas are in that order),
// so the result has no reference cycles. `external_id` and `clone_of` are
// accepted and dropped: the model has no place for them. Positions are lost.
func UnmarshalResolveJSON(b []byte) (*Resolve, error) {
	root, err := parseJSONTree(b)
	if err != nil {
		return nil, fmt.Errorf("wit: reading Resolve JSON: %w", err)
	}
	d := &resolveDecoder{r: NewResolve()}
	if err := d.resolve(root); err != nil {
		return nil, fmt.Errorf("wit: reading Resolve JSON: %w", err)
	}
	return d.r, nil
}

type resolveDecoder struct {
	r                               *Resolve
	nWorlds, nIfaces, nTypes, nPkgs int
}

// at prefixes err with where it happened.
func jsonAt(where string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", where, err)
}

func jsonAtIndex(what string, i int, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s[%d]: %w", what, i, err)
}

func jsonWantKind(v *jsonValue, k jsonKind) error {
	if v.kind != k {
		return fmt.Errorf("expected %v, found %v", k, v.kind)
	}
	return nil
}

// requireKeys checks that an object has the keys every instance must have.
func jsonRequireKeys(v *jsonValue, keys ...string) error {
	for _, k := range keys {
		found := false
		for _, f := range v.fields {
			if f.key == k {
				found = true
				break
			}
		}
		if !found {
			return fmt.Errorf("missing key %q", k)
		}
	}
	return nil
}

func jsonUnknownKey(k string) error { return fmt.Errorf("unknown key %q", k) }

// single returns the one member of an externally tagged enum's object.
func jsonSingle(v *jsonValue) (jsonField, error) {
	if err := jsonWantKind(v, jsonObject); err != nil {
		return jsonField{}, err
	}
	if len(v.fields) != 1 {
		return jsonField{}, fmt.Errorf("expected an object with one key, found %d keys", len(v.fields))
	}
	return v.fields[0], nil
}

func jsonStr(v *jsonValue) (string, error) {
	if err := jsonWantKind(v, jsonString); err != nil {
		return "", err
	}
	return v.text, nil
}

// optName reads a Rust Option<String>; null is "". An empty string would
// read back as null, so it is refused.
func jsonOptName(v *jsonValue) (string, error) {
	if v.kind == jsonNull {
		return "", nil
	}
	s, err := jsonStr(v)
	if err == nil && s == "" {
		err = errors.New("empty name (use null)")
	}
	return s, err
}

// index reads an arena index and checks it is below limit.
func jsonIndex(v *jsonValue, limit int, what string) (int, error) {
	if err := jsonWantKind(v, jsonNumber); err != nil {
		return 0, err
	}
	n, err := strconv.ParseUint(v.text, 10, 31)
	if err != nil {
		return 0, fmt.Errorf("invalid %s index %s", what, v.text)
	}
	if int(n) >= limit {
		return 0, fmt.Errorf("%s index %d out of range (have %d)", what, n, limit)
	}
	return int(n), nil
}

func (d *resolveDecoder) resolve(v *jsonValue) error {
	if err := jsonWantKind(v, jsonObject); err != nil {
		return err
	}
	if err := jsonRequireKeys(v, "worlds", "interfaces", "types", "packages"); err != nil {
		return err
	}
	arenas := map[string]*jsonValue{}
	for _, f := range v.fields {
		switch f.key {
		case "worlds", "interfaces", "types", "packages":
			if err := jsonWantKind(f.val, jsonArray); err != nil {
				return jsonAt(f.key, err)
			}
			arenas[f.key] = f.val
		default:
			return jsonUnknownKey(f.key)
		}
	}
	d.nWorlds = len(arenas["worlds"].items)
	d.nIfaces = len(arenas["interfaces"].items)
	d.nTypes = len(arenas["types"].items)
	d.nPkgs = len(arenas["packages"].items)
	r := d.r
	for i, item := range arenas["types"].items {
		td, err := d.typeDef(item, i)
		if err != nil {
			return jsonAtIndex("types", i, err)
		}
		r.Types = append(r.Types, td)
	}
	for i, item := range arenas["interfaces"].items {
		it, err := d.iface(item)
		if err != nil {
			return jsonAtIndex("interfaces", i, err)
		}
		r.Interfaces = append(r.Interfaces, it)
	}
	for i, item := range arenas["worlds"].items {
		w, err := d.world(item)
		if err != nil {
			return jsonAtIndex("worlds", i, err)
		}
		r.Worlds = append(r.Worlds, w)
	}
	for i, item := range arenas["packages"].items {
		p, err := d.pkg(item)
		if err != nil {
			return jsonAtIndex("packages", i, err)
		}
		name := p.Name.String()
		if _, dup := r.PackageNames[name]; dup {
			return jsonAtIndex("packages", i, fmt.Errorf("duplicate package %s", name))
		}
		r.PackageNames[name] = PackageID(i)
		r.Packages = append(r.Packages, p)
	}
	return nil
}

func (d *resolveDecoder) pkg(v *jsonValue) (*Package, error) {
	p := &Package{}
	err := jsonEachField(v, []string{"name", "interfaces", "worlds"}, func(f jsonField) (err error) {
		switch f.key {
		case "name":
			var s string
			if s, err = jsonStr(f.val); err == nil {
				p.Name, err = jsonParsePackageName(s)
			}
		case "docs":
			p.Docs, err = jsonDocs(f.val)
		case "interfaces":
			err = jsonIdMap(f.val, d.nIfaces, "interface", func(k string, i int) { p.Interfaces.Set(k, InterfaceID(i)) })
		case "worlds":
			err = jsonIdMap(f.val, d.nWorlds, "world", func(k string, i int) { p.Worlds.Set(k, WorldID(i)) })
		default:
			err = jsonUnknownKey(f.key)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// parsePackageName splits `ns:name@version`.
func jsonParsePackageName(s string) (PackageName, error) {
	var n PackageName
	rest, ver, hasVer := strings.Cut(s, "@")
	ns, name, ok := strings.Cut(rest, ":")
	if !ok || ns == "" || name == "" {
		return n, fmt.Errorf("package name %q is not of the form ns:name[@version]", s)
	}
	n.Namespace, n.Name = ns, name
	if hasVer {
		v, err := ParseVersion(ver)
		if err != nil {
			return n, err
		}
		n.Version = v
	}
	return n, nil
}

// idMap reads a `{"name": index}` object in order.
func jsonIdMap(v *jsonValue, limit int, what string, set func(string, int)) error {
	if err := jsonWantKind(v, jsonObject); err != nil {
		return err
	}
	for _, f := range v.fields {
		i, err := jsonIndex(f.val, limit, what)
		if err != nil {
			return jsonAt(f.key, err)
		}
		set(f.key, i)
	}
	return nil
}

func (d *resolveDecoder) optPackage(v *jsonValue) (PackageID, error) {
	if v.kind == jsonNull {
		return NoPackage, nil
	}
	i, err := jsonIndex(v, d.nPkgs, "package")
	return PackageID(i), err
}

func jsonDocs(v *jsonValue) (string, error) {
	f, err := jsonSingle(v)
	if err != nil {
		return "", err
	}
	if f.key != "contents" {
		return "", jsonUnknownKey(f.key)
	}
	if f.val.kind == jsonNull {
		return "", nil
	}
	return jsonStr(f.val)
}

func jsonStability(v *jsonValue) (Stability, error) {
	var s Stability
	if v.kind == jsonString && v.text == "unknown" {
		return s, nil
	}
	tag, err := jsonSingle(v)
	if err != nil {
		return s, err
	}
	switch tag.key {
	case "stable":
		s.Kind = Stable
		err = jsonRequireKeys(tag.val, "since")
	case "unstable":
		s.Kind = Unstable
		err = jsonRequireKeys(tag.val, "feature")
	default:
		return s, jsonUnknownKey(tag.key)
	}
	if err == nil {
		err = jsonWantKind(tag.val, jsonObject)
	}
	if err != nil {
		return s, jsonAt(tag.key, err)
	}
	for _, f := range tag.val.fields {
		switch {
		case f.key == "since" && s.Kind == Stable:
			s.Since, err = jsonVersion(f.val)
		case f.key == "feature" && s.Kind == Unstable:
			s.Feature, err = jsonStr(f.val)
		case f.key == "deprecated":
			if f.val.kind != jsonNull {
				s.Deprecated, err = jsonVersion(f.val)
			}
		default:
			err = jsonUnknownKey(f.key)
		}
		if err != nil {
			return s, jsonAt(tag.key+"."+f.key, err)
		}
	}
	return s, nil
}

func jsonVersion(v *jsonValue) (*Version, error) {
	s, err := jsonStr(v)
	if err != nil {
		return nil, err
	}
	return ParseVersion(s)
}

// externalID accepts the `external_id` a newer wit-parser may write.
func jsonExternalID(v *jsonValue) error {
	if v.kind == jsonNull {
		return nil
	}
	_, err := jsonStr(v)
	return err
}

// jsonEachField checks that v is an object with the required keys and calls
// each for its members in order; an error names the member it came from.
func jsonEachField(v *jsonValue, required []string, each func(jsonField) error) error {
	if err := jsonWantKind(v, jsonObject); err != nil {
		return err
	}
	if err := jsonRequireKeys(v, required...); err != nil {
		return err
	}
	for _, f := range v.fields {
		if err := each(f); err != nil {
			return jsonAt(f.key, err)
		}
	}
	return nil
}
