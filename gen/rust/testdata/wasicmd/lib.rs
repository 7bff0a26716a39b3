// A wasi:cli/command@0.2.0 program built for wasm32-unknown-unknown: all
// I/O goes through the generated WASI bindings, none through Rust's std.
mod bindings;

use bindings::wasi::cli::{environment, exit, stdout};
use bindings::wasi::random::random;

struct Command;

impl bindings::exports::wasi::cli::run::Guest for Command {
    fn run() -> Result<(), ()> {
        let args = environment::get_arguments();
        let env = environment::get_environment();
        let bytes = random::get_random_bytes(16);
        let out = stdout::get_stdout();
        let msg = format!(
            "hello from rust: args={} env={} random={}\n",
            args.join(","),
            env.iter().map(|(k, v)| format!("{}={}", k, v)).collect::<Vec<_>>().join(","),
            bytes.len()
        );
        if out.blocking_write_and_flush(msg.as_bytes()).is_err() {
            return Err(());
        }
        drop(out);
        if args.iter().any(|a| a == "fail") {
            exit::exit(Err(()));
        }
        Ok(())
    }
}

bindings::export!(Command);
