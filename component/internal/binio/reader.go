package binio

import (
	"fmt"
	"unicode/utf8"
)

// Reader reads a byte slice front to back. Base is the absolute offset of
// buf[0] in the outermost input, so errors point into the original file.
type Reader struct {
	buf     []byte
	pos     int
	Base    int
	Context string
}

// NewReader returns a reader over b whose first byte is at absolute offset base.
func NewReader(b []byte, base int) *Reader { return &Reader{buf: b, Base: base} }

// Offset is the absolute offset of the next byte.
func (r *Reader) Offset() int { return r.Base + r.pos }

// Pos is the offset of the next byte relative to the reader's start.
func (r *Reader) Pos() int { return r.pos }

// Len is the number of unread bytes.
func (r *Reader) Len() int { return len(r.buf) - r.pos }

// EOF reports whether all bytes were read.
func (r *Reader) EOF() bool { return r.pos >= len(r.buf) }

// Errorf builds an Error at the current offset.
func (r *Reader) Errorf(format string, args ...any) *Error {
	return &Error{Offset: r.Offset(), Context: r.Context, Msg: fmt.Sprintf(format, args...)}
}

// ErrorAt builds an Error at an absolute offset.
func (r *Reader) ErrorAt(off int, format string, args ...any) *Error {
	return &Error{Offset: off, Context: r.Context, Msg: fmt.Sprintf(format, args...)}
}

func (r *Reader) eof(what string) *Error {
	return r.Errorf("unexpected end of input, expected %s", what)
}

// Byte reads one byte.
func (r *Reader) Byte() (byte, error) {
	if r.pos >= len(r.buf) {
		return 0, r.eof("a byte")
	}
	b := r.buf[r.pos]
	r.pos++
	return b, nil
}

// Peek returns the next byte without consuming it.
func (r *Reader) Peek() (byte, error) {
	if r.pos >= len(r.buf) {
		return 0, r.eof("a byte")
	}
	return r.buf[r.pos], nil
}

// Bytes reads n bytes and returns a sub-slice of the input (not a copy).
func (r *Reader) Bytes(n int) ([]byte, error) {
	if n < 0 || n > r.Len() {
		return nil, r.Errorf("unexpected end of input, expected %d bytes, %d remain", n, r.Len())
	}
	b := r.buf[r.pos : r.pos+n : r.pos+n]
	r.pos += n
	return b, nil
}

// Tail returns the unread bytes without consuming them.
func (r *Reader) Tail() []byte { return r.buf[r.pos:] }

// Rest returns all unread bytes.
func (r *Reader) Rest() []byte {
	b := r.buf[r.pos:]
	r.pos = len(r.buf)
	return b
}

// U32 reads an unsigned LEB128 of at most 32 bits.
func (r *Reader) U32() (uint32, error) {
	if r.pos < len(r.buf) && r.buf[r.pos] < 0x80 { // the common one-byte case
		r.pos++
		return uint32(r.buf[r.pos-1]), nil
	}
	v, err := r.uleb(32)
	return uint32(v), err
}

// U32Width reads an unsigned LEB128 u32 and also returns how many bytes it used.
func (r *Reader) U32Width() (uint32, int, error) {
	start := r.pos
	v, err := r.uleb(32)
	return uint32(v), r.pos - start, err
}

// U64 reads an unsigned LEB128 of at most 64 bits.
func (r *Reader) U64() (uint64, error) { return r.uleb(64) }

func (r *Reader) uleb(bits uint) (uint64, error) {
	var v uint64
	var shift uint
	start := r.Offset()
	for {
		if r.pos >= len(r.buf) {
			return 0, r.eof("a LEB128 integer")
		}
		b := r.buf[r.pos]
		r.pos++
		if shift+7 >= bits && b>>(bits-shift) != 0 && shift < bits {
			// High bits beyond the integer's width must be zero; a
			// continuation bit there means the encoding is too long.
			if b&0x80 != 0 {
				return 0, r.ErrorAt(start, "invalid LEB128: integer representation too long")
			}
			return 0, r.ErrorAt(start, "invalid LEB128: integer too large")
		}
		v |= uint64(b&0x7f) << shift
		if b&0x80 == 0 {
			return v, nil
		}
		shift += 7
		if shift >= bits {
			return 0, r.ErrorAt(start, "invalid LEB128: integer representation too long")
		}
	}
}

// S33 reads a signed LEB128 of at most 33 bits (block and value types).
func (r *Reader) S33() (int64, error) { return r.sleb(33) }

// S32 reads a signed LEB128 of at most 32 bits.
func (r *Reader) S32() (int32, error) {
	v, err := r.sleb(32)
	return int32(v), err
}

