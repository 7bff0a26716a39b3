package wit

import (
	"slices"
	"testing"
)

// Every kind of type definition, from WIT text, with the operands it must
// report (by the printed type).
func TestTypeOperands(t *testing.T) {
	r := NewResolve()
	pkg, err := r.AddSource("ops.wit", []byte(`package t:ops;
interface i {
  resource res;
  record rec { a: u8, b: string }
  variant var { x(u32), y, z(list<u8>) }
  enum e { a }
  flags f { a }
  type al = rec;
  type tup = tuple<u8, s64>;
  type opt = option<char>;
  type res1 = result<_, string>;
  type lst = list<bool>;
  type fl = list<u16, 4>;
  type fut = future<u8>;
  type bare = stream;
  type own1 = own<res>;
  type bor = borrow<res>;
}`))
	if err != nil {
		t.Fatal(err)
	}
	iid, _ := r.Packages[pkg].Interfaces.Get("i")
	iface := r.Interfaces[iid]
	str := func(ty Type) string {
		if ty == NoType {
			return "_"
		}
		if ty.IsPrimitive() {
			return ty.PrimitiveName()
		}
		id, _ := ty.TypeID()
		if n := r.Types[id].Name; n != "" {
			return n
		}
		return "anon"
	}
	want := map[string][]string{
		"res": nil, "e": nil, "f": nil,
		"rec": {"u8", "string"}, "var": {"u32", "_", "anon"}, "al": {"rec"},
		"tup": {"u8", "s64"}, "opt": {"char"}, "res1": {"_", "string"}, "lst": {"bool"},
		"fl": {"u16"}, "fut": {"u8"}, "bare": {"_"}, "own1": {"res"}, "bor": {"res"},
	}
	if iface.Types.Len() != len(want) {
		t.Fatalf("%d types in the interface, want %d", iface.Types.Len(), len(want))
	}
	for name, id := range iface.Types.All() {
		td := r.Types[id]
		var got []string
		for _, o := range TypeOperands(td.Kind) {
			got = append(got, str(o))
		}
		if w, ok := want[name]; !ok || !slices.Equal(got, w) {
			t.Errorf("%s (%T): operands %v, want %v", name, td.Kind, got, w)
		}
	}
}
