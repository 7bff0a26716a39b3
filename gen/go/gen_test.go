package gogen

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/wit"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func generateWorld(t testing.TB, path, world string, stubs bool) []File {
	t.Helper()
	r := wit.NewResolve()
	pkg, err := r.LoadPath(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.SelectWorld(pkg, world)
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(r, w, Options{PackageRoot: "example.com/gen", Stubs: stubs})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func fileMap(files []File) map[string]string {
	m := map[string]string{}
	for _, f := range files {
		m[f.Path] = string(f.Content)
	}
	return m
}

// TestGoldenSmallWorld compares the bindings of world `small` with the
// reviewed files in testdata/golden (go test -update rewrites them).
func TestGoldenSmallWorld(t *testing.T) {
	files := generateWorld(t, filepath.Join("testdata", "matrix.wit"), "small", true)
	golden := filepath.Join("testdata", "golden", "small")
	if *update {
		if err := os.RemoveAll(golden); err != nil {
			t.Fatal(err)
		}
		if err := WriteFiles(golden, files); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	for _, f := range files {
		seen[f.Path] = true
		want, err := os.ReadFile(filepath.Join(golden, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Errorf("%s: no golden file (run go test -update): %v", f.Path, err)
			continue
		}
		if !bytes.Equal(want, f.Content) {
			t.Errorf("%s differs from its golden file; got:\n%s", f.Path, f.Content)
		}
	}
	filepath.WalkDir(golden, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(golden, p)
			if !seen[filepath.ToSlash(rel)] {
				t.Errorf("golden file %s is no longer generated", rel)
			}
		}
		return nil
	})
}

func TestGenerateIsDeterministic(t *testing.T) {
	a := fileMap(generateWorld(t, filepath.Join("testdata", "matrix.wit"), "matrix", true))
	b := fileMap(generateWorld(t, filepath.Join("testdata", "matrix.wit"), "matrix", true))
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for p, c := range a {
		if b[p] != c {
			t.Errorf("%s differs between two runs", p)
		}
	}
}

// TestGeneratedAPI checks the Go API a user sees for the matrix world: the
// shapes the issue asks for, as declarations in the generated source.
func TestGeneratedAPI(t *testing.T) {
	m := fileMap(generateWorld(t, filepath.Join("testdata", "matrix.wit"), "matrix", true))
	expect := func(path string, decls ...string) {
		t.Helper()
		src, ok := m[path]
		if !ok {
			t.Errorf("no file %s", path)
			return
		}
		for _, d := range decls {
			if !strings.Contains(src, d) {
				t.Errorf("%s lacks %q", path, d)
			}
		}
	}
	expect("test/matrix/numbers/numbers.go",
		"func EchoU8(x uint8) uint8 {", "func EchoS64(x int64) int64 {", "func EchoChar(x rune) rune {",
		"func Edges(a int8, b int16, c int32, d int64, e uint64, f float32, g float64, h rune) cabi.Tuple8[int8, int16, int32, int64, uint64, float32, float64, rune] {")
	expect("test/matrix/lists/lists.go",
		"func Bytes(b []uint8) []uint8 {", "func Points(p []Point) []Point {",
		"func Fixed(a [4]uint32, b [2]string) [3]Point {", "func Counts(m map[string]uint32) map[uint32][]string {",
		"type Point struct {")
	expect("test/matrix/shapes/shapes.go",
		"type Shape interface {", "type ShapeCircle struct {", "Value float32", "type ShapeEmpty struct{}",
		"type Color uint8", "ColorRed Color = iota", "func (e Color) String() string {",
		"type One uint8", "type Nine uint16", "type ThirtyTwo uint32", "ThirtyTwoB31",
		"func (f Nine) Has(mask Nine) bool {",
		"func Results(a cabi.Result[struct{}, struct{}], b cabi.Result[uint8, struct{}], c cabi.Result[struct{}, string]) (Outer, error) {",
		"func Fails() error {",
		"func Options(a cabi.Option[uint8], b cabi.Option[cabi.Option[string]]) cabi.Option[[]uint8] {")
	expect("test/matrix/things/things.go",
		"type Counter struct {", "func NewCounter(start uint32) Counter {", "func (self Counter) Add(n uint32) uint32 {",
		"func (self Counter) Drop() {", "func CounterMerge(a Counter, b Counter) Counter {",
		"func CounterTryNew(s string) (Counter, error) {")
	expect("exports/test/matrix/things/things.go",
		"type Counter interface {", "Add(n uint32) uint32", "NewCounter(start uint32) Counter",
		"func Export(impl Exports) {")
	expect("exports/test/matrix/things/things_wasip1.go",
		"//go:wasmexport test:matrix/things@0.1.0#[method]counter.add",
		"//go:wasmimport [export]test:matrix/things@0.1.0 [resource-new]counter",
		"//go:wasmexport test:matrix/things@0.1.0#[dtor]counter")
	expect("exports/test/matrix/strings/strings_wasip1.go",
		"//go:wasmexport cabi_post_test:matrix/strings@0.1.0#echo")
	expect("test/matrix/keywords/keywords.go",
		"type Type struct {", "Func      uint8", "func Break(continue_ uint32, len_ string, network uint8) Type {")
	expect("test/matrix/matrix/matrix.go", "type Color = shapes.Color", "func Log(msg string, level Color) {", "Run(args []string) (uint32, error)")
	expect("cabi/cabi_wasip1.go", "//go:wasmexport cabi_realloc")
	for p, src := range m {
		if strings.HasSuffix(p, "_wasip1.go") && !strings.Contains(src, "//go:build wasip1\n") ||
			strings.HasSuffix(p, "_other.go") && !strings.Contains(src, "//go:build !wasip1\n") {
			t.Errorf("%s lacks its build constraint", p)
		}
		for _, line := range strings.Split(src, "\n") {
			if strings.HasPrefix(line, "import") || strings.HasPrefix(line, "\t\"") {
				if strings.Contains(line, "github.com/") {
					t.Errorf("%s imports a non-standard package: %s", p, line)
				}
			}
		}
	}
}

// TestGenerateRejectsAsync: async functions are refused with a clear error.
// An async export is lifted with async and a callback under canonabi's
// names, returns its result through task.return, and brings the async
// runtime into the support package; a sync world does not get it.
func TestGenerateAsyncExport(t *testing.T) {
	r := wit.NewResolve()
	pkg, err := r.AddSource("a.wit", []byte("package a:b;\nworld w { export f: async func(x: string) -> u32; }\n"))
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.SelectWorld(pkg, "w")
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(r, w, Options{PackageRoot: "x"})
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]string{}
	for _, f := range files {
		all[f.Path] = string(f.Content)
	}
	wasm := all["a/b/w/w_wasip1.go"]
	for _, want := range []string{
		"//go:wasmexport [async-lift]f\nfunc wasm_f(p0 uint32, p1 uint32) uint32 {",
		"//go:wasmexport [callback][async-lift]f\nfunc wasm_callback_f(event, waitable, payload uint32) uint32 {\n\treturn cabi.Callback(event, waitable, payload)",
		"//go:wasmimport [export]$root [task-return]f\nfunc wasm_task_return_f(p0 uint32)",
	} {
		if !strings.Contains(wasm, want) {
			t.Errorf("w_wasip1.go lacks %q:\n%s", want, wasm)
		}
	}
	if !strings.Contains(all["a/b/w/w.go"], "return cabi.StartTask(func() func() {") {
		t.Errorf("the export does not start a task:\n%s", all["a/b/w/w.go"])
	}
	if !strings.Contains(all["cabi/async_wasip1.go"], "//go:wasmimport $root [waitable-set-new]") || all["cabi/async.go"] == "" {
		t.Error("the support package lacks the async runtime")
	}
	if strings.Contains(all["cabi/async_wasip1.go"], "error-context") {
		t.Error("a world without error-context imports its built-ins")
	}
	for _, f := range generateWorld(t, filepath.Join("testdata", "matrix.wit"), "matrix", false) {
		if strings.HasPrefix(f.Path, "cabi/async") || strings.HasPrefix(f.Path, "cabi/stream") {
			t.Errorf("the sync world matrix got %s", f.Path)
		}
	}
	if _, err := Generate(r, w, Options{}); err == nil {
		t.Fatal("Generate without a package root succeeded")
	}
}

