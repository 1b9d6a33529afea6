//! Unit tests of the engine's API (the W3C suite runs as an integration test).

use super::*;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, NamedOrBlankNodeRef, Triple};

const PREFIXES: &str = "@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix dct: <http://purl.org/dc/terms/> .
";

fn graph(ttl: &str) -> Graph {
    let text = format!("{PREFIXES}{ttl}");
    RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(&text)
        .map(|q| q.map(|q| Triple::new(q.subject, q.predicate, q.object)))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("bad test Turtle: {e}"))
}

fn data(ttl: &str) -> IndexedGraph {
    IndexedGraph::from_triples(graph(ttl).iter().map(|t| t.into_owned()))
}

fn shapes(ttl: &str) -> Shapes {
    Shapes::from_graph(&graph(ttl)).unwrap_or_else(|e| panic!("shapes: {e}"))
}

fn shape_error(ttl: &str) -> String {
    match Shapes::from_graph(&graph(ttl)) {
        Ok(_) => panic!("expected an ill-formed shape"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn ill_formed_shapes_name_node_and_problem() {
    let e = shape_error("ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:minCount 1 .");
    assert!(e.contains("<http://example.org/S>") && e.contains("sh:path"), "{e}");
    let e = shape_error("ex:S a sh:NodeShape ; sh:property [ sh:path ex:p ; sh:minCount \"one\" ] .");
    assert!(e.contains("minCount") && e.contains("integer"), "{e}");
    let e = shape_error("ex:S a sh:NodeShape ; sh:in ex:notAList .");
    assert!(e.contains("<http://example.org/S>") && e.contains("list"), "{e}");
    let e = shape_error("ex:S a sh:NodeShape ; sh:pattern \"(unclosed\" .");
    assert!(e.contains("<http://example.org/S>") && e.contains("pattern"), "{e}");
    let e = shape_error("ex:S a sh:NodeShape ; sh:nodeKind ex:Nope .");
    assert!(e.contains("nodeKind"), "{e}");
    let e = shape_error(
        "ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:sparql [ sh:select \"SELECT $this WHERE { MINUS { $this ?p ?o } }\" ] .",
    );
    assert!(e.contains("MINUS"), "{e}");
}

#[test]
fn deactivated_and_severity() {
    let s = shapes(
        "ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:class ex:C ; sh:severity sh:Warning .
         ex:T a sh:NodeShape ; sh:targetNode ex:x ; sh:class ex:C ; sh:deactivated true .",
    );
    let report = s.validate(&data("ex:x ex:p 1 .")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.results().len(), 1);
    assert_eq!(report.results()[0].severity, Severity::Warning);
    assert!(!report.conforms());
}

#[test]
fn literals_keep_their_lexical_form() {
    let s = shapes(
        "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:n ;
           sh:property [ sh:path ex:n ; sh:datatype xsd:integer ; sh:maxInclusive 10 ] .",
    );
    let d = data("ex:a ex:n \"abc\"^^xsd:integer, \"011\"^^xsd:integer, \"7\"^^xsd:integer .");
    let report = s.validate(&d).unwrap_or_else(|e| panic!("{e}"));
    let values: Vec<(String, String)> = report
        .results()
        .iter()
        .map(|r| {
            (
                r.source_constraint_component.as_str().rsplit('#').next().unwrap_or("").to_owned(),
                r.value.as_ref().map(ToString::to_string).unwrap_or_default(),
            )
        })
        .collect();
    assert!(values.contains(&(
        "DatatypeConstraintComponent".into(),
        "\"abc\"^^<http://www.w3.org/2001/XMLSchema#integer>".into()
    )));
    // "011" is a valid integer above 10: reported with its own lexical form.
    assert!(values.contains(&(
        "MaxInclusiveConstraintComponent".into(),
        "\"011\"^^<http://www.w3.org/2001/XMLSchema#integer>".into()
    )));
    // "abc" is not comparable either.
    assert_eq!(values.len(), 3, "{values:?}");
}

#[test]
fn class_oracle_types_external_iris() {
    let s = shapes(
        "ex:DatasetShape a sh:NodeShape ; sh:targetSubjectsOf dct:publisher ;
           sh:property [ sh:path dct:publisher ; sh:class foaf:Agent ] .
         foaf:Organization <http://www.w3.org/2000/01/rdf-schema#subClassOf> foaf:Agent .",
    );
    let submission = data(
        "ex:ds dct:publisher ex:ministry .
         foaf:Organization <http://www.w3.org/2000/01/rdf-schema#subClassOf> foaf:Agent .",
    );
    let plain = s.validate(&submission).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plain.results().len(), 1, "{}", plain.summary_text());

    let registered = |node: NamedOrBlankNodeRef<'_>| -> Vec<NamedNode> {
        if node.to_string() == "<http://example.org/ministry>" {
            vec![NamedNode::new_unchecked("http://xmlns.com/foaf/0.1/Organization")]
        } else {
            Vec::new()
        }
    };
    let overlay = WithClassOracle::new(&submission, registered);
    let report = s.validate(&overlay).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.conforms(), "{}", report.summary_text());
}

