package adapter

import (
	"encoding/binary"
	"errors"
	"hash/fnv"
	"testing"
	"time"

	"github.com/tetratelabs/wazero/sys"
)

// Expected errno for each wasi:filesystem error-code, by name, from the
// preview1 errno list (wasi-libc wasi/api.h); written out independently
// of errno.go.
var fsErrorNames = []struct{ code, errno string }{
	{"access", "acces"}, {"would-block", "again"}, {"already", "already"}, {"bad-descriptor", "badf"},
	{"busy", "busy"}, {"deadlock", "deadlk"}, {"quota", "dquot"}, {"exist", "exist"},
	{"file-too-large", "fbig"}, {"illegal-byte-sequence", "ilseq"}, {"in-progress", "inprogress"},
	{"interrupted", "intr"}, {"invalid", "inval"}, {"io", "io"}, {"is-directory", "isdir"}, {"loop", "loop"},
	{"too-many-links", "mlink"}, {"message-size", "msgsize"}, {"name-too-long", "nametoolong"},
	{"no-device", "nodev"}, {"no-entry", "noent"}, {"no-lock", "nolck"}, {"insufficient-memory", "nomem"},
	{"insufficient-space", "nospc"}, {"not-directory", "notdir"}, {"not-empty", "notempty"},
	{"not-recoverable", "notrecoverable"}, {"unsupported", "notsup"}, {"no-tty", "notty"},
	{"no-such-device", "nxio"}, {"overflow", "overflow"}, {"not-permitted", "perm"}, {"pipe", "pipe"},
	{"read-only", "rofs"}, {"invalid-seek", "spipe"}, {"text-file-busy", "txtbsy"}, {"cross-device", "xdev"},
}

// preview1Errno is the witx errno enum in order.
var preview1Errno = []string{"success", "2big", "acces", "addrinuse", "addrnotavail", "afnosupport", "again",
	"already", "badf", "badmsg", "busy", "canceled", "child", "connaborted", "connrefused", "connreset",
	"deadlk", "destaddrreq", "dom", "dquot", "exist", "fault", "fbig", "hostunreach", "idrm", "ilseq",
	"inprogress", "intr", "inval", "io", "isconn", "isdir", "loop", "mfile", "mlink", "msgsize", "multihop",
	"nametoolong", "netdown", "netreset", "netunreach", "nfile", "nobufs", "nodev", "noent", "noexec",
	"nolck", "nolink", "nomem", "nomsg", "noprotoopt", "nospc", "nosys", "notconn", "notdir", "notempty",
	"notrecoverable", "notsock", "notsup", "notty", "nxio", "overflow", "ownerdead", "perm", "pipe", "proto",
	"protonosupport", "prototype", "range", "rofs", "spipe", "srch", "stale", "timedout", "txtbsy", "xdev",
	"notcapable"}

func errnoNamed(t *testing.T, name string) uint32 {
	for i, n := range preview1Errno {
		if n == name {
			return uint32(i)
		}
	}
	t.Fatalf("no errno %q", name)
	return 0
}

// fsRig is a rig with a preopen "/data" (descriptor 3) holding one file.
func fsRig(t *testing.T) *rig {
	return newRig(t, 4, func(h *fakeHost) {
		h.dirs["/data"] = true
		h.files["/data/f.txt"] = []byte("0123456789")
		h.preopens = []string{"/data"}
	})
}

func TestFilesystemErrorMapping(t *testing.T) {
	g := fsRig(t)
	g.put(dataAt, []byte("f.txt"))
	for code, want := range fsErrorNames {
		g.host.unlinkError = code
		g.mustCall(t, "path_unlink_file", errnoNamed(t, want.errno), 3, dataAt, 5)
	}
	// Out of range codes (a newer host) become EIO.
	g.host.unlinkError = 200
	g.mustCall(t, "path_unlink_file", errnoIO, 3, dataAt, 5)
}

