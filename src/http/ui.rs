//! What every HTML page needs besides its own view: the language (and the link that switches it),
//! who is signed in, and the CSRF token its forms carry. Computed once per request by the
//! [`ui_context`] middleware and taken by handlers as the [`Ui`] extractor.

use super::AppState;
use super::i18n::Lang;
use super::session::{CSRF_COOKIE, LANG_COOKIE, SESSION_COOKIE, Session, constant_time_eq, random_id};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;
use std::convert::Infallible;

/// The signed-in organisation, as the page header shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SignedIn {
    /// Registry id of the organisation (`/publishers/{id}`), if the token has one.
    pub org_id: Option<String>,
    /// Its name in the page's language (falling back to the other).
    pub name: String,
}

/// The request's page context.
#[derive(Debug, Clone, Serialize)]
pub struct Ui {
    /// The page language.
    #[serde(skip)]
    pub lang: Lang,
    /// The other language's code (`en` on a Vietnamese page).
    pub other_lang: &'static str,
    /// This page in the other language (path and query, `lang` replaced).
    pub switch_href: String,
    /// The current path (for `next=` after sign-in).
    pub path: String,
    /// Who is signed in.
    pub signed_in: Option<SignedIn>,
    /// The CSRF token of this browser's forms.
    pub csrf: String,
    /// Whether `csrf` came from the server's session or the browser's cookie (a fresh value that
    /// the browser does not have yet can never validate a form).
    #[serde(skip)]
    csrf_known: bool,
    /// A fresh pre-session CSRF value to set as a cookie.
    #[serde(skip)]
    new_csrf: bool,
    /// The session id (never rendered).
    #[serde(skip)]
    pub session_id: Option<String>,
    /// The session (never rendered: it holds the token).
    #[serde(skip)]
    pub session: Option<Session>,
}

impl Ui {
    /// Whether a submitted CSRF token is this browser's (constant-time).
    pub fn csrf_ok(&self, submitted: &str) -> bool {
        self.csrf_known
            && !self.csrf.is_empty()
            && constant_time_eq(self.csrf.as_bytes(), submitted.as_bytes())
    }

    /// A context for a language alone (tests, pages rendered outside a request).
    pub fn for_lang(lang: Lang) -> Self {
        Self {
            lang,
            other_lang: lang.other().code(),
            switch_href: format!("/?lang={}", lang.other().code()),
            path: "/".into(),
            signed_in: None,
            csrf: String::new(),
            csrf_known: false,
            new_csrf: false,
            session_id: None,
            session: None,
        }
    }

    fn from_request(state: &AppState, parts: &Parts) -> Self {
        let query = parts.uri.query().unwrap_or_default();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        let query_lang = pairs.iter().find(|(k, _)| k == "lang").map(|(_, v)| v.as_str());
        let accept_language = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        let lang = Lang::choose(query_lang, cookie(&parts.headers, LANG_COOKIE), accept_language);
        let mut switched: Vec<(&str, &str)> =
            pairs.iter().filter(|(k, _)| k != "lang").map(|(k, v)| (k.as_str(), v.as_str())).collect();
        switched.push(("lang", lang.other().code()));
        let path = parts.uri.path().to_owned();
        let switch_href = format!("{path}?{}", serde_urlencoded::to_string(&switched).unwrap_or_default());
        let session_id = cookie(&parts.headers, SESSION_COOKIE).map(str::to_owned);
        let session = session_id.as_deref().and_then(|id| state.sessions.get(id));
        let signed_in = session.as_ref().map(|s| SignedIn {
            org_id: s.org_id.clone(),
            name: match lang {
                Lang::Vi if !s.org_name.0.is_empty() => s.org_name.0.clone(),
                Lang::En if !s.org_name.1.is_empty() => s.org_name.1.clone(),
                _ => format!("{}{}", s.org_name.0, s.org_name.1),
            },
        });
        let (csrf, csrf_known, new_csrf) = match (&session, cookie(&parts.headers, CSRF_COOKIE)) {
            (Some(s), _) => (s.csrf.clone(), true, false),
            (None, Some(c)) if c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()) => {
                (c.to_owned(), true, false)
            }
            (None, _) => (random_id().unwrap_or_default(), false, true),
        };
        Self {
            lang,
            other_lang: lang.other().code(),
            switch_href,
            path,
            signed_in,
            csrf,
            csrf_known,
            new_csrf,
            session_id: session.as_ref().and(session_id),
            session,
        }
    }
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// A `Set-Cookie` value: `Path=/`, `SameSite`, `HttpOnly`, `Secure` when the site is https.
pub fn set_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    max_age: u64,
    same_site: &str,
) -> Option<HeaderValue> {
    let secure = if state.app.config.base_url.starts_with("https://") { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite={same_site}{secure}"
    ))
    .ok()
}

/// Computes the [`Ui`] of a request; remembers a `?lang=` choice in a cookie and gives a browser
/// without one its pre-session CSRF cookie (on HTML answers).
pub async fn ui_context(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let ui = Ui::from_request(&state, &parts);
    let remember_lang = parts
        .uri
        .query()
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "lang"))
        .and_then(|(_, v)| Lang::from_code(&v));
    let new_csrf = ui.new_csrf.then(|| ui.csrf.clone()).filter(|c| !c.is_empty());
    parts.extensions.insert(ui);
    let mut response = next.run(Request::from_parts(parts, body)).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if let Some(lang) = remember_lang
        && let Some(value) = set_cookie(&state, LANG_COOKIE, lang.code(), 365 * 24 * 3600, "Lax")
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    if let (Some(csrf), true) = (new_csrf, is_html)
        && let Some(value) = set_cookie(&state, CSRF_COOKIE, &csrf, 24 * 3600, "Strict")
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

impl FromRequestParts<AppState> for Ui {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        Ok(match parts.extensions.get::<Self>() {
            Some(ui) => ui.clone(),
            None => Self::from_request(state, parts),
        })
    }
}
