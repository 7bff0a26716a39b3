package main

import (
	"errors"
	"testing"

	"example.com/gogen-example/internal/bindings/cabi"
)

// The bindings compile natively, so the implementation's own logic is
// testable with plain `go test` (calling an import panics off wasip1).
func TestGreetRejectsEmptyName(t *testing.T) {
	tl := greeterImpl{}.NewTally()
	_, err := greeterImpl{}.Greet("", tl)
	var e *cabi.Error[string]
	if !errors.As(err, &e) || e.Value != "nobody to greet" {
		t.Fatalf("Greet(\"\") error = %v, want the WIT error \"nobody to greet\"", err)
	}
	if tl.Count() != 0 {
		t.Fatalf("a failed greeting was counted")
	}
}
