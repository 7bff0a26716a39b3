package wit

import "iter"

// OrderedMap is a map that remembers insertion order. The order of a
// package's interfaces, an interface's types and a world's imports is part of
// what a Resolve means (it fixes JSON output and component type indices), so
// the model keeps it explicitly. The zero value is ready to use.
type OrderedMap[K comparable, V any] struct {
	keys []K
	m    map[K]V
}

// Set stores v under k; a new key goes to the end, an existing one keeps its place.
func (o *OrderedMap[K, V]) Set(k K, v V) {
	if o.m == nil {
		o.m = map[K]V{}
	}
	if _, ok := o.m[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.m[k] = v
}

// Get returns the value stored under k.
func (o *OrderedMap[K, V]) Get(k K) (V, bool) {
	v, ok := o.m[k]
	return v, ok
}

// Has reports whether k is present.
func (o *OrderedMap[K, V]) Has(k K) bool {
	_, ok := o.m[k]
	return ok
}

// Delete removes k, keeping the order of the others.
func (o *OrderedMap[K, V]) Delete(k K) {
	if _, ok := o.m[k]; !ok {
		return
	}
	delete(o.m, k)
	for i, key := range o.keys {
		if key == k {
			o.keys = append(o.keys[:i:i], o.keys[i+1:]...)
			break
		}
	}
}

// Len is the number of entries.
func (o *OrderedMap[K, V]) Len() int { return len(o.keys) }

// Keys returns the keys in order; the caller must not modify the slice.
func (o *OrderedMap[K, V]) Keys() []K { return o.keys }

// All iterates over the entries in order.
func (o *OrderedMap[K, V]) All() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		for _, k := range o.keys {
			if !yield(k, o.m[k]) {
				return
			}
		}
	}
}

// Values iterates over the values in order.
func (o *OrderedMap[K, V]) Values() iter.Seq[V] {
	return func(yield func(V) bool) {
		for _, k := range o.keys {
			if !yield(o.m[k]) {
				return
			}
		}
	}
}
