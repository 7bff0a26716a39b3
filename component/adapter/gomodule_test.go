package adapter

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"

	"github.com/witgo/witgo/component/wasm"
)

var goBuilds sync.Map // package dir and flags -> built module bytes

// buildGoWasip1 builds testdata/<dir> with GOOS=wasip1 GOARCH=wasm, once
// per test process and flags.
func buildGoWasip1(t testing.TB, dir string, flags ...string) []byte {
	t.Helper()
	key := dir + " " + strings.Join(flags, " ")
	if b, ok := goBuilds.Load(key); ok {
		return b.([]byte)
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("WITGO_REQUIRE_TOOLS") == "1" {
			t.Fatal("go not found")
		}
		t.Skip("go not found")
	}
	out := filepath.Join(t.TempDir(), dir+".wasm")
	cmd := exec.Command(goTool, append(append([]string{"build"}, flags...), "-o", out, "./testdata/"+dir)...)
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	goBuilds.Store(key, b)
	return b
}

// runResult is what a whole-program run through the adapter produced.
type runResult struct {
	exit  uint32
	calls map[string]int // preview1 functions the program called
	mem   api.Memory
}

// runCommand runs a wasip1 command module (exporting memory and _start)
// with its preview1 imports bound to the adapter's exports. The module
// is instantiated under the name "env" so that the adapter can import
// its memory; its imports go through small Go forwarders because the
// adapter does not exist yet when the module is instantiated. before
// runs between instantiation and _start.
func runCommand(t testing.TB, bin []byte, h *fakeHost, before func(api.Memory)) runResult {
	return runModule(t, bin, h, before, "_start")
}

// runModule is runCommand with the exports to call in order (a reactor:
// _initialize, then its run export).
func runModule(t testing.TB, bin []byte, h *fakeHost, before func(api.Memory), entries ...string) runResult {
	t.Helper()
	ctx := context.Background()
	r := newRuntime(ctx)
	defer r.Close(ctx)
	h.instantiate(ctx, t, r)
	compiled, err := r.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	var adapter api.Module
	calls := map[string]int{}
	fwd := r.NewHostModuleBuilder("wasi_snapshot_preview1")
	for _, f := range compiled.ImportedFunctions() {
		mod, name, _ := f.Import()
		if mod != "wasi_snapshot_preview1" {
			t.Fatalf("unexpected import %s.%s", mod, name)
		}
		var target api.Function
		fn := api.GoModuleFunc(func(ctx context.Context, _ api.Module, stack []uint64) {
			calls[name]++
			if target == nil {
				target = adapter.ExportedFunction(name)
				if target == nil {
					panic("adapter does not export " + name)
				}
			}
			if err := target.CallWithStack(ctx, stack); err != nil {
				panic(err)
			}
		})
		fwd.NewFunctionBuilder().WithGoModuleFunction(fn, f.ParamTypes(), f.ResultTypes()).Export(name)
	}
	if _, err := fwd.Instantiate(ctx); err != nil {
		t.Fatal(err)
	}
	main, err := r.InstantiateModule(ctx, compiled, wazero.NewModuleConfig().WithName("env").WithStartFunctions())
	if err != nil {
		t.Fatal(err)
	}
	adapter = instantiateAdapter(t, ctx, r)
	if before != nil {
		before(main.Memory())
	}
	res := runResult{calls: calls, mem: main.Memory()}
	for _, entry := range entries {
		fn := main.ExportedFunction(entry)
		if fn == nil {
			t.Fatalf("the module does not export %s", entry)
		}
		if _, err = fn.Call(ctx); err != nil {
			break
		}
	}
	var exit *sys.ExitError
	switch {
	case errors.As(err, &exit):
		res.exit = exit.ExitCode()
	case err != nil:
		t.Fatalf("%v: %v\nstdout:\n%s\nstderr:\n%s", entries, err, h.out.String(), h.err.String())
	}
	if len(h.faults) > 0 {
		t.Errorf("host saw protocol faults: %v", h.faults)
	}
	return res
}

// bigGoOutput is what testdata/bigo prints on stdout (apart from its
// environment line, which hosts fill differently) with the given stat
// line. The checksum: each byte value 0..255 appears 64 times among the
// sampled pages, 64 * 32640.
func bigGoOutput(stat string) string {
	return `args: first|second arg|
allocated MiB: 64 checksum: 2088960
slept >= 10ms: true
wall clock after 2020: true
read: "hello from the host\n" <nil>
write: <nil>
append: <nil>
reread: "written by go+more" <nil>
dir: hello.txt:false out.txt:false <nil>
` + stat + `
missing is not-exist: true
mkdir: <nil>
remove: <nil>
`
}

func bigGoHost(t testing.TB) *fakeHost {
	h := newFakeHost(t)
	h.args = []string{"bigo", "first", "second arg", ""}
	h.env = [][2]string{{"GREETING", "hello"}, {"EMPTY", ""}}
	h.dirs["/data"] = true
	h.files["/data/hello.txt"] = []byte("hello from the host\n")
	h.preopens = []string{"/data"}
	return h
}

