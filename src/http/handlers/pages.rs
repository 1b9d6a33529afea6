//! Pages for people that are not records: the home page, static assets, "not found".

use crate::bundled::{self, STATIC_FILES};
use crate::http::AppState;
use crate::http::error::HttpError;
use crate::http::ui::Ui;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

#[derive(Serialize)]
struct HomePage {
    sparql: String,
}

/// `GET /`: the landing page (the portal grows from here).
pub async fn home(State(state): State<AppState>, ui: Ui) -> Result<Html<String>, HttpError> {
    state.templates.render(
        "home.html",
        &ui,
        &HomePage { sparql: format!("{}sparql", state.app.config.base_url) },
    )
}

/// `GET /static/{path}`: bundled CSS and JavaScript, cached for a day.
pub async fn static_file(Path(path): Path<String>) -> Result<Response, HttpError> {
    let content =
        bundled::find(STATIC_FILES, &path).ok_or_else(|| HttpError::NotFound(format!("/static/{path}")))?;
    let media_type = match path.rsplit_once('.').map(|(_, e)| e) {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        _ => "text/plain; charset=utf-8",
    };
    Ok(([(header::CONTENT_TYPE, media_type), (header::CACHE_CONTROL, "public, max-age=86400")], content)
        .into_response())
}

/// Anything else: 404.
pub async fn not_found(uri: axum::http::Uri) -> HttpError {
    HttpError::NotFound(uri.path().to_owned())
}