func TestStreamErrors(t *testing.T) {
	g := newRig(t, 4, nil)
	g.iov(iovAt, dataAt, []byte("x"))
	g.host.writeError = 1
	g.mustCall(t, "fd_write", errnoIO, 1, iovAt, 1, outAt)
	if len(g.host.handles) != 1 { // the stream only; the error was dropped
		t.Errorf("handles left: %v", g.host.handles)
	}
	g.host.writeError = 2
	g.mustCall(t, "fd_write", errnoPipe, 1, iovAt, 1, outAt)
}

func TestFdReadStdin(t *testing.T) {
	g := newRig(t, 4, func(h *fakeHost) { h.stdin = []byte("abcdef") })
	g.setU32(iovAt, dataAt)
	g.setU32(iovAt+4, 0) // an empty iovec first
	g.setU32(iovAt+8, dataAt)
	g.setU32(iovAt+12, 4)
	g.mustCall(t, "fd_read", 0, 0, iovAt, 2, outAt)
	if g.u32(outAt) != 4 || string(g.get(dataAt, 4)) != "abcd" {
		t.Fatalf("read %d %q", g.u32(outAt), g.get(dataAt, 4))
	}
	g.mustCall(t, "fd_read", 0, 0, iovAt, 2, outAt)
	if g.u32(outAt) != 2 || string(g.get(dataAt, 2)) != "ef" {
		t.Fatalf("read %d %q", g.u32(outAt), g.get(dataAt, 2))
	}
	g.mustCall(t, "fd_read", 0, 0, iovAt, 2, outAt) // end of stream
	if g.u32(outAt) != 0 {
		t.Fatalf("read %d at end of stream", g.u32(outAt))
	}
	g.mustCall(t, "fd_read", errnoBadf, 1, iovAt, 2, outAt)
	g.setU32(iovAt+8, 8) // a buffer inside the borrowed return area
	g.mustCall(t, "fd_read", errnoFault, 0, iovAt, 2, outAt)
}

func TestFileReadWriteSeek(t *testing.T) {
	g := fsRig(t)
	g.put(dataAt, []byte("f.txt"))
	const rightsRW = 1<<1 | 1<<6
	g.mustCall(t, "path_open", 0, 3, 0, dataAt, 5, 0, rightsRW, 0, 0, outAt)
	fd := uint64(g.u32(outAt))
	if fd != 4 {
		t.Fatalf("new descriptor %d, want 4", fd)
	}
	g.setU32(iovAt, dataAt+0x100)
	g.setU32(iovAt+4, 4)
	g.mustCall(t, "fd_read", 0, fd, iovAt, 1, outAt)
	if string(g.get(dataAt+0x100, 4)) != "0123" {
		t.Fatalf("read %q", g.get(dataAt+0x100, 4))
	}
	g.mustCall(t, "fd_tell", 0, fd, outAt)
	if g.u64(outAt) != 4 {
		t.Fatalf("tell %d", g.u64(outAt))
	}
	g.mustCall(t, "fd_seek", 0, fd, uint64(^uint64(1)), 2, outAt) // end-2
	if g.u64(outAt) != 8 {
		t.Fatalf("seek end-2 = %d", g.u64(outAt))
	}
	g.iov(iovAt, dataAt+0x200, []byte("XYZ"))
	g.mustCall(t, "fd_write", 0, fd, iovAt, 1, outAt)
	if string(g.host.files["/data/f.txt"]) != "01234567XYZ" || g.u32(outAt) != 3 {
		t.Fatalf("after write: %q (%d)", g.host.files["/data/f.txt"], g.u32(outAt))
	}
	g.mustCall(t, "fd_seek", errnoInval, fd, uint64(^uint64(100)), 1, outAt) // before the start
	g.mustCall(t, "fd_seek", errnoInval, fd, 0, 7, outAt)                    // bad whence
	g.mustCall(t, "fd_seek", errnoSPipe, 1, 0, 0, outAt)
	// pread/pwrite leave the position alone.
	g.setU32(iovAt, dataAt+0x100)
	g.setU32(iovAt+4, 3)
	g.mustCall(t, "fd_pread", 0, fd, iovAt, 1, 1, outAt)
	if string(g.get(dataAt+0x100, 3)) != "123" {
		t.Fatalf("pread %q", g.get(dataAt+0x100, 3))
	}
	g.mustCall(t, "fd_tell", 0, fd, outAt)
	if g.u64(outAt) != 11 {
		t.Fatalf("tell after pread %d", g.u64(outAt))
	}
	g.mustCall(t, "fd_filestat_get", 0, fd, outAt)
	if g.u64(outAt+32) != 11 || g.get(outAt+16, 1)[0] != 4 || g.u64(outAt+48) != 3_000_000_005 {
		t.Fatalf("filestat size %d type %d mtim %d", g.u64(outAt+32), g.get(outAt+16, 1)[0], g.u64(outAt+48))
	}
	ino := g.u64(outAt + 8)
	g.mustCall(t, "path_filestat_get", 0, 3, 0, dataAt, 5, outAt)
	if want := fnvOf("/data/f.txt"); ino != want || g.u64(outAt+8) != want {
		t.Fatalf("inode %#x and %#x, want %#x (metadata-hash lower)", ino, g.u64(outAt+8), want)
	}
	g.mustCall(t, "fd_filestat_get", 0, 3, outAt)
	if g.u64(outAt+8) != fnvOf("/data") {
		t.Fatalf("preopen inode %#x", g.u64(outAt+8))
	}
	g.mustCall(t, "fd_fdstat_get", 0, fd, outAt)
	if g.get(outAt, 1)[0] != 4 {
		t.Fatalf("fdstat filetype %d", g.get(outAt, 1)[0])
	}
	g.mustCall(t, "fd_filestat_set_size", 0, fd, 2)
	if string(g.host.files["/data/f.txt"]) != "01" {
		t.Fatalf("after set_size: %q", g.host.files["/data/f.txt"])
	}
	g.mustCall(t, "fd_close", 0, fd)
	g.mustCall(t, "fd_close", errnoBadf, fd)
	g.mustCall(t, "fd_read", errnoBadf, fd, iovAt, 1, outAt)
	if len(g.host.handles) != 1 { // only the preopen is left
		t.Errorf("handles left after close: %v", g.host.handles)
	}
}

