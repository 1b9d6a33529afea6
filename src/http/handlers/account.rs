//! Agencies in the browser: `/signin` (an API token exchanged for a session cookie), `/signout`,
//! and `/dashboard` (the organisation's records with their status, its harvest sources with their
//! last reports, the validation failures to fix). See `http::session` for the session invariant.

use crate::catalog::text_of;
use crate::http::auth::{Caller, principal_of};
use crate::http::error::HttpError;
use crate::http::session::{SESSION_COOKIE, TTL};
use crate::http::ui::{Ui, set_cookie};
use crate::http::{AppState, blocking};
use crate::rdf::ns::{dct, foaf};
use crate::registry::ListFilter;
use crate::registry::kind::Kind;
use crate::registry::lifecycle::Status;
use crate::shacl::vocab::sh;
use crate::store::Viewer;
use axum::Form;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use oxigraph::model::{NamedOrBlankNode, Term};
use serde::{Deserialize, Serialize};

/// At most this many records on the dashboard.
const DASHBOARD_RECORDS: usize = 500;
/// At most this many validation failures on the dashboard.
const DASHBOARD_FAILURES: usize = 50;

#[derive(Serialize)]
struct SigninPage {
    error: Option<&'static str>,
}

/// `GET /signin`.
pub async fn signin_form(State(state): State<AppState>, ui: Ui) -> Result<Response, HttpError> {
    Ok(state.templates.render("signin.html", &ui, &SigninPage { error: None })?.into_response())
}

