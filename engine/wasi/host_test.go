package wasi

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/engine"
)

// fakeCaller stands in for the calling instance's host handle table.
type fakeCaller struct{ reps []uint32 }

func (f *fakeCaller) NewResource(_, _ string, rep uint32) (canonabi.Value, error) {
	f.reps = append(f.reps, rep)
	return canonabi.HandleValue(canonabi.KindOwn, uint32(len(f.reps))), nil
}

func (f *fakeCaller) ResourceRep(h uint32) (uint32, error) {
	if h == 0 || int(h) > len(f.reps) {
		return 0, errors.New("bad handle")
	}
	return f.reps[h-1], nil
}

// rig is a Host with every interface's functions, called directly.
type rig struct {
	t     *testing.T
	h     *Host
	ctx   context.Context
	funcs map[string]engine.HostFunc // "iface#func"
}

func newRig(t *testing.T, cfg Config) *rig {
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	r := &rig{t: t, h: h, ctx: context.WithValue(context.Background(), callerKey{}, &fakeCaller{}), funcs: map[string]engine.HostFunc{}}
	for iface, impl := range h.interfaces() {
		for name, f := range impl.funcs {
			r.funcs[iface+"#"+name] = f
		}
	}
	return r
}

func (r *rig) call(name string, args ...canonabi.Value) (canonabi.Value, error) {
	f := r.funcs[name]
	if f == nil {
		r.t.Fatalf("no host function %s", name)
	}
	return f(r.ctx, args)
}

func (r *rig) must(name string, args ...canonabi.Value) canonabi.Value {
	r.t.Helper()
	v, err := r.call(name, args...)
	if err != nil {
		r.t.Fatalf("%s: %v", name, err)
	}
	return v
}

// okPayload expects ok(v) and returns v.
func (r *rig) okPayload(name string, args ...canonabi.Value) canonabi.Value {
	r.t.Helper()
	v := r.must(name, args...)
	if v.Kind() != canonabi.KindResult || v.Case() != 0 {
		r.t.Fatalf("%s = %v, want ok", name, v)
	}
	p, _ := v.Payload()
	return p
}

func u64(x uint64) canonabi.Value { return canonabi.U64Value(x) }

func TestPoll(t *testing.T) {
	r := newRig(t, Config{})
	later := r.must("wasi:clocks/monotonic-clock#subscribe-duration", u64(uint64(40*time.Millisecond)))
	now := r.must("wasi:clocks/monotonic-clock#subscribe-duration", u64(0))
	if got := r.must("wasi:io/poll#poll", canonabi.ListValue(later, now)); got.Len() != 1 || got.Elems()[0].Uint() != 1 {
		t.Errorf("poll [later, now] = %v, want [1]", got)
	}
	if r.must("wasi:io/poll#[method]pollable.ready", later).Bool() {
		t.Error("a 40ms pollable is ready at once")
	}
	start := time.Now()
	if got := r.must("wasi:io/poll#poll", canonabi.ListValue(later)); got.Len() != 1 || got.Elems()[0].Uint() != 0 {
		t.Errorf("poll [later] = %v, want [0]", got)
	}
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("poll returned after %v, before the deadline", d)
	}
	if !r.must("wasi:io/poll#[method]pollable.ready", later).Bool() {
		t.Error("not ready after poll returned it")
	}
	if _, err := r.call("wasi:io/poll#poll", canonabi.ListValue()); err == nil {
		t.Error("poll of no pollables must trap")
	}
	// subscribe-instant is on the monotonic clock's own scale.
	t0 := r.must("wasi:clocks/monotonic-clock#now").Uint()
	at := r.must("wasi:clocks/monotonic-clock#subscribe-instant", u64(t0+uint64(20*time.Millisecond)))
	start = time.Now()
	r.must("wasi:io/poll#[method]pollable.block", at)
	if d := time.Since(start); d < 15*time.Millisecond {
		t.Errorf("block returned after %v", d)
	}
	if t1 := r.must("wasi:clocks/monotonic-clock#now").Uint(); t1-t0 < uint64(20*time.Millisecond) {
		t.Errorf("monotonic clock advanced %dns across a 20ms block", t1-t0)
	}
	// A cancelled context ends a block early.
	forever := r.must("wasi:clocks/monotonic-clock#subscribe-duration", u64(1<<63))
	ctx, cancel := context.WithTimeout(r.ctx, 20*time.Millisecond)
	defer cancel()
	start = time.Now()
	if _, err := r.funcs["wasi:io/poll#[method]pollable.block"](ctx, []canonabi.Value{forever}); err == nil || time.Since(start) > time.Second {
		t.Errorf("block with a deadline: %v after %v", err, time.Since(start))
	}
}

