package wasi

import "sync"

// table holds the Go objects behind the host's resources. The engine
// knows each handle's representation only as a number; the number is a
// key here, shared by every resource type (values are type-asserted on
// use, so a handle of the wrong type is an error, not a confusion).
type table struct {
	mu   sync.Mutex
	objs map[uint32]any
	next uint32
}

func (t *table) add(v any) uint32 {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.objs == nil {
		t.objs = map[uint32]any{}
	}
	t.next++
	t.objs[t.next] = v
	return t.next
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
