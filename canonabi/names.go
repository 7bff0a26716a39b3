package canonabi

import (
	"fmt"
	"sort"
	"strings"

	"github.com/witgo/witgo/wit"
)

// Scheme is a convention for the core import and export names of a world
// (ARCHITECTURE.md, "Two core naming schemes").
type Scheme uint8

const (
	// Legacy is what wit-bindgen emits and wasm-tools accepts:
	// `ns:pkg/i@1.2.3` / `f`, `ns:pkg/i@1.2.3#f`, `$root`, `[export]...`,
	// `cabi_post_*`, `cabi_realloc`, `memory`, `_initialize`.
	Legacy Scheme = iota
	// CM32P2 is the `wasm32` build target of BuildTargets.md (component-model
	// branch add-build-targets): `cm32p2|ns:pkg/i@1` / `f`,
	// `cm32p2|ns:pkg/i@1|f`, `r_drop`, `f_post`, `cm32p2_memory`, ...
	CM32P2
)

func (s Scheme) String() string {
	if s == CM32P2 {
		return "cm32p2"
	}
	return "legacy"
}

// NameKind says what a core import or export is for.
type NameKind uint8

const (
	NameFunc          NameKind = iota // a WIT function (import: lowered; export: lifted)
	NamePostReturn                    // the export's post-return function
	NameResourceDrop                  // canon resource.drop
	NameResourceNew                   // canon resource.new (exported resources)
	NameResourceRep                   // canon resource.rep (exported resources)
	NameResourceDtor                  // the guest's destructor of an exported resource
	NameAsyncCallback                 // the callback of an async export
	NameTaskReturn                    // canon task.return of an async export
	NameRealloc                       // cabi_realloc
	NameInitialize                    // _initialize
	NameMemory                        // the exported memory

	// The async built-ins (names_async.go), in the order of their table.
	NameTaskCancel
	NameStreamNew
	NameStreamRead
	NameStreamWrite
	NameStreamCancelRead
	NameStreamCancelWrite
	NameStreamDropReadable
	NameStreamDropWritable
	NameFutureNew
	NameFutureRead
	NameFutureWrite
	NameFutureCancelRead
	NameFutureCancelWrite
	NameFutureDropReadable
	NameFutureDropWritable
	NameWaitableSetNew
	NameWaitableSetWait
	NameWaitableSetPoll
	NameWaitableSetDrop
	NameWaitableJoin
	NameThreadYield
	NameSubtaskDrop
	NameSubtaskCancel
	NameContextGet
	NameContextSet
	NameBackpressureInc
	NameBackpressureDec
	NameErrorContextNew
	NameErrorContextDebugMessage
	NameErrorContextDrop
)

var nameKindNames = [...]string{"function", "post-return", "resource-drop", "resource-new",
	"resource-rep", "resource-dtor", "async-callback", "task-return", "realloc", "initialize", "memory",
	"task.cancel", "stream.new", "stream.read", "stream.write", "stream.cancel-read", "stream.cancel-write",
	"stream.drop-readable", "stream.drop-writable", "future.new", "future.read", "future.write",
	"future.cancel-read", "future.cancel-write", "future.drop-readable", "future.drop-writable",
	"waitable-set.new", "waitable-set.wait", "waitable-set.poll", "waitable-set.drop", "waitable.join",
	"thread.yield", "subtask.drop", "subtask.cancel", "context.get", "context.set",
	"backpressure.inc", "backpressure.dec", "error-context.new", "error-context.debug-message",
	"error-context.drop"}

func (k NameKind) String() string {
	if int(k) < len(nameKindNames) {
		return nameKindNames[k]
	}
	return fmt.Sprintf("name-kind-%d", k)
}

