package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/canonabi"

	"github.com/witgo/witgo/internal/testshared"
	"github.com/witgo/witgo/internal/wast"
)

// runAsyncScript runs the component, invoke, assert_return and assert_trap
// commands of one of the spec's async reference scripts (the whole-corpus
// runner is spec_ref_test.go; this one reports each async file on its own
// so the async work can be followed file by file).
func runAsyncScript(t *testing.T, path string) {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := wast.Parse(filepath.Base(path), string(src))
	if err != nil {
		t.Fatal(err)
	}
	c := wast.TestCompiler(t)
	ctx := context.Background()
	eng, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)
	var inst *Instance
	defs := map[string]*Compiled{}
	insts := map[string]*Instance{}
	compile := func(cmd wast.Command) *Compiled {
		rs, err := c.Compile([]string{cmd.Module.Text})
		if err != nil {
			t.Fatalf("line %d: jco: %v", cmd.Line, err)
		}
		if rs[0].Err != nil { // text this jco no longer accepts: a tool gap
			t.Skipf("line %d: jco cannot parse it: %v", cmd.Line, rs[0].Err)
		}
		comp, err := eng.Compile(ctx, rs[0].Binary)
		if err != nil {
			var ue *UnsupportedError
			if errors.As(err, &ue) {
				t.Skipf("line %d: %v", cmd.Line, err)
			}
			t.Fatalf("line %d: compile: %v", cmd.Line, err)
		}
		return comp
	}
	for _, cmd := range s.Commands {
		switch {
		case cmd.Kind == wast.KindDefinition:
			defs[cmd.Name] = compile(cmd)
		case cmd.Kind == wast.KindComponent || cmd.Kind == wast.KindInstance:
			comp := defs[cmd.Of]
			if cmd.Kind == wast.KindComponent {
				comp = compile(cmd)
			}
			inst, err = eng.Instantiate(ctx, comp, &Imports{Stub: true})
			if err != nil {
				t.Fatalf("line %d: instantiate: %v", cmd.Line, err)
			}
			insts[cmd.Name] = inst
		case cmd.Kind == wast.KindAssertTrap && cmd.Invoke == nil:
			_, err := eng.Instantiate(ctx, compile(cmd), &Imports{Stub: true})
			var tr *Trap
			if !errors.As(err, &tr) {
				t.Fatalf("line %d: want instantiation trap %q, got %v", cmd.Line, cmd.Message, err)
			}
		case cmd.Kind == wast.KindAssertReturn || cmd.Kind == wast.KindInvoke || cmd.Kind == wast.KindAssertTrap:
			in := inst
			if cmd.Invoke.Instance != "" {
				in = insts[cmd.Invoke.Instance]
			}
			f, err := in.Func(cmd.Invoke.Func)
			if err != nil {
				t.Fatalf("line %d: %v", cmd.Line, err)
			}
			var args []canonabi.Value
			for i, a := range cmd.Invoke.Args {
				text, err := a.WAVE()
				if err == nil && i < len(f.Type().Params) {
					var v canonabi.Value
					v, err = in.ABI().ParseWAVE(f.Type().Params[i].Type, text)
					args = append(args, v)
				}
				if err != nil {
					t.Fatalf("line %d: argument %d: %v", cmd.Line, i, err)
				}
			}
			got, err := f.Call(ctx, args...)
			if cmd.Kind == wast.KindAssertTrap {
				var tr *Trap
				if !errors.As(err, &tr) {
					t.Fatalf("line %d: want trap %q, got %v, %v", cmd.Line, cmd.Message, got, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("line %d: %s: %v", cmd.Line, cmd.Invoke.Func, err)
			}
			if len(cmd.Expected) == 1 {
				text, err := cmd.Expected[0].WAVE()
				if err != nil {
					t.Fatal(err)
				}
				want, err := in.ABI().ParseWAVE(f.Type().Result, text)
				if err != nil {
					t.Fatal(err)
				}
				if got.String() != want.String() {
					t.Fatalf("line %d: %s returned %v, want %v", cmd.Line, cmd.Invoke.Func, got, want)
				}
			}
		case cmd.Kind == wast.KindAssertInvalid:
			if rs, err := c.Compile([]string{cmd.Module.Text}); err == nil && rs[0].Err == nil {
				if _, err := eng.Compile(ctx, rs[0].Binary); err == nil {
					t.Fatalf("line %d: invalid component accepted (%s)", cmd.Line, cmd.Message)
				}
			}
		default:
			t.Skipf("line %d: command kind %v not run here", cmd.Line, cmd.Kind)
		}
	}
}

func TestAsyncReferenceScripts(t *testing.T) {
	dir := testshared.Dir(t, "reference", "spec", "test", "async")
	files, _ := filepath.Glob(filepath.Join(dir, "*.wast"))
	nyi, _ := os.ReadFile(filepath.Join(dir, "..", "nyi.txt")) // tests ahead of implementations
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".wast")
		t.Run(name, func(t *testing.T) {
			if strings.Contains(string(nyi), "/async/"+name+".wast") {
				t.Skip("listed in nyi.txt (not yet implemented by the reference runtimes)")
			}
			runAsyncScript(t, f)
		})
	}
}
