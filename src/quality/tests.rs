//! Every indicator with a dataset that earns its points and one that does not; the documented
//! maximum; unknown link checks; distribution shares; DQV output against `shapes/dqv.ttl`; the
//! metrics of `vocab/quality.ttl` in step with the indicator table.

use super::dqv::measurements;
use super::indicators::{COUNT, INDICATORS, MAX_POINTS, Rating, index_of};
use super::score::{Assessment, State, Vocabularies, assess, urls_of};
use crate::catalog::Catalog;
use crate::shacl::IndexedGraph;
use crate::store::Store;
use crate::vocabulary::{sync_bundled, vocab_graph};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, Triple};
use std::sync::OnceLock;

const DATASET: &str = "http://r.example/dataset/d";
const ACCESS: &str = "https://files.example/d";
const DOWNLOAD: &str = "https://files.example/d.csv";

/// A fully described dataset: every indicator passes once its two URLs are reachable.
const FULL: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
<http://r.example/dataset/d> a dcat:Dataset ;
    dcat:keyword "ngân sách"@vi ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ECON> ;
    dct:spatial <http://publications.europa.eu/resource/authority/country/VNM> ;
    dct:temporal <http://r.example/dataset/d#period> ;
    dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
    dcat:contactPoint <http://r.example/dataset/d#contact> ;
    dct:publisher <http://r.example/publisher/p> ;
    dct:issued "2020-01-01"^^xsd:date ;
    dct:modified "2021-01-01"^^xsd:date ;
    dcat:distribution <http://r.example/dataset/d#csv> ;
    dct:title "Dữ liệu"@vi ;
    dct:description "Mô tả"@vi .
<http://r.example/dataset/d#csv> a dcat:Distribution ;
    dcat:accessURL <https://files.example/d> ;
    dcat:downloadURL <https://files.example/d.csv> ;
    dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
    dcat:mediaType <https://www.iana.org/assignments/media-types/text/csv> ;
    dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> ;
    dct:rights <http://r.example/dataset/d#rights> ;
    dcat:byteSize "100"^^xsd:nonNegativeInteger ;
    dct:title "CSV"@vi .
"#;

fn parse(turtle: &str) -> Vec<Triple> {
    RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(turtle.as_bytes())
        .map(|q| q.map(Triple::from))
        .collect::<Result<_, _>>()
        .expect("test Turtle parses")
}

/// The bundled vocabularies, as the service builds them (store → catalogue terms).
fn vocab() -> &'static Vocabularies {
    static VOCAB: OnceLock<Vocabularies> = OnceLock::new();
    VOCAB.get_or_init(|| {
        let store = Store::memory().expect("a memory store");
        sync_bundled(&store).expect("bundled vocabularies load");
        let catalog = Catalog::new(&store, "http://r.example/").expect("catalogue");
        Vocabularies::new(
            &catalog,
            &store.graph_triples(vocab_graph("file-type.ttl").as_ref()).expect("file types"),
            &store.graph_triples(vocab_graph("quality.ttl").as_ref()).expect("quality vocabulary"),
        )
    })
}

fn score(turtle: &str, compliant: bool, links: &dyn Fn(&str) -> Option<bool>) -> Assessment {
    assess(&NamedNode::new_unchecked(DATASET), &parse(turtle), compliant, vocab(), links)
}

fn reachable(_: &str) -> Option<bool> {
    Some(true)
}

/// `FULL` with every line containing `remove` dropped and `replace` applied.
fn variant(remove: &[&str], replace: &[(&str, &str)]) -> String {
    let mut text: String = FULL
        .lines()
        .filter(|line| !remove.iter().any(|r| line.contains(r)))
        .map(|line| format!("{line}\n"))
        .collect();
    for (from, to) in replace {
        assert!(text.contains(from), "{from} is in the fixture");
        text = text.replace(from, to);
    }
    text
}

#[test]
fn a_fully_described_dataset_earns_the_documented_maximum() {
    let a = score(FULL, true, &reachable);
    assert!(a.outcomes.iter().all(|o| o.state == State::Passed), "{a:?}");
    assert_eq!(a.total(), MAX_POINTS);
    assert_eq!(a.total(), 405);
    assert_eq!(a.dimensions(), [100, 100, 110, 75, 20]);
    assert_eq!(a.rating(), Rating::Excellent);
    assert_eq!(urls_of(&NamedNode::new_unchecked(DATASET), &parse(FULL)), [ACCESS, DOWNLOAD]);
}