func TestClocksAndRandom(t *testing.T) {
	r := newRig(t, Config{})
	wall := r.must("wasi:clocks/wall-clock#now").Elems()
	if s := int64(wall[0].Uint()); s < time.Now().Unix()-5 || s > time.Now().Unix()+5 || wall[1].Uint() >= 1e9 {
		t.Errorf("wall-clock now = %v", wall)
	}
	if got := r.must("wasi:random/random#get-random-bytes", u64(33)); len(got.Bytes()) != 33 {
		t.Errorf("33 random bytes: got %d", len(got.Bytes()))
	}
	if _, err := r.call("wasi:random/random#get-random-bytes", u64(1<<40)); err == nil {
		t.Error("1 TiB of random bytes must be refused")
	}
	a, b := r.must("wasi:random/random#get-random-u64"), r.must("wasi:random/random#get-random-u64")
	if a.Uint() == b.Uint() {
		t.Error("two random u64s are equal")
	}
	if got := r.must("wasi:random/insecure#get-insecure-random-bytes", u64(5)); len(got.Bytes()) != 5 {
		t.Errorf("insecure bytes: %v", got)
	}
	if seed := r.must("wasi:random/insecure-seed#insecure-seed"); seed.Len() != 2 {
		t.Errorf("insecure-seed = %v", seed)
	}
}

