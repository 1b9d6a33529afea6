//! Scoring one dataset from its own graph, in Rust: no SPARQL, no store access. Vocabulary
//! membership comes from [`Vocabularies`] (built once from the catalogue's bundled terms), URL checks
//! from a look-up the caller gives.

use super::indicators::{COUNT, Dimension, INDICATORS, Level, MAX_POINTS, Rating};
use crate::catalog::Catalog;
use crate::rdf::ns::{dcat, dct, dm, dmq};
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

/// What an indicator found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// All its points.
    Passed,
    /// Some distributions pass, not all.
    Partial,
    /// No points.
    Failed,
    /// Needs a link check that has not been made yet: no points, and not a failure.
    Unknown,
}

impl State {
    /// Its concept in `vocab/quality.ttl`.
    pub fn iri(self) -> NamedNodeRef<'static> {
        match self {
            Self::Passed => dmq::PASSED,
            Self::Partial => dmq::PARTIAL,
            Self::Failed => dmq::FAILED,
            Self::Unknown => dmq::UNKNOWN,
        }
    }
}

/// One indicator's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Outcome {
    /// Points earned.
    pub earned: u8,
    /// Passed, partial, failed or unknown.
    pub state: State,
}

/// A dataset's assessment: one outcome per indicator, in [`INDICATORS`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Assessment {
    /// The outcomes.
    pub outcomes: [Outcome; COUNT],
}

impl Assessment {
    /// Total points (0–405).
    pub fn total(&self) -> u32 {
        self.outcomes.iter().map(|o| u32::from(o.earned)).sum()
    }

    /// Points per dimension, in [`Dimension::ALL`] order.
    pub fn dimensions(&self) -> [u32; 5] {
        let mut points = [0u32; 5];
        for (indicator, outcome) in INDICATORS.iter().zip(&self.outcomes) {
            points[indicator.dimension.index()] += u32::from(outcome.earned);
        }
        points
    }

    /// The rating band of the total.
    pub fn rating(&self) -> Rating {
        Rating::of(self.total())
    }

    /// Points still to earn from indicators that are not unknown (what a publisher can fix).
    pub fn missing(&self) -> u32 {
        INDICATORS
            .iter()
            .zip(&self.outcomes)
            .filter(|(_, o)| o.state != State::Unknown)
            .map(|(i, o)| i.points - u32::from(o.earned))
            .sum()
    }

    /// The most points the dataset could have once every unknown link check passes.
    pub fn possible(&self) -> u32 {
        MAX_POINTS - self.missing()
    }
}

/// The bundled vocabularies as the indicators need them: membership sets, built once.
#[derive(Debug, Default, Clone)]
pub struct Vocabularies {
    /// EU file types (`dct:MediaTypeOrExtent` terms).
    file_types: FxHashSet<String>,
    /// IANA media types (`dct:MediaType` terms).
    media_types: FxHashSet<String>,
    /// Licences (`dct:LicenseDocument` terms).
    licences: FxHashSet<String>,
    /// Access rights (`dct:RightsStatement` terms).
    access_rights: FxHashSet<String>,
    /// File types and media types that are machine readable.
    machine_readable: FxHashSet<String>,
    /// File types and media types that are not proprietary.
    non_proprietary: FxHashSet<String>,
}

impl Vocabularies {
    /// From the catalogue's bundled terms (types) and the triples of `vocab/file-type.ttl` and
    /// `vocab/quality.ttl` (a file type's IANA media type, the machine-readable and non-proprietary
    /// lists).
    pub fn new(catalog: &Catalog, file_types: &[Triple], quality: &[Triple]) -> Self {
        let mut v = Self::default();
        for (term, triples) in catalog.terms() {
            for t in triples {
                if t.predicate != oxigraph::model::vocab::rdf::TYPE {
                    continue;
                }
                let Term::NamedNode(class) = &t.object else { continue };
                let set = match class.as_str() {
                    "http://purl.org/dc/terms/MediaTypeOrExtent" => &mut v.file_types,
                    "http://purl.org/dc/terms/MediaType" => &mut v.media_types,
                    "http://purl.org/dc/terms/LicenseDocument" => &mut v.licences,
                    "http://purl.org/dc/terms/RightsStatement" => &mut v.access_rights,
                    _ => continue,
                };
                set.insert(term.as_str().to_owned());
            }
        }
        // A file type's media type shares its flags.
        let media_of: FxHashMap<&str, &str> = file_types
            .iter()
            .filter(|t| t.predicate == dm::MEDIA_TYPE)
            .filter_map(|t| match (&t.subject, &t.object) {
                (NamedOrBlankNode::NamedNode(s), Term::NamedNode(o)) => Some((s.as_str(), o.as_str())),
                _ => None,
            })
            .collect();
        for t in quality {
            let (NamedOrBlankNode::NamedNode(s), Term::Literal(l)) = (&t.subject, &t.object) else {
                continue;
            };
            if l.value() != "true" {
                continue;
            }
            let set = if t.predicate == dmq::MACHINE_READABLE {
                &mut v.machine_readable
            } else if t.predicate == dmq::NON_PROPRIETARY {
                &mut v.non_proprietary
            } else {
                continue;
            };
            set.insert(s.as_str().to_owned());
            if let Some(media) = media_of.get(s.as_str()) {
                set.insert((*media).to_owned());
            }
        }
        v
    }
}

