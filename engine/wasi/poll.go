package wasi

import (
	"context"
	"errors"
	"time"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/engine"
)

// pollable is ready once its deadline has passed; streams' pollables
// have none and are always ready (the host's streams block in place).
type pollable struct{ deadline time.Time }

func (p *pollable) ready(now time.Time) bool {
	return p.deadline.IsZero() || !now.Before(p.deadline)
}

// sleepUntil waits for t or for ctx to end.
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

func (h *Host) poll() map[string]engine.HostFunc {
	return map[string]engine.HostFunc{
		"[method]pollable.ready": func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
			p, err := object[*pollable](ctx, h, a[0])
			if err != nil {
				return unit, err
			}
			return canonabi.BoolValue(p.ready(time.Now())), nil
		},
		"[method]pollable.block": func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
			p, err := object[*pollable](ctx, h, a[0])
			if err != nil {
				return unit, err
			}
			return unit, sleepUntil(ctx, p.deadline)
		},
		"poll": func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
			handles := a[0].Elems()
			if len(handles) == 0 {
				return unit, errors.New("wasi: poll of an empty list")
			}
			ps := make([]*pollable, len(handles))
			var earliest time.Time
			for i, hv := range handles {
				p, err := object[*pollable](ctx, h, hv)
				if err != nil {
					return unit, err
				}
				ps[i] = p
				if i == 0 || p.deadline.Before(earliest) {
					earliest = p.deadline
				}
			}
			if err := sleepUntil(ctx, earliest); err != nil {
				return unit, err
			}
			now := time.Now()
			var ready []canonabi.Value
			for i, p := range ps {
				if p.ready(now) {
					ready = append(ready, canonabi.U32Value(uint32(i)))
				}
			}
			return canonabi.ListValue(ready...), nil
		},
	}
}
