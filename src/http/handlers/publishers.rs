//! `GET /publishers` and `GET /publishers/{id}`: the organisations that publish, for people (HTML)
//! and machines (RDF). Public.

use super::api::rdf_response;
use crate::http::auth::Caller;
use crate::http::error::HttpError;
use crate::http::negotiate::prefers_html;
use crate::http::ui::Ui;
use crate::http::{AppState, blocking};
use crate::rdf::ns::foaf;
use crate::registry::kind::Kind;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxigraph::model::{NamedNodeRef, Term, Triple};
use rustc_hash::FxHashMap;
use serde::Serialize;

fn label(triples: &[Triple], predicate: NamedNodeRef<'_>, lang: &str) -> String {
    let labels = triples.iter().filter(|t| t.predicate == predicate).filter_map(|t| match &t.object {
        Term::Literal(l) => Some((l.language() == Some(lang), l.value().to_owned())),
        _ => None,
    });
    labels.max_by_key(|(preferred, _)| *preferred).map(|(_, v)| v).unwrap_or_default()
}

#[derive(Serialize)]
struct PublisherItem {
    id: String,
    name_vi: String,
    name_en: String,
    records: usize,
}

#[derive(Serialize)]
struct PublishersPage {
    publishers: Vec<PublisherItem>,
}

/// `GET /publishers`.
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ui: Ui,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let viewer = caller.viewer();
    let app = state.app.clone();
    let (items, triples) = blocking::run(move || {
        let mut items = Vec::new();
        let mut all = Vec::new();
        // The records each organisation owns that the viewer may see: one pass over the index
        // (a listing per organisation cloned every record of it).
        let mut owned: FxHashMap<String, usize> = FxHashMap::default();
        app.registry.for_each_in_order(|r| {
            if r.kind != Kind::Publisher && r.visible_to(&viewer) {
                match owned.get_mut(r.owner.as_str()) {
                    Some(n) => *n += 1,
                    None => {
                        owned.insert(r.owner.as_str().to_owned(), 1);
                    }
                }
            }
            true
        });
        for org in app.registry.orgs() {
            let content = app.registry.content(&org)?;
            let records = owned.get(org.iri.as_str()).copied().unwrap_or(0);
            items.push(PublisherItem {
                id: org.iri.as_str().rsplit('/').next().unwrap_or_default().to_owned(),
                name_vi: label(&content, foaf::NAME, "vi"),
                name_en: label(&content, foaf::NAME, "en"),
                records,
            });
            all.extend(content);
        }
        Ok((items, all))
    })
    .await?;
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    if prefers_html(accept, &["text/turtle", "application/ld+json", "application/rdf+xml"]) {
        return Ok(state
            .templates
            .render("publishers.html", &ui, &PublishersPage { publishers: items })?
            .into_response());
    }
    rdf_response(&headers, StatusCode::OK, &triples)
}

/// How many records of each kind a publisher page lists (the rest are a search away).
const LISTED: usize = 10;

/// A record listed on a publisher page.
#[derive(Serialize)]
struct RecordItem {
    title: String,
    href: String,
    status: String,
    modified: Option<String>,
}

/// The publisher's records of one kind the caller may see.
#[derive(Serialize)]
struct KindSection {
    kind: String,
    total: usize,
    /// The newest [`LISTED`].
    records: Vec<RecordItem>,
    /// The search page listing all of them.
    all_href: String,
}

#[derive(Serialize)]
struct PublisherPage {
    id: String,
    iri: String,
    name_vi: String,
    name_en: String,
    total: usize,
    kinds: Vec<KindSection>,
    quality: Option<QualitySection>,
}

/// The quality of a publisher's datasets (issue: MQA shown where people decide).
#[derive(Serialize)]
struct QualitySection {
    max: u32,
    summary: crate::quality::view::Summary,
    /// Best first, the first [`LISTED`].
    best: Vec<RankedDataset>,
    /// Worst first, the last [`LISTED`] (when there are more than [`LISTED`]).
    to_improve: Vec<RankedDataset>,
    /// Daily averages, newest first, at most 30.
    history: Vec<crate::quality::Snapshot>,
}

/// A dataset in a publisher's quality ranking.
#[derive(Serialize)]
struct RankedDataset {
    title_vi: String,
    title_en: String,
    href: String,
    score: u32,
    rating: crate::quality::Rating,
}

