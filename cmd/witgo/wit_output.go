package main

import (
	"errors"
	"io"

	"github.com/witgo/witgo/wit"
)

// writeWIT is the seam to the wit package's printer (wit/print.go), written
// alongside this command; it reports plainly until that lands.
func writeWIT(w io.Writer, r *wit.Resolve, pkg wit.PackageID) error {
	return errors.New("witgo wit: printing WIT is not available yet (the wit printer is not written yet); use --check or --json")
}

func writeJSON(w io.Writer, r *wit.Resolve) error {
	out, err := r.MarshalJSON()
	if err != nil {
		return err
	}
	return writeText(w, string(out))
}
