package wasi

import (
	"context"
	"time"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/engine"
)

// monotonicClock3: marks are nanoseconds since the Host was made, as in
// 0.2; wait-until and wait-for are async functions that sleep on their
// own goroutine (the engine runs them so) and end early, cancelled, when
// the guest cancels the call.
func (h *Host) monotonicClock3() map[string]engine.HostFunc {
	return map[string]engine.HostFunc{
		"now": func(context.Context, []canonabi.Value) (canonabi.Value, error) {
			return canonabi.U64Value(uint64(time.Since(h.epoch))), nil
		},
		"get-resolution": fn0(canonabi.U64Value(1)),
		"wait-until": func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
			return unit, sleepUntil(ctx, h.epoch.Add(clampDuration(a[0].Uint())))
		},
		"wait-for": func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
			return unit, sleepUntil(ctx, time.Now().Add(clampDuration(a[0].Uint())))
		},
	}
}

func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// systemClock3 is the wall clock; instants carry signed seconds.
func (h *Host) systemClock3() map[string]engine.HostFunc {
	return map[string]engine.HostFunc{
		"now": func(context.Context, []canonabi.Value) (canonabi.Value, error) {
			return instant(time.Now()), nil
		},
		"get-resolution": fn0(canonabi.U64Value(1)),
	}
}

func instant(t time.Time) canonabi.Value {
	return canonabi.RecordValue(canonabi.S64Value(t.Unix()), canonabi.U32Value(uint32(t.Nanosecond())))
}

// timezone3 exposes no time zone (the host grants none): the WIT's
// answer for that is none, and a debug string saying so.
func timezone3() map[string]engine.HostFunc {
	return map[string]engine.HostFunc{
		"iana-id":         fn0(none()),
		"utc-offset":      fn0(none()),
		"to-debug-string": fn0(canonabi.StringValue("no timezone")),
	}
}
