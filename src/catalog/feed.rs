//! DCAT-AP feeds and complete record descriptions, built in Rust from the registry's index and the
//! store.
//!
//! **What is in a feed.** Datasets, dataset series and data services whose status is `experimental`,
//! `stable` or `superseded` ([`in_feed`]) and that the caller may see. `submitted` and `invalid`
//! records are not public-facing; `retired` ones are tombstones (listed by [`Catalog::withdrawn`]).
//! Publishers, code lists and agency catalogues are not items: they are described where records
//! name them.
//!
//! **Paging.** In registration order (never by modification date), `per_page` items a page (default
//! [`DEFAULT_PER_PAGE`], at most [`MAX_PER_PAGE`]). One pass over the in-memory index counts the items
//! and picks the page's records; only those records' graphs are read from the store. Each page holds:
//! the `dcat:Catalog` node (title, description, publisher) with `dcat:dataset` / `dcat:service` for
//! the page's items (and `dct:hasPart` for the publishers' sub-catalogues on the root catalogue); one
//! paging node typed both `hydra:PagedCollection` and `hydra:PartialCollectionView` with both
//! predicate styles and `hydra:totalItems`; every item's whole graph (distributions, contact point…),
//! a derived `dct:identifier` (the record's IRI) when it has none; and what the items only mention:
//! publishers (their whole graph), vocabulary terms and code-list concepts (types and labels), and
//! other items (a short reference typed `dm:DatasetReference` / `dm:DataServiceReference`, never
//! `dcat:Dataset`, so that harvesters take each dataset from its own page only).

use super::{Catalog, CatalogError, LABEL_PREDICATES};
use crate::rdf::ns::{dcat, dct, dm, foaf, hydra, rdfs};
use crate::registry::Registry;
use crate::registry::kind::Kind;
use crate::registry::lifecycle::Status;
use crate::registry::record::Record;
use crate::store::Viewer;
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use oxsdatatypes::DateTime;
use rustc_hash::FxHashSet;
use std::str::FromStr;

/// Items a page when `?per_page` is not given (CKAN's default).
pub const DEFAULT_PER_PAGE: u64 = 100;
/// The largest `?per_page`.
pub const MAX_PER_PAGE: u64 = 1000;

/// Predicates whose non-record, non-vocabulary objects are looked up in the public view for their
/// types and labels (code-list concepts as places, standards).
const LOOKED_UP: [NamedNodeRef<'static>; 6] =
    [dct::CONFORMS_TO, dct::SPATIAL, dct::TYPE, dcat::THEME, dct::CREATOR, dct::RIGHTS_HOLDER];

/// Whether a record is an item of the feeds: a dataset, series or data service with a public-facing,
/// current status.
pub fn in_feed(record: &Record) -> bool {
    matches!(record.kind, Kind::Dataset | Kind::Series | Kind::Service)
        && matches!(record.status, Status::Experimental | Status::Stable | Status::Superseded)
}

/// Whether a record is a withdrawn item (listed by [`Catalog::withdrawn`]).
pub fn is_withdrawn_item(record: &Record) -> bool {
    matches!(record.kind, Kind::Dataset | Kind::Series | Kind::Service) && record.status == Status::Retired
}

/// Which page, how large.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// 1-based.
    pub page: u64,
    /// Items a page.
    pub per_page: u64,
}

impl Paging {
    /// Reads `?page=` and `?per_page=`; anything but whole numbers in range is refused.
    pub fn parse(page: Option<&str>, per_page: Option<&str>) -> Result<Self, CatalogError> {
        let page = match page {
            None => 1,
            Some(p) => p.trim().parse::<u64>().ok().filter(|p| *p >= 1).ok_or_else(|| {
                CatalogError::BadRequest(format!("?page={p:?}: pages are numbered 1, 2, 3…"))
            })?,
        };
        let per_page = match per_page {
            None => DEFAULT_PER_PAGE,
            Some(n) => {
                n.trim().parse::<u64>().ok().filter(|n| (1..=MAX_PER_PAGE).contains(n)).ok_or_else(|| {
                    CatalogError::BadRequest(format!(
                        "?per_page={n:?}: give a whole number from 1 to {MAX_PER_PAGE}"
                    ))
                })?
            }
        };
        Ok(Self { page, per_page })
    }
}

