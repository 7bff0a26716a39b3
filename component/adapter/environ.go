package adapter

// Arguments, environment and preopens: the host returns lists of
// strings, which need room before the caller has given any (the *_sizes_get
// calls). They run inside the big borrowed region: the array goes to
// [LIST, BYTES), the strings to [BYTES, BIG), or straight into the
// caller's buffer for args_get/environ_get.
func addEnviron(l *fnList) {
	// Sizes: count mode (every string lands at BYTES, only the array is
	// kept), then sum the lengths from the array.
	for _, v := range []struct {
		op, call string
		stride   int
	}{
		{"args_sizes", "environment#get-arguments", 8},
		{"env_sizes", "environment#get-environment", 16},
	} {
		l.add("op_"+v.op, "", "", "p:i32 n:i32 i:i32 total:i32", `
		i32.const @LIST i32.const @BYTES i32.const @BYTES i32.const @BIG i32.const 0 i32.const 1 call $arenas
		i32.const 0 call $`+v.call+`
		i32.const 0 i32.load local.set $p
		i32.const 4 i32.load local.set $n
		block $done
		loop $next
		  local.get $i local.get $n i32.ge_u br_if $done
		  local.get $total local.get $p i32.load 4 i32.add i32.const 1 i32.add local.set $total
		  `+map[bool]string{true: "local.get $total local.get $p i32.load 12 i32.add i32.const 1 i32.add local.set $total", false: ""}[v.stride == 16]+`
		  local.get $p i32.const `+itoa(v.stride)+` i32.add local.set $p
		  local.get $i i32.const 1 i32.add local.set $i
		  br $next
		end
		end
		local.get $n global.set $a1
		local.get $total global.set $a2
		i32.const 0 global.set $a0`)
	}
	for _, v := range [][2]string{{"args_sizes_get", "args_sizes"}, {"environ_sizes_get", "env_sizes"}} {
		l.export(v[0], "count:i32 size:i32 -> i32", "e:i32", `
		i32.const @OP_`+v[1]+` call $big local.tee $e if local.get $e return end
		local.get $count global.get $a1 i32.store
		local.get $size global.get $a2 i32.store
		i32.const @SUCCESS`)
	}

	// put_string moves a string the host wrote at s to cur (memmove) and
	// returns cur + len.
	l.add("put_string", "", "cur:i32 s:i32 len:i32 -> i32", "", `
	local.get $s local.get $cur i32.ne
	if local.get $cur local.get $s local.get $len memory.copy end
	local.get $cur local.get $len i32.add`)

	// Fill mode: the host writes the strings into the caller's buffer
	// back to back, a gap byte after each. A host that skips realloc for
	// empty strings leaves later strings short of their final place, so
	// the strings are placed from the last one backwards: string i ends
	// up at its final offset, never below where the host put it, and
	// never over a string not yet moved. Key and value are joined by '='.
	for _, v := range []struct {
		op, call string
		parts    int
	}{{"args_get", "environment#get-arguments", 1}, {"env_get", "environment#get-environment", 2}} {
		stride := itoa(8 * v.parts)
		sep := "i32.const 0"
		if v.parts == 2 {
			sep = "i32.const 0 i32.const 61 local.get $j i32.const 1 i32.eq select"
		}
		l.add("op_"+v.op, "", "", "arr:i32 n:i32 i:i32 j:i32 e:i32 end:i32 len:i32", `
		i32.const @LIST i32.const @BYTES global.get $a2 i32.const -1 i32.const 1 i32.const 0 call $arenas
		i32.const 0 call $`+v.call+`
		i32.const 0 i32.load local.set $arr
		i32.const 4 i32.load local.set $n
		global.get $a2 local.set $end
		block $summed
		loop $sum
		  local.get $i local.get $n i32.const `+itoa(v.parts)+` i32.mul i32.ge_u br_if $summed
		  local.get $end local.get $arr local.get $i i32.const 3 i32.shl i32.add i32.load 4 i32.add i32.const 1 i32.add local.set $end
		  local.get $i i32.const 1 i32.add local.set $i
		  br $sum
		end
		end
		block $done
		loop $entry
		  local.get $n i32.eqz br_if $done
		  local.get $n i32.const 1 i32.sub local.set $n
		  i32.const `+itoa(v.parts)+` local.set $j
		  block $parts
		  loop $part
		    local.get $j i32.eqz br_if $parts
		    local.get $j i32.const 1 i32.sub local.set $j
		    local.get $arr local.get $n i32.const `+stride+` i32.mul i32.add local.get $j i32.const 3 i32.shl i32.add local.set $e
		    local.get $end local.get $e i32.load 4 local.tee $len i32.sub i32.const 1 i32.sub local.tee $end
		    local.get $e i32.load local.get $len call $put_string
		    `+sep+` i32.store8
		    br $part
		  end
		  end
		  global.get $a1 local.get $n i32.const 2 i32.shl i32.add local.get $end i32.store
		  br $entry
		end
		end
		i32.const 0 global.set $a0`)
	}
	for _, v := range [][2]string{{"args_get", "args_get"}, {"environ_get", "env_get"}} {
		l.export(v[0], "ptrs:i32 buf:i32 -> i32", "", `
		local.get $ptrs i32.const @BIG i32.lt_u if i32.const @FAULT return end
		local.get $buf i32.const @BIG i32.lt_u if i32.const @FAULT return end
		local.get $ptrs global.set $a1
		local.get $buf global.set $a2
		i32.const @OP_`+v[1]+` call $big`)
	}

	// Preopens are taken once, into descriptors 3 and up, before the first
	// call that can name a descriptor other than 0-2.
	l.add("kind_of", "", "fd:i32 -> i32", "", `
	global.get $preopens_done i32.eqz
	if
	  i32.const 1 global.set $preopens_done
	  i32.const @OP_preopens call $big drop
	end
	local.get $fd call $get_kind`)
	l.add("op_preopens", "", "", "p:i32 n:i32 i:i32 fd:i32", `
	i32.const @LIST i32.const @BYTES i32.const @BYTES i32.const @BIG i32.const 0 i32.const 0 call $arenas
	i32.const 0 call $preopens#get-directories
	i32.const 0 i32.load local.set $p
	i32.const 4 i32.load local.set $n
	block $done
	loop $next
	  local.get $i local.get $n i32.ge_u br_if $done
	  call $alloc_fd local.tee $fd i32.const -1 i32.eq
	  if
	    local.get $p i32.load call $types#[resource-drop]descriptor
	  else
	    local.get $fd i32.const 4 call $set_kind
	    local.get $fd local.get $p i32.load call $set_h
	    local.get $fd i32.const 3 call $set_type
	    local.get $fd local.get $p i32.load 8 i32.const 1 i32.add call $set_nl
	    local.get $fd local.get $i i32.const 1 i32.add call $set_pre
	  end
	  local.get $p i32.const 12 i32.add local.set $p
	  local.get $i i32.const 1 i32.add local.set $i
	  br $next
	end
	end
	i32.const 0 global.set $a0`)
	l.export("fd_prestat_get", "fd:i32 buf:i32 -> i32", "nl:i32", `
	local.get $fd call $kind_of drop
	local.get $fd call $get_nl local.tee $nl i32.eqz if i32.const @BADF return end
	local.get $buf i32.const 0 i32.store8
	local.get $buf local.get $nl i32.const 1 i32.sub i32.store 4
	i32.const @SUCCESS`)
	l.export("fd_prestat_dir_name", "fd:i32 path:i32 len:i32 -> i32", "", `
	local.get $fd call $kind_of drop
	local.get $fd call $get_nl i32.eqz if i32.const @BADF return end
	local.get $len i32.eqz if i32.const @SUCCESS return end
	local.get $path i32.const @BIG i32.lt_u if i32.const @FAULT return end
	local.get $fd global.set $a1
	local.get $path global.set $a2
	local.get $len global.set $a3
	i32.const @OP_prestat_name call $big`)
	// The name is fetched again (preopens are not kept in memory); the
	// second set of descriptors is dropped.
	l.add("op_prestat_name", "", "", "p:i32 n:i32 i:i32 k:i32 len:i32", `
	i32.const @LIST i32.const @BYTES i32.const @BYTES i32.const @BIG i32.const 0 i32.const 0 call $arenas
	i32.const 0 call $preopens#get-directories
	i32.const 0 i32.load local.set $p
	i32.const 4 i32.load local.set $n
	global.get $a1 call $get_pre i32.const 1 i32.sub local.set $k
	block $done
	loop $next
	  local.get $i local.get $n i32.ge_u br_if $done
	  local.get $i local.get $k i32.eq
	  if
	    local.get $p i32.load 8 local.tee $len global.get $a3 local.get $len global.get $a3 i32.lt_u select local.set $len
	    global.get $a2 local.get $p i32.load 4 local.get $len memory.copy
	  end
	  local.get $p i32.load call $types#[resource-drop]descriptor
	  local.get $p i32.const 12 i32.add local.set $p
	  local.get $i i32.const 1 i32.add local.set $i
	  br $next
	end
	end
	i32.const 0 global.set $a0`)
}
