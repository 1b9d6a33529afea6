//! The harvester: pulls other agencies' catalogues into the registry, one source per organisation.
//!
//! A source is a DCAT feed (`dcat`: RDF pages linked by Hydra paging) or a CKAN site (`ckan`: the
//! Action API's `package_search`). A run fetches every page within the limits of [`HarvestConfig`],
//! cuts every dataset, series and data service out with what is reachable from it (stopping at other
//! records: `registry::submission::split_catalogue_bounded`), and writes each through
//! [`Registry::write_harvested`]: the record keeps its own IRI and `dct:identifier`, is owned by the
//! source's organisation, is `invalid` (owner and staff only) when it breaks the profile, and makes no
//! new version when its canonical hash is unchanged. Provenance (source, time, original IRI) goes to
//! the source's staff-only provenance graph in the record's own transaction (see `sources`).
//!
//! **Invariant: a partial pass never deletes.** Records of the source that a pass did not see are
//! withdrawn (after the source's grace period) only when the pass was complete: every page fetched
//! and parsed, no paging cycle, no page cap or time cap hit, no relative `next` link.
//!
//! **Invariant: records keep their IRIs.** A dataset described by a blank node is harvested only when
//! its `dct:identifier` is an absolute http(s) IRI (then that IRI names it); otherwise it is skipped
//! and reported, never given an IRI of ours.
//!
//! The service is synchronous (the HTTP client is reqwest's blocking one): the CLI calls it directly,
//! `serve` runs it on tokio's blocking pool, so a run never holds an async worker.

pub mod ckan;
pub mod fetch;
pub mod net;
pub mod sources;

use crate::rdf::ns::dct;
use crate::registry::kind::Kind;
use crate::registry::lifecycle::Status;
use crate::registry::submission::{self, Submission};
use crate::registry::{Principal, Registry, RegistryError, WriteResult};
use crate::store::{StoreError, Viewer};
use fetch::Fetcher;
use net::AddressPolicy;
use oxigraph::model::vocab::xsd;
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use oxsdatatypes::DateTime;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

const HYDRA_NEXT: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("http://www.w3.org/ns/hydra/core#next");
const HYDRA_NEXT_PAGE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/hydra/core#nextPage");
const HYDRA_TOTAL_ITEMS: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/hydra/core#totalItems");

/// What the harvester will fetch and keep. Defaults are documented in README ("Harvesting").
#[derive(Debug, Clone)]
pub struct HarvestConfig {
    /// Addresses allowed beyond public ones.
    pub policy: AddressPolicy,
    /// `danhmuc/<version> (+<base url>)`.
    pub user_agent: String,
    /// Largest response body, in bytes (default 32 MiB); bigger ones are dropped as they stream in.
    pub max_response_bytes: u64,
    /// Most pages per run (default 10 000).
    pub max_pages: usize,
    /// Most triples per page (default 200 000).
    pub max_triples_per_page: usize,
    /// Most triples in one record's cut-out description (default 10 000).
    pub max_triples_per_record: usize,
    /// Longest literal of a record, in bytes (default 1 MiB).
    pub max_literal_bytes: usize,
    /// Connection timeout (default 10 s).
    pub connect_timeout: Duration,
    /// Longest one response may take, headers and body (default 60 s).
    pub timeout: Duration,
    /// Longest one run may take (default 6 h); a run past it stops as a partial pass.
    pub max_run_time: Duration,
    /// Rows per CKAN `package_search` page (default 100).
    pub ckan_rows: usize,
}

impl HarvestConfig {
    /// The defaults, with the registry's base URL in the `User-Agent`.
    pub fn new(base_url: &str) -> Self {
        Self {
            policy: AddressPolicy::default(),
            user_agent: format!("danhmuc/{} (+{base_url})", env!("CARGO_PKG_VERSION")),
            max_response_bytes: 32 * 1024 * 1024,
            max_pages: 10_000,
            max_triples_per_page: 200_000,
            max_triples_per_record: 10_000,
            max_literal_bytes: 1024 * 1024,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            max_run_time: Duration::from_secs(6 * 3600),
            ckan_rows: 100,
        }
    }
}

