//! A subset of the Skosmos REST API v1 (same paths, parameters and JSON shapes), so that widgets and
//! tools built for Skosmos work against danhmuc. A vocabulary id (`vocid`) is a standard's record id.
//!
//! `/rest/v1/vocabularies`, `/rest/v1/search`, `/rest/v1/{vocid}/`, `/{vocid}/search`,
//! `/{vocid}/topConcepts`, `/{vocid}/children`, `/{vocid}/broader`, `/{vocid}/narrower`,
//! `/{vocid}/label`, `/{vocid}/data`.

use crate::http::auth::Caller;
use crate::http::error::HttpError;
use crate::http::{AppState, blocking};
use crate::rdf::io::{self, JSON_LD};
use crate::registry::ListFilter;
use crate::registry::kind::Kind;
use crate::registry::lifecycle::Status;
use crate::standards::Loaded;
use crate::standards::scheme::{Scheme, local_name};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use oxigraph::io::RdfFormat;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// Hits a search answers at most.
const MAX_HITS: usize = 1000;

/// The common query parameters.
#[derive(Deserialize, Default)]
pub struct Params {
    lang: Option<String>,
    uri: Option<String>,
    query: Option<String>,
    vocab: Option<String>,
    maxhits: Option<usize>,
    offset: Option<usize>,
    format: Option<String>,
    labellang: Option<String>,
}

fn context(extra: Value) -> Value {
    let mut c = json!({
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "uri": "@id",
        "type": "@type",
    });
    if let (Some(map), Value::Object(more)) = (c.as_object_mut(), extra) {
        map.extend(more);
    }
    c
}

fn answer(value: Value) -> Response {
    ([(header::VARY, "Accept")], Json(value)).into_response()
}

fn not_found(uri: &str) -> HttpError {
    HttpError::NotFound(format!("Could not find concept <{uri}>"))
}

async fn vocabulary(
    state: &AppState,
    caller: &Caller,
    vocid: String,
) -> Result<(String, Arc<Loaded>), HttpError> {
    let viewer = caller.viewer();
    let app = state.app.clone();
    blocking::run(move || {
        let record = app
            .registry
            .get(&vocid, &viewer)
            .ok()
            .filter(|r| r.kind == Kind::Standard)
            .ok_or_else(|| HttpError::NotFound(format!("vocabulary {vocid}")))?;
        let loaded = app.standards.current(&app.registry, &record)?;
        Ok((record.id, loaded))
    })
    .await
}

fn concept_of<'a>(loaded: &'a Loaded, uri: Option<&str>) -> Result<(usize, &'a Scheme), HttpError> {
    let uri = uri.ok_or_else(|| HttpError::BadRequest("uri parameter missing".into()))?;
    let s = &loaded.scheme;
    s.by_iri.get(uri).map(|&i| (i, s)).ok_or_else(|| not_found(uri))
}

/// `GET /rest/v1/vocabularies?lang=`.
pub async fn vocabularies(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    let lang = params.lang.unwrap_or_else(|| "vi".into());
    let viewer = caller.viewer();
    let app = state.app.clone();
    let l = lang.clone();
    let mut vocabs = blocking::run(move || {
        let filter = ListFilter { kind: Some(Kind::Standard), ..ListFilter::default() };
        let mut out = Vec::new();
        for record in app.registry.list(&filter, &viewer) {
            if record.status == Status::Retired {
                continue;
            }
            let loaded = app.standards.current(&app.registry, &record)?;
            out.push((record.id.clone(), loaded.scheme.title(&l)));
        }
        Ok(out)
    })
    .await?;
    vocabs.sort();
    Ok(answer(json!({
        "@context": {
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "onki": "http://schema.onki.fi/onki#",
            "title": { "@id": "rdfs:label", "@language": lang },
            "vocabularies": "onki:hasVocabulary",
            "id": "onki:vocabularyIdentifier",
            "uri": "@id",
            "@base": format!("{}rest/v1/vocabularies", state.app.config.base_url),
        },
        "uri": "",
        "vocabularies": vocabs.iter().map(|(id, title)| json!({ "uri": id, "id": id, "title": title })).collect::<Vec<_>>(),
    })))
}

