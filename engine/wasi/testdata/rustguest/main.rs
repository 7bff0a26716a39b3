// rustguest is a Rust std program (Debian rustc, wasm32-wasi, linked as a
// reactor) exporting wasi:cli/run for the WASI host tests: it prints its
// arguments and an environment variable, reads and writes files in the
// preopened /data, lists it, and sleeps.
use std::io::Write;
use std::time::{Duration, Instant};

#[export_name = "wasi:cli/run@0.2.0#run"]
pub extern "C" fn run() -> i32 {
    let args: Vec<String> = std::env::args().skip(1).collect();
    println!("args={}", args.join("|"));
    println!("GREETING={}", std::env::var("GREETING").unwrap_or_else(|_| "(unset)".into()));
    match std::fs::read_to_string("/data/hello.txt") {
        Ok(s) => print!("file={}", s),
        Err(e) => println!("file error: {}", e),
    }
    match std::fs::write("/data/rust.txt", "from rust") {
        Ok(()) => println!("write=ok"),
        Err(e) => println!("write error: {:?}", e.kind()),
    }
    let mut names: Vec<String> = match std::fs::read_dir("/data") {
        Ok(rd) => rd.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect(),
        Err(e) => vec![format!("readdir error: {}", e)],
    };
    names.sort();
    println!("dir={}", names.join(","));
    let start = Instant::now();
    std::thread::sleep(Duration::from_millis(15));
    println!("slept={}", start.elapsed() >= Duration::from_millis(15));
    eprintln!("bye");
    std::io::stdout().flush().unwrap();
    if args.first().map(|a| a == "fail").unwrap_or(false) { 1 } else { 0 }
}
