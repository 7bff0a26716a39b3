package adapter

import (
	"testing"
)

const (
	iovAt  = 0x10000 // scratch addresses in the test memory, above the borrowed region
	dataAt = 0x10100
	outAt  = 0x18000
)

func TestFdWriteStdoutStderr(t *testing.T) {
	g := newRig(t, 4, nil)
	g.iov(iovAt, dataAt, []byte("hello, "))
	g.iov(iovAt+8, dataAt+64, []byte("world\n"))
	g.mustCall(t, "fd_write", 0, 1, iovAt, 2, outAt)
	if n := g.u32(outAt); n != 13 {
		t.Errorf("nwritten %d, want 13", n)
	}
	g.iov(iovAt, dataAt, []byte("oops"))
	g.mustCall(t, "fd_write", 0, 2, iovAt, 1, outAt)
	if g.host.out.String() != "hello, world\n" || g.host.err.String() != "oops" {
		t.Errorf("stdout %q stderr %q", g.host.out.String(), g.host.err.String())
	}
	// The stream is fetched once and reused.
	if n := g.host.calls["stdout#get-stdout"]; n != 1 {
		t.Errorf("get-stdout called %d times", n)
	}
	// Writing to stdin or an unknown descriptor is EBADF.
	g.mustCall(t, "fd_write", errnoBadf, 0, iovAt, 1, outAt)
	g.mustCall(t, "fd_write", errnoBadf, 77, iovAt, 1, outAt)
	g.mustCall(t, "fd_write", errnoBadf, 1<<31, iovAt, 1, outAt)
}

func TestFdWriteChunksLargeBuffers(t *testing.T) {
	g := newRig(t, 4, nil)
	big := make([]byte, 10000)
	for i := range big {
		big[i] = byte('a' + i%26)
	}
	g.iov(iovAt, dataAt, big)
	g.mustCall(t, "fd_write", 0, 1, iovAt, 1, outAt)
	if g.host.out.String() != string(big) || g.u32(outAt) != 10000 {
		t.Errorf("wrote %d bytes, reported %d", g.host.out.Len(), g.u32(outAt))
	}
	if n := g.host.calls["streams#[method]output-stream.blocking-write-and-flush"]; n != 3 {
		t.Errorf("%d write calls, want 3 (4096-byte chunks)", n)
	}
}

// The borrowed region is restored after every call: whatever the module
// kept there survives.
func TestScratchIsRestored(t *testing.T) {
	g := newRig(t, 4, func(h *fakeHost) {
		h.args = []string{"prog", "a", "bb"}
		h.env = [][2]string{{"K", "V"}}
		h.preopens = []string{"/"}
	})
	canary := make([]byte, bigScratch)
	for i := range canary {
		canary[i] = byte(i*31 + 7)
	}
	g.put(0, canary)
	g.iov(iovAt, dataAt, []byte("x"))
	g.mustCall(t, "fd_write", 0, 1, iovAt, 1, outAt)
	g.mustCall(t, "args_sizes_get", 0, outAt, outAt+4)
	g.mustCall(t, "environ_sizes_get", 0, outAt, outAt+4)
	g.mustCall(t, "clock_time_get", 0, 0, 0, outAt)
	g.mustCall(t, "fd_prestat_get", 0, 3, outAt)
	g.mustCall(t, "fd_filestat_get", 0, 3, outAt)
	if got := g.get(0, bigScratch); string(got) != string(canary) {
		for i := range got {
			if got[i] != canary[i] {
				t.Fatalf("byte %d of the borrowed region changed", i)
			}
		}
	}
}
