//! The one HTTP error type. Every failure a handler meets becomes an [`HttpError`], and its status is
//! decided here and nowhere else. Machines get `text/plain`; the `html_errors` middleware turns the
//! same error into an HTML page for browsers.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A failed request, with a message for the client.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The request is malformed (bad parameters, unparseable query or RDF).
    #[error("{0}")]
    BadRequest(String),
    /// No valid credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// The request is understood and refused (e.g. SPARQL Update on the query endpoint).
    #[error("{0}")]
    Forbidden(String),
    /// Nothing here.
    #[error("not found: {0}")]
    NotFound(String),
    /// It was here and was withdrawn; the body is its tombstone.
    #[error("gone: {0}")]
    Gone(String),
    /// Withdrawn, with the tombstone to answer (rendered by the record handler).
    #[error("gone")]
    GoneWith(Vec<oxigraph::model::Triple>),
    /// The request conflicts with the resource's state.
    #[error("{0}")]
    Conflict(String),
    /// `If-Match` failed.
    #[error("{0}")]
    PreconditionFailed(String),
    /// The content breaks its profile; the body is a SHACL report.
    #[error("the content does not conform to its profile")]
    Unprocessable(Box<crate::shacl::ValidationReport>),
    /// We cannot produce any representation the client accepts.
    #[error("{0}")]
    NotAcceptable(String),
    /// The body is larger than the route allows.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The body's media type is not one this route reads.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The work ran out of time (and was cancelled).
    #[error("{0}")]
    Timeout(String),
    /// A defect or a storage failure. The message is logged, never sent.
    #[error("internal error")]
    Internal(String),
}

/// Attached to error responses so that `html_errors` can render them for browsers.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// The status.
    pub status: StatusCode,
    /// What the client is told.
    pub message: String,
}

impl HttpError {
    /// The status this error answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Gone(_) | Self::GoneWith(_) => StatusCode::GONE,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Self::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Timeout(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// An internal error from anything displayable; logged once, here.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        let message = error.to_string();
        tracing::error!(error = %message, "internal error");
        Self::Internal(message)
    }
}

impl From<crate::store::StoreError> for HttpError {
    fn from(error: crate::store::StoreError) -> Self {
        use crate::store::StoreError as E;
        match error {
            E::Parse(message) => Self::BadRequest(message),
            e @ (E::Locked { .. } | E::Open { .. } | E::Storage(_) | E::Io(_)) => Self::internal(e),
        }
    }
}

impl From<crate::registry::RegistryError> for HttpError {
    fn from(error: crate::registry::RegistryError) -> Self {
        use crate::registry::RegistryError as E;
        match error {
            E::BadRequest(m) => Self::BadRequest(m),
            E::Invalid(report) => Self::Unprocessable(report),
            E::Forbidden(m) => Self::Forbidden(m),
            e @ E::NotFound(_) => Self::NotFound(e.to_string().trim_start_matches("no ").to_owned()),
            E::Gone { tombstone, .. } => Self::GoneWith(tombstone),
            E::Conflict(m) => Self::Conflict(m),
            e @ E::PreconditionFailed { .. } => Self::PreconditionFailed(e.to_string()),
            E::Validation(e) => e.into(),
            E::Store(e) => e.into(),
            e @ E::Blocked(_) => Self::Conflict(e.to_string()),
        }
    }
}

impl From<crate::standards::StandardsError> for HttpError {
    fn from(error: crate::standards::StandardsError) -> Self {
        use crate::standards::StandardsError as E;
        match error {
            E::BadRequest(m) => Self::BadRequest(m),
            e @ E::NotFound(_) => Self::NotFound(e.to_string().trim_start_matches("no ").to_owned()),
            e @ E::Csv(_) => Self::BadRequest(e.to_string()),
            E::Registry(e) => e.into(),
            E::Validation(e) => e.into(),
        }
    }
}

impl From<crate::harvest::HarvestError> for HttpError {
    fn from(error: crate::harvest::HarvestError) -> Self {
        use crate::harvest::HarvestError as E;
        match error {
            E::BadRequest(m) => Self::BadRequest(m),
            e @ E::NotFound(_) => Self::NotFound(e.to_string().trim_start_matches("no ").to_owned()),
            E::Conflict(m) => Self::Conflict(m),
            e @ E::Client(_) => Self::internal(e),
            E::Registry(e) => e.into(),
            E::Store(e) => e.into(),
        }
    }
}

impl From<crate::search::SearchError> for HttpError {
    fn from(error: crate::search::SearchError) -> Self {
        use crate::search::SearchError as E;
        match error {
            E::BadRequest(m) => Self::BadRequest(m),
            E::Registry(e) => e.into(),
            e @ (E::Index(_) | E::Directory { .. }) => Self::internal(e),
        }
    }
}

impl From<crate::quality::QualityError> for HttpError {
    fn from(error: crate::quality::QualityError) -> Self {
        use crate::quality::QualityError as E;
        match error {
            E::NotFound(m) => Self::NotFound(m.trim_start_matches("no ").to_owned()),
            e @ E::NotScored(_) => Self::NotFound(e.to_string()),
            e @ E::LinkCheck(_) => Self::internal(e),
            E::Registry(e) => e.into(),
            E::Store(e) => e.into(),
        }
    }
}

impl From<crate::catalog::CatalogError> for HttpError {
    fn from(error: crate::catalog::CatalogError) -> Self {
        use crate::catalog::CatalogError as E;
        match error {
            E::BadRequest(m) | E::TooLarge(m) => Self::BadRequest(m),
            E::NotFound(m) => Self::NotFound(m),
            E::Registry(e) => e.into(),
            E::Store(e) => e.into(),
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let Self::Unprocessable(report) = &self {
            // The report is the answer: Turtle, with a summary header for people reading logs.
            let mut body = Vec::new();
            let _ = report.write(oxigraph::io::RdfFormat::Turtle, &mut body);
            let mut response = (status, body).into_response();
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/turtle"));
            return response;
        }
        let message = self.to_string();
        let mut response = (status, format!("{message}\n")).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
        response.extensions_mut().insert(ErrorInfo { status, message });
        response
    }
}
