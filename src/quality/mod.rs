//! Metadata quality: data.europa.eu's MQA (Metadata Quality Assessment) for every dataset, publisher
//! and the whole catalogue.
//!
//! - `indicators`: the 23 indicators, 5 dimensions, 405 points and rating bands, as data.
//! - `score`: one dataset scored from its own graph, in Rust (no SPARQL, no store access).
//! - `dqv`: an assessment as W3C DQV measurements, in the dataset's quality graph
//!   `urn:danhmuc:quality:{id}`, registered with the record's own access class (so a restricted
//!   record's scores are seen by exactly those who may see the record, in SPARQL too).
//! - `links`: the link checker (HTTP status of access and download URLs).
//! - `view`: what pages and the JSON API show (dataset, publisher, catalogue).
//!
//! [`Quality`] is installed on the registry as its [`RecordHook`]: every registry write re-scores
//! the record and writes its measurements in the same store transaction. Scores are kept in memory
//! (`Quality::rating` is the cheap look-up the search index uses).

pub mod dqv;
pub mod indicators;
pub mod links;
pub mod score;
#[cfg(test)]
mod tests;
pub mod view;

pub use indicators::{Dimension, INDICATORS, Indicator, MAX_POINTS, Rating};
pub use links::{LinkCheckConfig, LinkStatus};
pub use score::{Assessment, Outcome, State, Vocabularies};
pub use view::{CatalogueQuality, DatasetQualityView, PublisherQuality};

use crate::catalog::Catalog;
use crate::rdf::ns::{dct, dmq, dqv as dqv_ns};
use crate::registry::kind::Kind;
use crate::registry::lifecycle::Status;
use crate::registry::record::Record;
use crate::registry::{RecordHook, Registry, RegistryError};
use crate::store::{Access, GraphChange, GraphInfo, GraphWrite, StoreError, Viewer};
use crate::vocabulary::vocab_graph;
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use oxsdatatypes::DateTime;
use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

/// Why a quality operation failed.
#[derive(Debug, thiserror::Error)]
pub enum QualityError {
    /// No such record or publisher (or not one the caller may see). 404.
    #[error("{0}")]
    NotFound(String),
    /// The record is not a dataset (only datasets are scored). 404.
    #[error("record {0} is not a dataset; only datasets are scored")]
    NotScored(String),
    /// The link checker could not run.
    #[error("link check: {0}")]
    LinkCheck(String),
    /// The registry failed.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The public graph of daily publisher averages.
pub const HISTORY_GRAPH: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:danhmuc:quality:history");

/// Bumped when the scoring changes, so that stored measurements are rewritten.
const SCORING_REVISION: &str = "mqa-1";

/// What the service keeps of a scored dataset.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) iri: NamedNode,
    pub(crate) owner: NamedNode,
    pub(crate) access: Access,
    pub(crate) title_vi: Option<String>,
    pub(crate) title_en: Option<String>,
    pub(crate) assessment: Assessment,
    pub(crate) urls: Vec<String>,
}

impl Entry {
    fn visible_to(&self, viewer: &Viewer) -> bool {
        viewer.may_see_class(self.access, Some(&self.owner))
    }
}

/// One day's average of one publisher (public datasets only).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Snapshot {
    /// `YYYY-MM-DD` (UTC).
    pub date: String,
    /// The publisher.
    #[serde(skip)]
    pub publisher: NamedNode,
    /// Average points.
    pub average: f64,
    /// How many datasets.
    pub datasets: usize,
}

/// What a link-check run did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct LinkRun {
    /// URLs checked.
    pub checked: usize,
    /// Of those, reachable (2xx or 3xx).
    pub reachable: usize,
    /// Of those, not reachable (4xx, 5xx, no answer).
    pub broken: usize,
    /// URLs left for a later run (over `max_urls`, checked recently, or not started because the
    /// server was stopping).
    pub skipped: usize,
    /// Datasets re-scored (their measurements rewritten).
    pub rescored: usize,
}

/// The quality service.
pub struct Quality {
    vocab: Vocabularies,
    links: RwLock<FxHashMap<String, LinkStatus>>,
    scores: RwLock<FxHashMap<String, Entry>>,
    /// Entries prepared by [`RecordHook::writes`], applied once the transaction committed.
    pending: Mutex<Vec<(String, Option<Entry>)>>,
    history: RwLock<Vec<Snapshot>>,
    /// Serialises link-check runs.
    checking: Mutex<()>,
    /// Datasets whose stored measurements are out of date.
    stale: Mutex<Vec<String>>,
}

