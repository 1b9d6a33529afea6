//! DCAT-AP feeds: `GET /catalog` and `/catalog.{ttl,rdf,jsonld,nt}` (the root catalogue),
//! `/catalog/{publisher}` (an organisation's own), `/catalog/withdrawn` (tombstones), `/data.json`
//! (DCAT-US 1.1). RDF unless a browser explicitly prefers HTML (CKAN sends `Accept: */*`), exact
//! `Content-Type`s, UTF-8, `Content-Length` on `GET` and `HEAD` (bodies are gzipped here, not by the
//! compression layer, when the client accepts gzip, so that the length is known), `Vary`, and a
//! `Link: rel="alternate"` for every RDF form. Paging links come from `--base-url`, never `Host`.

use crate::catalog::feed::{FeedPage, FeedQuery, Paging, parse_since};
use crate::catalog::text_of;
use crate::http::auth::Caller;
use crate::http::cache::{GZIP_FROM, Page};
use crate::http::error::HttpError;
use crate::http::negotiate::{choose, prefers_html};
use crate::http::ui::Ui;
use crate::http::{AppState, blocking};
use crate::rdf::io::{self, JSON_LD};
use crate::rdf::ns::dct;
use crate::registry::kind::Kind;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use flate2::Compression;
use flate2::write::GzEncoder;
use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedOrBlankNode, Triple};
use serde::{Deserialize, Serialize};
use std::io::Write;

/// The RDF forms by suffix, in the order `Link` headers list them.
pub const FORMS: [(&str, RdfFormat); 4] = [
    ("ttl", RdfFormat::Turtle),
    ("rdf", RdfFormat::RdfXml),
    ("jsonld", JSON_LD),
    ("nt", RdfFormat::NTriples),
];

/// What `Accept` may ask for; `*/*` gets Turtle.
const OFFERS: [(&str, RdfFormat); 5] = [
    ("text/turtle", RdfFormat::Turtle),
    ("application/ld+json", JSON_LD),
    ("application/rdf+xml", RdfFormat::RdfXml),
    ("application/n-triples", RdfFormat::NTriples),
    ("application/json", JSON_LD),
];

const MACHINE_TYPES: [&str; 4] =
    ["text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"];

/// Splits a format suffix off a path segment: `x.ttl` → (`x`, Turtle); `.xml` is RDF/XML too.
pub fn split_suffix(name: &str) -> (&str, Option<RdfFormat>) {
    if let Some((stem, ext)) = name.rsplit_once('.') {
        if let Some((_, format)) = FORMS.iter().find(|(e, _)| *e == ext) {
            return (stem, Some(*format));
        }
        if ext == "xml" {
            return (stem, Some(RdfFormat::RdfXml));
        }
    }
    (name, None)
}

fn suffix_of(format: RdfFormat) -> &'static str {
    FORMS.iter().find(|(_, f)| *f == format).map_or("ttl", |(e, _)| e)
}

/// HTML or an RDF syntax.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Form {
    /// A page for people.
    Html,
    /// RDF.
    Rdf(RdfFormat),
}

/// Decides the form: the suffix when there is one; else HTML when explicitly preferred; else RDF by
/// `Accept` (Turtle for `*/*` or none).
pub fn negotiate(headers: &HeaderMap, suffix: Option<RdfFormat>) -> Result<Form, HttpError> {
    if let Some(format) = suffix {
        return Ok(Form::Rdf(format));
    }
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    if prefers_html(accept, &MACHINE_TYPES) {
        return Ok(Form::Html);
    }
    choose(accept, &OFFERS).map(Form::Rdf).ok_or_else(|| {
        HttpError::NotAcceptable(
            "this is RDF or HTML: text/turtle, application/ld+json, application/rdf+xml, application/n-triples, text/html"
                .into(),
        )
    })
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).any(|v| {
        v.split(',').any(|part| {
            let coding = part.split(';').next().unwrap_or_default().trim();
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused(part)
        })
    })
}

