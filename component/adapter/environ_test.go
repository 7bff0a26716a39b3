package adapter

import (
	"strings"
	"testing"
)

func TestArgsAndEnviron(t *testing.T) {
	for _, skip := range []bool{false, true} {
		g := newRig(t, 4, func(h *fakeHost) {
			h.args = []string{"prog", "", "two words", strings.Repeat("x", 3000)}
			h.env = [][2]string{{"HOME", "/home/u"}, {"EMPTY", ""}, {"LS_COLORS", strings.Repeat("di=1;", 400)}}
			h.skipEmptyRealloc = skip
		})
		g.mustCall(t, "args_sizes_get", 0, outAt, outAt+4)
		n, size := g.u32(outAt), g.u32(outAt+4)
		wantSize := uint32(0)
		for _, a := range g.host.args {
			wantSize += uint32(len(a)) + 1
		}
		if n != 4 || size != wantSize {
			t.Fatalf("args_sizes_get: %d, %d; want 4, %d", n, size, wantSize)
		}
		const argv, buf = 0x11000, 0x12000
		g.mustCall(t, "args_get", 0, argv, buf)
		for i, a := range g.host.args {
			p := g.u32(argv + 4*uint32(i))
			if got := string(g.get(p, uint32(len(a)+1))); got != a+"\x00" {
				t.Errorf("skip=%v argv[%d] = %q, want %q", skip, i, got, a)
			}
		}
		if got := string(g.get(buf, size)); got != "prog\x00\x00two words\x00"+strings.Repeat("x", 3000)+"\x00" {
			t.Errorf("argv buffer %q", got[:20])
		}

		g.mustCall(t, "environ_sizes_get", 0, outAt, outAt+4)
		n, size = g.u32(outAt), g.u32(outAt+4)
		want := "HOME=/home/u\x00EMPTY=\x00LS_COLORS=" + strings.Repeat("di=1;", 400) + "\x00"
		if n != 3 || size != uint32(len(want)) {
			t.Fatalf("environ_sizes_get: %d, %d; want 3, %d", n, size, len(want))
		}
		g.mustCall(t, "environ_get", 0, argv, buf)
		if got := string(g.get(buf, size)); got != want {
			t.Errorf("environ buffer %q", got)
		}
		if p := g.u32(argv + 4); string(g.get(p, 7)) != "EMPTY=\x00" {
			t.Errorf("environ[1] = %q", g.get(p, 7))
		}
	}
}

func TestArgsEmpty(t *testing.T) {
	g := newRig(t, 4, nil)
	g.mustCall(t, "args_sizes_get", 0, outAt, outAt+4)
	if g.u32(outAt) != 0 || g.u32(outAt+4) != 0 {
		t.Fatalf("no arguments: %d %d", g.u32(outAt), g.u32(outAt+4))
	}
	g.mustCall(t, "environ_get", 0, 0x11000, 0x12000)
}

// Buffers inside the borrowed region would be lost when it is restored:
// EFAULT instead.
func TestArgsBufferInBorrowedRegion(t *testing.T) {
	g := newRig(t, 4, func(h *fakeHost) { h.args = []string{"a"} })
	g.mustCall(t, "args_get", errnoFault, 100, 0x12000)
	g.mustCall(t, "args_get", errnoFault, 0x11000, bigScratch-1)
	g.mustCall(t, "args_get", 0, 0x11000, bigScratch)
}

// Arguments too large for the arena trap (the adapter cannot report the
// size without somewhere to put them); they never corrupt memory.
func TestArgsTooLargeTrap(t *testing.T) {
	g := newRig(t, 4, func(h *fakeHost) { h.args = []string{strings.Repeat("y", bigScratch)} })
	if _, err := g.call("args_sizes_get", outAt, outAt+4); err == nil {
		t.Fatal("args larger than the arena did not trap")
	}
}

func TestHostileOutPointers(t *testing.T) {
	g := newRig(t, 1, func(h *fakeHost) { h.args = []string{"a"} })
	// Out of bounds pointers trap inside the adapter or are EFAULT; never
	// a Go panic, never success.
	for _, c := range []struct {
		name string
		args []uint64
	}{
		{"args_sizes_get", []uint64{0xfffffff0, 0}},
		{"clock_time_get", []uint64{1, 0, 0xfffffffc}},
		{"fd_write", []uint64{1, 0xfffffff8, 1, outAt}},
		{"fd_write", []uint64{1, 0, 1 << 30, 0xfffffff0}},
		{"fd_fdstat_get", []uint64{1, 0xffffffff}},
		{"random_get", []uint64{0xfffff000, 100}},
		{"poll_oneoff", []uint64{0xffffff00, 0x8000, 1, 0x8000}},
	} {
		if e, err := g.call(c.name, c.args...); err == nil && e != errnoFault {
			t.Errorf("%s%v: errno %d, want a trap or EFAULT", c.name, c.args, e)
		}
	}
	// A write whose data is out of bounds: the host's bounds check traps.
	g.setU32(0x8000, 0xfffffff0)
	g.setU32(0x8004, 100)
	if _, err := g.call("fd_write", 1, 0x8000, 1, 0x8010); err == nil {
		t.Error("fd_write of out-of-bounds data: no trap")
	}
}