// CoreName is one core import or export of a world under a scheme, and
// what it refers to.
type CoreName struct {
	Kind NameKind
	// Import: a core import named Module/Field; otherwise a core export
	// named Field.
	Import bool
	Module string
	Field  string

	// Exported: the item belongs to the world's exports (an exported
	// function, or the intrinsics of an exported resource).
	Exported bool
	// Key is the world item (zero for memory, realloc and initialize);
	// Interface is set when the item is in an interface.
	Key          wit.WorldKey
	HasInterface bool
	Interface    wit.InterfaceID
	Function     *wit.Function // NameFunc, NamePostReturn, NameAsyncCallback, NameTaskReturn, stream/future built-ins
	Resource     wit.TypeID    // the resource kinds

	// ABI: for NameFunc, the form of lifting or lowering; for built-ins,
	// ABIAsync when the name has the `[async-lower]` prefix.
	ABI FuncABI
	// Cancellable: the `[cancellable]` prefix (waitable-set-wait/poll,
	// thread-yield).
	Cancellable bool
	// Stream/future built-ins: Payload is the stream or future type,
	// PayloadIndex its index in FuturesAndStreams(Function); with Unit
	// (`[stream-new-unit]`) the payload-less stream/future, Payload and
	// Function unset.
	Payload      wit.TypeID
	PayloadIndex int
	Unit         bool
	// Slot is the context.get/set slot; Encoding the string encoding of
	// error-context.new/debug-message ("utf8", "utf16", "latin1+utf16").
	Slot     uint32
	Encoding string
}

func (n *CoreName) String() string {
	if n.Import {
		return fmt.Sprintf("import %q %q", n.Module, n.Field)
	}
	return fmt.Sprintf("export %q", n.Field)
}

// Names is the table of a world's core names under one scheme, in world
// order: imports, then exports, then memory, realloc and initialize.
type Names struct {
	Scheme  Scheme
	World   wit.WorldID
	Items   []CoreName
	imports map[[2]string]int
	exports map[string]int
	funcs   map[funcKey]int
	// payloadIndex: the first index of each stream/future type in a function.
	payloadIndex map[payloadKey]int
	// interfaceModules: import modules of imported interfaces and `[export]`
	// modules of exported ones, for names parsed rather than listed.
	interfaceModules map[string]bool
	resolve          *wit.Resolve
	// asyncCallback copies ABI.AsyncCallback: async exports are
	// `[async-lift]` with a `[callback]`, or `[async-lift-stackful]`.
	asyncCallback bool
}

type funcKey struct {
	exported bool
	f        *wit.Function
	kind     NameKind
	abi      FuncABI
	payload  int // PayloadIndex+1 for stream/future built-ins
}

// Names builds the core names of world w.
func (a *ABI) Names(w wit.WorldID, scheme Scheme) (*Names, error) {
	r := a.Resolve
	if int(w) < 0 || int(w) >= len(r.Worlds) {
		return nil, fmt.Errorf("canonabi: world #%d does not exist", w)
	}
	world := r.Worlds[w]
	n := &Names{Scheme: scheme, World: w, imports: map[[2]string]int{}, exports: map[string]int{},
		funcs: map[funcKey]int{}, payloadIndex: map[payloadKey]int{}, interfaceModules: map[string]bool{"$root": true, "[export]$root": true},
		asyncCallback: a.AsyncCallback, resolve: r}
	for exported, items := range []*wit.OrderedMap[wit.WorldKey, *wit.WorldItem]{&world.Imports, &world.Exports} {
		for key, item := range items.All() {
			if err := n.addItem(a, key, item, exported == 1); err != nil {
				return nil, err
			}
		}
	}
	if scheme == Legacy && usesAsync(r, world) {
		if err := n.addRootIntrinsics(); err != nil {
			return nil, err
		}
	}
	mem, realloc, init := "memory", "cabi_realloc", "_initialize"
	if scheme == CM32P2 {
		mem, realloc, init = "cm32p2_memory", "cm32p2_realloc", "cm32p2_initialize"
	}
	for _, x := range []CoreName{{Kind: NameMemory, Field: mem}, {Kind: NameRealloc, Field: realloc},
		{Kind: NameInitialize, Field: init}} {
		if err := n.add(x); err != nil {
			return nil, err
		}
	}
	return n, nil
}

