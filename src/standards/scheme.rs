//! A SKOS concept scheme read from a record's triples: the scheme's metadata and its concepts with
//! labels, notations, documentation, hierarchy, mappings and deprecation, indexed for walking.

use crate::rdf::ns::{dct, skos};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use rustc_hash::{FxHashMap, FxHashSet};

/// SKOS and OWL terms the scheme reader needs beyond `rdf::ns::skos`.
pub mod terms {
    use oxigraph::model::NamedNodeRef;
    const fn iri(local: &'static str) -> NamedNodeRef<'static> {
        NamedNodeRef::new_unchecked(local)
    }
    /// `skos:altLabel`.
    pub const ALT_LABEL: NamedNodeRef<'static> = iri("http://www.w3.org/2004/02/skos/core#altLabel");
    /// `skos:hiddenLabel`.
    pub const HIDDEN_LABEL: NamedNodeRef<'static> = iri("http://www.w3.org/2004/02/skos/core#hiddenLabel");
    /// `skos:definition`.
    pub const DEFINITION: NamedNodeRef<'static> = iri("http://www.w3.org/2004/02/skos/core#definition");
    /// `skos:scopeNote`.
    pub const SCOPE_NOTE: NamedNodeRef<'static> = iri("http://www.w3.org/2004/02/skos/core#scopeNote");
    /// `skos:note`.
    pub const NOTE: NamedNodeRef<'static> = iri("http://www.w3.org/2004/02/skos/core#note");
    /// `skos:example`.
    pub const EXAMPLE: NamedNodeRef<'static> = iri("http://www.w3.org/2004/02/skos/core#example");
    /// `skos:historyNote`.
    pub const HISTORY_NOTE: NamedNodeRef<'static> = iri("http://www.w3.org/2004/02/skos/core#historyNote");
    /// `skos:editorialNote`.
    pub const EDITORIAL_NOTE: NamedNodeRef<'static> =
        iri("http://www.w3.org/2004/02/skos/core#editorialNote");
    /// `skos:changeNote`.
    pub const CHANGE_NOTE: NamedNodeRef<'static> = iri("http://www.w3.org/2004/02/skos/core#changeNote");
    /// `skos:narrower`.
    pub const NARROWER: NamedNodeRef<'static> = iri("http://www.w3.org/2004/02/skos/core#narrower");
    /// `skos:related`.
    pub const RELATED: NamedNodeRef<'static> = iri("http://www.w3.org/2004/02/skos/core#related");
    /// `skos:hasTopConcept`.
    pub const HAS_TOP_CONCEPT: NamedNodeRef<'static> =
        iri("http://www.w3.org/2004/02/skos/core#hasTopConcept");
    /// `skos:topConceptOf`.
    pub const TOP_CONCEPT_OF: NamedNodeRef<'static> = iri("http://www.w3.org/2004/02/skos/core#topConceptOf");
    /// `skos:exactMatch`.
    pub const EXACT_MATCH: NamedNodeRef<'static> = iri("http://www.w3.org/2004/02/skos/core#exactMatch");
    /// `skos:closeMatch`.
    pub const CLOSE_MATCH: NamedNodeRef<'static> = iri("http://www.w3.org/2004/02/skos/core#closeMatch");
    /// `skos:broadMatch`.
    pub const BROAD_MATCH: NamedNodeRef<'static> = iri("http://www.w3.org/2004/02/skos/core#broadMatch");
    /// `skos:narrowMatch`.
    pub const NARROW_MATCH: NamedNodeRef<'static> = iri("http://www.w3.org/2004/02/skos/core#narrowMatch");
    /// `skos:relatedMatch`.
    pub const RELATED_MATCH: NamedNodeRef<'static> = iri("http://www.w3.org/2004/02/skos/core#relatedMatch");
    /// `owl:deprecated`.
    pub const DEPRECATED: NamedNodeRef<'static> = iri("http://www.w3.org/2002/07/owl#deprecated");
    /// `owl:versionInfo`.
    pub const VERSION_INFO: NamedNodeRef<'static> = iri("http://www.w3.org/2002/07/owl#versionInfo");
    /// `dcat:version`.
    pub const DCAT_VERSION: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#version");
    /// `dct:replacedBy` (older spelling some vocabularies use for `dct:isReplacedBy`).
    pub const REPLACED_BY: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/replacedBy");
}

/// One concept.
#[derive(Debug, Clone, Default)]
pub struct Concept {
    /// Its IRI.
    pub iri: String,
    /// Its notations.
    pub notations: Vec<String>,
    /// Preferred labels.
    pub pref: Vec<Literal>,
    /// Alternative labels.
    pub alt: Vec<Literal>,
    /// Hidden labels.
    pub hidden: Vec<Literal>,
    /// Definitions.
    pub definitions: Vec<Literal>,
    /// Notes (scope, history, editorial, change, example, note), with their property.
    pub notes: Vec<(NamedNode, Literal)>,
    /// `skos:broader` as stated on this concept.
    pub broader_stated: Vec<String>,
    /// `skos:narrower` as stated on this concept.
    pub narrower_stated: Vec<String>,
    /// `skos:related`.
    pub related: Vec<String>,
    /// Mappings: property and target IRI.
    pub mappings: Vec<(NamedNode, String)>,
    /// Declared a top concept (`skos:topConceptOf` or the scheme's `skos:hasTopConcept`).
    pub top: bool,
    /// `owl:deprecated true`.
    pub deprecated: bool,
    /// `dct:isReplacedBy` (or `dct:replacedBy`).
    pub replaced_by: Vec<String>,
}

impl Concept {
    /// The preferred label in `lang`, else Vietnamese, else English, else any, else a notation, else
    /// the IRI's last segment.
    pub fn label(&self, lang: &str) -> String {
        for wanted in [lang, "vi", "en"] {
            if let Some(l) = self.pref.iter().find(|l| l.language() == Some(wanted)) {
                return l.value().to_owned();
            }
        }
        if let Some(l) = self.pref.first() {
            return l.value().to_owned();
        }
        if let Some(n) = self.notations.first() {
            return n.clone();
        }
        local_name(&self.iri).to_owned()
    }