/// The scoring version: the revision and the bundled vocabularies the indicators read.
fn scoring_version() -> String {
    let mut hash = Sha256::new();
    hash.update(SCORING_REVISION.as_bytes());
    for (file, content) in crate::bundled::VOCAB_FILES {
        hash.update(file.as_bytes());
        hash.update(content.as_bytes());
    }
    format!("{SCORING_REVISION}:{:x}", hash.finalize())
}

impl Quality {
    /// Builds the service over a registry and a catalogue (bundled terms): reads the link statuses
    /// and the history, and installs itself as the registry's record hook. Call [`Quality::score_all`]
    /// next.
    pub fn attach(registry: &Registry, catalog: &Catalog) -> Result<Arc<Self>, QualityError> {
        let store = registry.store();
        let vocab = Vocabularies::new(
            catalog,
            &store.graph_triples(vocab_graph("file-type.ttl").as_ref())?,
            &store.graph_triples(vocab_graph("quality.ttl").as_ref())?,
        );
        Self::attach_with(registry, vocab)
    }

    /// [`Quality::attach`] with vocabularies made elsewhere (tests, benchmarks).
    pub fn attach_with(registry: &Registry, vocab: Vocabularies) -> Result<Arc<Self>, QualityError> {
        let store = registry.store();
        let links = links::from_triples(&store.graph_triples(links::LINKS_GRAPH)?);
        let history = history_from_triples(&store.graph_triples(HISTORY_GRAPH)?);
        let quality = Arc::new(Self {
            vocab,
            links: RwLock::new(links),
            scores: RwLock::new(FxHashMap::default()),
            pending: Mutex::new(Vec::new()),
            history: RwLock::new(history),
            checking: Mutex::new(()),
            stale: Mutex::new(Vec::new()),
        });
        let hook: Arc<Self> = Arc::clone(&quality);
        registry.add_record_hook(hook);
        Ok(quality)
    }

