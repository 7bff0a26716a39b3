package component

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/component/wasm"
	"github.com/witgo/witgo/wit"
)

// worldFixtures lists WIT packages with worlds: this package's own, the
// WASI releases and the wit-parser UI conformance inputs that resolve.
func worldFixtures(t testing.TB) []string {
	shared := sharedDir(t)
	paths := []string{
		filepath.Join("testdata", "new", "basic.wit"),
		filepath.Join("..", "testdata", "component", "guest", "guest.wit"),
	}
	for _, v := range []string{"0.2.0", "0.2.12", "0.3.0"} {
		paths = append(paths, filepath.Join(shared, "reference", "wasi", v, "wit"))
	}
	ui := filepath.Join(shared, "conformance", "wit-parser-ui")
	entries, err := os.ReadDir(ui)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".wat") || name == "parse-fail" {
			continue
		}
		paths = append(paths, filepath.Join(ui, name))
	}
	return paths
}

type fixtureWorld struct {
	path string
	r    *wit.Resolve
	w    wit.WorldID
	name string
}

// allWorlds loads each fixture (every feature on) and lists the worlds
// of all its packages.
func allWorlds(t testing.TB) (worlds []fixtureWorld, unloadable int) {
	for _, p := range worldFixtures(t) {
		r := wit.NewResolve()
		r.AllFeatures = true
		if _, err := r.LoadPath(p); err != nil {
			unloadable++ // the UI corpus holds inputs the resolver rejects on purpose
			continue
		}
		for id, w := range r.Worlds {
			pn := r.Packages[w.Package].Name
			worlds = append(worlds, fixtureWorld{p, r, wit.WorldID(id), pn.String() + "/" + w.Name})
		}
	}
	return worlds, unloadable
}

// TestWorldSectionRoundTrip: encoding a world, decoding the section and
// encoding the decoded world again gives the same bytes; the section is
// a valid component; the decoded world printed as WIT re-parses to a
// world that encodes to the same bytes again.
func TestWorldSectionRoundTrip(t *testing.T) {
	worlds, unloadable := allWorlds(t)
	if len(worlds) < 50 {
		t.Fatalf("only %d worlds found", len(worlds))
	}
	// Worlds that WIT accepts but a component type cannot express.
	rejected := map[string]string{"union-fuzz-2.wit foo:bar/bar": "record type must have at least one field"}
	for _, fw := range worlds {
		first, err := EncodeWorldSection(fw.r, fw.w, UTF8)
		if want, ok := rejected[filepath.Base(fw.path)+" "+fw.name]; ok {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s %s: got error %v, want one saying %q", fw.path, fw.name, err, want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %s: %v", fw.path, fw.name, err)
			continue
		}
		c, err := Decode(first)
		if err != nil {
			t.Errorf("%s %s: decode: %v", fw.path, fw.name, err)
			continue
		}
		if err := Validate(c); err != nil {
			t.Errorf("%s %s: the section is not a valid component: %v", fw.path, fw.name, err)
		}
		ws, err := DecodeWorldSection(first)
		if err != nil {
			t.Errorf("%s %s: %v", fw.path, fw.name, err)
			continue
		}
		second, err := EncodeWorldSection(ws.Resolve, ws.World, ws.Encoding)
		if err != nil || !bytes.Equal(first, second) {
			t.Errorf("%s %s: re-encoding the decoded world differs (err %v)", fw.path, fw.name, err)
			continue
		}
		pkg := ws.Resolve.Worlds[ws.World].Package
		text, err := ws.Resolve.PrintPackages(pkg, ws.Resolve.PackageDeps(pkg))
		if err != nil {
			t.Errorf("%s %s: printing: %v", fw.path, fw.name, err)
			continue
		}
		r := wit.NewResolve()
		r.AllFeatures = true
		p, err := r.AddSource("decoded.wit", []byte(text))
		if err != nil {
			t.Errorf("%s %s: the printed world does not parse: %v\n%s", fw.path, fw.name, err, text)
			continue
		}
		w, err := r.SelectWorld(p, fw.r.Worlds[fw.w].Name)
		if err != nil {
			t.Errorf("%s %s: %v", fw.path, fw.name, err)
			continue
		}
		third, err := EncodeWorldSection(r, w, UTF8)
		if err != nil || !bytes.Equal(first, third) {
			t.Errorf("%s %s: the printed world encodes differently (err %v)\n%s", fw.path, fw.name, err, text)
		}
	}
	t.Logf("%d worlds round-tripped, %d rejected as expected (%d fixtures the resolver rejects)",
		len(worlds)-len(rejected), len(rejected), unloadable)
}

