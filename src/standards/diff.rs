//! What changed between two versions of a scheme: concepts added, removed, deprecated, relabelled
//! and moved in the hierarchy. Concepts are matched by IRI. Linear in the size of both versions.

use super::scheme::Scheme;
use serde::Serialize;
use std::collections::BTreeMap;

/// A concept as a diff names it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct ConceptRef {
    /// Its IRI.
    pub uri: String,
    /// Its first notation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notation: Option<String>,
    /// Its preferred label (Vietnamese, else English, else any).
    pub label: String,
}

impl ConceptRef {
    fn of(scheme: &Scheme, i: usize) -> Self {
        let c = &scheme.concepts[i];
        Self { uri: c.iri.clone(), notation: c.notations.first().cloned(), label: c.label("vi") }
    }
}

/// A concept whose preferred labels changed.
#[derive(Debug, Clone, Serialize)]
pub struct Relabelled {
    /// The concept.
    #[serde(flatten)]
    pub concept: ConceptRef,
    /// Preferred labels before, by language.
    pub before: BTreeMap<String, String>,
    /// Preferred labels after, by language.
    pub after: BTreeMap<String, String>,
}

/// A concept whose broader concepts changed.
#[derive(Debug, Clone, Serialize)]
pub struct Moved {
    /// The concept.
    #[serde(flatten)]
    pub concept: ConceptRef,
    /// Broader concepts before (IRIs).
    pub before: Vec<String>,
    /// Broader concepts after (IRIs).
    pub after: Vec<String>,
}

/// A concept deprecated by the newer version.
#[derive(Debug, Clone, Serialize)]
pub struct Deprecated {
    /// The concept.
    #[serde(flatten)]
    pub concept: ConceptRef,
    /// Its replacements (`dct:isReplacedBy`).
    pub replaced_by: Vec<String>,
}

/// The changes from one version to another.
#[derive(Debug, Clone, Serialize)]
pub struct SchemeDiff {
    /// Concepts only in the newer version.
    pub added: Vec<ConceptRef>,
    /// Concepts only in the older version.
    pub removed: Vec<ConceptRef>,
    /// Concepts deprecated in the newer version and not in the older one.
    pub deprecated: Vec<Deprecated>,
    /// Concepts whose preferred labels changed.
    pub relabelled: Vec<Relabelled>,
    /// Concepts whose broader concepts changed.
    pub moved: Vec<Moved>,
}

impl SchemeDiff {
    /// Whether the newer version removes or deprecates a concept (it may break datasets).
    pub fn is_breaking(&self) -> bool {
        !self.removed.is_empty() || !self.deprecated.is_empty()
    }

    /// The IRIs of the concepts removed or deprecated.
    pub fn breaking_concepts(&self) -> impl Iterator<Item = &str> {
        self.removed
            .iter()
            .map(|c| c.uri.as_str())
            .chain(self.deprecated.iter().map(|d| d.concept.uri.as_str()))
    }
}

fn labels(scheme: &Scheme, i: usize) -> BTreeMap<String, String> {
    scheme.concepts[i]
        .pref
        .iter()
        .map(|l| (l.language().unwrap_or("").to_owned(), l.value().to_owned()))
        .collect()
}

fn parents(scheme: &Scheme, i: usize) -> Vec<String> {
    let mut p: Vec<String> = scheme.concepts[i].broader_stated.clone();
    for &j in &scheme.parents[i] {
        let iri = &scheme.concepts[j].iri;
        if !p.contains(iri) {
            p.push(iri.clone());
        }
    }
    p.sort();
    p
}

/// The diff from `old` to `new`.
pub fn diff(old: &Scheme, new: &Scheme) -> SchemeDiff {
    let mut d = SchemeDiff {
        added: Vec::new(),
        removed: Vec::new(),
        deprecated: Vec::new(),
        relabelled: Vec::new(),
        moved: Vec::new(),
    };
    for (i, c) in new.concepts.iter().enumerate() {
        let Some(&j) = old.by_iri.get(&c.iri) else {
            d.added.push(ConceptRef::of(new, i));
            continue;
        };
        if c.deprecated && !old.concepts[j].deprecated {
            d.deprecated
                .push(Deprecated { concept: ConceptRef::of(new, i), replaced_by: c.replaced_by.clone() });
        }
        let (before, after) = (labels(old, j), labels(new, i));
        if before != after {
            d.relabelled.push(Relabelled { concept: ConceptRef::of(new, i), before, after });
        }
        let (before, after) = (parents(old, j), parents(new, i));
        if before != after {
            d.moved.push(Moved { concept: ConceptRef::of(new, i), before, after });
        }
    }
    for (j, c) in old.concepts.iter().enumerate() {
        if !new.by_iri.contains_key(&c.iri) {
            d.removed.push(ConceptRef::of(old, j));
        }
    }
    d
}
