package rustgen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witgo/witgo/internal/testshared"
	"github.com/witgo/witgo/wit"
)

// FuzzGenerate feeds WIT text to the loader and, for every world that
// loads, to Generate: it must return Rust whose brackets balance, or an
// error, and never panic.
func FuzzGenerate(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "runtime", "*.wit"))
	seeds = append(seeds, filepath.Join("..", "go", "testdata", "matrix.wit"), filepath.Join("..", "go", "testdata", "async.wit"))
	if ui := testshared.Find("conformance", "wit-parser-ui"); ui != "" {
		conf, _ := filepath.Glob(filepath.Join(ui, "*.wit"))
		seeds = append(seeds, conf...)
	}
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(string(data))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		r := wit.NewResolve()
		r.AllFeatures = true
		if _, err := r.AddSource("fuzz.wit", []byte(src)); err != nil {
			return
		}
		for id := range r.Worlds {
			files, err := Generate(r, wit.WorldID(id), Options{Stubs: true})
			if err != nil {
				continue
			}
			for _, file := range files {
				if !strings.HasPrefix(string(file.Content), Header+"\n") {
					t.Fatalf("world %s: %s lacks the header", r.Worlds[id].Name, file.Path)
				}
				if err := checkBrackets(string(file.Content)); err != "" {
					t.Fatalf("world %s: %s: %s", r.Worlds[id].Name, file.Path, err)
				}
			}
		}
	})
}

// checkBrackets reports unbalanced (), [] or {} outside comments and
// string literals ("" when balanced).
func checkBrackets(src string) string {
	var stack []byte
	pairs := map[byte]byte{')': '(', ']': '[', '}': '{'}
	for n, line := range strings.Split(src, "\n") {
		inString := false
		for i := 0; i < len(line); i++ {
			c := line[i]
			switch {
			case inString && c == '\\':
				i++
			case c == '"':
				inString = !inString
			case inString:
			case c == '/' && i+1 < len(line) && line[i+1] == '/':
				i = len(line)
			case c == '\'' && i+2 < len(line) && line[i+2] == '\'':
				i += 2 // a char literal such as '_'
			case c == '(' || c == '[' || c == '{':
				stack = append(stack, c)
			case c == ')' || c == ']' || c == '}':
				if len(stack) == 0 || stack[len(stack)-1] != pairs[c] {
					return "unbalanced " + string(c) + " on line " + itoa(n+1)
				}
				stack = stack[:len(stack)-1]
			}
		}
	}
	if len(stack) > 0 {
		return "unclosed " + string(stack)
	}
	return ""
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
