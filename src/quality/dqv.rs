//! Assessments as W3C DQV: one `dqv:QualityMeasurement` per metric (the 23 indicators, the five
//! dimension scores, the total and the rating), in the dataset's quality graph
//! `urn:danhmuc:quality:{record id}`. The metrics are declared in `vocab/quality.ttl`.

use super::indicators::{Dimension, INDICATORS};
use super::score::Assessment;
use crate::rdf::ns::{dmq, dqv};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Literal, NamedNode, Triple};

/// The graph holding a dataset's measurements.
pub fn quality_graph(id: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("urn:danhmuc:quality:{id}"))
}

/// A metric of ours by local name (`dmq:keywordUsage`, `dmq:score`, `dmq:findabilityScore`…).
pub fn metric(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{}{local}", dmq::NAMESPACE))
}

/// The metric of a dimension's points.
pub fn dimension_metric(dimension: Dimension) -> NamedNode {
    metric(&format!("{}Score", dimension.id()))
}

/// The DQV triples of an assessment of `dataset` (record `id`).
pub fn measurements(id: &str, dataset: &NamedNode, assessment: &Assessment) -> Vec<Triple> {
    let mut triples = Vec::with_capacity(5 * (INDICATORS.len() + 7) + INDICATORS.len());
    let mut measure = |local: &str, metric: NamedNode, value: Literal| -> NamedNode {
        let m = NamedNode::new_unchecked(format!("urn:danhmuc:quality:{id}#{local}"));
        triples.push(Triple::new(dataset.clone(), dqv::HAS_QUALITY_MEASUREMENT, m.clone()));
        triples.push(Triple::new(m.clone(), rdf::TYPE, dqv::QUALITY_MEASUREMENT));
        triples.push(Triple::new(m.clone(), dqv::COMPUTED_ON, dataset.clone()));
        triples.push(Triple::new(m.clone(), dqv::IS_MEASUREMENT_OF, metric));
        triples.push(Triple::new(m.clone(), dqv::VALUE, value));
        m
    };
    let integer = |n: u32| Literal::new_typed_literal(n.to_string(), xsd::INTEGER);
    let mut results = Vec::with_capacity(INDICATORS.len());
    for (indicator, outcome) in INDICATORS.iter().zip(&assessment.outcomes) {
        let m = measure(indicator.id, metric(indicator.id), integer(u32::from(outcome.earned)));
        results.push(Triple::new(m, dmq::RESULT, outcome.state.iri()));
    }
    for (dimension, points) in Dimension::ALL.iter().zip(assessment.dimensions()) {
        let local = format!("{}Score", dimension.id());
        measure(&local, dimension_metric(*dimension), integer(points));
    }
    measure("score", dmq::SCORE.into_owned(), integer(assessment.total()));
    measure("rating", dmq::RATING.into_owned(), Literal::new_simple_literal(assessment.rating().id()));
    triples.extend(results);
    triples
}
