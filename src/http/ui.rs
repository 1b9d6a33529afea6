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
use std::sync::{Arc, OnceLock};

/// The signed-in organisation, as the page header shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SignedIn {
    /// Registry id of the organisation (`/publishers/{id}`), if the token has one.
    pub org_id: Option<String>,
    /// Its name in the page's language (falling back to the other).
    pub name: String,
}

/// The CSRF token of a browser's forms: the session's, or the one its cookie holds, or else a fresh
/// one made when a page first shows a form (the answer then sets it as the browser's cookie). Pages
/// without forms (and pages kept for every anonymous reader) never make one.
#[derive(Debug, Default)]
pub struct Csrf {
    known: Option<String>,
    fresh: OnceLock<String>,
}

impl Csrf {
    /// The token forms carry.
    pub fn value(&self) -> &str {
        match &self.known {
            Some(known) => known,
            None => self.fresh.get_or_init(|| random_id().unwrap_or_default()),
        }
    }

    /// The fresh token made for this request, if a page needed one.
    fn fresh(&self) -> Option<&str> {
        self.fresh.get().map(String::as_str).filter(|c| !c.is_empty())
    }
}

/// The request's page context, shared by reference count: the middleware, the error page and the
/// handler hold the same one.
#[derive(Debug, Clone)]
pub struct Ui(Arc<UiData>);

impl std::ops::Deref for Ui {
    type Target = UiData;

    fn deref(&self) -> &UiData {
        &self.0
    }
}

impl Ui {
    /// The context as templates see it (`ui.csrf` is made only if a template reads it).
    pub fn template_value(&self) -> minijinja::Value {
        minijinja::Value::from_dyn_object(Arc::clone(&self.0))
    }
}

impl minijinja::value::Object for UiData {
    fn get_value(self: &Arc<Self>, key: &minijinja::Value) -> Option<minijinja::Value> {
        use minijinja::Value;
        Some(match key.as_str()? {
            "other_lang" => Value::from(self.other_lang),
            "switch_href" => Value::from(self.switch_href.as_str()),
            "path" => Value::from(self.path.as_str()),
            "signed_in" => Value::from(minijinja::value::Serde(&self.signed_in)),
            "csrf" => Value::from(self.csrf.value()),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> minijinja::value::Enumerator {
        minijinja::value::Enumerator::Str(&["other_lang", "switch_href", "path", "signed_in", "csrf"])
    }
}

/// What [`Ui`] holds.
#[derive(Debug)]
pub struct UiData {
    /// The page language.
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
    pub csrf: Csrf,
    /// The session id (never rendered).
    pub session_id: Option<String>,
    /// The session (never rendered: it holds the token).
    pub session: Option<Session>,
    /// The language asked for with `?lang=`, which the answer remembers in a cookie.
    remember_lang: Option<Lang>,
}

impl Ui {
    /// Whether a submitted CSRF token is this browser's (constant-time).
    pub fn csrf_ok(&self, submitted: &str) -> bool {
        // A fresh value, which the browser does not have yet, can never validate a form.
        self.csrf.known.as_deref().is_some_and(|known| {
            !known.is_empty() && constant_time_eq(known.as_bytes(), submitted.as_bytes())
        })
    }

    /// A context for a language alone (tests, pages rendered outside a request).
    pub fn for_lang(lang: Lang) -> Self {
        Self(Arc::new(UiData {
            lang,
            other_lang: lang.other().code(),
            switch_href: format!("/?lang={}", lang.other().code()),
            path: "/".into(),
            signed_in: None,
            csrf: Csrf::default(),
            session_id: None,
            session: None,
            remember_lang: None,
        }))
    }

    fn from_request(state: &AppState, parts: &Parts) -> Self {
        let query = parts.uri.query().unwrap_or_default();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        let query_lang = pairs.iter().find(|(k, _)| k == "lang").map(|(_, v)| v.as_str());
        let accept_language = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        let lang = Lang::choose(query_lang, cookie(&parts.headers, LANG_COOKIE), accept_language);
        let switched: Vec<(&str, &str)> =
            pairs.iter().filter(|(k, _)| k != "lang").map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let path = parts.uri.path().to_owned();
        let other = lang.other().code();
        let switch_href = if switched.is_empty() {
            format!("{path}?lang={other}")
        } else {
            let rest = serde_urlencoded::to_string(&switched).unwrap_or_default();
            format!("{path}?{rest}&lang={other}")
        };
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
        let known = match (&session, cookie(&parts.headers, CSRF_COOKIE)) {
            (Some(s), _) => Some(s.csrf.clone()),
            (None, Some(c)) if c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()) => {
                Some(c.to_owned())
            }
            (None, _) => None,
        };
        Self(Arc::new(UiData {
            lang,
            other_lang: other,
            switch_href,
            path,
            signed_in,
            csrf: Csrf { known, fresh: OnceLock::new() },
            session_id: session.as_ref().and(session_id),
            session,
            remember_lang: query_lang.and_then(Lang::from_code),
        }))
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
/// without one its pre-session CSRF cookie (on HTML answers that showed a form).
pub async fn ui_context(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let ui = Ui::from_request(&state, &parts);
    let remember_lang = ui.remember_lang;
    parts.extensions.insert(ui.clone());
    let mut response = next.run(Request::from_parts(parts, body)).await;
    // A page whose form needed a CSRF token the browser did not have yet made a fresh one.
    let new_csrf = ui.csrf.fresh();
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
        && let Some(value) = set_cookie(&state, CSRF_COOKIE, csrf, 24 * 3600, "Strict")
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
