package adapter

import (
	"fmt"

	"github.com/witgo/witgo/component/wasm"
)

// The descriptor table lives in globals of the adapter (never in linear
// memory): fdSlots slots, each a set of fields. Descriptor numbers are
// slot indices; 0, 1, 2 are stdin, stdout, stderr.
//
//	kind   0 free, 1 stdin, 2 stdout, 3 stderr, 4 a wasi:filesystem descriptor
//	h      the handle: the stream for stdio (0 until first used), the descriptor
//	pos    the file position (i64)
//	flags  preview1 fdflags (append is honoured)
//	type   the preview1 filetype
//	ds     an open directory-entry-stream for fd_readdir, 0 if none
//	dc     the cookie the entry ds yields next (i64)
//	nl     1 + the length of the preopen's name; 0 if not a preopen
//	pre    1 + the preopen's index in get-directories; 0 if not a preopen
const (
	kindFree   = 0
	kindStdin  = 1
	kindStdout = 2
	kindStderr = 3
	kindDesc   = 4
)

var slotFields = []struct {
	name string
	t    wasm.ValType
}{{"kind", i32}, {"h", i32}, {"pos", i64}, {"flags", i32}, {"type", i32}, {"ds", i32}, {"dc", i64}, {"nl", i32}, {"pre", i32}}

func slotGlobals() []global {
	var gs []global
	for s := 0; s < fdSlots; s++ {
		for _, f := range slotFields {
			init := int64(0)
			if s < 3 && f.name == "kind" {
				init = int64(s + 1)
			}
			if s < 3 && f.name == "type" {
				init = 2 // character device
			}
			gs = append(gs, global{fmt.Sprintf("fd%d_%s", s, f.name), f.t, init})
		}
	}
	return gs
}

func addState(l *fnList) {
	// get_<field>(fd) and set_<field>(fd, v): a br_table over the slots.
	// Reading a descriptor outside the table gives 0 (a free slot).
	for _, f := range slotFields {
		t := f.t.String()
		get := make([]string, fdSlots)
		set := make([]string, fdSlots)
		for s := range get {
			get[s] = fmt.Sprintf("global.get $fd%d_%s return", s, f.name)
			set[s] = fmt.Sprintf("local.get $v global.set $fd%d_%s return", s, f.name)
		}
		l.add("get_"+f.name, "", "fd:i32 -> "+t, "", switchCode("local.get $fd", get, t+".const 0"))
		l.add("set_"+f.name, "", "fd:i32 v:"+t, "", switchCode("local.get $fd", set, "unreachable"))
	}

	// alloc_fd returns a free slot (3 and up) or -1.
	l.add("alloc_fd", "", "-> i32", "fd:i32", `
	i32.const 3 local.set $fd
	block $none
	loop $next
	  local.get $fd i32.const @SLOTS i32.ge_u br_if $none
	  local.get $fd call $get_kind i32.eqz if local.get $fd return end
	  local.get $fd i32.const 1 i32.add local.set $fd
	  br $next
	end
	end
	i32.const -1`)

	// free_fd clears a slot.
	l.add("free_fd", "", "fd:i32", "", `
	local.get $fd i32.const 0 call $set_kind
	local.get $fd i32.const 0 call $set_h
	local.get $fd i64.const 0 call $set_pos
	local.get $fd i32.const 0 call $set_flags
	local.get $fd i32.const 0 call $set_type
	local.get $fd i32.const 0 call $set_ds
	local.get $fd i64.const 0 call $set_dc
	local.get $fd i32.const 0 call $set_nl
	local.get $fd i32.const 0 call $set_pre`)
}
