//! Data access: the [`DataGraph`] trait the validator reads the data graph through,
//! its in-memory implementation [`IndexedGraph`] (interned terms, three sorted
//! indexes), and the [`WithClassOracle`] combinator that lets `sh:class` consult a
//! second source of `rdf:type` facts (e.g. the registry's store).

use super::vocab::{rdf, rdfs};
use oxigraph::io::{RdfParseError, RdfParser};
use oxigraph::model::{NamedNode, NamedOrBlankNodeRef, Quad, Term, TermRef, Triple};
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::convert::Infallible;
use std::error::Error;
use std::fmt::Debug;
use std::hash::{Hash, Hasher};
use std::io::Read;
use std::path::Path;

/// Iterator over the triples matching a pattern, as `[subject, predicate, object]`.
pub type TripleIter<'a, N, E> = Box<dyn Iterator<Item = Result<[N; 3], E>> + 'a>;

/// `(predicate, object)` pairs of a subject.
pub type Pairs<N> = Vec<(N, N)>;

/// Read access to a data graph, by pattern look-ups over graph-specific node handles.
///
/// Implement it over any triple source; [`IndexedGraph`] is the fast in-memory one.
/// Look-ups take and return [`Self::Node`] handles; [`DataGraph::lookup`] maps a term
/// to its handle (or `None` when the term does not occur in the graph) and
/// [`DataGraph::term`] maps back. An implementation over a store can simply use
/// `Node = Term`.
pub trait DataGraph {
    /// Handle of a term occurring in the graph.
    type Node: Clone + Eq + Hash + Debug;
    /// Data-access error.
    type Error: Error + Send + Sync + 'static;

    /// The handle of `term`, or `None` if the graph does not mention it.
    fn lookup(&self, term: TermRef<'_>) -> Result<Option<Self::Node>, Self::Error>;

    /// The term of a handle.
    fn term<'a>(&'a self, node: &'a Self::Node) -> TermRef<'a>;

    /// Objects of the triples `(subject, predicate, ?)`, without duplicates.
    fn objects<'a>(
        &'a self,
        subject: &Self::Node,
        predicate: &Self::Node,
    ) -> Result<Cow<'a, [Self::Node]>, Self::Error>;

