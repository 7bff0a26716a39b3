package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/internal/testshared"
	"github.com/witgo/witgo/internal/wast"
	"github.com/witgo/witgo/wit"
)

// knownReferenceFailures lists, by "folder/file.wast:line", the reference
// commands this engine fails today and why; they are counted as failed
// and logged, not reported as test errors. Anything else failing fails
// TestSpecReference.
var knownReferenceFailures = map[string]string{
	// wazero 1.12 lacks these core features; the engine reports a compile
	// error rather than an UnsupportedError.
	"linking/tags.wast:7":               "core tags (exception handling): wazero refuses the tag section",
	"linking/tags.wast:36":              "core tags (exception handling): wazero refuses the tag section",
	"linking/tags.wast:64":              "core tags (exception handling): wazero refuses the tag section",
	"linking/tags.wast:93":              "core tags (exception handling): wazero refuses the tag section",
	"linking/unit.wast:261":             "a core module with two memories (wazero has no multi-memory)",
	"linking/unit.wast:308":             "a core module with two imported memories (wazero has no multi-memory)",
	"linking/unit.wast:355":             "a core module with two memories (wazero has no multi-memory)",
	"validation/instantiation.wast:342": "a valid component whose never-instantiated core module imports a memory and defines one fails Compile (no multi-memory; wazero's message wrongly says 'table')",
}

// refCommandTimeout bounds one command, so that a guest (or a future
// scheduler) that never finishes fails its command instead of the run.
const refCommandTimeout = 20 * time.Second

// TestSpecReference runs the Component Model spec's reference tests
// (shared/reference/spec/test/*/*.wast, compiled from text with jco) on
// the engine: one subtest per file and per command, named by line. A
// command the engine refuses with an UnsupportedError (async today) and
// the files of nyi.txt are skipped with the reason; any other mismatch
// fails.
func TestSpecReference(t *testing.T) {
	root := testshared.Dir(t, "reference", "spec", "test")
	compiler := wast.TestCompiler(t)
	files, _ := filepath.Glob(filepath.Join(root, "*", "*.wast"))
	if len(files) == 0 {
		t.Fatalf("no .wast files under %s", root)
	}
	sort.Strings(files)
	nyi := referenceNYI(t, root)

	start := time.Now()
	scripts, binaries := compileReferenceScripts(t, compiler, root, files, nyi)
	t.Logf("parsed %d scripts and compiled their %d components in %v (jco batch, cache %s)", len(scripts), len(binaries), time.Since(start).Round(time.Millisecond), compiler.Dir)

	ctx := context.Background()
	eng, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)

	counts := map[string]*refCounts{}
	for _, file := range files {
		rel, _ := filepath.Rel(root, file)
		rel = filepath.ToSlash(rel)
		folder := filepath.Dir(rel)
		c := counts[folder]
		if c == nil {
			c = &refCounts{skipWhy: map[string]int{}}
			counts[folder] = c
		}
		t.Run(rel, func(t *testing.T) {
			if nyi[rel] {
				c.skip++
				c.skipWhy["nyi.txt: the spec lists it as not yet implemented anywhere"]++
				t.Skip("listed in nyi.txt (lands ahead of implementations)")
			}
			r := &refRunner{eng: eng, rel: rel, binaries: binaries, defs: map[string]refDef{}, insts: map[string]refInst{}}
			defer r.close()
			for _, cmd := range scripts[rel].Commands {
				r.step(t, cmd, c)
			}
		})
	}
	var folders []string
	for f := range counts {
		folders = append(folders, f)
	}
	sort.Strings(folders)
	var total refCounts
	for _, f := range folders {
		c := counts[f]
		t.Logf("spec reference %-10s pass %4d  fail %3d (known %d)  skip %4d  (traps with the spec's message: %d of %d)", f, c.pass, c.fail, c.known, c.skip, c.trapsSame, c.traps)
		for _, why := range c.topSkips(3) {
			t.Logf("    skipped %4d× %s", c.skipWhy[why], why)
		}
		total.pass, total.fail, total.known, total.skip = total.pass+c.pass, total.fail+c.fail, total.known+c.known, total.skip+c.skip
	}
	t.Logf("spec reference %-10s pass %4d  fail %3d (known %d)  skip %4d  in %v", "total", total.pass, total.fail, total.known, total.skip, time.Since(start).Round(time.Millisecond))
}

