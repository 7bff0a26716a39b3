package canonabi

import (
	"fmt"
	"strings"

	"github.com/witgo/witgo/wit"
)

// Summary renders the ABI of world w as text for `witgo wit --abi`: for each
// world item, the size, alignment and flattening of its named types, and
// for each function its core name (in the legacy scheme), direction, core
// signature and the facts that go with it (spilled parameters, return area,
// post-return).
func (a *ABI) Summary(w wit.WorldID) (string, error) {
	names, err := a.Names(w, Legacy)
	if err != nil {
		return "", err
	}
	r := a.Resolve
	world := r.Worlds[w]
	var sb strings.Builder
	fmt.Fprintf(&sb, "world %s\n", world.Name)
	for exported, items := range []*wit.OrderedMap[wit.WorldKey, *wit.WorldItem]{&world.Imports, &world.Exports} {
		verb := [2]string{"import", "export"}[exported]
		for key, item := range items.All() {
			switch item.Kind {
			case wit.ItemFunction:
				fmt.Fprintf(&sb, "%s func %s\n", verb, key.Name)
				if err := a.summarizeFunc(&sb, names, exported == 1, item.Function); err != nil {
					return "", err
				}
			case wit.ItemType:
				fmt.Fprintf(&sb, "%s type %s\n", verb, key.Name)
				if err := a.summarizeType(&sb, key.Name, item.Type); err != nil {
					return "", err
				}
			case wit.ItemInterface:
				iname, err := interfaceName(r, key, Legacy)
				if err != nil {
					return "", err
				}
				fmt.Fprintf(&sb, "%s interface %s\n", verb, iname)
				iface := r.Interfaces[item.Interface]
				for name, id := range iface.Types.All() {
					if err := a.summarizeType(&sb, name, id); err != nil {
						return "", err
					}
				}
				for f := range iface.Functions.Values() {
					if err := a.summarizeFunc(&sb, names, exported == 1, f); err != nil {
						return "", err
					}
				}
			}
		}
	}
	return sb.String(), nil
}

func (a *ABI) summarizeType(sb *strings.Builder, name string, id wit.TypeID) error {
	t := wit.Ref(id)
	sh, err := a.shape(t)
	if err != nil {
		return err
	}
	desc := sh.kind.String()
	switch k := a.Resolve.Types[id].Kind.(type) {
	case *wit.Resource:
		desc = "resource (own handle)"
	case *wit.Alias:
		desc = "alias of " + a.typeStringLocked(k.Type, 1)
	}
	flat := fmt.Sprintf("flat %d values", sh.flatLen)
	if !sh.flatTooLong {
		flat = "flat " + flatText(sh.flat)
	}
	fmt.Fprintf(sb, "  type %s: %s size=%d align=%d %s\n", name, desc, sh.size, sh.align, flat)
	return nil
}

func (a *ABI) summarizeFunc(sb *strings.Builder, names *Names, exported bool, f *wit.Function) error {
	dir := Lower
	if exported {
		dir = Lift
	}
	sig, err := a.Signature(f, dir)
	if err != nil {
		return err
	}
	cn, ok := names.Func(exported, f)
	if !ok {
		return fmt.Errorf("canonabi: function %s has no core name", f.Name)
	}
	fmt.Fprintf(sb, "  func %s: %s %s %s\n", f.Name, cn, dir, sig)
	var notes []string
	if sig.ParamsInMemory {
		notes = append(notes, fmt.Sprintf("params in memory size=%d align=%d", sig.ParamsLayout.Size, sig.ParamsLayout.Align))
	}
	if sig.RetPtr {
		notes = append(notes, fmt.Sprintf("return area size=%d align=%d", sig.ResultLayout.Size, sig.ResultLayout.Align))
	} else if sig.ResultInMemory {
		notes = append(notes, fmt.Sprintf("returns pointer to size=%d align=%d", sig.ResultLayout.Size, sig.ResultLayout.Align))
	}
	if sig.NeedsPostReturn {
		post, _ := names.PostReturn(f)
		notes = append(notes, "post-return "+post.Field)
	}
	if sig.NeedsRealloc {
		notes = append(notes, "needs realloc")
	}
	if len(notes) > 0 {
		fmt.Fprintf(sb, "    %s\n", strings.Join(notes, "; "))
	}
	return nil
}
