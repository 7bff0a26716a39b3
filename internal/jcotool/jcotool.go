// Package jcotool finds node and the npm packages witgo's tests run and
// check components with: jco, the preview2-shim its transpiled code
// imports, and the wasm-tools build jco-transpile bundles. `make deps`
// installs them into the repository's .cache/npm; npm's global root is
// the fallback. One lookup for every package's tests.
package jcotool

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/witgo/witgo/internal/testshared"
)

// Tools is what was found. Paths are absolute.
type Tools struct {
	Node         string // the node executable
	NodeModules  string // the node_modules folder jco is in
	Package      string // jco's package folder (@bytecodealliance/jco)
	CLI          string // jco's entry point: node CLI args...
	Version      string // jco's version
	Preview2Shim string // the preview2-shim jco's output imports; "" if absent
	WasmTools    string // jco-transpile's vendor/wasm-tools.js; "" if absent
}

// ErrNotFound says node or jco is missing.
var ErrNotFound = errors.New("node or jco not found (make deps installs jco into .cache/npm)")

var (
	once  sync.Once
	found *Tools
	err   error
)

// Find looks once per process and returns the same answer after that.
func Find() (*Tools, error) {
	once.Do(func() { found, err = find() })
	return found, err
}

func find() (*Tools, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, ErrNotFound
	}
	for _, root := range NPMRoots() {
		if t := at(root); t != nil {
			t.Node = node
			return t, nil
		}
	}
	return nil, ErrNotFound
}

// NPMRoots are the node_modules folders to look for npm packages in, in
// order: the one `make deps` fills (.cache/npm), then npm's global root.
func NPMRoots() []string {
	var roots []string
	if root := RepoRoot(); root != "" {
		roots = append(roots, filepath.Join(root, ".cache", "npm", "node_modules"))
	}
	if out, err := exec.Command("npm", "root", "-g").Output(); err == nil {
		roots = append(roots, strings.TrimSpace(string(out)))
	}
	return roots
}

// at returns the tools under node_modules folder root, or nil when jco is
// not there.
func at(root string) *Tools {
	pkg := filepath.Join(root, "@bytecodealliance", "jco")
	b, err := os.ReadFile(filepath.Join(pkg, "package.json"))
	if err != nil {
		return nil
	}
	var meta struct{ Version string }
	if json.Unmarshal(b, &meta) != nil {
		return nil
	}
	cli := filepath.Join(pkg, "dist", "jco.js")
	if !exists(cli) {
		return nil
	}
	t := &Tools{NodeModules: root, Package: pkg, CLI: cli, Version: meta.Version}
	// npm may nest the shim under jco or hoist it beside jco.
	for _, shim := range []string{
		filepath.Join(pkg, "node_modules", "@bytecodealliance", "preview2-shim"),
		filepath.Join(root, "@bytecodealliance", "preview2-shim"),
	} {
		if exists(shim) {
			t.Preview2Shim = shim
			break
		}
	}
	if w := filepath.Join(root, "@bytecodealliance", "jco-transpile", "vendor", "wasm-tools.js"); exists(w) {
		t.WasmTools = w
	}
	return t
}

// Require returns the tools, or skips the test (fails it under
// WITGO_REQUIRE_TOOLS=1) when node or jco is missing, or when a part
// named in needs ("preview2-shim", "wasm-tools") is.
func Require(t testing.TB, needs ...string) *Tools {
	t.Helper()
	tools, err := Find()
	if err == nil {
		for _, n := range needs {
			switch {
			case n == "preview2-shim" && tools.Preview2Shim == "":
				err = errors.New("jco's preview2-shim not found beside jco (make deps)")
			case n == "wasm-tools" && tools.WasmTools == "":
				err = errors.New("jco-transpile's wasm-tools.js not found beside jco (make deps)")
			}
		}
	}
	if err != nil {
		if testshared.Required() {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return tools
}

// RepoRoot is the folder holding go.mod at or above the current
// directory, or "".
func RepoRoot() string {
	dir, err := filepath.Abs(".")
	if err != nil {
		return ""
	}
	for {
		if exists(filepath.Join(dir, "go.mod")) {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
