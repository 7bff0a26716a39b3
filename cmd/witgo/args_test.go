package main

import (
	"io"
	"slices"
	"testing"
)

func TestPermuteArgsMovesFlagsBeforePositionals(t *testing.T) {
	app := newApp(io.Discard, io.Discard)
	tests := []struct{ in, want []string }{
		{[]string{"witgo"}, []string{"witgo"}},
		{[]string{"witgo", "--help"}, []string{"witgo", "--help"}},
		{[]string{"witgo", "nosuch", "x", "--json"}, []string{"witgo", "nosuch", "x", "--json"}},
		{[]string{"witgo", "wit", "p", "--json"}, []string{"witgo", "wit", "--json", "p"}},
		{[]string{"witgo", "wit", "p", "--world", "w", "--check"}, []string{"witgo", "wit", "--world", "w", "--check", "p"}},
		{[]string{"witgo", "wit", "p", "-w", "w"}, []string{"witgo", "wit", "-w", "w", "p"}},
		{[]string{"witgo", "wit", "p", "--world=w"}, []string{"witgo", "wit", "--world=w", "p"}},
		// A bool flag does not swallow the next argument.
		{[]string{"witgo", "wit", "--json", "p"}, []string{"witgo", "wit", "--json", "p"}},
		{[]string{"witgo", "wit", "--features", "a,b", "p"}, []string{"witgo", "wit", "--features", "a,b", "p"}},
		// After -- everything is positional, even "-x".
		{[]string{"witgo", "wit", "--json", "--", "-odd.wit"}, []string{"witgo", "wit", "--json", "--", "-odd.wit"}},
		{[]string{"witgo", "wit", "-"}, []string{"witgo", "wit", "-"}},
	}
	for _, tt := range tests {
		if got := permuteArgs(app, tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("permuteArgs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPermuteArgsKeepsAMissingValueMissing(t *testing.T) {
	app := newApp(io.Discard, io.Discard)
	got := permuteArgs(app, []string{"witgo", "wit", "p", "--world"})
	want := []string{"witgo", "wit", "--world"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
