package adapter

// Rights bits of preview1 that decide the descriptor flags of path_open.
const (
	rightFdRead       = 1 << 1
	rightFdWrite      = 1 << 6
	rightFdReaddir    = 1 << 14
	fdflagAppend      = 1
	fdflagDsync       = 2
	fdflagRsync       = 8
	fdflagSync        = 16
	descRead          = 1
	descWrite         = 2
	descFileSync      = 4
	descDataSync      = 8
	descRequestedSync = 16
)

// path_open asks for read and/or write (from the fd_read/fd_readdir and
// fd_write rights) and the sync flags; never mutate-directory, which jco
// refuses (`unsupported`) and which wasmtime's adapter does not ask for
// either.
func addPaths(l *fnList) {
	l.export("path_open", "fd:i32 dirflags:i32 path:i32 plen:i32 oflags:i32 rb:i64 ri:i64 fdflags:i32 out:i32 -> i32",
		"h:i32 nfd:i32 df:i32 e:i32 nh:i32 t:i32", `
	local.get $fd call $desc local.tee $h i32.eqz if i32.const @BADF return end
	call $alloc_fd local.tee $nfd i32.const -1 i32.eq if i32.const @MFILE return end
	local.get $rb i64.const `+itoa(rightFdRead|rightFdReaddir)+` i64.and i64.const 0 i64.ne
	local.get $rb i64.const `+itoa(rightFdWrite)+` i64.and i64.eqz i32.or
	if local.get $df i32.const `+itoa(descRead)+` i32.or local.set $df end
	local.get $rb i64.const `+itoa(rightFdWrite)+` i64.and i64.const 0 i64.ne
	if local.get $df i32.const `+itoa(descWrite)+` i32.or local.set $df end
	local.get $fdflags i32.const `+itoa(fdflagDsync)+` i32.and
	if local.get $df i32.const `+itoa(descDataSync)+` i32.or local.set $df end
	local.get $fdflags i32.const `+itoa(fdflagRsync)+` i32.and
	if local.get $df i32.const `+itoa(descRequestedSync)+` i32.or local.set $df end
	local.get $fdflags i32.const `+itoa(fdflagSync)+` i32.and
	if local.get $df i32.const `+itoa(descFileSync)+` i32.or local.set $df end
	call $save16
	local.get $h local.get $dirflags i32.const 1 i32.and local.get $path local.get $plen
	local.get $oflags i32.const 15 i32.and local.get $df i32.const 0
	call $types#[method]descriptor.open-at
	i32.const 0 i32.load8_u
	if i32.const 4 i32.load8_u call $fs_errno local.set $e
	else i32.const 4 i32.load local.set $nh end
	call $restore16
	local.get $e if local.get $e return end
	call $save16
	local.get $nh i32.const 0 call $types#[method]descriptor.get-type
	i32.const 0 i32.load8_u
	if i32.const 0 local.set $t else i32.const 1 i32.load8_u call $filetype local.set $t end
	call $restore16
	local.get $nfd i32.const 4 call $set_kind
	local.get $nfd local.get $nh call $set_h
	local.get $nfd local.get $t call $set_type
	local.get $nfd local.get $fdflags i32.const `+itoa(fdflagAppend)+` i32.and call $set_flags
	local.get $out local.get $nfd i32.store
	i32.const @SUCCESS`)

	l.export("path_filestat_get", "fd:i32 flags:i32 path:i32 plen:i32 buf:i32 -> i32", "h:i32 e:i32 ino:i64", `
	local.get $fd call $desc local.tee $h i32.eqz if i32.const @BADF return end
	call $save128
	local.get $h local.get $flags i32.const 1 i32.and local.get $path local.get $plen i32.const 0
	call $types#[method]descriptor.stat-at
	call $take_stat local.set $e
	call $restore128
	local.get $e if local.get $e return end
	call $save128
	local.get $h local.get $flags i32.const 1 i32.and local.get $path local.get $plen i32.const 0
	call $types#[method]descriptor.metadata-hash-at
	call $hash_result local.set $ino
	call $restore128
	local.get $buf call $put_filestat
	local.get $buf local.get $ino i64.store 8
	i32.const @SUCCESS`)

	for _, v := range [][2]string{{"path_create_directory", "create-directory-at"},
		{"path_remove_directory", "remove-directory-at"}, {"path_unlink_file", "unlink-file-at"}} {
		l.export(v[0], "fd:i32 path:i32 plen:i32 -> i32", "h:i32 e:i32", `
		local.get $fd call $desc local.tee $h i32.eqz if i32.const @BADF return end
		`+unitCall(`local.get $h local.get $path local.get $plen`, v[1])+`
		local.get $e`)
	}
	l.export("path_rename", "fd:i32 old:i32 olen:i32 nfd:i32 new:i32 nlen:i32 -> i32", "h:i32 nh:i32 e:i32", `
	local.get $fd call $desc local.tee $h i32.eqz if i32.const @BADF return end
	local.get $nfd call $desc local.tee $nh i32.eqz if i32.const @BADF return end
	`+unitCall(`local.get $h local.get $old local.get $olen local.get $nh local.get $new local.get $nlen`, "rename-at")+`
	local.get $e`)
}

