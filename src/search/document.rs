//! What the search index keeps of a record: folded text to match, facet values to filter and count,
//! sort keys, and the few stored fields a result line shows. Built from the record's current graph
//! alone (no store access), so it is the same at every rebuild.

use super::{FACETS, Facet, Rating};
use crate::rdf::ns::{dcat, dct, foaf, skos};
use crate::registry::kind::Kind;
use crate::registry::lifecycle::Status;
use crate::registry::record::Record;
use crate::standards::search::fold;
use crate::store::Access;
use oxigraph::model::{NamedNodeRef, NamedOrBlankNode, Term, Triple};
use sha2::{Digest, Sha256};

/// Bumped whenever what is indexed changes: every record is then indexed anew.
const SCHEMA_VERSION: &str = "2";

/// The longest description kept for a result line, in characters.
const SUMMARY_CHARS: usize = 300;

/// One record as the index sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The registry id.
    pub id: String,
    /// The main resource.
    pub iri: String,
    /// What it describes.
    pub kind: Kind,
    /// Its status.
    pub status: Status,
    /// Who may see it (the record's access, its status taken into account).
    pub access: Access,
    /// The owning organisation.
    pub owner: String,
    /// The MQA rating of a dataset.
    pub rating: Option<Rating>,
    /// What the record's state was when indexed (see [`stamp`]).
    pub stamp: u64,
    /// Titles by language tag (`""` for none).
    pub titles: Vec<(String, String)>,
    /// Descriptions by language tag.
    pub descriptions: Vec<(String, String)>,
    /// Keywords as written.
    pub keywords: Vec<String>,
    /// Facet values (IRIs, or plain values for formats given as text).
    pub facets: Vec<(Facet, String)>,
    /// `dct:modified`, else `dct:issued`, else when the registry last changed it (ISO 8601).
    pub modified: String,
}

/// A digest of everything about a record that its index entry depends on: when it differs from the
/// index's, the record is indexed again. `rating` is the dataset's MQA rating.
pub fn stamp(record: &Record, rating: Option<Rating>) -> u64 {
    let info = record.graph_info();
    let mut hash = Sha256::new();
    for part in [
        SCHEMA_VERSION,
        record.etag.as_str(),
        record.status.name(),
        info.access.iri().as_str(),
        record.owner.as_str(),
        rating.map_or("", Rating::id),
    ] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    let digest = hash.finalize();
    u64::from_le_bytes(digest[..8].try_into().unwrap_or_default())
}

/// Whether records of this kind and status are searched at all (withdrawn records and an agency's
/// own catalogue records are not).
pub fn indexed(record: &Record) -> bool {
    record.status != Status::Retired && record.kind != Kind::Catalog
}

/// The index entry of a record, from its current content and (for a dataset) its MQA rating. `None`
/// when it is not indexed.
pub fn document(record: &Record, content: &[Triple], rating: Option<Rating>) -> Option<Document> {
    if !indexed(record) {
        return None;
    }
    let main = NamedOrBlankNode::NamedNode(record.iri.clone());
    let objects =
        |subject: &NamedOrBlankNode, predicate: NamedNodeRef<'_>| objects(content, subject, predicate);
    let literals = |predicates: &[NamedNodeRef<'_>]| -> Vec<(String, String)> {
        let mut out = Vec::new();
        for predicate in predicates {
            for object in objects(&main, *predicate) {
                if let Term::Literal(l) = object {
                    out.push((l.language().unwrap_or("").to_owned(), l.value().to_owned()));
                }
            }
        }
        out
    };
    let titles = literals(&[dct::TITLE, foaf::NAME, skos::PREF_LABEL]);
    let descriptions = literals(&[dct::DESCRIPTION]);
    let keywords = literals(&[dcat::KEYWORD]).into_iter().map(|(_, k)| k).collect();

    let mut facets = Vec::new();
    let mut push = |facet: Facet, value: String| {
        if !value.is_empty() && !facets.iter().any(|(f, v)| *f == facet && *v == value) {
            facets.push((facet, value));
        }
    };
    let iri_or_text = |term: &Term| match term {
        Term::NamedNode(n) => Some(n.as_str().to_owned()),
        Term::Literal(l) => Some(l.value().trim().to_owned()),
        _ => None,
    };
    let publisher = objects(&main, dct::PUBLISHER).find_map(|t| match t {
        Term::NamedNode(n) => Some(n.as_str().to_owned()),
        _ => None,
    });
    push(Facet::Publisher, publisher.unwrap_or_else(|| record.owner.as_str().to_owned()));
    for (facet, predicate) in [
        (Facet::Theme, dcat::THEME),
        (Facet::Spatial, dct::SPATIAL),
        (Facet::AccessRights, dct::ACCESS_RIGHTS),
        (Facet::License, dct::LICENSE),
    ] {
        for object in objects(&main, predicate) {
            if let Term::NamedNode(n) = object {
                push(facet, n.as_str().to_owned());
            }
        }
    }
    let distributions: Vec<NamedOrBlankNode> = objects(&main, dcat::DISTRIBUTION_PROP)
        .filter_map(|t| match t {
            Term::NamedNode(n) => Some(NamedOrBlankNode::NamedNode(n.clone())),
            Term::BlankNode(b) => Some(NamedOrBlankNode::BlankNode(b.clone())),
            _ => None,
        })
        .collect();
    for distribution in &distributions {
        let format = objects(distribution, dct::FORMAT)
            .chain(objects(distribution, dcat::MEDIA_TYPE))
            .find_map(iri_or_text);
        if let Some(format) = format {
            push(Facet::Format, format);
        }
        for object in objects(distribution, dct::LICENSE) {
            if let Term::NamedNode(n) = object {
                push(Facet::License, n.as_str().to_owned());
            }
        }
    }
    push(Facet::Status, record.status.name().to_owned());
    push(Facet::Kind, record.kind.name().to_owned());
    if let Some(rating) = rating {
        push(Facet::Rating, rating.id().to_owned());
    }
    debug_assert!(facets.iter().all(|(f, _)| FACETS.contains(f)));

    let date = |predicate| {
        objects(&main, predicate).find_map(|t| match t {
            Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        })
    };
    let modified =
        date(dct::MODIFIED).or_else(|| date(dct::ISSUED)).unwrap_or_else(|| record.modified.to_string());
    Some(Document {
        id: record.id.clone(),
        iri: record.iri.as_str().to_owned(),
        kind: record.kind,
        status: record.status,
        access: record.graph_info().access,
        owner: record.owner.as_str().to_owned(),
        rating,
        stamp: stamp(record, rating),
        titles,
        descriptions,
        keywords,
        facets,
        modified,
    })
}

