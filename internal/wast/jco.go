package wast

import (
	"errors"

	"github.com/witgo/witgo/internal/jcotool"
)

// ErrNoJCO means node or jco is not installed (`make deps` installs jco
// into the repository's .cache/npm).
var ErrNoJCO = errors.New("jco not found: node and @bytecodealliance/jco in .cache/npm (make deps) or npm's global root are needed")

// RepoRoot returns the directory holding go.mod at or above the current
// directory, or "".
func RepoRoot() string { return jcotool.RepoRoot() }

// FindJCO returns node's path, the path of jco's package directory, and
// jco's version, as internal/jcotool finds them.
func FindJCO() (node, pkg, version string, err error) {
	t, err := jcotool.Find()
	if err != nil {
		return "", "", "", ErrNoJCO
	}
	return t.Node, t.Package, t.Version, nil
}