// refCounts are the outcomes of one folder's commands.
type refCounts struct {
	pass, fail, known, skip int
	trapsSame, traps        int            // expected traps, and those with the spec's message
	skipWhy                 map[string]int // reason -> commands
}

// topSkips returns the n most frequent skip reasons.
func (c *refCounts) topSkips(n int) []string {
	var whys []string
	for w := range c.skipWhy {
		whys = append(whys, w)
	}
	sort.Slice(whys, func(i, j int) bool {
		if c.skipWhy[whys[i]] != c.skipWhy[whys[j]] {
			return c.skipWhy[whys[i]] > c.skipWhy[whys[j]]
		}
		return whys[i] < whys[j]
	})
	return whys[:min(n, len(whys))]
}

// referenceNYI reads nyi.txt: the files (relative to root) to skip.
func referenceNYI(t *testing.T, root string) map[string]bool {
	b, err := os.ReadFile(filepath.Join(root, "nyi.txt"))
	if err != nil {
		t.Fatalf("nyi.txt: %v", err)
	}
	nyi := map[string]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		nyi[strings.TrimPrefix(l, "./")] = true
	}
	return nyi
}

// compileReferenceScripts parses the scripts (a syntax error fails the
// test) and compiles every component text of those not in nyi in one jco
// batch. Binaries are by module; binary forms map to their own bytes.
func compileReferenceScripts(t *testing.T, compiler *wast.Compiler, root string, files []string, nyi map[string]bool) (map[string]*wast.Script, map[*wast.Module]wast.Result) {
	scripts := map[string]*wast.Script{}
	binaries := map[*wast.Module]wast.Result{}
	var texts []string
	var mods []*wast.Module
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, file)
		rel = filepath.ToSlash(rel)
		s, err := wast.Parse(rel, string(src))
		if err != nil {
			t.Fatalf("wast: %v", err)
		}
		scripts[rel] = s
		if nyi[rel] {
			continue
		}
		for _, c := range s.Commands {
			switch m := c.Module; {
			case m == nil:
			case m.Form == "binary":
				binaries[m] = wast.Result{Binary: m.Binary}
			default:
				texts = append(texts, m.Text)
				mods = append(mods, m)
			}
		}
	}
	rs, err := compiler.Compile(texts)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range mods {
		binaries[m] = rs[i]
	}
	return scripts, binaries
}

// refDef is a compiled definition, or why there is none.
type refDef struct {
	cc      *Compiled
	missing error
}

// refInst is an instance, or why there is none.
type refInst struct {
	inst    *Instance
	missing error
}

// refRunner runs the commands of one script in order.
type refRunner struct {
	eng      *Engine
	rel      string
	binaries map[*wast.Module]wast.Result
	defs     map[string]refDef
	insts    map[string]refInst
	cur      refInst // the last instance made: the target of an unnamed invoke
	all      []*Instance
	trapNote string // what the last expected trap said
	trapSame bool   // and whether it agrees with the spec's message
}

func (r *refRunner) close() {
	for _, in := range r.all {
		_ = in.Close(context.Background())
	}
}

// refSkipError marks a command that is skipped, and why.
type refSkipError struct{ why string }

func (e *refSkipError) Error() string { return e.why }

func refSkip(format string, args ...any) error {
	return &refSkipError{why: fmt.Sprintf(format, args...)}
}

// asRefSkip turns the engine's UnsupportedError into a skip; other
// errors are returned unchanged.
func asRefSkip(err error) error {
	var u *UnsupportedError
	if errors.As(err, &u) {
		return &refSkipError{why: u.Error()}
	}
	return err
}

