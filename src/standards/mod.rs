//! Data standards: SKOS code lists and SHACL data models registered as records of kind
//! `standard`, with versions, diffs, quality checks, CSV import/export, search, an alphabetical
//! index and impact analysis.
//!
//! The registry keeps each version's content (`Registry::version_content`); this service reads a
//! version once into a [`scheme::Scheme`] (plus, on first use, its search index, quality report,
//! alphabetical indexes and compiled data model) and keeps the last few in memory. It installs
//! itself as the registry's [`ContentCheck`], so that every submitted version of a code list is
//! quality-checked (errors block publication), a data model's shapes must compile, and a version
//! that removes or deprecates concepts in use, or makes conforming records stop conforming, is
//! answered with an impact warning.
//!
//! A published `dct:Standard` whose content carries a SHACL shapes graph ([`model`]) is a
//! validation profile: [`Standards::conformance`] validates a record against every such standard
//! it states `dct:conformsTo`, with the standard's current version.

pub mod alpha;
pub mod diff;
pub mod model;
pub mod quality;
pub mod scheme;
pub mod search;
pub mod tabular;

use crate::rdf::ns::{dct, skos};
use crate::registry::kind::Kind;
use crate::registry::lifecycle::Status;
use crate::registry::record::Record;
use crate::registry::submission::Submission;
use crate::registry::{ContentCheck, Finding, ListFilter, Principal, Registry, RegistryError, WriteOutcome};
use crate::store::Viewer;
use crate::validation::ValidateError;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use rustc_hash::{FxHashMap, FxHashSet};
use scheme::{Scheme, terms};
use serde::Serialize;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// Rows a CSV import may have.
pub const MAX_CSV_ROWS: usize = 200_000;

/// Scheme versions kept in memory.
const CACHED_VERSIONS: usize = 12;

/// Alphabetical indexes (languages) kept per version.
const CACHED_INDEXES: usize = 8;

/// Standards one record is validated against (distinct `dct:conformsTo` IRIs looked at).
pub const MAX_STANDARDS_PER_RECORD: usize = 16;

