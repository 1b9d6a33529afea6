//! Records at their own IRIs (Cool URIs): `GET /{dataset|service|series|catalog|def|publisher}/{id}`
//! and the same with `.ttl`, `.rdf`, `.jsonld`, `.nt`. HTML for browsers, RDF by `Accept` or suffix;
//! `Vary: Accept` and a `Link: rel="alternate"` per RDF form. The RDF is complete: the record's
//! graph, its publisher's description and the labels of what it mentions (`Catalog::describe`).
//! `?at=ISO-TIME` answers the record as it was then; a withdrawn record answers 410 Gone with its
//! tombstone.

use super::feed::{Form, HTML, alternates, answer, answer_page, negotiate, rdf_answer, split_suffix};
use super::portal;
use crate::catalog::text_of;
use crate::http::auth::Caller;
use crate::http::error::HttpError;
use crate::http::i18n::Lang;
use crate::http::ui::Ui;
use crate::http::{AppState, blocking};
use crate::rdf::io::PREFIXES;
use crate::rdf::ns::{dcat, dct, foaf, rdfs, skos, vcard};
use crate::registry::kind::Kind;
use crate::registry::lifecycle::Status;
use crate::store::Viewer;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use oxigraph::io::RdfFormat;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};
use oxsdatatypes::DateTime;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// `?at=`.
#[derive(Deserialize)]
pub struct AtParams {
    at: Option<String>,
}

/// `GET /{segment}/{id}`.
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    ui: Ui,
    Path((segment, id)): Path<(String, String)>,
    Query(params): Query<AtParams>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let Some(kind) = Kind::from_segment(&segment) else {
        return Err(HttpError::NotFound(format!("/{segment}/{id}")));
    };
    let at = params
        .at
        .as_deref()
        .map(|t| {
            DateTime::from_str(t)
                .map_err(|e| HttpError::BadRequest(format!("?at={t:?} is not an xsd:dateTime: {e}")))
        })
        .transpose()?;
    let (stem, suffix) = split_suffix(&id);
    show_record(state, &caller, &ui, kind, stem.to_owned(), suffix, at, &headers).await
}

#[derive(Serialize)]
struct Value {
    text: String,
    href: Option<String>,
}

#[derive(Serialize)]
struct Property {
    name: String,
    values: Vec<Value>,
}

#[derive(Serialize)]
struct Part {
    title: String,
    properties: Vec<Property>,
}