/// Why a harvest operation failed (a run's own troubles go to its report instead).
#[derive(Debug, thiserror::Error)]
pub enum HarvestError {
    /// Bad input (an unknown organisation, a bad URL or duration).
    #[error("{0}")]
    BadRequest(String),
    /// No such source.
    #[error("no harvest source {0}")]
    NotFound(String),
    /// The source exists already, or is being harvested right now.
    #[error("{0}")]
    Conflict(String),
    /// The HTTP client could not be built.
    #[error("the HTTP client: {0}")]
    Client(String),
    /// The registry failed.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The kind of a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A DCAT feed in Turtle, RDF/XML, JSON-LD or N-Triples, paged with Hydra.
    Dcat,
    /// A CKAN site's Action API.
    Ckan,
}

impl FromStr for SourceKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "dcat" => Ok(Self::Dcat),
            "ckan" => Ok(Self::Ckan),
            _ => Err(format!("unknown source kind {s:?}: use dcat or ckan")),
        }
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Dcat => "dcat",
            Self::Ckan => "ckan",
        })
    }
}

/// A harvest source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Its id (`[a-z0-9-]`).
    pub id: String,
    /// The organisation that owns what it harvests.
    #[serde(serialize_with = "serialize_iri")]
    pub org: NamedNode,
    /// The feed's first page, or the CKAN site.
    pub url: String,
    /// dcat or ckan.
    pub kind: SourceKind,
    /// Time between scheduled runs (none: on demand only).
    #[serde(serialize_with = "serialize_duration")]
    pub every: Option<Duration>,
    /// How long a record must be missing from complete passes before it is withdrawn.
    #[serde(serialize_with = "serialize_grace")]
    pub grace: Duration,
    /// When it was added.
    pub created: String,
}

fn serialize_iri<S: serde::Serializer>(iri: &NamedNode, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(iri.as_str())
}

#[expect(clippy::ref_option, reason = "serde's serialize_with passes a reference to the field")]
fn serialize_duration<S: serde::Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&format_duration(*d)),
        None => s.serialize_none(),
    }
}

fn serialize_grace<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_duration(*d))
}

/// Reads `90s`, `15m`, `24h`, `7d` (or a number of seconds).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
    let n: u64 =
        number.parse().map_err(|_| format!("{text:?} is not a duration such as 90s, 15m, 24h or 7d"))?;
    let factor = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("{text:?} is not a duration such as 90s, 15m, 24h or 7d")),
    };
    Ok(Duration::from_secs(n.saturating_mul(factor)))
}

/// Writes a duration the way [`parse_duration`] reads it.
pub fn format_duration(d: Duration) -> String {
    let s = d.as_secs();
    if s != 0 && s.is_multiple_of(86_400) {
        format!("{}d", s / 86_400)
    } else if s != 0 && s.is_multiple_of(3600) {
        format!("{}h", s / 3600)
    } else if s != 0 && s.is_multiple_of(60) {
        format!("{}m", s / 60)
    } else {
        format!("{s}s")
    }
}

/// A source to add.
#[derive(Debug, Clone)]
pub struct NewSource {
    /// Its id; by default the organisation's id (then `-2`, `-3`…).
    pub id: Option<String>,
    /// The organisation's id.
    pub org: String,
    /// The URL.
    pub url: String,
    /// dcat or ckan.
    pub kind: SourceKind,
    /// Time between scheduled runs.
    pub every: Option<Duration>,
    /// Grace before withdrawing missing records.
    pub grace: Duration,
}

/// A record the run kept as `invalid`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InvalidRecord {
    /// Its IRI.
    pub iri: String,
    /// Its registry id.
    pub id: String,
    /// The profile's violations (the first few).
    pub violations: Vec<String>,
}