    /// Scores every dataset of the registry from scratch, in memory. When the stored measurements
    /// were written by another scoring version (or never), they are noted as stale: write them with
    /// [`Quality::write_stale`] (`serve` does it in the background at start).
    pub fn score_all(&self, registry: &Registry) -> Result<(), QualityError> {
        let mut records = Vec::new();
        registry.for_each_in_order(|r| {
            if r.kind == Kind::Dataset && r.status != Status::Retired {
                records.push(r.clone());
            }
            true
        });
        // Reading graphs dominates (term look-ups in RocksDB): one reader per core.
        let threads = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, 8);
        let chunk = records.len().div_ceil(threads).max(1);
        let parts: Vec<Result<Vec<(String, Entry)>, QualityError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = records
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|record| {
                                let content = registry.content(record)?;
                                Ok((record.id.clone(), self.entry(record, &content)))
                            })
                            .collect::<Result<Vec<_>, QualityError>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(QualityError::LinkCheck("a scoring thread panicked".into())))
                })
                .collect()
        });
        let mut scores = FxHashMap::default();
        for part in parts {
            scores.extend(part?);
        }
        *self.scores.write().unwrap_or_else(PoisonError::into_inner) = scores;
        let current = registry.store().setting(dmq::SCORING_VERSION)?;
        if current.as_deref() != Some(scoring_version().as_str()) {
            if records.is_empty() {
                registry.store().set_setting(dmq::SCORING_VERSION, &scoring_version())?;
            } else {
                *self.stale.lock().unwrap_or_else(PoisonError::into_inner) =
                    records.into_iter().map(|r| r.id).collect();
            }
        } else if let Some(pending) = registry.store().setting(dmq::RESCORE_PENDING)? {
            // A link-check run stopped before it had rewritten these: only they are rewritten.
            *self.stale.lock().unwrap_or_else(PoisonError::into_inner) =
                pending.split_whitespace().map(str::to_owned).collect();
        }
        Ok(())
    }

    /// Rewrites the measurements noted stale by [`Quality::score_all`] (500 records per
    /// transaction, the registry's write lock taken per batch), then records the scoring version.
    /// Returns how many records were rewritten. When the server stops meanwhile
    /// ([`Registry::stop_background`]) the version is left as it was: the next start goes on.
    pub fn write_stale(&self, registry: &Registry) -> Result<usize, QualityError> {
        let stale = std::mem::take(&mut *self.stale.lock().unwrap_or_else(PoisonError::into_inner));
        if stale.is_empty() {
            return Ok(0);
        }
        let started = std::time::Instant::now();
        let mut done = 0;
        // In parts, so that the log shows how far a long rewrite got.
        for part in stale.chunks(10_000) {
            done += registry.refresh_derived(part, 500)?.written;
            if registry.stopping() {
                return Ok(done);
            }
            if stale.len() > 10_000 {
                tracing::info!(
                    done,
                    total = stale.len(),
                    seconds = started.elapsed().as_secs_f64(),
                    "rewriting quality measurements"
                );
            }
        }
        registry.store().set_setting(dmq::SCORING_VERSION, &scoring_version())?;
        registry.store().clear_setting(dmq::RESCORE_PENDING)?;
        Ok(done)
    }

    fn link_state(&self, url: &str) -> Option<bool> {
        self.links.read().unwrap_or_else(PoisonError::into_inner).get(url).map(LinkStatus::reachable)
    }

    /// Scores one record's content.
    fn entry(&self, record: &Record, content: &[Triple]) -> Entry {
        let links = self.links.read().unwrap_or_else(PoisonError::into_inner);
        let lookup = |url: &str| links.get(url).map(LinkStatus::reachable);
        let compliant = record.status != Status::Invalid;
        let assessment = score::assess(&record.iri, content, compliant, &self.vocab, &lookup);
        let subject: NamedOrBlankNode = record.iri.clone().into();
        Entry {
            iri: record.iri.clone(),
            owner: record.owner.clone(),
            access: record.graph_info().access,
            title_vi: title(content, &subject, "vi"),
            title_en: title(content, &subject, "en"),
            assessment,
            urls: score::urls_of(&record.iri, content),
        }
    }

    /// Scores content without storing anything (what a record would get).
    pub fn assess(&self, iri: &NamedNode, content: &[Triple], compliant: bool) -> Assessment {
        score::assess(iri, content, compliant, &self.vocab, &|url| self.link_state(url))
    }

    /// The rating `record` gets with `content`, if it is scored (a dataset not withdrawn): what the
    /// record hook stores for the same write. The search index's "rating" facet.
    pub fn rating_for(&self, record: &Record, content: &[Triple]) -> Option<Rating> {
        if record.kind != Kind::Dataset || record.status == Status::Retired {
            return None;
        }
        // Within a write, this service's own hook (installed first) has just scored the record:
        // use that rather than scoring it twice.
        let prepared = match self.pending.lock().unwrap_or_else(PoisonError::into_inner).last() {
            Some((id, Some(entry))) if *id == record.id => Some(entry.assessment.rating()),
            _ => None,
        };
        prepared
            .or_else(|| Some(self.assess(&record.iri, content, record.status != Status::Invalid).rating()))
    }

    /// The rating of a record, if it is a scored dataset. A cheap look-up (one hash-map read) for the
    /// search index's "minimum rating" facet; it does not check visibility (the caller filters).
    pub fn rating(&self, record_id: &str) -> Option<Rating> {
        self.scores
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(record_id)
            .map(|e| e.assessment.rating())
    }

    /// The total points of a record, if it is a scored dataset (no visibility check).
    pub fn score(&self, record_id: &str) -> Option<u32> {
        self.scores
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(record_id)
            .map(|e| e.assessment.total())
    }

    /// How many datasets are scored.
    pub fn len(&self) -> usize {
        self.scores.read().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// Whether no dataset is scored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A record's assessment, if it is a scored dataset (no visibility check: for callers that
    /// already hold the record, like the submission answer).
    pub fn assessment(&self, record_id: &str) -> Option<Assessment> {
        self.scores.read().unwrap_or_else(PoisonError::into_inner).get(record_id).map(|e| e.assessment)
    }

    /// The quality view of a record the caller already holds (and so may see), if it is scored.
    pub fn view_of(&self, record: &Record) -> Option<DatasetQualityView> {
        let assessment = self.assessment(&record.id)?;
        Some(DatasetQualityView::new(&record.id, record.iri.as_str(), &assessment))
    }

    /// The dataset view of a record `viewer` may see.
    pub fn dataset(
        &self,
        registry: &Registry,
        viewer: &Viewer,
        id: &str,
    ) -> Result<DatasetQualityView, QualityError> {
        let record = registry.get(id, viewer).map_err(|e| match e {
            RegistryError::NotFound(m) => QualityError::NotFound(format!("no record {m}")),
            other => QualityError::Registry(other),
        })?;
        if record.kind != Kind::Dataset {
            return Err(QualityError::NotScored(id.to_owned()));
        }
        let assessment = self
            .assessment(&record.id)
            .ok_or_else(|| QualityError::NotFound(format!("record {id} has no score (withdrawn)")))?;
        Ok(DatasetQualityView::new(&record.id, record.iri.as_str(), &assessment))
    }

    /// Visits every scored dataset `viewer` may see.
    pub(crate) fn for_each_visible(&self, viewer: &Viewer, mut visit: impl FnMut(&str, &Entry)) {
        let scores = self.scores.read().unwrap_or_else(PoisonError::into_inner);
        for (id, entry) in scores.iter() {
            if entry.visible_to(viewer) {
                visit(id, entry);
            }
        }
    }

    /// The catalogue-wide dashboard for `viewer`.
    pub fn catalogue(
        &self,
        registry: &Registry,
        catalog: &Catalog,
        viewer: &Viewer,
    ) -> Result<CatalogueQuality, QualityError> {
        view::catalogue(self, registry, catalog, viewer)
    }

    /// One publisher's dashboard for `viewer` (`publisher` is its record id).
    pub fn publisher(
        &self,
        registry: &Registry,
        catalog: &Catalog,
        viewer: &Viewer,
        publisher: &str,
    ) -> Result<PublisherQuality, QualityError> {
        view::publisher(self, registry, catalog, viewer, publisher)
    }

    /// The daily averages of a publisher, oldest first.
    pub fn history_of(&self, publisher: &NamedNode) -> Vec<Snapshot> {
        let history = self.history.read().unwrap_or_else(PoisonError::into_inner);
        let mut points: Vec<Snapshot> =
            history.iter().filter(|s| s.publisher == *publisher).cloned().collect();
        points.sort_by(|a, b| a.date.cmp(&b.date));
        points
    }

    /// Takes today's snapshot of publisher averages (public datasets only) unless one exists.
    /// Returns whether one was taken.
    pub fn snapshot_if_due(&self, registry: &Registry) -> Result<bool, QualityError> {
        let now = DateTime::now();
        let today = now.to_string().chars().take(10).collect::<String>();
        if self.history.read().unwrap_or_else(PoisonError::into_inner).iter().any(|s| s.date == today) {
            return Ok(false);
        }
        let mut sums: FxHashMap<NamedNode, (u64, usize)> = FxHashMap::default();
        self.for_each_visible(&Viewer::Anonymous, |_, entry| {
            let sum = sums.entry(entry.owner.clone()).or_default();
            sum.0 += u64::from(entry.assessment.total());
            sum.1 += 1;
        });
        let mut snapshots: Vec<Snapshot> = sums
            .into_iter()
            .map(|(publisher, (total, n))| Snapshot {
                date: today.clone(),
                publisher,
                average: (total as f64 / n as f64 * 10.0).round() / 10.0,
                datasets: n,
            })
            .collect();
        snapshots.sort_by(|a, b| a.publisher.as_str().cmp(b.publisher.as_str()));
        if snapshots.is_empty() {
            return Ok(false);
        }
        registry.store().write(&[GraphWrite {
            name: HISTORY_GRAPH.into_owned(),
            change: GraphChange::Add(history_to_triples(&snapshots)),
            registration: Some(GraphInfo::public()),
            content_hash: None,
        }])?;
        self.history.write().unwrap_or_else(PoisonError::into_inner).extend(snapshots);
        Ok(true)
    }

    /// The last check of a URL.
    pub fn link_status(&self, url: &str) -> Option<LinkStatus> {
        self.links.read().unwrap_or_else(PoisonError::into_inner).get(url).cloned()
    }

    /// One link-check run: checks the datasets' URLs (least recently checked first, at most
    /// `config.max_urls`, none checked within `config.recheck_after`), stores the statuses in the
    /// staff-only links graph, and re-scores the datasets whose URL results changed.
    pub fn check_links(
        &self,
        registry: &Registry,
        config: &LinkCheckConfig,
    ) -> Result<LinkRun, QualityError> {
        let _one_run = self.checking.lock().unwrap_or_else(PoisonError::into_inner);
        let now = DateTime::now();
        let recheck = oxsdatatypes::DayTimeDuration::try_from(config.recheck_after)
            .ok()
            .and_then(|d| now.checked_sub_day_time_duration(d));
        let mut urls: Vec<(Option<DateTime>, String)> = {
            let scores = self.scores.read().unwrap_or_else(PoisonError::into_inner);
            let links = self.links.read().unwrap_or_else(PoisonError::into_inner);
            let mut all: Vec<&String> = scores.values().flat_map(|e| e.urls.iter()).collect();
            all.sort_unstable();
            all.dedup();
            all.into_iter().map(|u| (links.get(u).map(|s| s.checked), u.clone())).collect()
        };
        let total = urls.len();
        urls.retain(|(checked, _)| match (checked, &recheck) {
            (Some(checked), Some(limit)) => checked <= limit,
            _ => true,
        });
        // Never checked first, then the oldest checks.
        urls.sort_by(|a, b| match (&a.0, &b.0) {
            (None, None) => a.1.cmp(&b.1),
            (None, Some(_)) => std::cmp::Ordering::Less,
            (Some(_), None) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal),
        });
        urls.truncate(config.max_urls);
        let urls: Vec<String> = urls.into_iter().map(|(_, u)| u).collect();
        let results =
            links::check(&urls, config, &|| registry.stopping()).map_err(QualityError::LinkCheck)?;
        let checked = results.iter().flatten().count();
        let mut run = LinkRun { checked, skipped: total - checked, ..LinkRun::default() };
        let mut changed: rustc_hash::FxHashSet<String> = rustc_hash::FxHashSet::default();
        let snapshot = {
            let mut links = self.links.write().unwrap_or_else(PoisonError::into_inner);
            // URLs not started because the server is stopping keep their last status.
            for (url, status) in urls.iter().zip(results).filter_map(|(u, s)| Some((u, s?))) {
                if status.reachable() {
                    run.reachable += 1;
                } else {
                    run.broken += 1;
                }
                let before = links.get(url).map(LinkStatus::reachable);
                if before != Some(status.reachable()) {
                    changed.insert(url.clone());
                }
                links.insert(url.clone(), status);
            }
            links::to_triples(&links)
        };
        registry.store().write(&[GraphWrite {
            name: links::LINKS_GRAPH.into_owned(),
            change: GraphChange::Replace(snapshot),
            registration: Some(GraphInfo::owned(Access::Staff, None)),
            content_hash: None,
        }])?;
        let ids: Vec<String> = {
            let scores = self.scores.read().unwrap_or_else(PoisonError::into_inner);
            let mut ids: Vec<String> = scores
                .iter()
                .filter(|(_, e)| e.urls.iter().any(|u| changed.contains(u)))
                .map(|(id, _)| id.clone())
                .collect();
            ids.sort_unstable();
            ids
        };
        let refreshed = registry.refresh_derived(&ids, 200)?;
        run.rescored = refreshed.written;
        // Stopped meanwhile: the next start rewrites those left.
        leave_for_next_start(registry, &ids[refreshed.through..])?;
        Ok(run)
    }
}

