package canonabi

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/witgo/witgo/wit"
)

// WAVE is the WebAssembly Value Encoding, the text form of values that
// wasmtime's --invoke and wasm-wave use: `true`, `-9`, `6.022e+23`, `nan`,
// `'x'`, `"abc\t"`, `("a", 1)`, `[1, 2]`, `{field-a: 1}`, `days(30)`,
// `forever`, `some(1)`, `none`, `ok("x")`, `err`, `{read, write}`. Keywords
// used as case names take a `%` prefix.

var waveKeywords = map[string]bool{
	"true": true, "false": true, "inf": true, "nan": true,
	"some": true, "none": true, "ok": true, "err": true,
}

// FormatWAVE renders v, a value of type t, as WAVE.
func (a *ABI) FormatWAVE(t wit.Type, v Value) (string, error) {
	sh, err := a.shape(t)
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	if err := formatWAVE(&sb, sh, v); err != nil {
		return "", err
	}
	return sb.String(), nil
}

func caseLabel(s string) string {
	if waveKeywords[s] {
		return "%" + s
	}
	return s
}

func formatWAVE(sb *strings.Builder, sh *shape, v Value) error {
	if v.kind != sh.kind {
		return fmt.Errorf("canonabi: wave: a %s value is not a %s", v.kind, sh.kind)
	}
	switch sh.kind {
	case KindBool:
		sb.WriteString(strconv.FormatBool(v.Bool()))
	case KindU8, KindU16, KindU32, KindU64:
		sb.WriteString(strconv.FormatUint(v.bits, 10))
	case KindS8, KindS16, KindS32, KindS64:
		sb.WriteString(strconv.FormatInt(v.Int(), 10))
	case KindF32:
		sb.WriteString(formatFloat(float64(v.Float32()), 32))
	case KindF64:
		sb.WriteString(formatFloat(v.Float64(), 64))
	case KindChar:
		sb.WriteByte('\'')
		writeEscaped(sb, string(v.Char()), '\'')
		sb.WriteByte('\'')
	case KindString:
		sb.WriteByte('"')
		writeEscaped(sb, v.str, '"')
		sb.WriteByte('"')
	case KindList, KindFixedList, KindMap:
		sb.WriteByte('[')
		for i, e := range v.Elems() {
			if i > 0 {
				sb.WriteString(", ")
			}
			if err := formatWAVE(sb, sh.elem, e); err != nil {
				return err
			}
		}
		sb.WriteByte(']')
	case KindTuple:
		return formatSeq(sb, '(', ')', sh, v, nil)
	case KindRecord:
		return formatSeq(sb, '{', '}', sh, v, sh.labels)
	case KindVariant, KindEnum, KindOption, KindResult:
		p, err := checkCase(sh, v)
		if err != nil {
			return err
		}
		if sh.kind == KindOption || sh.kind == KindResult {
			sb.WriteString(sh.labels[v.bits]) // the keywords themselves
		} else {
			sb.WriteString(caseLabel(sh.labels[v.bits]))
		}
		if p != nil {
			sb.WriteByte('(')
			if err := formatWAVE(sb, p, v.elems[0]); err != nil {
				return err
			}
			sb.WriteByte(')')
		}
	case KindFlags:
		sb.WriteByte('{')
		n := 0
		for i, l := range sh.labels {
			if v.bits&(1<<i) != 0 {
				if n > 0 {
					sb.WriteString(", ")
				}
				sb.WriteString(l)
				n++
			}
		}
		sb.WriteByte('}')
	default:
		return fmt.Errorf("canonabi: wave: %s values have no text form", sh.kind)
	}
	return nil
}

func formatSeq(sb *strings.Builder, open, close byte, sh *shape, v Value, labels []string) error {
	if len(v.elems) != len(sh.fields) {
		return fmt.Errorf("canonabi: wave: %s of %d fields given %d", sh.kind, len(sh.fields), len(v.elems))
	}
	sb.WriteByte(open)
	for i, f := range sh.fields {
		if i > 0 {
			sb.WriteString(", ")
		}
		if labels != nil {
			sb.WriteString(labels[i])
			sb.WriteString(": ")
		}
		if err := formatWAVE(sb, f, v.elems[i]); err != nil {
			return err
		}
	}
	sb.WriteByte(close)
	return nil
}

func formatFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'g', -1, bits)
}

func writeEscaped(sb *strings.Builder, s string, quote rune) {
	for _, r := range s {
		switch {
		case r == quote || r == '\\':
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case r == '\t':
			sb.WriteString(`\t`)
		case r == '\n':
			sb.WriteString(`\n`)
		case r == '\r':
			sb.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(sb, `\u{%x}`, r)
		default:
			sb.WriteRune(r)
		}
	}
}
