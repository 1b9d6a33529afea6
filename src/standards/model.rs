//! SHACL data models: a `dct:Standard` record whose content carries a shapes graph inline (in the
//! record's own graph, next to the standard's description). Such a standard, once published, is a
//! validation profile: records that state `dct:conformsTo` it are validated against it too.
//!
//! Nothing is fetched: the shapes are the record's content, so they are versioned, visible and
//! withdrawn with the record. Only SHACL Core is accepted (a SHACL-SPARQL constraint or target is
//! refused), so validating a record against a registered standard stays bounded by the record's size.

use crate::shacl::Shapes;
use crate::shacl::vocab::sh;
use crate::store::Store;
use crate::validation::{self, ValidateError};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{Graph, NamedOrBlankNode, Term, Triple};
use rustc_hash::FxHashSet;
use serde::Serialize;

/// SHACL-SPARQL properties a registered standard may not use (they run queries of the standards
/// body's choosing on every conforming record).
const SPARQL_PROPERTIES: [oxigraph::model::NamedNodeRef<'static>; 8] = [
    sh::SPARQL,
    sh::SELECT,
    sh::ASK,
    sh::VALIDATOR,
    sh::NODE_VALIDATOR,
    sh::PROPERTY_VALIDATOR,
    sh::DECLARE,
    sh::PARAMETER,
];

/// `sh:target` (SPARQL-based targets).
const SH_TARGET: oxigraph::model::NamedNodeRef<'static> =
    oxigraph::model::NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#target");

/// Node shapes listed in a model's summary.
const SUMMARY_SHAPES: usize = 100;
/// Property shapes listed per node shape in a summary.
const SUMMARY_PROPERTIES: usize = 100;

/// Whether a triple speaks SHACL: a predicate in the `sh:` namespace, or a type there.
fn is_shacl(t: &Triple) -> bool {
    t.predicate.as_str().starts_with(sh::NAMESPACE)
        || (t.predicate == rdf::TYPE
            && matches!(&t.object, Term::NamedNode(c) if c.as_str().starts_with(sh::NAMESPACE)))
}

/// Whether some content carries SHACL at all (a linear scan).
pub fn has_shapes(triples: &[Triple]) -> bool {
    triples.iter().any(is_shacl)
}

/// The shapes graph inside a record's content: every subject that speaks SHACL, with everything
/// reachable from it through blank nodes (nested property shapes, RDF lists).
pub fn shapes_part(triples: &[Triple]) -> Vec<Triple> {
    let roots: FxHashSet<&NamedOrBlankNode> =
        triples.iter().filter(|t| is_shacl(t)).map(|t| &t.subject).collect();
    let mut keep: FxHashSet<NamedOrBlankNode> = roots.into_iter().cloned().collect();
    // Blank nodes reachable from kept subjects (fixpoint; each round adds at least one node).
    loop {
        let before = keep.len();
        let reached: Vec<NamedOrBlankNode> = triples
            .iter()
            .filter(|t| keep.contains(&t.subject))
            .filter_map(|t| match &t.object {
                Term::BlankNode(b) => Some(NamedOrBlankNode::from(b.clone())),
                _ => None,
            })
            .collect();
        keep.extend(reached);
        if keep.len() == before {
            break;
        }
    }
    triples.iter().filter(|t| keep.contains(&t.subject)).cloned().collect()
}

/// One property constraint as a summary shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PropertySummary {
    /// The path (a compact IRI when it is one predicate; else "…").
    pub path: String,
    /// `sh:minCount`.
    pub min: Option<String>,
    /// `sh:maxCount`.
    pub max: Option<String>,
    /// `sh:class`, `sh:datatype`, `sh:node` or `sh:in` in short.
    pub constraint: Option<String>,
}

/// One node shape as a summary shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ShapeSummary {
    /// The shape's IRI (or `_:` for a blank node).
    pub name: String,
    /// Its targets (classes, nodes, subjects or objects of a predicate).
    pub targets: Vec<String>,
    /// Its property constraints.
    pub properties: Vec<PropertySummary>,
    /// Property constraints not listed.
    pub more: usize,
}

/// A compiled data model.
#[derive(Debug)]
pub struct DataModel {
    /// The compiled shapes.
    pub shapes: Shapes,
    /// The shapes graph (what `/def/{scheme}/shapes` serves).
    pub triples: Vec<Triple>,
    /// The node shapes with targets, for the standard's page.
    pub summary: Vec<ShapeSummary>,
    /// Node shapes with targets not in `summary`.
    pub more: usize,
}

