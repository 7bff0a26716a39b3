package canonabi

import (
	"fmt"
	"unsafe"

	"github.com/witgo/witgo/wit"
)

// StringEncoding is the canonopt string-encoding.
type StringEncoding uint8

const (
	UTF8 StringEncoding = iota
	UTF16
	Latin1UTF16 // latin1+utf16
)

func (e StringEncoding) String() string {
	switch e {
	case UTF16:
		return "utf16"
	case Latin1UTF16:
		return "latin1+utf16"
	}
	return "utf8"
}

// utf16Tag marks a latin1+utf16 string length as UTF-16 (utf16_tag).
const utf16Tag = 1 << 31

// Context is what lifting and lowering values needs: the guest's memory and
// realloc, its string encoding and, optionally, its handle table.
type Context struct {
	Memory   Memory
	Encoding StringEncoding
	// Handles transfers own/borrow/future/stream/error-context handles; when
	// nil, handle values pass through as the raw i32 index.
	Handles HandleTable
	// Alias makes lifted byte lists and UTF-8 strings refer to the memory's
	// bytes instead of copies. Such values are valid only until the memory
	// is next written or grown: for a host that lowers them elsewhere at
	// once (a cross-component call), it saves a copy.
	Alias bool
}

// keep returns b as a string, copied unless the context aliases memory.
func (cx *Context) keep(b []byte) string {
	if cx.Alias && len(b) > 0 {
		return unsafe.String(&b[0], len(b))
	}
	return string(b)
}

// HandleTable moves handles across the boundary. typ is the own, borrow,
// future, stream or error-context type. Lift turns the guest's index into
// the Value's handle (for own, removing it from the guest's table); Lower
// turns a Value's handle into a new index in the guest's table.
type HandleTable interface {
	LiftHandle(k Kind, typ wit.Type, index uint32) (uint32, error)
	LowerHandle(k Kind, typ wit.Type, handle uint32) (uint32, error)
}

// Trap is the error for every dynamic failure the spec calls a trap: an
// out-of-bounds or misaligned pointer, a bad discriminant, an invalid char
// or string, a value that does not match its type.
type Trap struct{ Reason string }

func (t *Trap) Error() string { return "canonabi: trap: " + t.Reason }

func trapf(format string, args ...any) error {
	return &Trap{Reason: fmt.Sprintf(format, args...)}
}

func (cx *Context) liftHandle(sh *shape, i uint32) (Value, error) {
	if cx.Handles != nil {
		h, err := cx.Handles.LiftHandle(sh.kind, sh.typ, i)
		if err != nil {
			return Value{}, err
		}
		i = h
	}
	return HandleValue(sh.kind, i), nil
}

func (cx *Context) lowerHandle(sh *shape, v Value) (uint32, error) {
	if cx.Handles != nil {
		return cx.Handles.LowerHandle(sh.kind, sh.typ, v.Handle())
	}
	return v.Handle(), nil
}

// read returns n bytes at ptr, which must be aligned to align.
func (cx *Context) read(ptr, n, align uint32) ([]byte, error) {
	if cx.Memory == nil {
		return nil, trapf("no memory to read %d bytes at %#x", n, ptr)
	}
	if ptr%align != 0 {
		return nil, trapf("pointer %#x is not aligned to %d", ptr, align)
	}
	b, ok := cx.Memory.Read(ptr, n)
	if !ok {
		return nil, trapf("%d bytes at %#x are out of bounds", n, ptr)
	}
	return b, nil
}

// allocate calls realloc for a new block and checks what it returns.
func (cx *Context) allocate(align, size uint32) (uint32, error) {
	return cx.reallocate(0, 0, align, size)
}

func (cx *Context) reallocate(old, oldSize, align, size uint32) (uint32, error) {
	if cx.Memory == nil {
		return 0, trapf("no memory to allocate %d bytes", size)
	}
	ptr, err := cx.Memory.Realloc(old, oldSize, align, size)
	if err != nil {
		return 0, err
	}
	if ptr%align != 0 {
		return 0, trapf("realloc returned %#x, not aligned to %d", ptr, align)
	}
	if _, ok := cx.Memory.Read(ptr, size); !ok {
		return 0, trapf("realloc returned %#x, %d bytes from it are out of bounds", ptr, size)
	}
	return ptr, nil
}

func (cx *Context) write(ptr uint32, b []byte) error {
	if !cx.Memory.Write(ptr, b) {
		return trapf("%d bytes at %#x are out of bounds", len(b), ptr)
	}
	return nil
}
