//! What pages and the JSON API show: a dataset's score with what to fix (vi and en), a publisher's
//! dashboard (its datasets ranked, trends), the catalogue-wide dashboard (publisher ranking, most
//! common gaps, distribution by rating). Serializable view models; `templates/quality_panel.html`
//! renders a [`DatasetQualityView`] bound as `quality`.

use super::indicators::{Dimension, INDICATORS, MAX_POINTS, Rating};
use super::score::{Assessment, State};
use super::{Entry, Quality, QualityError, Snapshot};
use crate::catalog::{Catalog, text_of};
use crate::rdf::ns::foaf;
use crate::registry::Registry;
use crate::registry::kind::Kind;
use crate::store::Viewer;
use oxigraph::model::{NamedNode, NamedOrBlankNode};
use rustc_hash::FxHashMap;
use serde::Serialize;

/// A dimension's points.
#[derive(Debug, Clone, Serialize)]
pub struct DimensionView {
    /// `findability`…
    pub id: &'static str,
    /// Name in Vietnamese.
    pub label_vi: &'static str,
    /// Name in English.
    pub label_en: &'static str,
    /// Points earned (or the average, in aggregates).
    pub points: f64,
    /// The dimension's maximum.
    pub max: u32,
}

/// One indicator's result.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    /// `keywordUsage`…
    pub id: &'static str,
    /// Its dimension.
    pub dimension: &'static str,
    /// Name in Vietnamese.
    pub label_vi: &'static str,
    /// Name in English.
    pub label_en: &'static str,
    /// The property checked.
    pub property: &'static str,
    /// Points earned.
    pub points: u32,
    /// Its maximum.
    pub max: u32,
    /// `passed`, `partial`, `failed` or `unknown`.
    pub result: State,
}

/// What to fix for more points.
#[derive(Debug, Clone, Serialize)]
pub struct FixView {
    /// The indicator.
    pub indicator: &'static str,
    /// Points it would add.
    pub points: u32,
    /// What to do, in Vietnamese.
    pub text_vi: &'static str,
    /// What to do, in English.
    pub text_en: &'static str,
}

/// A dataset's quality, for its page (`templates/quality_panel.html`) and `/api/quality/{id}`.
#[derive(Debug, Clone, Serialize)]
pub struct DatasetQualityView {
    /// The record id.
    pub id: String,
    /// The dataset's IRI.
    pub iri: String,
    /// Total points.
    pub score: u32,
    /// 405.
    pub max: u32,
    /// The most it could have once every unknown link check passes.
    pub possible: u32,
    /// `excellent`, `good`, `sufficient`, `bad`.
    pub rating: Rating,
    /// The rating in Vietnamese.
    pub rating_vi: &'static str,
    /// The rating in English.
    pub rating_en: &'static str,
    /// Points per dimension.
    pub dimensions: Vec<DimensionView>,
    /// Every indicator.
    pub indicators: Vec<IndicatorView>,
    /// What to fix, most points first (failed and partial indicators; not unknown ones).
    pub fixes: Vec<FixView>,
    /// Indicators waiting for a link check.
    pub unknown: Vec<&'static str>,
    /// Points those indicators hold.
    pub unknown_points: u32,
}

impl DatasetQualityView {
    /// The view of an assessment.
    pub fn new(id: &str, iri: &str, assessment: &Assessment) -> Self {
        let dims = assessment.dimensions();
        let dimensions = Dimension::ALL
            .iter()
            .zip(dims)
            .map(|(d, points)| DimensionView {
                id: d.id(),
                label_vi: d.label_vi(),
                label_en: d.label_en(),
                points: f64::from(points),
                max: d.max(),
            })
            .collect();
        let indicators = INDICATORS
            .iter()
            .zip(&assessment.outcomes)
            .map(|(i, o)| IndicatorView {
                id: i.id,
                dimension: i.dimension.id(),
                label_vi: i.label_vi,
                label_en: i.label_en,
                property: i.property,
                points: u32::from(o.earned),
                max: i.points,
                result: o.state,
            })
            .collect();
        let mut fixes: Vec<FixView> = INDICATORS
            .iter()
            .zip(&assessment.outcomes)
            .filter(|(_, o)| matches!(o.state, State::Failed | State::Partial))
            .map(|(i, o)| FixView {
                indicator: i.id,
                points: i.points - u32::from(o.earned),
                text_vi: i.fix_vi,
                text_en: i.fix_en,
            })
            .collect();
        fixes.sort_by_key(|f| std::cmp::Reverse(f.points));
        let unknown: Vec<&'static str> = INDICATORS
            .iter()
            .zip(&assessment.outcomes)
            .filter(|(_, o)| o.state == State::Unknown)
            .map(|(i, _)| i.id)
            .collect();
        let unknown_points = INDICATORS
            .iter()
            .zip(&assessment.outcomes)
            .filter(|(_, o)| o.state == State::Unknown)
            .map(|(i, _)| i.points)
            .sum();
        let rating = assessment.rating();
        Self {
            id: id.to_owned(),
            iri: iri.to_owned(),
            score: assessment.total(),
            max: MAX_POINTS,
            possible: assessment.possible(),
            rating,
            rating_vi: rating.label_vi(),
            rating_en: rating.label_en(),
            dimensions,
            indicators,
            fixes,
            unknown,
            unknown_points,
        }
    }
}

