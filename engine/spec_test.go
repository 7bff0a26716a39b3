package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/internal/testshared"
)

type wastValue struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

type wastCommand struct {
	Type       string `json:"type"`
	Line       int    `json:"line"`
	Filename   string `json:"filename"`
	ModuleType string `json:"module_type"`
	Name       string `json:"name"`
	Instance   string `json:"instance"`
	Module     string `json:"module"`
	Text       string `json:"text"`
	Action     *struct {
		Type  string      `json:"type"`
		Field string      `json:"field"`
		Args  []wastValue `json:"args"`
	} `json:"action"`
	Expected []wastValue `json:"expected"`
}

// specCounts are the outcomes of one suite.
type specCounts struct {
	pass, fail, skip int
	failures         []string
}

// knownSpecFailures lists, by "suite/test:line", the commands this engine
// does not pass yet and why. Anything else failing fails the test.
var knownSpecFailures = map[string]string{}

// TestComponentSpec runs the compiled Component Model spec tests.
func TestComponentSpec(t *testing.T) {
	root := testshared.Dir(t, "conformance", "component-spec")
	ctx := context.Background()
	eng, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)
	for _, suite := range []string{"names", "resources", "values", "wasm-tools"} {
		dirs, _ := filepath.Glob(filepath.Join(root, suite, "*", "wast.json"))
		sort.Strings(dirs)
		var c specCounts
		for _, wj := range dirs {
			runWast(t, eng, suite, wj, &c)
		}
		fmt.Printf("component-spec %-10s pass %4d  fail %3d  skip %3d\n", suite, c.pass, c.fail, c.skip)
		for _, f := range c.failures {
			t.Error(f)
		}
	}
}

func runWast(t *testing.T, eng *Engine, suite, wj string, c *specCounts) {
	ctx := context.Background()
	data, err := os.ReadFile(wj)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Commands []wastCommand }
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", wj, err)
	}
	dir := filepath.Dir(wj)
	test := suite + "/" + filepath.Base(dir)
	defs := map[string]*Compiled{}
	var cur *Instance
	for _, cmd := range doc.Commands {
		where := fmt.Sprintf("%s:%d", test, cmd.Line)
		err := runCommand(ctx, eng, dir, &cmd, defs, &cur)
		switch {
		case errors.Is(err, errSkip):
			c.skip++
		case err == nil:
			c.pass++
		default:
			if why, ok := knownSpecFailures[where]; ok {
				c.fail++
				t.Logf("%s: known failure (%s): %v", where, why, err)
				continue
			}
			c.fail++
			c.failures = append(c.failures, fmt.Sprintf("%s %s: %v", where, cmd.Type, err))
		}
	}
	if cur != nil {
		_ = cur.Close(ctx)
	}
}

var errSkip = errors.New("skipped")

