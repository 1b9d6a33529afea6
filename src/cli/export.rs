//! `danhmuc export`.

use super::DataArgs;
use crate::store::{Store, StoreError};
use anyhow::Context as _;
use oxigraph::io::RdfFormat;
use oxigraph::model::NamedNode;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Export syntaxes (quad syntaxes, so that graphs survive).
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    /// N-Quads.
    Nquads,
    /// TriG.
    Trig,
}

/// Options of `export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Output syntax.
    #[arg(long, value_enum, default_value = "nquads")]
    format: ExportFormat,
    /// Export only this named graph.
    #[arg(long, value_name = "IRI")]
    graph: Option<String>,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let graph =
        args.graph.as_deref().map(NamedNode::new).transpose().context("--graph is not a valid IRI")?;
    let store = Store::open(&args.data.data)?;
    let format = match args.format {
        ExportFormat::Nquads => RdfFormat::NQuads,
        ExportFormat::Trig => RdfFormat::TriG,
    };
    let serializer = crate::rdf::io::serializer(format);
    let result = match &args.output {
        Some(path) => {
            let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            let mut out = BufWriter::new(file);
            store
                .export(serializer, graph.as_ref().map(NamedNode::as_ref), &mut out)
                .and_then(|()| out.flush().map_err(StoreError::from))
        }
        None => {
            let mut out = BufWriter::new(std::io::stdout().lock());
            store
                .export(serializer, graph.as_ref().map(NamedNode::as_ref), &mut out)
                .and_then(|()| out.flush().map_err(StoreError::from))
        }
    };
    match result {
        // A closed pipe (`danhmuc export | head`) is the reader's choice, not a failure.
        Err(StoreError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        other => other.map(|()| ExitCode::SUCCESS).map_err(Into::into),
    }
}
