package compose

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/wit"
)

// component.ComponentWorld (witgo component wit) on composed components:
// it follows functions, types and instances aliased out of the instances
// of the nested components. The worlds expected are the ones jco wit
// prints for these compositions (checked again live when jco is there).

const (
	funcExportSocket = `package test:e@0.1.0;
interface a { f: func() -> u32; }
world w { import a; export run: func(n: u32) -> string; }`
	funcExportPlug = `package test:e@0.1.0;
interface a { f: func() -> u32; }
world w { export a; }`
	linkedFuncSocket = `package test:e@0.1.0;
interface api { run: func(); }
world w { import log: func(msg: string) -> u32; export api; }`
	linkedFuncPlug = `package test:e@0.1.0;
world w { export log: func(msg: string) -> u32; }`
)

type witCase struct {
	name    string
	build   func(t testing.TB) []byte
	world   string // jco wit's world
	pkg     string // a package of witgo's description, printed, if not ""
	pkgText string
}

func composedStubs(srcs ...string) func(t testing.TB) []byte {
	return func(t testing.TB) []byte {
		res, err := composeStubs(t, srcs...)
		if err != nil {
			t.Fatal(err)
		}
		return res.Component
	}
}

var witCases = []witCase{
	{name: "socket exports a function", build: composedStubs(funcExportSocket, funcExportPlug), world: `world root {
  import impl-test-e-a: interface {
    f: func() -> u32;
  }
  import impl-run: func(n: u32) -> string;

  export run: func(n: u32) -> string;
}
`},
	{name: "function import linked", build: composedStubs(linkedFuncSocket, linkedFuncPlug), world: `world root {
  import impl-test-e-api: interface {
    run: func();
  }
  import impl-log: func(msg: string) -> u32;

  export test:e/api@0.1.0;
}
`},
	// The C socket hands out the Go plug's counter, whose interface the
	// composition re-exports without a type ascription; the tally
	// interface uses its resource (the WIT of testdata/greeter/wit).
	{name: "plug interface re-exported", build: composeTally, world: `world root {
  import wasi:cli/environment@0.2.0;
  import wasi:cli/exit@0.2.0;
  import wasi:io/error@0.2.0;
  import wasi:io/poll@0.2.0;
  import wasi:io/streams@0.2.0;
  import wasi:cli/stdin@0.2.0;
  import wasi:cli/stdout@0.2.0;
  import wasi:cli/stderr@0.2.0;
  import wasi:clocks/monotonic-clock@0.2.0;
  import wasi:clocks/wall-clock@0.2.0;
  import wasi:random/random@0.2.0;
  import wasi:filesystem/types@0.2.0;
  import wasi:filesystem/preopens@0.2.0;

  export test:compose/counter@0.1.0;
  export test:compose/tally@0.1.0;
}
`, pkg: "test:compose@0.1.0", pkgText: `package test:compose@0.1.0;

interface counter {
  resource counter {
    constructor(start: u32);
    add: func(n: u32) -> u32;
  }
}

interface tally {
  use counter.{counter};

  tally: func(start: u32, items: list<u32>) -> u32;
  open: func(start: u32) -> counter;
}
`},
}

func TestComponentWitOfCompositions(t *testing.T) {
	for _, c := range witCases {
		t.Run(c.name, func(t *testing.T) {
			bin := c.build(t)
			r, w, err := describe(bin)
			if err != nil {
				t.Fatal(err)
			}
			ours, err := r.PrintPackage(r.Worlds[w].Package)
			if err != nil {
				t.Fatal(err)
			}
			if len(worldItems(c.world)) == 0 {
				t.Fatal("no world items in the expectation")
			}
			if got, want := worldItems(ours), worldItems(c.world); !slices.Equal(got, want) {
				t.Errorf("witgo's world:\n%s\nwant (as jco wit prints it):\n%s", ours, c.world)
			}
			if c.pkg != "" {
				id, ok := r.PackageNames[c.pkg]
				if !ok {
					t.Fatalf("no package %s", c.pkg)
				}
				if got, err := r.PrintPackage(id); err != nil || got != c.pkgText {
					t.Errorf("package %s (%v):\n%s\nwant\n%s", c.pkg, err, got, c.pkgText)
				}
			}
			t.Run("jco", func(t *testing.T) {
				if testing.Short() {
					t.Skip("runs node")
				}
				jcoTools(t)
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, "c.wasm"), bin, 0o644); err != nil {
					t.Fatal(err)
				}
				theirs := jco(t, dir, "wit", "c.wasm")
				if got, want := worldItems(ours), worldItems(theirs); len(want) == 0 || !slices.Equal(got, want) {
					t.Errorf("witgo's world:\n%s\njco wit's:\n%s", ours, theirs)
				}
			})
		})
	}
}

func describe(bin []byte) (*wit.Resolve, wit.WorldID, error) {
	c, err := component.Decode(bin)
	if err != nil {
		return nil, 0, err
	}
	return component.ComponentWorld(c)
}

// worldItems lists the items of the first world of printed WIT, each with
// the lines nested in it, sorted: printers differ in order and spacing.
func worldItems(text string) []string {
	var items []string
	in := false
	for _, line := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(line, "world "):
			in = true
		case !in || strings.TrimSpace(line) == "":
		case line == "}":
			slices.Sort(items)
			return items
		case strings.HasPrefix(line, "    ") && len(items) > 0:
			items[len(items)-1] += "\n" + line
		default:
			items = append(items, line)
		}
	}
	return nil
}

func BenchmarkComponentWorldOfComposition(b *testing.B) {
	c, err := component.Decode(composedStubs(linkedFuncSocket, linkedFuncPlug)(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := component.ComponentWorld(c); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzComponentWorldOfComposition mutates composed components: the reader
// follows their nested instances and must never panic.
func FuzzComponentWorldOfComposition(f *testing.F) {
	f.Add(composedStubs(funcExportSocket, funcExportPlug)(f))
	f.Add(composedStubs(linkedFuncSocket, linkedFuncPlug)(f))
	f.Add(composedStubs(socketUsesMath, plugMath)(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		describe(data) // any answer but a panic
	})
}
