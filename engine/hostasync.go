package engine

import (
	"context"
	"errors"

	"github.com/witgo/witgo/canonabi"
)

// A host function that implements an async function type, called by a
// guest that can wait for it (an async-lowered call, or a sync call from
// an async task), runs on a goroutine of its own: the guest's subtask
// stays STARTED until the function returns, and the store's other tasks
// run meanwhile. Its context is cancelled when the guest cancels the
// subtask; returning the context's error then resolves the subtask as
// cancelled. Called where the caller cannot wait, it runs inline.

func (t *Instance) startAsyncHost(ctx context.Context, g *compFunc, args []canonabi.Value, onResolve onResolveFn) onCancelFn {
	st := t.st
	st.hostOps.Add(1)
	cctx, cancel := context.WithCancel(ctx)
	resolved := false
	go func() {
		v, err := callHostSafely(cctx, g.host, args)
		st.post(func() {
			st.hostOps.Add(-1)
			cancel()
			if resolved {
				return
			}
			resolved = true
			switch {
			case err != nil && errors.Is(err, context.Canceled) && cctx.Err() != nil:
				err = onResolve(canonabi.Value{}, false, true)
			case err == nil:
				err = onResolve(v, g.typ.result != nil, false)
			}
			if err != nil {
				st.fail(trapOrErr(err))
			}
		})
	}()
	return func(*compInstance) error {
		cancel()
		return nil
	}
}

// callHostSafely runs a host function on its own goroutine, where a panic
// would take the process down: it becomes an error (a trap of the guest).
func callHostSafely(ctx context.Context, fn HostFunc, args []canonabi.Value) (v canonabi.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errorf("async host function panicked: %v", r)
		}
	}()
	return fn(ctx, args)
}