// addLinksAndTimes: fd_advise (a hint: accepted for any open file), links, symlinks, readlink and setting times.
func addLinksAndTimes(l *fnList) {
	l.export("fd_advise", "fd:i32 off:i64 len:i64 advice:i32 -> i32", "", `
	local.get $fd call $desc i32.eqz if i32.const @BADF return end
	local.get $advice i32.const 5 i32.gt_u if i32.const @INVAL return end
	i32.const @SUCCESS`)
	// new_timestamp pushes a new-timestamp (discriminant, seconds,
	// nanoseconds) for time t and the fstflags bits set (time given) and
	// now; $res is set to 1 when both bits are set (EINVAL).
	l.add("new_timestamp", "", "fst:i32 set:i32 now:i32 t:i64 -> i32 i64 i32", "", `
	local.get $fst local.get $now i32.and
	if
	  local.get $fst local.get $set i32.and if i32.const 1 global.set $res end
	  i32.const 1 i64.const 0 i32.const 0 return
	end
	local.get $fst local.get $set i32.and
	if
	  i32.const 2 local.get $t i64.const 1000000000 i64.div_u
	  local.get $t i64.const 1000000000 i64.rem_u i32.wrap_i64 return
	end
	i32.const 0 i64.const 0 i32.const 0`)
	times := "i32.const 0 global.set $res\n" +
		"local.get $fst i32.const 1 i32.const 2 local.get $atim call $new_timestamp\n" +
		"local.get $fst i32.const 4 i32.const 8 local.get $mtim call $new_timestamp\n"
	l.export("fd_filestat_set_times", "fd:i32 atim:i64 mtim:i64 fst:i32 -> i32", "h:i32 e:i32", `
	local.get $fd call $desc local.tee $h i32.eqz if i32.const @BADF return end
	`+unitCall(`local.get $h `+times+``, "set-times")+`
	global.get $res if i32.const @INVAL return end
	local.get $e`)
	l.export("path_filestat_set_times", "fd:i32 flags:i32 path:i32 plen:i32 atim:i64 mtim:i64 fst:i32 -> i32", "h:i32 e:i32", `
	local.get $fd call $desc local.tee $h i32.eqz if i32.const @BADF return end
	`+unitCall(`local.get $h local.get $flags i32.const 1 i32.and local.get $path local.get $plen
	`+times+``, "set-times-at")+`
	global.get $res if i32.const @INVAL return end
	local.get $e`)
	l.export("path_link", "ofd:i32 oflags:i32 old:i32 olen:i32 nfd:i32 new:i32 nlen:i32 -> i32", "h:i32 nh:i32 e:i32", `
	local.get $ofd call $desc local.tee $h i32.eqz if i32.const @BADF return end
	local.get $nfd call $desc local.tee $nh i32.eqz if i32.const @BADF return end
	`+unitCall(`local.get $h local.get $oflags i32.const 1 i32.and local.get $old local.get $olen
	local.get $nh local.get $new local.get $nlen`, "link-at")+`
	local.get $e`)
	l.export("path_symlink", "old:i32 olen:i32 fd:i32 new:i32 nlen:i32 -> i32", "h:i32 e:i32", `
	local.get $fd call $desc local.tee $h i32.eqz if i32.const @BADF return end
	`+unitCall(`local.get $h local.get $old local.get $olen local.get $new local.get $nlen`, "symlink-at")+`
	local.get $e`)
	// path_readlink: the target lands in the big region and is copied,
	// truncated to the buffer as preview1 specifies.
	l.export("path_readlink", "fd:i32 path:i32 plen:i32 buf:i32 blen:i32 used:i32 -> i32", "h:i32 e:i32", `
	local.get $fd call $desc local.tee $h i32.eqz if i32.const @BADF return end
	local.get $blen if local.get $buf i32.const @BIG i32.lt_u if i32.const @FAULT return end end
	local.get $h global.set $a1
	local.get $path global.set $a2
	local.get $plen global.set $a3
	local.get $buf global.set $res
	local.get $blen i64.extend_i32_u global.set $a64
	i32.const @OP_readlink call $big local.tee $e if local.get $e return end
	local.get $used global.get $res i32.store
	i32.const @SUCCESS`)
	l.add("op_readlink", "", "", "n:i32 buf:i32", `
	global.get $res local.set $buf
	i32.const 0 i32.const 0 i32.const @BYTES i32.const @BIG i32.const 0 i32.const 0 call $arenas
	global.get $a1 global.get $a2 global.get $a3 i32.const 0 call $types#[method]descriptor.readlink-at
	i32.const 0 i32.load8_u
	if i32.const 4 i32.load8_u call $fs_errno global.set $a0 return end
	i32.const 8 i32.load local.tee $n global.get $a64 i32.wrap_i64 local.get $n global.get $a64 i32.wrap_i64 i32.lt_u select local.set $n
	local.get $buf i32.const 4 i32.load local.get $n memory.copy
	local.get $n global.set $res
	i32.const 0 global.set $a0`)
}

// unsupported preview1 functions: they answer ENOSYS (sockets, rights,
// advice, allocation, signals).
var unsupported = []struct{ name, sig string }{
	{"fd_allocate", "fd:i32 off:i64 len:i64 -> i32"},
	{"fd_fdstat_set_rights", "fd:i32 base:i64 inh:i64 -> i32"},
	{"proc_raise", "sig:i32 -> i32"},
	{"sock_accept", "fd:i32 flags:i32 out:i32 -> i32"},
	{"sock_recv", "fd:i32 data:i32 dlen:i32 flags:i32 outlen:i32 outflags:i32 -> i32"},
	{"sock_send", "fd:i32 data:i32 dlen:i32 flags:i32 outlen:i32 -> i32"},
	{"sock_shutdown", "fd:i32 how:i32 -> i32"},
}

func addUnsupported(l *fnList) {
	for _, u := range unsupported {
		l.export(u.name, u.sig, "", "i32.const @NOSYS")
	}
}
