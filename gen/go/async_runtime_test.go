package gogen

import (
	"path/filepath"
	"testing"

	"github.com/witgo/witgo/wit"
)

// TestAsyncRuntime builds the Go guest of testdata/asyncruntime (async
// exports calling async imports from many goroutines, stream<u8>,
// stream<string>, stream of a record, future<string>) into a component and
// runs it on witgo's engine with a host for test:arun/host. It skips, with
// the reason, while component new or the engine cannot handle async
// components.
func TestAsyncRuntime(t *testing.T) {
	r, w := loadWorld(t, filepath.Join("testdata", "asyncruntime", "arun.wit"), "arun")
	core := buildGuest(t, r, w, filepath.Join("testdata", "asyncruntime", "guest", "main.go"), "example.com/arun")
	comp := asyncComponent(t, r, w, core)
	runAsyncGuest(t, r, comp)
}

// asyncComponent makes the component with witgo's preview1 adapter, or
// skips when component new refuses the module's async imports or exports.
func asyncComponent(t *testing.T, r *wit.Resolve, w wit.WorldID, core []byte) []byte {
	t.Helper()
	comp, err := newComponent(t, r, w, core)
	if err != nil {
		t.Skipf("component new cannot make the async guest a component yet: %v", err)
	}
	return comp
}