#[derive(Serialize)]
struct RecordView {
    iri: String,
    kind: &'static str,
    status: &'static str,
    withdrawn: bool,
    title_vi: String,
    title_en: String,
    description_vi: String,
    description_en: String,
    properties: Vec<Property>,
    distributions: Vec<Part>,
    rdf: Vec<(String, &'static str)>,
}

/// A record in the asked form; `kind` must match; a withdrawn record is 410 with its tombstone.
#[expect(clippy::too_many_arguments, reason = "the request's parts, passed through from two routes")]
pub async fn show_record(
    state: AppState,
    caller: &Caller,
    ui: &Ui,
    kind: Kind,
    id: String,
    suffix: Option<RdfFormat>,
    at: Option<DateTime>,
    headers: &HeaderMap,
) -> Result<Response, HttpError> {
    let form = negotiate(headers, suffix)?;
    let viewer = caller.viewer();
    let base = state.app.config.base_url.clone();
    let app = state.app.clone();
    let iri = format!("{base}{}/{id}", kind.segment());
    let link = alternates(&iri, "");
    // Anonymous readers without a session all get the same page: kept until the registry changes.
    let cache_key =
        (matches!(form, Form::Html) && at.is_none() && viewer == Viewer::Anonymous && ui.session.is_none())
            .then(|| format!("record|{iri}|{}", ui.lang.code()));
    let generation = app.registry.generation();
    if let Some(page) = cache_key.as_deref().and_then(|k| state.pages.get(k, generation)) {
        return Ok(answer_page(headers, StatusCode::OK, HTML, page, true, Some(&link)));
    }
    let worker_iri = iri.clone();
    let worker_id = id.clone();
    let worker_state = state.clone();
    let worker_ui = ui.clone();
    let (status, answer_body) = blocking::run(move || {
        let iri = worker_iri;
        // A record the registry minted is found by its IRI; one that keeps another IRI (harvested)
        // has its page under its registry id.
        let record = match app.registry.id_of(&iri) {
            Some(record_id) => app.registry.get(&record_id, &viewer)?,
            None => app
                .registry
                .get(&worker_id, &viewer)
                .ok()
                .filter(|r| !r.iri.as_str().starts_with(app.registry.base()))
                .ok_or_else(|| HttpError::NotFound(iri.clone()))?,
        };
        if record.kind != kind {
            return Err(HttpError::NotFound(iri));
        }
        let (status, content) = match at {
            Some(at) => {
                let version = record
                    .version_at(&at)
                    .ok_or_else(|| HttpError::NotFound(format!("{iri} did not exist at {at}")))?;
                (StatusCode::OK, app.registry.version_content(&record, version.number)?)
            }
            None if record.status == Status::Retired => (StatusCode::GONE, app.registry.content(&record)?),
            None => (StatusCode::OK, app.registry.content(&record)?),
        };
        let withdrawn = status == StatusCode::GONE;
        let described = if withdrawn {
            content.clone()
        } else {
            // People see a dataset's quality in its panel: the page leaves the DQV graph out.
            let measurements = matches!(form, Form::Rdf(_));
            app.catalog.describe(&app.registry, &viewer, &record, content.clone(), measurements)?
        };
        let body = match form {
            Form::Rdf(_) => Body::Rdf(described),
            Form::Html => {
                let (templates, ui, lang) = (&worker_state.templates, &worker_ui, worker_ui.lang);
                let shown =
                    portal::Shown { record: &record, withdrawn, content: &content, described: &described };
                let html = match kind {
                    Kind::Dataset | Kind::Series => templates.render(
                        "dataset.html",
                        ui,
                        &portal::dataset_page(&app, &viewer, &shown, lang),
                    )?,
                    Kind::Service => templates.render(
                        "service.html",
                        ui,
                        &portal::service_page(&app, &viewer, &shown, lang),
                    )?,
                    _ => templates.render(
                        "record.html",
                        ui,
                        &record_view(&worker_state, &iri, kind, record.status, withdrawn, &described, lang),
                    )?,
                };
                Body::Html(html.0)
            }
        };
        Ok((status, body))
    })
    .await?;
    match answer_body {
        Body::Html(html) => {
            if let (Some(key), StatusCode::OK) = (cache_key, status) {
                let page = state.pages.keep(key, generation, html.into());
                return Ok(answer_page(headers, status, HTML, page, true, Some(&link)));
            }
            Ok(answer(headers, status, HTML, html, true, Some(&link)))
        }
        Body::Rdf(triples) => {
            let Form::Rdf(format) = form else { return Err(HttpError::internal("form mismatch")) };
            rdf_answer(headers, status, format, &triples, suffix.is_none(), Some(&link))
        }
    }
}

/// What a record answers with.
enum Body {
    Html(String),
    Rdf(Vec<Triple>),
}

const NAME_PREDICATES: [oxigraph::model::NamedNodeRef<'static>; 5] =
    [skos::PREF_LABEL, dct::TITLE, foaf::NAME, vcard::FN, rdfs::LABEL];

/// `dcat:keyword`, or the full IRI when no prefix fits.
fn compact(iri: &str) -> String {
    PREFIXES
        .iter()
        .find_map(|(prefix, ns)| iri.strip_prefix(ns).map(|local| format!("{prefix}:{local}")))
        .unwrap_or_else(|| iri.to_owned())
}

fn record_view(
    state: &AppState,
    iri: &str,
    kind: Kind,
    status: Status,
    withdrawn: bool,
    triples: &[Triple],
    lang: Lang,
) -> RecordView {
    let base = &state.app.config.base_url;
    let catalog = &state.app.catalog;
    let main: NamedOrBlankNode = NamedNode::new_unchecked(iri).into();
    let title_predicate = if kind == Kind::Publisher { foaf::NAME } else { dct::TITLE };
    let name_of = |iri: &NamedNode| -> Option<String> {
        let subject: NamedOrBlankNode = iri.clone().into();
        NAME_PREDICATES.iter().find_map(|p| text_of(triples, &subject, *p, lang.code())).or_else(|| {
            catalog
                .term(iri)
                .and_then(|t| NAME_PREDICATES.iter().find_map(|p| text_of(t, &subject, *p, lang.code())))
        })
    };
    let value = |term: &Term| -> Value {
        match term {
            Term::NamedNode(n) => {
                let href = if let Some(rest) = n.as_str().strip_prefix(base.as_str()) {
                    Some(format!("/{rest}"))
                } else if ["http://", "https://", "mailto:"].iter().any(|p| n.as_str().starts_with(p)) {
                    Some(n.as_str().to_owned())
                } else {
                    None
                };
                Value { text: name_of(n).unwrap_or_else(|| n.as_str().to_owned()), href }
            }
            Term::Literal(l) => match l.language() {
                Some(lang) => Value { text: format!("{} ({lang})", l.value()), href: None },
                None => Value { text: l.value().to_owned(), href: None },
            },
            Term::BlankNode(_) => Value { text: "…".to_owned(), href: None },
        }
    };
    let properties_of =
        |subject: &NamedOrBlankNode, skip: &[oxigraph::model::NamedNodeRef<'_>]| -> Vec<Property> {
            let mut properties: Vec<Property> = Vec::new();
            for triple in triples.iter().filter(|t| t.subject == *subject) {
                if skip.contains(&triple.predicate.as_ref()) {
                    continue;
                }
                let name = catalog
                    .term(&triple.predicate)
                    .and_then(|t| text_of(t, &triple.predicate.clone().into(), rdfs::LABEL, lang.code()))
                    .map_or_else(
                        || compact(triple.predicate.as_str()),
                        |label| format!("{label} ({})", compact(triple.predicate.as_str())),
                    );
                match properties.iter_mut().find(|p| p.name == name) {
                    Some(property) => property.values.push(value(&triple.object)),
                    None => properties.push(Property { name, values: vec![value(&triple.object)] }),
                }
            }
            properties
        };
    let distributions = triples
        .iter()
        .filter(|t| t.subject == main && t.predicate == dcat::DISTRIBUTION_PROP)
        .filter_map(|t| match &t.object {
            Term::NamedNode(n) => Some(NamedOrBlankNode::from(n.clone())),
            Term::BlankNode(b) => Some(NamedOrBlankNode::from(b.clone())),
            Term::Literal(_) => None,
        })
        .map(|d| Part {
            title: text_of(triples, &d, dct::TITLE, lang.code()).unwrap_or_default(),
            properties: properties_of(&d, &[rdf::TYPE, dct::TITLE]),
        })
        .collect();
    RecordView {
        iri: iri.to_owned(),
        kind: kind.name(),
        status: status.name(),
        withdrawn,
        title_vi: text_of(triples, &main, title_predicate, "vi").unwrap_or_else(|| iri.to_owned()),
        title_en: text_of(triples, &main, title_predicate, "en").unwrap_or_default(),
        description_vi: text_of(triples, &main, dct::DESCRIPTION, "vi").unwrap_or_default(),
        description_en: text_of(triples, &main, dct::DESCRIPTION, "en").unwrap_or_default(),
        // Quality measurements are shown by the quality panel, not as properties.
        properties: properties_of(
            &main,
            &[
                title_predicate,
                dct::DESCRIPTION,
                dcat::DISTRIBUTION_PROP,
                crate::rdf::ns::dqv::HAS_QUALITY_MEASUREMENT,
            ],
        ),
        distributions,
        rdf: super::feed::FORMS
            .iter()
            .map(|(ext, f)| {
                (
                    format!(
                        "{}.{ext}",
                        iri.strip_prefix(base.as_str()).map_or_else(|| iri.to_owned(), |r| format!("/{r}"))
                    ),
                    f.media_type(),
                )
            })
            .collect(),
    }
}
