//! Validation reports ([SHACL §3.6](https://www.w3.org/TR/shacl/#validation-report)):
//! the Rust values, their RDF form (`sh:ValidationReport`), serialisation and a short
//! human-readable summary.

use super::path::PropertyPath;
use super::vocab::{rdf, sh};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{BlankNode, Graph, Literal, NamedNode, NamedNodeRef, Term, Triple};
use std::fmt::{self, Write as _};
use std::io::{self, Write};

/// Severity of a validation result ([SHACL §2.1.5](https://www.w3.org/TR/shacl/#severity)).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Severity {
    /// `sh:Violation` (the default).
    Violation,
    /// `sh:Warning`.
    Warning,
    /// `sh:Info`.
    Info,
    /// Any other IRI given as `sh:severity`.
    Other(NamedNode),
}

impl Severity {
    /// From the `sh:severity` IRI.
    pub fn from_iri(iri: NamedNodeRef<'_>) -> Self {
        match iri {
            sh::VIOLATION => Self::Violation,
            sh::WARNING => Self::Warning,
            sh::INFO => Self::Info,
            other => Self::Other(other.into_owned()),
        }
    }

    /// The `sh:severity` IRI.
    pub fn iri(&self) -> NamedNodeRef<'_> {
        match self {
            Self::Violation => sh::VIOLATION,
            Self::Warning => sh::WARNING,
            Self::Info => sh::INFO,
            Self::Other(iri) => iri.as_ref(),
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Violation => f.write_str("Violation"),
            Self::Warning => f.write_str("Warning"),
            Self::Info => f.write_str("Info"),
            Self::Other(iri) => write!(f, "{iri}"),
        }
    }
}

/// One `sh:ValidationResult` ([SHACL §3.6.2](https://www.w3.org/TR/shacl/#results-validation-result)).
///
/// Terms are the data graph's own terms (literals keep their lexical form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationResult {
    /// `sh:focusNode`.
    pub focus_node: Term,
    /// `sh:resultPath`.
    pub result_path: Option<PropertyPath>,
    /// `sh:value`.
    pub value: Option<Term>,
    /// `sh:sourceShape`.
    pub source_shape: Term,
    /// `sh:sourceConstraintComponent`.
    pub source_constraint_component: NamedNode,
    /// `sh:sourceConstraint` (SPARQL-based constraints).
    pub source_constraint: Option<Term>,
    /// `sh:resultSeverity`.
    pub severity: Severity,
    /// `sh:resultMessage` values.
    pub messages: Vec<Literal>,
    /// `sh:detail`: nested results (may be empty).
    pub details: Vec<ValidationResult>,
}

impl ValidationResult {
    fn write_into(&self, graph: &mut Graph) -> BlankNode {
        let node = BlankNode::default();
        let mut add = |p: NamedNodeRef<'_>, o: Term| {
            graph.insert(&Triple::new(node.clone(), p, o));
        };
        add(rdf::TYPE, sh::VALIDATION_RESULT.into_owned().into());
        add(sh::FOCUS_NODE, self.focus_node.clone());
        if let Some(v) = &self.value {
            add(sh::VALUE, v.clone());
        }
        add(sh::SOURCE_SHAPE, self.source_shape.clone());
        add(sh::SOURCE_CONSTRAINT_COMPONENT, self.source_constraint_component.clone().into());
        if let Some(c) = &self.source_constraint {
            add(sh::SOURCE_CONSTRAINT, c.clone());
        }
        add(sh::RESULT_SEVERITY, self.severity.iri().into_owned().into());
        for m in &self.messages {
            add(sh::RESULT_MESSAGE, m.clone().into());
        }
        if let Some(path) = &self.result_path {
            let p = path.to_rdf(graph);
            graph.insert(&Triple::new(node.clone(), sh::RESULT_PATH, p));
        }
        for d in &self.details {
            let child = d.write_into(graph);
            graph.insert(&Triple::new(node.clone(), sh::DETAIL, child));
        }
        node
    }
}