func TestPathOpenErrors(t *testing.T) {
	g := fsRig(t)
	g.put(dataAt, []byte("f.txtmissing"))
	g.mustCall(t, "path_open", errnoExist, 3, 0, dataAt, 5, 1|4, 0, 0, 0, outAt) // creat|excl
	g.mustCall(t, "path_open", errnoNoEnt, 3, 0, dataAt+5, 7, 0, 0, 0, 0, outAt)
	g.mustCall(t, "path_open", errnoNotDir, 3, 0, dataAt, 5, 2, 0, 0, 0, outAt) // directory
	g.mustCall(t, "path_open", errnoBadf, 9, 0, dataAt, 5, 0, 0, 0, 0, outAt)
	g.mustCall(t, "path_open", errnoBadf, 1, 0, dataAt, 5, 0, 0, 0, 0, outAt)
	// The table holds fdSlots descriptors; then EMFILE.
	n := 0
	for {
		e, err := g.call("path_open", 3, 0, dataAt, 5, 0, 2, 0, 0, outAt)
		if err != nil {
			t.Fatal(err)
		}
		if e == errnoMFile {
			break
		}
		if e != 0 {
			t.Fatalf("errno %d", e)
		}
		n++
	}
	if n != fdSlots-4 {
		t.Errorf("opened %d files before EMFILE, want %d", n, fdSlots-4)
	}
}