    /// The preferred label in exactly `lang`.
    pub fn pref_in(&self, lang: &str) -> Option<&str> {
        self.pref.iter().find(|l| l.language() == Some(lang)).map(Literal::value)
    }
}

/// The last segment of an IRI (after `#` or `/`).
pub fn local_name(iri: &str) -> &str {
    iri.rsplit(['#', '/']).find(|s| !s.is_empty()).unwrap_or(iri)
}

/// A concept scheme and its concepts.
#[derive(Debug, Clone)]
pub struct Scheme {
    /// The scheme's IRI.
    pub iri: String,
    /// `skos:prefLabel` and `dct:title` of the scheme.
    pub titles: Vec<Literal>,
    /// `dct:description` of the scheme.
    pub descriptions: Vec<Literal>,
    /// `owl:versionInfo` (or `dcat:version`).
    pub version_info: Option<String>,
    /// Concepts, in IRI order.
    pub concepts: Vec<Concept>,
    /// Concept index by IRI.
    pub by_iri: FxHashMap<String, usize>,
    /// Concept indexes by notation.
    pub by_notation: FxHashMap<String, Vec<usize>>,
    /// Parents of each concept (stated broader ∪ inverse narrower), concepts of this scheme only.
    pub parents: Vec<Vec<usize>>,
    /// Children of each concept.
    pub children: Vec<Vec<usize>>,
    /// Top concepts, sorted by notation then label.
    pub tops: Vec<usize>,
}

fn iri_of(term: &Term) -> Option<&str> {
    match term {
        Term::NamedNode(n) => Some(n.as_str()),
        _ => None,
    }
}

fn literal_of(term: &Term) -> Option<&Literal> {
    match term {
        Term::Literal(l) => Some(l),
        _ => None,
    }
}

impl Scheme {
    /// Reads the scheme `iri` from triples. Concepts are the subjects typed `skos:Concept`, stated
    /// `skos:inScheme` or `skos:topConceptOf` the scheme, or named by its `skos:hasTopConcept`.
    pub fn from_triples(iri: &str, triples: &[Triple]) -> Self {
        let scheme_subject: NamedOrBlankNode = NamedNode::new_unchecked(iri).into();
        let mut members: FxHashSet<&str> = FxHashSet::default();
        let mut titles = Vec::new();
        let mut descriptions = Vec::new();
        let mut version_info = None;
        let mut declared_tops: FxHashSet<&str> = FxHashSet::default();
        for t in triples {
            let object_iri = iri_of(&t.object);
            if t.subject == scheme_subject {
                let p = t.predicate.as_ref();
                if p == skos::PREF_LABEL || p == dct::TITLE {
                    if let Some(l) = literal_of(&t.object)
                        && !titles.iter().any(|x: &Literal| x == l)
                    {
                        titles.push(l.clone());
                    }
                } else if p == dct::DESCRIPTION {
                    descriptions.extend(literal_of(&t.object).cloned());
                } else if p == terms::VERSION_INFO || (p == terms::DCAT_VERSION && version_info.is_none()) {
                    if let Some(l) = literal_of(&t.object) {
                        version_info = Some(l.value().to_owned());
                    }
                } else if p == terms::HAS_TOP_CONCEPT
                    && let Some(c) = object_iri
                {
                    members.insert(c);
                    declared_tops.insert(c);
                }
                continue;
            }
            let NamedOrBlankNode::NamedNode(subject) = &t.subject else { continue };
            let p = t.predicate.as_ref();
            if (p == rdf::TYPE && t.object == Term::from(skos::CONCEPT.into_owned()))
                || ((p == skos::IN_SCHEME || p == terms::TOP_CONCEPT_OF) && object_iri == Some(iri))
            {
                members.insert(subject.as_str());
            }
            if p == terms::TOP_CONCEPT_OF && object_iri == Some(iri) {
                declared_tops.insert(subject.as_str());
            }
        }
        let mut order: Vec<&str> = members.iter().copied().collect();
        order.sort_unstable();
        let by_iri: FxHashMap<String, usize> =
            order.iter().enumerate().map(|(i, c)| ((*c).to_owned(), i)).collect();
        let mut concepts: Vec<Concept> = order
            .iter()
            .map(|c| Concept { iri: (*c).to_owned(), top: declared_tops.contains(c), ..Concept::default() })
            .collect();
        for t in triples {
            let NamedOrBlankNode::NamedNode(subject) = &t.subject else { continue };
            let Some(&i) = by_iri.get(subject.as_str()) else { continue };
            let c = &mut concepts[i];
            let p = t.predicate.as_ref();
            let object_iri = iri_of(&t.object).map(str::to_owned);
            let literal = literal_of(&t.object).cloned();
            if p == skos::PREF_LABEL {
                c.pref.extend(literal);
            } else if p == terms::ALT_LABEL {
                c.alt.extend(literal);
            } else if p == terms::HIDDEN_LABEL {
                c.hidden.extend(literal);
            } else if p == skos::NOTATION {
                c.notations.extend(literal.map(|l| l.value().to_owned()));
            } else if p == terms::DEFINITION {
                c.definitions.extend(literal);
            } else if [
                terms::SCOPE_NOTE,
                terms::NOTE,
                terms::EXAMPLE,
                terms::HISTORY_NOTE,
                terms::EDITORIAL_NOTE,
                terms::CHANGE_NOTE,
            ]
            .contains(&p)
            {
                if let Some(l) = literal {
                    c.notes.push((p.into_owned(), l));
                }
            } else if p == skos::BROADER {
                c.broader_stated.extend(object_iri);
            } else if p == terms::NARROWER {
                c.narrower_stated.extend(object_iri);
            } else if p == terms::RELATED {
                c.related.extend(object_iri);
            } else if [
                terms::EXACT_MATCH,
                terms::CLOSE_MATCH,
                terms::BROAD_MATCH,
                terms::NARROW_MATCH,
                terms::RELATED_MATCH,
            ]
            .contains(&p)
            {
                if let Some(o) = object_iri {
                    c.mappings.push((p.into_owned(), o));
                }
            } else if p == terms::DEPRECATED {
                c.deprecated = literal.is_some_and(|l| matches!(l.value(), "true" | "1"));
            } else if p == dct::IS_REPLACED_BY || p == terms::REPLACED_BY {
                c.replaced_by.extend(object_iri);
            }
        }
        let n = concepts.len();
        let mut parents: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, c) in concepts.iter().enumerate() {
            for b in &c.broader_stated {
                if let Some(&j) = by_iri.get(b)
                    && !parents[i].contains(&j)
                {
                    parents[i].push(j);
                }
            }
            for nar in &c.narrower_stated {
                if let Some(&j) = by_iri.get(nar)
                    && !parents[j].contains(&i)
                {
                    parents[j].push(i);
                }
            }
        }
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, ps) in parents.iter().enumerate() {
            for &p in ps {
                children[p].push(i);
            }
        }
        let mut by_notation: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, c) in concepts.iter().enumerate() {
            for notation in &c.notations {
                by_notation.entry(notation.clone()).or_default().push(i);
            }
        }
        let mut scheme = Self {
            iri: iri.to_owned(),
            titles,
            descriptions,
            version_info,
            concepts,
            by_iri,
            by_notation,
            parents,
            children,
            tops: Vec::new(),
        };
        let mut tops: Vec<usize> = (0..n).filter(|&i| scheme.concepts[i].top).collect();
        scheme.sort_siblings(&mut tops);
        for i in 0..n {
            let mut kids = std::mem::take(&mut scheme.children[i]);
            scheme.sort_siblings(&mut kids);
            scheme.children[i] = kids;
        }
        scheme.tops = tops;
        scheme
    }

    /// Sorts concepts by notation (numerically when both are numbers) then by label.
    pub fn sort_siblings(&self, list: &mut [usize]) {
        list.sort_by(|&a, &b| {
            let (ca, cb) = (&self.concepts[a], &self.concepts[b]);
            let na = ca.notations.first().map(String::as_str).unwrap_or("");
            let nb = cb.notations.first().map(String::as_str).unwrap_or("");
            na.len().cmp(&nb.len()).then_with(|| na.cmp(nb)).then_with(|| ca.label("vi").cmp(&cb.label("vi")))
        });
    }

    /// The scheme's title in `lang`, else Vietnamese, else English, else any, else its IRI.
    pub fn title(&self, lang: &str) -> String {
        for wanted in [lang, "vi", "en"] {
            if let Some(l) = self.titles.iter().find(|l| l.language() == Some(wanted)) {
                return l.value().to_owned();
            }
        }
        self.titles.first().map_or_else(|| self.iri.clone(), |l| l.value().to_owned())
    }

    /// The concept a path segment names: a notation, or the last segment of its IRI under the
    /// scheme's IRI (`{scheme}/{key}` or `{scheme}#{key}`), or `{minted}/{key}`.
    pub fn find(&self, key: &str, minted: &str) -> Option<usize> {
        if let Some(found) = self.by_notation.get(key).and_then(|v| v.first()) {
            return Some(*found);
        }
        for candidate in
            [format!("{}/{key}", self.iri), format!("{}#{key}", self.iri), format!("{minted}/{key}")]
        {
            if let Some(&i) = self.by_iri.get(&candidate) {
                return Some(i);
            }
        }
        None
    }

    /// The path segment under `/def/{scheme}/` that names a concept: its notation when it is one
    /// safe path segment and unique, else its IRI's last segment under the scheme's IRI.
    pub fn key(&self, i: usize) -> Option<String> {
        let c = &self.concepts[i];
        if let Some(n) = c.notations.first() {
            let safe = !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'));
            if safe && self.by_notation.get(n).is_some_and(|v| v.len() == 1) {
                return Some(n.clone());
            }
        }
        let rest = c.iri.strip_prefix(&self.iri)?;
        let rest = rest.strip_prefix('/').or_else(|| rest.strip_prefix('#'))?;
        (!rest.is_empty() && !rest.contains(['/', '#', '?'])).then(|| rest.to_owned())
    }

    /// The concepts on a `skos:broader` cycle.
    pub fn cyclic(&self) -> Vec<usize> {
        // Iterative colouring DFS over parents; a back edge marks the path back to its target.
        let n = self.concepts.len();
        let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
        let mut on_cycle = vec![false; n];
        for start in 0..n {
            if state[start] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            let mut path: Vec<usize> = vec![start];
            state[start] = 1;
            while let Some((node, next)) = stack.last_mut() {
                let node = *node;
                if let Some(&parent) = self.parents[node].get(*next) {
                    *next += 1;
                    match state[parent] {
                        0 => {
                            state[parent] = 1;
                            stack.push((parent, 0));
                            path.push(parent);
                        }
                        1 => {
                            if let Some(pos) = path.iter().position(|&x| x == parent) {
                                for &x in &path[pos..] {
                                    on_cycle[x] = true;
                                }
                            }
                        }
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                    stack.pop();
                    path.pop();
                }
            }
        }
        (0..n).filter(|&i| on_cycle[i]).collect()
    }

    /// Concepts reachable from the top concepts through the hierarchy.
    pub fn reachable_from_tops(&self) -> Vec<bool> {
        let mut seen = vec![false; self.concepts.len()];
        let mut queue: Vec<usize> = self.tops.clone();
        while let Some(i) = queue.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            queue.extend(self.children[i].iter().copied().filter(|&c| !seen[c]));
        }
        seen
    }
}
