package component

import (
	"path/filepath"
	"strings"
	"testing"
)

// guestDir holds the hand-written C and Rust guests and their world.
var guestDir = filepath.Join("..", "testdata", "component")

// guestBuilds compile the guests: a C reactor for wasm32-wasi (which
// brings wasi_snapshot_preview1 imports, served by the WASI adapter) and
// a Rust cdylib for wasm32-unknown-unknown (no WASI at all).
var guestBuilds = []struct {
	name, tool, src string
	args            func(src, out string) []string
}{
	{"c", "clang", "guest.c", func(src, out string) []string {
		return []string{"--target=wasm32-wasi", "-O2", "-mexec-model=reactor", "-o", out, src}
	}},
	{"rust", "/usr/bin/rustc", "guest.rs", func(src, out string) []string {
		return []string{"--target", "wasm32-unknown-unknown", "--crate-type", "cdylib", "-O", "-o", out, src}
	}},
}

func buildGuest(t *testing.T, i int) []byte {
	g := guestBuilds[i]
	return buildWithTool(t, "guest-"+g.name, g.tool, filepath.Join(guestDir, g.src), nil, g.args)
}

// guestWIT is what `jco wit` prints for the guest components (the C one
// also imports the WASI interfaces its adapter uses; those lines are
// compared separately).
const guestWIT = `package root:component;

world root {
  import test:guest/host@0.1.0;

  export run: func(prefix: string) -> u32;
  export test:guest/api@0.1.0;
}
`

const guestHost = `export const logged = [];
export function log(msg) { logged.push(msg); }
export function fetch(prefix) {
  return [{ key: prefix + "a", value: 1 }, { key: prefix + "bé", value: 2 }];
}
`

const guestRun = `import * as g from './out/c.js';
import { logged } from './host.mjs';
console.log(JSON.stringify({
  run: g.run("x"),
  summarize: g.api.summarize([{ key: "a", value: 1 }, { key: "bb", value: 22 }]),
  scale: g.api.scale({ key: "k€", value: 3 }, 4),
  logged,
}));
`

// The values checked in both directions: run sends a string and gets a
// list of records from the host; summarize receives a list of records and
// returns a string; scale takes and returns a record.
const guestWant = `{"run":3,"summarize":"a=1,bb=22","scale":{"key":"k€","value":12},"logged":["xa","xbé"]}`

func TestNewGuests(t *testing.T) {
	for i, g := range guestBuilds {
		t.Run(g.name, func(t *testing.T) {
			core := buildGuest(t, i)
			r, w := loadWorld(t, filepath.Join(guestDir, "guest", "guest.wit"), "guest")
			opts := NewOptions{Resolve: r, World: w}
			if usesPreview1Bytes(t, core) {
				opts.Adapter, opts.AdapterResolve, opts.AdapterWorld = realAdapter(t)
			}
			comp := mustNew(t, core, opts)
			got := jcoWit(t, comp)
			var wasi []string
			var rest []string
			for _, line := range strings.SplitAfter(got, "\n") {
				if strings.HasPrefix(line, "  import wasi:") {
					wasi = append(wasi, strings.TrimSpace(line))
				} else {
					rest = append(rest, line)
				}
			}
			if strings.TrimSpace(strings.Join(rest, ""))+"\n" != guestWIT {
				t.Errorf("jco wit:\n%s\nwant:\n%s", got, guestWIT)
			}
			if g.name == "c" && !contains(wasi, "import wasi:cli/stdout@0.2.0;") {
				t.Errorf("the C guest's component does not import wasi:cli/stdout: %q", wasi)
			}
			if g.name == "rust" && len(wasi) > 0 {
				t.Errorf("the Rust guest needs no WASI, but imports %q", wasi)
			}
			out := runUnderJco(t, comp, []string{"test:guest/host=../host.mjs"},
				map[string]string{"host.mjs": guestHost}, guestRun)
			if strings.TrimSpace(out) != guestWant {
				t.Errorf("under jco:\n got %s\nwant %s", out, guestWant)
			}
		})
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func usesPreview1Bytes(t *testing.T, core []byte) bool {
	return ImportsPreview1(core)
}
