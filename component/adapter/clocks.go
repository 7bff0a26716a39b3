package adapter

// Clocks, randomness, polling, exit.
func addClocks(l *fnList) {
	// wall_ns reads a datetime the host left at 0 as nanoseconds.
	l.add("datetime_ns", "", "-> i64", "", `
	i32.const 0 i64.load i64.const 1000000000 i64.mul
	i32.const 0 i64.load32_u 8 i64.add`)
	l.add("wall_now", "", "-> i64", "t:i64", `
	call $save16
	i32.const 0 call $wall-clock#now
	call $datetime_ns local.set $t
	call $restore16
	local.get $t`)
	l.export("clock_time_get", "id:i32 precision:i64 out:i32 -> i32", "", `
	local.get $id i32.const 1 i32.eq
	if local.get $out call $monotonic-clock#now i64.store i32.const @SUCCESS return end
	local.get $id i32.eqz
	if local.get $out call $wall_now i64.store i32.const @SUCCESS return end
	i32.const @INVAL`)
	l.export("clock_res_get", "id:i32 out:i32 -> i32", "t:i64", `
	local.get $id i32.const 1 i32.eq
	if local.get $out call $monotonic-clock#resolution i64.store i32.const @SUCCESS return end
	local.get $id i32.eqz
	if
	  call $save16
	  i32.const 0 call $wall-clock#resolution
	  call $datetime_ns local.set $t
	  call $restore16
	  local.get $out local.get $t i64.store
	  i32.const @SUCCESS return
	end
	i32.const @INVAL`)

	l.export("random_get", "buf:i32 len:i32 -> i32", "n:i32", `
	local.get $len i32.eqz if i32.const @SUCCESS return end
	local.get $buf i32.const 16 i32.lt_u if i32.const @FAULT return end
	local.get $buf local.get $len call $outside if i32.const @FAULT return end
	i32.const 0 i32.const 0 local.get $buf local.get $buf local.get $len i32.add i32.const 0 i32.const 0 call $arenas
	call $save16
	local.get $len i64.extend_i32_u i32.const 0 call $random#get-random-bytes
	i32.const 4 i32.load local.set $n
	call $restore16
	local.get $n local.get $len i32.ne if i32.const @IO return end
	i32.const @SUCCESS`)

	l.export("sched_yield", "-> i32", "", `i32.const @SUCCESS`)
	l.export("proc_exit", "code:i32", "", `
	local.get $code i32.const 0 i32.ne call $exit#exit
	unreachable`)

	// sub_stream returns the stream a descriptor subscription waits on
	// (stdin for fd_read, stdout/stderr for fd_write), or 0 when the
	// subscription is answered at once (files are always ready; a bad
	// descriptor or an unknown tag is an event with an error).
	l.add("sub_stream", "", "s:i32 -> i32", "tag:i32 fd:i32 kind:i32", `
	local.get $s i32.load8_u 8 local.set $tag
	local.get $s i32.load 16 local.tee $fd call $kind_of local.set $kind
	local.get $tag i32.const 1 i32.eq local.get $kind i32.const 1 i32.eq i32.and
	local.get $tag i32.const 2 i32.eq local.get $kind i32.const 2 i32.eq local.get $kind i32.const 3 i32.eq i32.or i32.and
	i32.or
	if local.get $fd call $stdio_stream return end
	i32.const 0`)

	// poll_oneoff: clock subscriptions become monotonic-clock pollables
	// (absolute times made relative), stdio subscriptions the streams'
	// pollables; their handles are kept in the caller's event buffer at
	// out+28n and the poll result at out+24n (event k never reaches a
	// handle not yet read, see the package doc). Other descriptor
	// subscriptions are answered at once, and then nothing blocks.
	l.export("poll_oneoff", "in:i32 out:i32 n:i32 nev:i32 -> i32",
		"i:i32 s:i32 tag:i32 hs:i32 np:i32 nimm:i32 ev:i32 h:i32 t:i64 now:i64 id:i32 ready:i32 err:i32 hasp:i32", `
	local.get $n i32.eqz if i32.const @INVAL return end
	local.get $out i32.const 16 i32.lt_u if i32.const @FAULT return end
	local.get $in local.get $n i32.const 48 call $wraps if i32.const @FAULT return end
	local.get $out local.get $n i32.const 32 call $wraps if i32.const @FAULT return end
	i32.const 0 call $kind_of drop ;; take the preopens now, not between subscriptions
	local.get $out local.get $n i32.const 28 i32.mul i32.add local.set $hs
	block $scanned
	loop $scan
	  local.get $i local.get $n i32.ge_u br_if $scanned
	  local.get $in local.get $i i32.const 48 i32.mul i32.add local.tee $s i32.load8_u 8 local.tee $tag
	  if
	    local.get $s call $sub_stream local.tee $h
	    if
	      local.get $hs local.get $np i32.const 2 i32.shl i32.add
	      local.get $tag i32.const 1 i32.eq
	      if local.get $h call $streams#[method]input-stream.subscribe local.set $h
	      else local.get $h call $streams#[method]output-stream.subscribe local.set $h end
	      local.get $h i32.store
	      local.get $np i32.const 1 i32.add local.set $np
	    else
	      local.get $nimm i32.const 1 i32.add local.set $nimm
	    end
	  else
	    local.get $s i64.load 24 local.set $t
	    local.get $s i32.load 16 local.tee $id i32.const 1 i32.gt_u
	    if
	      ;; drop what was subscribed so far
	      block $d loop $dl
	        local.get $np i32.eqz br_if $d
	        local.get $np i32.const 1 i32.sub local.tee $np i32.const 2 i32.shl local.get $hs i32.add i32.load
	        call $poll#[resource-drop]pollable
	        br $dl
	      end end
	      i32.const @INVAL return
	    end
	    local.get $s i32.load16_u 40 i32.const 1 i32.and
	    if
	      local.get $id if call $monotonic-clock#now local.set $now else call $wall_now local.set $now end
	      local.get $t local.get $now i64.sub i64.const 0 local.get $t local.get $now i64.gt_u select local.set $t
	    end
	    local.get $hs local.get $np i32.const 2 i32.shl i32.add
	    local.get $t call $monotonic-clock#subscribe-duration i32.store
	    local.get $np i32.const 1 i32.add local.set $np
	  end
	  local.get $i i32.const 1 i32.add local.set $i
	  br $scan
	end
	end
	local.get $nimm i32.eqz
	if
	  local.get $out local.get $n i32.const 24 i32.mul i32.add local.get $hs i32.const 0 i32.const 0 i32.const 0 i32.const 0 call $arenas
	  call $save16
	  local.get $hs local.get $np i32.const 0 call $poll#poll
	  call $restore16
	end
	i32.const 0 local.set $i
	i32.const 0 local.set $np
	block $done
	loop $report
	  local.get $i local.get $n i32.ge_u br_if $done
	  i32.const 0 local.set $err
	  local.get $in local.get $i i32.const 48 i32.mul i32.add local.tee $s i32.load8_u 8 local.tee $tag
	  i32.eqz local.set $hasp
	  local.get $tag if local.get $s call $sub_stream i32.const 0 i32.ne local.set $hasp end
	  local.get $hasp
	  if
	    local.get $hs local.get $np i32.const 2 i32.shl i32.add i32.load local.tee $h
	    call $poll#[method]pollable.ready local.set $ready
	    local.get $h call $poll#[resource-drop]pollable
	    local.get $np i32.const 1 i32.add local.set $np
	  else
	    i32.const 1 local.set $ready
	    local.get $s i32.load 16 call $kind_of i32.eqz if i32.const @BADF local.set $err end
	    local.get $tag i32.const 2 i32.gt_u if i32.const @INVAL local.set $err end
	  end
	  local.get $ready
	  if
	    local.get $out local.get $ev i32.const 5 i32.shl i32.add local.tee $h i32.const 0 i32.const 32 memory.fill
	    local.get $h local.get $s i64.load i64.store
	    local.get $h local.get $err i32.store16 8
	    local.get $h local.get $tag i32.store8 10
	    local.get $ev i32.const 1 i32.add local.set $ev
	  end
	  local.get $i i32.const 1 i32.add local.set $i
	  br $report
	end
	end
	local.get $nev local.get $ev i32.store
	i32.const @SUCCESS`)
}
