//! Data standards at their own IRIs: `GET /def/{scheme}` (the scheme page, or its RDF/CSV),
//! `/def/{scheme}/{concept}` (a concept), `/versions`, `/diff?from=&to=`, `/impact?version=`,
//! `/search?q=` (autocomplete), `/index?lang=&letter=` (the alphabetical index) and `/shapes` (a
//! data model's shapes graph). HTML by default, RDF by `Accept`, by suffix (`.ttl`, `.jsonld`,
//! `.rdf`, `.nt`, `.csv`, `.json`) or by `?format=`; every negotiated answer says `Vary: Accept`.

use crate::http::auth::Caller;
use crate::http::error::HttpError;
use crate::http::negotiate::choose;
use crate::http::ui::Ui;
use crate::http::{AppState, blocking};
use crate::rdf::io::{self, JSON_LD};
use crate::rdf::ns::dm;
use crate::registry::lifecycle::Status;
use crate::registry::record::Record;
use crate::standards::diff::SchemeDiff;
use crate::standards::model::ShapeSummary;
use crate::standards::scheme::{Scheme, local_name};
use crate::standards::{Impact, Loaded, Usage, VersionSummary, alpha, quality, tabular};
use axum::Json;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxigraph::io::RdfFormat;
use oxigraph::model::{Literal, NamedNode, Triple};
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;

/// What to answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repr {
    /// A page.
    Html,
    /// RDF in a syntax.
    Rdf(RdfFormat),
    /// CSV (schemes only).
    Csv,
    /// JSON (diff, impact, versions).
    Json,
}

const SUFFIXES: [(&str, Repr); 7] = [
    (".ttl", Repr::Rdf(RdfFormat::Turtle)),
    (".jsonld", Repr::Rdf(JSON_LD)),
    (".rdf", Repr::Rdf(RdfFormat::RdfXml)),
    (".nt", Repr::Rdf(RdfFormat::NTriples)),
    (".csv", Repr::Csv),
    (".html", Repr::Html),
    (".json", Repr::Json),
];

fn by_name(name: &str) -> Option<Repr> {
    match name.to_ascii_lowercase().as_str() {
        "html" => Some(Repr::Html),
        "csv" => Some(Repr::Csv),
        "json" => Some(Repr::Json),
        other => io::format_from_name(other)
            .filter(|f| *f != RdfFormat::TriG && *f != RdfFormat::NQuads)
            .map(Repr::Rdf),
    }
}

/// Splits a known suffix off a path segment.
fn split_suffix(segment: &str) -> (&str, Option<Repr>) {
    for (suffix, repr) in SUFFIXES {
        if let Some(stem) = segment.strip_suffix(suffix)
            && !stem.is_empty()
        {
            return (stem, Some(repr));
        }
    }
    (segment, None)
}

fn accept(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok())
}

/// Picks the representation: suffix, then `?format=`, then `Accept` among `offers`.
fn pick(
    suffix: Option<Repr>,
    format: Option<&str>,
    headers: &HeaderMap,
    offers: &[(&str, Repr)],
) -> Result<Repr, HttpError> {
    if let Some(repr) = suffix {
        return Ok(repr);
    }
    if let Some(name) = format {
        return by_name(name).ok_or_else(|| {
            HttpError::BadRequest(format!(
                "unknown format {name:?}: use html, ttl, jsonld, rdf, nt, csv or json"
            ))
        });
    }
    choose(accept(headers), offers).ok_or_else(|| {
        HttpError::NotAcceptable(format!(
            "available: {}",
            offers.iter().map(|(m, _)| *m).collect::<Vec<_>>().join(", ")
        ))
    })
}

const PAGE_OFFERS: [(&str, Repr); 7] = [
    ("text/html", Repr::Html),
    ("text/turtle", Repr::Rdf(RdfFormat::Turtle)),
    ("application/ld+json", Repr::Rdf(JSON_LD)),
    ("application/rdf+xml", Repr::Rdf(RdfFormat::RdfXml)),
    ("application/n-triples", Repr::Rdf(RdfFormat::NTriples)),
    ("text/csv", Repr::Csv),
    ("application/json", Repr::Rdf(JSON_LD)),
];

const DATA_OFFERS: [(&str, Repr); 6] = [
    ("application/json", Repr::Json),
    ("text/html", Repr::Html),
    ("text/turtle", Repr::Rdf(RdfFormat::Turtle)),
    ("application/ld+json", Repr::Rdf(JSON_LD)),
    ("application/rdf+xml", Repr::Rdf(RdfFormat::RdfXml)),
    ("application/n-triples", Repr::Rdf(RdfFormat::NTriples)),
];

