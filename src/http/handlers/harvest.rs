//! Harvest sources over HTTP, for stewards and admins: `GET/POST /api/harvest/sources`,
//! `GET /api/harvest/sources/{id}`, `POST /api/harvest/sources/{id}/run`, and the report page
//! `GET /harvest/{source}` (HTML or JSON). A publisher may read its own organisation's sources and
//! reports.

use crate::harvest::{NewSource, RunReport, Source, parse_duration};
use crate::http::auth::Caller;
use crate::http::error::HttpError;
use crate::http::negotiate::choose;
use crate::http::ui::Ui;
use crate::http::{AppState, blocking};
use crate::registry::Principal;
use crate::registry::tokens::Role;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;

fn is_staff(principal: &Principal) -> bool {
    matches!(principal.role, Role::Steward | Role::Admin)
}

fn require_staff(principal: &Principal) -> Result<(), HttpError> {
    if is_staff(principal) {
        Ok(())
    } else {
        Err(HttpError::Forbidden("harvest sources are managed by stewards and admins".into()))
    }
}

/// Whether the principal may read this source (staff, or a publisher of its organisation).
fn may_read(principal: &Principal, source: &Source) -> bool {
    is_staff(principal) || principal.org.as_ref() == Some(&source.org)
}

/// `GET /api/harvest/sources`.
pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Source>>, HttpError> {
    let principal = caller.required()?;
    let app = state.app.clone();
    let sources = blocking::run(move || Ok(app.harvester.sources(&app.registry)?)).await?;
    Ok(Json(sources.into_iter().filter(|s| may_read(&principal, s)).collect()))
}

/// A new source.
#[derive(Deserialize)]
pub struct SourceForm {
    org: String,
    url: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    every: Option<String>,
    #[serde(default)]
    grace: Option<String>,
    #[serde(default)]
    id: Option<String>,
}

/// `POST /api/harvest/sources` (stewards, admins).
pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    Json(form): Json<SourceForm>,
) -> Result<Response, HttpError> {
    let principal = caller.required()?;
    require_staff(&principal)?;
    let new = NewSource {
        id: form.id,
        org: form.org,
        url: form.url,
        kind: form.kind.as_deref().unwrap_or("dcat").parse().map_err(HttpError::BadRequest)?,
        every: form.every.as_deref().map(parse_duration).transpose().map_err(HttpError::BadRequest)?,
        grace: parse_duration(form.grace.as_deref().unwrap_or("0s")).map_err(HttpError::BadRequest)?,
    };
    let app = state.app.clone();
    let source = blocking::run(move || {
        let source = app.harvester.add_source(&app.registry, &new)?;
        app.store.flush()?;
        Ok(source)
    })
    .await?;
    let location = format!("/api/harvest/sources/{}", source.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(source)).into_response())
}

/// A source and its last runs.
#[derive(Serialize)]
struct SourceView {
    source: Source,
    runs: Vec<RunReport>,
}

async fn load(state: &AppState, caller: Caller, id: String) -> Result<SourceView, HttpError> {
    let principal = caller.required()?;
    let app = state.app.clone();
    let view = blocking::run(move || {
        let source = app.harvester.source(&app.registry, &id)?;
        let runs = app.harvester.runs(&app.registry, &id)?;
        Ok(SourceView { source, runs })
    })
    .await?;
    if !may_read(&principal, &view.source) {
        return Err(HttpError::NotFound(format!("harvest source {}", view.source.id)));
    }
    Ok(view)
}

/// `GET /api/harvest/sources/{id}`.
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    Ok(Json(load(&state, caller, id).await?).into_response())
}

/// `GET /harvest/{source}`: the source's last runs, as a page or as JSON.
pub async fn report(
    State(state): State<AppState>,
    caller: Caller,
    ui: Ui,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    #[derive(Clone, Copy)]
    enum Form {
        Html,
        Json,
    }
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let form = choose(accept, &[("application/json", Form::Json), ("text/html", Form::Html)])
        .ok_or_else(|| HttpError::NotAcceptable("the report is application/json or text/html".into()))?;
    let view = load(&state, caller, id).await?;
    match form {
        Form::Json => Ok(Json(view).into_response()),
        Form::Html => Ok(state.templates.render("harvest.html", &ui, &view)?.into_response()),
    }
}

/// `POST /api/harvest/sources/{id}/run` (stewards, admins): runs the source now and answers its
/// report; 409 while another run of it is going on.
pub async fn run(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let principal = caller.required()?;
    require_staff(&principal)?;
    let app = state.app.clone();
    let report = blocking::run(move || Ok(app.harvester.run(&app.registry, &id)?)).await?;
    Ok(Json(json!(report)).into_response())
}
