package wast

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/witgo/witgo/canonabi"
)

// WAVE renders v in the WAVE text format (wasmtime's --invoke syntax),
// which a type-directed parser such as canonabi's ParseWAVE turns into a
// typed value. A float NaN keeps no payload in WAVE; a string that is not
// UTF-8 has no WAVE form and is an error.
func (v Value) WAVE() (string, error) {
	var sb strings.Builder
	if err := v.wave(&sb); err != nil {
		return "", err
	}
	return sb.String(), nil
}

// waveKeywords must be written with a leading % when used as labels.
var waveKeywords = map[string]bool{"true": true, "false": true, "some": true, "none": true, "ok": true, "err": true, "inf": true, "nan": true}

func waveLabel(sb *strings.Builder, name string) {
	if waveKeywords[name] {
		sb.WriteByte('%')
	}
	sb.WriteString(name)
}

func (v Value) wave(sb *strings.Builder) error {
	switch v.Kind {
	case "bool", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f32", "f64", "char":
		sb.WriteString(v.scalar().String()) // canonabi prints scalars as WAVE
	case "string":
		if !utf8.ValidString(v.Str) {
			return fmt.Errorf("line %d: string %q is not UTF-8: no WAVE form", v.Line, v.Str)
		}
		sb.WriteString(canonabi.StringValue(v.Str).String())
	case "list", "tuple":
		open, close := byte('['), byte(']')
		if v.Kind == "tuple" {
			open, close = '(', ')'
		}
		sb.WriteByte(open)
		for i, e := range v.Elems {
			if i > 0 {
				sb.WriteString(", ")
			}
			if err := e.wave(sb); err != nil {
				return err
			}
		}
		sb.WriteByte(close)
	case "record":
		if len(v.Elems) == 0 {
			sb.WriteString("{:}")
			return nil
		}
		sb.WriteByte('{')
		for i, e := range v.Elems {
			if i > 0 {
				sb.WriteString(", ")
			}
			waveLabel(sb, v.Names[i])
			sb.WriteString(": ")
			if err := e.wave(sb); err != nil {
				return err
			}
		}
		sb.WriteByte('}')
	case "variant", "enum", "option", "result":
		if v.Kind == "option" || v.Kind == "result" {
			sb.WriteString(v.Str) // the keywords themselves
		} else {
			waveLabel(sb, v.Str)
		}
		if len(v.Elems) == 1 {
			sb.WriteByte('(')
			if err := v.Elems[0].wave(sb); err != nil {
				return err
			}
			sb.WriteByte(')')
		}
	case "flags":
		sb.WriteByte('{')
		for i, n := range v.Names {
			if i > 0 {
				sb.WriteString(", ")
			}
			waveLabel(sb, n)
		}
		sb.WriteByte('}')
	default:
		return fmt.Errorf("line %d: %s values have no WAVE form", v.Line, v.Kind)
	}
	return nil
}

// scalar is v as a canonabi value; v must be a bool, number or char.
func (v Value) scalar() canonabi.Value {
	switch v.Kind {
	case "bool":
		return canonabi.BoolValue(v.Bits != 0)
	case "u8":
		return canonabi.U8Value(uint8(v.Bits))
	case "u16":
		return canonabi.U16Value(uint16(v.Bits))
	case "u32":
		return canonabi.U32Value(uint32(v.Bits))
	case "u64":
		return canonabi.U64Value(v.Bits)
	case "s8":
		return canonabi.S8Value(int8(v.Bits))
	case "s16":
		return canonabi.S16Value(int16(v.Bits))
	case "s32":
		return canonabi.S32Value(int32(v.Bits))
	case "s64":
		return canonabi.S64Value(int64(v.Bits))
	case "f32":
		return canonabi.F32Value(math.Float32frombits(uint32(v.Bits)))
	case "f64":
		return canonabi.F64Value(math.Float64frombits(v.Bits))
	}
	return canonabi.CharValue(rune(v.Bits))
}