    /// Subjects of the triples `(?, predicate, object)`, without duplicates.
    fn subjects<'a>(
        &'a self,
        predicate: &Self::Node,
        object: &Self::Node,
    ) -> Result<Cow<'a, [Self::Node]>, Self::Error>;

    /// All `(predicate, object)` pairs of `subject` (for `sh:closed`).
    fn predicate_objects(&self, subject: &Self::Node) -> Result<Pairs<Self::Node>, Self::Error>;

    /// Distinct subjects of triples with `predicate` (for `sh:targetSubjectsOf`).
    fn subjects_with_predicate(&self, predicate: &Self::Node) -> Result<Vec<Self::Node>, Self::Error>;

    /// Distinct objects of triples with `predicate` (for `sh:targetObjectsOf`).
    fn objects_with_predicate(&self, predicate: &Self::Node) -> Result<Vec<Self::Node>, Self::Error>;

    /// All triples matching a pattern (`None` = any); used by SHACL-SPARQL.
    fn triples_matching<'a>(
        &'a self,
        subject: Option<&Self::Node>,
        predicate: Option<&Self::Node>,
        object: Option<&Self::Node>,
    ) -> TripleIter<'a, Self::Node, Self::Error>;

    /// Whether `sub rdfs:subClassOf* sup` holds in the graph.
    fn is_subclass_of(&self, sub: &Self::Node, sup: &Self::Node) -> Result<bool, Self::Error> {
        if sub == sup {
            return Ok(true);
        }
        let Some(sub_class_of) = self.lookup(rdfs::SUB_CLASS_OF.into())? else {
            return Ok(false);
        };
        let mut stack = vec![sub.clone()];
        let mut seen = FxHashSet::default();
        while let Some(c) = stack.pop() {
            if &c == sup {
                return Ok(true);
            }
            if seen.insert(c.clone()) {
                stack.extend(self.objects(&c, &sub_class_of)?.iter().cloned());
            }
        }
        Ok(false)
    }

    /// Whether `node` is a SHACL instance of `class` (`rdf:type/rdfs:subClassOf*`).
    fn is_instance_of(&self, node: &Self::Node, class: &Self::Node) -> Result<bool, Self::Error> {
        let Some(rdf_type) = self.lookup(rdf::TYPE.into())? else {
            return Ok(false);
        };
        for t in self.objects(node, &rdf_type)?.iter() {
            if self.is_subclass_of(t, class)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// All SHACL instances of `class`, without duplicates (for `sh:targetClass`).
    fn instances_of(&self, class: &Self::Node) -> Result<Vec<Self::Node>, Self::Error> {
        let Some(rdf_type) = self.lookup(rdf::TYPE.into())? else {
            return Ok(Vec::new());
        };
        let sub_class_of = self.lookup(rdfs::SUB_CLASS_OF.into())?;
        let mut classes = vec![class.clone()];
        let mut seen_classes: FxHashSet<Self::Node> = classes.iter().cloned().collect();
        let mut i = 0;
        while i < classes.len() {
            if let Some(sc) = &sub_class_of {
                let subs = self.subjects(sc, &classes[i])?.into_owned();
                for s in subs {
                    if seen_classes.insert(s.clone()) {
                        classes.push(s);
                    }
                }
            }
            i += 1;
        }
        let mut seen = FxHashSet::default();
        let mut out = Vec::new();
        for c in &classes {
            for s in self.subjects(&rdf_type, c)?.iter() {
                if seen.insert(s.clone()) {
                    out.push(s.clone());
                }
            }
        }
        Ok(out)
    }

    /// Types of `node` known to a source outside this graph, consulted by `sh:class`
    /// when the graph itself does not make `node` an instance (see [`WithClassOracle`]).
    fn external_types(&self, node: TermRef<'_>) -> Result<Vec<NamedNode>, Self::Error> {
        let _ = node;
        Ok(Vec::new())
    }
}

/// An immutable in-memory graph with interned terms (`u32` ids) and three sorted
/// indexes (SPO, OPS, PSO) stored as flat arrays with per-term offsets.
#[derive(Debug, Default)]
pub struct IndexedGraph {
    terms: Interner,
    s_off: Vec<u32>,
    spo_p: Vec<u32>,
    spo_o: Vec<u32>,
    o_off: Vec<u32>,
    ops_p: Vec<u32>,
    ops_s: Vec<u32>,
    p_off: Vec<u32>,
    pso_s: Vec<u32>,
    pso_o: Vec<u32>,
    rdf_type: Option<u32>,
    sub_class_of: Option<u32>,
}

/// Term interner storing each term once: a map from a 64-bit term hash to the
/// first id with that hash, plus an overflow map for (rare) hash collisions.
#[derive(Debug, Default)]
struct Interner {
    terms: Vec<Term>,
    by_hash: FxHashMap<u64, u32>,
    overflow: FxHashMap<u64, Vec<u32>>,
}

fn term_hash(term: TermRef<'_>) -> u64 {
    let mut h = FxHasher::default();
    match term {
        TermRef::NamedNode(n) => {
            h.write_u8(0);
            h.write(n.as_str().as_bytes());
        }
        TermRef::BlankNode(b) => {
            h.write_u8(1);
            h.write(b.as_str().as_bytes());
        }
        other => {
            if let TermRef::Literal(l) = other {
                h.write_u8(2);
                h.write(l.value().as_bytes());
                h.write_u8(0xff);
                match l.language() {
                    Some(lang) => h.write(lang.as_bytes()),
                    None => h.write(l.datatype().as_str().as_bytes()),
                }
            } else {
                // RDF 1.2 triple terms, when that feature is enabled.
                h.write(other.to_string().as_bytes());
            }
        }
    }
    h.finish()
}

impl Interner {
    fn get(&self, term: TermRef<'_>) -> Option<u32> {
        let h = term_hash(term);
        let first = *self.by_hash.get(&h)?;
        if self.terms[first as usize].as_ref() == term {
            return Some(first);
        }
        self.overflow.get(&h)?.iter().copied().find(|id| self.terms[*id as usize].as_ref() == term)
    }

    fn push(&mut self, term: Term) -> u32 {
        let id = u32::try_from(self.terms.len()).unwrap_or(u32::MAX);
        self.terms.push(term);
        id
    }

    fn intern(&mut self, term: Term) -> u32 {
        let h = term_hash(term.as_ref());
        let first = match self.by_hash.entry(h) {
            Entry::Vacant(e) => {
                let id = u32::try_from(self.terms.len()).unwrap_or(u32::MAX);
                e.insert(id);
                self.terms.push(term);
                return id;
            }
            Entry::Occupied(e) => *e.get(),
        };
        if self.terms[first as usize] == term {
            return first;
        }
        if let Some(id) = self
            .overflow
            .get(&h)
            .and_then(|ids| ids.iter().copied().find(|id| self.terms[*id as usize] == term))
        {
            return id;
        }
        let id = self.push(term);
        self.overflow.entry(h).or_default().push(id);
        id
    }
}

/// Incremental builder of an [`IndexedGraph`].
#[derive(Debug, Default)]
pub struct IndexedGraphBuilder {
    terms: Interner,
    triples: Vec<[u32; 3]>,
}

impl IndexedGraphBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a triple (duplicates are removed by [`Self::build`]).
    pub fn insert(&mut self, triple: Triple) {
        let s = self.terms.intern(triple.subject.into());
        let p = self.terms.intern(triple.predicate.into());
        let o = self.terms.intern(triple.object);
        self.triples.push([s, p, o]);
    }

    /// Builds the indexes.
    pub fn build(self) -> IndexedGraph {
        let Self { terms, mut triples } = self;
        triples.sort_unstable();
        triples.dedup();
        let n = terms.terms.len();
        let len = triples.len();
        // SPO: already sorted.
        let s_off = offsets(n, triples.iter().map(|t| t[0]));
        let spo_p: Vec<u32> = triples.iter().map(|t| t[1]).collect();
        let spo_o: Vec<u32> = triples.iter().map(|t| t[2]).collect();
        // PSO by a stable counting sort of SPO on P.
        let p_off = offsets(n, triples.iter().map(|t| t[1]));
        let mut pso_s = vec![0; len];
        let mut pso_o = vec![0; len];
        let mut pso_idx = vec![0u32; len];
        {
            let mut next: Vec<u32> = p_off[..n].to_vec();
            for (i, t) in triples.iter().enumerate() {
                let slot = &mut next[t[1] as usize];
                let at = *slot as usize;
                pso_s[at] = t[0];
                pso_o[at] = t[2];
                pso_idx[at] = u32::try_from(i).unwrap_or(u32::MAX);
                *slot += 1;
            }
        }
        // OPS by a stable counting sort of PSO on O: gives (o, p, s) order.
        let o_off = offsets(n, triples.iter().map(|t| t[2]));
        let mut ops_p = vec![0; len];
        let mut ops_s = vec![0; len];
        {
            let mut next: Vec<u32> = o_off[..n].to_vec();
            for &i in &pso_idx {
                let t = triples[i as usize];
                let slot = &mut next[t[2] as usize];
                let at = *slot as usize;
                ops_p[at] = t[1];
                ops_s[at] = t[0];
                *slot += 1;
            }
        }
        drop(pso_idx);
        drop(triples);
        let rdf_type = terms.get(rdf::TYPE.into());
        let sub_class_of = terms.get(rdfs::SUB_CLASS_OF.into());
        IndexedGraph {
            terms,
            s_off,
            spo_p,
            spo_o,
            o_off,
            ops_p,
            ops_s,
            p_off,
            pso_s,
            pso_o,
            rdf_type,
            sub_class_of,
        }
    }
}

