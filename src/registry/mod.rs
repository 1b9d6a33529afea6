//! The registry service: organisations, API tokens, and records with validation on write, a status
//! lifecycle, versions and an audit trail.
//!
//! Every write takes the registry's write lock, validates against the store as it is, and commits
//! the record's content, metadata, version and audit entry in one store transaction: a write that
//! answered is committed whole, one that failed left nothing.

pub mod accounts;
pub mod kind;
pub mod lifecycle;
pub mod record;
pub mod submission;
pub mod tokens;
mod turn;

use crate::rdf::ns::{dct, dm, foaf, graph};
use crate::shacl::ValidationReport;
use crate::store::{Access, GraphChange, GraphInfo, GraphWrite, Store, StoreError, Viewer};
use crate::validation::{self, ValidateError};
use kind::Kind;
use lifecycle::Status;
use oxigraph::io::RdfFormat;
use oxigraph::model::dataset::{CanonicalizationAlgorithm, CanonicalizationHashAlgorithm};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Graph, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use oxsdatatypes::DateTime;
use record::{Record, Version, names};
use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};
use std::sync::{Mutex, PoisonError, RwLock};
use tokens::Role;

/// Who acts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The token's public id (`urn:danhmuc:token:{id}` in the audit trail), or `system`.
    pub token: String,
    /// The role.
    pub role: Role,
    /// The organisation, for publishers (and optionally others).
    pub org: Option<NamedNode>,
    /// For stewards: the record kinds they may review (all when empty).
    pub scope: Vec<Kind>,
}

impl Principal {
    /// The registry itself (demo content, bootstrap): an admin.
    pub fn system() -> Self {
        Self { token: "system".into(), role: Role::Admin, org: None, scope: Vec::new() }
    }

    /// How this principal sees the store.
    pub fn viewer(&self) -> Viewer {
        match (self.role, &self.org) {
            (Role::Publisher, Some(org)) => Viewer::Member { org: org.clone() },
            (Role::Publisher, None) => Viewer::Anonymous,
            (Role::Steward | Role::Admin, _) => Viewer::Staff,
        }
    }

    /// The harvester acting for one harvest source: writes records for the source's organisation.
    pub fn harvester(source: &str) -> Self {
        Self { token: format!("harvest:{source}"), role: Role::Admin, org: None, scope: Vec::new() }
    }

    fn actor(&self) -> NamedNode {
        if self.token == "system" {
            names::system()
        } else if let Some(source) = self.token.strip_prefix("harvest:") {
            names::harvest_source(source)
        } else {
            names::token(&self.token)
        }
    }

    fn may_review(&self, kind: Kind) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Steward => self.scope.is_empty() || self.scope.contains(&kind),
            Role::Publisher => false,
        }
    }

    fn may_write_for(&self, owner: &NamedNode) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Publisher => self.org.as_ref() == Some(owner),
            Role::Steward => false,
        }
    }
}

/// Why a registry operation was refused or failed. The HTTP layer maps each to a status.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// Malformed input (unparseable RDF, no main resource, a bad parameter). 400.
    #[error("{0}")]
    BadRequest(String),
    /// The submission breaks its profile. 422, with the report.
    #[error("the record does not conform to its profile ({} violations)", .0.count(&crate::shacl::Severity::Violation))]
    Invalid(Box<ValidationReport>),
    /// The principal may not do this. 403.
    #[error("{0}")]
    Forbidden(String),
    /// No such record (or not one the caller may see). 404.
    #[error("no record {0}")]
    NotFound(String),
    /// The record was withdrawn. 410, with its tombstone.
    #[error("record {id} was withdrawn")]
    Gone {
        /// The record.
        id: String,
        /// Its tombstone.
        tombstone: Vec<Triple>,
    },
    /// The request conflicts with the record's state (an illegal transition, an existing IRI). 409.
    #[error("{0}")]
    Conflict(String),
    /// `If-Match` does not match the record's ETag. 412.
    #[error("the record changed: its ETag is now \"{current}\"")]
    PreconditionFailed {
        /// The current ETag.
        current: String,
    },
    /// Validation could not run.
    #[error(transparent)]
    Validation(#[from] ValidateError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The content fails checks that block publication (a published record may not take it; a
    /// submitted one may not be published). 422, with the findings.
    #[error("the content fails {} check(s) that block publication: {}", .0.iter().filter(|f| f.error).count(), .0.iter().filter(|f| f.error).map(|f| f.message.as_str()).collect::<Vec<_>>().join("; "))]
    Blocked(Vec<Finding>),
}

/// How far [`Registry::refresh_derived`] went.
#[derive(Debug, Default, Clone, Copy)]
pub struct Refreshed {
    /// The ids gone through, from the first: all of them unless the server is stopping.
    pub through: usize,
    /// The records rewritten among them (the others were purged meanwhile).
    pub written: usize,
}

/// What a write did.
#[derive(Debug, Clone)]
pub struct WriteOutcome {
    /// The record after the write.
    pub record: Record,
    /// A new record.
    pub created: bool,
    /// Whether the content changed (an unchanged resubmission makes no version).
    pub changed: bool,
    /// The validation report (warnings and infos; never violations).
    pub report: ValidationReport,
    /// Findings of the kind's extra checks (quality, impact); errors among them mean the record
    /// may not be published until they are fixed.
    pub findings: Vec<Finding>,
}

/// One finding of a [`ContentCheck`] (a quality check, an impact warning).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// The check's id (`ipl`, `impact`…).
    pub check: String,
    /// Whether it blocks publication.
    pub error: bool,
    /// What it found, in one line.
    pub message: String,
    /// How many things it found.
    pub count: usize,
    /// The first few things found (IRIs, with what is wrong).
    pub examples: Vec<String>,
}

