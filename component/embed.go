package component

import (
	"fmt"

	"github.com/witgo/witgo/component/internal/binio"
	"github.com/witgo/witgo/component/wasm"
	"github.com/witgo/witgo/wit"
)

// Embed returns module with a `component-type` custom section describing
// world w appended (the module's bytes are otherwise unchanged), the way
// `wasm-tools component embed` prepares a module for `component new`.
//
// A world the module already carries is replaced, so that `new` does not
// read a stale one.
func Embed(module []byte, r *wit.Resolve, w wit.WorldID, enc StringEncoding) ([]byte, error) {
	m, err := wasm.DecodeModule(module)
	if err != nil {
		return nil, fmt.Errorf("component embed: %w", err)
	}
	before := len(m.Customs)
	if _, err := takeWorldSections(m); err != nil {
		return nil, fmt.Errorf("component embed: %w", err)
	}
	if len(m.Customs) != before {
		module = m.Encode()
	}
	payload, err := EncodeWorldSection(r, w, enc)
	if err != nil {
		return nil, fmt.Errorf("component embed: %w", err)
	}
	var sec binio.Writer
	sec.Name(WorldSectionName(r, w))
	sec.Bytes(payload)
	return binio.AppendSection(append([]byte(nil), module...), wasm.SecCustom, sec.Buf, 0), nil
}

// WorldSectionName names the custom section for world w:
// `component-type:witgo:<package>:<world>:encoded world`, in the shape
// wit-bindgen uses, so that sections for different worlds do not collide.
func WorldSectionName(r *wit.Resolve, w wit.WorldID) string {
	world := r.Worlds[w]
	pkg := ""
	if world.Package != wit.NoPackage && int(world.Package) < len(r.Packages) {
		pkg = r.Packages[world.Package].Name.String()
	}
	return ComponentTypeSectionPrefix + ":witgo:" + pkg + ":" + world.Name + ":encoded world"
}

// ReadWorld returns the world of a module's first component-type section,
// or nil when it has none.
func ReadWorld(module []byte) (*WorldSection, error) {
	m, err := wasm.DecodeModule(module)
	if err != nil {
		return nil, err
	}
	return takeWorldSections(m)
}

// ImportsPreview1 reports whether a core module imports
// wasi_snapshot_preview1 (and so needs the WASI adapter); false for
// anything that does not decode.
func ImportsPreview1(module []byte) bool {
	m, err := wasm.DecodeModule(module)
	return err == nil && usesPreview1(m)
}
