// The Rust guest of the runtime test: bindings.rs is generated from
// ../rt.wit by the test (witgo bindgen --lang rust) beside this file.
mod bindings;

use bindings::exports::test::rrt::api::{self, Bytes, Color, Counter, Item, Joined, Perms, Place, Shape, Tally, TallyBorrow, Wide};
use bindings::test::rrt::host;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// Counts live heap bytes, so the test can see that calls leak nothing.
struct Counting;

static LIVE: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as u64, Ordering::SeqCst);
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as u64, Ordering::SeqCst);
        System.dealloc(p, l)
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

struct Component;

static DROPPED: AtomicU32 = AtomicU32::new(0);

struct MyTally {
    count: std::cell::Cell<u32>,
}

impl Drop for MyTally {
    fn drop(&mut self) {
        DROPPED.fetch_add(1, Ordering::SeqCst);
    }
}

impl api::GuestTally for MyTally {
    fn new(start: u32) -> Self {
        MyTally { count: std::cell::Cell::new(start) }
    }
    fn add(&self, n: u32) -> u32 {
        self.count.set(self.count.get() + n);
        self.count.get()
    }
    fn total(a: TallyBorrow, b: TallyBorrow) -> u32 {
        a.get::<MyTally>().count.get() + b.get::<MyTally>().count.get()
    }
    fn copy(&self) -> Tally {
        Tally::new(MyTally { count: std::cell::Cell::new(self.count.get()) })
    }
}

impl bindings::Guest for Component {
    fn run(args: Vec<String>) -> Result<u32, String> {
        if args.is_empty() {
            return Err("no arguments".to_string());
        }
        for a in &args {
            bindings::log(a);
        }
        Ok(args.len() as u32)
    }
}

impl api::Guest for Component {
    type Tally = MyTally;

    fn echo_u8(x: u8) -> u8 { host::echo_u8(x) }
    fn echo_s8(x: i8) -> i8 { host::echo_s8(x) }
    fn echo_u16(x: u16) -> u16 { host::echo_u16(x) }
    fn echo_s16(x: i16) -> i16 { host::echo_s16(x) }
    fn echo_u32(x: u32) -> u32 { host::echo_u32(x) }
    fn echo_s32(x: i32) -> i32 { host::echo_s32(x) }
    fn echo_u64(x: u64) -> u64 { host::echo_u64(x) }
    fn echo_s64(x: i64) -> i64 { host::echo_s64(x) }
    fn echo_f32(x: f32) -> f32 { host::echo_f32(x) }
    fn echo_f64(x: f64) -> f64 { host::echo_f64(x) }
    fn echo_bool(x: bool) -> bool { host::echo_bool(x) }
    fn echo_char(x: char) -> char { host::echo_char(x) }
    fn echo_string(x: String) -> String { host::echo_string(&x) }
    fn echo_bytes(x: Bytes) -> Bytes { host::echo_bytes(&x) }
    fn echo_spot(x: Place) -> Place { host::echo_spot(x) }
    fn echo_strings(x: Vec<String>) -> Vec<String> { host::echo_strings(&x) }
    fn echo_items(x: Vec<Item>) -> Vec<Item> {
        let back = host::echo_items(&x);
        assert_eq!(back, x);
        back
    }
    fn echo_shape(x: Shape) -> Shape { host::echo_shape(&x) }
    fn echo_joined(x: Joined) -> Joined { host::echo_joined(&x) }
    fn echo_option(x: Option<Option<String>>) -> Option<Option<String>> { host::echo_option(&x) }
    fn echo_result(x: Result<Vec<u32>, Color>) -> Result<Vec<u32>, Color> { host::echo_result(&x) }
    fn echo_unit(x: Result<(), ()>) -> Result<(), ()> { host::echo_unit(x) }
    fn echo_flags(a: Perms, b: Wide) -> (Perms, Wide) {
        // The flag constants and operators work as in bitflags.
        assert!((Perms::READ | Perms::WRITE).contains(Perms::WRITE));
        host::echo_flags(a, b)
    }
    fn echo_tuple(x: (u8, String, f64, char)) -> (u8, String, f64, char) { host::echo_tuple(&x) }
    fn echo_fixed(x: [u16; 3]) -> [u16; 3] { host::echo_fixed(x) }
    fn echo_map(x: Vec<(String, u32)>) -> Vec<(String, u32)> { host::echo_map(&x) }
    fn many(a1: u32, a2: String, a3: u64, a4: f32, a5: f64, a6: i8, a7: String, a8: u32, a9: u32, a10: u32,
            a11: u32, a12: u32, a13: u32, a14: u32, a15: u32, a16: u32, a17: Vec<u8>)
            -> (u32, String, u64, f32, f64, i8, String, Vec<u8>) {
        host::many(a1, &a2, a3, a4, a5, a6, &a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, &a17)
    }

    fn use_counter(start: u32, n: u32) -> u32 {
        let c = Counter::new(start);
        c.add(n);
        let m = Counter::merge(&c, &c);
        m.get()
    }
    fn sum_counters(n: u32) -> u64 {
        let cs: Vec<Counter> = (1..=n).map(Counter::new).collect();
        let refs: Vec<&Counter> = cs.iter().collect();
        host::sum(&refs)
    }
    fn hand_over(start: u32) -> u32 { host::keep(Counter::new(start)) }
    fn peek(c: Counter) -> u32 { c.get() }
    fn fresh_counter(start: u32) -> Counter { Counter::new(start) }

    fn maybe_count(t: Option<TallyBorrow>) -> Option<u32> {
        t.map(|b| b.get::<MyTally>().count.get())
    }
    fn make_tallies(n: u32) -> Vec<Tally> {
        (0..n).map(|i| Tally::new(MyTally { count: std::cell::Cell::new(i) })).collect()
    }
    fn consume(t: Tally) -> u32 { t.get::<MyTally>().count.get() }
    fn dropped() -> u32 { DROPPED.load(Ordering::SeqCst) }
    fn live_bytes() -> u64 { LIVE.load(Ordering::SeqCst) }
}

bindings::export!(Component);
