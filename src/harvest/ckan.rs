//! CKAN's Action API (`package_search`, paged with `rows` and `start`) mapped to DCAT-AP the way
//! ckanext-dcat's `euro_dcat_ap_3` profile serialises a CKAN dataset:
//!
//! | CKAN | DCAT-AP |
//! |---|---|
//! | `uri` (field or extra), else `{site}/dataset/{id}` | the dataset's IRI (the CKAN site's own) |
//! | `title` / `title_translated` | `dct:title` |
//! | `notes` / `notes_translated` | `dct:description` |
//! | `url` | `dcat:landingPage` |
//! | `identifier` (field or extra), else `guid`, else `id` | `dct:identifier` |
//! | `version` | `owl:versionInfo` |
//! | `tags[].name` / `tags_translated` | `dcat:keyword` |
//! | `issued`, else `metadata_created`; `modified`, else `metadata_modified` | `dct:issued`, `dct:modified` |
//! | `frequency`, `language`, `theme`, `conforms_to`, `documentation`, `access_rights`, `spatial_uri`, `temporal_start`/`_end` (fields or extras; lists as JSON arrays) | `dct:accrualPeriodicity`, `dct:language`, `dcat:theme`, `dct:conformsTo`, `foaf:page`, `dct:accessRights`, `dct:spatial`, `dct:temporal` |
//! | `contact_*`, else `maintainer`/`maintainer_email`, else `author`/`author_email` | `dcat:contactPoint` (`vcard:Organization`, `vcard:fn`, `vcard:hasEmail <mailto:…>`) |
//! | `publisher_uri`/`publisher_name` extras, else `organization` (`{site}/organization/{name}`, its `title`) | `dct:publisher` (`foaf:Agent`, `foaf:name`) |
//! | `resources[]` (`uri`, else `{site}/dataset/{id}/resource/{rid}`) | `dcat:distribution` (`dcat:Distribution`) |
//! | resource `name`, `description`, `status`, `license`, `access_url`, `download_url`, `url` (access URL fallback), `format`/`mimetype`, `created`/`metadata_modified`, `size`, `hash` | `dct:title`, `dct:description`, `adms:status`, `dct:license`, `dcat:accessURL`, `dcat:downloadURL`, `dct:format`/`dcat:mediaType`, `dct:issued`/`dct:modified`, `dcat:byteSize`, `spdx:checksum` |
//! | `license_url`, else `license_id` when it is a URI | `dct:license` of distributions without one (ckanext-dcat's licence fallback) |
//!
//! Values that are URIs become IRIs, others literals (ckanext-dcat's `URIRefOrLiteral`).