// TestEmbedThenWit: Embed then ReadWorld gives back the world.
func TestEmbedThenWit(t *testing.T) {
	r, w := loadWorld(t, filepath.Join("..", "testdata", "component", "guest", "guest.wit"), "guest")
	module := basicModule(t)
	embedded, err := Embed(module, r, w, UTF16)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(embedded, module) {
		t.Fatal("Embed changed the module's bytes")
	}
	// Embedding again replaces the section rather than adding a second.
	if again, err := Embed(embedded, r, w, UTF16); err != nil || !bytes.Equal(again, embedded) {
		t.Fatalf("embedding twice: %v (%d bytes, want %d)", err, len(again), len(embedded))
	}
	ws, err := ReadWorld(embedded)
	if err != nil || ws == nil {
		t.Fatalf("ReadWorld: %v %v", ws, err)
	}
	if ws.Encoding != UTF16 {
		t.Errorf("encoding %v, want utf16", ws.Encoding)
	}
	want, _ := r.PrintPackage(r.Worlds[w].Package)
	got, _ := ws.Resolve.PrintPackage(ws.Resolve.Worlds[ws.World].Package)
	// The decoded package holds only the world and what it uses, which is
	// the whole of guest.wit.
	if got != want {
		t.Errorf("embed then wit:\n%s\nwant\n%s", got, want)
	}
}

// TestWorldSectionMatchesJco compares witgo's component-type payload with
// the one `jco embed` writes for the same world (all but the producers
// section, which names the tool), and reads jco's payload back.
func TestWorldSectionMatchesJco(t *testing.T) {
	shared := sharedDir(t)
	cases := []struct{ path, world string }{
		{filepath.Join("testdata", "new", "basic.wit"), "basic"},
		{filepath.Join("..", "testdata", "component", "guest", "guest.wit"), "guest"},
		{filepath.Join(shared, "reference", "wasi", "0.2.0", "wit"), "wasi:http/proxy@0.2.0"},
		{filepath.Join(shared, "conformance", "wit-parser-ui", "resources.wit"), "foo:bar/w"},
		{filepath.Join(shared, "conformance", "wit-parser-ui", "shared-types.wit"), "foo:shared-items/foo"},
		{filepath.Join(shared, "conformance", "wit-parser-ui", "stress-export-elaborate.wit"), "foo:bar/foo"},
		{filepath.Join(shared, "conformance", "wit-parser-ui", "world-top-level-funcs.wit"), "foo:foo/foo"},
		{filepath.Join(shared, "conformance", "wit-parser-ui", "world-diamond.wit"), "foo:foo/the-world"},
		{filepath.Join(shared, "conformance", "wit-parser-ui", "async.wit"), "test:async/y"},
		{filepath.Join(shared, "conformance", "wit-parser-ui", "world-top-level-resources.wit"), "foo:foo/proxy"},
	}
	for _, tc := range cases {
		t.Run(filepath.Base(tc.path)+"/"+tc.world, func(t *testing.T) {
			r, w := loadWorld(t, tc.path, tc.world)
			mine, err := EncodeWorldSection(r, w, UTF8)
			if err != nil {
				t.Fatal(err)
			}
			theirs := jcoEmbedSection(t, tc.path, tc.world)
			if a, b := withoutProducers(t, mine), withoutProducers(t, theirs); !bytes.Equal(a, b) {
				t.Errorf("payloads differ:\nwitgo % x\njco   % x", a, b)
			}
			ws, err := DecodeWorldSection(theirs)
			if err != nil {
				t.Fatal(err)
			}
			again, err := EncodeWorldSection(ws.Resolve, ws.World, ws.Encoding)
			if err != nil || !bytes.Equal(again, mine) {
				t.Errorf("jco's section read by witgo encodes differently (err %v)", err)
			}
		})
	}
}

