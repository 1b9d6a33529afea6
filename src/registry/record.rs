//! What the registry knows of a record (kept in memory, mirrored in the record's metadata graph
//! `urn:danhmuc:meta:{id}` whose access is the record's own, so registry facts are queryable over
//! SPARQL by exactly those who may see the record).

use super::kind::Kind;
use super::lifecycle::Status;
use crate::rdf::ns::{access_right, dct, dm, prov};
use crate::store::{Access, GraphInfo};
use oxigraph::model::vocab::xsd;
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, Term, Triple};
use oxsdatatypes::DateTime;
use std::str::FromStr;

/// The access class a record's `dct:accessRights` (EU access-right table) asks for: `PUBLIC` →
/// everyone, `RESTRICTED` → authenticated organisations, anything else (`NON_PUBLIC`…) → its owner and
/// staff. A record without access rights (a publisher, a code list) describes public matters.
pub fn rights_of(record: NamedNodeRef<'_>, triples: &[Triple]) -> Access {
    let rights = triples
        .iter()
        .find(|t| t.subject.as_ref() == record.into() && t.predicate == dct::ACCESS_RIGHTS)
        .map(|t| &t.object);
    match rights {
        None => Access::Public,
        Some(Term::NamedNode(n)) if n.as_ref() == access_right::PUBLIC => Access::Public,
        Some(Term::NamedNode(n)) if n.as_ref() == access_right::RESTRICTED => Access::Restricted,
        Some(_) => Access::Private,
    }
}

/// One accepted change of a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    /// 1, 2, 3…
    pub number: u32,
    /// When it was accepted.
    pub created: DateTime,
    /// Who made it (`urn:danhmuc:token:{id}` or `urn:danhmuc:actor:system`).
    pub author: NamedNode,
}

/// A record as the registry knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The registry's id (the last segment of minted IRIs).
    pub id: String,
    /// The main resource's IRI, also the name of the graph holding the record.
    pub iri: NamedNode,
    /// What it describes.
    pub kind: Kind,
    /// Its status.
    pub status: Status,
    /// The organisation that owns it.
    pub owner: NamedNode,
    /// Access class from its `dct:accessRights` (before the status is taken into account).
    pub rights: Access,
    /// Registration order: stable paging never depends on modification dates.
    pub sequence: u64,
    /// Canonical hash of the current content (RDFC-1.0, SHA-256): the ETag.
    pub etag: String,
    /// When it was first submitted.
    pub submitted: DateTime,
    /// When it was first accepted (experimental or stable).
    pub accepted: Option<DateTime>,
    /// When the registry last changed it (content or status).
    pub modified: DateTime,
    /// Its successor, once superseded.
    pub successor: Option<NamedNode>,
    /// The record it supersedes.
    pub predecessor: Option<NamedNode>,
    /// Every version, oldest first.
    pub versions: Vec<Version>,
}

/// Namespaces of registry-internal names.
pub mod names {
    use oxigraph::model::NamedNode;

    /// The metadata graph of a record.
    pub fn meta_graph(id: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("urn:danhmuc:meta:{id}"))
    }

    /// The graph holding version `n` of a record.
    pub fn version_graph(id: &str, n: u32) -> NamedNode {
        NamedNode::new_unchecked(format!("urn:danhmuc:version:{id}:{n}"))
    }

    /// The graph holding the last validation report of a record.
    pub fn report_graph(id: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("urn:danhmuc:report:{id}"))
    }

    /// A token as an actor.
    pub fn token(id: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("urn:danhmuc:token:{id}"))
    }

    /// The registry itself as an actor (demo content, harvests).
    pub fn system() -> NamedNode {
        NamedNode::new_unchecked("urn:danhmuc:actor:system")
    }

    /// A harvest source, as an actor and as the subject of its settings.
    pub fn harvest_source(id: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("urn:danhmuc:harvest:{id}"))
    }
}

impl Record {
    /// Who may see the record: its access rights, except that `submitted` and `invalid` records are
    /// seen only by their owner and staff.
    pub fn graph_info(&self) -> GraphInfo {
        let access = if self.status.is_public_facing() { self.rights } else { Access::Private };
        GraphInfo::owned(access, Some(self.owner.clone()))
    }

    /// Whether `viewer` may see the record (the same decision as `graph_info`, without building one).
    pub fn visible_to(&self, viewer: &crate::store::Viewer) -> bool {
        let access = if self.status.is_public_facing() { self.rights } else { Access::Private };
        viewer.may_see_class(access, Some(&self.owner))
    }

    /// The current version number.
    pub fn version(&self) -> u32 {
        self.versions.last().map_or(0, |v| v.number)
    }

    /// The version current at `time`, if the record existed then.
    pub fn version_at(&self, time: &DateTime) -> Option<&Version> {
        self.versions.iter().rev().find(|v| v.created <= *time)
    }