/// The report of one run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RunReport {
    /// The run's id (its start time, compact).
    pub run: String,
    /// The source.
    pub source: String,
    /// When it started (xsd:dateTime).
    pub started: String,
    /// The same, in seconds since the Unix epoch.
    pub started_unix: u64,
    /// How long it took.
    pub seconds: f64,
    /// Whether the pass was complete (then absent records were withdrawn).
    pub complete: bool,
    /// Pages fetched and read.
    pub pages: usize,
    /// `hydra:totalItems` (or CKAN's count) announced by the source, if it said.
    pub announced: Option<u64>,
    /// Records seen in the source.
    pub seen: usize,
    /// New records.
    pub created: usize,
    /// Records with a new version.
    pub updated: usize,
    /// Records whose content had not changed (no new version).
    pub unchanged: usize,
    /// Records of this pass kept as `invalid` (counted in created, updated or unchanged as well).
    pub invalid: usize,
    /// Records withdrawn because a complete pass no longer listed them.
    pub retired: usize,
    /// Records marked missing, to be withdrawn once their grace period is over.
    pub missing: usize,
    /// Records of the source that could not be stored (too large, not ours, no IRI…).
    pub skipped: usize,
    /// Errors: page errors (which make the pass partial) and record errors.
    pub errors: Vec<String>,
    /// Warnings (a lying Content-Type…).
    pub warnings: Vec<String>,
    /// The records kept as `invalid`, with their violations (the first 200).
    pub invalid_records: Vec<InvalidRecord>,
    /// The IRIs of the records withdrawn.
    pub retired_records: Vec<String>,
}

const MAX_LISTED: usize = 200;

impl RunReport {
    fn error(&mut self, message: String) {
        if self.errors.len() < MAX_LISTED {
            self.errors.push(message);
        } else if self.errors.len() == MAX_LISTED {
            self.errors.push("… more errors not listed".into());
        }
    }

    fn warning(&mut self, message: String) {
        if self.warnings.len() < MAX_LISTED {
            self.warnings.push(message);
        }
    }
}

/// The harvester: sources, runs and their schedule.
pub struct Harvester {
    config: HarvestConfig,
    /// Sources being harvested right now: runs of one source never overlap.
    running: Mutex<FxHashSet<String>>,
    /// When each source's last run started (for the schedule).
    last_started: Mutex<FxHashMap<String, SystemTime>>,
    /// Serialises source additions.
    adding: Mutex<()>,
}

impl Harvester {
    /// A harvester with these limits.
    pub fn new(config: HarvestConfig) -> Self {
        Self {
            config,
            running: Mutex::new(FxHashSet::default()),
            last_started: Mutex::new(FxHashMap::default()),
            adding: Mutex::new(()),
        }
    }

    /// Its limits.
    pub fn config(&self) -> &HarvestConfig {
        &self.config
    }

    /// Every source.
    pub fn sources(&self, registry: &Registry) -> Result<Vec<Source>, HarvestError> {
        sources::list(registry.store())
    }

    /// One source.
    pub fn source(&self, registry: &Registry, id: &str) -> Result<Source, HarvestError> {
        self.sources(registry)?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or_else(|| HarvestError::NotFound(id.to_owned()))
    }

    /// The last runs of a source, newest first.
    pub fn runs(&self, registry: &Registry, id: &str) -> Result<Vec<RunReport>, HarvestError> {
        sources::runs(registry.store(), id)
    }

