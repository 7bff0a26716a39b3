// The guest of the runtime test: every export of test:rt/forward calls the
// import of the same name and returns what it got. TestRuntimeRoundTrip
// builds it against freshly generated bindings (module example.com/rt).
package main

import (
	"errors"
	"fmt"
	"runtime"

	"example.com/rt/cabi"
	"example.com/rt/exports/test/rt/forward"
	"example.com/rt/exports/test/rt/things"
	"example.com/rt/test/rt/res"
	"example.com/rt/test/rt/rt"
	"example.com/rt/test/rt/rt/exports/inline"
	"example.com/rt/test/rt/types"
)

type fwd struct{}

func (fwd) EchoBool(x bool) bool                       { return types.EchoBool(x) }
func (fwd) EchoU8(x uint8) uint8                       { return types.EchoU8(x) }
func (fwd) EchoS8(x int8) int8                         { return types.EchoS8(x) }
func (fwd) EchoU16(x uint16) uint16                    { return types.EchoU16(x) }
func (fwd) EchoS16(x int16) int16                      { return types.EchoS16(x) }
func (fwd) EchoU32(x uint32) uint32                    { return types.EchoU32(x) }
func (fwd) EchoS32(x int32) int32                      { return types.EchoS32(x) }
func (fwd) EchoU64(x uint64) uint64                    { return types.EchoU64(x) }
func (fwd) EchoS64(x int64) int64                      { return types.EchoS64(x) }
func (fwd) EchoF32(x float32) float32                  { return types.EchoF32(x) }
func (fwd) EchoF64(x float64) float64                  { return types.EchoF64(x) }
func (fwd) EchoChar(x rune) rune                       { return types.EchoChar(x) }
func (fwd) EchoString(x string) string                 { return types.EchoString(x) }
func (fwd) EchoBytes(x []uint8) []uint8                { return types.EchoBytes(x) }
func (fwd) EchoFloats(x []float64) []float64           { return types.EchoFloats(x) }
func (fwd) EchoStrings(x []string) []string            { return types.EchoStrings(x) }
func (fwd) EchoPoints(x []forward.Point) []types.Point { return types.EchoPoints(x) }
func (fwd) EchoOuter(x forward.Outer) forward.Outer    { return types.EchoOuter(x) }
func (fwd) EchoShape(x forward.Shape) forward.Shape    { return types.EchoShape(x) }
func (fwd) EchoFixed(x [3]uint16) [3]uint16            { return types.EchoFixed(x) }
func (fwd) EchoMap(x map[string]uint32) map[string]uint32 {
	return types.EchoMap(x)
}
func (fwd) EchoOption(x cabi.Option[cabi.Option[string]]) cabi.Option[cabi.Option[string]] {
	return types.EchoOption(x)
}
func (fwd) EchoResult(x cabi.Result[[]uint32, forward.Color]) ([]uint32, error) {
	return types.EchoResult(x)
}
func (fwd) EchoFlags(a forward.One, b forward.Nine, c forward.ThirtyTwo) cabi.Tuple3[forward.One, forward.Nine, forward.ThirtyTwo] {
	return types.EchoFlags(a, b, c)
}
func (fwd) EchoTuple(x cabi.Tuple4[uint8, string, float64, rune]) cabi.Tuple4[uint8, string, float64, rune] {
	return types.EchoTuple(x)
}
func (fwd) EchoU64s(x []uint64) []uint64                        { return types.EchoU64s(x) }
func (fwd) EchoS8s(x []int8) []int8                             { return types.EchoS8s(x) }
func (fwd) EchoBools(x []bool) []bool                           { return types.EchoBools(x) }
func (fwd) EchoChars(x []rune) []rune                           { return types.EchoChars(x) }
func (fwd) EchoNestedLists(x [][]string) [][]string             { return types.EchoNestedLists(x) }
func (fwd) EchoShapes(x []forward.Shape) []forward.Shape        { return types.EchoShapes(x) }
func (fwd) EchoOuters(x []forward.Outer) []forward.Outer        { return types.EchoOuters(x) }
func (fwd) EchoJoined(x forward.Joined) forward.Joined          { return types.EchoJoined(x) }
func (fwd) EchoFixedStrings(x [2]string) [2]string              { return types.EchoFixedStrings(x) }
func (fwd) EchoFixedPoints(x [2]forward.Point) [2]forward.Point { return types.EchoFixedPoints(x) }
func (fwd) EchoMapLists(x map[uint32][]string) map[uint32][]string {
	return types.EchoMapLists(x)
}
func (fwd) EchoBareResult(x cabi.Result[struct{}, struct{}]) error { return types.EchoBareResult(x) }
func (fwd) EchoOkOnly(x cabi.Result[string, struct{}]) (string, error) {
	return types.EchoOkOnly(x)
}
func (fwd) EchoOptions(x []cabi.Option[uint32]) []cabi.Option[uint32] {
	return types.EchoOptions(x)
}
func (fwd) Flat16(a1 uint64, a2 float32, a3 float64, a4 int8, a5 uint16, a6 rune, a7 bool, a8 int64,
	a9 uint32, a10 float32, a11 float64, a12 int16, a13 uint8, a14 int32, a15 uint64, a16 float64,
) uint64 {
	return types.Flat16(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16)
}
func (fwd) Many(a1 uint32, a2 string, a3 uint64, a4 float32, a5 float64, a6 int8, a7 string, a8 uint32,
	a9 uint32, a10 uint32, a11 uint32, a12 uint32, a13 uint32, a14 uint32, a15 uint32, a16 uint32, a17 uint32,
) cabi.Tuple8[uint32, string, uint64, float32, float64, int8, string, uint32] {
	return types.Many(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17)
}
func (fwd) Checked(x uint32) (uint32, error) { return types.Checked(x) }
func (fwd) Unit(x uint32) error              { return types.Unit(x) }

