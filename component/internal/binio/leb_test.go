package binio

import (
	"strings"
	"testing"
)

func TestLEB128(t *testing.T) {
	tests := []struct {
		in      []byte
		u32     uint32
		wantErr string
	}{
		{[]byte{0x00}, 0, ""},
		{[]byte{0x7f}, 127, ""},
		{[]byte{0x80, 0x01}, 128, ""},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x00}, 0, ""}, // padded zero, 5 bytes
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 0xffffffff, ""},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x1f}, 0, "too large"},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 0, "too long"},
		{[]byte{0x80}, 0, "unexpected end"},
	}
	for _, tc := range tests {
		v, err := NewReader(tc.in, 0).U32()
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("U32(% x) = %d, %v; want error containing %q", tc.in, v, err, tc.wantErr)
			}
			continue
		}
		if err != nil || v != tc.u32 {
			t.Errorf("U32(% x) = %d, %v; want %d", tc.in, v, err, tc.u32)
		}
	}
	// s33: -1 is 0x7f, 0x40 needs two bytes, and the top byte must sign-extend.
	for _, tc := range []struct {
		in   []byte
		want int64
		ok   bool
	}{
		{[]byte{0x7f}, -1, true},
		{[]byte{0xc0, 0x00}, 64, true},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 0xffffffff, true},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x70}, -(1 << 32), true},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x4f}, 0, false},
	} {
		v, err := NewReader(tc.in, 0).S33()
		if (err == nil) != tc.ok || (tc.ok && v != tc.want) {
			t.Errorf("S33(% x) = %d, %v; want %d ok=%v", tc.in, v, err, tc.want, tc.ok)
		}
	}
	// Round trip of the writers.
	for _, v := range []int64{0, 1, -1, 63, 64, -64, -65, 1 << 40, -(1 << 40)} {
		got, err := NewReader(AppendS64(nil, v), 0).S64()
		if err != nil || got != v {
			t.Errorf("S64 round trip of %d = %d, %v", v, got, err)
		}
	}
}

func TestPaddedWriters(t *testing.T) {
	b := AppendPaddedU32(nil, 5, 5)
	if len(b) != 5 {
		t.Fatalf("padded width %d, want 5", len(b))
	}
	v, n, err := NewReader(b, 0).U32Width()
	if err != nil || v != 5 || n != 5 {
		t.Fatalf("U32Width = %d, %d, %v", v, n, err)
	}
	// EndSection keeps a requested padded width and closes the gap otherwise.
	for _, width := range []int{0, 1, 3, 5} {
		out, mark := BeginSection([]byte{0xaa}, 7)
		out = append(out, 1, 2, 3)
		out = EndSection(out, mark, width)
		want := max(width, 1)
		if len(out) != 1+1+want+3 || out[1] != 7 || out[len(out)-1] != 3 {
			t.Fatalf("width %d: % x", width, out)
		}
		if v, n, _ := NewReader(out[2:], 0).U32Width(); v != 3 || n != want {
			t.Fatalf("width %d: size %d in %d bytes", width, v, n)
		}
	}
}
