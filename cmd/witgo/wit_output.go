package main

import (
	"io"

	"github.com/witgo/witgo/wit"
)

// writeWIT prints pkg as WIT; withDeps adds the packages it depends on as
// nested `package a:b { ... }` blocks, so the text parses on its own.
func writeWIT(w io.Writer, r *wit.Resolve, pkg wit.PackageID, withDeps bool) error {
	var nested []wit.PackageID
	if withDeps {
		nested = r.PackageDeps(pkg)
	}
	out, err := r.PrintPackages(pkg, nested)
	if err != nil {
		return err
	}
	return writeText(w, out)
}

func writeJSON(w io.Writer, r *wit.Resolve) error {
	out, err := r.MarshalJSON()
	if err != nil {
		return err
	}
	return writeText(w, string(out))
}