/// Why a standard's shapes cannot be a validation profile.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ModelError {
    /// A SHACL-SPARQL construct.
    #[error(
        "{subject} uses {property}: registered standards are SHACL Core only (no SHACL-SPARQL constraints or targets)"
    )]
    Sparql {
        /// Where.
        subject: String,
        /// The property.
        property: String,
    },
    /// The shapes are ill-formed.
    #[error("the shapes graph is ill-formed: {0}")]
    Shapes(String),
}

fn short(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => crate::rdf::io::compact(n.as_str()),
        Term::BlankNode(_) => "…".to_owned(),
        Term::Literal(l) => l.value().to_owned(),
    }
}

fn summarise(graph: &[Triple]) -> (Vec<ShapeSummary>, usize) {
    let objects = |s: &NamedOrBlankNode, p: oxigraph::model::NamedNodeRef<'_>| -> Vec<Term> {
        graph.iter().filter(|t| t.subject == *s && t.predicate == p).map(|t| t.object.clone()).collect()
    };
    let target_predicates =
        [sh::TARGET_CLASS, sh::TARGET_NODE, sh::TARGET_SUBJECTS_OF, sh::TARGET_OBJECTS_OF];
    let mut seen = FxHashSet::default();
    let mut shapes = Vec::new();
    let mut more = 0;
    for t in graph.iter().filter(|t| target_predicates.contains(&t.predicate.as_ref())) {
        if !seen.insert(t.subject.clone()) {
            continue;
        }
        if shapes.len() == SUMMARY_SHAPES {
            more += 1;
            continue;
        }
        let s = &t.subject;
        let mut targets = Vec::new();
        for (p, prefix) in [
            (sh::TARGET_CLASS, ""),
            (sh::TARGET_NODE, "node "),
            (sh::TARGET_SUBJECTS_OF, "subjects of "),
            (sh::TARGET_OBJECTS_OF, "objects of "),
        ] {
            targets.extend(objects(s, p).iter().map(|o| format!("{prefix}{}", short(o))));
        }
        let property_nodes: Vec<NamedOrBlankNode> = objects(s, sh::PROPERTY)
            .into_iter()
            .filter_map(|o| match o {
                Term::NamedNode(n) => Some(n.into()),
                Term::BlankNode(b) => Some(b.into()),
                Term::Literal(_) => None,
            })
            .collect();
        let properties = property_nodes
            .iter()
            .take(SUMMARY_PROPERTIES)
            .map(|p| {
                let first = |pred| objects(p, pred).first().map(short);
                PropertySummary {
                    path: first(sh::PATH).unwrap_or_else(|| "…".into()),
                    min: first(sh::MIN_COUNT),
                    max: first(sh::MAX_COUNT),
                    constraint: first(sh::CLASS)
                        .or_else(|| first(sh::DATATYPE))
                        .or_else(|| first(sh::NODE))
                        .or_else(|| first(sh::HAS_VALUE).map(|v| format!("= {v}")))
                        .or_else(|| objects(p, sh::IN).first().map(|_| "sh:in".to_owned())),
                }
            })
            .collect();
        let name = match s {
            NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
            NamedOrBlankNode::BlankNode(_) => "_:".to_owned(),
        };
        shapes.push(ShapeSummary {
            name,
            targets,
            properties,
            more: property_nodes.len().saturating_sub(SUMMARY_PROPERTIES),
        });
    }
    (shapes, more)
}

/// The data model in a standard's content: `Ok(None)` when it carries no SHACL, an error when its
/// shapes use SHACL-SPARQL or do not compile.
pub fn compile(content: &[Triple]) -> Result<Option<DataModel>, ModelError> {
    if !has_shapes(content) {
        return Ok(None);
    }
    for t in content {
        if SPARQL_PROPERTIES.contains(&t.predicate.as_ref()) || t.predicate == SH_TARGET {
            return Err(ModelError::Sparql {
                subject: t.subject.to_string(),
                property: t.predicate.to_string(),
            });
        }
    }
    let triples = shapes_part(content);
    let graph: Graph = triples.iter().collect();
    let shapes = Shapes::from_graph(&graph).map_err(|e| ModelError::Shapes(e.to_string()))?;
    if shapes.is_empty() {
        return Ok(None);
    }
    let (summary, more) = summarise(&triples);
    Ok(Some(DataModel { shapes, triples, summary, more }))
}

/// One result of validating a record against a data model, for people.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ResultLine {
    /// `Violation`, `Warning` or `Info`.
    pub severity: String,
    /// The focus node.
    pub focus: String,
    /// The path, if any.
    pub path: Option<String>,
    /// The offending value, if any.
    pub value: Option<String>,
    /// The shape's message (the first one).
    pub message: String,
}

/// A path as people read it: one predicate compacted (`dct:spatial`), anything else as SHACL writes it.
fn short_path(path: String) -> String {
    match path.strip_prefix('<').and_then(|p| p.strip_suffix('>')) {
        Some(iri) if !iri.contains(['<', '>', ' ']) => crate::rdf::io::compact(iri),
        _ => path,
    }
}

