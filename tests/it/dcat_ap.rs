//! The official DCAT-AP 3.0.1 shapes (`../shared/conformance/dcat-ap/`) against the
//! W3C DCAT 3 examples and real DCAT-AP.de catalogues.
//!
//! Notes on the material:
//! * `3.0.1/html-shacl/shapes.ttl` uses `sh:shape` (not a SHACL term) in five places
//!   where `sh:node` is meant; a conformant engine ignores it, so some tests also use a
//!   copy with that typo fixed ([`fixed_sh_shape`]).
//! * `3.0.1/shacl/dcat-ap-SHACL.ttl` references two property shapes that are never
//!   defined (`ranges.ttl` five more); the engine treats them as shapes without
//!   constraints and warns.
//! * The ill-typed `xsd:dateTime` literal (`"2021-01-28 GMT 01:51:03.34919300"`) that the
//!   conformance README attributes to rostock is in fact in the *bremen* catalogue.

use danhmuc::shacl::{IndexedGraph, Shapes, ValidationReport};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, NamedNode, Term, Triple};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/conformance");
const SH: &str = "http://www.w3.org/ns/shacl#";
const XSD_DATE_TIME: &str = "http://www.w3.org/2001/XMLSchema#dateTime";

/// The conformance folder, or `None` (skip) outside CI when it is missing.
#[expect(clippy::print_stderr, reason = "explain why the tests are skipped")]
fn root() -> Option<PathBuf> {
    match Path::new(ROOT).join("dcat-ap").canonicalize() {
        Ok(_) => Path::new(ROOT).canonicalize().ok(),
        Err(e) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "conformance material missing at {ROOT}: {e}"
            );
            eprintln!("skipping: conformance material not found at {ROOT} ({e})");
            None
        }
    }
}

fn format_of(path: &Path) -> RdfFormat {
    match path.extension().and_then(|e| e.to_str()) {
        Some("rdf" | "xml") => RdfFormat::RdfXml,
        Some("nt") => RdfFormat::NTriples,
        Some("jsonld") => RdfFormat::JsonLd { profile: oxigraph::io::JsonLdProfileSet::empty() },
        _ => RdfFormat::Turtle,
    }
}

fn parser_for(path: &Path) -> RdfParser {
    let parser = RdfParser::from_format(format_of(path));
    match parser.clone().with_base_iri(format!("file://{}", path.display())) {
        Ok(p) => p,
        Err(_) => parser,
    }
}

fn load_graph(path: &Path) -> Result<Graph, String> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut graph = Graph::new();
    for quad in parser_for(path).for_reader(BufReader::new(file)) {
        let q = quad.map_err(|e| format!("{}: {e}", path.display()))?;
        graph.insert(&Triple::new(q.subject, q.predicate, q.object));
    }
    Ok(graph)
}

fn load_data(path: &Path) -> Result<IndexedGraph, String> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    IndexedGraph::parse(parser_for(path), BufReader::new(file))
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn union(paths: &[PathBuf]) -> Graph {
    let mut graph = Graph::new();
    for p in paths {
        match load_graph(p) {
            Ok(g) => graph.extend(&g),
            Err(e) => panic!("{e}"),
        }
    }
    graph
}

/// Replaces the non-SHACL `sh:shape` by the intended `sh:node`.
fn fixed_sh_shape(graph: &Graph) -> Graph {
    let shape = NamedNode::new_unchecked(format!("{SH}shape"));
    let node = NamedNode::new_unchecked(format!("{SH}node"));
    graph
        .iter()
        .map(|t| {
            let t = t.into_owned();
            if t.predicate == shape { Triple::new(t.subject, node.clone(), t.object) } else { t }
        })
        .collect()
}

fn html_shapes(root: &Path, with_range: bool) -> Graph {
    let dir = root.join("dcat-ap/3.0.1/html-shacl");
    let mut files = vec![dir.join("shapes.ttl")];
    if with_range {
        files.push(dir.join("range.ttl"));
    }
    union(&files)
}

fn compile(graph: &Graph) -> Shapes {
    match Shapes::from_graph(graph) {
        Ok(s) => s,
        Err(e) => panic!("shapes do not compile: {e}"),
    }
}

