package rustgen

import (
	"fmt"
	"strings"

	"github.com/witgo/witgo/wit"
)

// typeMode says where a type is written: most places hold owned values;
// the parameters of imported functions borrow (`&str`, `&[T]`, `&R`).
type typeMode uint8

const (
	modeOwned typeMode = iota
	modeImportParam
)

// moduleTypes lists the named types a module declares, in order.
func (g *generator) moduleTypes(m *module) []wit.TypeID {
	var ids []wit.TypeID
	if m.hasIface {
		for id := range g.r.Interfaces[m.iface].Types.Values() {
			ids = append(ids, id)
		}
		return ids
	}
	if m.isWorld {
		for _, item := range g.worldDef().Imports.All() {
			if item.Kind == wit.ItemType {
				ids = append(ids, item.Type)
			}
		}
	}
	return ids
}

// declareNames names a module's types and functions before any code is
// written, so references across modules resolve.
func (g *generator) declareNames(m *module) error {
	if m.isWorld || m.exported {
		m.idents.take("Guest")
	}
	for _, id := range g.moduleTypes(m) {
		if int(id) < 0 || int(id) >= len(g.r.Types) || g.r.Types[id] == nil {
			return fmt.Errorf("rustgen: type #%d does not exist", id)
		}
		td := g.r.Types[id]
		m.types[id] = m.idents.take(camelName(td.Name))
	}
	for _, id := range g.moduleTypes(m) {
		if _, ok := g.r.Types[id].Kind.(*wit.Resource); ok && m.exported {
			m.traits[id] = m.idents.take("Guest" + m.types[id])
			m.borrows[id] = m.idents.take(m.types[id] + "Borrow")
		}
	}
	// Free functions share the module's value namespace; methods are named
	// within their resource's impl block.
	perResource := map[wit.TypeID]nameSet{}
	for _, f := range m.funcs {
		if f.Kind == wit.Freestanding {
			m.fnNames[f] = m.values.take(snakeName(f.Name))
			continue
		}
		ns := perResource[f.Resource]
		if ns == nil {
			// Names the resource's own impl uses.
			ns = nameSet{}
			if !m.exported { // the trait of an exported resource has only WIT names
				for _, n := range []string{"handle", "take_handle", "from_handle", "from_borrowed_handle"} {
					ns[n] = true
				}
			}
			perResource[f.Resource] = ns
		}
		name := "new"
		if f.Kind != wit.Constructor {
			name = snakeName(f.ItemName())
		}
		m.fnNames[f] = ns.take(name)
	}
	return nil
}

// followAlias resolves type aliases to the defining type.
func (g *generator) followAlias(id wit.TypeID) wit.TypeID {
	for i := 0; i < 100; i++ {
		a, ok := g.r.Types[id].Kind.(*wit.Alias)
		if !ok {
			return id
		}
		next, ok := a.Type.TypeID()
		if !ok {
			return id
		}
		id = next
	}
	return id
}

// typeHome is the module that declares named type id, as seen from cur.
func (g *generator) typeHome(id wit.TypeID, cur *module) *module {
	td := g.r.Types[id]
	switch td.Owner.Kind {
	case wit.OwnerInterface:
		if cur != nil && cur.exported && cur.iface == td.Owner.Interface {
			return cur
		}
		if m := g.importMod[td.Owner.Interface]; m != nil {
			return m
		}
		return g.exportMod[td.Owner.Interface]
	case wit.OwnerWorld:
		return g.root
	}
	return nil
}

// namedPath is the path of a named type (or, with names, of its trait or
// borrow type) as written in module cur.
func (g *generator) namedPath(id wit.TypeID, cur *module, names func(*module) map[wit.TypeID]string) (string, error) {
	home := g.typeHome(id, cur)
	if home == nil {
		return "", fmt.Errorf("rustgen: type %s belongs to no interface or world the world uses", g.r.Types[id].Name)
	}
	name, ok := names(home)[id]
	if !ok {
		return "", fmt.Errorf("rustgen: type %s is not declared in module %s", g.r.Types[id].Name, strings.Join(home.segments(), "::"))
	}
	return cur.pathTo(home) + name, nil
}

func typesOf(m *module) map[wit.TypeID]string { return m.types }

var primitiveRust = map[wit.Type]string{
	wit.Bool: "bool", wit.U8: "u8", wit.U16: "u16", wit.U32: "u32", wit.U64: "u64",
	wit.S8: "i8", wit.S16: "i16", wit.S32: "i32", wit.S64: "i64",
	wit.F32: "f32", wit.F64: "f64", wit.Char: "char", wit.String: "String",
}