/// Reads an ISO-8601 date or date-time (`2026-01-05`, `2026-01-05T10:00:00Z`); without a time zone,
/// UTC.
pub fn parse_since(text: &str) -> Result<DateTime, CatalogError> {
    let text = text.trim();
    let with_time = if text.len() == 10 { format!("{text}T00:00:00") } else { text.to_owned() };
    let parsed = DateTime::from_str(&with_time).map_err(|e| {
        CatalogError::BadRequest(format!("{text:?} is not an ISO-8601 date or date-time: {e}"))
    })?;
    if parsed.timezone_offset().is_some() {
        return Ok(parsed);
    }
    DateTime::from_str(&format!("{with_time}Z"))
        .map_err(|e| CatalogError::BadRequest(format!("{text:?} is not an ISO-8601 date-time: {e}")))
}

/// What a feed page shows.
#[derive(Debug, Clone)]
pub struct FeedQuery {
    /// The page.
    pub paging: Paging,
    /// Only records the registry changed at or after this time.
    pub modified_since: Option<DateTime>,
    /// Only this organisation's records (its sub-catalogue), by id.
    pub publisher: Option<String>,
    /// The feed's absolute URL as asked for, without query (base URL + path, suffix included):
    /// paging links are this URL with `?page=N…`, never built from the request's `Host`.
    pub url: String,
}

impl FeedQuery {
    /// The absolute URL of page `page` with the query's other parameters.
    pub fn page_url(&self, page: u64) -> NamedNode {
        let mut params = vec![("page", page.to_string())];
        if self.paging.per_page != DEFAULT_PER_PAGE {
            params.push(("per_page", self.paging.per_page.to_string()));
        }
        if let Some(since) = &self.modified_since {
            params.push(("modified_since", since.to_string()));
        }
        let query = serde_urlencoded::to_string(&params).unwrap_or_default();
        NamedNode::new_unchecked(format!("{}?{query}", self.url))
    }
}

/// One feed page.
#[derive(Debug, Clone)]
pub struct FeedPage {
    /// Its graph.
    pub triples: Vec<Triple>,
    /// The catalogue node.
    pub catalog: NamedNode,
    /// Items in the whole feed.
    pub total: u64,
    /// This page.
    pub page: u64,
    /// The last page (1 for an empty feed).
    pub last_page: u64,
    /// The page's records, in feed order.
    pub records: Vec<Record>,
}

/// The page's triples, each once, in the order they were added.
pub(crate) struct Builder<'a> {
    catalog: &'a Catalog,
    registry: &'a Registry,
    viewer: &'a Viewer,
    triples: Vec<Triple>,
    seen: FxHashSet<Triple>,
}

impl<'a> Builder<'a> {
    pub(crate) fn new(catalog: &'a Catalog, registry: &'a Registry, viewer: &'a Viewer) -> Self {
        Self { catalog, registry, viewer, triples: Vec::new(), seen: FxHashSet::default() }
    }

    fn push(&mut self, triple: Triple) {
        let triple = restore_datatype(triple);
        if self.seen.insert(triple.clone()) {
            self.triples.push(triple);
        }
    }

    /// A record's whole graph, with a derived `dct:identifier` when it has none.
    pub(crate) fn record(&mut self, record: &Record) -> Result<(), CatalogError> {
        let content = self.registry.content(record)?;
        self.graph(record, content);
        Ok(())
    }

    fn graph(&mut self, record: &Record, content: Vec<Triple>) {
        let main: NamedOrBlankNode = record.iri.clone().into();
        let identified = content.iter().any(|t| t.subject == main && t.predicate == dct::IDENTIFIER);
        for triple in content {
            self.push(triple);
        }
        if !identified && record.kind != Kind::Publisher {
            self.push(Triple::new(
                record.iri.clone(),
                dct::IDENTIFIER,
                Literal::new_simple_literal(record.iri.as_str()),
            ));
        }
    }

