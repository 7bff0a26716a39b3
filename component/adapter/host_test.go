package adapter

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"path"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"
)

// fakeHost implements the adapter's WASI 0.2 imports directly at the core
// level (canonical ABI by hand: it reads and writes the shared memory and
// allocates with cabi_import_realloc), over an in-memory file system.
type fakeHost struct {
	t        testing.TB
	args     []string
	env      [][2]string
	stdin    []byte
	out, err strings.Builder
	files    map[string][]byte // absolute path -> contents
	dirs     map[string]bool
	preopens []string // preopened directory paths, named by themselves
	start    time.Time
	mu       sync.Mutex
	handles  map[uint32]any
	next     uint32
	// faults records protocol violations the adapter made (a test fails
	// on any).
	faults []string
	// skipEmptyRealloc mimics hosts that do not call realloc for empty
	// strings and lists.
	skipEmptyRealloc bool
	calls            map[string]int
	// unlinkError, when >= 0, is the error-code unlink-file-at returns;
	// writeError makes blocking-write-and-flush fail (1) or report a
	// closed stream (2).
	unlinkError int
	writeError  int
	links       map[string]string // symlink path -> target
	times       map[string][2]string
	realloc     api.Function // the adapter's cabi_import_realloc (never re-entered)
	reallocOf   api.Module
	// discard makes output streams only count bytes (benchmarks).
	discard bool
	written int
}

type (
	inStream  struct{}
	outStream struct{ w *strings.Builder }
	pollable  struct{ deadline time.Duration }
	ioError   struct{}
	desc      struct{ path string }
	dirStream struct {
		names []string
		i     int
	}
)

func newFakeHost(t testing.TB) *fakeHost {
	return &fakeHost{t: t, files: map[string][]byte{}, dirs: map[string]bool{"/": true},
		handles: map[uint32]any{}, next: 1, start: time.Now(), calls: map[string]int{}, unlinkError: -1,
		links: map[string]string{}, times: map[string][2]string{}}
}

func (h *fakeHost) fault(format string, args ...any) {
	h.faults = append(h.faults, fmt.Sprintf(format, args...))
}

func (h *fakeHost) newHandle(v any) uint32 {
	n := h.next
	h.next++
	h.handles[n] = v
	return n
}

func handleOf[T any](h *fakeHost, n uint32) T {
	v, ok := h.handles[n].(T)
	if !ok {
		var zero T
		h.fault("handle %d is not a %T (%T)", n, zero, h.handles[n])
		panic(fmt.Errorf("bad handle %d", n))
	}
	return v
}

// Canonical ABI helpers over the caller's (the adapter's) memory.
type abiCtx struct {
	ctx context.Context
	h   *fakeHost
	mod api.Module
}

func (c abiCtx) mem() api.Memory { return c.mod.Memory() }

func (c abiCtx) alloc(align, size uint32) uint32 {
	if c.h.realloc == nil || c.h.reallocOf != c.mod {
		c.h.realloc, c.h.reallocOf = c.mod.ExportedFunction("cabi_import_realloc"), c.mod
	}
	stack := []uint64{0, 0, uint64(align), uint64(size)}
	if err := c.h.realloc.CallWithStack(c.ctx, stack); err != nil {
		panic(err)
	}
	return uint32(stack[0])
}

func (c abiCtx) write(p uint32, b []byte) {
	if !c.mem().Write(p, b) {
		panic(fmt.Errorf("host write of %d bytes at %#x out of bounds", len(b), p))
	}
}

func (c abiCtx) read(p, n uint32) []byte {
	b, ok := c.mem().Read(p, n)
	if !ok {
		panic(fmt.Errorf("host read of %d bytes at %#x out of bounds", n, p))
	}
	return append([]byte(nil), b...)
}

func (c abiCtx) u8(p uint32, v uint8) { c.write(p, []byte{v}) }
func (c abiCtx) u32(p uint32, v uint32) {
	c.write(p, binary.LittleEndian.AppendUint32(nil, v))
}
func (c abiCtx) u64(p uint32, v uint64) {
	c.write(p, binary.LittleEndian.AppendUint64(nil, v))
}
func (c abiCtx) getU32(p uint32) uint32 { return binary.LittleEndian.Uint32(c.read(p, 4)) }