/// How many datasets have a rating.
#[derive(Debug, Clone, Serialize)]
pub struct RatingCount {
    /// The rating.
    pub rating: Rating,
    /// In Vietnamese.
    pub label_vi: &'static str,
    /// In English.
    pub label_en: &'static str,
    /// How many datasets.
    pub datasets: usize,
}

/// An indicator many datasets miss.
#[derive(Debug, Clone, Serialize)]
pub struct GapView {
    /// The indicator.
    pub indicator: &'static str,
    /// Name in Vietnamese.
    pub label_vi: &'static str,
    /// Name in English.
    pub label_en: &'static str,
    /// Datasets that miss all or some of its points (unknown link checks not counted).
    pub datasets: usize,
    /// Points lost across them.
    pub points_lost: u64,
    /// What to do, in Vietnamese.
    pub fix_vi: &'static str,
    /// What to do, in English.
    pub fix_en: &'static str,
}

/// Averages and distribution over a set of datasets.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// How many datasets.
    pub datasets: usize,
    /// Average total points (one decimal).
    pub average: f64,
    /// The rating of the average.
    pub rating: Rating,
    /// Average points per dimension.
    pub dimensions: Vec<DimensionView>,
    /// Datasets per rating, best first.
    pub ratings: Vec<RatingCount>,
    /// The most common gaps, most datasets first (at most 10).
    pub gaps: Vec<GapView>,
    /// Datasets with at least one indicator waiting for a link check.
    pub awaiting_link_check: usize,
}

#[derive(Default)]
struct Accumulator {
    datasets: usize,
    total: u64,
    dims: [u64; 5],
    ratings: [usize; 4],
    gaps: [(usize, u64); INDICATORS.len()],
    unknown: usize,
}

impl Accumulator {
    fn add(&mut self, a: &Assessment) {
        self.datasets += 1;
        self.total += u64::from(a.total());
        for (sum, points) in self.dims.iter_mut().zip(a.dimensions()) {
            *sum += u64::from(points);
        }
        let slot = Rating::ALL.iter().position(|r| *r == a.rating()).unwrap_or(3);
        self.ratings[slot] += 1;
        let mut unknown = false;
        for ((gap, indicator), outcome) in self.gaps.iter_mut().zip(INDICATORS.iter()).zip(&a.outcomes) {
            match outcome.state {
                State::Failed | State::Partial => {
                    gap.0 += 1;
                    gap.1 += u64::from(indicator.points - u32::from(outcome.earned));
                }
                State::Unknown => unknown = true,
                State::Passed => {}
            }
        }
        if unknown {
            self.unknown += 1;
        }
    }

    fn average(&self) -> f64 {
        if self.datasets == 0 { 0.0 } else { round1(self.total as f64 / self.datasets as f64) }
    }