// thingsImpl exercises imported resources and implements an exported one.
type thingsImpl struct{}

func (thingsImpl) UseCounter(start, n uint32) uint32 {
	c := res.NewCounter(start)
	c.Add(n)
	m := res.CounterMerge(c, c)
	v := m.Get()
	c.Drop()
	m.Drop()
	return v
}

func (thingsImpl) SumCounters(n uint32) uint32 {
	var sum uint32
	for _, c := range res.MakeCounters(n) {
		sum += c.Get()
		c.Drop()
	}
	return sum
}

func (thingsImpl) TakeCounter(c res.Counter) uint32 {
	defer c.Drop()
	return c.Get()
}

// Peek reads a borrowed counter; a borrow is not dropped.
func (thingsImpl) Peek(c res.Counter) uint32 { return c.Get() }

// FreshCounter gives the host ownership of a counter it made.
func (thingsImpl) FreshCounter(start uint32) res.Counter {
	c := res.NewCounter(start)
	c.Add(1)
	return c
}

// SumBorrowed lends the host a list of counters (list<borrow<counter>>).
func (thingsImpl) SumBorrowed(n uint32) uint64 {
	cs := make([]res.Counter, n)
	for i := range cs {
		cs[i] = res.NewCounter(uint32(i + 1))
	}
	sum := res.Sum(cs)
	for _, c := range cs {
		c.Drop()
	}
	return sum
}

// TryCounter passes the host's error string back as its own.
func (thingsImpl) TryCounter(s string) (uint32, error) {
	c, err := res.CounterTryNew(s)
	if err != nil {
		return 0, err
	}
	defer c.Drop()
	return c.Get(), nil
}

func (thingsImpl) HandOver(start uint32) uint32 { return res.Keep(res.NewCounter(start)) }

func (thingsImpl) Say(msg string) { fmt.Println("guest says: " + msg) }

func (thingsImpl) HeapBytes() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func (thingsImpl) MaybeCount(t cabi.Option[things.Tally]) cabi.Option[uint32] {
	if v, ok := t.Get(); ok {
		return cabi.Some(v.(*tally).n)
	}
	return cabi.None[uint32]()
}

// tally is the Go value behind the exported resource.
type tally struct{ n uint32 }

var dropped uint32

func (t *tally) Add(n uint32) uint32 { t.n += n; return t.n }
func (t *tally) Drop()               { dropped++ }
func (t *tally) Copy() things.Tally  { return &tally{n: t.n} }

func (thingsImpl) NewTally(start uint32) things.Tally { return &tally{n: start} }
func (thingsImpl) TallyTotal(a, b things.Tally) uint32 {
	return a.(*tally).n + b.(*tally).n
}
func (thingsImpl) MakeTallies(n uint32) []things.Tally {
	out := make([]things.Tally, n)
	for i := range out {
		out[i] = &tally{n: uint32(i)}
	}
	return out
}
func (thingsImpl) Consume(t things.Tally) uint32 { return t.(*tally).n }
func (thingsImpl) Dropped() uint32               { return dropped }

func (thingsImpl) Greet(name string) (string, error) {
	switch name {
	case "":
		return "", cabi.Fail("empty")
	case "?":
		return "", errors.New("a plain Go error") // E is string: its message
	}
	return "hello, " + name, nil
}

// worldImpl implements the world's own exports; they call its import.
type worldImpl struct{}

func (worldImpl) Run(args []string) (uint32, error) {
	if len(args) == 0 {
		return 0, cabi.Fail("no arguments")
	}
	for i, a := range args {
		rt.Log(a, uint8(i))
	}
	return uint32(len(args)), nil
}

type inlineImpl struct{}

func (inlineImpl) Ping(n int64) string { return fmt.Sprintf("pong %d", n) }

func init() {
	forward.Export(fwd{})
	things.Export(thingsImpl{})
	rt.Export(worldImpl{})
	inline.Export(inlineImpl{})
}

func main() {}