func TestWriteFilesIsIdempotentAndRemovesStaleFiles(t *testing.T) {
	dir := t.TempDir()
	files := generateWorld(t, filepath.Join("testdata", "matrix.wit"), "matrix", true)
	if err := WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	userFile := filepath.Join(dir, "test", "matrix", "numbers", "mine.go")
	writeFile(t, userFile, "package numbers\n")
	stamp := filepath.Join(dir, "cabi", "cabi.go")
	before, _ := os.Stat(stamp)
	// The small world needs fewer packages: the others must go, the
	// user's file must stay, unchanged files must not be rewritten.
	small := generateWorld(t, filepath.Join("testdata", "matrix.wit"), "small", false)
	if err := WriteFiles(dir, small); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(stamp)
	if !before.ModTime().Equal(after.ModTime()) {
		t.Error("an unchanged file was rewritten")
	}
	if _, err := os.Stat(userFile); err != nil {
		t.Errorf("a file witgo did not generate was removed: %v", err)
	}
	for _, gone := range []string{"exports", filepath.Join("test", "matrix", "things"), filepath.Join("test", "matrix", "matrix", "stub")} {
		if _, err := os.Stat(filepath.Join(dir, gone)); err == nil {
			t.Errorf("%s is still there", gone)
		}
	}
	var n int
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && p != userFile {
			n++
		}
		return nil
	})
	if n != len(small) {
		t.Errorf("%d generated files on disk, want %d", n, len(small))
	}
}

// BenchmarkBindgenWASICommand generates the bindings of wasi:cli/command
// (0.2.0) from an already loaded Resolve, as `witgo bindgen` does after
// parsing; BenchmarkBindgenWASICommandWithParse includes loading the WIT.
func BenchmarkBindgenWASICommand(b *testing.B) { benchBindgen(b, "0.2.0") }

// BenchmarkBindgenWASI3Command is the WASI 0.3.0 command world: async
// functions, streams and futures.
func BenchmarkBindgenWASI3Command(b *testing.B) { benchBindgen(b, "0.3.0") }

func benchBindgen(b *testing.B, version string) {
	path := filepath.Join(sharedDir(b), "reference", "wasi", version, "wit")
	r := wit.NewResolve()
	pkg, err := r.LoadPath(path)
	if err != nil {
		b.Fatal(err)
	}
	w, err := r.SelectWorld(pkg, "wasi:cli/command@"+version)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		if _, err := Generate(r, w, Options{PackageRoot: "example.com/gen"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
}

func BenchmarkBindgenWASICommandWithParse(b *testing.B) {
	path := filepath.Join(sharedDir(b), "reference", "wasi", "0.2.0", "wit")
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		generateWorld(b, path, "wasi:cli/command@0.2.0", false)
	}
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
}
