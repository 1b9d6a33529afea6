//! The HTTP face of danhmuc: the only module that knows axum, status codes, headers and HTML.
//!
//! Routes are grouped by audience: machines (`/sparql`, `/health`, `/metrics`: CORS on) and people
//! (pages, static assets). Every handler returns `Result<_, HttpError>`; `html_errors` renders errors
//! as pages for browsers and `record_metrics` counts every request.

pub mod auth;
pub mod blocking;
pub mod cache;
pub mod error;
pub mod handlers;
pub mod i18n;
pub mod metrics;
pub mod negotiate;
pub mod render;
pub mod session;
pub mod ui;

use crate::app::App;
use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use error::ErrorInfo;
use handlers::{
    account, api, feed, harvest, health, pages, publishers, quality, records, search, search_page, skosmos,
    sparql, standards, validate,
};
use metrics::{Metrics, RequestLabels, RouteLabels};
use serde::Serialize;
use std::sync::Arc;
use std::time::Instant;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Shared state of every handler: one reference count, cloned by every layer of every request.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] shares.
pub struct Shared {
    /// The application (store, configuration).
    pub app: Arc<App>,
    /// Metrics.
    pub metrics: Arc<Metrics>,
    /// HTML templates.
    pub templates: Arc<render::Templates>,
    /// Browser sessions of signed-in agencies.
    pub sessions: Arc<session::Sessions>,
    /// Rendered pages of anonymous readers, per registry generation.
    pub pages: Arc<cache::PageCache>,
}

impl AppState {
    /// Wraps an application for serving.
    pub fn new(app: App) -> Result<Self, minijinja::Error> {
        Ok(Self(Arc::new(Shared {
            app: Arc::new(app),
            metrics: Arc::new(Metrics::new()),
            templates: Arc::new(render::Templates::new()?),
            sessions: Arc::new(session::Sessions::default()),
            pages: Arc::new(cache::PageCache::default()),
        })))
    }
}

