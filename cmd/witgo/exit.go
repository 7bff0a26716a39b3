package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"
)

// Exit statuses: 0 success, 1 a user error (bad input, failed check),
// 2 bad usage (unknown flag or command, missing argument).
const (
	exitOK        = 0
	exitUserError = 1
	exitUsage     = 2
)

// usageError is a mistake in how witgo was invoked, as opposed to a problem
// with the input it was given. helpName names the command whose --help to
// point at.
type usageError struct {
	helpName string
	msg      string
}

func (e *usageError) Error() string { return e.msg }

func usagef(c *cli.Context, format string, args ...any) error {
	return &usageError{helpName: helpNameOf(c), msg: fmt.Sprintf(format, args...)}
}

// helpNameOf is the full name of the command c runs ("witgo" or "witgo wit").
func helpNameOf(c *cli.Context) string {
	if c != nil && c.Command != nil && c.Command.HelpName != "" {
		return c.Command.HelpName
	}
	return "witgo"
}

// report prints err to stderr and returns the exit status for it. Errors of
// the wit package render themselves (position, source line, caret), so
// their text is printed as is.
func report(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	// A guest program's own exit status (witgo run) is passed on silently.
	var guest guestExit
	if errors.As(err, &guest) {
		return int(guest)
	}
	var usage *usageError
	if errors.As(err, &usage) {
		fmt.Fprintf(stderr, "%s: %s\nRun '%s --help' for usage.\n", usage.helpName, usage.msg, usage.helpName)
		return exitUsage
	}
	// Errors made by urfave/cli itself (cli.Exit) are about usage.
	var exitCoder cli.ExitCoder
	if errors.As(err, &exitCoder) {
		fmt.Fprintf(stderr, "witgo: %s\n", strings.TrimSpace(err.Error()))
		return exitUsage
	}
	msg := err.Error()
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	io.WriteString(stderr, msg)
	return exitUserError
}
