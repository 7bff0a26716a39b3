package wasi

import (
	"context"
	"errors"
	"io"
	"io/fs"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/engine"
)

// wasi:filesystem@0.3.0 over the same descriptors (os.Root sandbox,
// rights, error mapping) as 0.2. What changed in the WIT: error-code is
// a variant without would-block (so case n of 0.2 is n-1 from already
// on, and it gained other(option<string>)); descriptor-type lost unknown
// for other(option<string>) at the end; timestamps are instants with
// signed seconds; file streams are stream<u8> with a future of the
// outcome; read-directory is a stream of directory-entry; the rest are
// async functions with 0.2's meaning.

// code3 is the 0.3 error-code of a 0.2 one.
func code3(c errorCode) canonabi.Value {
	n := uint32(c)
	if n >= 2 { // 0.2's would-block (1) is gone
		n--
	}
	return canonabi.VariantValue(n, nil)
}

func fsFail3(c errorCode) canonabi.Value { return fail(code3(c)) }

// to3 rewrites a 0.2 result whose error is an error-code enum for 0.3;
// ok payloads pass unchanged (callers use it only where they agree).
func to3(v canonabi.Value, err error) (canonabi.Value, error) {
	if err != nil || v.Kind() != canonabi.KindResult || v.Case() != 1 {
		return v, err
	}
	p, _ := v.Payload()
	return fsFail3(errorCode(p.Uint())), nil
}

// descriptorType3 is descriptor-type: 0.2's cases one lower, and
// other(none) for what 0.2 called unknown.
func descriptorType3(m fs.FileMode) canonabi.Value {
	t := descriptorType(m)
	if t == typeUnknown {
		n := none()
		return canonabi.VariantValue(7, &n)
	}
	return canonabi.VariantValue(t-1, nil)
}

func someInstant(s hostStat, ok bool, pick func(hostStat) canonabi.Value) canonabi.Value {
	if !ok {
		return none()
	}
	return canonabi.SomeValue(pick(s))
}

// descriptorStat3 is 0.3's descriptor-stat of info.
func descriptorStat3(info fs.FileInfo) canonabi.Value {
	st, ok := sysStat(info)
	links := uint64(1)
	if ok {
		links = st.links
	}
	return canonabi.RecordValue(
		descriptorType3(info.Mode()),
		canonabi.U64Value(links),
		canonabi.U64Value(uint64(info.Size())),
		someInstant(st, ok, func(s hostStat) canonabi.Value { return instant(s.atime) }),
		canonabi.SomeValue(instant(info.ModTime())),
		someInstant(st, ok, func(s hostStat) canonabi.Value { return instant(s.ctime) }),
	)
}

// stat3 is ok(f(info)) or the error-code of err.
func stat3(info fs.FileInfo, err error, f func(fs.FileInfo) canonabi.Value) (canonabi.Value, error) {
	if err != nil {
		return fsFail3(codeOf(err)), nil
	}
	return ok(f(info)), nil
}

// sameIn02 are the descriptor methods whose 0.2 implementation answers
// 0.3 too once its error-code is rewritten (their ok payloads did not
// change).
var sameIn02 = []string{
	"advise", "sync-data", "sync", "get-flags", "set-size", "set-times",
	"create-directory-at", "set-times-at", "link-at", "readlink-at",
	"remove-directory-at", "rename-at", "symlink-at", "unlink-file-at",
	"is-same-object", "metadata-hash", "metadata-hash-at",
}

func (h *Host) filesystem3() map[string]engine.HostFunc {
	old := h.filesystem()
	funcs := map[string]engine.HostFunc{}
	for _, name := range sameIn02 {
		f := old["[method]descriptor."+name]
		funcs["[method]descriptor."+name] = func(ctx context.Context, a []canonabi.Value) (canonabi.Value, error) {
			return to3(f(ctx, a))
		}
	}
	m := map[string]descFunc{
		"get-type": func(_ context.Context, d *descriptor, _ []canonabi.Value) (canonabi.Value, error) {
			info, err := d.stat()
			return stat3(info, err, func(i fs.FileInfo) canonabi.Value { return descriptorType3(i.Mode()) })
		},
		"stat": func(_ context.Context, d *descriptor, _ []canonabi.Value) (canonabi.Value, error) {
			info, err := d.stat()
			return stat3(info, err, descriptorStat3)
		},
		"stat-at": func(_ context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
			info, err := d.statAt(a[0].Flags(), a[1].Str())
			return stat3(info, err, descriptorStat3)
		},
		"open-at": func(ctx context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
			nd, err := d.openAt(a[0].Flags(), a[1].Str(), a[2].Flags(), a[3].Flags())
			if err != nil {
				return fsFail3(codeOf(err)), nil
			}
			v, err := h.newResource3(ctx, "wasi:filesystem/types", "descriptor", nd)
			return ok(v), err
		},
		"read-via-stream":   h.fileReadViaStream,
		"write-via-stream":  h.fileWriteViaStream,
		"append-via-stream": h.fileAppendViaStream,
		"read-directory":    h.readDirectory3,
	}
	for name, f := range m {
		funcs["[method]descriptor."+name] = h.descMethod(f)
	}
	return funcs
}