/// One mutation per indicator: the indicator fails (no points), every indicator in `also` fails
/// with it (they read the same property), and nothing else changes.
#[test]
fn every_indicator_earns_its_points_or_not() {
    let ft = "http://publications.europa.eu/resource/authority/file-type/";
    let iana = "https://www.iana.org/assignments/media-types/";
    let csv_format = format!("<{ft}CSV>");
    let csv_type = format!("<{iana}text/csv>");
    let xlsx_format = format!("<{ft}XLSX>");
    let xlsx_type = format!("<{iana}application/vnd.openxmlformats-officedocument.spreadsheetml.sheet>");
    let pdf_format = format!("<{ft}PDF>");
    let pdf_type = format!("<{iana}application/pdf>");
    struct Case<'a> {
        indicator: &'a str,
        also: &'a [&'a str],
        remove: &'a [&'a str],
        replace: Vec<(&'a str, &'a str)>,
        compliant: bool,
        broken: Option<&'a str>,
    }
    let case = |indicator, also, remove| Case {
        indicator,
        also,
        remove,
        replace: Vec::new(),
        compliant: true,
        broken: None,
    };
    let cases = vec![
        case("keywordUsage", &[], &["dcat:keyword"]),
        case("categories", &[], &["dcat:theme"]),
        case("geoSearch", &[], &["dct:spatial"]),
        case("timeBasedSearch", &[], &["dct:temporal"]),
        Case { broken: Some(ACCESS), ..case("accessUrlAccessibility", &[], &[]) },
        case("downloadUrl", &["downloadUrlAccessibility"], &["dcat:downloadURL"]),
        Case { broken: Some(DOWNLOAD), ..case("downloadUrlAccessibility", &[], &[]) },
        case("format", &[], &["dct:format"]),
        case("mediaType", &[], &["dcat:mediaType"]),
        Case {
            replace: vec![
                (csv_format.as_str(), "<https://formats.example/csv>"),
                (csv_type.as_str(), "<https://types.example/csv>"),
            ],
            ..case("formatMediaTypeVocabulary", &["nonProprietary", "machineReadable"], &[])
        },
        Case {
            replace: vec![
                (csv_format.as_str(), xlsx_format.as_str()),
                (csv_type.as_str(), xlsx_type.as_str()),
            ],
            ..case("nonProprietary", &[], &[])
        },
        Case {
            replace: vec![(csv_format.as_str(), pdf_format.as_str()), (csv_type.as_str(), pdf_type.as_str())],
            ..case("machineReadable", &[], &[])
        },
        Case { compliant: false, ..case("dcatApCompliance", &[], &[]) },
        case("licence", &["licenceVocabulary"], &["dct:license"]),
        Case {
            replace: vec![(
                "<http://publications.europa.eu/resource/authority/licence/CC_BY_4_0>",
                "<https://licences.example/our-own>",
            )],
            ..case("licenceVocabulary", &[], &[])
        },
        case("accessRestrictions", &["accessRestrictionsVocabulary"], &["dct:accessRights"]),
        Case {
            replace: vec![(
                "<http://publications.europa.eu/resource/authority/access-right/PUBLIC>",
                "<https://rights.example/open>",
            )],
            ..case("accessRestrictionsVocabulary", &[], &[])
        },
        case("contactPoint", &[], &["dcat:contactPoint"]),
        case("publisher", &[], &["dct:publisher"]),
        case("rights", &[], &["dct:rights"]),
        case("byteSize", &[], &["dcat:byteSize"]),
        case("dateOfIssue", &[], &["dct:issued"]),
        case("modificationDate", &[], &["dct:modified"]),
    ];
    let mut covered: Vec<&str> = cases.iter().map(|c| c.indicator).collect();
    covered.sort_unstable();
    let mut all: Vec<&str> = INDICATORS.iter().map(|i| i.id).collect();
    all.sort_unstable();
    assert_eq!(covered, all, "one case per indicator");
    for c in &cases {
        let text = variant(c.remove, &c.replace);
        let broken = c.broken;
        let links = move |url: &str| Some(Some(url) != broken);
        let passing = score(FULL, true, &reachable);
        let failing = score(&text, c.compliant, &links);
        let mut lost = 0;
        for (i, indicator) in INDICATORS.iter().enumerate() {
            let should_fail = indicator.id == c.indicator || c.also.contains(&indicator.id);
            let (p, f) = (passing.outcomes[i], failing.outcomes[i]);
            assert_eq!(u32::from(p.earned), indicator.points, "{}: passes on FULL", indicator.id);
            if should_fail {
                assert_eq!(f.state, State::Failed, "{}: fails in case {}", indicator.id, c.indicator);
                assert_eq!(f.earned, 0, "{}: no points in case {}", indicator.id, c.indicator);
                lost += indicator.points;
            } else {
                assert_eq!(f, p, "{} is unaffected by case {}", indicator.id, c.indicator);
            }
        }
        assert_eq!(failing.total(), MAX_POINTS - lost, "case {}", c.indicator);
    }
}

