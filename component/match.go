package component

import (
	"fmt"

	"github.com/witgo/witgo/component/wasm"
)

// matcher compares types whose abstract resources may still be bound:
// a bindable resource unifies with the first resource it is compared to.
type matcher struct {
	bind     map[*resource]*resource
	bindable map[*resource]bool
}

func newMatcher() *matcher {
	return &matcher{bind: map[*resource]*resource{}, bindable: map[*resource]bool{}}
}

func (m *matcher) allow(rs []*resource) {
	for _, r := range rs {
		m.bindable[r.root()] = true
	}
}

func (m *matcher) resolve(r *resource) *resource {
	r = r.root()
	for i := 0; i < 1000; i++ {
		n, ok := m.bind[r]
		if !ok {
			return r
		}
		r = n.root()
	}
	return r
}

func (m *matcher) sameRes(a, e *resource) bool {
	a, e = m.resolve(a), m.resolve(e)
	switch {
	case a == e:
		return true
	case m.bindable[e]:
		m.bind[e] = a
		return true
	case m.bindable[a]:
		m.bind[a] = e
		return true
	}
	return false
}

var kindNames = map[byte]string{
	KindRecord: "record", KindVariant: "variant", KindList: "list", KindFixedList: "list",
	KindTuple: "tuple", KindFlags: "flags", KindEnum: "enum", KindOption: "option",
	KindResult: "result", KindOwn: "own", KindBorrow: "borrow", KindStream: "stream",
	KindFuture: "future", KindMap: "map",
}

var primNames = map[byte]string{
	Bool: "bool", S8: "s8", U8: "u8", S16: "s16", U16: "u16", S32: "s32", U32: "u32",
	S64: "s64", U64: "u64", F32: "f32", F64: "f64", Char: "char", String: "string",
	ErrorContext: "error-context",
}

func (t *vtype) String() string {
	if t.kind == KindPrim {
		return primNames[t.prim]
	}
	return kindNames[t.kind]
}

func mismatch(format string, args ...any) error { return fmt.Errorf(format, args...) }

// valEqual checks that the actual value type a equals the expected e.
func (v *validator) valEqual(a, e *vtype, m *matcher) error {
	if err := valEq(a, e, m); err != nil {
		return v.errorf("type mismatch: %v", err)
	}
	return nil
}

func optEq(a, e *vtype, m *matcher, what string) error {
	switch {
	case a == nil && e == nil:
		return nil
	case a == nil:
		return mismatch("expected %s type, but found none", what)
	case e == nil:
		return mismatch("expected %s type to not be present", what)
	}
	if err := valEq(a, e, m); err != nil {
		return mismatch("type mismatch in %s: %v", what, err)
	}
	return nil
}