func TestPrestat(t *testing.T) {
	g := newRig(t, 4, func(h *fakeHost) {
		h.dirs["/a"], h.dirs["/longer/name"] = true, true
		h.preopens = []string{"/a", "/longer/name"}
	})
	g.mustCall(t, "fd_prestat_get", 0, 3, outAt)
	if g.get(outAt, 1)[0] != 0 || g.u32(outAt+4) != 2 {
		t.Fatalf("prestat 3: tag %d len %d", g.get(outAt, 1)[0], g.u32(outAt+4))
	}
	g.mustCall(t, "fd_prestat_get", 0, 4, outAt)
	g.mustCall(t, "fd_prestat_dir_name", 0, 4, dataAt, 12)
	if string(g.get(dataAt, 12)) != "/longer/name" {
		t.Fatalf("name %q", g.get(dataAt, 12))
	}
	g.mustCall(t, "fd_prestat_get", errnoBadf, 5, outAt)
	g.mustCall(t, "fd_prestat_get", errnoBadf, 1, outAt)
	g.mustCall(t, "fd_prestat_dir_name", errnoFault, 3, 64, 2)
	if len(g.host.handles) != 2 { // the second fetch's descriptors were dropped
		t.Errorf("handles: %d", len(g.host.handles))
	}
	g.mustCall(t, "fd_fdstat_get", 0, 3, outAt)
	if g.get(outAt, 1)[0] != 3 {
		t.Errorf("preopen filetype %d", g.get(outAt, 1)[0])
	}
}

func TestReaddir(t *testing.T) {
	g := newRig(t, 4, func(h *fakeHost) {
		h.dirs["/d"] = true
		h.files["/d/alpha"] = nil
		h.files["/d/b"] = nil
		h.dirs["/d/sub"] = true
		h.preopens = []string{"/d"}
	})
	const buf = 0x11000
	g.mustCall(t, "fd_readdir", 0, 3, buf, 4096, 0, outAt)
	used := g.u32(outAt)
	type ent struct {
		next uint64
		name string
		typ  byte
	}
	parse := func(b []byte) (out []ent) {
		for len(b) >= 24 {
			n := binary.LittleEndian.Uint32(b[16:])
			if uint32(len(b)) < 24+n {
				break
			}
			out = append(out, ent{binary.LittleEndian.Uint64(b), string(b[24 : 24+n]), b[20]})
			b = b[24+n:]
		}
		return out
	}
	got := parse(g.get(buf, used))
	want := []ent{{1, "alpha", 4}, {2, "b", 4}, {3, "sub", 3}}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("entries %v (used %d)", got, used)
	}
	// A buffer that ends inside the second entry: it is truncated and
	// bufused == buf_len; reading again from cookie 1 resumes.
	g.mustCall(t, "fd_readdir", 0, 3, buf, 24+5+10, 0, outAt)
	if g.u32(outAt) != 39 {
		t.Fatalf("truncated read used %d", g.u32(outAt))
	}
	g.mustCall(t, "fd_readdir", 0, 3, buf, 4096, 1, outAt)
	if got := parse(g.get(buf, g.u32(outAt))); len(got) != 2 || got[0] != want[1] {
		t.Fatalf("from cookie 1: %v", got)
	}
	g.mustCall(t, "fd_readdir", 0, 3, buf, 4096, 3, outAt)
	if g.u32(outAt) != 0 {
		t.Fatalf("past the end: used %d", g.u32(outAt))
	}
	g.mustCall(t, "fd_readdir", errnoBadf, 1, buf, 4096, 0, outAt)
	g.mustCall(t, "fd_readdir", errnoFault, 3, 64, 4096, 0, outAt)
}

func TestPathOps(t *testing.T) {
	g := fsRig(t)
	g.put(dataAt, []byte("newdirf.txtg.txt"))
	g.mustCall(t, "path_create_directory", 0, 3, dataAt, 6)
	g.mustCall(t, "path_create_directory", errnoNamed(t, "exist"), 3, dataAt, 6)
	g.mustCall(t, "path_filestat_get", 0, 3, 0, dataAt, 6, outAt)
	if g.get(outAt+16, 1)[0] != 3 {
		t.Fatalf("filetype %d", g.get(outAt+16, 1)[0])
	}
	g.mustCall(t, "path_remove_directory", 0, 3, dataAt, 6)
	g.mustCall(t, "path_filestat_get", errnoNoEnt, 3, 0, dataAt, 6, outAt)
	g.mustCall(t, "path_rename", 0, 3, dataAt+6, 5, 3, dataAt+11, 5)
	if _, ok := g.host.files["/data/g.txt"]; !ok {
		t.Fatal("rename did not happen")
	}
	g.mustCall(t, "path_unlink_file", 0, 3, dataAt+11, 5)
	g.mustCall(t, "path_unlink_file", errnoNoEnt, 3, dataAt+11, 5)
	g.mustCall(t, "path_unlink_file", errnoBadf, 0, dataAt+11, 5)
}