// step runs one command as a subtest and counts its outcome.
func (r *refRunner) step(t *testing.T, cmd wast.Command, c *refCounts) {
	where := fmt.Sprintf("%s:%d", r.rel, cmd.Line)
	t.Run(fmt.Sprintf("line%d_%s", cmd.Line, cmd.Kind), func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), refCommandTimeout)
		defer cancel()
		r.trapNote = ""
		err := r.run(ctx, cmd)
		var skip *refSkipError
		switch {
		case err == nil:
			c.pass++
			if r.trapNote != "" {
				c.traps++
				if r.trapSame {
					c.trapsSame++
				}
				t.Log(r.trapNote)
			}
			if why, ok := knownReferenceFailures[where]; ok {
				t.Logf("%s passes now: remove it from knownReferenceFailures (%s)", where, why)
			}
		case errors.As(err, &skip):
			c.skip++
			c.skipWhy[refSkipKey(skip.why)]++
			t.Skip(skip.why)
		default:
			c.fail++
			r.poisonAfter(cmd)
			if why, ok := knownReferenceFailures[where]; ok {
				c.known++
				t.Logf("%s %s: known failure (%s): %v", where, cmd.Kind, why, err)
				return
			}
			t.Errorf("%s %s: %v", where, cmd.Kind, err)
		}
	})
}

// refSkipKey shortens a skip reason for the summary: without the line of
// an earlier command, so that like reasons add up.
func refSkipKey(why string) string {
	if i := strings.Index(why, " (line "); i > 0 {
		if j := strings.Index(why[i:], ")"); j > 0 {
			return why[:i] + why[i+j+1:]
		}
	}
	return why
}

// run runs one command; nil is a pass, a *refSkipError a skip.
func (r *refRunner) run(ctx context.Context, cmd wast.Command) error {
	switch cmd.Kind {
	case wast.KindComponent, wast.KindDefinition:
		cc, err := r.compile(ctx, cmd.Module)
		if cmd.Kind == wast.KindDefinition {
			if cmd.Name != "" {
				r.defs[cmd.Name] = refDef{cc: cc, missing: r.missing(cmd, err)}
			}
			return err
		}
		if err == nil {
			err = r.instantiate(ctx, cmd, cc)
		} else {
			r.setInstance(cmd.Name, refInst{missing: r.missing(cmd, err)})
		}
		return err
	case wast.KindInstance:
		d, ok := r.defs[cmd.Of]
		if !ok {
			return fmt.Errorf("no component definition %s", cmd.Of)
		}
		if d.missing != nil {
			r.setInstance(cmd.Name, refInst{missing: d.missing})
			return d.missing
		}
		return r.instantiate(ctx, cmd, d.cc)
	case wast.KindAssertInvalid, wast.KindAssertMalformed:
		return r.assertRefused(ctx, cmd)
	case wast.KindAssertUnlinkable:
		cc, err := r.compile(ctx, cmd.Module)
		if err != nil {
			return err
		}
		if err := r.instantiateStub(ctx, cc); err == nil {
			return fmt.Errorf("linked; expected %q", cmd.Message)
		} else if s := asRefSkip(err); s != err {
			return s
		}
		return nil
	case wast.KindAssertTrap:
		if cmd.Module != nil {
			cc, err := r.compile(ctx, cmd.Module)
			if err != nil {
				return err
			}
			return r.expectTrap(cmd, r.instantiateStub(ctx, cc), "instantiated")
		}
		got, err := r.invoke(ctx, cmd.Invoke)
		if _, ok := err.(*refSkipError); ok {
			return err
		}
		return r.expectTrap(cmd, err, fmt.Sprintf("returned normally (%v)", got))
	case wast.KindInvoke, wast.KindAssertReturn:
		got, err := r.invoke(ctx, cmd.Invoke)
		if err != nil || cmd.Kind == wast.KindInvoke {
			return err
		}
		return r.checkResult(cmd, got)
	case wast.KindRegister, wast.KindModule:
		return refSkip("%s commands are not run by this harness", cmd.Kind)
	}
	return fmt.Errorf("command %q not supported by the harness", cmd.Kind)
}

// missing is the skip that commands depending on cmd's result get when
// cmd failed with err (nil when it did not).
func (r *refRunner) missing(cmd wast.Command, err error) error {
	if err == nil {
		return nil
	}
	what := "failed"
	if s, ok := err.(*refSkipError); ok {
		what = "skipped: " + s.why
	}
	return refSkip("depends on the component (line %d) that %s", cmd.Line, what)
}

