//! Metadata quality: `GET /quality` (the catalogue-wide dashboard, HTML for browsers and JSON
//! otherwise), `GET /api/quality`, `/api/quality/{record id}`, `/api/quality/publisher/{id}` (JSON).
//! Every answer covers only the datasets the caller may see.

use crate::http::auth::Caller;
use crate::http::error::HttpError;
use crate::http::negotiate::prefers_html;
use crate::http::{AppState, blocking};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};

/// `GET /api/quality`: the catalogue-wide dashboard as JSON.
pub async fn catalogue_json(State(state): State<AppState>, caller: Caller) -> Result<Response, HttpError> {
    let app = state.app.clone();
    let viewer = caller.viewer();
    let view =
        blocking::run(move || Ok(app.quality.catalogue(&app.registry, &app.catalog, &viewer)?)).await?;
    Ok(Json(view).into_response())
}

/// `GET /api/quality/{id}`: one dataset's score, indicators and fixes.
pub async fn dataset_json(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let app = state.app.clone();
    let viewer = caller.viewer();
    let view = blocking::run(move || Ok(app.quality.dataset(&app.registry, &viewer, &id)?)).await?;
    Ok(Json(view).into_response())
}

/// `GET /api/quality/publisher/{id}`: one publisher's dashboard.
pub async fn publisher_json(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let app = state.app.clone();
    let viewer = caller.viewer();
    let view =
        blocking::run(move || Ok(app.quality.publisher(&app.registry, &app.catalog, &viewer, &id)?)).await?;
    Ok(Json(view).into_response())
}

/// `GET /quality`: the dashboard page for browsers, JSON for everyone else.
pub async fn dashboard(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let app = state.app.clone();
    let viewer = caller.viewer();
    let view =
        blocking::run(move || Ok(app.quality.catalogue(&app.registry, &app.catalog, &viewer)?)).await?;
    if prefers_html(accept.as_deref(), &["application/json"]) {
        Ok(state.templates.render("quality.html", &view)?.into_response())
    } else {
        Ok(Json(view).into_response())
    }
}
