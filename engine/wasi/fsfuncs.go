package wasi

import (
	"context"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/engine"
)

// descFunc is a descriptor method: the descriptor (self) and the rest of
// the arguments.
type descFunc func(ctx context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error)

// newTimestamp reads a new-timestamp: no-change is the zero time (which
// os.Chtimes leaves alone), now is the host's time.
func newTimestamp(v canonabi.Value) time.Time {
	switch v.Case() {
	case 1:
		return time.Now()
	case 2:
		p, _ := v.Payload()
		f := p.Elems()
		return time.Unix(int64(f[0].Uint()), int64(f[1].Uint()))
	}
	return time.Time{}
}

// fromStat turns a stat's outcome into ok(f(info)) or its error-code.
func fromStat(info fs.FileInfo, err error) func(f func(fs.FileInfo) canonabi.Value) (canonabi.Value, error) {
	return func(f func(fs.FileInfo) canonabi.Value) (canonabi.Value, error) {
		if err != nil {
			return fsFail(codeOf(err)), nil
		}
		return ok(f(info)), nil
	}
}

// descMethod makes f a host function whose first argument is the
// descriptor.
func (h *Host) descMethod(f descFunc) engine.HostFunc {
	return func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
		d, err := object[*descriptor](ctx, h, a[0])
		if err != nil {
			return unit, err
		}
		return f(ctx, d, a[1:])
	}
}

