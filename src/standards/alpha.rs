//! The alphabetical index of one scheme version in one language: every preferred and alternative
//! label, under the letter it starts with, in alphabetical order (Skosmos's alphabetical index).
//!
//! Letters: the first letter or digit of the label, upper-cased, with Vietnamese diacritics folded
//! to the base letter (`Ấ` → `A`, `Ở` → `O`, `Ư` → `U`), except that in Vietnamese `Đ` is a letter
//! of its own, after `D`, as in Vietnamese dictionaries; in other languages `Đ` is `D`. Digits are
//! one bucket, `0-9`, listed last. Within a letter, labels are sorted by their folded form (case
//! and diacritics ignored), then as written.
//!
//! Which labels: those in the index's language. A concept without a preferred label in that
//! language is listed under its fallback labels (Vietnamese, then English, then any), marked with
//! their own language, so that every concept can be found from every language's index.

use super::scheme::Scheme;
use super::search::fold;
use oxigraph::model::Literal;
use serde::Serialize;

/// The bucket of labels that start with a digit.
pub const DIGITS: &str = "0-9";

/// One line of the index.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The label as written.
    pub label: String,
    /// Its language tag.
    pub lang: String,
    /// Whether it is the concept's preferred label (else an alternative one).
    pub preferred: bool,
    /// The concept's index in the scheme.
    pub concept: usize,
    /// Its letter.
    pub letter: String,
    key: String,
}

/// A letter of the index with how many labels it holds.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Letter {
    /// The letter (`A`, `Đ`, `0-9`).
    pub letter: String,
    /// Labels under it.
    pub count: usize,
}

/// The index of one scheme version in one language.
#[derive(Debug)]
pub struct AlphaIndex {
    /// The language.
    pub lang: String,
    /// Letters in order, with their counts.
    pub letters: Vec<Letter>,
    /// Entries grouped by letter in the letters' order, sorted within each.
    entries: Vec<Entry>,
    /// Where each letter's entries start in `entries`.
    starts: Vec<usize>,
}

/// The letter a label is listed under in `lang` (`None` when it has no letter or digit).
pub fn letter_of(label: &str, lang: &str) -> Option<String> {
    let c = label.chars().find(|c| c.is_alphanumeric())?;
    if c.is_numeric() {
        return Some(DIGITS.to_owned());
    }
    if lang == "vi" && matches!(c, 'đ' | 'Đ') {
        return Some("Đ".to_owned());
    }
    let base = crate::registry::submission::fold_vietnamese(c).unwrap_or(c);
    Some(base.to_uppercase().collect())
}

/// Where a letter sorts: Latin letters first (`Đ` right after `D`), then other scripts by code
/// point, digits last.
fn letter_order(letter: &str) -> (u8, String, bool) {
    if letter == DIGITS {
        return (2, String::new(), false);
    }
    let base: String =
        letter.chars().map(|c| crate::registry::submission::fold_vietnamese(c).unwrap_or(c)).collect();
    let latin = base.chars().all(|c| c.is_ascii_alphabetic());
    (u8::from(!latin), base, letter == "Đ")
}

