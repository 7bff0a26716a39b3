package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"
	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/component/adapter"
	"github.com/witgo/witgo/wit"
)

func componentCommand() *cli.Command {
	return &cli.Command{
		Name:  "component",
		Usage: "make components from core modules and describe components",
		Description: `witgo component embed  adds a world to a core module (a component-type custom section)
witgo component new    turns a core module into a component
witgo component wit    prints a component's imports and exports as WIT`,
		Subcommands: []*cli.Command{componentEmbedCommand(), componentNewCommand(), componentWitCommand()},
		// Runs only when no subcommand matched: like a bare `witgo`, a usage error.
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usagef(c, "unknown subcommand %q (embed, new or wit)", c.Args().First())
			}
			cli.HelpPrinter(c.App.ErrWriter, cli.SubcommandHelpTemplate, c.Command)
			return usagef(c, "missing subcommand (embed, new or wit)")
		},
	}
}

var (
	witFlag      = &cli.StringFlag{Name: "wit", Usage: "read the world from the WIT package at `PATH` (a .wit file or a folder)"}
	worldFlag    = &cli.StringFlag{Name: "world", Aliases: []string{"w"}, Usage: "select world `W` of the package (needed when it has several)"}
	outFlag      = &cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the result to `FILE`", Required: true}
	encodingFlag = &cli.StringFlag{Name: "string-encoding", Value: "utf8", Usage: "string encoding of the module: utf8, utf16 or compact-utf16"}
)

func componentEmbedCommand() *cli.Command {
	return &cli.Command{
		Name:      "embed",
		Usage:     "add a world's component-type custom section to a core module",
		ArgsUsage: "CORE.wasm",
		Description: `Appends a component-type custom section describing the world to CORE.wasm,
as 'wasm-tools component embed' does; 'witgo component new' (or jco new) reads it.

Example:
  witgo component embed --wit wit/ --world app core.wasm -o embedded.wasm`,
		Flags:  []cli.Flag{witFlag, worldFlag, outFlag, encodingFlag},
		Action: runComponentEmbed,
	}
}

func componentNewCommand() *cli.Command {
	return &cli.Command{
		Name:      "new",
		Usage:     "turn a core module into a component",
		ArgsUsage: "CORE.wasm",
		Description: `Builds a component from CORE.wasm and its world: the world embedded in the
module (see 'witgo component embed'), or the one --wit/--world name. Every
function the module imports must be a world import (or a
wasi_snapshot_preview1 function, supplied by witgo's WASI adapter), every
function it exports a world export; anything else is an error naming it.

A preview1 command (a module exporting _start: the default output of
'GOOS=wasip1 go build', of clang for wasm32-wasi and of rustc's wasm32-wasi
binaries) needs no world: it becomes a component exporting wasi:cli/run@0.2.0,
which 'witgo run' and other hosts run. Its exit status reaches the host as 0
or 1 (WASI 0.2's exit takes a result).

Examples:
  witgo component new --wit wit/ --world app core.wasm -o app.wasm
  GOOS=wasip1 GOARCH=wasm go build -o cmd.wasm . && witgo component new cmd.wasm -o cmd.component.wasm`,
		Flags:  []cli.Flag{witFlag, worldFlag, outFlag, encodingFlag},
		Action: runComponentNew,
	}
}

func componentWitCommand() *cli.Command {
	return &cli.Command{
		Name:      "wit",
		Usage:     "print the WIT of a component (or of a core module's embedded world)",
		ArgsUsage: "FILE.wasm",
		Description: `Prints the imports and exports of a component as a WIT world
(root:component/root, with the packages it uses nested after it). For a core
module it prints the world of its component-type custom section.`,
		Action: runComponentWit,
	}
}

func parseEncoding(c *cli.Context) (component.StringEncoding, error) {
	switch c.String("string-encoding") {
	case "utf8":
		return component.UTF8, nil
	case "utf16":
		return component.UTF16, nil
	case "compact-utf16", "latin1+utf16":
		return component.CompactUTF16, nil
	}
	return 0, usagef(c, "unknown --string-encoding %q (utf8, utf16 or compact-utf16)", c.String("string-encoding"))
}

func oneInput(c *cli.Context) ([]byte, error) {
	if c.NArg() != 1 {
		return nil, usagef(c, "expected one input file, got %d arguments", c.NArg())
	}
	return os.ReadFile(c.Args().First())
}

// loadWorld reads --wit and selects --world.
func loadWorld(c *cli.Context) (*wit.Resolve, wit.WorldID, error) {
	r := wit.NewResolve()
	pkg, err := r.LoadPath(c.String("wit"))
	if err != nil {
		return nil, 0, err
	}
	w, err := r.SelectWorld(pkg, c.String("world"))
	return r, w, err
}

func runComponentEmbed(c *cli.Context) error {
	module, err := oneInput(c)
	if err != nil {
		return err
	}
	if !c.IsSet("wit") {
		return usagef(c, "missing --wit PATH")
	}
	enc, err := parseEncoding(c)
	if err != nil {
		return err
	}
	r, w, err := loadWorld(c)
	if err != nil {
		return err
	}
	out, err := component.Embed(module, r, w, enc)
	if err != nil {
		return err
	}
	return os.WriteFile(c.String("output"), out, 0o644)
}

func runComponentNew(c *cli.Context) error {
	module, err := oneInput(c)
	if err != nil {
		return err
	}
	enc, err := parseEncoding(c)
	if err != nil {
		return err
	}
	opts := component.NewOptions{Encoding: enc}
	if c.IsSet("wit") {
		if opts.Resolve, opts.World, err = loadWorld(c); err != nil {
			return err
		}
	} else if c.IsSet("world") {
		return usagef(c, "--world needs --wit")
	}
	if component.ImportsPreview1(module) {
		if opts.Adapter, err = adapter.Module(); err != nil {
			return fmt.Errorf("building the WASI adapter: %w", err)
		}
		if opts.AdapterResolve, opts.AdapterWorld, err = adapter.World(); err != nil {
			return fmt.Errorf("the WASI adapter's world: %w", err)
		}
	}
	out, err := component.New(module, opts)
	if err != nil {
		return err
	}
	return os.WriteFile(c.String("output"), out, 0o644)
}

func runComponentWit(c *cli.Context) error {
	data, err := oneInput(c)
	if err != nil {
		return err
	}
	var r *wit.Resolve
	var w wit.WorldID
	if len(data) >= 8 && data[4] == 1 && data[5] == 0 && data[6] == 0 && data[7] == 0 {
		ws, err := component.ReadWorld(data)
		if err != nil {
			return err
		}
		if ws == nil {
			return fmt.Errorf("%s is a core module without a component-type section", c.Args().First())
		}
		r, w = ws.Resolve, ws.World
	} else {
		comp, err := component.Decode(data)
		if err != nil {
			return err
		}
		if r, w, err = component.ComponentWorld(comp); err != nil {
			return err
		}
	}
	pkg := r.Worlds[w].Package
	return writeWIT(c.App.Writer, r, pkg, true)
}