func (h *Host) filesystem() map[string]engine.HostFunc {
	other := func(ctx context.Context, v canonabi.Value) (*descriptor, error) {
		return object[*descriptor](ctx, h, v)
	}
	stream := func(ctx context.Context, d *descriptor, need uint32, s any) (canonabi.Value, error) {
		if d.file == nil {
			return fsFail(ecIsDirectory), nil
		}
		if d.flags&need == 0 {
			return fsFail(ecBadDescriptor), nil
		}
		name := "output-stream"
		if _, in := s.(*inputStream); in {
			name = "input-stream"
		}
		v, err := h.newResource(ctx, "wasi:io/streams", name, s)
		return ok(v), err
	}
	m := map[string]descFunc{
		"read-via-stream": func(ctx context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
			if d.file == nil {
				return fsFail(ecIsDirectory), nil
			}
			return stream(ctx, d, flagRead, &inputStream{r: io.NewSectionReader(d.file, int64(min(a[0].Uint(), 1<<62)), 1<<62)})
		},
		"write-via-stream": func(ctx context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
			if d.file == nil {
				return fsFail(ecIsDirectory), nil
			}
			return stream(ctx, d, flagWrite, &outputStream{w: io.NewOffsetWriter(d.file, int64(min(a[0].Uint(), 1<<62)))})
		},
		"append-via-stream": func(ctx context.Context, d *descriptor, _ []canonabi.Value) (canonabi.Value, error) {
			return stream(ctx, d, flagWrite, &outputStream{w: appendWriter{d}})
		},
		"advise": func(context.Context, *descriptor, []canonabi.Value) (canonabi.Value, error) {
			return okUnit(), nil
		},
		"sync-data": func(_ context.Context, d *descriptor, _ []canonabi.Value) (canonabi.Value, error) {
			return fsUnit(d.sync())
		},
		"sync": func(_ context.Context, d *descriptor, _ []canonabi.Value) (canonabi.Value, error) {
			return fsUnit(d.sync())
		},
		"get-flags": func(_ context.Context, d *descriptor, _ []canonabi.Value) (canonabi.Value, error) {
			return ok(canonabi.FlagsValue(d.flags)), nil
		},
		"get-type": func(_ context.Context, d *descriptor, _ []canonabi.Value) (canonabi.Value, error) {
			return fromStat(d.stat())(func(info fs.FileInfo) canonabi.Value {
				return canonabi.EnumValue(descriptorType(info.Mode()))
			})
		},
		"set-size": func(_ context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
			if d.file == nil {
				return fsFail(ecIsDirectory), nil
			}
			if d.flags&flagWrite == 0 {
				return fsFail(ecBadDescriptor), nil
			}
			return fsUnit(d.file.Truncate(int64(min(a[0].Uint(), 1<<62))))
		},
		"set-times": func(_ context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
			return fsUnit(d.setTimes(newTimestamp(a[0]), newTimestamp(a[1])))
		},
		"read": func(_ context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
			b, eof, err := d.read(a[0].Uint(), a[1].Uint())
			return fsResult(canonabi.TupleValue(canonabi.BytesValue(b), canonabi.BoolValue(eof)), err)
		},
		"write": func(_ context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
			n, err := d.write(readOnlyBytes(a[0]), a[1].Uint())
			return fsResult(canonabi.U64Value(uint64(n)), err)
		},
		"read-directory": func(ctx context.Context, d *descriptor, _ []canonabi.Value) (canonabi.Value, error) {
			entries, err := d.readDir()
			if err != nil {
				return fsFail(codeOf(err)), nil
			}
			v, err := h.newResource(ctx, "wasi:filesystem/types", "directory-entry-stream", &dirStream{entries: entries})
			return ok(v), err
		},
		"create-directory-at": func(_ context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
			r, err := d.mutable(a[0].Str())
			if err == nil {
				err = r.Mkdir(a[0].Str(), 0o777)
			}
			return fsUnit(err)
		},
		"stat": func(_ context.Context, d *descriptor, _ []canonabi.Value) (canonabi.Value, error) {
			return fromStat(d.stat())(descriptorStat)
		},
		"stat-at": func(_ context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
			return fromStat(d.statAt(a[0].Flags(), a[1].Str()))(descriptorStat)
		},
		"set-times-at": func(_ context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
			r, err := d.mutable(a[1].Str())
			if err == nil {
				err = r.Chtimes(a[1].Str(), newTimestamp(a[2]), newTimestamp(a[3]))
			}
			return fsUnit(err)
		},
		"link-at": func(ctx context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
			nd, err := other(ctx, a[2])
			if err != nil {
				return unit, err
			}
			return fsUnit(twoPaths(d, a[1].Str(), nd, a[3].Str(), (*os.Root).Link))
		},
		"open-at": func(ctx context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
			nd, err := d.openAt(a[0].Flags(), a[1].Str(), a[2].Flags(), a[3].Flags())
			if err != nil {
				return fsFail(codeOf(err)), nil
			}
			v, err := h.newResource(ctx, "wasi:filesystem/types", "descriptor", nd)
			return ok(v), err
		},
		"readlink-at": func(_ context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
			r, err := d.dir()
			if err == nil {
				err = checkPath(a[0].Str())
			}
			if err != nil {
				return fsFail(codeOf(err)), nil
			}
			target, err := r.Readlink(a[0].Str())
			return fsResult(canonabi.StringValue(target), err)
		},
		"remove-directory-at": func(_ context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
			return fsUnit(d.removeAt(a[0].Str(), true))
		},
		"rename-at": func(ctx context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
			nd, err := other(ctx, a[1])
			if err != nil {
				return unit, err
			}
			return fsUnit(twoPaths(d, a[0].Str(), nd, a[2].Str(), (*os.Root).Rename))
		},
		"symlink-at": func(_ context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
			r, err := d.mutable(a[1].Str())
			if err == nil {
				err = checkPath(a[0].Str()) // a link to an absolute path could never be followed
			}
			if err == nil {
				err = r.Symlink(a[0].Str(), a[1].Str())
			}
			return fsUnit(err)
		},
		"unlink-file-at": func(_ context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
			return fsUnit(d.removeAt(a[0].Str(), false))
		},
		"is-same-object": func(ctx context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
			o, err := other(ctx, a[0])
			if err != nil {
				return unit, err
			}
			i1, err1 := d.stat()
			i2, err2 := o.stat()
			return canonabi.BoolValue(err1 == nil && err2 == nil && os.SameFile(i1, i2)), nil
		},
		"metadata-hash": func(_ context.Context, d *descriptor, _ []canonabi.Value) (canonabi.Value, error) {
			return fromStat(d.stat())(metadataHash)
		},
		"metadata-hash-at": func(_ context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
			return fromStat(d.statAt(a[0].Flags(), a[1].Str()))(metadataHash)
		},
	}
	funcs := map[string]engine.HostFunc{
		"[method]directory-entry-stream.read-directory-entry": func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
			s, err := object[*dirStream](ctx, h, a[0])
			if err != nil {
				return unit, err
			}
			if len(s.entries) == 0 {
				return ok(none()), nil
			}
			e := s.entries[0]
			s.entries = s.entries[1:]
			return ok(canonabi.SomeValue(canonabi.RecordValue(
				canonabi.EnumValue(descriptorType(e.Type())), canonabi.StringValue(e.Name())))), nil
		},
		"filesystem-error-code": func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
			e, err := object[*ioError](ctx, h, a[0])
			if err != nil {
				return unit, err
			}
			if _, isPath := e.err.(*os.PathError); !isPath {
				return none(), nil
			}
			return canonabi.SomeValue(canonabi.EnumValue(uint32(codeOf(e.err)))), nil
		},
	}
	for name, f := range m {
		funcs["[method]descriptor."+name] = h.descMethod(f)
	}
	return funcs
}

func (h *Host) preopensFuncs() map[string]engine.HostFunc {
	return map[string]engine.HostFunc{"get-directories": h.getDirectories(h.newResource)}
}

// getDirectories lists the preopens as descriptors made by newRes.
func (h *Host) getDirectories(newRes func(ctx context.Context, iface, name string, obj any) (canonabi.Value, error)) engine.HostFunc {
	return func(ctx context.Context, _ []canonabi.Value) (canonabi.Value, error) {
		dirs := make([]canonabi.Value, len(h.preopens))
		for i, d := range h.preopens {
			v, err := newRes(ctx, "wasi:filesystem/types", "descriptor", d)
			if err != nil {
				return unit, err
			}
			dirs[i] = canonabi.TupleValue(v, canonabi.StringValue(h.cfg.Preopens[i].Guest))
		}
		return canonabi.ListValue(dirs...), nil
	}
}
