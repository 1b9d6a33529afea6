//! Record kinds: what a record's main resource is, where its IRI lives, which profile validates it
//! and which status it starts in.

use super::lifecycle::Status;
use crate::rdf::ns::{dcat, dct, foaf, skos};
use oxigraph::model::NamedNodeRef;
use std::fmt;
use std::str::FromStr;

/// What a record describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// `dcat:Dataset`.
    Dataset,
    /// `dcat:DataService`.
    Service,
    /// `dcat:DatasetSeries`.
    Series,
    /// `dcat:Catalog` (an agency's own catalogue).
    Catalog,
    /// A data standard: `skos:ConceptScheme` (code list, vocabulary) or `dct:Standard` (data model).
    Standard,
    /// A publishing organisation (`foaf:Agent`).
    Publisher,
}

/// Every kind.
pub const KINDS: [Kind; 6] =
    [Kind::Dataset, Kind::Service, Kind::Series, Kind::Catalog, Kind::Standard, Kind::Publisher];

impl Kind {
    /// The API name, also the path segment of minted IRIs except for standards (`def`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Dataset => "dataset",
            Self::Service => "service",
            Self::Series => "series",
            Self::Catalog => "catalog",
            Self::Standard => "standard",
            Self::Publisher => "publisher",
        }
    }

    /// The path segment of IRIs minted for this kind: `{base}{segment}/{id}`.
    pub fn segment(self) -> &'static str {
        match self {
            Self::Standard => "def",
            other => other.name(),
        }
    }

    /// The kind whose segment this is.
    pub fn from_segment(segment: &str) -> Option<Self> {
        KINDS.into_iter().find(|k| k.segment() == segment)
    }

    /// The classes that make a resource a record of this kind.
    pub fn classes(self) -> &'static [NamedNodeRef<'static>] {
        match self {
            Self::Dataset => &[dcat::DATASET],
            Self::Service => &[dcat::DATA_SERVICE],
            Self::Series => &[dcat::DATASET_SERIES],
            Self::Catalog => &[dcat::CATALOG],
            Self::Standard => &[skos::CONCEPT_SCHEME, dct::STANDARD],
            Self::Publisher => &[foaf::AGENT],
        }
    }

    /// The kind a class makes, if any. A series is also a dataset in DCAT 3; the series wins.
    pub fn of_classes(classes: &[NamedNodeRef<'_>]) -> Option<Self> {
        [Self::Series, Self::Dataset, Self::Service, Self::Catalog, Self::Standard]
            .into_iter()
            .find(|k| classes.iter().any(|c| k.classes().contains(c)))
    }

    /// The bundled SHACL profile that validates this kind (`shapes/{profile}.ttl`).
    pub fn profile(self) -> &'static str {
        match self {
            Self::Standard => "skos-publication",
            _ => "dcat-ap-vn",
        }
    }

    /// The status a valid new record starts in: datasets, services and catalogues from a publisher
    /// go straight to `stable`; data standards start `submitted` and need a steward.
    pub fn initial_status(self) -> Status {
        match self {
            Self::Standard => Status::Submitted,
            _ => Status::Stable,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Kind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        KINDS.into_iter().find(|k| k.name() == s).ok_or_else(|| {
            format!("unknown record type {s:?}: use dataset, service, series, catalog, standard or publisher")
        })
    }
}
