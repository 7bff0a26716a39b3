package rustgen

import (
	"fmt"
	"strings"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/wit"
)

// fnGen translates the value instructions of a canonabi.Plan into Rust
// statements. Flat core values are held as u64s (an i32 or f32 in the low
// bits, zero-extended), the form in which the spec's variant join
// coercions need no code.
type fnGen struct {
	g *generator
	m *module
	n int
	// lines are the statements so far, each indented relative to the
	// current block.
	lines []string
	// exportMode: lowering an export's result, whose strings and lists are
	// copied into fresh allocations that post-return frees; otherwise
	// (import arguments) they point at the caller's memory and only
	// converted lists are allocated, in the Cleanup cleanup.
	exportMode  bool
	usesCleanup bool
	// selfType is the implementation type in an export's entry point.
	rt string
}

func (g *generator) newFnGen(m *module) *fnGen {
	return &fnGen{g: g, m: m, rt: g.rtPath(m)}
}

// rtPath is how code in m names witgo_rt: by the short name, which
// writeModule imports with `use` into every module that needs it, so that
// lines stay short (rustfmt's max_width).
func (g *generator) rtPath(m *module) string {
	if m.absPrefix != "" || m.idents["witgo_rt"] || m.kids["witgo_rt"] {
		return m.pathTo(g.rt)
	}
	return "witgo_rt::"
}

func (fg *fnGen) tmp(prefix string) string {
	fg.n++
	return fmt.Sprintf("%s_%d", prefix, fg.n)
}

func (fg *fnGen) emit(format string, args ...any) {
	fg.lines = append(fg.lines, fmt.Sprintf(format, args...))
}

// capture runs build with a fresh statement list and returns it.
func (fg *fnGen) capture(build func() error) ([]string, error) {
	saved := fg.lines
	fg.lines = nil
	err := build()
	out := fg.lines
	fg.lines = saved
	return out, err
}

// block emits head {, the lines indented, and the closing tail.
func (fg *fnGen) block(head string, body []string, tail string) {
	fg.lines = append(fg.lines, head+" {")
	for _, l := range body {
		fg.lines = append(fg.lines, "    "+l)
	}
	fg.lines = append(fg.lines, "}"+tail)
}

// loc says where the places of an instruction tree are: memory places
// are offsets from the pointer variable base (plus memShift), flat places
// index the [u64; N] array flat (plus flatShift).
type loc struct {
	base, flat          string
	memShift, flatShift string
}

func (l loc) shifted(mem, flat string) loc {
	if l.memShift != "" {
		mem = l.memShift + " + " + mem
	}
	if l.flatShift != "" {
		flat = l.flatShift + " + " + flat
	}
	l.memShift, l.flatShift = mem, flat
	return l
}

func (l loc) memOff(in canonabi.Instr, extra uint32) string {
	s := fmt.Sprint(in.Place.Offset + extra)
	if l.memShift != "" {
		s += " + " + l.memShift
	}
	return s
}

func (l loc) flatIdx(in canonabi.Instr, part int) string {
	s := fmt.Sprint(in.Place.Flat + part)
	if l.flatShift != "" {
		s += " + " + l.flatShift
	}
	return s
}

var sizeSuffix = map[uint32]string{1: "8", 2: "16", 4: "32", 8: "64"}

// put stores u (a u64 expression) as the part-th flat value, or as size
// bytes at offset extra of the place.
func (fg *fnGen) put(in canonabi.Instr, l loc, part int, extra, size uint32, u string) {
	if !in.Place.InMemory {
		fg.emit("%s[%s] = %s;", l.flat, l.flatIdx(in, part), u)
		return
	}
	fg.emit("%sst%s(%s, %s, %s);", fg.rt, sizeSuffix[size], l.base, l.memOff(in, extra), u)
}

// get is the part-th flat value, or size bytes at offset extra, as a u64
// expression.
func (fg *fnGen) get(in canonabi.Instr, l loc, part int, extra, size uint32) string {
	if !in.Place.InMemory {
		return fmt.Sprintf("%s[%s]", l.flat, l.flatIdx(in, part))
	}
	return fmt.Sprintf("%sld%s(%s, %s)", fg.rt, sizeSuffix[size], l.base, l.memOff(in, extra))
}