    /// Adds a source for an existing organisation.
    pub fn add_source(&self, registry: &Registry, new: &NewSource) -> Result<Source, HarvestError> {
        let url = reqwest::Url::parse(new.url.trim())
            .map_err(|e| HarvestError::BadRequest(format!("{:?} is not a URL: {e}", new.url)))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(HarvestError::BadRequest(format!("{url}: only http and https URLs are harvested")));
        }
        let org = registry.org_iri(&new.org);
        let known = registry
            .id_of(org.as_str())
            .and_then(|id| registry.get(&id, &Viewer::Operator).ok())
            .is_some_and(|r| r.kind == Kind::Publisher);
        if !known {
            return Err(HarvestError::BadRequest(format!("no organisation {}", new.org)));
        }
        if new.every.is_some_and(|e| e < Duration::from_secs(1)) {
            return Err(HarvestError::BadRequest("--every must be at least 1s".into()));
        }
        let _adding = self.adding.lock().unwrap_or_else(PoisonError::into_inner);
        let existing = self.sources(registry)?;
        let id = match &new.id {
            Some(id) => {
                if id.is_empty()
                    || id.len() > 60
                    || !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                {
                    return Err(HarvestError::BadRequest(format!(
                        "a source id is 1 to 60 lowercase letters, digits and hyphens, not {id:?}"
                    )));
                }
                if existing.iter().any(|s| s.id == *id) {
                    return Err(HarvestError::Conflict(format!("harvest source {id} exists")));
                }
                id.clone()
            }
            None => {
                let base = submission::slug(&new.org);
                let mut id = base.clone();
                let mut n = 2;
                while existing.iter().any(|s| s.id == id) {
                    id = format!("{base}-{n}");
                    n += 1;
                }
                id
            }
        };
        let source = Source {
            id,
            org,
            url: url.to_string(),
            kind: new.kind,
            every: new.every,
            grace: new.grace,
            created: DateTime::now().to_string(),
        };
        sources::add(registry.store(), &source, existing.len() + 1)?;
        Ok(source)
    }

    /// The sources whose schedule says they should run now (and that are not running).
    pub fn due(&self, registry: &Registry) -> Result<Vec<String>, HarvestError> {
        let now = SystemTime::now();
        let running = self.running.lock().unwrap_or_else(PoisonError::into_inner).clone();
        let mut due = Vec::new();
        for source in self.sources(registry)? {
            let Some(every) = source.every else { continue };
            if running.contains(&source.id) {
                continue;
            }
            let known =
                self.last_started.lock().unwrap_or_else(PoisonError::into_inner).get(&source.id).copied();
            let last = match known {
                Some(t) => Some(t),
                None => self.runs(registry, &source.id)?.first().map(|r| {
                    let t = SystemTime::UNIX_EPOCH + Duration::from_secs(r.started_unix);
                    self.last_started
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .insert(source.id.clone(), t);
                    t
                }),
            };
            if last.is_none_or(|t| now.duration_since(t).unwrap_or_default() >= every) {
                due.push(source.id);
            }
        }
        Ok(due)
    }

    /// Runs one source now; refused (conflict) while another run of it is going on.
    pub fn run(&self, registry: &Registry, id: &str) -> Result<RunReport, HarvestError> {
        let source = self.source(registry, id)?;
        if !self.running.lock().unwrap_or_else(PoisonError::into_inner).insert(source.id.clone()) {
            return Err(HarvestError::Conflict(format!("harvest source {id} is being harvested right now")));
        }
        let _guard = RunningGuard { harvester: self, id: source.id.clone() };
        self.last_started
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(source.id.clone(), SystemTime::now());
        let report = Run::new(self, registry, &source)?.execute();
        sources::save_run(registry.store(), &source, &report)?;
        registry.store().flush()?;
        tracing::info!(
            source = %source.id, complete = report.complete, pages = report.pages, created = report.created,
            updated = report.updated, unchanged = report.unchanged, invalid = report.invalid,
            retired = report.retired, errors = report.errors.len(), "harvest run finished"
        );
        Ok(report)
    }
}

struct RunningGuard<'a> {
    harvester: &'a Harvester,
    id: String,
}

impl Drop for RunningGuard<'_> {
    fn drop(&mut self) {
        self.harvester.running.lock().unwrap_or_else(PoisonError::into_inner).remove(&self.id);
    }
}

