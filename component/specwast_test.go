package component

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/witgo/witgo/internal/jcotool"
)

// jcoWasmTools finds the wasm-tools build bundled with jco
// (@bytecodealliance/jco-transpile/vendor/wasm-tools.js): from
// WITGO_JCO_WASM_TOOLS, or beside jco.
func jcoWasmTools(t *testing.T) (node, tools string) {
	t.Helper()
	if p := os.Getenv("WITGO_JCO_WASM_TOOLS"); p != "" && fileExists(p) {
		return jcotool.Require(t).Node, p
	}
	jco := jcotool.Require(t, "wasm-tools")
	return jco.Node, jco.WasmTools
}

type wastForm struct {
	File  string `json:"file"`
	Line  int    `json:"line"`
	Kind  string `json:"kind"`
	Hex   string `json:"hex"`
	Error string `json:"error"`
	Text  string `json:"text"`
}

// TestSpecWast runs the component-model spec tests that are only
// available as .wast text (reference/spec/test: validation, async,
// binary, ...), compiled with jco's wasm-tools at test time. Forms that
// jco's parser cannot compile are counted as skipped.
func TestSpecWast(t *testing.T) {
	node, tools := jcoWasmTools(t)
	root := filepath.Join(sharedDir(t), "reference", "spec", "test")
	files, _ := filepath.Glob(filepath.Join(root, "*", "*.wast"))
	if len(files) == 0 {
		t.Fatalf("no .wast files under %s", root)
	}
	cmd := exec.Command(node, append([]string{filepath.Join("testdata", "wast2bin.mjs"), tools}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("wast2bin: %v\n%s", err, stderr.String())
	}
	counts := map[string]*suiteCounts{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var f wastForm
		if err := json.Unmarshal(sc.Bytes(), &f); err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, f.File)
		suite := filepath.Dir(rel)
		c := counts[suite]
		if c == nil {
			c = &suiteCounts{}
			counts[suite] = c
		}
		if f.Error != "" {
			c.skipped++
			if testing.Verbose() {
				t.Logf("skip %s:%d (%s): jco cannot compile it: %s", rel, f.Line, f.Kind, f.Error)
			}
			continue
		}
		b, _ := hex.DecodeString(f.Hex)
		if len(b) >= 8 && b[6] == 0 { // a core module, not a component
			c.skipped++
			continue
		}
		switch f.Kind {
		case "module":
			if err := checkValidBinary(b); err != nil {
				c.failed++
				t.Errorf("%s:%d: %v", rel, f.Line, err)
				continue
			}
		default:
			if err := DecodeAndValidate(b); err == nil {
				c.failed++
				t.Errorf("%s:%d: accepted, want error %q", rel, f.Line, f.Text)
				continue
			}
		}
		c.passed++
	}
	logCounts(t, "spec", counts)
}

// npmRoots lists the node_modules folders to look for npm packages in.
func npmRoots(testing.TB) []string {
	return jcotool.NPMRoots()
}
