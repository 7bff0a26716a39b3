package component

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// sharedDir finds the project's shared/ directory by walking up from the
// package directory.
func sharedDir(t testing.TB) string {
	dir, _ := filepath.Abs(".")
	for {
		p := filepath.Join(dir, "shared")
		if st, err := os.Stat(filepath.Join(p, "conformance")); err == nil && st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if os.Getenv("WITGO_REQUIRE_TOOLS") == "1" {
		t.Fatal("shared/conformance not found above the package directory")
	}
	t.Skip("shared/conformance not found above the package directory; skipping")
	return ""
}

type wastCommand struct {
	Type       string `json:"type"`
	Line       int    `json:"line"`
	Filename   string `json:"filename"`
	ModuleType string `json:"module_type"`
	Text       string `json:"text"`
}

type suiteCounts struct{ passed, failed, skipped int }

// TestConformance runs the compiled component-model spec tests: modules
// decode, validate and re-encode to the same bytes; assert_invalid and
// assert_malformed binaries are rejected.
func TestConformance(t *testing.T) {
	root := filepath.Join(sharedDir(t), "conformance", "component-spec")
	files, _ := filepath.Glob(filepath.Join(root, "*", "*", "wast.json"))
	if len(files) == 0 {
		t.Fatalf("no wast.json files under %s", root)
	}
	counts := map[string]*suiteCounts{}
	for _, f := range files {
		rel, _ := filepath.Rel(root, f)
		suite := filepath.Dir(filepath.Dir(rel))
		c := counts[suite]
		if c == nil {
			c = &suiteCounts{}
			counts[suite] = c
		}
		var doc struct{ Commands []wastCommand }
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, cmd := range doc.Commands {
			if cmd.Filename == "" {
				continue // assert_return and the like act on instances
			}
			where := filepath.Join(filepath.Dir(rel), cmd.Filename)
			if cmd.ModuleType == "text" {
				c.skipped++ // text-format tests have no binary to check
				continue
			}
			b, err := os.ReadFile(filepath.Join(filepath.Dir(f), cmd.Filename))
			if err != nil {
				t.Fatal(err)
			}
			switch cmd.Type {
			case "module", "module_definition":
				if err := checkValidBinary(b); err != nil {
					c.failed++
					t.Errorf("%s (line %d): %v", where, cmd.Line, err)
				} else {
					c.passed++
				}
			case "assert_invalid", "assert_malformed":
				if err := DecodeAndValidate(b); err == nil {
					c.failed++
					t.Errorf("%s (line %d): accepted, want error %q", where, cmd.Line, cmd.Text)
				} else {
					c.passed++
					if testing.Verbose() {
						t.Logf("%s: want %q, got %v", where, cmd.Text, err)
					}
				}
			default:
				c.skipped++
			}
		}
	}
	t.Logf("component-name sections decoded and re-encoded: %d", nameSectionsChecked)
	if nameSectionsChecked == 0 {
		t.Error("no component-name section in the corpus was checked")
	}
	logCounts(t, "suite", counts)
}

// logCounts prints passed/failed/skipped per suite, sorted by name.
func logCounts(t *testing.T, label string, counts map[string]*suiteCounts) {
	names := make([]string, 0, len(counts))
	for s := range counts {
		names = append(names, s)
	}
	sort.Strings(names)
	for _, s := range names {
		c := counts[s]
		t.Logf("%s %-12s passed %4d  failed %4d  skipped %4d", label, s, c.passed, c.failed, c.skipped)
	}
}

// DecodeAndValidate decodes and validates b.
func DecodeAndValidate(b []byte) error {
	c, err := Decode(b)
	if err != nil {
		return err
	}
	return Validate(c)
}

func checkValidBinary(b []byte) error {
	c, err := Decode(b)
	if err != nil {
		return err
	}
	if err := Validate(c); err != nil {
		return err
	}
	if out := c.Encode(); !bytes.Equal(out, b) {
		return &Error{Offset: firstDiff(out, b), Msg: "re-encoded bytes differ from the input"}
	}
	return checkNameSections(c)
}

// checkNameSections decodes every component-name section, nested ones
// included, and checks that it re-encodes to the same bytes.
func checkNameSections(c *Component) error {
	for _, s := range c.Sections {
		switch s := s.(type) {
		case *CustomSection:
			if s.Name != NameSectionName {
				continue
			}
			n, err := DecodeNames(s.Data, s.Offset)
			if err != nil {
				continue // validity of the name section is not required
			}
			if !bytes.Equal(n.Encode(), s.Data) {
				return &Error{Offset: s.Offset, Msg: "component-name section does not re-encode to the same bytes"}
			}
			nameSectionsChecked++
		case *ComponentSection:
			if err := checkNameSections(s.Component); err != nil {
				return err
			}
		}
	}
	return nil
}

var nameSectionsChecked int

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
