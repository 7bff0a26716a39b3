package wit

import "errors"

// errNotYet is returned until the parser and resolver land.
var errNotYet = errors.New("wit: loading is not implemented yet")

// LoadPath reads a WIT file, or a package directory with its deps/, into r
// and returns the root package.
func (r *Resolve) LoadPath(path string) (PackageID, error) { return 0, errNotYet }

// AddSource parses one WIT file's text (a root package, with any nested
// `package a:b {}` blocks resolved as its deps) into r.
func (r *Resolve) AddSource(filename string, src []byte) (PackageID, error) { return 0, errNotYet }

// SelectWorld picks a world: "" means the package's only world, a bare name a
// world of pkg, and `ns:pkg/world@ver` a world of any loaded package.
func (r *Resolve) SelectWorld(pkg PackageID, name string) (WorldID, error) { return 0, errNotYet }