    fn summary(&self) -> Summary {
        let n = self.datasets.max(1) as f64;
        let average = self.average();
        let mut gaps: Vec<GapView> = INDICATORS
            .iter()
            .zip(self.gaps.iter())
            .filter(|(_, g)| g.0 > 0)
            .map(|(i, g)| GapView {
                indicator: i.id,
                label_vi: i.label_vi,
                label_en: i.label_en,
                datasets: g.0,
                points_lost: g.1,
                fix_vi: i.fix_vi,
                fix_en: i.fix_en,
            })
            .collect();
        gaps.sort_by(|a, b| b.datasets.cmp(&a.datasets).then(b.points_lost.cmp(&a.points_lost)));
        gaps.truncate(10);
        Summary {
            datasets: self.datasets,
            average,
            rating: Rating::of(average.round() as u32),
            dimensions: Dimension::ALL
                .iter()
                .zip(self.dims)
                .map(|(d, sum)| DimensionView {
                    id: d.id(),
                    label_vi: d.label_vi(),
                    label_en: d.label_en(),
                    points: if self.datasets == 0 { 0.0 } else { round1(sum as f64 / n) },
                    max: d.max(),
                })
                .collect(),
            ratings: Rating::ALL
                .iter()
                .zip(self.ratings)
                .map(|(r, datasets)| RatingCount {
                    rating: *r,
                    label_vi: r.label_vi(),
                    label_en: r.label_en(),
                    datasets,
                })
                .collect(),
            gaps,
            awaiting_link_check: self.unknown,
        }
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A publisher in the catalogue ranking.
#[derive(Debug, Clone, Serialize)]
pub struct PublisherRank {
    /// Its record id (`/publishers/{id}`, `/api/quality/publisher/{id}`).
    pub id: Option<String>,
    /// Its IRI.
    pub iri: String,
    /// Its name in Vietnamese.
    pub name_vi: String,
    /// Its name in English.
    pub name_en: String,
    /// Its datasets the caller may see.
    pub datasets: usize,
    /// Their average points.
    pub average: f64,
    /// The rating of the average.
    pub rating: Rating,
}

/// The catalogue-wide dashboard (`/quality`, `/api/quality`).
#[derive(Debug, Clone, Serialize)]
pub struct CatalogueQuality {
    /// The maximum (405).
    pub max: u32,
    /// Over every dataset the caller may see.
    pub summary: Summary,
    /// Publishers by average points, best first.
    pub publishers: Vec<PublisherRank>,
}

/// A dataset in a publisher's ranking.
#[derive(Debug, Clone, Serialize)]
pub struct DatasetRank {
    /// Its record id.
    pub id: String,
    /// Its IRI.
    pub iri: String,
    /// Title in Vietnamese (else another language).
    pub title_vi: Option<String>,
    /// Title in English (else another language).
    pub title_en: Option<String>,
    /// Points.
    pub score: u32,
    /// Rating.
    pub rating: Rating,
    /// The fix worth most points, if any.
    pub top_fix: Option<&'static str>,
}

/// A publisher's dashboard (`/api/quality/publisher/{id}`).
#[derive(Debug, Clone, Serialize)]
pub struct PublisherQuality {
    /// The publisher.
    pub publisher: PublisherRank,
    /// Over its datasets the caller may see.
    pub summary: Summary,
    /// Its datasets, best first.
    pub datasets: Vec<DatasetRank>,
    /// Daily averages over its public datasets, oldest first.
    pub history: Vec<Snapshot>,
}

fn publisher_names(
    registry: &Registry,
    catalog: &Catalog,
    iri: &NamedNode,
) -> (Option<String>, String, String) {
    let Some(id) = registry.id_of(iri.as_str()) else {
        return (None, iri.as_str().to_owned(), iri.as_str().to_owned());
    };
    let names = registry
        .get(&id, &Viewer::Anonymous)
        .ok()
        .and_then(|record| catalog.publisher_graph(registry, &record).ok())
        .map(|graph| {
            let subject: NamedOrBlankNode = iri.clone().into();
            (
                text_of(graph.iter(), &subject, foaf::NAME, "vi"),
                text_of(graph.iter(), &subject, foaf::NAME, "en"),
            )
        });
    let (vi, en) = names.unwrap_or_default();
    let vi = vi.unwrap_or_else(|| id.clone());
    let en = en.unwrap_or_else(|| vi.clone());
    (Some(id), vi, en)
}

fn rank(registry: &Registry, catalog: &Catalog, iri: &NamedNode, acc: &Accumulator) -> PublisherRank {
    let (id, name_vi, name_en) = publisher_names(registry, catalog, iri);
    let average = acc.average();
    PublisherRank {
        id,
        iri: iri.as_str().to_owned(),
        name_vi,
        name_en,
        datasets: acc.datasets,
        average,
        rating: Rating::of(average.round() as u32),
    }
}

pub(super) fn catalogue(
    quality: &Quality,
    registry: &Registry,
    catalog: &Catalog,
    viewer: &Viewer,
) -> Result<CatalogueQuality, QualityError> {
    let mut all = Accumulator::default();
    let mut by_publisher: FxHashMap<NamedNode, Accumulator> = FxHashMap::default();
    quality.for_each_visible(viewer, |_, entry: &Entry| {
        all.add(&entry.assessment);
        by_publisher.entry(entry.owner.clone()).or_default().add(&entry.assessment);
    });
    let mut publishers: Vec<PublisherRank> =
        by_publisher.iter().map(|(iri, acc)| rank(registry, catalog, iri, acc)).collect();
    publishers.sort_by(|a, b| {
        b.average.partial_cmp(&a.average).unwrap_or(std::cmp::Ordering::Equal).then(a.iri.cmp(&b.iri))
    });
    Ok(CatalogueQuality { max: MAX_POINTS, summary: all.summary(), publishers })
}

pub(super) fn publisher(
    quality: &Quality,
    registry: &Registry,
    catalog: &Catalog,
    viewer: &Viewer,
    publisher_id: &str,
) -> Result<PublisherQuality, QualityError> {
    let record = registry
        .get(publisher_id, viewer)
        .ok()
        .filter(|r| r.kind == Kind::Publisher)
        .ok_or_else(|| QualityError::NotFound(format!("no publisher {publisher_id}")))?;
    let mut acc = Accumulator::default();
    let mut datasets = Vec::new();
    quality.for_each_visible(viewer, |id, entry: &Entry| {
        if entry.owner != record.iri {
            return;
        }
        acc.add(&entry.assessment);
        let view = DatasetQualityView::new(id, entry.iri.as_str(), &entry.assessment);
        datasets.push(DatasetRank {
            id: id.to_owned(),
            iri: entry.iri.as_str().to_owned(),
            title_vi: entry.title_vi.clone(),
            title_en: entry.title_en.clone(),
            score: view.score,
            rating: view.rating,
            top_fix: view.fixes.first().map(|f| f.indicator),
        });
    });
    datasets.sort_by(|a, b| b.score.cmp(&a.score).then(a.id.cmp(&b.id)));
    Ok(PublisherQuality {
        publisher: rank(registry, catalog, &record.iri, &acc),
        summary: acc.summary(),
        datasets,
        history: quality.history_of(&record.iri),
    })
}
