//! The validation service: the bundled SHACL profiles (`shapes/`), compiled once, and validation of
//! a submission against one of them, with `sh:class` look-ups that also see the store (a dataset may
//! name a publisher registered earlier).

use crate::bundled::SHAPES_FILES;
use crate::shacl::{IndexedGraph, ShapeError, Shapes, ValidationError, ValidationReport, WithClassOracle};
use crate::store::{Store, StoreError};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, NamedNode, NamedOrBlankNodeRef, Triple};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// What can go wrong while validating (never non-conformance: that is a report).
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    /// No bundled profile has that name.
    #[error("unknown profile {name:?}; the bundled profiles are: {known}")]
    UnknownProfile {
        /// The name asked for.
        name: String,
        /// The names there are.
        known: String,
    },
    /// A shapes graph does not parse or is ill-formed.
    #[error("{0}")]
    Shapes(String),
    /// Validation could not run (data access, a SPARQL-based constraint).
    #[error("validation failed to run: {0}")]
    Engine(Box<ValidationError>),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<ValidationError> for ValidateError {
    fn from(error: ValidationError) -> Self {
        Self::Engine(Box::new(error))
    }
}

/// Parses a shapes graph (Turtle or another syntax) and compiles it.
pub fn compile_shapes(name: &str, format: RdfFormat, data: &[u8]) -> Result<Shapes, ValidateError> {
    let graph = RdfParser::from_format(format)
        .for_slice(data)
        .map(|q| q.map(Triple::from))
        .collect::<Result<Graph, _>>()
        .map_err(|e| {
            ValidateError::Shapes(format!("{name}:{}", crate::rdf::io::describe_parse_error(&e.into())))
        })?;
    Shapes::from_graph(&graph).map_err(|e: ShapeError| ValidateError::Shapes(format!("{name}: {e}")))
}

/// The bundled profiles, by name (file stem): compiled on first use, then shared.
pub fn profiles() -> &'static BTreeMap<&'static str, Result<Arc<Shapes>, String>> {
    static PROFILES: OnceLock<BTreeMap<&'static str, Result<Arc<Shapes>, String>>> = OnceLock::new();
    PROFILES.get_or_init(|| {
        SHAPES_FILES
            .iter()
            .map(|(file, content)| {
                let name = file.strip_suffix(".ttl").unwrap_or(file);
                let compiled = compile_shapes(file, RdfFormat::Turtle, content.as_bytes())
                    .map(Arc::new)
                    .map_err(|e| e.to_string());
                (name, compiled)
            })
            .collect()
    })
}

/// A bundled profile by name.
pub fn profile(name: &str) -> Result<Arc<Shapes>, ValidateError> {
    match profiles().get(name) {
        Some(Ok(shapes)) => Ok(Arc::clone(shapes)),
        Some(Err(message)) => Err(ValidateError::Shapes(message.clone())),
        None => Err(ValidateError::UnknownProfile {
            name: name.to_owned(),
            known: profiles().keys().copied().collect::<Vec<_>>().join(", "),
        }),
    }
}

/// Validates a submission. `sh:class` checks of nodes the submission does not type are answered
/// from the store, so a submission may point to records registered earlier.
pub fn validate_submission(
    shapes: &Shapes,
    triples: &[Triple],
    store: Option<&Store>,
) -> Result<ValidationReport, ValidateError> {
    let data = IndexedGraph::from_triples(triples.iter().cloned());
    match store {
        None => Ok(shapes.validate(&data)?),
        Some(store) => {
            let oracle = |node: NamedOrBlankNodeRef<'_>| -> Vec<NamedNode> {
                match node {
                    NamedOrBlankNodeRef::NamedNode(n) => store.types_of(n).unwrap_or_default(),
                    NamedOrBlankNodeRef::BlankNode(_) => Vec::new(),
                }
            };
            Ok(shapes.validate(&WithClassOracle::new(&data, oracle))?)
        }
    }
}
