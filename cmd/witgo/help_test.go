package main

import (
	"io"
	"strings"
	"testing"
)

// Every command that exists answers --help on stdout with exit status 0,
// and its help names every one of its flags.
func TestHelpOfEveryCommand(t *testing.T) {
	app := newApp(io.Discard, io.Discard)
	for _, cmd := range app.Commands {
		t.Run(cmd.Name, func(t *testing.T) {
			for _, args := range [][]string{{cmd.Name, "--help"}, {cmd.Name, "-h"}, {"help", cmd.Name}} {
				r := witgo(t, args...)
				r.expect(t, exitOK)
				if r.stderr != "" {
					t.Errorf("%v wrote to stderr: %q", args, r.stderr)
				}
				if !strings.Contains(r.stdout, "witgo "+cmd.Name) || !strings.Contains(r.stdout, cmd.Usage) {
					t.Errorf("%v: help lacks the command line or its usage:\n%s", args, r.stdout)
				}
				for _, f := range cmd.Flags {
					if !strings.Contains(r.stdout, "--"+f.Names()[0]) {
						t.Errorf("%v: help does not mention --%s:\n%s", args, f.Names()[0], r.stdout)
					}
				}
			}
		})
	}
}

func TestHelpOfWitDescribesItsFlags(t *testing.T) {
	r := witgo(t, "wit", "--help")
	r.expect(t, exitOK)
	for _, want := range []string{"PATH", "deps/", "--world", "--json", "--features", "--all-features", "--check", "ok"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("witgo wit --help does not mention %q:\n%s", want, r.stdout)
		}
	}
}

// Only commands that work are listed: today wit, bindgen, version and help.
func TestRootHelpListsOnlyWorkingCommands(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		r := witgo(t, args...)
		r.expect(t, exitOK)
		section := r.stdout[strings.Index(r.stdout, "COMMANDS:"):]
		section = section[:strings.Index(section, "GLOBAL OPTIONS:")]
		var names []string
		for _, line := range strings.Split(section, "\n")[1:] {
			if fields := strings.Fields(line); len(fields) > 0 {
				names = append(names, strings.TrimSuffix(fields[0], ","))
			}
		}
		if got := strings.Join(names, " "); got != "wit component compose bindgen run version help" {
			t.Errorf("%v lists commands %q, want \"wit component compose bindgen run version help\"\n%s", args, got, r.stdout)
		}
	}
}