/// No inline script or style, nothing from elsewhere.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/// The route table.
pub fn router(state: AppState) -> Router {
    let machines = Router::new()
        .route("/sparql", get(sparql::get).post(sparql::post))
        .layer(DefaultBodyLimit::max(state.app.config.limits.sparql_body_bytes))
        .route(
            "/validate",
            get(validate::page)
                .post(validate::validate)
                .layer(DefaultBodyLimit::max(state.app.config.limits.validate_body_bytes)),
        )
        .route("/api/quality", get(quality::catalogue_json))
        .route("/api/quality/publisher/{id}", get(quality::publisher_json))
        .route("/api/quality/{id}", get(quality::dataset_json))
        .route("/health", get(health::health))
        .route("/metrics", get(health::metrics))
        .route("/rest/v1/vocabularies", get(skosmos::vocabularies))
        .route("/rest/v1/search", get(skosmos::global_search))
        .route("/rest/v1/{vocid}", get(skosmos::information))
        .route("/rest/v1/{vocid}/", get(skosmos::information))
        .route("/rest/v1/{vocid}/search", get(skosmos::vocab_search))
        .route("/rest/v1/{vocid}/topConcepts", get(skosmos::top_concepts))
        .route("/rest/v1/{vocid}/children", get(skosmos::children))
        .route("/rest/v1/{vocid}/broader", get(skosmos::broader))
        .route("/rest/v1/{vocid}/narrower", get(skosmos::narrower))
        .route("/rest/v1/{vocid}/label", get(skosmos::label))
        .route("/rest/v1/{vocid}/data", get(skosmos::data))
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::OPTIONS])
                .allow_headers([header::ACCEPT, header::CONTENT_TYPE, header::AUTHORIZATION])
                .expose_headers([
                    HeaderName::from_static(sparql::TRUNCATED_HEADER),
                    HeaderName::from_static("danhmuc-conforms"),
                ]),
        );
    let body_limit = DefaultBodyLimit::max(state.app.config.limits.validate_body_bytes);
    let publishers = Router::new()
        .route("/api/records", get(api::list).post(api::create))
        .route("/api/records/{id}", get(api::show).put(api::replace).delete(api::delete))
        .route("/api/records/{id}/status", post(api::change_status))
        .route("/api/records/{id}/versions", get(api::versions))
        .route("/api/records/{id}/versions/{n}", get(api::version))
        .route("/api/records/{id}/diff", get(api::diff))
        .route("/api/catalogues", post(api::create_catalogue))
        .route("/api/orgs", get(api::orgs).post(api::add_org))
        .route("/api/tokens", get(api::tokens).post(api::create_token))
        .route("/api/tokens/{id}", axum::routing::delete(api::revoke_token))
        .route("/api/search", get(search::api))
        .route("/api/harvest/sources", get(harvest::list).post(harvest::add))
        .route("/api/harvest/sources/{id}", get(harvest::show))
        .route("/api/harvest/sources/{id}/run", post(harvest::run))
        .layer(body_limit);
    let people = Router::new()
        .route("/", get(pages::home))
        .route("/signin", get(account::signin_form).post(account::signin))
        .route("/signout", post(account::signout))
        .route("/dashboard", get(account::dashboard))
        .route("/search", get(search_page::page))
        .route("/static/{*path}", get(pages::static_file))
        .route("/quality", get(quality::dashboard))
        .route("/publishers", get(publishers::list))
        .route("/publishers/{id}", get(publishers::show))
        .route("/harvest/{source}", get(harvest::report))
        .route("/catalog", get(feed::root))
        .route("/catalog.ttl", get(feed::root))
        .route("/catalog.rdf", get(feed::root))
        .route("/catalog.xml", get(feed::root))
        .route("/catalog.jsonld", get(feed::root))
        .route("/catalog.nt", get(feed::root))
        .route("/catalog/{name}", get(feed::sub))
        .route("/data.json", get(feed::data_json))
        .route("/def/{scheme}", get(standards::scheme))
        .route("/def/{scheme}/versions", get(standards::versions))
        .route("/def/{scheme}/diff", get(standards::diff))
        .route("/def/{scheme}/impact", get(standards::impact))
        .route("/def/{scheme}/search", get(standards::search))
        .route("/def/{scheme}/{concept}", get(standards::concept))
        .route("/{segment}/{id}", get(records::show));
    Router::new()
        .merge(machines)
        .merge(publishers)
        .merge(people)
        .fallback(pages::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), html_errors))
        .layer(middleware::from_fn_with_state(state.clone(), ui::ui_context))
        .layer(middleware::from_fn_with_state(state.clone(), record_metrics))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

#[derive(Serialize)]
struct ErrorPage {
    status: u16,
    reason: &'static str,
    message: String,
}

/// Renders error responses as an HTML page when a browser asked.
async fn html_errors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let accept = request.headers().get(header::ACCEPT).cloned();
    let ui =
        request.extensions().get::<ui::Ui>().cloned().unwrap_or_else(|| ui::Ui::for_lang(i18n::Lang::Vi));
    let response = next.run(request).await;
    let Some(info) = response.extensions().get::<ErrorInfo>().cloned() else {
        return response;
    };
    if !negotiate::prefers_html(accept.as_ref().and_then(|v| v.to_str().ok()), &["text/plain"]) {
        return response;
    }
    let page = ErrorPage {
        status: info.status.as_u16(),
        reason: info.status.canonical_reason().unwrap_or("Error"),
        message: info.message,
    };
    match state.templates.render("error.html", &ui, &page) {
        Ok(html) => (info.status, html).into_response(),
        Err(_) => response,
    }
}

/// Counts requests by route and status and records their latency.
async fn record_metrics(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let start = Instant::now();
    let response = next.run(request).await;
    state
        .metrics
        .latency
        .get_or_create(&RouteLabels { route: route.clone() })
        .observe(start.elapsed().as_secs_f64());
    state
        .metrics
        .requests
        .get_or_create(&RequestLabels { route, method, status: response.status().as_u16() })
        .inc();
    response
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed we simply never shut down on Ctrl-C.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