    /// Describes what the page only mentions (two rounds: what a publisher's graph mentions is
    /// labelled too).
    pub(crate) fn finish(mut self) -> Result<Vec<Triple>, CatalogError> {
        let mut asked: FxHashSet<NamedNode> = FxHashSet::default();
        let mut from = 0;
        for _ in 0..2 {
            let subjects: FxHashSet<&NamedOrBlankNode> = self.triples.iter().map(|t| &t.subject).collect();
            let mut wanted = Vec::new();
            for triple in &self.triples[from..] {
                if triple.predicate == rdf::TYPE {
                    continue;
                }
                if let Term::NamedNode(object) = &triple.object
                    && !subjects.contains(&NamedOrBlankNode::from(object.clone()))
                    && asked.insert(object.clone())
                {
                    wanted.push((triple.predicate.clone(), object.clone()));
                }
            }
            from = self.triples.len();
            for (predicate, object) in wanted {
                self.describe(&predicate, &object)?;
            }
        }
        Ok(self.triples)
    }

    fn describe(&mut self, predicate: &NamedNode, term: &NamedNode) -> Result<(), CatalogError> {
        let catalog = self.catalog;
        if let Some(triples) = catalog.term(term) {
            for triple in triples {
                self.push(triple.clone());
            }
            return Ok(());
        }
        if let Some(id) = self.registry.id_of(term.as_str()) {
            let Ok(record) = self.registry.get(&id, self.viewer) else { return Ok(()) };
            match record.kind {
                Kind::Publisher => {
                    let graph = self.catalog.publisher_graph(self.registry, &record)?;
                    for triple in graph.iter() {
                        self.push(triple.clone());
                    }
                }
                Kind::Dataset | Kind::Series if in_feed(&record) => {
                    self.reference(
                        &record,
                        dm::DATASET_REFERENCE,
                        dcat::DATASET,
                        &[dct::TITLE, dct::DESCRIPTION],
                    )?;
                }
                Kind::Service if in_feed(&record) => {
                    self.reference(
                        &record,
                        dm::DATA_SERVICE_REFERENCE,
                        dcat::DATA_SERVICE,
                        &[dct::TITLE, dcat::ENDPOINT_URL],
                    )?;
                }
                Kind::Standard | Kind::Catalog => {
                    for triple in self.registry.main_triples(&record)? {
                        if LABEL_PREDICATES.contains(&triple.predicate.as_ref()) {
                            self.push(triple);
                        }
                    }
                }
                Kind::Dataset | Kind::Series | Kind::Service => {}
            }
            return Ok(());
        }
        if LOOKED_UP.contains(&predicate.as_ref()) {
            for triple in self.registry.store().public_triples_about(term.as_ref())? {
                if LABEL_PREDICATES.contains(&triple.predicate.as_ref()) {
                    self.push(triple);
                }
            }
        }
        Ok(())
    }

    /// A short description of an item described in full elsewhere.
    fn reference(
        &mut self,
        record: &Record,
        class: NamedNodeRef<'_>,
        superclass: NamedNodeRef<'_>,
        keep: &[NamedNodeRef<'_>],
    ) -> Result<(), CatalogError> {
        self.push(Triple::new(record.iri.clone(), rdf::TYPE, class));
        self.push(Triple::new(class.into_owned(), rdfs::SUB_CLASS_OF, superclass));
        for triple in self.registry.main_triples(record)? {
            if keep.contains(&triple.predicate.as_ref()) {
                self.push(triple);
            }
        }
        Ok(())
    }
}

/// Oxigraph stores every integer type derived from `xsd:integer` as `xsd:integer` (a lossy
/// canonicalisation of its storage encoding), while DCAT-AP 3 requires `dcat:byteSize` to be an
/// `xsd:nonNegativeInteger`: give byte sizes their type back on the way out.
fn restore_datatype(triple: Triple) -> Triple {
    if triple.predicate == dcat::BYTE_SIZE
        && let Term::Literal(l) = &triple.object
        && l.datatype() == xsd::INTEGER
        && !l.value().starts_with('-')
    {
        let typed = Literal::new_typed_literal(l.value(), xsd::NON_NEGATIVE_INTEGER);
        return Triple::new(triple.subject, triple.predicate, typed);
    }
    triple
}

/// The records that pass `accept`, counted, and those of page `paging`.
fn select(
    registry: &Registry,
    paging: Paging,
    mut accept: impl FnMut(&Record) -> bool,
    mut also: impl FnMut(&Record),
) -> (u64, Vec<Record>) {
    let skip = (paging.page - 1).saturating_mul(paging.per_page);
    let end = skip.saturating_add(paging.per_page);
    let mut total = 0u64;
    let mut records = Vec::new();
    registry.for_each_in_order(|record| {
        if accept(record) {
            if total >= skip && total < end {
                records.push(record.clone());
            }
            total += 1;
            also(record);
        }
        true
    });
    (total, records)
}

fn last_page(total: u64, per_page: u64) -> u64 {
    total.div_ceil(per_page).max(1)
}

/// The last page, or 404 when the page asked for is past it.
fn last_page_of(total: u64, paging: Paging) -> Result<u64, CatalogError> {
    let last = last_page(total, paging.per_page);
    if paging.page > last {
        return Err(CatalogError::NotFound(format!("no page {}: the last page is {last}", paging.page)));
    }
    Ok(last)
}

fn integer(n: u64) -> Literal {
    Literal::new_typed_literal(n.to_string(), xsd::INTEGER)
}

impl Catalog {
    /// The root catalogue's IRI.
    pub fn root_iri(&self) -> NamedNode {
        NamedNode::new_unchecked(format!("{}catalog", self.base))
    }

