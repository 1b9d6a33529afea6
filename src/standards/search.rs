//! Label search over one version of a scheme, ignoring case and Vietnamese diacritics
//! ("ha noi" finds "Hà Nội", "đ" is "d"). Built once per scheme version, kept in memory.
//!
//! Ranking, best first: the whole label (or a notation) equals the query; the label starts with
//! the query; the query's words appear in the label as a phrase; every query word is a word of the
//! label; every query word starts a word of the label. Ties: preferred before alternative labels,
//! then shorter labels, then alphabetical order.

use super::scheme::Scheme;

/// Folds text for matching: lowercase, Vietnamese letters to their base letter (`đ` → `d`),
/// combining marks dropped, anything not a letter or digit becomes a space, spaces collapsed.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars() {
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        let base = crate::registry::submission::fold_vietnamese(c).unwrap_or(c);
        if base.is_alphanumeric() {
            for lower in base.to_lowercase() {
                out.push(lower);
            }
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

struct Entry {
    concept: u32,
    folded: Box<str>,
    preferred: bool,
    /// The label as written and its language.
    label: Box<str>,
    lang: Box<str>,
}

/// The search index of one scheme version.
pub struct SearchIndex {
    entries: Vec<Entry>,
    notations: Vec<(Box<str>, u32)>,
}

/// One hit.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The concept's index in the scheme.
    pub concept: usize,
    /// The label that matched, as written.
    pub label: String,
    /// Its language.
    pub lang: String,
    /// Whether it is a preferred label.
    pub preferred: bool,
    /// Rank class (0 = exact … 4 = word prefixes).
    pub rank: u8,
}

impl SearchIndex {
    /// Indexes every preferred, alternative and hidden label (and notation) of every concept.
    /// Deprecated concepts are indexed too (they keep resolving), ranked after the others.
    pub fn build(scheme: &Scheme) -> Self {
        let mut entries = Vec::new();
        let mut notations = Vec::new();
        for (i, c) in scheme.concepts.iter().enumerate() {
            let Ok(i32) = u32::try_from(i) else { break };
            for (labels, preferred) in [(&c.pref, true), (&c.alt, false), (&c.hidden, false)] {
                for l in labels {
                    entries.push(Entry {
                        concept: i32,
                        folded: fold(l.value()).into(),
                        preferred,
                        label: l.value().into(),
                        lang: l.language().unwrap_or("").into(),
                    });
                }
            }
            for n in &c.notations {
                notations.push((fold(n).into(), i32));
            }
        }
        Self { entries, notations }
    }