func (n *Names) addItem(a *ABI, key wit.WorldKey, item *wit.WorldItem, exported bool) error {
	r := a.Resolve
	switch item.Kind {
	case wit.ItemFunction:
		return n.addFunc(CoreName{Key: key, Exported: exported, Function: item.Function}, "")
	case wit.ItemType:
		// A world-level resource type: only imports have intrinsics.
		if !exported && isOriginalResource(r, item.Type) {
			return n.addResource(r, CoreName{Key: key}, "", item.Type)
		}
		return nil
	}
	if int(item.Interface) < 0 || int(item.Interface) >= len(r.Interfaces) {
		return fmt.Errorf("canonabi: world item %s refers to interface #%d, which does not exist", key, item.Interface)
	}
	iface := r.Interfaces[item.Interface]
	name, err := interfaceName(r, key, n.Scheme)
	if err != nil {
		return err
	}
	base := CoreName{Key: key, Exported: exported, HasInterface: true, Interface: item.Interface}
	if exported {
		n.interfaceModules["[export]"+name] = true
	} else {
		n.interfaceModules[name] = true
	}
	for id := range iface.Types.Values() {
		if isOriginalResource(r, id) {
			if err := n.addResource(r, base, name, id); err != nil {
				return err
			}
		}
	}
	for f := range iface.Functions.Values() {
		c := base
		c.Function = f
		if err := n.addFunc(c, name); err != nil {
			return err
		}
	}
	return nil
}

func isOriginalResource(r *wit.Resolve, id wit.TypeID) bool {
	if int(id) < 0 || int(id) >= len(r.Types) || r.Types[id] == nil {
		return false
	}
	_, ok := r.Types[id].Kind.(*wit.Resource)
	return ok
}

// interfaceName is the name of an interface item: `ns:pkg/i@1.2.3` (the
// version canonicalized for cm32p2) or the plain name of `import x:
// interface {...}`.
func interfaceName(r *wit.Resolve, key wit.WorldKey, scheme Scheme) (string, error) {
	if !key.IsInterface() {
		return key.Name, nil
	}
	if int(key.Interface) < 0 || int(key.Interface) >= len(r.Interfaces) {
		return "", fmt.Errorf("canonabi: interface #%d does not exist", key.Interface)
	}
	iface := r.Interfaces[key.Interface]
	if iface.Name == "" || iface.Package == wit.NoPackage || int(iface.Package) >= len(r.Packages) {
		return "", fmt.Errorf("canonabi: interface #%d has no package-qualified name", key.Interface)
	}
	pn := r.Packages[iface.Package].Name
	s := pn.Namespace + ":" + pn.Name + "/" + iface.Name
	if pn.Version != nil {
		if scheme == CM32P2 {
			s += "@" + canonicalVersion(pn.Version)
		} else {
			s += "@" + pn.Version.String()
		}
	}
	return s, nil
}

// canonicalVersion is BuildTargets.md "Interface Name Canonicalization".
func canonicalVersion(v *wit.Version) string {
	switch {
	case v.Pre != "":
		return fmt.Sprintf("%d.%d.%d-%s", v.Major, v.Minor, v.Patch, v.Pre)
	case v.Major != 0:
		return fmt.Sprint(v.Major)
	case v.Minor != 0:
		return fmt.Sprintf("0.%d", v.Minor)
	}
	return fmt.Sprintf("0.0.%d", v.Patch)
}

func (n *Names) addFunc(c CoreName, iface string) error {
	f := c.Function
	fname := f.Name
	if n.Scheme == CM32P2 {
		if !c.Exported {
			c.Import, c.Module, c.Field = true, "cm32p2", fname
			if iface != "" {
				c.Module += "|" + iface
			}
			return n.add(c)
		}
		c.Field = "cm32p2|" + iface + "|" + fname
		post := c
		post.Kind, post.Field = NamePostReturn, c.Field+"_post"
		return n.addAll(c, post)
	}
	module := rootIfEmpty(iface)
	if c.Exported {
		module = "[export]" + module
	}
	if err := n.addPayloadIntrinsics(n.resolve, c, module); err != nil {
		return err
	}
	if !c.Exported {
		c.Import, c.Module, c.Field = true, module, fname
		if !f.Async {
			return n.add(c)
		}
		// The preferred form first: Func returns it.
		async := c
		async.ABI, async.Field = ABIAsync, "[async-lower]"+fname
		return n.addAll(async, c)
	}
	export := fname
	if iface != "" {
		export = iface + "#" + fname
	}
	c.Field = export
	post := c
	post.Kind, post.Field = NamePostReturn, "cabi_post_"+export
	if !f.Async {
		return n.addAll(c, post)
	}
	tr := c
	tr.Kind, tr.Import, tr.Module, tr.Field = NameTaskReturn, true, module, "[task-return]"+fname
	lift := c
	lift.ABI, lift.Field = ABIAsync, "[async-lift]"+export
	cb := lift
	cb.Kind, cb.Field = NameAsyncCallback, "[callback]"+lift.Field
	stackful := c
	stackful.ABI, stackful.Field = ABIAsyncStackful, "[async-lift-stackful]"+export
	// The preferred async form first (Func returns the first), then the
	// other, then the sync lift an async function type also allows.
	if !n.asyncCallback {
		return n.addAll(stackful, lift, cb, tr, c, post)
	}
	return n.addAll(lift, cb, stackful, tr, c, post)
}

