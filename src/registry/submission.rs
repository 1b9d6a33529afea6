//! Reading a submission: parse the RDF, find its one main resource, give it its IRI.
//!
//! A submission describes one main resource (typed with a record class) and what hangs off it
//! (distributions, contact point…). Its subject may be a blank node or a relative IRI (the registry
//! mints `{base}{segment}/{id}`), an IRI under our base, or the publisher's own persistent HTTP IRI,
//! kept as is (with a `dct:identifier`).

use super::kind::Kind;
use crate::rdf::ns::dct;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use rustc_hash::FxHashSet;

/// Relative IRIs of a submission are resolved against this placeholder, then rewritten under the
/// record's IRI. `.invalid` is reserved (RFC 2606): it can never be a real IRI of anyone's.
pub const PLACEHOLDER: &str = "https://submission.danhmuc.invalid/";

/// Why a submission cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum SubmissionError {
    /// The RDF does not parse.
    #[error("the body is not valid {format}: {message}")]
    Syntax {
        /// The syntax it was read as.
        format: RdfFormat,
        /// `LINE:COL: what`.
        message: String,
    },
    /// Nothing in it is a record.
    #[error(
        "no main resource: the body describes nothing typed dcat:Dataset, dcat:DataService, dcat:DatasetSeries, dcat:Catalog, skos:ConceptScheme or dct:Standard"
    )]
    NoMainResource,
    /// Several things in it are records.
    #[error(
        "several main resources: {0}; send one record per request, or a catalogue to POST /api/catalogues"
    )]
    SeveralMainResources(String),
    /// The main resource has a relative IRI with an unusable form, or a non-HTTP IRI.
    #[error("{0}")]
    BadIri(String),
}

/// A parsed submission.
#[derive(Debug, Clone)]
pub struct Submission {
    /// Its triples (relative IRIs resolved against [`PLACEHOLDER`]).
    pub triples: Vec<Triple>,
    /// The main resource as written.
    pub main: NamedOrBlankNode,
    /// Its kind.
    pub kind: Kind,
}

/// Parses a submission body.
pub fn parse(format: RdfFormat, body: &[u8]) -> Result<Vec<Triple>, SubmissionError> {
    let parser = RdfParser::from_format(format)
        .with_base_iri(PLACEHOLDER)
        .map_err(|e| SubmissionError::BadIri(e.to_string()))?;
    parser.for_slice(body).map(|q| q.map(Triple::from)).collect::<Result<Vec<_>, _>>().map_err(|e| {
        SubmissionError::Syntax { format, message: crate::rdf::io::describe_parse_error(&e.into()) }
    })
}

/// The record-typed subjects of some triples, with their kinds, in order of first appearance.
/// Linear in the number of triples.
pub fn record_resources(triples: &[Triple]) -> Vec<(NamedOrBlankNode, Kind)> {
    let mut order: Vec<&NamedOrBlankNode> = Vec::new();
    let mut classes: rustc_hash::FxHashMap<&NamedOrBlankNode, Vec<oxigraph::model::NamedNodeRef<'_>>> =
        rustc_hash::FxHashMap::default();
    for t in triples {
        if let (Term::NamedNode(c), true) = (&t.object, t.predicate == rdf::TYPE) {
            let entry = classes.entry(&t.subject).or_insert_with(|| {
                order.push(&t.subject);
                Vec::new()
            });
            entry.push(c.as_ref());
        }
    }
    order
        .into_iter()
        .filter_map(|subject| {
            Kind::of_classes(classes.get(subject).map_or(&[][..], Vec::as_slice))
                .map(|kind| (subject.clone(), kind))
        })
        .collect()
}