    /// Labels indexed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The best `limit` hits after `offset`, one per concept; `lang` keeps only labels in that
    /// language (notations always match). A trailing `*` is accepted and ignored (Skosmos style).
    pub fn search(
        &self,
        scheme: &Scheme,
        query: &str,
        lang: Option<&str>,
        offset: usize,
        limit: usize,
    ) -> Vec<Hit> {
        let query = fold(query.trim_end_matches('*'));
        if query.is_empty() {
            return Vec::new();
        }
        let words: Vec<&str> = query.split(' ').collect();
        // (rank, deprecated, alternative, length, entry) per concept: the best of its labels.
        // Equal candidates: the concept with more narrower concepts first (a province before a
        // ward of the same name).
        let mut best: rustc_hash::FxHashMap<u32, (u8, bool, bool, usize, usize)> =
            rustc_hash::FxHashMap::default();
        let mut consider = |concept: u32, key: (u8, bool, bool, usize, usize)| {
            best.entry(concept)
                .and_modify(|b| {
                    if key < *b {
                        *b = key
                    }
                })
                .or_insert(key);
        };
        for (n, concept) in &self.notations {
            if **n == *query {
                let deprecated = scheme.concepts[*concept as usize].deprecated;
                consider(*concept, (0, deprecated, false, 0, usize::MAX));
            }
        }
        for (e, entry) in self.entries.iter().enumerate() {
            if lang.is_some_and(|l| *entry.lang != *l) {
                continue;
            }
            let Some(rank) = rank(&entry.folded, &query, &words) else { continue };
            let deprecated = scheme.concepts[entry.concept as usize].deprecated;
            consider(entry.concept, (rank, deprecated, !entry.preferred, entry.folded.len(), e));
        }
        let mut hits: Vec<(u8, bool, bool, usize, usize, u32)> =
            best.into_iter().map(|(c, (r, d, a, l, e))| (r, d, a, l, e, c)).collect();
        let narrower = |c: u32| std::cmp::Reverse(scheme.children.get(c as usize).map_or(0, Vec::len));
        hits.sort_by(|x, y| {
            (x.0, x.1, x.2, x.3, narrower(x.5)).cmp(&(y.0, y.1, y.2, y.3, narrower(y.5))).then_with(|| {
                let label = |h: &(u8, bool, bool, usize, usize, u32)| {
                    self.entries.get(h.4).map_or("", |e| &*e.folded)
                };
                label(x).cmp(label(y)).then(x.5.cmp(&y.5))
            })
        });
        hits.into_iter()
            .skip(offset)
            .take(limit)
            .map(|(rank, _, _, _, e, concept)| {
                let concept = concept as usize;
                match self.entries.get(e) {
                    Some(entry) => Hit {
                        concept,
                        label: entry.label.to_string(),
                        lang: entry.lang.to_string(),
                        preferred: entry.preferred,
                        rank,
                    },
                    None => {
                        // A notation hit: show the preferred label.
                        let c = &scheme.concepts[concept];
                        let l = lang.unwrap_or("vi");
                        Hit { concept, label: c.label(l), lang: l.to_owned(), preferred: true, rank }
                    }
                }
            })
            .collect()
    }
}

/// The rank of a folded label for a folded query, if it matches.
fn rank(label: &str, query: &str, words: &[&str]) -> Option<u8> {
    if label == query {
        return Some(0);
    }
    if label.starts_with(query) {
        return Some(1);
    }
    let phrase = label.match_indices(query).any(|(at, _)| {
        let before = at == 0 || label.as_bytes()[at - 1] == b' ';
        let end = at + query.len();
        let after = end == label.len() || label.as_bytes()[end] == b' ';
        before && after
    });
    if phrase {
        return Some(2);
    }
    let mut all_full = true;
    for w in words {
        let mut full = false;
        let mut prefix = false;
        for lw in label.split(' ') {
            if lw == *w {
                full = true;
                break;
            }
            if lw.starts_with(w) {
                prefix = true;
            }
        }
        if !full && !prefix {
            return None;
        }
        all_full &= full;
    }
    Some(if all_full { 3 } else { 4 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_diacritics_and_punctuation() {
        assert_eq!(fold("Thành phố Hồ Chí Minh"), "thanh pho ho chi minh");
        assert_eq!(fold("ĐÀ NẴNG"), "da nang");
        assert_eq!(fold("TP.HCM – Quận 1"), "tp hcm quan 1");
        assert_eq!(fold("Ha\u{300} Nô\u{323}i"), "ha noi", "decomposed input");
    }

    #[test]
    fn ranks() {
        assert_eq!(rank("ha noi", "ha noi", &["ha", "noi"]), Some(0));
        assert_eq!(rank("ha noi moi", "ha noi", &["ha", "noi"]), Some(1));
        assert_eq!(rank("thanh pho ha noi", "ha noi", &["ha", "noi"]), Some(2));
        assert_eq!(rank("noi ha", "ha noi", &["ha", "noi"]), Some(3));
        assert_eq!(rank("hai noise", "ha noi", &["ha", "noi"]), Some(4));
        assert_eq!(rank("hanoi", "ha noi", &["ha", "noi"]), None);
    }
}