// bytes lowers a list<u8> or string and returns its pointer.
func (c abiCtx) bytes(b []byte) uint32 {
	if len(b) == 0 && c.h.skipEmptyRealloc {
		return 1
	}
	p := c.alloc(1, uint32(len(b)))
	c.write(p, b)
	return p
}

// strings lowers list<string> (stride 8) into the return area at ret.
func (c abiCtx) stringList(ret uint32, items []string, stride uint32) {
	arr := c.alloc(4, stride*uint32(len(items)))
	for i, s := range items {
		p := c.bytes([]byte(s))
		c.u32(arr+uint32(i)*8, p)
		c.u32(arr+uint32(i)*8+4, uint32(len(s)))
	}
	c.u32(ret, arr)
	c.u32(ret+4, uint32(len(items)))
}

type hostFunc func(c abiCtx, s []uint64)

// funcs returns the fake implementation of every import, by alias.
func (h *fakeHost) funcs() map[string]hostFunc {
	fsErr := func(c abiCtx, ret uint32, code uint8, payloadAt uint32) {
		c.u8(ret, 1)
		c.u8(ret+payloadAt, code)
	}
	drop := func(c abiCtx, s []uint64) { delete(h.handles, uint32(s[0])) }
	m := map[string]hostFunc{
		"environment#get-arguments": func(c abiCtx, s []uint64) { c.stringList(uint32(s[0]), h.args, 8) },
		"environment#get-environment": func(c abiCtx, s []uint64) {
			ret := uint32(s[0])
			arr := c.alloc(4, 16*uint32(len(h.env)))
			for i, kv := range h.env {
				k, v := c.bytes([]byte(kv[0])), c.bytes([]byte(kv[1]))
				e := arr + 16*uint32(i)
				c.u32(e, k)
				c.u32(e+4, uint32(len(kv[0])))
				c.u32(e+8, v)
				c.u32(e+12, uint32(len(kv[1])))
			}
			c.u32(ret, arr)
			c.u32(ret+4, uint32(len(h.env)))
		},
		"exit#exit":                                   func(c abiCtx, s []uint64) { panic(sys.NewExitError(uint32(s[0]))) },
		"error#[resource-drop]error":                  drop,
		"poll#[resource-drop]pollable":                drop,
		"streams#[resource-drop]input-stream":         drop,
		"streams#[resource-drop]output-stream":        drop,
		"types#[resource-drop]descriptor":             drop,
		"types#[resource-drop]directory-entry-stream": drop,
		"poll#[method]pollable.ready": func(c abiCtx, s []uint64) {
			p := handleOf[*pollable](h, uint32(s[0]))
			s[0] = 0
			if time.Since(h.start) >= p.deadline {
				s[0] = 1
			}
		},
		"poll#poll": func(c abiCtx, s []uint64) {
			ptr, n, ret := uint32(s[0]), uint32(s[1]), uint32(s[2])
			if n == 0 {
				h.fault("poll of an empty list")
				panic("empty poll")
			}
			var ps []*pollable
			for i := uint32(0); i < n; i++ {
				ps = append(ps, handleOf[*pollable](h, c.getU32(ptr+4*i)))
			}
			earliest := ps[0].deadline
			for _, p := range ps {
				earliest = min(earliest, p.deadline)
			}
			if d := earliest - time.Since(h.start); d > 0 {
				time.Sleep(d)
			}
			var ready []uint32
			for i, p := range ps {
				if time.Since(h.start) >= p.deadline {
					ready = append(ready, uint32(i))
				}
			}
			arr := c.alloc(4, 4*uint32(len(ready)))
			for i, r := range ready {
				c.u32(arr+4*uint32(i), r)
			}
			c.u32(ret, arr)
			c.u32(ret+4, uint32(len(ready)))
		},
		"streams#[method]input-stream.blocking-read": func(c abiCtx, s []uint64) {
			handleOf[*inStream](h, uint32(s[0]))
			n, ret := s[1], uint32(s[2])
			if len(h.stdin) == 0 {
				c.u8(ret, 1)
				c.u8(ret+4, 1) // closed
				return
			}
			k := min(n, uint64(len(h.stdin)))
			p := c.bytes(h.stdin[:k])
			h.stdin = h.stdin[k:]
			c.u8(ret, 0)
			c.u32(ret+4, p)
			c.u32(ret+8, uint32(k))
		},
		"streams#[method]output-stream.blocking-write-and-flush": func(c abiCtx, s []uint64) {
			o := handleOf[*outStream](h, uint32(s[0]))
			p, n, ret := uint32(s[1]), uint32(s[2]), uint32(s[3])
			if n > 4096 {
				h.fault("blocking-write-and-flush of %d bytes (more than 4096)", n)
			}
			if h.writeError != 0 {
				c.u8(ret, 1)
				c.u8(ret+4, uint8(h.writeError-1))
				if h.writeError == 1 {
					c.u32(ret+8, h.newHandle(&ioError{}))
				}
				return
			}
			if h.discard {
				if _, ok := c.mem().Read(p, n); !ok {
					panic(fmt.Errorf("host read of %d bytes at %#x out of bounds", n, p))
				}
				h.written += int(n)
			} else {
				o.w.Write(c.read(p, n))
			}
			c.mem().WriteByte(ret, 0)
		},
		"streams#[method]input-stream.subscribe": func(c abiCtx, s []uint64) {
			handleOf[*inStream](h, uint32(s[0]))
			s[0] = uint64(h.newHandle(&pollable{}))
		},
		"streams#[method]output-stream.subscribe": func(c abiCtx, s []uint64) {
			handleOf[*outStream](h, uint32(s[0]))
			s[0] = uint64(h.newHandle(&pollable{}))
		},
		"stdin#get-stdin":            func(c abiCtx, s []uint64) { s[0] = uint64(h.newHandle(&inStream{})) },
		"stdout#get-stdout":          func(c abiCtx, s []uint64) { s[0] = uint64(h.newHandle(&outStream{&h.out})) },
		"stderr#get-stderr":          func(c abiCtx, s []uint64) { s[0] = uint64(h.newHandle(&outStream{&h.err})) },
		"monotonic-clock#now":        func(c abiCtx, s []uint64) { s[0] = uint64(time.Since(h.start)) },
		"monotonic-clock#resolution": func(c abiCtx, s []uint64) { s[0] = 1 },
		"monotonic-clock#subscribe-duration": func(c abiCtx, s []uint64) {
			s[0] = uint64(h.newHandle(&pollable{time.Since(h.start) + time.Duration(s[0])}))
		},
		"wall-clock#now": func(c abiCtx, s []uint64) {
			now := time.Now()
			c.u64(uint32(s[0]), uint64(now.Unix()))
			c.u32(uint32(s[0])+8, uint32(now.Nanosecond()))
		},
		"wall-clock#resolution": func(c abiCtx, s []uint64) {
			c.u64(uint32(s[0]), 0)
			c.u32(uint32(s[0])+8, 1000)
		},
		"random#get-random-bytes": func(c abiCtx, s []uint64) {
			b := make([]byte, s[0])
			for i := range b {
				b[i] = byte(i*7 + 1)
			}
			p := c.bytes(b)
			c.u32(uint32(s[1]), p)
			c.u32(uint32(s[1])+4, uint32(len(b)))
		},
		"preopens#get-directories": func(c abiCtx, s []uint64) {
			arr := c.alloc(4, 12*uint32(len(h.preopens)))
			for i, p := range h.preopens {
				e := arr + 12*uint32(i)
				c.u32(e, h.newHandle(&desc{p}))
				c.u32(e+4, c.bytes([]byte(p)))
				c.u32(e+8, uint32(len(p)))
			}
			c.u32(uint32(s[0]), arr)
			c.u32(uint32(s[0])+4, uint32(len(h.preopens)))
		},
		"types#[method]descriptor.get-type": func(c abiCtx, s []uint64) {
			d := handleOf[*desc](h, uint32(s[0]))
			c.u8(uint32(s[1]), 0)
			c.u8(uint32(s[1])+1, h.typeOf(d.path))
		},
		"types#[method]descriptor.set-size": func(c abiCtx, s []uint64) {
			d := handleOf[*desc](h, uint32(s[0]))
			b := h.files[d.path]
			if s[1] > 1<<20 {
				fsErr(c, uint32(s[2]), 23, 1) // insufficient-space
				return
			}
			if int(s[1]) <= len(b) {
				b = b[:s[1]]
			} else {
				b = append(b, make([]byte, int(s[1])-len(b))...)
			}
			h.files[d.path] = b
			c.u8(uint32(s[2]), 0)
		},
		"types#[method]descriptor.read": func(c abiCtx, s []uint64) {
			d := handleOf[*desc](h, uint32(s[0]))
			n, off, ret := s[1], s[2], uint32(s[3])
			b, ok := h.files[d.path]
			if !ok {
				fsErr(c, ret, 14, 4) // is-directory
				return
			}
			var chunk []byte
			if off < uint64(len(b)) {
				chunk = b[off:min(uint64(len(b)), off+n)]
			}
			p := c.bytes(chunk)
			c.u8(ret, 0)
			c.u32(ret+4, p)
			c.u32(ret+8, uint32(len(chunk)))
			eof := uint8(0)
			if off+uint64(len(chunk)) >= uint64(len(b)) {
				eof = 1
			}
			c.u8(ret+12, eof)
		},
		"types#[method]descriptor.write": func(c abiCtx, s []uint64) {
			d := handleOf[*desc](h, uint32(s[0]))
			data := c.read(uint32(s[1]), uint32(s[2]))
			off, ret := s[3], uint32(s[4])
			b, ok := h.files[d.path]
			if !ok {
				fsErr(c, ret, 14, 8)
				return
			}
			if off > 1<<20 {
				fsErr(c, ret, 8, 8) // file-too-large
				return
			}
			if end := off + uint64(len(data)); end > uint64(len(b)) {
				b = append(b, make([]byte, end-uint64(len(b)))...)
			}
			copy(b[off:], data)
			h.files[d.path] = b
			c.u8(ret, 0)
			c.u64(ret+8, uint64(len(data)))
		},
		"types#[method]descriptor.read-directory": func(c abiCtx, s []uint64) {
			d := handleOf[*desc](h, uint32(s[0]))
			ret := uint32(s[1])
			if !h.dirs[d.path] {
				fsErr(c, ret, 24, 4) // not-directory
				return
			}
			c.u8(ret, 0)
			c.u32(ret+4, h.newHandle(&dirStream{names: h.list(d.path)}))
		},
		"types#[method]directory-entry-stream.read-directory-entry": func(c abiCtx, s []uint64) {
			ds := handleOf[*dirStream](h, uint32(s[0]))
			ret := uint32(s[1])
			c.u8(ret, 0)
			if ds.i >= len(ds.names) {
				c.u8(ret+4, 0)
				return
			}
			full := ds.names[ds.i]
			ds.i++
			name := path.Base(full)
			c.u8(ret+4, 1)
			c.u8(ret+8, h.typeOf(full))
			c.u32(ret+12, c.bytes([]byte(name)))
			c.u32(ret+16, uint32(len(name)))
		},
		"types#[method]descriptor.sync-data": func(c abiCtx, s []uint64) { c.u8(uint32(s[1]), 0) },
		"types#[method]descriptor.sync":      func(c abiCtx, s []uint64) { c.u8(uint32(s[1]), 0) },
		"types#[method]descriptor.create-directory-at": func(c abiCtx, s []uint64) {
			p, ret := h.resolve(c, s[0], s[1], s[2]), uint32(s[3])
			if h.exists(p) {
				fsErr(c, ret, 7, 1) // exist
				return
			}
			h.dirs[p] = true
			c.u8(ret, 0)
		},
		"types#[method]descriptor.remove-directory-at": func(c abiCtx, s []uint64) {
			p, ret := h.resolve(c, s[0], s[1], s[2]), uint32(s[3])
			switch {
			case !h.exists(p):
				fsErr(c, ret, 20, 1)
			case !h.dirs[p]:
				fsErr(c, ret, 24, 1)
			case len(h.list(p)) > 0:
				fsErr(c, ret, 25, 1) // not-empty
			default:
				delete(h.dirs, p)
				c.u8(ret, 0)
			}
		},
		"types#[method]descriptor.unlink-file-at": func(c abiCtx, s []uint64) {
			p, ret := h.resolve(c, s[0], s[1], s[2]), uint32(s[3])
			switch {
			case h.unlinkError >= 0:
				fsErr(c, ret, uint8(h.unlinkError), 1)
			case h.dirs[p]:
				fsErr(c, ret, 14, 1)
			case !h.exists(p):
				fsErr(c, ret, 20, 1) // no-entry
			default:
				delete(h.files, p)
				c.u8(ret, 0)
			}
		},
		"types#[method]descriptor.rename-at": func(c abiCtx, s []uint64) {
			from := h.resolve(c, s[0], s[1], s[2])
			to := h.resolve(c, s[3], s[4], s[5])
			ret := uint32(s[6])
			b, ok := h.files[from]
			if !ok {
				fsErr(c, ret, 20, 1)
				return
			}
			delete(h.files, from)
			h.files[to] = b
			c.u8(ret, 0)
		},
		"types#[method]descriptor.set-times": func(c abiCtx, s []uint64) {
			d := handleOf[*desc](h, uint32(s[0]))
			h.times[d.path] = [2]string{newTimestamp(s[1:4]), newTimestamp(s[4:7])}
			c.u8(uint32(s[7]), 0)
		},
		"types#[method]descriptor.set-times-at": func(c abiCtx, s []uint64) {
			p := h.resolve(c, s[0], s[2], s[3])
			if !h.exists(p) {
				fsErr(c, uint32(s[10]), 20, 1)
				return
			}
			h.times[p] = [2]string{newTimestamp(s[4:7]), newTimestamp(s[7:10])}
			c.u8(uint32(s[10]), 0)
		},
		"types#[method]descriptor.link-at": func(c abiCtx, s []uint64) {
			from, to, ret := h.resolve(c, s[0], s[2], s[3]), h.resolve(c, s[4], s[5], s[6]), uint32(s[7])
			b, ok := h.files[from]
			switch {
			case !ok:
				fsErr(c, ret, 20, 1)
			case h.exists(to):
				fsErr(c, ret, 7, 1)
			default:
				h.files[to] = b
				c.u8(ret, 0)
			}
		},
		"types#[method]descriptor.symlink-at": func(c abiCtx, s []uint64) {
			target := string(c.read(uint32(s[1]), uint32(s[2])))
			p, ret := h.resolve(c, s[0], s[3], s[4]), uint32(s[5])
			if h.exists(p) {
				fsErr(c, ret, 7, 1)
				return
			}
			h.links[p] = target
			h.files[p] = nil
			c.u8(ret, 0)
		},
		"types#[method]descriptor.readlink-at": func(c abiCtx, s []uint64) {
			p, ret := h.resolve(c, s[0], s[1], s[2]), uint32(s[3])
			target, ok := h.links[p]
			if !ok {
				fsErr(c, ret, 12, 4) // invalid
				return
			}
			c.u8(ret, 0)
			c.u32(ret+4, c.bytes([]byte(target)))
			c.u32(ret+8, uint32(len(target)))
		},
		"types#[method]descriptor.metadata-hash": func(c abiCtx, s []uint64) {
			d := handleOf[*desc](h, uint32(s[0]))
			h.hash(c, d.path, uint32(s[1]))
		},
		"types#[method]descriptor.metadata-hash-at": func(c abiCtx, s []uint64) {
			h.hash(c, h.resolve(c, s[0], s[2], s[3]), uint32(s[4]))
		},
		"types#[method]descriptor.stat": func(c abiCtx, s []uint64) {
			d := handleOf[*desc](h, uint32(s[0]))
			h.stat(c, d.path, uint32(s[1]))
		},
		"types#[method]descriptor.stat-at": func(c abiCtx, s []uint64) {
			p := h.resolve(c, s[0], s[2], s[3])
			h.stat(c, p, uint32(s[4]))
		},
		"types#[method]descriptor.open-at": func(c abiCtx, s []uint64) {
			p := h.resolve(c, s[0], s[2], s[3])
			oflags, ret := s[4], uint32(s[6])
			switch {
			case oflags&4 != 0 && h.exists(p): // exclusive
				fsErr(c, ret, 7, 4)
				return
			case oflags&1 != 0 && !h.exists(p): // create
				h.files[p] = nil
			case !h.exists(p):
				fsErr(c, ret, 20, 4)
				return
			}
			if oflags&2 != 0 && !h.dirs[p] {
				fsErr(c, ret, 24, 4)
				return
			}
			if oflags&8 != 0 {
				h.files[p] = nil
			}
			c.u8(ret, 0)
			c.u32(ret+4, h.newHandle(&desc{p}))
		},
	}
	return m
}