/// One run of one source.
struct Run<'a> {
    config: &'a HarvestConfig,
    registry: &'a Registry,
    source: &'a Source,
    principal: Principal,
    fetcher: Fetcher,
    started: Instant,
    provenance: FxHashMap<String, sources::Provenance>,
    seen: FxHashSet<String>,
    report: RunReport,
    now: Literal,
}

impl<'a> Run<'a> {
    fn new(
        harvester: &'a Harvester,
        registry: &'a Registry,
        source: &'a Source,
    ) -> Result<Self, HarvestError> {
        let now = DateTime::now();
        let started_unix =
            SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Ok(Self {
            config: &harvester.config,
            registry,
            source,
            principal: Principal::harvester(&source.id),
            fetcher: Fetcher::new(&harvester.config)?,
            started: Instant::now(),
            provenance: sources::provenance(registry.store(), &source.id)?,
            seen: FxHashSet::default(),
            report: RunReport {
                run: now.to_string().replace([':', '-', '.'], ""),
                source: source.id.clone(),
                started: now.to_string(),
                started_unix,
                ..RunReport::default()
            },
            now: Literal::new_typed_literal(now.to_string(), xsd::DATE_TIME),
        })
    }

    fn execute(mut self) -> RunReport {
        let complete = match self.source.kind {
            SourceKind::Dcat => self.pass_dcat(),
            SourceKind::Ckan => self.pass_ckan(),
        };
        self.report.complete = complete;
        self.report.seen = self.seen.len();
        if complete {
            self.retire_absent();
        }
        self.report.seconds = self.started.elapsed().as_secs_f64();
        self.report
    }

    /// Whether another page may be fetched; records why not.
    fn may_fetch(&mut self) -> bool {
        if self.report.pages >= self.config.max_pages {
            self.report.error(format!(
                "stopped after {} pages (the page cap): partial pass, nothing withdrawn",
                self.config.max_pages
            ));
            return false;
        }
        if self.started.elapsed() > self.config.max_run_time {
            self.report.error(format!(
                "stopped after {:?} (the run time cap): partial pass, nothing withdrawn",
                self.config.max_run_time
            ));
            return false;
        }
        true
    }

    /// Follows the feed's Hydra paging; true when the pass was complete.
    fn pass_dcat(&mut self) -> bool {
        let mut url = self.source.url.clone();
        let mut visited: FxHashSet<String> = FxHashSet::default();
        loop {
            if !self.may_fetch() {
                return false;
            }
            visited.insert(without_fragment(&url));
            let fetched = match self.fetcher.get(
                &url,
                "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.9, application/n-triples;q=0.8, */*;q=0.1",
            ) {
                Ok(f) => f,
                Err(e) => {
                    self.report.error(format!("{e}: partial pass, nothing withdrawn"));
                    return false;
                }
            };
            visited.insert(without_fragment(&fetched.url));
            let parsed = match fetch::parse_rdf(&fetched, self.config.max_triples_per_page) {
                Ok(p) => p,
                Err(e) => {
                    self.report.error(format!("{e}: partial pass, nothing withdrawn"));
                    return false;
                }
            };
            drop(fetched);
            self.report.pages += 1;
            if let Some(warning) = parsed.warning {
                self.report.warning(warning);
            }
            if self.report.announced.is_none() {
                self.report.announced = total_items(&parsed.triples);
            }
            let next = next_page(&parsed.triples);
            self.store_records(&parsed.triples);
            match next {
                Ok(None) => return true,
                Ok(Some(next)) => {
                    if visited.contains(&without_fragment(&next)) {
                        self.report.error(format!(
                            "paging cycle: {url} links back to {next}: partial pass, nothing withdrawn"
                        ));
                        return false;
                    }
                    url = next;
                }
                Err(e) => {
                    self.report.error(format!("{url}: {e}: partial pass, nothing withdrawn"));
                    return false;
                }
            }
        }
    }

