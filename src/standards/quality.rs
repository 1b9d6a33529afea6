//! Quality checks of a concept scheme, after the qSKOS catalogue of quality issues (ids as in qSKOS).
//! Errors block publication; warnings are shown and returned, never blocking.
//!
//! | id | check | severity |
//! |---|---|---|
//! | `ml` | missing preferred label | error |
//! | `ipl` | more than one preferred label in one language | error |
//! | `el` | empty label | error |
//! | `chr` | cyclic `skos:broader` hierarchy | error |
//! | `anr` | one notation used by several concepts | error |
//! | `otc` | scheme without top concepts | error |
//! | `urc` | broader/narrower stated one way only | warning |
//! | `oc` | orphan concept (no relation, not a top concept) | warning |
//! | `dcc` | concept not reachable from a top concept | warning |
//! | `uc` | undocumented concept (no definition or note) | warning |
//! | `ol` | preferred label shared by several concepts (same language) | warning |
//! | `dlv` | the same label as preferred and alternative/hidden label of a concept | warning |

use super::scheme::Scheme;
use rustc_hash::FxHashMap;
use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks publication.
    Error,
    /// Shown, never blocking.
    Warning,
}

/// The result of one check.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    /// The qSKOS id (`ipl`).
    pub id: &'static str,
    /// What it checks.
    pub name: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// How many concepts (or labels) fail it.
    pub count: usize,
    /// The first few failures: the concept's IRI and what is wrong.
    pub examples: Vec<Example>,
}

/// One failure.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    /// The concept (or scheme).
    pub focus: String,
    /// What is wrong.
    pub message: String,
}

/// Every check's result for one version of a scheme.
#[derive(Debug, Clone, Serialize)]
pub struct QualityReport {
    /// One result per check, in the order of the table above; passing checks have count 0.
    pub checks: Vec<CheckResult>,
}

impl QualityReport {
    /// The checks that found errors.
    pub fn errors(&self) -> impl Iterator<Item = &CheckResult> {
        self.checks.iter().filter(|c| c.severity == Severity::Error && c.count > 0)
    }

    /// The checks that found warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &CheckResult> {
        self.checks.iter().filter(|c| c.severity == Severity::Warning && c.count > 0)
    }

    /// Whether a check failed.
    pub fn failed(&self, id: &str) -> bool {
        self.checks.iter().any(|c| c.id == id && c.count > 0)
    }
}

/// Examples kept per check.
const EXAMPLES: usize = 20;

struct Collector {
    id: &'static str,
    name: &'static str,
    severity: Severity,
    count: usize,
    examples: Vec<Example>,
}

impl Collector {
    fn new(id: &'static str, name: &'static str, severity: Severity) -> Self {
        Self { id, name, severity, count: 0, examples: Vec::new() }
    }

    fn push(&mut self, focus: &str, message: impl FnOnce() -> String) {
        self.count += 1;
        if self.examples.len() < EXAMPLES {
            self.examples.push(Example { focus: focus.to_owned(), message: message() });
        }
    }

    fn done(self) -> CheckResult {
        CheckResult {
            id: self.id,
            name: self.name,
            severity: self.severity,
            count: self.count,
            examples: self.examples,
        }
    }
}

