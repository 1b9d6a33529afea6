//! The portal's record pages for people: datasets (and series) and data services, built by walking
//! the record's complete description (`Catalog::describe`: the record, its publisher, the labels of
//! what it mentions) in Rust. No SPARQL. IRIs are shown by their labels (the description's, else the
//! bundled vocabularies'), in the page's language with a fallback to the other.

use crate::app::App;
use crate::catalog::text_of;
use crate::http::i18n::Lang;
use crate::http::render::safe_href;
use crate::rdf::ns::{dcat, dct, foaf, rdfs, skos, vcard};
use crate::registry::kind::Kind;
use crate::registry::record::Record;
use crate::store::Viewer;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use rustc_hash::FxHashMap;
use serde::Serialize;
use serde_json::json;

const NAME_PREDICATES: [NamedNodeRef<'static>; 5] =
    [skos::PREF_LABEL, dct::TITLE, foaf::NAME, vcard::FN, rdfs::LABEL];
const HAS_TELEPHONE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2006/vcard/ns#hasTelephone");
const HAS_URL: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("http://www.w3.org/2006/vcard/ns#hasURL");
const ENDPOINT_DESCRIPTION: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#endpointDescription");
const VERSION: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#version");
const VERSION_INFO: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#versionInfo");

/// A value shown on a page: text, and a link when the target is safe (http, https, mailto, this site).
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// What is shown.
    pub text: String,
    /// Where it leads.
    pub href: Option<String>,
    /// The language of `text` when it is a tagged literal.
    pub lang: Option<String>,
}

/// A property with its values.
#[derive(Debug, Serialize)]
pub struct Field {
    /// The property's label.
    pub label: String,
    /// Its values.
    pub values: Vec<Link>,
}

/// A contact point.
#[derive(Debug, Serialize)]
pub struct Contact {
    name: String,
    email: Option<Link>,
    phone: Option<String>,
    url: Option<Link>,
}

/// A distribution.
#[derive(Debug, Serialize)]
pub struct Distribution {
    title: String,
    description: String,
    download: Vec<Link>,
    access: Vec<Link>,
    format: Vec<Link>,
    media_type: Option<String>,
    size: Option<u64>,
    license: Vec<Link>,
    others: Vec<Field>,
}

/// Another record, linked.
#[derive(Debug, Serialize)]
pub struct RecordLink {
    title: String,
    href: String,
    kind: &'static str,
    status: &'static str,
}

/// One version in the history.
#[derive(Debug, Serialize)]
pub struct VersionItem {
    number: u32,
    created: String,
    current: bool,
    href: String,
}

/// The "how to cite" block.
#[derive(Debug, Serialize)]
pub struct Citation {
    publisher: String,
    title: String,
    year: String,
    iri: String,
    text: String,
}

/// What every record page shows.
#[derive(Debug, Serialize)]
pub struct RecordCommon {
    id: String,
    iri: String,
    kind: &'static str,
    status: &'static str,
    withdrawn: bool,
    title: String,
    title_other: Option<String>,
    description: String,
    publisher: Option<Link>,
    contacts: Vec<Contact>,
    access_rights: Vec<Link>,
    license: Vec<Link>,
    themes: Vec<Link>,
    keywords: Vec<String>,
    issued: Option<String>,
    modified: Option<String>,
    landing: Vec<Link>,
    identifier: Option<String>,
    version: Option<String>,
    standards: Vec<Link>,
    /// Whether the record passed its profile when it was last written (its status is not `invalid`).
    conforms: bool,
    profile: &'static str,
    fields: Vec<Field>,
    versions: Vec<VersionItem>,
    cite: Citation,
    rdf: Vec<(String, &'static str, &'static str)>,
    /// The schema.org description, as JSON already escaped for a `<script>` data block.
    json_ld: String,
    /// The record's quality (score, rating, dimensions, fixes; `quality_panel.html`), for datasets.
    quality: Option<serde_json::Value>,
    /// Its validation against the registered SHACL standards it states `dct:conformsTo`.
    conformance: Vec<crate::standards::Conformance>,
}

