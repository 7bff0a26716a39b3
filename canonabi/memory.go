package canonabi

import (
	"errors"
	"fmt"
)

// Memory is a guest's linear memory as lifting and lowering see it. The
// engine backs it with a wazero memory and the guest's `cabi_realloc`; tests
// use SliceMemory.
type Memory interface {
	// Read returns the n bytes at ptr, or false when they are out of range.
	// The result may alias memory: callers copy what they keep and do not
	// hold it across Realloc.
	Read(ptr, n uint32) ([]byte, bool)
	// Write copies data to ptr, or returns false when it is out of range.
	// It must not retain or modify data.
	Write(ptr uint32, data []byte) bool
	// Realloc is the canonopt realloc: (0, 0, align, size) allocates.
	Realloc(oldPtr, oldSize, align, newSize uint32) (uint32, error)
}

// SliceMemory is a Memory over a byte slice with a bump allocator, for
// tests, benchmarks and host-only use. Allocation starts at Next (8 when
// zero, so 0 stays an invalid pointer) and fails past Limit bytes (default
// 1 GiB).
type SliceMemory struct {
	Data  []byte
	Next  uint32
	Limit uint32
	// Allocs counts Realloc calls.
	Allocs int
}

func (m *SliceMemory) Read(ptr, n uint32) ([]byte, bool) {
	end := uint64(ptr) + uint64(n)
	if end > uint64(len(m.Data)) {
		return nil, false
	}
	return m.Data[ptr:end:end], true
}

func (m *SliceMemory) Write(ptr uint32, data []byte) bool {
	end := uint64(ptr) + uint64(len(data))
	if end > uint64(len(m.Data)) {
		return false
	}
	copy(m.Data[ptr:end], data)
	return true
}

var errOutOfMemory = errors.New("canonabi: realloc: out of memory")

func (m *SliceMemory) Realloc(oldPtr, oldSize, align, newSize uint32) (uint32, error) {
	m.Allocs++
	if align == 0 || align&(align-1) != 0 {
		return 0, fmt.Errorf("canonabi: realloc: alignment %d is not a power of two", align)
	}
	if newSize <= oldSize && oldPtr != 0 {
		return oldPtr, nil // shrinking in place
	}
	next := uint64(max(m.Next, 8))
	ptr := alignTo(next, uint64(align))
	end := ptr + uint64(newSize)
	limit := uint64(m.Limit)
	if limit == 0 {
		limit = 1 << 30
	}
	if end > limit {
		return 0, errOutOfMemory
	}
	if end > uint64(len(m.Data)) {
		grown := make([]byte, max(end, uint64(len(m.Data))*2))
		copy(grown, m.Data)
		m.Data = grown
	}
	if oldPtr != 0 && oldSize != 0 {
		if uint64(oldPtr)+uint64(oldSize) > uint64(len(m.Data)) {
			return 0, fmt.Errorf("canonabi: realloc: old block %d+%d out of range", oldPtr, oldSize)
		}
		copy(m.Data[ptr:], m.Data[oldPtr:oldPtr+oldSize])
	}
	m.Next = uint32(end)
	return uint32(ptr), nil
}
