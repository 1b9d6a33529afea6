//! The harvester's HTTP client: http(s) only, addresses checked (see `net`), at most five
//! redirects, connect and read timeouts, a whole-response deadline, and a size cap enforced while the
//! body streams in (a response is dropped as soon as it passes the cap, whatever `Content-Length`
//! said). Bodies are then read as RDF: the format comes from `Content-Type`, and is sniffed from the
//! first bytes when the type is not an RDF type or the body does not parse as the type it claims.

use super::net::AddressPolicy;
use super::{HarvestConfig, HarvestError};
use crate::rdf::io::{JSON_LD, format_from_media_type};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Triple;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A fetched response.
#[derive(Debug)]
pub struct Fetched {
    /// The URL finally answered (after redirects).
    pub url: String,
    /// Its `Content-Type` ("" when absent).
    pub content_type: String,
    /// Its body.
    pub body: Vec<u8>,
}

/// Resolves names and refuses any answer that holds a non-public, non-allow-listed address.
struct CheckedResolver {
    policy: Arc<AddressPolicy>,
}

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = Arc::clone(&self.policy);
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if addrs.is_empty() {
                return Err(format!("{host} has no address").into());
            }
            for addr in &addrs {
                policy.check(addr.ip()).map_err(|e| format!("{host} resolves to {e}"))?;
            }
            let addrs: Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// Checks a URL before it is requested: its scheme, and its host when it is an IP literal (names
/// are checked by the resolver).
fn check_url(url: &reqwest::Url, policy: &AddressPolicy) -> Result<(), String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("{url}: only http and https URLs are harvested"));
    }
    let host = url.host_str().ok_or_else(|| format!("{url} names no host"))?;
    match host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
        Ok(ip) => policy.check(ip),
        Err(_) => Ok(()),
    }
}

/// The client.
pub struct Fetcher {
    client: reqwest::blocking::Client,
    policy: Arc<AddressPolicy>,
    max_bytes: u64,
    deadline: Duration,
}

impl Fetcher {
    /// A client for one run.
    pub fn new(config: &HarvestConfig) -> Result<Self, HarvestError> {
        let policy = Arc::new(config.policy.clone());
        let redirect_policy = Arc::clone(&policy);
        let client = reqwest::blocking::Client::builder()
            .user_agent(config.user_agent.clone())
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .no_proxy()
            .dns_resolver(Arc::new(CheckedResolver { policy: Arc::clone(&policy) }))
            .redirect(reqwest::redirect::Policy::custom(move |attempt| {
                if attempt.previous().len() >= 5 {
                    return attempt.error("more than 5 redirects");
                }
                match check_url(attempt.url(), &redirect_policy) {
                    Ok(()) => attempt.follow(),
                    Err(e) => attempt.error(format!("redirect refused: {e}")),
                }
            }))
            .build()
            .map_err(|e| HarvestError::Client(e.to_string()))?;
        Ok(Self { client, policy, max_bytes: config.max_response_bytes, deadline: config.timeout })
    }

    /// The HTTP status a URL answers (a GET whose body is not read; redirects followed within the
    /// limits), or why there is none. The same address, scheme and redirect rules as [`Fetcher::get`].
    pub fn status(&self, url: &str) -> Result<u16, String> {
        let parsed = reqwest::Url::parse(url).map_err(|e| format!("{url:?} is not a URL: {e}"))?;
        check_url(&parsed, &self.policy)?;
        let response = self
            .client
            .get(parsed)
            .header(reqwest::header::ACCEPT, "*/*")
            .send()
            .map_err(|e| format!("GET {url}: {}", error_chain(&e)))?;
        Ok(response.status().as_u16())
    }

    /// GETs a URL within the limits.
    pub fn get(&self, url: &str, accept: &str) -> Result<Fetched, String> {
        let parsed = reqwest::Url::parse(url).map_err(|e| format!("{url:?} is not a URL: {e}"))?;
        check_url(&parsed, &self.policy)?;
        let started = Instant::now();
        let mut response = self
            .client
            .get(parsed)
            .header(reqwest::header::ACCEPT, accept)
            .send()
            .map_err(|e| format!("GET {url}: {}", error_chain(&e)))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("GET {url}: HTTP {status}"));
        }
        if response.content_length().is_some_and(|n| n > self.max_bytes) {
            return Err(format!(
                "GET {url}: the response is larger than the limit of {} bytes",
                self.max_bytes
            ));
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let final_url = response.url().to_string();
        let mut body = Vec::new();
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            let n = response.read(&mut chunk).map_err(|e| format!("GET {url}: {e}"))?;
            if n == 0 {
                break;
            }
            if body.len() as u64 + n as u64 > self.max_bytes {
                return Err(format!(
                    "GET {url}: the response is larger than the limit of {} bytes; dropped",
                    self.max_bytes
                ));
            }
            body.extend_from_slice(&chunk[..n]);
            if started.elapsed() > self.deadline {
                return Err(format!("GET {url}: the response took longer than {:?}", self.deadline));
            }
        }
        Ok(Fetched { url: final_url, content_type, body })
    }
}