    /// A publisher's sub-catalogue IRI.
    pub fn sub_iri(&self, org_id: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}catalog/{org_id}", self.base))
    }

    /// The organisation record `id`, if `viewer` may see it.
    pub fn organisation(
        &self,
        registry: &Registry,
        viewer: &Viewer,
        id: &str,
    ) -> Result<Record, CatalogError> {
        let iri = registry.org_iri(id);
        registry
            .id_of(iri.as_str())
            .and_then(|record| registry.get(&record, viewer).ok())
            .filter(|r| r.kind == Kind::Publisher)
            .ok_or_else(|| CatalogError::NotFound(format!("no publisher {id}")))
    }

    /// One page of the root catalogue (`query.publisher` = None) or of a publisher's sub-catalogue.
    pub fn feed(
        &self,
        registry: &Registry,
        viewer: &Viewer,
        query: &FeedQuery,
    ) -> Result<FeedPage, CatalogError> {
        let org = match &query.publisher {
            Some(id) => Some(self.organisation(registry, viewer, id)?),
            None => None,
        };
        let mut owners: Vec<NamedNode> = Vec::new();
        let mut owner_set: FxHashSet<NamedNode> = FxHashSet::default();
        let since = query.modified_since;
        let (total, records) = select(
            registry,
            query.paging,
            |r| {
                in_feed(r)
                    && org.as_ref().is_none_or(|o| r.owner == o.iri)
                    && since.is_none_or(|s| r.modified >= s)
                    && r.visible_to(viewer)
            },
            |r| {
                if org.is_none() && !owner_set.contains(&r.owner) {
                    owner_set.insert(r.owner.clone());
                    owners.push(r.owner.clone());
                }
            },
        );
        let last = last_page_of(total, query.paging)?;
        let mut builder = Builder::new(self, registry, viewer);
        let catalog = match &org {
            None => {
                let root = self.root_catalogue(registry, viewer, &mut builder)?;
                for owner in &owners {
                    let Some(id) = registry.id_of(owner.as_str()) else { continue };
                    let Ok(publisher) = registry.get(&id, viewer) else { continue };
                    let Some(org_id) = publisher.iri.as_str().rsplit('/').next().map(str::to_owned) else {
                        continue;
                    };
                    let sub = self.sub_catalogue(registry, &publisher, &org_id, &mut builder)?;
                    builder.push(Triple::new(root.clone(), dct::HAS_PART, sub));
                }
                root
            }
            Some(publisher) => {
                let id = query.publisher.clone().unwrap_or_default();
                self.sub_catalogue(registry, publisher, &id, &mut builder)?
            }
        };
        for record in &records {
            let link = if record.kind == Kind::Service { dcat::SERVICE } else { dcat::DATASET_PROP };
            builder.push(Triple::new(catalog.clone(), link, record.iri.clone()));
        }
        self.paging_node(&mut builder, query, total, last);
        for record in &records {
            builder.record(record)?;
        }
        Ok(FeedPage {
            triples: builder.finish()?,
            catalog,
            total,
            page: query.paging.page,
            last_page: last,
            records,
        })
    }

