package main

import (
	"example.com/gogen-example/internal/bindings/cabi"
	"example.com/gogen-example/internal/bindings/example/hello/hello"
	"example.com/gogen-example/internal/bindings/exports/example/hello/greeter"
)

// greeterImpl implements the exported interface example:hello/greeter.
type greeterImpl struct{}

// tally is the Go type behind the exported resource `tally`; the bindings
// keep the values NewTally returns until the host drops their handles.
type tally struct{ n uint32 }

func (t *tally) Count() uint32 { return t.n }

func (greeterImpl) NewTally() greeter.Tally { return &tally{} }

func (greeterImpl) Greet(name string, t greeter.Tally) (string, error) {
	if name == "" {
		// result<string, string>: the error case carries a string.
		return "", cabi.Fail("nobody to greet")
	}
	t.(*tally).n++
	hello.Log("greeting " + name)
	return "Hello, " + name + "!", nil
}

func init() { greeter.Export(greeterImpl{}) }

func main() {}
