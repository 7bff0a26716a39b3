package rustgen

import "strings"

// breakLongLines lays out every code line longer than max_width the way
// rustfmt does for the shapes the generator emits: the outermost bracket
// group of the line (call arguments, function parameters, a tuple) gets
// one item per line with a trailing comma; a `let` whose value fits on
// the next line moves it there.
func breakLongLines(src string) string {
	if !hasLongLine(src) {
		return src
	}
	src = collapseClosures(src)
	var sb strings.Builder
	sb.Grow(len(src) + len(src)/8)
	finalNewline := strings.HasSuffix(src, "\n")
	for len(src) > 0 {
		line := src
		if i := strings.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = ""
		}
		for _, l := range breakLine(line) {
			sb.WriteString(l)
			sb.WriteByte('\n')
		}
	}
	out := sb.String()
	if !finalNewline {
		out = strings.TrimSuffix(out, "\n")
	}
	return out
}

// collapseClosures joins `f(|i| {` / one expression / `});` into one
// line when it fits, as rustfmt drops a closure's block around a lone
// expression.
func collapseClosures(src string) string {
	if !strings.Contains(src, "| {\n") {
		return src
	}
	lines := strings.Split(src, "\n")
	out := lines[:0]
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.HasSuffix(l, "| {") && i+2 < len(lines) {
			content := strings.TrimLeft(l, " ")
			indent := l[:len(l)-len(content)]
			expr, end := strings.TrimLeft(lines[i+1], " "), lines[i+2]
			if strings.HasPrefix(end, indent+"}") && len(end) > len(indent)+1 && end[len(indent)+1] != ' ' &&
				!strings.HasSuffix(expr, ";") && !strings.HasSuffix(expr, "{") {
				joined := l[:len(l)-1] + expr + end[len(indent)+1:]
				if len(joined) <= maxWidth {
					out = append(out, joined)
					i += 2
					continue
				}
			}
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func hasLongLine(src string) bool {
	for len(src) > 0 {
		i := strings.IndexByte(src, '\n')
		if i < 0 {
			return len(src) > maxWidth
		}
		if i > maxWidth {
			return true
		}
		src = src[i+1:]
	}
	return false
}

// breakLine returns line unchanged when it fits, else its broken form.
func breakLine(line string) []string {
	content := strings.TrimLeft(line, " ")
	indent := line[:len(line)-len(content)]
	if strings.HasPrefix(content, ") -> ") && strings.HasSuffix(content, " {") && len(line) <= maxWidth &&
		len(line)+len(indent) > maxWidth {
		// rustfmt counts the indent twice here (1.63): the brace goes
		// on its own line.
		return []string{strings.TrimSuffix(line, " {"), indent + "{"}
	}
	if len(line) < maxWidth || len(line) == maxWidth && !isCombinedArm(content) {
		return []string{line}
	}
	if strings.HasPrefix(content, "//") {
		return []string{line}
	}
	if lines := breakArm(indent, content); lines != nil {
		return lines
	}
	if body, ok := strings.CutPrefix(content, "unsafe { "); ok && strings.HasSuffix(body, " }") {
		return append(append([]string{indent + "unsafe {"}, breakLine(indent+"    "+strings.TrimSuffix(body, " }"))...), indent+"}")
	}
	if lines := breakNoParamFn(indent, content); lines != nil {
		return lines
	}
	if lines := breakAssignment(indent, content); lines != nil {
		return lines
	}
	if lines := breakImpl(indent, content); lines != nil {
		return lines
	}
	if strings.HasPrefix(content, ")") {
		return breakReturnType(indent, content)
	}
	// A let's type annotation stays whole: only its value is broken.
	from := 0
	if eq := strings.Index(content, " = "); strings.HasPrefix(content, "let ") && eq > 0 {
		from = eq + 3
	}
	open, close := outerGroup(content[from:])
	if open < 0 {
		return []string{line}
	}
	open, close = open+from, close+from
	head, inner, tail := content[:open+1], content[open+1:close], content[close:]
	items := splitTopLevel(inner)
	if len(items) == 1 && isTuple(items[0]) {
		// A lone tuple argument overflows: `f((` ... `))`.
		t := items[0]
		head, tail, items = head+"(", ")"+tail, splitTopLevel(t[1:len(t)-1])
	}
	if len(items) == 1 && shortCallee(head) && !strings.HasPrefix(items[0], "(") &&
		len(indent)+len(head)+strings.IndexByte(items[0], '(')+1 <= maxWidth {
		// A call as the lone argument of a short callee (Ok, Err) is
		// combined with it: `Ok(f(` ... `))`, a lone inner argument
		// without trailing comma.
		if o, c := outerGroup(items[0]); o > 0 && c == len(items[0])-1 {
			inner := splitTopLevel(items[0][o+1 : c])
			if len(inner) == 1 && o+1 <= fnCallWidth {
				return append(append([]string{indent + head + items[0][:o+1]},
					breakLine(indent+"    "+inner[0])...), indent+")"+tail)
			}
		}
	}
	out := []string{indent + head}
	isFn := strings.Contains(head, "fn ")
	switch {
	case strings.HasSuffix(head, "!("):
		// Macro arguments (format strings) take no trailing comma.
		for _, it := range items {
			out = append(out, breakLine(indent+"    "+it)...)
		}
	case !isFn && allSimple(items):
		out = append(out, packItems(indent+"    ", items)...)
	default:
		for _, it := range items {
			if len(indent)+4+len(it) <= maxWidth {
				// rustfmt (1.63) does not count the trailing comma.
				out = append(out, indent+"    "+it+",")
				continue
			}
			out = append(out, breakLine(indent+"    "+it+",")...)
		}
	}
	return append(out, breakLine(indent+tail)...)
}

// breakArm wraps the body of a match arm that does not fit in a block
// when it fits on one line there.
func breakArm(indent, content string) []string {
	arrow := strings.Index(content, " => ")
	if arrow < 0 || !strings.HasSuffix(content, ",") || strings.ContainsAny(content[:arrow], "({[\"") {
		return nil
	}
	body := strings.TrimSuffix(content[arrow+4:], ",")
	if len(indent)+4+len(body) > maxWidth {
		return nil
	}
	if o, _ := outerGroup(body); o > 0 && shortCallee(body[:o+1]) {
		// rustfmt (1.63) keeps a short callee on the arm line and breaks
		// its argument instead.
		return nil
	}
	return []string{indent + content[:arrow] + " => {", indent + "    " + body, indent + "}"}
}

// isCombinedArm reports whether content is a match arm whose body is a
// short callee (Ok, Err) applied to a call: rustfmt (1.63) wraps those
// already at exactly max_width.
func isCombinedArm(content string) bool {
	arrow := strings.Index(content, " => ")
	if arrow < 0 || !strings.HasSuffix(content, ",") {
		return false
	}
	body := content[arrow+4:]
	o, _ := outerGroup(body)
	if o <= 0 || !shortCallee(body[:o+1]) {
		return false
	}
	inner, _ := outerGroup(body[o+1:])
	return inner > 0
}

// breakNoParamFn breaks a long signature without parameters: a tuple in
// the return type goes one element per line, else the return type moves
// to the next line after an empty parameter list.
func breakNoParamFn(indent, content string) []string {
	i := strings.Index(content, "() -> ")
	if i < 0 || !strings.Contains(content[:i], "fn ") {
		return nil
	}
	ret := content[i+3:]
	if j := strings.IndexByte(ret, '('); j >= 0 {
		open := i + 3 + j
		close := -1
		scanCode(content[open:], func(k int, c byte, depth int) bool {
			if depth == 1 && c == ')' {
				close = open + k
				return false
			}
			return true
		})
		if close > 0 {
			out := []string{indent + content[:open+1]}
			for _, it := range splitTopLevel(content[open+1 : close]) {
				out = append(out, breakLine(indent+"    "+it+",")...)
			}
			return append(out, indent+content[close:])
		}
	}
	return append([]string{indent + content[:i+1]}, breakLine(indent+content[i+1:])...)
}

// breakAssignment moves the value of a let or type alias that does not
// fit onto the next line when it fits there.
func breakAssignment(indent, content string) []string {
	if !strings.HasPrefix(content, "let ") && !strings.HasPrefix(content, "pub type ") {
		return nil
	}
	eq := strings.Index(content, " = ")
	if eq < 0 || strings.ContainsAny(content[:eq], "([{\"") {
		return nil
	}
	rhs := content[eq+3:]
	if strings.HasSuffix(rhs, "{") {
		return nil
	}
	if len(indent)+4+len(rhs) <= maxWidth {
		return []string{indent + content[:eq+2], indent + "    " + rhs}
	}
	// When even the first line of the broken value does not fit after
	// the `=`, the value starts on the next line if it fits there.
	open, _ := outerGroup(rhs)
	if open < 0 || len(indent)+eq+3+open+1 <= maxWidth || len(indent)+4+open+1 > maxWidth {
		return nil
	}
	return append([]string{indent + content[:eq+2]}, breakLine(indent+"    "+rhs)...)
}

// breakImpl puts the `for` of a long impl header on its own line and the
// brace on the next.
func breakImpl(indent, content string) []string {
	i := strings.Index(content, " for ")
	if !strings.HasPrefix(content, "impl ") || i < 0 || !strings.HasSuffix(content, " {") {
		return nil
	}
	return []string{indent + content[:i], indent + "    " + strings.TrimSuffix(content[i+1:], " {"), indent + "{"}
}

// breakReturnType handles the `) -> T {` line closing a parameter list:
// the brace moves to its own line, or T's outer generic or tuple
// arguments go one per line.
func breakReturnType(indent, content string) []string {
	body := strings.TrimSuffix(content, " {")
	if body != content && len(indent)+len(body) <= maxWidth {
		return []string{indent + body, indent + "{"}
	}
	arrow := strings.Index(content, "-> ")
	if arrow < 0 {
		return []string{indent + content}
	}
	open := strings.IndexAny(content[arrow:], "<(")
	if open < 0 {
		return []string{indent + content}
	}
	open += arrow
	close := -1
	scanCode(content[open:], func(i int, c byte, depth int) bool {
		if depth == 1 && (c == '>' || c == ')') {
			close = open + i
			return false
		}
		return true
	})
	if close < 0 {
		return []string{indent + content}
	}
	out := []string{indent + content[:open+1]}
	for _, it := range splitTopLevel(content[open+1 : close]) {
		out = append(out, breakLine(indent+"    "+it+",")...)
	}
	return append(out, indent+content[close:])
}

// shortCallee reports whether the call opened by head has a callee
// shorter than a tab (rustfmt combines such a callee with its argument).
func shortCallee(head string) bool {
	name := strings.TrimSuffix(head, "(")
	if i := strings.LastIndexAny(name, " ([:!"); i >= 0 {
		if name[i] == ':' || name[i] == '!' {
			return false
		}
		name = name[i+1:]
	}
	return name != "" && len(name) < 4
}

// isTuple reports whether s is one parenthesized group with a top-level
// comma.
func isTuple(s string) bool {
	if !strings.HasPrefix(s, "(") {
		return false
	}
	open, close := outerGroup(s)
	return open == 0 && close == len(s)-1 && len(splitTopLevel(s[1:close])) > 1
}

// allSimple reports whether every call argument is a local name or a literal,
// which rustfmt packs several to a line.
func allSimple(items []string) bool {
	for _, it := range items {
		for i := 0; i < len(it); i++ {
			c := it[i]
			if !(c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
				return false
			}
		}
	}
	return len(items) > 1
}

// packItems lays items out as many to a line as fit, with a trailing comma.
func packItems(indent string, items []string) []string {
	var out []string
	line := indent
	for i, it := range items {
		piece := it + ","
		if line != indent && len(line)+1+len(piece) > maxWidth {
			out = append(out, line)
			line = indent
		}
		if line != indent {
			line += " "
		}
		line += piece
		if i == len(items)-1 {
			out = append(out, line)
		}
	}
	return out
}

// outerGroup finds the first top-level ( or [ group of s, returning the
// indexes of its brackets, or -1.
func outerGroup(s string) (open, close int) {
	open, close = -1, -1
	scanCode(s, func(i int, c byte, depth int) bool {
		switch {
		case depth == 0 && (c == '(' || c == '[') && i+1 < len(s) && s[i+1] != ')':
			open = i
		case depth == 1 && open >= 0 && (c == ')' || c == ']'):
			close = i
			return false
		}
		return true
	})
	if close < 0 {
		return -1, -1
	}
	return open, close
}

// splitTopLevel splits a bracket group's contents at top-level commas.
func splitTopLevel(s string) []string {
	var items []string
	start := 0
	scanCode(s, func(i int, c byte, depth int) bool {
		if c == ',' && depth == 0 {
			items = append(items, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
		return true
	})
	if last := strings.TrimSpace(s[start:]); last != "" {
		items = append(items, last)
	}
	return items
}

// scanCode calls visit for each byte of s outside string literals with the
// bracket depth before it (generic <> counted, -> and => not), until visit
// returns false.
func scanCode(s string, visit func(i int, c byte, depth int) bool) {
	depth, inStr := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inStr {
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
			continue
		}
		if !visit(i, c, depth) {
			return
		}
		switch c {
		case '"':
			inStr = true
		case '(', '[', '{', '<':
			depth++
		case ')', ']', '}':
			depth--
		case '>':
			if i == 0 || s[i-1] != '-' && s[i-1] != '=' {
				depth--
			}
		}
	}
}
