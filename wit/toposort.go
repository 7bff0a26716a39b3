package wit

import "container/heap"

// topoNode is one name to sort with the names it depends on.
type topoNode struct {
	name string
	pos  Pos
	deps []topoRef
}

type topoRef struct {
	name string
	pos  Pos
	len  int
}

// toposort orders nodes so that each comes after its dependencies. Of the
// nodes that are ready at each step it takes the earliest in source order
// (Kahn's algorithm with a min-heap), which is the order the reference
// resolver assigns IDs in. kind names the nodes in errors ("type",
// "interface or world").
func toposort(kind string, nodes []topoNode, src map[string][]byte) ([]int, error) {
	index := make(map[string]int, len(nodes))
	for i, n := range nodes {
		index[n.name] = i
	}
	remaining := make([]int, len(nodes))
	reverse := make([][]int, len(nodes))
	for i, n := range nodes {
		remaining[i] = len(n.deps)
		for _, d := range n.deps {
			j, ok := index[d.name]
			if !ok {
				names := make([]string, len(nodes))
				for k, n := range nodes {
					names[k] = n.name
				}
				if kind == "type" {
					names = append(names, primitiveNames[1:]...)
				}
				return nil, errorAt(src[d.pos.File], d.pos, d.len, "%s `%s` does not exist%s", kind, d.name, didYouMean(d.name, names))
			}
			reverse[j] = append(reverse[j], i)
		}
	}
	h := &intHeap{}
	for i := range nodes {
		if remaining[i] == 0 {
			heap.Push(h, i)
		}
	}
	order := make([]int, 0, len(nodes))
	for h.Len() > 0 {
		i := heap.Pop(h).(int)
		order = append(order, i)
		for _, j := range reverse[i] {
			remaining[j]--
			if remaining[j] == 0 {
				heap.Push(h, j)
			}
		}
	}
	if len(order) == len(nodes) {
		return order, nil
	}
	// A cycle: report the first node, in source order, that reaches itself,
	// at the reference that closes the cycle.
	for i := range nodes {
		if remaining[i] == 0 {
			continue
		}
		if ref, ok := findCycle(nodes, index, i); ok {
			return nil, errorAt(src[ref.pos.File], ref.pos, ref.len, "%s `%s` depends on itself", kind, ref.name)
		}
	}
	n := nodes[order[0]]
	return nil, errorAt(src[n.pos.File], n.pos, len(n.name), "%s `%s` depends on itself", kind, n.name)
}

// findCycle looks for a path of references from start back to start and
// returns the first reference of start's own dependency list that leads there.
func findCycle(nodes []topoNode, index map[string]int, start int) (topoRef, bool) {
	seen := make([]bool, len(nodes))
	var reaches func(i int) bool
	reaches = func(i int) bool {
		if i == start {
			return true
		}
		if seen[i] {
			return false
		}
		seen[i] = true
		for _, d := range nodes[i].deps {
			if reaches(index[d.name]) {
				return true
			}
		}
		return false
	}
	for _, d := range nodes[start].deps {
		if reaches(index[d.name]) {
			return d, true
		}
	}
	return topoRef{}, false
}

type intHeap []int

func (h intHeap) Len() int           { return len(h) }
func (h intHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h intHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *intHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *intHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
