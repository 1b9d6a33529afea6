//! The catalogue service: DCAT-AP records as the world sees them. The demo content (`demo`), the
//! DCAT-AP feeds and complete record descriptions (`feed`), and the DCAT-US `data.json` view
//! (`datajson`). Graphs are built in Rust from the registry's index and the store: no SPARQL.

pub mod datajson;
pub mod demo;
pub mod feed;

use crate::bundled::VOCAB_FILES;
use crate::rdf::ns::{dct, foaf, rdfs, skos};
use crate::registry::RegistryError;
use crate::registry::record::Record;
use crate::store::{Store, StoreError};
use crate::vocabulary::vocab_graph;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Triple};
use rustc_hash::FxHashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// Why a catalogue view could not be made. The HTTP layer maps each to a status.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// A bad parameter (`?page=0`, `?per_page=5000`, an unreadable date). 400.
    #[error("{0}")]
    BadRequest(String),
    /// No such page, publisher or record. 404.
    #[error("{0}")]
    NotFound(String),
    /// More than a view may hold (an unpaginated `data.json` over its bound). 413-like, answered 400
    /// with the way out.
    #[error("{0}")]
    TooLarge(String),
    /// The registry failed.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The predicates that carry a term's name: what feeds copy from vocabularies so that a reader (and
/// a SHACL range check) knows what an IRI is without fetching it.
pub const LABEL_PREDICATES: [NamedNodeRef<'static>; 5] =
    [rdf::TYPE, skos::PREF_LABEL, rdfs::LABEL, dct::TITLE, foaf::NAME];

/// The catalogue: the registry's records as DCAT-AP views. Built once at start.
pub struct Catalog {
    base: String,
    /// Type and label triples of every term of the bundled vocabularies, by term IRI.
    terms: FxHashMap<NamedNode, Vec<Triple>>,
    /// Publisher graphs by IRI, with the ETag they were read at (publishers appear on every page).
    publishers: Mutex<FxHashMap<NamedNode, Versioned>>,
    /// Labels of records (publishers) by IRI and language, with the ETag they were read at.
    record_labels: std::sync::RwLock<FxHashMap<LabelKey, (String, Option<String>)>>,
}

/// A record's IRI and a language.
type LabelKey = (String, String);

/// A graph with the ETag it was read at.
type Versioned = (String, Arc<Vec<Triple>>);

impl Catalog {
    /// Reads the bundled vocabularies' terms from the store (after `vocabulary::sync_bundled`).
    pub fn new(store: &Store, base: &str) -> Result<Self, CatalogError> {
        let mut terms: FxHashMap<NamedNode, Vec<Triple>> = FxHashMap::default();
        for (file, _) in VOCAB_FILES {
            for triple in store.graph_triples(vocab_graph(file).as_ref())? {
                if let NamedOrBlankNode::NamedNode(subject) = &triple.subject
                    && LABEL_PREDICATES.contains(&triple.predicate.as_ref())
                {
                    terms.entry(subject.clone()).or_default().push(triple);
                }
            }
        }
        Ok(Self {
            base: base.to_owned(),
            terms,
            publishers: Mutex::new(FxHashMap::default()),
            record_labels: std::sync::RwLock::new(FxHashMap::default()),
        })
    }

    /// The base URL every IRI and link starts with.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The type and label triples the bundled vocabularies give `term`.
    pub fn term(&self, term: &NamedNode) -> Option<&[Triple]> {
        self.terms.get(term).map(Vec::as_slice)
    }

    /// Every bundled vocabulary term with its type and label triples (the quality indicators' vocabulary
    /// membership is read from here once).
    pub fn terms(&self) -> impl Iterator<Item = (&NamedNode, &[Triple])> {
        self.terms.iter().map(|(term, triples)| (term, triples.as_slice()))
    }

    /// A publisher's graph, read once per version.
    pub fn publisher_graph(
        &self,
        registry: &crate::registry::Registry,
        publisher: &Record,
    ) -> Result<Arc<Vec<Triple>>, CatalogError> {
        let mut cache = self.publishers.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((etag, graph)) = cache.get(&publisher.iri)
            && *etag == publisher.etag
        {
            return Ok(Arc::clone(graph));
        }
        let graph = Arc::new(registry.content(publisher)?);
        cache.insert(publisher.iri.clone(), (publisher.etag.clone(), Arc::clone(&graph)));
        Ok(graph)
    }
}

impl Catalog {
    /// The label of an IRI in `lang` (falling back to another language): a bundled vocabulary
    /// term's, or a publisher's name from its record if `viewer` may see it.
    pub fn label_of(
        &self,
        registry: &crate::registry::Registry,
        viewer: &crate::store::Viewer,
        iri: &str,
        lang: &str,
    ) -> Option<String> {
        let node = NamedNode::new(iri).ok()?;
        let subject = NamedOrBlankNode::NamedNode(node.clone());
        let find = |triples: &[Triple]| {
            [skos::PREF_LABEL, foaf::NAME, rdfs::LABEL, dct::TITLE]
                .into_iter()
                .find_map(|p| text_of(triples, &subject, p, lang))
        };
        if let Some(triples) = self.term(&node) {
            return find(triples);
        }
        // A record's label, read once per version (facet lists name the same publishers again and
        // again).
        let etag = registry.visible_etag(iri, viewer)?;
        let key = (iri.to_owned(), lang.to_owned());
        if let Some((seen, label)) =
            self.record_labels.read().unwrap_or_else(PoisonError::into_inner).get(&key)
            && *seen == etag
        {
            return label.clone();
        }
        let record = registry.get(&registry.id_of(iri)?, viewer).ok()?;
        let label = find(&self.publisher_graph(registry, &record).ok()?);
        let mut labels = self.record_labels.write().unwrap_or_else(PoisonError::into_inner);
        if labels.len() > 100_000 {
            labels.clear();
        }
        labels.insert(key, (etag, label.clone()));
        label
    }
}

/// A literal value of `subject`'s `predicate`, preferring language `lang`, then English, then any.
pub fn text_of<'t>(
    triples: impl IntoIterator<Item = &'t Triple>,
    subject: &NamedOrBlankNode,
    predicate: NamedNodeRef<'_>,
    lang: &str,
) -> Option<String> {
    triples
        .into_iter()
        .filter(|t| t.subject == *subject && t.predicate == predicate)
        .filter_map(|t| match &t.object {
            oxigraph::model::Term::Literal(l) => {
                let rank = match l.language() {
                    Some(l) if l == lang => 0,
                    Some("en") => 1,
                    None => 2,
                    Some(_) => 3,
                };
                Some((rank, l.value()))
            }
            _ => None,
        })
        .min()
        .map(|(_, v)| v.to_owned())
}
