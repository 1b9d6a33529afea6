//! Vocabularies: the bundled ones in `vocab/` (loaded on start into one graph per file, reloaded
//! when a file's content changes) and, later, the SKOS code lists that standards bodies publish.

use crate::bundled::VOCAB_FILES;
use crate::rdf::ns::graph;
use crate::store::{GraphInfo, Store, StoreError};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, Triple};
use sha2::{Digest, Sha256};

/// What can go wrong while loading bundled vocabularies.
#[derive(Debug, thiserror::Error)]
pub enum VocabularyError {
    /// A bundled file does not parse (a build defect, caught by the tests).
    #[error("vocab/{file}: {message}")]
    Parse {
        /// The file name.
        file: String,
        /// `LINE:COL: what`.
        message: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The graph that holds a bundled vocabulary file.
pub fn vocab_graph(file: &str) -> NamedNode {
    let stem = file.strip_suffix(".ttl").unwrap_or(file);
    NamedNode::new_unchecked(format!("{}{stem}", graph::VOCAB_PREFIX))
}

/// Parses one bundled Turtle file.
pub fn parse_bundled(file: &str, content: &str) -> Result<Vec<Triple>, VocabularyError> {
    RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(content.as_bytes())
        .map(|q| q.map(Triple::from))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| VocabularyError::Parse {
            file: file.to_owned(),
            message: crate::rdf::io::describe_parse_error(&e.into()),
        })
}

/// Loads every bundled vocabulary whose content differs from what the store holds.
/// Returns the names of the files (re)loaded.
pub fn sync_bundled(store: &Store) -> Result<Vec<&'static str>, VocabularyError> {
    let mut loaded = Vec::new();
    for (file, content) in VOCAB_FILES {
        let hash = format!("sha256:{:x}", Sha256::digest(content.as_bytes()));
        let name = vocab_graph(file);
        if store.content_hash(name.as_ref())?.as_deref() == Some(hash.as_str()) {
            continue;
        }
        let triples = parse_bundled(file, content)?;
        store.replace_graph(name.as_ref(), &triples, &GraphInfo::public(), Some(&hash))?;
        loaded.push(*file);
    }
    Ok(loaded)
}