/// Whether a coding of `Accept-Encoding` carries `q=0`.
fn refused(part: &str) -> bool {
    part.split(';').skip(1).any(|p| {
        p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()).is_some_and(|q| q <= 0.0)
    })
}

/// The `Link` header naming every RDF form of `url` (absolute, without suffix) with `query`.
pub fn alternates(url: &str, query: &str) -> String {
    use std::fmt::Write as _;
    let mut link = String::with_capacity(FORMS.len() * (url.len() + query.len() + 56));
    for (n, (ext, format)) in FORMS.iter().enumerate() {
        let separator = if n == 0 { "" } else { ", " };
        // Writing to a String cannot fail.
        let _ = write!(
            link,
            "{separator}<{url}.{ext}{query}>; rel=\"alternate\"; type=\"{}\"",
            format.media_type()
        );
    }
    link
}

/// The media type of HTML pages.
pub const HTML: &str = "text/html; charset=utf-8";

/// A finished answer: exact `Content-Type`, `Content-Length`, gzip when accepted, `Vary`, `Link`.
pub fn answer(
    headers: &HeaderMap,
    status: StatusCode,
    media_type: &str,
    body: impl Into<Bytes>,
    negotiated: bool,
    link: Option<&str>,
) -> Response {
    let body: Bytes = body.into();
    let (body, gzipped) = if accepts_gzip(headers) && body.len() >= GZIP_FROM {
        let mut encoder = GzEncoder::new(Vec::with_capacity(body.len() / 4), Compression::fast());
        match encoder.write_all(&body).and_then(|()| encoder.finish()) {
            Ok(compressed) => (Bytes::from(compressed), true),
            Err(_) => (body, false),
        }
    } else {
        (body, false)
    };
    finish(status, media_type, body, gzipped, negotiated, link)
}

/// A kept page answered like [`answer`], its gzip form sent as it is when accepted.
pub fn answer_page(
    headers: &HeaderMap,
    status: StatusCode,
    media_type: &str,
    page: Page,
    negotiated: bool,
    link: Option<&str>,
) -> Response {
    match page.gzip {
        Some(gzip) if accepts_gzip(headers) => finish(status, media_type, gzip, true, negotiated, link),
        _ => finish(status, media_type, page.plain, false, negotiated, link),
    }
}

