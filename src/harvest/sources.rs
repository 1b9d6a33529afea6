//! Where the harvester keeps its state, all in staff-only graphs:
//! - `urn:danhmuc:graph:harvest`: every source's settings (`urn:danhmuc:harvest:{id}`);
//! - `urn:danhmuc:graph:harvest:{id}:records`: provenance of the source's records (record IRI →
//!   `dm:harvestedFrom` the source, `prov:wasDerivedFrom` the original IRI, `dm:harvestedAt` the last
//!   change, `dm:missingSince` the first complete pass that no longer listed it);
//! - `urn:danhmuc:graph:harvest:{id}:runs`: the reports of the last runs (JSON literals).

use super::{HarvestError, RunReport, Source, SourceKind};
use crate::rdf::ns::{dct, dm, graph};
use crate::registry::record::names;
use crate::store::{Access, GraphChange, GraphInfo, GraphWrite, Store};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use rustc_hash::FxHashMap;
use std::time::Duration;

/// How many run reports are kept per source.
pub const KEPT_RUNS: usize = 20;

const WAS_DERIVED_FROM: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/prov#wasDerivedFrom");

/// The provenance graph of a source.
pub fn records_graph(id: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("urn:danhmuc:graph:harvest:{id}:records"))
}

/// The run reports graph of a source.
pub fn runs_graph(id: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("urn:danhmuc:graph:harvest:{id}:runs"))
}