    fn paging_node(&self, builder: &mut Builder<'_>, query: &FeedQuery, total: u64, last: u64) {
        let page = query.paging.page;
        let this = query.page_url(page);
        builder.push(Triple::new(this.clone(), rdf::TYPE, hydra::PAGED_COLLECTION));
        builder.push(Triple::new(this.clone(), rdf::TYPE, hydra::PARTIAL_COLLECTION_VIEW));
        builder.push(Triple::new(this.clone(), hydra::TOTAL_ITEMS, integer(total)));
        builder.push(Triple::new(this.clone(), hydra::ITEMS_PER_PAGE, integer(query.paging.per_page)));
        let mut link = |a: NamedNodeRef<'_>, b: NamedNodeRef<'_>, target: u64| {
            let url = query.page_url(target);
            builder.push(Triple::new(this.clone(), a, url.clone()));
            builder.push(Triple::new(this.clone(), b, url));
        };
        link(hydra::FIRST, hydra::FIRST_PAGE, 1);
        link(hydra::LAST, hydra::LAST_PAGE, last);
        if page > 1 {
            link(hydra::PREVIOUS, hydra::PREVIOUS_PAGE, page - 1);
        }
        if page < last {
            link(hydra::NEXT, hydra::NEXT_PAGE, page + 1);
        }
    }

    /// The root catalogue node: the `catalog` record when there is one, else a minimal catalogue
    /// published by the registry's operator.
    fn root_catalogue(
        &self,
        registry: &Registry,
        viewer: &Viewer,
        builder: &mut Builder<'_>,
    ) -> Result<NamedNode, CatalogError> {
        let root = self.root_iri();
        let record = registry
            .id_of(root.as_str())
            .and_then(|id| registry.get(&id, viewer).ok())
            .filter(|r| r.kind == Kind::Catalog && r.status != Status::Retired);
        if let Some(record) = record {
            let main: NamedOrBlankNode = root.clone().into();
            let content: Vec<Triple> = registry
                .content(&record)?
                .into_iter()
                .filter(|t| {
                    !(t.subject == main
                        && [dcat::DATASET_PROP, dcat::SERVICE, dct::HAS_PART, dcat::CATALOG_PROP]
                            .contains(&t.predicate.as_ref()))
                })
                .collect();
            builder.graph(&record, content);
            return Ok(root);
        }
        let operator = NamedNode::new_unchecked(format!("{}catalog#operator", self.base));
        let lit = |text: &str, lang: &str| Literal::new_language_tagged_literal_unchecked(text, lang);
        builder.push(Triple::new(root.clone(), rdf::TYPE, dcat::CATALOG));
        builder.push(Triple::new(root.clone(), dct::TITLE, lit("Danh mục dữ liệu", "vi")));
        builder.push(Triple::new(root.clone(), dct::TITLE, lit("Data catalogue", "en")));
        builder.push(Triple::new(
            root.clone(),
            dct::DESCRIPTION,
            lit("Danh mục siêu dữ liệu của các cơ quan công bố dữ liệu trong hệ thống đăng ký.", "vi"),
        ));
        builder.push(Triple::new(
            root.clone(),
            dct::DESCRIPTION,
            lit("The metadata catalogue of the publishers registered in this registry.", "en"),
        ));
        builder.push(Triple::new(root.clone(), dct::PUBLISHER, operator.clone()));
        builder.push(Triple::new(operator.clone(), rdf::TYPE, foaf::AGENT));
        builder.push(Triple::new(operator, foaf::NAME, lit("Đơn vị vận hành danh mục", "vi")));
        Ok(root)
    }

