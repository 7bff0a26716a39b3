package gogen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/wit"
)

// typeIDs lists the named types a package declares, in WIT order.
func (g *generator) typeIDs(p *goPackage) []wit.TypeID {
	if !p.isWorld {
		var ids []wit.TypeID
		for id := range g.r.Interfaces[p.iface].Types.Values() {
			ids = append(ids, id)
		}
		return ids
	}
	var ids []wit.TypeID
	w := g.worldDef()
	for _, items := range []*wit.OrderedMap[wit.WorldKey, *wit.WorldItem]{&w.Imports, &w.Exports} {
		for _, item := range items.All() {
			if item.Kind == wit.ItemType {
				ids = append(ids, item.Type)
			}
		}
	}
	return ids
}

// declareNames assigns every package-level identifier of p before any code
// is generated, so references between packages agree.
func (g *generator) declareNames(p *goPackage) error {
	if g.hasExports(p) {
		p.idents.take("Exports")
		p.idents.take("Export")
		p.wasmName["impl"] = p.idents.take("exportsImpl")
	}
	ids := g.typeIDs(p)
	for _, id := range ids {
		p.types[id] = p.idents.take(GoName(g.r.Types[id].Name))
	}
	for _, id := range ids {
		td := g.r.Types[id]
		switch k := td.Kind.(type) {
		case *wit.Variant:
			names := make([]string, len(k.Cases))
			for i, c := range k.Cases {
				names[i] = p.idents.take(p.types[id] + GoName(c.Name))
			}
			p.cases[id] = names
		case *wit.Resource:
			if p.exported {
				p.wasmName[fmt.Sprint("table", id)] = p.idents.take(localName(td.Name) + "Table")
				for _, k := range []string{"new", "rep", "drop", "dtor"} {
					p.wasmName[fmt.Sprint(k, id)] = p.idents.take("wasm_resource_" + k + "_" + identChars(td.Name))
				}
			} else {
				p.fromH[id] = p.idents.take(p.types[id] + "FromHandle")
			}
		}
	}
	methodNames := map[wit.TypeID]nameSet{}
	for _, pf := range p.funcs {
		f := pf.f
		switch f.Kind {
		case wit.Freestanding:
			p.methods[f] = p.idents.take(GoName(f.Name))
		case wit.Constructor:
			p.methods[f] = p.idents.take("New" + g.resourceName(p, f.Resource))
		case wit.Static:
			p.methods[f] = p.idents.take(g.resourceName(p, f.Resource) + GoName(f.ItemName()))
		case wit.Method:
			ns := methodNames[f.Resource]
			if ns == nil {
				ns = nameSet{"Handle": !pf.exported, "Drop": !pf.exported}
				methodNames[f.Resource] = ns
			}
			p.methods[f] = ns.take(GoName(f.ItemName()))
		}
		p.wasmName[coreKey(f, "func")] = p.idents.take("wasm_" + identChars(f.Name))
		p.wasmName[coreKey(f, "post")] = p.idents.take("wasm_post_" + identChars(f.Name))
		p.wasmName[coreKey(f, "glue")] = p.idents.take("export_" + identChars(f.Name))
		p.wasmName[coreKey(f, "ret")] = p.idents.take("retArea_" + identChars(f.Name))
		if f.Async && pf.exported {
			p.wasmName[coreKey(f, "taskreturn")] = p.idents.take("wasm_task_return_" + identChars(f.Name))
			p.wasmName[coreKey(f, "callback")] = p.idents.take("wasm_callback_" + identChars(f.Name))
		}
	}
	return nil
}

func coreKey(f *wit.Function, purpose string) string { return fmt.Sprintf("%p/%s", f, purpose) }

// identChars turns any WIT name into identifier characters.
func identChars(name string) string {
	b := []byte(name)
	for i, c := range b {
		if !isLetter(c) && !(c >= '0' && c <= '9') {
			b[i] = '_'
		}
	}
	return string(b)
}

func (g *generator) hasExports(p *goPackage) bool {
	for _, pf := range p.funcs {
		if pf.exported {
			return true
		}
	}
	return false
}

// resourceName is the Go name of a resource as declared in its home package.
func (g *generator) resourceName(cur *goPackage, id wit.TypeID) string {
	id = g.followAlias(id)
	if home := g.typeHome(id, cur); home != nil {
		if n, ok := home.types[id]; ok {
			return n
		}
	}
	return GoName(g.r.Types[id].Name)
}

