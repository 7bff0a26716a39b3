package wasi

import (
	"context"
	"crypto/rand"
	mrand "math/rand/v2"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/engine"
)

// maxRandom3 caps one 0.3 request: get-*-random-bytes return at most
// max-len bytes and may return fewer (the caller loops), so a large
// request is a short read instead of 0.2's trap.
const maxRandom3 = 1 << 20

func upTo(a []canonabi.Value, fill func([]byte)) (canonabi.Value, error) {
	b := make([]byte, min(a[0].Uint(), maxRandom3))
	fill(b)
	return canonabi.BytesValue(b), nil
}

func (h *Host) random3() map[string]engine.HostFunc {
	m := h.random()
	m["get-random-bytes"] = func(_ context.Context, a []canonabi.Value) (canonabi.Value, error) {
		return upTo(a, func(b []byte) { rand.Read(b) })
	}
	return m
}

func (h *Host) insecureRandom3() map[string]engine.HostFunc {
	m := h.insecureRandom()
	m["get-insecure-random-bytes"] = func(_ context.Context, a []canonabi.Value) (canonabi.Value, error) {
		return upTo(a, func(b []byte) {
			for i := range b {
				b[i] = byte(mrand.Uint32())
			}
		})
	}
	return m
}

// insecureSeed3 is 0.2's insecure-seed under 0.3's name.
func (h *Host) insecureSeed3() map[string]engine.HostFunc {
	return map[string]engine.HostFunc{"get-insecure-seed": h.insecureSeed()["insecure-seed"]}
}