// bind makes v a plain identifier, so it can be used several times and
// with any operator.
func (fg *fnGen) bind(v string) string {
	if isIdent(v) {
		return v
	}
	t := fg.tmp("v")
	fg.emit("let %s = %s;", t, v)
	return t
}

func isIdent(s string) bool {
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// scalarToU64 is a scalar behind the reference v as a flat u64.
func scalarToU64(k canonabi.Kind, v string) string {
	switch k {
	case canonabi.KindS8, canonabi.KindS16:
		// lower_flat_signed: sign-extended to the i32 (jco checks it).
		return "*" + v + " as i32 as u32 as u64"
	case canonabi.KindS32, canonabi.KindChar:
		return "*" + v + " as u32 as u64"
	case canonabi.KindF32:
		return v + ".to_bits() as u64"
	case canonabi.KindF64:
		return v + ".to_bits()"
	case canonabi.KindU64:
		return "*" + v
	}
	return "*" + v + " as u64"
}

// scalarFromU64 narrows a flat u64 to the scalar's Rust type.
func (fg *fnGen) scalarFromU64(k canonabi.Kind, u string) string {
	switch k {
	case canonabi.KindBool:
		return u + " != 0"
	case canonabi.KindU8:
		return u + " as u8"
	case canonabi.KindU16:
		return u + " as u16"
	case canonabi.KindU32:
		return u + " as u32"
	case canonabi.KindS8:
		return u + " as i8"
	case canonabi.KindS16:
		return u + " as i16"
	case canonabi.KindS32:
		return u + " as i32"
	case canonabi.KindS64:
		return u + " as i64"
	case canonabi.KindF32:
		return "f32::from_bits(" + u + " as u32)"
	case canonabi.KindF64:
		return "f64::from_bits(" + u + ")"
	case canonabi.KindChar:
		return fg.rt + "to_char(" + u + ")"
	}
	return u
}

var plainRust = map[canonabi.Kind]string{
	canonabi.KindU8: "u8", canonabi.KindU16: "u16", canonabi.KindU32: "u32", canonabi.KindU64: "u64",
	canonabi.KindS8: "i8", canonabi.KindS16: "i16", canonabi.KindS32: "i32", canonabi.KindS64: "i64",
	canonabi.KindF32: "f32", canonabi.KindF64: "f64",
}

// lower emits the statements that store the value behind the reference v
// at in's place.
func (fg *fnGen) lower(in canonabi.Instr, v string, l loc) error {
	v = fg.bind(v)
	switch in.Op {
	case canonabi.OpScalar:
		u := scalarToU64(in.Kind, v)
		if len(in.Slots) == 1 && in.Slots[0] == canonabi.I64 && (in.Kind == canonabi.KindS8 || in.Kind == canonabi.KindS16 || in.Kind == canonabi.KindS32) {
			// A signed i32 in a joined i64 slot: the spec's lifter wraps
			// either extension; sign-extending is what wit-bindgen
			// writes and the only form jco accepts.
			u = "*" + v + " as i64 as u64"
		}
		fg.put(in, l, 0, 0, in.Size, u)
	case canonabi.OpFlags:
		fg.put(in, l, 0, 0, in.Size, v+".bits as u64")
	case canonabi.OpString:
		ptr := v + ".as_ptr()"
		if fg.exportMode {
			p := fg.tmp("ptr")
			fg.emit("let %s = %scopy_out(%s.as_ptr(), %s.len(), 1);", p, fg.rt, v, v)
			ptr = p
		}
		fg.put(in, l, 0, 0, 4, ptr+" as usize as u64")
		fg.put(in, l, 1, 4, 4, v+".len() as u64")
	case canonabi.OpList:
		return fg.lowerList(in, v, l)
	case canonabi.OpFixedList:
		i := fg.tmp("i")
		elem := in.Body[0]
		body, err := fg.capture(func() error {
			return fg.lower(elem, "&"+v+"["+i+"]", l.shifted(
				fmt.Sprintf("%s * %d", i, in.Stride), fmt.Sprintf("%s * %d", i, in.FlatLen)))
		})
		if err != nil {
			return err
		}
		fg.block(fmt.Sprintf("for %s in 0..%d", i, in.Len), body, "")
	case canonabi.OpRecord:
		names, err := fg.g.memberNames(in)
		if err != nil {
			return err
		}
		for i, b := range in.Blocks {
			if err := fg.lower(b[0], "&"+v+"."+names[i], l); err != nil {
				return err
			}
		}
	case canonabi.OpVariant:
		return fg.lowerVariant(in, v, l)
	case canonabi.OpHandle:
		switch in.Kind {
		case canonabi.KindOwn:
			fg.put(in, l, 0, 0, 4, v+".take_handle() as u64")
		case canonabi.KindBorrow:
			fg.put(in, l, 0, 0, 4, v+".handle() as u64")
		default:
			return fmt.Errorf("rustgen: %s handles are not supported yet", in.Kind)
		}
	default:
		return fmt.Errorf("rustgen: cannot lower a %s", in.Op)
	}
	return nil
}

func (fg *fnGen) lowerList(in canonabi.Instr, v string, l loc) error {
	elem := in.Body[0]
	size, align := elem.Layout.Size, elem.Layout.Align
	var ptr string
	switch {
	case in.Plain && in.Kind == canonabi.KindList && !fg.exportMode:
		ptr = v + ".as_ptr()"
	case in.Plain && in.Kind == canonabi.KindList:
		ptr = fg.tmp("ptr")
		fg.emit("let %s = %scopy_out(%s.as_ptr() as *const u8, %s.len() * %d, %d);", ptr, fg.rt, v, v, size, align)
	default:
		ptr = fg.tmp("ptr")
		if fg.exportMode {
			fg.emit("let %s = %salloc(%s.len() * %d, %d);", ptr, fg.rt, v, size, align)
		} else {
			fg.usesCleanup = true
			fg.emit("let %s = cleanup_0.alloc(%s.len() * %d, %d);", ptr, v, size, align)
		}
		i, e, eb := fg.tmp("i"), fg.tmp("e"), fg.tmp("base")
		body, err := fg.capture(func() error {
			fg.emit("let %s = %s.add(%s * %d);", eb, ptr, i, size)
			return fg.lower(elem, e, loc{base: eb})
		})
		if err != nil {
			return err
		}
		fg.block(fmt.Sprintf("for (%s, %s) in %s.iter().enumerate()", i, e, v), body, "")
	}
	fg.put(in, l, 0, 0, 4, ptr+" as usize as u64")
	fg.put(in, l, 1, 4, 4, v+".len() as u64")
	return nil
}

func (fg *fnGen) lowerVariant(in canonabi.Instr, v string, l loc) error {
	if in.Kind == canonabi.KindEnum {
		fg.put(in, l, 0, 0, in.Size, "*"+v+" as u64")
		return nil
	}
	var patterns []string
	switch in.Kind {
	case canonabi.KindOption:
		patterns = []string{"None", "Some"}
	case canonabi.KindResult:
		patterns = []string{"Ok", "Err"}
	default:
		path, cases, err := fg.g.variantCases(in.Type, fg.m)
		if err != nil {
			return err
		}
		for _, c := range cases {
			patterns = append(patterns, path+"::"+c)
		}
	}
	var arms []string
	for c, pat := range patterns {
		e := fg.tmp("e")
		body, err := fg.capture(func() error {
			fg.put(in, l, 0, 0, in.Size, fmt.Sprint(c))
			if in.Blocks[c] == nil {
				return nil
			}
			return fg.lower(in.Blocks[c][0], e, l)
		})
		if err != nil {
			return err
		}
		switch {
		case in.Blocks[c] != nil:
			pat += "(" + e + ")"
		case in.Kind == canonabi.KindResult:
			pat += "(_)"
		}
		arms = append(arms, armText(pat, body)...)
	}
	fg.block("match "+v, arms, "")
	return nil
}

// armText renders a match arm with a block body, or, when the body is a
// lone match, with that match as the body (as rustfmt writes it).
func armText(pat string, body []string) []string {
	if isLoneMatch(body) {
		out := []string{pat + " => " + body[0]}
		out = append(out, body[1:len(body)-1]...)
		return append(out, "},")
	}
	out := []string{pat + " => {"}
	for _, l := range body {
		out = append(out, "    "+l)
	}
	return append(out, "}")
}

func isLoneMatch(body []string) bool {
	if len(body) < 2 || !strings.HasPrefix(body[0], "match ") || !strings.HasSuffix(body[0], " {") || body[len(body)-1] != "}" {
		return false
	}
	for _, l := range body[1 : len(body)-1] {
		if !strings.HasPrefix(l, " ") {
			return false
		}
	}
	return true
}

// variantCases returns the path of a variant type, seen from cur, and its
// case names.
func (g *generator) variantCases(t wit.Type, cur *module) (string, []string, error) {
	id, ok := t.TypeID()
	if !ok {
		return "", nil, fmt.Errorf("rustgen: variant without a type")
	}
	id = g.followAlias(id)
	path, err := g.namedPath(id, cur, typesOf)
	if err != nil {
		return "", nil, err
	}
	switch k := g.r.Types[id].Kind.(type) {
	case *wit.Variant:
		return path, caseNames(k), nil
	case *wit.Enum:
		return path, enumCaseNames(k), nil
	}
	return "", nil, fmt.Errorf("rustgen: %s is not a variant", g.abi.TypeString(t))
}

// memberNames are the Rust field names of a record, or 0, 1, ... of a tuple.
func (g *generator) memberNames(in canonabi.Instr) ([]string, error) {
	if in.Kind == canonabi.KindTuple {
		names := make([]string, len(in.Blocks))
		for i := range names {
			names[i] = fmt.Sprint(i)
		}
		return names, nil
	}
	id, ok := in.Type.TypeID()
	if !ok {
		return nil, fmt.Errorf("rustgen: record without a type")
	}
	rec, ok := g.r.Types[g.followAlias(id)].Kind.(*wit.Record)
	if !ok {
		return nil, fmt.Errorf("rustgen: %s is not a record", g.abi.TypeString(in.Type))
	}
	return fieldNames(rec), nil
}

// lift emits the statements that read the value at in's place and returns
// an expression of its owned Rust value.
func (fg *fnGen) lift(in canonabi.Instr, l loc) (string, error) {
	switch in.Op {
	case canonabi.OpScalar:
		return fg.scalarFromU64(in.Kind, fg.get(in, l, 0, 0, in.Size)), nil
	case canonabi.OpFlags:
		path, err := fg.g.rustType(in.Type, fg.m, modeOwned)
		if err != nil {
			return "", err
		}
		bits := map[uint32]string{1: "u8", 2: "u16", 4: "u32"}[in.Size]
		return fmt.Sprintf("%s::from_bits_truncate(%s as %s)", path, fg.get(in, l, 0, 0, in.Size), bits), nil
	case canonabi.OpString:
		s := fg.tmp("s")
		fg.emit("let %s = %sstring_in(%s, %s);", s, fg.rt, fg.get(in, l, 0, 0, 4), fg.get(in, l, 1, 4, 4))
		return s, nil
	case canonabi.OpList:
		return fg.liftList(in, l)
	case canonabi.OpFixedList:
		i := fg.tmp("i")
		var expr string
		body, err := fg.capture(func() error {
			var err error
			expr, err = fg.lift(in.Body[0], l.shifted(fmt.Sprintf("%s * %d", i, in.Stride), fmt.Sprintf("%s * %d", i, in.FlatLen)))
			return err
		})
		if err != nil {
			return "", err
		}
		a := fg.tmp("a")
		fg.block(fmt.Sprintf("let %s = ::core::array::from_fn::<_, %d, _>(|%s|", a, in.Len, i), append(body, expr), ");")
		return a, nil
	case canonabi.OpRecord:
		return fg.liftRecord(in, l)
	case canonabi.OpVariant:
		return fg.liftVariant(in, l)
	case canonabi.OpHandle:
		return fg.liftHandle(in, fg.get(in, l, 0, 0, 4))
	}
	return "", fmt.Errorf("rustgen: cannot lift a %s", in.Op)
}

func (fg *fnGen) liftList(in canonabi.Instr, l loc) (string, error) {
	elem := in.Body[0]
	ptr, n := fg.tmp("ptr"), fg.tmp("len")
	fg.emit("let %s = %s;", ptr, fg.get(in, l, 0, 0, 4))
	fg.emit("let %s = %s;", n, fg.get(in, l, 1, 4, 4))
	if in.Plain && in.Kind == canonabi.KindList {
		v := fg.tmp("v")
		fg.emit("let %s = %svec_in::<%s>(%s, %s);", v, fg.rt, plainRust[elem.Kind], ptr, n)
		return v, nil
	}
	v, i, eb := fg.tmp("v"), fg.tmp("i"), fg.tmp("base")
	fg.emit("let mut %s = Vec::with_capacity(%s as usize);", v, n)
	body, err := fg.capture(func() error {
		fg.emit("let %s = (%s as usize as *mut u8).add(%s * %d);", eb, ptr, i, elem.Layout.Size)
		e, err := fg.lift(elem, loc{base: eb})
		if err != nil {
			return err
		}
		fg.emit("%s.push(%s);", v, e)
		return nil
	})
	if err != nil {
		return "", err
	}
	fg.block(fmt.Sprintf("for %s in 0..%s as usize", i, n), body, "")
	fg.emit("%sdealloc(%s as usize as *mut u8, %s as usize * %d, %d);", fg.rt, ptr, n, elem.Layout.Size, elem.Layout.Align)
	return v, nil
}

func (fg *fnGen) liftRecord(in canonabi.Instr, l loc) (string, error) {
	vals := make([]string, len(in.Blocks))
	for i, b := range in.Blocks {
		v, err := fg.lift(b[0], l)
		if err != nil {
			return "", err
		}
		vals[i] = v
	}
	if in.Kind == canonabi.KindTuple {
		if len(vals) == 1 {
			return "(" + vals[0] + ",)", nil
		}
		return "(" + strings.Join(vals, ", ") + ")", nil
	}
	path, err := fg.g.rustType(in.Type, fg.m, modeOwned)
	if err != nil {
		return "", err
	}
	names, err := fg.g.memberNames(in)
	if err != nil {
		return "", err
	}
	r := fg.tmp("r")
	fg.emit("let %s = %s {", r, path)
	for i, v := range vals {
		fg.emit("    %s: %s,", names[i], v)
	}
	fg.emit("};")
	return r, nil
}

func (fg *fnGen) liftVariant(in canonabi.Instr, l loc) (string, error) {
	var ctors []string
	switch in.Kind {
	case canonabi.KindOption:
		ctors = []string{"None", "Some"}
	case canonabi.KindResult:
		ctors = []string{"Ok", "Err"}
	default:
		path, cases, err := fg.g.variantCases(in.Type, fg.m)
		if err != nil {
			return "", err
		}
		for _, c := range cases {
			ctors = append(ctors, path+"::"+c)
		}
	}
	var arms []string
	for c, ctor := range ctors {
		var expr string
		body, err := fg.capture(func() error {
			if in.Blocks[c] == nil {
				expr = ctor
				if in.Kind == canonabi.KindResult {
					expr += "(())"
				}
				return nil
			}
			v, err := fg.lift(in.Blocks[c][0], l)
			expr = ctor + "(" + v + ")"
			return err
		})
		if err != nil {
			return "", err
		}
		if len(body) == 0 {
			arms = append(arms, fmt.Sprintf("%d => %s,", c, expr))
			continue
		}
		arms = append(arms, armText(fmt.Sprint(c), append(body, expr))...)
	}
	arms = append(arms, fmt.Sprintf("_ => %sinvalid(\"a discriminant out of range\"),", fg.rt))
	v := fg.tmp("v")
	fg.block(fmt.Sprintf("let %s = match %s", v, fg.get(in, l, 0, 0, in.Size)), arms, ";")
	return v, nil
}

func (fg *fnGen) liftHandle(in canonabi.Instr, u string) (string, error) {
	if in.Kind != canonabi.KindOwn && in.Kind != canonabi.KindBorrow {
		return "", fmt.Errorf("rustgen: %s handles are not supported yet", in.Kind)
	}
	res := fg.g.followAlias(in.Resource)
	home := fg.g.typeHome(res, fg.m)
	if home == nil {
		return "", fmt.Errorf("rustgen: resource %s belongs to no interface the world uses", fg.g.r.Types[res].Name)
	}
	path := fg.m.pathTo(home)
	switch {
	case in.Kind == canonabi.KindOwn:
		return fmt.Sprintf("%s%s::from_handle(%s as u32)", path, home.types[res], u), nil
	case home.exported:
		// A borrow of this component's own resource arrives as its rep.
		return fmt.Sprintf("%s%s::from_rep(%s as u32)", path, home.borrows[res], u), nil
	}
	return fmt.Sprintf("%s%s::from_borrowed_handle(%s as u32)", path, home.types[res], u), nil
}

// free emits post-return statements that release what lowering in's value
// (in export mode) allocated.
func (fg *fnGen) free(in canonabi.Instr, l loc) error {
	if !allocates(in) {
		return nil
	}
	switch in.Op {
	case canonabi.OpString:
		fg.emit("%sdealloc(%s as usize as *mut u8, %s as usize, 1);", fg.rt, fg.get(in, l, 0, 0, 4), fg.get(in, l, 1, 4, 4))
	case canonabi.OpList:
		elem := in.Body[0]
		ptr, n := fg.tmp("ptr"), fg.tmp("len")
		fg.emit("let %s = %s as usize as *mut u8;", ptr, fg.get(in, l, 0, 0, 4))
		fg.emit("let %s = %s as usize;", n, fg.get(in, l, 1, 4, 4))
		if allocates(elem) {
			i, eb := fg.tmp("i"), fg.tmp("base")
			body, err := fg.capture(func() error {
				fg.emit("let %s = %s.add(%s * %d);", eb, ptr, i, elem.Layout.Size)
				return fg.free(elem, loc{base: eb})
			})
			if err != nil {
				return err
			}
			fg.block(fmt.Sprintf("for %s in 0..%s", i, n), body, "")
		}
		fg.emit("%sdealloc(%s, %s * %d, %d);", fg.rt, ptr, n, elem.Layout.Size, elem.Layout.Align)
	case canonabi.OpFixedList:
		i := fg.tmp("i")
		body, err := fg.capture(func() error {
			return fg.free(in.Body[0], l.shifted(fmt.Sprintf("%s * %d", i, in.Stride), fmt.Sprintf("%s * %d", i, in.FlatLen)))
		})
		if err != nil {
			return err
		}
		fg.block(fmt.Sprintf("for %s in 0..%d", i, in.Len), body, "")
	case canonabi.OpRecord:
		for _, b := range in.Blocks {
			if err := fg.free(b[0], l); err != nil {
				return err
			}
		}
	case canonabi.OpVariant:
		var arms []string
		for c, b := range in.Blocks {
			if b == nil || !allocates(b[0]) {
				continue
			}
			body, err := fg.capture(func() error { return fg.free(b[0], l) })
			if err != nil {
				return err
			}
			arms = append(arms, armText(fmt.Sprint(c), body)...)
		}
		arms = append(arms, "_ => {}")
		fg.block("match "+fg.get(in, l, 0, 0, in.Size), arms, "")
	}
	return nil
}

// allocates reports whether lowering a value of in allocates memory (it
// holds a string or list).
func allocates(in canonabi.Instr) bool {
	switch in.Op {
	case canonabi.OpString, canonabi.OpList:
		return true
	case canonabi.OpFixedList:
		return allocates(in.Body[0])
	case canonabi.OpRecord, canonabi.OpVariant:
		for _, b := range in.Blocks {
			if b != nil && allocates(b[0]) {
				return true
			}
		}
	}
	return false
}