func valEq(a, e *vtype, m *matcher) error {
	if a == e {
		return nil
	}
	if a.kind != e.kind {
		if a.kind == KindPrim && e.kind == KindPrim {
			return mismatch("expected primitive `%s` found primitive `%s`", e, a)
		}
		return mismatch("expected %s, found %s", e, a)
	}
	switch a.kind {
	case KindPrim:
		if a.prim != e.prim {
			return mismatch("expected primitive `%s` found primitive `%s`", e, a)
		}
	case KindRecord:
		if len(a.fields) != len(e.fields) {
			return mismatch("expected %d fields, found %d", len(e.fields), len(a.fields))
		}
		for i := range a.fields {
			if a.fields[i].name != e.fields[i].name {
				return mismatch("expected field name `%s`, found `%s`", e.fields[i].name, a.fields[i].name)
			}
			if err := valEq(a.fields[i].t, e.fields[i].t, m); err != nil {
				return mismatch("type mismatch in record field `%s`: %v", a.fields[i].name, err)
			}
		}
	case KindVariant:
		if len(a.fields) != len(e.fields) {
			return mismatch("expected %d cases, found %d", len(e.fields), len(a.fields))
		}
		for i := range a.fields {
			if a.fields[i].name != e.fields[i].name {
				return mismatch("expected case named `%s`, found `%s`", e.fields[i].name, a.fields[i].name)
			}
			if err := optEq(a.fields[i].t, e.fields[i].t, m, "variant case `"+a.fields[i].name+"`"); err != nil {
				return err
			}
		}
	case KindList, KindOption, KindFixedList:
		if a.length != e.length {
			return mismatch("expected list length %d, found %d", e.length, a.length)
		}
		return valEq(a.elem, e.elem, m)
	case KindTuple:
		if len(a.types) != len(e.types) {
			return mismatch("expected %d types, found %d", len(e.types), len(a.types))
		}
		for i := range a.types {
			if err := valEq(a.types[i], e.types[i], m); err != nil {
				return mismatch("type mismatch in tuple field %d: %v", i, err)
			}
		}
	case KindFlags, KindEnum:
		if len(a.labels) != len(e.labels) {
			return mismatch("mismatch in %s elements", kindNames[a.kind])
		}
		for i := range a.labels {
			if a.labels[i] != e.labels[i] {
				return mismatch("mismatch in %s elements", kindNames[a.kind])
			}
		}
	case KindResult:
		if err := optEq(a.ok, e.ok, m, "ok"); err != nil {
			return err
		}
		return optEq(a.err, e.err, m, "err")
	case KindOwn, KindBorrow:
		if !m.sameRes(a.res, e.res) {
			return mismatch("resource types are not the same")
		}
	case KindStream, KindFuture:
		return optEq(a.elem, e.elem, m, kindNames[a.kind]+" element")
	case KindMap:
		if err := valEq(a.elem, e.elem, m); err != nil {
			return err
		}
		return valEq(a.val, e.val, m)
	}
	return nil
}

func funcSub(a, e *funcT, m *matcher) error {
	if a.async != e.async {
		return mismatch("expected an async function, found a sync one, or the reverse")
	}
	if len(a.params) != len(e.params) {
		return mismatch("expected %d parameters, found %d", len(e.params), len(a.params))
	}
	for i := range a.params {
		if a.params[i].name != e.params[i].name {
			return mismatch("expected parameter named `%s`, found `%s`", e.params[i].name, a.params[i].name)
		}
		if err := valEq(a.params[i].t, e.params[i].t, m); err != nil {
			return mismatch("type mismatch in function parameter `%s`: %v", a.params[i].name, err)
		}
	}
	switch {
	case a.result == nil && e.result != nil:
		return mismatch("expected a result, found none")
	case a.result != nil && e.result == nil:
		return mismatch("expected no result, found one")
	case a.result != nil:
		if err := valEq(a.result, e.result, m); err != nil {
			return mismatch("type mismatch with result type: %v", err)
		}
	}
	return nil
}

func typeEntrySub(a, e typeEntry, m *matcher) error {
	switch {
	case e.res != nil:
		if a.res == nil {
			return mismatch("expected resource, found %s", a.describe())
		}
		if !m.sameRes(a.res, e.res) {
			return mismatch("resource types are not the same")
		}
		return nil
	case a.res != nil:
		return mismatch("expected %s, found resource", e.describe())
	case e.val != nil:
		if a.val == nil {
			return mismatch("expected defined type, found %s", a.describe())
		}
		return valEq(a.val, e.val, m)
	case e.fn != nil:
		if a.fn == nil {
			return mismatch("expected func type, found %s", a.describe())
		}
		return funcSub(a.fn, e.fn, m)
	case e.comp != nil:
		if a.comp == nil {
			return mismatch("expected component type, found %s", a.describe())
		}
		return compSub(a.comp, e.comp, m)
	}
	if a.inst == nil {
		return mismatch("expected instance type, found %s", a.describe())
	}
	return instSub(a.inst, e.inst, m)
}

// externSub checks that the actual item type a can be used where e is expected.
func externSub(a, e externT, m *matcher) error {
	if a.kind != e.kind {
		return mismatch("expected %s, found %s", externKindNames[e.kind], externKindNames[a.kind])
	}
	switch a.kind {
	case ExternModule:
		return moduleSub(a.module, e.module)
	case ExternFunc:
		return funcSub(a.fn, e.fn, m)
	case ExternValue:
		return valEq(a.val, e.val, m)
	case ExternType:
		return typeEntrySub(a.ty, e.ty, m)
	case ExternComponent:
		return compSub(a.comp, e.comp, m)
	}
	return instSub(a.inst, e.inst, m)
}