/// A look-up of link-check results: `Some(true)` reachable, `Some(false)` not, `None` not checked.
pub type LinkLookup<'a> = &'a dyn Fn(&str) -> Option<bool>;

/// The triples of one subject, by predicate.
struct Node<'a> {
    props: Vec<(&'a NamedNode, &'a Term)>,
}

impl<'a> Node<'a> {
    fn has(&self, p: NamedNodeRef<'_>) -> bool {
        self.props.iter().any(|(q, _)| q.as_ref() == p)
    }

    fn values(&self, p: NamedNodeRef<'static>) -> impl Iterator<Item = &'a Term> + '_ {
        self.props.iter().filter(move |(q, _)| q.as_ref() == p).map(|(_, o)| *o)
    }

    fn iris(&self, p: NamedNodeRef<'static>) -> impl Iterator<Item = &'a str> + '_ {
        self.values(p).filter_map(|o| match o {
            Term::NamedNode(n) => Some(n.as_str()),
            _ => None,
        })
    }
}

/// The URLs of a dataset's distributions a link check looks at (access and download URLs).
pub fn urls_of(iri: &NamedNode, content: &[Triple]) -> Vec<String> {
    let dataset: NamedOrBlankNode = iri.clone().into();
    let distributions: FxHashSet<&Term> = content
        .iter()
        .filter(|t| t.subject == dataset && t.predicate == dcat::DISTRIBUTION_PROP)
        .map(|t| &t.object)
        .collect();
    let mut urls: Vec<String> = content
        .iter()
        .filter(|t| t.predicate == dcat::ACCESS_URL || t.predicate == dcat::DOWNLOAD_URL)
        .filter(|t| distributions.contains(&Term::from(t.subject.clone())))
        .filter_map(|t| match &t.object {
            Term::NamedNode(n) if n.as_str().starts_with("http://") || n.as_str().starts_with("https://") => {
                Some(n.as_str().to_owned())
            }
            _ => None,
        })
        .collect();
    urls.sort_unstable();
    urls.dedup();
    urls
}

