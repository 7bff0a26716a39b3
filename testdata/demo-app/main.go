// Command demo-app is the Go component `make demo` builds: bindings from
// ./wit by `witgo bindgen`, a wasip1 reactor by `go build`, a component by
// `witgo component new`, run by `witgo run --invoke`.
package main

import (
	"strings"

	"example.com/demo-app/gen/cabi"
	"example.com/demo-app/gen/exports/demo/app/words"
)

type impl struct{}

func (impl) Greet(name string) string { return "Hello, " + name + "!" }

func (impl) Summarize(text string) words.Summary {
	var s words.Summary
	longest := ""
	for _, w := range strings.Fields(text) {
		s.Count++
		if len(w) > len(longest) {
			longest = w
		}
	}
	if longest != "" {
		s.Longest = cabi.Some(longest)
	}
	return s
}

func init() { words.Export(impl{}) }

func main() {}