func rootIfEmpty(s string) string {
	if s == "" {
		return "$root"
	}
	return s
}

func (n *Names) addResource(r *wit.Resolve, base CoreName, iface string, id wit.TypeID) error {
	rn := r.Types[id].Name
	base.Resource, base.Import = id, true
	kinds := []NameKind{NameResourceDrop}
	if base.Exported {
		kinds = append(kinds, NameResourceNew, NameResourceRep)
	}
	var out []CoreName
	for _, k := range kinds {
		c := base
		c.Kind = k
		if n.Scheme == CM32P2 {
			c.Module = "cm32p2"
			if base.Exported {
				c.Module += "|_ex_" + iface
			} else if iface != "" {
				c.Module += "|" + iface
			}
			c.Field = rn + map[NameKind]string{NameResourceDrop: "_drop", NameResourceNew: "_new", NameResourceRep: "_rep"}[k]
		} else {
			c.Module = rootIfEmpty(iface)
			if base.Exported {
				c.Module = "[export]" + c.Module
			}
			c.Field = map[NameKind]string{NameResourceDrop: "[resource-drop]", NameResourceNew: "[resource-new]", NameResourceRep: "[resource-rep]"}[k] + rn
		}
		out = append(out, c)
	}
	if base.Exported {
		c := base
		c.Kind, c.Import, c.Module = NameResourceDtor, false, ""
		if n.Scheme == CM32P2 {
			c.Field = "cm32p2|" + iface + "|" + rn + "_dtor"
		} else {
			c.Field = iface + "#[dtor]" + rn
		}
		out = append(out, c)
	}
	return n.addAll(out...)
}

func (n *Names) addAll(cs ...CoreName) error {
	for _, c := range cs {
		if err := n.add(c); err != nil {
			return err
		}
	}
	return nil
}

func (n *Names) add(c CoreName) error {
	i := len(n.Items)
	if c.Import {
		k := [2]string{c.Module, c.Field}
		if _, dup := n.imports[k]; dup {
			return fmt.Errorf("canonabi: two world items map to core import %q %q", c.Module, c.Field)
		}
		n.imports[k] = i
	} else {
		if _, dup := n.exports[c.Field]; dup {
			return fmt.Errorf("canonabi: two world items map to core export %q", c.Field)
		}
		n.exports[c.Field] = i
	}
	if c.Function != nil {
		k := funcKey{exported: c.Exported, f: c.Function, kind: c.Kind, abi: c.ABI}
		if c.Kind.IsPayload() {
			k.payload = c.PayloadIndex + 1
		}
		if _, dup := n.funcs[k]; !dup {
			n.funcs[k] = i
		}
	}
	n.Items = append(n.Items, c)
	return nil
}

// Func returns the core name of a world function: for an import its core
// import, for an export its core export.
func (n *Names) Func(exported bool, f *wit.Function) (*CoreName, bool) {
	return n.lookupFunc(exported, f, NameFunc)
}

// PostReturn returns the post-return export of an exported function.
func (n *Names) PostReturn(f *wit.Function) (*CoreName, bool) {
	return n.lookupFunc(true, f, NamePostReturn)
}