    /// Pages through CKAN's `package_search`; true when the pass was complete.
    fn pass_ckan(&mut self) -> bool {
        let site = ckan::site_of(&self.source.url);
        let rows = self.config.ckan_rows.max(1);
        let mut start = 0;
        loop {
            if !self.may_fetch() {
                return false;
            }
            let url = ckan::page_url(&site, start, rows);
            let page = self
                .fetcher
                .get(&url, "application/json")
                .and_then(|f| ckan::read_page(&f.body).map_err(|e| format!("{url}: {e}")));
            let (count, packages) = match page {
                Ok(page) => page,
                Err(e) => {
                    self.report.error(format!("{e}: partial pass, nothing withdrawn"));
                    return false;
                }
            };
            self.report.pages += 1;
            self.report.announced = Some(count as u64);
            if packages.is_empty() {
                if start < count {
                    self.report.error(format!(
                        "{url}: no packages at start={start} although the site counts {count}: partial pass, nothing withdrawn"
                    ));
                    return false;
                }
                return true;
            }
            let mut triples = Vec::new();
            for package in &packages {
                match ckan::map_package(&site, package) {
                    Ok((_, mapped)) => {
                        if mapped.len() > self.config.max_triples_per_record {
                            self.report.error(format!(
                                "{url}: a package maps to more than {} triples; skipped",
                                self.config.max_triples_per_record
                            ));
                            self.report.skipped += 1;
                            if let Some(iri) = ckan::dataset_iri(&site, package) {
                                self.seen.insert(iri.as_str().to_owned());
                            }
                            continue;
                        }
                        triples.extend(mapped);
                    }
                    Err(e) => {
                        self.report.error(format!("{url}: {e}"));
                        self.report.skipped += 1;
                    }
                }
            }
            self.store_records(&triples);
            start += packages.len();
            if start >= count {
                return true;
            }
        }
    }

    /// Cuts a page into records and writes each.
    fn store_records(&mut self, triples: &[Triple]) {
        for part in submission::split_catalogue_bounded(triples, self.config.max_triples_per_record) {
            match part {
                Ok(part) => self.store_record(part),
                Err(too_large) => {
                    if let NamedOrBlankNode::NamedNode(n) = &too_large.main {
                        self.seen.insert(n.as_str().to_owned());
                    }
                    self.report.skipped += 1;
                    self.report.error(format!(
                        "{}: its description has more than {} triples; skipped",
                        too_large.main, too_large.limit
                    ));
                }
            }
        }
        // The store's write buffers (RocksDB memtables: up to hundreds of MB per index) are written
        // out after every page, so a harvest's memory stays that of one page however long the feed.
        if let Err(e) = self.registry.store().flush() {
            self.report.error(format!("the store could not write its buffers out: {e}"));
        }
    }

