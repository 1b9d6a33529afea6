//! A SHACL engine: [SHACL Core](https://www.w3.org/TR/shacl/#core-components) and
//! [SHACL-SPARQL](https://www.w3.org/TR/shacl/#sparql-constraints), W3C Recommendation
//! of 20 July 2017.
//!
//! ```text
//! shapes graph ──Shapes::from_graph──▶ Shapes (compiled: interned shapes, resolved paths)
//! data ──IndexedGraph::from_triples──▶ IndexedGraph (or any DataGraph)
//! Shapes::validate(&data) ──▶ ValidationReport { conforms, results } ──▶ to_graph / write / summary_text
//! ```
//!
//! * `parse` compiles the shapes graph ([§2](https://www.w3.org/TR/shacl/#shapes),
//!   well-formedness [§3.4](https://www.w3.org/TR/shacl/#shapes-graph-wellformed));
//!   an ill-formed shape is a [`ShapeError`] naming the shape node.
//! * `path`: property paths ([§2.3.1](https://www.w3.org/TR/shacl/#property-paths)).
//! * `core`: targets ([§2.1.3](https://www.w3.org/TR/shacl/#targets)) and all
//!   Core constraint components ([§4](https://www.w3.org/TR/shacl/#core-components)).
//! * `sparql`: SHACL-SPARQL ([§5](https://www.w3.org/TR/shacl/#sparql-constraints),
//!   [§6](https://www.w3.org/TR/shacl/#sparql-constraint-components)), evaluated with
//!   `spareval` over the data graph with pre-binding by algebra substitution.
//! * `data`: the [`DataGraph`] trait, [`IndexedGraph`] and [`WithClassOracle`].
//! * `report`: the validation report ([§3.6](https://www.w3.org/TR/shacl/#validation-report)).
//!
//! The module depends only on the RDF model (`oxigraph::model`, `oxigraph::io`),
//! `spargebra`/`spareval`, `oxsdatatypes` and `regex`.

pub(crate) mod core;
pub mod data;
pub mod error;
pub(crate) mod ir;
pub(crate) mod parse;
pub mod path;
pub mod report;
pub mod sparql;
pub mod vocab;

pub use data::{ClassOracle, DataGraph, IndexedGraph, IndexedGraphBuilder, OracleError, WithClassOracle};
pub use error::{RecursionLimit, ShapeError, SparqlFailure, ValidationError};
pub use path::PropertyPath;
pub use report::{Severity, ValidationReport, ValidationResult};

use oxigraph::model::{Graph, Term};

/// A compiled shapes graph, ready to validate any number of data graphs.
#[derive(Debug)]
pub struct Shapes {
    pub(crate) shapes: Vec<ir::Shape>,
    pub(crate) consts: Vec<Term>,
    roots: Vec<ir::ShapeId>,
    pub(crate) graph: Graph,
    warnings: Vec<String>,
}

impl Shapes {
    /// Compiles a shapes graph.
    ///
    /// Errors on ill-formed shapes (e.g. a property shape without `sh:path`, a
    /// non-integer `sh:minCount`, a malformed list, a bad regex, a forbidden SPARQL
    /// form); the error names the shape node and the problem.
    pub fn from_graph(graph: &Graph) -> Result<Self, ShapeError> {
        let compiled = parse::compile(graph)?;
        Ok(Self {
            shapes: compiled.shapes,
            consts: compiled.consts,
            roots: compiled.roots,
            graph: graph.clone(),
            warnings: compiled.warnings,
        })
    }

    /// Number of compiled shapes (node and property shapes, including nested ones).
    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    /// Whether there is no shape at all.
    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }

    /// Non-fatal remarks about the shapes graph (e.g. shapes referenced but never
    /// defined, parameters ignored on node shapes).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Validates `data` against all shapes with targets
    /// ([§3.3](https://www.w3.org/TR/shacl/#validation-definition)).
    ///
    /// Non-conformance is reported in the [`ValidationReport`]; `Err` only means the
    /// data could not be read or a SPARQL-based constraint failed to run.
    pub fn validate<G: DataGraph>(&self, data: &G) -> Result<ValidationReport, ValidationError> {
        let mut engine = core::Engine::new(self, data)?;
        let mut results = Vec::new();
        let mut checked = 0;
        for &id in &self.roots {
            if self.shapes[id as usize].deactivated {
                continue;
            }
            for focus in engine.focus_nodes(id)? {
                checked += 1;
                engine.validate_shape(id, &focus, Some(&mut results))?;
            }
        }
        Ok(ValidationReport::new(results, checked))
    }
}

#[cfg(test)]
mod tests;
