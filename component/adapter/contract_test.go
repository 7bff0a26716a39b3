package adapter

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component/wasm"
)

// preview1Sigs are the core signatures of wasi_snapshot_preview1 (witx
// typenames lowered as wasi-libc's api.h does), written out for this
// test: 'i' i32, 'I' i64; results after the colon.
var preview1Sigs = map[string]string{
	"args_get": "ii:i", "args_sizes_get": "ii:i", "environ_get": "ii:i", "environ_sizes_get": "ii:i",
	"clock_res_get": "ii:i", "clock_time_get": "iIi:i",
	"fd_advise": "iIIi:i", "fd_allocate": "iII:i", "fd_close": "i:i", "fd_datasync": "i:i",
	"fd_fdstat_get": "ii:i", "fd_fdstat_set_flags": "ii:i", "fd_fdstat_set_rights": "iII:i",
	"fd_filestat_get": "ii:i", "fd_filestat_set_size": "iI:i", "fd_filestat_set_times": "iIIi:i",
	"fd_pread": "iiiIi:i", "fd_prestat_get": "ii:i", "fd_prestat_dir_name": "iii:i", "fd_pwrite": "iiiIi:i",
	"fd_read": "iiii:i", "fd_readdir": "iiiIi:i", "fd_renumber": "ii:i", "fd_seek": "iIii:i",
	"fd_sync": "i:i", "fd_tell": "ii:i", "fd_write": "iiii:i",
	"path_create_directory": "iii:i", "path_filestat_get": "iiiii:i", "path_filestat_set_times": "iiiiIIi:i",
	"path_link": "iiiiiii:i", "path_open": "iiiiiIIii:i", "path_readlink": "iiiiii:i",
	"path_remove_directory": "iii:i", "path_rename": "iiiiii:i", "path_symlink": "iiiii:i",
	"path_unlink_file": "iii:i", "poll_oneoff": "iiii:i", "proc_exit": "i:", "proc_raise": "i:i",
	"sched_yield": ":i", "random_get": "ii:i", "sock_accept": "iii:i", "sock_recv": "iiiiii:i",
	"sock_send": "iiiii:i", "sock_shutdown": "ii:i",
}

func sigString(ft wasm.FuncType) string {
	code := func(ts []wasm.ValType) string {
		var b strings.Builder
		for _, t := range ts {
			if t.Code == wasm.I64 {
				b.WriteByte('I')
			} else {
				b.WriteByte('i')
			}
		}
		return b.String()
	}
	return code(ft.Params) + ":" + code(ft.Results)
}