/// `dataset.html`: a dataset or dataset series.
#[derive(Debug, Serialize)]
pub struct DatasetPage {
    #[serde(flatten)]
    common: RecordCommon,
    spatial: Vec<Link>,
    temporal: Vec<String>,
    frequency: Vec<Link>,
    languages: Vec<Link>,
    distributions: Vec<Distribution>,
    services: Vec<RecordLink>,
}

/// `service.html`: a data service.
#[derive(Debug, Serialize)]
pub struct ServicePage {
    #[serde(flatten)]
    common: RecordCommon,
    endpoints: Vec<Link>,
    endpoint_descriptions: Vec<Link>,
    serves: Vec<RecordLink>,
}

/// `dct:format`-style IRI shortened: `dcat:keyword`, or the IRI when no prefix fits.
pub fn compact(iri: &str) -> String {
    crate::rdf::io::compact(iri)
}

/// Escapes JSON for a `<script type="application/ld+json">` block: `<`, `>` and `&` become `\u…`
/// escapes, so no `</script>` in the data can end the block.
pub fn script_json(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// A record as its page shows it.
pub struct Shown<'a> {
    /// The record.
    pub record: &'a Record,
    /// Whether it was withdrawn (410: the tombstone is shown).
    pub withdrawn: bool,
    /// Its own content (what conformance to standards is checked on).
    pub content: &'a [Triple],
    /// Its content with what it mentions described (`Catalog::describe`).
    pub described: &'a [Triple],
}

/// The walk over one record's description, in one language.
pub struct Walk<'a> {
    app: &'a App,
    /// The description's triples by subject (a page asks about the same few subjects many times).
    about: FxHashMap<&'a NamedOrBlankNode, Vec<&'a Triple>>,
    lang: Lang,
}

impl<'a> Walk<'a> {
    /// A walk over `triples` in `lang`.
    pub fn new(app: &'a App, triples: &'a [Triple], lang: Lang) -> Self {
        let mut about: FxHashMap<&'a NamedOrBlankNode, Vec<&'a Triple>> = FxHashMap::default();
        for triple in triples {
            about.entry(&triple.subject).or_default().push(triple);
        }
        Self { app, about, lang }
    }

    /// The triples about `subject`.
    fn about(&self, subject: &NamedOrBlankNode) -> impl Iterator<Item = &'a Triple> + '_ {
        self.about.get(subject).into_iter().flatten().copied()
    }

    fn base(&self) -> &str {
        &self.app.config.base_url
    }

    /// A site-relative link for IRIs under the base (publishers go to `/publishers/{id}`), the IRI
    /// itself for safe external ones, none otherwise.
    pub fn href(&self, iri: &str) -> Option<String> {
        if let Some(rest) = iri.strip_prefix(self.base()) {
            return Some(match rest.strip_prefix("publisher/") {
                Some(id) => format!("/publishers/{id}"),
                None => format!("/{rest}"),
            });
        }
        safe_href(iri).then(|| iri.to_owned())
    }

    /// A literal of `subject`'s `predicate` in the page language, else the other, else any.
    pub fn text(&self, subject: &NamedOrBlankNode, predicate: NamedNodeRef<'_>) -> Option<String> {
        text_of(self.about(subject), subject, predicate, self.lang.code())
    }

    /// The other-language literal when it differs from the chosen one.
    fn other_text(&self, subject: &NamedOrBlankNode, predicate: NamedNodeRef<'_>) -> Option<String> {
        let chosen = self.text(subject, predicate);
        text_of(self.about(subject), subject, predicate, self.lang.other().code())
            .filter(|o| Some(o) != chosen.as_ref())
    }

    /// The label of an IRI: from the description, then the bundled vocabularies; `None` when neither has one.
    pub fn label(&self, iri: &NamedNode) -> Option<String> {
        let subject: NamedOrBlankNode = iri.clone().into();
        let lang = self.lang.code();
        NAME_PREDICATES.iter().find_map(|p| text_of(self.about(&subject), &subject, *p, lang)).or_else(|| {
            self.app
                .catalog
                .term(iri)
                .and_then(|t| NAME_PREDICATES.iter().find_map(|p| text_of(t, &subject, *p, lang)))
        })
    }