use crate::rdf::ns::{dcat, dct, foaf};
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{BlankNode, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use oxsdatatypes::{Date, DateTime};
use serde_json::Value;
use std::str::FromStr;

const VCARD_ORGANIZATION: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2006/vcard/ns#Organization");
const VCARD_FN: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("http://www.w3.org/2006/vcard/ns#fn");
const VCARD_HAS_EMAIL: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2006/vcard/ns#hasEmail");
const DCAT_LANDING_PAGE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#landingPage");
const DCAT_MEDIA_TYPE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#mediaType");
const DCAT_BYTE_SIZE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#byteSize");
const DCAT_START_DATE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#startDate");
const DCAT_END_DATE: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#endDate");
const OWL_VERSION_INFO: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#versionInfo");
const ADMS_STATUS: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("http://www.w3.org/ns/adms#status");
const FOAF_PAGE: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("http://xmlns.com/foaf/0.1/page");
const FOAF_MBOX: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("http://xmlns.com/foaf/0.1/mbox");
const FOAF_HOMEPAGE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://xmlns.com/foaf/0.1/homepage");
const DCT_LANGUAGE: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("http://purl.org/dc/terms/language");
const DCT_FREQUENCY: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://purl.org/dc/terms/accrualPeriodicity");
const DCT_SPATIAL: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("http://purl.org/dc/terms/spatial");
const DCT_TEMPORAL: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("http://purl.org/dc/terms/temporal");
const DCT_PERIOD: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://purl.org/dc/terms/PeriodOfTime");
const DCT_FORMAT: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("http://purl.org/dc/terms/format");
const DCT_RIGHTS_STATEMENT: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://purl.org/dc/terms/RightsStatement");
const SPDX_CHECKSUM: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://spdx.org/rdf/terms#checksum");
const SPDX_CHECKSUM_CLASS: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://spdx.org/rdf/terms#Checksum");
const SPDX_CHECKSUM_VALUE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://spdx.org/rdf/terms#checksumValue");
const SPDX_ALGORITHM: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://spdx.org/rdf/terms#algorithm");

/// The CKAN site a source URL names: the URL itself, or what precedes `/api/`.
pub fn site_of(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let site = url.split_once("/api/").map_or(url, |(site, _)| site);
    site.trim_end_matches('/').to_owned()
}

/// The `package_search` URL of one page.
pub fn page_url(site: &str, start: usize, rows: usize) -> String {
    format!("{site}/api/3/action/package_search?rows={rows}&start={start}&sort=metadata_created%20asc")
}

/// One page of `package_search`: the total count and the packages.
pub fn read_page(body: &[u8]) -> Result<(usize, Vec<Value>), String> {
    let json: Value = serde_json::from_slice(body).map_err(|e| format!("not CKAN API JSON: {e}"))?;
    if json.get("success").and_then(Value::as_bool) != Some(true) {
        return Err(format!(
            "the CKAN API answered success=false: {}",
            json.get("error").map(Value::to_string).unwrap_or_default()
        ));
    }
    let result = json.get("result").ok_or("no result in the CKAN answer")?;
    let count = result.get("count").and_then(Value::as_u64).ok_or("no result.count in the CKAN answer")?;
    let results = match result.get("results") {
        Some(Value::Array(items)) => items.clone(),
        _ => return Err("no result.results list in the CKAN answer".into()),
    };
    Ok((usize::try_from(count).unwrap_or(usize::MAX), results))
}

/// A field of the package, else of its `extras`.
fn field<'a>(package: &'a Value, key: &str) -> Option<&'a Value> {
    match package.get(key) {
        Some(v) if !v.is_null() && v.as_str() != Some("") => Some(v),
        _ => package.get("extras").and_then(Value::as_array).and_then(|extras| {
            extras
                .iter()
                .find(|e| e.get("key").and_then(Value::as_str) == Some(key))
                .and_then(|e| e.get("value"))
                .filter(|v| !v.is_null() && v.as_str() != Some(""))
        }),
    }
}

