package adapter

// Standard streams: fd_write and fd_read on descriptors 0-2 go to
// wasi:cli stdin/stdout/stderr streams, fetched on first use and kept in
// the descriptor slot.
func addStdio(l *fnList) {
	l.add("stdio_stream", "", "fd:i32 -> i32", "h:i32 kind:i32", `
	local.get $fd call $get_h local.tee $h
	if local.get $h return end
	local.get $fd call $get_kind local.tee $kind i32.const 1 i32.eq
	if
	  call $stdin#get-stdin local.set $h
	else
	  local.get $kind i32.const 2 i32.eq
	  if call $stdout#get-stdout local.set $h
	  else call $stderr#get-stderr local.set $h end
	end
	local.get $fd local.get $h call $set_h
	local.get $h`)

	// stream_error turns the stream-error in the return area at 4 into an
	// errno (closed -> closed, the caller decides) after dropping the
	// error resource. It runs while the small region is borrowed.
	l.add("stream_failed", "", "-> i32", "", `
	i32.const 4 i32.load8_u
	if i32.const -1 return end
	i32.const 8 i32.load call $error#[resource-drop]error
	i32.const @IO`)

	// write_stream writes [p, p+n), n <= 4096, with blocking-write-and-flush.
	l.add("write_stream", "", "h:i32 p:i32 n:i32 -> i32", "e:i32", `
	call $save16
	local.get $h local.get $p local.get $n i32.const 0
	call $streams#[method]output-stream.blocking-write-and-flush
	i32.const 0 i32.load8_u
	if call $stream_failed local.set $e end
	call $restore16
	local.get $e i32.const -1 i32.eq if i32.const @PIPE return end
	local.get $e`)

	// read_stream reads at most n bytes into p; the count goes to $res
	// (0 at end of stream).
	l.add("read_stream", "", "h:i32 p:i32 n:i32 -> i32", "e:i32", `
	i32.const 0 global.set $res
	i32.const 0 i32.const 0 local.get $p local.get $p local.get $n i32.add i32.const 0 i32.const 0 call $arenas
	call $save16
	local.get $h local.get $n i64.extend_i32_u i32.const 0
	call $streams#[method]input-stream.blocking-read
	i32.const 0 i32.load8_u
	if call $stream_failed local.set $e
	else i32.const 8 i32.load global.set $res end
	call $restore16
	local.get $e i32.const -1 i32.eq if i32.const 0 return end
	local.get $e`)

	// wraps reports whether the array of n elements of size bytes at p
	// runs past 4 GiB (its addresses would wrap around instead of
	// trapping).
	l.add("wraps", "", "p:i32 n:i32 size:i32 -> i32", "", `
	local.get $p i64.extend_i32_u
	local.get $n i64.extend_i32_u local.get $size i64.extend_i32_u i64.mul i64.add
	i64.const 0x100000000 i64.gt_u`)

	// outside reports whether [p, p+n) is not inside the memory: a buffer
	// the host would fill is checked first, so that a hostile length does
	// not make the host produce gigabytes only to trap.
	l.add("outside", "", "p:i32 n:i32 -> i32", "", `
	local.get $p i64.extend_i32_u local.get $n i64.extend_i32_u i64.add
	memory.size i64.extend_i32_u i64.const 16 i64.shl i64.gt_u`)

	l.export("fd_write", "fd:i32 iovs:i32 n:i32 nw:i32 -> i32", "kind:i32 h:i32 i:i32 p:i32 len:i32 chunk:i32 total:i32 e:i32", `
	local.get $iovs local.get $n i32.const 8 call $wraps if i32.const @FAULT return end
	local.get $fd call $get_kind local.tee $kind i32.const 4 i32.eq
	if
	  local.get $fd local.get $iovs local.get $n local.get $nw i64.const -1 call $file_write return
	end
	local.get $kind i32.const 2 i32.lt_u if i32.const @BADF return end
	local.get $fd call $stdio_stream local.set $h
	block $done
	loop $iov
	  local.get $i local.get $n i32.ge_u br_if $done
	  local.get $iovs local.get $i i32.const 3 i32.shl i32.add local.tee $p i32.load 4 local.set $len
	  local.get $p i32.load local.set $p
	  block $iovdone
	  loop $chunk
	    local.get $len i32.eqz br_if $iovdone
	    local.get $len i32.const 4096 local.get $len i32.const 4096 i32.lt_u select local.set $chunk
	    local.get $h local.get $p local.get $chunk call $write_stream local.tee $e
	    if
	      local.get $total i32.eqz if local.get $e return end
	      br $done
	    end
	    local.get $total local.get $chunk i32.add local.set $total
	    local.get $p local.get $chunk i32.add local.set $p
	    local.get $len local.get $chunk i32.sub local.set $len
	    br $chunk
	  end
	  end
	  local.get $i i32.const 1 i32.add local.set $i
	  br $iov
	end
	end
	local.get $nw local.get $total i32.store
	i32.const @SUCCESS`)

	// first_iov finds the first non-empty iovec: pointer in $res, length
	// returned (0 if all are empty).
	l.add("first_iov", "", "iovs:i32 n:i32 -> i32", "i:i32 p:i32", `
	block $none
	loop $next
	  local.get $i local.get $n i32.ge_u br_if $none
	  local.get $iovs local.get $i i32.const 3 i32.shl i32.add local.tee $p i32.load
	  global.set $res
	  local.get $p i32.load 4 local.tee $p if local.get $p return end
	  local.get $i i32.const 1 i32.add local.set $i
	  br $next
	end
	end
	i32.const 0`)

	l.export("fd_read", "fd:i32 iovs:i32 n:i32 nr:i32 -> i32", "kind:i32 p:i32 len:i32 e:i32", `
	local.get $iovs local.get $n i32.const 8 call $wraps if i32.const @FAULT return end
	local.get $fd call $get_kind local.tee $kind i32.const 4 i32.eq
	if
	  local.get $fd local.get $iovs local.get $n local.get $nr i64.const -1 call $file_read return
	end
	local.get $kind i32.const 1 i32.ne if i32.const @BADF return end
	local.get $iovs local.get $n call $first_iov local.tee $len
	i32.eqz if local.get $nr i32.const 0 i32.store i32.const @SUCCESS return end
	global.get $res local.tee $p i32.const 16 i32.lt_u if i32.const @FAULT return end
	local.get $p local.get $len call $outside if i32.const @FAULT return end
	local.get $fd call $stdio_stream local.get $p local.get $len call $read_stream local.tee $e
	if local.get $e return end
	local.get $nr global.get $res i32.store
	i32.const @SUCCESS`)
}