/// Offsets array (`n + 1` entries) from a key sequence; counts keys.
fn offsets(n: usize, keys: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut off = vec![0u32; n + 1];
    for k in keys {
        off[k as usize + 1] += 1;
    }
    for i in 0..n {
        off[i + 1] += off[i];
    }
    off
}

impl IndexedGraph {
    /// Builds the graph from triples.
    pub fn from_triples<T: Into<Triple>>(triples: impl IntoIterator<Item = T>) -> Self {
        let mut builder = IndexedGraphBuilder::new();
        for t in triples {
            builder.insert(t.into());
        }
        builder.build()
    }

    /// Parses an RDF document with a configured parser (base IRI, format…);
    /// the triples of all graphs of a dataset format are merged.
    pub fn parse(parser: RdfParser, reader: impl Read) -> Result<Self, RdfParseError> {
        let mut builder = IndexedGraphBuilder::new();
        for quad in parser.for_reader(reader) {
            let q = quad?;
            builder.insert(Triple::new(q.subject, q.predicate, q.object));
        }
        Ok(builder.build())
    }

    /// Parses an in-memory document. N-Triples and N-Quads are split into up to
    /// `threads` parts parsed and interned in parallel, then merged in input order
    /// (term ids are deterministic); other formats are parsed on the calling thread.
    pub fn parse_slice(parser: RdfParser, data: &[u8], threads: usize) -> Result<Self, RdfParseError> {
        Self::parse_parts(parser.split_slice_for_parallel_parsing(data, threads.max(1)))
    }