func TestCLI(t *testing.T) {
	r := newRig(t, Config{Args: []string{"p", "x"}, Env: [][2]string{{"A", "1"}}})
	if got := r.must("wasi:cli/environment#get-arguments"); got.Len() != 2 || got.Elems()[1].Str() != "x" {
		t.Errorf("arguments %v", got)
	}
	if got := r.must("wasi:cli/environment#get-environment"); got.Len() != 1 || got.Elems()[0].Elems()[1].Str() != "1" {
		t.Errorf("environment %v", got)
	}
	for _, f := range []string{"wasi:cli/environment#initial-cwd", "wasi:cli/terminal-stdin#get-terminal-stdin",
		"wasi:cli/terminal-stdout#get-terminal-stdout", "wasi:cli/terminal-stderr#get-terminal-stderr"} {
		if got := r.must(f); got.Kind() != canonabi.KindOption || got.Case() != 0 {
			t.Errorf("%s = %v, want none", f, got)
		}
	}
	var exit *ExitError
	if _, err := r.call("wasi:cli/exit#exit", canonabi.ErrValue(nil)); !errors.As(err, &exit) || exit.Code != 1 {
		t.Errorf("exit(err): %v", err)
	}
	if _, err := r.call("wasi:cli/exit#exit", canonabi.OkValue(nil)); !errors.As(err, &exit) || exit.Code != 0 {
		t.Errorf("exit(ok): %v", err)
	}
	if _, err := r.call("wasi:cli/exit#exit-with-code", canonabi.U8Value(7)); !errors.As(err, &exit) || exit.Code != 7 {
		t.Errorf("exit-with-code(7): %v", err)
	}
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestStreams(t *testing.T) {
	var out strings.Builder
	r := newRig(t, Config{Stdin: strings.NewReader("abcdef"), Stdout: &out, Stderr: failingWriter{}})
	in := r.must("wasi:cli/stdin#get-stdin")
	if got := r.okPayload("wasi:io/streams#[method]input-stream.blocking-read", in, u64(4)); string(got.Bytes()) != "abcd" {
		t.Errorf("blocking-read 4 = %q", got.Bytes())
	}
	if got := r.okPayload("wasi:io/streams#[method]input-stream.skip", in, u64(1)); got.Uint() != 1 {
		t.Errorf("skip 1 = %v", got)
	}
	if got := r.okPayload("wasi:io/streams#[method]input-stream.blocking-read", in, u64(1<<63)); string(got.Bytes()) != "f" {
		t.Errorf("read the rest = %q", got.Bytes())
	}
	for i := 0; i < 2; i++ { // end of stream is closed, and stays so
		v := r.must("wasi:io/streams#[method]input-stream.blocking-read", in, u64(1))
		if e, _ := v.Payload(); v.Case() != 1 || e.Case() != 1 {
			t.Errorf("blocking-read at end = %v, want err(closed)", v)
		}
	}
	o := r.must("wasi:cli/stdout#get-stdout")
	if n := r.okPayload("wasi:io/streams#[method]output-stream.check-write", o).Uint(); n < 4096 {
		t.Errorf("check-write permits %d", n)
	}
	r.okPayload("wasi:io/streams#[method]output-stream.write", o, canonabi.BytesValue([]byte("hi ")))
	r.okPayload("wasi:io/streams#[method]output-stream.blocking-write-and-flush", o, canonabi.BytesValue([]byte("there")))
	r.okPayload("wasi:io/streams#[method]output-stream.write-zeroes", o, u64(2))
	r.okPayload("wasi:io/streams#[method]output-stream.blocking-flush", o)
	p := r.must("wasi:io/streams#[method]output-stream.subscribe", o)
	if !r.must("wasi:io/poll#[method]pollable.ready", p).Bool() {
		t.Error("stdout's pollable is not ready")
	}
	if out.String() != "hi there\x00\x00" {
		t.Errorf("stdout got %q", out.String())
	}
	// A failing writer: last-operation-failed with an error resource that
	// describes it, then closed.
	e := r.must("wasi:cli/stderr#get-stderr")
	v := r.must("wasi:io/streams#[method]output-stream.write", e, canonabi.BytesValue([]byte("x")))
	se, _ := v.Payload()
	if v.Case() != 1 || se.Case() != 0 {
		t.Fatalf("write to a failing writer = %v", v)
	}
	errHandle, _ := se.Payload()
	if msg := r.must("wasi:io/error#[method]error.to-debug-string", errHandle).Str(); !strings.Contains(msg, "disk on fire") {
		t.Errorf("to-debug-string = %q", msg)
	}
	if got := r.must("wasi:filesystem/types#filesystem-error-code", errHandle); got.Case() != 0 {
		t.Errorf("filesystem-error-code of a non-file error = %v, want none", got)
	}
	v = r.must("wasi:io/streams#[method]output-stream.flush", e)
	if se, _ := v.Payload(); v.Case() != 1 || se.Case() != 1 {
		t.Errorf("flush after a failure = %v, want closed", v)
	}
	// A handle of the wrong resource type is an error, not a confusion.
	if _, err := r.call("wasi:io/streams#[method]output-stream.write", in, canonabi.BytesValue(nil)); err == nil {
		t.Error("an input-stream was accepted as an output-stream")
	}
}

func TestDescriptors(t *testing.T) {
	dir := t.TempDir()
	mustDo(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("0123456789"), 0o644))
	r := newRig(t, Config{Preopens: []Preopen{{Host: dir, Guest: "/d", Writable: true}}})
	pre := r.must("wasi:filesystem/preopens#get-directories")
	if pre.Len() != 1 || pre.Elems()[0].Elems()[1].Str() != "/d" {
		t.Fatalf("preopens %v", pre)
	}
	root := pre.Elems()[0].Elems()[0]
	const m = "wasi:filesystem/types#[method]descriptor."
	if fl := r.okPayload(m+"get-flags", root).Flags(); fl != flagRead|flagMutate {
		t.Errorf("preopen flags %b", fl)
	}
	if ty := r.okPayload(m+"get-type", root).Case(); ty != typeDirectory {
		t.Errorf("preopen type %d", ty)
	}
	f := r.okPayload(m+"open-at", root, canonabi.FlagsValue(symlinkFollow), canonabi.StringValue("a.txt"),
		canonabi.FlagsValue(0), canonabi.FlagsValue(flagRead|flagWrite))
	w := r.okPayload(m+"write-via-stream", f, u64(2))
	r.okPayload("wasi:io/streams#[method]output-stream.write", w, canonabi.BytesValue([]byte("ab")))
	app := r.okPayload(m+"append-via-stream", f)
	r.okPayload("wasi:io/streams#[method]output-stream.write", app, canonabi.BytesValue([]byte("Z")))
	in := r.okPayload(m+"read-via-stream", f, u64(1))
	if got := r.okPayload("wasi:io/streams#[method]input-stream.read", in, u64(100)); string(got.Bytes()) != "1ab456789Z" {
		t.Errorf("read-via-stream(1) = %q", got.Bytes())
	}
	got := r.okPayload(m+"read", f, u64(100), u64(8)).Elems()
	if string(got[0].Bytes()) != "89Z" || !got[1].Bool() {
		t.Errorf("read(100, 8) = %v", got)
	}
	if n := r.okPayload(m+"write", f, canonabi.BytesValue([]byte("!")), u64(0)).Uint(); n != 1 {
		t.Errorf("write = %d", n)
	}
	r.okPayload(m+"set-size", f, u64(4))
	st := r.okPayload(m+"stat", f).Elems()
	if st[0].Case() != typeRegular || st[2].Uint() != 4 || st[1].Uint() != 1 {
		t.Errorf("stat = %v", st)
	}
	when := canonabi.VariantValue(2, ptr(canonabi.RecordValue(u64(1_000_000_000), canonabi.U32Value(5))))
	r.okPayload(m+"set-times", f, canonabi.VariantValue(0, nil), when)
	if info, _ := os.Stat(filepath.Join(dir, "a.txt")); info.ModTime().Unix() != 1_000_000_000 {
		t.Errorf("set-times: mtime %v", info.ModTime())
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.txt")); string(b) != "!1ab" {
		t.Errorf("a.txt holds %q", b)
	}
	again := r.okPayload(m+"open-at", root, canonabi.FlagsValue(0), canonabi.StringValue("a.txt"), canonabi.FlagsValue(0), canonabi.FlagsValue(flagRead))
	if !r.must(m+"is-same-object", f, again).Bool() || r.must(m+"is-same-object", f, root).Bool() {
		t.Error("is-same-object")
	}
	h1, h2 := r.okPayload(m+"metadata-hash", f), r.okPayload(m+"metadata-hash-at", root, canonabi.FlagsValue(0), canonabi.StringValue("a.txt"))
	if !canonabi.Equal(h1, h2) || canonabi.Equal(h1, r.okPayload(m+"metadata-hash", root)) {
		t.Errorf("metadata hashes %v %v", h1, h2)
	}
	// Reading through a read-only descriptor works; writing does not.
	v := r.must(m+"write", again, canonabi.BytesValue([]byte("x")), u64(0))
	if e, _ := v.Payload(); v.Case() != 1 || e.Case() != uint32(ecBadDescriptor) {
		t.Errorf("write through a read-only descriptor = %v", v)
	}
	r.okPayload(m+"create-directory-at", root, canonabi.StringValue("sub"))
	ds := r.okPayload(m+"read-directory", root)
	var names []string
	for {
		e := r.okPayload("wasi:filesystem/types#[method]directory-entry-stream.read-directory-entry", ds)
		p, some := e.Payload()
		if !some {
			break
		}
		names = append(names, p.Elems()[1].Str()+":"+map[uint32]string{typeDirectory: "dir", typeRegular: "file"}[p.Elems()[0].Case()])
	}
	if strings.Join(names, " ") != "a.txt:file sub:dir" && strings.Join(names, " ") != "sub:dir a.txt:file" {
		t.Errorf("directory entries %v", names)
	}
	v = r.must(m+"open-at", root, canonabi.FlagsValue(0), canonabi.StringValue("../x"), canonabi.FlagsValue(openCreate), canonabi.FlagsValue(flagWrite))
	if e, _ := v.Payload(); v.Case() != 1 || e.Case() != uint32(ecNotPermitted) {
		t.Errorf("open-at ../x = %v, want not-permitted", v)
	}
	r.okPayload(m+"symlink-at", root, canonabi.StringValue("a.txt"), canonabi.StringValue("ln"))
	if got := r.okPayload(m+"readlink-at", root, canonabi.StringValue("ln")); got.Str() != "a.txt" {
		t.Errorf("readlink-at = %q", got.Str())
	}
	v = r.must(m+"symlink-at", root, canonabi.StringValue("/etc/passwd"), canonabi.StringValue("ln2"))
	if e, _ := v.Payload(); v.Case() != 1 || e.Case() != uint32(ecNotPermitted) {
		t.Errorf("symlink-at to an absolute path = %v", v)
	}
	r.okPayload(m+"link-at", root, canonabi.FlagsValue(0), canonabi.StringValue("a.txt"), root, canonabi.StringValue("hard"))
	r.okPayload(m+"rename-at", root, canonabi.StringValue("hard"), root, canonabi.StringValue("hard2"))
	r.okPayload(m+"unlink-file-at", root, canonabi.StringValue("hard2"))
	r.okPayload(m+"remove-directory-at", root, canonabi.StringValue("sub"))
	if _, err := os.Stat(filepath.Join(dir, "sub")); !os.IsNotExist(err) {
		t.Errorf("sub not removed: %v", err)
	}
}

