//! `data.json`: a DCAT-US 1.1 (Project Open Data) view of the catalogue, for data.gov-style
//! harvesters. It is **not paginated** (data.gov's `datajson` harvester reads one document), so it is
//! bounded instead: at most [`MAX_DATASETS`] datasets; a bigger selection is refused with a message
//! that points to the per-publisher view (`?publisher=ID`) and to the paged DCAT-AP feed.
//!
//! The same items as the DCAT-AP feed, datasets and series only (DCAT-US 1.1 has no data services),
//! the same visibility. `accessLevel` follows the EU access right: `public`, `restricted public`
//! (RESTRICTED), `non-public` (anything else).

use super::feed::in_feed;
use super::{Catalog, CatalogError, text_of};
use crate::rdf::ns::{access_right, dcat, dct, foaf, skos, vcard};
use crate::registry::Registry;
use crate::registry::kind::Kind;
use crate::registry::record::Record;
use crate::store::{Access, Viewer};
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use serde_json::{Map, Value, json};

/// The most datasets one `data.json` holds.
pub const MAX_DATASETS: usize = 10_000;

const IANA_MEDIA_TYPES: &str = "https://www.iana.org/assignments/media-types/";
const EU_FILE_TYPES: &str = "http://publications.europa.eu/resource/authority/file-type/";
const EU_FREQUENCIES: &str = "http://publications.europa.eu/resource/authority/frequency/";
const EU_LANGUAGES: &str = "http://publications.europa.eu/resource/authority/language/";

fn objects<'t>(
    triples: &'t [Triple],
    subject: &'t NamedOrBlankNode,
    predicate: NamedNodeRef<'t>,
) -> impl Iterator<Item = &'t Term> + 't {
    triples.iter().filter(move |t| t.subject == *subject && t.predicate == predicate).map(|t| &t.object)
}

fn iri_of<'t>(
    triples: &'t [Triple],
    subject: &'t NamedOrBlankNode,
    predicate: NamedNodeRef<'t>,
) -> Option<&'t str> {
    objects(triples, subject, predicate).find_map(|o| match o {
        Term::NamedNode(n) => Some(n.as_str()),
        _ => None,
    })
}

fn literal_of(triples: &[Triple], subject: &NamedOrBlankNode, predicate: NamedNodeRef<'_>) -> Option<String> {
    objects(triples, subject, predicate).find_map(|o| match o {
        Term::Literal(l) => Some(l.value().to_owned()),
        _ => None,
    })
}

/// ISO 8601 repeating durations for the EU frequencies DCAT-US knows.
fn periodicity(frequency: &str) -> Option<&'static str> {
    Some(match frequency.strip_prefix(EU_FREQUENCIES)? {
        "DAILY" => "R/P1D",
        "WEEKLY" => "R/P1W",
        "MONTHLY" => "R/P1M",
        "QUARTERLY" => "R/P3M",
        "BIANNUAL" => "R/P6M",
        "ANNUAL" => "R/P1Y",
        "BIENNIAL" => "R/P2Y",
        "TRIENNIAL" => "R/P3Y",
        "CONT" | "UPDATE_CONT" => "R/PT1S",
        "IRREG" => "irregular",
        _ => return None,
    })
}

fn language(iri: &str) -> Option<&'static str> {
    Some(match iri.strip_prefix(EU_LANGUAGES)? {
        "VIE" => "vi",
        "ENG" => "en",
        "FRA" => "fr",
        "ZHO" => "zh",
        _ => return None,
    })
}

fn access_level(record: &Record, triples: &[Triple]) -> &'static str {
    let subject: NamedOrBlankNode = record.iri.clone().into();
    match iri_of(triples, &subject, dct::ACCESS_RIGHTS) {
        Some(r) if r == access_right::RESTRICTED.as_str() => "restricted public",
        Some(r) if r == access_right::PUBLIC.as_str() => "public",
        Some(_) => "non-public",
        None => match record.rights {
            Access::Public => "public",
            Access::Restricted => "restricted public",
            Access::Private | Access::Staff => "non-public",
        },
    }
}

