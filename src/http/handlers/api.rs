//! The registry's write API (`/api/records`, `/api/orgs`, `/api/tokens`) and record reads.
//! JSON for metadata, RDF for content, SHACL reports (by `Accept`) for refusals.

use crate::http::auth::Caller;
use crate::http::error::HttpError;
use crate::http::negotiate::choose;
use crate::http::{AppState, blocking};
use crate::rdf::io::{self, JSON_LD, format_from_media_type};
use crate::registry::accounts::{NewOrg, OrgType};
use crate::registry::kind::Kind;
use crate::registry::lifecycle::{Status, StatusFilter};
use crate::registry::record::Record;
use crate::registry::{ListFilter, RegistryError, WriteOutcome};
use crate::shacl::{Severity, ValidationReport};
use crate::standards::Conformance;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxigraph::io::RdfFormat;
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{Graph, NamedNode, Triple};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// RDF answers.
const RDF_OFFERS: [(&str, RdfFormat); 5] = [
    ("text/turtle", RdfFormat::Turtle),
    ("application/ld+json", JSON_LD),
    ("application/rdf+xml", RdfFormat::RdfXml),
    ("application/n-triples", RdfFormat::NTriples),
    ("application/json", JSON_LD),
];

fn accept(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok())
}

/// Writes triples in the negotiated RDF syntax.
pub fn rdf_response(
    headers: &HeaderMap,
    status: StatusCode,
    triples: &[Triple],
) -> Result<Response, HttpError> {
    let format = choose(accept(headers), &RDF_OFFERS).ok_or_else(|| {
        HttpError::NotAcceptable(
            "this is RDF: text/turtle, application/ld+json, application/rdf+xml or application/n-triples"
                .into(),
        )
    })?;
    let mut body = Vec::new();
    io::write_triples(format, triples, &mut body).map_err(HttpError::internal)?;
    Ok((status, [(header::CONTENT_TYPE, format.media_type()), (header::VARY, "Accept")], body)
        .into_response())
}

/// A SHACL report in the negotiated form: Turtle (default), JSON-LD, or a plain-text summary.
fn report_response(headers: &HeaderMap, status: StatusCode, report: &ValidationReport) -> Response {
    #[derive(Clone, Copy)]
    enum Form {
        Rdf(RdfFormat),
        Text,
    }
    let offers = [
        ("text/turtle", Form::Rdf(RdfFormat::Turtle)),
        ("application/ld+json", Form::Rdf(JSON_LD)),
        ("text/plain", Form::Text),
        ("application/json", Form::Rdf(JSON_LD)),
    ];
    let form = choose(accept(headers), &offers).unwrap_or(Form::Rdf(RdfFormat::Turtle));
    let (body, media_type) = match form {
        Form::Rdf(format) => {
            let mut body = Vec::new();
            if report.write(format, &mut body).is_err() {
                return HttpError::internal("cannot write a report").into_response();
            }
            (body, format.media_type())
        }
        Form::Text => (report.summary_text().into_bytes(), "text/plain; charset=utf-8"),
    };
    (status, [(header::CONTENT_TYPE, media_type)], body).into_response()
}

/// Maps a registry error, answering 422 with the report in the negotiated form.
fn refusal(headers: &HeaderMap, error: RegistryError) -> Response {
    match error {
        RegistryError::Invalid(report) => report_response(headers, StatusCode::UNPROCESSABLE_ENTITY, &report),
        RegistryError::Blocked(findings) => {
            let message = RegistryError::Blocked(findings.clone()).to_string();
            (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "error": message, "findings": findings })))
                .into_response()
        }
        RegistryError::Gone { tombstone, .. } => {
            rdf_response(headers, StatusCode::GONE, &tombstone).unwrap_or_else(IntoResponse::into_response)
        }
        other => HttpError::from(other).into_response(),
    }
}

/// A record's metadata as the API shows it.
#[derive(Serialize)]
pub struct RecordView {
    id: String,
    iri: String,
    #[serde(rename = "type")]
    kind: &'static str,
    status: &'static str,
    owner: String,
    version: u32,
    etag: String,
    submitted: String,
    accepted: Option<String>,
    modified: String,
    successor: Option<String>,
    predecessor: Option<String>,
    location: String,
}