fn rdf(status: StatusCode, format: RdfFormat, triples: &[Triple]) -> Result<Response, HttpError> {
    let mut body = Vec::new();
    io::write_triples(format, triples, &mut body).map_err(HttpError::internal)?;
    Ok((status, [(header::CONTENT_TYPE, format.media_type()), (header::VARY, "Accept")], body)
        .into_response())
}

fn html(status: StatusCode, page: axum::response::Html<String>) -> Response {
    (status, [(header::VARY, "Accept")], page).into_response()
}

fn json_answer(value: serde_json::Value) -> Response {
    ([(header::VARY, "Accept")], Json(value)).into_response()
}

/// `?version=&format=&lang=`.
#[derive(Deserialize, Default)]
pub struct PageParams {
    version: Option<String>,
    format: Option<String>,
    lang: Option<String>,
}

/// A link to a concept.
#[derive(Serialize, Clone)]
struct Link {
    iri: String,
    href: Option<String>,
    label: String,
    notation: Option<String>,
    deprecated: bool,
    children: usize,
}

fn link(id: &str, scheme: &Scheme, i: usize, lang: &str) -> Link {
    let c = &scheme.concepts[i];
    Link {
        iri: c.iri.clone(),
        href: scheme.key(i).map(|k| format!("/def/{id}/{k}")),
        label: c.label(lang),
        notation: c.notations.first().cloned(),
        deprecated: c.deprecated,
        children: scheme.children[i].len(),
    }
}

fn link_iri(id: &str, scheme: &Scheme, iri: &str, lang: &str) -> Link {
    match scheme.by_iri.get(iri) {
        Some(&i) => link(id, scheme, i, lang),
        None => Link {
            iri: iri.to_owned(),
            href: None,
            label: iri.to_owned(),
            notation: None,
            deprecated: false,
            children: 0,
        },
    }
}

#[derive(Serialize)]
struct TreeNode {
    node: Link,
    children: Vec<Link>,
    more: usize,
}

#[derive(Serialize)]
struct LabelView {
    lang: String,
    value: String,
}

/// Labels as a page lists them: Vietnamese first, then English, then the others as stated.
fn labels(list: &[Literal]) -> Vec<LabelView> {
    let mut out: Vec<LabelView> = list
        .iter()
        .map(|l| LabelView { lang: l.language().unwrap_or("").to_owned(), value: l.value().to_owned() })
        .collect();
    out.sort_by_key(|l| match l.lang.as_str() {
        "vi" => 0,
        "en" => 1,
        _ => 2,
    });
    out
}

/// A data model as the standard's page shows it.
#[derive(Serialize)]
struct ModelView {
    shapes: Vec<ShapeSummary>,
    more: usize,
    triples: usize,
    error: Option<String>,
}

#[derive(Serialize)]
struct SchemePage {
    id: String,
    /// The language of data labels (`lang` is the page's).
    data_lang: String,
    is_scheme: bool,
    model: Option<ModelView>,
    iri: String,
    title_vi: String,
    title_en: String,
    descriptions: Vec<LabelView>,
    status: &'static str,
    withdrawn: bool,
    owner: String,
    version: u32,
    version_info: Option<String>,
    shown_version: u32,
    concepts: usize,
    deprecated: usize,
    versions: Vec<VersionSummary>,
    tree: Vec<TreeNode>,
    more_tops: usize,
    quality: Vec<quality::CheckResult>,
    errors: usize,
    warnings: usize,
    letters: Vec<alpha::Letter>,
}

/// Top concepts shown on the scheme page, and children shown under each.
const TREE_TOPS: usize = 200;
const TREE_CHILDREN: usize = 100;

async fn load_record(state: &AppState, caller: &Caller, key: String) -> Result<Record, HttpError> {
    let viewer = caller.viewer();
    let app = state.app.clone();
    blocking::run(move || Ok(app.standards.record(&app.registry, &viewer, &key)?)).await
}

async fn load_version(
    state: &AppState,
    record: Record,
    version: Option<String>,
) -> Result<(Record, Arc<Loaded>), HttpError> {
    let app = state.app.clone();
    blocking::run(move || {
        let n = match version {
            Some(label) => app.standards.version_number(&app.registry, &record, &label)?,
            None => record.version(),
        };
        let loaded = app.standards.load(&app.registry, &record, n)?;
        Ok((record, loaded))
    })
    .await
}

