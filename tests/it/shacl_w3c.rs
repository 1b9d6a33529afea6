//! Manifest-driven runner for the W3C SHACL test suite
//! (`../shared/conformance/shacl-w3c/tests`, data-shapes @ ff9edb9).
//!
//! Each `sht:Validate` entry is run with the engine; an expected `sht:Failure` must
//! give an `Err`, otherwise the produced report must be isomorphic to the expected one,
//! ignoring `sh:resultMessage` (and `sh:detail` when the expected report has none).
//! One `#[test]` per folder; all failures of a folder are collected and asserted once.

use danhmuc::shacl::{IndexedGraph, Shapes};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{Graph, NamedNodeRef, NamedOrBlankNode, Term, TermRef, Triple};
use std::collections::HashSet;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

const SUITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/conformance/shacl-w3c/tests");

const MF: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
const SHT: &str = "http://www.w3.org/ns/shacl-test#";
const SH: &str = "http://www.w3.org/ns/shacl#";
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

fn iri(s: String) -> oxigraph::model::NamedNode {
    oxigraph::model::NamedNode::new_unchecked(s)
}

fn mf(local: &str) -> oxigraph::model::NamedNode {
    iri(format!("{MF}{local}"))
}

fn sht(local: &str) -> oxigraph::model::NamedNode {
    iri(format!("{SHT}{local}"))
}

fn sh(local: &str) -> oxigraph::model::NamedNode {
    iri(format!("{SH}{local}"))
}

fn rdf(local: &str) -> oxigraph::model::NamedNode {
    iri(format!("{RDF}{local}"))
}

/// The suite folder, or `None` (skip) outside CI when it is missing.
#[expect(clippy::print_stderr, reason = "explain why the suite is skipped")]
fn suite_dir() -> Option<PathBuf> {
    match Path::new(SUITE).canonicalize() {
        Ok(p) => Some(p),
        Err(e) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "W3C SHACL test suite missing at {SUITE}: {e}"
            );
            eprintln!("skipping: W3C SHACL test suite not found at {SUITE} ({e})");
            None
        }
    }
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn url_to_path(url: &str) -> PathBuf {
    let without_fragment = url.split('#').next().unwrap_or(url);
    PathBuf::from(without_fragment.strip_prefix("file://").unwrap_or(without_fragment))
}

fn load(path: &Path) -> Result<Graph, String> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let parser =
        RdfParser::from_format(RdfFormat::Turtle).with_base_iri(file_url(path)).map_err(|e| e.to_string())?;
    let mut graph = Graph::new();
    for quad in parser.for_reader(BufReader::new(file)) {
        let quad = quad.map_err(|e| format!("{}: {e}", path.display()))?;
        graph.insert(&Triple::new(quad.subject, quad.predicate, quad.object));
    }
    Ok(graph)
}

fn subject_of(term: &Term) -> Option<NamedOrBlankNode> {
    match term {
        Term::NamedNode(n) => Some(n.clone().into()),
        Term::BlankNode(b) => Some(b.clone().into()),
        _ => None,
    }
}

fn object(graph: &Graph, s: &Term, p: NamedNodeRef<'_>) -> Option<Term> {
    let s = subject_of(s)?;
    graph.object_for_subject_predicate(&s, p).map(TermRef::into_owned)
}

fn list(graph: &Graph, head: &Term) -> Vec<Term> {
    let mut out = Vec::new();
    let mut current = head.clone();
    let nil = rdf("nil");
    while current != Term::from(nil.clone()) {
        let Some(first) = object(graph, &current, rdf("first").as_ref()) else {
            break;
        };
        out.push(first);
        let Some(rest) = object(graph, &current, rdf("rest").as_ref()) else {
            break;
        };
        current = rest;
    }
    out
}

/// Triples reachable from `root` through blank nodes, not descending into
/// references to shapes/data nodes, without `sh:resultMessage` (nor `sh:detail`).
fn report_subgraph(graph: &Graph, root: &Term, keep_details: bool) -> Graph {
    let stop = [sh("sourceShape"), sh("sourceConstraint"), sh("focusNode"), sh("value")];
    let mut out = Graph::new();
    let mut stack = vec![root.clone()];
    let mut seen = HashSet::new();
    while let Some(node) = stack.pop() {
        if !seen.insert(node.clone()) {
            continue;
        }
        let Some(s) = subject_of(&node) else { continue };
        for t in graph.triples_for_subject(&s) {
            let p = t.predicate.into_owned();
            if p == sh("resultMessage") || (!keep_details && p == sh("detail")) {
                continue;
            }
            out.insert(t);
            if matches!(t.object, TermRef::BlankNode(_)) && !stop.contains(&p) {
                stack.push(t.object.into_owned());
            }
        }
    }
    out.canonicalize(CanonicalizationAlgorithm::Unstable);
    out
}

struct Entry {
    name: String,
    data: PathBuf,
    shapes: PathBuf,
    expect_failure: bool,
    expected: Option<Graph>,
}

