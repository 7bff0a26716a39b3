package rustgen

import (
	"fmt"
	"strings"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/wit"
)

// genModule writes a module's types, its imported functions, and for an
// exported interface (or the world's exports) its traits and entry points.
func (g *generator) genModule(m *module) error {
	if err := g.declareTypes(m); err != nil {
		return err
	}
	if m.exported || m.isWorld {
		if err := g.genExports(m); err != nil {
			return err
		}
	}
	if m.exported {
		return nil
	}
	for _, f := range m.funcs {
		if f.Kind != wit.Freestanding || m.exportedFns[f] {
			continue
		}
		if err := g.genImport(m, f, &m.body, ""); err != nil {
			return err
		}
	}
	return nil
}

// isExportedFn reports whether f is one of m's exported functions.
func (m *module) isExportedFn(f *wit.Function) bool { return m.exported || m.exportedFns[f] }

// exportParams renders the parameters of an export's trait method.
func (g *generator) exportParams(m *module, f *wit.Function, underscore bool) (string, error) {
	ns := nameSet{}
	var parts []string
	for i, p := range f.Params {
		if i == 0 && f.Kind == wit.Method {
			parts = append(parts, "&self")
			continue
		}
		t, err := g.rustType(p.Type, m, modeOwned)
		if err != nil {
			return "", fmt.Errorf("function %s: %w", f.Name, err)
		}
		name := ns.take(snakeName(p.Name))
		if underscore {
			name = "_" + strings.TrimPrefix(name, "r#")
		}
		parts = append(parts, name+": "+t)
	}
	return "(" + strings.Join(parts, ", ") + ")", nil
}

// exportSignature is `fn name(params) -> result` of an export's trait method.
func (g *generator) exportSignature(m *module, f *wit.Function, underscore bool) (string, error) {
	params, err := g.exportParams(m, f, underscore)
	if err != nil {
		return "", err
	}
	sig := "fn " + m.fnNames[f] + params
	switch {
	case f.Kind == wit.Constructor:
		sig += " -> Self"
	case f.Result != wit.NoType:
		rt, err := g.rustType(f.Result, m, modeOwned)
		if err != nil {
			return "", fmt.Errorf("function %s: %w", f.Name, err)
		}
		sig += " -> " + rt
	}
	return sig, nil
}

// ownResources lists the resources m defines (not those it uses).
func (g *generator) ownResources(m *module) []wit.TypeID {
	var out []wit.TypeID
	for _, id := range g.moduleTypes(m) {
		if _, ok := g.r.Types[id].Kind.(*wit.Resource); ok {
			out = append(out, id)
		}
	}
	return out
}

func (g *generator) genExports(m *module) error {
	var free []*wit.Function
	for _, f := range m.funcs {
		if f.Kind == wit.Freestanding && m.isExportedFn(f) {
			free = append(free, f)
		}
	}
	var resources []wit.TypeID
	if m.exported {
		resources = g.ownResources(m)
	}
	if len(free) == 0 && len(resources) == 0 {
		return nil
	}
	w := &m.body
	what := "the world's exported functions"
	if m.exported {
		what = "the exported interface `" + m.coreModule + "`"
	}
	fmt.Fprintf(w, "/// Implement this trait for %s, then register the type with `export!`.\npub trait Guest {\n", what)
	for _, id := range resources {
		fmt.Fprintf(w, "    /// The type that implements the resource `%s`.\n    type %s: %s;\n", g.r.Types[id].Name, m.types[id], m.traits[id])
	}
	for _, f := range free {
		sig, err := g.exportSignature(m, f, false)
		if err != nil {
			return err
		}
		w.WriteString(docLines(f.Docs, "    "))
		fmt.Fprintf(w, "    %s;\n", sig)
	}
	w.WriteString("}\n\n")
	for _, id := range resources {
		fmt.Fprintf(w, "/// Implement this trait for the resource `%s`.\npub trait %s: Sized + 'static {\n", g.r.Types[id].Name, m.traits[id])
		for _, f := range m.funcs {
			if f.Kind == wit.Freestanding || g.followAlias(f.Resource) != id {
				continue
			}
			sig, err := g.exportSignature(m, f, false)
			if err != nil {
				return err
			}
			w.WriteString(docLines(f.Docs, "    "))
			fmt.Fprintf(w, "    %s;\n", sig)
		}
		w.WriteString("}\n\n")
	}
	for _, f := range m.funcs {
		if !m.isExportedFn(f) {
			continue
		}
		if err := g.genExportEntry(m, f); err != nil {
			return err
		}
	}
	for _, id := range resources {
		if err := g.genDtor(m, id); err != nil {
			return err
		}
	}
	return nil
}