/// Checks some kinds of records need beyond their SHACL profile (the data-standards service's
/// quality checks and impact warnings). Run under the registry's write lock, on the content about
/// to be committed (`current` is the record before the write, if any).
pub trait ContentCheck: Send + Sync {
    /// The findings for `content` of a record of `kind` with main resource `iri`.
    fn check(
        &self,
        registry: &Registry,
        current: Option<&Record>,
        kind: Kind,
        iri: &NamedNode,
        content: &[Triple],
    ) -> Vec<Finding>;
}

/// What is derived from a record's content: graphs written in the same store transaction (the quality
/// service's DQV measurements), or state outside the store updated once the transaction committed (the
/// search index). Called under the registry's write lock, in commit order; must be quick.
pub trait RecordHook: Send + Sync {
    /// The graph writes that join the transaction committing `record` with `content` (its current
    /// content after the write); `None` when the record is purged.
    fn writes(&self, record: &Record, content: Option<&[Triple]>) -> Vec<GraphWrite>;
    /// After the transaction: whether it committed (what `writes` prepared takes effect, or not).
    fn finished(&self, committed: bool);
}

/// The content of a record about to be committed.
struct NewContent {
    id: String,
    iri: NamedNode,
    kind: Kind,
    owner: NamedNode,
    content: Vec<Triple>,
    etag: String,
    rights: Access,
    report: ValidationReport,
}

/// What a harvested write did to its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteResult {
    /// A new record.
    Created,
    /// A new version.
    Updated,
    /// The content was the same (same canonical hash): nothing written.
    Unchanged,
}

/// The outcome of [`Registry::write_harvested`].
#[derive(Debug, Clone)]
pub struct HarvestedWrite {
    /// The record after the write.
    pub record: Record,
    /// Created, updated or unchanged.
    pub result: WriteResult,
    /// Whether the record is kept as `invalid`.
    pub invalid: bool,
    /// The profile's violations, one line each (empty when unchanged or valid).
    pub violations: Vec<String>,
}

/// The registry.
pub struct Registry {
    store: Store,
    base: String,
    index: RwLock<Index>,
    /// The write lock: one write at a time, in arrival order.
    writes: turn::TurnLock,
    /// Tokens verified once (by the SHA-256 of the presented token), until revoked.
    verified: Mutex<FxHashMap<[u8; 32], Principal>>,
    /// Extra checks per kind (set once, by the data-standards service).
    checks: std::sync::OnceLock<std::sync::Arc<dyn ContentCheck>>,
    /// What is derived from every record's content (quality measurements, the search index).
    hooks: RwLock<Vec<std::sync::Arc<dyn RecordHook>>>,
    /// Set when the process is stopping: long background work ends at its next batch.
    stopping: std::sync::atomic::AtomicBool,
}

#[derive(Default)]
struct Index {
    /// Every record in registration order (sequence → record): listings, feeds and counts walk it
    /// in place, without a look-up per record.
    records: std::collections::BTreeMap<u64, Record>,
    /// id → sequence.
    by_id: FxHashMap<String, u64>,
    /// IRI of the main resource → id.
    by_iri: FxHashMap<String, String>,
    next_sequence: u64,
    /// Bumped by every change of the index (pages cached for a generation are valid while it lasts).
    generation: u64,
}

impl Index {
    fn insert(&mut self, record: Record) {
        self.generation += 1;
        self.next_sequence = self.next_sequence.max(record.sequence + 1);
        self.by_iri.insert(record.iri.as_str().to_owned(), record.id.clone());
        if let Some(old) = self.by_id.insert(record.id.clone(), record.sequence)
            && old != record.sequence
        {
            self.records.remove(&old);
        }
        self.records.insert(record.sequence, record);
    }

    fn get(&self, id: &str) -> Option<&Record> {
        self.records.get(self.by_id.get(id)?)
    }

    fn contains(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    fn remove(&mut self, id: &str) {
        if let Some(sequence) = self.by_id.remove(id)
            && let Some(record) = self.records.remove(&sequence)
        {
            self.by_iri.remove(record.iri.as_str());
            self.generation += 1;
        }
    }
}

/// The result for one record of a catalogue submission.
#[derive(Debug)]
pub struct CatalogueItem {
    /// The resource as the document names it.
    pub resource: String,
    /// What happened.
    pub outcome: Result<WriteOutcome, RegistryError>,
}

/// Filters of a record listing.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Owner organisation.
    pub publisher: Option<NamedNode>,
    /// Kind.
    pub kind: Option<Kind>,
    /// Status or status group.
    pub status: Option<lifecycle::StatusFilter>,
}

/// The canonical hash of a graph: SHA-256 over its RDFC-1.0 canonical N-Triples.
pub fn canonical_hash(triples: &[Triple]) -> String {
    let mut graph: Graph = triples.iter().collect();
    graph.canonicalize(CanonicalizationAlgorithm::Rdfc10 {
        hash_algorithm: CanonicalizationHashAlgorithm::Sha256,
    });
    let mut lines: Vec<String> = graph.iter().map(|t| format!("{t} .\n")).collect();
    lines.sort();
    format!("{:x}", Sha256::digest(lines.concat().as_bytes()))
}