fn finish(
    status: StatusCode,
    media_type: &str,
    body: Bytes,
    gzipped: bool,
    negotiated: bool,
    link: Option<&str>,
) -> Response {
    let length = body.len();
    let mut response = (status, body).into_response();
    let out = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(media_type) {
        out.insert(header::CONTENT_TYPE, value);
    }
    out.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    out.insert(
        header::VARY,
        HeaderValue::from_static(if negotiated { "Accept, Accept-Encoding" } else { "Accept-Encoding" }),
    );
    if gzipped {
        out.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    if let Some(link) = link.and_then(|l| HeaderValue::from_str(l).ok()) {
        out.insert(header::LINK, link);
    }
    response
}

/// Triples in an RDF syntax, answered.
pub fn rdf_answer(
    headers: &HeaderMap,
    status: StatusCode,
    format: RdfFormat,
    triples: &[Triple],
    negotiated: bool,
    link: Option<&str>,
) -> Result<Response, HttpError> {
    let mut body = Vec::new();
    io::write_triples(format, triples, &mut body).map_err(HttpError::internal)?;
    Ok(answer(headers, status, format.media_type(), body, negotiated, link))
}

/// An HTML page, answered.
pub fn html_answer(
    state: &AppState,
    ui: &Ui,
    headers: &HeaderMap,
    status: StatusCode,
    template: &str,
    view: &impl Serialize,
    link: Option<&str>,
) -> Result<Response, HttpError> {
    let html = state.templates.render(template, ui, view)?;
    Ok(answer(headers, status, "text/html; charset=utf-8", html.0.into_bytes(), true, link))
}

/// `?page=&per_page=&modified_since=` (`since` for the withdrawn list).
#[derive(Deserialize, Default)]
pub struct FeedParams {
    page: Option<String>,
    per_page: Option<String>,
    modified_since: Option<String>,
    since: Option<String>,
}

impl FeedParams {
    fn query(&self, url: String, publisher: Option<String>) -> Result<FeedQuery, HttpError> {
        let paging = Paging::parse(self.page.as_deref(), self.per_page.as_deref())?;
        let since = self.modified_since.as_deref().or(self.since.as_deref());
        let modified_since = since.map(parse_since).transpose()?;
        Ok(FeedQuery { paging, modified_since, publisher, url })
    }
}

#[derive(Serialize)]
struct Item {
    title: String,
    href: String,
    kind: &'static str,
    status: &'static str,
}

#[derive(Serialize)]
struct CatalogView {
    title_vi: String,
    title_en: String,
    description_vi: String,
    description_en: String,
    total: u64,
    page: u64,
    last_page: u64,
    items: Vec<Item>,
    previous: Option<String>,
    next: Option<String>,
    rdf: Vec<(String, &'static str)>,
}

use super::local;

fn catalog_view(base: &str, page: &FeedPage, query: &FeedQuery, path: &str, lang: &str) -> CatalogView {
    let main: NamedOrBlankNode = page.catalog.clone().into();
    let items = page
        .records
        .iter()
        .map(|r| {
            let s: NamedOrBlankNode = r.iri.clone().into();
            Item {
                title: text_of(&page.triples, &s, dct::TITLE, lang).unwrap_or_else(|| r.id.clone()),
                href: local(base, r.iri.as_str()),
                kind: r.kind.name(),
                status: r.status.name(),
            }
        })
        .collect();
    let link = |n: u64| local(base, query.page_url(n).as_str()).replacen(&local(base, &query.url), path, 1);
    CatalogView {
        title_vi: text_of(&page.triples, &main, dct::TITLE, "vi").unwrap_or_default(),
        title_en: text_of(&page.triples, &main, dct::TITLE, "en").unwrap_or_default(),
        description_vi: text_of(&page.triples, &main, dct::DESCRIPTION, "vi").unwrap_or_default(),
        description_en: text_of(&page.triples, &main, dct::DESCRIPTION, "en").unwrap_or_default(),
        total: page.total,
        page: page.page,
        last_page: page.last_page,
        items,
        previous: (page.page > 1).then(|| link(page.page - 1)),
        next: (page.page < page.last_page).then(|| link(page.page + 1)),
        rdf: FORMS.iter().map(|(ext, f)| (format!("{path}.{ext}"), f.media_type())).collect(),
    }
}

/// What a feed route serves.
enum Feed {
    Root,
    Publisher(String),
    Withdrawn,
}

async fn serve_feed(
    state: AppState,
    caller: &Caller,
    ui: &Ui,
    feed: Feed,
    suffix: Option<RdfFormat>,
    params: &FeedParams,
    headers: &HeaderMap,
) -> Result<Response, HttpError> {
    let form = negotiate(headers, suffix)?;
    let base = state.app.config.base_url.clone();
    let path = match &feed {
        Feed::Root => "catalog".to_owned(),
        Feed::Publisher(id) => format!("catalog/{id}"),
        Feed::Withdrawn => "catalog/withdrawn".to_owned(),
    };
    // Links keep the form asked for: a suffix URL links to suffix URLs.
    let url = match suffix {
        Some(format) => format!("{base}{path}.{}", suffix_of(format)),
        None => format!("{base}{path}"),
    };
    let publisher = match &feed {
        Feed::Publisher(id) => Some(id.clone()),
        Feed::Root | Feed::Withdrawn => None,
    };
    let query = params.query(url, publisher)?;
    let viewer = caller.viewer();
    let app = state.app.clone();
    let withdrawn = matches!(feed, Feed::Withdrawn);
    let worker_query = query.clone();
    let page = blocking::run(move || {
        let page = if withdrawn {
            app.catalog.withdrawn(&app.registry, &viewer, &worker_query)?
        } else {
            app.catalog.feed(&app.registry, &viewer, &worker_query)?
        };
        Ok(page)
    })
    .await?;
    let this_page = query.page_url(query.paging.page);
    let query_string = this_page.as_str().split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    let link = alternates(&format!("{base}{path}"), &query_string);
    match form {
        Form::Html => {
            let view = catalog_view(&base, &page, &query, &format!("/{path}"), ui.lang.code());
            html_answer(&state, ui, headers, StatusCode::OK, "catalog.html", &view, Some(&link))
        }
        Form::Rdf(format) => {
            let triples = page.triples;
            let headers = headers.clone();
            blocking::run(move || {
                rdf_answer(&headers, StatusCode::OK, format, &triples, suffix.is_none(), Some(&link))
            })
            .await
        }
    }
}

/// `GET /catalog`, `/catalog.ttl`, `/catalog.rdf`, `/catalog.jsonld`, `/catalog.nt`.
pub async fn root(
    State(state): State<AppState>,
    caller: Caller,
    ui: Ui,
    uri: Uri,
    Query(params): Query<FeedParams>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let (_, suffix) = split_suffix(uri.path());
    serve_feed(state, &caller, &ui, Feed::Root, suffix, &params, &headers).await
}

/// `GET /catalog/{name}`: `withdrawn`, a publisher's sub-catalogue, else an agency catalogue record.
pub async fn sub(
    State(state): State<AppState>,
    caller: Caller,
    ui: Ui,
    Path(name): Path<String>,
    Query(params): Query<FeedParams>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let (stem, suffix) = split_suffix(&name);
    if stem == "withdrawn" {
        return serve_feed(state, &caller, &ui, Feed::Withdrawn, suffix, &params, &headers).await;
    }
    let viewer = caller.viewer();
    let app = state.app.clone();
    let id = stem.to_owned();
    let is_publisher =
        blocking::run(move || Ok(app.catalog.organisation(&app.registry, &viewer, &id).is_ok())).await?;
    if is_publisher {
        return serve_feed(state, &caller, &ui, Feed::Publisher(stem.to_owned()), suffix, &params, &headers)
            .await;
    }
    super::records::show_record(state, &caller, &ui, Kind::Catalog, stem.to_owned(), suffix, None, &headers)
        .await
}

/// `?publisher=`.
#[derive(Deserialize)]
pub struct DataJsonParams {
    publisher: Option<String>,
}

/// `GET /data.json`: DCAT-US 1.1, unpaginated, bounded (see `catalog::datajson`).
pub async fn data_json(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<DataJsonParams>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let viewer = caller.viewer();
    let app = state.app.clone();
    let base = state.app.config.base_url.clone();
    let body = blocking::run(move || {
        let url = match &params.publisher {
            Some(p) => format!(
                "{base}data.json?{}",
                serde_urlencoded::to_string([("publisher", p)]).unwrap_or_default()
            ),
            None => format!("{base}data.json"),
        };
        let json = app.catalog.data_json(&app.registry, &viewer, params.publisher.as_deref(), &url)?;
        serde_json::to_vec(&json).map_err(HttpError::internal)
    })
    .await?;
    Ok(answer(&headers, StatusCode::OK, "application/json", body, false, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_and_encodings() {
        assert_eq!(split_suffix("/catalog.ttl"), ("/catalog", Some(RdfFormat::Turtle)));
        assert_eq!(split_suffix("x.jsonld"), ("x", Some(JSON_LD)));
        assert_eq!(split_suffix("x"), ("x", None));
        assert_eq!(split_suffix("x.html"), ("x.html", None));
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip, deflate"));
        assert!(accepts_gzip(&headers));
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip;q=0, br"));
        assert!(!accepts_gzip(&headers));
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("identity"));
        assert!(!accepts_gzip(&headers));
    }
}
