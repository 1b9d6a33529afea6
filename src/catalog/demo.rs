//! The demo catalogue (`demo/*.trig`): a fictional national catalogue used by `serve --demo` and the
//! tests. Its IRIs are relative and resolved against the server's base URL, so the demo dereferences
//! wherever the server runs. Every record is a named graph named by its own IRI; the demo goes through
//! the registry like any submission (validated, versioned, audited), publishers first.

use crate::bundled::DEMO_FILES;
use crate::rdf::ns::foaf;
use crate::registry::kind::Kind;
use crate::registry::lifecycle::Status;
use crate::registry::submission::{Submission, record_resources};
use crate::registry::{Principal, Registry, RegistryError};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphName, NamedNode, Term, Triple};
use std::collections::BTreeMap;

/// What can go wrong while loading the demo.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// A bundled file does not parse (a build defect, caught by the tests).
    #[error("demo/{file}: {message}")]
    Parse {
        /// The file name.
        file: String,
        /// `LINE:COL: what`.
        message: String,
    },
    /// The base URL is not an absolute IRI.
    #[error("invalid base URL {0}")]
    Base(String),
    /// A demo record was refused (a defect of the demo, caught by the tests).
    #[error("demo record {record}: {error}")]
    Refused {
        /// The record.
        record: String,
        /// Why.
        error: Box<RegistryError>,
    },
}

/// The demo's records: graph name → triples, with IRIs resolved against `base` (which ends with `/`).
pub fn records(base: &str) -> Result<BTreeMap<NamedNode, Vec<Triple>>, DemoError> {
    let mut records: BTreeMap<NamedNode, Vec<Triple>> = BTreeMap::new();
    for (file, content) in DEMO_FILES {
        let parser = RdfParser::from_format(RdfFormat::TriG)
            .with_base_iri(base)
            .map_err(|_| DemoError::Base(base.to_owned()))?;
        for quad in parser.for_slice(content.as_bytes()) {
            let quad = quad.map_err(|e| DemoError::Parse {
                file: (*file).to_owned(),
                message: crate::rdf::io::describe_parse_error(&e.into()),
            })?;
            if let GraphName::NamedNode(g) = quad.graph_name.clone() {
                records.entry(g).or_default().push(quad.into());
            }
        }
    }
    Ok(records)
}

/// Loads the demo records unless the registry already holds records. Returns how many were loaded.
pub fn load_if_empty(registry: &Registry, base: &str) -> Result<usize, DemoError> {
    if !registry.list(&Default::default(), &crate::store::Viewer::Operator).is_empty() {
        return Ok(0);
    }
    let system = Principal::system();
    let mut submissions: Vec<Submission> = Vec::new();
    for (name, triples) in records(base)? {
        let is_agent = triples.iter().any(|t| {
            t.subject == name.clone().into()
                && t.predicate == rdf::TYPE
                && t.object == Term::from(foaf::AGENT.into_owned())
        });
        let (main, kind) = if is_agent {
            (name.clone().into(), Kind::Publisher)
        } else {
            match record_resources(&triples).into_iter().find(|(r, _)| *r == name.clone().into()) {
                Some(found) => found,
                None => continue,
            }
        };
        submissions.push(Submission { triples, main, kind });
    }
    // Publishers first (records name them), standards next (datasets conform to them), then
    // datasets, series, services (which serve datasets) and catalogues.
    submissions.sort_by_key(|s| match s.kind {
        Kind::Publisher => 0,
        Kind::Standard => 1,
        Kind::Dataset => 2,
        Kind::Series => 3,
        Kind::Service => 4,
        Kind::Catalog => 5,
    });
    let refused = |record: &Submission, error: RegistryError| DemoError::Refused {
        record: record.main.to_string(),
        error: Box::new(error),
    };
    for submission in &submissions {
        let owner = match submission.kind {
            Kind::Publisher => match &submission.main {
                oxigraph::model::NamedOrBlankNode::NamedNode(n) => Some(n.clone()),
                oxigraph::model::NamedOrBlankNode::BlankNode(_) => None,
            },
            _ => None,
        };
        let outcome = registry
            .write_submission(&system, submission, None, None, owner.as_ref())
            .map_err(|e| refused(submission, e))?;
        if outcome.record.status == Status::Submitted {
            // The demo shows published standards.
            registry
                .set_status(&system, &outcome.record.id, Status::Stable, None)
                .map_err(|e| refused(submission, e))?;
        }
    }
    Ok(submissions.len())
}
