package component

import (
	"fmt"
	"strings"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component/wasm"
	"github.com/witgo/witgo/wit"
)

// reallocVariants are realloc exports other tools' guests carry that the
// world does not name; they are accepted and unused.
var reallocVariants = map[string]bool{"cabi_realloc_adapter": true, "cabi_import_realloc": true, "cabi_export_realloc": true}

// checkExports checks every function the module exports against the world
// and every world export against the module.
func (n *newState) checkExports() (map[string]*canonabi.CoreName, error) {
	byField := map[string]*canonabi.CoreName{}
	for _, ex := range n.main.Exports {
		if ex.Kind != wasm.ExternFunc {
			continue // memory, tables, globals such as __heap_base
		}
		if reallocVariants[ex.Name] {
			continue
		}
		c, err := n.nm.ParseExport(ex.Name)
		if err != nil && isCommand(n.main) && (ex.Name == startExport || commandExtraExports[ex.Name]) {
			continue // a command's entry point, see new_command.go
		}
		if err != nil {
			if c = n.matchExportVersion(ex.Name); c == nil {
				return nil, fmt.Errorf("the module exports function %q, which matches nothing the world exports: %v", ex.Name, err)
			}
		}
		if c.Kind == canonabi.NameFunc {
			if prev, ok := n.exportForms[c.Function]; ok {
				return nil, fmt.Errorf("the module exports both %q and %q for %s: export one", n.coreExports[prev.Field], ex.Name, describeFunc(n.r, c))
			}
			n.exportForms[c.Function] = c
		}
		byField[c.Field] = c
		n.coreExports[c.Field] = ex.Name
	}
	for _, c := range n.nm.Items {
		if c.Import || c.Kind != canonabi.NameFunc || !c.Exported {
			continue
		}
		if form, ok := n.exportForms[c.Function]; ok {
			if form.ABI == canonabi.ABIAsync {
				if err := n.checkCallback(form); err != nil {
					return nil, err
				}
			}
			continue
		}
		if pref, _ := n.nm.Func(true, c.Function); pref != nil && pref.Field != c.Field {
			continue // report the missing export once, by its preferred name
		}
		if _, ok := byField[c.Field]; !ok {
			fromStart, err := n.runFromStart(&c)
			if err != nil {
				return nil, err
			}
			if fromStart {
				n.runField = c.Field
				continue
			}
			return nil, fmt.Errorf("the world exports %s but the module does not export %q", describeFunc(n.r, &c), c.Field)
		}
	}
	return byField, nil
}

// checkCallback checks the `[callback]` export of an `[async-lift]` one.
func (n *newState) checkCallback(lift *canonabi.CoreName) error {
	cb, _ := n.nm.Callback(lift.Function)
	if !n.exportsFunc(cb.Field) {
		return fmt.Errorf("the module exports %q but not its callback %q", lift.Field, cb.Field)
	}
	i32 := wasm.V(wasm.I32)
	want := wasm.FuncType{Params: []wasm.ValType{i32, i32, i32}, Results: []wasm.ValType{i32}}
	for _, ex := range n.main.Exports {
		if ex.Name != n.coreExports[cb.Field] || ex.Kind != wasm.ExternFunc {
			continue
		}
		if have, ok := funcTypeOf(n.main, ex.Index); ok && !sameFuncType(have, want) {
			return fmt.Errorf("the module exports %q with type %s, but the callback of %s needs %s", ex.Name,
				funcTypeString(have), describeFunc(n.r, lift), funcTypeString(want))
		}
	}
	return nil
}

// matchExportVersion finds the world export that a core export names
// with an older semver-compatible interface version
// (`ns:pkg/i@0.1.0#f` for a world exporting `ns:pkg/i@0.1.5`).
func (n *newState) matchExportVersion(name string) *canonabi.CoreName {
	at := strings.IndexByte(name, '@')
	hash := strings.IndexByte(name, '#')
	if at < 0 || hash < at {
		return nil
	}
	want, err := wit.ParseVersion(name[at+1 : hash])
	if err != nil {
		return nil
	}
	for i := range n.nm.Items {
		it := &n.nm.Items[i]
		if it.Import || !strings.HasPrefix(it.Field, name[:at+1]) || !strings.HasSuffix(it.Field, name[hash:]) {
			continue
		}
		h := strings.IndexByte(it.Field[at+1:], '#')
		if h < 0 {
			continue
		}
		if have, err := wit.ParseVersion(it.Field[at+1 : at+1+h]); err == nil && semverCompatible(want, have) {
			return it
		}
	}
	return nil
}

