//! Data standards at their own IRIs: `GET /def/{scheme}` (the scheme page, or its RDF/CSV),
//! `/def/{scheme}/{concept}` (a concept), `/versions`, `/diff?from=&to=`, `/impact?version=` and
//! `/search?q=` (autocomplete). HTML by default, RDF by `Accept`, by suffix (`.ttl`, `.jsonld`,
//! `.rdf`, `.nt`, `.csv`) or by `?format=`; every negotiated answer says `Vary: Accept`.

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
use crate::standards::scheme::{Scheme, local_name};
use crate::standards::{Impact, Loaded, Usage, VersionSummary, quality, tabular};
use axum::Json;
use axum::extract::{Path, Query, State};
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
        if let Some(stem) = segment.strip_suffix(suffix) {
            if !stem.is_empty() {
                return (stem, Some(repr));
            }
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

/// `?version=&format=`.
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

fn labels(list: &[Literal]) -> Vec<LabelView> {
    list.iter()
        .map(|l| LabelView { lang: l.language().unwrap_or("").to_owned(), value: l.value().to_owned() })
        .collect()
}

#[derive(Serialize)]
struct SchemePage {
    id: String,
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
    letters: Vec<String>,
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
            let lang = params.lang.unwrap_or_else(|| ui.lang.code().into());
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
                let mut letters: Vec<String> = s
                    .concepts
                    .iter()
                    .filter_map(|c| c.pref_in(&lang).and_then(|l| l.chars().next()))
                    .map(|c| c.to_uppercase().collect::<String>())
                    .collect::<FxHashSet<String>>()
                    .into_iter()
                    .collect();
                letters.sort();
                Ok(SchemePage {
                    id: record.id.clone(),
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
    mappings: Vec<(String, String)>,
    deprecated: bool,
    replaced_by: Vec<Link>,
    used_by: Vec<Usage>,
    history: Vec<HistoryItem>,
    version: u32,
}

/// `GET /def/{scheme}/{concept}` (also with a suffix).
pub async fn concept(
    State(state): State<AppState>,
    caller: Caller,
    ui: Ui,
    Path((scheme_key, segment)): Path<(String, String)>,
    Query(params): Query<PageParams>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let (key, suffix) = split_suffix(&segment);
    let key = key.to_owned();
    let repr = pick(suffix, params.format.as_deref(), &headers, &PAGE_OFFERS[..5])?;
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
        Repr::Csv | Repr::Json => Err(HttpError::NotAcceptable("a concept is HTML or RDF".into())),
        Repr::Html => {
            let app = state.app.clone();
            let viewer = caller.viewer();
            let lang = params.lang.unwrap_or_else(|| ui.lang.code().into());
            let page = blocking::run(move || {
                let s = &loaded.scheme;
                let c = &s.concepts[i];
                let id = record.id.clone();
                let mut history = Vec::new();
                for v in &record.versions {
                    let other = app.standards.load(&app.registry, &record, v.number)?;
                    let found = other.scheme.by_iri.get(&c.iri).map(|&j| &other.scheme.concepts[j]);
                    history.push(HistoryItem {
                        number: v.number,
                        version_info: other.scheme.version_info.clone(),
                        present: found.is_some(),
                        label: found.map(|f| f.label(&lang)),
                        deprecated: found.is_some_and(|f| f.deprecated),
                    });
                }
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
                        .map(|(p, t)| (local_name(p.as_str()).to_owned(), t.clone()))
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