    fn store_record(&mut self, part: Submission) {
        let part = match named(part) {
            Ok(part) => part,
            Err(message) => {
                self.report.skipped += 1;
                self.report.error(message);
                return;
            }
        };
        let NamedOrBlankNode::NamedNode(iri) = part.main.clone() else { return };
        if !self.seen.insert(iri.as_str().to_owned()) {
            self.report
                .warning(format!("{iri} is described twice in the source; the first description was kept"));
            return;
        }
        if !(iri.as_str().starts_with("http://") || iri.as_str().starts_with("https://")) {
            self.report.skipped += 1;
            self.report.error(format!("{iri} is not an HTTP IRI; skipped"));
            return;
        }
        if let Some(t) = part.triples.iter().find(
            |t| matches!(&t.object, Term::Literal(l) if l.value().len() > self.config.max_literal_bytes),
        ) {
            self.report.skipped += 1;
            self.report.error(format!(
                "{iri}: a literal of {} is longer than {} bytes; skipped",
                t.predicate, self.config.max_literal_bytes
            ));
            return;
        }
        let known = self.provenance.get(iri.as_str());
        if known.is_none()
            && let Some(id) = self.registry.id_of(iri.as_str())
        {
            self.report.skipped += 1;
            self.report.error(format!("{iri} is record {id}, which this source did not harvest; left alone"));
            return;
        }
        let extra = sources::provenance_writes(self.source, &iri, known, &self.now);
        match self.registry.write_harvested(&self.principal, &part, &self.source.org, extra) {
            Ok(written) => {
                match written.result {
                    WriteResult::Created => self.report.created += 1,
                    WriteResult::Updated => self.report.updated += 1,
                    WriteResult::Unchanged => {
                        self.report.unchanged += 1;
                        if let Some(missing) = known.and_then(|k| k.missing_since.clone())
                            && let Err(e) = sources::set_missing(
                                self.registry.store(),
                                self.source,
                                iri.as_str(),
                                Some(&missing),
                                None,
                            )
                        {
                            self.report.error(format!("{iri}: {e}"));
                        }
                    }
                }
                if written.invalid {
                    self.report.invalid += 1;
                    if self.report.invalid_records.len() < MAX_LISTED {
                        let violations = written.violations.into_iter().take(5).collect();
                        self.report.invalid_records.push(InvalidRecord {
                            iri: iri.as_str().to_owned(),
                            id: written.record.id,
                            violations,
                        });
                    }
                }
            }
            Err(e) => {
                self.report.skipped += 1;
                self.report.error(format!("{iri}: {e}"));
            }
        }
    }

    /// After a complete pass: withdraws (or marks missing) the source's records it did not see.
    fn retire_absent(&mut self) {
        let now = DateTime::now();
        let absent: Vec<(String, Option<Term>)> = self
            .provenance
            .iter()
            .filter(|(iri, _)| !self.seen.contains(*iri))
            .map(|(iri, p)| (iri.clone(), p.missing_since.clone()))
            .collect();
        for (iri, missing_since) in absent {
            let Some(id) = self.registry.id_of(&iri) else { continue };
            let Ok(record) = self.registry.get(&id, &Viewer::Operator) else { continue };
            if record.status == Status::Retired {
                continue;
            }
            let since = missing_since.as_ref().and_then(|t| match t {
                Term::Literal(l) => DateTime::from_str(l.value()).ok(),
                _ => None,
            });
            let overdue = match since {
                _ if self.source.grace.is_zero() => true,
                Some(since) => now
                    .checked_sub(since)
                    .and_then(|d| Duration::try_from(d).ok())
                    .is_some_and(|d| d >= self.source.grace),
                None => false,
            };
            if overdue {
                match self.registry.retire(&self.principal, &id) {
                    Ok(_) => {
                        self.report.retired += 1;
                        if self.report.retired_records.len() < MAX_LISTED {
                            self.report.retired_records.push(iri.clone());
                        }
                    }
                    Err(e) => self.report.error(format!("{iri}: cannot withdraw: {e}")),
                }
            } else {
                self.report.missing += 1;
                if since.is_none() {
                    let literal = Literal::new_typed_literal(now.to_string(), xsd::DATE_TIME);
                    if let Err(e) =
                        sources::set_missing(self.registry.store(), self.source, &iri, None, Some(literal))
                    {
                        self.report.error(format!("{iri}: {e}"));
                    }
                }
            }
        }
    }
}

