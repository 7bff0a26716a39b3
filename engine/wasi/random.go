package wasi

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	mrand "math/rand/v2"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/engine"
)

// maxRandom bounds one request for random bytes: the interfaces return
// exactly len bytes, so more is refused rather than allocated.
const maxRandom = 64 << 20

func randomBytes(a []canonabi.Value, fill func([]byte)) (canonabi.Value, error) {
	n := a[0].Uint()
	if n > maxRandom {
		return unit, fmt.Errorf("wasi: %d random bytes asked for, more than the host's limit of %d", n, maxRandom)
	}
	b := make([]byte, n)
	fill(b)
	return canonabi.BytesValue(b), nil
}

func (h *Host) random() map[string]engine.HostFunc {
	return map[string]engine.HostFunc{
		"get-random-bytes": func(_ context.Context, a []canonabi.Value) (canonabi.Value, error) {
			return randomBytes(a, func(b []byte) { rand.Read(b) })
		},
		"get-random-u64": func(context.Context, []canonabi.Value) (canonabi.Value, error) {
			var b [8]byte
			rand.Read(b[:])
			return canonabi.U64Value(binary.LittleEndian.Uint64(b[:])), nil
		},
	}
}

func (h *Host) insecureRandom() map[string]engine.HostFunc {
	return map[string]engine.HostFunc{
		"get-insecure-random-bytes": func(_ context.Context, a []canonabi.Value) (canonabi.Value, error) {
			return randomBytes(a, func(b []byte) {
				for i := range b {
					b[i] = byte(mrand.Uint32())
				}
			})
		},
		"get-insecure-random-u64": func(context.Context, []canonabi.Value) (canonabi.Value, error) {
			return canonabi.U64Value(mrand.Uint64()), nil
		},
	}
}

func (h *Host) insecureSeed() map[string]engine.HostFunc {
	return map[string]engine.HostFunc{
		"insecure-seed": func(context.Context, []canonabi.Value) (canonabi.Value, error) {
			return canonabi.TupleValue(canonabi.U64Value(mrand.Uint64()), canonabi.U64Value(mrand.Uint64())), nil
		},
	}
}
