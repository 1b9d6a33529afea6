//! Who is calling: `Authorization: Bearer dmk_…` → a [`Principal`]; else, on safe methods (GET,
//! HEAD, and the read-only `POST /sparql`), the token of the browser's sign-in session (see `http::session`); or nobody. State-changing
//! requests never take the session implicitly: portal forms check their CSRF token and then use the
//! session explicitly.

use super::error::HttpError;
use super::{AppState, blocking};
use crate::registry::Principal;
use crate::store::Viewer;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};

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
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Ok(session_caller(parts, state).await);
        };
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

/// The caller of a browser request with a live session cookie (GET and HEAD only); the session's
/// token is authenticated again, so a revoked token is anonymous at once.
async fn session_caller(parts: &Parts, state: &AppState) -> Caller {
    // SPARQL is read-only whatever the method (updates are refused), so the query page's POST may
    // use the session too.
    let read_only = parts.method == Method::GET
        || parts.method == Method::HEAD
        || (parts.method == Method::POST && parts.uri.path() == "/sparql");
    if !read_only {
        return Caller(None);
    }
    let Some(token) =
        parts.extensions.get::<super::ui::Ui>().and_then(|ui| ui.session.as_ref()).map(|s| s.token.clone())
    else {
        return Caller(None);
    };
    Caller(principal_of(state, token).await)
}

/// The principal of a token, if it is valid (a store error counts as not signed in).
pub async fn principal_of(state: &AppState, token: String) -> Option<Principal> {
    let app = state.app.clone();
    blocking::run(move || app.registry.authenticate(&token).map_err(HttpError::from)).await.ok().flatten()
}
