// Command p3goguest is a WASI 0.3 command in Go (wasi:cli/command@0.3.0,
// bindings from `witgo bindgen` under example.com/p3/gen): it prints
// through stdout's write-via-stream and waits for the future of the
// result; its first argument picks an ending.
//
//	(none)  status 0
//	sleep   waits 20 ms with monotonic-clock.wait-for first
//	exit    exit-with-code(5)
//	fail    run returns err (status 1)
package main

import (
	"strings"

	"example.com/p3/gen/cabi"
	"example.com/p3/gen/exports/wasi/cli/run"
	"example.com/p3/gen/wasi/cli/environment"
	"example.com/p3/gen/wasi/cli/exit"
	"example.com/p3/gen/wasi/cli/stdout"
	"example.com/p3/gen/wasi/clocks/monotonicclock"
)

type command struct{}

func (command) Run() error {
	args := environment.GetArguments()
	mode := ""
	if len(args) > 1 {
		mode = args[1]
	}
	if mode == "sleep" {
		monotonicclock.WaitFor(20_000_000)
	}
	r, w := stdout.NewStreamU8()
	done := stdout.WriteViaStream(r)
	msg := "hello from 0.3\n"
	if len(args) > 1 {
		msg += "args: " + strings.Join(args[1:], " ") + "\n"
	}
	if _, err := w.Write([]byte(msg)); err != nil {
		return cabi.Fail(struct{}{})
	}
	w.Close()
	if res, err := done.Read(); err != nil || res.IsErr() {
		return cabi.Fail(struct{}{})
	}
	switch mode {
	case "exit":
		exit.ExitWithCode(5)
	case "fail":
		return cabi.Fail(struct{}{})
	}
	return nil
}

func init() { run.Export(command{}) }

func main() {}
