//! A Rust cdylib (Debian rustc, wasm32-unknown-unknown) for
//! guest/guest.wit with its Canonical ABI glue written by hand: witgo's
//! component tests turn it into a component and run it under jco.
use std::alloc::{alloc, dealloc, realloc, Layout};
use std::slice;

#[repr(C)]
pub struct Str {
    pub ptr: *mut u8,
    len: usize,
}

/// record entry { key: string, value: u32 }: 12 bytes, align 4.
#[repr(C)]
pub struct Entry {
    key: Str,
    value: u32,
}

#[repr(C)]
pub struct Entries {
    ptr: *mut Entry,
    len: usize,
}

#[link(wasm_import_module = "test:guest/host@0.1.0")]
extern "C" {
    #[link_name = "log"]
    fn host_log(ptr: *const u8, len: usize);
    #[link_name = "fetch"]
    fn host_fetch(ptr: *const u8, len: usize, ret: *mut Entries);
}

#[export_name = "cabi_realloc"]
pub unsafe extern "C" fn cabi_realloc(old: *mut u8, old_size: usize, align: usize, new_size: usize) -> *mut u8 {
    if new_size == 0 {
        return align as *mut u8;
    }
    if old_size == 0 {
        return alloc(Layout::from_size_align(new_size, align).unwrap());
    }
    realloc(old, Layout::from_size_align(old_size, align).unwrap(), new_size)
}

unsafe fn free_bytes(ptr: *mut u8, len: usize, align: usize) {
    if len > 0 {
        dealloc(ptr, Layout::from_size_align(len, align).unwrap());
    }
}

unsafe fn free_entries(ptr: *mut Entry, len: usize) {
    for e in slice::from_raw_parts(ptr, len) {
        free_bytes(e.key.ptr, e.key.len, 1);
    }
    free_bytes(ptr as *mut u8, len * 12, 4);
}

/// run: func(prefix: string) -> u32
#[export_name = "run"]
pub unsafe extern "C" fn run(prefix: *mut u8, len: usize) -> u32 {
    let mut got = Entries { ptr: std::ptr::null_mut(), len: 0 };
    host_fetch(prefix, len, &mut got);
    let mut sum = 0;
    for e in slice::from_raw_parts(got.ptr, got.len) {
        host_log(e.key.ptr, e.key.len);
        sum += e.value;
    }
    free_entries(got.ptr, got.len);
    free_bytes(prefix, len, 1);
    sum
}

static mut RET_STR: Str = Str { ptr: 0 as *mut u8, len: 0 };

/// summarize: func(items: list<entry>) -> string, as "key=value,key=value".
#[export_name = "test:guest/api@0.1.0#summarize"]
pub unsafe extern "C" fn summarize(items: *mut Entry, n: usize) -> *const Str {
    let mut out = String::new();
    for (i, e) in slice::from_raw_parts(items, n).iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(std::str::from_utf8(slice::from_raw_parts(e.key.ptr, e.key.len)).unwrap());
        out.push_str(&format!("={}", e.value));
    }
    free_entries(items, n);
    let mut bytes = out.into_bytes().into_boxed_slice();
    RET_STR = Str { ptr: bytes.as_mut_ptr(), len: bytes.len() };
    std::mem::forget(bytes);
    &RET_STR
}

#[export_name = "cabi_post_test:guest/api@0.1.0#summarize"]
pub unsafe extern "C" fn summarize_post(ret: *const Str) {
    free_bytes((*ret).ptr, (*ret).len, 1);
}

static mut RET_ENTRY: Entry = Entry { key: Str { ptr: 0 as *mut u8, len: 0 }, value: 0 };

/// scale: func(e: entry, factor: u32) -> entry: the key is kept, value * factor.
#[export_name = "test:guest/api@0.1.0#scale"]
pub unsafe extern "C" fn scale(key: *mut u8, key_len: usize, value: u32, factor: u32) -> *const Entry {
    RET_ENTRY = Entry { key: Str { ptr: key, len: key_len }, value: value * factor };
    &RET_ENTRY
}

#[export_name = "cabi_post_test:guest/api@0.1.0#scale"]
pub unsafe extern "C" fn scale_post(ret: *const Entry) {
    free_bytes((*ret).key.ptr, (*ret).key.len, 1);
}
