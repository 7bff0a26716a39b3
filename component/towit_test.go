package component

import (
	"os"
	"path/filepath"
	"testing"
)

// TestComponentWorldCorpus: ComponentWorld reads every valid component of
// the conformance corpus without panicking, and describes the ones made
// of WIT-shaped imports and exports.
func TestComponentWorldCorpus(t *testing.T) {
	described, refused := 0, 0
	for _, p := range corpusBinaries(t) {
		b, err := os.ReadFile(p)
		if err != nil || len(b) < 8 || b[4] == 1 {
			continue
		}
		c, err := Decode(b)
		if err != nil || Validate(c) != nil {
			continue
		}
		if _, _, err := ComponentWorld(c); err != nil {
			refused++
		} else {
			described++
		}
	}
	if described == 0 {
		t.Fatal("no corpus component was described")
	}
	t.Logf("%d components described, %d refused with an error", described, refused)
}

func TestComponentWorldOfNew(t *testing.T) {
	r, w := loadWorld(t, filepath.Join("testdata", "new", "res.wit"), "res")
	comp := mustNew(t, resModule(t), NewOptions{Resolve: r, World: w})
	got := componentWIT(t, comp)
	want := `package root:component;

world root {
  import test:res/host@0.1.0;

  export test:res/api@0.1.0;
}

package test:res@0.1.0 {
  interface host {
    resource blob {
      constructor(n: u32);
      size: func() -> u32;
    }
  }

  interface api {
    use host.{blob};

    resource counter {
      constructor(start: u32);
      bump: func() -> u32;
    }

    measure: func(b: borrow<blob>) -> u32;
    drops: func() -> u32;
  }
}
`
	if got != want {
		t.Errorf("component wit:\n%s\nwant\n%s", got, want)
	}
}

func FuzzComponentWorld(f *testing.F) {
	paths := corpusBinaries(f)
	for i, p := range paths {
		if i%8 != 0 {
			continue
		}
		if b, err := os.ReadFile(p); err == nil && len(b) > 8 && b[4] != 1 {
			f.Add(b)
		}
	}
	f.Add(basicModule(f))
	// An async component: async funcs, streams and futures of every payload.
	r, w := asyncWorld(f)
	if comp, err := New(asyncModule(f, r, w, allAsyncForms), NewOptions{Resolve: r, World: w}); err == nil {
		f.Add(comp)
	} else {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Decode(data)
		if err != nil {
			return
		}
		ComponentWorld(c) // must not panic, whatever it decides
	})
}