/// The labels a concept is listed under in `lang`: its preferred and alternative labels in that
/// language, else those in the first fallback language it has a preferred label in.
fn labels_for<'a>(
    pref: &'a [Literal],
    alt: &'a [Literal],
    lang: &str,
) -> impl Iterator<Item = (&'a Literal, bool)> + 'a {
    let has = |l: &str| pref.iter().any(|p| p.language() == Some(l));
    let chosen: Option<String> = [lang, "vi", "en"]
        .into_iter()
        .find(|l| has(l))
        .map(str::to_owned)
        .or_else(|| pref.first().map(|p| p.language().unwrap_or("").to_owned()));
    let matches = move |l: &Literal| chosen.as_deref() == Some(l.language().unwrap_or(""));
    let m2 = matches.clone();
    pref.iter()
        .filter(move |l| matches(l))
        .map(|l| (l, true))
        .chain(alt.iter().filter(move |l| m2(l)).map(|l| (l, false)))
}

impl AlphaIndex {
    /// Builds the index of `scheme` in `lang`.
    pub fn build(scheme: &Scheme, lang: &str) -> Self {
        let mut entries: Vec<Entry> = Vec::new();
        for (i, c) in scheme.concepts.iter().enumerate() {
            for (label, preferred) in labels_for(&c.pref, &c.alt, lang) {
                let Some(letter) = letter_of(label.value(), lang) else { continue };
                entries.push(Entry {
                    label: label.value().to_owned(),
                    lang: label.language().unwrap_or("").to_owned(),
                    preferred,
                    concept: i,
                    key: fold(label.value()),
                    letter,
                });
            }
        }
        entries.sort_by(|a, b| {
            letter_order(&a.letter)
                .cmp(&letter_order(&b.letter))
                .then_with(|| a.key.cmp(&b.key))
                .then_with(|| a.label.cmp(&b.label))
                .then_with(|| b.preferred.cmp(&a.preferred))
                .then_with(|| a.concept.cmp(&b.concept))
        });
        entries.dedup_by(|a, b| a.concept == b.concept && a.label == b.label);
        let mut letters: Vec<Letter> = Vec::new();
        let mut starts = Vec::new();
        for (n, e) in entries.iter().enumerate() {
            match letters.last_mut() {
                Some(last) if last.letter == e.letter => last.count += 1,
                _ => {
                    letters.push(Letter { letter: e.letter.clone(), count: 1 });
                    starts.push(n);
                }
            }
        }
        Self { lang: lang.to_owned(), letters, entries, starts }
    }

    /// The entries under `letter` (as [`letter_of`] gives it), `per_page` from `offset`, and how
    /// many there are under it.
    pub fn page(&self, letter: &str, offset: usize, per_page: usize) -> (&[Entry], usize) {
        let Some(n) = self.letters.iter().position(|l| l.letter == letter) else {
            return (&[], 0);
        };
        let (start, count) = (self.starts[n], self.letters[n].count);
        let from = start + offset.min(count);
        let to = start + offset.saturating_add(per_page).min(count);
        (&self.entries[from..to], count)
    }

    /// How many labels the index holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::Triple;

    fn scheme() -> Scheme {
        let turtle = r#"
            @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
            <http://s.example/s> a skos:ConceptScheme .
            <http://s.example/s/1> a skos:Concept ; skos:inScheme <http://s.example/s> ;
                skos:prefLabel "Thành phố Hà Nội"@vi, "Hanoi"@en ; skos:altLabel "Hà Nội"@vi .
            <http://s.example/s/2> a skos:Concept ; skos:inScheme <http://s.example/s> ;
                skos:prefLabel "Thành phố Đà Nẵng"@vi ; skos:altLabel "Đà Nẵng"@vi .
            <http://s.example/s/3> a skos:Concept ; skos:inScheme <http://s.example/s> ;
                skos:prefLabel "Dương Minh Châu"@vi .
            <http://s.example/s/4> a skos:Concept ; skos:inScheme <http://s.example/s> ;
                skos:prefLabel "Ấp 3"@vi ; skos:altLabel "3"@vi .
            <http://s.example/s/5> a skos:Concept ; skos:inScheme <http://s.example/s> ;
                skos:prefLabel "hải phòng"@vi .
        "#;
        let triples: Vec<Triple> = RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(turtle.as_bytes())
            .map(|q| q.map(Triple::from))
            .collect::<Result<_, _>>()
            .expect("turtle");
        Scheme::from_triples("http://s.example/s", &triples)
    }

    fn labels(index: &AlphaIndex, letter: &str) -> Vec<String> {
        index.page(letter, 0, 100).0.iter().map(|e| e.label.clone()).collect()
    }

    #[test]
    fn vietnamese_letters_fold_diacritics_but_keep_d_stroke_after_d() {
        let s = scheme();
        let vi = AlphaIndex::build(&s, "vi");
        let letters: Vec<&str> = vi.letters.iter().map(|l| l.letter.as_str()).collect();
        assert_eq!(letters, ["A", "D", "Đ", "H", "T", "0-9"]);
        assert_eq!(labels(&vi, "H"), ["Hà Nội", "hải phòng"]);
        assert_eq!(labels(&vi, "Đ"), ["Đà Nẵng"]);
        assert_eq!(labels(&vi, "T"), ["Thành phố Đà Nẵng", "Thành phố Hà Nội"]);
        assert_eq!(labels(&vi, "A"), ["Ấp 3"]);
        assert_eq!(vi.page("H", 1, 10).0.len(), 1);
        let (past, count) = vi.page("H", 5, 10);
        assert_eq!((past.len(), count), (0, 2));
        assert_eq!(vi.page("Q", 0, 10).1, 0);
        assert_eq!(letter_of("đường", "vi").as_deref(), Some("Đ"));
        assert_eq!(letter_of("đường", "en").as_deref(), Some("D"));
        assert_eq!(letter_of("«Ước»", "vi").as_deref(), Some("U"));
        assert_eq!(letter_of("...", "vi"), None);
    }

    #[test]
    fn other_languages_use_their_labels_and_fall_back_for_concepts_without_one() {
        let en = AlphaIndex::build(&scheme(), "en");
        // Concept 1 has an English label; the others are listed under their Vietnamese ones, and
        // Đ is D in English.
        assert_eq!(labels(&en, "H"), ["hải phòng", "Hanoi"]);
        assert_eq!(labels(&en, "D"), ["Đà Nẵng", "Dương Minh Châu"]);
        assert!(en.page("H", 0, 10).0.iter().any(|e| e.lang == "en" && e.preferred));
        assert!(!en.letters.iter().any(|l| l.letter == "Đ"));
        assert_eq!(en.len(), 7);
    }
}