/// An error with its causes, on one line.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let line = cause.to_string();
        if !text.contains(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        source = cause.source();
    }
    text
}

/// What the first bytes of a body look like.
pub fn sniff(body: &[u8]) -> Option<RdfFormat> {
    let text = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start = text.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(text.len());
    let head: Vec<u8> = text[start..text.len().min(start + 512)].to_ascii_lowercase();
    if head.starts_with(b"<!doctype html") || head.starts_with(b"<html") {
        None
    } else if head.starts_with(b"<?xml") || head.starts_with(b"<rdf:rdf") || head.starts_with(b"<rdf ") {
        Some(RdfFormat::RdfXml)
    } else if head.starts_with(b"{") || head.starts_with(b"[") {
        Some(JSON_LD)
    } else if head.is_empty() {
        None
    } else {
        Some(RdfFormat::Turtle)
    }
}

/// A parsed page.
#[derive(Debug)]
pub struct Parsed {
    /// Its triples (quads' graph names dropped).
    pub triples: Vec<Triple>,
    /// The format it was read as.
    pub format: RdfFormat,
    /// Set when the `Content-Type` was wrong or missing.
    pub warning: Option<String>,
}

/// Reads a response as RDF, at most `max_triples` triples, relative IRIs against its URL.
pub fn parse_rdf(fetched: &Fetched, max_triples: usize) -> Result<Parsed, String> {
    let declared = format_from_media_type(&fetched.content_type);
    let sniffed = sniff(&fetched.body);
    let mut candidates: Vec<RdfFormat> = Vec::new();
    for format in [declared, sniffed].into_iter().flatten() {
        if !candidates.contains(&format) {
            candidates.push(format);
        }
    }
    if candidates.is_empty() {
        return Err(format!(
            "{}: the body is not RDF (Content-Type {:?})",
            fetched.url, fetched.content_type
        ));
    }
    let mut first_error = None;
    for format in candidates {
        match parse_as(fetched, format, max_triples) {
            Ok(triples) => {
                let warning = (declared != Some(format)).then(|| {
                    format!(
                        "{}: Content-Type {:?} but the body is {}; read as {}",
                        fetched.url,
                        fetched.content_type,
                        format.name(),
                        format.name()
                    )
                });
                return Ok(Parsed { triples, format, warning });
            }
            Err(Limit::TooMany) => {
                return Err(format!("{}: more than {max_triples} triples in one page", fetched.url));
            }
            Err(Limit::Syntax(e)) => {
                first_error.get_or_insert(format!("{}: not valid {}: {e}", fetched.url, format.name()));
            }
        }
    }
    Err(first_error.unwrap_or_default())
}

enum Limit {
    TooMany,
    Syntax(String),
}

fn parse_as(fetched: &Fetched, format: RdfFormat, max_triples: usize) -> Result<Vec<Triple>, Limit> {
    let parser = RdfParser::from_format(format)
        .with_base_iri(fetched.url.as_str())
        .map_err(|e| Limit::Syntax(e.to_string()))?;
    let mut triples = Vec::new();
    for quad in parser.for_slice(&fetched.body) {
        let quad = quad.map_err(|e| Limit::Syntax(crate::rdf::io::describe_parse_error(&e.into())))?;
        if triples.len() >= max_triples {
            return Err(Limit::TooMany);
        }
        triples.push(Triple::from(quad));
    }
    Ok(triples)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_sniffed() {
        assert_eq!(sniff(b"  <?xml version=\"1.0\"?><rdf:RDF/>"), Some(RdfFormat::RdfXml));
        assert_eq!(sniff(b"\xEF\xBB\xBF{\"@id\": \"x\"}"), Some(JSON_LD));
        assert_eq!(sniff(b"@prefix dcat: <http://www.w3.org/ns/dcat#> ."), Some(RdfFormat::Turtle));
        assert_eq!(sniff(b"<!DOCTYPE html><html></html>"), None);
    }

    #[test]
    fn a_lying_content_type_is_overruled_by_the_body() {
        let fetched = Fetched {
            url: "http://x.example/feed".into(),
            content_type: "text/turtle".into(),
            body: br#"<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/"><rdf:Description rdf:about="http://x.example/d"><dct:title>T</dct:title></rdf:Description></rdf:RDF>"#.to_vec(),
        };
        let parsed = parse_rdf(&fetched, 10).expect("parses");
        assert_eq!(parsed.format, RdfFormat::RdfXml);
        assert_eq!(parsed.triples.len(), 1);
        assert!(parsed.warning.is_some());
        assert!(matches!(parse_rdf(&fetched, 0), Err(e) if e.contains("more than 0 triples")));
    }
}