#[test]
fn unchecked_links_are_unknown_not_passed() {
    let a = score(FULL, true, &|_| None);
    for id in ["accessUrlAccessibility", "downloadUrlAccessibility"] {
        let o = a.outcomes[index_of(id).expect("an indicator")];
        assert_eq!((o.state, o.earned), (State::Unknown, 0), "{id}");
    }
    assert_eq!(a.total(), MAX_POINTS - 80);
    assert_eq!(a.possible(), MAX_POINTS);
    assert_eq!(a.missing(), 0);
    // One URL checked and reachable, the other not yet checked.
    let a = score(FULL, true, &|url| (url == ACCESS).then_some(true));
    assert_eq!(a.outcomes[index_of("accessUrlAccessibility").expect("id")].state, State::Passed);
    assert_eq!(a.outcomes[index_of("downloadUrlAccessibility").expect("id")].state, State::Unknown);
}

#[test]
fn distribution_indicators_score_the_share_that_passes() {
    // A second distribution without size, rights or download URL.
    let text = format!(
        "{FULL}\n<{DATASET}> <http://www.w3.org/ns/dcat#distribution> <{DATASET}#pdf> .\n\
         <{DATASET}#pdf> <http://www.w3.org/ns/dcat#accessURL> <https://files.example/d.pdf> ;\n\
         <http://purl.org/dc/terms/format> <http://publications.europa.eu/resource/authority/file-type/PDF> ;\n\
         <http://purl.org/dc/terms/license> <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> .\n"
    );
    let a = score(&text, true, &reachable);
    let outcome = |id: &str| a.outcomes[index_of(id).expect("an indicator")];
    assert_eq!((outcome("byteSize").state, outcome("byteSize").earned), (State::Partial, 3));
    assert_eq!(outcome("rights").earned, 3);
    assert_eq!(outcome("downloadUrl").earned, 10);
    assert_eq!(outcome("downloadUrlAccessibility").earned, 15);
    assert_eq!(outcome("machineReadable").earned, 10);
    assert_eq!(outcome("nonProprietary").earned, 20, "PDF is an open format");
    assert_eq!(outcome("mediaType").earned, 5);
    assert_eq!(outcome("accessUrlAccessibility").earned, 50);
    assert_eq!(outcome("licence").state, State::Passed);
    // No distribution at all: no distribution-level points.
    let a = score(&variant(&["dcat:distribution"], &[]), true, &reachable);
    assert_eq!(a.total(), 100 + 30 + 45 + 10, "findability, compliance, reusability but licences, dates");
}

#[test]
fn the_dqv_output_validates_against_our_shape() {
    let shapes = crate::validation::profile("dqv").expect("shapes/dqv.ttl compiles");
    for (name, assessment) in [
        ("full", score(FULL, true, &reachable)),
        ("unknown", score(FULL, true, &|_| None)),
        (
            "empty",
            score("<http://r.example/dataset/d> a <http://www.w3.org/ns/dcat#Dataset> .", false, &reachable),
        ),
    ] {
        let triples = measurements("d", &NamedNode::new_unchecked(DATASET), &assessment);
        let report =
            shapes.validate(&IndexedGraph::from_triples(triples.iter().cloned())).expect("validates");
        assert!(report.conforms(), "{name}: {}", report.summary_text());
        assert!(report.focus_nodes_checked() >= 31, "{name}: 30 measurements and the dataset");
    }
    // And the shape catches what is wrong: a measurement without a value, one of an unknown metric.
    let mut triples = measurements("d", &NamedNode::new_unchecked(DATASET), &score(FULL, true, &reachable));
    let value = crate::rdf::ns::dqv::VALUE;
    let first = triples.iter().position(|t| t.predicate == value).expect("a value");
    triples.remove(first);
    let report = shapes.validate(&IndexedGraph::from_triples(triples.iter().cloned())).expect("validates");
    assert!(!report.conforms());
}

#[test]
fn the_metrics_of_vocab_quality_are_the_indicators() {
    let turtle = crate::bundled::find(crate::bundled::VOCAB_FILES, "quality.ttl").expect("bundled");
    let triples = parse(turtle);
    let points = |local: &str| -> Option<u32> {
        let subject = format!("https://w3id.org/danhmuc/quality#{local}");
        triples.iter().find_map(|t| {
            (t.subject.to_string() == format!("<{subject}>")
                && t.predicate.as_str() == "https://w3id.org/danhmuc/quality#points")
                .then(|| match &t.object {
                    oxigraph::model::Term::Literal(l) => l.value().parse().ok(),
                    _ => None,
                })
                .flatten()
        })
    };
    for indicator in &INDICATORS {
        assert_eq!(points(indicator.id), Some(indicator.points), "{}", indicator.id);
    }
    assert_eq!(points("score"), Some(MAX_POINTS));
    assert_eq!(INDICATORS.len(), COUNT);
}