fn validate(shapes: &Shapes, data: &IndexedGraph) -> ValidationReport {
    match shapes.validate(data) {
        Ok(r) => r,
        Err(e) => panic!("validation failed: {e}"),
    }
}

fn files_with_ext(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().and_then(|e| e.to_str()).is_some_and(|e| exts.contains(&e)));
    files.sort();
    files
}

#[test]
fn dcat_ap_301_html_shapes_compile() {
    let Some(root) = root() else { return };
    let shapes = compile(&html_shapes(&root, true));
    // 17 + 11 node shapes, 130 + 82 property shapes and the nested sh:or members.
    assert!(shapes.len() > 200, "only {} shapes compiled", shapes.len());
    let fixed = compile(&fixed_sh_shape(&html_shapes(&root, false)));
    assert!(fixed.len() > 100);
}

fn undefined_warnings(shapes: &Shapes) -> usize {
    shapes.warnings().iter().filter(|w| w.contains("never defined")).count()
}

/// `dcat-ap-SHACL.ttl` references two property shapes it never defines (and
/// `ranges.ttl`, which defines those two, references five others): they compile as
/// shapes without constraints, with a warning each.
#[test]
fn dcat_ap_301_shacl_template_with_undefined_shapes() {
    let Some(root) = root() else { return };
    let dir = root.join("dcat-ap/3.0.1/shacl");
    let alone = compile(&union(&[dir.join("dcat-ap-SHACL.ttl")]));
    assert_eq!(undefined_warnings(&alone), 2, "warnings: {:?}", alone.warnings());
    let shapes = compile(&union(&[dir.join("dcat-ap-SHACL.ttl"), dir.join("ranges.ttl")]));
    assert_eq!(undefined_warnings(&shapes), 5, "warnings: {:?}", shapes.warnings());
    assert!(shapes.len() > 300, "only {} shapes compiled", shapes.len());
    // It validates data without tripping over the undefined shapes.
    let data = match load_data(&root.join("dcat-ap/real-catalogues/brandenburg-catalog-original-input.ttl")) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let report = validate(&shapes, &data);
    assert!(report.focus_nodes_checked() > 100);
    assert!(!report.conforms());
}

#[test]
fn dcat3_examples_validate() {
    let Some(root) = root() else { return };
    let shapes = compile(&fixed_sh_shape(&html_shapes(&root, true)));
    let files = files_with_ext(&root.join("dcat3-examples/vocab-dcat-3"), &["ttl"]);
    assert_eq!(files.len(), 27);
    let mut focus = 0;
    let mut results = 0;
    for file in &files {
        let data = match load_data(file) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        assert!(!data.is_empty(), "{} is empty", file.display());
        let report = validate(&shapes, &data);
        focus += report.focus_nodes_checked();
        results += report.results().len();
        // The report always serialises.
        let turtle = report.write(RdfFormat::Turtle, Vec::new());
        assert!(turtle.is_ok_and(|t| !t.is_empty()));
    }
    assert!(focus > 50, "only {focus} focus nodes over the DCAT 3 examples");
    // The DCAT 3 examples are not DCAT-AP profiles (no publisher etc.): they violate it.
    assert!(results > 0);
}

#[test]
fn real_catalogues_validate() {
    let Some(root) = root() else { return };
    let shapes = compile(&fixed_sh_shape(&html_shapes(&root, true)));
    let files = files_with_ext(&root.join("dcat-ap/real-catalogues"), &["ttl", "rdf"]);
    assert_eq!(files.len(), 4);
    for file in &files {
        let data = match load_data(file) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        assert!(data.len() > 3000, "{}: {} triples", file.display(), data.len());
        let report = validate(&shapes, &data);
        assert!(report.focus_nodes_checked() > 100, "{}", file.display());
        // Reported values are the data's own terms.
        for r in report.results() {
            if let Some(v) = &r.value {
                assert!(
                    data.iter().any(|t| &t.object == v || Term::from(t.subject.clone()) == *v),
                    "value {v} is not a term of the data"
                );
                break;
            }
        }
        assert!(!report.summary_text().is_empty());
    }
}

