package gogen

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestInferPackageRoot(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "go.mod"), "// comment\nmodule   example.com/app // trailing\n\ngo 1.24\n")
	for sub, want := range map[string]string{
		".":                 "example.com/app",
		"internal/bindings": "example.com/app/internal/bindings",
	} {
		got, err := InferPackageRoot(filepath.Join(dir, filepath.FromSlash(sub)))
		if err != nil || got != want {
			t.Errorf("InferPackageRoot(%s) = %q, %v; want %q", sub, got, err, want)
		}
	}
	quoted := t.TempDir()
	writeFile(t, filepath.Join(quoted, "go.mod"), "module \"example.com/q\"\n")
	if got, err := InferPackageRoot(filepath.Join(quoted, "gen")); err != nil || got != "example.com/q/gen" {
		t.Errorf("quoted module path: %q, %v", got, err)
	}
	bad := t.TempDir()
	writeFile(t, filepath.Join(bad, "go.mod"), "go 1.24\n")
	if _, err := InferPackageRoot(bad); err == nil || !strings.Contains(err.Error(), "no module directive") {
		t.Errorf("go.mod without module: err = %v", err)
	}
}
