package component

import (
	"fmt"
	"strings"

	"github.com/witgo/witgo/component/internal/binio"
	"github.com/witgo/witgo/wit"
)

// StringEncoding is the string encoding a core module uses for its
// lifted and lowered functions.
type StringEncoding byte

// String encodings, as the wit-component-encoding custom section writes them.
const (
	UTF8          StringEncoding = 0
	UTF16         StringEncoding = 1
	CompactUTF16  StringEncoding = 2
	encodingMagic byte           = 0x04 // version byte of wit-component-encoding
)

func (s StringEncoding) String() string {
	switch s {
	case UTF16:
		return "utf16"
	case CompactUTF16:
		return "latin1+utf16"
	}
	return "utf8"
}

// canonOpt is the canonical option that selects this encoding.
func (s StringEncoding) canonOpt() CanonOpt {
	switch s {
	case UTF16:
		return CanonOpt{Kind: OptUTF16}
	case CompactUTF16:
		return CanonOpt{Kind: OptLatin1UTF16}
	}
	return CanonOpt{Kind: OptUTF8}
}

// ComponentTypeSectionPrefix starts the name of every custom section that
// carries a world (wit-bindgen adds `:<generator>:<pkg>:<world>:...`).
const ComponentTypeSectionPrefix = "component-type"

// Producer is the tool name written into the producers section of the
// component-type payload.
var Producer = [2]string{"witgo", "0.1.0"}

// EncodeWorldSection returns the payload of a `component-type` custom
// section for world w: a component holding a `wit-component-encoding`
// custom section, one type (a component type that exports the world's
// component type under its full name), an export of that type under the
// world's name, and a producers section.
func EncodeWorldSection(r *wit.Resolve, w wit.WorldID, enc StringEncoding) ([]byte, error) {
	wt, err := WorldType(r, w)
	if err != nil {
		return nil, err
	}
	world := r.Worlds[w]
	if world.Package == wit.NoPackage || int(world.Package) >= len(r.Packages) {
		return nil, fmt.Errorf("component: world %q belongs to no package", world.Name)
	}
	pn := r.Packages[world.Package].Name
	full := pn.Namespace + ":" + pn.Name + "/" + world.Name
	if pn.Version != nil {
		full += "@" + pn.Version.String()
	}
	outer := &ComponentType{Decls: []Decl{
		{Kind: DeclType, Type: &Type{Kind: KindComponent, Component: wt}},
		{Kind: DeclExport, Name: ExternName{Name: full}, Desc: ExternDesc{Kind: ExternComponent, Index: 0}},
	}}
	c := &Component{Version: 0x0d, Sections: []Section{
		&CustomSection{Name: "wit-component-encoding", Data: []byte{encodingMagic, byte(enc)}},
		&TypeSection{Types: []Type{{Kind: KindComponent, Component: outer}}},
		&ExportSection{Exports: []Export{{Name: ExternName{Name: world.Name}, Item: SortIdx{Sort: SortType, Index: 0}}}},
		&CustomSection{Name: "producers", Data: producersSection([][2]string{Producer})},
	}}
	// The types a WIT world can express include some a component cannot
	// hold (an empty record); say so here rather than emit an invalid section.
	if err := Validate(c); err != nil {
		return nil, fmt.Errorf("component: world %s cannot be encoded: %w", full, err)
	}
	return c.Encode(), nil
}

// producersSection encodes a producers section with one processed-by field.
func producersSection(tools [][2]string) []byte {
	var w binio.Writer
	w.U32(1)
	w.Name("processed-by")
	w.U32(uint32(len(tools)))
	for _, t := range tools {
		w.Name(t[0])
		w.Name(t[1])
	}
	return w.Buf
}

// WorldSection is a decoded `component-type` custom section.
type WorldSection struct {
	Resolve  *wit.Resolve
	World    wit.WorldID
	Encoding StringEncoding
}

// DecodeWorldSection reads the payload of a `component-type` custom
// section back into a Resolve holding the world and every package it
// names.
func DecodeWorldSection(data []byte) (*WorldSection, error) {
	c, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("component-type section: %w", err)
	}
	// Names and types are checked once here, so what decodes is a world.
	if err := Validate(c); err != nil {
		return nil, fmt.Errorf("component-type section: %w", err)
	}
	ws := &WorldSection{}
	var types []Type
	var export *Export
	for _, sec := range c.Sections {
		switch s := sec.(type) {
		case *CustomSection:
			if s.Name == "wit-component-encoding" {
				if len(s.Data) != 2 || s.Data[0] != encodingMagic || s.Data[1] > 2 {
					return nil, fmt.Errorf("component-type section: unsupported wit-component-encoding % x", s.Data)
				}
				ws.Encoding = StringEncoding(s.Data[1])
			}
		case *TypeSection:
			types = append(types, s.Types...)
		case *ExportSection:
			for i := range s.Exports {
				if s.Exports[i].Item.Sort == SortType {
					export = &s.Exports[i]
				}
			}
		}
	}
	if export == nil || int(export.Item.Index) >= len(types) || types[export.Item.Index].Component == nil {
		return nil, fmt.Errorf("component-type section: no exported component type")
	}
	outer := types[export.Item.Index].Component
	var full string
	var world *ComponentType
	for _, d := range outer.Decls {
		if d.Kind == DeclExport && d.Desc.Kind == ExternComponent {
			if int(d.Desc.Index) < len(outer.Decls) {
				full = d.Name.Name
				world = componentTypeAt(outer.Decls, d.Desc.Index)
			}
		}
	}
	if world == nil {
		return nil, fmt.Errorf("component-type section: the exported type does not export a world")
	}
	slash := strings.LastIndexByte(full, '/')
	if slash < 0 {
		return nil, fmt.Errorf("component-type section: world name %q is not `ns:pkg/world`", full)
	}
	pkgName, worldName := full[:slash], full[slash+1:]
	if at := strings.IndexByte(worldName, '@'); at >= 0 {
		pkgName += worldName[at:]
		worldName = worldName[:at]
	}
	d := newWorldDecoder()
	ws.World, err = d.world(pkgName, worldName, world.Decls)
	if err != nil {
		return nil, fmt.Errorf("component-type section: %w", err)
	}
	ws.Resolve = d.r
	return ws, nil
}

// componentTypeAt finds the component type with type index idx among decls.
func componentTypeAt(decls []Decl, idx uint32) *ComponentType {
	n := uint32(0)
	for _, d := range decls {
		switch {
		case d.Kind == DeclType:
			if n == idx {
				return d.Type.Component
			}
			n++
		case d.Kind == DeclAlias && d.Alias.Sort == SortType,
			(d.Kind == DeclImport || d.Kind == DeclExport) && d.Desc.Kind == ExternType:
			n++
		}
	}
	return nil
}