// S64 reads a signed LEB128 of at most 64 bits.
func (r *Reader) S64() (int64, error) { return r.sleb(64) }

func (r *Reader) sleb(bits uint) (int64, error) {
	var v int64
	var shift uint
	start := r.Offset()
	for {
		if r.pos >= len(r.buf) {
			return 0, r.eof("a LEB128 integer")
		}
		b := r.buf[r.pos]
		r.pos++
		if shift+7 >= bits {
			// Last permitted byte: no continuation, and the unused high
			// bits must be a sign extension of the top used bit.
			if b&0x80 != 0 {
				return 0, r.ErrorAt(start, "invalid LEB128: integer representation too long")
			}
			used := bits - shift // value bits carried by this byte
			if used < 7 {
				// Bits used-1..6 must all copy the sign bit.
				top := (b & 0x7f) >> (used - 1)
				if top != 0 && top != 0x7f>>(used-1) {
					return 0, r.ErrorAt(start, "invalid LEB128: integer too large")
				}
			}
		}
		v |= int64(b&0x7f) << shift
		shift += 7
		if b&0x80 == 0 {
			if shift < 64 && b&0x40 != 0 {
				v |= -1 << shift
			}
			return v, nil
		}
	}
}

// Count reads a vector length and checks that at least minSize*n bytes
// remain, so that callers can allocate n elements safely.
func (r *Reader) Count(minSize int) (int, error) {
	off := r.Offset()
	n, err := r.U32()
	if err != nil {
		return 0, err
	}
	if minSize < 1 {
		minSize = 1
	}
	if uint64(n)*uint64(minSize) > uint64(r.Len()) {
		return 0, r.ErrorAt(off, "count %d is larger than the %d bytes that remain", n, r.Len())
	}
	return int(n), nil
}

// Name reads a length-prefixed UTF-8 string.
func (r *Reader) Name() (string, error) {
	off := r.Offset()
	n, err := r.U32()
	if err != nil {
		return "", err
	}
	if int64(n) > int64(r.Len()) {
		return "", r.ErrorAt(off, "unexpected end of input, name of %d bytes but %d remain", n, r.Len())
	}
	b := r.buf[r.pos : r.pos+int(n)]
	if !utf8.Valid(b) {
		return "", r.ErrorAt(off, "malformed UTF-8 encoding in name")
	}
	r.pos += int(n)
	return string(b), nil
}

// Sub returns a reader over the next n bytes and skips them here.
func (r *Reader) Sub(n int) (*Reader, error) {
	off := r.Offset()
	b, err := r.Bytes(n)
	if err != nil {
		return nil, err
	}
	return &Reader{buf: b, Base: off, Context: r.Context}, nil
}

// Window returns n already-read bytes starting at relative position start.
func (r *Reader) Window(start, n int) []byte { return r.buf[start : start+n : start+n] }

// ReadVec reads a vector whose elements take at least minSize bytes each;
// the count is checked against the remaining bytes before allocating.
func ReadVec[T any](r *Reader, minSize int, read func(*Reader) (T, error)) ([]T, error) {
	n, err := r.Count(minSize)
	if err != nil {
		return nil, err
	}
	out := make([]T, n)
	for i := range out {
		if out[i], err = read(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SectionHeader is the id and size prefix of one section.
type SectionHeader struct {
	ID        byte
	Offset    int // absolute offset of the id byte
	SizeWidth int // bytes used by the size LEB128
}

// Sections calls fn for each section of the rest of r, with a reader over
// the section payload (valid only during the call); it checks that every
// payload is fully consumed.
func Sections(r *Reader, names []string, fn func(h SectionHeader, sr *Reader) error) error {
	sr := new(Reader) // one payload reader, reused for every section
	for !r.EOF() {
		off := r.Offset()
		id, _ := r.Byte()
		size, width, err := r.U32Width()
		if err != nil {
			return err
		}
		if int(id) >= len(names) {
			return r.ErrorAt(off, "malformed section id %d", id)
		}
		start := r.Offset()
		payload, err := r.Bytes(int(size))
		if err != nil {
			return r.ErrorAt(off, "section size mismatch: %s of %d bytes extends past the end", names[id], size)
		}
		*sr = Reader{buf: payload, Base: start, Context: names[id]}
		if err := fn(SectionHeader{ID: id, Offset: off, SizeWidth: width}, sr); err != nil {
			return err
		}
		if !sr.EOF() {
			return sr.Errorf("section size mismatch: %d unread bytes at the end of the section", sr.Len())
		}
	}
	return nil
}