impl Catalog {
    /// The `data.json` of the whole catalogue, or of one publisher (`publisher` = its id).
    pub fn data_json(
        &self,
        registry: &Registry,
        viewer: &Viewer,
        publisher: Option<&str>,
        url: &str,
    ) -> Result<Value, CatalogError> {
        let org = match publisher {
            Some(id) => Some(self.organisation(registry, viewer, id)?),
            None => None,
        };
        let mut records = Vec::new();
        let mut over = false;
        registry.for_each_in_order(|r| {
            if matches!(r.kind, Kind::Dataset | Kind::Series)
                && in_feed(r)
                && org.as_ref().is_none_or(|o| r.owner == o.iri)
                && r.visible_to(viewer)
            {
                if records.len() == MAX_DATASETS {
                    over = true;
                    return false;
                }
                records.push(r.clone());
            }
            true
        });
        if over {
            return Err(CatalogError::TooLarge(format!(
                "data.json holds at most {MAX_DATASETS} datasets and this selection has more: ask per publisher (/data.json?publisher=ID) or harvest the paged DCAT-AP feed (/catalog.ttl)"
            )));
        }
        let mut datasets = Vec::with_capacity(records.len());
        for record in &records {
            let content = registry.content(record)?;
            let described = self.describe(registry, viewer, record, content, false)?;
            datasets.push(self.dataset_json(record, &described));
        }
        Ok(json!({
            "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
            "@id": url,
            "@type": "dcat:Catalog",
            "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
            "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
            "dataset": datasets,
        }))
    }

    fn label(&self, triples: &[Triple], iri: &str) -> String {
        let subject: NamedOrBlankNode = NamedNode::new_unchecked(iri).into();
        [skos::PREF_LABEL, dct::TITLE, foaf::NAME]
            .into_iter()
            .find_map(|p| text_of(triples, &subject, p, "en"))
            .unwrap_or_else(|| iri.to_owned())
    }

