package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/engine"
	"github.com/witgo/witgo/engine/wasi"
	"github.com/witgo/witgo/wit"
)

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "run a component on witgo's bundled engine",
		ArgsUsage: "COMPONENT.wasm [-- ARGS...]",
		Description: `Runs a wasi:cli/run command component with the WASI host (0.2, or 0.3 for a
component importing 0.3 interfaces and exporting the async wasi:cli/run@0.3.0):
its arguments are COMPONENT.wasm and ARGS (after '--' when they look like
flags), and witgo exits with the status the guest set. Nothing is granted
unless asked for: no environment variables (--env, --inherit-env), no files
(--dir, --dir-rw), no network.

  witgo run app.wasm hello world
  witgo run --dir ./data::/data --env LANG=C app.wasm -- -v

With --invoke, calls one exported function with WAVE arguments and prints
its result in WAVE, as 'wasmtime run --invoke' does:

  witgo run --invoke 'greet("x")' app.wasm
  witgo run --invoke 'ns:pkg/iface#add(1, 2)' app.wasm

WASI imports are satisfied by the host; --trap-unknown-imports stands in for
any other import with a function that traps.`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "invoke", Usage: "call `CALL`, a WAVE call such as 'f(1, \"x\")'"},
			&cli.DurationFlag{Name: "timeout", Usage: "stop the guest after `DURATION` (e.g. 5s)"},
			&cli.StringFlag{Name: "max-memory", Usage: "cap each linear memory at `SIZE` bytes (suffixes KiB, MiB, GiB)"},
			&cli.GenericFlag{Name: "env", Value: &repeated{}, Usage: "give the guest environment variable `K=V` (repeatable)"},
			&cli.BoolFlag{Name: "inherit-env", Usage: "give the guest witgo's environment (before --env)"},
			&cli.GenericFlag{Name: "dir", Value: &repeated{}, Usage: "grant host directory `HOST[::GUEST]` read-only (repeatable)"},
			&cli.GenericFlag{Name: "dir-rw", Value: &repeated{}, Usage: "grant host directory `HOST[::GUEST]` read-write (repeatable)"},
			&cli.BoolFlag{Name: "no-cache", Usage: "do not keep compiled code on disk (kept by default under the user's cache directory, or $WITGO_CACHE_DIR)"},
			&cli.BoolFlag{Name: "trap-unknown-imports", Usage: "satisfy imported functions with stubs that trap when called (as wasmtime's flag does)"},
		},
		Action: runRun,
	}
}

func runRun(c *cli.Context) error {
	if c.NArg() < 1 {
		return usagef(c, "missing COMPONENT.wasm")
	}
	path := c.Args().First()
	bin, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	cfg, err := wasiConfig(c) // flags first: a usage error should not wait for compilation
	if err != nil {
		return err
	}
	// Stopping guests on a deadline makes wazero watch every call from a
	// goroutine; without --timeout nothing would cancel, so skip the cost.
	opts := engine.Options{NoCloseOnContextDone: c.Duration("timeout") == 0, CacheDir: compileCacheDir(c)}
	if s := c.String("max-memory"); s != "" {
		n, err := parseSize(s)
		if err != nil {
			return usagef(c, "--max-memory: %v", err)
		}
		opts.MaxMemoryPages = uint32(max((n+65535)/65536, 1))
	}
	ctx := context.Background()
	if d := c.Duration("timeout"); d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	eng, err := engine.New(ctx, opts)
	if err != nil {
		return err
	}
	defer eng.Close(context.Background())
	compiled, err := eng.Compile(ctx, bin)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	call := c.String("invoke")
	if call == "" && !exportsCLIRun(compiled.Component()) {
		return usagef(c, "%s exports no wasi:cli/run; say which function to call with --invoke", path)
	}
	host, err := wasi.New(cfg)
	if err != nil {
		return err
	}
	defer host.Close()
	imports := host.Imports(compiled)
	imports.Stub = c.Bool("trap-unknown-imports")
	inst, err := eng.Instantiate(ctx, compiled, imports)
	if err != nil {
		var le *engine.LinkError
		if errors.As(err, &le) {
			return fmt.Errorf("%s: %w (witgo run provides WASI 0.2 and 0.3 cli, clocks, random and filesystem; --trap-unknown-imports stubs other imports)", path, err)
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	defer inst.Close(context.Background())
	if call == "" {
		code, err := host.Run(ctx, inst)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if code != 0 {
			return guestExit(code)
		}
		return nil
	}
	abi := inst.ABI()
	var fn *engine.Func
	f, args, err := abi.ParseCall(call, func(name string) (*wit.Function, error) {
		fn, err = inst.Func(name)
		if err != nil {
			return nil, fmt.Errorf("no exported function %q (exports: %s)", name, strings.Join(inst.Exports(), ", "))
		}
		return fn.Type(), nil
	})
	if err != nil {
		return fmt.Errorf("--invoke: %w", err)
	}
	res, err := fn.Call(ctx, args...)
	if ferr := host.Flush(ctx); err == nil { // what a 0.3 guest still streams to stdout
		err = ferr
	}
	var exit *wasi.ExitError
	if errors.As(err, &exit) { // the guest called wasi:cli/exit
		if exit.Code != 0 {
			return guestExit(exit.Code)
		}
		return nil
	}
	if err != nil {
		return err
	}
	if f.Result == wit.NoType {
		return nil
	}
	text, err := abi.FormatWAVE(f.Result, res)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.App.Writer, text)
	return nil
}

// exportsCLIRun reports whether the component exports wasi:cli/run.
func exportsCLIRun(c *component.Component) bool {
	for _, s := range c.Sections {
		if ex, ok := s.(*component.ExportSection); ok {
			for _, e := range ex.Exports {
				if strings.HasPrefix(e.Name.Name, "wasi:cli/run@") {
					return true
				}
			}
		}
	}
	return false
}

// parseSize reads a byte count with an optional KiB/MiB/GiB suffix.
func parseSize(s string) (uint64, error) {
	mult := uint64(1)
	for _, u := range []struct {
		suffix string
		mult   uint64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return n * mult, nil
}
