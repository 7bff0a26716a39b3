package wasi

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"time"
)

// descriptor-flags bits.
const (
	flagRead   = 1 << 0
	flagWrite  = 1 << 1
	flagMutate = 1 << 5
)

// open-flags and path-flags bits.
const (
	openCreate    = 1 << 0
	openDirectory = 1 << 1
	openExclusive = 1 << 2
	openTruncate  = 1 << 3
	symlinkFollow = 1 << 0
)

// descriptor is a wasi:filesystem descriptor. A directory is an os.Root,
// so no path resolved from it can leave it (not through "..", absolute
// paths or symlinks): that is the capability a guest was granted. A file
// remembers the directory and path it was opened from, for set-times.
type descriptor struct {
	root   *os.Root // directories
	file   *os.File // regular files (and anything else not a directory)
	parent *os.Root // the directory a file was opened in
	path   string   // the file's path in parent
	flags  uint32
	shared bool // a preopen: the Host closes it
}

func (d *descriptor) close() {
	if d.shared {
		return
	}
	if d.root != nil {
		d.root.Close()
	}
	if d.file != nil {
		d.file.Close()
	}
}

func openPreopen(p Preopen) (*descriptor, error) {
	r, err := os.OpenRoot(p.Host)
	if err != nil {
		return nil, err
	}
	flags := uint32(flagRead)
	if p.Writable {
		flags |= flagMutate
	}
	return &descriptor{root: r, flags: flags, shared: true}, nil
}

func errCode(c errorCode) error { return fsError{c} }

// dir returns the descriptor's directory, or not-directory.
func (d *descriptor) dir() (*os.Root, error) {
	if d.root == nil {
		return nil, errCode(ecNotDirectory)
	}
	return d.root, nil
}

// checkPath refuses absolute paths before the OS sees them: a guest path
// is always relative to its descriptor.
func checkPath(p string) error {
	if path.IsAbs(p) {
		return errCode(ecNotPermitted)
	}
	return nil
}

// mutable returns the directory if the guest may change it.
func (d *descriptor) mutable(p string) (*os.Root, error) {
	r, err := d.dir()
	if err != nil {
		return nil, err
	}
	if err := checkPath(p); err != nil {
		return nil, err
	}
	if d.flags&flagMutate == 0 {
		return nil, errCode(ecNotPermitted)
	}
	return r, nil
}

func (d *descriptor) stat() (fs.FileInfo, error) {
	if d.root != nil {
		return d.root.Stat(".")
	}
	return d.file.Stat()
}

// statAt stats path in directory d, following a final symlink if asked.
func (d *descriptor) statAt(pflags uint32, p string) (fs.FileInfo, error) {
	r, err := d.dir()
	if err != nil {
		return nil, err
	}
	if err := checkPath(p); err != nil {
		return nil, err
	}
	if pflags&symlinkFollow != 0 {
		return r.Stat(p)
	}
	return r.Lstat(p)
}

// openAt opens p in directory d as open-at does. The new descriptor never
// has rights its parent lacks: writing needs a writable preopen.
func (d *descriptor) openAt(pflags uint32, p string, oflags, dflags uint32) (*descriptor, error) {
	r, err := d.dir()
	if err != nil {
		return nil, err
	}
	if err := checkPath(p); err != nil {
		return nil, err
	}
	wantsWrite := dflags&(flagWrite|flagMutate) != 0 || oflags&(openCreate|openTruncate) != 0
	if wantsWrite && d.flags&flagMutate == 0 {
		return nil, errCode(ecNotPermitted)
	}
	info, statErr := d.statAt(pflags, p)
	if statErr == nil && info.Mode()&fs.ModeSymlink != 0 {
		return nil, errCode(ecLoop) // a final symlink without symlink-follow
	}
	if statErr == nil && info.IsDir() {
		if oflags&(openCreate|openExclusive) == openCreate|openExclusive {
			return nil, errCode(ecExist)
		}
		if dflags&flagWrite != 0 || oflags&openTruncate != 0 {
			return nil, errCode(ecIsDirectory)
		}
		sub, err := r.OpenRoot(p)
		if err != nil {
			return nil, err
		}
		// As in wasmtime, a directory inherits its parent's mutate right.
		return &descriptor{root: sub, flags: dflags&flagRead | d.flags&flagMutate}, nil
	}
	if oflags&openDirectory != 0 {
		if statErr == nil {
			return nil, errCode(ecNotDirectory)
		}
		if oflags&openCreate != 0 {
			return nil, errCode(ecInvalid)
		}
		return nil, statErr
	}
	mode := os.O_RDONLY
	switch {
	case dflags&flagRead != 0 && dflags&flagWrite != 0:
		mode = os.O_RDWR
	case dflags&flagWrite != 0:
		mode = os.O_WRONLY
	}
	if oflags&openCreate != 0 {
		mode |= os.O_CREATE
	}
	if oflags&openExclusive != 0 {
		mode |= os.O_EXCL
	}
	if oflags&openTruncate != 0 {
		mode |= os.O_TRUNC
	}
	f, err := r.OpenFile(p, mode, 0o666)
	if err != nil {
		return nil, err
	}
	return &descriptor{file: f, parent: r, path: p, flags: dflags &^ flagMutate}, nil
}