    /// A term as a link: labelled IRIs, literals as text (with their language).
    pub fn link(&self, term: &Term) -> Link {
        match term {
            Term::NamedNode(n) => Link {
                text: self.label(n).unwrap_or_else(|| compact(n.as_str())),
                href: self.href(n.as_str()),
                lang: None,
            },
            Term::Literal(l) => {
                Link { text: l.value().to_owned(), href: None, lang: l.language().map(str::to_owned) }
            }
            Term::BlankNode(b) => {
                let subject: NamedOrBlankNode = b.clone().into();
                let text = NAME_PREDICATES
                    .iter()
                    .find_map(|p| self.text(&subject, *p))
                    .unwrap_or_else(|| "…".into());
                Link { text, href: None, lang: None }
            }
        }
    }

    fn objects<'b>(
        &'b self,
        subject: &'b NamedOrBlankNode,
        predicate: NamedNodeRef<'b>,
    ) -> impl Iterator<Item = &'b Term> + 'b {
        self.about(subject).filter(move |t| t.predicate == predicate).map(|t| &t.object)
    }

    fn links(&self, subject: &NamedOrBlankNode, predicate: NamedNodeRef<'_>) -> Vec<Link> {
        self.objects(subject, predicate).map(|o| self.link(o)).collect()
    }

    /// Literals in the page language (else all of them), e.g. keywords.
    fn literals_in_lang(&self, subject: &NamedOrBlankNode, predicate: NamedNodeRef<'_>) -> Vec<String> {
        let all: Vec<&oxigraph::model::Literal> = self
            .objects(subject, predicate)
            .filter_map(|o| if let Term::Literal(l) = o { Some(l) } else { None })
            .collect();
        let chosen: Vec<String> = all
            .iter()
            .filter(|l| l.language() == Some(self.lang.code()))
            .map(|l| l.value().to_owned())
            .collect();
        if chosen.is_empty() {
            let mut rest: Vec<String> = all.iter().map(|l| l.value().to_owned()).collect();
            rest.dedup();
            rest
        } else {
            chosen
        }
    }

    fn first_literal(&self, subject: &NamedOrBlankNode, predicate: NamedNodeRef<'_>) -> Option<String> {
        self.objects(subject, predicate)
            .find_map(|o| if let Term::Literal(l) = o { Some(l.value().to_owned()) } else { None })
    }

    fn nodes(&self, subject: &NamedOrBlankNode, predicate: NamedNodeRef<'_>) -> Vec<NamedOrBlankNode> {
        self.objects(subject, predicate)
            .filter_map(|o| match o {
                Term::NamedNode(n) => Some(n.clone().into()),
                Term::BlankNode(b) => Some(b.clone().into()),
                Term::Literal(_) => None,
            })
            .collect()
    }

    /// The properties of `subject` not in `shown`, labelled, values grouped.
    fn other_fields(&self, subject: &NamedOrBlankNode, shown: &[NamedNodeRef<'_>]) -> Vec<Field> {
        let mut fields: Vec<(NamedNode, Field)> = Vec::new();
        for triple in self.about(subject) {
            if triple.predicate == rdf::TYPE || shown.contains(&triple.predicate.as_ref()) {
                continue;
            }
            let value = self.link(&triple.object);
            match fields.iter_mut().find(|(p, _)| *p == triple.predicate) {
                Some((_, field)) => field.values.push(value),
                None => {
                    let label =
                        self.label(&triple.predicate).unwrap_or_else(|| compact(triple.predicate.as_str()));
                    fields.push((triple.predicate.clone(), Field { label, values: vec![value] }));
                }
            }
        }
        fields.into_iter().map(|(_, f)| f).collect()
    }

    fn contacts(&self, subject: &NamedOrBlankNode) -> Vec<Contact> {
        self.nodes(subject, dcat::CONTACT_POINT)
            .iter()
            .map(|c| Contact {
                name: self.text(c, vcard::FN).unwrap_or_default(),
                email: self.objects(c, vcard::HAS_EMAIL).next().map(|o| {
                    let mut link = self.link(o);
                    link.text = link.text.trim_start_matches("mailto:").to_owned();
                    if let (Term::Literal(l), None) = (o, &link.href) {
                        let mail = format!("mailto:{}", l.value().trim_start_matches("mailto:"));
                        link.href = safe_href(&mail).then_some(mail);
                    }
                    link
                }),
                phone: self.objects(c, HAS_TELEPHONE).next().map(|o| match o {
                    Term::NamedNode(n) => n.as_str().trim_start_matches("tel:").to_owned(),
                    Term::Literal(l) => l.value().to_owned(),
                    Term::BlankNode(_) => String::new(),
                }),
                url: self.objects(c, HAS_URL).next().map(|o| self.link(o)),
            })
            .collect()
    }

    fn distribution(&self, d: &NamedOrBlankNode) -> Distribution {
        let shown = [
            dct::TITLE,
            dct::DESCRIPTION,
            dcat::DOWNLOAD_URL,
            dcat::ACCESS_URL,
            dct::FORMAT,
            dcat::MEDIA_TYPE,
            dcat::BYTE_SIZE,
            dct::LICENSE,
        ];
        Distribution {
            title: self.text(d, dct::TITLE).unwrap_or_default(),
            description: self.text(d, dct::DESCRIPTION).unwrap_or_default(),
            download: self.links(d, dcat::DOWNLOAD_URL),
            access: self.links(d, dcat::ACCESS_URL),
            format: self.links(d, dct::FORMAT),
            media_type: self.objects(d, dcat::MEDIA_TYPE).next().map(|o| match o {
                Term::NamedNode(n) => n
                    .as_str()
                    .split_once("/media-types/")
                    .map_or_else(|| n.as_str().to_owned(), |(_, t)| t.to_owned()),
                other => self.link(other).text,
            }),
            size: self.first_literal(d, dcat::BYTE_SIZE).and_then(|s| s.trim().parse().ok()),
            license: self.links(d, dct::LICENSE),
            others: self.other_fields(d, &shown),
        }
    }
}