/// Finds the one main resource of a submission.
pub fn main_resource(triples: Vec<Triple>) -> Result<Submission, SubmissionError> {
    let mut candidates = record_resources(&triples);
    if candidates.len() > 1 {
        // A record the submission merely mentions as the object of another one (a service serving a
        // dataset it also types) is not a main resource.
        let mentioned: FxHashSet<&Term> =
            triples.iter().filter(|t| Term::from(t.subject.clone()) != t.object).map(|t| &t.object).collect();
        candidates.retain(|(c, _)| !mentioned.contains(&Term::from(c.clone())));
    }
    match candidates.len() {
        0 => Err(SubmissionError::NoMainResource),
        1 => {
            let (main, kind) = candidates.remove(0);
            Ok(Submission { triples, main, kind })
        }
        _ => Err(SubmissionError::SeveralMainResources(
            candidates.iter().map(|(c, k)| format!("{c} ({k})")).collect::<Vec<_>>().join(", "),
        )),
    }
}

/// Cuts a catalogue document into one submission per dataset, series and data service: each gets
/// everything reachable from it (distributions, contact points, agents described inline…), stopping
/// at other records. The catalogue node itself is not a submission.
pub fn split_catalogue(triples: &[Triple]) -> Vec<Submission> {
    split_catalogue_bounded(triples, usize::MAX).into_iter().filter_map(Result::ok).collect()
}

/// A record whose cut-out description is larger than the bound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge {
    /// The record as the document names it.
    pub main: NamedOrBlankNode,
    /// Its kind.
    pub kind: Kind,
    /// The bound it passed.
    pub limit: usize,
}

/// [`split_catalogue`] with at most `max_triples` triples per record: a record whose reachable
/// description is larger stops being cut at the bound and is answered as [`TooLarge`], so that a
/// hostile document (every dataset reaching a million shared nodes) costs at most
/// `records × max_triples`. Linear in the document apart from that bound.
pub fn split_catalogue_bounded(triples: &[Triple], max_triples: usize) -> Vec<Result<Submission, TooLarge>> {
    let records: Vec<(NamedOrBlankNode, Kind)> = record_resources(triples)
        .into_iter()
        .filter(|(_, k)| *k != Kind::Catalog && *k != Kind::Standard)
        .collect();
    let record_set: FxHashSet<&NamedOrBlankNode> = records.iter().map(|(r, _)| r).collect();
    let mut by_subject: rustc_hash::FxHashMap<&NamedOrBlankNode, Vec<&Triple>> =
        rustc_hash::FxHashMap::default();
    for t in triples {
        by_subject.entry(&t.subject).or_default().push(t);
    }
    records
        .iter()
        .map(|(main, kind)| {
            let mut seen: FxHashSet<&NamedOrBlankNode> = FxHashSet::default();
            let mut queue = vec![main];
            let mut cut = Vec::new();
            while let Some(node) = queue.pop() {
                if !seen.insert(node) {
                    continue;
                }
                for t in by_subject.get(node).into_iter().flatten() {
                    if cut.len() >= max_triples {
                        return Err(TooLarge { main: main.clone(), kind: *kind, limit: max_triples });
                    }
                    cut.push((*t).clone());
                    let next: Option<NamedOrBlankNode> = match &t.object {
                        Term::NamedNode(n) => Some(n.clone().into()),
                        Term::BlankNode(b) => Some(b.clone().into()),
                        Term::Literal(_) => None,
                    };
                    if let Some(next) = next
                        && !record_set.contains(&next)
                        && t.predicate != rdf::TYPE
                        && let Some((key, _)) = by_subject.get_key_value(&next)
                    {
                        queue.push(key);
                    }
                }
            }
            Ok(Submission { triples: cut, main: main.clone(), kind: *kind })
        })
        .collect()
}

/// Whether the submission leaves the IRI to the registry (blank node or relative IRI).
pub fn needs_minting(main: &NamedOrBlankNode) -> bool {
    match main {
        NamedOrBlankNode::BlankNode(_) => true,
        NamedOrBlankNode::NamedNode(n) => n.as_str().starts_with(PLACEHOLDER),
    }
}