func TestClocksRandomPoll(t *testing.T) {
	g := newRig(t, 4, nil)
	g.mustCall(t, "clock_time_get", 0, 0, 0, outAt)
	if wall := int64(g.u64(outAt)); time.Since(time.Unix(0, wall)).Abs() > time.Minute {
		t.Errorf("realtime %d", wall)
	}
	g.mustCall(t, "clock_time_get", 0, 1, 0, outAt)
	g.mustCall(t, "clock_res_get", 0, 0, outAt)
	if g.u64(outAt) != 1000 {
		t.Errorf("realtime resolution %d", g.u64(outAt))
	}
	g.mustCall(t, "clock_res_get", 0, 1, outAt)
	g.mustCall(t, "clock_time_get", errnoInval, 2, 0, outAt)
	g.mustCall(t, "clock_res_get", errnoInval, 9, outAt)

	g.mustCall(t, "random_get", 0, dataAt, 5)
	if string(g.get(dataAt, 5)) != "\x01\x08\x0f\x16\x1d" {
		t.Errorf("random %x", g.get(dataAt, 5))
	}
	g.mustCall(t, "random_get", 0, 0, 0)
	g.mustCall(t, "random_get", errnoFault, 4, 8)

	// Two relative clocks: 1 ms and 1 h; only the first fires.
	const in, out = 0x11000, 0x12000
	sub := func(i int, userdata uint64, tag byte, id uint32, timeout uint64, flags uint16) {
		b := make([]byte, 48)
		binary.LittleEndian.PutUint64(b, userdata)
		b[8] = tag
		binary.LittleEndian.PutUint32(b[16:], id)
		binary.LittleEndian.PutUint64(b[24:], timeout)
		binary.LittleEndian.PutUint16(b[40:], flags)
		g.put(in+uint32(48*i), b)
	}
	sub(0, 0xaaaa, 0, 1, uint64(time.Millisecond), 0)
	sub(1, 0xbbbb, 0, 1, uint64(time.Hour), 0)
	start := time.Now()
	g.mustCall(t, "poll_oneoff", 0, in, out, 2, outAt)
	if time.Since(start) < time.Millisecond || g.u32(outAt) != 1 || g.u64(out) != 0xaaaa {
		t.Fatalf("poll: %d events, first userdata %#x, after %v", g.u32(outAt), g.u64(out), time.Since(start))
	}
	// An absolute realtime deadline in the past fires at once.
	sub(0, 0xcccc, 0, 0, 1, 1)
	g.mustCall(t, "poll_oneoff", 0, in, out, 1, outAt)
	if g.u32(outAt) != 1 || g.u64(out) != 0xcccc || g.get(out+10, 1)[0] != 0 {
		t.Fatalf("absolute: %d events", g.u32(outAt))
	}
	// Stdin's stream is ready: its event comes without waiting for the
	// hour-long clock; the same for stdout with fd_write.
	for _, c := range []struct {
		fd  uint32
		tag byte
	}{{0, 1}, {1, 2}} {
		sub(0, 0xdddd, c.tag, c.fd, 0, 0)
		start := time.Now()
		g.mustCall(t, "poll_oneoff", 0, in, out, 2, outAt)
		if g.u32(outAt) != 1 || g.u64(out) != 0xdddd || g.get(out+10, 1)[0] != c.tag || time.Since(start) > time.Minute {
			t.Fatalf("fd %d subscription: %d events", c.fd, g.u32(outAt))
		}
	}
	// A bad descriptor is an event carrying EBADF, at once.
	sub(0, 0xeeee, 1, 77, 0, 0)
	g.mustCall(t, "poll_oneoff", 0, in, out, 2, outAt)
	if g.u32(outAt) != 1 || g.u64(out) != 0xeeee || uint32(g.get(out+8, 1)[0]) != errnoBadf {
		t.Fatalf("bad descriptor: %d events, error %d", g.u32(outAt), g.get(out+8, 1)[0])
	}
	g.mustCall(t, "poll_oneoff", errnoInval, in, out, 0, outAt)
	sub(0, 1, 0, 7, 0, 0)
	g.mustCall(t, "poll_oneoff", errnoInval, in, out, 2, outAt)
	for h, v := range g.host.handles {
		if _, ok := v.(*pollable); ok {
			t.Errorf("pollable %d left", h)
		}
	}
}

