// rustprog uses Rust std's WASI layer: args, env, stdout/stderr, a file
// in a preopened directory, the clock, a directory listing.
use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    println!("args={}", args[1..].join("|"));
    println!("GREETING={}", std::env::var("GREETING").unwrap_or_default());
    let text = std::fs::read_to_string("/data/hello.txt").expect("read");
    print!("file={}", text);
    std::fs::write("/data/rust.txt", b"from rust").expect("write");
    let mut names: Vec<String> = std::fs::read_dir("/data")
        .expect("read_dir")
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    println!("dir={}", names.join(","));
    let t0 = std::time::Instant::now();
    std::thread::sleep(std::time::Duration::from_millis(5));
    println!("slept={}", t0.elapsed().as_millis() >= 5);
    let v: Vec<u8> = vec![7; 8 << 20];
    println!("alloc={}", v.iter().map(|&b| b as usize).sum::<usize>());
    writeln!(std::io::stderr(), "bye").unwrap();
}
