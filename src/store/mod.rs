//! The RDF store: the only module that names `oxigraph::store::Store`.
//!
//! # Graph layout
//! - **Record graphs**: one named graph per record (dataset, data service, publisher, code list…),
//!   named by the record's own IRI.
//! - **Vocabulary graphs**: one named graph per bundled vocabulary file, `urn:danhmuc:vocab:{file stem}`.
//! - **System graph** `urn:danhmuc:graph:system`: the access class (`dm:graphAccess`) and owner
//!   (`dm:owner`) of every registered named graph, and content hashes of bundled files.
//!   Graphs named `urn:danhmuc:graph:…` are never public.
//! - **Views**: the triples of every graph are merged into the view graph of its access class, kept up
//!   to date by every write in the same transaction: public graphs into the **default graph** (the
//!   public view), restricted ones into `urn:danhmuc:graph:view-restricted`, private ones into
//!   `urn:danhmuc:graph:view-private`. A query's default graph is the union of the views its viewer may
//!   see, so an anonymous query runs on one graph at the store's native speed instead of on a list of
//!   visible graphs (which Oxigraph evaluates with one index look-up per graph per triple pattern).
//!   Triples imported without a graph name go straight into the public view.
//!
//! Every write goes through one writer lock, so the views' bookkeeping ("does another graph of the
//! same class still hold this triple?") never races. Oxigraph is synchronous; async callers reach this
//! module through `http::blocking`.

mod access;
mod error;
mod snapshot;
mod sparql;

pub use access::{Access, GraphInfo, Viewer};
pub use error::{QueryError, StoreError};
pub use sparql::{QueryAnswer, QueryRequest, ServiceRefused, parse_query};

use crate::rdf::ns::{dm, graph};
use oxigraph::io::{RdfParser, RdfSerializer};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad,
    QuadRef, Term, TermRef, Triple, TripleRef,
};
use rustc_hash::{FxHashMap, FxHashSet};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError, RwLock, RwLockReadGuard};

/// The RDF store. Cheap to clone: clones share the same database.
#[derive(Clone)]
pub struct Store {
    inner: oxigraph::store::Store,
    state: Arc<State>,
}

struct State {
    /// Registration of every named graph, mirrored from the system graph.
    graphs: RwLock<GraphTable>,
    /// Serialises writers (see the module docs).
    writer: Mutex<()>,
}

#[derive(Default)]
struct GraphTable {
    /// Keyed by the graph IRI.
    graphs: FxHashMap<String, GraphInfo>,
    /// Cached list of the public named graphs, rebuilt lazily after a change.
    public: Option<Arc<Vec<NamedOrBlankNode>>>,
}

/// One change of a named graph, part of a [`Store::write`].
#[derive(Debug, Clone)]
pub struct GraphWrite {
    /// The graph.
    pub name: NamedNode,
    /// What happens to its content.
    pub change: GraphChange,
    /// Its (new) registration; `None` keeps the current one (or leaves a system graph unregistered).
    pub registration: Option<GraphInfo>,
    /// A content hash to record in the system graph.
    pub content_hash: Option<String>,
}

/// What happens to a graph's content.
#[derive(Debug, Clone)]
pub enum GraphChange {
    /// The graph holds exactly these triples afterwards.
    Replace(Vec<Triple>),
    /// These triples are added (an append-only log).
    Add(Vec<Triple>),
    /// These triples are removed (those the graph does not hold are ignored).
    Remove(Vec<Triple>),
}

/// What a bulk import did.
#[derive(Debug, Default, Clone)]
pub struct ImportOutcome {
    /// Quads read and stored.
    pub quads: u64,
    /// Named graphs that received data.
    pub graphs: Vec<NamedNode>,
}

