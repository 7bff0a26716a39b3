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
	"github.com/witgo/witgo/wit"
)

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "run a component on witgo's bundled engine",
		ArgsUsage: "COMPONENT.wasm",
		Description: `With --invoke, calls one exported function with WAVE arguments and prints
its result in WAVE, as 'wasmtime run --invoke' does:

  witgo run --invoke 'greet("x")' app.wasm
  witgo run --invoke 'ns:pkg/iface#add(1, 2)' app.wasm

The component may import nothing (the engine satisfies no imports yet),
unless --trap-unknown-imports stands in for them with functions that trap.
Running a wasi:cli/run command needs the WASI host, which is not there yet.`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "invoke", Usage: "call `CALL`, a WAVE call such as 'f(1, \"x\")'"},
			&cli.DurationFlag{Name: "timeout", Usage: "stop the guest after `DURATION` (e.g. 5s)"},
			&cli.StringFlag{Name: "max-memory", Usage: "cap each linear memory at `SIZE` bytes (suffixes KiB, MiB, GiB)"},
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
	// Stopping guests on a deadline makes wazero watch every call from a
	// goroutine; without --timeout nothing would cancel, so skip the cost.
	opts := engine.Options{NoCloseOnContextDone: c.Duration("timeout") == 0}
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
	if call == "" {
		if exportsCLIRun(compiled.Component()) {
			return fmt.Errorf("%s: running a wasi:cli/run command needs WASI, which witgo's engine does not provide yet; use --invoke to call an export that needs no imports", path)
		}
		return usagef(c, "%s exports no wasi:cli/run; say which function to call with --invoke", path)
	}
	inst, err := eng.Instantiate(ctx, compiled, &engine.Imports{Stub: c.Bool("trap-unknown-imports")})
	if err != nil {
		var le *engine.LinkError
		if errors.As(err, &le) {
			return fmt.Errorf("%s: %w (witgo run satisfies no imports yet, the WASI host is not there yet; --trap-unknown-imports stubs them)", path, err)
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	defer inst.Close(context.Background())
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