// rustType is the Rust type of t as written in module cur.
func (g *generator) rustType(t wit.Type, cur *module, mode typeMode) (string, error) {
	if t == wit.NoType {
		return "()", nil
	}
	if t.IsPrimitive() {
		if s, ok := primitiveRust[t]; ok {
			return s, nil
		}
		return "", fmt.Errorf("rustgen: type %s is not supported by the Rust generator yet", g.abi.TypeString(t))
	}
	id, _ := t.TypeID()
	if int(id) < 0 || int(id) >= len(g.r.Types) || g.r.Types[id] == nil {
		return "", fmt.Errorf("rustgen: type #%d does not exist", id)
	}
	td := g.r.Types[id]
	if td.Name != "" {
		return g.namedPath(id, cur, typesOf)
	}
	return g.structural(td.Kind, t, cur, mode)
}

// structural renders a type by its structure (for anonymous types, and
// named ones like `type bytes = list<u8>`).
func (g *generator) structural(kind wit.TypeDefKind, t wit.Type, cur *module, mode typeMode) (string, error) {
	sub := func(u wit.Type) (string, error) { return g.rustType(u, cur, mode) }
	switch k := kind.(type) {
	case *wit.Alias:
		return sub(k.Type)
	case *wit.List:
		el, err := sub(k.Elem)
		return "Vec<" + el + ">", err
	case *wit.FixedList:
		el, err := sub(k.Elem)
		return fmt.Sprintf("[%s; %d]", el, k.Len), err
	case *wit.Map:
		kt, err := sub(k.Key)
		if err != nil {
			return "", err
		}
		vt, err := sub(k.Value)
		return "Vec<(" + kt + ", " + vt + ")>", err
	case *wit.Option:
		el, err := sub(k.Type)
		return "Option<" + el + ">", err
	case *wit.Result:
		okT, err := sub(k.OK)
		if err != nil {
			return "", err
		}
		errT, err := sub(k.Err)
		return "Result<" + okT + ", " + errT + ">", err
	case *wit.Tuple:
		parts := make([]string, len(k.Types))
		for i, u := range k.Types {
			s, err := sub(u)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		if len(parts) == 1 {
			return "(" + parts[0] + ",)", nil
		}
		return "(" + strings.Join(parts, ", ") + ")", nil
	case *wit.Own:
		return g.namedPath(g.followAlias(k.Resource), cur, typesOf)
	case *wit.Borrow:
		res := g.followAlias(k.Resource)
		home := g.typeHome(res, cur)
		if home != nil && home.exported && mode == modeOwned {
			return g.namedPath(res, cur, func(m *module) map[wit.TypeID]string { return m.borrows })
		}
		p, err := g.namedPath(res, cur, typesOf)
		if mode == modeImportParam {
			return "&" + p, err
		}
		return p, err
	}
	return "", fmt.Errorf("rustgen: type %s is not supported by the Rust generator yet (async types and error-context are refused)", g.abi.TypeString(t))
}

// paramType is the Rust type of a parameter of an imported function:
// strings, lists and compound values without owned handles are borrowed.
func (g *generator) paramType(t wit.Type, cur *module) (string, bool, error) {
	s, err := g.rustType(t, cur, modeImportParam)
	if err != nil {
		return "", false, err
	}
	if t == wit.String {
		return "&str", true, nil
	}
	// Small plain values (numbers, enums, flags, and options, results,
	// tuples, records of them) are Copy: passed by value like numbers.
	if t.IsPrimitive() || g.isCopyLike(t) || g.hasOwnHandle(t) || !g.hasHeap(t) && !g.hasHandle(t) {
		return s, false, nil
	}
	if id, ok := t.TypeID(); ok {
		td := g.r.Types[g.followAliasAnon(id)]
		if l, ok := td.Kind.(*wit.List); ok && td.Name == "" {
			el, err := g.rustType(l.Elem, cur, modeImportParam)
			return "&[" + el + "]", true, err
		}
		if mp, ok := td.Kind.(*wit.Map); ok && td.Name == "" {
			kt, err := g.rustType(mp.Key, cur, modeImportParam)
			if err != nil {
				return "", false, err
			}
			vt, err := g.rustType(mp.Value, cur, modeImportParam)
			return "&[(" + kt + ", " + vt + ")]", true, err
		}
	}
	return "&" + s, true, nil
}

// followAliasAnon follows only anonymous aliases.
func (g *generator) followAliasAnon(id wit.TypeID) wit.TypeID {
	for i := 0; i < 100; i++ {
		a, ok := g.r.Types[id].Kind.(*wit.Alias)
		if !ok || g.r.Types[id].Name != "" {
			return id
		}
		next, ok := a.Type.TypeID()
		if !ok {
			return id
		}
		id = next
	}
	return id
}

// isCopyLike: enums, flags and borrow handles are passed by value.
func (g *generator) isCopyLike(t wit.Type) bool {
	id, ok := t.TypeID()
	if !ok {
		return true
	}
	switch g.r.Types[g.followAlias(id)].Kind.(type) {
	case *wit.Enum, *wit.Flags, *wit.Borrow:
		return true
	}
	return false
}

// hasHandle reports whether values of t hold a resource handle (so they
// are neither Clone nor PartialEq).
func (g *generator) hasHandle(t wit.Type) bool { return g.scanHandles(t, false) }

// hasOwnHandle reports whether values of t hold an owned handle.
func (g *generator) hasOwnHandle(t wit.Type) bool { return g.scanHandles(t, true) }

func (g *generator) scanHandles(t wit.Type, ownOnly bool) bool {
	id, ok := t.TypeID()
	if !ok || t == wit.NoType {
		return false
	}
	key := id
	if ownOnly {
		key = -id - 1
	}
	if v, ok := g.handles[key]; ok {
		return v == 2
	}
	g.handles[key] = 1 // a recursive type is refused elsewhere
	found := false
	any := func(ts ...wit.Type) bool {
		for _, u := range ts {
			if g.scanHandles(u, ownOnly) {
				return true
			}
		}
		return false
	}
	switch k := g.r.Types[id].Kind.(type) {
	case *wit.Resource, *wit.Own:
		found = true
	case *wit.Borrow:
		found = !ownOnly
	case *wit.Alias:
		found = any(k.Type)
	case *wit.List:
		found = any(k.Elem)
	case *wit.FixedList:
		found = any(k.Elem)
	case *wit.Map:
		found = any(k.Key, k.Value)
	case *wit.Option:
		found = any(k.Type)
	case *wit.Result:
		found = any(k.OK, k.Err)
	case *wit.Tuple:
		found = any(k.Types...)
	case *wit.Record:
		for _, f := range k.Fields {
			found = found || any(f.Type)
		}
	case *wit.Variant:
		for _, c := range k.Cases {
			found = found || any(c.Type)
		}
	}
	if found {
		g.handles[key] = 2
	}
	return found
}

// derives is the derive list for a record or variant.
func (g *generator) derives(t wit.Type) string {
	if g.hasHandle(t) {
		return "#[derive(Debug)]"
	}
	d := "Clone"
	if !g.hasHeap(t) {
		d += ", Copy"
	}
	d += ", Debug, PartialEq"
	if !g.hasFloat(t) {
		d += ", Eq, Hash"
	}
	return "#[derive(" + d + ")]"
}

// hasFloat reports whether values of t hold an f32 or f64 (no Eq, Hash).
func (g *generator) hasFloat(t wit.Type) bool {
	return g.scanLeaves(t, map[wit.TypeID]bool{}, func(p wit.Type) bool { return p == wit.F32 || p == wit.F64 })
}

// hasHeap reports whether values of t own heap memory (no Copy).
func (g *generator) hasHeap(t wit.Type) bool {
	return g.scanLeaves(t, map[wit.TypeID]bool{}, func(p wit.Type) bool { return p == wit.String })
}

// scanLeaves reports whether leaf holds for a primitive inside t; lists
// and maps count as heap (a String leaf), resources as neither.
func (g *generator) scanLeaves(t wit.Type, seen map[wit.TypeID]bool, leaf func(wit.Type) bool) bool {
	if t == wit.NoType {
		return false
	}
	if t.IsPrimitive() {
		return leaf(t)
	}
	id, _ := t.TypeID()
	if seen[id] || int(id) >= len(g.r.Types) || g.r.Types[id] == nil {
		return false
	}
	seen[id] = true
	sub := func(ts ...wit.Type) bool {
		for _, u := range ts {
			if g.scanLeaves(u, seen, leaf) {
				return true
			}
		}
		return false
	}
	switch k := g.r.Types[id].Kind.(type) {
	case *wit.Alias:
		return sub(k.Type)
	case *wit.List:
		return leaf(wit.String) || sub(k.Elem)
	case *wit.Map:
		return leaf(wit.String) || sub(k.Key, k.Value)
	case *wit.FixedList:
		return sub(k.Elem)
	case *wit.Option:
		return sub(k.Type)
	case *wit.Result:
		return sub(k.OK, k.Err)
	case *wit.Tuple:
		return sub(k.Types...)
	case *wit.Record:
		for _, f := range k.Fields {
			if sub(f.Type) {
				return true
			}
		}
	case *wit.Variant:
		for _, c := range k.Cases {
			if sub(c.Type) {
				return true
			}
		}
	}
	return false
}

// docLines renders WIT documentation as /// lines.
func docLines(docs, pad string) string {
	docs = strings.TrimSpace(docs)
	if docs == "" {
		return ""
	}
	var sb strings.Builder
	for _, l := range strings.Split(docs, "\n") {
		l = strings.TrimRight(l, " \t\r")
		if l == "" {
			sb.WriteString(pad + "///\n")
			continue
		}
		sb.WriteString(pad + "/// " + l + "\n")
	}
	return sb.String()
}

// declareTypes writes the module's named types.
func (g *generator) declareTypes(m *module) error {
	w := &m.body
	for _, id := range g.moduleTypes(m) {
		td := g.r.Types[id]
		name := m.types[id]
		t := wit.Ref(id)
		w.WriteString(docLines(td.Docs, ""))
		switch k := td.Kind.(type) {
		case *wit.Record:
			if len(k.Fields) == 0 {
				fmt.Fprintf(w, "%s\npub struct %s {}\n\n", g.derives(t), name)
				break
			}
			fmt.Fprintf(w, "%s\npub struct %s {\n", g.derives(t), name)
			fields := fieldNames(k)
			for i, f := range k.Fields {
				ft, err := g.rustType(f.Type, m, modeOwned)
				if err != nil {
					return err
				}
				w.WriteString(docLines(f.Docs, "    "))
				fmt.Fprintf(w, "    pub %s: %s,\n", fields[i], ft)
			}
			w.WriteString("}\n\n")
		case *wit.Variant:
			fmt.Fprintf(w, "%s\npub enum %s {\n", g.derives(t), name)
			cases := caseNames(k)
			for i, c := range k.Cases {
				w.WriteString(docLines(c.Docs, "    "))
				if c.Type == wit.NoType {
					fmt.Fprintf(w, "    %s,\n", cases[i])
					continue
				}
				ct, err := g.rustType(c.Type, m, modeOwned)
				if err != nil {
					return err
				}
				fmt.Fprintf(w, "    %s(%s),\n", cases[i], ct)
			}
			w.WriteString("}\n\n")
		case *wit.Enum:
			fmt.Fprintf(w, "#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]\npub enum %s {\n", name)
			cases := enumCaseNames(k)
			for i, c := range k.Cases {
				w.WriteString(docLines(c.Docs, "    "))
				fmt.Fprintf(w, "    %s,\n", cases[i])
			}
			w.WriteString("}\n\n")
		case *wit.Flags:
			if err := g.declareFlags(m, id, k); err != nil {
				return err
			}
		case *wit.Resource:
			var err error
			if m.exported {
				err = g.declareExportedResource(m, id)
			} else {
				err = g.declareImportedResource(m, id)
			}
			if err != nil {
				return err
			}
		default:
			target := t
			if a, ok := k.(*wit.Alias); ok {
				target = a.Type
				if tid, ok := target.TypeID(); ok && int(tid) < len(g.r.Types) && g.r.Types[tid] != nil {
					if _, isRes := g.r.Types[g.followAlias(tid)].Kind.(*wit.Resource); isRes {
						if err := g.aliasResource(m, name, g.followAlias(tid)); err != nil {
							return err
						}
						continue
					}
				}
			} else {
				// A named list, option, tuple, ...: alias the anonymous form.
				target = wit.NoType
			}
			var rt string
			var err error
			if target == wit.NoType {
				rt, err = g.anonType(id, m)
			} else {
				rt, err = g.rustType(target, m, modeOwned)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "pub type %s = %s;\n\n", name, rt)
		}
	}
	return nil
}

// anonType renders a named non-nominal typedef (type x = list<u8>) by its
// structure rather than its name.
func (g *generator) anonType(id wit.TypeID, m *module) (string, error) {
	return g.structural(g.r.Types[id].Kind, wit.Ref(id), m, modeOwned)
}

// aliasResource writes `use` of a resource under a local name, with the
// trait and borrow types of an exported one.
func (g *generator) aliasResource(m *module, name string, res wit.TypeID) error {
	p, err := g.namedPath(res, m, typesOf)
	if err != nil {
		return err
	}
	fmt.Fprintf(&m.body, "pub type %s = %s;\n\n", name, p)
	return nil
}

// fieldNames are the Rust field names of a record.
func fieldNames(r *wit.Record) []string {
	ns := nameSet{}
	out := make([]string, len(r.Fields))
	for i, f := range r.Fields {
		out[i] = ns.take(snakeName(f.Name))
	}
	return out
}

func caseNames(v *wit.Variant) []string {
	labels := make([]string, len(v.Cases))
	for i, c := range v.Cases {
		labels[i] = c.Name
	}
	return uniqueCases(labels)
}

func enumCaseNames(e *wit.Enum) []string {
	labels := make([]string, len(e.Cases))
	for i, c := range e.Cases {
		labels[i] = c.Name
	}
	return uniqueCases(labels)
}

// uniqueCases names the cases of a variant or enum.
func uniqueCases(labels []string) []string {
	ns := nameSet{}
	out := make([]string, len(labels))
	for i, l := range labels {
		out[i] = ns.take(camelCase(l))
	}
	return out
}

// camelCase is camelName for enum cases, which live in their enum's
// namespace (only Self is off limits).
func camelCase(label string) string {
	s := camelName(label)
	if strings.HasSuffix(s, "Type") && reservedTypes[strings.TrimSuffix(s, "Type")] && strings.TrimSuffix(s, "Type") != "Self" {
		return strings.TrimSuffix(s, "Type")
	}
	return s
}

func (g *generator) declareFlags(m *module, id wit.TypeID, k *wit.Flags) error {
	// Flags outside 1..32 labels are declared (u64 bits) but canonabi
	// refuses any function that uses them.
	n := len(k.Flags)
	bits := "u64"
	switch {
	case n <= 8:
		bits = "u8"
	case n <= 16:
		bits = "u16"
	case n <= 32:
		bits = "u32"
	}
	name := m.types[id]
	w := &m.body
	fmt.Fprintf(w, "#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]\npub struct %s {\n    pub bits: %s,\n}\n\n", name, bits)
	fmt.Fprintf(w, "impl %s {\n", name)
	consts := nameSet{"ALL": true, "EMPTY": true}
	for i, f := range k.Flags {
		if i >= 64 {
			break
		}
		w.WriteString(docLines(f.Docs, "    "))
		fmt.Fprintf(w, "    pub const %s: %s = %s { bits: 1 << %d };\n", consts.take(screamingName(f.Name)), name, name, i)
	}
	all := uint64(1)<<uint(n) - 1
	fmt.Fprintf(w, "    pub const EMPTY: %s = %s { bits: 0 };\n", name, name)
	fmt.Fprintf(w, "    pub const ALL: %s = %s { bits: %#x };\n\n", name, name, all)
	fmt.Fprintf(w, "    /// Whether every flag of other is set in self.\n")
	fmt.Fprintf(w, "    pub const fn contains(self, other: %s) -> bool {\n        self.bits & other.bits == other.bits\n    }\n\n", name)
	fmt.Fprintf(w, "    pub const fn is_empty(self) -> bool {\n        self.bits == 0\n    }\n\n")
	fmt.Fprintf(w, "    pub fn insert(&mut self, other: %s) {\n        self.bits |= other.bits;\n    }\n\n", name)
	fmt.Fprintf(w, "    pub fn remove(&mut self, other: %s) {\n        self.bits &= !other.bits;\n    }\n\n", name)
	fmt.Fprintf(w, "    /// The flags of bits, ignoring bits past the last label.\n")
	fmt.Fprintf(w, "    pub const fn from_bits_truncate(bits: %s) -> %s {\n        %s\n    }\n}\n\n", bits, name, structLit(name, fmt.Sprintf("bits: bits & %#x", all), "        "))
	for _, op := range [][3]string{{"BitOr", "bitor", "|"}, {"BitAnd", "bitand", "&"}, {"BitXor", "bitxor", "^"}} {
		fmt.Fprintf(w, "impl ::core::ops::%s for %s {\n    type Output = %s;\n    fn %s(self, other: %s) -> %s {\n        %s {\n            bits: self.bits %s other.bits,\n        }\n    }\n}\n\n",
			op[0], name, name, op[1], name, name, name, op[2])
	}
	fmt.Fprintf(w, "impl ::core::ops::Sub for %s {\n    type Output = %s;\n    fn sub(self, other: %s) -> %s {\n        %s {\n            bits: self.bits & !other.bits,\n        }\n    }\n}\n\n",
		name, name, name, name, name)
	return nil
}
