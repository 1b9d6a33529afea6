//! Prometheus metrics: requests by route and status, latency, query timeouts, quads in the store.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Labels of a request counter.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// The route pattern (`/sparql`), never the raw path (which would let clients create series).
    pub route: String,
    /// The method.
    pub method: String,
    /// The status code.
    pub status: u16,
}

/// Labels of the latency histogram.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    /// The route pattern.
    pub route: String,
}

/// The server's metrics.
pub struct Metrics {
    registry: Registry,
    /// Requests by route, method and status.
    pub requests: Family<RequestLabels, Counter>,
    /// Latency by route.
    pub latency: Family<RouteLabels, Histogram>,
    /// SPARQL queries cancelled by the time limit.
    pub query_timeouts: Counter,
    /// Quads in the store, refreshed at most once a minute (counting is a scan).
    pub quads: Gauge,
    quads_counted_at: Mutex<Option<Instant>>,
}

/// How stale the quad count may get.
const QUAD_COUNT_MAX_AGE: Duration = Duration::from_secs(60);

impl Metrics {
    /// Registers every metric.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("danhmuc");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.000_25, 2.0, 16))
        });
        let query_timeouts = Counter::default();
        let quads = Gauge::default();
        registry.register("http_requests", "HTTP requests by route, method and status", requests.clone());
        registry.register("http_request_duration_seconds", "HTTP request latency by route", latency.clone());
        registry.register(
            "sparql_query_timeouts",
            "SPARQL queries cancelled by the time limit",
            query_timeouts.clone(),
        );
        registry.register("store_quads", "Quads in the store", quads.clone());
        Self { registry, requests, latency, query_timeouts, quads, quads_counted_at: Mutex::new(None) }
    }

    /// Whether the quad count should be refreshed now; marks it as refreshed.
    pub fn quad_count_due(&self) -> bool {
        let mut at = self.quads_counted_at.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if at.is_some_and(|t| t.elapsed() < QUAD_COUNT_MAX_AGE) {
            return false;
        }
        *at = Some(Instant::now());
        true
    }

    /// The Prometheus text exposition.
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}
