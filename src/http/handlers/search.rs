//! `GET /api/search`: the portal's search as JSON, for front-end developers. The same index, the
//! same visibility and the same parameters as the HTML search page.
//!
//! Parameters: `q` (free text), one parameter per facet value (`publisher`, `theme`, `format`,
//! `license`, `access_rights`, `spatial`, `status`, `kind`, `rating`; repeat one for alternatives),
//! `min_rating` (`excellent`, `good`, `sufficient`, `bad`: datasets rated at least that well),
//! `sort` (`relevance`, `title`, `modified`), `page` (from 1), `per_page` (1–100, default 20), `lang`
//! (`vi`, `en`: titles and labels).

use super::feed::{answer, answer_page};
use crate::http::auth::Caller;
use crate::http::error::HttpError;
use crate::http::{AppState, blocking};
use crate::search::{Facet, Lang, MAX_LIMIT, Rating, SearchRequest, Sort};
use crate::store::Viewer;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

/// The media type of `/api/search` answers.
const JSON: &str = "application/json";

/// Results per page unless asked otherwise.
pub const PER_PAGE: usize = 20;

/// A search request from query parameters, with the page asked for.
#[derive(Debug, Clone)]
pub struct SearchParams {
    /// The request for the index.
    pub request: SearchRequest,
    /// The page number, from 1.
    pub page: usize,
    /// Results per page.
    pub per_page: usize,
}

/// Reads search parameters (unknown parameters are refused, so that a typo is not silently a
/// broader search).
pub fn parse(query: Option<&str>) -> Result<SearchParams, HttpError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|e| HttpError::BadRequest(format!("bad query string: {e}")))?;
    let mut request = SearchRequest::default();
    let mut page = 1;
    let mut per_page = PER_PAGE;
    let number = |name: &str, value: &str| {
        value
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| HttpError::BadRequest(format!("{name} must be a whole number from 1")))
    };
    for (key, value) in pairs {
        match key.as_str() {
            "q" => request.q = value,
            "sort" => {
                request.sort = Sort::from_key(&value).ok_or_else(|| {
                    HttpError::BadRequest("sort must be relevance, title or modified".into())
                })?;
            }
            "page" => page = number("page", &value)?,
            "min_rating" if value.is_empty() => {}
            "min_rating" => {
                let rating = Rating::parse(&value).ok_or_else(|| {
                    HttpError::BadRequest("min_rating must be excellent, good, sufficient or bad".into())
                })?;
                if request.min_rating.is_some_and(|r| r != rating) {
                    return Err(HttpError::BadRequest("min_rating is given once".into()));
                }
                request.min_rating = Some(rating);
            }
            "per_page" => {
                per_page = number("per_page", &value)?;
                if per_page > MAX_LIMIT {
                    return Err(HttpError::BadRequest(format!("per_page must be at most {MAX_LIMIT}")));
                }
            }
            "lang" => {
                request.lang = match value.as_str() {
                    "vi" => Lang::Vi,
                    "en" => Lang::En,
                    _ => return Err(HttpError::BadRequest("lang must be vi or en".into())),
                };
            }
            other => match Facet::from_key(other) {
                Some(facet) if !value.is_empty() => request.filters.push((facet, value)),
                Some(_) => {}
                None => return Err(HttpError::BadRequest(format!("unknown search parameter {other:?}"))),
            },
        }
    }
    if request.filters.len() > 64 {
        return Err(HttpError::BadRequest("at most 64 facet values".into()));
    }
    request.limit = per_page;
    request.offset = (page - 1).saturating_mul(per_page);
    Ok(SearchParams { request, page, per_page })
}

#[derive(Serialize)]
struct ApiHit {
    #[serde(flatten)]
    hit: crate::search::Hit,
    /// The record's page.
    url: String,
    publisher_label: Option<String>,
}

#[derive(Serialize)]
struct ApiValue {
    value: String,
    label: Option<String>,
    count: u64,
}

#[derive(Serialize)]
struct ApiFacet {
    facet: Facet,
    values: Vec<ApiValue>,
}

#[derive(Serialize)]
struct ApiResults {
    total: usize,
    page: usize,
    per_page: usize,
    pages: usize,
    hits: Vec<ApiHit>,
    facets: Vec<ApiFacet>,
}

/// Where an anonymous search answer is kept in the page cache: valid for one registry generation
/// (labels) and, through the key, one search index generation (results).
pub fn cache_key(state: &AppState, what: &str, query: Option<&str>) -> (String, u64) {
    let key = format!("{what}|{}|{}", state.app.search.generation(), query.unwrap_or(""));
    (key, state.app.registry.generation())
}

/// `GET /api/search`. Anonymous callers share one serialised answer per query while neither the
/// registry nor the index changed.
pub async fn api(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
    headers: axum::http::HeaderMap,
) -> Result<Response, HttpError> {
    let params = parse(query.as_deref())?;
    let viewer = caller.viewer();
    let cacheable = viewer == Viewer::Anonymous;
    let (key, generation) = cache_key(&state, "api/search", query.as_deref());
    if cacheable && let Some(body) = state.pages.get(&key, generation) {
        return Ok(answer_page(&headers, StatusCode::OK, JSON, body, false, None));
    }
    let app = state.app.clone();
    let body = blocking::run(move || {
        let results = app.search.search(&viewer, &params.request)?;
        let lang = params.request.lang.tag();
        let label = |iri: &str| app.catalog.label_of(&app.registry, &viewer, iri, lang);
        let value_label = |facet: Facet, value: &str| match facet {
            Facet::Rating => Rating::parse(value)
                .map(|r| if lang == "en" { r.label_en() } else { r.label_vi() }.to_owned()),
            Facet::Kind | Facet::Status => None,
            _ => label(value),
        };
        let hits = results
            .hits
            .into_iter()
            .map(|hit| ApiHit {
                url: record_url(app.registry.base(), &hit),
                publisher_label: hit.publisher.as_deref().and_then(label),
                hit,
            })
            .collect();
        let facets = results
            .facets
            .into_iter()
            .map(|f| ApiFacet {
                facet: f.facet,
                values: f
                    .values
                    .into_iter()
                    .map(|(value, count)| ApiValue { label: value_label(f.facet, &value), value, count })
                    .collect(),
            })
            .collect();
        let answer = ApiResults {
            total: results.total,
            page: params.page,
            per_page: params.per_page,
            pages: results.total.div_ceil(params.per_page),
            hits,
            facets,
        };
        serde_json::to_vec(&answer).map_err(HttpError::internal)
    })
    .await?;
    if cacheable {
        let page = state.pages.keep(key, generation, body.into());
        return Ok(answer_page(&headers, StatusCode::OK, JSON, page, false, None));
    }
    Ok(answer(&headers, StatusCode::OK, JSON, body, false, None))
}

/// The site-relative link of a hit's page.
pub fn hit_href(base: &str, hit: &crate::search::Hit) -> String {
    super::local(base, &record_url(base, hit))
}

/// Where a hit's page is: its IRI when the registry minted it, else the registry's page for it.
pub fn record_url(base: &str, hit: &crate::search::Hit) -> String {
    let segment = hit
        .kind
        .parse::<crate::registry::kind::Kind>()
        .ok()
        .map_or("dataset", crate::registry::kind::Kind::segment);
    super::record_page(base, &hit.iri, segment, &hit.id)
}
