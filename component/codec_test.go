package component

import (
	"bytes"
	"strings"
	"testing"

	"github.com/witgo/witgo/component/internal/binio"
	"github.com/witgo/witgo/component/wasm"
)

var header = []byte{0, 'a', 's', 'm', 0x0d, 0, 1, 0}

func section(id byte, payload ...byte) []byte {
	return binio.AppendSection([]byte{}, id, payload, 0)
}

func componentOf(sections ...[]byte) []byte {
	b := append([]byte{}, header...)
	for _, s := range sections {
		b = append(b, s...)
	}
	return b
}

// A non-minimal section size (as some tools pad them) must survive a
// round trip.
func TestPaddedSectionSize(t *testing.T) {
	b := append([]byte{}, header...)
	b = append(b, SecCustom, 0x86, 0x80, 0x80, 0x80, 0x00, 5, 'h', 'e', 'l', 'l', 'o')
	c, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if out := c.Encode(); !bytes.Equal(out, b) {
		t.Fatalf("re-encoded\n% x\nwant\n% x", out, b)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "magic header"},
		{"core module", []byte{0, 'a', 's', 'm', 1, 0, 0, 0}, "expected layer 1"},
		{"truncated section", componentOf([]byte{SecType, 10, 1}), "extends past the end"},
		{"huge count", componentOf(section(SecType, 0xff, 0xff, 0xff, 0xff, 0x0f)), "count 4294967295 is larger"},
		{"bad section id", componentOf(section(13)), "malformed section id 13"},
		{"bad type opcode", componentOf(section(SecType, 1, 0x30)), "invalid leading byte (0x30)"},
		{"trailing bytes", componentOf(section(SecType, 0, 0)), "unread bytes"},
		{"named results", componentOf(section(SecType, 1, 0x40, 0, 0x01, 0x01)), "number of results"},
	}
	for _, tc := range tests {
		_, err := Decode(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
}

// Deeply nested instance types are rejected by the depth cap, not by a
// stack overflow.
func TestDeepNesting(t *testing.T) {
	inner := []byte{0x42, 0} // (instance)
	for i := 0; i < 10000; i++ {
		// (instance (type <inner>))
		inner = append([]byte{0x42, 1, DeclType}, inner...)
	}
	b := componentOf(binio.AppendSection(nil, SecType, append([]byte{1}, inner...), 0))
	_, err := Decode(b)
	if err == nil || !strings.Contains(err.Error(), "nesting too deep") {
		t.Fatalf("err = %v, want nesting too deep", err)
	}
}

// Every canon built-in round-trips through the AST.
func TestCanonRoundTrip(t *testing.T) {
	var w binio.Writer
	ops := 0
	for op := range canonImms {
		c := Canon{Op: op, Func: 1, Type: 2, Slot: 3, Flag: true, Memory: 4, CoreType: 5, Table: 6,
			CoreVal: wasm.V(wasm.I32), Opts: []CanonOpt{{Kind: OptMemory, Index: 7}, {Kind: OptUTF16}}}
		if canonImms[op]&immResult != 0 {
			r := Prim(U32)
			c.Result = &r
		}
		writeCanon(&w, c)
		ops++
	}
	payload := append(binio.AppendU64(nil, uint64(ops)), w.Buf...)
	b := componentOf(binio.AppendSection(nil, SecCanon, payload, 0))
	c, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(c.Sections[0].(*CanonSection).Funcs); got != ops {
		t.Fatalf("decoded %d canon definitions, want %d", got, ops)
	}
	if out := c.Encode(); !bytes.Equal(out, b) {
		t.Fatal("canon section did not round-trip")
	}
}

func TestNames(t *testing.T) {
	valid := []string{"a", "a-b-c", "A1-2-3", "is-XML", "[constructor]foo", "[method]foo.bar",
		"[static]foo.baz", "wasi:http/types@0.2.0", "a:b/c@1.2.3-rc.1+build.5",
		"locked-dep=<a:b@1.2.3>,integrity=<sha256-a>", "unlocked-dep=<a:b@{>=1.2.3 <2.0.0}>"}
	for _, n := range valid {
		if _, err := parseExternName(n); err != nil {
			t.Errorf("%q: %v", n, err)
		}
	}
	invalid := []string{"", "1-2-3", "a--b", "aB", "[method]foo", "wasi:http/TyPeS", "wasi/http",
		"a:b/c@1.2", "a:b/c@01.2.3", "foo:bar/baz/qux", "integrity=<md5-a>", "url=<<>"}
	for _, n := range invalid {
		if _, err := parseExternName(n); err == nil {
			t.Errorf("%q accepted", n)
		}
	}
	var ns nameSet
	for _, n := range []string{"foo", "foo-bar", "[constructor]foo", "[method]foo.bar", "[static]foo.baz", "foo:bar/baz"} {
		if err := ns.add(n, "import"); err != nil {
			t.Errorf("%q: %v", n, err)
		}
	}
	for _, n := range []string{"FOO", "foo-BAR", "[constructor]FOO", "[method]foo.BAR", "[static]foo.bar", "[method]foo.foo", "foo:bar/BAZ"} {
		if err := ns.add(n, "import"); err == nil {
			t.Errorf("%q is not strongly unique but was accepted", n)
		}
	}
}

func TestNamesSection(t *testing.T) {
	n := &Names{Subsections: []NameSubsection{
		{ID: 0, Component: "root"},
		{ID: 1, Sort: SortCoreFunc, Map: []NameAssoc{{0, "f"}, {3, "g"}}},
		{ID: 1, Sort: SortType, Map: []NameAssoc{{1, "t"}}},
	}}
	payload := n.Encode()
	b := componentOf(binio.AppendSection(nil, SecCustom,
		append(binio.AppendU64(nil, uint64(len(NameSectionName))), append([]byte(NameSectionName), payload...)...), 0))
	c, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	got, ok, err := c.Names()
	if err != nil || !ok {
		t.Fatalf("Names() = %v, %v", ok, err)
	}
	if name, _ := got.ComponentName(); name != "root" {
		t.Errorf("component name = %q", name)
	}
	if name, ok := got.NameOf(SortCoreFunc, 3); !ok || name != "g" {
		t.Errorf("NameOf(core func 3) = %q, %v", name, ok)
	}
	if _, ok := got.NameOf(SortFunc, 3); ok {
		t.Error("NameOf(func 3) found a name for the wrong sort")
	}
	if !bytes.Equal(got.Encode(), payload) {
		t.Error("names did not round-trip")
	}
	// A truncated name section is an error for DecodeNames, not for Decode.
	if _, err := DecodeNames(payload[:len(payload)-1], 0); err == nil {
		t.Error("truncated name section decoded")
	}
}

// A chain of 20000 nested record types is rejected by the depth limit
// instead of recursing 20000 levels in every later walk.
func TestDeepTypeChain(t *testing.T) {
	var w binio.Writer
	const n = 20000
	w.U32(n)
	w.Byte(KindList)
	w.Byte(U8)
	for i := uint32(1); i < n; i++ {
		w.Byte(KindRecord)
		w.U32(1)
		w.Name("f")
		w.S64(int64(i - 1))
	}
	c, err := Decode(componentOf(binio.AppendSection(nil, SecType, w.Buf, 0)))
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(c); err == nil || !strings.Contains(err.Error(), "deeper than") {
		t.Fatalf("err = %v, want the type depth limit", err)
	}
}
