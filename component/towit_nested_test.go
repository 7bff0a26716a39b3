package component

import (
	"os"
	"strings"
	"testing"
)

// A nested component's outer alias refers to the component that defines
// it, though another one instantiates it: module-link.1 of the corpus
// instantiates, inside an instance of one nested component, a component
// defined one level up. The world is the one jco wit prints (which
// spells the empty interface `{\n  }`).
func TestComponentWorldNestedOuterAlias(t *testing.T) {
	var path string
	for _, p := range corpusBinaries(t) {
		if strings.HasSuffix(p, "module-link.1.wasm") {
			path = p
		}
	}
	if path == "" {
		t.Skip("module-link.1.wasm is not in the corpus")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := ComponentWorld(c)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.PrintPackage(r.Worlds[w].Package)
	if err != nil {
		t.Fatal(err)
	}
	want := `package root:component;

world root {
  import wasi: interface {}

  export d: func();
}
`
	if got != want {
		t.Errorf("component wit:\n%s\nwant\n%s", got, want)
	}
}