impl RankedDataset {
    fn new(base: &str, d: &crate::quality::view::DatasetRank) -> Self {
        let title_vi = d.title_vi.clone().or_else(|| d.title_en.clone()).unwrap_or_else(|| d.id.clone());
        Self {
            title_en: d.title_en.clone().unwrap_or_else(|| title_vi.clone()),
            title_vi,
            href: d
                .iri
                .strip_prefix(base)
                .map_or_else(|| format!("/dataset/{}", d.id), |rest| format!("/{rest}")),
            score: d.score,
            rating: d.rating,
        }
    }
}

/// The publisher's records of each kind, newest first, from the search index (never a store read
/// per record).
fn kind_sections(
    app: &crate::app::App,
    viewer: &crate::store::Viewer,
    publisher: &str,
    lang: crate::search::Lang,
) -> Result<Vec<KindSection>, HttpError> {
    use crate::search::{Facet, SearchRequest, Sort};
    let request = |kind: Option<&str>, limit: usize| SearchRequest {
        filters: std::iter::once((Facet::Publisher, publisher.to_owned()))
            .chain(kind.map(|k| (Facet::Kind, k.to_owned())))
            .collect(),
        sort: Sort::Modified,
        limit,
        lang,
        ..SearchRequest::default()
    };
    let all = app.search.search(viewer, &request(None, 1))?;
    let kinds: Vec<(String, u64)> =
        all.facets.iter().find(|f| f.facet == Facet::Kind).map(|f| f.values.clone()).unwrap_or_default();
    let base = app.registry.base();
    let mut sections = Vec::new();
    for (kind, total) in kinds {
        if kind == Kind::Publisher.name() {
            continue;
        }
        let results = app.search.search(viewer, &request(Some(&kind), LISTED))?;
        let records = results
            .hits
            .iter()
            .map(|hit| RecordItem {
                title: hit.title(lang),
                href: super::search::hit_href(base, hit),
                status: hit.status.clone(),
                modified: hit.modified.clone(),
            })
            .collect();
        let query = serde_urlencoded::to_string([("publisher", publisher), ("kind", kind.as_str())])
            .unwrap_or_default();
        sections.push(KindSection {
            total: usize::try_from(total).unwrap_or(usize::MAX),
            kind,
            records,
            all_href: format!("/search?{query}"),
        });
    }
    Ok(sections)
}

/// `GET /publishers/{id}`.
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    ui: Ui,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let viewer = caller.viewer();
    let app = state.app.clone();
    let page_id = id.clone();
    let lang = ui.lang.search();
    let (page, triples) = blocking::run(move || {
        let iri = app.registry.org_iri(&id);
        let record_id = app
            .registry
            .id_of(iri.as_str())
            .ok_or_else(|| HttpError::NotFound(format!("/publishers/{id}")))?;
        let org = app.registry.get(&record_id, &viewer)?;
        let content = app.registry.content(&org)?;
        let kinds = kind_sections(&app, &viewer, org.iri.as_str(), lang)?;
        let quality =
            app.quality.publisher(&app.registry, &app.catalog, &viewer, &record_id).ok().and_then(|q| {
                if q.summary.datasets == 0 {
                    return None;
                }
                let base = app.registry.base();
                let best: Vec<_> =
                    q.datasets.iter().take(LISTED).map(|d| RankedDataset::new(base, d)).collect();
                let to_improve = if q.datasets.len() > LISTED {
                    q.datasets.iter().rev().take(LISTED).map(|d| RankedDataset::new(base, d)).collect()
                } else {
                    Vec::new()
                };
                let history = q.history.iter().rev().take(30).cloned().collect();
                Some(QualitySection {
                    max: crate::quality::MAX_POINTS,
                    summary: q.summary,
                    best,
                    to_improve,
                    history,
                })
            });
        let page = PublisherPage {
            id: page_id,
            iri: org.iri.as_str().to_owned(),
            name_vi: label(&content, foaf::NAME, "vi"),
            name_en: label(&content, foaf::NAME, "en"),
            total: kinds.iter().map(|k| k.total).sum(),
            kinds,
            quality,
        };
        Ok((page, content))
    })
    .await?;
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    if prefers_html(accept, &["text/turtle", "application/ld+json", "application/rdf+xml"]) {
        return Ok(state.templates.render("publisher.html", &ui, &page)?.into_response());
    }
    rdf_response(&headers, StatusCode::OK, &triples)
}