func ptr(v canonabi.Value) *canonabi.Value { return &v }

// TestWriteLimits: like wasmtime, the host traps a write larger than
// check-write permitted, or a blocking write of more than 4096 bytes.
func TestWriteLimits(t *testing.T) {
	r := newRig(t, Config{})
	o := r.must("wasi:cli/stdout#get-stdout")
	r.okPayload("wasi:io/streams#[method]output-stream.blocking-write-and-flush", o, canonabi.BytesValue(make([]byte, 4096)))
	for name, arg := range map[string]canonabi.Value{
		"blocking-write-and-flush":        canonabi.BytesValue(make([]byte, 4097)),
		"write":                           canonabi.BytesValue(make([]byte, maxChunk+1)),
		"blocking-write-zeroes-and-flush": u64(4097),
		"write-zeroes":                    u64(1 << 40),
	} {
		if _, err := r.call("wasi:io/streams#[method]output-stream."+name, o, arg); err == nil {
			t.Errorf("%s over the limit did not trap", name)
		}
	}
}

// TestResourceLimit: a guest that keeps making handles without dropping
// them traps at the limit; dropping makes room again.
func TestResourceLimit(t *testing.T) {
	r := newRig(t, Config{})
	var err error
	n := 0
	for ; n <= maxObjects && err == nil; n++ {
		_, err = r.call("wasi:clocks/monotonic-clock#subscribe-duration", u64(0))
	}
	if err == nil || n != maxObjects+1 {
		t.Fatalf("after %d pollables: %v", n, err)
	}
	r.h.res.remove(7)
	if _, err := r.call("wasi:clocks/monotonic-clock#subscribe-duration", u64(0)); err != nil {
		t.Errorf("after a drop: %v", err)
	}
}

