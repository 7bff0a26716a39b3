package rustgen

// supportSource is the body of the witgo_rt module every bindings file
// carries: the allocator export, memory access and ownership helpers. It
// holds no ABI facts; the generated code passes sizes and offsets in.
const supportSource = `//! Support code for the generated bindings (no crates needed).

/// The Canonical ABI's realloc, which the host calls to place strings and
/// lists in this module's memory. Allocations of size 0 get a dangling,
/// aligned pointer and are never freed.
#[no_mangle]
pub unsafe extern "C" fn cabi_realloc(old_ptr: *mut u8, old_len: usize, align: usize, new_len: usize) -> *mut u8 {
    if new_len == 0 {
        if old_len != 0 {
            ::std::alloc::dealloc(old_ptr, ::std::alloc::Layout::from_size_align_unchecked(old_len, align));
        }
        return align as *mut u8;
    }
    let layout = ::std::alloc::Layout::from_size_align_unchecked(new_len, align);
    let p = if old_len == 0 {
        ::std::alloc::alloc(layout)
    } else {
        ::std::alloc::realloc(old_ptr, ::std::alloc::Layout::from_size_align_unchecked(old_len, align), new_len)
    };
    if p.is_null() {
        ::std::alloc::handle_alloc_error(layout);
    }
    p
}

/// Allocates size bytes as cabi_realloc does.
pub unsafe fn alloc(size: usize, align: usize) -> *mut u8 {
    cabi_realloc(::core::ptr::null_mut(), 0, align, size)
}

/// Frees what alloc (or the host, through cabi_realloc) allocated.
pub unsafe fn dealloc(ptr: *mut u8, size: usize, align: usize) {
    if size != 0 {
        ::std::alloc::dealloc(ptr, ::std::alloc::Layout::from_size_align_unchecked(size, align));
    }
}

/// A fresh allocation holding a copy of size bytes at src.
pub unsafe fn copy_out(src: *const u8, size: usize, align: usize) -> *mut u8 {
    let p = alloc(size, align);
    ::core::ptr::copy_nonoverlapping(src, p, size);
    p
}

pub unsafe fn ld8(base: *const u8, off: usize) -> u64 {
    *base.add(off) as u64
}

pub unsafe fn ld16(base: *const u8, off: usize) -> u64 {
    ::core::ptr::read_unaligned(base.add(off) as *const u16) as u64
}

pub unsafe fn ld32(base: *const u8, off: usize) -> u64 {
    ::core::ptr::read_unaligned(base.add(off) as *const u32) as u64
}

pub unsafe fn ld64(base: *const u8, off: usize) -> u64 {
    ::core::ptr::read_unaligned(base.add(off) as *const u64)
}

pub unsafe fn st8(base: *mut u8, off: usize, v: u64) {
    *base.add(off) = v as u8;
}

pub unsafe fn st16(base: *mut u8, off: usize, v: u64) {
    ::core::ptr::write_unaligned(base.add(off) as *mut u16, v as u16);
}

pub unsafe fn st32(base: *mut u8, off: usize, v: u64) {
    ::core::ptr::write_unaligned(base.add(off) as *mut u32, v as u32);
}

pub unsafe fn st64(base: *mut u8, off: usize, v: u64) {
    ::core::ptr::write_unaligned(base.add(off) as *mut u64, v);
}

/// Takes ownership of a string the other side allocated with cabi_realloc.
pub unsafe fn string_in(ptr: u64, len: u64) -> String {
    let len = len as usize;
    if len == 0 {
        return String::new();
    }
    let bytes = Vec::from_raw_parts(ptr as usize as *mut u8, len, len);
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(_) => invalid("a string that is not UTF-8"),
    }
}

/// Takes ownership of a list of plain numbers allocated with cabi_realloc
/// (its layout is exactly Vec<T>'s).
pub unsafe fn vec_in<T>(ptr: u64, len: u64) -> Vec<T> {
    let len = len as usize;
    if len == 0 {
        return Vec::new();
    }
    Vec::from_raw_parts(ptr as usize as *mut T, len, len)
}

pub fn to_char(x: u64) -> char {
    match char::from_u32(x as u32) {
        Some(c) => c,
        None => invalid("a char that is not a Unicode scalar value"),
    }
}

#[cold]
pub fn invalid(what: &str) -> ! {
    panic!("witgo bindings: invalid value lifted: {}", what)
}

/// Allocations made to lower the arguments of an import call, freed when
/// the call is over.
pub struct Cleanup {
    allocs: Vec<(*mut u8, usize, usize)>,
}

impl Cleanup {
    pub fn new() -> Cleanup {
        Cleanup { allocs: Vec::new() }
    }

    pub unsafe fn alloc(&mut self, size: usize, align: usize) -> *mut u8 {
        let p = alloc(size, align);
        self.allocs.push((p, size, align));
        p
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        for &(p, size, align) in &self.allocs {
            unsafe { dealloc(p, size, align) }
        }
    }
}
`
