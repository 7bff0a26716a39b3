package wasi

import (
	"context"
	"testing"
	"time"

	"github.com/witgo/witgo/canonabi"
)

// TestClocks3: system-clock is the host's time as an instant with s64
// seconds; wait-until waits for a mark on now's scale and ends early on
// cancellation; no time zone is exposed; environment and terminals grant
// nothing; random returns at most max-len bytes.
func TestClocks3(t *testing.T) {
	r := newRig3(t, Config{})
	now := r.must("wasi:clocks/system-clock@0.3#now").Elems()
	if d := time.Since(time.Unix(now[0].Int(), int64(now[1].Uint()))); now[0].Kind() != canonabi.KindS64 || d < 0 || d > time.Minute {
		t.Errorf("system-clock now = %v", now)
	}
	t0 := r.must("wasi:clocks/monotonic-clock@0.3#now").Uint()
	start := time.Now()
	r.must("wasi:clocks/monotonic-clock@0.3#wait-until", u64(t0+uint64(20*time.Millisecond)))
	if d := time.Since(start); d < 15*time.Millisecond {
		t.Errorf("wait-until 20ms ahead returned after %v", d)
	}
	ctx, cancel := context.WithTimeout(r.ctx, 20*time.Millisecond)
	defer cancel()
	start = time.Now()
	if _, err := r.funcs["wasi:clocks/monotonic-clock@0.3#wait-for"](ctx, []canonabi.Value{u64(uint64(time.Hour))}); err == nil || time.Since(start) > time.Second {
		t.Errorf("a cancelled wait-for: error %v after %v", err, time.Since(start))
	}
	if v := r.must("wasi:clocks/timezone@0.3#iana-id"); v.Case() != 0 {
		t.Errorf("iana-id = %v, want none", v)
	}
	if v := r.must("wasi:clocks/timezone@0.3#utc-offset", canonabi.RecordValue(canonabi.S64Value(0), canonabi.U32Value(0))); v.Case() != 0 {
		t.Errorf("utc-offset = %v, want none", v)
	}
	for _, f := range []string{"wasi:cli/environment@0.3#get-initial-cwd", "wasi:cli/terminal-stdin@0.3#get-terminal-stdin",
		"wasi:cli/terminal-stdout@0.3#get-terminal-stdout", "wasi:cli/terminal-stderr@0.3#get-terminal-stderr"} {
		if v := r.must(f); v.Case() != 0 {
			t.Errorf("%s = %v, want none", f, v)
		}
	}
	if n := r.must("wasi:random/random@0.3#get-random-bytes", u64(1<<40)).Len(); n == 0 || n > 1<<20 {
		t.Errorf("get-random-bytes(2^40) gave %d bytes", n)
	}
	if v := r.must("wasi:random/insecure-seed@0.3#get-insecure-seed"); v.Len() != 2 {
		t.Errorf("get-insecure-seed = %v", v)
	}
}
