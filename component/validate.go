package component

import (
	"fmt"

	"github.com/witgo/witgo/component/wasm"
)

// maxTypeSize bounds the effective size of any type (a type's nodes
// counted with repetition), so that type comparisons stay cheap even for
// types built by repeated doubling.
const maxTypeSize = 1_000_000

// maxTypeDepth bounds how deeply value types nest, which bounds the
// recursion of every walk over a type (an implementation limit; real
// types are a few levels deep).
const maxTypeDepth = 10_000

type scopeKind int

const (
	scopeComponent scopeKind = iota
	scopeComponentType
	scopeInstanceType
)

// scope holds the index spaces of one component or component/instance type.
type scope struct {
	parent *scope
	kind   scopeKind

	coreTypes     []coreTypeEntry
	coreFuncs     []*wasm.FuncType
	coreTables    []wasm.TableType
	coreMems      []wasm.MemType
	coreGlobals   []wasm.GlobalType
	coreTags      []*wasm.FuncType
	coreModules   []*moduleT
	coreInstances []*coreInstT

	types      []typeEntry
	funcs      []*funcT
	values     []*vtype
	components []*compT
	instances  []*instT

	imports, exports         []namedExt
	importNames, exportNames nameSet
	imported                 []*resource // resources introduced by imports
	defined                  []*resource // type scopes: resources introduced by exports
	// Nominal types (*vtype) and resources (*resource) named by an
	// import or export of this scope (the external-visibility rule).
	namedImp, namedExp map[any]bool
	// Resource names per direction, for [constructor], [method], [static].
	importRes, exportRes map[string]*resource
}

func newScope(parent *scope, kind scopeKind) *scope {
	return &scope{parent: parent, kind: kind, namedImp: map[any]bool{}, namedExp: map[any]bool{},
		importRes: map[string]*resource{}, exportRes: map[string]*resource{}}
}

// validator carries the current position for error messages.
type validator struct {
	sec     string
	meta    *SectionMeta
	item    int
	depth   int
	counter int
}

func (v *validator) errorf(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	off := -1
	if v.meta != nil {
		off = v.meta.itemOffset(v.item)
	}
	if v.item >= 0 {
		msg = fmt.Sprintf("item %d: %s", v.item, msg)
	}
	return &Error{Offset: off, Context: v.sec, Msg: msg}
}

// Validate checks the semantic rules of the component model: index
// spaces, types of canonical definitions, instantiation arguments,
// aliases, resources and import/export names. The error carries the
// offset of the section (as decoded) and the index of the offending item.
//
// A component built by hand with inconsistent fields (say a Type whose
// Kind is KindFunc but whose Func is nil) is reported as an error too.
func Validate(c *Component) (err error) {
	v := &validator{item: -1}
	defer func() {
		// Decode never produces such ASTs; this guards hand-built ones.
		if r := recover(); r != nil {
			err = v.errorf("malformed component AST: %v", r)
		}
	}()
	_, err = v.component(c, nil)
	return err
}

// component validates c in a new scope under parent and returns its type.
func (v *validator) component(c *Component, parent *scope) (*compT, error) {
	v.depth++
	defer func() { v.depth-- }()
	if v.depth > MaxNesting {
		return nil, v.errorf("nesting too deep")
	}
	s := newScope(parent, scopeComponent)
	for _, sec := range c.Sections {
		v.sec, v.meta, v.item = sectionNames[sec.ID()], sec.meta(), -1
		if err := v.section(s, sec); err != nil {
			return nil, err
		}
	}
	return v.componentTypeOf(s)
}

func (v *validator) section(s *scope, sec Section) error {
	switch sec := sec.(type) {
	case *CustomSection:
		return nil
	case *CoreModuleSection:
		mt, err := v.coreModule(sec.Module)
		if err != nil {
			return err
		}
		s.coreModules = append(s.coreModules, mt)
	case *CoreInstanceSection:
		for i, ci := range sec.Instances {
			v.item = i
			if err := v.coreInstance(s, ci); err != nil {
				return err
			}
		}
	case *CoreTypeSection:
		for i, ct := range sec.Types {
			v.item = i
			if err := v.coreTypeDef(s, ct); err != nil {
				return err
			}
		}
	case *ComponentSection:
		ct, err := v.component(sec.Component, s)
		if err != nil {
			return err
		}
		s.components = append(s.components, ct)
	case *InstanceSection:
		for i, in := range sec.Instances {
			v.item = i
			if err := v.instance(s, in); err != nil {
				return err
			}
		}
	case *AliasSection:
		for i, a := range sec.Aliases {
			v.item = i
			if err := v.alias(s, a); err != nil {
				return err
			}
		}
	case *TypeSection:
		for i, t := range sec.Types {
			v.item = i
			te, err := v.typeDef(s, t)
			if err != nil {
				return err
			}
			s.types = append(s.types, te)
		}
	case *CanonSection:
		for i, c := range sec.Funcs {
			v.item = i
			if err := v.canon(s, c); err != nil {
				return err
			}
		}
	case *StartSection:
		return v.start(s, sec.Start)
	case *ImportSection:
		for i, im := range sec.Imports {
			v.item = i
			if err := v.importDecl(s, im.Name, im.Desc); err != nil {
				return err
			}
		}
	case *ExportSection:
		for i, ex := range sec.Exports {
			v.item = i
			if err := v.export(s, ex); err != nil {
				return err
			}
		}
	case *ValueSection:
		for i, val := range sec.Values {
			v.item = i
			t, err := v.valType(s, val.Type)
			if err != nil {
				return err
			}
			if err := v.checkValue(t, val.Data); err != nil {
				return err
			}
			s.values = append(s.values, t)
		}
	}
	return nil
}

// componentTypeOf builds the type of a validated concrete component.
func (v *validator) componentTypeOf(s *scope) (*compT, error) {
	ct := &compT{imports: s.imports, exports: s.exports, imported: s.imported}
	ct.hasRes = anyRes(ct.imports, ct.exports)
	isImported := map[*resource]bool{}
	for _, r := range s.imported {
		isImported[r] = true
	}
	seen := map[*resource]bool{}
	for _, e := range s.exports {
		forEachResource(e.t, func(r *resource) {
			if !isImported[r] && !seen[r] {
				seen[r] = true
				ct.defined = append(ct.defined, r)
			}
		})
	}
	return ct, v.sizeCompT(ct)
}

func (v *validator) sizeCompT(ct *compT) error {
	n := 1
	for _, e := range ct.imports {
		n += e.t.size()
	}
	for _, e := range ct.exports {
		n += e.t.size()
	}
	ct.size = n
	return v.checkSize(n)
}

func (v *validator) checkSize(n int) error {
	if n > maxTypeSize {
		return v.errorf("effective type size exceeds the limit of %d", maxTypeSize)
	}
	return nil
}

func (v *validator) start(s *scope, st Start) error {
	if int(st.Func) >= len(s.funcs) {
		return v.errorf("function index out of bounds: %d", st.Func)
	}
	f := s.funcs[st.Func]
	if len(st.Args) != len(f.params) {
		return v.errorf("start function expects %d arguments, found %d", len(f.params), len(st.Args))
	}
	for i, a := range st.Args {
		if int(a) >= len(s.values) {
			return v.errorf("value index out of bounds: %d", a)
		}
		if err := v.valEqual(s.values[a], f.params[i].t, newMatcher()); err != nil {
			return err
		}
	}
	nres := 0
	if f.result != nil {
		nres = 1
		s.values = append(s.values, f.result)
	}
	if int(st.Results) != nres {
		return v.errorf("start function has %d results, found %d", nres, st.Results)
	}
	return nil
}