/// The objects of `subject`'s `predicate`.
fn objects<'a>(
    content: &'a [Triple],
    subject: &NamedOrBlankNode,
    predicate: NamedNodeRef<'_>,
) -> impl Iterator<Item = &'a Term> + use<'a> {
    let subject = subject.clone();
    let predicate = predicate.into_owned();
    content.iter().filter(move |t| t.subject == subject && t.predicate == predicate).map(|t| &t.object)
}

impl Document {
    /// The title in `lang`, else in the other language, else any.
    pub fn title(&self, lang: &str) -> Option<&str> {
        pick(&self.titles, lang)
    }

    /// The title exactly in `lang` (or untagged, for Vietnamese).
    pub fn title_exact(&self, lang: &str) -> Option<&str> {
        exact(&self.titles, lang)
    }

    /// The description exactly in `lang`, cut to a summary.
    pub fn summary_exact(&self, lang: &str) -> Option<String> {
        exact(&self.descriptions, lang).map(summary)
    }

    /// Folded text of every title (what the `title` field matches).
    pub fn folded_titles(&self) -> String {
        join_folded(self.titles.iter().map(|(_, t)| t.as_str()))
    }

    /// Folded text of every keyword.
    pub fn folded_keywords(&self) -> String {
        join_folded(self.keywords.iter().map(String::as_str))
    }

    /// Folded text of every description.
    pub fn folded_descriptions(&self) -> String {
        join_folded(self.descriptions.iter().map(|(_, t)| t.as_str()))
    }

    /// The sort key of the title in `lang`: folded, so "Đà Nẵng" sorts with "Da…".
    pub fn title_key(&self, lang: &str) -> String {
        self.title(lang).map(fold).unwrap_or_default().chars().take(64).collect()
    }
}

fn exact<'a>(values: &'a [(String, String)], lang: &str) -> Option<&'a str> {
    values
        .iter()
        .find(|(l, _)| l == lang)
        .or_else(|| (lang == "vi").then(|| values.iter().find(|(l, _)| l.is_empty())).flatten())
        .map(|(_, v)| v.as_str())
}

fn pick<'a>(values: &'a [(String, String)], lang: &str) -> Option<&'a str> {
    exact(values, lang)
        .or_else(|| exact(values, if lang == "vi" { "en" } else { "vi" }))
        .or_else(|| values.first().map(|(_, v)| v.as_str()))
}

fn join_folded<'a>(texts: impl Iterator<Item = &'a str>) -> String {
    texts.map(fold).collect::<Vec<_>>().join(" \n ")
}

