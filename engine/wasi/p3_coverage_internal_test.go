package wasi

import "testing"

// TestP3CoversCommandWorld: every interface wasi:cli/command@0.3.0
// imports (the WIT with all features, so timezone too), every function
// of it and every resource it defines has a host implementation; the
// WIT is the authority on names.
func TestP3CoversCommandWorld(t *testing.T) {
	r, w := commandWorld(t, "0.3.0", true)
	h, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	ifaces, funcs := checkCovers(t, r, w, h.interfaces3(), "0.3.0")
	t.Logf("%d interfaces, %d functions of wasi:cli/command@0.3.0", ifaces, funcs)
}
