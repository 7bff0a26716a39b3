package gogen

// supportPackageName is the package every generated package imports for the
// helpers below; it holds no WIT-specific code.
const supportPackageName = "cabi"

// supportSource is the platform-independent part of the support package.
// Tuple types are added per world (see supportTuples).
const supportSource = `// Package cabi is the support code of the Go bindings witgo generates: the
// option and result types, the memory the bindings hand across the
// component boundary, and the table that maps exported resources to Go
// values. It uses only the standard library.
//
// Memory rules: everything the guest hands to the host (strings, lists,
// parameter and return areas) is pinned with runtime.Pinner until the call
// returns, or, for the result of an export, until the host has called the
// export's post-return function. Memory the host asks for through
// cabi_realloc comes from the Go heap and is kept reachable in a registry
// until the bindings lift the value that lives in it (Take).
package cabi

import (
	"runtime"
	"unsafe"
)

// Option is WIT's option<T>: a value of T, or none. It holds T as a typed
// field, so the garbage collector always sees its pointers.
type Option[T any] struct {
	some  bool
	value T
}

// Some returns an option that holds v.
func Some[T any](v T) Option[T] { return Option[T]{some: true, value: v} }

// None returns an empty option.
func None[T any]() Option[T] { return Option[T]{} }

// IsSome reports whether o holds a value.
func (o Option[T]) IsSome() bool { return o.some }

// Value returns the value o holds, or T's zero value.
func (o Option[T]) Value() T { return o.value }

// Get returns the value and whether there is one.
func (o Option[T]) Get() (T, bool) { return o.value, o.some }

// Result is WIT's result<T, E> where it appears inside another type; a
// function's own result<T, E> is returned as (T, error) instead.
type Result[T, E any] struct {
	isErr bool
	ok    T
	err   E
}

// OK returns a successful result.
func OK[T, E any](v T) Result[T, E] { return Result[T, E]{ok: v} }

// Err returns a failed result.
func Err[T, E any](e E) Result[T, E] { return Result[T, E]{isErr: true, err: e} }

// IsErr reports whether r is the error case.
func (r Result[T, E]) IsErr() bool { return r.isErr }

// OK returns the success payload (the zero value in the error case).
func (r Result[T, E]) OK() T { return r.ok }

// Err returns the error payload (the zero value in the success case).
func (r Result[T, E]) Err() E { return r.err }

// Error is the error of a function that returns result<T, E>: its Value is
// the err payload. Implementations of exports fail with Fail(value).
type Error[E any] struct{ Value E }

func (e *Error[E]) Error() string {
	switch v := any(e.Value).(type) {
	case string:
		return v
	case interface{ String() string }:
		return v.String()
	case error:
		return v.Error()
	}
	return "component function returned an error result"
}

// Fail returns the error that makes an exported function return err(v).
func Fail[E any](v E) error { return &Error[E]{Value: v} }

// Split turns a result into Go's (value, error) shape.
func Split[T, E any](r Result[T, E]) (T, error) {
	if r.isErr {
		var zero T
		return zero, &Error[E]{Value: r.err}
	}
	return r.ok, nil
}

// Join turns (value, error) back into a result. An *Error[E] gives its
// Value; when E is string any other error gives its message; any other
// error cannot be represented in WIT and traps.
func Join[T, E any](v T, err error) Result[T, E] {
	if err == nil {
		return OK[T, E](v)
	}
	if e, ok := err.(*Error[E]); ok {
		return Err[T](e.Value)
	}
	var e E
	if s, ok := any(&e).(*string); ok {
		*s = err.Error()
		return Err[T](e)
	}
	panic("witgo: an exported function returned an error that is not a cabi.Error of its WIT error type (use cabi.Fail): " + err.Error())
}

// Future, Stream and ErrorContext are handles of the async types.
type (
	Future       uint32
	Stream       uint32
	ErrorContext uint32
)

// Lowerer keeps the Go memory handed to the other side pinned, so it stays
// alive and in place, until Release.
type Lowerer struct {
	pinner runtime.Pinner
}

// Returns is the Lowerer of export results: the export's post-return
// function releases it.
var Returns Lowerer

// Pin pins the object p points into and returns its address.
func (l *Lowerer) Pin(p unsafe.Pointer) uint32 {
	if p == nil {
		return 0
	}
	l.pinner.Pin(p)
	return Addr(p)
}

// String returns the address and byte length of s, pinned.
func (l *Lowerer) String(s string) (uint32, uint32) {
	if len(s) == 0 {
		return 0, 0
	}
	return l.Pin(unsafe.Pointer(unsafe.StringData(s))), uint32(len(s))
}

// Alloc returns size zeroed bytes aligned to 8 (every Canonical ABI
// alignment divides 8), pinned.
func (l *Lowerer) Alloc(size uint32) unsafe.Pointer {
	if size == 0 {
		return nil
	}
	p := unsafe.Pointer(unsafe.SliceData(make([]uint64, (size+7)/8)))
	l.pinner.Pin(p)
	return p
}

// Release unpins everything pinned since the last Release.
func (l *Lowerer) Release() { l.pinner.Unpin() }

// Addr is the linear-memory address of p.
func Addr(p unsafe.Pointer) uint32 { return uint32(uintptr(p)) }

// allocs keeps the memory cabi_realloc handed out reachable until the
// bindings lift what the host wrote there.
var allocs = map[uint32]unsafe.Pointer{}

// Realloc is cabi_realloc: it allocates from the Go heap, so it must not be
// called before the module's _initialize has run.
func Realloc(old, oldSize, align, newSize uint32) uint32 {
	var prev unsafe.Pointer
	if old != 0 && oldSize != 0 {
		prev = Take(old)
	}
	if newSize == 0 {
		return align // an aligned, in-bounds address for an empty value
	}
	buf := make([]uint64, (newSize+7)/8)
	p := unsafe.Pointer(unsafe.SliceData(buf))
	if prev != nil {
		copy(unsafe.Slice((*byte)(p), newSize), unsafe.Slice((*byte)(prev), min(oldSize, newSize)))
	}
	addr := Addr(p)
	allocs[addr] = p
	return addr
}

// Take claims the allocation at addr that the host made with cabi_realloc;
// from now on the Go value built on it keeps it alive.
func Take(addr uint32) unsafe.Pointer {
	p, ok := allocs[addr]
	if !ok {
		panic("witgo: the host passed memory that cabi_realloc did not allocate")
	}
	delete(allocs, addr)
	return p
}

// LiftString returns the string of n bytes at addr (allocated by the host
// with cabi_realloc); it shares that memory instead of copying it.
func LiftString(addr, n uint32) string {
	if n == 0 {
		return ""
	}
	return unsafe.String((*byte)(Take(addr)), n)
}

// LiftPlain returns the n numbers at addr as a slice that shares the memory.
func LiftPlain[T any](addr, n uint32) []T {
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*T)(Take(addr)), n)
}

// PlainAddr pins the elements of a slice of numbers and returns their address.
func PlainAddr[T any](l *Lowerer, s []T) uint32 {
	if len(s) == 0 {
		return 0
	}
	return l.Pin(unsafe.Pointer(unsafe.SliceData(s)))
}

// Element returns the address of element i of size bytes after p.
func Element(p unsafe.Pointer, i int, size uintptr) unsafe.Pointer {
	return unsafe.Add(p, uintptr(i)*size)
}

// Loads and stores at p+off in linear memory.

func U8(p unsafe.Pointer, off uintptr) uint8   { return *(*uint8)(unsafe.Add(p, off)) }
func U16(p unsafe.Pointer, off uintptr) uint16 { return *(*uint16)(unsafe.Add(p, off)) }
func U32(p unsafe.Pointer, off uintptr) uint32 { return *(*uint32)(unsafe.Add(p, off)) }
func U64(p unsafe.Pointer, off uintptr) uint64 { return *(*uint64)(unsafe.Add(p, off)) }

func PutU8(p unsafe.Pointer, off uintptr, v uint8)   { *(*uint8)(unsafe.Add(p, off)) = v }
func PutU16(p unsafe.Pointer, off uintptr, v uint16) { *(*uint16)(unsafe.Add(p, off)) = v }
func PutU32(p unsafe.Pointer, off uintptr, v uint32) { *(*uint32)(unsafe.Add(p, off)) = v }
func PutU64(p unsafe.Pointer, off uintptr, v uint64) { *(*uint64)(unsafe.Add(p, off)) = v }

// Bool is the Canonical ABI's bool: 1 or 0.
func Bool(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// Table maps the representations (reps) of exported resources to the Go
// values that implement them. Reps start at 1.
type Table[T any] struct {
	items []T
	live  []bool
	free  []uint32
}

// Add stores v and returns its rep.
func (t *Table[T]) Add(v T) uint32 {
	if n := len(t.free); n > 0 {
		rep := t.free[n-1]
		t.free = t.free[:n-1]
		t.items[rep-1], t.live[rep-1] = v, true
		return rep
	}
	t.items = append(t.items, v)
	t.live = append(t.live, true)
	return uint32(len(t.items))
}

// Get returns the value of rep; an unknown rep traps.
func (t *Table[T]) Get(rep uint32) T {
	if rep == 0 || int(rep) > len(t.items) || !t.live[rep-1] {
		panic("witgo: unknown resource rep")
	}
	return t.items[rep-1]
}

// Remove forgets rep and returns its value; an unknown rep traps.
func (t *Table[T]) Remove(rep uint32) T {
	v, ok := t.Delete(rep)
	if !ok {
		panic("witgo: unknown resource rep")
	}
	return v
}

// Delete forgets rep and returns its value, if rep is in the table.
func (t *Table[T]) Delete(rep uint32) (T, bool) {
	var zero T
	if rep == 0 || int(rep) > len(t.items) || !t.live[rep-1] {
		return zero, false
	}
	v := t.items[rep-1]
	t.items[rep-1], t.live[rep-1] = zero, false
	t.free = append(t.free, rep)
	return v, true
}
`

// supportWasmSource exports cabi_realloc on wasip1.
const supportWasmSource = `//go:build wasip1

package cabi

// cabiRealloc is the component's allocator. The host may call it only after
// _initialize, because it allocates from the Go heap.
//
//go:wasmexport cabi_realloc
func cabiRealloc(old, oldSize, align, newSize uint32) uint32 {
	return Realloc(old, oldSize, align, newSize)
}
`
