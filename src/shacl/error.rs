//! Error types: [`ShapeError`] for ill-formed shapes graphs and [`ValidationError`]
//! for failures while validating (data access, SPARQL evaluation). A data graph that
//! does not conform is *not* an error: it is a [`ValidationReport`](super::ValidationReport).

use oxigraph::model::Term;
use std::error::Error;
use std::fmt;

/// An ill-formed shapes graph ([SHACL §3.4](https://www.w3.org/TR/shacl/#shapes-graph-wellformed)).
///
/// Its `Display` names the shape (or other) node concerned and the problem.
#[derive(Debug, Clone)]
pub struct ShapeError {
    node: Option<Term>,
    problem: String,
}

impl ShapeError {
    pub(crate) fn new(node: Option<Term>, problem: impl Into<String>) -> Self {
        Self { node, problem: problem.into() }
    }

    /// The shape (or constraint, component, list…) node that is ill-formed, if known.
    pub fn node(&self) -> Option<&Term> {
        self.node.as_ref()
    }

    /// A description of the problem.
    pub fn problem(&self) -> &str {
        &self.problem
    }
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.node {
            Some(node) => write!(f, "ill-formed shape {node}: {}", self.problem),
            None => write!(f, "ill-formed shapes graph: {}", self.problem),
        }
    }
}

impl Error for ShapeError {}

/// A SPARQL-based constraint that could not run, or that reported `?failure`.
#[derive(Debug, Clone, thiserror::Error)]
#[error("SPARQL constraint {constraint} of shape {shape} failed: {message}")]
pub struct SparqlFailure {
    /// The shape.
    pub shape: Term,
    /// The constraint / validator node.
    pub constraint: Term,
    /// What went wrong.
    pub message: String,
}

/// Nested shape evaluation went deeper than the engine allows.
#[derive(Debug, Clone, thiserror::Error)]
#[error("shape {shape} nested too deeply on focus node {focus} (recursive shape over deep data?)")]
pub struct RecursionLimit {
    /// The shape that was being entered.
    pub shape: Term,
    /// The focus node.
    pub focus: Term,
}

/// A failure while validating: the data could not be read, a SPARQL-based constraint
/// failed to evaluate or reported a failure, or shape recursion went too deep.
#[derive(Debug, thiserror::Error)]
pub enum ValidationError {
    /// The data graph (or class oracle) reported an error.
    #[error("data access failed: {0}")]
    Data(#[source] Box<dyn Error + Send + Sync + 'static>),
    /// A SPARQL-based constraint could not be evaluated or bound `?failure` to `true`.
    #[error(transparent)]
    Sparql(Box<SparqlFailure>),
    /// Nested shape evaluation (`sh:node`, `sh:property`, …) exceeded the depth limit.
    #[error(transparent)]
    RecursionLimit(Box<RecursionLimit>),
}

impl ValidationError {
    pub(crate) fn data(e: impl Error + Send + Sync + 'static) -> Self {
        Self::Data(Box::new(e))
    }

    pub(crate) fn sparql(shape: &Term, constraint: &Term, message: String) -> Self {
        Self::Sparql(Box::new(SparqlFailure {
            shape: shape.clone(),
            constraint: constraint.clone(),
            message,
        }))
    }
}