/// `GET /def/{scheme}` (also `/def/{scheme}.ttl` etc.).
pub async fn scheme(
    State(state): State<AppState>,
    caller: Caller,
    ui: Ui,
    Path(segment): Path<String>,
    Query(params): Query<PageParams>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let (key, suffix) = split_suffix(&segment);
    let repr = pick(suffix, params.format.as_deref(), &headers, &PAGE_OFFERS)?;
    let record = load_record(&state, &caller, key.to_owned()).await?;
    let withdrawn = record.status == Status::Retired;
    let (record, loaded) = load_version(&state, record, params.version.clone()).await?;
    let status = if withdrawn && params.version.is_none() { StatusCode::GONE } else { StatusCode::OK };
    match repr {
        Repr::Rdf(format) => {
            if status == StatusCode::GONE {
                let app = state.app.clone();
                let r = record.clone();
                let tombstone = blocking::run(move || Ok(app.registry.content(&r)?)).await?;
                return rdf(status, format, &tombstone);
            }
            rdf(status, format, &loaded.triples)
        }
        Repr::Csv => {
            let body = tabular::export(&loaded.scheme).map_err(HttpError::internal)?;
            Ok((status, [(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::VARY, "Accept")], body)
                .into_response())
        }
        Repr::Json => Err(HttpError::NotAcceptable("a scheme is HTML, RDF or CSV".into())),
        Repr::Html => {
            let app = state.app.clone();
            let lang = data_lang(params.lang, &ui)?;
            let page = blocking::run(move || {
                let versions = app.standards.versions(&app.registry, &record)?;
                let s = &loaded.scheme;
                let id = record.id.clone();
                let tree: Vec<TreeNode> = s
                    .tops
                    .iter()
                    .take(TREE_TOPS)
                    .map(|&t| TreeNode {
                        node: link(&id, s, t, &lang),
                        children: s.children[t]
                            .iter()
                            .take(TREE_CHILDREN)
                            .map(|&c| link(&id, s, c, &lang))
                            .collect(),
                        more: s.children[t].len().saturating_sub(TREE_CHILDREN),
                    })
                    .collect();
                let q = loaded.quality();
                let letters = loaded.alpha(&lang).letters.clone();
                let model = match loaded.model() {
                    Ok(Some(m)) => Some(ModelView {
                        shapes: m.summary.clone(),
                        more: m.more,
                        triples: m.triples.len(),
                        error: None,
                    }),
                    Ok(None) => None,
                    Err(e) => Some(ModelView {
                        shapes: Vec::new(),
                        more: 0,
                        triples: 0,
                        error: Some(e.to_string()),
                    }),
                };
                Ok(SchemePage {
                    id: record.id.clone(),
                    is_scheme: loaded.is_scheme,
                    model,
                    iri: record.iri.as_str().to_owned(),
                    title_vi: s.title("vi"),
                    title_en: s.title("en"),
                    descriptions: labels(&s.descriptions),
                    status: record.status.name(),
                    withdrawn,
                    owner: record.owner.as_str().to_owned(),
                    version: record.version(),
                    version_info: s.version_info.clone(),
                    shown_version: loaded.number,
                    concepts: s.concepts.len(),
                    deprecated: s.concepts.iter().filter(|c| c.deprecated).count(),
                    versions,
                    more_tops: s.tops.len().saturating_sub(TREE_TOPS),
                    tree,
                    errors: q.errors().count(),
                    warnings: q.warnings().count(),
                    quality: q.checks.iter().filter(|c| c.count > 0).cloned().collect(),
                    letters,
                    data_lang: lang,
                })
            })
            .await?;
            Ok(html(status, state.templates.render("scheme.html", &ui, &page)?))
        }
    }
}

#[derive(Serialize)]
struct HistoryItem {
    number: u32,
    version_info: Option<String>,
    present: bool,
    label: Option<String>,
    deprecated: bool,
    /// What changed from the version before: `added`, `removed`, `relabelled`, `moved`,
    /// `deprecated`, `undeprecated` (none: unchanged, or absent in both).
    changes: Vec<&'static str>,
}

/// A mapping to a concept elsewhere (or in this scheme).
#[derive(Serialize)]
struct Mapping {
    /// `exactMatch`, `closeMatch`, `broadMatch`, `narrowMatch`, `relatedMatch`.
    kind: String,
    iri: String,
    /// This scheme's page of the target, else the IRI (the template keeps only safe links).
    href: String,
    /// The target's label when it is a concept of this scheme.
    label: Option<String>,
}

