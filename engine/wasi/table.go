package wasi

import (
	"fmt"
	"sync"
)

// table holds the Go objects behind the host's resources. The engine
// knows each handle's representation only as a number; the number is a
// key here, shared by every resource type (values are type-asserted on
// use, so a handle of the wrong type is an error, not a confusion).
type table struct {
	mu   sync.Mutex
	objs map[uint32]any
	next uint32
}

// maxObjects bounds the live resources of one guest, so that a guest
// that makes handles in a loop without dropping them traps instead of
// exhausting the host's memory.
const maxObjects = 1 << 20

func (t *table) add(v any) (uint32, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.objs == nil {
		t.objs = map[uint32]any{}
	}
	if len(t.objs) >= maxObjects {
		return 0, fmt.Errorf("wasi: the guest holds %d host resources, the limit", len(t.objs))
	}
	for {
		t.next++
		if _, used := t.objs[t.next]; !used && t.next != 0 {
			break
		}
	}
	t.objs[t.next] = v
	return t.next, nil
}

func (t *table) get(rep uint32) (any, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v, ok := t.objs[rep]
	return v, ok
}

// remove forgets rep and closes what it holds (files, directories).
func (t *table) remove(rep uint32) {
	t.mu.Lock()
	v := t.objs[rep]
	delete(t.objs, rep)
	t.mu.Unlock()
	if c, ok := v.(interface{ close() }); ok {
		c.close()
	}
}

func (t *table) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.objs)
}