// describeName says what a core name is for, for error messages.
func describeName(r *wit.Resolve, c *canonabi.CoreName) string {
	switch {
	case c.Kind == canonabi.NameFunc:
		return describeFunc(r, c)
	case c.Function != nil:
		return fmt.Sprintf("%s of %s", c.Kind, describeFunc(r, c))
	}
	return c.Kind.String()
}

func describeFunc(r *wit.Resolve, c *canonabi.CoreName) string {
	key, _ := worldKeyName(r, c.Key)
	if c.HasInterface {
		return fmt.Sprintf("function %q of %s", c.Function.Name, key)
	}
	return fmt.Sprintf("function %q", c.Function.Name)
}

// matchImport finds what a core import names, accepting a newer
// semver-compatible version of an interface than the one in the name
// (wasm-tools does the same: `@0.2.6` is satisfied by `@0.2.12`).
func (n *newState) matchImport(module, field string) (*canonabi.CoreName, error) {
	c, err := n.nm.ParseImport(module, field)
	if err == nil {
		return c, nil
	}
	base, ver, ok := splitVersion(module)
	if !ok {
		return nil, err
	}
	for i := range n.nm.Items {
		it := &n.nm.Items[i]
		if !it.Import || it.Field != field {
			continue
		}
		if b, v, ok := splitVersion(it.Module); ok && b == base && semverCompatible(ver, v) {
			return it, nil
		}
	}
	return nil, err
}

func splitVersion(module string) (string, *wit.Version, bool) {
	at := strings.LastIndexByte(module, '@')
	if at < 0 {
		return "", nil, false
	}
	v, err := wit.ParseVersion(module[at+1:])
	if err != nil {
		return "", nil, false
	}
	return module[:at], v, true
}

// semverCompatible: a module built against want runs with have when they
// share the semver-significant part and have is not older.
func semverCompatible(want, have *wit.Version) bool {
	if want.Pre != "" || have.Pre != "" {
		return *want == *have
	}
	switch {
	case want.Major != 0:
		return have.Major == want.Major && (have.Minor > want.Minor || have.Minor == want.Minor && have.Patch >= want.Patch)
	case want.Minor != 0:
		return have.Major == 0 && have.Minor == want.Minor && have.Patch >= want.Patch
	}
	return *want == *have
}

// planImports resolves a module's function imports against the world and
// reserves shim slots for the lowerings that need memory. For the main
// module it also returns its wasi_snapshot_preview1 imports.
func (n *newState) planImports(m *wasm.Module, who string, isMain bool) ([]importUse, []wasm.Import, error) {
	var uses []importUse
	var p1 []wasm.Import
	for _, im := range m.Imports {
		if !isMain && im.Module == "env" && im.Name == "memory" && im.Type.Kind == wasm.ExternMemory {
			continue
		}
		if im.Type.Kind != wasm.ExternFunc {
			return nil, nil, fmt.Errorf("the %s imports %q %q, which is not a function: only functions can come from the world", who, im.Module, im.Name)
		}
		ft, _ := m.FuncType(im.Type.Func)
		field := baseImportName(im.Name)
		if isMain && isPreview1(im.Module) {
			p1 = append(p1, im)
			continue
		}
		c, err := n.matchImport(im.Module, field)
		if err != nil {
			return nil, nil, fmt.Errorf("the %s imports %q %q, which matches nothing in the world: %v", who, im.Module, im.Name, err)
		}
		u := importUse{im: im, name: c, slot: -1}
		want, needsMemory, err := n.importType(c)
		if err != nil {
			return nil, nil, fmt.Errorf("the %s imports %q %q: %v", who, im.Module, im.Name, err)
		}
		if needsMemory {
			c := c
			u.slot = n.shimSlot(want, func() (Sort, uint32, error) {
				mem := n.mainMemory()
				realloc := n.mainRealloc()
				if !isMain {
					realloc = n.adapterReallocFunc()
				}
				idx, err := n.defineImport(c, &mem, realloc)
				return SortCoreFunc, idx, err
			})
		}
		if !sameFuncType(ft, want) {
			return nil, nil, fmt.Errorf("the %s imports %q %q with type %s, but %s needs %s", who, im.Module, im.Name,
				funcTypeString(ft), describeName(n.r, c), funcTypeString(want))
		}
		uses = append(uses, u)
	}
	return uses, p1, nil
}

func funcTypeString(ft wasm.FuncType) string {
	s := "(func"
	if len(ft.Params) > 0 {
		s += " (param"
		for _, p := range ft.Params {
			s += " " + p.String()
		}
		s += ")"
	}
	if len(ft.Results) > 0 {
		s += " (result"
		for _, p := range ft.Results {
			s += " " + p.String()
		}
		s += ")"
	}
	return s + ")"
}