/// A record linked from a page, if `viewer` may see it.
fn record_link(app: &App, viewer: &Viewer, iri: &str, lang: Lang) -> Option<RecordLink> {
    let id = app.registry.id_of(iri)?;
    let record = app.registry.get(&id, viewer).ok()?;
    let content = app.registry.main_triples(&record).ok()?;
    let subject: NamedOrBlankNode = record.iri.clone().into();
    let predicate = if record.kind == Kind::Publisher { foaf::NAME } else { dct::TITLE };
    let base = app.config.base_url.as_str();
    let href = super::local(base, &super::record_page(base, iri, record.kind.segment(), &record.id));
    Some(RecordLink {
        title: text_of(&content, &subject, predicate, lang.code()).unwrap_or_else(|| record.id.clone()),
        href,
        kind: record.kind.name(),
        status: record.status.name(),
    })
}

/// A record's own `content` validated against the registered SHACL standards it states
/// `dct:conformsTo` that `viewer` may see, with their current versions (nothing for a withdrawn
/// record).
fn conformance(
    app: &App,
    viewer: &Viewer,
    record: &Record,
    withdrawn: bool,
    content: &[Triple],
) -> Vec<crate::standards::Conformance> {
    if withdrawn {
        return Vec::new();
    }
    app.standards.conformance(&app.registry, viewer, content).unwrap_or_else(|e| {
        tracing::warn!(record = %record.id, error = %e, "conformance to registered standards not computed");
        Vec::new()
    })
}

