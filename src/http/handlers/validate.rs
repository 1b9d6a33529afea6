//! `POST /validate`: validates RDF against a bundled profile or uploaded shapes, storing nothing.
//!
//! - RDF in the body (any RDF media type) with `?profile=NAME`;
//! - or `multipart/form-data` with a `data` part (file or text) and either `shapes` parts (files) or
//!   a `profile` field.
//!
//! The report comes back by `Accept`: Turtle (default), JSON-LD, or a plain-text summary.

use crate::http::error::HttpError;
use crate::http::negotiate::choose;
use crate::http::ui::Ui;
use crate::http::{AppState, blocking};
use crate::rdf::io::{JSON_LD, format_from_media_type, format_from_name};
use crate::validation::{self, ValidateError};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Triple;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Query parameters of `POST /validate`.
#[derive(Debug, Deserialize)]
pub struct ValidateParams {
    /// A bundled profile.
    profile: Option<String>,
}

#[derive(Clone, Copy)]
enum ReportFormat {
    Rdf(RdfFormat),
    Text,
    /// The validation page's readable report (browsers: `text/html` first in `Accept`).
    Html,
}

const REPORT_OFFERS: [(&str, ReportFormat); 6] = [
    ("text/turtle", ReportFormat::Rdf(RdfFormat::Turtle)),
    ("application/ld+json", ReportFormat::Rdf(JSON_LD)),
    ("application/n-triples", ReportFormat::Rdf(RdfFormat::NTriples)),
    ("text/plain", ReportFormat::Text),
    ("application/json", ReportFormat::Rdf(JSON_LD)),
    ("text/html", ReportFormat::Html),
];

/// One result of the readable report.
#[derive(Serialize)]
struct ResultView {
    severity: String,
    path: String,
    value: String,
    messages: Vec<String>,
}

/// The results about one focus node.
#[derive(Serialize)]
struct FocusGroup {
    focus: String,
    results: Vec<ResultView>,
}

/// `validate.html`: the form, and after a POST the report grouped by focus node.
#[derive(Serialize)]
struct ValidatePage {
    profiles: Vec<&'static str>,
    chosen: Option<String>,
    report: Option<ReportView>,
}

#[derive(Serialize)]
struct ReportView {
    conforms: bool,
    total: usize,
    violations: usize,
    warnings: usize,
    groups: Vec<FocusGroup>,
}

fn report_view(report: &crate::shacl::ValidationReport) -> ReportView {
    let mut groups: Vec<FocusGroup> = Vec::new();
    let (mut violations, mut warnings) = (0, 0);
    for r in report.results() {
        match r.severity {
            crate::shacl::report::Severity::Violation => violations += 1,
            crate::shacl::report::Severity::Warning => warnings += 1,
            _ => {}
        }
        let focus = match &r.focus_node {
            oxigraph::model::Term::NamedNode(n) => n.as_str().to_owned(),
            other => other.to_string(),
        };
        let view = ResultView {
            severity: r.severity.to_string(),
            path: r.result_path.as_ref().map(ToString::to_string).unwrap_or_default(),
            value: r
                .value
                .as_ref()
                .map(|v| match v {
                    oxigraph::model::Term::Literal(l) => l.value().to_owned(),
                    other => other.to_string(),
                })
                .unwrap_or_default(),
            messages: r.messages.iter().map(|m| m.value().to_owned()).collect(),
        };
        match groups.iter_mut().find(|g| g.focus == focus) {
            Some(group) => group.results.push(view),
            None => groups.push(FocusGroup { focus, results: vec![view] }),
        }
    }
    ReportView { conforms: report.conforms(), total: report.results().len(), violations, warnings, groups }
}

fn profile_names() -> Vec<&'static str> {
    validation::profiles().keys().copied().collect()
}

/// `GET /validate`: the validation page.
pub async fn page(State(state): State<AppState>, ui: Ui) -> Result<Response, HttpError> {
    let view = ValidatePage { profiles: profile_names(), chosen: None, report: None };
    Ok(state.templates.render("validate.html", &ui, &view)?.into_response())
}

impl From<ValidateError> for HttpError {
    fn from(error: ValidateError) -> Self {
        match error {
            e @ (ValidateError::UnknownProfile { .. } | ValidateError::Shapes(_)) => {
                Self::BadRequest(e.to_string())
            }
            e @ ValidateError::Engine(_) => Self::BadRequest(e.to_string()),
            ValidateError::Store(e) => e.into(),
        }
    }
}

/// Parses an RDF document into triples (all graphs merged); errors say `LINE:COL`.
pub fn parse_rdf(what: &str, format: RdfFormat, bytes: &[u8]) -> Result<Vec<Triple>, HttpError> {
    RdfParser::from_format(format)
        .for_slice(bytes)
        .map(|q| q.map(Triple::from))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            HttpError::BadRequest(format!("{what}:{}", crate::rdf::io::describe_parse_error(&e.into())))
        })
}

fn rdf_format(content_type: Option<&str>, file_name: Option<&str>) -> Result<RdfFormat, HttpError> {
    if let Some(format) = content_type.and_then(format_from_media_type) {
        return Ok(format);
    }
    if let Some(format) =
        file_name.and_then(|n| n.rsplit_once('.')).and_then(|(_, extension)| format_from_name(extension))
    {
        return Ok(format);
    }
    match content_type {
        None | Some("application/octet-stream" | "text/plain") => Ok(RdfFormat::Turtle),
        Some(other) => Err(HttpError::UnsupportedMediaType(format!(
            "{other} is not an RDF syntax; send Turtle, TriG, N-Triples, N-Quads, RDF/XML or JSON-LD"
        ))),
    }
}

