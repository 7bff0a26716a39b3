package wasi

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/witgo/witgo/canonabi"
)

// newRig3 is newRig over the 0.3 interfaces.
func newRig3(t *testing.T, cfg Config) *rig {
	r := newRig(t, cfg)
	for iface, impl := range r.h.interfaces3() {
		for name, f := range impl.funcs {
			r.funcs[iface+"@0.3#"+name] = f
		}
	}
	return r
}

// errCase3 expects err(e) of a 0.3 error-code and returns e's case.
func (r *rig) errCase3(name string, args ...canonabi.Value) uint32 {
	r.t.Helper()
	v := r.must(name, args...)
	e, _ := v.Payload()
	if v.Case() != 1 || e.Kind() != canonabi.KindVariant {
		r.t.Fatalf("%s = %v, want err(error-code variant)", name, v)
	}
	return e.Case()
}

// TestDescriptors3: 0.3's descriptor methods on the 0.2 sandbox, with
// 0.3's case numbers (read from the WIT): error-code access 0,
// bad-descriptor 2, exist 6, is-directory 13, no-entry 19, not-permitted
// 30; descriptor-type directory 2, regular-file 5.
func TestDescriptors3(t *testing.T) {
	dir := t.TempDir()
	mustDo(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("0123456789"), 0o644))
	ro := t.TempDir()
	r := newRig3(t, Config{Preopens: []Preopen{{Host: dir, Guest: "/d", Writable: true}, {Host: ro, Guest: "/ro"}}})
	pre := r.must("wasi:filesystem/preopens@0.3#get-directories")
	if pre.Len() != 2 || pre.Elems()[0].Elems()[1].Str() != "/d" || pre.Elems()[1].Elems()[1].Str() != "/ro" {
		t.Fatalf("preopens %v", pre)
	}
	root, roRoot := pre.Elems()[0].Elems()[0], pre.Elems()[1].Elems()[0]
	const m = "wasi:filesystem/types@0.3#[method]descriptor."
	if ty := r.okPayload(m+"get-type", root); ty.Kind() != canonabi.KindVariant || ty.Case() != 2 {
		t.Errorf("preopen type %v, want directory (2)", ty)
	}
	if fl := r.okPayload(m+"get-flags", roRoot).Flags(); fl != flagRead {
		t.Errorf("read-only preopen flags %b", fl)
	}
	follow, none := canonabi.FlagsValue(symlinkFollow), canonabi.FlagsValue(0)
	st := r.okPayload(m+"stat-at", root, follow, canonabi.StringValue("a.txt")).Elems()
	if st[0].Case() != 5 || st[1].Uint() != 1 || st[2].Uint() != 10 {
		t.Errorf("stat-at a.txt = %v", st)
	}
	if mt, some := st[4].Payload(); !some || mt.Elems()[0].Kind() != canonabi.KindS64 {
		t.Errorf("modification time %v, want some(instant with s64 seconds)", st[4])
	}
	f := r.okPayload(m+"open-at", root, follow, canonabi.StringValue("a.txt"), none, canonabi.FlagsValue(flagRead|flagWrite))
	if st := r.okPayload(m+"stat", f).Elems(); st[2].Uint() != 10 {
		t.Errorf("stat = %v", st)
	}
	r.okPayload(m+"set-size", f, u64(4))
	if b, _ := os.ReadFile(filepath.Join(dir, "a.txt")); string(b) != "0123" {
		t.Errorf("after set-size(4) a.txt holds %q", b)
	}
	for _, tc := range []struct {
		what string
		args []canonabi.Value
		want uint32
	}{
		{"missing file", []canonabi.Value{root, none, canonabi.StringValue("nope"), none, canonabi.FlagsValue(flagRead)}, 19},
		{"escape through ..", []canonabi.Value{root, none, canonabi.StringValue("../x"), canonabi.FlagsValue(openCreate), canonabi.FlagsValue(flagWrite)}, 30},
		{"absolute path", []canonabi.Value{root, none, canonabi.StringValue("/etc/passwd"), none, canonabi.FlagsValue(flagRead)}, 30},
		{"create in a read-only preopen", []canonabi.Value{roRoot, none, canonabi.StringValue("new"), canonabi.FlagsValue(openCreate), canonabi.FlagsValue(flagWrite)}, 30},
		{"exclusive create of an existing file", []canonabi.Value{root, none, canonabi.StringValue("a.txt"), canonabi.FlagsValue(openCreate | openExclusive), canonabi.FlagsValue(flagWrite)}, 6},
		{"a directory for writing", []canonabi.Value{root, none, canonabi.StringValue("."), none, canonabi.FlagsValue(flagWrite)}, 13},
	} {
		if got := r.errCase3(m+"open-at", tc.args...); got != tc.want {
			t.Errorf("open-at %s: error-code case %d, want %d", tc.what, got, tc.want)
		}
	}
	// Methods shared with 0.2 answer with 0.3's error-code too.
	if got := r.errCase3(m+"unlink-file-at", root, canonabi.StringValue("nope")); got != 19 {
		t.Errorf("unlink-file-at nope: case %d, want no-entry 19", got)
	}
	if got := r.errCase3(m+"create-directory-at", roRoot, canonabi.StringValue("sub")); got != 30 {
		t.Errorf("create-directory-at in a read-only preopen: case %d, want not-permitted 30", got)
	}
	ro2 := r.okPayload(m+"open-at", root, none, canonabi.StringValue("a.txt"), none, canonabi.FlagsValue(flagRead))
	if got := r.errCase3(m+"set-size", ro2, u64(0)); got != 2 {
		t.Errorf("set-size through a read-only descriptor: case %d, want bad-descriptor 2", got)
	}
	if !r.must(m+"is-same-object", f, ro2).Bool() {
		t.Error("is-same-object of two descriptors of a.txt is false")
	}
}

// TestCode3: every error-code the 0.2 host produces keeps its name in 0.3.
func TestCode3(t *testing.T) {
	for c02, c03 := range map[errorCode]uint32{ecAccess: 0, ecBadDescriptor: 2, ecExist: 6, ecIO: 12, ecNoEntry: 19,
		ecNotDirectory: 23, ecNotPermitted: 30, ecCrossDevice: 35, ecLoop: 14} {
		if got := code3(c02).Case(); got != c03 {
			t.Errorf("0.2 error-code %d -> 0.3 case %d, want %d", c02, got, c03)
		}
	}
}
