// Package adapter builds witgo's own WASI preview1 adapter: a core module
// that exports the `wasi_snapshot_preview1` functions a core module built
// by Go (GOOS=wasip1), clang/wasi-libc (wasm32-wasi) or Rust std
// (wasm32-wasi) imports, implemented on WASI 0.2.0 imports. `witgo
// component new` instantiates it beside the main module and wires the main
// module's preview1 imports to it.
//
// # Contract
//
// Module returns the core module. It
//
//   - imports the main module's memory as ("env", "memory") and defines no
//     memory of its own;
//   - imports the WASI 0.2.0 functions of World, canon-lowered under the
//     legacy core names: module = interface with version
//     (`wasi:cli/stdout@0.2.0`), field = function name (`get-stdout`,
//     `[method]output-stream.blocking-write-and-flush`,
//     `[resource-drop]output-stream`, ...), core signatures as canonabi
//     derives them for Lower. Lower each with canon options memory = the
//     main module's memory, realloc = the adapter's own export
//     `cabi_import_realloc` (old_ptr, old_size, align, new_size) -> ptr,
//     string-encoding = utf8;
//   - exports the 46 preview1 functions with their standard names and
//     signatures (every one Go 1.26's standard library declares, all 45
//     wasi-libc may import, and what Rust's std uses), and
//     `cabi_import_realloc`;
//   - needs nothing else from the main module: no cabi_realloc, no
//     memory.grow (it never executes one), no calls into it. It has no
//     start function and needs no initialization, so it may be called
//     while the main module's `_initialize` or `_start` runs.
//
// World parses imports.wit (embedded; written for this package): the
// WASI 0.2.0 interfaces the adapter uses, each cut down to the items it
// imports, under their exact names and types. The component-type section
// of the component is encoded from it.
//
// # Where state lives
//
// All state that outlives a call is in globals of the adapter, never in
// linear memory: a table of 32 descriptor slots (kind, handle, position,
// fdflags, filetype, open directory stream and its cookie, preopen name
// length and index; accessors are br_table switches), the stdio stream
// handles (fetched on first use), the realloc arenas and the preopens-done
// flag. Arguments, environment and preopen names are never cached: each
// call asks the host again. Preopens are taken once, into descriptors 3
// and up, before the first call that can name a descriptor other than 0-2.
//
// # Scratch memory: borrowed, never owned
//
// Host calls need memory for return areas, and for lists the host
// allocates through cabi_import_realloc. The adapter borrows it from the
// main module's memory for the duration of one host call and gives it back
// unchanged:
//
//   - small: bytes [0, 16) or [0, 128) are copied into globals, used as the
//     return area, then copied back (fd_write, fd_read, clocks, stat, ...);
//   - big: bytes [0, 12288) are saved 128 bytes per frame in the locals of a
//     recursive function (on the engine's stack, not in linear memory); at
//     the bottom the operation runs, and each frame restores its part on
//     the way back (args, environ, preopens, readdir, readlink). Arrays go to
//     [64, 4096), strings to [4096, 12288), or straight into the caller's
//     buffers.
//
// This is safe for every module, whatever its layout, because nothing of
// the main module runs while the region is borrowed: preview1 modules are
// single-threaded, and during a host call the host runs only the adapter's
// own cabi_import_realloc. The host reads its inputs (iovec data, paths)
// before it writes results, so inputs that overlap the region are read
// intact. Results go to the caller's pointers after the region is
// restored. The exceptions are buffers the host fills directly (fd_read,
// random_get, args_get/environ_get, fd_prestat_dir_name, fd_readdir,
// path_readlink, poll_oneoff's events): one that overlaps the borrowed region would be
// overwritten by the restore, so the adapter answers EFAULT instead.
// No toolchain puts such buffers there (see below).
//
// For Go modules the region is not even touched in a way that matters:
// Go's linker starts data at wasmMinDataAddr = 4096 + 8192
// (cmd/link/internal/ld/data.go: a 4096-byte zero page, then 8192 bytes
// wasm_exec.js uses for argv/env on js/wasm), and on wasip1 nothing writes
// below 12288: the runtime gets arguments through args_get into heap
// buffers, its stacks and heap are above its data, and Go code checks nil
// pointers explicitly rather than touching page zero. Tests prove both
// halves on a real program: no data segment starts below 12288, and a
// canary over [0, 12288) survives a whole run of the big-Go program (64 MiB
// allocated, GC, sleeps, files) through the adapter. wasm-ld modules keep
// data and stack there (clang 14: data from 1024, stack above it; Rust:
// `--stack-first`, stack in [0, 1 MiB)), which the save/restore protects;
// their malloc'd buffers are far above 12288.
//
// The realloc arenas make host allocations land where the adapter wants
// them (hosts must allocate in the canonical ABI's order, a list's array
// before its elements; skipping realloc for empty strings, as some do, is
// tolerated): the caller's iovec buffer for fd_read, the caller's argv_buf for
// args_get. cabi_import_realloc never resizes, and traps when an arena is
// exhausted (only possible with arguments/environment larger than the
// limits below, or a host that allocates more than it returns).
//
// # Behaviour and limits
//
//   - stdio: fd_write to 1 and 2 uses blocking-write-and-flush in chunks of
//     4096 bytes; fd_read from 0 uses blocking-read (end of stream reads 0
//     bytes). Stream errors: last-operation-failed drops the error and is
//     EIO; a closed output stream is EPIPE.
//   - files: descriptor.read/write at the slot's position (fd_pread/pwrite at
//     theirs), append honoured through stat; fd_seek/fd_tell, fd_filestat_get
//     and path_filestat_get (the inode is metadata-hash's lower half, as
//     wasmtime's adapter reports it; 0 if the host has none; device 0),
//     fd_filestat_set_size, fd_sync, fd_datasync, fd_fdstat_get (all rights
//     reported; the host's descriptor flags decide), fd_fdstat_set_flags
//     (append kept, nonblock accepted and ignored: streams block),
//     fd_readdir (cookie = entry index; no "." and ".." entries; truncated
//     entries per preview1), path_open (rights -> read/write flags, never
//     mutate-directory; fdflags sync bits -> descriptor flags),
//     path_filestat_get, path_create_directory, path_remove_directory,
//     path_unlink_file, path_rename, path_link, path_symlink, path_readlink
//     (truncated to the buffer), fd_filestat_set_times and
//     path_filestat_set_times (fstflags -> new-timestamp; both a time and
//     "now" is EINVAL), fd_renumber (moves the slot, closing the target).
//     filesystem error-codes map to the
//     errno of the same meaning (invalid-seek -> ESPIPE, unsupported ->
//     ENOTSUP, ...), unknown ones to EIO.
//   - clocks: realtime (wall-clock) and monotonic; the CPU-time clocks are
//     EINVAL. poll_oneoff: clock subscriptions become
//     monotonic-clock.subscribe-duration pollables (absolute times made
//     relative), fd_read on stdin and fd_write on stdout/stderr the
//     streams' subscribe pollables, all passed to one wasi:io/poll.poll;
//     the pollable handles are kept in the caller's event buffer at
//     out+28n and the poll result at out+24n (writing event k, k <= i,
//     never reaches a handle j > i still to be read, since
//     32k+32 <= 28n+4j for j < n). Other descriptor subscriptions (files:
//     always ready; a bad descriptor: an event with EBADF) are answered at
//     once, and then nothing blocks.
//   - proc_exit: wasi:cli/exit with ok for 0, err otherwise (WASI 0.2.0's
//     exit cannot carry the code). sched_yield succeeds.
//   - ENOSYS: sockets (sock_accept, sock_recv, sock_send, sock_shutdown),
//     fd_fdstat_set_rights, fd_allocate, proc_raise. fd_advise is accepted
//     (EBADF for anything but a file or directory, EINVAL for an unknown
//     advice) and ignored.
//   - Limits: 32 descriptors (EMFILE beyond); per sizes query the host's
//     array must fit 4032 bytes (504 arguments, 252 environment variables)
//     and each string 8191 bytes; directory entry names up to 8168 bytes;
//     the memory must be at least 12288 bytes. Threads are not supported.
//
// Functions are written in a small text form of wasm instructions
// (asm.go) and assembled with package wasm's Builder; the module carries a
// name section so that traps name the adapter function.
package adapter