/// Why a standards operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StandardsError {
    /// A bad parameter. 400.
    #[error("{0}")]
    BadRequest(String),
    /// No such standard, version or concept (or not one the caller may see). 404.
    #[error("no {0}")]
    NotFound(String),
    /// A CSV file that cannot be imported (row and column named). 400.
    #[error(transparent)]
    Csv(#[from] tabular::CsvError),
    /// The registry refused or failed.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// Validation against a data model could not run.
    #[error(transparent)]
    Validation(#[from] ValidateError),
}

/// One version of a scheme, read.
pub struct Loaded {
    /// The registry's version number.
    pub number: u32,
    /// Its content.
    pub triples: Vec<Triple>,
    /// The scheme read from it.
    pub scheme: Scheme,
    /// Whether the standard is typed `skos:ConceptScheme` (a code list).
    pub is_scheme: bool,
    search: OnceLock<search::SearchIndex>,
    quality: OnceLock<quality::QualityReport>,
    model: OnceLock<Result<Option<Arc<model::DataModel>>, model::ModelError>>,
    alpha: Mutex<Vec<Arc<alpha::AlphaIndex>>>,
}

/// Whether `iri` is typed `skos:ConceptScheme` in `triples`.
fn typed_scheme(iri: &NamedNode, triples: &[Triple]) -> bool {
    let subject: NamedOrBlankNode = iri.clone().into();
    triples.iter().any(|t| {
        t.subject == subject
            && t.predicate == rdf::TYPE
            && t.object == Term::from(skos::CONCEPT_SCHEME.into_owned())
    })
}

impl Loaded {
    fn new(number: u32, iri: &NamedNode, triples: Vec<Triple>) -> Self {
        let scheme = Scheme::from_triples(iri.as_str(), &triples);
        Self {
            number,
            is_scheme: typed_scheme(iri, &triples),
            triples,
            scheme,
            search: OnceLock::new(),
            quality: OnceLock::new(),
            model: OnceLock::new(),
            alpha: Mutex::new(Vec::new()),
        }
    }

    /// The SHACL data model this version carries (compiled on first use): `Ok(None)` when it
    /// carries no shapes.
    pub fn model(&self) -> Result<Option<Arc<model::DataModel>>, model::ModelError> {
        self.model.get_or_init(|| model::compile(&self.triples).map(|m| m.map(Arc::new))).clone()
    }

    /// The alphabetical index in `lang` (built on first use; a few languages are kept).
    pub fn alpha(&self, lang: &str) -> Arc<alpha::AlphaIndex> {
        let mut cached = self.alpha.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(found) = cached.iter().find(|a| a.lang == lang) {
            return found.clone();
        }
        let built = Arc::new(alpha::AlphaIndex::build(&self.scheme, lang));
        if cached.len() >= CACHED_INDEXES {
            cached.remove(0);
        }
        cached.push(built.clone());
        built
    }

    /// The search index (built on first use).
    pub fn search(&self) -> &search::SearchIndex {
        self.search.get_or_init(|| search::SearchIndex::build(&self.scheme))
    }

    /// The quality report (computed on first use).
    pub fn quality(&self) -> &quality::QualityReport {
        self.quality.get_or_init(|| quality::check(&self.scheme))
    }

    /// The triples about one concept (it as subject).
    pub fn concept_triples(&self, iri: &str) -> Vec<Triple> {
        self.triples
            .iter()
            .filter(|t| matches!(&t.subject, NamedOrBlankNode::NamedNode(n) if n.as_str() == iri))
            .cloned()
            .collect()
    }
}

/// A version as `GET /def/{scheme}/versions` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct VersionSummary {
    /// The registry's version number.
    pub number: u32,
    /// `owl:versionInfo` / `dcat:version`.
    pub version_info: Option<String>,
    /// When it was accepted.
    pub created: String,
    /// Concepts in it.
    pub concepts: usize,
    /// Deprecated concepts in it.
    pub deprecated: usize,
    /// Whether it is the current version.
    pub current: bool,
}

/// A record that uses a scheme.
#[derive(Debug, Clone, Serialize)]
pub struct Usage {
    /// Record id.
    pub id: String,
    /// Its IRI.
    pub iri: String,
    /// Its page on this site (records under the base).
    pub href: Option<String>,
    /// Its kind.
    pub kind: &'static str,
    /// Its title.
    pub title: String,
    /// Whether it states `dct:conformsTo` the scheme.
    pub conforms_to: bool,
    /// The scheme's concepts it names (IRIs).
    pub concepts: Vec<String>,
    /// For a data model it conforms to: whether it passes the version looked at.
    pub conforms: Option<bool>,
    /// …its violations there.
    pub violations: Option<usize>,
    /// …whether it passed the version before (none: there is no version before).
    pub conformed_before: Option<bool>,
    /// …the first results against the version looked at.
    pub results: Vec<model::ResultLine>,
}

/// A record's validation against one registered SHACL standard it states `dct:conformsTo`.
#[derive(Debug, Clone, Serialize)]
pub struct Conformance {
    /// The standard's IRI.
    pub standard: String,
    /// Its record id.
    pub id: String,
    /// Its Vietnamese title.
    pub title_vi: String,
    /// Its English title.
    pub title_en: String,
    /// Its page (`/def/{id}`).
    pub href: String,
    /// The version validated against (the current one).
    pub version: u32,
    /// Its `owl:versionInfo`.
    pub version_info: Option<String>,
    /// The outcome.
    #[serde(flatten)]
    pub check: model::ModelCheck,
}

/// A data model's side of an impact analysis.
#[derive(Debug, Clone, Serialize)]
pub struct ModelImpact {
    /// Node shapes with targets in the version looked at (0 when it has no shapes).
    pub shapes: usize,
    /// Why its shapes are not a profile (SHACL-SPARQL, ill-formed), if so.
    pub error: Option<String>,
    /// Records that state `dct:conformsTo` the standard.
    pub conforming: usize,
    /// Of those, the ones that pass the version looked at.
    pub passing: usize,
    /// Of those, the ones that passed the version before and fail this one.
    pub stop_conforming: usize,
}

