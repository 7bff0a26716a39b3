package adapter

import "fmt"

// allRights is every preview1 right: the adapter does not model rights;
// the host's descriptor flags decide what is allowed.
const allRights = 0x1fffffff

// Descriptors opened on wasi:filesystem: reads and writes use
// descriptor.read/write at the slot's position.
func addFiles(l *fnList) {
	// fs_errno maps an error-code case to its errno; filetype a
	// descriptor-type case to a preview1 filetype.
	for _, v := range []struct {
		name, param string
		table       []int
		fallback    string
	}{{"fs_errno", "code", fsErrno[:], "i32.const @IO"}, {"filetype", "t", fileTypes[:], "i32.const 0"}} {
		arms := make([]string, len(v.table))
		for i, e := range v.table {
			arms[i] = fmt.Sprintf("i32.const %d return", e)
		}
		l.add(v.name, "", v.param+":i32 -> i32", "", switchCode("local.get $"+v.param, arms, v.fallback))
	}

	// unit_result reads a result<_, error-code> at 0.
	l.add("unit_result", "", "-> i32", "", `
	i32.const 0 i32.load8_u
	if i32.const 1 i32.load8_u call $fs_errno return end
	i32.const @SUCCESS`)

	// desc returns fd's wasi:filesystem descriptor, or 0.
	l.add("desc", "", "fd:i32 -> i32", "", `
	local.get $fd call $kind_of i32.const 4 i32.ne if i32.const 0 return end
	local.get $fd call $get_h`)

	// take_stat reads a result<descriptor-stat, error-code> at 0 into the
	// st_* globals and returns its errno.
	l.add("timestamp", "", "at:i32 -> i64", "", `
	local.get $at i32.load8_u i32.eqz if i64.const 0 return end
	local.get $at i64.load 8 i64.const 1000000000 i64.mul
	local.get $at i64.load32_u 16 i64.add`)
	l.add("take_stat", "", "-> i32", "", `
	i32.const 0 i32.load8_u
	if i32.const 8 i32.load8_u call $fs_errno return end
	i32.const 8 i32.load8_u call $filetype global.set $st_type
	i32.const 16 i64.load global.set $st_nlink
	i32.const 24 i64.load global.set $st_size
	i32.const 32 call $timestamp global.set $st_atim
	i32.const 56 call $timestamp global.set $st_mtim
	i32.const 80 call $timestamp global.set $st_ctim
	i32.const @SUCCESS`)
	l.add("put_filestat", "", "buf:i32", "", `
	local.get $buf i32.const 0 i32.const 64 memory.fill
	local.get $buf global.get $st_type i32.store8 16
	local.get $buf global.get $st_nlink i64.store 24
	local.get $buf global.get $st_size i64.store 32
	local.get $buf global.get $st_atim i64.store 40
	local.get $buf global.get $st_mtim i64.store 48
	local.get $buf global.get $st_ctim i64.store 56`)
	l.add("stat", "", "h:i32 -> i32", "e:i32", `
	call $save128
	local.get $h i32.const 0 call $types#[method]descriptor.stat
	call $take_stat local.set $e
	call $restore128
	local.get $e`)

	// hash_result reads the lower half of a result<metadata-hash-value,
	// error-code> at 0: the inode number preview1 reports (0 when the host
	// has none).
	l.add("hash_result", "", "-> i64", "", `
	i32.const 0 i32.load8_u if i64.const 0 return end
	i32.const 8 i64.load`)
	l.add("ino", "", "h:i32 -> i64", "ino:i64", `
	call $save128
	local.get $h i32.const 0 call $types#[method]descriptor.metadata-hash
	call $hash_result local.set $ino
	call $restore128
	local.get $ino`)

	l.export("fd_filestat_get", "fd:i32 buf:i32 -> i32", "kind:i32 e:i32", `
	local.get $fd call $kind_of local.tee $kind i32.eqz if i32.const @BADF return end
	local.get $kind i32.const 4 i32.ne
	if
	  local.get $buf i32.const 0 i32.const 64 memory.fill
	  local.get $buf i32.const 2 i32.store8 16
	  i32.const @SUCCESS return
	end
	local.get $fd call $get_h call $stat local.tee $e if local.get $e return end
	local.get $buf call $put_filestat
	local.get $buf local.get $fd call $get_h call $ino i64.store 8
	i32.const @SUCCESS`)

	// file_write writes the iovecs at off, or at (and advancing) the
	// slot's position when off is -1 (the end of file in append mode).
	l.add("file_write", "", "fd:i32 iovs:i32 n:i32 nw:i32 off:i64 -> i32",
		"h:i32 pos:i64 i:i32 p:i32 len:i32 e:i32 w:i64 total:i64", `
	local.get $fd call $get_h local.set $h
	local.get $off local.set $pos
	local.get $off i64.const -1 i64.eq
	if
	  local.get $fd call $get_pos local.set $pos
	  local.get $fd call $get_flags i32.const 1 i32.and
	  if
	    local.get $h call $stat local.tee $e if local.get $e return end
	    global.get $st_size local.set $pos
	  end
	end
	block $done
	loop $iov
	  local.get $i local.get $n i32.ge_u br_if $done
	  local.get $iovs local.get $i i32.const 3 i32.shl i32.add local.tee $p i32.load 4 local.set $len
	  local.get $p i32.load local.set $p
	  local.get $i i32.const 1 i32.add local.set $i
	  local.get $len i32.eqz br_if $iov
	  call $save16
	  local.get $h local.get $p local.get $len local.get $pos i32.const 0 call $types#[method]descriptor.write
	  i32.const 0 i32.load8_u
	  if i32.const 8 i32.load8_u call $fs_errno local.set $e
	  else i32.const 8 i64.load local.set $w end
	  call $restore16
	  local.get $e
	  if
	    local.get $total i64.eqz if local.get $e return end
	    br $done
	  end
	  local.get $pos local.get $w i64.add local.set $pos
	  local.get $total local.get $w i64.add local.set $total
	  local.get $w local.get $len i64.extend_i32_u i64.lt_u br_if $done
	  br $iov
	end
	end
	local.get $off i64.const -1 i64.eq if local.get $fd local.get $pos call $set_pos end
	local.get $nw local.get $total i64.store32
	i32.const @SUCCESS`)

	// file_read reads into the first non-empty iovec.
	l.add("file_read", "", "fd:i32 iovs:i32 n:i32 nr:i32 off:i64 -> i32", "pos:i64 p:i32 len:i32 e:i32 got:i32", `
	local.get $off local.set $pos
	local.get $off i64.const -1 i64.eq if local.get $fd call $get_pos local.set $pos end
	local.get $iovs local.get $n call $first_iov local.tee $len
	i32.eqz if local.get $nr i32.const 0 i32.store i32.const @SUCCESS return end
	global.get $res local.tee $p i32.const 16 i32.lt_u if i32.const @FAULT return end
	local.get $p local.get $len call $outside if i32.const @FAULT return end
	i32.const 0 i32.const 0 local.get $p local.get $p local.get $len i32.add i32.const 0 i32.const 0 call $arenas
	call $save16
	local.get $fd call $get_h local.get $len i64.extend_i32_u local.get $pos i32.const 0
	call $types#[method]descriptor.read
	i32.const 0 i32.load8_u
	if i32.const 4 i32.load8_u call $fs_errno local.set $e
	else i32.const 8 i32.load local.set $got end
	call $restore16
	local.get $e if local.get $e return end
	local.get $off i64.const -1 i64.eq
	if local.get $fd local.get $pos local.get $got i64.extend_i32_u i64.add call $set_pos end
	local.get $nr local.get $got i32.store
	i32.const @SUCCESS`)

	for _, v := range []struct{ name, impl string }{{"fd_pread", "file_read"}, {"fd_pwrite", "file_write"}} {
		l.export(v.name, "fd:i32 iovs:i32 n:i32 off:i64 nout:i32 -> i32", "", `
		local.get $iovs local.get $n i32.const 8 call $wraps if i32.const @FAULT return end
		local.get $fd call $kind_of i32.const 4 i32.ne if i32.const @BADF return end
		local.get $off i64.const 0 i64.lt_s if i32.const @INVAL return end
		local.get $fd local.get $iovs local.get $n local.get $nout local.get $off call $`+v.impl)
	}

	l.export("fd_seek", "fd:i32 off:i64 whence:i32 out:i32 -> i32", "kind:i32 base:i64 e:i32", `
	local.get $fd call $kind_of local.tee $kind i32.eqz if i32.const @BADF return end
	local.get $kind i32.const 4 i32.ne if i32.const @SPIPE return end
	block $ok
	block $bad
	block $end
	block $cur
	block $set
	  local.get $whence br_table $set $cur $end $bad
	end
	  i64.const 0 local.set $base br $ok
	end
	  local.get $fd call $get_pos local.set $base br $ok
	end
	  local.get $fd call $get_h call $stat local.tee $e if local.get $e return end
	  global.get $st_size local.set $base br $ok
	end
	i32.const @INVAL return
	end
	local.get $base local.get $off i64.add local.tee $base i64.const 0 i64.lt_s if i32.const @INVAL return end
	local.get $fd local.get $base call $set_pos
	local.get $out local.get $base i64.store
	i32.const @SUCCESS`)
	l.export("fd_tell", "fd:i32 out:i32 -> i32", "kind:i32", `
	local.get $fd call $kind_of local.tee $kind i32.eqz if i32.const @BADF return end
	local.get $kind i32.const 4 i32.ne if i32.const @SPIPE return end
	local.get $out local.get $fd call $get_pos i64.store
	i32.const @SUCCESS`)

	// close_slot drops what a slot holds and frees it.
	l.add("close_slot", "", "fd:i32", "kind:i32 h:i32", `
	local.get $fd call $get_kind local.set $kind
	local.get $fd call $get_h local.set $h
	local.get $kind i32.const 4 i32.eq
	if
	  local.get $fd call $get_ds local.tee $h
	  if local.get $h call $types#[resource-drop]directory-entry-stream end
	  local.get $fd call $get_h call $types#[resource-drop]descriptor
	else
	  local.get $h
	  if
	    local.get $kind i32.const 1 i32.eq
	    if local.get $h call $streams#[resource-drop]input-stream
	    else local.get $h call $streams#[resource-drop]output-stream end
	  end
	end
	local.get $fd call $free_fd`)
	l.export("fd_close", "fd:i32 -> i32", "", `
	local.get $fd call $kind_of i32.eqz if i32.const @BADF return end
	local.get $fd call $close_slot
	i32.const @SUCCESS`)
	// fd_renumber moves fd's slot to `to`, closing what `to` held.
	var move string
	for _, f := range slotFields {
		move += "local.get $to local.get $fd call $get_" + f.name + " call $set_" + f.name + "\n"
	}
	l.export("fd_renumber", "fd:i32 to:i32 -> i32", "", `
	local.get $fd call $kind_of i32.eqz if i32.const @BADF return end
	local.get $to call $get_kind i32.eqz if i32.const @BADF return end
	local.get $fd local.get $to i32.eq if i32.const @SUCCESS return end
	local.get $to call $close_slot
	`+move+`
	local.get $fd call $free_fd
	i32.const @SUCCESS`)

	l.export("fd_fdstat_get", "fd:i32 buf:i32 -> i32", "kind:i32", `
	local.get $fd call $kind_of local.tee $kind i32.eqz if i32.const @BADF return end
	local.get $buf local.get $fd call $get_type i32.store8
	local.get $buf i32.const 0 i32.store8 1
	local.get $buf local.get $fd call $get_flags i32.store16 2
	local.get $buf i32.const 0 i32.store 4
	local.get $buf i64.const `+itoa(allRights)+` i64.store 8
	local.get $buf i64.const `+itoa(allRights)+` i64.store 16
	i32.const @SUCCESS`)
	// Only append is kept (and honoured by fd_write); nonblock is accepted
	// and ignored: the adapter's streams block.
	l.export("fd_fdstat_set_flags", "fd:i32 flags:i32 -> i32", "", `
	local.get $fd call $kind_of i32.eqz if i32.const @BADF return end
	local.get $fd local.get $flags i32.const 1 i32.and call $set_flags
	i32.const @SUCCESS`)

	for _, v := range []struct{ name, method string }{{"fd_sync", "sync"}, {"fd_datasync", "sync-data"}} {
		l.export(v.name, "fd:i32 -> i32", "h:i32 e:i32", `
		local.get $fd call $kind_of i32.eqz if i32.const @BADF return end
		local.get $fd call $desc local.tee $h i32.eqz if i32.const @INVAL return end
		`+unitCall("local.get $h", v.method)+`
		local.get $e`)
	}
	l.export("fd_filestat_set_size", "fd:i32 size:i64 -> i32", "h:i32 e:i32", `
	local.get $fd call $desc local.tee $h i32.eqz if i32.const @BADF return end
	`+unitCall(`local.get $h local.get $size`, "set-size")+`
	local.get $e`)

	l.export("fd_readdir", "fd:i32 buf:i32 len:i32 cookie:i64 used:i32 -> i32", "e:i32", `
	local.get $fd call $desc i32.eqz if i32.const @BADF return end
	local.get $fd call $get_type i32.const 3 i32.ne if i32.const @NOTDIR return end
	local.get $len i32.eqz if local.get $used i32.const 0 i32.store i32.const @SUCCESS return end
	local.get $buf i32.const @BIG i32.lt_u if i32.const @FAULT return end
	local.get $fd global.set $a1
	local.get $buf global.set $a2
	local.get $len global.set $a3
	local.get $cookie global.set $a64
	i32.const @OP_readdir call $big local.tee $e if local.get $e return end
	local.get $used global.get $res i32.store
	i32.const @SUCCESS`)
	// op_readdir keeps the entry stream of the last fd_readdir and the
	// cookie it is at; another cookie reopens the directory and skips.
	// Each entry is built at BYTES (name at BYTES+24, where the host puts
	// it) and copied, truncated if the buffer ends.
	l.add("op_readdir", "", "", "fd:i32 ds:i32 dc:i64 used:i32 nl:i32 n:i32 end:i32", `
	global.get $a1 local.set $fd
	i32.const 0 global.set $res
	i32.const 0 i32.const 0 i32.const @BYTES i32.const 24 i32.add i32.const @BIG i32.const 0 i32.const 0 call $arenas
	local.get $fd call $get_ds local.set $ds
	local.get $fd call $get_dc local.set $dc
	local.get $ds i32.eqz local.get $dc global.get $a64 i64.ne i32.or
	if
	  local.get $ds if local.get $ds call $types#[resource-drop]directory-entry-stream end
	  local.get $fd i32.const 0 call $set_ds
	  local.get $fd call $get_h i32.const 0 call $types#[method]descriptor.read-directory
	  i32.const 0 i32.load8_u
	  if i32.const 4 i32.load8_u call $fs_errno global.set $a0 return end
	  i32.const 4 i32.load local.set $ds
	  local.get $fd local.get $ds call $set_ds
	  i64.const 0 local.set $dc
	end
	block $full
	loop $next
	  local.get $used global.get $a3 i32.ge_u br_if $full
	  i32.const @BYTES i32.const 24 i32.add global.set $byte_ptr
	  local.get $ds i32.const 0 call $types#[method]directory-entry-stream.read-directory-entry
	  i32.const 0 i32.load8_u
	  if i32.const 4 i32.load8_u call $fs_errno global.set $a0 return end
	  i32.const 4 i32.load8_u i32.eqz br_if $full
	  local.get $dc i64.const 1 i64.add local.set $dc
	  local.get $dc global.get $a64 i64.le_u br_if $next
	  i32.const 8 i32.load8_u call $filetype local.set $n
	  i32.const 16 i32.load local.set $nl
	  i32.const @BYTES i32.const 24 i32.add i32.const 12 i32.load local.get $nl call $put_string drop
	  i32.const @BYTES local.get $dc i64.store
	  i32.const @BYTES i64.const 0 i64.store 8
	  i32.const @BYTES local.get $nl i32.store 16
	  i32.const @BYTES i32.const 0 i32.store 20
	  i32.const @BYTES local.get $n i32.store8 20
	  local.get $nl i32.const 24 i32.add local.tee $n
	  global.get $a3 local.get $used i32.sub local.tee $end
	  local.get $n local.get $end i32.lt_u select local.set $n
	  global.get $a2 local.get $used i32.add i32.const @BYTES local.get $n memory.copy
	  local.get $used local.get $n i32.add local.set $used
	  br $next
	end
	end
	local.get $fd local.get $dc call $set_dc
	local.get $used global.set $res
	i32.const 0 global.set $a0`)
}
