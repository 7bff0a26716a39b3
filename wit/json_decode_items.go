package wit

import (
	"fmt"
	"strconv"
	"strings"
)

// typeRef reads a Type: a primitive's name or a TypeDef index below limit.
func jsonTypeRef(v *jsonValue, limit int) (Type, error) {
	if v.kind == jsonString {
		if t, ok := PrimitiveByName(v.text); ok {
			return t, nil
		}
		return NoType, fmt.Errorf("unknown primitive type %q", v.text)
	}
	i, err := jsonIndex(v, limit, "type")
	if err != nil {
		return NoType, err
	}
	return Ref(TypeID(i)), nil
}

// optTypeRef reads Option<Type>: null is NoType.
func jsonOptTypeRef(v *jsonValue, limit int) (Type, error) {
	if v.kind == jsonNull {
		return NoType, nil
	}
	return jsonTypeRef(v, limit)
}

func (d *resolveDecoder) typeDef(v *jsonValue, self int) (*TypeDef, error) {
	td := &TypeDef{}
	err := jsonEachField(v, []string{"name", "kind", "owner"}, func(f jsonField) (err error) {
		switch f.key {
		case "name":
			td.Name, err = jsonOptName(f.val)
		case "kind":
			// Only earlier types: the arena is topologically sorted, and
			// refusing forward references rules out cycles.
			td.Kind, err = jsonTypeDefKind(f.val, self)
		case "owner":
			td.Owner, err = d.owner(f.val)
		case "docs":
			td.Docs, err = jsonDocs(f.val)
		case "stability":
			td.Stability, err = jsonStability(f.val)
		case "external_id":
			err = jsonExternalID(f.val)
		default:
			err = jsonUnknownKey(f.key)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return td, nil
}

func (d *resolveDecoder) owner(v *jsonValue) (Owner, error) {
	if v.kind == jsonNull {
		return Owner{}, nil
	}
	tag, err := jsonSingle(v)
	if err != nil {
		return Owner{}, err
	}
	switch tag.key {
	case "interface":
		i, err := jsonIndex(tag.val, d.nIfaces, "interface")
		return Owner{Kind: OwnerInterface, Interface: InterfaceID(i)}, jsonAt(tag.key, err)
	case "world":
		i, err := jsonIndex(tag.val, d.nWorlds, "world")
		return Owner{Kind: OwnerWorld, World: WorldID(i)}, jsonAt(tag.key, err)
	}
	return Owner{}, jsonUnknownKey(tag.key)
}

// pair reads the two-element arrays of map and fixed-length-list.
func jsonPair(v *jsonValue) (*jsonValue, *jsonValue, error) {
	if err := jsonWantKind(v, jsonArray); err != nil {
		return nil, nil, err
	}
	if len(v.items) != 2 {
		return nil, nil, fmt.Errorf("expected 2 elements, found %d", len(v.items))
	}
	return v.items[0], v.items[1], nil
}

// typeDefKind reads serde's externally tagged TypeDefKind; type references
// in it must be below limit.
func jsonTypeDefKind(v *jsonValue, limit int) (TypeDefKind, error) {
	if v.kind == jsonString && v.text == "resource" {
		return &Resource{}, nil
	}
	tag, err := jsonSingle(v)
	if err != nil {
		return nil, err
	}
	p := tag.val
	var k TypeDefKind
	switch tag.key {
	case "type":
		var t Type
		t, err = jsonTypeRef(p, limit)
		k = &Alias{Type: t}
	case "record":
		k, err = jsonRecord(p, limit)
	case "handle":
		k, err = jsonHandle(p, limit)
	case "flags":
		k, err = jsonFlags(p)
	case "tuple":
		k, err = jsonTuple(p, limit)
	case "variant":
		k, err = jsonVariant(p, limit)
	case "enum":
		k, err = jsonEnum(p)
	case "option":
		var t Type
		t, err = jsonTypeRef(p, limit)
		k = &Option{Type: t}
	case "result":
		k, err = jsonResult(p, limit)
	case "list":
		var t Type
		t, err = jsonTypeRef(p, limit)
		k = &List{Elem: t}
	case "fixed-length-list":
		k, err = jsonFixedList(p, limit)
	case "map":
		var kv, vv *jsonValue
		m := &Map{}
		if kv, vv, err = jsonPair(p); err == nil {
			if m.Key, err = jsonTypeRef(kv, limit); err == nil {
				m.Value, err = jsonTypeRef(vv, limit)
			}
		}
		k = m
	case "future":
		var t Type
		t, err = jsonOptTypeRef(p, limit)
		k = &Future{Elem: t}
	case "stream":
		var t Type
		t, err = jsonOptTypeRef(p, limit)
		k = &Stream{Elem: t}
	default:
		return nil, jsonUnknownKey(tag.key)
	}
	if err != nil {
		return nil, jsonAt(tag.key, err)
	}
	return k, nil
}

func jsonFixedList(v *jsonValue, limit int) (TypeDefKind, error) {
	ev, nv, err := jsonPair(v)
	if err != nil {
		return nil, err
	}
	elem, err := jsonTypeRef(ev, limit)
	if err != nil {
		return nil, err
	}
	if err := jsonWantKind(nv, jsonNumber); err != nil {
		return nil, err
	}
	n, err := strconv.ParseUint(nv.text, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("invalid length %s", nv.text)
	}
	return &FixedList{Elem: elem, Len: uint32(n)}, nil
}

func jsonHandle(v *jsonValue, limit int) (TypeDefKind, error) {
	tag, err := jsonSingle(v)
	if err != nil {
		return nil, err
	}
	i, err := jsonIndex(tag.val, limit, "type")
	if err != nil {
		return nil, jsonAt(tag.key, err)
	}
	switch tag.key {
	case "own":
		return &Own{Resource: TypeID(i)}, nil
	case "borrow":
		return &Borrow{Resource: TypeID(i)}, nil
	}
	return nil, jsonUnknownKey(tag.key)
}

// listField returns the array stored under the only key of v, as in
// `{"fields": [...]}`.
func jsonListField(v *jsonValue, key string) ([]*jsonValue, error) {
	f, err := jsonSingle(v)
	if err != nil {
		return nil, err
	}
	if f.key != key {
		return nil, jsonUnknownKey(f.key)
	}
	if err := jsonWantKind(f.val, jsonArray); err != nil {
		return nil, jsonAt(key, err)
	}
	return f.val.items, nil
}

// member reads `{"name", "type"?, "docs"?}`, the shape of fields, cases,
// flags and enum cases; typed says whether "type" is required (fields,
// cases) or refused (flags, enum cases).
type jsonMember struct {
	name, docs string
	ty         Type
}

func jsonReadMember(v *jsonValue, typed, optionalType bool, limit int) (jsonMember, error) {
	var m jsonMember
	keys := []string{"name"}
	if typed {
		keys = append(keys, "type")
	}
	if err := jsonRequireKeys(v, keys...); err != nil {
		return m, err
	}
	err := jsonEachField(v, []string{}, func(f jsonField) (err error) {
		switch {
		case f.key == "name":
			m.name, err = jsonStr(f.val)
		case f.key == "docs":
			m.docs, err = jsonDocs(f.val)
		case f.key == "type" && typed && optionalType:
			m.ty, err = jsonOptTypeRef(f.val, limit)
		case f.key == "type" && typed:
			m.ty, err = jsonTypeRef(f.val, limit)
		default:
			err = jsonUnknownKey(f.key)
		}
		return err
	})
	if err != nil {
		return m, err
	}
	return m, nil
}

func jsonRecord(v *jsonValue, limit int) (TypeDefKind, error) {
	items, err := jsonListField(v, "fields")
	if err != nil {
		return nil, err
	}
	rec := &Record{Fields: make([]Field, 0, len(items))}
	for i, item := range items {
		m, err := jsonReadMember(item, true, false, limit)
		if err != nil {
			return nil, jsonAtIndex("fields", i, err)
		}
		rec.Fields = append(rec.Fields, Field{Name: m.name, Type: m.ty, Docs: m.docs})
	}
	return rec, nil
}

func jsonVariant(v *jsonValue, limit int) (TypeDefKind, error) {
	items, err := jsonListField(v, "cases")
	if err != nil {
		return nil, err
	}
	vr := &Variant{Cases: make([]Case, 0, len(items))}
	for i, item := range items {
		m, err := jsonReadMember(item, true, true, limit)
		if err != nil {
			return nil, jsonAtIndex("cases", i, err)
		}
		vr.Cases = append(vr.Cases, Case{Name: m.name, Type: m.ty, Docs: m.docs})
	}
	return vr, nil
}

func jsonFlags(v *jsonValue) (TypeDefKind, error) {
	items, err := jsonListField(v, "flags")
	if err != nil {
		return nil, err
	}
	fl := &Flags{Flags: make([]Flag, 0, len(items))}
	for i, item := range items {
		m, err := jsonReadMember(item, false, false, 0)
		if err != nil {
			return nil, jsonAtIndex("flags", i, err)
		}
		fl.Flags = append(fl.Flags, Flag{Name: m.name, Docs: m.docs})
	}
	return fl, nil
}

func jsonEnum(v *jsonValue) (TypeDefKind, error) {
	items, err := jsonListField(v, "cases")
	if err != nil {
		return nil, err
	}
	en := &Enum{Cases: make([]EnumCase, 0, len(items))}
	for i, item := range items {
		m, err := jsonReadMember(item, false, false, 0)
		if err != nil {
			return nil, jsonAtIndex("cases", i, err)
		}
		en.Cases = append(en.Cases, EnumCase{Name: m.name, Docs: m.docs})
	}
	return en, nil
}

func jsonTuple(v *jsonValue, limit int) (TypeDefKind, error) {
	items, err := jsonListField(v, "types")
	if err != nil {
		return nil, err
	}
	tu := &Tuple{Types: make([]Type, 0, len(items))}
	for i, item := range items {
		t, err := jsonTypeRef(item, limit)
		if err != nil {
			return nil, jsonAtIndex("types", i, err)
		}
		tu.Types = append(tu.Types, t)
	}
	return tu, nil
}

func jsonResult(v *jsonValue, limit int) (TypeDefKind, error) {
	res := &Result{}
	err := jsonEachField(v, []string{"ok", "err"}, func(f jsonField) (err error) {
		switch f.key {
		case "ok":
			res.OK, err = jsonOptTypeRef(f.val, limit)
		case "err":
			res.Err, err = jsonOptTypeRef(f.val, limit)
		default:
			err = jsonUnknownKey(f.key)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (d *resolveDecoder) iface(v *jsonValue) (*Interface, error) {
	it := &Interface{}
	err := jsonEachField(v, []string{"name", "types", "functions", "package"}, func(f jsonField) (err error) {
		switch f.key {
		case "name":
			it.Name, err = jsonOptName(f.val)
		case "types":
			err = jsonIdMap(f.val, d.nTypes, "type", func(k string, i int) { it.Types.Set(k, TypeID(i)) })
		case "functions":
			err = jsonWantKind(f.val, jsonObject)
			for _, ff := range f.val.fields {
				if err != nil {
					break
				}
				var fn *Function
				fn, err = d.function(ff.val)
				it.Functions.Set(ff.key, fn)
				err = jsonAt(ff.key, err)
			}
		case "docs":
			it.Docs, err = jsonDocs(f.val)
		case "stability":
			it.Stability, err = jsonStability(f.val)
		case "package":
			it.Package, err = d.optPackage(f.val)
		case "clone_of":
			if f.val.kind != jsonNull {
				_, err = jsonIndex(f.val, d.nIfaces, "interface")
			}
		default:
			err = jsonUnknownKey(f.key)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return it, nil
}

func (d *resolveDecoder) world(v *jsonValue) (*World, error) {
	w := &World{}
	err := jsonEachField(v, []string{"name", "imports", "exports", "package"}, func(f jsonField) (err error) {
		switch f.key {
		case "name":
			w.Name, err = jsonStr(f.val)
		case "imports":
			err = d.worldItems(f.val, &w.Imports)
		case "exports":
			err = d.worldItems(f.val, &w.Exports)
		case "package":
			w.Package, err = d.optPackage(f.val)
		case "docs":
			w.Docs, err = jsonDocs(f.val)
		case "stability":
			w.Stability, err = jsonStability(f.val)
		default:
			err = jsonUnknownKey(f.key)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// worldKey reads a world's map key: "interface-N" names an interface by
// identity (a kebab name cannot have a word that starts with a digit, so
// this cannot clash with a plain name).
func (d *resolveDecoder) worldKey(s string) (WorldKey, error) {
	if num, ok := strings.CutPrefix(s, "interface-"); ok && num != "" && num[0] >= '0' && num[0] <= '9' {
		i, err := jsonIndex(&jsonValue{kind: jsonNumber, text: num}, d.nIfaces, "interface")
		return InterfaceKey(InterfaceID(i)), err
	}
	if s == "" {
		return WorldKey{}, fmt.Errorf("empty world item name")
	}
	return NameKey(s), nil
}

func (d *resolveDecoder) worldItems(v *jsonValue, m *OrderedMap[WorldKey, *WorldItem]) error {
	if err := jsonWantKind(v, jsonObject); err != nil {
		return err
	}
	for _, f := range v.fields {
		key, err := d.worldKey(f.key)
		if err == nil {
			var item *WorldItem
			item, err = d.worldItem(f.val)
			if err == nil && key.IsInterface() && (item.Kind != ItemInterface || item.Interface != key.Interface) {
				err = fmt.Errorf("key names interface %d but the item is not that interface", key.Interface)
			}
			m.Set(key, item)
		}
		if err != nil {
			return jsonAt(f.key, err)
		}
	}
	return nil
}

func (d *resolveDecoder) worldItem(v *jsonValue) (*WorldItem, error) {
	tag, err := jsonSingle(v)
	if err != nil {
		return nil, err
	}
	item := &WorldItem{}
	switch tag.key {
	case "interface":
		item.Kind = ItemInterface
		err = d.interfaceItem(tag.val, item)
	case "function":
		item.Kind = ItemFunction
		item.Function, err = d.function(tag.val)
	case "type":
		item.Kind = ItemType
		var i int
		i, err = jsonIndex(tag.val, d.nTypes, "type")
		item.Type = TypeID(i)
	default:
		return nil, jsonUnknownKey(tag.key)
	}
	return item, jsonAt(tag.key, err)
}

func (d *resolveDecoder) interfaceItem(v *jsonValue, item *WorldItem) error {
	err := jsonEachField(v, []string{"id"}, func(f jsonField) (err error) {
		switch f.key {
		case "id":
			var i int
			i, err = jsonIndex(f.val, d.nIfaces, "interface")
			item.Interface = InterfaceID(i)
		case "stability":
			item.Stability, err = jsonStability(f.val)
		case "docs":
			item.Docs, err = jsonDocs(f.val)
		case "external_id":
			err = jsonExternalID(f.val)
		default:
			err = jsonUnknownKey(f.key)
		}
		return err
	})
	if err != nil {
		return err
	}
	return nil
}

func (d *resolveDecoder) function(v *jsonValue) (*Function, error) {
	fn := &Function{}
	err := jsonEachField(v, []string{"name", "kind", "params"}, func(f jsonField) (err error) {
		switch f.key {
		case "name":
			fn.Name, err = jsonStr(f.val)
		case "kind":
			err = d.functionKind(f.val, fn)
		case "params":
			err = jsonWantKind(f.val, jsonArray)
			for i, pv := range f.val.items {
				if err != nil {
					break
				}
				var p Param
				p, err = d.param(pv)
				fn.Params = append(fn.Params, p)
				err = jsonAtIndex("params", i, err)
			}
		case "result":
			fn.Result, err = jsonTypeRef(f.val, d.nTypes)
		case "docs":
			fn.Docs, err = jsonDocs(f.val)
		case "stability":
			fn.Stability, err = jsonStability(f.val)
		case "external_id":
			err = jsonExternalID(f.val)
		default:
			err = jsonUnknownKey(f.key)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return fn, nil
}

func (d *resolveDecoder) param(v *jsonValue) (Param, error) {
	var p Param
	err := jsonEachField(v, []string{"type"}, func(f jsonField) (err error) {
		switch f.key {
		case "name":
			p.Name, err = jsonStr(f.val)
		case "type":
			p.Type, err = jsonTypeRef(f.val, d.nTypes)
		default:
			err = jsonUnknownKey(f.key)
		}
		return err
	})
	if err != nil {
		return p, err
	}
	return p, nil
}

// jsonFunctionKinds maps wit-parser's FunctionKind tags to the model.
var jsonFunctionKinds = map[string]struct {
	kind  FunctionKind
	async bool
}{
	"freestanding":       {Freestanding, false},
	"async-freestanding": {Freestanding, true},
	"method":             {Method, false},
	"async-method":       {Method, true},
	"static":             {Static, false},
	"async-static":       {Static, true},
	"constructor":        {Constructor, false},
}

func (d *resolveDecoder) functionKind(v *jsonValue, fn *Function) error {
	if v.kind == jsonString {
		k, ok := jsonFunctionKinds[v.text]
		if !ok || k.kind != Freestanding {
			return fmt.Errorf("unknown function kind %q", v.text)
		}
		fn.Kind, fn.Async = k.kind, k.async
		return nil
	}
	tag, err := jsonSingle(v)
	if err != nil {
		return err
	}
	k, ok := jsonFunctionKinds[tag.key]
	if !ok || k.kind == Freestanding {
		return jsonUnknownKey(tag.key)
	}
	i, err := jsonIndex(tag.val, d.nTypes, "type")
	if err != nil {
		return jsonAt(tag.key, err)
	}
	fn.Kind, fn.Async, fn.Resource = k.kind, k.async, TypeID(i)
	return nil
}