fn entries(test_file: &Path) -> Result<Vec<Entry>, String> {
    let graph = load(test_file)?;
    let mut out = Vec::new();
    let manifests: Vec<Term> = graph
        .subjects_for_predicate_object(rdf("type").as_ref(), mf("Manifest").as_ref())
        .map(|s| s.into_owned().into())
        .collect();
    for manifest in manifests {
        let Some(head) = object(&graph, &manifest, mf("entries").as_ref()) else {
            continue;
        };
        for entry in list(&graph, &head) {
            let name = entry.to_string();
            let action =
                object(&graph, &entry, mf("action").as_ref()).ok_or(format!("{name}: no mf:action"))?;
            let data =
                object(&graph, &action, sht("dataGraph").as_ref()).ok_or(format!("{name}: no data graph"))?;
            let shapes = object(&graph, &action, sht("shapesGraph").as_ref())
                .ok_or(format!("{name}: no shapes graph"))?;
            let result =
                object(&graph, &entry, mf("result").as_ref()).ok_or(format!("{name}: no mf:result"))?;
            let (Term::NamedNode(data), Term::NamedNode(shapes)) = (data, shapes) else {
                return Err(format!("{name}: graphs must be IRIs"));
            };
            let expect_failure = result == Term::from(sht("Failure"));
            let expected = (!expect_failure).then(|| {
                let keep = graph.triples_for_predicate(sh("detail").as_ref()).next().is_some();
                report_subgraph(&graph, &result, keep)
            });
            out.push(Entry {
                name,
                data: url_to_path(data.as_str()),
                shapes: url_to_path(shapes.as_str()),
                expect_failure,
                expected,
            });
        }
    }
    Ok(out)
}

fn run_entry(entry: &Entry) -> Result<(), String> {
    let data = load(&entry.data)?;
    let shapes_graph = load(&entry.shapes)?;
    let outcome = Shapes::from_graph(&shapes_graph).map_err(|e| e.to_string()).and_then(|shapes| {
        let data = IndexedGraph::from_triples(data.iter().map(|t| t.into_owned()));
        shapes.validate(&data).map_err(|e| e.to_string())
    });
    match (outcome, entry.expect_failure) {
        (Err(_), true) => Ok(()),
        (Ok(report), true) => Err(format!("expected a failure, got a report:\n{}", report.summary_text())),
        (Err(e), false) => Err(format!("unexpected error: {e}")),
        (Ok(report), false) => {
            let graph = report.to_graph();
            let root: Term = graph
                .subjects_for_predicate_object(rdf("type").as_ref(), sh("ValidationReport").as_ref())
                .next()
                .map(|s| s.into_owned().into())
                .ok_or("no report node")?;
            let keep = entry
                .expected
                .as_ref()
                .is_some_and(|g| g.triples_for_predicate(sh("detail").as_ref()).next().is_some());
            let actual = report_subgraph(&graph, &root, keep);
            let expected = entry.expected.as_ref().ok_or("no expected report")?;
            if &actual == expected {
                Ok(())
            } else {
                Err(format!(
                    "report mismatch\n--- expected\n{}\n--- actual\n{}",
                    sorted(expected),
                    sorted(&actual)
                ))
            }
        }
    }
}

fn sorted(g: &Graph) -> String {
    let mut lines: Vec<String> = g.iter().map(|t| format!("  {t}")).collect();
    lines.sort();
    lines.join("\n")
}

/// Runs every test of `folder` (relative to the suite), asserting once.
fn run_folder(folder: &str, expected_count: usize) {
    let Some(dir) = suite_dir() else { return };
    let dir = dir.join(folder);
    let manifest_path = dir.join("manifest.ttl");
    let manifest = match load(&manifest_path) {
        Ok(g) => g,
        Err(e) => panic!("cannot load {}: {e}", manifest_path.display()),
    };
    let mut includes: Vec<PathBuf> = manifest
        .triples_for_predicate(mf("include").as_ref())
        .filter_map(|t| match t.object {
            TermRef::NamedNode(n) => Some(url_to_path(n.as_str())),
            _ => None,
        })
        .collect();
    includes.sort();
    let mut failures = Vec::new();
    let mut passed = 0;
    for file in &includes {
        match entries(file) {
            Err(e) => failures.push(format!("{}: {e}", file.display())),
            Ok(list) => {
                for entry in list {
                    match run_entry(&entry) {
                        Ok(()) => passed += 1,
                        Err(e) => failures.push(format!("{}: {e}", entry.name)),
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{folder}: {passed} passed, {} failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert_eq!(passed, expected_count, "{folder}: unexpected number of tests");
}

#[test]
fn w3c_core_node() {
    run_folder("core/node", 32);
}

#[test]
fn w3c_core_property() {
    run_folder("core/property", 38);
}

#[test]
fn w3c_core_path() {
    run_folder("core/path", 13);
}

#[test]
fn w3c_core_targets() {
    run_folder("core/targets", 7);
}

#[test]
fn w3c_core_misc() {
    run_folder("core/misc", 5);
}

#[test]
fn w3c_core_complex() {
    run_folder("core/complex", 2);
}

#[test]
fn w3c_core_validation_reports() {
    run_folder("core/validation-reports", 1);
}

#[test]
fn w3c_sparql_component() {
    run_folder("sparql/component", 3);
}

#[test]
fn w3c_sparql_node() {
    run_folder("sparql/node", 4);
}

#[test]
fn w3c_sparql_property() {
    run_folder("sparql/property", 1);
}

#[test]
fn w3c_sparql_pre_binding() {
    run_folder("sparql/pre-binding", 14);
}
