//! Graph snapshots: the content of each graph written whole, kept as one N-Triples literal beside it.
//!
//! Reading a graph from Oxigraph costs one RocksDB look-up per distinct term of every quad (terms
//! are stored as hashes; every IRI and long literal is looked up in the string table), about 1 ms for
//! a 40-triple record on a 100k-record store. A snapshot is one quad whose object holds the whole
//! graph: reading it costs four look-ups and a parse, ~20× less. Every read of whole graphs (record
//! pages, feeds, scoring, the search index, opening the registry) goes through it.
//!
//! Invariant: a graph's snapshot, when there is one, equals its content. [`Store::write`] keeps it in
//! the same transaction as the content (a `Replace` rewrites it; an `Add`/`Remove` drops it); a bulk
//! import drops the snapshots of the graphs it touched; graphs without a snapshot are read quad by quad.
//! Snapshots live in the unregistered system graph `urn:danhmuc:graph:snapshots`, which no view,
//! feed or export includes.
//!
//! [`Store::write`]: super::Store::write

use super::StoreError;
use crate::rdf::ns::{dm, graph};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Literal, NamedNodeRef, Quad, QuadRef, Term, Triple};
use rustc_hash::FxHashSet;
use std::fmt::Write as _;

/// The graph that holds the snapshots.
pub(super) const GRAPH: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:danhmuc:graph:snapshots");

/// Graphs larger than this are not snapshotted (bundled vocabularies, big code lists): one literal
/// per record-sized graph, not a second copy of everything.
const MAX_TRIPLES: usize = 4096;

/// Version of the snapshot encoding; a store whose snapshots were made otherwise is re-snapshotted.
pub(super) const FORMAT: &str = "ntriples-1";

/// Whether `name` gets a snapshot when written whole: not the system graphs (views, logs, the
/// snapshots themselves).
pub(super) fn eligible(name: NamedNodeRef<'_>, triples: usize) -> bool {
    triples <= MAX_TRIPLES && !name.as_str().starts_with(graph::SYSTEM_PREFIX)
}

/// The snapshot text of `triples`, in their order, without duplicates.
pub(super) fn encode(triples: &[Triple]) -> String {
    let mut seen = FxHashSet::default();
    let mut text = String::with_capacity(triples.len() * 120);
    for t in triples {
        if seen.insert(t) {
            // `Triple`'s `Display` is its N-Triples form.
            let _ = writeln!(text, "{t} .");
        }
    }
    text
}

/// Parses a snapshot (blank node labels are kept, so the triples equal the stored ones).
pub(super) fn decode(text: &str) -> Result<Vec<Triple>, StoreError> {
    RdfParser::from_format(RdfFormat::NTriples)
        .lenient()
        .for_slice(text.as_bytes())
        .map(|q| q.map(Triple::from).map_err(|e| StoreError::Parse(format!("damaged graph snapshot: {e}"))))
        .collect()
}

/// The snapshot quad of `name`, if it has one.
pub(super) fn stored(
    store: &oxigraph::store::Store,
    name: NamedNodeRef<'_>,
) -> Result<Option<Quad>, StoreError> {
    Ok(store
        .quads_for_pattern(Some(name.into()), Some(dm::SNAPSHOT), None, Some(GRAPH.into()))
        .next()
        .transpose()?)
}

/// The snapshot quad of `name` as a transaction sees it.
pub(super) fn stored_in(
    tx: &oxigraph::store::Transaction<'_>,
    name: NamedNodeRef<'_>,
) -> Result<Option<Quad>, StoreError> {
    Ok(tx
        .quads_for_pattern(Some(name.into()), Some(dm::SNAPSHOT), None, Some(GRAPH.into()))
        .next()
        .transpose()?)
}

/// The triples a snapshot quad holds.
pub(super) fn triples(quad: &Quad) -> Result<Vec<Triple>, StoreError> {
    match &quad.object {
        Term::Literal(text) => decode(text.value()),
        _ => Err(StoreError::Parse("damaged graph snapshot: not a literal".to_owned())),
    }
}

/// The quad that stores `text` as the snapshot of `name`.
pub(super) fn quad(name: NamedNodeRef<'_>, text: &str) -> Quad {
    QuadRef::new(name, dm::SNAPSHOT, &Literal::new_simple_literal(text), GRAPH).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{BlankNode, NamedNode};

    #[test]
    fn snapshots_round_trip_every_kind_of_term() {
        let s = NamedNode::new_unchecked("http://example.com/ds/1");
        let p = NamedNode::new_unchecked("http://purl.org/dc/terms/title");
        let b = BlankNode::new_unchecked("a1b2c3d4e5f60718293a4b5c6d7e8f90");
        let triples = vec![
            Triple::new(
                s.clone(),
                p.clone(),
                Literal::new_language_tagged_literal_unchecked("Hà Nội \"x\"\n\\", "vi"),
            ),
            Triple::new(
                s.clone(),
                p.clone(),
                Literal::new_typed_literal("42", oxigraph::model::vocab::xsd::INTEGER),
            ),
            Triple::new(s.clone(), p.clone(), b.clone()),
            Triple::new(b, p.clone(), Literal::new_simple_literal("tab\there\r\u{7f}\u{1F600}")),
            Triple::new(s.clone(), p.clone(), s.clone()),
        ];
        let mut doubled = triples.clone();
        doubled.push(triples[0].clone());
        assert_eq!(decode(&encode(&doubled)).unwrap(), triples, "same triples, same order, same blank nodes");
        assert_eq!(decode("").unwrap(), Vec::new());
    }
}
