package component

import "github.com/witgo/witgo/component/wasm"

// Canonical built-in opcodes (the first byte of a canon definition).
const (
	CanonLift                     byte = 0x00
	CanonLower                    byte = 0x01
	CanonResourceNew              byte = 0x02
	CanonResourceDrop             byte = 0x03
	CanonResourceRep              byte = 0x04
	CanonTaskCancel               byte = 0x05
	CanonSubtaskCancel            byte = 0x06
	CanonResourceDropAsync        byte = 0x07 // resource.drop async, written by older tools
	CanonTaskReturn               byte = 0x09
	CanonContextGet               byte = 0x0a
	CanonContextSet               byte = 0x0b
	CanonThreadYield              byte = 0x0c
	CanonSubtaskDrop              byte = 0x0d
	CanonStreamNew                byte = 0x0e
	CanonStreamRead               byte = 0x0f
	CanonStreamWrite              byte = 0x10
	CanonStreamCancelRead         byte = 0x11
	CanonStreamCancelWrite        byte = 0x12
	CanonStreamDropReadable       byte = 0x13
	CanonStreamDropWritable       byte = 0x14
	CanonFutureNew                byte = 0x15
	CanonFutureRead               byte = 0x16
	CanonFutureWrite              byte = 0x17
	CanonFutureCancelRead         byte = 0x18
	CanonFutureCancelWrite        byte = 0x19
	CanonFutureDropReadable       byte = 0x1a
	CanonFutureDropWritable       byte = 0x1b
	CanonErrorContextNew          byte = 0x1c
	CanonErrorContextDebugMessage byte = 0x1d
	CanonErrorContextDrop         byte = 0x1e
	CanonWaitableSetNew           byte = 0x1f
	CanonWaitableSetWait          byte = 0x20
	CanonWaitableSetPoll          byte = 0x21
	CanonWaitableSetDrop          byte = 0x22
	CanonWaitableJoin             byte = 0x23
	CanonBackpressureInc          byte = 0x24
	CanonBackpressureDec          byte = 0x25
	CanonThreadIndex              byte = 0x26
	CanonThreadNewIndirect        byte = 0x27
	CanonThreadResumeLater        byte = 0x28
	CanonThreadSuspend            byte = 0x29
	CanonThreadSuspendThenResume  byte = 0x2a
	CanonThreadYieldThenResume    byte = 0x2b
	CanonThreadSuspendThenPromote byte = 0x2c
	CanonThreadYieldThenPromote   byte = 0x2d
	CanonThreadSpawnRef           byte = 0x40
	CanonThreadSpawnIndirect      byte = 0x41
	CanonThreadAvailParallelism   byte = 0x42
)

// Canonical option codes.
const (
	OptUTF8        byte = 0x00
	OptUTF16       byte = 0x01
	OptLatin1UTF16 byte = 0x02
	OptMemory      byte = 0x03
	OptRealloc     byte = 0x04
	OptPostReturn  byte = 0x05
	OptAsync       byte = 0x06
	OptCallback    byte = 0x07
)

// CanonOpt is a canonical option; Index is used by memory, realloc,
// post-return and callback.
type CanonOpt struct {
	Kind  byte
	Index uint32
}

// immediates says which immediates follow a canon opcode.
type immediates uint16

const (
	immFunc     immediates = 1 << iota // lift: core func; lower: func (after a 0x00 sort byte)
	immType                            // a type index (lift's trailing type, resource, stream...)
	immOpts                            // vec(canonopt)
	immResult                          // task.return's resultlist
	immCoreVal                         // context.get/set: core valtype then u32
	immFlag                            // async? / cancel? / shared? byte
	immMemory                          // waitable-set.wait/poll: core memory index
	immCoreType                        // thread.*: core type index
	immTable                           // thread.*: core table index
)

// canonImms lists the immediates of every built-in, in encoding order
// (flag before types for thread.spawn-*, type before flag for cancels).
var canonImms = map[byte]immediates{
	CanonLift:                     immFunc | immOpts | immType,
	CanonLower:                    immFunc | immOpts,
	CanonResourceNew:              immType,
	CanonResourceDrop:             immType,
	CanonResourceDropAsync:        immType,
	CanonResourceRep:              immType,
	CanonBackpressureInc:          0,
	CanonBackpressureDec:          0,
	CanonTaskReturn:               immResult | immOpts,
	CanonTaskCancel:               0,
	CanonContextGet:               immCoreVal,
	CanonContextSet:               immCoreVal,
	CanonSubtaskCancel:            immFlag,
	CanonSubtaskDrop:              0,
	CanonStreamNew:                immType,
	CanonStreamRead:               immType | immOpts,
	CanonStreamWrite:              immType | immOpts,
	CanonStreamCancelRead:         immType | immFlag,
	CanonStreamCancelWrite:        immType | immFlag,
	CanonStreamDropReadable:       immType,
	CanonStreamDropWritable:       immType,
	CanonFutureNew:                immType,
	CanonFutureRead:               immType | immOpts,
	CanonFutureWrite:              immType | immOpts,
	CanonFutureCancelRead:         immType | immFlag,
	CanonFutureCancelWrite:        immType | immFlag,
	CanonFutureDropReadable:       immType,
	CanonFutureDropWritable:       immType,
	CanonErrorContextNew:          immOpts,
	CanonErrorContextDebugMessage: immOpts,
	CanonErrorContextDrop:         0,
	CanonWaitableSetNew:           0,
	CanonWaitableSetWait:          immFlag | immMemory,
	CanonWaitableSetPoll:          immFlag | immMemory,
	CanonWaitableSetDrop:          0,
	CanonWaitableJoin:             0,
	CanonThreadIndex:              0,
	CanonThreadNewIndirect:        immCoreType | immTable,
	CanonThreadResumeLater:        0,
	CanonThreadSuspend:            immFlag,
	CanonThreadYield:              immFlag,
	CanonThreadSuspendThenResume:  immFlag,
	CanonThreadYieldThenResume:    immFlag,
	CanonThreadSuspendThenPromote: immFlag,
	CanonThreadYieldThenPromote:   immFlag,
	CanonThreadSpawnRef:           immFlag | immCoreType,
	CanonThreadSpawnIndirect:      immFlag | immCoreType | immTable,
	CanonThreadAvailParallelism:   immFlag,
}

// Canon is one canonical definition. Op selects the built-in; the other
// fields hold its immediates (see Binary.md, "Canonical Definitions").
type Canon struct {
	Op       byte
	Func     uint32 // lift: core func; lower: component func
	Type     uint32 // lift: func type; resource.*: resource; stream/future ops: their type
	Opts     []CanonOpt
	Result   *ValType     // task.return
	CoreVal  wasm.ValType // context.get/set
	Slot     uint32       // context.get/set index
	Flag     bool         // async? / cancel? / shared?
	Memory   uint32       // waitable-set.wait/poll
	CoreType uint32       // thread.new-indirect, thread.spawn-*
	Table    uint32       // thread.new-indirect, thread.spawn-indirect
}
