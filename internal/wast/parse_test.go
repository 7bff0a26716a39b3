package wast

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/internal/testshared"
)

// referenceFiles returns the spec's reference .wast files.
func referenceFiles(t testing.TB) []string {
	root := testshared.Dir(t, "reference", "spec", "test")
	files, _ := filepath.Glob(filepath.Join(root, "*", "*.wast"))
	if len(files) == 0 {
		t.Fatalf("no .wast files under %s", root)
	}
	return files
}

// TestParseReference parses every reference script and checks what the
// files show when grepped: the number of top-level forms of each kind.
func TestParseReference(t *testing.T) {
	counts := map[Kind]int{}
	for _, f := range referenceFiles(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Parse(f, string(src))
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		lines := strings.Split(string(src), "\n")
		for _, c := range s.Commands {
			counts[c.Kind]++
			// Each command starts on its line with '(' and its keyword.
			l := lines[c.Line-1]
			if !strings.HasPrefix(l, "(") {
				t.Errorf("%s:%d: %s does not start at column 1: %q", f, c.Line, c.Kind, l)
			}
			if m := c.Module; m != nil && m.Form == "text" {
				if !strings.HasPrefix(m.Text, "(component") && !strings.HasPrefix(m.Text, "(module") || !strings.HasSuffix(m.Text, ")") {
					t.Errorf("%s:%d: module text not sliced on its parens: %.40q", f, c.Line, m.Text)
				}
				if strings.HasPrefix(m.Text, "(component definition") {
					t.Errorf("%s:%d: definition keyword left in", f, c.Line)
				}
			}
		}
	}
	t.Logf("commands: %v", counts)
	// Figures from grep over the files (top-level forms start at column 1):
	// grep -c '^(assert_invalid' etc.
	want := map[Kind]int{KindAssertInvalid: 380, KindAssertMalformed: 75, KindDefinition: 89, KindInstance: 159}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("%s: %d commands, grep says %d", k, counts[k], n)
		}
	}
}