impl Store {
    /// Opens (or creates) the on-disk store in `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(path)
            .map_err(|e| StoreError::Open { path: path.to_owned(), message: e.to_string() })?;
        let inner = oxigraph::store::Store::open(path).map_err(|e| {
            let message = e.to_string();
            if message.to_ascii_lowercase().contains("lock") {
                StoreError::Locked { path: path.to_owned() }
            } else {
                StoreError::Open { path: path.to_owned(), message }
            }
        })?;
        Self::from_inner(inner)
    }

    /// An in-memory store, for tests and one-off validation.
    pub fn memory() -> Result<Self, StoreError> {
        Self::from_inner(oxigraph::store::Store::new()?)
    }

    fn from_inner(inner: oxigraph::store::Store) -> Result<Self, StoreError> {
        let table = read_graph_table(&inner)?;
        Ok(Self { inner, state: Arc::new(State { graphs: RwLock::new(table), writer: Mutex::new(()) }) })
    }

    /// Gives each of `graphs` that lacks a snapshot one, unless the store records that this was done
    /// (`dm:snapshotFormat`): once for a store written before snapshots existed, and again after a
    /// bulk import touched graphs. `graphs` is only called when there is work. Returns how many
    /// snapshots were made.
    pub fn ensure_snapshots(&self, graphs: impl FnOnce() -> Vec<NamedNode>) -> Result<usize, StoreError> {
        if self.setting(dm::SNAPSHOT_FORMAT)?.as_deref() == Some(snapshot::FORMAT) {
            return Ok(0);
        }
        let names = graphs();
        let mut made = 0;
        for (i, chunk) in names.chunks(1000).enumerate() {
            let _writer = self.state.writer.lock().unwrap_or_else(PoisonError::into_inner);
            let mut tx = self.inner.start_transaction()?;
            for name in chunk {
                let name = name.as_ref();
                if snapshot::stored_in(&tx, name)?.is_some() {
                    continue;
                }
                let triples = tx
                    .quads_for_pattern(None, None, None, Some(name.into()))
                    .map(|q| q.map(Triple::from))
                    .collect::<Result<Vec<_>, _>>()?;
                if !triples.is_empty() && snapshot::eligible(name, triples.len()) {
                    tx.insert(&snapshot::quad(name, &snapshot::encode(&triples)));
                    made += 1;
                }
            }
            tx.commit()?;
            if (i + 1) % 20 == 0 {
                tracing::info!(checked = (i + 1) * 1000, of = names.len(), made, "graph snapshots");
            }
        }
        self.set_setting(dm::SNAPSHOT_FORMAT, snapshot::FORMAT)?;
        Ok(made)
    }

    fn table(&self) -> RwLockReadGuard<'_, GraphTable> {
        self.state.graphs.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The registration of a named graph, if it is registered.
    pub fn graph_info(&self, graph: NamedNodeRef<'_>) -> Option<GraphInfo> {
        self.table().graphs.get(graph.as_str()).cloned()
    }

    /// Whether `viewer` may see a named graph (unregistered graphs are the operator's only).
    pub fn may_see(&self, viewer: &Viewer, graph: NamedNodeRef<'_>) -> bool {
        match self.table().graphs.get(graph.as_str()) {
            Some(info) => viewer.may_see(info),
            None => *viewer == Viewer::Operator,
        }
    }

    /// The registered named graphs `viewer` may see (the public list is cached).
    pub(crate) fn visible_named_graphs(&self, viewer: &Viewer) -> Arc<Vec<NamedOrBlankNode>> {
        let public = *viewer == Viewer::Anonymous;
        if public && let Some(list) = &self.table().public {
            return Arc::clone(list);
        }
        let list = Arc::new(
            self.table()
                .graphs
                .iter()
                .filter(|(_, info)| viewer.may_see(info))
                .map(|(g, _)| NamedNode::new_unchecked(g.clone()).into())
                .collect::<Vec<_>>(),
        );
        if public {
            self.state.graphs.write().unwrap_or_else(PoisonError::into_inner).public =
                Some(Arc::clone(&list));
        }
        list
    }

    /// The private graphs `org` owns (they join its default graph).
    pub(crate) fn private_graphs_of(&self, org: &NamedNode) -> Vec<NamedNode> {
        self.table()
            .graphs
            .iter()
            .filter(|(_, info)| info.access == Access::Private && info.owner.as_ref() == Some(org))
            .map(|(g, _)| NamedNode::new_unchecked(g.clone()))
            .collect()
    }

    /// Replaces the content of a named graph atomically, registers it (access class, owner) and keeps
    /// the views in step. `content_hash` records where the content came from (e.g. the hash of a
    /// bundled file) so that unchanged content need not be rewritten.
    pub fn replace_graph(
        &self,
        name: NamedNodeRef<'_>,
        triples: &[Triple],
        info: &GraphInfo,
        content_hash: Option<&str>,
    ) -> Result<(), StoreError> {
        self.write(&[GraphWrite {
            name: name.into_owned(),
            change: GraphChange::Replace(triples.to_vec()),
            registration: Some(info.clone()),
            content_hash: content_hash.map(str::to_owned),
        }])
    }

    /// Applies several graph changes in one transaction: all of them or none. Registered graphs keep
    /// their views in step; unregistered ones (system graphs) are written as they are.
    pub fn write(&self, changes: &[GraphWrite]) -> Result<(), StoreError> {
        let _writer = self.state.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let mut tx = self.inner.start_transaction()?;
        let mut registered = Vec::new();
        for change in changes {
            self.apply(&mut tx, change)?;
            if let Some(info) = &change.registration {
                registered.push((change.name.as_str().to_owned(), info.clone()));
            }
        }
        tx.commit()?;
        let mut table = self.state.graphs.write().unwrap_or_else(PoisonError::into_inner);
        for (name, info) in registered {
            table.graphs.insert(name, info);
        }
        table.public = None;
        Ok(())
    }

    fn apply(
        &self,
        tx: &mut oxigraph::store::Transaction<'_>,
        change: &GraphWrite,
    ) -> Result<(), StoreError> {
        let name = change.name.as_ref();
        let graph_name = GraphNameRef::NamedNode(name);
        let current = self.graph_info(name);
        let old_view = current.as_ref().and_then(|i| i.access.view());
        let registration = change.registration.clone().or_else(|| current.clone());
        let new_view = registration.as_ref().and_then(|i| i.access.view());
        let stored = snapshot::stored_in(tx, name)?;
        let (old, new) = match &change.change {
            GraphChange::Replace(triples) => {
                let old = match &stored {
                    Some(quad) => snapshot::triples(quad)?.into_iter().collect(),
                    None => tx
                        .quads_for_pattern(None, None, None, Some(graph_name))
                        .map(|q| q.map(Triple::from))
                        .collect::<Result<FxHashSet<_>, _>>()?,
                };
                (old, triples.iter().cloned().collect::<FxHashSet<_>>())
            }
            GraphChange::Add(triples) => (FxHashSet::default(), triples.iter().cloned().collect()),
            GraphChange::Remove(triples) => (triples.iter().cloned().collect(), FxHashSet::default()),
        };
        // Rewriting a graph with what it holds (a re-score, a re-harvest) changes nothing: no
        // index, view, snapshot or registration entry is touched.
        let unchanged_registration = change.registration.is_none() || change.registration == current;
        if matches!(change.change, GraphChange::Replace(_))
            && stored.is_some()
            && old == new
            && unchanged_registration
            && change.content_hash.is_none()
        {
            return Ok(());
        }
        for t in old.difference(&new) {
            tx.remove(t.as_ref().in_graph(graph_name));
        }
        for t in new.difference(&old) {
            tx.insert(t.as_ref().in_graph(graph_name));
        }
        // The views: take out of the old view what this graph no longer contributes there, unless
        // another graph of that class still says it; put into the new view what it now contributes.
        if let Some(view) = old_view {
            let leaving: Vec<&Triple> =
                if old_view == new_view { old.difference(&new).collect() } else { old.iter().collect() };
            for t in leaving {
                if !self.held_by_other_graph_in_view(tx, t.as_ref(), name, view)? {
                    tx.remove(t.as_ref().in_graph(view));
                }
            }
        }
        if let Some(view) = new_view {
            for t in &new {
                tx.insert(t.as_ref().in_graph(view));
            }
        }
        // The snapshot follows the content (see `snapshot`'s invariant).
        if stored.is_some() {
            remove_snapshot(tx, name)?;
        }
        if let GraphChange::Replace(triples) = &change.change
            && !new.is_empty()
            && snapshot::eligible(name, new.len())
        {
            tx.insert(&snapshot::quad(name, &snapshot::encode(triples)));
        }
        if let Some(info) = &change.registration {
            set_system_value(tx, name, dm::GRAPH_ACCESS, Some(info.access.iri().into()))?;
            set_system_value(tx, name, dm::OWNER, info.owner.as_ref().map(|o| o.as_ref().into()))?;
        }
        if let Some(hash) = &change.content_hash {
            let hash = Literal::new_simple_literal(hash);
            set_system_value(tx, name, dm::CONTENT_HASH, Some(hash.as_ref().into()))?;
        }
        Ok(())
    }

    fn held_by_other_graph_in_view(
        &self,
        tx: &oxigraph::store::Transaction<'_>,
        triple: TripleRef<'_>,
        except: NamedNodeRef<'_>,
        view: GraphNameRef<'_>,
    ) -> Result<bool, StoreError> {
        let table = self.table();
        for quad in
            tx.quads_for_pattern(Some(triple.subject), Some(triple.predicate), Some(triple.object), None)
        {
            if let GraphName::NamedNode(g) = quad?.graph_name
                && g.as_ref() != except
                && table.graphs.get(g.as_str()).and_then(|i| i.access.view()) == Some(view)
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The content hash recorded for a graph by [`Store::replace_graph`].
    pub fn content_hash(&self, name: NamedNodeRef<'_>) -> Result<Option<String>, StoreError> {
        self.content_hash_like(name, dm::CONTENT_HASH)
    }

    /// A setting kept in the system graph (e.g. the base URL the server last ran with).
    pub fn setting(&self, key: NamedNodeRef<'_>) -> Result<Option<String>, StoreError> {
        self.content_hash_like(graph::SYSTEM, key)
    }

    /// Records a setting in the system graph.
    pub fn set_setting(&self, key: NamedNodeRef<'_>, value: &str) -> Result<(), StoreError> {
        // Unchanged: write nothing, so that starting a server on a store does not leave another
        // small flushed file behind in every index each time.
        if self.setting(key)?.as_deref() == Some(value) {
            return Ok(());
        }
        let value = Literal::new_simple_literal(value);
        self.write_setting(key, Some(value.as_ref().into()))
    }

    /// Removes a setting from the system graph (nothing is written when there is none).
    pub fn clear_setting(&self, key: NamedNodeRef<'_>) -> Result<(), StoreError> {
        if self.setting(key)?.is_none() {
            return Ok(());
        }
        self.write_setting(key, None)
    }

    fn write_setting(&self, key: NamedNodeRef<'_>, value: Option<TermRef<'_>>) -> Result<(), StoreError> {
        let _writer = self.state.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let mut tx = self.inner.start_transaction()?;
        set_system_value(&mut tx, graph::SYSTEM, key, value)?;
        tx.commit()?;
        Ok(())
    }

    fn content_hash_like(
        &self,
        subject: NamedNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Result<Option<String>, StoreError> {
        for quad in self.inner.quads_for_pattern(
            Some(subject.into()),
            Some(predicate),
            None,
            Some(graph::SYSTEM.into()),
        ) {
            if let Term::Literal(l) = quad?.object {
                return Ok(Some(l.value().to_owned()));
            }
        }
        Ok(None)
    }

    /// The triples of one named graph (from its snapshot when it has one).
    pub fn graph_triples(&self, name: NamedNodeRef<'_>) -> Result<Vec<Triple>, StoreError> {
        if let Some(quad) = snapshot::stored(&self.inner, name)? {
            return snapshot::triples(&quad);
        }
        self.inner
            .quads_for_pattern(None, None, None, Some(name.into()))
            .map(|q| Ok(Triple::from(q?)))
            .collect()
    }

    /// What one named graph says about `subject` (a record's own labels without reading all of a
    /// large code list).
    pub fn graph_triples_about(
        &self,
        name: NamedNodeRef<'_>,
        subject: NamedOrBlankNodeRef<'_>,
    ) -> Result<Vec<Triple>, StoreError> {
        if let Some(quad) = snapshot::stored(&self.inner, name)? {
            let mut triples = snapshot::triples(&quad)?;
            triples.retain(|t| t.subject.as_ref() == subject);
            return Ok(triples);
        }
        self.inner
            .quads_for_pattern(Some(subject), None, None, Some(name.into()))
            .map(|q| Ok(Triple::from(q?)))
            .collect()
    }

    /// What the public view (the default graph) says about `subject`: how feeds find the labels of the
    /// terms a record only mentions (code-list concepts, places).
    pub fn public_triples_about(&self, subject: NamedNodeRef<'_>) -> Result<Vec<Triple>, StoreError> {
        self.inner
            .quads_for_pattern(Some(subject.into()), None, None, Some(GraphNameRef::DefaultGraph))
            .map(|q| Ok(Triple::from(q?)))
            .collect()
    }

    /// Subjects of `predicate object` triples in any of the views (public, restricted, private): how
    /// a page finds what points at a record (the services that serve a dataset). Callers filter the
    /// subjects by what their viewer may see.
    pub fn subjects_linking_to(
        &self,
        predicate: NamedNodeRef<'_>,
        object: NamedNodeRef<'_>,
    ) -> Result<Vec<NamedNode>, StoreError> {
        let mut subjects = Vec::new();
        for view in [GraphNameRef::DefaultGraph, graph::VIEW_RESTRICTED.into(), graph::VIEW_PRIVATE.into()] {
            for quad in self.inner.quads_for_pattern(None, Some(predicate), Some(object.into()), Some(view)) {
                if let NamedOrBlankNode::NamedNode(n) = quad?.subject
                    && !subjects.contains(&n)
                {
                    subjects.push(n);
                }
            }
        }
        Ok(subjects)
    }

    /// For every named graph whose name starts with `prefix` and that holds a `predicate` triple,
    /// visits that triple's subject and the graph's triples, one graph at a time (how the registry
    /// reads its metadata graphs).
    pub fn for_each_subject_in_graphs_with_prefix(
        &self,
        prefix: &str,
        predicate: NamedNodeRef<'_>,
        mut visit: impl FnMut(&NamedNode, &[Triple]),
    ) -> Result<(), StoreError> {
        for quad in self.inner.quads_for_pattern(None, Some(predicate), None, None) {
            let quad = quad?;
            if let (GraphName::NamedNode(g), NamedOrBlankNode::NamedNode(subject)) =
                (&quad.graph_name, &quad.subject)
                && g.as_str().starts_with(prefix)
            {
                visit(subject, &self.graph_triples(g.as_ref())?);
            }
        }
        Ok(())
    }

    /// Forgets the registration of graphs (after their content was removed).
    pub fn unregister(&self, names: &[NamedNode]) -> Result<(), StoreError> {
        let _writer = self.state.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let mut tx = self.inner.start_transaction()?;
        for name in names {
            for predicate in [dm::GRAPH_ACCESS, dm::OWNER, dm::CONTENT_HASH] {
                set_system_value(&mut tx, name.as_ref(), predicate, None)?;
            }
        }
        tx.commit()?;
        let mut table = self.state.graphs.write().unwrap_or_else(PoisonError::into_inner);
        for name in names {
            table.graphs.remove(name.as_str());
        }
        table.public = None;
        Ok(())
    }

    /// The `rdf:type`s any graph gives `node` (for `sh:class` checks of submissions).
    pub fn types_of(&self, node: NamedNodeRef<'_>) -> Result<Vec<NamedNode>, StoreError> {
        let mut types = Vec::new();
        for quad in self.inner.quads_for_pattern(Some(node.into()), Some(rdf::TYPE), None, None) {
            if let Term::NamedNode(t) = quad?.object
                && !types.contains(&t)
            {
                types.push(t);
            }
        }
        Ok(types)
    }

    /// Whether the store holds records: registered named graphs other than bundled vocabularies.
    pub fn has_records(&self) -> bool {
        self.table().graphs.keys().any(|g| !g.starts_with(graph::VOCAB_PREFIX))
    }

    /// Loads a whole RDF document with Oxigraph's bulk loader, all or nothing: on a parse error
    /// nothing of it is stored. Named graphs that received data and are not registered become public,
    /// and their triples join the public view.
    pub fn bulk_import(
        &self,
        parser: RdfParser,
        reader: impl Read,
        on_progress: impl Fn(u64) + Send + Sync + 'static,
    ) -> Result<ImportOutcome, StoreError> {
        let writer = self.state.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let mut loader = self.inner.bulk_loader().on_progress(on_progress);
        let mut outcome = ImportOutcome::default();
        let mut graphs = FxHashSet::default();
        let mut last_graph: Option<GraphName> = None;
        let mut parse_error = None;
        let quads = parser.rename_blank_nodes().for_reader(reader).map_while(|quad| match quad {
            Ok(quad) => {
                outcome.quads += 1;
                if last_graph.as_ref() != Some(&quad.graph_name) {
                    if let GraphName::NamedNode(g) = &quad.graph_name {
                        graphs.insert(g.clone());
                    }
                    last_graph = Some(quad.graph_name.clone());
                }
                Some(Ok::<_, oxigraph::store::StorageError>(quad))
            }
            Err(e) => {
                parse_error = Some(crate::rdf::io::describe_parse_error(&e));
                None
            }
        });
        loader.load_ok_quads::<_, oxigraph::store::StorageError>(quads)?;
        if let Some(message) = parse_error {
            // Dropping the loader without committing discards everything it read.
            return Err(StoreError::Parse(message));
        }
        loader.commit()?;
        // The graphs it touched no longer match their snapshots.
        let mut tx = self.inner.start_transaction()?;
        for name in &graphs {
            remove_snapshot(&mut tx, name.as_ref())?;
        }
        // Until then they are read quad by quad; the next `ensure_snapshots` makes theirs.
        set_system_value(&mut tx, graph::SYSTEM, dm::SNAPSHOT_FORMAT, None)?;
        tx.commit()?;
        // The document may have carried system statements (an export being restored).
        *self.state.graphs.write().unwrap_or_else(PoisonError::into_inner) = read_graph_table(&self.inner)?;
        drop(writer);
        outcome.graphs = graphs.into_iter().collect();
        self.publish_new_graphs(&outcome.graphs)?;
        Ok(outcome)
    }

    /// Registers the given graphs as public if they are not registered yet (system graphs excepted),
    /// and copies their triples into the public view.
    fn publish_new_graphs(&self, names: &[NamedNode]) -> Result<(), StoreError> {
        let _writer = self.state.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let new: Vec<&NamedNode> = {
            let table = self.table();
            names
                .iter()
                .filter(|g| {
                    !table.graphs.contains_key(g.as_str()) && !g.as_str().starts_with(graph::SYSTEM_PREFIX)
                })
                .collect()
        };
        if new.is_empty() {
            return Ok(());
        }
        let mut loader = self.inner.bulk_loader();
        for name in &new {
            let quads = self
                .inner
                .quads_for_pattern(None, None, None, Some(name.as_ref().into()))
                .map(|q| q.map(|q| Quad::new(q.subject, q.predicate, q.object, GraphName::DefaultGraph)));
            loader.load_ok_quads::<_, oxigraph::store::StorageError>(quads)?;
        }
        loader.commit()?;
        let mut tx = self.inner.start_transaction()?;
        for name in &new {
            set_system_value(&mut tx, name.as_ref(), dm::GRAPH_ACCESS, Some(Access::Public.iri().into()))?;
        }
        tx.commit()?;
        let mut table = self.state.graphs.write().unwrap_or_else(PoisonError::into_inner);
        for name in new {
            table.graphs.insert(name.as_str().to_owned(), GraphInfo::public());
        }
        table.public = None;
        Ok(())
    }

    /// Streams the whole store, or one named graph, in a quad syntax (constant memory).
    pub fn export(
        &self,
        serializer: RdfSerializer,
        graph: Option<NamedNodeRef<'_>>,
        writer: impl Write,
    ) -> Result<(), StoreError> {
        let mut out = serializer.for_writer(writer);
        let quads = match graph {
            Some(g) => self.inner.quads_for_pattern(None, None, None, Some(g.into())),
            None => self.inner.iter(),
        };
        for quad in quads {
            let quad = quad?;
            // Snapshots are derived data, made again by the store that imports the export.
            if graph.is_none() && quad.graph_name.as_ref() == GraphNameRef::NamedNode(snapshot::GRAPH) {
                continue;
            }
            out.serialize_quad(&quad)?;
        }
        out.finish()?;
        Ok(())
    }

    /// Calls `f` with every triple of the views (public, restricted, private): the whole catalogue.
    pub fn for_each_view_triple(&self, mut f: impl FnMut(Triple)) -> Result<(), StoreError> {
        for view in [GraphNameRef::DefaultGraph, graph::VIEW_RESTRICTED.into(), graph::VIEW_PRIVATE.into()] {
            for quad in self.inner.quads_for_pattern(None, None, None, Some(view)) {
                f(Triple::from(quad?));
            }
        }
        Ok(())
    }

    /// The number of quads in the store. Counts them: expensive on large stores, call it rarely.
    pub fn quad_count(&self) -> Result<usize, StoreError> {
        Ok(self.inner.len()?)
    }

    /// Whether the store answers a read.
    pub fn check_health(&self) -> Result<(), StoreError> {
        self.inner.contains_named_graph(graph::SYSTEM)?;
        Ok(())
    }

    /// Flushes pending writes to disk (RocksDB); a no-op in memory.
    pub fn flush(&self) -> Result<(), StoreError> {
        Ok(self.inner.flush()?)
    }

    /// Compacts the store's files (RocksDB: every level merged; overwritten and deleted entries
    /// dropped); slow on a large store, and nothing to do in memory.
    pub fn compact(&self) -> Result<(), StoreError> {
        self.inner.flush()?;
        Ok(self.inner.optimize()?)
    }
}

/// Reads the registration of every graph from the system graph.
fn read_graph_table(inner: &oxigraph::store::Store) -> Result<GraphTable, StoreError> {
    let mut table = GraphTable::default();
    let system = Some(GraphNameRef::NamedNode(graph::SYSTEM));
    for quad in inner.quads_for_pattern(None, Some(dm::GRAPH_ACCESS), None, system) {
        let quad = quad?;
        if let (NamedOrBlankNode::NamedNode(g), Some(access)) =
            (quad.subject, Access::from_term(&quad.object))
        {
            table.graphs.insert(g.into_string(), GraphInfo { access, owner: None });
        }
    }
    for quad in inner.quads_for_pattern(None, Some(dm::OWNER), None, system) {
        let quad = quad?;
        if let (NamedOrBlankNode::NamedNode(g), Term::NamedNode(owner)) = (quad.subject, quad.object)
            && let Some(info) = table.graphs.get_mut(g.as_str())
        {
            info.owner = Some(owner);
        }
    }
    Ok(table)
}

/// Drops the snapshot of `name`, if it has one.
fn remove_snapshot(
    tx: &mut oxigraph::store::Transaction<'_>,
    name: NamedNodeRef<'_>,
) -> Result<(), StoreError> {
    // Every match, not the first: after a bulk load, a transaction can see a graph's snapshot quad
    // more than once.
    let stored = tx
        .quads_for_pattern(Some(name.into()), Some(dm::SNAPSHOT), None, Some(snapshot::GRAPH.into()))
        .collect::<Result<Vec<_>, _>>()?;
    for quad in &stored {
        tx.remove(quad);
    }
    Ok(())
}

/// Sets (or with `None` removes) the single value of `predicate` for `subject` in the system graph.
fn set_system_value(
    tx: &mut oxigraph::store::Transaction<'_>,
    subject: NamedNodeRef<'_>,
    predicate: NamedNodeRef<'_>,
    value: Option<TermRef<'_>>,
) -> Result<(), StoreError> {
    let system = GraphNameRef::NamedNode(graph::SYSTEM);
    let old = tx
        .quads_for_pattern(Some(subject.into()), Some(predicate), None, Some(system))
        .collect::<Result<Vec<_>, _>>()?;
    for quad in &old {
        tx.remove(quad);
    }
    if let Some(value) = value {
        tx.insert(QuadRef::new(NamedOrBlankNodeRef::from(subject), predicate, value, system));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iri(s: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("http://example.com/{s}"))
    }

    fn triple(s: &str, o: &str) -> Triple {
        Triple::new(iri(s), iri("p"), Literal::new_simple_literal(o))
    }

    fn view(store: &Store, view: GraphNameRef<'_>) -> FxHashSet<Triple> {
        store
            .inner
            .quads_for_pattern(None, None, None, Some(view))
            .map(|q| Triple::from(q.unwrap()))
            .collect()
    }

    fn public(store: &Store) -> FxHashSet<Triple> {
        view(store, GraphNameRef::DefaultGraph)
    }

    #[test]
    fn views_follow_the_access_class_of_each_graph() {
        let store = Store::memory().unwrap();
        let shared = triple("shared", "x");
        let owner = iri("org");
        store
            .replace_graph(iri("a").as_ref(), &[shared.clone(), triple("a", "1")], &GraphInfo::public(), None)
            .unwrap();
        store
            .replace_graph(iri("b").as_ref(), &[shared.clone(), triple("b", "1")], &GraphInfo::public(), None)
            .unwrap();
        let private = GraphInfo::owned(Access::Private, Some(owner.clone()));
        store.replace_graph(iri("h").as_ref(), &[triple("h", "secret")], &private, None).unwrap();
        assert!(public(&store).contains(&shared), "shared triple is public");
        assert!(
            !public(&store).contains(&triple("h", "secret")),
            "a private graph stays out of the public view"
        );
        assert!(
            view(&store, graph::VIEW_PRIVATE.into()).contains(&triple("h", "secret")),
            "and is in the private view"
        );

        // Restricting `a` keeps the triple `b` still asserts, and moves a's own to the restricted view.
        let restricted = GraphInfo::owned(Access::Restricted, None);
        store
            .replace_graph(iri("a").as_ref(), &[shared.clone(), triple("a", "1")], &restricted, None)
            .unwrap();
        assert!(public(&store).contains(&shared), "still asserted by b");
        assert!(!public(&store).contains(&triple("a", "1")), "a is restricted now");
        assert!(view(&store, graph::VIEW_RESTRICTED.into()).contains(&triple("a", "1")));

        // Emptying `b` removes the last public assertion of the shared triple.
        store.replace_graph(iri("b").as_ref(), &[], &GraphInfo::public(), None).unwrap();
        assert_eq!(public(&store), FxHashSet::default());
        assert_eq!(store.graph_info(iri("h").as_ref()), Some(private));
        assert_eq!(store.visible_named_graphs(&Viewer::Anonymous).len(), 1, "only b is public");
        assert_eq!(store.visible_named_graphs(&Viewer::Member { org: owner.clone() }).len(), 3);
        assert_eq!(store.private_graphs_of(&owner), vec![iri("h")]);
    }

    /// What the graph holds, read quad by quad (not through its snapshot).
    fn stored(store: &Store, name: &NamedNode) -> FxHashSet<Triple> {
        view(store, GraphNameRef::NamedNode(name.as_ref()))
    }

    fn snapshot_of(store: &Store, name: &NamedNode) -> Option<FxHashSet<Triple>> {
        snapshot::stored(&store.inner, name.as_ref())
            .unwrap()
            .map(|q| snapshot::triples(&q).unwrap().into_iter().collect())
    }

    #[test]
    fn snapshots_follow_every_kind_of_write() {
        let store = Store::memory().unwrap();
        let (a, log) = (iri("a"), iri("log"));
        let blank = Triple::new(iri("a"), iri("p"), oxigraph::model::BlankNode::default());
        store
            .replace_graph(a.as_ref(), &[triple("a", "1"), blank.clone()], &GraphInfo::public(), None)
            .unwrap();
        assert_eq!(snapshot_of(&store, &a), Some(stored(&store, &a)));
        assert_eq!(store.graph_triples(a.as_ref()).unwrap(), vec![triple("a", "1"), blank.clone()]);

        // A replace diffs against the snapshot: what left is gone from the graph and its view.
        store
            .replace_graph(a.as_ref(), &[triple("a", "2"), blank.clone()], &GraphInfo::public(), None)
            .unwrap();
        assert_eq!(stored(&store, &a), [triple("a", "2"), blank.clone()].into_iter().collect());
        assert_eq!(snapshot_of(&store, &a), Some(stored(&store, &a)));
        assert!(!public(&store).contains(&triple("a", "1")));

        // Writing the same content again touches nothing.
        let before = store.inner.len().unwrap();
        store
            .replace_graph(a.as_ref(), &[blank.clone(), triple("a", "2")], &GraphInfo::public(), None)
            .unwrap();
        assert_eq!(store.inner.len().unwrap(), before);
        assert_eq!(snapshot_of(&store, &a), Some(stored(&store, &a)));
        // Same content, another access class: the views follow.
        let restricted = GraphInfo::owned(Access::Restricted, None);
        store.replace_graph(a.as_ref(), &[blank.clone(), triple("a", "2")], &restricted, None).unwrap();
        assert!(!public(&store).contains(&triple("a", "2")));
        assert!(view(&store, graph::VIEW_RESTRICTED.into()).contains(&triple("a", "2")));
        store
            .replace_graph(a.as_ref(), &[triple("a", "2"), blank.clone()], &GraphInfo::public(), None)
            .unwrap();

        // Appends drop the snapshot; reads fall back to the quads.
        let append = |t: Triple| GraphWrite {
            name: log.clone(),
            change: GraphChange::Add(vec![t]),
            registration: Some(GraphInfo::public()),
            content_hash: None,
        };
        store.replace_graph(log.as_ref(), &[triple("l", "0")], &GraphInfo::public(), None).unwrap();
        store.write(&[append(triple("l", "1"))]).unwrap();
        assert_eq!(snapshot_of(&store, &log), None);
        assert_eq!(store.graph_triples(log.as_ref()).unwrap().len(), 2);

        // A bulk import into a graph drops its snapshot, and no snapshot is ever imported.
        let doc = format!(
            "<{a}> <http://example.com/p> \"imported\" <{a}> .\n<{a}> <{p}> \"forged\" <{g}> .\n",
            a = a.as_str(),
            p = dm::SNAPSHOT.as_str(),
            g = snapshot::GRAPH.as_str()
        );
        store
            .bulk_import(RdfParser::from_format(oxigraph::io::RdfFormat::NQuads), doc.as_bytes(), |_| {})
            .unwrap();
        assert_eq!(snapshot_of(&store, &a), None);
        assert_eq!(store.graph_triples(a.as_ref()).unwrap().len(), 3, "read from the quads");

        // The export leaves snapshots out.
        store.replace_graph(a.as_ref(), &[triple("a", "3")], &GraphInfo::public(), None).unwrap();
        let mut out = Vec::new();
        store.export(RdfSerializer::from_format(oxigraph::io::RdfFormat::NQuads), None, &mut out).unwrap();
        assert!(!String::from_utf8(out).unwrap().contains(snapshot::GRAPH.as_str()));
    }

    #[test]
    fn graphs_without_snapshots_get_them_once() {
        let store = Store::memory().unwrap();
        let (a, b) = (iri("a"), iri("b"));
        store.replace_graph(a.as_ref(), &[triple("a", "1")], &GraphInfo::public(), None).unwrap();
        store.replace_graph(b.as_ref(), &[triple("b", "1")], &GraphInfo::public(), None).unwrap();
        // As a store written before snapshots existed: `a` has none, and no format is recorded.
        let mut tx = store.inner.start_transaction().unwrap();
        remove_snapshot(&mut tx, a.as_ref()).unwrap();
        tx.commit().unwrap();
        assert_eq!(snapshot_of(&store, &a), None);
        assert_eq!(store.ensure_snapshots(|| vec![a.clone(), b.clone()]).unwrap(), 1, "only a lacked one");
        assert_eq!(snapshot_of(&store, &a), Some([triple("a", "1")].into_iter().collect()));
        assert_eq!(store.setting(dm::SNAPSHOT_FORMAT).unwrap().as_deref(), Some(snapshot::FORMAT));
        assert_eq!(store.ensure_snapshots(|| unreachable!("recorded: nothing to check")).unwrap(), 0);
        // A bulk import into `b` drops its snapshot and the record; the next call makes it again.
        let doc = format!("<{b}> <{b}> \"2\" <{b}> .\n", b = b.as_str());
        store
            .bulk_import(RdfParser::from_format(oxigraph::io::RdfFormat::NQuads), doc.as_bytes(), |_| {})
            .unwrap();
        assert_eq!(store.setting(dm::SNAPSHOT_FORMAT).unwrap(), None);
        assert_eq!(store.ensure_snapshots(|| vec![a.clone(), b.clone()]).unwrap(), 1);
        assert_eq!(snapshot_of(&store, &b).map(|t| t.len()), Some(2));
    }

    #[test]
    fn registrations_survive_reopening() {
        let dir = std::env::temp_dir().join(format!("danhmuc-store-test-{}", std::process::id()));
        let info = GraphInfo::owned(Access::Private, Some(iri("org")));
        {
            let store = Store::open(&dir).unwrap();
            store.replace_graph(iri("a").as_ref(), &[triple("a", "1")], &info, Some("h1")).unwrap();
        }
        let store = Store::open(&dir).unwrap();
        assert_eq!(store.graph_info(iri("a").as_ref()), Some(info));
        assert_eq!(store.content_hash(iri("a").as_ref()).unwrap().as_deref(), Some("h1"));
        drop(store);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