// modulePath is m's absolute Rust path in the user's crate.
func (g *generator) modulePath(m *module) string {
	return strings.Join(append([]string{g.opts.ModulePath}, m.segments()...), "::")
}

// addEntry records an #[export_name] function for the export! macro.
func (g *generator) addEntry(name string, params, results []canonabi.CoreType, call string) {
	args := make([]string, len(params))
	for i := range params {
		args[i] = fmt.Sprintf("p%d", i)
	}
	g.exportCount++
	g.exportEntries = append(g.exportEntries, fmt.Sprintf("#[export_name = %s]\nunsafe extern \"C\" fn wit_export_%d(%s)%s {\n    %s(%s)\n}",
		rustString(name), g.exportCount, coreParamList(params), coreResult(results), call, strings.Join(args, ", ")))
}

// genExportEntry writes the generic entry point of an exported function
// (and its post-return), and registers them for the export! macro.
func (g *generator) genExportEntry(m *module, f *wit.Function) error {
	plan, err := g.abi.Plan(f, canonabi.Lift)
	if err != nil {
		return err
	}
	core, ok := g.names.Func(true, f)
	if !ok {
		return fmt.Errorf("rustgen: no core name for exported function %s", f.Name)
	}
	cs := plan.Sig
	base := snakeName(strings.NewReplacer(".", "-", "[", "", "]", "-").Replace(f.Name))
	entry := m.values.take("export_" + strings.TrimPrefix(base, "r#") + "_cabi")
	fg := g.newFnGen(m)
	fg.exportMode = true
	l := loc{base: "params_0", flat: "flat_0"}
	if cs.ParamsInMemory {
		fg.emit("let params_0 = p0 as usize as *mut u8;")
	} else if len(cs.FlatParams) > 0 {
		vals := make([]string, len(cs.FlatParams))
		for i, c := range cs.FlatParams {
			vals[i] = coreToU64(c, fmt.Sprintf("p%d", i))
		}
		fg.emit("let flat_0: [u64; %d] = [%s];", len(vals), strings.Join(vals, ", "))
	}
	guestT := "T"
	var resTrait, resType string
	if f.Kind != wit.Freestanding {
		res := g.followAlias(f.Resource)
		resType = fmt.Sprintf("<T as Guest>::%s", m.types[res])
		resTrait = fmt.Sprintf("<%s as %s>", resType, m.traits[res])
	}
	args := make([]string, len(f.Params))
	var result *canonabi.Instr
	for i := range plan.Steps {
		st := &plan.Steps[i]
		switch st.Op {
		case canonabi.OpParam:
			v, err := fg.lift(st.Body[0], l)
			if err != nil {
				return fmt.Errorf("function %s: %w", f.Name, err)
			}
			if st.Index == 0 && f.Kind == wit.Method {
				v = fg.bind(v) + ".get::<" + resType + ">()"
			}
			args[st.Index] = fg.bind(v)
		case canonabi.OpResult:
			result = st
		}
	}
	if cs.ParamsInMemory {
		fg.emit("%sdealloc(params_0, %d, %d);", fg.rt, cs.ParamsLayout.Size, cs.ParamsLayout.Align)
	}
	var call string
	switch f.Kind {
	case wit.Freestanding:
		call = fmt.Sprintf("%s::%s(%s)", guestT, m.fnNames[f], strings.Join(args, ", "))
	case wit.Constructor:
		res := g.followAlias(f.Resource)
		call = fmt.Sprintf("%s::new(%s::%s(%s))", m.types[res], resTrait, m.fnNames[f], strings.Join(args, ", "))
	default:
		call = fmt.Sprintf("%s::%s(%s)", resTrait, m.fnNames[f], strings.Join(args, ", "))
	}
	ret := ""
	if result == nil {
		fg.emit("%s;", call)
	} else {
		fg.emit("let result_0 = %s;", call)
		if cs.ResultInMemory {
			words := (cs.ResultLayout.Size + 7) / 8
			fg.emit("static mut RET_AREA: [u64; %d] = [0; %d];", words, words)
			fg.emit("let ret_0 = ::core::ptr::addr_of_mut!(RET_AREA) as *mut u8;")
			if err := fg.lower(result.Body[0], "&result_0", loc{base: "ret_0"}); err != nil {
				return fmt.Errorf("function %s: %w", f.Name, err)
			}
			fg.emit("ret_0 as i32")
		} else {
			fg.emit("let mut rflat_0 = [0u64; %d];", len(cs.FlatResult))
			if err := fg.lower(result.Body[0], "&result_0", loc{flat: "rflat_0"}); err != nil {
				return fmt.Errorf("function %s: %w", f.Name, err)
			}
			fg.emit("%s", coreFromU64(cs.Results[0], "rflat_0[0]"))
		}
		ret = coreResult(cs.Results)
	}
	generic := "<T: Guest>"
	w := &m.body
	fmt.Fprintf(w, "#[doc(hidden)]\npub unsafe fn %s%s(%s)%s {\n", entry, generic, coreParamList(cs.Params), ret)
	for _, line := range fg.lines {
		fmt.Fprintf(w, "    %s\n", line)
	}
	w.WriteString("}\n\n")
	g.addEntry(core.Field, cs.Params, cs.Results, fmt.Sprintf("%s::%s::<$ty>", g.modulePath(m), entry))
	if cs.NeedsPostReturn {
		post, ok := g.names.PostReturn(f)
		if !ok {
			return fmt.Errorf("rustgen: no post-return name for %s", f.Name)
		}
		pr := g.newFnGen(m)
		pl := loc{base: "ret_0", flat: "flat_0"}
		if cs.ResultInMemory {
			pr.emit("let ret_0 = p0 as usize as *mut u8;")
		} else {
			vals := make([]string, len(cs.Results))
			for i, c := range cs.Results {
				vals[i] = coreToU64(c, fmt.Sprintf("p%d", i))
			}
			pr.emit("let flat_0: [u64; %d] = [%s];", len(vals), strings.Join(vals, ", "))
		}
		if err := pr.free(result.Body[0], pl); err != nil {
			return err
		}
		postName := m.values.take("post_return_" + strings.TrimPrefix(base, "r#"))
		fmt.Fprintf(w, "#[doc(hidden)]\npub unsafe fn %s(%s) {\n", postName, coreParamList(cs.Results))
		for _, line := range pr.lines {
			fmt.Fprintf(w, "    %s\n", line)
		}
		w.WriteString("}\n\n")
		g.addEntry(post.Field, cs.Results, nil, fmt.Sprintf("%s::%s", g.modulePath(m), postName))
	}
	return nil
}

