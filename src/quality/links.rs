//! The link checker: asks every access and download URL of the datasets for its HTTP status, with
//! bounded concurrency and timeouts, through the harvester's HTTP client (`harvest::fetch::Fetcher`:
//! http(s) only, non-public addresses refused unless allow-listed, at most five redirects). Results
//! are kept in the staff-only graph `urn:danhmuc:graph:links`.

use crate::harvest::HarvestConfig;
use crate::harvest::fetch::Fetcher;
use crate::rdf::ns::dmq;
use oxigraph::model::vocab::xsd;
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use oxsdatatypes::DateTime;
use rustc_hash::FxHashMap;
use std::str::FromStr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The staff-only graph of link-check results.
pub const LINKS_GRAPH: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:danhmuc:graph:links");

/// How the link checker runs.
#[derive(Debug, Clone)]
pub struct LinkCheckConfig {
    /// The HTTP client's rules (address allow-list, user agent, size cap); its `timeout` and
    /// `connect_timeout` are replaced by `timeout` below.
    pub client: HarvestConfig,
    /// Longest one URL may take (default 10 s).
    pub timeout: Duration,
    /// URLs checked at once (default 8).
    pub concurrency: usize,
    /// Most URLs one run checks, least recently checked first (default 10 000).
    pub max_urls: usize,
    /// A URL checked more recently than this is not checked again (default 20 h).
    pub recheck_after: Duration,
    /// How often `serve` runs the checker (default 24 h; zero: never).
    pub every: Duration,
}

impl LinkCheckConfig {
    /// The defaults over a harvester configuration (its allow-list and user agent).
    pub fn new(client: HarvestConfig) -> Self {
        Self {
            client,
            timeout: Duration::from_secs(10),
            concurrency: 8,
            max_urls: 10_000,
            recheck_after: Duration::from_secs(20 * 3600),
            every: Duration::from_secs(24 * 3600),
        }
    }
}

/// What a URL answered when it was last checked.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkStatus {
    /// The HTTP status (after redirects), if there was an answer.
    pub status: Option<u16>,
    /// Why there was no answer (timeout, refused address, DNS).
    pub error: Option<String>,
    /// When.
    pub checked: DateTime,
}

impl LinkStatus {
    /// Whether the URL counts as accessible: it answered 2xx or 3xx.
    pub fn reachable(&self) -> bool {
        matches!(self.status, Some(200..=399))
    }
}

/// Checks `urls` with at most `config.concurrency` requests at once; one result per URL, in order.
/// Once `stop` says so, no further URL is started; those never started have no result (`None`).
pub fn check(
    urls: &[String],
    config: &LinkCheckConfig,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Vec<Option<LinkStatus>>, String> {
    let mut client = config.client.clone();
    client.timeout = config.timeout;
    client.connect_timeout = config.timeout.min(client.connect_timeout);
    let fetcher = Fetcher::new(&client).map_err(|e| e.to_string())?;
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<LinkStatus>>> = Mutex::new(vec![None; urls.len()]);
    std::thread::scope(|scope| {
        for _ in 0..config.concurrency.clamp(1, 64).min(urls.len().max(1)) {
            scope.spawn(|| {
                while !stop() {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = urls.get(i) else { break };
                    let (status, error) = match fetcher.status(url) {
                        Ok(code) => (Some(code), None),
                        Err(e) => (None, Some(e)),
                    };
                    let result = LinkStatus { status, error, checked: DateTime::now() };
                    if let Ok(mut results) = results.lock() {
                        results[i] = Some(result);
                    }
                }
            });
        }
    });
    results.into_inner().map_err(|_| "a link-check thread panicked".to_owned())
}

/// The link statuses as triples of the links graph.
pub fn to_triples(statuses: &FxHashMap<String, LinkStatus>) -> Vec<Triple> {
    let mut triples = Vec::with_capacity(statuses.len() * 3);
    for (url, status) in statuses {
        let Ok(subject) = NamedNode::new(url.clone()) else { continue };
        triples.push(Triple::new(
            subject.clone(),
            dmq::CHECKED_AT,
            Literal::new_typed_literal(status.checked.to_string(), xsd::DATE_TIME),
        ));
        if let Some(code) = status.status {
            triples.push(Triple::new(subject.clone(), dmq::HTTP_STATUS, Literal::from(i64::from(code))));
        }
        if let Some(error) = &status.error {
            triples.push(Triple::new(subject, dmq::LINK_ERROR, Literal::new_simple_literal(error)));
        }
    }
    triples
}

/// Reads the link statuses back from the links graph.
pub fn from_triples(triples: &[Triple]) -> FxHashMap<String, LinkStatus> {
    let mut statuses: FxHashMap<String, LinkStatus> = FxHashMap::default();
    for t in triples {
        let NamedOrBlankNode::NamedNode(url) = &t.subject else { continue };
        let Term::Literal(value) = &t.object else { continue };
        let entry = statuses.entry(url.as_str().to_owned()).or_insert_with(|| LinkStatus {
            status: None,
            error: None,
            checked: DateTime::from_str("1970-01-01T00:00:00Z").unwrap_or_else(|_| DateTime::now()),
        });
        if t.predicate == dmq::HTTP_STATUS {
            entry.status = value.value().parse().ok();
        } else if t.predicate == dmq::LINK_ERROR {
            entry.error = Some(value.value().to_owned());
        } else if t.predicate == dmq::CHECKED_AT
            && let Ok(time) = DateTime::from_str(value.value())
        {
            entry.checked = time;
        }
    }
    statuses
}
