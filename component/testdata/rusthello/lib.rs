// rusthello is a tiny Rust reactor (wasm32-wasi cdylib); the component
// tests turn it into a component with jco to check that it round-trips.
#[no_mangle]
pub extern "C" fn twice(n: i32) -> i32 {
    let v: Vec<i32> = (0..n).collect();
    println!("{:?}", v);
    n * 2
}
