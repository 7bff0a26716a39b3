package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"
	"github.com/witgo/witgo/compose"
)

func composeCommand() *cli.Command {
	return &cli.Command{
		Name:      "compose",
		Usage:     "link components into one, satisfying one's imports with the others' exports",
		ArgsUsage: "SOCKET.wasm PLUG.wasm [PLUG.wasm...]",
		Description: `Composes components, whatever language they were written in, into one
component, as 'wac plug' does. SOCKET.wasm is the main component: each of its
imports is satisfied by a plug's export of the same name (interface versions
match when semver-compatible, a:b/c@0.2.0 with a:b/c@0.2.6), and a plug's own
imports by the other plugs. The export must have the import's type; the first
difference is an error naming both sides. Imports nobody satisfies stay
imports of the result; the same interface imported by several components
(WASI, typically) becomes one import that all of them share. The result
exports what SOCKET.wasm exports. A plug nobody uses is left out with a
warning on stderr; components importing from one another in a cycle are an
error.

Example:
  witgo compose app.wasm words.wasm -o composed.wasm
  witgo component wit composed.wasm`,
		// Not the shared required outFlag: urfave/cli reports a missing
		// required flag with status 1, and a missing -o is a usage error.
		Flags:  []cli.Flag{&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the composed component to `FILE`"}},
		Action: runCompose,
	}
}

func runCompose(c *cli.Context) error {
	if c.NArg() < 2 {
		return usagef(c, "expected a socket component and at least one plug, got %d arguments", c.NArg())
	}
	if c.String("output") == "" {
		return usagef(c, "missing -o FILE (where to write the composed component)")
	}
	inputs := make([]compose.Input, c.NArg())
	for i, path := range c.Args().Slice() {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		inputs[i] = compose.Input{Name: path, Bytes: b}
	}
	res, err := compose.Compose(inputs)
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(c.App.ErrWriter, "witgo compose: warning: %s\n", w)
	}
	return os.WriteFile(c.String("output"), res.Component, 0o644)
}
