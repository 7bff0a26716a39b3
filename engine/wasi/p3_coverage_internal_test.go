package wasi

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/witgo/witgo/internal/testshared"
	"github.com/witgo/witgo/wit"
)

// TestP3CoversCommandWorld: every interface wasi:cli/command@0.3.0
// imports (the WIT with all features, so timezone too), every function
// of it and every resource it defines has a host implementation; the
// WIT is the authority on names.
func TestP3CoversCommandWorld(t *testing.T) {
	dir := testshared.Dir(t, "reference", "wasi", "0.3.0", "wit")
	r := wit.NewResolve()
	r.AllFeatures = true
	pkg, err := r.LoadPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	cli, ok := r.PackageNames["wasi:cli@0.3.0"]
	if !ok {
		t.Fatalf("no wasi:cli@0.3.0 among the packages of %s (main package %d)", dir, pkg)
	}
	w, err := r.SelectWorld(cli, "command")
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	impls := h.interfaces3()
	funcs, ifaces := 0, 0
	for _, item := range r.Worlds[w].Imports.All() {
		if item.Kind != wit.ItemInterface {
			t.Errorf("unexpected world-level import %v", item)
			continue
		}
		iface := r.Interfaces[item.Interface]
		p := r.Packages[iface.Package].Name
		name := p.Namespace + ":" + p.Name + "/" + iface.Name
		impl, ok := impls[name]
		if !ok {
			t.Errorf("%s@0.3.0: no host implementation", name)
			continue
		}
		ifaces++
		for _, f := range iface.Functions.All() {
			if impl.funcs[f.Name] == nil {
				t.Errorf("%s@0.3.0: no host function %s", name, f.Name)
			}
			funcs++
		}
		for tname, id := range iface.Types.All() {
			td := r.Types[id]
			if _, isRes := td.Kind.(*wit.Resource); isRes && td.Owner.Kind == wit.OwnerInterface && !slices.Contains(impl.resources, tname) {
				t.Errorf("%s@0.3.0: resource %s not declared", name, tname)
			}
		}
	}
	t.Logf("%d interfaces, %d functions of %s", ifaces, funcs, filepath.Base(dir))
}
