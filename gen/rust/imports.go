package rustgen

import (
	"fmt"
	"strings"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/wit"
)

var coreRust = map[canonabi.CoreType]string{canonabi.I32: "i32", canonabi.I64: "i64", canonabi.F32: "f32", canonabi.F64: "f64"}

// coreFromU64 converts a flat u64 expression to a core parameter.
func coreFromU64(c canonabi.CoreType, u string) string {
	switch c {
	case canonabi.I64:
		return u + " as i64"
	case canonabi.F32:
		return "f32::from_bits(" + u + " as u32)"
	case canonabi.F64:
		return "f64::from_bits(" + u + ")"
	}
	return u + " as i32"
}

// coreToU64 converts a core value to its flat u64 form.
func coreToU64(c canonabi.CoreType, v string) string {
	switch c {
	case canonabi.I64:
		return v + " as u64"
	case canonabi.F32:
		return v + ".to_bits() as u64"
	case canonabi.F64:
		return v + ".to_bits()"
	}
	return v + " as u32 as u64"
}

func coreParamList(ts []canonabi.CoreType) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = fmt.Sprintf("p%d: %s", i, coreRust[t])
	}
	return strings.Join(parts, ", ")
}

func coreResult(ts []canonabi.CoreType) string {
	if len(ts) == 0 {
		return ""
	}
	return " -> " + coreRust[ts[0]]
}

// externFn declares a core import in its own extern block and returns the
// Rust name to call it by.
func (g *generator) externFn(m *module, module, field string, params, results []canonabi.CoreType) string {
	m.nImports++
	name := fmt.Sprintf("wit_import_%d", m.nImports)
	fmt.Fprintf(&m.externs, "#[cfg(target_arch = \"wasm32\")]\n#[link(wasm_import_module = %s)]\nextern \"C\" {\n    #[link_name = %s]\n    fn %s(%s)%s;\n}\n\n",
		rustString(module), rustString(field), name, coreParamList(params), coreResult(results))
	// Elsewhere (cargo test on the build machine) the bindings compile and
	// calling an import panics.
	unnamed := make([]string, len(params))
	for i, p := range params {
		unnamed[i] = "_: " + coreRust[p]
	}
	fmt.Fprintf(&m.externs, "#[cfg(not(target_arch = \"wasm32\"))]\nunsafe fn %s(%s)%s {\n    unreachable!(%s)\n}\n\n",
		name, strings.Join(unnamed, ", "), coreResult(results), rustString("witgo bindings: "+module+" "+field+" can only be called on wasm32"))
	return name
}

// rustString is s as a Rust string literal.
func rustString(s string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&sb, "\\u{%x}", r)
		default:
			sb.WriteRune(r)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

// importSignature is the Rust signature of an imported function (without
// `pub fn name`), and how each parameter is passed to lowering.
func (g *generator) importSignature(m *module, f *wit.Function) (sig string, refs []string, names []string, err error) {
	ns := nameSet{"cleanup_0": true}
	var parts []string
	for i, p := range f.Params {
		if i == 0 && f.Kind == wit.Method {
			parts = append(parts, "&self")
			refs = append(refs, "self")
			names = append(names, "self")
			continue
		}
		name := ns.take(snakeName(p.Name))
		t, byRef, err := g.paramType(p.Type, m)
		if err != nil {
			return "", nil, nil, fmt.Errorf("function %s: %w", f.Name, err)
		}
		parts = append(parts, name+": "+t)
		names = append(names, name)
		if byRef {
			refs = append(refs, name)
		} else {
			refs = append(refs, "&"+name)
		}
	}
	sig = "(" + strings.Join(parts, ", ") + ")"
	if f.Result != wit.NoType {
		rt, err := g.rustType(f.Result, m, modeOwned)
		if err != nil {
			return "", nil, nil, fmt.Errorf("function %s: %w", f.Name, err)
		}
		sig += " -> " + rt
	}
	return sig, refs, names, nil
}

