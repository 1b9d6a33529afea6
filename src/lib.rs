#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

pub mod app;
pub mod bundled;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod harvest;
pub mod http;
pub mod quality;
pub mod rdf;
pub mod registry;
pub mod search;
pub mod shacl;
pub mod standards;
pub mod store;
pub mod validation;
pub mod vocabulary;

/// Logs to standard error; `RUST_LOG` filters (default `info`), `DANHMUC_LOG=json` gives JSON lines.
pub fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    // A second initialisation (tests) is harmless: the first subscriber stays.
    let _ = if std::env::var("DANHMUC_LOG").is_ok_and(|v| v == "json") {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