/// A server stopping during the background rewrite of every dataset's measurements (after a scoring
/// change) ends it at the next batch and leaves the scoring version as it was, so the next start
/// rewrites what is left; nothing is half-written.
#[test]
fn a_stop_ends_the_rewrite_and_the_next_start_finishes_it() {
    use crate::rdf::ns::dmq;
    let store = bundled_store();
    let open = || open_scored(&store);
    let (registry, _) = open();
    let loaded = crate::catalog::demo::load_if_empty(&registry, DEMO_BASE).unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded > 0);
    drop(registry);

    store.set_setting(dmq::SCORING_VERSION, "an older scoring").unwrap_or_else(|e| panic!("{e}"));
    let (registry, quality) = open();
    registry.stop_background();
    assert_eq!(quality.write_stale(&registry).unwrap_or_else(|e| panic!("{e}")), 0, "stopped before a batch");
    assert_eq!(
        store.setting(dmq::SCORING_VERSION).unwrap_or_else(|e| panic!("{e}")).as_deref(),
        Some("an older scoring"),
        "left for the next start"
    );
    drop((registry, quality));

    let (registry, quality) = open();
    let datasets = quality.len();
    assert!(datasets > 10, "{datasets}");
    assert_eq!(quality.write_stale(&registry).unwrap_or_else(|e| panic!("{e}")), datasets);
    assert_eq!(
        store.setting(dmq::SCORING_VERSION).unwrap_or_else(|e| panic!("{e}")),
        Some(super::scoring_version())
    );
}

/// A link-check run that a stopping server cut short notes the datasets it did not re-score; the
/// next start rewrites those, and only those, and forgets them (a whole rewrite of 100k datasets
/// after every interrupted run was the defect).
#[test]
fn a_stopped_link_check_leaves_only_its_datasets_for_the_next_start() {
    use crate::rdf::ns::dmq;
    let store = bundled_store();
    let open = || open_scored(&store);
    let (registry, quality) = open();
    crate::catalog::demo::load_if_empty(&registry, DEMO_BASE).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(quality.write_stale(&registry).unwrap_or_else(|e| panic!("{e}")), 0, "nothing stale");
    let mut ids: Vec<String> = Vec::new();
    registry.for_each_in_order(|r| {
        if r.kind == crate::registry::kind::Kind::Dataset {
            ids.push(r.id.clone());
        }
        true
    });
    assert!(ids.len() > 10, "{ids:?}");

    // The run stops before its first batch: nothing went through, everything is left.
    registry.stop_background();
    let refreshed = registry.refresh_derived(&ids[..3], 2).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((refreshed.through, refreshed.written), (0, 0));
    super::leave_for_next_start(&registry, &ids[..3]).unwrap_or_else(|e| panic!("{e}"));
    super::leave_for_next_start(&registry, &ids[2..4]).unwrap_or_else(|e| panic!("{e}"));
    drop((registry, quality));

    let (registry, quality) = open();
    assert_eq!(
        quality.write_stale(&registry).unwrap_or_else(|e| panic!("{e}")),
        4,
        "the four left, once each"
    );
    assert_eq!(store.setting(dmq::RESCORE_PENDING).unwrap_or_else(|e| panic!("{e}")), None, "forgotten");
    assert_eq!(
        store.setting(dmq::SCORING_VERSION).unwrap_or_else(|e| panic!("{e}")),
        Some(super::scoring_version())
    );
    drop((registry, quality));
    let (registry, quality) = open();
    assert_eq!(quality.write_stale(&registry).unwrap_or_else(|e| panic!("{e}")), 0, "nothing left");
}

const DEMO_BASE: &str = "http://r.example/";

/// An empty store with the bundled vocabularies, as a server starts on it.
fn bundled_store() -> Store {
    let store = Store::memory().unwrap_or_else(|e| panic!("{e}"));
    sync_bundled(&store).unwrap_or_else(|e| panic!("{e}"));
    store
}

/// A registry on `store` as a server starts it: quality attached, every dataset scored.
fn open_scored(store: &Store) -> (crate::registry::Registry, std::sync::Arc<super::Quality>) {
    let registry =
        crate::registry::Registry::open(store.clone(), DEMO_BASE).unwrap_or_else(|e| panic!("{e}"));
    let catalog = Catalog::new(store, DEMO_BASE).unwrap_or_else(|e| panic!("{e}"));
    let quality = super::Quality::attach(&registry, &catalog).unwrap_or_else(|e| panic!("{e}"));
    quality.score_all(&registry).unwrap_or_else(|e| panic!("{e}"));
    (registry, quality)
}
