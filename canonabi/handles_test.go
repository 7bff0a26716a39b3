package canonabi

import (
	"errors"
	"testing"

	"github.com/witgo/witgo/wit"
)

// fakeTable moves handles the way an engine's table would: lifting an own
// removes the guest's index, lowering adds a fresh one.
type fakeTable struct {
	guest map[uint32]uint32 // guest index -> host handle
	next  uint32
	calls []string
}

var errNoHandle = errors.New("no such handle")

func (ft *fakeTable) LiftHandle(k Kind, typ wit.Type, i uint32) (uint32, error) {
	h, ok := ft.guest[i]
	if !ok {
		return 0, errNoHandle
	}
	if k == KindOwn {
		delete(ft.guest, i)
	}
	ft.calls = append(ft.calls, "lift "+k.String())
	return h, nil
}

func (ft *fakeTable) LowerHandle(k Kind, typ wit.Type, h uint32) (uint32, error) {
	ft.next++
	ft.guest[ft.next] = h
	ft.calls = append(ft.calls, "lower "+k.String())
	return ft.next, nil
}

func TestHandleTransfer(t *testing.T) {
	b := newBuilder()
	r := b.resource("r")
	own, borrow := b.own(r), b.borrow(r)
	rec := b.record(own, borrow, b.option(own))
	a := New(b.r)
	ft := &fakeTable{guest: map[uint32]uint32{}}
	cx := &Context{Memory: &SliceMemory{}, Handles: ft}
	some := HandleValue(KindOwn, 300)
	v := RecordValue(HandleValue(KindOwn, 100), HandleValue(KindBorrow, 200), SomeValue(some))
	flat, err := a.LowerFlat(cx, rec, v, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Guest indices 1, 2, then the option's discriminant and index 3.
	if len(flat) != 4 || flat[0] != 1 || flat[1] != 2 || flat[2] != 1 || flat[3] != 3 {
		t.Fatalf("flat %v", flat)
	}
	back, err := a.LiftFlat(cx, rec, flat)
	if err != nil || !Equal(back, v) {
		t.Fatalf("lift: %v", err)
	}
	// The owns left the guest's table; the borrow stayed.
	if len(ft.guest) != 1 || ft.guest[2] != 200 {
		t.Errorf("guest table after lift: %v", ft.guest)
	}
	// Lifting an own twice fails with the table's error.
	if _, err := a.LiftFlat(cx, rec, flat); !errors.Is(err, errNoHandle) {
		t.Errorf("second lift: %v", err)
	}
}
