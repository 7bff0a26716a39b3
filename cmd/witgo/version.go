package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/urfave/cli/v2"
)

// moduleVersion is the version of the witgo module this binary was built
// from: a tag for `go install ...@v1.2.3`, "(devel)" for a local build.
func moduleVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" {
		return "(devel)"
	}
	return info.Main.Version
}

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:        "version",
		Usage:       "print the witgo version",
		Description: "Prints the version of the witgo module this binary was built from and the Go\nversion that built it.",
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usagef(c, "unexpected argument %q", c.Args().First())
			}
			_, err := fmt.Fprintf(c.App.Writer, "witgo %s %s\n", moduleVersion(), runtime.Version())
			return err
		},
	}
}