/// `GET /rest/v1/{vocid}/`: vocabulary information.
pub async fn information(
    State(state): State<AppState>,
    caller: Caller,
    Path(vocid): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    let lang = params.lang.unwrap_or_else(|| "vi".into());
    let (id, loaded) = vocabulary(&state, &caller, vocid).await?;
    let s = &loaded.scheme;
    let mut languages: Vec<String> = s
        .concepts
        .iter()
        .flat_map(|c| c.pref.iter().filter_map(|l| l.language().map(str::to_owned)))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    languages.sort();
    Ok(answer(json!({
        "@context": {
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "onki": "http://schema.onki.fi/onki#",
            "dct": "http://purl.org/dc/terms/",
            "uri": "@id", "type": "@type",
            "conceptschemes": "onki:hasConceptScheme",
            "id": "onki:vocabularyIdentifier",
            "defaultLanguage": "onki:defaultLanguage",
            "languages": "onki:language",
            "label": "rdfs:label", "prefLabel": "skos:prefLabel", "title": "dct:title",
            "@language": lang,
            "@base": format!("{}rest/v1/{id}/", state.app.config.base_url),
        },
        "uri": "",
        "id": id,
        "title": s.title(&lang),
        "defaultLanguage": if languages.iter().any(|l| l == "vi") { "vi" } else { languages.first().map_or("vi", String::as_str) },
        "languages": languages,
        "conceptschemes": [{ "uri": s.iri, "type": "skos:ConceptScheme", "prefLabel": s.title(&lang), "title": s.title(&lang) }],
    })))
}

fn search_results(vocid: &str, loaded: &Loaded, params: &Params) -> Vec<Value> {
    let s = &loaded.scheme;
    let query = params.query.as_deref().unwrap_or_default();
    let lang = params.lang.as_deref().filter(|l| !l.is_empty());
    let label_lang = params.labellang.as_deref().or(lang).unwrap_or("vi");
    let limit = params.maxhits.unwrap_or(100).clamp(1, MAX_HITS);
    let hits = loaded.search().search(s, query, lang, params.offset.unwrap_or(0), limit);
    hits.into_iter()
        .map(|h| {
            let c = &s.concepts[h.concept];
            let pref = c.pref_in(label_lang).map(str::to_owned).unwrap_or_else(|| c.label(label_lang));
            let mut item = json!({
                "uri": c.iri,
                "type": ["skos:Concept"],
                "localname": local_name(&c.iri),
                "prefLabel": pref,
                "lang": if h.lang.is_empty() { label_lang.to_owned() } else { h.lang.clone() },
                "vocab": vocid,
            });
            if let Some(map) = item.as_object_mut() {
                if let Some(n) = c.notations.first() {
                    map.insert("notation".into(), json!(n));
                }
                if !h.preferred {
                    map.insert("altLabel".into(), json!(h.label));
                } else if h.label != pref {
                    map.insert("matchedPrefLabel".into(), json!(h.label));
                }
            }
            item
        })
        .collect()
}

fn search_answer(results: &[Value], params: &Params) -> Response {
    let mut ctx = json!({
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "isothes": "http://purl.org/iso25964/skos-thes#",
        "onki": "http://schema.onki.fi/onki#",
        "uri": "@id",
        "type": "@type",
        "results": { "@id": "onki:results", "@container": "@list" },
        "prefLabel": "skos:prefLabel",
        "altLabel": "skos:altLabel",
        "hiddenLabel": "skos:hiddenLabel",
    });
    if let (Some(map), Some(l)) = (ctx.as_object_mut(), params.labellang.as_ref().or(params.lang.as_ref())) {
        map.insert("@language".into(), json!(l));
    }
    answer(json!({ "@context": ctx, "uri": "", "results": results }))
}

fn require_query(params: &Params) -> Result<(), HttpError> {
    match params.query.as_deref().map(str::trim) {
        None | Some("") => Err(HttpError::BadRequest("query parameter missing".into())),
        Some(q) if q.len() > 200 => Err(HttpError::BadRequest("the query is longer than 200 bytes".into())),
        Some(_) => Ok(()),
    }
}