// TestStdinDoesNotBlock: stdin's read returns what has arrived, possibly
// nothing; its pollable is ready only when input (or its end) is there,
// so a poll on stdin and a timer wakes for the timer.
func TestStdinDoesNotBlock(t *testing.T) {
	pr, pw := io.Pipe()
	r := newRig(t, Config{Stdin: pr})
	in := r.must("wasi:cli/stdin#get-stdin")
	if got := r.okPayload("wasi:io/streams#[method]input-stream.read", in, u64(10)); got.Len() != 0 {
		t.Errorf("read with no input = %q", got.Bytes())
	}
	p := r.must("wasi:io/streams#[method]input-stream.subscribe", in)
	if r.must("wasi:io/poll#[method]pollable.ready", p).Bool() {
		t.Error("stdin ready with no input")
	}
	timer := r.must("wasi:clocks/monotonic-clock#subscribe-duration", u64(uint64(30*time.Millisecond)))
	start := time.Now()
	if got := r.must("wasi:io/poll#poll", canonabi.ListValue(p, timer)); got.Len() != 1 || got.Elems()[0].Uint() != 1 {
		t.Errorf("poll [stdin, timer] = %v, want [1]", got)
	}
	if d := time.Since(start); d < 25*time.Millisecond {
		t.Errorf("poll returned after %v", d)
	}
	go pw.Write([]byte("typed"))
	if got := r.must("wasi:io/poll#poll", canonabi.ListValue(p)); got.Len() != 1 || got.Elems()[0].Uint() != 0 {
		t.Errorf("poll [stdin] = %v, want [0]", got)
	}
	if got := r.okPayload("wasi:io/streams#[method]input-stream.read", in, u64(3)); string(got.Bytes()) != "typ" {
		t.Errorf("read 3 = %q", got.Bytes())
	}
	if got := r.okPayload("wasi:io/streams#[method]input-stream.read", in, u64(10)); string(got.Bytes()) != "ed" {
		t.Errorf("read the rest = %q", got.Bytes())
	}
	pw.Close()
	v := r.must("wasi:io/streams#[method]input-stream.blocking-read", in, u64(10))
	if e, _ := v.Payload(); v.Case() != 1 || e.Case() != 1 {
		t.Errorf("blocking-read at the end = %v, want err(closed)", v)
	}
	// A blocking read that a cancelled context interrupts stops the guest.
	pr2, _ := io.Pipe()
	r2 := newRig(t, Config{Stdin: pr2})
	in2 := r2.must("wasi:cli/stdin#get-stdin")
	ctx, cancel := context.WithTimeout(r2.ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := r2.funcs["wasi:io/streams#[method]input-stream.blocking-read"](ctx, []canonabi.Value{in2, u64(1)}); err == nil {
		t.Error("a cancelled blocking-read returned no error")
	}
}