#[derive(Serialize)]
struct ConceptPage {
    scheme_id: String,
    scheme_title: String,
    iri: String,
    key: String,
    label: String,
    pref: Vec<LabelView>,
    alt: Vec<LabelView>,
    notations: Vec<String>,
    definitions: Vec<LabelView>,
    notes: Vec<(String, LabelView)>,
    broader: Vec<Link>,
    narrower: Vec<Link>,
    related: Vec<Link>,
    mappings: Vec<Mapping>,
    deprecated: bool,
    replaced_by: Vec<Link>,
    used_by: Vec<Usage>,
    history: Vec<HistoryItem>,
    version: u32,
}

/// Narrower concepts listed in a concept's JSON (the tree's next level).
const JSON_CHILDREN: usize = 500;

/// The data language of a page: `?lang=` (a language tag), else the page's language.
fn data_lang(asked: Option<String>, ui: &Ui) -> Result<String, HttpError> {
    match asked.filter(|l| !l.is_empty()) {
        None => Ok(ui.lang.code().to_owned()),
        Some(l) if l.len() <= 35 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') => Ok(l),
        Some(l) => Err(HttpError::BadRequest(format!("?lang={l:?} is not a language tag"))),
    }
}

/// Parses a query string into `T` (400 with the reason when it does not fit).
fn query<T: serde::de::DeserializeOwned>(raw: Option<&str>) -> Result<T, HttpError> {
    serde_urlencoded::from_str(raw.unwrap_or_default())
        .map_err(|e| HttpError::BadRequest(format!("bad query string: {e}")))
}

