//! `danhmuc validate`: SHACL validation of files, or of the whole store, from the command line.
//! Exit code 0 when the data conforms, 1 when it does not, 2 on an error.

use super::DataArgs;
use crate::rdf::io::{JSON_LD, file_kind};
use crate::shacl::{IndexedGraph, IndexedGraphBuilder, Shapes};
use crate::store::Store;
use crate::validation;
use anyhow::{Context as _, anyhow, bail};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Triple;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Report syntaxes.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ReportFormat {
    /// A `sh:ValidationReport` in Turtle.
    Turtle,
    /// A `sh:ValidationReport` in JSON-LD.
    Jsonld,
    /// A short summary for people.
    Text,
}

/// Options of `validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// A shapes graph (any RDF syntax, from the extension); repeat to combine several.
    #[arg(long = "shapes", value_name = "FILE")]
    shapes: Vec<PathBuf>,
    /// A bundled profile instead of (or besides) shapes files: dcat-ap-vn, skos-publication.
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// Report syntax.
    #[arg(long, value_enum, default_value = "turtle")]
    format: ReportFormat,
    /// Validate the whole store in this data directory instead of files.
    #[arg(long, value_name = "DIR", conflicts_with = "files")]
    data: Option<PathBuf>,
    /// Base IRI for relative IRIs in the data files (default: each file's own `file:` IRI).
    #[arg(long, value_name = "IRI")]
    base: Option<String>,
    /// Data files (any RDF syntax, optionally .gz), merged into one data graph.
    #[arg(value_name = "DATA")]
    files: Vec<PathBuf>,
}

pub fn run(args: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let shapes = load_shapes(args)?;
    let data = match (&args.data, args.files.is_empty()) {
        (Some(dir), _) => {
            let store = Store::open(&DataArgs { data: dir.clone() }.data)?;
            let mut builder = IndexedGraphBuilder::new();
            store.for_each_view_triple(|t| builder.insert(t))?;
            builder.build()
        }
        (None, false) => load_data(&args.files, args.base.as_deref())?,
        (None, true) => bail!("nothing to validate: name DATA files or --data DIR"),
    };
    let report = shapes.validate(&data).map_err(|e| anyhow!("validation failed to run: {e}"))?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    match args.format {
        ReportFormat::Turtle => {
            report.write(RdfFormat::Turtle, &mut out)?;
        }
        ReportFormat::Jsonld => {
            report.write(JSON_LD, &mut out)?;
        }
        ReportFormat::Text => out.write_all(report.summary_text().as_bytes())?,
    }
    out.flush()?;
    Ok(if report.conforms() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn format_of(path: &Path) -> anyhow::Result<(RdfFormat, bool)> {
    let kind = file_kind(path);
    let format = kind
        .format
        .ok_or_else(|| anyhow!("{}: unknown RDF syntax (use a known extension)", path.display()))?;
    Ok((format, kind.gzip))
}

fn read(path: &Path, gzip: bool) -> anyhow::Result<Vec<u8>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if !gzip {
        return Ok(bytes);
    }
    let mut plain = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(bytes.as_slice()), &mut plain)
        .with_context(|| format!("{}: not gzip", path.display()))?;
    Ok(plain)
}

fn positioned(path: &Path, message: &str) -> anyhow::Error {
    if message.starts_with(|c: char| c.is_ascii_digit()) {
        anyhow!("{}:{message}", path.display())
    } else {
        anyhow!("{}: {message}", path.display())
    }
}

fn load_shapes(args: &ValidateArgs) -> anyhow::Result<Shapes> {
    if args.shapes.is_empty() && args.profile.is_none() {
        bail!("no shapes: name --shapes FILE or --profile NAME");
    }
    let mut graph = oxigraph::model::Graph::new();
    if let Some(name) = &args.profile {
        validation::profile(name)?;
        let file = format!("{name}.ttl");
        let content = crate::bundled::find(crate::bundled::SHAPES_FILES, &file).unwrap_or_default();
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(content.as_bytes()) {
            graph.insert(&Triple::from(quad?));
        }
    }
    for path in &args.shapes {
        let (format, gzip) = format_of(path)?;
        let bytes = read(path, gzip)?;
        for quad in RdfParser::from_format(format).for_slice(&bytes) {
            let quad =
                quad.map_err(|e| positioned(path, &crate::rdf::io::describe_parse_error(&e.into())))?;
            graph.insert(&Triple::from(quad));
        }
    }
    Shapes::from_graph(&graph).map_err(|e| anyhow!("ill-formed shapes: {e}"))
}

/// A parser for `path`, resolving relative IRIs against `base` or else the file's own IRI.
fn parser_for(path: &Path, format: RdfFormat, base: Option<&str>) -> anyhow::Result<RdfParser> {
    let base = base.map_or_else(|| crate::rdf::io::file_iri(path), str::to_owned);
    RdfParser::from_format(format).with_base_iri(base).context("--base is not a valid IRI")
}

fn load_data(files: &[PathBuf], base: Option<&str>) -> anyhow::Result<IndexedGraph> {
    if let [path] = files {
        // One file: parsed in parallel where the syntax allows (N-Triples, N-Quads).
        let (format, gzip) = format_of(path)?;
        let bytes = read(path, gzip)?;
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        return IndexedGraph::parse_slice(parser_for(path, format, base)?, &bytes, threads)
            .map_err(|e| positioned(path, &crate::rdf::io::describe_parse_error(&e)));
    }
    let mut builder = IndexedGraphBuilder::new();
    for path in files {
        let (format, gzip) = format_of(path)?;
        let bytes = read(path, gzip)?;
        for quad in parser_for(path, format, base)?.for_slice(&bytes) {
            let quad =
                quad.map_err(|e| positioned(path, &crate::rdf::io::describe_parse_error(&e.into())))?;
            builder.insert(Triple::from(quad));
        }
    }
    Ok(builder.build())
}
