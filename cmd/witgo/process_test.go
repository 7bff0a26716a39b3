package main

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// The real executable's exit status and streams, not just run's result.
func TestProcessExitStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := witgoBinary(t)
	tests := []struct {
		args       []string
		code       int
		stdoutHas  string
		stderrHas  string
		stdoutNone bool
	}{
		{[]string{"version"}, 0, "witgo ", "", false},
		{[]string{"wit", "--help"}, 0, "witgo wit", "", false},
		{[]string{"wit", "no/such/file.wit"}, 1, "", "", true},
		{[]string{"wit", "--nosuch"}, 2, "", "flag provided but not defined", true},
		{[]string{"bogus"}, 2, "", "unknown command", true},
	}
	for _, tt := range tests {
		cmd := exec.Command(bin, tt.args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			code = exitErr.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tt.code {
			t.Errorf("witgo %v: exit %d, want %d (stderr %q)", tt.args, code, tt.code, stderr.String())
		}
		if !strings.Contains(stdout.String(), tt.stdoutHas) || !strings.Contains(stderr.String(), tt.stderrHas) {
			t.Errorf("witgo %v: stdout %q stderr %q", tt.args, stdout.String(), stderr.String())
		}
		if tt.stdoutNone && stdout.Len() != 0 {
			t.Errorf("witgo %v: stdout should be empty, got %q", tt.args, stdout.String())
		}
	}
}