/// `GET /def/{scheme}/{segment}` (also with a suffix): a concept, or the scheme's alphabetical
/// index (`index`) or shapes graph (`shapes`), names no concept can take on this route.
pub async fn concept(
    State(state): State<AppState>,
    caller: Caller,
    ui: Ui,
    Path((scheme_key, segment)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let (key, suffix) = split_suffix(&segment);
    match key {
        "index" => index(state, caller, ui, scheme_key, suffix, query(raw.as_deref())?, headers).await,
        "shapes" => shapes(state, caller, scheme_key, suffix, query(raw.as_deref())?, headers).await,
        _ => {
            let key = key.to_owned();
            concept_page(state, caller, ui, scheme_key, key, suffix, query(raw.as_deref())?, headers).await
        }
    }
}

fn history(
    app: &crate::app::App,
    record: &Record,
    iri: &str,
    lang: &str,
) -> Result<Vec<HistoryItem>, HttpError> {
    let mut items = Vec::new();
    let mut before: Option<(Vec<Literal>, Vec<String>, bool)> = None;
    for v in &record.versions {
        let other = app.standards.load(&app.registry, record, v.number)?;
        let s = &other.scheme;
        let found = s.by_iri.get(iri).map(|&j| {
            let c = &s.concepts[j];
            let mut pref = c.pref.clone();
            pref.sort_by(|a, b| (a.language(), a.value()).cmp(&(b.language(), b.value())));
            let mut broader: Vec<String> = s.parents[j].iter().map(|&p| s.concepts[p].iri.clone()).collect();
            broader.sort();
            (c, pref, broader)
        });
        let mut changes = Vec::new();
        match (&before, &found) {
            (None, Some(_)) => changes.push("added"),
            (Some(_), None) => changes.push("removed"),
            (Some((pref, broader, deprecated)), Some((c, new_pref, new_broader))) => {
                if pref != new_pref {
                    changes.push("relabelled");
                }
                if broader != new_broader {
                    changes.push("moved");
                }
                if c.deprecated != *deprecated {
                    changes.push(if c.deprecated { "deprecated" } else { "undeprecated" });
                }
            }
            (None, None) => {}
        }
        items.push(HistoryItem {
            number: v.number,
            version_info: s.version_info.clone(),
            present: found.is_some(),
            label: found.as_ref().map(|(c, _, _)| c.label(lang)),
            deprecated: found.as_ref().is_some_and(|(c, _, _)| c.deprecated),
            changes,
        });
        before = found.map(|(c, pref, broader)| (pref, broader, c.deprecated));
    }
    Ok(items)
}

#[expect(clippy::too_many_arguments, reason = "the request's parts, passed on from the dispatching route")]
async fn concept_page(
    state: AppState,
    caller: Caller,
    ui: Ui,
    scheme_key: String,
    key: String,
    suffix: Option<Repr>,
    params: PageParams,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let offers = [&PAGE_OFFERS[..5], &[("application/json", Repr::Json)][..]].concat();
    let repr = pick(suffix, params.format.as_deref(), &headers, &offers)?;
    let lang = data_lang(params.lang, &ui)?;
    let record = load_record(&state, &caller, scheme_key).await?;
    let (record, loaded) = load_version(&state, record, params.version.clone()).await?;
    let minted = format!("{}def/{}", state.app.config.base_url, record.id);
    let i = loaded
        .scheme
        .find(&key, &minted)
        .ok_or_else(|| HttpError::NotFound(format!("concept {key} of {}", record.id)))?;
    let iri = loaded.scheme.concepts[i].iri.clone();
    match repr {
        Repr::Rdf(format) => rdf(StatusCode::OK, format, &loaded.concept_triples(&iri)),
        Repr::Csv => Err(HttpError::NotAcceptable("a concept is HTML, RDF or JSON".into())),
        Repr::Json => {
            let s = &loaded.scheme;
            let id = record.id.as_str();
            let c = &s.concepts[i];
            Ok(json_answer(json!({
                "uri": c.iri,
                "href": s.key(i).map(|k| format!("/def/{id}/{k}")),
                "prefLabel": c.label(&lang),
                "notation": c.notations.first(),
                "deprecated": c.deprecated,
                "broader": s.parents[i].iter().map(|&p| link(id, s, p, &lang)).collect::<Vec<_>>(),
                "narrower": s.children[i].iter().take(JSON_CHILDREN).map(|&p| link(id, s, p, &lang)).collect::<Vec<_>>(),
                "more": s.children[i].len().saturating_sub(JSON_CHILDREN),
            })))
        }
        Repr::Html => {
            let app = state.app.clone();
            let viewer = caller.viewer();
            let page = blocking::run(move || {
                let s = &loaded.scheme;
                let c = &s.concepts[i];
                let id = record.id.clone();
                let history = history(&app, &record, &c.iri, &lang)?;
                let one: FxHashSet<&str> = [c.iri.as_str()].into_iter().collect();
                let used_by = app.standards.usages(&app.registry, &viewer, "", &one)?;
                Ok(ConceptPage {
                    scheme_id: id.clone(),
                    scheme_title: s.title(&lang),
                    iri: c.iri.clone(),
                    key: key.clone(),
                    label: c.label(&lang),
                    pref: labels(&c.pref),
                    alt: labels(&c.alt),
                    notations: c.notations.clone(),
                    definitions: labels(&c.definitions),
                    notes: c
                        .notes
                        .iter()
                        .map(|(p, l)| {
                            (
                                local_name(p.as_str()).to_owned(),
                                LabelView {
                                    lang: l.language().unwrap_or("").to_owned(),
                                    value: l.value().to_owned(),
                                },
                            )
                        })
                        .collect(),
                    broader: s.parents[i].iter().map(|&p| link(&id, s, p, &lang)).collect(),
                    narrower: s.children[i].iter().map(|&p| link(&id, s, p, &lang)).collect(),
                    related: c.related.iter().map(|r| link_iri(&id, s, r, &lang)).collect(),
                    mappings: c
                        .mappings
                        .iter()
                        .map(|(p, target)| {
                            let local = s.by_iri.get(target).map(|&j| link(&id, s, j, &lang));
                            Mapping {
                                kind: local_name(p.as_str()).to_owned(),
                                iri: target.clone(),
                                href: local
                                    .as_ref()
                                    .and_then(|l| l.href.clone())
                                    .unwrap_or_else(|| target.clone()),
                                label: local.map(|l| l.label),
                            }
                        })
                        .collect(),
                    deprecated: c.deprecated,
                    replaced_by: c.replaced_by.iter().map(|r| link_iri(&id, s, r, &lang)).collect(),
                    used_by,
                    history,
                    version: loaded.number,
                })
            })
            .await?;
            Ok(html(StatusCode::OK, state.templates.render("concept.html", &ui, &page)?))
        }
    }
}

/// `?lang=&letter=&page=&per_page=&version=&format=`.
#[derive(Deserialize, Default)]
pub struct IndexParams {
    lang: Option<String>,
    letter: Option<String>,
    page: Option<usize>,
    per_page: Option<usize>,
    version: Option<String>,
    format: Option<String>,
}

/// Labels per page of the alphabetical index, by default and at most.
const INDEX_PER_PAGE: usize = 100;
const INDEX_MAX_PER_PAGE: usize = 500;
/// Pages of the alphabetical index (a bound on `?page=`).
const INDEX_MAX_PAGE: usize = 100_000;

#[derive(Serialize)]
struct IndexEntry {
    label: String,
    lang: String,
    preferred: bool,
    uri: String,
    href: Option<String>,
    #[serde(rename = "prefLabel")]
    pref_label: String,
    notation: Option<String>,
    deprecated: bool,
}

#[derive(Serialize)]
struct IndexPage {
    id: String,
    scheme: String,
    title: String,
    /// The index's language (`lang` is the page's).
    language: String,
    letters: Vec<alpha::Letter>,
    letter: Option<String>,
    page: usize,
    per_page: usize,
    pages: usize,
    total: usize,
    entries: Vec<IndexEntry>,
    version: u32,
    current: bool,
}

/// `GET /def/{scheme}/index?lang=&letter=&page=`: the alphabetical index (HTML; JSON by `Accept`
/// or `.json`).
async fn index(
    state: AppState,
    caller: Caller,
    ui: Ui,
    scheme_key: String,
    suffix: Option<Repr>,
    params: IndexParams,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let repr = pick(suffix, params.format.as_deref(), &headers, &DATA_OFFERS[..2])?;
    let lang = data_lang(params.lang, &ui)?;
    let per_page = params.per_page.unwrap_or(INDEX_PER_PAGE);
    if !(1..=INDEX_MAX_PER_PAGE).contains(&per_page) {
        return Err(HttpError::BadRequest(format!("per_page is 1 to {INDEX_MAX_PER_PAGE}")));
    }
    let page = params.page.unwrap_or(1);
    if !(1..=INDEX_MAX_PAGE).contains(&page) {
        return Err(HttpError::BadRequest(format!("page is 1 to {INDEX_MAX_PAGE}")));
    }
    let asked = params.letter.filter(|l| !l.is_empty());
    if asked.as_ref().is_some_and(|l| l.len() > 16) {
        return Err(HttpError::BadRequest("letter: one letter, or 0-9".into()));
    }
    let record = load_record(&state, &caller, scheme_key).await?;
    let (record, loaded) = load_version(&state, record, params.version.clone()).await?;
    let view = blocking::run(move || {
        let s = &loaded.scheme;
        let index = loaded.alpha(&lang);
        // A letter of the index as it names it, else one letter folded the index's way (`h`, `ầ`).
        let letter = match asked {
            None => index.letters.first().map(|l| l.letter.clone()),
            Some(l) if index.letters.iter().any(|x| x.letter == l) => Some(l),
            Some(l) if l.chars().count() == 1 => Some(
                alpha::letter_of(&l, &lang)
                    .ok_or_else(|| HttpError::BadRequest(format!("letter: {l:?} is not a letter")))?,
            ),
            Some(l) => return Err(HttpError::BadRequest(format!("letter: one letter, or 0-9, not {l:?}"))),
        };
        let (entries, total) =
            letter.as_deref().map_or((&[][..], 0), |l| index.page(l, (page - 1) * per_page, per_page));
        let id = record.id.clone();
        Ok(IndexPage {
            scheme: record.iri.as_str().to_owned(),
            title: s.title(&lang),
            letters: index.letters.clone(),
            letter,
            page,
            per_page,
            pages: total.div_ceil(per_page).max(1),
            total,
            entries: entries
                .iter()
                .map(|e| {
                    let c = &s.concepts[e.concept];
                    IndexEntry {
                        label: e.label.clone(),
                        lang: e.lang.clone(),
                        preferred: e.preferred,
                        uri: c.iri.clone(),
                        href: s.key(e.concept).map(|k| format!("/def/{id}/{k}")),
                        pref_label: c.label(&lang),
                        notation: c.notations.first().cloned(),
                        deprecated: c.deprecated,
                    }
                })
                .collect(),
            version: loaded.number,
            current: loaded.number == record.version(),
            language: lang,
            id,
        })
    })
    .await?;
    match repr {
        Repr::Html => Ok(html(StatusCode::OK, state.templates.render("scheme_index.html", &ui, &view)?)),
        _ => Ok(json_answer(serde_json::to_value(&view).map_err(HttpError::internal)?)),
    }
}

/// `GET /def/{scheme}/shapes`: a data model's shapes graph (RDF; Turtle by default), the
/// download a standard's distribution can point to. 404 when the standard carries no shapes.
async fn shapes(
    state: AppState,
    caller: Caller,
    scheme_key: String,
    suffix: Option<Repr>,
    params: PageParams,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let repr = pick(suffix, params.format.as_deref(), &headers, &PAGE_OFFERS[1..5])?;
    let Repr::Rdf(format) = repr else {
        return Err(HttpError::NotAcceptable("a shapes graph is RDF".into()));
    };
    let record = load_record(&state, &caller, scheme_key).await?;
    let id = record.id.clone();
    let (_, loaded) = load_version(&state, record, params.version).await?;
    match loaded.model() {
        Ok(Some(model)) => rdf(StatusCode::OK, format, &model.triples),
        Ok(None) => Err(HttpError::NotFound(format!("shapes of {id}: it is not a SHACL data model"))),
        Err(e) => Err(HttpError::NotFound(format!("shapes of {id}: {e}"))),
    }
}

/// `GET /def/{scheme}/versions`.
pub async fn versions(
    State(state): State<AppState>,
    caller: Caller,
    ui: Ui,
    Path(scheme_key): Path<String>,
    Query(params): Query<PageParams>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let repr = pick(None, params.format.as_deref(), &headers, &DATA_OFFERS[..2])?;
    let record = load_record(&state, &caller, scheme_key).await?;
    let app = state.app.clone();
    let r = record.clone();
    let versions = blocking::run(move || Ok(app.standards.versions(&app.registry, &r)?)).await?;
    match repr {
        Repr::Html => {
            let page = json!({ "id": record.id, "iri": record.iri.as_str(), "versions": versions });
            Ok(html(StatusCode::OK, state.templates.render("scheme_versions.html", &ui, &page)?))
        }
        _ => Ok(json_answer(json!({
            "scheme": record.iri.as_str(),
            "id": record.id,
            "current": record.version(),
            "versions": versions.iter().map(|v| json!({
                "version": v.number,
                "versionInfo": v.version_info,
                "created": v.created,
                "concepts": v.concepts,
                "deprecated": v.deprecated,
                "current": v.current,
                "location": format!("/def/{}?version={}", record.id, v.number),
            })).collect::<Vec<_>>(),
        }))),
    }
}

/// `?from=&to=` (version numbers or `owl:versionInfo`).
#[derive(Deserialize)]
pub struct DiffParams {
    from: String,
    to: Option<String>,
    format: Option<String>,
}

#[derive(Serialize)]
struct DiffPage<'a> {
    id: &'a str,
    iri: &'a str,
    title: String,
    from: u32,
    from_info: Option<String>,
    to: u32,
    to_info: Option<String>,
    diff: &'a SchemeDiff,
}