func TestBigGoProgram(t *testing.T) {
	bin := buildGoWasip1(t, "bigo")
	h := bigGoHost(t)
	res := runCommand(t, bin, h, nil)
	if res.exit != 0 {
		t.Errorf("exit code %d\nstderr: %s", res.exit, h.err.String())
	}
	want := bigGoOutput("stat: 20 3 false")
	got := strings.Replace(h.out.String(), "env: EMPTY=|GREETING=hello\n", "", 1)
	if got != want || !strings.Contains(h.out.String(), "env: EMPTY=|GREETING=hello\n") {
		t.Errorf("stdout:\n%s\nwant:\n%s", got, want)
	}
	if h.err.String() != "done\n" {
		t.Errorf("stderr %q", h.err.String())
	}
	if !h.dirs["/data/sub"] {
		t.Error("mkdir did not reach the host")
	}
	var names []string
	for n, c := range res.calls {
		names = append(names, n+"="+itoa(c))
	}
	sort.Strings(names)
	t.Logf("preview1 calls: %s", strings.Join(names, " "))
}

// TestBigGoReactor: the same program built with -buildmode=c-shared; the
// Go runtime starts in _initialize (where it reads arguments and
// environment through the adapter), then wasi:cli/run runs it.
func TestBigGoReactor(t *testing.T) {
	bin := buildGoWasip1(t, "bigo", "-buildmode=c-shared")
	h := bigGoHost(t)
	res := runModule(t, bin, h, nil, "_initialize", "wasi:cli/run@0.2.0#run")
	if res.exit != 0 {
		t.Errorf("exit code %d", res.exit)
	}
	got := strings.Replace(h.out.String(), "env: EMPTY=|GREETING=hello\n", "", 1)
	if want := bigGoOutput("stat: 20 3 false"); got != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", got, want)
	}
}

// TestGoLeavesLowMemoryAlone checks the lead of ARCHITECTURE.md: Go's
// linker starts data at 4096+8192 and on wasip1 nothing writes below it.
// Statically: no data segment of a Go module starts below 12288.
// Dynamically: a canary over [0, 12288) neither changes the output of a
// whole run of the big program (64 MiB of allocation, GC, files, sleeps)
// nor is changed by it, adapter included.
func TestGoLeavesLowMemoryAlone(t *testing.T) {
	bin := buildGoWasip1(t, "bigo")
	m, err := wasm.DecodeModule(bin)
	if err != nil {
		t.Fatal(err)
	}
	lowest, err := lowestDataOffset(m.Data)
	if err != nil {
		t.Fatal(err)
	}
	if lowest < 12288 {
		t.Fatalf("a data segment starts at %d, below 12288", lowest)
	}
	t.Logf("lowest data segment offset: %d", lowest)
	canary := make([]byte, 12288)
	for i := range canary {
		canary[i] = byte(i*13 + 5)
	}
	h := bigGoHost(t)
	res := runCommand(t, bin, h, func(mem api.Memory) { mem.Write(0, canary) })
	// Go neither reads it (the run is unaffected by the canary) ...
	out := strings.Replace(h.out.String(), "env: EMPTY=|GREETING=hello\n", "", 1)
	if want := bigGoOutput("stat: 20 3 false"); res.exit != 0 || out != want {
		t.Errorf("with a canary below 12288 the program printed:\n%s", out)
	}
	// ... nor writes it.
	got, _ := res.mem.Read(0, 12288)
	for i := range canary {
		if got[i] != canary[i] {
			t.Fatalf("byte %d below 12288 changed during the run", i)
		}
	}
	if size := res.mem.Size(); size < 64<<20 {
		t.Errorf("memory is %d bytes after allocating 64 MiB", size)
	}
}

// lowestDataOffset returns the smallest i32.const offset of the active
// segments in a raw data section payload.
func lowestDataOffset(data []byte) (uint64, error) {
	r := leb{b: data}
	n := r.u()
	lowest := uint64(1 << 32)
	for k := uint64(0); k < n && r.err == nil; k++ {
		switch flag := r.u(); flag {
		case 0:
		case 2:
			r.u() // memory index
		case 1:
			r.skip(r.u())
			continue
		default:
			return 0, errors.New("unknown data segment kind")
		}
		if r.byte() != 0x41 {
			return 0, errors.New("data offset is not i32.const")
		}
		off := r.u()
		if r.byte() != 0x0b {
			return 0, errors.New("bad data offset expression")
		}
		lowest = min(lowest, off)
		r.skip(r.u())
	}
	return lowest, r.err
}

type leb struct {
	b   []byte
	i   int
	err error
}

func (l *leb) byte() byte {
	if l.i >= len(l.b) {
		l.err = errors.New("truncated")
		return 0
	}
	l.i++
	return l.b[l.i-1]
}

// u reads an unsigned LEB128 (also used for the non-negative i32.const
// offsets Go emits).
func (l *leb) u() uint64 {
	var v uint64
	for s := 0; s < 64; s += 7 {
		c := l.byte()
		v |= uint64(c&0x7f) << s
		if c&0x80 == 0 {
			return v
		}
	}
	return v
}

func (l *leb) skip(n uint64) {
	if uint64(len(l.b)-l.i) < n {
		l.err = errors.New("truncated")
		return
	}
	l.i += int(n)
}