    /// Like [`Self::parse_slice`] but reading the file at `path` (never loaded whole).
    pub fn parse_file(parser: RdfParser, path: &Path, threads: usize) -> Result<Self, RdfParseError> {
        Self::parse_parts(parser.split_file_for_parallel_parsing(path, threads.max(1))?)
    }

    fn parse_part<E: Into<RdfParseError>>(
        part: impl Iterator<Item = Result<Quad, E>>,
    ) -> Result<IndexedGraphBuilder, RdfParseError> {
        let mut builder = IndexedGraphBuilder::new();
        for quad in part {
            let q = quad.map_err(Into::into)?;
            builder.insert(Triple::new(q.subject, q.predicate, q.object));
        }
        Ok(builder)
    }

    fn parse_parts<P, E>(parts: Vec<P>) -> Result<Self, RdfParseError>
    where
        P: Iterator<Item = Result<Quad, E>> + Send,
        E: Into<RdfParseError>,
    {
        let locals: Vec<Result<IndexedGraphBuilder, RdfParseError>> = if parts.len() <= 1 {
            parts.into_iter().map(Self::parse_part).collect()
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> =
                    parts.into_iter().map(|part| scope.spawn(move || Self::parse_part(part))).collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect()
            })
        };
        let mut locals = locals.into_iter();
        let mut global = match locals.next() {
            Some(first) => first?,
            None => IndexedGraphBuilder::new(),
        };
        for local in locals {
            let local = local?;
            let remap: Vec<u32> = local.terms.terms.into_iter().map(|t| global.terms.intern(t)).collect();
            global.triples.extend(
                local
                    .triples
                    .iter()
                    .map(|[s, p, o]| [remap[*s as usize], remap[*p as usize], remap[*o as usize]]),
            );
        }
        Ok(global.build())
    }

    /// Number of triples.
    pub fn len(&self) -> usize {
        self.spo_o.len()
    }

    /// Whether the graph has no triple.
    pub fn is_empty(&self) -> bool {
        self.spo_o.is_empty()
    }

    /// Number of distinct terms.
    pub fn term_count(&self) -> usize {
        self.terms.terms.len()
    }

    /// Iterates over all triples.
    pub fn iter(&self) -> impl Iterator<Item = Triple> + '_ {
        self.triples_matching(None, None, None).filter_map(|t| {
            let [s, p, o] = t.ok()?;
            let subject: oxigraph::model::NamedOrBlankNode = match &self.terms.terms[s as usize] {
                Term::NamedNode(n) => n.clone().into(),
                Term::BlankNode(b) => b.clone().into(),
                _ => return None,
            };
            let Term::NamedNode(predicate) = &self.terms.terms[p as usize] else {
                return None;
            };
            Some(Triple::new(subject, predicate.clone(), self.terms.terms[o as usize].clone()))
        })
    }

    fn range(off: &[u32], id: u32) -> (usize, usize) {
        let i = id as usize;
        match (off.get(i), off.get(i + 1)) {
            (Some(a), Some(b)) => (*a as usize, *b as usize),
            _ => (0, 0),
        }
    }

    /// Sub-range of `keys[lo..hi]` (sorted) equal to `key`.
    fn sub_range(keys: &[u32], lo: usize, hi: usize, key: u32) -> (usize, usize) {
        let slice = &keys[lo..hi];
        if slice.len() <= 8 {
            let start = slice.iter().position(|k| *k == key);
            return match start {
                None => (lo, lo),
                Some(a) => {
                    let b = slice[a..].iter().position(|k| *k != key).map_or(slice.len(), |x| a + x);
                    (lo + a, lo + b)
                }
            };
        }
        let a = slice.partition_point(|k| *k < key);
        let b = slice.partition_point(|k| *k <= key);
        (lo + a, lo + b)
    }
}

impl DataGraph for IndexedGraph {
    type Node = u32;
    type Error = Infallible;

    fn lookup(&self, term: TermRef<'_>) -> Result<Option<u32>, Infallible> {
        Ok(self.terms.get(term))
    }

    fn term<'a>(&'a self, node: &'a u32) -> TermRef<'a> {
        self.terms.terms[*node as usize].as_ref()
    }

