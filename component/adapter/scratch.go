package adapter

import (
	"fmt"
	"strings"
)

// constants are the @NAMEs function bodies may use.
func constants() map[string]int64 {
	c := map[string]int64{
		"SUCCESS": errnoSuccess, "2BIG": errno2Big, "BADF": errnoBadf, "FAULT": errnoFault,
		"INVAL": errnoInval, "IO": errnoIO, "MFILE": errnoMFile, "NOSYS": errnoNoSys,
		"NOTDIR": errnoNotDir, "PIPE": errnoPipe, "SPIPE": errnoSPipe, "ISDIR": errnoIsDir,
		"NOTSUP": errnoNotSup, "NOMEM": errnoNoMem,
		"SMALL": smallScratch, "BIG": bigScratch, "LIST": listArena, "BYTES": byteArena,
		"SLOTS": fdSlots,
	}
	for i, op := range bigOps {
		c["OP_"+op] = int64(i)
	}
	return c
}

// bigOps are the operations run inside the big borrowed region; each is a
// function named op_<name> taking its arguments from the $a* globals and
// leaving its errno in $a0.
var bigOps = []string{"args_sizes", "args_get", "env_sizes", "env_get", "preopens", "prestat_name", "readdir", "readlink"}

func globals() []global {
	gs := []global{
		// cabi_import_realloc arenas (see addScratch).
		{"list_ptr", i32, 0}, {"list_end", i32, 0},
		{"byte_ptr", i32, 0}, {"byte_end", i32, 0}, {"byte_gap", i32, 0}, {"byte_reuse", i32, 0},
		{"byte_total", i32, 0}, {"byte_count", i32, 0},
		// Arguments of the current big operation.
		{"op", i32, 0}, {"a0", i32, 0}, {"a1", i32, 0}, {"a2", i32, 0}, {"a3", i32, 0}, {"a64", i64, 0},
		{"preopens_done", i32, 0}, {"res", i32, 0},
		{"st_type", i32, 0}, {"st_nlink", i64, 0}, {"st_size", i64, 0}, {"st_atim", i64, 0}, {"st_mtim", i64, 0}, {"st_ctim", i64, 0},
	}
	for i := 0; i < smallScratch/8; i++ {
		gs = append(gs, global{fmt.Sprintf("sv%d", i), i64, 0})
	}
	return append(gs, slotGlobals()...)
}

func addScratch(l *fnList) {
	// save16/save128 copy the start of the small region into globals;
	// restore puts it back. Only one small borrow is active at a time.
	for _, n := range []int{16, smallScratch} {
		var save, restore strings.Builder
		for i := 0; i < n/8; i++ {
			fmt.Fprintf(&save, "i32.const 0 i64.load %d global.set $sv%d\n", 8*i, i)
			fmt.Fprintf(&restore, "i32.const 0 global.get $sv%d i64.store %d\n", i, 8*i)
		}
		l.add(fmt.Sprintf("save%d", n), "", "", "", save.String())
		l.add(fmt.Sprintf("restore%d", n), "", "", "", restore.String())
	}

	// borrow_big saves [addr, addr+remaining) 128 bytes per frame in its
	// own locals (on the engine's stack, not in linear memory), runs the
	// operation $op when everything is saved, and restores on the way
	// back.
	var save, restore strings.Builder
	var locals []string
	for i := 0; i < 16; i++ {
		locals = append(locals, fmt.Sprintf("v%d:i64", i))
		fmt.Fprintf(&save, "local.get $addr i64.load %d local.set $v%d\n", 8*i, i)
		fmt.Fprintf(&restore, "local.get $addr local.get $v%d i64.store %d\n", i, 8*i)
	}
	l.add("borrow_big", "", "addr:i32 remaining:i32", strings.Join(locals, " "), `
	local.get $remaining i32.eqz
	if
	  call $run_op
	  return
	end
	`+save.String()+`
	local.get $addr i32.const 128 i32.add
	local.get $remaining i32.const 128 i32.sub
	call $borrow_big
	`+restore.String())

	// big runs operation op with the big region borrowed and returns its
	// errno.
	l.add("big", "", "op:i32 -> i32", "", `
	local.get $op global.set $op
	i32.const 0 i32.const @BIG call $borrow_big
	global.get $a0`)

	arms := make([]string, len(bigOps))
	for i, op := range bigOps {
		arms[i] = "call $op_" + op + " return"
	}
	l.add("run_op", "", "", "", switchCode("global.get $op", arms, "unreachable"))

	// arenas sets where cabi_import_realloc places what the host
	// allocates: arrays (alignment > 1) in [lp, le), bytes in [bp, be)
	// followed by gap bytes (1 leaves room for a NUL); reuse makes every
	// byte allocation start at bp (sizes are only counted).
	l.add("arenas", "", "lp:i32 le:i32 bp:i32 be:i32 gap:i32 reuse:i32", "", `
	local.get $lp global.set $list_ptr
	local.get $le global.set $list_end
	local.get $bp global.set $byte_ptr
	local.get $be global.set $byte_end
	local.get $gap global.set $byte_gap
	local.get $reuse global.set $byte_reuse
	i32.const 0 global.set $byte_total
	i32.const 0 global.set $byte_count`)

	// cabi_import_realloc is the realloc of every lowered import. It only
	// hands out the arenas set up by the caller of the host function and
	// traps when they are exhausted; it never grows memory and never calls
	// into the main module.
	l.add("cabi_import_realloc", "cabi_import_realloc", "old:i32 old_size:i32 align:i32 size:i32 -> i32", "p:i32 e:i32", `
	local.get $old if unreachable end
	local.get $align i32.const 1 i32.gt_u
	if
	  global.get $list_ptr local.get $align i32.add i32.const 1 i32.sub
	  i32.const 0 local.get $align i32.sub i32.and local.tee $p
	  local.get $size i32.add local.tee $e
	  local.get $p i32.lt_u if unreachable end
	  local.get $e global.get $list_end i32.gt_u if unreachable end
	  local.get $e global.set $list_ptr
	  local.get $p return
	end
	global.get $byte_ptr local.tee $p
	local.get $size i32.add global.get $byte_gap i32.add local.tee $e
	local.get $p i32.lt_u if unreachable end
	local.get $e global.get $byte_end i32.gt_u if unreachable end
	global.get $byte_total local.get $size i32.add global.get $byte_gap i32.add global.set $byte_total
	global.get $byte_count i32.const 1 i32.add global.set $byte_count
	global.get $byte_reuse i32.eqz
	if local.get $e global.set $byte_ptr end
	local.get $p`)
}
