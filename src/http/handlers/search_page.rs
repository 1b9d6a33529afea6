//! `GET /search?q=…&publisher=…&theme=…&sort=…&page=…`: the search page for people, on the same
//! index, parameters and visibility as `/api/search` (`search::parse`). Facet values are shown by
//! their labels in the page language; every link keeps the other filters. Datasets' MQA ratings are
//! offered as a "minimum rating" choice ("good or better"), counted over the current results.

use super::feed::{HTML, answer_page};
use super::search::{hit_href, parse};
use crate::http::auth::Caller;
use crate::http::error::HttpError;
use crate::http::ui::Ui;
use crate::http::{AppState, blocking};
use crate::search::{FACETS, Facet, Rating, Sort};
use crate::store::Viewer;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Description length on the results page, in characters.
const SUMMARY_CHARS: usize = 280;
/// Values shown per facet.
const FACET_SHOWN: usize = 12;

#[derive(Serialize)]
struct HitView {
    title: String,
    href: String,
    kind: String,
    summary: String,
    publisher: Option<String>,
    modified: Option<String>,
    status: String,
    rating: Option<String>,
}

#[derive(Serialize)]
struct FacetValue {
    /// The value as a key (for translated values: kind, status, rating).
    key: String,
    label: String,
    count: u64,
    href: String,
    active: bool,
}

#[derive(Serialize)]
struct FacetView {
    key: &'static str,
    values: Vec<FacetValue>,
}

#[derive(Serialize)]
struct ActiveFilter {
    key: &'static str,
    label: String,
    remove: String,
}

#[derive(Serialize)]
struct SortLink {
    key: &'static str,
    href: String,
    active: bool,
}

/// `search.html`.
#[derive(Serialize)]
struct SearchPage {
    q: String,
    total: usize,
    page: usize,
    pages: usize,
    hits: Vec<HitView>,
    facets: Vec<FacetView>,
    /// "At least" choices, best first; empty when no result is rated.
    ratings: Vec<FacetValue>,
    active: Vec<ActiveFilter>,
    sorts: Vec<SortLink>,
    sort: &'static str,
    hidden: Vec<(String, String)>,
    previous: Option<String>,
    next: Option<String>,
}