    fn dataset_json(&self, record: &Record, triples: &[Triple]) -> Value {
        let s: NamedOrBlankNode = record.iri.clone().into();
        let mut d = Map::new();
        d.insert("@type".into(), json!("dcat:Dataset"));
        d.insert("title".into(), json!(text_of(triples, &s, dct::TITLE, "vi").unwrap_or_default()));
        d.insert(
            "description".into(),
            json!(text_of(triples, &s, dct::DESCRIPTION, "vi").unwrap_or_default()),
        );
        let keywords: Vec<String> = objects(triples, &s, dcat::KEYWORD)
            .filter_map(|o| match o {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
            .collect();
        d.insert("keyword".into(), json!(keywords));
        let modified = literal_of(triples, &s, dct::MODIFIED).unwrap_or_else(|| record.modified.to_string());
        d.insert("modified".into(), json!(modified));
        if let Some(issued) = literal_of(triples, &s, dct::ISSUED) {
            d.insert("issued".into(), json!(issued));
        }
        if let Some(publisher) = iri_of(triples, &s, dct::PUBLISHER) {
            d.insert(
                "publisher".into(),
                json!({ "@type": "org:Organization", "name": self.label(triples, publisher) }),
            );
        }
        if let Some(contact) = objects(triples, &s, dcat::CONTACT_POINT).find_map(|o| match o {
            Term::NamedNode(n) => Some(NamedOrBlankNode::from(n.clone())),
            Term::BlankNode(b) => Some(NamedOrBlankNode::from(b.clone())),
            _ => None,
        }) {
            let mut point = Map::new();
            point.insert("@type".into(), json!("vcard:Contact"));
            point.insert("fn".into(), json!(text_of(triples, &contact, vcard::FN, "vi").unwrap_or_default()));
            if let Some(email) = iri_of(triples, &contact, vcard::HAS_EMAIL) {
                point.insert("hasEmail".into(), json!(email));
            }
            d.insert("contactPoint".into(), Value::Object(point));
        }
        let identifier =
            literal_of(triples, &s, dct::IDENTIFIER).unwrap_or_else(|| record.iri.as_str().to_owned());
        d.insert("identifier".into(), json!(identifier));
        d.insert("accessLevel".into(), json!(access_level(record, triples)));
        let distributions: Vec<NamedOrBlankNode> = objects(triples, &s, dcat::DISTRIBUTION_PROP)
            .filter_map(|o| match o {
                Term::NamedNode(n) => Some(n.clone().into()),
                Term::BlankNode(b) => Some(b.clone().into()),
                _ => None,
            })
            .collect();
        let license = iri_of(triples, &s, dct::LICENSE)
            .or_else(|| distributions.iter().find_map(|dist| iri_of(triples, dist, dct::LICENSE)));
        if let Some(license) = license {
            d.insert("license".into(), json!(license));
        }
        if let Some(page) = iri_of(triples, &s, dcat::LANDING_PAGE) {
            d.insert("landingPage".into(), json!(page));
        }
        if let Some(spatial) = iri_of(triples, &s, dct::SPATIAL) {
            d.insert("spatial".into(), json!(spatial));
        }
        if let Some(Term::NamedNode(period)) = objects(triples, &s, dct::TEMPORAL).next() {
            let period: NamedOrBlankNode = period.clone().into();
            if let (Some(start), Some(end)) =
                (literal_of(triples, &period, dcat::START_DATE), literal_of(triples, &period, dcat::END_DATE))
            {
                d.insert("temporal".into(), json!(format!("{start}/{end}")));
            }
        }
        if let Some(p) = iri_of(triples, &s, dct::ACCRUAL_PERIODICITY).and_then(periodicity) {
            d.insert("accrualPeriodicity".into(), json!(p));
        }
        let languages: Vec<&str> = objects(triples, &s, dct::LANGUAGE)
            .filter_map(|o| match o {
                Term::NamedNode(n) => language(n.as_str()),
                _ => None,
            })
            .collect();
        if !languages.is_empty() {
            d.insert("language".into(), json!(languages));
        }
        let themes: Vec<String> = objects(triples, &s, dcat::THEME)
            .filter_map(|o| match o {
                Term::NamedNode(n) => Some(self.label(triples, n.as_str())),
                _ => None,
            })
            .collect();
        if !themes.is_empty() {
            d.insert("theme".into(), json!(themes));
        }
        let distribution: Vec<Value> = distributions
            .iter()
            .map(|dist| {
                let mut out = Map::new();
                out.insert("@type".into(), json!("dcat:Distribution"));
                if let Some(title) = text_of(triples, dist, dct::TITLE, "vi") {
                    out.insert("title".into(), json!(title));
                }
                if let Some(description) = text_of(triples, dist, dct::DESCRIPTION, "vi") {
                    out.insert("description".into(), json!(description));
                }
                match iri_of(triples, dist, dcat::DOWNLOAD_URL) {
                    Some(download) => {
                        out.insert("downloadURL".into(), json!(download));
                    }
                    None => {
                        if let Some(access) = iri_of(triples, dist, dcat::ACCESS_URL) {
                            out.insert("accessURL".into(), json!(access));
                        }
                    }
                }
                if let Some(media) =
                    iri_of(triples, dist, dcat::MEDIA_TYPE).and_then(|m| m.strip_prefix(IANA_MEDIA_TYPES))
                {
                    out.insert("mediaType".into(), json!(media));
                }
                if let Some(format) =
                    iri_of(triples, dist, dct::FORMAT).and_then(|f| f.strip_prefix(EU_FILE_TYPES))
                {
                    out.insert("format".into(), json!(format));
                }
                Value::Object(out)
            })
            .collect();
        if !distribution.is_empty() {
            d.insert("distribution".into(), json!(distribution));
        }
        Value::Object(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eu_terms_map_to_dcat_us_values() {
        assert_eq!(
            periodicity("http://publications.europa.eu/resource/authority/frequency/ANNUAL"),
            Some("R/P1Y")
        );
        assert_eq!(periodicity("http://example.com/other"), None);
        assert_eq!(language("http://publications.europa.eu/resource/authority/language/VIE"), Some("vi"));
    }
}