func TestExitAndUnsupported(t *testing.T) {
	g := newRig(t, 4, nil)
	for _, u := range unsupported {
		params, _, err := parseSig(u.sig)
		if err != nil {
			t.Fatal(err)
		}
		g.mustCall(t, u.name, errnoNoSys, make([]uint64, len(params))...)
	}
	g.mustCall(t, "sched_yield", 0)
	g.mustCall(t, "fd_fdstat_set_flags", 0, 1, 4) // nonblock accepted
	_, err := g.call("proc_exit", 3)
	if err == nil || !containsExit(err, 1) {
		t.Fatalf("proc_exit(3): %v (WASI 0.2 exit reports failure as 1)", err)
	}
}

func containsExit(err error, code uint32) bool {
	var e *sys.ExitError
	return errors.As(err, &e) && e.ExitCode() == code
}

// Arrays whose addresses would wrap past 4 GiB are EFAULT (not an
// endless loop over wrapped addresses).
func TestWrappingArrays(t *testing.T) {
	g := newRig(t, 4, nil)
	g.mustCall(t, "fd_write", errnoFault, 1, iovAt, 0x20000000, outAt)
	g.mustCall(t, "fd_read", errnoFault, 0, 0xfffffff8, 2, outAt)
	g.mustCall(t, "poll_oneoff", errnoFault, iovAt, outAt, 0x08000000, outAt)
}

// Buffers the host would fill must lie inside memory.
func TestBuffersOutsideMemory(t *testing.T) {
	g := newRig(t, 1, func(h *fakeHost) { h.stdin = []byte("x") })
	g.mustCall(t, "random_get", errnoFault, 0x8000, 0x10000)
	g.mustCall(t, "random_get", 0, 0x8000, 0x8000)
	g.setU32(0x100, 0x8000)
	g.setU32(0x104, 0xffff0000)
	g.mustCall(t, "fd_read", errnoFault, 0, 0x100, 1, 0x200)
}

func TestLinksAndTimes(t *testing.T) {
	g := fsRig(t)
	g.put(dataAt, []byte("f.txtlinkhard"))
	g.mustCall(t, "path_symlink", 0, dataAt, 5, 3, dataAt+5, 4)
	g.mustCall(t, "path_symlink", errnoExist, dataAt, 5, 3, dataAt+5, 4)
	const buf = 0x11000
	g.mustCall(t, "path_readlink", 0, 3, dataAt+5, 4, buf, 64, outAt)
	if g.u32(outAt) != 5 || string(g.get(buf, 5)) != "f.txt" {
		t.Fatalf("readlink: %d %q", g.u32(outAt), g.get(buf, 5))
	}
	g.mustCall(t, "path_readlink", 0, 3, dataAt+5, 4, buf+100, 3, outAt) // truncated
	if g.u32(outAt) != 3 || string(g.get(buf+100, 4)) != "f.t\x00" {
		t.Fatalf("truncated readlink: %d %q", g.u32(outAt), g.get(buf+100, 4))
	}
	g.mustCall(t, "path_readlink", errnoInval, 3, dataAt, 5, buf, 64, outAt)
	g.mustCall(t, "path_readlink", errnoFault, 3, dataAt+5, 4, 64, 64, outAt)
	g.mustCall(t, "path_link", 0, 3, 0, dataAt, 5, 3, dataAt+9, 4)
	if string(g.host.files["/data/hard"]) != "0123456789" {
		t.Fatal("link did not happen")
	}
	// fstflags: ATIM 1, ATIM_NOW 2, MTIM 4, MTIM_NOW 8.
	g.mustCall(t, "path_filestat_set_times", 0, 3, 0, dataAt, 5, 1_500_000_000_123, 0, 1|8)
	if got := g.host.times["/data/f.txt"]; got != [2]string{"1500.000000123", "now"} {
		t.Fatalf("times %v", got)
	}
	g.mustCall(t, "path_filestat_set_times", errnoInval, 3, 0, dataAt, 5, 0, 0, 1|2)
	g.mustCall(t, "fd_filestat_set_times", 0, 3, 0, 7_000_000_000, 4)
	if got := g.host.times["/data"]; got != [2]string{"no-change", "7.000000000"} {
		t.Fatalf("times %v", got)
	}
}