/// The common part of a record page.
fn common(app: &App, viewer: &Viewer, shown: &Shown<'_>, walk: &Walk<'_>) -> RecordCommon {
    let (record, withdrawn) = (shown.record, shown.withdrawn);
    let lang = walk.lang;
    let main: NamedOrBlankNode = record.iri.clone().into();
    let base = app.config.base_url.as_str();
    let local = super::local(base, record.iri.as_str());
    let title = walk.text(&main, dct::TITLE).unwrap_or_else(|| record.id.clone());
    let publisher_iri = walk
        .objects(&main, dct::PUBLISHER)
        .find_map(|o| if let Term::NamedNode(n) = o { Some(n.clone()) } else { None });
    let publisher = publisher_iri.as_ref().map(|p| walk.link(&Term::from(p.clone())));
    let publisher_name = publisher.as_ref().map(|p| p.text.clone()).unwrap_or_default();
    let issued = walk.first_literal(&main, dct::ISSUED);
    let modified = walk.first_literal(&main, dct::MODIFIED);
    let year = issued
        .as_deref()
        .or(modified.as_deref())
        .and_then(|d| d.get(..4))
        .map_or_else(|| record.submitted.to_string().chars().take(4).collect(), str::to_owned);
    let cite_text = format!("{publisher_name} ({year}). {title}. {}", record.iri.as_str());
    let description = walk.text(&main, dct::DESCRIPTION).unwrap_or_default();
    let keywords = walk.literals_in_lang(&main, dcat::KEYWORD);
    let rdf_forms = [
        ("ttl", "text/turtle", "Turtle"),
        ("jsonld", "application/ld+json", "JSON-LD"),
        ("rdf", "application/rdf+xml", "RDF/XML"),
        ("nt", "application/n-triples", "N-Triples"),
    ];
    let distributions = walk.nodes(&main, dcat::DISTRIBUTION_PROP);
    let json_ld = json!({
        "@context": "https://schema.org/",
        "@type": if record.kind == Kind::Service { "WebAPI" } else { "Dataset" },
        "@id": record.iri.as_str(),
        "url": record.iri.as_str(),
        "name": title,
        "description": description,
        "identifier": walk.first_literal(&main, dct::IDENTIFIER),
        "keywords": keywords,
        "inLanguage": lang.code(),
        "datePublished": issued,
        "dateModified": modified,
        "publisher": publisher_iri.as_ref().map(|p| json!({"@type": "Organization", "@id": p.as_str(), "name": publisher_name})),
        "license": walk.objects(&main, dct::LICENSE).chain(distributions.iter().flat_map(|d| walk.objects(d, dct::LICENSE))).find_map(|o| if let Term::NamedNode(n) = o { Some(n.as_str().to_owned()) } else { None }),
        "isAccessibleForFree": true,
        "distribution": distributions.iter().map(|d| json!({
            "@type": "DataDownload",
            "name": walk.text(d, dct::TITLE),
            "contentUrl": walk.objects(d, dcat::DOWNLOAD_URL).chain(walk.objects(d, dcat::ACCESS_URL)).find_map(|o| if let Term::NamedNode(n) = o { Some(n.as_str().to_owned()) } else { None }),
            "encodingFormat": walk.distribution(d).media_type,
        })).collect::<Vec<_>>(),
    });
    let shown_common = [
        dct::TITLE,
        dct::DESCRIPTION,
        dct::PUBLISHER,
        dcat::CONTACT_POINT,
        dct::ACCESS_RIGHTS,
        dct::LICENSE,
        dcat::THEME,
        dcat::KEYWORD,
        dct::ISSUED,
        dct::MODIFIED,
        dcat::LANDING_PAGE,
        dct::IDENTIFIER,
        dct::CONFORMS_TO,
        dcat::DISTRIBUTION_PROP,
        dct::SPATIAL,
        dct::TEMPORAL,
        dct::ACCRUAL_PERIODICITY,
        dct::LANGUAGE,
        dcat::ENDPOINT_URL,
        ENDPOINT_DESCRIPTION,
        dcat::SERVES_DATASET,
        VERSION,
        VERSION_INFO,
        // Shown by the quality panel.
        crate::rdf::ns::dqv::HAS_QUALITY_MEASUREMENT,
    ];
    RecordCommon {
        id: record.id.clone(),
        iri: record.iri.as_str().to_owned(),
        kind: record.kind.name(),
        status: record.status.name(),
        withdrawn,
        title: title.clone(),
        title_other: walk.other_text(&main, dct::TITLE),
        description,
        publisher,
        contacts: walk.contacts(&main),
        access_rights: walk.links(&main, dct::ACCESS_RIGHTS),
        license: walk.links(&main, dct::LICENSE),
        themes: walk.links(&main, dcat::THEME),
        keywords,
        issued,
        modified,
        landing: walk.links(&main, dcat::LANDING_PAGE),
        identifier: walk.first_literal(&main, dct::IDENTIFIER),
        version: walk.first_literal(&main, VERSION).or_else(|| walk.first_literal(&main, VERSION_INFO)),
        standards: walk.links(&main, dct::CONFORMS_TO),
        conforms: record.status != crate::registry::lifecycle::Status::Invalid,
        profile: record.kind.profile(),
        fields: walk.other_fields(&main, &shown_common),
        versions: record
            .versions
            .iter()
            .rev()
            .map(|v| VersionItem {
                number: v.number,
                created: v.created.to_string(),
                current: v.number == record.version(),
                href: format!("/api/records/{}/versions/{}", record.id, v.number),
            })
            .collect(),
        cite: Citation {
            publisher: publisher_name,
            title,
            year,
            iri: record.iri.as_str().to_owned(),
            text: cite_text,
        },
        rdf: rdf_forms.iter().map(|(ext, media, name)| (format!("{local}.{ext}"), *media, *name)).collect(),
        json_ld: script_json(&json_ld),
        quality: app.quality.view_of(record).and_then(|view| serde_json::to_value(view).ok()),
        conformance: conformance(app, viewer, record, withdrawn, shown.content),
    }
}