/// Who uses a scheme, and who a version breaks.
#[derive(Debug, Clone, Serialize)]
pub struct Impact {
    /// The scheme.
    pub scheme: String,
    /// The version looked at (registry number) and its `owl:versionInfo`.
    pub version: u32,
    /// Its `owl:versionInfo`.
    pub version_info: Option<String>,
    /// The version it is compared with (the one before), if any.
    pub previous: Option<u32>,
    /// Concepts the version removes or deprecates.
    pub breaking: Vec<diff::ConceptRef>,
    /// Records that use the scheme (name a concept of any of the two versions or conform to it).
    pub users: Vec<Usage>,
    /// Records that name a concept the version removes or deprecates, or (data models) that
    /// passed the version before and fail this one.
    pub affected: Vec<Usage>,
    /// For a SHACL data model: shapes and conformance.
    pub model: Option<ModelImpact>,
}

/// A CSV import.
pub struct CsvImport<'a> {
    /// The scheme's IRI.
    pub scheme: &'a str,
    /// The CSV.
    pub data: &'a [u8],
    /// The scheme's Vietnamese title (needed for a new scheme).
    pub title_vi: Option<String>,
    /// Its English title.
    pub title_en: Option<String>,
    /// `owl:versionInfo` of this version.
    pub version: Option<String>,
    /// The owner (admins writing for an organisation).
    pub owner: Option<NamedNode>,
}

/// A standard's version: record id, registration sequence, version number (its content never changes).
type VersionKey = (String, u64, u32);

#[derive(Default)]
struct Cache {
    entries: FxHashMap<VersionKey, (u64, Arc<Loaded>)>,
    clock: u64,
}

/// A published data model as a validation profile: its compiled shapes and what the verdict names.
struct Profile {
    model: Arc<model::DataModel>,
    title_vi: String,
    title_en: String,
    version_info: Option<String>,
}

/// Standard versions whose profile (or that they are none) is remembered.
const CACHED_PROFILES: usize = 256;

/// The data-standards service.
#[derive(Default)]
pub struct Standards {
    cache: Mutex<Cache>,
    /// Per standard version (record id, registration, version): its profile, or none (a code list,
    /// no shapes, shapes that do not compile). Small: a code list's entry is `None`.
    profiles: Mutex<FxHashMap<VersionKey, Option<Arc<Profile>>>>,
}

fn title_of(triples: &[Triple], subject: &NamedNode) -> String {
    let s: NamedOrBlankNode = subject.clone().into();
    let mut best: Option<(bool, String)> = None;
    for t in triples
        .iter()
        .filter(|t| t.subject == s && (t.predicate == dct::TITLE || t.predicate == skos::PREF_LABEL))
    {
        if let Term::Literal(l) = &t.object {
            let vi = l.language() == Some("vi");
            if best.as_ref().is_none_or(|(b, _)| vi && !b) {
                best = Some((vi, l.value().to_owned()));
            }
        }
    }
    best.map_or_else(|| subject.as_str().to_owned(), |(_, t)| t)
}

impl Standards {
    /// A new service; install it on a registry with [`Standards::attach`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes a service and installs it as the registry's content check.
    pub fn attach(registry: &Registry) -> Arc<Self> {
        let service = Arc::new(Self::new());
        registry.set_content_check(service.clone());
        service
    }

    /// The standard `/def/{key}` names: the record at `{base}def/{key}`, else the standard record
    /// whose id is `key` (schemes with their own IRIs).
    pub fn record(&self, registry: &Registry, viewer: &Viewer, key: &str) -> Result<Record, StandardsError> {
        let iri = format!("{}def/{key}", registry.base());
        let id = registry.id_of(&iri).unwrap_or_else(|| key.to_owned());
        let record =
            registry.get(&id, viewer).map_err(|_| StandardsError::NotFound(format!("standard {key}")))?;
        if record.kind != Kind::Standard {
            return Err(StandardsError::NotFound(format!("standard {key}")));
        }
        Ok(record)
    }