impl Registry {
    /// Opens the registry over a store: reads every record's metadata.
    pub fn open(store: Store, base: &str) -> Result<Self, RegistryError> {
        let mut index = Index::default();
        // One metadata graph at a time: a registry of 80k records peaked at 750 MB when they were
        // all read first.
        store.for_each_subject_in_graphs_with_prefix(
            "urn:danhmuc:meta:",
            dm::RECORD_ID,
            |iri, triples| {
                if let Some(record) = Record::from_triples(iri, triples) {
                    index.insert(record);
                }
            },
        )?;
        // Stores written before graph snapshots existed, or bulk-imported since, get them once.
        let made = store.ensure_snapshots(|| {
            let mut graphs = Vec::new();
            for record in index.records.values() {
                graphs.push(record.iri.clone());
                graphs.push(names::meta_graph(&record.id));
                graphs.push(names::report_graph(&record.id));
                graphs.extend(record.versions.iter().map(|v| names::version_graph(&record.id, v.number)));
            }
            graphs
        })?;
        if made > 0 {
            tracing::info!(made, "graph snapshots made");
        }
        Ok(Self {
            store,
            base: base.to_owned(),
            index: RwLock::new(index),
            writes: turn::TurnLock::default(),
            verified: Mutex::new(FxHashMap::default()),
            checks: std::sync::OnceLock::new(),
            hooks: RwLock::new(Vec::new()),
            stopping: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Asks long background work ([`Registry::refresh_derived`] and the link check, which asks
    /// [`Registry::stopping`]) to end at its next batch boundary: what was committed stays, nothing is half-written (each batch is one
    /// transaction). Called when the server shuts down.
    pub fn stop_background(&self) {
        self.stopping.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Whether [`Registry::stop_background`] was called.
    pub fn stopping(&self) -> bool {
        self.stopping.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Installs the extra content checks (once; later calls are ignored).
    pub fn set_content_check(&self, check: std::sync::Arc<dyn ContentCheck>) {
        let _ = self.checks.set(check);
    }

    /// Puts committed records in the index. The caller holds the write lock and has committed.
    fn committed(&self, records: &[&Record]) {
        let mut index = self.index.write().unwrap_or_else(PoisonError::into_inner);
        for record in records {
            index.insert((*record).clone());
        }
    }

    /// Adds a record hook: from now on it sees every record written.
    pub fn add_record_hook(&self, hook: std::sync::Arc<dyn RecordHook>) {
        self.hooks.write().unwrap_or_else(PoisonError::into_inner).push(hook);
    }

    /// The hooks' writes for a record.
    fn hook_writes(&self, record: &Record, content: Option<&[Triple]>) -> Vec<GraphWrite> {
        let hooks = self.hooks.read().unwrap_or_else(PoisonError::into_inner);
        hooks.iter().flat_map(|h| h.writes(record, content)).collect()
    }

    /// Commits `writes` and tells the hooks whether they committed.
    fn write_with_hook(&self, writes: &[GraphWrite]) -> Result<(), StoreError> {
        let result = self.store.write(writes);
        for hook in self.hooks.read().unwrap_or_else(PoisonError::into_inner).iter() {
            hook.finished(result.is_ok());
        }
        result
    }

    /// Rewrites the hook's derived graphs of some records (after a link-check run, or when the
    /// scoring changed), `batch` records per transaction; the write lock is taken per batch, so
    /// submissions go on between batches. Stops early when [`Registry::stop_background`] was called
    /// meanwhile: then [`Refreshed::through`] is less than `ids.len()`.
    pub fn refresh_derived(&self, ids: &[String], batch: usize) -> Result<Refreshed, RegistryError> {
        let mut done = Refreshed::default();
        if self.hooks.read().unwrap_or_else(PoisonError::into_inner).is_empty() {
            done.through = ids.len();
            return Ok(done);
        }
        for chunk in ids.chunks(batch.max(1)) {
            if self.stopping() {
                break;
            }
            let _write = self.writes.lock();
            let mut writes = Vec::new();
            for id in chunk {
                // A record purged meanwhile has nothing left to refresh.
                let Some(record) = self.index().get(id).cloned() else { continue };
                let content = self.content(&record)?;
                writes.extend(self.hook_writes(&record, Some(&content)));
                done.written += 1;
            }
            self.write_with_hook(&writes)?;
            done.through += chunk.len();
        }
        Ok(done)
    }

    /// The extra checks' findings for some content.
    fn findings(
        &self,
        current: Option<&Record>,
        kind: Kind,
        iri: &NamedNode,
        content: &[Triple],
    ) -> Vec<Finding> {
        self.checks.get().map(|c| c.check(self, current, kind, iri, content)).unwrap_or_default()
    }

    /// The base URL of the registry's IRIs.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The store under the registry.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// How many records the registry holds (any status, any access).
    pub fn len(&self) -> usize {
        self.index().records.len()
    }

    /// Whether the registry holds no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn index(&self) -> std::sync::RwLockReadGuard<'_, Index> {
        self.index.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// A record by id, if `viewer` may see it.
    pub fn get(&self, id: &str, viewer: &Viewer) -> Result<Record, RegistryError> {
        let record = self.index().get(id).cloned().ok_or_else(|| RegistryError::NotFound(id.to_owned()))?;
        if viewer.may_see(&record.graph_info()) {
            Ok(record)
        } else {
            Err(RegistryError::NotFound(id.to_owned()))
        }
    }

    /// The ETag of the record whose main resource is `iri`, if there is one and `viewer` may see it
    /// (one index look-up, nothing cloned but the ETag).
    pub fn visible_etag(&self, iri: &str, viewer: &Viewer) -> Option<String> {
        let index = self.index();
        let record = index.get(index.by_iri.get(iri)?)?;
        record.visible_to(viewer).then(|| record.etag.clone())
    }

    /// A number that changes whenever any record is created, changed or removed (how the portal knows
    /// a cached page is still current).
    pub fn generation(&self) -> u64 {
        self.index().generation
    }

    /// The last validation report of a record (SHACL results as RDF), for its owner's members and
    /// staff only; empty when there is none.
    pub fn last_report(&self, record: &Record, viewer: &Viewer) -> Result<Vec<Triple>, RegistryError> {
        let allowed = match viewer {
            Viewer::Staff | Viewer::Operator => true,
            Viewer::Member { org } => *org == record.owner,
            Viewer::Anonymous => false,
        };
        if !allowed {
            return Err(RegistryError::NotFound(record.id.clone()));
        }
        Ok(self.store.graph_triples(names::report_graph(&record.id).as_ref())?)
    }

    /// The id of the record whose main resource is `iri`.
    pub fn id_of(&self, iri: &str) -> Option<String> {
        self.index().by_iri.get(iri).cloned()
    }

    /// The records `viewer` may see that pass `filter`, in registration order.
    pub fn list(&self, filter: &ListFilter, viewer: &Viewer) -> Vec<Record> {
        self.list_page(filter, viewer, 0, usize::MAX).1
    }

    /// One page of [`Registry::list`]: how many records match, and the `take` after the first
    /// `skip` of them. Only the page is cloned (a listing of 100k records clones 100).
    pub fn list_page(
        &self,
        filter: &ListFilter,
        viewer: &Viewer,
        skip: usize,
        take: usize,
    ) -> (usize, Vec<Record>) {
        let mut total = 0;
        let mut page = Vec::new();
        self.for_each_in_order(|r| {
            if filter.kind.is_none_or(|k| r.kind == k)
                && filter.publisher.as_ref().is_none_or(|p| r.owner == *p)
                && filter.status.is_none_or(|s| s.accepts(r.status))
                && r.visible_to(viewer)
            {
                if total >= skip && page.len() < take {
                    page.push(r.clone());
                }
                total += 1;
            }
            true
        });
        (total, page)
    }

    /// Visits every record in registration order, without cloning, until `visit` answers `false`
    /// (how feeds count and cut pages: one pass over the index, no store access).
    pub fn for_each_in_order(&self, mut visit: impl FnMut(&Record) -> bool) {
        let index = self.index();
        for record in index.records.values() {
            if !visit(record) {
                break;
            }
        }
    }

    /// The current content of a record.
    pub fn content(&self, record: &Record) -> Result<Vec<Triple>, RegistryError> {
        Ok(self.store.graph_triples(record.iri.as_ref())?)
    }

    /// What the current content of a record says about its main resource (cheap on large records).
    pub fn main_triples(&self, record: &Record) -> Result<Vec<Triple>, RegistryError> {
        Ok(self.store.graph_triples_about(record.iri.as_ref(), record.iri.as_ref().into())?)
    }

    /// The content of version `n`.
    pub fn version_content(&self, record: &Record, n: u32) -> Result<Vec<Triple>, RegistryError> {
        if !record.versions.iter().any(|v| v.number == n) {
            return Err(RegistryError::NotFound(format!("{} version {n}", record.id)));
        }
        // The current version is the record's graph (until the record is withdrawn); earlier ones
        // have their own graphs.
        if n == record.version() && record.status != Status::Retired {
            return self.content(record);
        }
        Ok(self.store.graph_triples(names::version_graph(&record.id, n).as_ref())?)
    }

    /// Keeps `content` as version `n` of `record`, in its own staff-only graph.
    fn version_write(&self, record: &Record, n: u32, content: Vec<Triple>) -> GraphWrite {
        GraphWrite {
            name: names::version_graph(&record.id, n),
            change: GraphChange::Replace(content),
            registration: Some(GraphInfo::owned(Access::Staff, Some(record.owner.clone()))),
            content_hash: None,
        }
    }

    /// Submits a record: a new one (`existing` = None) or a new version of `existing`.
    pub fn submit(
        &self,
        principal: &Principal,
        format: RdfFormat,
        body: &[u8],
        existing: Option<&str>,
        if_match: Option<&str>,
        owner: Option<&NamedNode>,
    ) -> Result<WriteOutcome, RegistryError> {
        let triples =
            submission::parse(format, body).map_err(|e| RegistryError::BadRequest(e.to_string()))?;
        let submission =
            submission::main_resource(triples).map_err(|e| RegistryError::BadRequest(e.to_string()))?;
        self.write_submission(principal, &submission, existing, if_match, owner)
    }

    /// Submits an already parsed record (the bulk catalogue endpoint, the demo, the harvester).
    pub fn write_submission(
        &self,
        principal: &Principal,
        submission: &submission::Submission,
        existing: Option<&str>,
        if_match: Option<&str>,
        owner: Option<&NamedNode>,
    ) -> Result<WriteOutcome, RegistryError> {
        if principal.role == Role::Steward {
            return Err(RegistryError::Forbidden(
                "stewards review records; publishers and admins write them".into(),
            ));
        }
        let _write = self.writes.lock();
        let main_iri = match &submission.main {
            NamedOrBlankNode::NamedNode(n) if !submission::needs_minting(&submission.main) => Some(n.clone()),
            _ => None,
        };
        // Which record is this? PUT names it; POST may name an IRI we already hold (then it must be
        // updated with PUT), or one under our base that we would mint.
        let current: Option<Record> = match existing {
            Some(id) => {
                let record =
                    self.index().get(id).cloned().ok_or_else(|| RegistryError::NotFound(id.to_owned()))?;
                if let Some(iri) = &main_iri
                    && *iri != record.iri
                {
                    return Err(RegistryError::BadRequest(format!(
                        "the body describes {iri}, but record {id} is {}",
                        record.iri
                    )));
                }
                if record.kind != submission.kind {
                    return Err(RegistryError::BadRequest(format!(
                        "record {id} is a {}, the body describes a {}",
                        record.kind, submission.kind
                    )));
                }
                Some(record)
            }
            None => {
                if let Some(iri) = &main_iri
                    && let Some(id) = self.id_of(iri.as_str())
                {
                    return Err(RegistryError::Conflict(format!(
                        "{iri} is already record {id}; replace it with PUT /api/records/{id}"
                    )));
                }
                None
            }
        };
        if let (Some(record), Some(expected)) = (&current, if_match) {
            let expected = expected.trim().trim_start_matches("W/").trim_matches('"');
            if expected != "*" && expected != record.etag {
                return Err(RegistryError::PreconditionFailed { current: record.etag.clone() });
            }
        }
        if current.as_ref().is_some_and(|r| r.status == Status::Retired) {
            return Err(RegistryError::Conflict("the record was withdrawn; it cannot be changed".into()));
        }
        // The owner: the record's, else the publisher's own organisation, else (admins) the one asked
        // for or the submission's dct:publisher.
        let owner = match (&current, principal.role) {
            (Some(record), _) => record.owner.clone(),
            (None, Role::Publisher) => principal
                .org
                .clone()
                .ok_or_else(|| RegistryError::Forbidden("this token belongs to no organisation".into()))?,
            (None, _) => match owner.cloned().or_else(|| publisher_of(submission)) {
                Some(owner) => owner,
                None => {
                    return Err(RegistryError::BadRequest(
                        "name the owner: ?owner=ORG or a dct:publisher".into(),
                    ));
                }
            },
        };
        if !principal.may_write_for(&owner) {
            return Err(RegistryError::Forbidden(format!("this token may not write records of {owner}")));
        }
        // The record's IRI and id.
        let (id, iri) = match &current {
            Some(record) => (record.id.clone(), record.iri.clone()),
            None => self.mint(submission, main_iri.as_ref())?,
        };
        let content = submission::settle(submission, &iri, &id);
        let shapes = validation::profile(submission.kind.profile())?;
        let report = validation::validate_submission(&shapes, &content, Some(&self.store))?;
        if report.count(&crate::shacl::Severity::Violation) > 0 {
            return Err(RegistryError::Invalid(Box::new(report)));
        }
        let etag = canonical_hash(&content);
        let rights = record::rights_of(iri.as_ref(), &content);
        if let Some(record) = &current
            && record.etag == etag
            && record.rights == rights
        {
            let findings = self.findings(None, submission.kind, &iri, &content);
            return Ok(WriteOutcome {
                record: record.clone(),
                created: false,
                changed: false,
                report,
                findings,
            });
        }
        let findings = self.findings(current.as_ref(), submission.kind, &iri, &content);
        let published =
            current.as_ref().is_some_and(|r| matches!(r.status, Status::Experimental | Status::Stable));
        if published && findings.iter().any(|f| f.error) {
            return Err(RegistryError::Blocked(findings));
        }
        let status = submission.kind.initial_status();
        let change = NewContent { id, iri, kind: submission.kind, owner, content, etag, rights, report };
        let mut outcome = self.commit_content(principal, current.as_ref(), change, status, Vec::new())?;
        outcome.findings = findings;
        Ok(outcome)
    }

    /// Commits new content of a record (a new record or a new version) with its metadata, report,
    /// version and audit entry, and `extra` graph writes, in one transaction. The caller holds the
    /// write lock. `status` is the status of a new record.
    fn commit_content(
        &self,
        principal: &Principal,
        current: Option<&Record>,
        change: NewContent,
        status: Status,
        extra: Vec<GraphWrite>,
    ) -> Result<WriteOutcome, RegistryError> {
        let NewContent { id, iri, kind, owner, content, etag, rights, report } = change;
        let now = DateTime::now();
        let mut record = match current.cloned() {
            Some(mut record) => {
                record.etag = etag;
                record.rights = rights;
                record.modified = now;
                record
            }
            None => Record {
                id: id.clone(),
                iri: iri.clone(),
                kind,
                status,
                owner,
                rights,
                sequence: self.index().next_sequence,
                etag,
                submitted: now,
                accepted: (status != Status::Submitted).then_some(now),
                modified: now,
                successor: None,
                predecessor: None,
                versions: Vec::new(),
            },
        };
        if current.is_some() {
            // A harvested record follows its source: invalid while the source's description breaks
            // the profile, valid again once it conforms.
            if status == Status::Invalid {
                record.status = Status::Invalid;
            } else if record.status == Status::Invalid && principal.token.starts_with("harvest:") {
                record.status = status;
                if record.accepted.is_none() && status != Status::Submitted {
                    record.accepted = Some(now);
                }
            }
        }
        let number = record.version() + 1;
        record.versions.push(Version { number, created: now, author: principal.actor() });
        let action = if current.is_some() { "update" } else { "create" };
        let mut writes = Vec::new();
        // The current version lives in the record's graph; the version it replaces moves to its
        // own graph now (a retired record's last version moved there when it was withdrawn).
        if let Some(previous) = current.as_ref().filter(|r| r.status != Status::Retired && r.version() > 0) {
            writes.push(self.version_write(previous, previous.version(), self.content(previous)?));
        }
        writes.extend(self.hook_writes(&record, Some(&content)));
        writes.extend(self.record_writes(&record, Some(content), Some(&report)));
        writes.push(audit(principal, action, &record, now));
        writes.extend(extra);
        self.write_with_hook(&writes)?;
        self.committed(&[&record]);
        Ok(WriteOutcome { record, created: current.is_none(), changed: true, report, findings: Vec::new() })
    }

    /// Writes a harvested record: the submission keeps its own IRI (never minted) and is owned by
    /// `owner`. Unlike [`Registry::write_submission`], content that breaks the profile is kept, with
    /// status `invalid` (seen by its owner and staff only) and its report. Unchanged content (same
    /// canonical hash) is recognised before validation and writes nothing. `extra` graph writes (the
    /// harvester's provenance) join the record's transaction when something is written.
    pub fn write_harvested(
        &self,
        principal: &Principal,
        submission: &submission::Submission,
        owner: &NamedNode,
        extra: Vec<GraphWrite>,
    ) -> Result<HarvestedWrite, RegistryError> {
        let NamedOrBlankNode::NamedNode(main_iri) = &submission.main else {
            return Err(RegistryError::BadRequest("a harvested record needs an IRI".into()));
        };
        if submission::needs_minting(&submission.main) {
            return Err(RegistryError::BadRequest(format!("{main_iri} is not an absolute IRI")));
        }
        let _write = self.writes.lock();
        let current: Option<Record> = {
            let index = self.index();
            index.by_iri.get(main_iri.as_str()).and_then(|id| index.get(id)).cloned()
        };
        if let Some(record) = &current {
            if record.owner != *owner {
                return Err(RegistryError::Conflict(format!(
                    "{main_iri} is record {} of {}, not of {owner}",
                    record.id, record.owner
                )));
            }
            if record.kind != submission.kind {
                return Err(RegistryError::Conflict(format!(
                    "{main_iri} is record {} (a {}), the source describes a {}",
                    record.id, record.kind, submission.kind
                )));
            }
            if record.status == Status::Retired {
                return Err(RegistryError::Conflict(format!(
                    "{main_iri} (record {}) was withdrawn; it cannot be changed",
                    record.id
                )));
            }
        }
        let (id, iri) = match &current {
            Some(record) => (record.id.clone(), record.iri.clone()),
            None => self.mint(submission, Some(main_iri))?,
        };
        let content = submission::settle(submission, &iri, &id);
        let etag = canonical_hash(&content);
        let rights = record::rights_of(iri.as_ref(), &content);
        if let Some(record) = &current
            && record.etag == etag
            && record.rights == rights
        {
            return Ok(HarvestedWrite {
                invalid: record.status == Status::Invalid,
                record: record.clone(),
                result: WriteResult::Unchanged,
                violations: Vec::new(),
            });
        }
        let shapes = validation::profile(submission.kind.profile())?;
        let report = validation::validate_submission(&shapes, &content, Some(&self.store))?;
        let violations: Vec<String> = report
            .results()
            .iter()
            .filter(|r| r.severity == crate::shacl::Severity::Violation)
            .map(|r| {
                let path = r.result_path.as_ref().map(|p| format!(" {p}")).unwrap_or_default();
                let message = r.messages.first().map(|m| m.value().to_owned()).unwrap_or_default();
                format!("{}{path}: {message}", r.focus_node)
            })
            .collect();
        let invalid = !violations.is_empty();
        let status = if invalid { Status::Invalid } else { submission.kind.initial_status() };
        let change = NewContent {
            id,
            iri,
            kind: submission.kind,
            owner: owner.clone(),
            content,
            etag,
            rights,
            report,
        };
        let outcome = self.commit_content(principal, current.as_ref(), change, status, extra)?;
        Ok(HarvestedWrite {
            result: if outcome.created { WriteResult::Created } else { WriteResult::Updated },
            record: outcome.record,
            invalid,
            violations,
        })
    }

    /// The graph writes that store a record's content (if given), metadata and report.
    fn record_writes(
        &self,
        record: &Record,
        content: Option<Vec<Triple>>,
        report: Option<&ValidationReport>,
    ) -> Vec<GraphWrite> {
        let info = record.graph_info();
        let mut writes = Vec::new();
        if let Some(content) = content {
            writes.push(GraphWrite {
                name: record.iri.clone(),
                change: GraphChange::Replace(content),
                registration: Some(info.clone()),
                content_hash: None,
            });
        } else {
            // Same content, perhaps a new access class (a status change).
            writes.push(GraphWrite {
                name: record.iri.clone(),
                change: GraphChange::Add(Vec::new()),
                registration: Some(info.clone()),
                content_hash: None,
            });
        }
        writes.push(GraphWrite {
            name: names::meta_graph(&record.id),
            change: GraphChange::Replace(record.to_triples()),
            registration: Some(info.clone()),
            content_hash: None,
        });
        if let Some(report) = report {
            writes.push(GraphWrite {
                name: names::report_graph(&record.id),
                change: GraphChange::Replace(report.to_graph().iter().map(|t| t.into_owned()).collect()),
                // Served by the API to those who may see the record; kept out of every view.
                registration: Some(GraphInfo::owned(Access::Staff, Some(record.owner.clone()))),
                content_hash: None,
            });
        }
        writes
    }

    fn mint(
        &self,
        submission: &submission::Submission,
        main_iri: Option<&NamedNode>,
    ) -> Result<(String, NamedNode), RegistryError> {
        let segment = submission.kind.segment();
        if let Some(iri) = main_iri {
            if let Some(rest) = iri.as_str().strip_prefix(&self.base) {
                // The root catalogue lives at {base}catalog.
                if submission.kind == Kind::Catalog && rest == "catalog" && !self.index().contains("catalog")
                {
                    return Ok(("catalog".to_owned(), iri.clone()));
                }
                // Under our base: it must be where we would mint it.
                let id = rest
                    .strip_prefix(segment)
                    .and_then(|r| r.strip_prefix('/'))
                    .filter(|id| {
                        !id.is_empty()
                            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                    })
                    .ok_or_else(|| {
                        RegistryError::BadRequest(format!(
                            "{iri} is under this registry's base but not of the form {}{segment}/ID",
                            self.base
                        ))
                    })?;
                if self.index().contains(id) {
                    return Err(RegistryError::Conflict(format!(
                        "record {id} exists; replace it with PUT /api/records/{id}"
                    )));
                }
                return Ok((id.to_owned(), iri.clone()));
            }
            if !(iri.as_str().starts_with("http://") || iri.as_str().starts_with("https://")) {
                return Err(RegistryError::BadRequest(format!(
                    "{iri} is not an HTTP IRI; send a blank node or a relative IRI to have one minted"
                )));
            }
        }
        let title = submission
            .triples
            .iter()
            .filter(|t| {
                t.subject == submission.main && (t.predicate == dct::TITLE || t.predicate == foaf::NAME)
            })
            .filter_map(|t| match &t.object {
                Term::Literal(l) => Some((l.language() != Some("vi"), l.value().to_owned())),
                _ => None,
            })
            .min()
            .map(|(_, title)| title)
            .unwrap_or_else(|| submission.kind.name().to_owned());
        let base_id = submission::slug(&title);
        let index = self.index();
        let mut id = base_id.clone();
        let mut n = 2;
        while index.contains(&id) {
            id = format!("{base_id}-{n}");
            n += 1;
        }
        let iri = match main_iri {
            Some(iri) => iri.clone(),
            None => NamedNode::new_unchecked(format!("{}{segment}/{id}", self.base)),
        };
        Ok((id, iri))
    }

    /// Submits every dataset, series and data service of a catalogue document as its own record:
    /// created, updated, unchanged or rejected (with the reason), one result per record.
    pub fn submit_catalogue(
        &self,
        principal: &Principal,
        format: RdfFormat,
        body: &[u8],
    ) -> Result<Vec<CatalogueItem>, RegistryError> {
        let triples =
            submission::parse(format, body).map_err(|e| RegistryError::BadRequest(e.to_string()))?;
        let parts = submission::split_catalogue(&triples);
        if parts.is_empty() {
            return Err(RegistryError::BadRequest(submission::SubmissionError::NoMainResource.to_string()));
        }
        Ok(parts
            .iter()
            .map(|part| {
                let existing = match &part.main {
                    NamedOrBlankNode::NamedNode(n) if !submission::needs_minting(&part.main) => {
                        self.id_of(n.as_str())
                    }
                    _ => None,
                };
                let outcome = self.write_submission(principal, part, existing.as_deref(), None, None);
                CatalogueItem { resource: part.main.to_string(), outcome }
            })
            .collect())
    }

    /// Changes a record's status (stewards and admins).
    pub fn set_status(
        &self,
        principal: &Principal,
        id: &str,
        to: Status,
        successor: Option<&str>,
    ) -> Result<Record, RegistryError> {
        let _write = self.writes.lock();
        let mut record =
            self.index().get(id).cloned().ok_or_else(|| RegistryError::NotFound(id.to_owned()))?;
        if !principal.may_review(record.kind) {
            return Err(RegistryError::Forbidden(format!(
                "this token may not change the status of {} records",
                record.kind
            )));
        }
        if !record.status.may_become(to) {
            let allowed: Vec<&str> = record.status.next().iter().map(|s| s.name()).collect();
            return Err(RegistryError::Conflict(format!(
                "a {} record cannot become {to}; it may become: {}",
                record.status,
                if allowed.is_empty() { "nothing".to_owned() } else { allowed.join(", ") }
            )));
        }
        if matches!(to, Status::Experimental | Status::Stable) && self.checks.get().is_some() {
            let content = self.content(&record)?;
            let findings = self.findings(None, record.kind, &record.iri, &content);
            if findings.iter().any(|f| f.error) {
                return Err(RegistryError::Blocked(findings));
            }
        }
        let now = DateTime::now();
        let mut other: Option<Record> = None;
        if to == Status::Superseded {
            let successor_id = successor
                .ok_or_else(|| RegistryError::BadRequest("superseded needs a successor record".into()))?;
            let successor_id = self.id_of(successor_id).unwrap_or_else(|| successor_id.to_owned());
            let mut next =
                self.index().get(&successor_id).cloned().ok_or_else(|| {
                    RegistryError::BadRequest(format!("no successor record {successor_id}"))
                })?;
            if next.id == record.id {
                return Err(RegistryError::BadRequest("a record cannot supersede itself".into()));
            }
            record.successor = Some(next.iri.clone());
            next.predecessor = Some(record.iri.clone());
            next.modified = now;
            other = Some(next);
        }
        record.status = to;
        record.modified = now;
        if record.accepted.is_none() && matches!(to, Status::Experimental | Status::Stable) {
            record.accepted = Some(now);
        }
        // The content is rewritten as it is: a status change can change the record's access class
        // (submitted → stable makes it public), and only a replacement moves its triples from the
        // old class's view to the new one's.
        let content = self.content(&record)?;
        let mut writes = self.hook_writes(&record, Some(&content));
        writes.extend(self.record_writes(&record, Some(content), None));
        if let Some(next) = &other {
            let content = self.content(next)?;
            writes.extend(self.hook_writes(next, Some(&content)));
            writes.extend(self.record_writes(next, Some(content), None));
        }
        writes.push(audit(principal, &format!("status:{to}"), &record, now));
        self.write_with_hook(&writes)?;
        match &other {
            Some(next) => self.committed(&[next, &record]),
            None => self.committed(&[&record]),
        }
        Ok(record)
    }

    /// Withdraws a record: status `retired`, content replaced by a tombstone; earlier versions stay.
    pub fn retire(&self, principal: &Principal, id: &str) -> Result<Record, RegistryError> {
        let _write = self.writes.lock();
        let mut record =
            self.index().get(id).cloned().ok_or_else(|| RegistryError::NotFound(id.to_owned()))?;
        if !principal.may_write_for(&record.owner) && !principal.may_review(record.kind) {
            return Err(RegistryError::Forbidden(format!(
                "this token may not withdraw records of {}",
                record.owner
            )));
        }
        if record.status == Status::Retired {
            return Ok(record);
        }
        if !record.status.may_become(Status::Retired)
            && !matches!(record.status, Status::Submitted | Status::Invalid)
        {
            return Err(RegistryError::Conflict(format!("a {} record cannot be withdrawn", record.status)));
        }
        let now = DateTime::now();
        let content = self.content(&record)?;
        let tombstone = tombstone(&record, &content, &now);
        record.status = Status::Retired;
        record.modified = now;
        record.etag = canonical_hash(&tombstone);
        let mut writes = vec![self.version_write(&record, record.version(), content)];
        writes.extend(self.hook_writes(&record, Some(&tombstone)));
        writes.extend(self.record_writes(&record, Some(tombstone), None));
        writes.push(audit(principal, "retire", &record, now));
        self.write_with_hook(&writes)?;
        self.committed(&[&record]);
        Ok(record)
    }

    /// Removes a record and all its graphs (admins only).
    pub fn purge(&self, principal: &Principal, id: &str) -> Result<(), RegistryError> {
        if principal.role != Role::Admin {
            return Err(RegistryError::Forbidden("only an admin may purge a record".into()));
        }
        let _write = self.writes.lock();
        let record = self.index().get(id).cloned().ok_or_else(|| RegistryError::NotFound(id.to_owned()))?;
        let now = DateTime::now();
        let mut writes: Vec<GraphWrite> =
            [record.iri.clone(), names::meta_graph(id), names::report_graph(id)]
                .into_iter()
                .chain(record.versions.iter().map(|v| names::version_graph(id, v.number)))
                .map(|name| GraphWrite {
                    name,
                    change: GraphChange::Replace(Vec::new()),
                    registration: None,
                    content_hash: None,
                })
                .collect();
        writes.extend(self.hook_writes(&record, None));
        writes.push(audit(principal, "purge", &record, now));
        self.write_with_hook(&writes)?;
        self.store
            .unregister(&writes[..writes.len() - 1].iter().map(|w| w.name.clone()).collect::<Vec<_>>())?;
        let mut index = self.index.write().unwrap_or_else(PoisonError::into_inner);
        index.remove(id);
        Ok(())
    }
}

/// The `dct:publisher` of a submission's main resource.
fn publisher_of(submission: &submission::Submission) -> Option<NamedNode> {
    submission.triples.iter().find_map(|t| {
        match (&t.object, t.subject == submission.main && t.predicate == dct::PUBLISHER) {
            (Term::NamedNode(p), true) => Some(p.clone()),
            _ => None,
        }
    })
}

/// What stays of a withdrawn record: its type, identifier and titles, marked deprecated.
fn tombstone(record: &Record, content: &[Triple], now: &DateTime) -> Vec<Triple> {
    let subject: NamedOrBlankNode = record.iri.clone().into();
    let mut kept: Vec<Triple> = content
        .iter()
        .filter(|t| {
            t.subject == subject
                && [rdf::TYPE, dct::IDENTIFIER, dct::TITLE, dct::PUBLISHER].contains(&t.predicate.as_ref())
        })
        .cloned()
        .collect();
    kept.push(Triple::new(
        record.iri.clone(),
        oxigraph::model::NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#deprecated"),
        Literal::from(true),
    ));
    kept.push(Triple::new(record.iri.clone(), dm::STATUS, Status::Retired.iri()));
    kept.push(Triple::new(
        record.iri.clone(),
        dct::MODIFIED,
        Literal::new_typed_literal(now.to_string(), xsd::DATE_TIME),
    ));
    kept
}

/// One audit entry (who, when, what, which version) for the staff-only audit graph.
fn audit(principal: &Principal, action: &str, record: &Record, now: DateTime) -> GraphWrite {
    let mut nonce = [0u8; 8];
    // A collision-free id does not need secrecy; the time is unique enough if the source fails.
    let _ = getrandom::fill(&mut nonce);
    let event = NamedNode::new_unchecked(format!(
        "urn:danhmuc:event:{}-{}",
        now.to_string().replace([':', '.'], ""),
        hex::encode(nonce)
    ));
    let mut triples = vec![
        Triple::new(event.clone(), rdf::TYPE, dm::AUDIT_EVENT),
        Triple::new(event.clone(), dm::ACTION, Literal::new_simple_literal(action)),
        Triple::new(event.clone(), dm::RECORD, record.iri.clone()),
        Triple::new(event.clone(), dm::RECORD_ID, Literal::new_simple_literal(&record.id)),
        Triple::new(event.clone(), dm::VERSION, Literal::from(i64::from(record.version()))),
        Triple::new(event.clone(), dm::ACTOR, principal.actor()),
        Triple::new(event.clone(), dm::ROLE, NamedNode::new_unchecked(principal.role.iri())),
        Triple::new(event.clone(), dct::CREATED, Literal::new_typed_literal(now.to_string(), xsd::DATE_TIME)),
    ];
    if let Some(org) = &principal.org {
        triples.push(Triple::new(event, dm::OWNER, org.clone()));
    }
    GraphWrite {
        name: graph::AUDIT.into_owned(),
        change: GraphChange::Add(triples),
        registration: Some(GraphInfo::owned(Access::Staff, None)),
        content_hash: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, sequence: u64) -> Record {
        let now = DateTime::now();
        Record {
            id: id.into(),
            iri: NamedNode::new_unchecked(format!("http://r.example/dataset/{id}")),
            kind: Kind::Dataset,
            status: Status::Stable,
            owner: NamedNode::new_unchecked("http://r.example/publisher/gso"),
            rights: Access::Public,
            sequence,
            etag: String::new(),
            submitted: now,
            accepted: Some(now),
            modified: now,
            successor: None,
            predecessor: None,
            versions: Vec::new(),
        }
    }

    fn order(index: &Index) -> Vec<&str> {
        index.records.values().map(|r| r.id.as_str()).collect()
    }

    #[test]
    fn the_index_keeps_registration_order_through_updates_and_removals() {
        let mut index = Index::default();
        for (id, sequence) in [("c", 2), ("a", 0), ("b", 1)] {
            index.insert(record(id, sequence));
        }
        assert_eq!(order(&index), ["a", "b", "c"]);
        assert_eq!(index.next_sequence, 3);
        // A new version keeps its place; a changed field is what `get` and the walk see.
        let mut updated = record("a", 0);
        updated.etag = "v2".into();
        index.insert(updated);
        assert_eq!(order(&index), ["a", "b", "c"]);
        assert_eq!(index.get("a").map(|r| r.etag.as_str()), Some("v2"));
        assert_eq!(index.by_iri.get("http://r.example/dataset/b").map(String::as_str), Some("b"));
        let generation = index.generation;
        index.remove("b");
        assert_eq!(order(&index), ["a", "c"]);
        assert!(index.get("b").is_none() && !index.contains("b"));
        assert!(!index.by_iri.contains_key("http://r.example/dataset/b"));
        assert!(index.generation > generation);
        // Removing what is not there changes nothing.
        let generation = index.generation;
        index.remove("b");
        assert_eq!(index.generation, generation);
        assert_eq!(index.records.len(), index.by_id.len());
    }
}
