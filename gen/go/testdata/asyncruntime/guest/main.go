// The Go guest of the async runtime test: plain Go (goroutines, blocking
// calls, io.Reader/io.Writer) over the generated async bindings of
// testdata/asyncruntime/arun.wit.
package main

import (
	"io"
	"runtime/debug"
	"strings"
	"sync"

	"example.com/arun/cabi"
	guest "example.com/arun/exports/test/arun/guest"
	"example.com/arun/test/arun/arun"
	"example.com/arun/test/arun/host"
)

type impl struct{}

func init() {
	// Collect often, so that the runtime tests catch memory handed to the
	// host that is not kept alive and in place (pinned) while it is used.
	debug.SetGCPercent(1)
	guest.Export(impl{})
	arun.Export(impl{})
}

func main() {}

func (impl) FanOut(words []string) []string {
	out := make([]string, len(words))
	var wg sync.WaitGroup
	for i, w := range words {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Later words wait less: they return first.
			out[i] = host.DelayEcho(uint32(5*(len(words)-i)), w)
		}()
	}
	wg.Wait()
	return out
}

func (impl) SumBytes(data *cabi.StreamReader[uint8]) uint64 {
	b, err := io.ReadAll(data)
	if err != nil {
		panic(err)
	}
	data.Close()
	var sum uint64
	for _, c := range b {
		sum += uint64(c)
	}
	return uint64(len(b))<<32 | sum
}

func (impl) Points(n uint32) *cabi.StreamReader[guest.Point] {
	r, w := guest.NewStreamPoint()
	go func() {
		defer w.Close()
		for i := range int32(n) {
			if _, err := w.Write([]guest.Point{{X: i, Y: -i}}); err != nil {
				return
			}
		}
	}()
	return r
}

func (impl) Later(v string) *cabi.FutureReader[string] {
	r, w := guest.NewFutureString()
	go func() {
		host.DelayEcho(5, "")
		if err := w.Write(strings.ToUpper(v)); err != nil {
			panic(err)
		}
	}()
	return r
}

func (impl) Relay(n uint32) guest.Relayed {
	words := host.Produce(n)
	r, w := host.NewStreamU8()
	consumed := make(chan uint64)
	go func() { consumed <- host.Consume(r) }()
	var count uint32
	buf := make([]string, 3)
	for {
		k, err := words.Read(buf)
		for _, s := range buf[:k] {
			if _, err := io.WriteString(w, s); err != nil {
				panic(err)
			}
			count++
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
	}
	words.Close()
	w.Close()
	return guest.Relayed{Words: count, Bytes: <-consumed}
}

func (impl) MakeError(msg string) cabi.ErrorContext { return cabi.NewErrorContext(msg) }

func (impl) Describe(e cabi.ErrorContext) string {
	defer e.Drop()
	return e.DebugMessage()
}

func (impl) Joined(a uint8, b int16, c uint32, d uint64, e float64, s string) string {
	return host.Join(a, b, c, d, e, s)
}

func (impl) Wide(p0, p1, p2, p3, p4, p5, p6, p7 guest.Point, x uint8) cabi.Tuple9[guest.Point, guest.Point, guest.Point, guest.Point, guest.Point, guest.Point, guest.Point, guest.Point, uint8] {
	return cabi.Tuple9[guest.Point, guest.Point, guest.Point, guest.Point, guest.Point, guest.Point, guest.Point, guest.Point, uint8]{
		F0: p7, F1: p6, F2: p5, F3: p4, F4: p3, F5: p2, F6: p1, F7: p0, F8: x + 1}
}

func (impl) EchoNow(s string) string { return host.DelayEcho(1, s) }

func (impl) ReadFor(data *cabi.StreamReader[uint8], ms uint32) uint32 {
	got := make(chan int)
	go func() {
		total := 0
		buf := make([]byte, 64)
		for {
			n, err := data.Read(buf)
			total += n
			if err != nil {
				break
			}
		}
		got <- total
	}()
	host.DelayEcho(ms, "")
	data.Close() // the goroutine's Read is in flight: it is cancelled
	return uint32(<-got)
}

// acc is the exported resource: its async method calls the host first.
type acc struct{ total uint32 }

func (impl) NewAcc(start uint32) guest.Acc { return &acc{total: start} }

func (a *acc) Add(n uint32) uint32 {
	host.DelayEcho(1, "")
	a.total += n
	return a.total
}

func (impl) Ping(s string) string { return "pong " + arun.Twice(s) }