func decodedAdapter(t *testing.T) *wasm.Module {
	b, err := Module()
	if err != nil {
		t.Fatal(err)
	}
	m, err := wasm.DecodeModule(b)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// funcType returns the type of function index idx (imports first).
func funcType(m *wasm.Module, idx uint32) wasm.FuncType {
	n := uint32(0)
	for _, im := range m.Imports {
		if im.Type.Kind == wasm.ExternFunc {
			if n == idx {
				ft, _ := m.FuncType(im.Type.Func)
				return ft
			}
			n++
		}
	}
	ft, _ := m.FuncType(m.Funcs[idx-n])
	return ft
}

func TestExportsArePreview1(t *testing.T) {
	m := decodedAdapter(t)
	seen := map[string]bool{}
	for _, e := range m.Exports {
		if e.Kind != wasm.ExternFunc {
			t.Errorf("export %s is not a function", e.Name)
			continue
		}
		got := sigString(funcType(m, e.Index))
		if e.Name == "cabi_import_realloc" {
			if got != "iiii:i" {
				t.Errorf("cabi_import_realloc has type %s", got)
			}
			continue
		}
		want, ok := preview1Sigs[e.Name]
		if !ok {
			t.Errorf("export %s is not a preview1 function", e.Name)
		} else if got != want {
			t.Errorf("%s has type %s, want %s", e.Name, got, want)
		}
		seen[e.Name] = true
	}
	for name := range preview1Sigs {
		if !seen[name] {
			t.Errorf("preview1 function %s is not exported", name)
		}
	}
}

// TestImportsAreTheWorld: one memory, env.memory, no memory of its own;
// every function import is a canon-lowered function of World() with the
// signature canonabi gives, under the legacy names.
func TestImportsAreTheWorld(t *testing.T) {
	m := decodedAdapter(t)
	if len(m.Memories) != 0 {
		t.Errorf("the adapter defines %d memories", len(m.Memories))
	}
	res, world, err := World()
	if err != nil {
		t.Fatal(err)
	}
	abi := canonabi.New(res)
	names, err := abi.Names(world, canonabi.Legacy)
	if err != nil {
		t.Fatal(err)
	}
	mems, funcs := 0, 0
	for _, im := range m.Imports {
		switch im.Type.Kind {
		case wasm.ExternMemory:
			mems++
			if im.Module != "env" || im.Name != "memory" {
				t.Errorf("memory import %s.%s", im.Module, im.Name)
			}
		case wasm.ExternFunc:
			funcs++
			cn, err := names.ParseImport(im.Module, im.Name)
			if err != nil {
				t.Errorf("import %s %s: %v", im.Module, im.Name, err)
				continue
			}
			ft, _ := m.FuncType(im.Type.Func)
			want := "i:"
			if cn.Function != nil {
				sig, err := abi.Signature(cn.Function, canonabi.Lower)
				if err != nil {
					t.Fatal(err)
				}
				want = sigString(wasm.FuncType{Params: coreTypes(sig.Params), Results: coreTypes(sig.Results)})
			}
			if got := sigString(ft); got != want {
				t.Errorf("import %s %s has type %s, want %s", im.Module, im.Name, got, want)
			}
		default:
			t.Errorf("import %s.%s of kind %d", im.Module, im.Name, im.Type.Kind)
		}
	}
	if mems != 1 || funcs == 0 {
		t.Errorf("%d memory imports, %d function imports", mems, funcs)
	}
}

// TestCoversGoStandardLibrary: every preview1 function Go's standard
// library declares with //go:wasmimport is exported.
func TestCoversGoStandardLibrary(t *testing.T) {
	src := filepath.Join(runtime.GOROOT(), "src")
	re := regexp.MustCompile(`//go:wasmimport wasi_snapshot_preview1 (\w+)`)
	found := map[string]bool{}
	for _, dir := range []string{"runtime", "syscall", "internal/syscall/unix", "os", "net", "internal/poll"} {
		files, _ := filepath.Glob(filepath.Join(src, dir, "*wasip1*.go"))
		more, _ := filepath.Glob(filepath.Join(src, dir, "*wasm*.go"))
		for _, f := range append(files, more...) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				found[m[1]] = true
			}
		}
	}
	if len(found) < 30 {
		t.Skipf("found only %d declarations under %s", len(found), src)
	}
	exported := map[string]bool{}
	for _, n := range exportNames() {
		exported[n] = true
	}
	var missing []string
	for n := range found {
		if !exported[n] {
			missing = append(missing, n)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("Go declares preview1 functions the adapter lacks: %v", missing)
	}
	t.Logf("Go %s declares %d preview1 functions; all exported", runtime.Version(), len(found))
}

// TestCoversWasiLibc: every import wasi-libc may make (its libc.imports
// list) is exported.
func TestCoversWasiLibc(t *testing.T) {
	f, err := os.Open("/usr/lib/wasm32-wasi/libc.imports")
	if err != nil {
		if os.Getenv("WITGO_REQUIRE_TOOLS") == "1" {
			t.Fatal(err)
		}
		t.Skip("wasi-libc not installed")
	}
	defer f.Close()
	exported := map[string]bool{}
	for _, n := range exportNames() {
		exported[n] = true
	}
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "__imported_wasi_snapshot_preview1_")
		if !ok {
			continue
		}
		n++
		if !exported[name] {
			t.Errorf("wasi-libc imports %s, which the adapter lacks", name)
		}
	}
	t.Logf("wasi-libc's %d preview1 imports are all exported", n)
}
