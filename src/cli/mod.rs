//! The command line: `serve`, `import`, `export`, `query`. Errors become one line
//! `danhmuc: …` and exit code 2 (in `main.rs`).

mod accounts;
mod compact;
mod export;
mod harvest;
mod import;
mod quality;
mod query;
mod reindex;
mod serve;
mod validate;
mod vocab;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// danhmuc: a metadata registry and data-standards catalogue on linked data
/// (DCAT-AP, SKOS, SHACL, SPARQL).
#[derive(Debug, Parser)]
#[command(name = "danhmuc", version, about, long_about = None)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the HTTP server (SPARQL endpoint, portal, APIs) on a store.
    Serve(serve::ServeArgs),
    /// Load RDF files or directories into the store (Turtle, TriG, N-Triples, N-Quads, RDF/XML,
    /// JSON-LD; optionally gzip-compressed).
    Import(import::ImportArgs),
    /// Write the store (or one graph) as N-Quads or TriG, streaming.
    Export(export::ExportArgs),
    /// Run a SPARQL query on the store and print the answer (for scripts).
    Query(query::QueryArgs),
    /// Validate RDF files (or the whole store) against SHACL shapes; exit 0 conforms, 1 does not.
    Validate(validate::ValidateArgs),
    /// Manage organisations (publishers).
    #[command(subcommand)]
    Org(accounts::OrgCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(accounts::TokenCommand),
    /// Harvest other catalogues (DCAT feeds, CKAN sites) into the registry.
    #[command(subcommand)]
    Harvest(harvest::HarvestCommand),
    /// Check the datasets' access and download URLs once (metadata quality); a server checks on its
    /// own schedule.
    CheckLinks(quality::CheckLinksArgs),
    /// Data standards: import and export code lists (CSV, RDF).
    #[command(subcommand)]
    Vocab(vocab::VocabCommand),
    /// Rebuild the search index from the store (it is also brought up to date at every start).
    Reindex(reindex::ReindexArgs),
    /// Rewrite the store's files compactly (after a large import or months of service); changes no
    /// data.
    Compact(compact::CompactArgs),
}

/// The store to work on.
#[derive(Debug, clap::Args)]
pub struct DataArgs {
    /// The data directory of the store.
    #[arg(long, env = "DANHMUC_DATA", default_value = "./data", value_name = "DIR")]
    pub data: PathBuf,
}

/// Runs a command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Serve(a) => serve::run(a),
        Command::Import(a) => import::run(&a),
        Command::Export(a) => export::run(&a),
        Command::Query(a) => query::run(&a),
        Command::Validate(a) => validate::run(&a),
        Command::Org(c) => accounts::run_org(&c),
        Command::Token(c) => accounts::run_token(&c),
        Command::Harvest(c) => harvest::run(&c),
        Command::Vocab(c) => vocab::run(&c),
        Command::Reindex(a) => reindex::run(&a),
        Command::Compact(a) => compact::run(&a),
        Command::CheckLinks(a) => quality::run(&a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Args::command().debug_assert();
    }
}
