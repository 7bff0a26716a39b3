package compose

import (
	"fmt"
	"strings"
)

// MismatchError says that the export meant to satisfy an import does not
// have the import's type: a function or type is missing, or the first
// type that differs, with both sides named.
type MismatchError struct {
	Importer, Exporter string // the components' names
	Import, Export     string // the extern names
	Item               string // "function add", "type point"; "" for the extern itself
	Where              string // path inside the item to the difference, if any
	ImportType         string // the type on the import side
	ExportType         string // the type on the export side
}

func (e *MismatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s imports %s, but the export %s of %s does not match it", e.Importer, e.Import, e.Export, e.Exporter)
	if e.Item != "" {
		b.WriteString(": " + e.Item)
	}
	if e.Where != "" {
		b.WriteString(": " + e.Where)
	}
	fmt.Fprintf(&b, ": %s in the import, %s in the export", e.ImportType, e.ExportType)
	return b.String()
}

// MergeError says that two components import the same interface with
// different definitions of one of its functions or types, so that one
// import of the composed component cannot serve both.
type MergeError struct {
	Name       string // the interface or function
	First      string // the component that imported it first
	Second     string
	Item       string
	Where      string
	FirstType  string
	SecondType string
}

func (e *MergeError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s and %s both import %s, with different types", e.First, e.Second, e.Name)
	if e.Item != "" {
		b.WriteString(": " + e.Item)
	}
	if e.Where != "" {
		b.WriteString(": " + e.Where)
	}
	fmt.Fprintf(&b, ": %s in %s, %s in %s", e.FirstType, e.First, e.SecondType, e.Second)
	return b.String()
}

// CycleError says that components import from one another in a circle,
// so none of them can be instantiated first.
type CycleError struct {
	// Steps are "a.wasm imports x from b.wasm", the last leading back to the first.
	Steps []string
}

func (e *CycleError) Error() string {
	return "the components import from one another in a cycle: " + strings.Join(e.Steps, ", ")
}