    /// Version `n` of a standard, read (cached).
    pub fn load(&self, registry: &Registry, record: &Record, n: u32) -> Result<Arc<Loaded>, StandardsError> {
        let key = (record.id.clone(), record.sequence, n);
        {
            let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
            cache.clock += 1;
            let clock = cache.clock;
            if let Some((used, loaded)) = cache.entries.get_mut(&key) {
                *used = clock;
                return Ok(loaded.clone());
            }
        }
        let triples = registry.version_content(record, n)?;
        let loaded = Arc::new(Loaded::new(n, &record.iri, triples));
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if cache.entries.len() >= CACHED_VERSIONS
            && let Some(oldest) =
                cache.entries.iter().min_by_key(|(_, (used, _))| *used).map(|(k, _)| k.clone())
        {
            cache.entries.remove(&oldest);
        }
        let clock = cache.clock;
        cache.entries.insert(key, (clock, loaded.clone()));
        Ok(loaded)
    }

    /// The current version of a standard.
    pub fn current(&self, registry: &Registry, record: &Record) -> Result<Arc<Loaded>, StandardsError> {
        self.load(registry, record, record.version())
    }

    /// The registry version a label names: a version number, or an `owl:versionInfo` (the newest
    /// version carrying it).
    pub fn version_number(
        &self,
        registry: &Registry,
        record: &Record,
        label: &str,
    ) -> Result<u32, StandardsError> {
        if let Ok(n) = label.parse::<u32>()
            && record.versions.iter().any(|v| v.number == n)
        {
            return Ok(n);
        }
        for v in record.versions.iter().rev() {
            if self.load(registry, record, v.number)?.scheme.version_info.as_deref() == Some(label) {
                return Ok(v.number);
            }
        }
        Err(StandardsError::NotFound(format!("version {label:?} of {}", record.id)))
    }

    /// Every version, oldest first.
    pub fn versions(
        &self,
        registry: &Registry,
        record: &Record,
    ) -> Result<Vec<VersionSummary>, StandardsError> {
        record
            .versions
            .iter()
            .map(|v| {
                let loaded = self.load(registry, record, v.number)?;
                Ok(VersionSummary {
                    number: v.number,
                    version_info: loaded.scheme.version_info.clone(),
                    created: v.created.to_string(),
                    concepts: loaded.scheme.concepts.len(),
                    deprecated: loaded.scheme.concepts.iter().filter(|c| c.deprecated).count(),
                    current: v.number == record.version(),
                })
            })
            .collect()
    }

    /// The diff between two versions.
    pub fn diff(
        &self,
        registry: &Registry,
        record: &Record,
        from: u32,
        to: u32,
    ) -> Result<(Arc<Loaded>, Arc<Loaded>, diff::SchemeDiff), StandardsError> {
        let old = self.load(registry, record, from)?;
        let new = self.load(registry, record, to)?;
        let d = diff::diff(&old.scheme, &new.scheme);
        Ok((old, new, d))
    }

    /// The records `viewer` may see that name a concept in `concepts` or conform to `scheme`.
    pub fn usages(
        &self,
        registry: &Registry,
        viewer: &Viewer,
        scheme: &str,
        concepts: &FxHashSet<&str>,
    ) -> Result<Vec<Usage>, StandardsError> {
        let mut out = Vec::new();
        each_user(registry, viewer, scheme, concepts, |_, usage| {
            out.push(usage);
            Ok(())
        })?;
        Ok(out)
    }