impl RecordHook for Quality {
    fn writes(&self, record: &Record, content: Option<&[Triple]>) -> Vec<GraphWrite> {
        if record.kind != Kind::Dataset {
            return Vec::new();
        }
        let name = dqv::quality_graph(&record.id);
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        match content {
            Some(content) if record.status != Status::Retired => {
                let entry = self.entry(record, content);
                let triples = dqv::measurements(&record.id, &record.iri, &entry.assessment);
                pending.push((record.id.clone(), Some(entry)));
                vec![GraphWrite {
                    name,
                    change: GraphChange::Replace(triples),
                    registration: Some(record.graph_info()),
                    content_hash: None,
                }]
            }
            _ => {
                pending.push((record.id.clone(), None));
                vec![GraphWrite {
                    name,
                    change: GraphChange::Replace(Vec::new()),
                    registration: content.map(|_| record.graph_info()),
                    content_hash: None,
                }]
            }
        }
    }

    fn finished(&self, committed: bool) {
        let pending = std::mem::take(&mut *self.pending.lock().unwrap_or_else(PoisonError::into_inner));
        if !committed || pending.is_empty() {
            return;
        }
        let mut scores = self.scores.write().unwrap_or_else(PoisonError::into_inner);
        for (id, entry) in pending {
            match entry {
                Some(entry) => scores.insert(id, entry),
                None => scores.remove(&id),
            };
        }
    }
}

