package canonabi

import (
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// liftString is load_string_from_range for the context's encoding.
func (cx *Context) liftString(ptr, tagged uint32) (Value, error) {
	var byteLen uint64
	var align uint32 = 2
	utf16Data := false
	switch cx.Encoding {
	case UTF8:
		byteLen, align = uint64(tagged), 1
	case UTF16:
		byteLen, utf16Data = 2*uint64(tagged), true
	case Latin1UTF16:
		if tagged&utf16Tag != 0 {
			byteLen, utf16Data = 2*uint64(tagged^utf16Tag), true
		} else {
			byteLen = uint64(tagged)
		}
	}
	if byteLen > MaxListByteLength {
		return Value{}, trapf("string of %d bytes is too long", byteLen)
	}
	b, err := cx.read(ptr, uint32(byteLen), align)
	if err != nil {
		return Value{}, err
	}
	switch {
	case cx.Encoding == UTF8:
		if !utf8.Valid(b) {
			return Value{}, trapf("string at %#x is not valid UTF-8", ptr)
		}
		return StringValue(cx.keep(b)), nil
	case utf16Data:
		return decodeUTF16(b, ptr)
	}
	// Latin-1: every byte is the code point of the same value.
	out := make([]rune, len(b))
	for i, c := range b {
		out[i] = rune(c)
	}
	return StringValue(string(out)), nil
}

func decodeUTF16(b []byte, ptr uint32) (Value, error) {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i += 2 {
		u := rune(le.Uint16(b[i:]))
		switch {
		case utf16.IsSurrogate(u):
			if u >= 0xDC00 || i+3 >= len(b) {
				return Value{}, trapf("string at %#x has an unpaired UTF-16 surrogate", ptr)
			}
			r := utf16.DecodeRune(u, rune(le.Uint16(b[i+2:])))
			if r == utf8.RuneError {
				return Value{}, trapf("string at %#x has an unpaired UTF-16 surrogate", ptr)
			}
			out = utf8.AppendRune(out, r)
			i += 2
		default:
			out = utf8.AppendRune(out, u)
		}
	}
	return StringValue(string(out)), nil
}

// lowerString stores s in the context's encoding and returns the pointer
// and (tagged) code unit count. It makes the realloc calls of the spec's
// store_string for a UTF-8 source (store_string_copy,
// store_utf8_to_utf16, store_string_to_latin1_or_utf16): the same sizes in
// the same order, so a guest allocator sees what any other host would ask.
func (cx *Context) lowerString(s string) (ptr, units uint32, err error) {
	if !utf8.ValidString(s) {
		return 0, 0, trapf("string value is not valid UTF-8")
	}
	if uint64(len(s)) > MaxListByteLength {
		return 0, 0, trapf("string of %d bytes is too long", len(s))
	}
	n := uint32(len(s)) // source code units
	switch cx.Encoding {
	case UTF8:
		if ptr, err = cx.allocate(1, n); err != nil {
			return 0, 0, err
		}
		return ptr, n, cx.write(ptr, unsafe.Slice(unsafe.StringData(s), len(s)))
	case UTF16:
		// Worst case: every UTF-8 byte becomes one UTF-16 unit; then shrink.
		if ptr, err = cx.allocate(2, 2*n); err != nil {
			return 0, 0, err
		}
		return cx.writeUTF16Shrinking(ptr, s)
	}
	// latin1+utf16: optimistically Latin-1 in n bytes.
	if ptr, err = cx.allocate(2, n); err != nil {
		return 0, 0, err
	}
	if latin1, ok := toLatin1(s); ok {
		if err = cx.write(ptr, latin1); err != nil {
			return 0, 0, err
		}
		if uint32(len(latin1)) < n {
			if ptr, err = cx.reallocate(ptr, n, 2, uint32(len(latin1))); err != nil {
				return 0, 0, err
			}
		}
		return ptr, uint32(len(latin1)), nil
	}
	// A code point past Latin-1: grow to the UTF-16 worst case, then shrink.
	if ptr, err = cx.reallocate(ptr, n, 2, 2*n); err != nil {
		return 0, 0, err
	}
	ptr, units, err = cx.writeUTF16Shrinking(ptr, s)
	return ptr, units | utf16Tag, err
}

// writeUTF16Shrinking writes s as UTF-16 into a block of 2*len(s) bytes at
// ptr and shrinks the block to what the encoding used.
func (cx *Context) writeUTF16Shrinking(ptr uint32, s string) (uint32, uint32, error) {
	enc := encodeUTF16(s)
	if err := cx.write(ptr, enc); err != nil {
		return 0, 0, err
	}
	if len(enc) < 2*len(s) {
		var err error
		if ptr, err = cx.reallocate(ptr, uint32(2*len(s)), 2, uint32(len(enc))); err != nil {
			return 0, 0, err
		}
	}
	return ptr, uint32(len(enc) / 2), nil
}

// toLatin1 encodes s as Latin-1 if every code point is below 256.
func toLatin1(s string) ([]byte, bool) {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r >= 256 {
			return nil, false
		}
		out = append(out, byte(r))
	}
	return out, true
}

// encodeUTF16 encodes valid UTF-8 as UTF-16LE bytes.
func encodeUTF16(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			b = le.AppendUint16(le.AppendUint16(b, uint16(r1)), uint16(r2))
			continue
		}
		b = le.AppendUint16(b, uint16(r))
	}
	return b
}