// genImport writes the safe Rust function that calls an imported WIT
// function; pad indents it (inside a resource's impl block).
func (g *generator) genImport(m *module, f *wit.Function, out *strings.Builder, pad string) error {
	plan, err := g.abi.Plan(f, canonabi.Lower)
	if err != nil {
		return err
	}
	core, ok := g.names.Func(false, f)
	if !ok {
		return fmt.Errorf("rustgen: no core name for imported function %s", f.Name)
	}
	sig, refs, _, err := g.importSignature(m, f)
	if err != nil {
		return err
	}
	cs := plan.Sig
	ext := g.externFn(m, core.Module, core.Field, cs.Params, cs.Results)
	fg := g.newFnGen(m)
	l := loc{base: "params_0", flat: "flat_0"}
	var args []string
	switch {
	case cs.ParamsInMemory:
		fg.emit("let mut params_area_0 = [0u64; %d];", (cs.ParamsLayout.Size+7)/8)
		fg.emit("let params_0 = params_area_0.as_mut_ptr() as *mut u8;")
		args = append(args, "params_0 as i32")
	case len(cs.FlatParams) > 0:
		fg.emit("let mut flat_0 = [0u64; %d];", len(cs.FlatParams))
		for i, c := range cs.FlatParams {
			args = append(args, coreFromU64(c, fmt.Sprintf("flat_0[%d]", i)))
		}
	}
	var result *canonabi.Instr
	for i := range plan.Steps {
		st := &plan.Steps[i]
		switch st.Op {
		case canonabi.OpParam:
			if err := fg.lower(st.Body[0], refs[st.Index], l); err != nil {
				return fmt.Errorf("function %s: %w", f.Name, err)
			}
		case canonabi.OpRetArea:
			fg.emit("let mut ret_area_0 = [0u64; %d];", (st.Layout.Size+7)/8)
			fg.emit("let ret_0 = ret_area_0.as_mut_ptr() as *mut u8;")
			args = append(args, "ret_0 as i32")
		case canonabi.OpResult:
			result = st
		}
	}
	call := ext + "(" + strings.Join(args, ", ") + ")"
	if len(cs.Results) == 1 {
		// The call gets its own statement: rustfmt lays a long call
		// inside an array with casts out oddly.
		fg.emit("let rcore_0 = %s;", call)
		fg.emit("let rflat_0 = [%s];", coreToU64(cs.Results[0], "rcore_0"))
	} else {
		fg.emit("%s;", call)
	}
	if result != nil {
		v, err := fg.lift(result.Body[0], loc{base: "ret_0", flat: "rflat_0"})
		if err != nil {
			return fmt.Errorf("function %s: %w", f.Name, err)
		}
		fg.emit("%s", v)
	}
	if fg.usesCleanup {
		fg.lines = append([]string{"let mut cleanup_0 = " + fg.rt + "Cleanup::new();"}, fg.lines...)
	}
	docs := f.Docs
	if strings.TrimSpace(docs) == "" {
		docs = fmt.Sprintf("Calls the imported function `%s`.", f.Name)
	}
	out.WriteString(docLines(docs, pad))
	name := m.fnNames[f]
	fmt.Fprintf(out, "%spub fn %s%s {\n%s    unsafe {\n", pad, name, sig, pad)
	for _, l := range fg.lines {
		fmt.Fprintf(out, "%s        %s\n", pad, l)
	}
	fmt.Fprintf(out, "%s    }\n%s}\n\n", pad, pad)
	return nil
}

// resourceCore finds a resource intrinsic's core name.
func (g *generator) resourceCore(exported bool, id wit.TypeID, kind canonabi.NameKind) (*canonabi.CoreName, error) {
	for i := range g.names.Items {
		n := &g.names.Items[i]
		if n.Kind == kind && n.Resource == id && n.Exported == exported {
			return n, nil
		}
	}
	return nil, fmt.Errorf("rustgen: no %s for resource %s", kind, g.r.Types[id].Name)
}

// declareImportedResource writes an imported resource as a handle type
// whose methods call the imports and whose Drop calls resource.drop.
func (g *generator) declareImportedResource(m *module, id wit.TypeID) error {
	drop, err := g.resourceCore(false, id, canonabi.NameResourceDrop)
	if err != nil {
		return err
	}
	dropFn := g.externFn(m, drop.Module, drop.Field, []canonabi.CoreType{canonabi.I32}, nil)
	name := m.types[id]
	w := &m.body
	td := g.r.Types[id]
	if strings.TrimSpace(td.Docs) == "" {
		fmt.Fprintf(w, "/// A handle to the imported resource `%s`; dropping an owned one drops the resource.\n", td.Name)
	}
	fmt.Fprintf(w, "pub struct %s {\n    handle: ::core::cell::Cell<u32>,\n}\n\n", name)
	fmt.Fprintf(w, `impl %[1]s {
    /// Wraps an owned handle (one received from elsewhere).
    pub unsafe fn from_handle(handle: u32) -> %[1]s {
        %[1]s {
            handle: ::core::cell::Cell::new(handle),
        }
    }

    /// Wraps a borrowed handle an exported function received: dropping it
    /// ends the borrow (resource.drop), which must happen before the
    /// export returns, so do not keep it past the call.
    pub unsafe fn from_borrowed_handle(handle: u32) -> %[1]s {
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
`, name)
	for _, f := range m.funcs {
		if f.Kind == wit.Freestanding || g.followAlias(f.Resource) != id {
			continue
		}
		w.WriteString("\n")
		var fb strings.Builder
		if err := g.genImport(m, f, &fb, "    "); err != nil {
			return err
		}
		w.WriteString(strings.TrimRight(fb.String(), "\n") + "\n")
	}
	fmt.Fprintf(w, "}\n\n")
	fmt.Fprintf(w, `impl ::core::ops::Drop for %[1]s {
    fn drop(&mut self) {
        let h = self.handle.get();
        if h != 0 {
            unsafe { %[2]s(h as i32) }
        }
    }
}

impl ::core::fmt::Debug for %[1]s {
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        %[3]s
    }
}

`, name, dropFn, debugChain(name, "handle", "&self.handle.get()"))
	return nil
}
