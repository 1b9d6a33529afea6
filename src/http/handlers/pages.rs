//! Pages for people that are not records: the home page, static assets, "not found".

use super::feed::{HTML, answer_page};
use super::search::hit_href;
use crate::app::App;
use crate::bundled::{self, STATIC_FILES};
use crate::http::auth::Caller;
use crate::http::error::HttpError;
use crate::http::i18n::Lang;
use crate::http::ui::Ui;
use crate::http::{AppState, blocking};
use crate::registry::kind::Kind;
use crate::search::{Facet, SearchError, SearchRequest, SearchResults, Sort};
use crate::store::Viewer;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// How many items each list of the home page shows.
const HOME_LIST: usize = 8;
/// The EU data-theme authority table: a theme without a label shows its code from it.
const THEMES: &str = "http://publications.europa.eu/resource/authority/data-theme/";

#[derive(Serialize)]
struct Counts {
    datasets: usize,
    services: usize,
    standards: usize,
    publishers: usize,
}

#[derive(Serialize)]
struct Item {
    title: String,
    href: String,
    date: Option<String>,
    kind: &'static str,
}

#[derive(Serialize)]
struct Theme {
    label: String,
    href: String,
    count: usize,
}

#[derive(Serialize)]
struct PublisherItem {
    name: String,
    href: String,
    count: usize,
}

/// `home.html`.
#[derive(Serialize)]
struct HomePage {
    counts: Counts,
    themes: Vec<Theme>,
    publishers: Vec<PublisherItem>,
    newest: Vec<Item>,
    services: Vec<Item>,
    standards: Vec<Item>,
    sparql: String,
}

/// The records of `kinds` that `viewer` may see: `limit` of them, newest first, and the facet counts
/// of them all.
fn search_kinds(
    app: &App,
    viewer: &Viewer,
    kinds: &[Kind],
    limit: usize,
    lang: Lang,
) -> Result<SearchResults, SearchError> {
    let request = SearchRequest {
        filters: kinds.iter().map(|k| (Facet::Kind, k.name().to_owned())).collect(),
        sort: Sort::Modified,
        limit,
        lang: lang.search(),
        ..SearchRequest::default()
    };
    app.search.search(viewer, &request)
}

fn counts_of(results: &SearchResults, facet: Facet) -> &[(String, u64)] {
    results.facets.iter().find(|f| f.facet == facet).map_or(&[], |f| f.values.as_slice())
}

fn items(app: &App, results: &SearchResults, lang: Lang) -> Vec<Item> {
    results
        .hits
        .iter()
        .map(|hit| Item {
            title: hit.title(lang.search()),
            href: hit_href(app.registry.base(), hit),
            date: hit.modified.clone(),
            kind: hit.kind.parse::<Kind>().map_or("dataset", Kind::name),
        })
        .collect()
}

/// Everything on the home page comes from the search index, which applies the same visibility and
/// leaves withdrawn records out: a handful of index look-ups however large the registry is.
fn home_page(app: &App, viewer: &Viewer, lang: Lang) -> Result<HomePage, SearchError> {
    let all = search_kinds(app, viewer, &[], 0, lang)?;
    let kind_count = |kinds: &[Kind]| -> usize {
        let counted = counts_of(&all, Facet::Kind);
        let n: u64 =
            counted.iter().filter(|(k, _)| kinds.iter().any(|kind| kind.name() == k)).map(|(_, n)| n).sum();
        usize::try_from(n).unwrap_or(usize::MAX)
    };
    let counts = Counts {
        datasets: kind_count(&[Kind::Dataset, Kind::Series]),
        services: kind_count(&[Kind::Service]),
        standards: kind_count(&[Kind::Standard]),
        publishers: kind_count(&[Kind::Publisher]),
    };
    let newest = search_kinds(app, viewer, &[Kind::Dataset, Kind::Series], HOME_LIST, lang)?;
    let published = search_kinds(app, viewer, &[Kind::Dataset, Kind::Series, Kind::Service], 0, lang)?;
    let services = search_kinds(app, viewer, &[Kind::Service], HOME_LIST, lang)?;
    let standards = search_kinds(app, viewer, &[Kind::Standard], HOME_LIST, lang)?;
    let code = lang.code();
    let label = |iri: &str| app.catalog.label_of(&app.registry, viewer, iri, code);
    let search_for = |facet: Facet, value: &str| {
        format!("/search?{}", serde_urlencoded::to_string([(facet.key(), value)]).unwrap_or_default())
    };
    let mut themes: Vec<Theme> = counts_of(&published, Facet::Theme)
        .iter()
        .map(|(theme, n)| Theme {
            label: label(theme).unwrap_or_else(|| theme.trim_start_matches(THEMES).to_owned()),
            href: search_for(Facet::Theme, theme),
            count: usize::try_from(*n).unwrap_or(usize::MAX),
        })
        .collect();
    themes.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    let publishers = counts_of(&published, Facet::Publisher)
        .iter()
        .take(HOME_LIST * 2)
        .map(|(iri, n)| PublisherItem {
            name: label(iri).unwrap_or_else(|| iri.clone()),
            href: match app.registry.id_of(iri) {
                Some(id) => format!("/publishers/{id}"),
                None => search_for(Facet::Publisher, iri),
            },
            count: usize::try_from(*n).unwrap_or(usize::MAX),
        })
        .collect();
    Ok(HomePage {
        counts,
        themes,
        publishers,
        newest: items(app, &newest, lang),
        services: items(app, &services, lang),
        standards: items(app, &standards, lang),
        sparql: format!("{}sparql", app.config.base_url),
    })
}

/// `GET /`: the home page. Anonymous readers share one rendering per language and registry
/// generation.
pub async fn home(
    State(state): State<AppState>,
    caller: Caller,
    ui: Ui,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let viewer = caller.viewer();
    let cacheable = viewer == Viewer::Anonymous && ui.session.is_none();
    let (key, generation) = super::search::cache_key(&state, &format!("home|{}", ui.lang.code()), None);
    if cacheable && let Some(page) = state.pages.get(&key, generation) {
        return Ok(answer_page(&headers, StatusCode::OK, HTML, page, false, None));
    }
    let worker = state.clone();
    let html = blocking::run(move || {
        let view = home_page(&worker.app, &viewer, ui.lang)?;
        worker.templates.render("home.html", &ui, &view)
    })
    .await?;
    if cacheable {
        let page = state.pages.keep(key, generation, html.0.into());
        return Ok(answer_page(&headers, StatusCode::OK, HTML, page, false, None));
    }
    Ok(html.into_response())
}

/// `GET /static/{path}`: bundled CSS and JavaScript, cached for a day.
pub async fn static_file(Path(path): Path<String>) -> Result<Response, HttpError> {
    let content =
        bundled::find(STATIC_FILES, &path).ok_or_else(|| HttpError::NotFound(format!("/static/{path}")))?;
    let media_type = match path.rsplit_once('.').map(|(_, e)| e) {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        _ => "text/plain; charset=utf-8",
    };
    Ok(([(header::CONTENT_TYPE, media_type), (header::CACHE_CONTROL, "public, max-age=86400")], content)
        .into_response())
}

/// Anything else: 404.
pub async fn not_found(uri: axum::http::Uri) -> HttpError {
    HttpError::NotFound(uri.path().to_owned())
}
