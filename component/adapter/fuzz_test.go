package adapter

import (
	"encoding/binary"
	"sort"
	"testing"
)

// FuzzPreview1Calls drives the adapter with arbitrary preview1 calls
// (function, then arguments taken from the input): every call must end
// with a valid errno or a trap, never a Go panic, and never make the host
// see a protocol violation. Memory starts with a small file system
// layout so that calls get past argument checks.
func FuzzPreview1Calls(f *testing.F) {
	names := make([]string, 0, len(preview1Sigs))
	for n := range preview1Sigs {
		if n != "proc_exit" && n != "poll_oneoff" { // exit ends the run; poll may sleep for long
			names = append(names, n)
		}
	}
	sort.Strings(names)
	seed := func(fn string, args ...uint32) []byte {
		var b []byte
		for i, n := range names {
			if n == fn {
				b = append(b, byte(i))
			}
		}
		for _, a := range args {
			b = binary.LittleEndian.AppendUint32(b, a)
		}
		return b
	}
	f.Add(seed("fd_write", 1, iovAt, 1, outAt))
	f.Add(seed("path_open", 3, 0, dataAt, 5, 0, 2, 0, 0, 0, 0, outAt))
	f.Add(seed("fd_readdir", 3, 0x11000, 100, 0, 0, outAt))
	f.Add(seed("args_get", 0x11000, 0x12000))
	f.Add(seed("fd_prestat_dir_name", 3, 0x11000, 5))
	f.Fuzz(func(t *testing.T, in []byte) {
		g := newRig(t, 2, func(h *fakeHost) {
			h.args = []string{"a", "bc"}
			h.env = [][2]string{{"K", "V"}}
			h.dirs["/data"] = true
			h.files["/data/f.txt"] = []byte("hello")
			h.preopens = []string{"/data"}
			h.stdin = []byte("in")
		})
		g.iov(iovAt, dataAt, []byte("f.txt"))
		for len(in) > 0 {
			fn := names[int(in[0])%len(names)]
			in = in[1:]
			sig := preview1Sigs[fn]
			var args []uint64
			for _, c := range sig[:len(sig)-2] {
				var v uint64
				if len(in) >= 4 {
					v = uint64(binary.LittleEndian.Uint32(in))
					in = in[4:]
				}
				if c == 'I' {
					v = uint64(int64(int32(v)))
				}
				args = append(args, v)
			}
			errno, err := g.call(fn, args...)
			if err != nil {
				return // a trap ends the instance's life, as in a component
			}
			if errno >= uint32(len(preview1Errno)) {
				t.Fatalf("%s%v returned errno %d", fn, args, errno)
			}
		}
	})
}