/// Rewrites the submission so that its main resource is `record` and its other relative IRIs live
/// under it (`<#dist-1>` → `{record}#dist-1`). Adds `dct:identifier` when the record has none.
pub fn settle(submission: &Submission, record: &NamedNode, identifier: &str) -> Vec<Triple> {
    let main_relative = match &submission.main {
        NamedOrBlankNode::NamedNode(n) if n.as_str().starts_with(PLACEHOLDER) => Some(n.as_str().to_owned()),
        _ => None,
    };
    let rewrite_iri = |n: &NamedNode| -> NamedNode {
        let Some(rest) = n.as_str().strip_prefix(PLACEHOLDER) else { return n.clone() };
        if main_relative.as_deref() == Some(n.as_str()) || rest.is_empty() {
            return record.clone();
        }
        if let Some(main) = main_relative.as_deref().and_then(|m| m.strip_prefix(PLACEHOLDER))
            && let Some(fragment) = rest.strip_prefix(main).filter(|f| f.starts_with('#'))
        {
            return NamedNode::new_unchecked(format!("{}{fragment}", record.as_str()));
        }
        let local: String = rest
            .trim_start_matches('#')
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
            .collect();
        NamedNode::new_unchecked(format!("{}#{local}", record.as_str()))
    };
    let subject = |s: &NamedOrBlankNode| -> NamedOrBlankNode {
        match s {
            NamedOrBlankNode::BlankNode(_) if *s == submission.main => record.clone().into(),
            NamedOrBlankNode::NamedNode(n) => rewrite_iri(n).into(),
            other => other.clone(),
        }
    };
    let object = |o: &Term| -> Term {
        match o {
            Term::BlankNode(b) if NamedOrBlankNode::from(b.clone()) == submission.main => {
                record.clone().into()
            }
            Term::NamedNode(n) => rewrite_iri(n).into(),
            other => other.clone(),
        }
    };
    let mut triples: Vec<Triple> = submission
        .triples
        .iter()
        .map(|t| Triple::new(subject(&t.subject), rewrite_iri(&t.predicate), object(&t.object)))
        .collect();
    let has_identifier =
        triples.iter().any(|t| t.subject == record.clone().into() && t.predicate == dct::IDENTIFIER);
    if !has_identifier {
        triples.push(Triple::new(record.clone(), dct::IDENTIFIER, Literal::new_simple_literal(identifier)));
    }
    let mut seen = FxHashSet::default();
    triples.retain(|t| seen.insert(t.clone()));
    triples
}

/// A readable id from a title: ASCII, lowercase, hyphens, Vietnamese diacritics folded ("Hà Nội" →
/// "ha-noi"), at most 60 characters.
pub fn slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(fold_vietnamese) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= 60 {
            break;
        }
    }
    let slug = slug.trim_matches('-').to_owned();
    if slug.is_empty() { "record".to_owned() } else { slug }
}