/// A validation report ([SHACL §3.6.1](https://www.w3.org/TR/shacl/#validation-report)).
///
/// Non-conformance is a report, never an `Err`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationReport {
    conforms: bool,
    results: Vec<ValidationResult>,
    focus_nodes_checked: usize,
}

impl ValidationReport {
    pub(crate) fn new(results: Vec<ValidationResult>, focus_nodes_checked: usize) -> Self {
        Self { conforms: results.is_empty(), results, focus_nodes_checked }
    }

    /// `sh:conforms`: true iff there is no validation result (of any severity).
    pub fn conforms(&self) -> bool {
        self.conforms
    }

    /// The validation results.
    pub fn results(&self) -> &[ValidationResult] {
        &self.results
    }

    /// Consumes the report, returning its results.
    pub fn into_results(self) -> Vec<ValidationResult> {
        self.results
    }

    /// Number of (shape, focus node) pairs validated from targets.
    pub fn focus_nodes_checked(&self) -> usize {
        self.focus_nodes_checked
    }

    /// Number of results with the given severity.
    pub fn count(&self, severity: &Severity) -> usize {
        self.results.iter().filter(|r| &r.severity == severity).count()
    }

    /// The report as an RDF graph (a `sh:ValidationReport` blank node and its results).
    pub fn to_graph(&self) -> Graph {
        let mut graph = Graph::new();
        let report = BlankNode::default();
        graph.insert(&Triple::new(report.clone(), rdf::TYPE, sh::VALIDATION_REPORT));
        graph.insert(&Triple::new(report.clone(), sh::CONFORMS, Literal::from(self.conforms)));
        for r in &self.results {
            let node = r.write_into(&mut graph);
            graph.insert(&Triple::new(report.clone(), sh::RESULT, node));
        }
        graph
    }

    /// Serialises [`Self::to_graph`] in `format` (e.g. Turtle or JSON-LD) to `writer`.
    pub fn write<W: Write>(&self, format: RdfFormat, writer: W) -> io::Result<W> {
        let mut serializer = RdfSerializer::from_format(format);
        for (prefix, iri) in [
            ("sh", sh::NAMESPACE),
            ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
            ("xsd", "http://www.w3.org/2001/XMLSchema#"),
        ] {
            serializer = serializer
                .with_prefix(prefix, iri)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        }
        let mut writer = serializer.for_writer(writer);
        for triple in &self.to_graph() {
            writer.serialize_triple(triple)?;
        }
        writer.finish()
    }

    /// A short text summary: counts by severity, then one line per result
    /// (severity, focus node, path, message).
    pub fn summary_text(&self) -> String {
        let mut out = String::new();
        let mut counts: Vec<(Severity, usize)> = Vec::new();
        for r in &self.results {
            match counts.iter_mut().find(|(s, _)| s == &r.severity) {
                Some((_, n)) => *n += 1,
                None => counts.push((r.severity.clone(), 1)),
            }
        }
        counts.sort_by_key(|(s, _)| match s {
            Severity::Violation => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
            Severity::Other(_) => 3,
        });
        let _ = write!(out, "conforms: {}; {} result(s)", self.conforms, self.results.len());
        for (i, (s, n)) in counts.iter().enumerate() {
            let _ = write!(out, "{} {n} {s}", if i == 0 { ":" } else { "," });
        }
        out.push('\n');
        for r in &self.results {
            let _ = write!(out, "[{}] {}", r.severity, r.focus_node);
            if let Some(p) = &r.result_path {
                let _ = write!(out, " {p}");
            }
            let message = r
                .messages
                .first()
                .map_or_else(|| r.source_constraint_component.as_str().to_owned(), |m| m.value().to_owned());
            let _ = write!(out, ": {message}");
            if let Some(v) = &r.value {
                let _ = write!(out, " (value {v})");
            }
            out.push('\n');
        }
        out
    }
}