/// The dataset page's view.
pub fn dataset_page(app: &App, viewer: &Viewer, shown: &Shown<'_>, lang: Lang) -> DatasetPage {
    let record = shown.record;
    let walk = Walk::new(app, shown.described, lang);
    let main: NamedOrBlankNode = record.iri.clone().into();
    let services = app
        .store
        .subjects_linking_to(dcat::SERVES_DATASET, record.iri.as_ref())
        .unwrap_or_default()
        .iter()
        .filter_map(|s| record_link(app, viewer, s.as_str(), lang))
        .collect();
    DatasetPage {
        common: common(app, viewer, shown, &walk),
        spatial: walk.links(&main, dct::SPATIAL),
        temporal: walk
            .nodes(&main, dct::TEMPORAL)
            .iter()
            .map(|t| {
                let start = walk.first_literal(t, dcat::START_DATE).unwrap_or_default();
                let end = walk.first_literal(t, dcat::END_DATE).unwrap_or_default();
                format!("{start} – {end}")
            })
            .collect(),
        frequency: walk.links(&main, dct::ACCRUAL_PERIODICITY),
        languages: walk.links(&main, dct::LANGUAGE),
        distributions: walk
            .nodes(&main, dcat::DISTRIBUTION_PROP)
            .iter()
            .map(|d| walk.distribution(d))
            .collect(),
        services,
    }
}

/// The data-service page's view.
pub fn service_page(app: &App, viewer: &Viewer, shown: &Shown<'_>, lang: Lang) -> ServicePage {
    let record = shown.record;
    let walk = Walk::new(app, shown.described, lang);
    let main: NamedOrBlankNode = record.iri.clone().into();
    ServicePage {
        common: common(app, viewer, shown, &walk),
        endpoints: walk.links(&main, dcat::ENDPOINT_URL),
        endpoint_descriptions: walk.links(&main, ENDPOINT_DESCRIPTION),
        serves: walk
            .objects(&main, dcat::SERVES_DATASET)
            .filter_map(|o| {
                if let Term::NamedNode(n) = o { record_link(app, viewer, n.as_str(), lang) } else { None }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_for_a_script_block_cannot_end_it() {
        let value = json!({"name": "</script><script>alert(1)</script> & more"});
        let text = script_json(&value);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).expect("still JSON");
        assert_eq!(back, value);
    }
}
