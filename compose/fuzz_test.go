package compose

import "testing"

// FuzzCompose feeds mutated socket and plug binaries to Compose: it must
// return a component or an error, never panic. Seeds are stub components
// of the tests (a link, a chain with a cycle, a resource and a merge).
func FuzzCompose(f *testing.F) {
	f.Add(stubComponent(f, socketUsesMath), stubComponent(f, plugMath))
	f.Add(stubComponent(f, `package test:e@0.1.0;
interface types { resource handle { get: func() -> u32; } }
world w { import types; export types; }`), stubComponent(f, plugMath))
	f.Fuzz(func(t *testing.T, socket, plug []byte) {
		res, err := Compose([]Input{{Name: "socket", Bytes: socket}, {Name: "plug", Bytes: plug}})
		if err == nil && len(res.Component) == 0 {
			t.Fatal("no error and no component")
		}
	})
}
