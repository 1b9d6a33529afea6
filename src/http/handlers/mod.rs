//! Request handlers, one file per resource family: parse the request, call a service, pick the
//! representation.

pub mod account;
pub mod api;
pub mod feed;
pub mod harvest;
pub mod health;
pub mod pages;
pub mod portal;
pub mod publishers;
pub mod quality;
pub mod records;
pub mod search;
pub mod search_page;
pub mod skosmos;
pub mod sparql;
pub mod standards;
pub mod validate;

/// The site-relative link of an IRI the registry minted under `base`; any other IRI as it is.
pub(crate) fn local(base: &str, iri: &str) -> String {
    iri.strip_prefix(base).map_or_else(|| iri.to_owned(), |rest| format!("/{rest}"))
}

/// Where a record's page is: its IRI when the registry minted it (under `base`), else
/// `{base}{segment}/{id}` (harvested records keep their IRIs; `records::show` finds them by id).
pub(crate) fn record_page(base: &str, iri: &str, segment: &str, id: &str) -> String {
    if iri.starts_with(base) { iri.to_owned() } else { format!("{base}{segment}/{id}") }
}