/// `POST /validate`.
pub async fn validate(
    State(state): State<AppState>,
    ui: Ui,
    Query(params): Query<ValidateParams>,
    headers: HeaderMap,
    request: Request,
) -> Result<Response, HttpError> {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let output = choose(accept, &REPORT_OFFERS).ok_or_else(|| {
        HttpError::NotAcceptable(
            "the report can be given as text/turtle, application/ld+json or text/plain".into(),
        )
    })?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let limit = state.app.config.limits.validate_body_bytes;
    let too_large = move || {
        HttpError::PayloadTooLarge(format!(
            "the request body is larger than the {limit} bytes /validate accepts"
        ))
    };
    let (data, profile, shapes_docs) = if content_type.starts_with("multipart/form-data") {
        let mut multipart = Multipart::from_request(request, &state)
            .await
            .map_err(|e| HttpError::BadRequest(format!("malformed multipart body: {e}")))?;
        let mut data = None;
        let mut profile = params.profile;
        let mut shapes = Vec::new();
        let mut csrf = String::new();
        let mut text_format = None;
        while let Some(field) = multipart.next_field().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                HttpError::BadRequest(e.body_text())
            }
        })? {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let part_type = field.content_type().map(str::to_owned);
            let bytes = field.bytes().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    too_large()
                } else {
                    HttpError::BadRequest(e.body_text())
                }
            })?;
            match name.as_str() {
                "data" if !bytes.is_empty() && data.is_none() => {
                    data = Some((file_name, part_type, bytes));
                }
                "shapes" if !bytes.is_empty() => {
                    let format = rdf_format(part_type.as_deref(), file_name.as_deref())?;
                    shapes.push((file_name.unwrap_or_else(|| "shapes".into()), format, bytes));
                }
                "profile" if !bytes.is_empty() => {
                    profile = Some(String::from_utf8_lossy(&bytes).trim().to_owned())
                }
                "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
                "format" if !bytes.is_empty() => {
                    text_format = format_from_name(String::from_utf8_lossy(&bytes).trim());
                }
                _ => {}
            }
        }
        if matches!(output, ReportFormat::Html) && !ui.csrf_ok(&csrf) {
            return Err(HttpError::Forbidden("the form's CSRF token does not match; reload the page".into()));
        }
        let (file_name, part_type, bytes) =
            data.ok_or_else(|| HttpError::BadRequest("the form has no data part".into()))?;
        // A pasted text part has no file name: the form's `format` choice applies to it.
        let format = match (text_format, &file_name) {
            (Some(format), None) => format,
            _ => rdf_format(part_type.as_deref(), file_name.as_deref())?,
        };
        (parse_rdf(file_name.as_deref().unwrap_or("data"), format, &bytes)?, profile, shapes)
    } else {
        let body: Result<Bytes, BytesRejection> = Bytes::from_request(request, &state).await;
        let body = body.map_err(|r| {
            if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                HttpError::BadRequest(r.body_text())
            }
        })?;
        let format = rdf_format(Some(content_type).filter(|c| !c.is_empty()), None)?;
        (parse_rdf("body", format, &body)?, params.profile, Vec::new())
    };
    let store = state.app.store.clone();
    let chosen = profile.clone();
    let templates = state.templates.clone();
    let page_ui = ui.clone();
    let (status, body, media_type) = blocking::run(move || {
        let shapes = if shapes_docs.is_empty() {
            let name = profile.ok_or_else(|| {
                HttpError::BadRequest(format!(
                    "name a profile (?profile=NAME) or upload shapes; the bundled profiles are: {}",
                    validation::profiles().keys().copied().collect::<Vec<_>>().join(", ")
                ))
            })?;
            validation::profile(&name)?
        } else {
            let mut graph = oxigraph::model::Graph::new();
            for (name, format, bytes) in &shapes_docs {
                for triple in parse_rdf(name, *format, bytes)? {
                    graph.insert(&triple);
                }
            }
            Arc::new(
                crate::shacl::Shapes::from_graph(&graph)
                    .map_err(|e| HttpError::BadRequest(format!("ill-formed shapes: {e}")))?,
            )
        };
        let report = validation::validate_submission(&shapes, &data, Some(&store))?;
        let mut body = Vec::new();
        let media_type = match output {
            ReportFormat::Rdf(format) => {
                report.write(format, &mut body).map_err(HttpError::internal)?;
                format.media_type()
            }
            ReportFormat::Text => {
                body = report.summary_text().into_bytes();
                "text/plain; charset=utf-8"
            }
            ReportFormat::Html => {
                let view =
                    ValidatePage { profiles: profile_names(), chosen, report: Some(report_view(&report)) };
                body = templates.render("validate.html", &page_ui, &view)?.0.into_bytes();
                "text/html; charset=utf-8"
            }
        };
        Ok((if report.conforms() { "true" } else { "false" }, body, media_type))
    })
    .await?;
    let mut response = body.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    response.headers_mut().insert("danhmuc-conforms", HeaderValue::from_static(status));
    Ok(response)
}
