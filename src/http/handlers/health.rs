//! `/health` and `/metrics`.

use crate::http::{AppState, blocking, error::HttpError};
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

/// `GET /health`: 200 when the store answers a read.
pub async fn health(State(state): State<AppState>) -> Result<&'static str, HttpError> {
    let store = state.app.store.clone();
    blocking::run(move || store.check_health().map_err(HttpError::from)).await?;
    Ok("ok\n")
}

/// `GET /metrics`: Prometheus text exposition.
pub async fn metrics(State(state): State<AppState>) -> Result<impl IntoResponse, HttpError> {
    if state.metrics.quad_count_due() {
        let store = state.app.store.clone();
        let count = blocking::run(move || store.quad_count().map_err(HttpError::from)).await?;
        state.metrics.quads.set(i64::try_from(count).unwrap_or(i64::MAX));
    }
    let body = state.metrics.encode().map_err(HttpError::internal)?;
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], body))
}
