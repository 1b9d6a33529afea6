//! `danhmuc import`: files or directories through Oxigraph's bulk loader, one file at a time, each
//! all or nothing.

use super::DataArgs;
use crate::rdf::io::{file_kind, format_from_name};
use crate::store::{Store, StoreError};
use anyhow::{Context as _, anyhow, bail};
use flate2::read::MultiGzDecoder;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::NamedNode;
use std::fs::File;
use std::io::{BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Options of `import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Put the triples of triple syntaxes (and the default graph of quad syntaxes) into this named
    /// graph instead of the public default graph.
    #[arg(long, value_name = "IRI")]
    graph: Option<String>,
    /// The syntax of every file (ttl, trig, nt, nq, rdf, jsonld), instead of guessing it from
    /// each file's extension.
    #[arg(long, value_name = "FORMAT")]
    format: Option<String>,
    /// Base IRI against which relative IRIs in the files are resolved.
    #[arg(long, value_name = "IRI")]
    base: Option<String>,
    /// Files or directories (read recursively; files with unknown extensions are skipped there).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

pub fn run(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let forced = match &args.format {
        Some(name) => Some(
            format_from_name(name)
                .ok_or_else(|| anyhow!("unknown format {name:?}: use ttl, trig, nt, nq, rdf or jsonld"))?,
        ),
        None => None,
    };
    let graph =
        args.graph.as_deref().map(NamedNode::new).transpose().context("--graph is not a valid IRI")?;
    if let Some(base) = &args.base {
        NamedNode::new(base.as_str()).context("--base is not a valid IRI")?;
    }
    let files = collect_files(&args.paths, forced)?;
    let store = Store::open(&args.data.data)?;
    let start = Instant::now();
    let mut quads = 0;
    for (path, format, gzip) in &files {
        quads += import_file(&store, path, *format, *gzip, graph.as_ref(), args.base.as_deref())?;
    }
    store.flush()?;
    let seconds = start.elapsed().as_secs_f64();
    // Precision loss is irrelevant for a rate.
    #[expect(clippy::cast_precision_loss, reason = "a rate for people")]
    let rate = quads as f64 / seconds.max(1e-9);
    writeln!(
        std::io::stdout(),
        "imported {} file{}, {quads} triples in {seconds:.2} s ({rate:.0} triples/s)",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Expands directories; decides each file's syntax. An explicitly named file must have a known syntax.
fn collect_files(
    paths: &[PathBuf],
    forced: Option<RdfFormat>,
) -> anyhow::Result<Vec<(PathBuf, RdfFormat, bool)>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            found.sort();
            for file in found {
                let kind = file_kind(&file);
                if let Some(format) = forced.or(kind.format) {
                    files.push((file, format, kind.gzip));
                }
            }
        } else if path.is_file() {
            let kind = file_kind(path);
            let format = forced
                .or(kind.format)
                .ok_or_else(|| anyhow!("{}: unknown RDF syntax; name it with --format", path.display()))?;
            files.push((path.clone(), format, kind.gzip));
        } else {
            bail!("{}: no such file or directory", path.display());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, found)?;
        } else {
            found.push(path);
        }
    }
    Ok(())
}

fn import_file(
    store: &Store,
    path: &Path,
    format: RdfFormat,
    gzip: bool,
    graph: Option<&NamedNode>,
    base: Option<&str>,
) -> anyhow::Result<u64> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(path.display().to_string());
        bar
    } else {
        ProgressBar::hidden()
    };
    let raw = BufReader::with_capacity(1 << 20, bar.wrap_read(file));
    let reader: Box<dyn Read> =
        if gzip { Box::new(BufReader::new(MultiGzDecoder::new(raw))) } else { Box::new(raw) };
    let mut parser = RdfParser::from_format(format);
    if let Some(graph) = graph {
        parser = parser.with_default_graph(graph.clone());
    }
    if let Some(base) = base {
        parser = parser.with_base_iri(base).context("--base is not a valid IRI")?;
    }
    let outcome = store.bulk_import(parser, reader, |_| {}).map_err(|e| match e {
        StoreError::Parse(message) if base.is_none() && message.contains("No scheme found") => {
            anyhow!("{}:{message} (a relative IRI: give --base IRI)", path.display())
        }
        StoreError::Parse(message) if message.starts_with(|c: char| c.is_ascii_digit()) => {
            anyhow!("{}:{message}", path.display())
        }
        StoreError::Parse(message) => anyhow!("{}: {message}", path.display()),
        other => other.into(),
    });
    bar.finish_and_clear();
    Ok(outcome?.quads)
}