/// The ill-typed `xsd:dateTime` literals of the real catalogues are `sh:datatype`
/// violations, with their own lexical form, and nothing else is.
#[test]
fn ill_typed_date_times_are_datatype_violations() {
    let Some(root) = root() else { return };
    let shapes_ttl = r#"
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix dct: <http://purl.org/dc/terms/> .
        <urn:test:DateTimeShape> a sh:NodeShape ;
            sh:targetSubjectsOf dct:modified, dct:issued ;
            sh:property [ sh:path dct:modified ; sh:or ( [ sh:datatype xsd:dateTime ] [ sh:datatype xsd:date ] ) ] ;
            sh:property [ sh:path dct:modified ; sh:datatype xsd:dateTime ; sh:severity sh:Warning ] ;
            sh:property [ sh:path dct:issued ; sh:datatype xsd:dateTime ; sh:severity sh:Warning ] .
    "#;
    let graph: Graph = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(shapes_ttl)
        .map(|q| q.map(|q| Triple::new(q.subject, q.predicate, q.object)))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}"));
    let shapes = compile(&graph);
    let mut ill_typed = Vec::new();
    for file in files_with_ext(&root.join("dcat-ap/real-catalogues"), &["ttl", "rdf"]) {
        let data = match load_data(&file) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let report = validate(&shapes, &data);
        for r in report.results() {
            let Some(Term::Literal(l)) = &r.value else {
                continue;
            };
            if l.datatype().as_str() == XSD_DATE_TIME {
                let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
                ill_typed.push((
                    name.unwrap_or_default(),
                    r.source_constraint_component.as_str().to_owned(),
                    l.value().to_owned(),
                ));
            }
        }
    }
    let expected_value = "2021-01-28 GMT 01:51:03.34919300";
    let datatype: Vec<_> =
        ill_typed.iter().filter(|(_, c, _)| c == &format!("{SH}DatatypeConstraintComponent")).collect();
    let or: Vec<_> =
        ill_typed.iter().filter(|(_, c, _)| c == &format!("{SH}OrConstraintComponent")).collect();
    assert_eq!(datatype.len(), 1, "{ill_typed:?}");
    assert_eq!(or.len(), 1, "{ill_typed:?}");
    assert_eq!(datatype[0].0, "bremen-catalog-original-input.rdf");
    assert_eq!(datatype[0].2, expected_value);
    assert_eq!(or[0].2, expected_value);
}

/// With the official shapes (typo fixed), the ill-typed `dct:modified` of bremen fails
/// `:DateOrDateTimeDataType_Shape` through `sh:node`.
#[test]
fn bremen_ill_typed_modified_fails_official_date_shape() {
    let Some(root) = root() else { return };
    let shapes = compile(&fixed_sh_shape(&html_shapes(&root, false)));
    let data = match load_data(&root.join("dcat-ap/real-catalogues/bremen-catalog-original-input.rdf")) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let report = validate(&shapes, &data);
    let hits: Vec<_> = report
        .results()
        .iter()
        .filter(|r| {
            r.source_constraint_component.as_str() == format!("{SH}NodeConstraintComponent")
                && matches!(&r.value, Some(Term::Literal(l)) if l.value() == "2021-01-28 GMT 01:51:03.34919300")
        })
        .collect();
    assert_eq!(hits.len(), 1, "{}", report.summary_text());
}

#[test]
fn invalid_example_turtle_is_a_parse_error() {
    let Some(root) = root() else { return };
    for file in [
        "dcat-ap/3.0.1/examples/example-bee-population-dataset-series-api.ttl",
        "dcat-ap/3.0.1/examples/example-bee-population-dataset-series-combined.ttl",
        "dcat-ap/3.0.0-hvd/examples/example-bees_wasps_dataset.ttl",
    ] {
        let path = root.join(file);
        assert!(path.exists(), "{} missing", path.display());
        assert!(load_data(&path).is_err(), "{file} should not parse");
        assert!(load_graph(&path).is_err(), "{file} should not parse");
    }
}