fn text(package: &Value, key: &str) -> Option<String> {
    field(package, key).and_then(|v| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// A list field: a JSON list, a JSON-encoded list in a string, or one value.
fn list(package: &Value, key: &str) -> Vec<String> {
    match field(package, key) {
        Some(Value::Array(items)) => items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
        Some(Value::String(s)) => match serde_json::from_str::<Vec<String>>(s) {
            Ok(items) => items,
            Err(_) => vec![s.clone()],
        },
        _ => Vec::new(),
    }
}

fn iri(value: &str) -> Option<NamedNode> {
    let value = value.trim();
    (value.starts_with("http://") || value.starts_with("https://") || value.starts_with("mailto:"))
        .then(|| NamedNode::new(value).ok())
        .flatten()
}

fn iri_or_literal(value: &str) -> Term {
    iri(value).map_or_else(|| Literal::new_simple_literal(value).into(), Into::into)
}

/// A date or date-time literal as ckanext-dcat writes them (`xsd:date` for a bare date,
/// `xsd:dateTime` otherwise; CKAN's own timestamps carry no zone).
fn date(value: &str) -> Literal {
    let value = value.trim();
    if Date::from_str(value).is_ok() {
        Literal::new_typed_literal(value, xsd::DATE)
    } else if DateTime::from_str(value).is_ok() {
        Literal::new_typed_literal(value, xsd::DATE_TIME)
    } else {
        Literal::new_simple_literal(value)
    }
}

/// Literals of a plain or `*_translated` field.
fn texts(package: &Value, key: &str) -> Vec<Literal> {
    if let Some(Value::Object(map)) = package.get(format!("{key}_translated").as_str()) {
        let values: Vec<Literal> = map
            .iter()
            .filter_map(|(lang, v)| {
                let v = v.as_str().filter(|s| !s.is_empty())?;
                Literal::new_language_tagged_literal(v, lang).ok()
            })
            .collect();
        if !values.is_empty() {
            return values;
        }
    }
    text(package, key).map(Literal::new_simple_literal).into_iter().collect()
}

/// The dataset's IRI.
pub fn dataset_iri(site: &str, package: &Value) -> Option<NamedNode> {
    if let Some(uri) = text(package, "uri").and_then(|u| iri(&u)) {
        return Some(uri);
    }
    let id = package.get("id").and_then(Value::as_str)?;
    NamedNode::new(format!("{site}/dataset/{id}")).ok()
}

/// Maps one CKAN package to DCAT-AP triples about [`dataset_iri`].
pub fn map_package(site: &str, package: &Value) -> Result<(NamedNode, Vec<Triple>), String> {
    let dataset = dataset_iri(site, package).ok_or("a package without an id")?;
    let mut g: Vec<Triple> = Vec::new();
    let d = &dataset;
    g.push(Triple::new(d.clone(), rdf::TYPE, dcat::DATASET));
    for title in texts(package, "title") {
        g.push(Triple::new(d.clone(), dct::TITLE, title));
    }
    for notes in texts(package, "notes") {
        g.push(Triple::new(d.clone(), dct::DESCRIPTION, notes));
    }
    if let Some(url) = text(package, "url").and_then(|u| iri(&u)) {
        g.push(Triple::new(d.clone(), DCAT_LANDING_PAGE, url));
    }
    if let Some(identifier) = ["identifier", "guid", "id"].iter().find_map(|k| text(package, k)) {
        g.push(Triple::new(d.clone(), dct::IDENTIFIER, iri_or_literal(&identifier)));
    }
    if let Some(version) = text(package, "version") {
        g.push(Triple::new(d.clone(), OWL_VERSION_INFO, Literal::new_simple_literal(version)));
    }
    if let Some(frequency) = text(package, "frequency") {
        g.push(Triple::new(d.clone(), DCT_FREQUENCY, iri_or_literal(&frequency)));
    }
    match package.get("tags_translated") {
        Some(Value::Object(map)) => {
            for (lang, tags) in map {
                for tag in tags.as_array().into_iter().flatten().filter_map(Value::as_str) {
                    if let Ok(l) = Literal::new_language_tagged_literal(tag, lang) {
                        g.push(Triple::new(d.clone(), dcat::KEYWORD, l));
                    }
                }
            }
        }
        _ => {
            for tag in package.get("tags").and_then(Value::as_array).into_iter().flatten() {
                if let Some(name) = tag.get("name").and_then(Value::as_str) {
                    g.push(Triple::new(d.clone(), dcat::KEYWORD, Literal::new_simple_literal(name)));
                }
            }
        }
    }
    if let Some(issued) = text(package, "issued").or_else(|| text(package, "metadata_created")) {
        g.push(Triple::new(d.clone(), dct::ISSUED, date(&issued)));
    }
    if let Some(modified) = text(package, "modified").or_else(|| text(package, "metadata_modified")) {
        g.push(Triple::new(d.clone(), dct::MODIFIED, date(&modified)));
    }
    for (key, predicate) in
        [("language", DCT_LANGUAGE), ("conforms_to", dct::CONFORMS_TO), ("documentation", FOAF_PAGE)]
    {
        for value in list(package, key) {
            g.push(Triple::new(d.clone(), predicate, iri_or_literal(&value)));
        }
    }
    for theme in list(package, "theme") {
        if let Some(theme) = iri(&theme) {
            g.push(Triple::new(d.clone(), dcat::THEME, theme));
        }
    }
    if let Some(spatial) = text(package, "spatial_uri").and_then(|s| iri(&s)) {
        g.push(Triple::new(d.clone(), DCT_SPATIAL, spatial));
    }
    if let Some(rights) = text(package, "access_rights") {
        match iri(&rights) {
            Some(rights) => g.push(Triple::new(d.clone(), dct::ACCESS_RIGHTS, rights)),
            None => {
                let node = BlankNode::default();
                g.push(Triple::new(d.clone(), dct::ACCESS_RIGHTS, node.clone()));
                g.push(Triple::new(node.clone(), rdf::TYPE, DCT_RIGHTS_STATEMENT));
                g.push(Triple::new(node, rdfs::LABEL, Literal::new_simple_literal(rights)));
            }
        }
    }
    let (start, end) = (text(package, "temporal_start"), text(package, "temporal_end"));
    if start.is_some() || end.is_some() {
        let period = BlankNode::default();
        g.push(Triple::new(d.clone(), DCT_TEMPORAL, period.clone()));
        g.push(Triple::new(period.clone(), rdf::TYPE, DCT_PERIOD));
        if let Some(start) = start {
            g.push(Triple::new(period.clone(), DCAT_START_DATE, date(&start)));
        }
        if let Some(end) = end {
            g.push(Triple::new(period, DCAT_END_DATE, date(&end)));
        }
    }
    contact_point(package, d, &mut g);
    publisher(site, package, d, &mut g);
    let fallback_license =
        ["license_url", "license_id"].iter().find_map(|k| text(package, k).and_then(|l| iri(&l)));
    let package_id = package.get("id").and_then(Value::as_str).unwrap_or_default();
    for resource in package.get("resources").and_then(Value::as_array).into_iter().flatten() {
        distribution(site, package_id, resource, d, fallback_license.as_ref(), &mut g);
    }
    Ok((dataset, g))
}

fn contact_point(package: &Value, d: &NamedNode, g: &mut Vec<Triple>) {
    let name = ["contact_name", "maintainer", "author"].iter().find_map(|k| text(package, k));
    let email = ["contact_email", "maintainer_email", "author_email"].iter().find_map(|k| text(package, k));
    let uri = text(package, "contact_uri").and_then(|u| iri(&u));
    if name.is_none() && email.is_none() && uri.is_none() {
        return;
    }
    let node: NamedOrBlankNode = uri.map_or_else(|| BlankNode::default().into(), Into::into);
    g.push(Triple::new(d.clone(), dcat::CONTACT_POINT, node.clone()));
    g.push(Triple::new(node.clone(), rdf::TYPE, VCARD_ORGANIZATION));
    if let Some(name) = name {
        g.push(Triple::new(node.clone(), VCARD_FN, Literal::new_simple_literal(name)));
    }
    if let Some(email) = email {
        let mailto = if email.starts_with("mailto:") { email } else { format!("mailto:{}", email.trim()) };
        if let Ok(mailto) = NamedNode::new(mailto) {
            g.push(Triple::new(node, VCARD_HAS_EMAIL, mailto));
        }
    }
}

fn publisher(site: &str, package: &Value, d: &NamedNode, g: &mut Vec<Triple>) {
    let (node, name, email, homepage): (NamedOrBlankNode, _, _, _) =
        if text(package, "publisher_uri").is_some() || text(package, "publisher_name").is_some() {
            (
                text(package, "publisher_uri")
                    .and_then(|u| iri(&u))
                    .map_or_else(|| BlankNode::default().into(), Into::into),
                text(package, "publisher_name"),
                text(package, "publisher_email"),
                text(package, "publisher_url"),
            )
        } else if let Some(org) = package.get("organization").filter(|o| o.is_object()) {
            let Some(org_name) = org.get("name").and_then(Value::as_str) else { return };
            let Ok(iri) = NamedNode::new(format!("{site}/organization/{org_name}")) else { return };
            (
                iri.into(),
                org.get("title").and_then(Value::as_str).map(str::to_owned),
                org.get("email").and_then(Value::as_str).map(str::to_owned),
                org.get("url").and_then(Value::as_str).map(str::to_owned),
            )
        } else {
            return;
        };
    g.push(Triple::new(d.clone(), dct::PUBLISHER, node.clone()));
    g.push(Triple::new(node.clone(), rdf::TYPE, foaf::AGENT));
    if let Some(name) = name {
        g.push(Triple::new(node.clone(), foaf::NAME, Literal::new_simple_literal(name)));
    }
    if let Some(email) = email {
        g.push(Triple::new(node.clone(), FOAF_MBOX, Literal::new_simple_literal(email)));
    }
    if let Some(homepage) = homepage.and_then(|h| iri(&h)) {
        g.push(Triple::new(node, FOAF_HOMEPAGE, homepage));
    }
}

fn distribution(
    site: &str,
    package_id: &str,
    resource: &Value,
    d: &NamedNode,
    fallback_license: Option<&NamedNode>,
    g: &mut Vec<Triple>,
) {
    let get = |k: &str| resource.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
    let node = match get("uri").and_then(|u| iri(&u)) {
        Some(uri) => uri,
        None => {
            let Some(id) = get("id") else { return };
            let Ok(node) = NamedNode::new(format!("{site}/dataset/{package_id}/resource/{id}")) else {
                return;
            };
            node
        }
    };
    g.push(Triple::new(d.clone(), dcat::DISTRIBUTION_PROP, node.clone()));
    g.push(Triple::new(node.clone(), rdf::TYPE, dcat::DISTRIBUTION));
    let mut add = |p: NamedNodeRef<'_>, o: Term| g.push(Triple::new(node.clone(), p, o));
    if let Some(name) = get("name") {
        add(dct::TITLE, Literal::new_simple_literal(name).into());
    }
    if let Some(description) = get("description") {
        add(dct::DESCRIPTION, Literal::new_simple_literal(description).into());
    }
    if let Some(status) = get("status") {
        add(ADMS_STATUS, iri_or_literal(&status));
    }
    match get("license") {
        Some(license) => add(dct::LICENSE, iri_or_literal(&license)),
        None => {
            if let Some(license) = fallback_license {
                add(dct::LICENSE, license.clone().into());
            }
        }
    }
    let access_url = get("access_url");
    let download_url = get("download_url");
    if let Some(u) = access_url.as_deref().and_then(iri) {
        add(dcat::ACCESS_URL, u.into());
    }
    if let Some(u) = download_url.as_deref().and_then(iri) {
        add(dcat::DOWNLOAD_URL, u.into());
    }
    if let (Some(url), None) = (get("url"), &access_url)
        && download_url.as_deref() != Some(url.as_str())
        && let Some(u) = iri(&url)
    {
        add(dcat::ACCESS_URL, u.into());
    }
    let (mut format, mut mimetype) = (get("format"), get("mimetype"));
    if let Some(f) = format.clone()
        && (mimetype.is_none() || mimetype.as_deref() == Some(f.as_str()))
    {
        if f.contains("iana.org/assignments/media-types") || (!f.starts_with("http") && f.contains('/')) {
            mimetype = Some(f);
            format = None;
        } else {
            mimetype = None;
        }
    }
    if let Some(m) = mimetype {
        add(DCAT_MEDIA_TYPE, iri_or_literal(&m));
    }
    if let Some(f) = format {
        add(DCT_FORMAT, iri_or_literal(&f));
    }
    if let Some(issued) = get("issued").or_else(|| get("created")) {
        add(dct::ISSUED, date(&issued).into());
    }
    if let Some(modified) = get("modified").or_else(|| get("metadata_modified")) {
        add(dct::MODIFIED, date(&modified).into());
    }
    let size = resource.get("size").and_then(|s| match s {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    });
    if let Some(size) = size {
        let literal = if oxsdatatypes::Decimal::from_str(&size).is_ok() {
            Literal::new_typed_literal(size, xsd::DECIMAL)
        } else {
            Literal::new_simple_literal(size)
        };
        add(DCAT_BYTE_SIZE, literal.into());
    }
    if let Some(hash) = get("hash") {
        let checksum = BlankNode::default();
        add(SPDX_CHECKSUM, checksum.clone().into());
        g.push(Triple::new(checksum.clone(), rdf::TYPE, SPDX_CHECKSUM_CLASS));
        g.push(Triple::new(
            checksum.clone(),
            SPDX_CHECKSUM_VALUE,
            Literal::new_typed_literal(hash, xsd::HEX_BINARY),
        ));
        if let Some(algorithm) = get("hash_algorithm") {
            g.push(Triple::new(checksum, SPDX_ALGORITHM, iri_or_literal(&algorithm)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_maps_as_ckanext_dcat_maps_it() {
        let package: Value = serde_json::from_str(
            r#"{"id": "abc", "name": "air", "title": "Air quality", "notes": "Hourly readings",
                "url": "https://air.example/", "metadata_created": "2024-01-02T03:04:05.123456",
                "metadata_modified": "2024-02-03T04:05:06", "license_url": "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
                "tags": [{"name": "air"}, {"name": "health"}], "maintainer": "Data desk", "maintainer_email": "data@air.example",
                "organization": {"name": "env", "title": "Environment Agency"},
                "extras": [{"key": "theme", "value": "[\"http://publications.europa.eu/resource/authority/data-theme/ENVI\"]"}],
                "resources": [{"id": "r1", "url": "https://air.example/air.csv", "format": "CSV", "name": "CSV"},
                              {"id": "r2", "url": "https://air.example/api", "format": "application/json"}]}"#,
        )
        .expect("json");
        let (iri, triples) = map_package("https://ckan.example", &package).expect("maps");
        assert_eq!(iri.as_str(), "https://ckan.example/dataset/abc");
        let text: Vec<String> = triples.iter().map(ToString::to_string).collect();
        let has = |s: &str| text.iter().any(|t| t.contains(s));
        assert!(has("<http://purl.org/dc/terms/title> \"Air quality\""));
        assert!(has("<http://purl.org/dc/terms/description> \"Hourly readings\""));
        assert!(has("<http://purl.org/dc/terms/identifier> \"abc\""));
        assert!(has("<http://www.w3.org/ns/dcat#keyword> \"health\""));
        assert!(has("\"2024-01-02T03:04:05.123456\"^^<http://www.w3.org/2001/XMLSchema#dateTime>"));
        assert!(has("<https://ckan.example/organization/env>"));
        assert!(has(
            "<https://ckan.example/dataset/abc/resource/r1> <http://www.w3.org/ns/dcat#accessURL> <https://air.example/air.csv>"
        ));
        assert!(has("<http://purl.org/dc/terms/format> \"CSV\""));
        assert!(has("<http://www.w3.org/ns/dcat#mediaType> \"application/json\""));
        assert!(has(
            "<http://purl.org/dc/terms/license> <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0>"
        ));
        assert!(has("<mailto:data@air.example>"));
        assert!(has("data-theme/ENVI"));
        assert_eq!(site_of("https://ckan.example/api/3/action/package_search?q=x"), "https://ckan.example");
        assert_eq!(site_of("https://ckan.example/"), "https://ckan.example");
    }
}