    /// The current version of a standard as a validation profile (remembered per version, so a
    /// large code list is read once to learn that it is none).
    fn profile(&self, registry: &Registry, record: &Record) -> Result<Option<Arc<Profile>>, StandardsError> {
        let key = (record.id.clone(), record.sequence, record.version());
        if let Some(known) = self.profiles.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
            return Ok(known.clone());
        }
        let content = registry.version_content(record, record.version())?;
        let profile = match model::compile(&content) {
            Ok(Some(model)) => {
                let scheme = Scheme::from_triples(record.iri.as_str(), &content);
                Some(Arc::new(Profile {
                    model: Arc::new(model),
                    title_vi: scheme.title("vi"),
                    title_en: scheme.title("en"),
                    version_info: scheme.version_info,
                }))
            }
            Ok(None) | Err(_) => None,
        };
        let mut profiles = self.profiles.lock().unwrap_or_else(PoisonError::into_inner);
        if profiles.len() >= CACHED_PROFILES {
            profiles.clear();
        }
        profiles.insert(key, profile.clone());
        Ok(profile)
    }

    /// [`Standards::conformance`] of a record's current content.
    pub fn record_conformance(
        &self,
        registry: &Registry,
        viewer: &Viewer,
        record: &Record,
    ) -> Result<Vec<Conformance>, StandardsError> {
        self.conformance(registry, viewer, &registry.content(record)?)
    }

    /// Validates a record's content against every registered SHACL standard it states
    /// `dct:conformsTo` (anywhere in its content) that `viewer` may see and that is published
    /// (experimental, stable or superseded), with the standard's current version. Standards that
    /// are code lists, carry no shapes or whose shapes do not compile are left out; at most
    /// [`MAX_STANDARDS_PER_RECORD`] distinct `dct:conformsTo` IRIs are looked at.
    pub fn conformance(
        &self,
        registry: &Registry,
        viewer: &Viewer,
        content: &[Triple],
    ) -> Result<Vec<Conformance>, StandardsError> {
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        let mut out = Vec::new();
        for t in content.iter().filter(|t| t.predicate == dct::CONFORMS_TO) {
            let Term::NamedNode(iri) = &t.object else { continue };
            if seen.len() >= MAX_STANDARDS_PER_RECORD || !seen.insert(iri.as_str()) {
                continue;
            }
            let Some(record) = registry.id_of(iri.as_str()).and_then(|id| registry.get(&id, viewer).ok())
            else {
                continue;
            };
            if record.kind != Kind::Standard
                || !matches!(record.status, Status::Experimental | Status::Stable | Status::Superseded)
            {
                continue;
            }
            let Some(profile) = self.profile(registry, &record)? else { continue };
            let check = model::check(&profile.model, content, Some(registry.store()))?;
            out.push(Conformance {
                standard: record.iri.as_str().to_owned(),
                id: record.id.clone(),
                title_vi: profile.title_vi.clone(),
                title_en: profile.title_en.clone(),
                href: format!("/def/{}", record.id),
                version: record.version(),
                version_info: profile.version_info.clone(),
                check,
            });
        }
        Ok(out)
    }
}

impl Usage {
    /// Whether it passed the data model's version before and fails the one looked at.
    pub fn stops_conforming(&self) -> bool {
        self.conformed_before == Some(true) && self.conforms == Some(false)
    }
}

/// Fills in a conforming record's results against a data model's version (`Ok(None)`: it has no
/// shapes, so it constrains nothing; `Err`: its shapes are not a profile, no result) and whether
/// it passed the version before (`None`: there is none; `Some(None)`: it constrained nothing).
fn annotate(
    usage: &mut Usage,
    content: &[Triple],
    new: Result<Option<&model::DataModel>, &model::ModelError>,
    before: Option<Option<&model::DataModel>>,
    registry: &Registry,
) -> Result<(), StandardsError> {
    let store = Some(registry.store());
    match new {
        Ok(Some(m)) => {
            let c = model::check(m, content, store)?;
            usage.conforms = Some(c.conforms);
            usage.violations = Some(c.violations);
            usage.results = c.results;
        }
        Ok(None) => {
            usage.conforms = Some(true);
            usage.violations = Some(0);
        }
        Err(_) => {}
    }
    usage.conformed_before = match before {
        None => None,
        Some(None) => Some(true),
        Some(Some(m)) => Some(model::check(m, content, store)?.conforms),
    };
    Ok(())
}

/// The page of a record under the registry's base (`/dataset/{id}`…); none for records with their own IRIs.
fn page_of(registry: &Registry, iri: &NamedNode) -> Option<String> {
    iri.as_str().strip_prefix(registry.base()).map(|rest| format!("/{rest}"))
}