// compile turns a module of the script into a Compiled; jco refusing the
// text, and UnsupportedError, are skips.
func (r *refRunner) compile(ctx context.Context, m *wast.Module) (*Compiled, error) {
	if m.Core {
		return nil, refSkip("top-level core modules are not run by this harness")
	}
	res := r.binaries[m]
	if res.Err != nil {
		return nil, refSkip("jco cannot compile the component (its line %d = line 1 of the message): %v", m.Line, res.Err)
	}
	cc, err := r.eng.Compile(ctx, res.Binary)
	return cc, asRefSkip(err)
}

// instantiateStub instantiates cc with stub imports (they trap if
// called; the scripts' top-level imports are there to be type-checked),
// as instantiateCurrent does for the compiled spec tests.
func (r *refRunner) instantiateStub(ctx context.Context, cc *Compiled) error {
	var inst *Instance
	if err := instantiateCurrent(ctx, r.eng, cc, &inst); err != nil {
		return err
	}
	r.all = append(r.all, inst)
	return nil
}

// instantiate makes a new current instance of cc, named by cmd.
func (r *refRunner) instantiate(ctx context.Context, cmd wast.Command, cc *Compiled) error {
	var inst *Instance
	err := instantiateCurrent(ctx, r.eng, cc, &inst)
	if err != nil {
		err = asRefSkip(err)
		r.setInstance(cmd.Name, refInst{missing: r.missing(cmd, err)})
		return err
	}
	r.all = append(r.all, inst)
	r.setInstance(cmd.Name, refInst{inst: inst})
	return nil
}

func (r *refRunner) setInstance(name string, in refInst) {
	r.cur = in
	if name != "" {
		r.insts[name] = in
	}
}

// assertRefused checks that the engine refuses the module of an
// assert_invalid or assert_malformed: when compiling, or at the latest
// when instantiating.
func (r *refRunner) assertRefused(ctx context.Context, cmd wast.Command) error {
	m := cmd.Module
	if m.Core {
		return refSkip("core module checks are not run by this harness")
	}
	if res := r.binaries[m]; res.Err != nil {
		// jco's parser refused the text: nothing reaches the engine.
		if cmd.Kind == wast.KindAssertMalformed {
			return refSkip("a text-format check (witgo has no text parser; jco refuses it)")
		}
		return refSkip("jco refuses the text (line %d = line 1 of the message), so the engine never sees it: %v", m.Line, res.Err)
	}
	cc, err := r.eng.Compile(ctx, r.binaries[m].Binary)
	if err == nil {
		err = r.instantiateStub(ctx, cc)
		if err == nil {
			return fmt.Errorf("accepted; expected %q", cmd.Message)
		}
	}
	var u *UnsupportedError
	if errors.As(err, &u) {
		return refSkip("the engine stopped at an unsupported feature before judging validity: %v", u)
	}
	return nil
}

// expectTrap checks that err is a trap; otherwise says what happened.
// The trap's message is noted for the summary: the engine's wording need
// not match the spec's, so a different message is not a failure.
func (r *refRunner) expectTrap(cmd wast.Command, err error, instead string) error {
	var tr *Trap
	switch {
	case errors.As(err, &tr):
		got, _, _ := strings.Cut(err.Error(), "\n")
		r.trapNote = fmt.Sprintf("trapped: %s (spec: %q)", got, cmd.Message)
		r.trapSame = sameTrapMessage(cmd.Message, got)
		return nil
	case err == nil:
		return fmt.Errorf("%s; expected a trap %q", instead, cmd.Message)
	}
	if s := asRefSkip(err); s != err {
		return s
	}
	return fmt.Errorf("expected a trap %q, got the error %v", cmd.Message, err)
}

// sameTrapMessage reports whether the engine's trap message says what the
// spec's does: it contains the spec's text (without wasmtime's "wasm
// trap: " prefix), or both are about `unreachable`.
func sameTrapMessage(spec, got string) bool {
	spec = strings.ToLower(strings.TrimPrefix(spec, "wasm trap: "))
	got = strings.ToLower(got)
	return strings.Contains(got, spec) || strings.Contains(spec, "unreachable") && strings.Contains(got, "unreachable")
}

