package canonabi

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/wit"
)

// pyType renders sh as a definitions.py type expression.
func pyType(sh *shape) string {
	if sh == nil {
		return "None"
	}
	switch sh.kind {
	case KindBool:
		return "BoolType()"
	case KindU8, KindU16, KindU32, KindU64, KindS8, KindS16, KindS32, KindS64, KindF32, KindF64, KindChar, KindString:
		name := sh.kind.String()
		return strings.ToUpper(name[:1]) + name[1:] + "Type()"
	case KindList:
		return "ListType(" + pyType(sh.elem) + ")"
	case KindFixedList:
		return fmt.Sprintf("ListType(%s, %d)", pyType(sh.elem), sh.length)
	case KindMap:
		return fmt.Sprintf("MapType(%s, %s)", pyType(sh.elem.fields[0]), pyType(sh.elem.fields[1]))
	case KindRecord, KindTuple:
		var fs []string
		for i, f := range sh.fields {
			fs = append(fs, fmt.Sprintf("FieldType('f%d', %s)", i, pyType(f)))
		}
		return "RecordType([" + strings.Join(fs, ", ") + "])"
	case KindVariant, KindEnum, KindOption, KindResult:
		var cs []string
		for i, p := range sh.fields {
			cs = append(cs, fmt.Sprintf("CaseType('c%d', %s)", i, pyType(p)))
		}
		return "VariantType([" + strings.Join(cs, ", ") + "])"
	case KindFlags:
		return fmt.Sprintf("FlagsType(['f%%d' %% i for i in range(%d)])", len(sh.labels))
	}
	return "U32Type()" // handles
}

// TestCrossCheckDefinitions compares Layout and Flat for random types, and
// Signature for random functions, with
// the spec's definitions.py when WITGO_CABI_DEFINITIONS names a local copy
// of it (design/mvp/canonical-abi/definitions.py of WebAssembly/
// component-model; not part of this repository).
func TestCrossCheckDefinitions(t *testing.T) {
	defs := os.Getenv("WITGO_CABI_DEFINITIONS")
	if defs == "" {
		t.Skip("set WITGO_CABI_DEFINITIONS to the spec's definitions.py to cross-check")
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found")
	}
	rng := rand.New(rand.NewPCG(11, 12))
	b := newBuilder()
	a := New(b.r)
	var script strings.Builder
	fmt.Fprintf(&script, "import sys\nsys.path.insert(0, %q)\nfrom definitions import *\n", filepath.Dir(defs))
	script.WriteString("o = CanonicalOptions(memory=MemInst(bytearray(), 'i32'))\n")
	var want []string
	for i := 0; i < 500; i++ {
		ty := randType(rng, b, 4)
		sh, _ := a.shape(ty)
		fmt.Fprintf(&script, "t = %s\nprint(elem_size(t, 'i32'), alignment(t, 'i32'), ' '.join(flatten_type(t, o)) if len(flatten_type(t, o)) <= %d else 'long')\n", pyType(sh), maxFlatKept)
		flat := "long"
		if !sh.flatTooLong {
			flat = flatString(sh.flat)
		}
		want = append(want, fmt.Sprintf("%d %d %s", sh.size, sh.align, flat))
	}
	for i := 0; i < 200; i++ {
		f := &wit.Function{Name: "f", Result: randType(rng, b, 2), Async: i%4 == 0}
		var ps []string
		for j := 0; j < rng.IntN(20); j++ {
			pt := randType(rng, b, 2)
			f.Params = append(f.Params, wit.Param{Name: fmt.Sprint("p", j), Type: pt})
			sh, _ := a.shape(pt)
			ps = append(ps, fmt.Sprintf("('p%d', %s)", j, pyType(sh)))
		}
		rs, _ := a.shape(f.Result)
		fmt.Fprintf(&script, "ft = FuncType([%s], [%s], %v)\n", strings.Join(ps, ", "), pyType(rs), map[bool]string{true: "True", false: "False"}[f.Async])
		script.WriteString("for ctx in ['lift', 'lower']:\n")
		script.WriteString("  fo = CanonicalOptions(memory=MemInst(bytearray(), 'i32'), async_=ft.async_, callback=(lambda: 0) if ft.async_ else None)\n")
		script.WriteString("  c = flatten_functype(fo, ft, ctx)\n  print(' '.join(c.params), '->', ' '.join(c.results))\n")
		for _, dir := range []Direction{Lift, Lower} {
			sig, err := a.Signature(f, dir)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, strings.TrimSpace(flatString(sig.Params)+" -> "+flatString(sig.Results)))
		}
	}
	cmd := exec.Command(python, "-")
	cmd.Stdin = strings.NewReader(script.String())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	got := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(got) != len(want) {
		t.Fatalf("python printed %d lines, want %d", len(got), len(want))
	}
	for i := range want {
		if strings.TrimSpace(got[i]) != want[i] {
			t.Errorf("type %d: definitions.py says %q, canonabi %q", i, got[i], want[i])
		}
	}
	t.Logf("500 random types and 200 random functions (both directions) agree with definitions.py")
}
