//! Configuration: typed, validated once, with every limit named and explained.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Limits that bound every request. Defaults are documented in README ("Limits").
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request body accepted on `/sparql` (default 1 MiB: a hand-written query is a few KiB;
    /// anything bigger is a mistake or an attack).
    pub sparql_body_bytes: usize,
    /// Longest a query may run before it is cancelled and the client gets 503 (default 30 s).
    pub query_timeout: Duration,
    /// Most rows (`SELECT`) or triples (`CONSTRUCT`/`DESCRIBE`) one answer carries (default 100 000);
    /// more are cut and the cut is signalled in the `Danhmuc-Result-Truncated` header.
    pub max_rows: usize,
    /// Largest request body accepted on `/validate` (default 16 MiB: a catalogue of some thousands
    /// of datasets; whole-catalogue validation belongs to `danhmuc validate`).
    pub validate_body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            sparql_body_bytes: 1024 * 1024,
            query_timeout: Duration::from_secs(30),
            max_rows: 100_000,
            validate_body_bytes: 16 * 1024 * 1024,
        }
    }
}

/// The server's configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The data directory of the store.
    pub data: PathBuf,
    /// Where to listen.
    pub bind: SocketAddr,
    /// The public base URL, ending with `/`: records' IRIs and every absolute link start with it.
    pub base_url: String,
    /// Load the demo catalogue when the store holds no records.
    pub demo: bool,
    /// Request limits.
    pub limits: Limits,
    /// The harvester's limits and allow-list.
    pub harvest: crate::harvest::HarvestConfig,
    /// The link checker's limits and schedule (its allow-list is the harvester's).
    pub link_check: crate::quality::LinkCheckConfig,
}

/// Normalises a base URL: must be absolute `http(s)`, gets a trailing `/`.
pub fn normalize_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or_else(|| format!("the base URL must start with http:// or https://, not {url:?}"))?;
    if rest.is_empty() || rest.starts_with('/') || url.contains(['?', '#', ' ']) {
        return Err(format!("the base URL {url:?} must name a host and have no query or fragment"));
    }
    oxigraph::model::NamedNode::new(url).map_err(|e| format!("the base URL {url:?} is not an IRI: {e}"))?;
    Ok(if url.ends_with('/') { url.to_owned() } else { format!("{url}/") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_normalised() {
        assert_eq!(normalize_base_url("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080/");
        assert_eq!(
            normalize_base_url("https://data.gov.vn/registry/").unwrap(),
            "https://data.gov.vn/registry/"
        );
        assert!(normalize_base_url("ftp://x").is_err());
        assert!(normalize_base_url("http://").is_err());
        assert!(normalize_base_url("http://x/?a").is_err());
    }
}