func runCommand(ctx context.Context, eng *Engine, dir string, cmd *wastCommand, defs map[string]*Compiled, cur **Instance) error {
	load := func() ([]byte, error) {
		if cmd.ModuleType == "text" {
			return nil, errSkip // no text-format parser: nothing to check
		}
		return os.ReadFile(filepath.Join(dir, cmd.Filename))
	}
	switch cmd.Type {
	case "module", "module_definition":
		b, err := load()
		if err != nil {
			return err
		}
		cc, err := eng.Compile(ctx, b)
		if err != nil {
			return err
		}
		if cmd.Type == "module_definition" {
			defs[cmd.Name] = cc
			return nil
		}
		return instantiateCurrent(ctx, eng, cc, cur)
	case "module_instance":
		cc := defs[cmd.Module]
		if cc == nil {
			return fmt.Errorf("no module definition %q", cmd.Module)
		}
		return instantiateCurrent(ctx, eng, cc, cur)
	case "assert_invalid", "assert_malformed":
		b, err := load()
		if err != nil {
			return err
		}
		ast, err := component.Decode(b)
		if err == nil {
			err = component.Validate(ast)
		}
		if err == nil {
			return fmt.Errorf("accepted; expected %q", cmd.Text)
		}
		return nil
	case "assert_unlinkable":
		b, err := load()
		if err != nil {
			return err
		}
		cc, err := eng.Compile(ctx, b)
		if err != nil {
			return err
		}
		inst, err := eng.Instantiate(ctx, cc, nil)
		if err == nil {
			_ = inst.Close(ctx)
			return fmt.Errorf("linked; expected %q", cmd.Text)
		}
		return nil
	case "assert_return", "assert_trap":
		if *cur == nil {
			return errors.New("no instance to invoke")
		}
		args := make([]canonabi.Value, len(cmd.Action.Args))
		for i, a := range cmd.Action.Args {
			v, err := wastToValue(a)
			if err != nil {
				return err
			}
			args[i] = v
		}
		got, err := (*cur).Call(ctx, cmd.Action.Field, args...)
		if cmd.Type == "assert_trap" {
			var tr *Trap
			if !errors.As(err, &tr) {
				return fmt.Errorf("expected a trap %q, got %v, %v", cmd.Text, got, err)
			}
			if os.Getenv("WITGO_SPEC_VERBOSE") != "" {
				fmt.Printf("  trap (want %q): %v\n", cmd.Text, err)
			}
			return nil
		}
		if err != nil {
			return err
		}
		if len(cmd.Expected) == 0 {
			return nil
		}
		want, err := wastToValue(cmd.Expected[0])
		if err != nil {
			return err
		}
		if !canonabi.Equal(got, want) {
			return fmt.Errorf("got %v, want %v", got, want)
		}
		return nil
	}
	return fmt.Errorf("command %q not supported by the runner", cmd.Type)
}

// instantiateCurrent makes cc the current instance. Imports are stubbed
// (traps if called): the spec tests' top-level imports are only there to
// be type-checked.
func instantiateCurrent(ctx context.Context, eng *Engine, cc *Compiled, cur **Instance) error {
	if *cur != nil {
		_ = (*cur).Close(ctx)
		*cur = nil
	}
	inst, err := eng.Instantiate(ctx, cc, &Imports{Stub: true})
	if err != nil {
		return err
	}
	*cur = inst
	return nil
}

func wastToValue(v wastValue) (canonabi.Value, error) {
	parseU := func(bits int) (uint64, error) { return strconv.ParseUint(v.Value, 10, bits) }
	parseS := func(bits int) (int64, error) { return strconv.ParseInt(v.Value, 10, bits) }
	var err error
	var u uint64
	var s int64
	switch v.Type {
	case "string":
		return canonabi.StringValue(v.Value), nil
	case "bool":
		return canonabi.BoolValue(v.Value == "true"), nil
	case "char":
		r := []rune(v.Value)
		if len(r) != 1 {
			return canonabi.Value{}, fmt.Errorf("bad char %q", v.Value)
		}
		return canonabi.CharValue(r[0]), nil
	case "u8":
		u, err = parseU(8)
		return canonabi.U8Value(uint8(u)), err
	case "u16":
		u, err = parseU(16)
		return canonabi.U16Value(uint16(u)), err
	case "u32":
		u, err = parseU(32)
		return canonabi.U32Value(uint32(u)), err
	case "u64":
		u, err = parseU(64)
		return canonabi.U64Value(u), err
	case "s8":
		s, err = parseS(8)
		return canonabi.S8Value(int8(s)), err
	case "s16":
		s, err = parseS(16)
		return canonabi.S16Value(int16(s)), err
	case "s32":
		s, err = parseS(32)
		return canonabi.S32Value(int32(s)), err
	case "s64":
		s, err = parseS(64)
		return canonabi.S64Value(s), err
	case "f32":
		u, err = parseU(32)
		return canonabi.F32Value(math.Float32frombits(uint32(u))), err
	case "f64":
		u, err = parseU(64)
		return canonabi.F64Value(math.Float64frombits(u)), err
	}
	return canonabi.Value{}, fmt.Errorf("value type %q not supported by the runner", v.Type)
}