#[test]
fn recursive_shapes_terminate() {
    let s = shapes(
        "ex:Person a sh:NodeShape ; sh:targetClass ex:Person ;
           sh:property [ sh:path ex:knows ; sh:node ex:Person ] ;
           sh:property [ sh:path ex:name ; sh:minCount 1 ] .",
    );
    let d = data(
        "ex:a a ex:Person ; ex:name \"a\" ; ex:knows ex:b .
         ex:b a ex:Person ; ex:name \"b\" ; ex:knows ex:a .
         ex:c a ex:Person ; ex:knows ex:c .",
    );
    let report = s.validate(&d).unwrap_or_else(|e| panic!("{e}"));
    // ex:a and ex:b conform (the cycle between them terminates); ex:c has no name
    // (MinCount) and so its ex:knows value, itself, does not conform (Node).
    assert_eq!(report.results().len(), 2, "{}", report.summary_text());
    assert!(report.results().iter().all(|r| r.focus_node.to_string() == "<http://example.org/c>"));

    // A very deep chain gives an error, not a stack overflow.
    let mut chain = String::new();
    for i in 0..2000 {
        chain.push_str(&format!("ex:n{i} ex:knows ex:n{} ; ex:name \"n\" .\n", i + 1));
    }
    chain.push_str("ex:n0 a ex:Person .\n");
    match s.validate(&data(&chain)) {
        Err(ValidationError::RecursionLimit(_)) => {}
        other => panic!("expected a recursion-limit error, got {other:?}"),
    }
}

#[test]
fn paths_and_report_serialisation() {
    let s = shapes(
        "ex:S a sh:NodeShape ; sh:targetNode ex:a ;
           sh:property [ sh:path ( ex:p [ sh:zeroOrMorePath ex:q ] ) ; sh:maxCount 2 ;
                         sh:message \"too many\"@en ] .",
    );
    let d = data("ex:a ex:p ex:b . ex:b ex:q ex:c . ex:c ex:q ex:d . ex:c ex:q ex:b .");
    let report = s.validate(&d).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.results().len(), 1);
    let r = &report.results()[0];
    assert!(r.value.is_none());
    assert_eq!(r.messages[0].value(), "too many");
    assert!(matches!(&r.result_path, Some(PropertyPath::Sequence(items)) if items.len() == 2));

    let graph = report.to_graph();
    assert!(graph.len() > 10);
    let turtle = report.write(RdfFormat::Turtle, Vec::new()).unwrap_or_else(|e| panic!("{e}"));
    let turtle = String::from_utf8(turtle).unwrap_or_default();
    assert!(turtle.contains("sh:ValidationReport") && turtle.contains("sh:zeroOrMorePath"), "{turtle}");
    let json = report
        .write(RdfFormat::JsonLd { profile: oxigraph::io::JsonLdProfileSet::empty() }, Vec::new())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(String::from_utf8(json).unwrap_or_default().contains("focusNode"));
    let summary = report.summary_text();
    assert!(summary.starts_with("conforms: false; 1 result(s): 1 Violation"), "{summary}");
    assert!(summary.contains("<http://example.org/a>") && summary.contains("too many"), "{summary}");
}

#[test]
fn sparql_constraint_with_blank_focus_node() {
    let s = shapes(
        "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ;
           sh:sparql [ sh:select \"\"\"SELECT $this ?value WHERE { $this <http://example.org/p> ?value .
                                   FILTER (isBlank($this) && ?value > 1) }\"\"\" ] .",
    );
    let d = data("[] ex:p 1 . [] ex:p 2 . ex:named ex:p 3 .");
    let report = s.validate(&d).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.results().len(), 1, "{}", report.summary_text());
    assert!(report.results()[0].focus_node.is_blank_node());
}

#[test]
fn indexed_graph_lookups() {
    let d = data("ex:a ex:p ex:b, ex:c . ex:d ex:p ex:b . ex:a ex:q 1 .");
    assert_eq!(d.len(), 4);
    let p = d.lookup(NamedNode::new_unchecked("http://example.org/p").as_ref().into());
    let b = d.lookup(NamedNode::new_unchecked("http://example.org/b").as_ref().into());
    let (Ok(Some(p)), Ok(Some(b))) = (p, b) else {
        panic!("terms not found");
    };
    assert_eq!(d.subjects(&p, &b).map(|s| s.len()).unwrap_or(0), 2);
    assert_eq!(d.subjects_with_predicate(&p).map(|s| s.len()).unwrap_or(0), 2);
    assert_eq!(d.objects_with_predicate(&p).map(|s| s.len()).unwrap_or(0), 2);
    assert_eq!(d.triples_matching(None, None, None).count(), 4);
    assert_eq!(d.iter().count(), 4);
}
