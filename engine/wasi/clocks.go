package wasi

import (
	"context"
	"time"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/engine"
)

// monotonic-clock instants are nanoseconds since the host was made.
func (h *Host) monotonicClock() map[string]engine.HostFunc {
	pollAt := func(ctx context.Context, t time.Time) (canonabi.Value, error) {
		return h.newResource(ctx, "wasi:io/poll", "pollable", &pollable{deadline: t})
	}
	return map[string]engine.HostFunc{
		"now": func(context.Context, []canonabi.Value) (canonabi.Value, error) {
			return canonabi.U64Value(uint64(time.Since(h.epoch))), nil
		},
		"resolution": fn0(canonabi.U64Value(1)),
		"subscribe-instant": func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
			return pollAt(ctx, h.epoch.Add(clampDuration(a[0].Uint())))
		},
		"subscribe-duration": func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
			return pollAt(ctx, time.Now().Add(clampDuration(a[0].Uint())))
		},
	}
}

// clampDuration keeps u64 nanoseconds within time.Duration.
func clampDuration(ns uint64) time.Duration {
	return time.Duration(min(ns, 1<<62))
}

func datetime(t time.Time) canonabi.Value {
	return canonabi.RecordValue(canonabi.U64Value(uint64(t.Unix())), canonabi.U32Value(uint32(t.Nanosecond())))
}

func (h *Host) wallClock() map[string]engine.HostFunc {
	return map[string]engine.HostFunc{
		"now": func(context.Context, []canonabi.Value) (canonabi.Value, error) {
			return datetime(time.Now()), nil
		},
		"resolution": fn0(canonabi.RecordValue(canonabi.U64Value(0), canonabi.U32Value(1))),
	}
}
