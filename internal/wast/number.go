package wast

import (
	"math"
	"strconv"
	"strings"
)

// parseInt reads a text-format integer (decimal or 0x hex, `_` between
// digits, an optional sign) of the given width. signed allows the range of
// the signed type; the result is its two's complement bits.
func parseInt(tok string, bits int, signed bool) (uint64, bool) {
	neg := false
	s := tok
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	base := 10
	if strings.HasPrefix(s, "0x") {
		base, s = 16, s[2:]
	}
	s, ok := stripUnderscores(s)
	if !ok {
		return 0, false
	}
	u, err := strconv.ParseUint(s, base, 64)
	if err != nil {
		return 0, false
	}
	if !signed {
		if neg || bits < 64 && u >= 1<<bits {
			return 0, false
		}
		return u, true
	}
	limit := uint64(1) << (bits - 1) // |min|
	if neg {
		if u > limit {
			return 0, false
		}
		return uint64(-int64(u)) & mask(bits), true
	}
	if u >= limit {
		return 0, false
	}
	return u, true
}

func mask(bits int) uint64 {
	if bits == 64 {
		return math.MaxUint64
	}
	return 1<<bits - 1
}

// stripUnderscores removes the `_` digit separators, which must each sit
// between two digits.
func stripUnderscores(s string) (string, bool) {
	if !strings.Contains(s, "_") {
		return s, s != ""
	}
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' || strings.Contains(s, "__") {
		return "", false
	}
	return strings.ReplaceAll(s, "_", ""), true
}

// parseFloat reads a text-format float of 32 or 64 bits and returns its
// bits: decimal, hex (0x1.8p3), inf, nan, nan:0xpayload, with a sign.
// nan:canonical and nan:arithmetic (patterns of expected results) return
// the canonical NaN and pattern set to the word.
func parseFloat(tok string, bits int) (v uint64, pattern string, ok bool) {
	neg := false
	s := tok
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	sign, expBits, fracBits := uint64(0), 8, 23
	if bits == 64 {
		expBits, fracBits = 11, 52
	}
	if neg {
		sign = 1 << (bits - 1)
	}
	expAll := (uint64(1)<<expBits - 1) << fracBits
	quiet := uint64(1) << (fracBits - 1)
	switch {
	case s == "inf":
		return sign | expAll, "", true
	case s == "nan":
		return sign | expAll | quiet, "", true
	case s == "nan:canonical" || s == "nan:arithmetic":
		return sign | expAll | quiet, s[4:], true
	case strings.HasPrefix(s, "nan:0x"):
		digits, ok := stripUnderscores(s[6:])
		if !ok {
			return 0, "", false
		}
		p, err := strconv.ParseUint(digits, 16, 64)
		if err != nil || p == 0 || p >= 1<<fracBits {
			return 0, "", false
		}
		return sign | expAll | p, "", true
	}
	if s == "" || !(s[0] >= '0' && s[0] <= '9') {
		return 0, "", false
	}
	digits, ok := stripUnderscores(s)
	if !ok {
		return 0, "", false
	}
	if strings.HasPrefix(digits, "0x") && !strings.ContainsAny(digits, "pP") {
		digits += "p0" // Go wants an exponent on hex floats; the text format does not
	}
	f, err := strconv.ParseFloat(digits, bits)
	if err != nil {
		return 0, "", false
	}
	if bits == 32 {
		return uint64(math.Float32bits(float32(f))) | sign, "", true
	}
	return math.Float64bits(f) | sign, "", true
}
