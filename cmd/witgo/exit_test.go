package main

import (
	"github.com/witgo/witgo/wit"
	"strings"
	"testing"
)

func TestBadUsageExitsTwo(t *testing.T) {
	tests := []struct {
		args []string
		want string // in stderr
	}{
		{nil, "missing command"},
		{[]string{"nosuch"}, `unknown command "nosuch"`},
		{[]string{"wti"}, `did you mean "wit"`},
		{[]string{"help", "nosuch"}, `unknown command "nosuch"`},
		{[]string{"--nosuch"}, "flag provided but not defined: -nosuch"},
		{[]string{"wit"}, "missing PATH argument"},
		{[]string{"wit", "a.wit", "b.wit"}, "expected one PATH"},
		{[]string{"wit", "--nosuch", "a.wit"}, "flag provided but not defined: -nosuch"},
		{[]string{"wit", "a.wit", "--nosuch"}, "flag provided but not defined: -nosuch"},
		{[]string{"wit", "a.wit", "--world"}, "flag needs an argument: -world"},
		{[]string{"wit", "--features", "x", "--all-features", "a.wit"}, "cannot be used together"},
		{[]string{"wit", "--check", "--json", "a.wit"}, "--check"},
		{[]string{"wit", "--with-deps", "--json", "a.wit"}, "--with-deps"},
		{[]string{"version", "extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := witgo(t, tt.args...)
			r.expect(t, exitUsage)
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, r.stderr)
			}
			if !strings.Contains(r.stderr, "--help' for usage") {
				t.Errorf("stderr does not point at --help:\n%s", r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout not empty: %q", r.stdout)
			}
		})
	}
}

// A usage error after a command names that command's help.
func TestUsageErrorPointsAtCommandHelp(t *testing.T) {
	r := witgo(t, "wit", "--nosuch", "x.wit")
	r.expect(t, exitUsage)
	if !strings.Contains(r.stderr, "Run 'witgo wit --help' for usage.") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	// No usage dump for a mistyped flag: one message, one hint.
	if strings.Contains(r.stderr, "USAGE:") {
		t.Errorf("usage dumped on a mistyped flag:\n%s", r.stderr)
	}
}

// A path that cannot be read is the user's input problem: exit 1, the
// message on stderr, nothing on stdout, no usage text.
func TestMissingFileExitsOne(t *testing.T) {
	r := witgo(t, "wit", "no/such/dir/x.wit")
	r.expect(t, exitUserError)
	if r.stdout != "" {
		t.Errorf("stdout not empty: %q", r.stdout)
	}
	if strings.TrimSpace(r.stderr) == "" || strings.Contains(r.stderr, "USAGE:") {
		t.Errorf("stderr should hold just the error:\n%s", r.stderr)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		r := witgo(t, args...)
		r.expect(t, exitOK)
		if !strings.HasPrefix(r.stdout, "witgo ") || r.stderr != "" {
			t.Errorf("%v: stdout %q stderr %q", args, r.stdout, r.stderr)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"wit", "wit", 0}, {"wit", "wti", 2}, {"wit", "wits", 1},
		{"kitten", "sitting", 3}, {"", "abc", 3}, {"version", "verison", 2},
	}
	for _, tt := range tests {
		if got := wit.EditDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