// newTimestamp renders a flattened new-timestamp.
func newTimestamp(v []uint64) string {
	switch uint32(v[0]) {
	case 0:
		return "no-change"
	case 1:
		return "now"
	}
	return fmt.Sprintf("%d.%09d", v[1], uint32(v[2]))
}

func (h *fakeHost) exists(p string) bool {
	_, f := h.files[p]
	return f || h.dirs[p]
}

func (h *fakeHost) typeOf(p string) uint8 {
	if h.dirs[p] {
		return 3
	}
	return 6
}

// list returns the full paths directly inside dir, sorted.
func (h *fakeHost) list(dir string) []string {
	var out []string
	add := func(p string) {
		if p != dir && path.Dir(p) == dir {
			out = append(out, p)
		}
	}
	for p := range h.files {
		add(p)
	}
	for p := range h.dirs {
		add(p)
	}
	sort.Strings(out)
	return out
}

func (h *fakeHost) resolve(c abiCtx, d, p, n uint64) string {
	base := handleOf[*desc](h, uint32(d))
	return path.Join(base.path, string(c.read(uint32(p), uint32(n))))
}

// hash answers metadata-hash with a hash of the path (lower half) or
// no-entry.
func (h *fakeHost) hash(c abiCtx, p string, ret uint32) {
	if !h.exists(p) {
		c.u8(ret, 1)
		c.u8(ret+8, 20)
		return
	}
	f := fnv.New64a()
	f.Write([]byte(p))
	c.u8(ret, 0)
	c.u64(ret+8, f.Sum64())
	c.u64(ret+16, 0)
}