/// `GET /rest/v1/{vocid}/search?query=&lang=&maxhits=&offset=`.
pub async fn vocab_search(
    State(state): State<AppState>,
    caller: Caller,
    Path(vocid): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    require_query(&params)?;
    let (id, loaded) = vocabulary(&state, &caller, vocid).await?;
    let results = blocking::run(move || Ok((search_results(&id, &loaded, &params), params))).await?;
    Ok(search_answer(&results.0, &results.1))
}

/// `GET /rest/v1/search?query=&vocab=`: over one or several (space-separated) vocabularies, or all.
pub async fn global_search(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    require_query(&params)?;
    let viewer = caller.viewer();
    let app = state.app.clone();
    let (results, params) = blocking::run(move || {
        let wanted: Vec<String> = params
            .vocab
            .as_deref()
            .map(|v| v.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default();
        let filter = ListFilter { kind: Some(Kind::Standard), ..ListFilter::default() };
        let mut results = Vec::new();
        for record in app.registry.list(&filter, &viewer) {
            if record.status == Status::Retired || (!wanted.is_empty() && !wanted.contains(&record.id)) {
                continue;
            }
            let loaded = app.standards.current(&app.registry, &record)?;
            results.extend(search_results(&record.id, &loaded, &params));
        }
        results.truncate(params.maxhits.unwrap_or(100).clamp(1, MAX_HITS));
        Ok((results, params))
    })
    .await?;
    Ok(search_answer(&results, &params))
}

/// `GET /rest/v1/{vocid}/topConcepts?lang=`.
pub async fn top_concepts(
    State(state): State<AppState>,
    caller: Caller,
    Path(vocid): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    let lang = params.lang.unwrap_or_else(|| "vi".into());
    let (_, loaded) = vocabulary(&state, &caller, vocid).await?;
    let s = &loaded.scheme;
    let tops: Vec<Value> = s
        .tops
        .iter()
        .map(|&i| {
            let c = &s.concepts[i];
            let mut v = json!({ "uri": c.iri, "topConceptOf": s.iri, "label": c.label(&lang), "hasChildren": !s.children[i].is_empty() });
            if let (Some(map), Some(n)) = (v.as_object_mut(), c.notations.first()) {
                map.insert("notation".into(), json!(n));
            }
            v
        })
        .collect();
    Ok(answer(json!({
        "@context": context(json!({ "onki": "http://schema.onki.fi/onki#", "topconcepts": "skos:hasTopConcept", "notation": "skos:notation", "label": "skos:prefLabel", "@language": lang })),
        "uri": s.iri,
        "topconcepts": tops,
    })))
}

/// `GET /rest/v1/{vocid}/children?uri=&lang=`.
pub async fn children(
    State(state): State<AppState>,
    caller: Caller,
    Path(vocid): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    let lang = params.lang.clone().unwrap_or_else(|| "vi".into());
    let (_, loaded) = vocabulary(&state, &caller, vocid).await?;
    let (i, s) = concept_of(&loaded, params.uri.as_deref())?;
    let narrower: Vec<Value> = s.children[i]
        .iter()
        .map(|&j| {
            let c = &s.concepts[j];
            let mut v = json!({ "uri": c.iri, "prefLabel": c.label(&lang), "hasChildren": !s.children[j].is_empty() });
            if let (Some(map), Some(n)) = (v.as_object_mut(), c.notations.first()) {
                map.insert("notation".into(), json!(n));
            }
            v
        })
        .collect();
    Ok(answer(json!({
        "@context": context(json!({ "prefLabel": "skos:prefLabel", "narrower": "skos:narrower", "notation": "skos:notation", "hasChildren": "onki:hasChildren", "@language": lang })),
        "uri": s.concepts[i].iri,
        "narrower": narrower,
    })))
}

fn relation(loaded: &Loaded, params: &Params, name: &str, parents: bool) -> Result<Value, HttpError> {
    let lang = params.lang.clone().unwrap_or_else(|| "vi".into());
    let (i, s) = concept_of(loaded, params.uri.as_deref())?;
    let list = if parents { &s.parents[i] } else { &s.children[i] };
    let items: Vec<Value> = list
        .iter()
        .map(|&j| json!({ "uri": s.concepts[j].iri, "prefLabel": s.concepts[j].label(&lang) }))
        .collect();
    let mut ctx = json!({ "prefLabel": "skos:prefLabel", "@language": lang });
    if let Some(map) = ctx.as_object_mut() {
        map.insert(name.into(), json!(format!("skos:{name}")));
    }
    Ok(json!({ "@context": context(ctx), "uri": s.concepts[i].iri, name: items }))
}

/// `GET /rest/v1/{vocid}/broader?uri=`.
pub async fn broader(
    State(state): State<AppState>,
    caller: Caller,
    Path(vocid): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    let (_, loaded) = vocabulary(&state, &caller, vocid).await?;
    Ok(answer(relation(&loaded, &params, "broader", true)?))
}

/// `GET /rest/v1/{vocid}/narrower?uri=`.
pub async fn narrower(
    State(state): State<AppState>,
    caller: Caller,
    Path(vocid): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    let (_, loaded) = vocabulary(&state, &caller, vocid).await?;
    Ok(answer(relation(&loaded, &params, "narrower", false)?))
}

/// `GET /rest/v1/{vocid}/label?uri=&lang=`.
pub async fn label(
    State(state): State<AppState>,
    caller: Caller,
    Path(vocid): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    let lang = params.lang.clone().unwrap_or_else(|| "vi".into());
    let (_, loaded) = vocabulary(&state, &caller, vocid).await?;
    let (i, s) = concept_of(&loaded, params.uri.as_deref())?;
    let c = &s.concepts[i];
    let pref = c.pref_in(&lang).ok_or_else(|| not_found(&c.iri))?;
    let mut out = json!({
        "@context": context(json!({ "prefLabel": "skos:prefLabel", "altLabel": "skos:altLabel", "hiddenLabel": "skos:hiddenLabel", "@language": lang })),
        "uri": c.iri,
        "prefLabel": pref,
    });
    let alt: Vec<&str> =
        c.alt.iter().filter(|l| l.language() == Some(lang.as_str())).map(|l| l.value()).collect();
    if let (Some(map), false) = (out.as_object_mut(), alt.is_empty()) {
        map.insert("altLabel".into(), json!(alt));
    }
    Ok(answer(out))
}

/// `GET /rest/v1/{vocid}/data?uri=&format=`: a concept (or, without `uri`, the whole vocabulary) as
/// RDF: Turtle, RDF/XML or JSON-LD (`application/json` too).
pub async fn data(
    State(state): State<AppState>,
    caller: Caller,
    Path(vocid): Path<String>,
    Query(params): Query<Params>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let offers = [
        ("application/rdf+xml", RdfFormat::RdfXml),
        ("text/turtle", RdfFormat::Turtle),
        ("application/ld+json", JSON_LD),
        ("application/json", JSON_LD),
    ];
    let format = match params.format.as_deref() {
        Some(f) => io::format_from_media_type(f)
            .or_else(|| io::format_from_name(f))
            .ok_or_else(|| HttpError::NotAcceptable(format!("Unsupported format {f:?}")))?,
        None => crate::http::negotiate::choose(headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()), &offers)
            .ok_or_else(|| HttpError::NotAcceptable("Unsupported format. Supported MIME types are: application/rdf+xml text/turtle application/ld+json application/json".into()))?,
    };
    let (_, loaded) = vocabulary(&state, &caller, vocid).await?;
    let triples = match params.uri.as_deref() {
        Some(uri) => {
            let (i, s) = concept_of(&loaded, Some(uri))?;
            loaded.concept_triples(&s.concepts[i].iri)
        }
        None => loaded.triples.clone(),
    };
    let body = blocking::run(move || {
        let mut body = Vec::new();
        io::write_triples(format, &triples, &mut body).map_err(HttpError::internal)?;
        Ok(body)
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, format.media_type()), (header::VARY, "Accept")], body).into_response())
}
