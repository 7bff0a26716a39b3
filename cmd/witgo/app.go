package main

import (
	"fmt"
	"github.com/witgo/witgo/wit"
	"io"
	"sort"

	"github.com/urfave/cli/v2"
)

func init() {
	// witgo has no -v; --version is the long form only.
	cli.VersionFlag = &cli.BoolFlag{Name: "version", DisableDefaultText: true, Usage: "print the witgo version and exit"}
	cli.HelpFlag = &cli.BoolFlag{Name: "help", Aliases: []string{"h"}, DisableDefaultText: true, Usage: "show help"}
}

// run executes witgo with args (args[0] is the program name) and returns the
// exit status. main calls it; tests call it in-process.
func run(args []string, stdout, stderr io.Writer) int {
	app := newApp(stdout, stderr)
	// urfave/cli's `help nosuch` only calls this hook; make it a usage error.
	var unknownHelpTopic error
	app.CommandNotFound = func(c *cli.Context, name string) { unknownHelpTopic = unknownCommand(c, name) }
	err := app.Run(permuteArgs(app, args))
	if err == nil {
		err = unknownHelpTopic
	}
	return report(err, stderr)
}

func newApp(stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:  "witgo",
		Usage: "WebAssembly Component Model toolchain",
		Description: "witgo reads and checks WIT (wit), generates Go guest bindings from a world\n" +
			"(bindgen), turns core modules into components and describes components\n" +
			"(component), and runs components on its bundled pure-Go engine (run).",
		Version:   moduleVersion(),
		Writer:    stdout,
		ErrWriter: stderr,
		Commands: []*cli.Command{
			witCommand(),
			componentCommand(),
			composeCommand(),
			bindgenCommand(),
			runCommand(),
			versionCommand(),
		},
		// The root runs only when no command matched.
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return unknownCommand(c, c.Args().First())
			}
			// A bare `witgo` shows the commands, on stderr since it is a usage error.
			cli.HelpPrinter(c.App.ErrWriter, cli.AppHelpTemplate, c.App)
			return usagef(c, "missing command")
		},
		OnUsageError: onUsageError,
		// urfave/cli would call os.Exit itself; run decides the status.
		ExitErrHandler: func(*cli.Context, error) {},
	}
	for _, cmd := range app.Commands {
		cmd.OnUsageError = onUsageError
		// A leaf command must not treat a PATH named "help" as a subcommand.
		cmd.HideHelpCommand = true
	}
	return app
}

func onUsageError(c *cli.Context, err error, _ bool) error {
	return usagef(c, "%v", err)
}

func unknownCommand(c *cli.Context, name string) error {
	msg := fmt.Sprintf("unknown command %q", name)
	if near := nearCommands(c.App.VisibleCommands(), name); len(near) > 0 {
		msg += fmt.Sprintf(" (did you mean %q?)", near[0])
	}
	return &usageError{helpName: "witgo", msg: msg}
}

// nearCommands lists command names within two edits of name, closest first.
func nearCommands(cmds []*cli.Command, name string) []string {
	type candidate struct {
		name string
		dist int
	}
	var found []candidate
	for _, cmd := range cmds {
		for _, n := range cmd.Names() {
			if d := wit.EditDistance(n, name); d <= 2 {
				found = append(found, candidate{n, d})
			}
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].dist < found[j].dist })
	names := make([]string, len(found))
	for i, f := range found {
		names[i] = f.name
	}
	return names
}