/// Runs every check. Linear in the size of the scheme (plus the label map).
pub fn check(scheme: &Scheme) -> QualityReport {
    use Severity::{Error, Warning};
    let mut ml = Collector::new("ml", "missing preferred label", Error);
    let mut ipl = Collector::new("ipl", "several preferred labels in one language", Error);
    let mut el = Collector::new("el", "empty label", Error);
    let mut chr = Collector::new("chr", "cyclic hierarchy", Error);
    let mut anr = Collector::new("anr", "notation used by several concepts", Error);
    let mut otc = Collector::new("otc", "no top concept", Error);
    let mut urc = Collector::new("urc", "broader/narrower stated one way only", Warning);
    let mut oc = Collector::new("oc", "orphan concept", Warning);
    let mut dcc = Collector::new("dcc", "concept not reachable from a top concept", Warning);
    let mut uc = Collector::new("uc", "undocumented concept", Warning);
    let mut ol = Collector::new("ol", "preferred label shared by several concepts", Warning);
    let mut dlv = Collector::new("dlv", "label both preferred and alternative or hidden", Warning);

    if scheme.tops.is_empty() {
        otc.push(&scheme.iri, || "the scheme declares no top concept".to_owned());
    }
    let mut labels: FxHashMap<(String, String), Vec<usize>> = FxHashMap::default();
    for (i, c) in scheme.concepts.iter().enumerate() {
        if c.pref.is_empty() {
            ml.push(&c.iri, || "no skos:prefLabel".to_owned());
        }
        let mut langs: Vec<&str> = c.pref.iter().map(|l| l.language().unwrap_or("")).collect();
        langs.sort_unstable();
        for pair in langs.windows(2) {
            if pair[0] == pair[1] {
                ipl.push(&c.iri, || format!("more than one skos:prefLabel in {:?}", pair[0]));
            }
        }
        for l in c.pref.iter().chain(&c.alt).chain(&c.hidden) {
            if l.value().trim().is_empty() {
                el.push(&c.iri, || "a label is empty or only white space".to_owned());
            }
        }
        for l in &c.pref {
            labels
                .entry((l.language().unwrap_or("").to_owned(), l.value().trim().to_lowercase()))
                .or_default()
                .push(i);
            if c.alt.iter().chain(&c.hidden).any(|a| a == l) {
                dlv.push(&c.iri, || format!("{:?} is both preferred and alternative/hidden", l.value()));
            }
        }
        for b in &c.broader_stated {
            if let Some(&j) = scheme.by_iri.get(b)
                && !scheme.concepts[j].narrower_stated.contains(&c.iri)
            {
                urc.push(&c.iri, || format!("skos:broader {b} without skos:narrower back"));
            }
        }
        for n in &c.narrower_stated {
            if let Some(&j) = scheme.by_iri.get(n)
                && !scheme.concepts[j].broader_stated.contains(&c.iri)
            {
                urc.push(&c.iri, || format!("skos:narrower {n} without skos:broader back"));
            }
        }
        if !c.top && scheme.parents[i].is_empty() && scheme.children[i].is_empty() && c.related.is_empty() {
            oc.push(&c.iri, || "no broader, narrower or related concept and not a top concept".to_owned());
        }
        if c.definitions.is_empty() && c.notes.is_empty() {
            uc.push(&c.iri, || "no skos:definition or note".to_owned());
        }
    }
    for i in scheme.cyclic() {
        let c = &scheme.concepts[i];
        chr.push(&c.iri, || "the concept is its own ancestor (skos:broader cycle)".to_owned());
    }
    let mut clashes: Vec<(&String, &Vec<usize>)> =
        scheme.by_notation.iter().filter(|(_, v)| v.len() > 1).collect();
    clashes.sort();
    for (notation, concepts) in clashes {
        for &i in concepts {
            anr.push(&scheme.concepts[i].iri, || {
                format!("notation {notation:?} is used by {} concepts", concepts.len())
            });
        }
    }
    let reachable = scheme.reachable_from_tops();
    for (i, c) in scheme.concepts.iter().enumerate() {
        let orphan = !c.top && scheme.parents[i].is_empty() && scheme.children[i].is_empty();
        if !reachable[i] && !orphan && !scheme.tops.is_empty() {
            dcc.push(&c.iri, || "not reachable from any top concept through skos:narrower".to_owned());
        }
    }
    let mut shared: Vec<(&(String, String), &Vec<usize>)> =
        labels.iter().filter(|(_, v)| v.len() > 1).collect();
    shared.sort();
    for ((lang, _), concepts) in shared {
        for &i in concepts {
            let c = &scheme.concepts[i];
            let label = c.pref_in(lang).unwrap_or_default().to_owned();
            ol.push(&c.iri, || {
                format!("{label:?}@{lang} is also the label of {} other concept(s)", concepts.len() - 1)
            });
        }
    }
    QualityReport {
        checks: [ml, ipl, el, chr, anr, otc, urc, oc, dcc, uc, ol, dlv]
            .into_iter()
            .map(Collector::done)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::Triple;

    const PREFIX: &str = "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix s: <http://x.example/s/> .
        <http://x.example/s> a skos:ConceptScheme ; skos:hasTopConcept s:a .
        s:a a skos:Concept ; skos:inScheme <http://x.example/s> ; skos:topConceptOf <http://x.example/s> ;
            skos:prefLabel \"A\"@vi ; skos:notation \"1\" ; skos:definition \"a\"@vi ; skos:narrower s:b .
        s:b a skos:Concept ; skos:inScheme <http://x.example/s> ; skos:broader s:a ;
            skos:prefLabel \"B\"@vi ; skos:notation \"2\" ; skos:definition \"b\"@vi .
        ";

    fn report(extra: &str) -> QualityReport {
        let text = format!("{PREFIX}{extra}");
        let triples: Vec<Triple> = RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(text.as_bytes())
            .map(|q| q.map(Triple::from))
            .collect::<Result<_, _>>()
            .expect("turtle");
        check(&Scheme::from_triples("http://x.example/s", &triples))
    }

    /// A clean scheme fails nothing; each addition fails exactly the check it is about.
    #[track_caller]
    fn fails_only(extra: &str, id: &str) {
        let r = report(extra);
        let failed: Vec<&str> = r.checks.iter().filter(|c| c.count > 0).map(|c| c.id).collect();
        assert_eq!(failed, vec![id], "{extra}");
    }

    #[test]
    fn a_clean_scheme_passes_every_check() {
        let r = report("");
        assert_eq!(r.checks.len(), 12);
        assert!(r.checks.iter().all(|c| c.count == 0), "{r:?}");
    }

    #[test]
    fn missing_label() {
        fails_only(
            "s:c a skos:Concept ; skos:broader s:a . s:a skos:narrower s:c . s:c skos:definition \"c\"@vi .",
            "ml",
        );
    }

    #[test]
    fn two_pref_labels_in_one_language() {
        fails_only("s:b skos:prefLabel \"Bê\"@vi .", "ipl");
    }

    #[test]
    fn empty_label() {
        fails_only("s:b skos:altLabel \"  \"@vi .", "el");
    }

    #[test]
    fn cycle() {
        let r = report("s:a skos:broader s:b . s:b skos:narrower s:a .");
        assert!(r.failed("chr"), "{r:?}");
        assert_eq!(r.checks.iter().find(|c| c.id == "chr").map(|c| c.count), Some(2));
    }

    #[test]
    fn notation_clash() {
        fails_only("s:b skos:notation \"1\" .", "anr");
    }

    #[test]
    fn no_top_concept() {
        let text = "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
            <http://x.example/s> a skos:ConceptScheme .
            <http://x.example/s/a> a skos:Concept ; skos:inScheme <http://x.example/s> ; skos:prefLabel \"A\"@vi ; skos:definition \"a\"@vi .";
        let triples: Vec<Triple> = RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(text.as_bytes())
            .map(|q| q.map(Triple::from))
            .collect::<Result<_, _>>()
            .expect("turtle");
        let r = check(&Scheme::from_triples("http://x.example/s", &triples));
        assert!(r.failed("otc") && r.errors().count() == 1, "{r:?}");
    }

    #[test]
    fn one_way_broader() {
        fails_only(
            "s:c a skos:Concept ; skos:inScheme <http://x.example/s> ; skos:broader s:a ; skos:prefLabel \"C\"@vi ; skos:definition \"c\"@vi .",
            "urc",
        );
    }

    #[test]
    fn orphan() {
        fails_only(
            "s:c a skos:Concept ; skos:inScheme <http://x.example/s> ; skos:prefLabel \"C\"@vi ; skos:definition \"c\"@vi .",
            "oc",
        );
    }

    #[test]
    fn disconnected_cluster() {
        fails_only(
            "s:c a skos:Concept ; skos:inScheme <http://x.example/s> ; skos:prefLabel \"C\"@vi ; skos:definition \"c\"@vi ; skos:narrower s:d .
             s:d a skos:Concept ; skos:inScheme <http://x.example/s> ; skos:prefLabel \"D\"@vi ; skos:definition \"d\"@vi ; skos:broader s:c .",
            "dcc",
        );
    }

    #[test]
    fn undocumented() {
        fails_only(
            "s:c a skos:Concept ; skos:inScheme <http://x.example/s> ; skos:broader s:a ; skos:prefLabel \"C\"@vi . s:a skos:narrower s:c .",
            "uc",
        );
    }

    #[test]
    fn shared_label() {
        fails_only("s:b skos:prefLabel \"B\"@en . s:a skos:prefLabel \"b\"@en .", "ol");
    }

    #[test]
    fn disjoint_labels() {
        fails_only("s:b skos:altLabel \"B\"@vi .", "dlv");
    }
}