// withoutProducers re-encodes a payload without its producers section.
func withoutProducers(t *testing.T, payload []byte) []byte {
	c, err := Decode(payload)
	if err != nil {
		t.Fatal(err)
	}
	var keep []Section
	for _, s := range c.Sections {
		if cs, ok := s.(*CustomSection); ok && cs.Name == "producers" {
			continue
		}
		keep = append(keep, s)
	}
	c.Sections = keep
	return c.Encode()
}

// jcoEmbedSection runs `jco embed` on an empty module and returns the
// payload of the component-type section it adds.
func jcoEmbedSection(t *testing.T, witPath, world string) []byte {
	empty := filepath.Join(t.TempDir(), "empty.wasm")
	if err := os.WriteFile(empty, []byte("\x00asm\x01\x00\x00\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	return jcoEmbedSectionOf(t, empty, witPath, world)
}

// jcoEmbedSectionOf runs `jco embed` on the module at path.
func jcoEmbedSectionOf(t *testing.T, module, witPath, world string) []byte {
	node, cli, nodeModules := jcoTool(t)
	dir := t.TempDir()
	// jco 1.35's --wit path needs preopens (ARCHITECTURE.md): preload a
	// module that grants the whole file system to preview2-shim.
	shim := filepath.Join(nodeModules, "@bytecodealliance", "jco-transpile", "node_modules", "@bytecodealliance",
		"preview2-shim", "dist", "nodejs", "filesystem.js")
	pre := filepath.Join(dir, "preopens.mjs")
	if err := os.WriteFile(pre, []byte("import { _setPreopens } from '"+shim+"';\n_setPreopens({'/': '/'});\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(witPath)
	// preview2-shim refuses paths through symlinks; give jco the real path.
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if i := strings.LastIndexByte(world, '/'); i >= 0 {
		world = world[i+1:]
		if at := strings.IndexByte(world, '@'); at >= 0 {
			world = world[:at]
		}
	}
	out := filepath.Join(dir, "embedded.wasm")
	runCmd(t, dir, []string{"NODE_OPTIONS=--import " + pre}, node, cli, "embed", "--wit", abs, "-n", world, module, "-o", out)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	m, err := wasm.DecodeModule(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range m.Customs {
		if strings.HasPrefix(c.Name, ComponentTypeSectionPrefix) {
			return c.Data
		}
	}
	t.Fatal("jco embed wrote no component-type section")
	return nil
}

func FuzzDecodeWorldSection(f *testing.F) {
	worlds, _ := allWorlds(f)
	for i, fw := range worlds {
		if i%4 != 0 {
			continue
		}
		if b, err := EncodeWorldSection(fw.r, fw.w, UTF8); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ws, err := DecodeWorldSection(data)
		if err != nil {
			return
		}
		// What decodes must encode again without error.
		if _, err := EncodeWorldSection(ws.Resolve, ws.World, ws.Encoding); err != nil {
			t.Fatalf("decoded world does not encode: %v", err)
		}
	})
}

// appendCustom appends a custom section to a core module.
func appendCustom(module []byte, name string, data []byte) []byte {
	m, err := wasm.DecodeModule(module)
	if err != nil {
		panic(err)
	}
	m.Customs = append(m.Customs, wasm.Custom{Name: name, Data: data})
	if m.Layout != nil {
		m.Layout = append(m.Layout, wasm.SectionInfo{ID: wasm.SecCustom, Custom: len(m.Customs) - 1})
	}
	return m.Encode()
}

// proxyWorld loads wasi:http/proxy@0.2.0, the largest WASI 0.2.0 world.
func proxyWorld(b *testing.B) (*wit.Resolve, wit.WorldID) {
	r := wit.NewResolve()
	pkg, err := r.LoadPath(filepath.Join(sharedDir(b), "reference", "wasi", "0.2.0", "wit"))
	if err != nil {
		b.Fatal(err)
	}
	w, err := r.SelectWorld(pkg, "wasi:http/proxy@0.2.0")
	if err != nil {
		b.Fatal(err)
	}
	return r, w
}

func BenchmarkEncodeWorldSection(b *testing.B) {
	r, w := proxyWorld(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := EncodeWorldSection(r, w, UTF8); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeWorldSection(b *testing.B) {
	r, w := proxyWorld(b)
	payload, err := EncodeWorldSection(r, w, UTF8)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := DecodeWorldSection(payload); err != nil {
			b.Fatal(err)
		}
	}
}