func (h *Host) preopens3() map[string]engine.HostFunc {
	return map[string]engine.HostFunc{"get-directories": h.getDirectories(h.newResource3)}
}

// fileReadViaStream streams the file from offset; the future is ok at
// the end of the file or once the guest dropped the stream, else the
// read's error-code. A descriptor that cannot be read gives an ended
// stream and the error at once.
func (h *Host) fileReadViaStream(ctx context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
	out, v, err := newStreamOut(ctx)
	if err != nil {
		return unit, err
	}
	var src io.Reader
	switch {
	case d.file == nil:
		err = errCode(ecIsDirectory)
	case d.flags&flagRead == 0:
		err = errCode(ecBadDescriptor)
	default:
		src = io.NewSectionReader(d.file, int64(min(a[0].Uint(), 1<<62)), 1<<62)
	}
	h.goBackground(func(ctx context.Context) {
		if err == nil {
			err = feed(out.sw, src)
		}
		if err != nil {
			out.result = fsFail3(codeOf(err))
		}
		out.finish(ctx, h)
	})
	return v, nil
}

// feed copies src into the guest's stream until src ends or the guest
// drops the stream (both fine); only a failed read is an error.
func feed(w io.Writer, src io.Reader) error {
	bp := chunkPool.Get().(*[]byte)
	defer chunkPool.Put(bp)
	buf := *bp
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return nil
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func (h *Host) fileWriteViaStream(ctx context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
	return h.fileSink(ctx, d, a[0], func() io.Writer { return io.NewOffsetWriter(d.file, int64(min(a[1].Uint(), 1<<62))) })
}

func (h *Host) fileAppendViaStream(ctx context.Context, d *descriptor, a []canonabi.Value) (canonabi.Value, error) {
	return h.fileSink(ctx, d, a[0], func() io.Writer { return appendWriter{d} })
}

// fileSink writes the guest's stream into the file through the writer
// dst makes; the future is ok once the guest dropped its end and all was
// written, or the error-code of the failed write (the host then drops
// the stream). Flush waits for it, as for stdout.
func (h *Host) fileSink(ctx context.Context, d *descriptor, data canonabi.Value, dst func() io.Writer) (canonabi.Value, error) {
	r, fw, fv, err := takeStream(ctx, data)
	if err != nil {
		return unit, err
	}
	switch {
	case d.file == nil:
		err = errCode(ecIsDirectory)
	case d.flags&flagWrite == 0:
		err = errCode(ecBadDescriptor)
	}
	h.goPump(func(ctx context.Context) {
		if err == nil {
			err = h.copyStream(dst(), noLock{}, r)
		}
		r.Close()
		result := okUnit()
		if err != nil {
			result = fsFail3(codeOf(err))
		}
		resolve(ctx, fw, result)
	})
	return fv, nil
}

// noLock is a sync.Locker for a writer only one copy uses.
type noLock struct{}

func (noLock) Lock()   {}
func (noLock) Unlock() {}

// readDirectory3 streams the directory's entries (read at once, as 0.2
// does); the future carries a failure to read the directory.
func (h *Host) readDirectory3(ctx context.Context, d *descriptor, _ []canonabi.Value) (canonabi.Value, error) {
	out, v, err := newStreamOut(ctx)
	if err != nil {
		return unit, err
	}
	entries, err := d.readDir()
	h.goBackground(func(ctx context.Context) {
		if err != nil {
			out.result = fsFail3(codeOf(err))
		} else {
			vs := make([]canonabi.Value, len(entries))
			for i, e := range entries {
				vs[i] = canonabi.RecordValue(descriptorType3(e.Type()), canonabi.StringValue(e.Name()))
			}
			_, _ = out.sw.WriteValues(ctx, vs) // a guest that drops the stream early wants no more
		}
		out.finish(ctx, h)
	})
	return v, nil
}
