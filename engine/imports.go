package engine

import (
	"context"
	"strings"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/component"
)

// HostFunc implements a component function in Go. Handles in args and in
// the result are indices in the instance's host table. An error traps
// the calling guest.
type HostFunc func(ctx context.Context, args []canonabi.Value) (canonabi.Value, error)

// Imports are what the host gives a component: functions for top-level
// function imports and, for an interface (instance) import, a function
// per exported function name. Resources an interface exports are host
// resources the guest only passes around. This is the seam the WASI host
// plugs into.
type Imports struct {
	Funcs      map[string]HostFunc
	Interfaces map[string]map[string]HostFunc
	// Resources are the host's resource types, by "interface#name" (or
	// the bare name of a top-level type import), with the function that
	// runs when a handle is dropped. A resource the host does not list
	// still works; its drop does nothing.
	Resources map[string]func(rep uint32)
	// Stub satisfies every missing function import with one that traps
	// when called (for tools that only inspect or partially run a
	// component, and the spec-test runner).
	Stub bool
}

// Func adds a function import.
func (im *Imports) Func(name string, fn HostFunc) *Imports {
	if im.Funcs == nil {
		im.Funcs = map[string]HostFunc{}
	}
	im.Funcs[name] = fn
	return im
}

// Interface adds an interface import implemented by funcs.
func (im *Imports) Interface(name string, funcs map[string]HostFunc) *Imports {
	if im.Interfaces == nil {
		im.Interfaces = map[string]map[string]HostFunc{}
	}
	im.Interfaces[name] = funcs
	return im
}

// Resource declares the host resource type name of interface iface.
func (im *Imports) Resource(iface, name string, drop func(rep uint32)) *Imports {
	if im.Resources == nil {
		im.Resources = map[string]func(rep uint32){}
	}
	im.Resources[iface+"#"+name] = drop
	return im
}

// lookupInterface finds an interface by exact name or a semver-compatible
// version of it (`a:b/c@0.2.6` is satisfied by `a:b/c@0.2.12`).
func (im *Imports) lookupInterface(name string) (map[string]HostFunc, bool) {
	if fs, ok := im.Interfaces[name]; ok {
		return fs, true
	}
	base, ver, ok := strings.Cut(name, "@")
	if !ok {
		return nil, false
	}
	for n, fs := range im.Interfaces {
		b2, v2, ok := strings.Cut(n, "@")
		if ok && b2 == base && semverKey(v2) == semverKey(ver) {
			return fs, true
		}
	}
	return nil, false
}

// semverKey is the part of a version that compatible versions share:
// the major version, or 0.minor, or 0.0.patch.
func semverKey(v string) string {
	v, _, _ = strings.Cut(v, "-")
	parts := strings.SplitN(v, ".", 3)
	for i, p := range parts {
		if p != "0" || i == len(parts)-1 {
			return strings.Join(parts[:i+1], ".")
		}
	}
	return v
}

func stubFunc(name string) HostFunc {
	return func(context.Context, []canonabi.Value) (canonabi.Value, error) {
		return canonabi.Value{}, trap("import %s is a stub and was called", name)
	}
}

// hostProvider satisfies the root component's imports from im.
func (t *Instance) hostProvider(im *Imports) importProvider {
	return func(imp *component.Import, s *scope) (sortItem, error) {
		name := imp.Name.Name
		switch imp.Desc.Kind {
		case component.ExternFunc:
			fn := im.Funcs[name]
			if fn == nil {
				if !im.Stub {
					return sortItem{}, &LinkError{Name: name, Reason: "the host provides no such function"}
				}
				fn = stubFunc(name)
			}
			f, err := t.hostCompFunc(s, name, imp.Desc.Index, fn)
			return sortItem{component.SortFunc, f}, err
		case component.ExternInstance:
			funcs, ok := im.lookupInterface(name)
			if !ok && !im.Stub {
				return sortItem{}, &LinkError{Name: name, Reason: "the host provides no such interface"}
			}
			e, err := s.typeAt(imp.Desc.Index)
			if err != nil {
				return sortItem{}, err
			}
			dt, ok := e.(*declType)
			if !ok {
				return sortItem{}, errorf("import %s: not an instance type", name)
			}
			iv, err := t.hostInstance(im, name, dt, funcs)
			return sortItem{component.SortInstance, iv}, err
		case component.ExternType:
			return sortItem{component.SortType, t.hostResource(im, name, name)}, nil
		}
		return sortItem{}, &LinkError{Name: name, Reason: "the host cannot provide " + externSort(imp.Desc.Kind).String() + " imports"}
	}
}

