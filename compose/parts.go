package compose

import (
	"fmt"
	"strings"

	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/wit"
)

// part is one input component with its world as WIT.
type part struct {
	index   int
	name    string
	comp    *component.Component
	r       *wit.Resolve
	imports []*extern
	exports []*extern
}

// extern is one import or export of a part's world.
type extern struct {
	part *part
	name string // the extern name: `ns:pkg/i@1.2.3` or a plain name
	key  wit.WorldKey
	item *wit.WorldItem
}

// readPart decodes and describes one input. It is validated as part of
// the composed component (validation is most of the cost of composing,
// so it is done once); validateInputs attributes a failure.
func readPart(index int, in Input) (*part, error) {
	if b := in.Bytes; len(b) >= 8 && string(b[:4]) == "\x00asm" && b[4] == 1 && b[5] == 0 && b[6] == 0 && b[7] == 0 {
		return nil, fmt.Errorf("%s is a core module, not a component (witgo component new makes one of it)", in.Name)
	}
	c, err := component.Decode(in.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Name, err)
	}
	r, w, err := component.ComponentWorld(c)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Name, err)
	}
	p := &part{index: index, name: in.Name, comp: c, r: r}
	world := r.Worlds[w]
	for key, item := range world.Imports.All() {
		p.imports = append(p.imports, &extern{part: p, name: externName(r, key), key: key, item: item})
	}
	for key, item := range world.Exports.All() {
		p.exports = append(p.exports, &extern{part: p, name: externName(r, key), key: key, item: item})
	}
	return p, nil
}

func externName(r *wit.Resolve, key wit.WorldKey) string {
	if key.IsInterface() {
		return r.InterfaceName(key.Interface)
	}
	return key.Name
}

// kindName says what an extern is, for messages.
func (e *extern) kindName() string {
	switch e.item.Kind {
	case wit.ItemInterface:
		return "an interface"
	case wit.ItemFunction:
		return "a function"
	}
	return "a type"
}

// splitVersion cuts `ns:pkg/i@1.2.3` into `ns:pkg/i` and its version;
// the version is nil for plain names and unversioned interfaces.
func splitVersion(name string) (string, *wit.Version) {
	base, ver, ok := strings.Cut(name, "@")
	if !ok {
		return name, nil
	}
	v, err := wit.ParseVersion(ver)
	if err != nil {
		return name, nil
	}
	return base, v
}

// compatKey is what semver-compatible names share: the base name and the
// version's compatibility track.
func compatKey(name string) string {
	base, v := splitVersion(name)
	if v == nil {
		return name
	}
	return base + "@" + v.CompatTrack()
}

// namesMatch reports whether an import of name a is satisfied by an
// export of name b.
func namesMatch(a, b string) bool { return a == b || compatKey(a) == compatKey(b) }