func (n *newState) adapterReallocFunc() *uint32 {
	if n.adapterRealloc == nil {
		idx := n.b.aliasCore(n.adapterInst, "cabi_import_realloc", SortCoreFunc)
		n.adapterRealloc = &idx
	}
	return n.adapterRealloc
}

type p1Slot struct {
	field string
	slot  int
}

// planPreview1 routes the main module's preview1 imports through the
// shim to the adapter's exports (the adapter is instantiated after main).
func (n *newState) planPreview1(p1 []wasm.Import) ([]p1Slot, error) {
	var out []p1Slot
	for _, im := range p1 {
		ft, _ := n.main.FuncType(im.Type.Func)
		base := baseImportName(im.Name)
		var have *wasm.FuncType
		for _, ex := range n.adapter.Exports {
			if ex.Name == base && ex.Kind == wasm.ExternFunc {
				if t, ok := funcTypeOf(n.adapter, ex.Index); ok {
					have = &t
				}
			}
		}
		if have == nil {
			return nil, fmt.Errorf("the module imports %s function %q, which the adapter does not provide", preview1, base)
		}
		if !sameFuncType(ft, *have) {
			return nil, fmt.Errorf("the module imports %s %q with type %s, but the adapter's has type %s", preview1, im.Name,
				funcTypeString(ft), funcTypeString(*have))
		}
		slot := n.shimSlot(ft, func() (Sort, uint32, error) {
			return SortCoreFunc, n.b.aliasCore(n.adapterInst, base, SortCoreFunc), nil
		})
		out = append(out, p1Slot{field: im.Name, slot: slot})
	}
	return out, nil
}

// funcTypeOf is the type of function index f of m.
func funcTypeOf(m *wasm.Module, f uint32) (wasm.FuncType, bool) {
	imported := uint32(0)
	for _, im := range m.Imports {
		if im.Type.Kind == wasm.ExternFunc {
			if imported == f {
				return m.FuncType(im.Type.Func)
			}
			imported++
		}
	}
	if i := f - imported; f >= imported && int(i) < len(m.Funcs) {
		return m.FuncType(m.Funcs[i])
	}
	return wasm.FuncType{}, false
}

// planDtors reserves a shim slot for each destructor the module exports:
// the resource type needs it before the module is instantiated.
func (n *newState) planDtors(exports map[string]*canonabi.CoreName) map[wit.TypeID]int {
	out := map[wit.TypeID]int{}
	for field, c := range exports {
		if c.Kind != canonabi.NameResourceDtor {
			continue
		}
		field := field
		out[c.Resource] = n.shimSlot(wasm.FuncType{Params: []wasm.ValType{wasm.V(wasm.I32)}}, func() (Sort, uint32, error) {
			return SortCoreFunc, n.mainExport(field), nil
		})
	}
	return out
}

// loadAdapter decodes the adapter and the world its component-type
// section describes.
func (n *newState) loadAdapter(b []byte, r *wit.Resolve, w wit.WorldID) error {
	m, err := wasm.DecodeModule(b)
	if err != nil {
		return fmt.Errorf("component new: adapter: %w", err)
	}
	ws, err := takeWorldSections(m)
	if err != nil {
		return fmt.Errorf("component new: adapter: %w", err)
	}
	if ws == nil && r != nil {
		ws = &WorldSection{Resolve: r, World: w}
	}
	if ws == nil {
		return fmt.Errorf("component new: the adapter has no component-type section")
	}
	if !hasExport(m, "cabi_import_realloc", wasm.ExternFunc) {
		return fmt.Errorf("component new: the adapter does not export cabi_import_realloc")
	}
	renameDuplicateImports(m)
	n.adapter, n.adapterWorld = m, ws
	return nil
}

// renameDuplicateImports gives the second and later imports of the same
// module and name the names wasm-tools gives them (`fd_write [v2]`, ...):
// a core module inside a component may not import one name twice. Each
// copy is then bound to the same function.
func renameDuplicateImports(m *wasm.Module) {
	count := map[[2]string]int{}
	for i := range m.Imports {
		k := [2]string{m.Imports[i].Module, m.Imports[i].Name}
		count[k]++
		if c := count[k]; c > 1 {
			m.Imports[i].Name = fmt.Sprintf("%s [v%d]", k[1], c)
		}
	}
}

// baseImportName strips the ` [vN]` suffix renameDuplicateImports adds.
func baseImportName(name string) string {
	if i := strings.LastIndex(name, " [v"); i >= 0 && strings.HasSuffix(name, "]") {
		return name[:i]
	}
	return name
}
