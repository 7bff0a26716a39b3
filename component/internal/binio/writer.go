package binio

// Writer appends the binary encoding of values to a byte slice.
type Writer struct{ Buf []byte }

// Byte appends one byte.
func (w *Writer) Byte(b byte) { w.Buf = append(w.Buf, b) }

// Bytes appends raw bytes.
func (w *Writer) Bytes(b []byte) { w.Buf = append(w.Buf, b...) }

// U32 appends a minimal unsigned LEB128.
func (w *Writer) U32(v uint32) { w.Buf = AppendU64(w.Buf, uint64(v)) }

// U64 appends a minimal unsigned LEB128.
func (w *Writer) U64(v uint64) { w.Buf = AppendU64(w.Buf, v) }

// S64 appends a minimal signed LEB128.
func (w *Writer) S64(v int64) { w.Buf = AppendS64(w.Buf, v) }

// Name appends a length-prefixed string.
func (w *Writer) Name(s string) {
	w.U32(uint32(len(s)))
	w.Buf = append(w.Buf, s...)
}

// AppendU64 appends v as a minimal unsigned LEB128.
func AppendU64(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// AppendPaddedU32 appends v as an unsigned LEB128 of exactly width bytes
// (width >= the minimal width, at most 5), as some tools emit.
func AppendPaddedU32(b []byte, v uint32, width int) []byte {
	for i := 0; i < width-1; i++ {
		b = append(b, byte(v&0x7f)|0x80)
		v >>= 7
	}
	return append(b, byte(v&0x7f))
}

// SizeU32 is the number of bytes of the minimal LEB128 encoding of v.
func SizeU32(v uint32) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// AppendS64 appends v as a minimal signed LEB128.
func AppendS64(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// Section appends a section: id, the payload size as LEB128 (padded to
// sizeWidth bytes when sizeWidth is larger than the minimal width) and the payload.
func AppendSection(b []byte, id byte, payload []byte, sizeWidth int) []byte {
	b = append(b, id)
	n := uint32(len(payload))
	if sizeWidth > SizeU32(n) {
		b = AppendPaddedU32(b, n, sizeWidth)
	} else {
		b = AppendU64(b, uint64(n))
	}
	return append(b, payload...)
}

// BeginSection appends a section id and room for its size; the payload is
// then appended directly and EndSection fills in the size. This avoids
// building each payload in a separate buffer.
func BeginSection(b []byte, id byte) ([]byte, int) {
	b = append(b, id, 0, 0, 0, 0, 0)
	return b, len(b)
}

// EndSection writes the size of the payload that started at mark, using
// at least sizeWidth bytes, and closes the gap left by BeginSection.
func EndSection(b []byte, mark, sizeWidth int) []byte {
	n := len(b) - mark
	width := max(SizeU32(uint32(n)), min(sizeWidth, 5))
	AppendPaddedU32(b[mark-5:mark-5], uint32(n), width)
	if width < 5 {
		copy(b[mark-5+width:], b[mark:])
		b = b[:len(b)-(5-width)]
	}
	return b
}
