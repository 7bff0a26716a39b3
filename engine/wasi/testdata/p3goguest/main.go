// Command p3goguest is a WASI 0.3 command in Go (wasi:cli/command@0.3.0,
// bindings from `witgo bindgen` under example.com/p3/gen): it prints
// through stdout's write-via-stream and waits for the future of the
// result; its first argument picks what else it does.
//
//	(none)     status 0
//	sleep      waits 20 ms with monotonic-clock.wait-for first
//	exit       exit-with-code(5)
//	fail       run returns err (status 1)
//	cat        copies stdin (read-via-stream) to stdout
//	file NAME  prints the size (stat-at) and the bytes (open-at,
//	           read-via-stream) of NAME in the first preopen
package main

import (
	"io"
	"strconv"
	"strings"

	"example.com/p3/gen/cabi"
	"example.com/p3/gen/exports/wasi/cli/run"
	"example.com/p3/gen/wasi/cli/environment"
	"example.com/p3/gen/wasi/cli/exit"
	"example.com/p3/gen/wasi/cli/stdin"
	"example.com/p3/gen/wasi/cli/stdout"
	"example.com/p3/gen/wasi/clocks/monotonicclock"
	"example.com/p3/gen/wasi/filesystem/preopens"
	"example.com/p3/gen/wasi/filesystem/types"
)

var failed = cabi.Fail(struct{}{})

// print writes b to stdout through a stream of its own.
func print(b []byte) error {
	r, w := stdout.NewStreamU8()
	done := stdout.WriteViaStream(r)
	if _, err := w.Write(b); err != nil {
		return failed
	}
	w.Close()
	if res, err := done.Read(); err != nil || res.IsErr() {
		return failed
	}
	return nil
}

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
	msg := "hello from 0.3\n"
	if len(args) > 1 {
		msg += "args: " + strings.Join(args[1:], " ") + "\n"
	}
	if err := print([]byte(msg)); err != nil {
		return err
	}
	switch mode {
	case "exit":
		exit.ExitWithCode(5)
	case "fail":
		return failed
	case "cat":
		in := stdin.ReadViaStream()
		data, err := io.ReadAll(in.F0)
		if err != nil {
			return failed
		}
		if res, err := in.F1.Read(); err != nil || res.IsErr() {
			return failed
		}
		return print(data)
	case "file":
		return printFile(args[2])
	}
	return nil
}

func printFile(name string) error {
	dirs := preopens.GetDirectories()
	if len(dirs) == 0 {
		return print([]byte("no preopens\n"))
	}
	dir := dirs[0].F0
	st, err := dir.StatAt(types.PathFlagsSymlinkFollow, name)
	if err != nil {
		return print([]byte("stat-at: error " + err.Error() + "\n"))
	}
	f, err := dir.OpenAt(types.PathFlagsSymlinkFollow, name, 0, types.DescriptorFlagsRead)
	if err != nil {
		return print([]byte("open-at: error\n"))
	}
	in := f.ReadViaStream(0)
	data, err := io.ReadAll(in.F0)
	if err != nil {
		return failed
	}
	if res, err := in.F1.Read(); err != nil || res.IsErr() {
		return failed
	}
	return print([]byte("size " + strconv.FormatUint(uint64(st.Size), 10) + ": " + string(data)))
}

func init() { run.Export(command{}) }

func main() {}
