// A preview1 command (rustc --target wasm32-wasi, a binary): `component
// new` makes it a component exporting wasi:cli/run. It prints its
// arguments and $GREETING; the argument "exit3" exits with status 3.
fn main() {
    println!("hello from a rust command");
    let args: Vec<String> = std::env::args().skip(1).collect();
    println!("args: {:?}", args);
    println!("GREETING={:?}", std::env::var("GREETING").unwrap_or_default());
    if args.first().map(|a| a == "exit3").unwrap_or(false) {
        eprintln!("exiting with 3");
        std::process::exit(3);
    }
    println!("done");
}