/// Visits the records `viewer` may see that name a concept in `concepts` or conform to `scheme`,
/// with their content (one record's content in memory at a time).
fn each_user(
    registry: &Registry,
    viewer: &Viewer,
    scheme: &str,
    concepts: &FxHashSet<&str>,
    mut visit: impl FnMut(&[Triple], Usage) -> Result<(), StandardsError>,
) -> Result<(), StandardsError> {
    for record in registry.list(&ListFilter::default(), viewer) {
        if matches!(record.kind, Kind::Standard | Kind::Publisher) || record.status == Status::Retired {
            continue;
        }
        let content = registry.content(&record)?;
        let mut used: Vec<String> = Vec::new();
        let mut conforms = false;
        for t in &content {
            let Term::NamedNode(o) = &t.object else { continue };
            if t.predicate == dct::CONFORMS_TO && o.as_str() == scheme {
                conforms = true;
            } else if concepts.contains(o.as_str()) && !used.iter().any(|u| u == o.as_str()) {
                used.push(o.as_str().to_owned());
            }
        }
        if conforms || !used.is_empty() {
            used.sort();
            let usage = Usage {
                id: record.id.clone(),
                iri: record.iri.as_str().to_owned(),
                href: page_of(registry, &record.iri),
                kind: record.kind.name(),
                title: title_of(&content, &record.iri),
                conforms_to: conforms,
                concepts: used,
                conforms: None,
                violations: None,
                conformed_before: None,
                results: Vec::new(),
            };
            visit(&content, usage)?;
        }
    }
    Ok(())
}

impl Standards {
    /// Who uses the scheme and who version `n` breaks (compared with version `n - 1`).
    pub fn impact(
        &self,
        registry: &Registry,
        viewer: &Viewer,
        record: &Record,
        n: u32,
    ) -> Result<Impact, StandardsError> {
        let new = self.load(registry, record, n)?;
        let previous = record.versions.iter().rev().map(|v| v.number).find(|&v| v < n);
        let old = previous.map(|p| self.load(registry, record, p)).transpose()?;
        let d = old.as_ref().map(|o| diff::diff(&o.scheme, &new.scheme));
        let mut concepts: FxHashSet<&str> = new.scheme.concepts.iter().map(|c| c.iri.as_str()).collect();
        if let Some(o) = &old {
            concepts.extend(o.scheme.concepts.iter().map(|c| c.iri.as_str()));
        }
        let new_model = new.model();
        let old_model = old.as_ref().map(|o| o.model());
        let is_model =
            model::has_shapes(&new.triples) || old.as_ref().is_some_and(|o| model::has_shapes(&o.triples));
        let before = old_model.as_ref().map(|m| m.as_ref().ok().and_then(Option::as_deref));
        let mut users = Vec::new();
        each_user(registry, viewer, record.iri.as_str(), &concepts, |content, mut usage| {
            if is_model && usage.conforms_to {
                annotate(&mut usage, content, new_model.as_ref().map(Option::as_deref), before, registry)?;
            }
            users.push(usage);
            Ok(())
        })?;
        let breaking: Vec<diff::ConceptRef> = d
            .as_ref()
            .map(|d| {
                d.removed.iter().cloned().chain(d.deprecated.iter().map(|x| x.concept.clone())).collect()
            })
            .unwrap_or_default();
        let broken: FxHashSet<&str> = breaking.iter().map(|c| c.uri.as_str()).collect();
        let affected: Vec<Usage> = users
            .iter()
            .filter_map(|u| {
                let hit: Vec<String> =
                    u.concepts.iter().filter(|c| broken.contains(c.as_str())).cloned().collect();
                (!hit.is_empty() || u.stops_conforming()).then(|| Usage { concepts: hit, ..u.clone() })
            })
            .collect();
        let model = is_model.then(|| ModelImpact {
            shapes: match &new_model {
                Ok(Some(m)) => m.summary.len() + m.more,
                _ => 0,
            },
            error: new_model.as_ref().err().map(ToString::to_string),
            conforming: users.iter().filter(|u| u.conforms_to).count(),
            passing: users.iter().filter(|u| u.conforms == Some(true)).count(),
            stop_conforming: users.iter().filter(|u| u.stops_conforming()).count(),
        });
        Ok(Impact {
            scheme: record.iri.as_str().to_owned(),
            version: n,
            version_info: new.scheme.version_info.clone(),
            previous,
            breaking,
            users,
            affected,
            model,
        })
    }

