//! `GET /publishers` and `GET /publishers/{id}`: the organisations that publish, for people (HTML)
//! and machines (RDF). Public.

use super::api::rdf_response;
use crate::http::auth::Caller;
use crate::http::error::HttpError;
use crate::http::negotiate::prefers_html;
use crate::http::ui::Ui;
use crate::http::{AppState, blocking};
use crate::rdf::ns::{dct, foaf};
use crate::registry::ListFilter;
use crate::registry::kind::Kind;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxigraph::model::{NamedNodeRef, Term, Triple};
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
        for org in app.registry.orgs() {
            let content = app.registry.content(&org)?;
            let filter = ListFilter { publisher: Some(org.iri.clone()), ..ListFilter::default() };
            let records =
                app.registry.list(&filter, &viewer).iter().filter(|r| r.kind != Kind::Publisher).count();
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

#[derive(Serialize)]
struct RecordItem {
    kind: &'static str,
    title: String,
    status: &'static str,
}

#[derive(Serialize)]
struct PublisherPage {
    id: String,
    iri: String,
    name_vi: String,
    name_en: String,
    records: Vec<RecordItem>,
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
    let (page, triples) = blocking::run(move || {
        let iri = app.registry.org_iri(&id);
        let record_id = app
            .registry
            .id_of(iri.as_str())
            .ok_or_else(|| HttpError::NotFound(format!("/publishers/{id}")))?;
        let org = app.registry.get(&record_id, &viewer)?;
        let content = app.registry.content(&org)?;
        let filter = ListFilter { publisher: Some(org.iri.clone()), ..ListFilter::default() };
        let mut records = Vec::new();
        for record in app.registry.list(&filter, &viewer).into_iter().filter(|r| r.kind != Kind::Publisher) {
            let triples = app.registry.content(&record)?;
            let own: Vec<Triple> =
                triples.into_iter().filter(|t| t.subject == record.iri.clone().into()).collect();
            records.push(RecordItem {
                kind: record.kind.name(),
                title: label(&own, dct::TITLE, "vi"),
                status: record.status.name(),
            });
        }
        let page = PublisherPage {
            id: page_id,
            iri: org.iri.as_str().to_owned(),
            name_vi: label(&content, foaf::NAME, "vi"),
            name_en: label(&content, foaf::NAME, "en"),
            records,
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
