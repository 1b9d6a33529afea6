//! Pages for people that are not records: the home page, static assets, "not found".

use crate::app::App;
use crate::bundled::{self, STATIC_FILES};
use crate::catalog::text_of;
use crate::http::auth::Caller;
use crate::http::error::HttpError;
use crate::http::i18n::Lang;
use crate::http::ui::Ui;
use crate::http::{AppState, blocking};
use crate::rdf::ns::{dcat, dct, foaf};
use crate::registry::kind::Kind;
use crate::registry::record::Record;
use crate::store::Viewer;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use oxigraph::model::NamedOrBlankNode;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::sync::Arc;

/// How many items each list of the home page shows.
const HOME_LIST: usize = 8;
/// The EU data-theme authority table: the themes the home page counts.
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

fn local(base: &str, iri: &str) -> String {
    match iri.strip_prefix(base) {
        Some(rest) => match rest.strip_prefix("publisher/") {
            Some(id) => format!("/publishers/{id}"),
            None => format!("/{rest}"),
        },
        None => iri.to_owned(),
    }
}

fn item(app: &App, record: &Record, lang: Lang) -> Item {
    let content = app.registry.content(record).unwrap_or_default();
    let subject: NamedOrBlankNode = record.iri.clone().into();
    let predicate = if record.kind == Kind::Publisher { foaf::NAME } else { dct::TITLE };
    Item {
        title: text_of(&content, &subject, predicate, lang.code()).unwrap_or_else(|| record.id.clone()),
        href: local(&app.config.base_url, record.iri.as_str()),
        date: Some(record.modified.to_string()),
        kind: record.kind.name(),
    }
}

fn home_page(app: &App, viewer: &Viewer, lang: Lang) -> HomePage {
    let mut counts = Counts { datasets: 0, services: 0, standards: 0, publishers: 0 };
    let mut per_owner: FxHashMap<String, usize> = FxHashMap::default();
    let mut newest: Vec<Record> = Vec::new();
    let mut services = Vec::new();
    let mut standards = Vec::new();
    let mut publishers = Vec::new();
    app.registry.for_each_in_order(|r| {
        if !r.visible_to(viewer) || r.status == crate::registry::lifecycle::Status::Retired {
            return true;
        }
        match r.kind {
            Kind::Dataset | Kind::Series => {
                counts.datasets += 1;
                *per_owner.entry(r.owner.as_str().to_owned()).or_default() += 1;
                if newest.len() < HOME_LIST || newest.last().is_some_and(|n| r.modified > n.modified) {
                    let at = newest.partition_point(|n| n.modified >= r.modified);
                    newest.insert(at, r.clone());
                    newest.truncate(HOME_LIST);
                }
            }
            Kind::Service => {
                counts.services += 1;
                *per_owner.entry(r.owner.as_str().to_owned()).or_default() += 1;
                if services.len() < HOME_LIST {
                    services.push(r.clone());
                }
            }
            Kind::Standard => {
                counts.standards += 1;
                if standards.len() < HOME_LIST {
                    standards.push(r.clone());
                }
            }
            Kind::Publisher => {
                counts.publishers += 1;
                publishers.push(r.clone());
            }
            Kind::Catalog => {}
        }
        true
    });
    let mut themes: Vec<Theme> = app
        .catalog
        .terms_with_prefix(THEMES)
        .into_iter()
        .filter_map(|theme| {
            let count = app.store.count_public(dcat::THEME, theme.as_ref()).ok()?;
            let label = app
                .catalog
                .term(theme)
                .and_then(|t| {
                    text_of(t, &theme.clone().into(), crate::rdf::ns::skos::PREF_LABEL, lang.code())
                })
                .unwrap_or_else(|| theme.as_str().trim_start_matches(THEMES).to_owned());
            let query = serde_urlencoded::to_string([("theme", theme.as_str())]).unwrap_or_default();
            (count > 0).then(|| Theme { label, href: format!("/search?{query}"), count })
        })
        .collect();
    themes.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    let mut publishers: Vec<PublisherItem> = publishers
        .iter()
        .map(|p| {
            let it = item(app, p, lang);
            PublisherItem {
                name: it.title,
                href: it.href,
                count: per_owner.get(p.iri.as_str()).copied().unwrap_or(0),
            }
        })
        .collect();
    publishers.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    publishers.truncate(HOME_LIST * 2);
    HomePage {
        counts,
        themes,
        publishers,
        newest: newest.iter().map(|r| item(app, r, lang)).collect(),
        services: services.iter().map(|r| item(app, r, lang)).collect(),
        standards: standards.iter().map(|r| item(app, r, lang)).collect(),
        sparql: format!("{}sparql", app.config.base_url),
    }
}

/// `GET /`: the home page. Anonymous readers share one rendering per language and registry
/// generation.
pub async fn home(State(state): State<AppState>, caller: Caller, ui: Ui) -> Result<Html<String>, HttpError> {
    let viewer = caller.viewer();
    let cacheable = viewer == Viewer::Anonymous && ui.session.is_none();
    let key = format!("home|{}", ui.lang.code());
    let generation = state.app.registry.generation();
    if cacheable && let Some(page) = state.pages.get(&key, generation) {
        return Ok(Html(page.to_string()));
    }
    let worker = state.clone();
    let html = blocking::run(move || {
        let view = home_page(&worker.app, &viewer, ui.lang);
        worker.templates.render("home.html", &ui, &view)
    })
    .await?;
    if cacheable {
        state.pages.put(key, generation, Arc::from(html.0.as_str()));
    }
    Ok(html)
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
