package binio

import "fmt"

// Error is a decoding or validation error at a byte offset of the input.
// Offsets are absolute: for nested modules and components they count from
// the start of the outermost binary.
type Error struct {
	Offset  int    // byte offset in the input, -1 if unknown
	Context string // e.g. "type section", "canon section"
	Msg     string // what was wrong or expected
}

func (e *Error) Error() string {
	switch {
	case e.Offset < 0 && e.Context == "":
		return e.Msg
	case e.Offset < 0:
		return fmt.Sprintf("%s: %s", e.Context, e.Msg)
	case e.Context == "":
		return fmt.Sprintf("offset 0x%x: %s", e.Offset, e.Msg)
	}
	return fmt.Sprintf("%s at offset 0x%x: %s", e.Context, e.Offset, e.Msg)
}
