//! Data standards: SKOS code lists (and SHACL data models) registered as records of kind
//! `standard`, with versions, diffs, quality checks, CSV import/export, search and impact analysis.
//!
//! The registry keeps each version's content (`Registry::version_content`); this service reads a
//! version once into a [`scheme::Scheme`] (plus, on first use, its search index and quality report)
//! and keeps the last few in memory. It installs itself as the registry's [`ContentCheck`], so that
//! every submitted version of a code list is quality-checked (errors block publication) and a
//! version that removes or deprecates concepts in use is answered with an impact warning.

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
}

/// One version of a scheme, read.
pub struct Loaded {
    /// The registry's version number.
    pub number: u32,
    /// Its content.
    pub triples: Vec<Triple>,
    /// The scheme read from it.
    pub scheme: Scheme,
    search: OnceLock<search::SearchIndex>,
    quality: OnceLock<quality::QualityReport>,
}

impl Loaded {
    fn new(number: u32, iri: &str, triples: Vec<Triple>) -> Self {
        let scheme = Scheme::from_triples(iri, &triples);
        Self { number, triples, scheme, search: OnceLock::new(), quality: OnceLock::new() }
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
    /// Its kind.
    pub kind: &'static str,
    /// Its title.
    pub title: String,
    /// Whether it states `dct:conformsTo` the scheme.
    pub conforms_to: bool,
    /// The scheme's concepts it names (IRIs).
    pub concepts: Vec<String>,
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
    /// Records that name a concept the version removes or deprecates.
    pub affected: Vec<Usage>,
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

#[derive(Default)]
struct Cache {
    entries: FxHashMap<(String, u64, u32), (u64, Arc<Loaded>)>,
    clock: u64,
}

/// The data-standards service.
#[derive(Default)]
pub struct Standards {
    cache: Mutex<Cache>,
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
        let loaded = Arc::new(Loaded::new(n, record.iri.as_str(), triples));
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
                out.push(Usage {
                    id: record.id.clone(),
                    iri: record.iri.as_str().to_owned(),
                    kind: record.kind.name(),
                    title: title_of(&content, &record.iri),
                    conforms_to: conforms,
                    concepts: used,
                });
            }
        }
        Ok(out)
    }

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
        let users = self.usages(registry, viewer, record.iri.as_str(), &concepts)?;
        let breaking: Vec<diff::ConceptRef> = d
            .as_ref()
            .map(|d| {
                d.removed.iter().cloned().chain(d.deprecated.iter().map(|x| x.concept.clone())).collect()
            })
            .unwrap_or_default();
        let broken: FxHashSet<&str> = breaking.iter().map(|c| c.uri.as_str()).collect();
        let affected = users
            .iter()
            .filter_map(|u| {
                let hit: Vec<String> =
                    u.concepts.iter().filter(|c| broken.contains(c.as_str())).cloned().collect();
                (!hit.is_empty()).then(|| Usage { concepts: hit, ..u.clone() })
            })
            .collect();
        Ok(Impact {
            scheme: record.iri.as_str().to_owned(),
            version: n,
            version_info: new.scheme.version_info.clone(),
            previous,
            breaking,
            users,
            affected,
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
        let subject: NamedOrBlankNode = iri.clone().into();
        let is_scheme = content.iter().any(|t| {
            t.subject == subject
                && t.predicate == rdf::TYPE
                && t.object == Term::from(skos::CONCEPT_SCHEME.into_owned())
        });
        if !is_scheme {
            return Vec::new();
        }
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
}