    /// The record's metadata as RDF (its metadata graph).
    pub fn to_triples(&self) -> Vec<Triple> {
        let s = &self.iri;
        let date = |d: &DateTime| Literal::new_typed_literal(d.to_string(), xsd::DATE_TIME);
        let mut triples = vec![
            Triple::new(s.clone(), dm::RECORD_ID, Literal::new_simple_literal(&self.id)),
            Triple::new(s.clone(), dm::RECORD_KIND, Literal::new_simple_literal(self.kind.name())),
            Triple::new(s.clone(), dm::STATUS, self.status.iri()),
            Triple::new(s.clone(), dm::OWNER, self.owner.clone()),
            Triple::new(s.clone(), dm::ACCESS_CLASS, self.rights.iri()),
            Triple::new(
                s.clone(),
                dm::SEQUENCE,
                Literal::from(i64::try_from(self.sequence).unwrap_or(i64::MAX)),
            ),
            Triple::new(s.clone(), dm::VERSION, Literal::from(i64::from(self.version()))),
            Triple::new(s.clone(), dm::ETAG, Literal::new_simple_literal(&self.etag)),
            Triple::new(s.clone(), dct::DATE_SUBMITTED, date(&self.submitted)),
            Triple::new(s.clone(), dm::REGISTRY_MODIFIED, date(&self.modified)),
        ];
        if let Some(accepted) = &self.accepted {
            triples.push(Triple::new(s.clone(), dct::DATE_ACCEPTED, date(accepted)));
        }
        if let Some(successor) = &self.successor {
            triples.push(Triple::new(s.clone(), dct::IS_REPLACED_BY, successor.clone()));
        }
        if let Some(predecessor) = &self.predecessor {
            triples.push(Triple::new(s.clone(), dct::REPLACES, predecessor.clone()));
        }
        let mut previous: Option<NamedNode> = None;
        for version in &self.versions {
            let v = names::version_graph(&self.id, version.number);
            triples.push(Triple::new(s.clone(), dm::HAS_VERSION, v.clone()));
            triples.push(Triple::new(v.clone(), dm::VERSION, Literal::from(i64::from(version.number))));
            triples.push(Triple::new(v.clone(), dct::CREATED, date(&version.created)));
            triples.push(Triple::new(v.clone(), dm::SUBMITTED_BY, version.author.clone()));
            if let Some(p) = previous {
                triples.push(Triple::new(v.clone(), prov::WAS_REVISION_OF, p));
            }
            previous = Some(v);
        }
        if let Some(last) = self.versions.last() {
            triples.push(Triple::new(s.clone(), dm::SUBMITTED_BY, last.author.clone()));
        }
        triples
    }

    /// Reads a record back from its metadata graph.
    pub fn from_triples(iri: &NamedNode, triples: &[Triple]) -> Option<Self> {
        let value = |p: NamedNodeRef<'_>| {
            triples.iter().find(|t| t.subject == iri.clone().into() && t.predicate == p).map(|t| &t.object)
        };
        let text = |p| match value(p) {
            Some(Term::Literal(l)) => Some(l.value().to_owned()),
            _ => None,
        };
        let node = |p| match value(p) {
            Some(Term::NamedNode(n)) => Some(n.clone()),
            _ => None,
        };
        let time = |p| text(p).and_then(|t| DateTime::from_str(&t).ok());
        let id = text(dm::RECORD_ID)?;
        let mut versions: Vec<Version> = triples
            .iter()
            .filter(|t| t.subject == iri.clone().into() && t.predicate == dm::HAS_VERSION)
            .filter_map(|t| {
                let Term::NamedNode(v) = &t.object else { return None };
                let of = |p: NamedNodeRef<'_>| {
                    triples
                        .iter()
                        .find(|t| t.subject == v.clone().into() && t.predicate == p)
                        .map(|t| &t.object)
                };
                let number = match of(dm::VERSION) {
                    Some(Term::Literal(l)) => l.value().parse().ok()?,
                    _ => return None,
                };
                let created = match of(dct::CREATED) {
                    Some(Term::Literal(l)) => DateTime::from_str(l.value()).ok()?,
                    _ => return None,
                };
                let author = match of(dm::SUBMITTED_BY) {
                    Some(Term::NamedNode(n)) => n.clone(),
                    _ => names::system(),
                };
                Some(Version { number, created, author })
            })
            .collect();
        versions.sort_by_key(|v| v.number);
        Some(Self {
            id,
            iri: iri.clone(),
            kind: text(dm::RECORD_KIND)?.parse().ok()?,
            status: node(dm::STATUS).and_then(|s| Status::from_iri(s.as_str()))?,
            owner: node(dm::OWNER)?,
            rights: value(dm::ACCESS_CLASS).and_then(Access::from_term)?,
            sequence: text(dm::SEQUENCE)?.parse().ok()?,
            etag: text(dm::ETAG)?,
            submitted: time(dct::DATE_SUBMITTED)?,
            accepted: time(dct::DATE_ACCEPTED),
            modified: time(dm::REGISTRY_MODIFIED)?,
            successor: node(dct::IS_REPLACED_BY),
            predecessor: node(dct::REPLACES),
            versions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_round_trips_through_rdf() {
        let now = DateTime::now();
        let record = Record {
            id: "dan-so".into(),
            iri: NamedNode::new_unchecked("http://r.example/dataset/dan-so"),
            kind: Kind::Dataset,
            status: Status::Stable,
            owner: NamedNode::new_unchecked("http://r.example/publisher/gso"),
            rights: Access::Restricted,
            sequence: 7,
            etag: "abc".into(),
            submitted: now,
            accepted: Some(now),
            modified: now,
            successor: None,
            predecessor: Some(NamedNode::new_unchecked("http://r.example/dataset/old")),
            versions: vec![
                Version { number: 1, created: now, author: names::system() },
                Version { number: 2, created: now, author: names::token("abc") },
            ],
        };
        assert_eq!(Record::from_triples(&record.iri, &record.to_triples()), Some(record));
    }
}