/// A blank-node record gets the IRI its `dct:identifier` gives, when that is an absolute http(s)
/// IRI; otherwise it cannot be harvested (we never mint IRIs for harvested records).
fn named(part: Submission) -> Result<Submission, String> {
    let NamedOrBlankNode::BlankNode(blank) = &part.main else { return Ok(part) };
    let identifier = part.triples.iter().find_map(|t| match &t.object {
        Term::Literal(l) if t.subject == part.main && t.predicate == dct::IDENTIFIER => {
            let v = l.value().trim();
            (v.starts_with("http://") || v.starts_with("https://")).then(|| NamedNode::new(v).ok()).flatten()
        }
        Term::NamedNode(n) if t.subject == part.main && t.predicate == dct::IDENTIFIER => Some(n.clone()),
        _ => None,
    });
    let Some(iri) = identifier else {
        let title = part
            .triples
            .iter()
            .find_map(|t| match &t.object {
                Term::Literal(l) if t.subject == part.main && t.predicate == dct::TITLE => {
                    Some(l.value().to_owned())
                }
                _ => None,
            })
            .unwrap_or_default();
        return Err(format!(
            "a {} described by a blank node ({title:?}) without an http(s) dct:identifier: no stable IRI; skipped",
            part.kind
        ));
    };
    let triples = part
        .triples
        .iter()
        .map(|t| {
            let subject: NamedOrBlankNode =
                if t.subject == part.main { iri.clone().into() } else { t.subject.clone() };
            let object: Term = match &t.object {
                Term::BlankNode(b) if b == blank => iri.clone().into(),
                o => o.clone(),
            };
            Triple::new(subject, t.predicate.clone(), object)
        })
        .collect();
    Ok(Submission { triples, main: iri.into(), kind: part.kind })
}

fn without_fragment(url: &str) -> String {
    url.split('#').next().unwrap_or(url).to_owned()
}

/// `hydra:totalItems`, if a page says.
fn total_items(triples: &[Triple]) -> Option<u64> {
    triples.iter().find_map(|t| match &t.object {
        Term::Literal(l) if t.predicate == HYDRA_TOTAL_ITEMS => l.value().trim().parse().ok(),
        _ => None,
    })
}

/// The next page: `hydra:next`, else `hydra:nextPage` (IRIs, or literals as ckanext-dcat writes
/// them). A literal that is not an absolute http(s) URL is an error: the feed's links are broken.
fn next_page(triples: &[Triple]) -> Result<Option<String>, String> {
    for predicate in [HYDRA_NEXT, HYDRA_NEXT_PAGE] {
        if let Some(t) = triples.iter().find(|t| t.predicate == predicate) {
            return match &t.object {
                Term::NamedNode(n) => Ok(Some(n.as_str().to_owned())),
                Term::Literal(l) => {
                    let value = l.value().trim();
                    match reqwest::Url::parse(value) {
                        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(Some(url.to_string())),
                        _ => Err(format!(
                            "the next page link {value:?} is not an absolute http(s) URL (relative paging links are refused)"
                        )),
                    }
                }
                Term::BlankNode(_) => Err("the next page link is a blank node".into()),
            };
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_and_write() {
        assert_eq!(parse_duration("24h"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("3w").is_err());
        assert_eq!(format_duration(Duration::from_secs(86_400)), "1d");
        assert_eq!(format_duration(Duration::from_secs(90)), "90s");
        assert_eq!(format_duration(Duration::ZERO), "0s");
    }

    #[test]
    fn next_links_in_both_styles() {
        let page = NamedNode::new_unchecked("http://x.example/catalog?page=1");
        let t = |p: NamedNodeRef<'_>, o: Term| Triple::new(page.clone(), p, o);
        let iri = |s: &str| Term::from(NamedNode::new_unchecked(s));
        assert_eq!(next_page(&[]), Ok(None));
        assert_eq!(
            next_page(&[t(
                HYDRA_NEXT_PAGE,
                Literal::new_simple_literal("http://x.example/catalog?page=2").into()
            )]),
            Ok(Some("http://x.example/catalog?page=2".into()))
        );
        assert_eq!(
            next_page(&[
                t(HYDRA_NEXT_PAGE, iri("http://x.example/old")),
                t(HYDRA_NEXT, iri("http://x.example/new")),
            ]),
            Ok(Some("http://x.example/new".into())),
            "hydra:next wins"
        );
        assert!(next_page(&[t(HYDRA_NEXT, Literal::new_simple_literal("?page=2").into())]).is_err());
    }
}