func (n *Names) lookupFunc(exported bool, f *wit.Function, k NameKind) (*CoreName, bool) {
	abi := ABISync
	if f != nil && f.Async && k == NameFunc && n.Scheme == Legacy {
		abi = ABIAsync
		if exported && !n.asyncCallback {
			abi = ABIAsyncStackful
		}
	}
	if f != nil && f.Async && k == NameAsyncCallback {
		abi = ABIAsync
	}
	i, ok := n.funcs[funcKey{exported: exported, f: f, kind: k, abi: abi}]
	if !ok {
		return nil, false
	}
	return &n.Items[i], true
}

// Kind returns the item of the given kind (memory, realloc, initialize).
func (n *Names) Kind(k NameKind) *CoreName {
	for i := range n.Items {
		if n.Items[i].Kind == k {
			return &n.Items[i]
		}
	}
	return nil
}

// ParseImport says what the core import module/field names, or why it
// names nothing in this world.
func (n *Names) ParseImport(module, field string) (*CoreName, error) {
	if i, ok := n.imports[[2]string{module, field}]; ok {
		return &n.Items[i], nil
	}
	if n.Scheme == Legacy {
		if c, err := n.parseIntrinsic(module, field); c != nil || err != nil {
			return c, err
		}
	}
	var fields, modules []string
	seen := map[string]bool{}
	for k := range n.imports {
		if k[0] == module {
			fields = append(fields, k[1])
		}
		if !seen[k[0]] {
			seen[k[0]] = true
			modules = append(modules, k[0])
		}
	}
	if len(fields) > 0 {
		return nil, fmt.Errorf("canonabi: core import %q %q: module %q has no field %q (nearest: %s)",
			module, field, module, field, listSome(nearest(field, fields)))
	}
	if len(modules) == 0 {
		return nil, fmt.Errorf("canonabi: core import %q %q: the world imports nothing", module, field)
	}
	return nil, fmt.Errorf("canonabi: core import %q %q: no world item uses module %q (nearest: %s)",
		module, field, module, listSome(nearest(module, modules)))
}

// ParseExport says what the core export names, or why it names nothing in
// this world.
func (n *Names) ParseExport(name string) (*CoreName, error) {
	if i, ok := n.exports[name]; ok {
		return &n.Items[i], nil
	}
	for _, prefix := range []string{"[async-lift]", "[async-lift-stackful]", "[callback][async-lift]"} {
		if rest, ok := strings.CutPrefix(name, prefix); ok {
			if i, ok := n.exports[rest]; ok && n.Items[i].Kind == NameFunc {
				return nil, fmt.Errorf("canonabi: core export %q: function %q is not async, so it is exported as %q",
					name, n.Items[i].Function.Name, rest)
			}
		}
	}
	var near []string
	prefix := name
	if i := strings.LastIndexAny(name, "#|"); i >= 0 {
		prefix = name[:i+1]
	}
	for k := range n.exports {
		if strings.HasPrefix(k, prefix) {
			near = append(near, k)
		}
	}
	if len(near) > 0 {
		return nil, fmt.Errorf("canonabi: core export %q names nothing in the world (nearest: %s)",
			name, listSome(nearest(name, near)))
	}
	return nil, fmt.Errorf("canonabi: core export %q names nothing in the world", name)
}

// listSome quotes the first few of xs, in the order given.
func listSome(xs []string) string {
	for i := range xs {
		xs[i] = fmt.Sprintf("%q", xs[i])
	}
	if len(xs) > 8 {
		return strings.Join(xs[:8], ", ") + fmt.Sprintf(" and %d more", len(xs)-8)
	}
	return strings.Join(xs, ", ")
}

// nearest orders candidates by how long a prefix they share with s, the
// likeliest intended names first, for error messages.
func nearest(s string, candidates []string) []string {
	common := func(c string) int {
		n := 0
		for n < len(s) && n < len(c) && s[n] == c[n] {
			n++
		}
		return n
	}
	out := append([]string(nil), candidates...)
	sort.SliceStable(out, func(i, j int) bool {
		ci, cj := common(out[i]), common(out[j])
		if ci != cj {
			return ci > cj
		}
		return out[i] < out[j]
	})
	return out
}
