package rustgen

// rustfmt's default width limits (max_width and its "small heuristics"):
// the generator lays code out the way rustfmt would, so the output is
// rustfmt-clean without running rustfmt.
const (
	maxWidth       = 100
	chainWidth     = 60
	fnCallWidth    = 60
	structLitWidth = 18
)

// structLit is a struct literal with one field at indent: on one line
// when the field fits struct_lit_width, else the field on its own line.
func structLit(name, field, indent string) string {
	if len(field) <= structLitWidth {
		return name + " { " + field + " }"
	}
	return name + " {\n" + indent + "    " + field + ",\n" + indent + "}"
}

// debugChain is the body of a Debug impl for a struct named name with one
// field, at the 8-space indent of an impl method body: one line when the
// chain fits chain_width, else one method call per line.
func debugChain(name, field, value string) string {
	head := "f.debug_struct(" + rustString(name) + ")"
	fieldCall := ".field(" + rustString(field) + ", " + value + ")"
	if len(head)+len(fieldCall)+len(".finish()") <= chainWidth {
		return head + fieldCall + ".finish()"
	}
	return head + "\n            " + fieldCall + "\n            .finish()"
}