/// The first sentence or so of a description, on a character boundary.
fn summary(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= SUMMARY_CHARS {
        return text.to_owned();
    }
    let cut: String = text.chars().take(SUMMARY_CHARS).collect();
    let cut = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::record::Version;
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::NamedNode;
    use oxsdatatypes::DateTime;
    use std::str::FromStr;

    pub(crate) fn record(id: &str, kind: Kind, status: Status, rights: Access) -> Record {
        let now = DateTime::from_str("2026-01-02T03:04:05Z").unwrap_or_else(|_| unreachable!());
        Record {
            id: id.to_owned(),
            iri: NamedNode::new_unchecked(format!("http://registry.test/{}/{id}", kind.segment())),
            kind,
            status,
            owner: NamedNode::new_unchecked("http://registry.test/publisher/hanoi"),
            rights,
            sequence: 1,
            etag: "e1".into(),
            submitted: now,
            accepted: Some(now),
            modified: now,
            successor: None,
            predecessor: None,
            versions: vec![Version {
                number: 1,
                created: now,
                author: NamedNode::new_unchecked("urn:danhmuc:actor:system"),
            }],
        }
    }

    pub(crate) fn turtle(text: &str) -> Vec<Triple> {
        RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(text.as_bytes())
            .map(|q| q.map(Triple::from))
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{e}"))
    }

    const DATASET: &str = r#"
        @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <http://registry.test/dataset/d1> a dcat:Dataset ;
          dct:title "Dân số Hà Nội"@vi, "Population of Hanoi"@en ;
          dct:description "Số liệu dân số theo phường."@vi ;
          dcat:keyword "dân số", "thống kê" ;
          dct:publisher <http://registry.test/publisher/gso> ;
          dcat:theme <http://publications.europa.eu/resource/authority/data-theme/SOCI> ;
          dct:spatial <http://registry.test/place/hanoi> ;
          dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
          dct:modified "2025-03-01"^^<http://www.w3.org/2001/XMLSchema#date> ;
          dcat:distribution [ dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
                              dct:license <http://example.org/licence/cc-by> ],
                            [ dcat:mediaType <https://www.iana.org/assignments/media-types/text/csv> ] .
    "#;

    #[test]
    fn a_dataset_gives_its_text_facets_and_dates() {
        let r = record("d1", Kind::Dataset, Status::Stable, Access::Public);
        let doc = document(&r, &turtle(DATASET), Some(Rating::Good)).unwrap_or_else(|| panic!("indexed"));
        assert_eq!(doc.title("en"), Some("Population of Hanoi"));
        assert_eq!(doc.title("vi"), Some("Dân số Hà Nội"));
        assert_eq!(doc.folded_titles(), "dan so ha noi \n population of hanoi");
        assert_eq!(doc.folded_keywords(), "dan so \n thong ke");
        assert_eq!(doc.modified, "2025-03-01");
        assert_eq!(doc.title_key("vi"), "dan so ha noi");
        let values = |facet| {
            doc.facets.iter().filter(|(f, _)| *f == facet).map(|(_, v)| v.as_str()).collect::<Vec<_>>()
        };
        assert_eq!(values(Facet::Publisher), ["http://registry.test/publisher/gso"]);
        assert_eq!(
            values(Facet::Format),
            [
                "http://publications.europa.eu/resource/authority/file-type/CSV",
                "https://www.iana.org/assignments/media-types/text/csv"
            ]
        );
        assert_eq!(values(Facet::License), ["http://example.org/licence/cc-by"]);
        assert_eq!(values(Facet::Status), ["stable"]);
        assert_eq!(values(Facet::Kind), ["dataset"]);
        assert_eq!(values(Facet::Rating), ["good"]);
        assert_eq!(doc.access, Access::Public);
    }

    #[test]
    fn the_owner_is_the_publisher_without_dct_publisher_and_drafts_are_private() {
        let r = record("d2", Kind::Dataset, Status::Submitted, Access::Public);
        let doc = document(
            &r,
            &turtle(r#"<http://registry.test/dataset/d2> <http://purl.org/dc/terms/title> "X" ."#),
            None,
        )
        .unwrap_or_else(|| panic!("indexed"));
        assert!(doc.facets.contains(&(Facet::Publisher, "http://registry.test/publisher/hanoi".into())));
        assert_eq!(doc.access, Access::Private, "a submitted record is seen by its owner and staff only");
        assert_eq!(doc.modified, "2026-01-02T03:04:05Z");
    }

    #[test]
    fn withdrawn_records_are_not_indexed_and_a_status_or_rating_change_changes_the_stamp() {
        let mut r = record("d3", Kind::Dataset, Status::Retired, Access::Public);
        assert!(document(&r, &[], None).is_none());
        let retired = stamp(&r, None);
        r.status = Status::Stable;
        assert_ne!(stamp(&r, None), retired);
        assert!(document(&r, &[], None).is_some());
        assert_ne!(stamp(&r, Some(Rating::Bad)), stamp(&r, Some(Rating::Sufficient)));
        assert_ne!(stamp(&r, Some(Rating::Bad)), stamp(&r, None));
    }

    #[test]
    fn long_descriptions_are_cut_on_a_word() {
        let long = "từ ".repeat(200);
        let cut = summary(&long);
        assert!(cut.ends_with('…'));
        assert!(cut.chars().count() <= SUMMARY_CHARS + 1);
    }
}
