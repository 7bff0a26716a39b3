package component

import (
	"github.com/witgo/witgo/component/internal/binio"
)

// NameSectionName is the name of the component name custom section.
const NameSectionName = "component-name"

// Names is the content of a "component-name" custom section (Binary.md,
// "Name Section"): the component's own name and names for items of each
// sort. Subsections keep their order; unknown ones are kept raw.
type Names struct {
	Subsections []NameSubsection
}

// NameSubsection is one subsection: ID 0 names the component, ID 1 names
// the items of one sort.
type NameSubsection struct {
	ID        byte
	Component string      // ID 0
	Sort      Sort        // ID 1
	Map       []NameAssoc // ID 1, in index order as written
	Raw       []byte      // other IDs
}

// NameAssoc names the item at Index.
type NameAssoc struct {
	Index uint32
	Name  string
}

// Names decodes the component's "component-name" section, if it has one.
// The spec asks engines not to reject components whose name section is
// invalid, so Decode and Validate never look at it; this does.
func (c *Component) Names() (*Names, bool, error) {
	for _, s := range c.Sections {
		if cs, ok := s.(*CustomSection); ok && cs.Name == NameSectionName {
			n, err := DecodeNames(cs.Data, cs.Offset)
			return n, true, err
		}
	}
	return nil, false, nil
}

// ComponentName returns the component's own name, if the section has one.
func (n *Names) ComponentName() (string, bool) {
	for _, s := range n.Subsections {
		if s.ID == 0 {
			return s.Component, true
		}
	}
	return "", false
}

// NameOf returns the name given to item idx of the given sort.
func (n *Names) NameOf(sort Sort, idx uint32) (string, bool) {
	for _, s := range n.Subsections {
		if s.ID != 1 || s.Sort != sort {
			continue
		}
		for _, a := range s.Map {
			if a.Index == idx {
				return a.Name, true
			}
		}
	}
	return "", false
}

// DecodeNames decodes the payload of a "component-name" section (the
// bytes after the section's name); base is its offset for errors.
func DecodeNames(data []byte, base int) (*Names, error) {
	r := binio.NewReader(data, base)
	r.Context = "component-name section"
	n := &Names{}
	for !r.EOF() {
		id, err := r.Byte()
		if err != nil {
			return nil, err
		}
		size, err := r.U32()
		if err != nil {
			return nil, err
		}
		sr, err := r.Sub(int(size))
		if err != nil {
			return nil, err
		}
		sub := NameSubsection{ID: id}
		switch id {
		case 0:
			if sub.Component, err = sr.Name(); err != nil {
				return nil, err
			}
		case 1:
			if sub.Sort, err = readSort(sr); err != nil {
				return nil, err
			}
			sub.Map, err = binio.ReadVec(sr, 2, func(r *binio.Reader) (NameAssoc, error) {
				var a NameAssoc
				var err error
				if a.Index, err = r.U32(); err != nil {
					return a, err
				}
				a.Name, err = r.Name()
				return a, err
			})
			if err != nil {
				return nil, err
			}
		default:
			sub.Raw = sr.Rest()
		}
		if !sr.EOF() {
			return nil, sr.Errorf("name subsection %d has %d unread bytes", id, sr.Len())
		}
		n.Subsections = append(n.Subsections, sub)
	}
	return n, nil
}

// Encode returns the section payload (without the section's own name).
func (n *Names) Encode() []byte {
	var out, w binio.Writer
	for _, s := range n.Subsections {
		w.Buf = w.Buf[:0]
		switch s.ID {
		case 0:
			w.Name(s.Component)
		case 1:
			writeSort(&w, s.Sort)
			writeVec(&w, s.Map, func(w *binio.Writer, a NameAssoc) {
				w.U32(a.Index)
				w.Name(a.Name)
			})
		default:
			w.Bytes(s.Raw)
		}
		out.Buf = binio.AppendSection(out.Buf, s.ID, w.Buf, 0)
	}
	return out.Buf
}