// genDtor writes the destructor the host calls when an exported
// resource's last handle is dropped: it frees the Box of the rep.
func (g *generator) genDtor(m *module, id wit.TypeID) error {
	dtor, err := g.resourceCore(true, id, canonabi.NameResourceDtor)
	if err != nil {
		return err
	}
	name := m.values.take("dtor_" + strings.TrimPrefix(snakeName(g.r.Types[id].Name), "r#"))
	fmt.Fprintf(&m.body, "#[doc(hidden)]\npub unsafe fn %s<T: %s>(rep: i32) {\n    ::core::mem::drop(Box::from_raw(rep as u32 as usize as *mut T));\n}\n\n", name, m.traits[id])
	i32s := []canonabi.CoreType{canonabi.I32}
	g.addEntry(dtor.Field, i32s, nil, fmt.Sprintf("%s::%s::<<$ty as %s::Guest>::%s>", g.modulePath(m), name, g.modulePath(m), m.types[id]))
	return nil
}

// declareExportedResource writes the owned handle type of an exported
// resource (its rep is a Box of the implementation) and its borrow type.
func (g *generator) declareExportedResource(m *module, id wit.TypeID) error {
	i32 := []canonabi.CoreType{canonabi.I32}
	var fns [3]string
	for i, k := range []canonabi.NameKind{canonabi.NameResourceNew, canonabi.NameResourceRep, canonabi.NameResourceDrop} {
		c, err := g.resourceCore(true, id, k)
		if err != nil {
			return err
		}
		results := i32
		if k == canonabi.NameResourceDrop {
			results = nil
		}
		fns[i] = g.externFn(m, c.Module, c.Field, i32, results)
	}
	name, borrow, trait := m.types[id], m.borrows[id], m.traits[id]
	td := g.r.Types[id]
	w := &m.body
	if strings.TrimSpace(td.Docs) == "" {
		fmt.Fprintf(w, "/// An owned handle to the exported resource `%s`, whose value is a %s.\n", td.Name, trait)
	}
	fmt.Fprintf(w, `pub struct %[1]s {
    handle: ::core::cell::Cell<u32>,
}

impl %[1]s {
    /// Makes a new resource of val (resource.new); the handle owns it.
    pub fn new<T: %[3]s>(val: T) -> %[1]s {
        let rep = Box::into_raw(Box::new(val)) as usize as i32;
        unsafe { %[1]s::from_handle(%[4]s(rep) as u32) }
    }

    /// Wraps an owned handle (one received from elsewhere).
    pub unsafe fn from_handle(handle: u32) -> %[1]s {
        %[1]s {
            handle: ::core::cell::Cell::new(handle),
        }
    }

    /// The handle's index in the component's table.
    pub fn handle(&self) -> u32 {
        self.handle.get()
    }

    /// Gives the handle up (ownership passes to whoever receives it).
    pub fn take_handle(&self) -> u32 {
        self.handle.replace(0)
    }

    /// The resource's value; T must be the type registered for it.
    pub fn get<T: %[3]s>(&self) -> &T {
        unsafe { &*(%[5]s(self.handle.get() as i32) as u32 as usize as *const T) }
    }
}

impl ::core::ops::Drop for %[1]s {
    fn drop(&mut self) {
        let h = self.handle.get();
        if h != 0 {
            unsafe { %[6]s(h as i32) }
        }
    }
}

impl ::core::fmt::Debug for %[1]s {
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        %[7]s
    }
}

/// A borrowed %[1]s, as exported functions receive it.
pub struct %[2]s {
    rep: u32,
}

impl %[2]s {
    /// Wraps the rep the host passes for a borrow of this component's resource.
    pub unsafe fn from_rep(rep: u32) -> %[2]s {
        %[2]s { rep }
    }

    /// The resource's value; T must be the type registered for it.
    pub fn get<T: %[3]s>(&self) -> &T {
        unsafe { &*(self.rep as usize as *const T) }
    }
}

impl ::core::fmt::Debug for %[2]s {
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        %[8]s
    }
}

`, name, borrow, trait, fns[0], fns[1], fns[2], debugChain(name, "handle", "&self.handle.get()"), debugChain(borrow, "rep", "&self.rep"))
	return nil
}

// writeExportMacro writes export!, which defines every entry point for
// the user's implementation type.
func (g *generator) writeExportMacro(sb *strings.Builder) {
	fmt.Fprintf(sb, `
/// Defines the component's exported entry points for the type that
/// implements the Guest traits: `+"`%s::export!(MyComponent);`"+` at the crate root.
#[allow(unused_macros)]
macro_rules! export {
    ($ty:ty) => {
        const _: () = {
`, g.opts.ModulePath)
	for _, e := range g.exportEntries {
		for _, line := range strings.Split(e, "\n") {
			sb.WriteString("            " + line + "\n")
		}
	}
	sb.WriteString("        };\n    };\n}\n\n#[allow(unused_imports)]\npub(crate) use export;\n")
}