// poisonAfter marks the instance that cmd called, which failed
// unexpectedly, as missing: later commands on it skip, naming cmd, rather
// than each failing with the same "unusable after a trap" error.
func (r *refRunner) poisonAfter(cmd wast.Command) {
	if cmd.Invoke == nil {
		return
	}
	inst, err := r.target(cmd.Invoke)
	if err != nil {
		return
	}
	dead := refInst{missing: refSkip("depends on an instance that failed (line %d)", cmd.Line)}
	for name, in := range r.insts {
		if in.inst == inst {
			r.insts[name] = dead
		}
	}
	if r.cur.inst == inst {
		r.cur = dead
	}
}

// target finds the instance an invoke calls.
func (r *refRunner) target(inv *wast.Invoke) (*Instance, error) {
	in := r.cur
	if inv.Instance != "" {
		var ok bool
		if in, ok = r.insts[inv.Instance]; !ok {
			return nil, fmt.Errorf("no instance %s", inv.Instance)
		}
	}
	if in.missing != nil {
		return nil, in.missing
	}
	if in.inst == nil {
		return nil, errors.New("no instance to invoke")
	}
	return in.inst, nil
}

// invoke calls the function with the arguments converted through WAVE
// to the parameters' types.
func (r *refRunner) invoke(ctx context.Context, inv *wast.Invoke) (canonabi.Value, error) {
	inst, err := r.target(inv)
	if err != nil {
		return canonabi.Value{}, err
	}
	f, err := inst.Func(inv.Func)
	if err != nil {
		return canonabi.Value{}, asRefSkip(err)
	}
	ft := f.Type()
	if len(inv.Args) != len(ft.Params) {
		return canonabi.Value{}, fmt.Errorf("%d arguments for %d parameters", len(inv.Args), len(ft.Params))
	}
	args := make([]canonabi.Value, len(inv.Args))
	for i, a := range inv.Args {
		if args[i], err = refValue(inst.ABI(), ft.Params[i].Type, a); err != nil {
			return canonabi.Value{}, fmt.Errorf("argument %d: %v", i, err)
		}
	}
	got, err := f.Call(ctx, args...)
	return got, asRefSkip(err)
}

// refValue converts a script value to a typed value through its WAVE text.
func refValue(abi *canonabi.ABI, t wit.Type, v wast.Value) (canonabi.Value, error) {
	text, err := v.WAVE()
	if err != nil {
		return canonabi.Value{}, err
	}
	return abi.ParseWAVE(t, text)
}

// checkResult compares an assert_return's result with the expected one.
func (r *refRunner) checkResult(cmd wast.Command, got canonabi.Value) error {
	inst, _ := r.target(cmd.Invoke)
	f, err := inst.Func(cmd.Invoke.Func)
	if err != nil {
		return err
	}
	rt := f.Type().Result
	switch {
	case len(cmd.Expected) > 1:
		return fmt.Errorf("%d expected results; component functions have at most one", len(cmd.Expected))
	case len(cmd.Expected) == 0:
		if rt != wit.NoType {
			return fmt.Errorf("got %v, expected no result", got)
		}
		return nil
	case rt == wit.NoType:
		return fmt.Errorf("the function has no result; expected %v", cmd.Expected[0])
	}
	exp := cmd.Expected[0]
	if exp.NaN != "" {
		if k := got.Kind(); k == canonabi.KindF32 && math.IsNaN(float64(got.Float32())) || k == canonabi.KindF64 && math.IsNaN(got.Float64()) {
			return nil
		}
		return fmt.Errorf("got %v, want nan:%s", got, exp.NaN)
	}
	want, err := refValue(inst.ABI(), rt, exp)
	if err != nil {
		return fmt.Errorf("expected value: %v", err)
	}
	if !canonabi.Equal(got, want) {
		gs, _ := inst.ABI().FormatWAVE(rt, got)
		ws, _ := inst.ABI().FormatWAVE(rt, want)
		return fmt.Errorf("got %s, want %s", gs, ws)
	}
	return nil
}