    /// A publisher's sub-catalogue node.
    fn sub_catalogue(
        &self,
        registry: &Registry,
        publisher: &Record,
        org_id: &str,
        builder: &mut Builder<'_>,
    ) -> Result<NamedNode, CatalogError> {
        let sub = self.sub_iri(org_id);
        let graph = self.publisher_graph(registry, publisher)?;
        let main: NamedOrBlankNode = publisher.iri.clone().into();
        let name_vi =
            super::text_of(graph.iter(), &main, foaf::NAME, "vi").unwrap_or_else(|| org_id.to_owned());
        let name_en =
            super::text_of(graph.iter(), &main, foaf::NAME, "en").unwrap_or_else(|| name_vi.clone());
        let lit = |text: String, lang: &str| Literal::new_language_tagged_literal_unchecked(text, lang);
        builder.push(Triple::new(sub.clone(), rdf::TYPE, dcat::CATALOG));
        builder.push(Triple::new(
            sub.clone(),
            dct::TITLE,
            lit(format!("Danh mục dữ liệu của {name_vi}"), "vi"),
        ));
        builder.push(Triple::new(sub.clone(), dct::TITLE, lit(format!("Data catalogue of {name_en}"), "en")));
        builder.push(Triple::new(
            sub.clone(),
            dct::DESCRIPTION,
            lit(format!("Các bộ dữ liệu và dịch vụ dữ liệu do {name_vi} công bố."), "vi"),
        ));
        builder.push(Triple::new(
            sub.clone(),
            dct::DESCRIPTION,
            lit(format!("The datasets and data services published by {name_en}."), "en"),
        ));
        builder.push(Triple::new(sub.clone(), dct::PUBLISHER, publisher.iri.clone()));
        Ok(sub)
    }

    /// A record's complete description: its graph, its publisher's, the labels of what it mentions.
    pub fn describe(
        &self,
        registry: &Registry,
        viewer: &Viewer,
        record: &Record,
        content: Vec<Triple>,
        measurements: bool,
    ) -> Result<Vec<Triple>, CatalogError> {
        let mut builder = Builder::new(self, registry, viewer);
        builder.graph(record, content);
        // A dataset's quality measurements (DQV) have the record's own access class.
        if measurements && record.kind == Kind::Dataset {
            let measurements = crate::quality::dqv::quality_graph(&record.id);
            for triple in registry.store().graph_triples(measurements.as_ref())? {
                builder.push(triple);
            }
        }
        builder.finish()
    }

    /// Withdrawn items (tombstones: IRI, type, identifier, title, publisher, withdrawal time), in
    /// registration order, paged like the feed; `modified_since` is the withdrawal time.
    pub fn withdrawn(
        &self,
        registry: &Registry,
        viewer: &Viewer,
        query: &FeedQuery,
    ) -> Result<FeedPage, CatalogError> {
        let since = query.modified_since;
        let (total, records) = select(
            registry,
            query.paging,
            |r| is_withdrawn_item(r) && since.is_none_or(|s| r.modified >= s) && r.visible_to(viewer),
            |_| {},
        );
        let last = last_page_of(total, query.paging)?;
        let mut builder = Builder::new(self, registry, viewer);
        self.paging_node(&mut builder, query, total, last);
        for record in &records {
            builder.record(record)?;
        }
        Ok(FeedPage {
            triples: builder.triples,
            catalog: NamedNode::new_unchecked(query.url.clone()),
            total,
            page: query.paging.page,
            last_page: last,
            records,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_parameters_are_bounded() {
        assert_eq!(Paging::parse(None, None).ok(), Some(Paging { page: 1, per_page: 100 }));
        assert_eq!(Paging::parse(Some("3"), Some("1000")).ok(), Some(Paging { page: 3, per_page: 1000 }));
        for (page, per_page) in
            [("0", "10"), ("-1", "10"), ("x", "10"), ("1", "0"), ("1", "1001"), ("1", "1e3")]
        {
            assert!(Paging::parse(Some(page), Some(per_page)).is_err(), "{page} {per_page}");
        }
    }

    #[test]
    fn dates_and_times_are_read_as_utc() {
        let day = parse_since("2026-01-05").expect("a date");
        assert_eq!(day.to_string(), "2026-01-05T00:00:00Z");
        let time = parse_since("2026-01-05T10:00:00+07:00").expect("a date-time");
        assert!(time > day);
        assert!(parse_since("yesterday").is_err());
    }

    #[test]
    fn page_urls_keep_the_query() {
        let query = FeedQuery {
            paging: Paging { page: 2, per_page: 5 },
            modified_since: parse_since("2026-01-05").ok(),
            publisher: None,
            url: "http://r.example/catalog.ttl".into(),
        };
        assert_eq!(
            query.page_url(3).as_str(),
            "http://r.example/catalog.ttl?page=3&per_page=5&modified_since=2026-01-05T00%3A00%3A00Z"
        );
        assert_eq!(last_page(0, 100), 1);
        assert_eq!(last_page(101, 100), 2);
    }
}
