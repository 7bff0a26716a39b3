package wasi

import (
	"slices"
	"testing"

	"github.com/witgo/witgo/internal/testshared"
	"github.com/witgo/witgo/wit"
)

// TestCoversCommandWorld: every interface wasi:cli/command@0.2.0 and
// @0.2.12 import (the stable ones: 0.2's host lacks the unstable
// wasi:clocks/timezone), every function of it and every resource it
// defines has a host implementation; the WIT is the authority on names.
func TestCoversCommandWorld(t *testing.T) {
	for _, ver := range []string{"0.2.0", "0.2.12"} {
		t.Run(ver, func(t *testing.T) {
			r, w := commandWorld(t, ver, false)
			h, err := New(Config{})
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			ifaces, funcs := checkCovers(t, r, w, h.interfaces(), ver)
			if ifaces < 27 { // cli 10, io 3, clocks 2, random 3, filesystem 2, sockets 7
				t.Errorf("only %d interfaces in the command world: is the WIT complete?", ifaces)
			}
			t.Logf("%d interfaces, %d functions of wasi:cli/command@%s", ifaces, funcs, ver)
		})
	}
}

// commandWorld loads shared/reference/wasi/<ver>/wit (unstable features
// too if allFeatures) and selects wasi:cli@<ver>'s command world.
func commandWorld(t *testing.T, ver string, allFeatures bool) (*wit.Resolve, *wit.World) {
	t.Helper()
	dir := testshared.Dir(t, "reference", "wasi", ver, "wit")
	r := wit.NewResolve()
	r.AllFeatures = allFeatures
	if _, err := r.LoadPath(dir); err != nil {
		t.Fatal(err)
	}
	cli, ok := r.PackageNames["wasi:cli@"+ver]
	if !ok {
		t.Fatalf("no wasi:cli@%s among the packages of %s", ver, dir)
	}
	w, err := r.SelectWorld(cli, "command")
	if err != nil {
		t.Fatal(err)
	}
	return r, r.Worlds[w]
}

// checkCovers reports (as test errors) each interface world w imports,
// function of it or resource it defines that impls lacks, and counts the
// interfaces and functions.
func checkCovers(t *testing.T, r *wit.Resolve, w *wit.World, impls map[string]ifaceImpl, ver string) (ifaces, funcs int) {
	t.Helper()
	for _, item := range w.Imports.All() {
		if item.Kind != wit.ItemInterface {
			t.Errorf("unexpected world-level import %v", item)
			continue
		}
		iface := r.Interfaces[item.Interface]
		p := r.Packages[iface.Package].Name
		name := p.Namespace + ":" + p.Name + "/" + iface.Name
		impl, ok := impls[name]
		if !ok {
			t.Errorf("%s@%s: no host implementation", name, ver)
			continue
		}
		ifaces++
		for _, f := range iface.Functions.All() {
			if impl.funcs[f.Name] == nil {
				t.Errorf("%s@%s: no host function %s", name, ver, f.Name)
			}
			funcs++
		}
		for tname, id := range iface.Types.All() {
			td := r.Types[id]
			if _, isRes := td.Kind.(*wit.Resource); isRes && td.Owner.Kind == wit.OwnerInterface && !slices.Contains(impl.resources, tname) {
				t.Errorf("%s@%s: resource %s not declared", name, ver, tname)
			}
		}
	}
	return ifaces, funcs
}
