// Command counter is the Go plug of witgo's compose resource test: it
// exports test:compose/counter (wit in ../greeter/wit/counter.wit), a
// resource the C socket of ../greeter/tally.c creates, calls and drops
// across the component boundary. The test generates its bindings into
// gen/ (module example.com/counter) and builds it as a wasip1 reactor.
package main

import "example.com/counter/gen/exports/test/compose/counter"

type impl struct{}

// tally is one counter: its running total.
type tally struct{ total uint32 }

func (impl) NewCounter(start uint32) counter.Counter { return &tally{total: start} }

func (t *tally) Add(n uint32) uint32 {
	t.total += n
	return t.total
}

func init() { counter.Export(impl{}) }

func main() {}
