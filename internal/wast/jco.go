package wast

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ErrNoJCO means node or jco is not installed (`make deps` installs jco
// into the repository's .cache/npm).
var ErrNoJCO = errors.New("jco not found: node and @bytecodealliance/jco in .cache/npm (make deps) or npm's global root are needed")

// jcoPackage is the path of jco's package inside a node_modules folder.
var jcoPackage = filepath.Join("@bytecodealliance", "jco")

// RepoRoot returns the directory holding go.mod at or above the current
// directory, or "".
func RepoRoot() string {
	dir, err := filepath.Abs(".")
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// FindJCO returns node's path, the path of jco's package directory, and
// jco's version. It looks in the repository's .cache/npm (where `make
// deps` installs it, as the other jco tests look), then in npm's global
// root.
func FindJCO() (node, pkg, version string, err error) {
	node, err = exec.LookPath("node")
	if err != nil {
		return "", "", "", ErrNoJCO
	}
	var roots []string
	if root := RepoRoot(); root != "" {
		roots = append(roots, filepath.Join(root, ".cache", "npm", "node_modules"))
	}
	try := func(root string) bool {
		dir := filepath.Join(root, jcoPackage)
		b, err := os.ReadFile(filepath.Join(dir, "package.json"))
		if err != nil {
			return false
		}
		var meta struct{ Version string }
		if json.Unmarshal(b, &meta) != nil {
			return false
		}
		if _, err := os.Stat(filepath.Join(dir, "dist", "api.js")); err != nil {
			return false
		}
		pkg, version = dir, meta.Version
		return true
	}
	for _, r := range roots {
		if try(r) {
			return node, pkg, version, nil
		}
	}
	if out, err := exec.Command("npm", "root", "-g").Output(); err == nil && try(strings.TrimSpace(string(out))) {
		return node, pkg, version, nil
	}
	return "", "", "", ErrNoJCO
}