func instSub(a, e *instT, m *matcher) error {
	m.allow(e.defined)
	for _, ex := range e.exports {
		at, ok := a.export(ex.name)
		if !ok {
			return mismatch("missing expected export `%s`", ex.name)
		}
		if err := externSub(at, ex.t, m); err != nil {
			return mismatch("type mismatch in instance export `%s`: %v", ex.name, err)
		}
	}
	return nil
}

func findNamed(list []namedExt, name string) (externT, bool) {
	for _, e := range list {
		if e.name == name {
			return e.t, true
		}
	}
	return externT{}, false
}

func compSub(a, e *compT, m *matcher) error {
	m.allow(a.imported)
	for _, im := range a.imports {
		et, ok := findNamed(e.imports, im.name)
		if !ok {
			return mismatch("missing expected import `%s`", im.name)
		}
		if err := externSub(et, im.t, m); err != nil {
			return mismatch("type mismatch in import `%s`: %v", im.name, err)
		}
	}
	m.allow(e.defined)
	for _, ex := range e.exports {
		at, ok := findNamed(a.exports, ex.name)
		if !ok {
			return mismatch("missing expected export `%s`", ex.name)
		}
		if err := externSub(at, ex.t, m); err != nil {
			return mismatch("type mismatch in export `%s`: %v", ex.name, err)
		}
	}
	return nil
}

func moduleSub(a, e *moduleT) error {
	for _, im := range a.imports {
		var et *coreExtern
		for i := range e.imports {
			if e.imports[i].module == im.module && e.imports[i].name == im.name {
				et = &e.imports[i].t
			}
		}
		if et == nil {
			return mismatch("missing expected import `%s::%s`", im.module, im.name)
		}
		if err := coreExternSub(*et, im.t); err != nil {
			return mismatch("type mismatch in import `%s::%s`: %v", im.module, im.name, err)
		}
	}
	for _, ex := range e.exports {
		var at *coreExtern
		for i := range a.exports {
			if a.exports[i].name == ex.name {
				at = &a.exports[i].t
			}
		}
		if at == nil {
			return mismatch("missing expected export `%s`", ex.name)
		}
		if err := coreExternSub(*at, ex.t); err != nil {
			return mismatch("type mismatch in export `%s`: %v", ex.name, err)
		}
	}
	return nil
}

func limitsSub(a, e wasm.Limits) bool {
	if a.Min < e.Min || a.Flags&6 != e.Flags&6 {
		return false
	}
	if e.HasMax() {
		return a.HasMax() && a.Max <= e.Max
	}
	return true
}

func coreExternSub(a, e coreExtern) error {
	if a.kind != e.kind {
		return mismatch("expected %s, found %s", coreKindNames[e.kind], coreKindNames[a.kind])
	}
	switch a.kind {
	case wasm.ExternFunc, wasm.ExternTag:
		if !sameCoreFunc(a.fn, e.fn) {
			return mismatch("expected: %s, found: %s", funcString(e.fn), funcString(a.fn))
		}
	case wasm.ExternTable:
		if a.table.Elem != e.table.Elem {
			return mismatch("expected table element type %s, found %s", e.table.Elem, a.table.Elem)
		}
		if !limitsSub(a.table.Limits, e.table.Limits) {
			return mismatch("mismatch in table limits")
		}
	case wasm.ExternMemory:
		if !limitsSub(a.mem.Limits, e.mem.Limits) {
			return mismatch("mismatch in memory limits")
		}
	case wasm.ExternGlobal:
		if a.global.Val != e.global.Val {
			return mismatch("expected global type %s, found %s", e.global.Val, a.global.Val)
		}
		if a.global.Flags != e.global.Flags {
			return mismatch("global types differ in mutability")
		}
	}
	return nil
}

func funcString(f *wasm.FuncType) string {
	s := "(func"
	if len(f.Params) > 0 {
		s += " (param"
		for _, p := range f.Params {
			s += " " + p.String()
		}
		s += ")"
	}
	if len(f.Results) > 0 {
		s += " (result"
		for _, p := range f.Results {
			s += " " + p.String()
		}
		s += ")"
	}
	return s + ")"
}
