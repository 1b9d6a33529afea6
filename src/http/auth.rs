//! Who is calling: `Authorization: Bearer dmk_…` → a [`Principal`], or nobody.

use super::error::HttpError;
use super::{AppState, blocking};
use crate::registry::Principal;
use crate::store::Viewer;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

/// The caller: `Some` with a valid token, `None` without an `Authorization` header. A header with a
/// wrong, revoked or malformed token is refused with 401, never silently treated as anonymous.
#[derive(Debug, Clone)]
pub struct Caller(pub Option<Principal>);

impl Caller {
    /// How the caller sees the store.
    pub fn viewer(&self) -> Viewer {
        self.0.as_ref().map_or(Viewer::Anonymous, Principal::viewer)
    }

    /// The principal, or 401.
    pub fn required(self) -> Result<Principal, HttpError> {
        self.0.ok_or_else(|| {
            HttpError::Unauthorized("this needs an API token: Authorization: Bearer dmk_…".into())
        })
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else { return Ok(Self(None)) };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(|t| t.trim().to_owned())
            .ok_or_else(|| {
                HttpError::Unauthorized("the Authorization header must be: Bearer TOKEN".into())
            })?;
        let app = state.app.clone();
        let principal =
            blocking::run(move || app.registry.authenticate(&token).map_err(HttpError::from)).await?;
        principal
            .map(|p| Self(Some(p)))
            .ok_or_else(|| HttpError::Unauthorized("unknown or revoked token".into()))
    }
}