fn diff_triples(subject: &str, scheme: &str, from: &Loaded, to: &Loaded, d: &SchemeDiff) -> Vec<Triple> {
    let s = NamedNode::new_unchecked(subject);
    let iri = |i: &str| NamedNode::new_unchecked(i);
    let mut t = vec![
        Triple::new(s.clone(), oxigraph::model::vocab::rdf::TYPE, dm::SCHEME_DIFF),
        Triple::new(s.clone(), dm::DIFF_OF, iri(scheme)),
        Triple::new(s.clone(), dm::FROM_VERSION, Literal::from(i64::from(from.number))),
        Triple::new(s.clone(), dm::TO_VERSION, Literal::from(i64::from(to.number))),
    ];
    for c in &d.added {
        t.push(Triple::new(s.clone(), dm::ADDED, iri(&c.uri)));
    }
    for c in &d.removed {
        t.push(Triple::new(s.clone(), dm::REMOVED, iri(&c.uri)));
    }
    for c in &d.deprecated {
        t.push(Triple::new(s.clone(), dm::DEPRECATED_CONCEPT, iri(&c.concept.uri)));
    }
    for c in &d.relabelled {
        t.push(Triple::new(s.clone(), dm::RELABELLED, iri(&c.concept.uri)));
    }
    for c in &d.moved {
        t.push(Triple::new(s.clone(), dm::MOVED, iri(&c.concept.uri)));
    }
    t
}