impl RecordView {
    fn new(record: &Record) -> Self {
        Self {
            id: record.id.clone(),
            iri: record.iri.as_str().to_owned(),
            kind: record.kind.name(),
            status: record.status.name(),
            owner: record.owner.as_str().to_owned(),
            version: record.version(),
            etag: record.etag.clone(),
            submitted: record.submitted.to_string(),
            accepted: record.accepted.map(|a| a.to_string()),
            modified: record.modified.to_string(),
            successor: record.successor.as_ref().map(|s| s.as_str().to_owned()),
            predecessor: record.predecessor.as_ref().map(|s| s.as_str().to_owned()),
            location: format!("/api/records/{}", record.id),
        }
    }
}

fn etag_header(etag: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{etag}\"")).unwrap_or_else(|_| HeaderValue::from_static("\"\""))
}

/// The score and rating a dataset gets, with its top fixes, for the submission answer.
fn quality_answer(state: &AppState, record: &Record) -> Option<serde_json::Value> {
    let view = state.app.quality.view_of(record)?;
    Some(json!({
        "score": view.score,
        "max": view.max,
        "rating": view.rating,
        "rating_vi": view.rating_vi,
        "rating_en": view.rating_en,
        "possible": view.possible,
        "awaiting_link_check": view.unknown,
        "fixes": view.fixes.iter().take(3).collect::<Vec<_>>(),
        "details": format!("/api/quality/{}", record.id),
    }))
}

/// The written record validated against the registered SHACL standards it states `dct:conformsTo`
/// (those the writer may see): the standards' verdicts go with the answer and never block the
/// write (the record's own profile does).
fn conformance_of(
    app: &crate::app::App,
    viewer: &crate::store::Viewer,
    outcome: &WriteOutcome,
) -> Vec<Conformance> {
    app.standards.record_conformance(&app.registry, viewer, &outcome.record).unwrap_or_else(|e| {
        tracing::warn!(record = %outcome.record.id, error = %e, "conformance to registered standards not computed");
        Vec::new()
    })
}

/// A write's outcome with the record's conformance to registered standards.
type Written = Result<(WriteOutcome, Vec<Conformance>), RegistryError>;

fn write_answer(state: &AppState, outcome: &WriteOutcome, conformance: &[Conformance]) -> Response {
    let status = if outcome.created { StatusCode::CREATED } else { StatusCode::OK };
    let warnings: Vec<String> = outcome
        .report
        .results()
        .iter()
        .filter(|r| r.severity != Severity::Violation)
        .map(|r| {
            format!(
                "{}: {}",
                r.focus_node,
                r.messages.first().map(|m| m.value().to_owned()).unwrap_or_default()
            )
        })
        .collect();
    let body = json!({
        "record": RecordView::new(&outcome.record),
        "result": if outcome.created { "created" } else if outcome.changed { "updated" } else { "unchanged" },
        "warnings": warnings,
        "findings": outcome.findings,
        "conformance": conformance,
        "quality": quality_answer(state, &outcome.record),
    });
    let mut response = (status, Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::ETAG, etag_header(&outcome.record.etag));
    if let Ok(location) = HeaderValue::from_str(&format!("/api/records/{}", outcome.record.id)) {
        headers.insert(header::LOCATION, location);
    }
    response
}

fn body_format(headers: &HeaderMap) -> Result<RdfFormat, HttpError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    format_from_media_type(content_type).ok_or_else(|| {
        HttpError::UnsupportedMediaType(format!(
            "send the record as RDF (text/turtle, application/ld+json, application/rdf+xml, application/n-triples, application/trig, application/n-quads), not {content_type:?}"
        ))
    })
}

/// `?owner=` for admins writing on behalf of an organisation; for CSV code lists, `?scheme=IRI`
/// (required), `title_vi`, `title_en` and `version`.
#[derive(Deserialize)]
pub struct WriteParams {
    owner: Option<String>,
    scheme: Option<String>,
    title_vi: Option<String>,
    title_en: Option<String>,
    version: Option<String>,
}

fn is_csv(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("text/csv"))
}

