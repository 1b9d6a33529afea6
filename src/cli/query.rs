//! `danhmuc query`: one SPARQL query on the store, answer on standard output. The operator sees
//! every graph (the system graph through `GRAPH`).

use super::DataArgs;
use crate::rdf::io;
use crate::store::{QueryAnswer, QueryRequest, Store, Viewer, parse_query};
use anyhow::{Context as _, anyhow};
use oxigraph::io::RdfFormat;
use oxigraph::sparql::CancellationToken;
use oxigraph::sparql::results::QueryResultsFormat;
use std::io::{BufWriter, Read, Write};
use std::process::ExitCode;

/// Output syntaxes.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum QueryFormat {
    /// SPARQL results JSON.
    Json,
    /// SPARQL results XML.
    Xml,
    /// SPARQL results CSV.
    Csv,
    /// SPARQL results TSV.
    Tsv,
    /// Turtle (CONSTRUCT / DESCRIBE).
    Turtle,
    /// N-Triples (CONSTRUCT / DESCRIBE).
    Ntriples,
}

/// Options of `query`.
#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Answer syntax [default: json for SELECT/ASK, turtle for CONSTRUCT/DESCRIBE].
    #[arg(long, value_enum)]
    format: Option<QueryFormat>,
    /// The query; `-` reads it from standard input, `@FILE` from a file.
    #[arg(value_name = "QUERY")]
    query: String,
}

pub fn run(args: &QueryArgs) -> anyhow::Result<ExitCode> {
    let text = match args.query.as_str() {
        "-" => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text)?;
            text
        }
        q if q.starts_with('@') => {
            std::fs::read_to_string(&q[1..]).with_context(|| format!("cannot read {}", &q[1..]))?
        }
        q => q.to_owned(),
    };
    let query = parse_query(&text, None).map_err(|e| anyhow!("invalid SPARQL query: {e}"))?;
    let store = Store::open(&args.data.data)?;
    let request = QueryRequest { query, default_graphs: Vec::new(), named_graphs: Vec::new() };
    let answer = store.evaluate(request, &Viewer::Operator, usize::MAX, &CancellationToken::new())?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    let written = match (&answer, args.format) {
        (QueryAnswer::Solutions { variables, rows, .. }, format) => {
            io::write_solutions(results_format(format)?, variables, rows, &mut out)
        }
        (QueryAnswer::Boolean(value), format) => io::write_boolean(results_format(format)?, *value, &mut out),
        (QueryAnswer::Graph { triples, .. }, format) => {
            let format = match format {
                None | Some(QueryFormat::Turtle) => RdfFormat::Turtle,
                Some(QueryFormat::Ntriples) => RdfFormat::NTriples,
                Some(other) => {
                    return Err(anyhow!("--format {other:?} is for SELECT and ASK; use turtle or ntriples"));
                }
            };
            io::write_triples(format, triples, &mut out)
        }
    };
    match written.and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        other => other.map(|()| ExitCode::SUCCESS).map_err(Into::into),
    }
}

fn results_format(format: Option<QueryFormat>) -> anyhow::Result<QueryResultsFormat> {
    Ok(match format {
        None | Some(QueryFormat::Json) => QueryResultsFormat::Json,
        Some(QueryFormat::Xml) => QueryResultsFormat::Xml,
        Some(QueryFormat::Csv) => QueryResultsFormat::Csv,
        Some(QueryFormat::Tsv) => QueryResultsFormat::Tsv,
        Some(other) => {
            return Err(anyhow!(
                "--format {other:?} is for CONSTRUCT and DESCRIBE; use json, xml, csv or tsv"
            ));
        }
    })
}