    fn objects<'a>(&'a self, subject: &u32, predicate: &u32) -> Result<Cow<'a, [u32]>, Infallible> {
        let (lo, hi) = Self::range(&self.s_off, *subject);
        let (a, b) = Self::sub_range(&self.spo_p, lo, hi, *predicate);
        Ok(Cow::Borrowed(&self.spo_o[a..b]))
    }

    fn subjects<'a>(&'a self, predicate: &u32, object: &u32) -> Result<Cow<'a, [u32]>, Infallible> {
        let (lo, hi) = Self::range(&self.o_off, *object);
        let (a, b) = Self::sub_range(&self.ops_p, lo, hi, *predicate);
        Ok(Cow::Borrowed(&self.ops_s[a..b]))
    }

    fn predicate_objects(&self, subject: &u32) -> Result<Vec<(u32, u32)>, Infallible> {
        let (lo, hi) = Self::range(&self.s_off, *subject);
        Ok(self.spo_p[lo..hi].iter().copied().zip(self.spo_o[lo..hi].iter().copied()).collect())
    }

    fn subjects_with_predicate(&self, predicate: &u32) -> Result<Vec<u32>, Infallible> {
        let (lo, hi) = Self::range(&self.p_off, *predicate);
        let mut out: Vec<u32> = self.pso_s[lo..hi].to_vec();
        out.dedup();
        Ok(out)
    }

    fn objects_with_predicate(&self, predicate: &u32) -> Result<Vec<u32>, Infallible> {
        let (lo, hi) = Self::range(&self.p_off, *predicate);
        let mut seen = FxHashSet::default();
        Ok(self.pso_o[lo..hi].iter().copied().filter(|o| seen.insert(*o)).collect())
    }

    fn triples_matching<'a>(
        &'a self,
        subject: Option<&u32>,
        predicate: Option<&u32>,
        object: Option<&u32>,
    ) -> TripleIter<'a, u32, Infallible> {
        let (s, p, o) = (subject.copied(), predicate.copied(), object.copied());
        if let Some(s) = s {
            let (mut lo, mut hi) = Self::range(&self.s_off, s);
            if let Some(p) = p {
                (lo, hi) = Self::sub_range(&self.spo_p, lo, hi, p);
            }
            Box::new((lo..hi).filter_map(move |i| {
                let t = [s, self.spo_p[i], self.spo_o[i]];
                o.is_none_or(|o| o == t[2]).then_some(Ok(t))
            }))
        } else if let Some(o) = o {
            let (mut lo, mut hi) = Self::range(&self.o_off, o);
            if let Some(p) = p {
                (lo, hi) = Self::sub_range(&self.ops_p, lo, hi, p);
            }
            Box::new((lo..hi).map(move |i| Ok([self.ops_s[i], self.ops_p[i], o])))
        } else if let Some(p) = p {
            let (lo, hi) = Self::range(&self.p_off, p);
            Box::new((lo..hi).map(move |i| Ok([self.pso_s[i], p, self.pso_o[i]])))
        } else {
            let n = self.s_off.len().saturating_sub(1);
            Box::new((0..n).flat_map(move |s| {
                let (lo, hi) = (self.s_off[s] as usize, self.s_off[s + 1] as usize);
                let s = u32::try_from(s).unwrap_or(u32::MAX);
                (lo..hi).map(move |i| Ok([s, self.spo_p[i], self.spo_o[i]]))
            }))
        }
    }

    fn is_subclass_of(&self, sub: &u32, sup: &u32) -> Result<bool, Infallible> {
        if sub == sup {
            return Ok(true);
        }
        let Some(sc) = self.sub_class_of else {
            return Ok(false);
        };
        let mut stack = vec![*sub];
        let mut seen = FxHashSet::default();
        while let Some(c) = stack.pop() {
            if c == *sup {
                return Ok(true);
            }
            if seen.insert(c) {
                stack.extend_from_slice(&self.objects(&c, &sc)?);
            }
        }
        Ok(false)
    }

    fn is_instance_of(&self, node: &u32, class: &u32) -> Result<bool, Infallible> {
        let Some(rdf_type) = self.rdf_type else {
            return Ok(false);
        };
        let types = self.objects(node, &rdf_type)?;
        if types.contains(class) {
            return Ok(true);
        }
        if self.sub_class_of.is_none() {
            return Ok(false);
        }
        for t in types.iter() {
            if self.is_subclass_of(t, class)? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// Source of extra `rdf:type` facts for [`WithClassOracle`].
///
/// Implemented for closures `Fn(NamedOrBlankNodeRef<'_>) -> Vec<NamedNode>`.
pub trait ClassOracle {
    /// The (asserted or inferred) types of `node`.
    fn types(
        &self,
        node: NamedOrBlankNodeRef<'_>,
    ) -> Result<Vec<NamedNode>, Box<dyn Error + Send + Sync + 'static>>;
}

impl<F: Fn(NamedOrBlankNodeRef<'_>) -> Vec<NamedNode>> ClassOracle for F {
    fn types(
        &self,
        node: NamedOrBlankNodeRef<'_>,
    ) -> Result<Vec<NamedNode>, Box<dyn Error + Send + Sync + 'static>> {
        Ok(self(node))
    }
}

/// Error of [`WithClassOracle`]: from the graph or from the oracle.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct OracleError(#[source] pub Box<dyn Error + Send + Sync + 'static>);

/// A data graph whose `sh:class` checks also consult a [`ClassOracle`].
///
/// Used to validate a submission where a referenced IRI (say a publisher) is typed
/// only in the registry: `WithClassOracle::new(&submission, |n| store_types(n))`.
/// An oracle type `T` satisfies `sh:class C` if `T = C` or the data graph has
/// `T rdfs:subClassOf* C`. Targets (`sh:targetClass`) still come from the graph only.
#[derive(Debug, Clone, Copy)]
pub struct WithClassOracle<'g, G, O> {
    graph: &'g G,
    oracle: O,
}