/// `POST /api/records` with `text/csv`: a code list, one row per concept.
async fn create_from_csv(
    state: AppState,
    principal: crate::registry::Principal,
    params: WriteParams,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<Response, HttpError> {
    let scheme =
        params.scheme.ok_or_else(|| HttpError::BadRequest("a CSV code list needs ?scheme=IRI".into()))?;
    let app = state.app.clone();
    let outcome = blocking::run(move || {
        let owner = params.owner.map(|o| app.registry.org_iri(&o));
        let import = crate::standards::CsvImport {
            scheme: &scheme,
            data: &body,
            title_vi: params.title_vi,
            title_en: params.title_en,
            version: params.version,
            owner,
        };
        Ok(app.standards.import_csv(&app.registry, &principal, &import))
    })
    .await?;
    match outcome {
        Ok(o) => Ok(write_answer(&state, &o, &[])),
        Err(crate::standards::StandardsError::Registry(e)) => Ok(refusal(headers, e)),
        Err(e) => Err(e.into()),
    }
}

/// `POST /api/records`.
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<WriteParams>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, HttpError> {
    let principal = caller.required()?;
    if is_csv(&headers) {
        return create_from_csv(state, principal, params, &headers, body).await;
    }
    let format = body_format(&headers)?;
    let app = state.app.clone();
    let outcome: Written = blocking::run(move || {
        let owner = params.owner.map(|o| app.registry.org_iri(&o));
        let written = app.registry.submit(&principal, format, &body, None, None, owner.as_ref());
        Ok(written.map(|o| {
            let c = conformance_of(&app, &principal.viewer(), &o);
            (o, c)
        }))
    })
    .await?;
    Ok(outcome.map_or_else(|e| refusal(&headers, e), |(o, c)| write_answer(&state, &o, &c)))
}

/// `POST /api/catalogues`: one DCAT catalogue document; each dataset, series and service in it becomes
/// its own record. Answers 200 with a result per record (created / updated / unchanged / rejected).
pub async fn create_catalogue(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, HttpError> {
    let principal = caller.required()?;
    let format = body_format(&headers)?;
    let app = state.app.clone();
    let (items, conformance) = blocking::run(move || {
        let items = app.registry.submit_catalogue(&principal, format, &body).map_err(HttpError::from)?;
        let viewer = principal.viewer();
        let conformance: Vec<Vec<Conformance>> = items
            .iter()
            .map(|item| item.outcome.as_ref().map(|o| conformance_of(&app, &viewer, o)).unwrap_or_default())
            .collect();
        Ok((items, conformance))
    })
    .await?;
    let results: Vec<serde_json::Value> = items
        .iter()
        .zip(&conformance)
        .map(|(item, conformance)| match &item.outcome {
            Ok(o) => json!({
                "resource": item.resource,
                "result": if o.created { "created" } else if o.changed { "updated" } else { "unchanged" },
                "record": RecordView::new(&o.record),
                "conformance": conformance,
                "quality": quality_answer(&state, &o.record),
            }),
            Err(RegistryError::Invalid(report)) => {
                json!({ "resource": item.resource, "result": "rejected", "report": report.summary_text() })
            }
            Err(e) => json!({ "resource": item.resource, "result": "rejected", "error": e.to_string() }),
        })
        .collect();
    Ok(Json(json!({ "results": results })).into_response())
}

/// `PUT /api/records/{id}`.
pub async fn replace(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, HttpError> {
    let principal = caller.required()?;
    let format = body_format(&headers)?;
    let if_match = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let app = state.app.clone();
    let outcome: Written = blocking::run(move || {
        let written = app.registry.submit(&principal, format, &body, Some(&id), if_match.as_deref(), None);
        Ok(written.map(|o| {
            let c = conformance_of(&app, &principal.viewer(), &o);
            (o, c)
        }))
    })
    .await?;
    Ok(outcome.map_or_else(|e| refusal(&headers, e), |(o, c)| write_answer(&state, &o, &c)))
}

/// `?purge=true` on delete.
#[derive(Deserialize)]
pub struct DeleteParams {
    #[serde(default)]
    purge: bool,
}

/// `DELETE /api/records/{id}`: withdraws (or, for admins with `?purge=true`, removes) a record.
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(params): Query<DeleteParams>,
) -> Result<StatusCode, HttpError> {
    let principal = caller.required()?;
    let app = state.app.clone();
    blocking::run(move || {
        if params.purge {
            app.registry.purge(&principal, &id)
        } else {
            app.registry.retire(&principal, &id).map(|_| ())
        }
        .map_err(HttpError::from)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The body of a status change.
#[derive(Deserialize)]
pub struct StatusChange {
    status: String,
    successor: Option<String>,
}

/// `POST /api/records/{id}/status`.
pub async fn change_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(change): Json<StatusChange>,
) -> Result<StatusCode, HttpError> {
    let principal = caller.required()?;
    let status: Status = change
        .status
        .parse()
        .map_err(|e: crate::registry::lifecycle::UnknownStatus| HttpError::BadRequest(e.to_string()))?;
    let app = state.app.clone();
    blocking::run(move || {
        app.registry.set_status(&principal, &id, status, change.successor.as_deref()).map_err(HttpError::from)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Listing parameters.
#[derive(Deserialize)]
pub struct ListParams {
    publisher: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    status: Option<String>,
    page: Option<usize>,
    per_page: Option<usize>,
}

/// `GET /api/records`.
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<ListParams>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let filter = ListFilter {
        publisher: params.publisher.as_deref().map(|p| {
            if p.starts_with("http") { NamedNode::new_unchecked(p) } else { state.app.registry.org_iri(p) }
        }),
        kind: params.kind.as_deref().map(str::parse::<Kind>).transpose().map_err(HttpError::BadRequest)?,
        status: params
            .status
            .as_deref()
            .map(str::parse::<StatusFilter>)
            .transpose()
            .map_err(|e| HttpError::BadRequest(e.to_string()))?,
    };
    let per_page = params.per_page.unwrap_or(100).clamp(1, 1000);
    let page = params.page.unwrap_or(1).max(1);
    let viewer = caller.viewer();
    let app = state.app.clone();
    let skip = (page - 1).saturating_mul(per_page);
    let (total, records) =
        blocking::run(move || Ok(app.registry.list_page(&filter, &viewer, skip, per_page))).await?;
    let items: Vec<RecordView> = records.iter().map(RecordView::new).collect();
    Ok(Json(json!({ "total": total, "page": page, "per_page": per_page, "items": items })))
}

/// `GET /api/records/{id}`.
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let viewer = caller.viewer();
    let app = state.app.clone();
    let record = blocking::run(move || app.registry.get(&id, &viewer).map_err(HttpError::from)).await?;
    let mut response = Json(RecordView::new(&record)).into_response();
    response.headers_mut().insert(header::ETAG, etag_header(&record.etag));
    Ok(response)
}

/// `GET /api/records/{id}/versions`.
pub async fn versions(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let viewer = caller.viewer();
    let app = state.app.clone();
    let record = blocking::run(move || app.registry.get(&id, &viewer).map_err(HttpError::from)).await?;
    let versions: Vec<serde_json::Value> = record
        .versions
        .iter()
        .map(|v| json!({ "version": v.number, "created": v.created.to_string(), "author": v.author.as_str(), "location": format!("/api/records/{}/versions/{}", record.id, v.number) }))
        .collect();
    Ok(Json(json!({ "id": record.id, "current": record.version(), "versions": versions })))
}

/// `GET /api/records/{id}/versions/{n}`.
pub async fn version(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, n)): Path<(String, u32)>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let viewer = caller.viewer();
    let app = state.app.clone();
    let triples = blocking::run(move || {
        let record = app.registry.get(&id, &viewer)?;
        app.registry.version_content(&record, n).map_err(HttpError::from)
    })
    .await?;
    rdf_response(&headers, StatusCode::OK, &triples)
}

/// Diff parameters.
#[derive(Deserialize)]
pub struct DiffParams {
    from: u32,
    to: u32,
}

/// The triples of a graph after canonicalisation, as N-Triples lines (blank nodes comparable).
fn canonical_lines(triples: &[Triple]) -> std::collections::BTreeSet<String> {
    let mut graph: Graph = triples.iter().collect();
    graph.canonicalize(CanonicalizationAlgorithm::Unstable);
    graph.iter().map(|t| t.to_string()).collect()
}

/// `GET /api/records/{id}/diff?from=N&to=M`: added and removed triples, as JSON or a readable list.
pub async fn diff(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(params): Query<DiffParams>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let viewer = caller.viewer();
    let app = state.app.clone();
    let (from, to) = blocking::run(move || {
        let record = app.registry.get(&id, &viewer)?;
        Ok((
            app.registry.version_content(&record, params.from)?,
            app.registry.version_content(&record, params.to)?,
        ))
    })
    .await?;
    let (from, to) = (canonical_lines(&from), canonical_lines(&to));
    let added: Vec<&String> = to.difference(&from).collect();
    let removed: Vec<&String> = from.difference(&to).collect();
    #[derive(Clone, Copy)]
    enum Form {
        Json,
        Text,
    }
    match choose(accept(&headers), &[("application/json", Form::Json), ("text/plain", Form::Text)]) {
        Some(Form::Text) => {
            let mut text = format!(
                "version {} → {}: {} added, {} removed\n",
                params.from,
                params.to,
                added.len(),
                removed.len()
            );
            for line in &added {
                text.push_str(&format!("+ {line}\n"));
            }
            for line in &removed {
                text.push_str(&format!("- {line}\n"));
            }
            Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response())
        }
        Some(Form::Json) => {
            Ok(Json(json!({ "from": params.from, "to": params.to, "added": added, "removed": removed }))
                .into_response())
        }
        None => Err(HttpError::NotAcceptable("the diff is application/json or text/plain".into())),
    }
}

/// A new organisation.
#[derive(Deserialize)]
pub struct OrgForm {
    id: String,
    name_vi: String,
    name_en: String,
    #[serde(rename = "type", default)]
    org_type: Option<String>,
    homepage: Option<String>,
    email: Option<String>,
}

/// `POST /api/orgs` (admins).
pub async fn add_org(
    State(state): State<AppState>,
    caller: Caller,
    Json(form): Json<OrgForm>,
) -> Result<Response, HttpError> {
    let principal = caller.required()?;
    let org_type: OrgType =
        form.org_type.as_deref().unwrap_or("other").parse().map_err(HttpError::BadRequest)?;
    let app = state.app.clone();
    let outcome = blocking::run(move || {
        let org = NewOrg {
            id: form.id,
            name_vi: form.name_vi,
            name_en: form.name_en,
            org_type,
            homepage: form.homepage,
            email: form.email,
        };
        app.registry.add_org(&principal, &org).map_err(HttpError::from)
    })
    .await?;
    Ok(write_answer(&state, &outcome, &[]))
}

/// `GET /api/orgs`.
pub async fn orgs(State(state): State<AppState>) -> Result<Json<Vec<RecordView>>, HttpError> {
    let app = state.app.clone();
    let orgs = blocking::run(move || Ok(app.registry.orgs())).await?;
    Ok(Json(orgs.iter().map(RecordView::new).collect()))
}

/// A new token.
#[derive(Deserialize)]
pub struct TokenForm {
    role: String,
    org: Option<String>,
    label: Option<String>,
    #[serde(default)]
    scope: Vec<String>,
}

/// `POST /api/tokens` (admins): the token is in the answer, once.
pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    Json(form): Json<TokenForm>,
) -> Result<Response, HttpError> {
    let principal = caller.required()?;
    let role = form.role.parse().map_err(HttpError::BadRequest)?;
    let scope = form
        .scope
        .iter()
        .map(|s| s.parse::<Kind>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(HttpError::BadRequest)?;
    let app = state.app.clone();
    let (token, id) = blocking::run(move || {
        app.registry
            .create_token(&principal, role, form.org.as_deref(), form.label.as_deref(), &scope)
            .map_err(HttpError::from)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id, "token": token }))).into_response())
}

/// `GET /api/tokens` (admins): never secrets.
pub async fn tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<serde_json::Value>, HttpError> {
    let principal = caller.required()?;
    if principal.role != crate::registry::tokens::Role::Admin {
        return Err(HttpError::Forbidden("only an admin may list tokens".into()));
    }
    let app = state.app.clone();
    let tokens = blocking::run(move || app.registry.tokens().map_err(HttpError::from)).await?;
    Ok(Json(serde_json::Value::Array(
        tokens
            .iter()
            .map(|t| json!({ "id": t.id, "role": t.role.name(), "org": t.org.as_ref().map(NamedNode::as_str), "label": t.label, "created": t.created, "revoked": t.revoked }))
            .collect(),
    )))
}

/// `DELETE /api/tokens/{id}` (admins).
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, HttpError> {
    let principal = caller.required()?;
    let app = state.app.clone();
    blocking::run(move || app.registry.revoke_token(&principal, &id).map_err(HttpError::from)).await?;
    Ok(StatusCode::NO_CONTENT)
}
