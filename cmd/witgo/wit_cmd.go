package main

import (
	"fmt"
	"io"
	"slices"

	"github.com/urfave/cli/v2"
	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/wit"
)

func witCommand() *cli.Command {
	return &cli.Command{
		Name:      "wit",
		Usage:     "check a WIT package and print it as WIT or JSON",
		ArgsUsage: "PATH",
		Description: `Reads PATH, a .wit file or a package folder (its *.wit files, with the packages
it depends on in PATH/deps/), resolves it and prints the root package back as
canonical WIT on stdout. Diagnostics go to stderr as file:line:col with the
source line and a caret; the exit status is 1 when the input has errors.

Items gated by @unstable(feature = ...) are left out unless their feature is
enabled with --features or --all-features.

--world W selects one world: a name in the root package, or a full name such
as wasi:cli/command@0.2.0 from any loaded package. It is an error if there is
no such world. The output is then the package that defines W (which may be one
of the dependencies), with its worlds elaborated: includes flattened and the
interfaces they need listed as imports. Without --world the root package is
printed.

--with-deps appends the packages the printed one depends on, each as a nested
'package ns:name@version { ... }' block, so the output is one file that reads
back on its own.

--json prints the whole resolved set of packages (every package, interface,
world and type, dependencies included) in the JSON shape of
'wasm-tools component wit --json'; --world only checks that the world exists.

--check only validates: it prints "ok" on stdout, or the diagnostics on
stderr and exits 1.

--abi prints, for the selected world (or every world of the package), the
Canonical ABI view a core module sees: for each function its core import or
export name and core signature (after the 16-parameter and 1-result spilling
rules), and the size and alignment of each named type. A debugging aid when
writing glue by hand or comparing toolchains.

Examples:
  witgo wit wit/                      print the package in ./wit
  witgo wit --world command wit/      print the package of world "command"
  witgo wit --json wit/ > wit.json    the resolved packages as JSON
  witgo wit --check --all-features .  validate, with every feature enabled
  witgo wit --abi --world command wit/  core names and signatures of a world`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "world", Aliases: []string{"w"}, Usage: "select world `W` (a name, or ns:pkg/world@version); it must exist"},
			&cli.BoolFlag{Name: "json", DisableDefaultText: true, Usage: "print the resolved packages as JSON (the shape of wasm-tools component wit --json)"},
			&cli.StringSliceFlag{Name: "features", Usage: "enable the @unstable features in the comma-separated `LIST`"},
			&cli.BoolFlag{Name: "all-features", DisableDefaultText: true, Usage: "enable every @unstable feature"},
			&cli.BoolFlag{Name: "with-deps", DisableDefaultText: true, Usage: "also print the packages it depends on, nested, so the output stands alone"},
			&cli.BoolFlag{Name: "check", DisableDefaultText: true, Usage: "only validate: print \"ok\" or the diagnostics"},
			&cli.BoolFlag{Name: "abi", DisableDefaultText: true, Usage: "print core names, core signatures and type layouts of the world(s)"},
		},
		Action: runWit,
	}
}

func runWit(c *cli.Context) error {
	if c.NArg() == 0 {
		return usagef(c, "missing PATH argument")
	}
	if c.NArg() > 1 {
		return usagef(c, "expected one PATH, got %d arguments", c.NArg())
	}
	if c.IsSet("features") && c.Bool("all-features") {
		return usagef(c, "--features and --all-features cannot be used together")
	}
	if c.Bool("check") && c.Bool("json") {
		return usagef(c, "--check prints no output to format; drop --json")
	}
	if c.Bool("abi") && (c.Bool("json") || c.Bool("check") || c.Bool("with-deps")) {
		return usagef(c, "--abi cannot be combined with --json, --check or --with-deps")
	}
	if c.Bool("with-deps") && (c.Bool("json") || c.Bool("check")) {
		return usagef(c, "--with-deps applies to WIT output only, not to --json or --check")
	}

	r := wit.NewResolve()
	for _, name := range c.StringSlice("features") {
		if name != "" {
			r.Features[name] = true
		}
	}
	r.AllFeatures = c.Bool("all-features")

	pkg, err := r.LoadPath(c.Args().First())
	if err != nil {
		return err
	}
	var worlds []wit.WorldID
	if world := c.String("world"); world != "" {
		id, err := r.SelectWorld(pkg, world)
		if err != nil {
			return err
		}
		pkg = r.Worlds[id].Package
		worlds = []wit.WorldID{id}
	} else {
		worlds = slices.Collect(r.Packages[pkg].Worlds.Values())
	}

	out := c.App.Writer
	switch {
	case c.Bool("check"):
		_, err = fmt.Fprintln(out, "ok")
	case c.Bool("json"):
		err = writeJSON(out, r)
	case c.Bool("abi"):
		err = writeABI(out, r, worlds)
	default:
		err = writeWIT(out, r, pkg, c.Bool("with-deps"))
	}
	return err
}

// writeABI prints canonabi's summary of each world.
func writeABI(w io.Writer, r *wit.Resolve, worlds []wit.WorldID) error {
	if len(worlds) == 0 {
		return fmt.Errorf("the package has no worlds; --abi describes worlds")
	}
	abi := canonabi.New(r)
	for i, id := range worlds {
		text, err := abi.Summary(id)
		if err != nil {
			return err
		}
		if i > 0 {
			text = "\n" + text
		}
		if err := writeText(w, text); err != nil {
			return err
		}
	}
	return nil
}

// writeText writes s and a final newline if s lacks one.
func writeText(w io.Writer, s string) error {
	if len(s) > 0 && s[len(s)-1] != '\n' {
		s += "\n"
	}
	_, err := io.WriteString(w, s)
	return err
}