/// `GET /def/{scheme}/diff?from=&to=`: JSON (default), RDF or HTML.
pub async fn diff(
    State(state): State<AppState>,
    caller: Caller,
    ui: Ui,
    Path(scheme_key): Path<String>,
    Query(params): Query<DiffParams>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let repr = pick(None, params.format.as_deref(), &headers, &DATA_OFFERS)?;
    let record = load_record(&state, &caller, scheme_key).await?;
    let app = state.app.clone();
    let (record, old, new, d) = blocking::run(move || {
        let from = app.standards.version_number(&app.registry, &record, &params.from)?;
        let to = match &params.to {
            Some(label) => app.standards.version_number(&app.registry, &record, label)?,
            None => record.version(),
        };
        let (old, new, d) = app.standards.diff(&app.registry, &record, from, to)?;
        Ok((record, old, new, d))
    })
    .await?;
    match repr {
        Repr::Json => Ok(json_answer(json!({
            "scheme": record.iri.as_str(),
            "from": { "version": old.number, "versionInfo": old.scheme.version_info },
            "to": { "version": new.number, "versionInfo": new.scheme.version_info },
            "counts": {
                "added": d.added.len(), "removed": d.removed.len(), "deprecated": d.deprecated.len(),
                "relabelled": d.relabelled.len(), "moved": d.moved.len(),
            },
            "added": d.added, "removed": d.removed, "deprecated": d.deprecated,
            "relabelled": d.relabelled, "moved": d.moved,
        }))),
        Repr::Rdf(format) => {
            let subject = format!(
                "{}def/{}/diff?from={}&to={}",
                state.app.config.base_url, record.id, old.number, new.number
            );
            rdf(StatusCode::OK, format, &diff_triples(&subject, record.iri.as_str(), &old, &new, &d))
        }
        Repr::Html => {
            let page = DiffPage {
                id: &record.id,
                iri: record.iri.as_str(),
                title: new.scheme.title("vi"),
                from: old.number,
                from_info: old.scheme.version_info.clone(),
                to: new.number,
                to_info: new.scheme.version_info.clone(),
                diff: &d,
            };
            Ok(html(StatusCode::OK, state.templates.render("scheme_diff.html", &ui, &page)?))
        }
        Repr::Csv => Err(HttpError::NotAcceptable("a diff is JSON, RDF or HTML".into())),
    }
}