func (h *fakeHost) stat(c abiCtx, p string, ret uint32) {
	if !h.exists(p) {
		c.u8(ret, 1)
		c.u8(ret+8, 20)
		return
	}
	c.write(ret, make([]byte, 104))
	c.u8(ret+8, h.typeOf(p))
	c.u64(ret+16, 1)
	c.u64(ret+24, uint64(len(h.files[p])))
	c.u8(ret+56, 1) // modification time: 3 s 5 ns
	c.u64(ret+64, 3)
	c.u32(ret+72, 5)
}

// instantiate registers one wazero host module per imported interface.
func (h *fakeHost) instantiate(ctx context.Context, t testing.TB, r wazero.Runtime) {
	imports, err := hostImports()
	if err != nil {
		t.Fatal(err)
	}
	impls := h.funcs()
	byModule := map[string]wazero.HostModuleBuilder{}
	var order []string
	for _, im := range imports {
		b, ok := byModule[im.module]
		if !ok {
			b = r.NewHostModuleBuilder(im.module)
			byModule[im.module] = b
			order = append(order, im.module)
		}
		impl, ok := impls[im.alias]
		if !ok {
			t.Fatalf("fake host lacks %s", im.alias)
		}
		alias := im.alias
		fn := api.GoModuleFunc(func(ctx context.Context, mod api.Module, stack []uint64) {
			if !h.discard {
				h.calls[alias]++
			}
			impl(abiCtx{ctx, h, mod}, stack)
		})
		b.NewFunctionBuilder().WithGoModuleFunction(fn, valTypes(im.params), valTypes(im.results)).Export(im.field)
	}
	for _, name := range order {
		if _, err := byModule[name].Instantiate(ctx); err != nil {
			t.Fatal(err)
		}
	}
}
