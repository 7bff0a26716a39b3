package wasi

import (
	"context"
	"errors"
	"reflect"
	"time"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/engine"
)

// pollable is ready once its deadline has passed, or, for an async
// input stream (stdin), once input or its end has arrived. Other streams'
// pollables have neither and are always ready (they block in place).
type pollable struct {
	deadline time.Time
	stream   *asyncReader
}

func (p *pollable) ready(now time.Time) bool {
	if p.stream != nil {
		return p.stream.ready()
	}
	return p.deadline.IsZero() || !now.Before(p.deadline)
}

// waitAny blocks until one of ps is ready or ctx ends.
func waitAny(ctx context.Context, ps []*pollable) error {
	now := time.Now()
	var deadline time.Time
	var streams []*asyncReader
	for _, p := range ps {
		if p.ready(now) {
			return nil
		}
		if p.stream != nil {
			streams = append(streams, p.stream)
		} else if deadline.IsZero() || p.deadline.Before(deadline) {
			deadline = p.deadline
		}
	}
	cases := []reflect.SelectCase{{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ctx.Done())}}
	if !deadline.IsZero() {
		timer := time.NewTimer(time.Until(deadline))
		defer timer.Stop()
		cases = append(cases, reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(timer.C)})
	}
	first := len(cases)
	for _, s := range streams {
		cases = append(cases, reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(s.chunks)})
	}
	i, v, _ := reflect.Select(cases)
	if i == 0 {
		return ctx.Err()
	}
	if i >= first {
		streams[i-first].take(v.Interface().(chunk))
	}
	return nil
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
			return unit, waitAny(ctx, []*pollable{p})
		},
		"poll": func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
			handles := a[0].Elems()
			if len(handles) == 0 {
				return unit, errors.New("wasi: poll of an empty list")
			}
			ps := make([]*pollable, len(handles))
			for i, hv := range handles {
				p, err := object[*pollable](ctx, h, hv)
				if err != nil {
					return unit, err
				}
				ps[i] = p
			}
			if err := waitAny(ctx, ps); err != nil {
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
