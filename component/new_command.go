package component

import (
	"fmt"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component/wasm"
	"github.com/witgo/witgo/wit"
)

// Preview1 commands
//
// A command module (the default output of `GOOS=wasip1 go build`, of
// clang for wasm32-wasi without -mexec-model=reactor, of rustc for a
// wasm32-wasi binary) exports `_start` instead of world functions. New
// makes it a component that exports wasi:cli/run, as wasm-tools does:
//
//   - when the world (given, embedded, or none at all) exports no
//     wasi:cli/run, `wasi:cli/run@0.2.0` is added to its exports;
//   - when the module does not export run's core function itself, run is
//     lifted from a small glue module that calls `_start` and returns ok.
//     A second call of run traps: `_start` initializes the runtime (Go's
//     runtime, libc's constructors) and may run only once;
//   - `_initialize` is never called for a command: `_start` does its own
//     initialization, and running both would run constructors twice;
//   - the exports toolchains add beside `_start` (`main` from rustc,
//     `__main_void` from wasi-libc) are accepted and left unused unless
//     the world names them.
//
// Exit status: the adapter's proc_exit calls wasi:cli/exit.exit with ok
// for 0 and err for anything else, and the host stops the run there.
// WASI 0.2.0's exit takes a result, so a guest's exit(3) reaches the host
// as err, which hosts report as exit status 1 (jco, wasmtime); exit(0)
// and returning from `_start` are success.

// startExport is the entry point of a preview1 command.
const startExport = "_start"

// commandExtraExports are exports toolchains put beside `_start`.
var commandExtraExports = map[string]bool{"main": true, "__main_void": true}

// runWIT declares what a command exports.
const runWIT = `package wasi:cli@0.2.0;

interface run {
  run: func() -> result;
}

world command {
  export run;
}
`

// isCommand reports whether m is a preview1 command (exports `_start`).
func isCommand(m *wasm.Module) bool { return hasExport(m, startExport, wasm.ExternFunc) }

// runWorld is a world that exports wasi:cli/run@0.2.0 and nothing else.
func runWorld() (*WorldSection, error) {
	r := wit.NewResolve()
	pkg, err := r.AddSource("wasi-cli-run.wit", []byte(runWIT))
	if err != nil {
		return nil, err
	}
	w, err := r.SelectWorld(pkg, "command")
	if err != nil {
		return nil, err
	}
	return &WorldSection{Resolve: r, World: w}, nil
}

// isRunInterface reports whether interface id is wasi:cli/run (any version).
func isRunInterface(r *wit.Resolve, id wit.InterfaceID) bool {
	iface := r.Interfaces[id]
	if iface.Name != "run" || iface.Package == wit.NoPackage {
		return false
	}
	pn := r.Packages[iface.Package].Name
	return pn.Namespace == "wasi" && pn.Name == "cli"
}

// exportsRun reports whether world w exports wasi:cli/run.
func exportsRun(r *wit.Resolve, w wit.WorldID) bool {
	for _, item := range r.Worlds[w].Exports.All() {
		if item.Kind == wit.ItemInterface && isRunInterface(r, item.Interface) {
			return true
		}
	}
	return false
}

// commandRunExport is the world to add to the exports of m's world
// (r/w, else embedded's, else none): wasi:cli/run when m is a command and
// the world does not export it; nil otherwise.
func commandRunExport(m *wasm.Module, r *wit.Resolve, w wit.WorldID, embedded *WorldSection) (*WorldSection, error) {
	if !isCommand(m) {
		return nil, nil
	}
	if r == nil && embedded != nil {
		r, w = embedded.Resolve, embedded.World
	}
	if r != nil && exportsRun(r, w) {
		return nil, nil
	}
	ws, err := runWorld()
	if err != nil {
		return nil, fmt.Errorf("component new: %w", err)
	}
	return ws, nil
}

// runFromStart reports whether world export c is wasi:cli/run's run,
// to be served by `_start` because the module is a command that does not
// export it itself. Its type must be run's: func() -> result.
func (n *newState) runFromStart(c *canonabi.CoreName) (bool, error) {
	if !isCommand(n.main) || !c.HasInterface || !isRunInterface(n.r, c.Interface) || c.Function.Name != "run" {
		return false, nil
	}
	for _, ex := range n.main.Exports {
		if ex.Name == startExport && ex.Kind == wasm.ExternFunc {
			if ft, ok := funcTypeOf(n.main, ex.Index); !ok || !sameFuncType(ft, wasm.FuncType{}) {
				return false, fmt.Errorf("the module exports %q with type %s, but a command's entry point is (func)", startExport, funcTypeString(ft))
			}
		}
	}
	f := c.Function
	res, ok := f.Result.TypeID()
	if len(f.Params) > 0 || !ok {
		return false, fmt.Errorf("the world's %s is not func() -> result", describeFunc(n.r, c))
	}
	if rt, ok := n.r.Types[res].Kind.(*wit.Result); !ok || rt.OK != wit.NoType || rt.Err != wit.NoType {
		return false, fmt.Errorf("the world's %s is not func() -> result", describeFunc(n.r, c))
	}
	return true, nil
}

// glueImportModule is the module name the glue imports `_start` from.
const glueImportModule = "main"

// runGlueModule imports `_start` and exports "run": it calls `_start`
// once and returns 0 (ok); a second call traps.
func runGlueModule() (*wasm.Module, error) {
	b := wasm.NewBuilder()
	start := b.ImportFunc(glueImportModule, startExport, b.FuncType(nil, nil))
	ran := b.Global(wasm.GlobalType{Val: wasm.V(wasm.I32), Flags: 1}, wasm.I32Const(0))
	body := []byte{0x23, byte(ran), 0x04, 0x40, 0x00, 0x0b} // global.get ran; if; unreachable; end
	body = append(body, wasm.I32Const(1)...)
	body = append(body, 0x24, byte(ran), 0x10, byte(start)) // global.set ran; call _start
	body = append(body, wasm.I32Const(0)...)
	b.Export("run", wasm.ExternFunc, b.Func(b.FuncType(nil, []wasm.ValType{wasm.V(wasm.I32)}), nil, body))
	return b.Build()
}

// instantiateRunGlue instantiates the glue with the module's `_start`.
func (n *newState) instantiateRunGlue() error {
	glue, err := runGlueModule()
	if err != nil {
		return err
	}
	b := n.b
	bundle := b.coreBundle([]CoreInlineExport{{Name: startExport, Sort: SortCoreFunc, Idx: b.aliasCore(n.mainInst, startExport, SortCoreFunc)}})
	n.runGlueInst = b.instantiate(b.coreModule(glue), []CoreInstantiateArg{{Name: glueImportModule, Instance: bundle}})
	return nil
}