/// A link to the search page with these parameters.
fn link(pairs: &[(String, String)]) -> String {
    format!("/search?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
}

/// `GET /search`.
pub async fn page(
    State(state): State<AppState>,
    caller: Caller,
    ui: Ui,
    RawQuery(query): RawQuery,
    headers: axum::http::HeaderMap,
) -> Result<Response, HttpError> {
    // `lang` chooses the page language (handled by `Ui`); the index gets it from there.
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.as_deref().unwrap_or(""))
        .map_err(|e| HttpError::BadRequest(format!("bad query string: {e}")))?;
    let kept: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(k, v)| k != "lang" && !(k == "page" && v == "1") && !v.is_empty())
        .collect();
    let mut params = parse(Some(&serde_urlencoded::to_string(&kept).unwrap_or_default()))?;
    params.request.lang = ui.lang.search();
    let viewer = caller.viewer();
    // Anonymous readers share one rendering per query and language while nothing changed.
    let cacheable = viewer == Viewer::Anonymous && ui.session.is_none();
    let (key, generation) =
        super::search::cache_key(&state, &format!("search|{}", ui.lang.code()), query.as_deref());
    if cacheable && let Some(page) = state.pages.get(&key, generation) {
        return Ok(answer_page(&headers, StatusCode::OK, HTML, page, false, None));
    }
    let app = state.app.clone();
    let lang = ui.lang;
    let view = blocking::run(move || {
        let results = app.search.search(&viewer, &params.request)?;
        let code = lang.code();
        let label = |iri: &str| app.catalog.label_of(&app.registry, &viewer, iri, code);
        let without_page: Vec<(String, String)> = kept.iter().filter(|(k, _)| k != "page").cloned().collect();
        let hits = results
            .hits
            .iter()
            .map(|hit| {
                let (summary, other_summary) = match lang {
                    crate::http::i18n::Lang::Vi => (&hit.description_vi, &hit.description_en),
                    crate::http::i18n::Lang::En => (&hit.description_en, &hit.description_vi),
                };
                let mut summary: String =
                    summary.clone().or_else(|| other_summary.clone()).unwrap_or_default();
                if summary.chars().count() > SUMMARY_CHARS {
                    summary = summary.chars().take(SUMMARY_CHARS).collect::<String>() + "…";
                }
                HitView {
                    title: hit.title(lang.search()),
                    href: hit_href(app.registry.base(), hit),
                    kind: hit.kind.clone(),
                    summary,
                    publisher: hit.publisher.as_deref().and_then(label),
                    modified: hit.modified.clone(),
                    status: hit.status.clone(),
                    rating: hit.rating.clone(),
                }
            })
            .collect();
        let value_label = |facet: Facet, value: &str| -> String {
            match facet {
                Facet::Kind | Facet::Status | Facet::Rating => value.to_owned(),
                _ => label(value).unwrap_or_else(|| value.to_owned()),
            }
        };
        let facets = FACETS
            .iter()
            .filter(|facet| **facet != Facet::Rating)
            .filter_map(|facet| results.facets.iter().find(|f| f.facet == *facet))
            .filter(|f| !f.values.is_empty())
            .map(|f| FacetView {
                key: f.facet.key(),
                values: f
                    .values
                    .iter()
                    .take(FACET_SHOWN)
                    .map(|(value, count)| {
                        let active = without_page.iter().any(|(k, v)| k == f.facet.key() && v == value);
                        let mut next: Vec<(String, String)> = without_page
                            .iter()
                            .filter(|(k, v)| !(active && k == f.facet.key() && v == value))
                            .cloned()
                            .collect();
                        if !active {
                            next.push((f.facet.key().to_owned(), value.clone()));
                        }
                        FacetValue {
                            key: value.clone(),
                            label: value_label(f.facet, value),
                            count: *count,
                            href: link(&next),
                            active,
                        }
                    })
                    .collect(),
            })
            .collect();
        let rated: Vec<(String, u64)> = results
            .facets
            .iter()
            .find(|f| f.facet == Facet::Rating)
            .map(|f| f.values.clone())
            .unwrap_or_default();
        let ratings = if rated.is_empty() {
            Vec::new()
        } else {
            Rating::ALL
                .into_iter()
                .map(|rating| {
                    let count = rated
                        .iter()
                        .filter(|(v, _)| Rating::parse(v).is_some_and(|r| r >= rating))
                        .map(|(_, n)| n)
                        .sum();
                    let active = params.request.min_rating == Some(rating);
                    let mut next: Vec<(String, String)> =
                        without_page.iter().filter(|(k, _)| k != "min_rating").cloned().collect();
                    if !active {
                        next.push(("min_rating".into(), rating.id().into()));
                    }
                    FacetValue {
                        key: rating.id().to_owned(),
                        label: rating.id().to_owned(),
                        count,
                        href: link(&next),
                        active,
                    }
                })
                // No link to an empty page.
                .filter(|v| v.count > 0 || v.active)
                .collect()
        };
        let active = without_page
            .iter()
            .filter_map(|(k, v)| {
                let key = if k == "min_rating" { "min_rating" } else { Facet::from_key(k)?.key() };
                let label = match Facet::from_key(k) {
                    Some(facet) => value_label(facet, v),
                    None => v.clone(),
                };
                let rest: Vec<(String, String)> =
                    without_page.iter().filter(|(k2, v2)| !(k2 == k && v2 == v)).cloned().collect();
                Some(ActiveFilter { key, label, remove: link(&rest) })
            })
            .collect();
        let sorts = [Sort::Relevance, Sort::Title, Sort::Modified]
            .into_iter()
            .map(|s| {
                let mut next: Vec<(String, String)> =
                    without_page.iter().filter(|(k, _)| k != "sort").cloned().collect();
                if s != Sort::Relevance {
                    next.push(("sort".into(), s.key().into()));
                }
                SortLink { key: s.key(), href: link(&next), active: s == params.request.sort }
            })
            .collect();
        let pages = results.total.div_ceil(params.per_page).max(1);
        let page_link = |n: usize| {
            let mut next = without_page.clone();
            if n > 1 {
                next.push(("page".into(), n.to_string()));
            }
            link(&next)
        };
        Ok::<_, HttpError>(SearchPage {
            q: params.request.q.clone(),
            total: results.total,
            page: params.page,
            pages,
            hits,
            facets,
            ratings,
            active,
            sorts,
            sort: params.request.sort.key(),
            hidden: without_page.iter().filter(|(k, _)| k != "q").cloned().collect(),
            previous: (params.page > 1).then(|| page_link(params.page - 1)),
            next: (params.page < pages).then(|| page_link(params.page + 1)),
        })
    })
    .await?;
    let html = state.templates.render("search.html", &ui, &view)?;
    if cacheable {
        let page = state.pages.keep(key, generation, html.0.into());
        return Ok(answer_page(&headers, StatusCode::OK, HTML, page, false, None));
    }
    Ok(html.into_response())
}