/// The sign-in form.
#[derive(Deserialize)]
pub struct SigninForm {
    token: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /signin`: a valid token opens a session (a new id every time) and leads to the dashboard.
pub async fn signin(
    State(state): State<AppState>,
    ui: Ui,
    Form(form): Form<SigninForm>,
) -> Result<Response, HttpError> {
    let again = |status: StatusCode, error: &'static str| -> Result<Response, HttpError> {
        Ok((status, state.templates.render("signin.html", &ui, &SigninPage { error: Some(error) })?)
            .into_response())
    };
    if !ui.csrf_ok(&form.csrf) {
        return again(StatusCode::FORBIDDEN, "signin.csrf");
    }
    let token = form.token.trim().to_owned();
    if token.is_empty() || token.len() > 200 {
        return again(StatusCode::UNAUTHORIZED, "signin.bad_token");
    }
    let Some(principal) = principal_of(&state, token.clone()).await else {
        return again(StatusCode::UNAUTHORIZED, "signin.bad_token");
    };
    let app = state.app.clone();
    let org = principal.org.clone();
    let (org_id, names) = blocking::run(move || {
        let Some(org) = org else { return Ok((None, (String::new(), String::new()))) };
        let id = org.as_str().rsplit('/').next().map(str::to_owned);
        let names = match app
            .registry
            .id_of(org.as_str())
            .and_then(|rid| app.registry.get(&rid, &Viewer::Staff).ok())
        {
            Some(record) => {
                let content = app.registry.content(&record)?;
                let subject: NamedOrBlankNode = org.clone().into();
                (
                    text_of(&content, &subject, foaf::NAME, "vi").unwrap_or_default(),
                    text_of(&content, &subject, foaf::NAME, "en").unwrap_or_default(),
                )
            }
            None => (String::new(), String::new()),
        };
        Ok((id, names))
    })
    .await?;
    let names = if names.0.is_empty() && names.1.is_empty() {
        (principal.role.name().to_owned(), principal.role.name().to_owned())
    } else {
        names
    };
    if let Some(old) = &ui.session_id {
        state.sessions.close(old);
    }
    let id = state.sessions.open(token, org_id, names).map_err(HttpError::internal)?;
    let mut response = Redirect::to("/dashboard").into_response();
    if let Some(cookie) = set_cookie(&state, SESSION_COOKIE, &id, TTL.as_secs(), "Strict") {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// The sign-out form.
#[derive(Deserialize)]
pub struct SignoutForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /signout`.
pub async fn signout(
    State(state): State<AppState>,
    ui: Ui,
    Form(form): Form<SignoutForm>,
) -> Result<Response, HttpError> {
    let Some(id) = &ui.session_id else { return Ok(Redirect::to("/").into_response()) };
    if !ui.csrf_ok(&form.csrf) {
        return Err(HttpError::Forbidden("the form's CSRF token does not match this session".into()));
    }
    state.sessions.close(id);
    let mut response = Redirect::to("/").into_response();
    if let Some(cookie) = set_cookie(&state, SESSION_COOKIE, "", 0, "Strict") {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

#[derive(Serialize)]
struct RecordRow {
    title: String,
    href: String,
    kind: &'static str,
    status: &'static str,
    modified: String,
    /// The record's quality score, once the quality service gives one.
    quality: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct SourceRow {
    id: String,
    url: String,
    kind: String,
    last: Option<crate::harvest::RunReport>,
}

#[derive(Serialize)]
struct Problem {
    focus: String,
    path: String,
    value: String,
    message: String,
}

#[derive(Serialize)]
struct Failure {
    title: String,
    href: String,
    problems: Vec<Problem>,
}

#[derive(Serialize)]
struct DashboardPage {
    org_id: Option<String>,
    records: Vec<RecordRow>,
    total: usize,
    by_status: Vec<(&'static str, usize)>,
    sources: Vec<SourceRow>,
    failures: Vec<Failure>,
}

/// `GET /dashboard`: for a signed-in browser only (else to `/signin`).
pub async fn dashboard(State(state): State<AppState>, caller: Caller, ui: Ui) -> Result<Response, HttpError> {
    let Some(principal) = caller.0.filter(|_| ui.session.is_some()) else {
        return Ok(Redirect::to("/signin").into_response());
    };
    let viewer = principal.viewer();
    let org = principal.org.clone();
    let lang = ui.lang;
    let app = state.app.clone();
    let org_id = ui.session.as_ref().and_then(|s| s.org_id.clone());
    let page = blocking::run(move || {
        let filter = ListFilter { publisher: org.clone(), ..ListFilter::default() };
        let mine: Vec<_> =
            app.registry.list(&filter, &viewer).into_iter().filter(|r| r.kind != Kind::Publisher).collect();
        let mut by_status: Vec<(&'static str, usize)> = Vec::new();
        for r in &mine {
            match by_status.iter_mut().find(|(s, _)| *s == r.status.name()) {
                Some((_, n)) => *n += 1,
                None => by_status.push((r.status.name(), 1)),
            }
        }
        let base = app.config.base_url.clone();
        let href =
            |iri: &str| iri.strip_prefix(base.as_str()).map_or_else(|| iri.to_owned(), |r| format!("/{r}"));
        let title = |r: &crate::registry::record::Record| -> String {
            let content = app.registry.content(r).unwrap_or_default();
            text_of(&content, &r.iri.clone().into(), dct::TITLE, lang.code()).unwrap_or_else(|| r.id.clone())
        };
        let mut recent = mine.clone();
        recent.sort_by(|a, b| b.modified.partial_cmp(&a.modified).unwrap_or(std::cmp::Ordering::Equal));
        let records = recent
            .iter()
            .take(DASHBOARD_RECORDS)
            .map(|r| RecordRow {
                title: title(r),
                href: href(r.iri.as_str()),
                kind: r.kind.name(),
                status: r.status.name(),
                modified: r.modified.to_string(),
                quality: None,
            })
            .collect();
        let sources = app
            .harvester
            .sources(&app.registry)?
            .into_iter()
            .filter(|s| org.as_ref().is_none_or(|o| *o == s.org))
            .map(|s| {
                let last =
                    app.harvester.runs(&app.registry, &s.id).ok().and_then(|runs| runs.into_iter().next());
                SourceRow {
                    id: s.id.clone(),
                    url: s.url.clone(),
                    kind: format!("{:?}", s.kind).to_lowercase(),
                    last,
                }
            })
            .collect();
        let mut failures = Vec::new();
        for r in mine.iter().filter(|r| r.status == Status::Invalid).take(DASHBOARD_FAILURES) {
            let report = app.registry.last_report(r, &viewer)?;
            let mut problems = Vec::new();
            for result in report.iter().filter(|t| t.predicate == sh::FOCUS_NODE) {
                let node = &result.subject;
                let get = |p| {
                    report
                        .iter()
                        .find(|t| t.subject == *node && t.predicate == p)
                        .map(|t| match &t.object {
                            Term::Literal(l) => l.value().to_owned(),
                            other => other.to_string(),
                        })
                        .unwrap_or_default()
                };
                problems.push(Problem {
                    focus: match &result.object {
                        Term::Literal(l) => l.value().to_owned(),
                        other => other.to_string(),
                    },
                    path: get(sh::RESULT_PATH),
                    value: get(sh::VALUE),
                    message: get(sh::RESULT_MESSAGE),
                });
            }
            failures.push(Failure { title: title(r), href: href(r.iri.as_str()), problems });
        }
        Ok(DashboardPage { org_id, total: mine.len(), records, by_status, sources, failures })
    })
    .await?;
    Ok(state.templates.render("dashboard.html", &ui, &page)?.into_response())
}