impl<'g, G: DataGraph, O: ClassOracle> WithClassOracle<'g, G, O> {
    /// Wraps `graph`.
    pub fn new(graph: &'g G, oracle: O) -> Self {
        Self { graph, oracle }
    }
}

fn boxed<E: Error + Send + Sync + 'static>(e: E) -> OracleError {
    OracleError(Box::new(e))
}

impl<G: DataGraph, O: ClassOracle> DataGraph for WithClassOracle<'_, G, O> {
    type Node = G::Node;
    type Error = OracleError;

    fn lookup(&self, term: TermRef<'_>) -> Result<Option<G::Node>, OracleError> {
        self.graph.lookup(term).map_err(boxed)
    }
    fn term<'a>(&'a self, node: &'a G::Node) -> TermRef<'a> {
        self.graph.term(node)
    }
    fn objects<'a>(&'a self, s: &G::Node, p: &G::Node) -> Result<Cow<'a, [G::Node]>, OracleError> {
        self.graph.objects(s, p).map_err(boxed)
    }
    fn subjects<'a>(&'a self, p: &G::Node, o: &G::Node) -> Result<Cow<'a, [G::Node]>, OracleError> {
        self.graph.subjects(p, o).map_err(boxed)
    }
    fn predicate_objects(&self, s: &G::Node) -> Result<Vec<(G::Node, G::Node)>, OracleError> {
        self.graph.predicate_objects(s).map_err(boxed)
    }
    fn subjects_with_predicate(&self, p: &G::Node) -> Result<Vec<G::Node>, OracleError> {
        self.graph.subjects_with_predicate(p).map_err(boxed)
    }
    fn objects_with_predicate(&self, p: &G::Node) -> Result<Vec<G::Node>, OracleError> {
        self.graph.objects_with_predicate(p).map_err(boxed)
    }
    fn triples_matching<'a>(
        &'a self,
        s: Option<&G::Node>,
        p: Option<&G::Node>,
        o: Option<&G::Node>,
    ) -> TripleIter<'a, G::Node, OracleError> {
        Box::new(self.graph.triples_matching(s, p, o).map(|r| r.map_err(boxed)))
    }
    fn is_subclass_of(&self, sub: &G::Node, sup: &G::Node) -> Result<bool, OracleError> {
        self.graph.is_subclass_of(sub, sup).map_err(boxed)
    }
    fn is_instance_of(&self, node: &G::Node, class: &G::Node) -> Result<bool, OracleError> {
        self.graph.is_instance_of(node, class).map_err(boxed)
    }
    fn instances_of(&self, class: &G::Node) -> Result<Vec<G::Node>, OracleError> {
        self.graph.instances_of(class).map_err(boxed)
    }
    fn external_types(&self, node: TermRef<'_>) -> Result<Vec<NamedNode>, OracleError> {
        let node = match node {
            TermRef::NamedNode(n) => NamedOrBlankNodeRef::from(n),
            TermRef::BlankNode(b) => NamedOrBlankNodeRef::from(b),
            _ => return Ok(Vec::new()),
        };
        let mut types = self.oracle.types(node).map_err(OracleError)?;
        types.extend(self.graph.external_types(node.into()).map_err(boxed)?);
        Ok(types)
    }
}