/// Results listed per record (the counts cover them all).
pub const RESULT_LINES: usize = 20;

/// The outcome of validating one record against one data model.
#[derive(Debug, Clone, Serialize)]
pub struct ModelCheck {
    /// No result of any severity.
    pub conforms: bool,
    /// Violations.
    pub violations: usize,
    /// Warnings and infos.
    pub warnings: usize,
    /// Focus nodes the shapes' targets selected in the record.
    pub checked: usize,
    /// The first results.
    pub results: Vec<ResultLine>,
}

/// Validates a record's content against a data model (`sh:class` look-ups of IRIs the record only
/// mentions are answered from the store, as for the record's own profile).
pub fn check(
    model: &DataModel,
    content: &[Triple],
    store: Option<&Store>,
) -> Result<ModelCheck, ValidateError> {
    let report = validation::validate_submission(&model.shapes, content, store)?;
    let violations = report.count(&crate::shacl::Severity::Violation);
    Ok(ModelCheck {
        conforms: report.conforms(),
        violations,
        warnings: report.results().len() - violations,
        checked: report.focus_nodes_checked(),
        results: report
            .results()
            .iter()
            .take(RESULT_LINES)
            .map(|r| ResultLine {
                severity: r.severity.to_string(),
                focus: r.focus_node.to_string(),
                path: r.result_path.as_ref().map(|p| short_path(p.to_string())),
                value: r.value.as_ref().map(ToString::to_string),
                message: r.messages.first().map(|m| m.value().to_owned()).unwrap_or_default(),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};

    fn parse(turtle: &str) -> Vec<Triple> {
        RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(turtle.as_bytes())
            .map(|q| q.map(Triple::from))
            .collect::<Result<_, _>>()
            .expect("turtle")
    }

    const STANDARD: &str = r#"
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix dct: <http://purl.org/dc/terms/> .
        @prefix dcat: <http://www.w3.org/ns/dcat#> .
        <http://s.example/std> a dct:Standard ; dct:title "Mô hình"@vi ; dcat:distribution <http://s.example/std/shapes> .
        <http://s.example/std/shapes> a dcat:Distribution ; dct:conformsTo <http://www.w3.org/ns/shacl#> .
        <http://s.example/std#DatasetShape> a sh:NodeShape ; sh:targetClass dcat:Dataset ;
            sh:property [ sh:path dct:spatial ; sh:minCount 1 ; sh:in ( <http://a.example/1> <http://a.example/2> ) ] .
    "#;

    #[test]
    fn the_shapes_part_leaves_the_description_out_and_keeps_nested_nodes() {
        let content = parse(STANDARD);
        let part = shapes_part(&content);
        assert!(part.iter().all(|t| !t.subject.to_string().contains("std>")), "{part:?}");
        // The node shape (3), its property shape (3), the list (2 × 2).
        assert_eq!(part.len(), 3 + 3 + 4, "{part:?}");
        let model = compile(&content).expect("compiles").expect("a model");
        assert_eq!(model.summary.len(), 1);
        assert_eq!(model.summary[0].targets, vec!["dcat:Dataset".to_owned()]);
        assert_eq!(model.summary[0].properties[0].path, "dct:spatial");
        assert_eq!(model.summary[0].properties[0].min.as_deref(), Some("1"));
    }

    #[test]
    fn records_are_checked_and_sparql_is_refused() {
        let model = compile(&parse(STANDARD)).expect("compiles").expect("a model");
        let good = parse(
            "<http://d.example/1> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/spatial> <http://a.example/1> .",
        );
        let bad = parse(
            "<http://d.example/2> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/spatial> <http://a.example/9> .",
        );
        let ok = check(&model, &good, None).expect("runs");
        assert!(ok.conforms && ok.checked == 1, "{ok:?}");
        let refused = check(&model, &bad, None).expect("runs");
        assert_eq!((refused.conforms, refused.violations), (false, 1), "{refused:?}");
        assert_eq!(refused.results[0].value.as_deref(), Some("<http://a.example/9>"));

        let sparql = format!(
            "{STANDARD} <http://s.example/std#DatasetShape> sh:sparql [ sh:select \"SELECT $this WHERE {{ }}\" ] ."
        );
        assert!(matches!(compile(&parse(&sparql)), Err(ModelError::Sparql { .. })));
        let broken =
            format!("{STANDARD} <http://s.example/std#DatasetShape> sh:property [ sh:minCount 1 ] .");
        assert!(matches!(compile(&parse(&broken)), Err(ModelError::Shapes(_))));
        assert!(
            compile(&parse("<http://x.example/a> <http://x.example/b> 1 .")).expect("no shapes").is_none()
        );
    }
}
