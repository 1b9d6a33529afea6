//! The `danhmuc` binary: parse the command line, run, and turn any error into one line on standard
//! error and exit code 2.

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = danhmuc::cli::Args::parse();
    match danhmuc::cli::run(args) {
        Ok(code) => code,
        Err(error) => {
            let message = format!("{error:#}").replace('\n', " ");
            // If standard error is gone there is nobody left to tell.
            let _ = writeln!(std::io::stderr(), "danhmuc: {message}");
            ExitCode::from(2)
        }
    }
}