// followAlias follows `type a = b` and `use` aliases to the definition.
func (g *generator) followAlias(id wit.TypeID) wit.TypeID {
	for i := 0; i < len(g.r.Types); i++ {
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

// typeHome is the package that declares the named type id, seen from cur:
// an exported interface declares its own types; everything else lives in
// the imported interface's package (or the exported one if not imported).
func (g *generator) typeHome(id wit.TypeID, cur *goPackage) *goPackage {
	td := g.r.Types[id]
	switch td.Owner.Kind {
	case wit.OwnerInterface:
		if cur != nil && cur.exported && !cur.isWorld && cur.iface == td.Owner.Interface {
			return cur
		}
		if p := g.importPkg[td.Owner.Interface]; p != nil {
			return p
		}
		return g.exportPkg[td.Owner.Interface]
	case wit.OwnerWorld:
		return g.worldPkg
	}
	return nil
}

// goType is the Go type of t as written in package cur.
func (g *generator) goType(t wit.Type, cur *goPackage) (jen.Code, error) {
	if t == wit.NoType {
		return jen.Struct(), nil
	}
	if t == wit.ErrorContext {
		g.usesErrorContext = true
		return jen.Qual(g.supportPath(), "ErrorContext"), nil
	}
	if t.IsPrimitive() {
		return primitiveGoType(t), nil
	}
	id, _ := t.TypeID()
	if int(id) >= len(g.r.Types) {
		return nil, fmt.Errorf("gogen: type #%d does not exist", id)
	}
	td := g.r.Types[id]
	if td.Name != "" {
		home := g.typeHome(id, cur)
		if home == nil {
			return nil, fmt.Errorf("gogen: type %s belongs to no interface or world the world uses", td.Name)
		}
		name, ok := home.types[id]
		if !ok {
			return nil, fmt.Errorf("gogen: type %s is not declared by %s", td.Name, home.rel)
		}
		return jen.Qual(home.importPath(g), name), nil
	}
	return g.anonType(td, cur)
}

// anonType is the Go type of an anonymous type expression (list<T>, ...).
func (g *generator) anonType(td *wit.TypeDef, cur *goPackage) (jen.Code, error) {
	sub := func(t wit.Type) jen.Code {
		c, err := g.goType(t, cur)
		if err != nil {
			panic(typeErr{err})
		}
		return c
	}
	return catchTypeErr(func() jen.Code {
		switch k := td.Kind.(type) {
		case *wit.Alias:
			return sub(k.Type)
		case *wit.List:
			return jen.Index().Add(sub(k.Elem))
		case *wit.FixedList:
			return jen.Index(jen.Lit(int(k.Len))).Add(sub(k.Elem))
		case *wit.Map:
			return jen.Map(sub(k.Key)).Add(sub(k.Value))
		case *wit.Option:
			return jen.Qual(g.supportPath(), "Option").Types(sub(k.Type))
		case *wit.Result:
			return jen.Qual(g.supportPath(), "Result").Types(sub(k.OK), sub(k.Err))
		case *wit.Tuple:
			g.tuples[len(k.Types)] = true
			args := make([]jen.Code, len(k.Types))
			for i, t := range k.Types {
				args[i] = sub(t)
			}
			return jen.Qual(g.supportPath(), fmt.Sprintf("Tuple%d", len(k.Types))).Types(args...)
		case *wit.Own:
			return sub(wit.Ref(k.Resource))
		case *wit.Borrow:
			return sub(wit.Ref(k.Resource))
		case *wit.Future:
			return jen.Op("*").Qual(g.supportPath(), "FutureReader").Types(sub(k.Elem))
		case *wit.Stream:
			return jen.Op("*").Qual(g.supportPath(), "StreamReader").Types(sub(k.Elem))
		}
		panic(typeErr{fmt.Errorf("gogen: anonymous %T has no Go type", td.Kind)})
	})
}

type typeErr struct{ err error }

// catchTypeErr lets the recursive type mapping stop at the first error
// without threading it through every jennifer call.
func catchTypeErr(build func() jen.Code) (c jen.Code, err error) {
	defer func() {
		if r := recover(); r != nil {
			te, ok := r.(typeErr)
			if !ok {
				panic(r)
			}
			c, err = nil, te.err
		}
	}()
	return build(), nil
}

func primitiveGoType(t wit.Type) jen.Code {
	switch t {
	case wit.Bool:
		return jen.Bool()
	case wit.U8:
		return jen.Uint8()
	case wit.U16:
		return jen.Uint16()
	case wit.U32:
		return jen.Uint32()
	case wit.U64:
		return jen.Uint64()
	case wit.S8:
		return jen.Int8()
	case wit.S16:
		return jen.Int16()
	case wit.S32:
		return jen.Int32()
	case wit.S64:
		return jen.Int64()
	case wit.F32:
		return jen.Float32()
	case wit.F64:
		return jen.Float64()
	case wit.Char:
		return jen.Rune()
	case wit.String:
		return jen.String()
	}
	return jen.Null()
}

// uintOfSize is the unsigned Go integer of n bytes (an enum or flags
// representation; n comes from canonabi.Layout).
func uintOfSize(n uint32) jen.Code {
	switch n {
	case 1:
		return jen.Uint8()
	case 2:
		return jen.Uint16()
	case 8:
		return jen.Uint64()
	}
	return jen.Uint32()
}

// declareTypes writes p's type declarations.
func (g *generator) declareTypes(p *goPackage) error {
	f := p.main
	for _, id := range g.typeIDs(p) {
		td := g.r.Types[id]
		name := p.types[id]
		if _, isResource := td.Kind.(*wit.Resource); !isResource {
			f.Add(docComment(td.Docs)) // a resource's docs join the bindings' own
		}
		switch k := td.Kind.(type) {
		case *wit.Record:
			fields := make([]jen.Code, len(k.Fields))
			names := fieldNames(k)
			for i, fl := range k.Fields {
				t, err := g.goType(fl.Type, p)
				if err != nil {
					return err
				}
				fields[i] = doc(fl.Docs).Id(names[i]).Add(t)
			}
			f.Type().Id(name).Struct(fields...)
		case *wit.Variant:
			if err := g.declareVariant(p, id, name, k); err != nil {
				return err
			}
		case *wit.Enum:
			g.declareEnum(p, id, name, k)
		case *wit.Flags:
			g.declareFlags(p, id, name, k)
		case *wit.Resource:
			if err := g.declareResource(p, id, name); err != nil {
				return err
			}
		default:
			t, err := g.anonType(td, p)
			if err != nil {
				return err
			}
			f.Type().Id(name).Op("=").Add(t)
		}
	}
	return nil
}

func (g *generator) layout(t wit.Type) canonabi.Layout {
	l, _ := g.abi.Layout(t) // types were checked when the plans were built
	return l
}

func (g *generator) declareVariant(p *goPackage, id wit.TypeID, name string, k *wit.Variant) error {
	f := p.main
	marker := "is" + name
	f.Commentf("%s is a WIT variant: one of the %s* case types. A nil %s is invalid.", name, name, name)
	f.Type().Id(name).Interface(jen.Id(marker).Params())
	for i, c := range k.Cases {
		cn := p.cases[id][i]
		f.Add(docComment(c.Docs))
		if c.Type == wit.NoType {
			f.Type().Id(cn).Struct()
		} else {
			t, err := g.goType(c.Type, p)
			if err != nil {
				return err
			}
			f.Type().Id(cn).Struct(jen.Id("Value").Add(t))
		}
		f.Func().Params(jen.Id(cn)).Id(marker).Params().Block()
	}
	return nil
}

func (g *generator) declareEnum(p *goPackage, id wit.TypeID, name string, k *wit.Enum) {
	f := p.main
	f.Type().Id(name).Add(uintOfSize(g.layout(wit.Ref(id)).Size))
	consts := make([]jen.Code, len(k.Cases))
	labels := make([]jen.Code, len(k.Cases))
	for i, c := range k.Cases {
		cn := p.idents.take(name + GoName(c.Name))
		line := doc(c.Docs).Id(cn)
		if i == 0 {
			line = line.Id(name).Op("=").Iota()
		}
		consts[i] = line
		labels[i] = jen.Lit(c.Name)
	}
	f.Const().Defs(consts...)
	f.Comment("String returns the WIT name of the case.")
	f.Func().Params(jen.Id("e").Id(name)).Id("String").Params().String().Block(
		jen.Id("names").Op(":=").Index().String().Values(labels...),
		jen.If(jen.Int().Parens(jen.Id("e")).Op("<").Len(jen.Id("names"))).Block(
			jen.Return(jen.Id("names").Index(jen.Id("e")))),
		jen.Return(jen.Lit(name+"(invalid)")),
	)
}

func (g *generator) declareFlags(p *goPackage, id wit.TypeID, name string, k *wit.Flags) {
	f := p.main
	f.Type().Id(name).Add(uintOfSize(g.layout(wit.Ref(id)).Size))
	consts := make([]jen.Code, len(k.Flags))
	for i, fl := range k.Flags {
		line := doc(fl.Docs).Id(p.idents.take(name + GoName(fl.Name)))
		if i == 0 {
			line = line.Id(name).Op("=").Lit(1).Op("<<").Iota()
		}
		consts[i] = line
	}
	f.Const().Defs(consts...)
	f.Comment("Has reports whether every flag of mask is set.")
	f.Func().Params(jen.Id("f").Id(name)).Id("Has").Params(jen.Id("mask").Id(name)).Bool().Block(
		jen.Return(jen.Id("f").Op("&").Id("mask").Op("==").Id("mask")))
}

// fieldNames are the Go names of a record's fields.
func fieldNames(k *wit.Record) []string {
	ns := nameSet{}
	names := make([]string, len(k.Fields))
	for i, fl := range k.Fields {
		names[i] = ns.take(GoName(fl.Name))
	}
	return names
}