/// `?version=`.
#[derive(Deserialize)]
pub struct ImpactParams {
    version: Option<String>,
    format: Option<String>,
}

/// `GET /def/{scheme}/impact?version=`: who uses the scheme, who the version breaks. JSON or HTML.
pub async fn impact(
    State(state): State<AppState>,
    caller: Caller,
    ui: Ui,
    Path(scheme_key): Path<String>,
    Query(params): Query<ImpactParams>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let repr = pick(None, params.format.as_deref(), &headers, &DATA_OFFERS[..2])?;
    let record = load_record(&state, &caller, scheme_key).await?;
    let viewer = caller.viewer();
    let app = state.app.clone();
    let (record, impact): (Record, Impact) = blocking::run(move || {
        let n = match &params.version {
            Some(label) => app.standards.version_number(&app.registry, &record, label)?,
            None => record.version(),
        };
        let impact = app.standards.impact(&app.registry, &viewer, &record, n)?;
        Ok((record, impact))
    })
    .await?;
    match repr {
        Repr::Html => {
            let page = json!({ "id": record.id, "iri": record.iri.as_str(), "impact": impact });
            Ok(html(StatusCode::OK, state.templates.render("scheme_impact.html", &ui, &page)?))
        }
        _ => Ok(json_answer(serde_json::to_value(&impact).map_err(HttpError::internal)?)),
    }
}

/// `?q=&lang=&limit=`.
#[derive(Deserialize)]
pub struct SearchParams {
    q: String,
    lang: Option<String>,
    limit: Option<usize>,
    version: Option<String>,
}

/// `GET /def/{scheme}/search?q=`: autocomplete, JSON.
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    Path(scheme_key): Path<String>,
    Query(params): Query<SearchParams>,
) -> Result<Response, HttpError> {
    if params.q.len() > 200 {
        return Err(HttpError::BadRequest("the query is longer than 200 bytes".into()));
    }
    let record = load_record(&state, &caller, scheme_key).await?;
    let (record, loaded) = load_version(&state, record, params.version).await?;
    let limit = params.limit.unwrap_or(10).clamp(1, 100);
    let lang = params.lang.filter(|l| !l.is_empty());
    let results = blocking::run(move || {
        let s = &loaded.scheme;
        let hits = loaded.search().search(s, &params.q, lang.as_deref(), 0, limit);
        Ok(hits
            .into_iter()
            .map(|h| {
                let c = &s.concepts[h.concept];
                json!({
                    "uri": c.iri,
                    "href": s.key(h.concept).map(|k| format!("/def/{}/{k}", record.id)),
                    "prefLabel": c.label(lang.as_deref().unwrap_or("vi")),
                    "matched": h.label,
                    "lang": h.lang,
                    "notation": c.notations.first(),
                    "deprecated": c.deprecated,
                })
            })
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(Json(json!({ "results": results })).into_response())
}