/// Folds a Vietnamese letter to its base ASCII letter (`ệ` → `e`, `đ` → `d`); other characters pass.
pub fn fold_vietnamese(c: char) -> Option<char> {
    const GROUPS: [(&str, char); 14] = [
        ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", 'A'),
        ("èéẻẽẹêềếểễệ", 'e'),
        ("ÈÉẺẼẸÊỀẾỂỄỆ", 'E'),
        ("ìíỉĩị", 'i'),
        ("ÌÍỈĨỊ", 'I'),
        ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", 'O'),
        ("ùúủũụưừứửữự", 'u'),
        ("ÙÚỦŨỤƯỪỨỬỮỰ", 'U'),
        ("ỳýỷỹỵ", 'y'),
        ("ỲÝỶỸỴ", 'Y'),
        ("đ", 'd'),
        ("Đ", 'D'),
    ];
    Some(GROUPS.iter().find(|(group, _)| group.contains(c)).map_or(c, |(_, base)| *base))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_vietnamese() {
        assert_eq!(slug("Điểm Wi-Fi công cộng tại Hà Nội"), "diem-wi-fi-cong-cong-tai-ha-noi");
        assert_eq!(slug("  ***  "), "record");
        assert!(slug(&"ả".repeat(200)).len() <= 60);
    }

    #[test]
    fn a_blank_main_resource_gets_the_record_iri_and_relative_iris_live_under_it() {
        let body = br#"@prefix dcat: <http://www.w3.org/ns/dcat#> .
            @prefix dct: <http://purl.org/dc/terms/> .
            <> a dcat:Dataset ; dct:title "T"@vi ; dcat:distribution <#csv> .
            <#csv> a dcat:Distribution ."#;
        let submission = main_resource(parse(RdfFormat::Turtle, body).expect("parses")).expect("one main");
        assert_eq!(submission.kind, Kind::Dataset);
        assert!(needs_minting(&submission.main));
        let record = NamedNode::new_unchecked("http://r.example/dataset/t");
        let settled = settle(&submission, &record, "t");
        let text: Vec<String> = settled.iter().map(ToString::to_string).collect();
        assert!(text.iter().any(|t| t.starts_with("<http://r.example/dataset/t> <http://www.w3.org/ns/dcat#distribution> <http://r.example/dataset/t#csv>")), "{text:?}");
        assert!(text.iter().any(|t| t.contains("identifier")), "an identifier is added");
        assert!(!text.iter().any(|t| t.contains(PLACEHOLDER)));
    }

    #[test]
    fn a_catalogue_is_cut_into_one_submission_per_record() {
        let body = br#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
            <http://x.example/c> a dcat:Catalog ; dcat:dataset <http://x.example/d1>, <http://x.example/d2> ; dcat:service <http://x.example/s> .
            <http://x.example/d1> a dcat:Dataset ; dct:title "1" ; dcat:distribution [ a dcat:Distribution ; dcat:accessURL <http://x.example/f1> ] .
            <http://x.example/d2> a dcat:Dataset ; dct:title "2" ; dct:relation <http://x.example/d1> .
            <http://x.example/s> a dcat:DataService ; dcat:servesDataset <http://x.example/d1> ."#;
        let triples = parse(RdfFormat::Turtle, body).expect("parses");
        let parts = split_catalogue(&triples);
        assert_eq!(parts.len(), 3);
        let d1 = parts.iter().find(|p| p.main.to_string() == "<http://x.example/d1>").expect("d1");
        assert_eq!(d1.triples.len(), 5, "d1 with its distribution: {:?}", d1.triples);
        let d2 = parts.iter().find(|p| p.main.to_string() == "<http://x.example/d2>").expect("d2");
        assert_eq!(d2.triples.len(), 3, "d2 stops at d1");
    }

    #[test]
    fn zero_or_several_main_resources_are_refused() {
        let none =
            parse(RdfFormat::Turtle, b"<http://x.example/a> <http://x.example/p> 1 .").expect("parses");
        assert!(matches!(main_resource(none), Err(SubmissionError::NoMainResource)));
        let two = parse(
            RdfFormat::Turtle,
            b"@prefix dcat: <http://www.w3.org/ns/dcat#> . <http://x.example/a> a dcat:Dataset . <http://x.example/b> a dcat:Dataset .",
        )
        .expect("parses");
        assert!(matches!(main_resource(two), Err(SubmissionError::SeveralMainResources(_))));
        let service = parse(
            RdfFormat::Turtle,
            b"@prefix dcat: <http://www.w3.org/ns/dcat#> . <http://x.example/s> a dcat:DataService ; dcat:servesDataset <http://x.example/d> . <http://x.example/d> a dcat:Dataset .",
        )
        .expect("parses");
        assert_eq!(main_resource(service).expect("the service").kind, Kind::Service);
    }
}
