//! Records at their own IRIs: `GET /{dataset|service|series|catalog|def|publisher}/{id}` answers the
//! record's RDF (its graph), `?at=ISO-TIME` the record as it was then; a withdrawn record answers
//! 410 Gone with its tombstone. HTML pages come with the portal.

use super::api::rdf_response;
use crate::http::auth::Caller;
use crate::http::error::HttpError;
use crate::http::{AppState, blocking};
use crate::registry::RegistryError;
use crate::registry::kind::Kind;
use crate::registry::lifecycle::Status;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use oxsdatatypes::DateTime;
use serde::Deserialize;
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
    let viewer = caller.viewer();
    let base = state.app.config.base_url.clone();
    let app = state.app.clone();
    let (status, triples) = blocking::run(move || {
        let iri = format!("{base}{segment}/{id}");
        let record_id = app.registry.id_of(&iri).ok_or_else(|| HttpError::NotFound(iri.clone()))?;
        let record = app.registry.get(&record_id, &viewer)?;
        if record.kind != kind {
            return Err(HttpError::NotFound(iri));
        }
        if let Some(at) = at {
            let version = record
                .version_at(&at)
                .ok_or_else(|| HttpError::NotFound(format!("{iri} did not exist at {at}")))?;
            return Ok((StatusCode::OK, app.registry.version_content(&record, version.number)?));
        }
        let content = app.registry.content(&record)?;
        if record.status == Status::Retired {
            return Err(RegistryError::Gone { id: record.id, tombstone: content }.into());
        }
        Ok((StatusCode::OK, content))
    })
    .await
    .or_else(|e| match e {
        HttpError::GoneWith(tombstone) => Ok((StatusCode::GONE, tombstone)),
        other => Err(other),
    })?;
    rdf_response(&headers, status, &triples)
}