// read reads up to n bytes at off; eof reports the end of the file.
func (d *descriptor) read(n, off uint64) ([]byte, bool, error) {
	if d.file == nil {
		return nil, false, errCode(ecIsDirectory)
	}
	if d.flags&flagRead == 0 {
		return nil, false, errCode(ecBadDescriptor)
	}
	if off > 1<<62 {
		return nil, true, nil
	}
	buf := make([]byte, min(n, maxChunk))
	got, err := d.file.ReadAt(buf, int64(off))
	if errors.Is(err, io.EOF) {
		return buf[:got], true, nil
	}
	return buf[:got], false, err
}

func (d *descriptor) write(b []byte, off uint64) (int, error) {
	if d.file == nil {
		return 0, errCode(ecIsDirectory)
	}
	if d.flags&flagWrite == 0 {
		return 0, errCode(ecBadDescriptor)
	}
	if off > 1<<62 {
		return 0, errCode(ecFileTooLarge)
	}
	return d.file.WriteAt(b, int64(off))
}

// setTimes changes the file's or directory's times; a zero time leaves
// one unchanged.
func (d *descriptor) setTimes(atime, mtime time.Time) error {
	if d.root != nil {
		return d.root.Chtimes(".", atime, mtime)
	}
	if d.flags&flagWrite == 0 {
		return errCode(ecBadDescriptor)
	}
	return d.parent.Chtimes(d.path, atime, mtime)
}

func (d *descriptor) sync() error {
	if d.file == nil {
		return nil
	}
	return d.file.Sync()
}

// dirStream is a directory-entry-stream: the entries, read at once.
type dirStream struct{ entries []fs.DirEntry }

func (d *descriptor) readDir() ([]fs.DirEntry, error) {
	r, err := d.dir()
	if err != nil {
		return nil, err
	}
	if d.flags&flagRead == 0 {
		return nil, errCode(ecBadDescriptor)
	}
	f, err := r.Open(".")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ReadDir(-1)
}

// removeAt removes a directory (dir) or anything else at p.
func (d *descriptor) removeAt(p string, dir bool) error {
	r, err := d.mutable(p)
	if err != nil {
		return err
	}
	info, err := r.Lstat(p)
	if err != nil {
		return err
	}
	switch {
	case dir && !info.IsDir():
		return errCode(ecNotDirectory)
	case !dir && info.IsDir():
		return errCode(ecIsDirectory)
	}
	return r.Remove(p)
}

// twoPaths runs a rename or link from p1 in d to p2 in nd. os.Root works
// within one root, so the two must be the same directory descriptor.
func twoPaths(d *descriptor, p1 string, nd *descriptor, p2 string, op func(*os.Root, string, string) error) error {
	r, err := d.mutable(p1)
	if err != nil {
		return err
	}
	r2, err := nd.mutable(p2)
	if err != nil {
		return err
	}
	if r != r2 {
		return errCode(ecCrossDevice)
	}
	return op(r, p1, p2)
}

// appendWriter writes at the end of the file, as append-via-stream does.
type appendWriter struct{ d *descriptor }

func (w appendWriter) Write(b []byte) (int, error) {
	info, err := w.d.file.Stat()
	if err != nil {
		return 0, err
	}
	return w.d.file.WriteAt(b, info.Size())
}
