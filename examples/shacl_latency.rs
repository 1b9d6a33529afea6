//! Per-submission validation latency, as the registry validates a submission:
//!
//! `shacl_latency [--store DIR] DATA.nt N SHAPES.ttl...`
//!
//! Cuts the first N datasets of a `gen_dcat.py` N-Triples file (each dataset with its distributions
//! and contact point), and validates each on its own against the shapes (the `sh:shape` typo of the
//! official DCAT-AP 3.0.1 shapes is read as the `sh:node` it means). With `--store DIR` (a store made
//! by `benches/registry.py`, not held by a server), `sh:class` look-ups of IRIs a submission only
//! mentions go to the store, as `POST /api/records` does, and the generator's `…/org/ID` publishers
//! are rewritten to the registry's `…/publisher/ID`. Prints p50, p95, p99 and max.
#![expect(clippy::print_stdout, reason = "a measurement tool")]
use danhmuc::shacl::Shapes;
use danhmuc::store::Store;
use danhmuc::validation::validate_submission;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, NamedNode, Triple};
use std::collections::BTreeMap;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let store = match args.iter().position(|a| a == "--store") {
        Some(i) => {
            let dir = args.remove(i + 1);
            args.remove(i);
            Some(Store::open(std::path::Path::new(&dir))?)
        }
        None => None,
    };
    let [data, n, shapes_files @ ..] = args.as_slice() else {
        return Err("usage: shacl_latency [--store DIR] DATA.nt N SHAPES.ttl...".into());
    };
    let n: usize = n.parse()?;
    let text = std::fs::read_to_string(data)?;
    let mut groups: BTreeMap<String, Vec<Triple>> = BTreeMap::new();
    for line in text.lines() {
        const DATASET: &str = "<https://registry.example/dataset/";
        let key = if let Some(rest) = line.strip_prefix(DATASET) {
            rest.get(..6).unwrap_or(rest).to_owned()
        } else if let Some(rest) = line.strip_prefix("_:cp") {
            rest.get(..6).unwrap_or(rest).to_owned()
        } else {
            continue;
        };
        if groups.len() >= n && !groups.contains_key(&key) {
            continue;
        }
        let line = if store.is_some() {
            line.replace("https://registry.example/org/", "https://registry.example/publisher/")
        } else {
            line.to_owned()
        };
        for quad in RdfParser::from_format(RdfFormat::NTriples).for_slice(line.as_bytes()) {
            groups.entry(key.clone()).or_default().push(Triple::from(quad?));
        }
    }
    let mut shapes_graph = Graph::new();
    for path in shapes_files {
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_reader(std::fs::File::open(path)?) {
            let quad = quad?;
            let predicate = if quad.predicate.as_str() == "http://www.w3.org/ns/shacl#shape" {
                NamedNode::new_unchecked("http://www.w3.org/ns/shacl#node")
            } else {
                quad.predicate
            };
            shapes_graph.insert(&Triple::new(quad.subject, predicate, quad.object));
        }
    }
    let shapes = Shapes::from_graph(&shapes_graph)?;
    let mut times = Vec::new();
    let (mut triples, mut non_conforming) = (0, 0);
    for submission in groups.values().take(n) {
        triples += submission.len();
        let start = Instant::now();
        let report = validate_submission(&shapes, submission, store.as_ref())?;
        times.push(start.elapsed());
        non_conforming += usize::from(!report.conforms());
    }
    if times.is_empty() {
        return Err("no datasets in the data file".into());
    }
    times.sort();
    let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        "{} submissions{}, avg {} triples, {non_conforming} non-conforming | p50 {:?} p95 {:?} p99 {:?} max {:?}",
        times.len(),
        if store.is_some() { " with store look-ups" } else { "" },
        triples / times.len(),
        at(0.5),
        at(0.95),
        at(0.99),
        times[times.len() - 1]
    );
    Ok(())
}
