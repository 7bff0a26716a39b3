package wasi

import (
	"context"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/engine"
)

// wasi:cli/environment: what Config grants, no working directory.
func (h *Host) environment() map[string]engine.HostFunc {
	return map[string]engine.HostFunc{
		"get-environment": func(context.Context, []canonabi.Value) (canonabi.Value, error) {
			pairs := make([]canonabi.Value, len(h.cfg.Env))
			for i, kv := range h.cfg.Env {
				pairs[i] = canonabi.TupleValue(canonabi.StringValue(kv[0]), canonabi.StringValue(kv[1]))
			}
			return canonabi.ListValue(pairs...), nil
		},
		"get-arguments": func(context.Context, []canonabi.Value) (canonabi.Value, error) {
			args := make([]canonabi.Value, len(h.cfg.Args))
			for i, a := range h.cfg.Args {
				args[i] = canonabi.StringValue(a)
			}
			return canonabi.ListValue(args...), nil
		},
		"initial-cwd": fn0(none()),
	}
}

// wasi:cli/exit: exit(ok) is status 0, exit(err) status 1; the later
// exit-with-code carries its own.
func (h *Host) exit() map[string]engine.HostFunc {
	return map[string]engine.HostFunc{
		"exit": func(_ context.Context, a []canonabi.Value) (canonabi.Value, error) {
			code := 0
			if a[0].Case() != 0 {
				code = 1
			}
			return unit, &ExitError{Code: code}
		},
		"exit-with-code": func(_ context.Context, a []canonabi.Value) (canonabi.Value, error) {
			return unit, &ExitError{Code: int(a[0].Uint())}
		},
	}
}

func (h *Host) stdin() map[string]engine.HostFunc {
	if h.stdinReader == nil {
		h.stdinReader = newAsyncReader(h.cfg.Stdin.Read)
	}
	in := &inputStream{async: h.stdinReader}
	return map[string]engine.HostFunc{
		"get-stdin": func(ctx context.Context, _ []canonabi.Value) (canonabi.Value, error) {
			return h.newResource(ctx, "wasi:io/streams", "input-stream", in)
		},
	}
}

func (h *Host) stdout() map[string]engine.HostFunc {
	out := &outputStream{w: h.cfg.Stdout}
	return map[string]engine.HostFunc{
		"get-stdout": func(ctx context.Context, _ []canonabi.Value) (canonabi.Value, error) {
			return h.newResource(ctx, "wasi:io/streams", "output-stream", out)
		},
	}
}

func (h *Host) stderr() map[string]engine.HostFunc {
	out := &outputStream{w: h.cfg.Stderr}
	return map[string]engine.HostFunc{
		"get-stderr": func(ctx context.Context, _ []canonabi.Value) (canonabi.Value, error) {
			return h.newResource(ctx, "wasi:io/streams", "output-stream", out)
		},
	}
}

// noTerminal answers get-terminal-*: the host gives guests no terminals.
func noTerminal(name string) map[string]engine.HostFunc {
	return map[string]engine.HostFunc{name: fn0(none())}
}