/// Scores a dataset: `iri` is its main resource, `content` its graph, `compliant` whether it
/// conforms to the DCAT-AP-VN profile (the registry's validation on write), `links` the link checks.
pub fn assess(
    iri: &NamedNode,
    content: &[Triple],
    compliant: bool,
    vocab: &Vocabularies,
    links: LinkLookup<'_>,
) -> Assessment {
    let mut nodes: FxHashMap<&NamedOrBlankNode, Node<'_>> = FxHashMap::default();
    for t in content {
        nodes
            .entry(&t.subject)
            .or_insert_with(|| Node { props: Vec::new() })
            .props
            .push((&t.predicate, &t.object));
    }
    let empty = Node { props: Vec::new() };
    let dataset_subject: NamedOrBlankNode = iri.clone().into();
    let dataset = nodes.get(&dataset_subject).unwrap_or(&empty);
    let distributions: Vec<&Node<'_>> = {
        let mut seen = FxHashSet::default();
        dataset
            .values(dcat::DISTRIBUTION_PROP)
            .filter(|o| seen.insert(*o))
            .map(|o| match o {
                Term::NamedNode(n) => nodes.get(&NamedOrBlankNode::from(n.clone())).unwrap_or(&empty),
                Term::BlankNode(b) => nodes.get(&NamedOrBlankNode::from(b.clone())).unwrap_or(&empty),
                _ => &empty,
            })
            .collect()
    };
    let formats = |d: &Node<'_>| -> Vec<String> {
        d.iris(dct::FORMAT).chain(d.iris(dcat::MEDIA_TYPE)).map(str::to_owned).collect::<Vec<_>>()
    };
    let in_set = |set: &FxHashSet<String>, d: &Node<'_>| formats(d).iter().any(|f| set.contains(f));
    // A URL indicator for one distribution: passed, failed or unknown.
    let url_state = |urls: Vec<&str>| -> State {
        if urls.is_empty() {
            return State::Failed;
        }
        let mut unknown = false;
        for url in urls {
            match links(url) {
                Some(true) => return State::Passed,
                Some(false) => {}
                None => unknown = true,
            }
        }
        if unknown { State::Unknown } else { State::Failed }
    };
    let mut outcomes = [Outcome { earned: 0, state: State::Failed }; COUNT];
    for (slot, indicator) in outcomes.iter_mut().zip(INDICATORS.iter()) {
        let dataset_check = |pass: bool| if pass { State::Passed } else { State::Failed };
        let state_per_distribution: Vec<State> = match indicator.level {
            Level::Dataset => Vec::new(),
            Level::Distribution => distributions
                .iter()
                .map(|d| match indicator.id {
                    "accessUrlAccessibility" => url_state(d.iris(dcat::ACCESS_URL).collect()),
                    "downloadUrl" => dataset_check(d.has(dcat::DOWNLOAD_URL)),
                    "downloadUrlAccessibility" => url_state(d.iris(dcat::DOWNLOAD_URL).collect()),
                    "format" => dataset_check(d.has(dct::FORMAT)),
                    "mediaType" => dataset_check(d.has(dcat::MEDIA_TYPE)),
                    "formatMediaTypeVocabulary" => dataset_check(
                        d.iris(dct::FORMAT).any(|f| vocab.file_types.contains(f))
                            || d.iris(dcat::MEDIA_TYPE).any(|m| vocab.media_types.contains(m)),
                    ),
                    "nonProprietary" => dataset_check(in_set(&vocab.non_proprietary, d)),
                    "machineReadable" => dataset_check(in_set(&vocab.machine_readable, d)),
                    "licence" => dataset_check(d.has(dct::LICENSE)),
                    "licenceVocabulary" => {
                        dataset_check(d.iris(dct::LICENSE).any(|l| vocab.licences.contains(l)))
                    }
                    "rights" => dataset_check(d.has(dct::RIGHTS)),
                    "byteSize" => dataset_check(d.has(dcat::BYTE_SIZE)),
                    _ => State::Failed,
                })
                .collect(),
        };
        *slot = match indicator.level {
            Level::Dataset => {
                let pass = match indicator.id {
                    "keywordUsage" => dataset.has(dcat::KEYWORD),
                    "categories" => dataset.has(dcat::THEME),
                    "geoSearch" => dataset.has(dct::SPATIAL),
                    "timeBasedSearch" => dataset.has(dct::TEMPORAL),
                    "dcatApCompliance" => compliant,
                    "accessRestrictions" => dataset.has(dct::ACCESS_RIGHTS),
                    "accessRestrictionsVocabulary" => {
                        dataset.iris(dct::ACCESS_RIGHTS).any(|a| vocab.access_rights.contains(a))
                    }
                    "contactPoint" => dataset.has(dcat::CONTACT_POINT),
                    "publisher" => dataset.has(dct::PUBLISHER),
                    "dateOfIssue" => dataset.has(dct::ISSUED),
                    "modificationDate" => dataset.has(dct::MODIFIED),
                    _ => false,
                };
                let points = u8::try_from(indicator.points).unwrap_or(u8::MAX);
                if pass {
                    Outcome { earned: points, state: State::Passed }
                } else {
                    Outcome { earned: 0, state: State::Failed }
                }
            }
            Level::Distribution => share(indicator.points, &state_per_distribution),
        };
    }
    Assessment { outcomes }
}

/// A distribution-level outcome: unknown when any distribution's check is unknown; otherwise the
/// points times the share that passed, rounded to the nearest point.
fn share(points: u32, states: &[State]) -> Outcome {
    if states.contains(&State::Unknown) {
        return Outcome { earned: 0, state: State::Unknown };
    }
    let total = states.len() as u32;
    let passed = states.iter().filter(|s| **s == State::Passed).count() as u32;
    if total == 0 || passed == 0 {
        return Outcome { earned: 0, state: State::Failed };
    }
    let earned = (points * passed * 2 + total) / (total * 2);
    let state = if passed == total { State::Passed } else { State::Partial };
    Outcome { earned: u8::try_from(earned).unwrap_or(u8::MAX), state }
}

/// The dimension of indicator `i`.
pub fn dimension_of(i: usize) -> Dimension {
    INDICATORS[i].dimension
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distribution_shares_round_to_the_nearest_point() {
        use State::{Failed, Passed, Unknown};
        assert_eq!(share(20, &[Passed, Passed]), Outcome { earned: 20, state: Passed });
        assert_eq!(share(20, &[Passed, Failed, Failed]), Outcome { earned: 7, state: State::Partial });
        assert_eq!(share(5, &[Passed, Failed]), Outcome { earned: 3, state: State::Partial });
        assert_eq!(share(50, &[Passed, Unknown]), Outcome { earned: 0, state: Unknown });
        assert_eq!(share(20, &[]), Outcome { earned: 0, state: Failed });
    }
}
