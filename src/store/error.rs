//! Errors of the store module.

use std::path::PathBuf;

/// What can go wrong when reading or writing the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process (usually a running `danhmuc serve`) holds the store's lock.
    #[error(
        "the store at {path} is in use by another process (is `danhmuc serve` running on it?); stop that process, or send the change through its HTTP API"
    )]
    Locked {
        /// The data directory.
        path: PathBuf,
    },
    /// The store could not be opened for another reason.
    #[error("cannot open the store at {path}: {message}")]
    Open {
        /// The data directory.
        path: PathBuf,
        /// What RocksDB or the file system said.
        message: String,
    },
    /// A read or write of the underlying storage failed.
    #[error("storage error: {0}")]
    Storage(#[from] oxigraph::store::StorageError),
    /// An input could not be parsed; the message starts with `LINE:COL:` when the syntax says where.
    #[error("{0}")]
    Parse(String),
    /// Writing an export failed.
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
}

/// What can go wrong when evaluating a SPARQL query.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The query was cancelled, usually because it ran out of time.
    #[error("the query was cancelled")]
    Cancelled,
    /// The query is well-formed but cannot be evaluated (unsupported `SERVICE`, a bad substitution…).
    #[error("{0}")]
    Evaluation(String),
    /// The storage failed while the query ran.
    #[error("storage error while evaluating the query: {0}")]
    Storage(String),
}

impl From<oxigraph::sparql::QueryEvaluationError> for QueryError {
    fn from(error: oxigraph::sparql::QueryEvaluationError) -> Self {
        use oxigraph::sparql::QueryEvaluationError as E;
        match error {
            E::Cancelled => Self::Cancelled,
            E::Dataset(e) | E::Unexpected(e) => Self::Storage(e.to_string()),
            other => Self::Evaluation(other.to_string()),
        }
    }
}
