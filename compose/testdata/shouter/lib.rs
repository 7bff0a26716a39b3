// The Rust plug of witgo's compose tests (rustc --target
// wasm32-unknown-unknown --crate-type cdylib), world `shouter` of
// ../greeter/wit/greeter.wit: it imports demo:app/words (from the Go plug)
// and exports it again, with greetings in upper case. Composed between
// the C socket and the Go plug, a call crosses three languages. The
// Canonical ABI glue is written by hand.
use std::alloc::{alloc, dealloc, realloc, Layout};

#[no_mangle]
pub unsafe extern "C" fn cabi_realloc(old: *mut u8, old_size: usize, align: usize, new_size: usize) -> *mut u8 {
    if new_size == 0 {
        return align as *mut u8;
    }
    if old_size == 0 {
        return alloc(Layout::from_size_align_unchecked(new_size, align));
    }
    realloc(old, Layout::from_size_align_unchecked(old_size, align), new_size)
}

// release frees bytes cabi_realloc allocated with alignment 1.
unsafe fn release(p: *mut u8, len: usize) {
    if len > 0 {
        dealloc(p, Layout::from_size_align_unchecked(len, 1));
    }
}

// record summary { count: u32, longest: option<string> }: 16 bytes.
#[repr(C)]
pub struct Summary {
    count: u32,
    some: u8,
    ptr: *mut u8,
    len: usize,
}

#[link(wasm_import_module = "demo:app/words@0.1.0")]
extern "C" {
    #[link_name = "greet"]
    fn import_greet(ptr: *const u8, len: usize, ret: *mut [usize; 2]);
    #[link_name = "summarize"]
    fn import_summarize(ptr: *const u8, len: usize, ret: *mut Summary);
}

static mut GREETING: [usize; 2] = [0; 2];
static mut SUMMARY: Summary = Summary { count: 0, some: 0, ptr: 0 as *mut u8, len: 0 };

#[export_name = "demo:app/words@0.1.0#greet"]
pub unsafe extern "C" fn greet(ptr: *mut u8, len: usize) -> *mut [usize; 2] {
    let mut got = [0usize; 2];
    import_greet(ptr, len, &mut got);
    release(ptr, len);
    let loud = std::slice::from_raw_parts(got[0] as *const u8, got[1]).to_ascii_uppercase();
    release(got[0] as *mut u8, got[1]);
    let n = loud.len();
    let out = cabi_realloc(0 as *mut u8, 0, 1, n);
    std::ptr::copy_nonoverlapping(loud.as_ptr(), out, n);
    GREETING = [out as usize, n];
    &mut GREETING
}

#[export_name = "cabi_post_demo:app/words@0.1.0#greet"]
pub unsafe extern "C" fn greet_post(ret: *mut [usize; 2]) {
    release((*ret)[0] as *mut u8, (*ret)[1]);
}

// summarize passes the Go plug's summary on as it is.
#[export_name = "demo:app/words@0.1.0#summarize"]
pub unsafe extern "C" fn summarize(ptr: *mut u8, len: usize) -> *mut Summary {
    import_summarize(ptr, len, &mut SUMMARY);
    release(ptr, len);
    &mut SUMMARY
}

#[export_name = "cabi_post_demo:app/words@0.1.0#summarize"]
pub unsafe extern "C" fn summarize_post(ret: *mut Summary) {
    if (*ret).some != 0 {
        release((*ret).ptr, (*ret).len);
    }
}