func (t *Instance) hostCompFunc(s *scope, name string, typeIdx uint32, fn HostFunc) (*compFunc, error) {
	e, err := s.typeAt(typeIdx)
	if err != nil {
		return nil, err
	}
	ft, ok := e.(*funcType)
	if !ok {
		return nil, errorf("import %s: not a function type", name)
	}
	return &compFunc{name: name, typ: ft, wf: t.bridge.function(name, ft), host: fn}, nil
}

// hostInstance builds an instance of the instance type dt from host
// functions: its declarators are evaluated in a scope of their own.
func (t *Instance) hostInstance(im *Imports, name string, dt *declType, funcs map[string]HostFunc) (*instanceVal, error) {
	s := &scope{parent: dt.outer, top: t, exports: map[string]sortItem{}}
	for i := range dt.decls {
		d := &dt.decls[i]
		switch d.Kind {
		case component.DeclCoreType:
			s.coreTypes = append(s.coreTypes, nil)
		case component.DeclType:
			e, err := s.defineType(d.Type)
			if err != nil {
				return nil, err
			}
			s.types = append(s.types, e)
		case component.DeclAlias:
			it, err := s.alias(d.Alias)
			if err != nil {
				return nil, err
			}
			if err := s.push(it); err != nil {
				return nil, err
			}
		case component.DeclExport:
			it, err := t.hostExport(im, s, name, d, funcs)
			if err != nil {
				return nil, err
			}
			s.exports[d.Name.Name] = it
			if err := s.push(it); err != nil {
				return nil, err
			}
		default:
			return nil, errorf("unexpected declarator in instance type")
		}
	}
	return &instanceVal{exports: s.exports}, nil
}

func (t *Instance) hostExport(im *Imports, s *scope, iface string, d *component.Decl, funcs map[string]HostFunc) (sortItem, error) {
	name := d.Name.Name
	switch d.Desc.Kind {
	case component.ExternFunc:
		fn := funcs[name]
		if fn == nil {
			if !im.Stub {
				return sortItem{}, &LinkError{Name: iface + "#" + name, Reason: "the host provides no such function"}
			}
			fn = stubFunc(iface + "#" + name)
		}
		f, err := t.hostCompFunc(s, name, d.Desc.Index, fn)
		return sortItem{component.SortFunc, f}, err
	case component.ExternType:
		if d.Desc.Bound == 0 {
			e, err := s.typeAt(d.Desc.Index)
			return sortItem{component.SortType, e}, err
		}
		return sortItem{component.SortType, t.hostResource(im, iface+"#"+name, name)}, nil
	case component.ExternInstance:
		e, err := s.typeAt(d.Desc.Index)
		if err != nil {
			return sortItem{}, err
		}
		dt, ok := e.(*declType)
		if !ok {
			return sortItem{}, errorf("%s: not an instance type", name)
		}
		iv, err := t.hostInstance(im, iface+"/"+name, dt, nil)
		return sortItem{component.SortInstance, iv}, err
	}
	return sortItem{}, &LinkError{Name: iface + "#" + name, Reason: "the host cannot provide " + externSort(d.Desc.Kind).String() + " items"}
}

// hostResource makes the resource type key (interface#name) that the host
// implements, and remembers it for NewResource.
func (t *Instance) hostResource(im *Imports, key, name string) *resourceType {
	drop := im.Resources[key]
	if drop == nil {
		drop = func(uint32) {}
	}
	rt := &resourceType{name: name, hostFn: drop}
	if t.hostResources == nil {
		t.hostResources = map[string]*resourceType{}
	}
	t.hostResources[key] = rt
	return rt
}