func TestRenumber(t *testing.T) {
	g := fsRig(t)
	g.put(dataAt, []byte("f.txt"))
	g.mustCall(t, "path_open", 0, 3, 0, dataAt, 5, 0, 2, 0, 0, outAt)
	g.mustCall(t, "path_open", 0, 3, 0, dataAt, 5, 0, 2, 0, 0, outAt)
	g.mustCall(t, "fd_seek", 0, 4, 3, 0, outAt)
	g.mustCall(t, "fd_renumber", 0, 4, 5) // 5 is closed, 4 moves there
	g.mustCall(t, "fd_tell", 0, 5, outAt)
	if g.u64(outAt) != 3 {
		t.Fatalf("position after renumber %d", g.u64(outAt))
	}
	g.mustCall(t, "fd_tell", errnoBadf, 4, outAt)
	g.mustCall(t, "fd_renumber", errnoBadf, 4, 5)
	g.mustCall(t, "fd_renumber", errnoBadf, 5, 9)
	if len(g.host.handles) != 2 { // the preopen and the moved file
		t.Errorf("handles: %d", len(g.host.handles))
	}
}

func TestAdvise(t *testing.T) {
	g := fsRig(t)
	g.mustCall(t, "fd_advise", 0, 3, 0, 100, 2)
	g.mustCall(t, "fd_advise", errnoInval, 3, 0, 100, 6)
	g.mustCall(t, "fd_advise", errnoBadf, 1, 0, 100, 0)
}

func fnvOf(s string) uint64 {
	f := fnv.New64a()
	f.Write([]byte(s))
	return f.Sum64()
}

func TestAppendPwriteSync(t *testing.T) {
	g := fsRig(t)
	g.put(dataAt, []byte("f.txt"))
	const append, rightWrite = 1, 1 << 6
	g.mustCall(t, "path_open", 0, 3, 0, dataAt, 5, 0, rightWrite, 0, append, outAt)
	fd := uint64(g.u32(outAt))
	g.iov(iovAt, dataAt+0x100, []byte("AB"))
	g.mustCall(t, "fd_write", 0, fd, iovAt, 1, outAt)
	g.mustCall(t, "fd_write", 0, fd, iovAt, 1, outAt)
	if got := string(g.host.files["/data/f.txt"]); got != "0123456789ABAB" {
		t.Fatalf("append: %q", got)
	}
	g.mustCall(t, "fd_fdstat_get", 0, fd, outAt)
	if flags := g.get(outAt+2, 2); flags[0] != append {
		t.Fatalf("fdflags %v", flags)
	}
	g.mustCall(t, "fd_fdstat_set_flags", 0, fd, 0)
	g.mustCall(t, "fd_pwrite", 0, fd, iovAt, 1, 1, outAt)
	if got := string(g.host.files["/data/f.txt"]); got != "0AB3456789ABAB" || g.u32(outAt) != 2 {
		t.Fatalf("pwrite: %q", got)
	}
	g.mustCall(t, "fd_pwrite", errnoInval, fd, iovAt, 1, uint64(1<<63), outAt)
	g.mustCall(t, "fd_sync", 0, fd)
	g.mustCall(t, "fd_datasync", 0, fd)
	g.mustCall(t, "fd_sync", errnoInval, 1)
	g.mustCall(t, "fd_sync", errnoBadf, 20)
	if g.host.calls["types#[method]descriptor.sync"] != 1 || g.host.calls["types#[method]descriptor.sync-data"] != 1 {
		t.Errorf("sync calls: %v", g.host.calls)
	}
}