/// Notes records whose measurements a stopping server left unwritten (with those noted before), so
/// that the next start rewrites them, and only them ([`Quality::score_all`], then
/// [`Quality::write_stale`]).
fn leave_for_next_start(registry: &Registry, ids: &[String]) -> Result<(), QualityError> {
    if ids.is_empty() {
        return Ok(());
    }
    let store = registry.store();
    let mut left: Vec<String> = store
        .setting(dmq::RESCORE_PENDING)?
        .map(|p| p.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    left.extend_from_slice(ids);
    left.sort_unstable();
    left.dedup();
    store.set_setting(dmq::RESCORE_PENDING, &left.join(" "))?;
    Ok(())
}

/// The preferred title of a subject in `lang` (else English, else any).
fn title(content: &[Triple], subject: &NamedOrBlankNode, lang: &str) -> Option<String> {
    content
        .iter()
        .filter(|t| t.subject == *subject && t.predicate == dct::TITLE)
        .filter_map(|t| match &t.object {
            Term::Literal(l) if l.language() == Some(lang) => Some(l.value().to_owned()),
            _ => None,
        })
        .next()
        .or_else(|| crate::catalog::text_of(content, subject, dct::TITLE, lang))
}

fn snapshot_node(snapshot: &Snapshot) -> NamedNode {
    let hash = Sha256::digest(snapshot.publisher.as_str().as_bytes());
    let short = hex::encode(&hash[..8]);
    NamedNode::new_unchecked(format!("urn:danhmuc:quality:history:{}:{short}", snapshot.date))
}

fn history_to_triples(snapshots: &[Snapshot]) -> Vec<Triple> {
    let mut triples = Vec::new();
    for s in snapshots {
        let m = snapshot_node(s);
        triples.push(Triple::new(m.clone(), rdf::TYPE, dqv_ns::QUALITY_MEASUREMENT));
        triples.push(Triple::new(m.clone(), dqv_ns::COMPUTED_ON, s.publisher.clone()));
        triples.push(Triple::new(m.clone(), dqv_ns::IS_MEASUREMENT_OF, dmq::PUBLISHER_AVERAGE));
        triples.push(Triple::new(
            m.clone(),
            dqv_ns::VALUE,
            Literal::new_typed_literal(format!("{:.1}", s.average), xsd::DECIMAL),
        ));
        triples.push(Triple::new(
            m.clone(),
            dmq::SNAPSHOT_DATE,
            Literal::new_typed_literal(s.date.clone(), xsd::DATE),
        ));
        triples.push(Triple::new(
            m,
            dmq::DATASETS,
            Literal::new_typed_literal(s.datasets.to_string(), xsd::INTEGER),
        ));
    }
    triples
}

fn history_from_triples(triples: &[Triple]) -> Vec<Snapshot> {
    /// Publisher, average, date, datasets.
    type Parts = (Option<NamedNode>, Option<f64>, Option<String>, usize);
    let mut by_node: FxHashMap<&NamedOrBlankNode, Parts> = FxHashMap::default();
    for t in triples {
        let slot = by_node.entry(&t.subject).or_default();
        match (&t.object, t.predicate.as_ref()) {
            (Term::NamedNode(n), p) if p == dqv_ns::COMPUTED_ON => slot.0 = Some(n.clone()),
            (Term::Literal(l), p) if p == dqv_ns::VALUE => slot.1 = l.value().parse().ok(),
            (Term::Literal(l), p) if p == dmq::SNAPSHOT_DATE => slot.2 = Some(l.value().to_owned()),
            (Term::Literal(l), p) if p == dmq::DATASETS => slot.3 = l.value().parse().unwrap_or(0),
            _ => {}
        }
    }
    by_node
        .into_values()
        .filter_map(|(publisher, average, date, datasets)| {
            Some(Snapshot { date: date?, publisher: publisher?, average: average?, datasets })
        })
        .collect()
}
