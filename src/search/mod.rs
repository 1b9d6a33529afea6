//! Full-text search with facets over the registry's records: a tantivy index derived from the
//! store, never the source of truth.
//!
//! - **Derived.** [`SearchIndex::open`] compares every record's stamp (content hash, status, access,
//!   owner, quality rating) with the index's and indexes what differs, so a missing, stale or older-schema index is
//!   brought up to date at start; `danhmuc reindex` rebuilds it from nothing.
//! - **Followed.** The index is a [`RecordHook`](crate::registry::RecordHook) of the registry: every
//!   record written is turned into a document from the content being written, under the registry's
//!   write lock, and handed once committed to one writer thread, which applies what has queued up,
//!   commits and reloads the searcher (a few milliseconds later).
//! - **Folded.** Titles, keywords and descriptions in every language are folded before tantivy sees
//!   them (case, Vietnamese diacritics, `đ`; `standards::search::fold`), and so is the query: "ha
//!   noi", "Hà Nội" and "HA NOI" are the same words.
//! - **Rated.** A dataset's document carries its MQA rating (`Quality::rating_for`, from the
//!   content being written and the last link checks), so results can be filtered by a minimum rating
//!   and counted by rating. A link-check run that changes a rating re-indexes the record through the
//!   same hook (`Registry::refresh_derived`).
//! - **Visibility.** Each document carries its record's access class and owner; every search is
//!   filtered by what the viewer may see (`Viewer::may_see_class`), counts and facets included.

mod document;
mod engine;

pub use document::{Document, document, indexed, stamp};
pub use engine::SearchIndex;

pub use crate::quality::Rating;

use crate::quality::Quality;
use crate::registry::{Registry, RegistryError};

/// Why a search or an index update failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index failed.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The index directory could not be prepared.
    #[error("search index directory {path}: {source}")]
    Directory {
        /// The directory.
        path: std::path::PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// The registry failed while the index was brought up to date.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// The request asks for too much (a page too deep or too large, a query too long).
    #[error("{0}")]
    BadRequest(String),
}

/// A facet: a property whose values results are counted and filtered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Facet {
    /// The publishing organisation (`dct:publisher`, else the record's owner).
    Publisher,
    /// `dcat:theme`.
    Theme,
    /// The distributions' `dct:format` (else `dcat:mediaType`).
    Format,
    /// `dct:license` of the resource or its distributions.
    License,
    /// `dct:accessRights`.
    AccessRights,
    /// The registry status.
    Status,
    /// `dct:spatial`.
    Spatial,
    /// The record kind (dataset, service, standard…).
    Kind,
    /// The MQA rating of a dataset (`excellent`, `good`, `sufficient`, `bad`).
    Rating,
}

/// Every facet, in display order.
pub const FACETS: [Facet; 9] = [
    Facet::Kind,
    Facet::Rating,
    Facet::Publisher,
    Facet::Theme,
    Facet::Format,
    Facet::License,
    Facet::AccessRights,
    Facet::Spatial,
    Facet::Status,
];

impl Facet {
    /// The query parameter and JSON name.
    pub fn key(self) -> &'static str {
        match self {
            Self::Publisher => "publisher",
            Self::Theme => "theme",
            Self::Format => "format",
            Self::License => "license",
            Self::AccessRights => "access_rights",
            Self::Status => "status",
            Self::Spatial => "spatial",
            Self::Kind => "kind",
            Self::Rating => "rating",
        }
    }

    /// The facet of a query parameter.
    pub fn from_key(key: &str) -> Option<Self> {
        FACETS.into_iter().find(|f| f.key() == key)
    }
}

/// The order of results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first (newest first when there is no text to match).
    #[default]
    Relevance,
    /// By title in the request's language, A to Z (diacritics ignored).
    Title,
    /// Newest `dct:modified` (else `dct:issued`) first.
    Modified,
}

impl Sort {
    /// The query parameter value.
    pub fn key(self) -> &'static str {
        match self {
            Self::Relevance => "relevance",
            Self::Title => "title",
            Self::Modified => "modified",
        }
    }

    /// The sort of a query parameter value.
    pub fn from_key(key: &str) -> Option<Self> {
        [Self::Relevance, Self::Title, Self::Modified].into_iter().find(|s| s.key() == key)
    }
}

/// The language results are shown in (titles, title order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Vietnamese.
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }
}

/// The most results one request may ask for.
pub const MAX_LIMIT: usize = 100;
/// The deepest result one request may reach (offset + limit).
pub const MAX_DEPTH: usize = 10_000;
/// The most words of a query that are matched.
pub const MAX_WORDS: usize = 16;
/// The most values listed per facet.
pub const FACET_VALUES: usize = 50;

/// A search.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// Free text (may be empty: every record, filtered).
    pub q: String,
    /// Facet filters: values of the same facet are alternatives, different facets all apply.
    pub filters: Vec<(Facet, String)>,
    /// Only datasets rated at least this well.
    pub min_rating: Option<Rating>,
    /// The order.
    pub sort: Sort,
    /// How many results to skip.
    pub offset: usize,
    /// How many results to return (at most [`MAX_LIMIT`]).
    pub limit: usize,
    /// The language of titles and of the title order.
    pub lang: Lang,
}

/// One result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    /// The registry id.
    pub id: String,
    /// The main resource's IRI.
    pub iri: String,
    /// The record kind.
    pub kind: String,
    /// Title in Vietnamese (or untagged).
    pub title_vi: Option<String>,
    /// Title in English.
    pub title_en: Option<String>,
    /// The start of the description in Vietnamese.
    pub description_vi: Option<String>,
    /// The start of the description in English.
    pub description_en: Option<String>,
    /// The publisher's IRI.
    pub publisher: Option<String>,
    /// `dct:modified`, else `dct:issued`, else the registry's date (ISO 8601).
    pub modified: Option<String>,
    /// The registry status.
    pub status: String,
    /// The MQA rating of a dataset (`excellent`…).
    pub rating: Option<String>,
    /// The relevance score (0 when sorted otherwise).
    pub score: f32,
}

impl Hit {
    /// The title in `lang`, else in the other language, else the record id.
    pub fn title(&self, lang: Lang) -> String {
        let (title, other) = match lang {
            Lang::Vi => (&self.title_vi, &self.title_en),
            Lang::En => (&self.title_en, &self.title_vi),
        };
        title.clone().or_else(|| other.clone()).unwrap_or_else(|| self.id.clone())
    }
}

/// The values of one facet with their counts among the results, most frequent first.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FacetCounts {
    /// The facet.
    pub facet: Facet,
    /// `(value, count)`: an IRI, or a plain value (status, kind, a format given as text).
    pub values: Vec<(String, u64)>,
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchResults {
    /// How many records match.
    pub total: usize,
    /// The requested page of them.
    pub hits: Vec<Hit>,
    /// Facet counts over every match (not only the page).
    pub facets: Vec<FacetCounts>,
}

/// What [`SearchIndex::open`] and `reindex` did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Records in the index afterwards.
    pub indexed: usize,
    /// Records (re)indexed.
    pub updated: usize,
    /// Entries removed (records purged or withdrawn).
    pub removed: usize,
}

/// Reads a record's current content for indexing.
fn read_document(
    registry: &Registry,
    quality: &Quality,
    record: &crate::registry::record::Record,
) -> Result<Option<Document>, SearchError> {
    if !indexed(record) {
        return Ok(None);
    }
    let content = registry.content(record)?;
    Ok(document(record, &content, quality.rating_for(record, &content)))
}