    /// Imports a CSV code list as a new record or a new version of the record whose IRI is the
    /// scheme's. A new version keeps the scheme's own description and replaces its concepts.
    pub fn import_csv(
        &self,
        registry: &Registry,
        principal: &Principal,
        import: &CsvImport<'_>,
    ) -> Result<WriteOutcome, StandardsError> {
        let scheme = NamedNode::new(import.scheme)
            .map_err(|e| StandardsError::BadRequest(format!("the scheme IRI {:?}: {e}", import.scheme)))?;
        if !(scheme.as_str().starts_with("http://") || scheme.as_str().starts_with("https://")) {
            return Err(StandardsError::BadRequest(format!("the scheme IRI {scheme} is not http(s)")));
        }
        let concepts = tabular::import(import.data, scheme.as_str(), MAX_CSV_ROWS)?;
        let existing = registry.id_of(scheme.as_str());
        let subject: NamedOrBlankNode = scheme.clone().into();
        let mut triples: Vec<Triple> = match &existing {
            Some(id) => {
                let record = registry.get(id, &principal.viewer())?;
                registry
                    .content(&record)?
                    .into_iter()
                    .filter(|t| t.subject == subject && t.predicate != terms::HAS_TOP_CONCEPT)
                    .filter(|t| {
                        import.version.is_none()
                            || (t.predicate != terms::VERSION_INFO && t.predicate != terms::DCAT_VERSION)
                    })
                    .collect()
            }
            None => {
                if import.title_vi.is_none() {
                    return Err(StandardsError::BadRequest(
                        "a new code list needs a Vietnamese title (--title-vi, ?title_vi=)".into(),
                    ));
                }
                vec![Triple::new(scheme.clone(), rdf::TYPE, dct::STANDARD)]
            }
        };
        for (lang, title) in [("vi", &import.title_vi), ("en", &import.title_en)] {
            let Some(title) = title else { continue };
            triples.retain(|t| {
                !((t.predicate == dct::TITLE || t.predicate == skos::PREF_LABEL)
                    && matches!(&t.object, Term::Literal(l) if l.language() == Some(lang)))
            });
            let literal = Literal::new_language_tagged_literal_unchecked(title.as_str(), lang);
            triples.push(Triple::new(scheme.clone(), dct::TITLE, literal.clone()));
            triples.push(Triple::new(scheme.clone(), skos::PREF_LABEL, literal));
        }
        if let Some(version) = &import.version {
            triples.push(Triple::new(
                scheme.clone(),
                terms::VERSION_INFO,
                Literal::new_simple_literal(version),
            ));
        }
        triples.extend(concepts);
        let mut seen = FxHashSet::default();
        triples.retain(|t| seen.insert(t.clone()));
        let submission = Submission { triples, main: subject, kind: Kind::Standard };
        Ok(registry.write_submission(
            principal,
            &submission,
            existing.as_deref(),
            None,
            import.owner.as_ref(),
        )?)
    }
}

