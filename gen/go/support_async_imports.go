package gogen

import (
	"fmt"
	"go/format"
	"strings"

	"github.com/witgo/witgo/canonabi"
)

// usesAsyncRuntime reports whether a world needs the async runtime: its
// name table holds the function-less async built-ins exactly then.
func usesAsyncRuntime(n *canonabi.Names) bool {
	for i := range n.Items {
		if n.Items[i].Kind == canonabi.NameWaitableSetNew {
			return true
		}
	}
	return false
}

// runtimeIntrinsic is one built-in the async runtime imports: the Go
// function declared for it and the kind and options canonabi names it by.
type runtimeIntrinsic struct {
	goName string
	kind   canonabi.NameKind
	opts   canonabi.IntrinsicOptions
	params string // Go parameter list
	result string
}

var runtimeIntrinsics = []runtimeIntrinsic{
	{"wasmWaitableSetNew", canonabi.NameWaitableSetNew, canonabi.IntrinsicOptions{}, "", "uint32"},
	{"wasmWaitableSetWait", canonabi.NameWaitableSetWait, canonabi.IntrinsicOptions{}, "set, ptr uint32", "uint32"},
	{"wasmWaitableSetPoll", canonabi.NameWaitableSetPoll, canonabi.IntrinsicOptions{}, "set, ptr uint32", "uint32"},
	{"wasmWaitableSetDrop", canonabi.NameWaitableSetDrop, canonabi.IntrinsicOptions{}, "set uint32", ""},
	{"wasmWaitableJoin", canonabi.NameWaitableJoin, canonabi.IntrinsicOptions{}, "waitable, set uint32", ""},
	{"wasmSubtaskDrop", canonabi.NameSubtaskDrop, canonabi.IntrinsicOptions{}, "subtask uint32", ""},
	{"wasmContextGet", canonabi.NameContextGet, canonabi.IntrinsicOptions{Slot: 0}, "", "uint32"},
	{"wasmContextSet", canonabi.NameContextSet, canonabi.IntrinsicOptions{Slot: 0}, "v uint32", ""},
}

var errorContextIntrinsics = []runtimeIntrinsic{
	{"wasmErrorContextNew", canonabi.NameErrorContextNew, canonabi.IntrinsicOptions{}, "ptr, n uint32", "uint32"},
	{"wasmErrorContextDebugMessage", canonabi.NameErrorContextDebugMessage, canonabi.IntrinsicOptions{}, "h, ret uint32", ""},
	{"wasmErrorContextDrop", canonabi.NameErrorContextDrop, canonabi.IntrinsicOptions{}, "h uint32", ""},
}

const asyncWasmWiring = `
// eventArea receives the two payload words of waitable-set.wait and
// .poll: a package variable, so its address never changes.
var eventArea [2]uint32

func init() {
	waitableSetNew = wasmWaitableSetNew
	waitableSetWait = func(set uint32) (uint32, uint32, uint32) {
		code := wasmWaitableSetWait(set, Addr(unsafe.Pointer(&eventArea)))
		return code, eventArea[0], eventArea[1]
	}
	waitableSetPoll = func(set uint32) (uint32, uint32, uint32) {
		code := wasmWaitableSetPoll(set, Addr(unsafe.Pointer(&eventArea)))
		return code, eventArea[0], eventArea[1]
	}
	waitableSetDrop = wasmWaitableSetDrop
	waitableJoin = wasmWaitableJoin
	subtaskDrop = wasmSubtaskDrop
	contextGet = wasmContextGet
	contextSet = wasmContextSet
}
`

const errorContextWasmWiring = `
// messageArea receives the string of error-context.debug-message.
var messageArea [2]uint32

func init() {
	errorContextNew = func(msg string) uint32 {
		var lw Lowerer
		defer lw.Release()
		p, n := lw.String(msg)
		return wasmErrorContextNew(p, n)
	}
	errorContextDebugMessage = func(h uint32) string {
		wasmErrorContextDebugMessage(h, Addr(unsafe.Pointer(&messageArea)))
		return LiftString(messageArea[0], messageArea[1])
	}
	errorContextDrop = wasmErrorContextDrop
}
`

// supportAsyncWasm writes cabi/async_wasip1.go: the runtime's
// //go:wasmimport declarations, under the names canonabi gives them, and
// the wiring of the runtime's intrinsic variables to them.
func (g *generator) supportAsyncWasm() ([]byte, error) {
	var b strings.Builder
	b.WriteString(Header + "\n\n//go:build wasip1\n\npackage cabi\n\nimport \"unsafe\"\n")
	list := runtimeIntrinsics
	if g.usesErrorContext {
		list = append(append([]runtimeIntrinsic(nil), list...), errorContextIntrinsics...)
	}
	for _, in := range list {
		c, err := g.names.Intrinsic(in.kind, in.opts)
		if err != nil {
			return nil, fmt.Errorf("gogen: %w", err)
		}
		fmt.Fprintf(&b, "\n//go:wasmimport %s %s\nfunc %s(%s) %s\n", c.Module, c.Field, in.goName, in.params, in.result)
	}
	b.WriteString(asyncWasmWiring)
	if g.usesErrorContext {
		b.WriteString(errorContextWasmWiring)
	}
	out, err := format.Source([]byte(b.String()))
	if err != nil {
		return nil, fmt.Errorf("gogen: formatting the async runtime's imports: %w", err)
	}
	return out, nil
}