fn seconds(d: Duration) -> Literal {
    Literal::from(i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Every source, in the order they were added.
pub fn list(store: &Store) -> Result<Vec<Source>, HarvestError> {
    let triples = store.graph_triples(graph::HARVEST)?;
    let mut by_subject: FxHashMap<&NamedOrBlankNode, Vec<&Triple>> = FxHashMap::default();
    for t in &triples {
        by_subject.entry(&t.subject).or_default().push(t);
    }
    let mut sources: Vec<(i64, Source)> = Vec::new();
    for (subject, triples) in by_subject {
        let NamedOrBlankNode::NamedNode(iri) = subject else { continue };
        let Some(id) = iri.as_str().strip_prefix("urn:danhmuc:harvest:") else { continue };
        let value = |p: NamedNodeRef<'_>| triples.iter().find(|t| t.predicate == p).map(|t| &t.object);
        let text = |p| match value(p) {
            Some(Term::Literal(l)) => Some(l.value().to_owned()),
            _ => None,
        };
        let number = |p| text(p).and_then(|v| v.parse::<u64>().ok());
        let (Some(Term::NamedNode(org)), Some(url), Some(kind)) =
            (value(dm::OWNER), text(dm::HARVEST_URL), text(dm::HARVEST_KIND).and_then(|k| k.parse().ok()))
        else {
            continue;
        };
        let sequence = text(dm::SEQUENCE).and_then(|s| s.parse().ok()).unwrap_or(0);
        sources.push((
            sequence,
            Source {
                id: id.to_owned(),
                org: org.clone(),
                url,
                kind,
                every: number(dm::HARVEST_EVERY).filter(|s| *s > 0).map(Duration::from_secs),
                grace: Duration::from_secs(number(dm::HARVEST_GRACE).unwrap_or(0)),
                created: text(dct::CREATED).unwrap_or_default(),
            },
        ));
    }
    sources.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    Ok(sources.into_iter().map(|(_, s)| s).collect())
}

/// Stores a new source.
pub fn add(store: &Store, source: &Source, sequence: usize) -> Result<(), HarvestError> {
    let s = names::harvest_source(&source.id);
    let kind = match source.kind {
        SourceKind::Dcat => "dcat",
        SourceKind::Ckan => "ckan",
    };
    let triples = vec![
        Triple::new(s.clone(), rdf::TYPE, dm::HARVEST_SOURCE),
        Triple::new(s.clone(), dm::OWNER, source.org.clone()),
        Triple::new(s.clone(), dm::HARVEST_URL, Literal::new_simple_literal(&source.url)),
        Triple::new(s.clone(), dm::HARVEST_KIND, Literal::new_simple_literal(kind)),
        Triple::new(s.clone(), dm::HARVEST_EVERY, seconds(source.every.unwrap_or_default())),
        Triple::new(s.clone(), dm::HARVEST_GRACE, seconds(source.grace)),
        Triple::new(s.clone(), dm::SEQUENCE, Literal::from(i64::try_from(sequence).unwrap_or(i64::MAX))),
        Triple::new(s, dct::CREATED, Literal::new_typed_literal(&source.created, xsd::DATE_TIME)),
    ];
    store.write(&[GraphWrite {
        name: graph::HARVEST.into_owned(),
        change: GraphChange::Add(triples),
        registration: Some(GraphInfo::owned(Access::Staff, None)),
        content_hash: None,
    }])?;
    Ok(())
}

/// What the source knows of one of its records.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// `dm:harvestedAt` as stored.
    pub harvested_at: Option<Term>,
    /// `dm:missingSince` as stored.
    pub missing_since: Option<Term>,
}

/// The provenance of every record of a source, by record IRI.
pub fn provenance(store: &Store, id: &str) -> Result<FxHashMap<String, Provenance>, HarvestError> {
    let mut map: FxHashMap<String, Provenance> = FxHashMap::default();
    for t in store.graph_triples(records_graph(id).as_ref())? {
        let NamedOrBlankNode::NamedNode(record) = &t.subject else { continue };
        let entry = map
            .entry(record.as_str().to_owned())
            .or_insert(Provenance { harvested_at: None, missing_since: None });
        if t.predicate == dm::HARVESTED_AT {
            entry.harvested_at = Some(t.object);
        } else if t.predicate == dm::MISSING_SINCE {
            entry.missing_since = Some(t.object);
        }
    }
    Ok(map)
}

/// The graph writes that record a harvest of `record` now (first time, or a change).
pub fn provenance_writes(
    source: &Source,
    record: &NamedNode,
    known: Option<&Provenance>,
    now: &Literal,
) -> Vec<GraphWrite> {
    let info = GraphInfo::owned(Access::Staff, Some(source.org.clone()));
    let mut add = vec![Triple::new(record.clone(), dm::HARVESTED_AT, now.clone())];
    let mut remove = Vec::new();
    match known {
        None => {
            add.push(Triple::new(record.clone(), dm::HARVESTED_FROM, names::harvest_source(&source.id)));
            add.push(Triple::new(record.clone(), WAS_DERIVED_FROM, record.clone()));
        }
        Some(known) => {
            remove.extend(
                known.harvested_at.iter().map(|t| Triple::new(record.clone(), dm::HARVESTED_AT, t.clone())),
            );
            remove.extend(
                known.missing_since.iter().map(|t| Triple::new(record.clone(), dm::MISSING_SINCE, t.clone())),
            );
        }
    }
    let mut writes = Vec::new();
    if !remove.is_empty() {
        writes.push(GraphWrite {
            name: records_graph(&source.id),
            change: GraphChange::Remove(remove),
            registration: Some(info.clone()),
            content_hash: None,
        });
    }
    writes.push(GraphWrite {
        name: records_graph(&source.id),
        change: GraphChange::Add(add),
        registration: Some(info),
        content_hash: None,
    });
    writes
}

/// Sets (`Some`) or clears (`None`) the `dm:missingSince` of a record.
pub fn set_missing(
    store: &Store,
    source: &Source,
    record: &str,
    old: Option<&Term>,
    new: Option<Literal>,
) -> Result<(), HarvestError> {
    let record = NamedNode::new_unchecked(record);
    let info = GraphInfo::owned(Access::Staff, Some(source.org.clone()));
    let mut writes = Vec::new();
    if let Some(old) = old {
        writes.push(GraphWrite {
            name: records_graph(&source.id),
            change: GraphChange::Remove(vec![Triple::new(record.clone(), dm::MISSING_SINCE, old.clone())]),
            registration: Some(info.clone()),
            content_hash: None,
        });
    }
    if let Some(new) = new {
        writes.push(GraphWrite {
            name: records_graph(&source.id),
            change: GraphChange::Add(vec![Triple::new(record, dm::MISSING_SINCE, new)]),
            registration: Some(info),
            content_hash: None,
        });
    }
    store.write(&writes)?;
    Ok(())
}

/// The last runs of a source, newest first.
pub fn runs(store: &Store, id: &str) -> Result<Vec<RunReport>, HarvestError> {
    let mut runs: Vec<RunReport> = store
        .graph_triples(runs_graph(id).as_ref())?
        .into_iter()
        .filter(|t| t.predicate == dm::RUN_REPORT)
        .filter_map(|t| match t.object {
            Term::Literal(l) => serde_json::from_str(l.value()).ok(),
            _ => None,
        })
        .collect();
    runs.sort_by(|a: &RunReport, b| b.started_unix.cmp(&a.started_unix).then(b.run.cmp(&a.run)));
    Ok(runs)
}

/// Stores a run's report, keeping the last [`KEPT_RUNS`].
pub fn save_run(store: &Store, source: &Source, report: &RunReport) -> Result<(), HarvestError> {
    let mut all = runs(store, &source.id)?;
    all.insert(0, report.clone());
    all.truncate(KEPT_RUNS);
    let mut triples = Vec::new();
    for run in &all {
        let node = NamedNode::new_unchecked(format!("urn:danhmuc:harvest:{}:run:{}", source.id, run.run));
        let json = serde_json::to_string(run).map_err(|e| HarvestError::Client(e.to_string()))?;
        triples.push(Triple::new(node.clone(), rdf::TYPE, dm::HARVEST_RUN));
        triples.push(Triple::new(node.clone(), dm::HARVESTED_FROM, names::harvest_source(&source.id)));
        triples.push(Triple::new(
            node.clone(),
            dct::CREATED,
            Literal::new_typed_literal(&run.started, xsd::DATE_TIME),
        ));
        triples.push(Triple::new(node, dm::RUN_REPORT, Literal::new_simple_literal(json)));
    }
    store.write(&[GraphWrite {
        name: runs_graph(&source.id),
        change: GraphChange::Replace(triples),
        registration: Some(GraphInfo::owned(Access::Staff, Some(source.org.clone()))),
        content_hash: None,
    }])?;
    Ok(())
}