impl Standards {
    /// qSKOS findings of a code list's version, and the records that use concepts it removes or
    /// deprecates.
    fn scheme_findings(
        &self,
        registry: &Registry,
        current: Option<&Record>,
        iri: &NamedNode,
        content: &[Triple],
    ) -> Vec<Finding> {
        let new = Scheme::from_triples(iri.as_str(), content);
        let report = quality::check(&new);
        let mut findings: Vec<Finding> = report
            .checks
            .iter()
            .filter(|c| c.count > 0)
            .map(|c| Finding {
                check: c.id.to_owned(),
                error: c.severity == quality::Severity::Error,
                message: format!("qSKOS {} ({}): {} found", c.id, c.name, c.count),
                count: c.count,
                examples: c.examples.iter().map(|e| format!("{}: {}", e.focus, e.message)).collect(),
            })
            .collect();
        // Impact: which records use concepts this version removes or deprecates.
        if let Some(record) = current.filter(|r| r.version() > 0)
            && let Ok(old) = self.current(registry, record)
        {
            let d = diff::diff(&old.scheme, &new);
            if d.is_breaking() {
                let broken: FxHashSet<&str> = d.breaking_concepts().collect();
                let named = |viewer: &Viewer| -> Vec<Usage> {
                    let mut u = self.usages(registry, viewer, iri.as_str(), &broken).unwrap_or_default();
                    u.retain(|u| !u.concepts.is_empty());
                    u
                };
                let all = named(&Viewer::Staff);
                if !all.is_empty() {
                    let public = named(&Viewer::Anonymous);
                    findings.push(Finding {
                            check: "impact".into(),
                            error: false,
                            message: format!(
                                "this version removes or deprecates {} concept(s) that {} record(s) use; see /def/{}/impact",
                                broken.len(),
                                all.len(),
                                record.id
                            ),
                            count: all.len(),
                            examples: public.iter().take(20).map(|u| format!("{}: {}", u.iri, u.concepts.join(" "))).collect(),
                        });
                }
            }
        }
        findings
    }

    /// A data model's version: its shapes must compile (an error blocks publication), and the
    /// records that state `dct:conformsTo` it and pass the current version but fail this one are
    /// named in an impact warning.
    fn model_findings(
        &self,
        registry: &Registry,
        current: Option<&Record>,
        content: &[Triple],
    ) -> Vec<Finding> {
        let new = match model::compile(content) {
            Ok(Some(m)) => m,
            Ok(None) => return Vec::new(),
            Err(e) => {
                return vec![Finding {
                    check: "shacl".into(),
                    error: true,
                    message: format!("the data model cannot be a validation profile: {e}"),
                    count: 1,
                    examples: Vec::new(),
                }];
            }
        };
        let Some(record) = current.filter(|r| r.version() > 0) else { return Vec::new() };
        let Ok(old) = self.current(registry, record) else { return Vec::new() };
        let old_model = old.model();
        let before = Some(old_model.as_ref().ok().and_then(Option::as_deref));
        let mut stopping: Vec<Usage> = Vec::new();
        let none = FxHashSet::default();
        let walked = each_user(registry, &Viewer::Staff, record.iri.as_str(), &none, |content, mut usage| {
            if usage.conforms_to {
                annotate(&mut usage, content, Ok(Some(&new)), before, registry)?;
                if usage.stops_conforming() {
                    stopping.push(usage);
                }
            }
            Ok(())
        });
        if let Err(e) = walked {
            tracing::warn!(standard = %record.id, error = %e, "impact of a data model's version not computed");
        }
        if stopping.is_empty() {
            return Vec::new();
        }
        let examples = stopping
            .iter()
            .filter(|u| registry.get(&u.id, &Viewer::Anonymous).is_ok())
            .take(20)
            .map(|u| format!("{}: {} violation(s)", u.iri, u.violations.unwrap_or_default()))
            .collect();
        vec![Finding {
            check: "impact".into(),
            error: false,
            message: format!(
                "this version makes {} record(s) that state dct:conformsTo it stop conforming; see /def/{}/impact",
                stopping.len(),
                record.id
            ),
            count: stopping.len(),
            examples,
        }]
    }
}

impl ContentCheck for Standards {
    fn check(
        &self,
        registry: &Registry,
        current: Option<&Record>,
        kind: Kind,
        iri: &NamedNode,
        content: &[Triple],
    ) -> Vec<Finding> {
        if kind != Kind::Standard {
            return Vec::new();
        }
        let mut findings = Vec::new();
        if typed_scheme(iri, content) {
            findings.extend(self.scheme_findings(registry, current, iri, content));
        }
        if model::has_shapes(content) {
            findings.extend(self.model_findings(registry, current, content));
        }
        findings
    }
}
