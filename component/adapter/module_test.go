package adapter

import (
	"testing"

	"github.com/witgo/witgo/component/wasm"
)

func TestModuleBuildsAndValidates(t *testing.T) {
	b, err := Module()
	if err != nil {
		t.Fatal(err)
	}
	m, err := wasm.DecodeModule(b)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("adapter: %d bytes, %d imports, %d functions, %d exports", len(b), len(m.Imports), len(m.Funcs), len(m.Exports))
}
