package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// permuteArgs moves a command's flags in front of its positional arguments,
// so that `witgo wit PATH --json` works as well as `witgo wit --json PATH`
// (urfave/cli v2 stops reading flags at the first positional argument).
// Everything after `--` stays positional.
func permuteArgs(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	// Walk the command path: witgo [cmd [subcmd ...]].
	i := 1
	var cmd *cli.Command
	cmds := app.Commands
	for i < len(args) {
		next := findCommand(cmds, args[i])
		if next == nil {
			break
		}
		cmd, cmds = next, next.Subcommands
		i++
	}
	if cmd == nil {
		return args
	}
	takesValue := valueFlags(cmd.Flags)
	out := append([]string{}, args[:i]...)
	// A value flag with nothing after it goes last and the positionals are
	// dropped, so the flag parser reports the missing value instead of taking
	// a positional argument as the value.
	var flags, positional, dangling []string
	for ; i < len(args); i++ {
		arg := args[i]
		switch {
		case guestArgsAfterFirst[cmd.Name] && len(positional) > 0:
			// `witgo run app.wasm -v`: what follows the component is the
			// guest's, flags included, as with `wasmtime run`.
			positional = append(positional, args[i:]...)
			i = len(args)
		case arg == "--":
			positional = append(positional, args[i:]...)
			i = len(args)
		case len(arg) > 1 && strings.HasPrefix(arg, "-"):
			name := strings.TrimLeft(arg, "-")
			needsValue := !strings.Contains(name, "=") && takesValue[name]
			switch {
			case needsValue && i+1 < len(args):
				flags = append(flags, arg, args[i+1])
				i++
			case needsValue:
				dangling = append(dangling, arg)
			default:
				flags = append(flags, arg)
			}
		default:
			positional = append(positional, arg)
		}
	}
	out = append(out, flags...)
	if len(dangling) > 0 {
		return append(out, dangling...)
	}
	return append(out, positional...)
}

// guestArgsAfterFirst names the commands whose first positional argument
// is a program and the rest its arguments, passed on untouched.
var guestArgsAfterFirst = map[string]bool{"run": true}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// valueFlags returns the names (and aliases) of flags that take a value.
func valueFlags(flags []cli.Flag) map[string]bool {
	m := map[string]bool{}
	for _, f := range flags {
		doc, ok := f.(cli.DocGenerationFlag)
		if !ok || !doc.TakesValue() {
			continue
		}
		for _, n := range f.Names() {
			m[n] = true
		}
	}
	return m
}
