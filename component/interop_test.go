package component

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestJcoNewAcceptsWitgoEmbed: a module embedded by witgo is made into a
// component by `jco new`, which describes the expected world; witgo reads
// jco's component back to the same world it gives its own.
func TestJcoNewAcceptsWitgoEmbed(t *testing.T) {
	core := buildGuest(t, 1) // the Rust guest needs no WASI adapter
	r, w := loadWorld(t, filepath.Join(guestDir, "guest", "guest.wit"), "guest")
	embedded, err := Embed(core, r, w, UTF8)
	if err != nil {
		t.Fatal(err)
	}
	node, cli, _ := jcoTool(t)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "embedded.wasm"), filepath.Join(dir, "comp.wasm")
	if err := os.WriteFile(in, embedded, 0o644); err != nil {
		t.Fatal(err)
	}
	runCmd(t, dir, nil, node, cli, "new", in, "-o", out)
	theirs, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(jcoWit(t, theirs)) + "\n"; got != guestWIT {
		t.Errorf("jco wit of jco new's component:\n%s\nwant\n%s", got, guestWIT)
	}
	ours, err := New(embedded, NewOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := componentWIT(t, theirs), componentWIT(t, ours); a != b {
		t.Errorf("witgo describes jco's component as\n%s\nand its own as\n%s", a, b)
	}
}

// componentWIT is witgo's `component wit` text of a component.
func componentWIT(t *testing.T, comp []byte) string {
	t.Helper()
	c, err := Decode(comp)
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := ComponentWorld(c)
	if err != nil {
		t.Fatal(err)
	}
	pkg := r.Worlds[w].Package
	text, err := r.PrintPackages(pkg, r.PackageDeps(pkg))
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// TestWitgoReadsJcoEmbed: a module embedded by `jco embed` is made into a
// component by witgo from its embedded world alone, and runs under jco.
func TestWitgoReadsJcoEmbed(t *testing.T) {
	core := buildGuest(t, 1)
	dir := t.TempDir()
	in := filepath.Join(dir, "core.wasm")
	if err := os.WriteFile(in, core, 0o644); err != nil {
		t.Fatal(err)
	}
	section := jcoEmbedSectionOf(t, in, filepath.Join(guestDir, "guest", "guest.wit"), "guest")
	ws, err := DecodeWorldSection(section)
	if err != nil {
		t.Fatal(err)
	}
	embedded := appendCustom(core, "component-type", section)
	comp := mustNew(t, embedded, NewOptions{})
	if got := strings.TrimSpace(jcoWit(t, comp)) + "\n"; got != guestWIT {
		t.Errorf("jco wit:\n%s\nwant\n%s", got, guestWIT)
	}
	out := runUnderJco(t, comp, []string{"test:guest/host=../host.mjs"}, map[string]string{"host.mjs": guestHost}, guestRun)
	if strings.TrimSpace(out) != guestWant {
		t.Errorf("under jco:\n got %s\nwant %s", out, guestWant)
	}
	if ws.Resolve.Worlds[ws.World].Name != "guest" {
		t.Errorf("decoded world %q", ws.Resolve.Worlds[ws.World].Name)
	}
}
