//! IRI constants of the vocabularies danhmuc speaks, in the style of `oxrdf::vocab`.
//!
//! Call sites name `ns::dcat::DATASET`, never an IRI string literal.

macro_rules! vocabulary {
    ($(#[$meta:meta])* $module:ident, $base:literal, { $($name:ident = $local:literal),* $(,)? }) => {
        $(#[$meta])*
        pub mod $module {
            use oxigraph::model::NamedNodeRef;
            /// The namespace IRI.
            pub const NAMESPACE: &str = $base;
            $(
                #[doc = concat!("`", $base, $local, "`")]
                pub const $name: NamedNodeRef<'static> =
                    NamedNodeRef::new_unchecked(concat!($base, $local));
            )*
        }
    };
}

vocabulary!(
    /// [DCAT 3](https://www.w3.org/TR/vocab-dcat-3/).
    dcat, "http://www.w3.org/ns/dcat#", {
    CATALOG = "Catalog", DATASET = "Dataset", DATA_SERVICE = "DataService",
    DATASET_SERIES = "DatasetSeries", DISTRIBUTION = "Distribution",
    DATASET_PROP = "dataset", SERVICE = "service", DISTRIBUTION_PROP = "distribution",
    ACCESS_URL = "accessURL", DOWNLOAD_URL = "downloadURL", KEYWORD = "keyword", THEME = "theme",
    CONTACT_POINT = "contactPoint", ENDPOINT_URL = "endpointURL", SERVES_DATASET = "servesDataset",
    ACCESS_SERVICE = "accessService", LANDING_PAGE = "landingPage", MEDIA_TYPE = "mediaType",
    START_DATE = "startDate", END_DATE = "endDate", CATALOG_PROP = "catalog", BYTE_SIZE = "byteSize",
});

vocabulary!(
    /// [Hydra Core](https://www.hydra-cg.com/spec/latest/core/): feed paging, in both the old
    /// (`PagedCollection`, `nextPage`…) and the new (`PartialCollectionView`, `next`…) style.
    hydra, "http://www.w3.org/ns/hydra/core#", {
    PAGED_COLLECTION = "PagedCollection", PARTIAL_COLLECTION_VIEW = "PartialCollectionView",
    NEXT = "next", NEXT_PAGE = "nextPage", PREVIOUS = "previous", PREVIOUS_PAGE = "previousPage",
    FIRST = "first", FIRST_PAGE = "firstPage", LAST = "last", LAST_PAGE = "lastPage",
    TOTAL_ITEMS = "totalItems", ITEMS_PER_PAGE = "itemsPerPage",
});

vocabulary!(
    /// [vCard](https://www.w3.org/TR/vcard-rdf/).
    vcard, "http://www.w3.org/2006/vcard/ns#", { FN = "fn", HAS_EMAIL = "hasEmail" });

vocabulary!(
    /// [RDF Schema](https://www.w3.org/TR/rdf-schema/).
    rdfs, "http://www.w3.org/2000/01/rdf-schema#", { LABEL = "label", SUB_CLASS_OF = "subClassOf" });

vocabulary!(
    /// [DCMI Metadata Terms](https://www.dublincore.org/specifications/dublin-core/dcmi-terms/).
    dct, "http://purl.org/dc/terms/", {
    TITLE = "title", DESCRIPTION = "description", PUBLISHER = "publisher", IDENTIFIER = "identifier",
    ISSUED = "issued", MODIFIED = "modified", ACCESS_RIGHTS = "accessRights", LICENSE = "license",
    CONFORMS_TO = "conformsTo", STANDARD = "Standard", HAS_PART = "hasPart",
    DATE_SUBMITTED = "dateSubmitted", DATE_ACCEPTED = "dateAccepted", CREATED = "created",
    IS_REPLACED_BY = "isReplacedBy", REPLACES = "replaces", TYPE = "type",
    SPATIAL = "spatial", TEMPORAL = "temporal", LANGUAGE = "language", FORMAT = "format",
    ACCRUAL_PERIODICITY = "accrualPeriodicity", CREATOR = "creator", RIGHTS_HOLDER = "rightsHolder",
    IS_PART_OF = "isPartOf", RIGHTS = "rights",
});

vocabulary!(
    /// [SKOS](https://www.w3.org/TR/skos-reference/).
    skos, "http://www.w3.org/2004/02/skos/core#", {
    CONCEPT = "Concept", CONCEPT_SCHEME = "ConceptScheme", PREF_LABEL = "prefLabel",
    IN_SCHEME = "inScheme", NOTATION = "notation", BROADER = "broader",
});

vocabulary!(
    /// [FOAF](http://xmlns.com/foaf/spec/).
    foaf, "http://xmlns.com/foaf/0.1/", { AGENT = "Agent", NAME = "name", HOMEPAGE = "homepage", MBOX = "mbox" });

vocabulary!(
    /// [PROV-O](https://www.w3.org/TR/prov-o/).
    prov, "http://www.w3.org/ns/prov#", { WAS_REVISION_OF = "wasRevisionOf" });

vocabulary!(
    /// [SPARQL 1.1 Service Description](https://www.w3.org/TR/sparql11-service-description/).
    sd, "http://www.w3.org/ns/sparql-service-description#", {
    SERVICE = "Service", ENDPOINT = "endpoint", SUPPORTED_LANGUAGE = "supportedLanguage",
    SPARQL11_QUERY = "SPARQL11Query", RESULT_FORMAT = "resultFormat", FEATURE = "feature",
    UNION_DEFAULT_GRAPH = "UnionDefaultGraph", BASIC_FEDERATED_QUERY = "BasicFederatedQuery",
    DEFAULT_DATASET = "defaultDataset", DATASET = "Dataset", DEFAULT_GRAPH = "defaultGraph",
    GRAPH = "Graph",
});

vocabulary!(
    /// W3C format registry ([formats](https://www.w3.org/ns/formats/)).
    formats, "http://www.w3.org/ns/formats/", {
    SPARQL_RESULTS_JSON = "SPARQL_Results_JSON", SPARQL_RESULTS_XML = "SPARQL_Results_XML",
    SPARQL_RESULTS_CSV = "SPARQL_Results_CSV", SPARQL_RESULTS_TSV = "SPARQL_Results_TSV",
    TURTLE = "Turtle", N_TRIPLES = "N-Triples", RDF_XML = "RDF_XML", JSON_LD = "JSON-LD",
});

vocabulary!(
    /// The EU access-right authority table.
    access_right, "http://publications.europa.eu/resource/authority/access-right/", {
    PUBLIC = "PUBLIC", RESTRICTED = "RESTRICTED", NON_PUBLIC = "NON_PUBLIC",
});

vocabulary!(
    /// danhmuc's own vocabulary (`vocab/registry.ttl`).
    dm, "https://w3id.org/danhmuc/ns#", {
    GRAPH_ACCESS = "graphAccess", CONTENT_HASH = "contentHash", BASE_URL = "baseUrl", SOURCE_FILE = "sourceFile",
    OWNER = "owner", STATUS = "status", RECORD_ID = "recordId", RECORD_KIND = "recordKind",
    ACCESS_CLASS = "accessClass", SEQUENCE = "sequence", VERSION = "version", ETAG = "etag",
    REGISTRY_MODIFIED = "registryModified", HAS_VERSION = "hasVersion", SUBMITTED_BY = "submittedBy",
    ROLE = "role", TOKEN_HASH = "tokenHash", ORG_TYPE = "orgType",
    API_TOKEN = "ApiToken", REVOKED = "revoked", AUDIT_EVENT = "AuditEvent", ACTION = "action",
    RECORD = "record", ACTOR = "actor", SCOPE = "scope", CONTAINS_PERSONAL_DATA = "containsPersonalData",
    ACCESS_PUBLIC = "access-public", ACCESS_RESTRICTED = "access-restricted",
    ACCESS_PRIVATE = "access-private", ACCESS_STAFF = "access-staff",
    HARVEST_SOURCE = "HarvestSource", HARVEST_URL = "harvestUrl", HARVEST_KIND = "harvestKind",
    HARVEST_EVERY = "harvestEvery", HARVEST_GRACE = "harvestGrace", HARVESTED_FROM = "harvestedFrom",
    HARVESTED_AT = "harvestedAt", MISSING_SINCE = "missingSince", HARVEST_RUN = "HarvestRun",
    RUN_REPORT = "runReport",
    DATASET_REFERENCE = "DatasetReference", DATA_SERVICE_REFERENCE = "DataServiceReference",
    SCHEME_DIFF = "SchemeDiff", DIFF_OF = "diffOf", FROM_VERSION = "fromVersion", TO_VERSION = "toVersion",
    ADDED = "added", REMOVED = "removed", DEPRECATED_CONCEPT = "deprecatedConcept",
    RELABELLED = "relabelled", MOVED = "moved", MEDIA_TYPE = "mediaType",
    SNAPSHOT = "snapshot", SNAPSHOT_FORMAT = "snapshotFormat",
});

/// Names of danhmuc's system graphs. They are URNs so that they do not depend on `--base-url`.
pub mod graph {
    use oxigraph::model::NamedNodeRef;
    /// Prefix of every system graph; such graphs are never made public by an import.
    pub const SYSTEM_PREFIX: &str = "urn:danhmuc:graph:";
    /// Registry bookkeeping: the access class of every named graph, hashes of bundled files.
    pub const SYSTEM: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:danhmuc:graph:system");
    /// Prefix of the graphs that hold bundled vocabularies: `urn:danhmuc:vocab:{file stem}`.
    pub const VOCAB_PREFIX: &str = "urn:danhmuc:vocab:";
    /// The audit trail: who changed what, when (stewards and admins only).
    pub const AUDIT: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:danhmuc:graph:audit");
    /// API tokens (hashes only). Never registered: the operator alone can query it.
    pub const TOKENS: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:danhmuc:graph:tokens");
    /// The restricted view: the union of every restricted graph (what authenticated organisations
    /// see beyond the public view, which is the default graph).
    pub const VIEW_RESTRICTED: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("urn:danhmuc:graph:view-restricted");
    /// The private view: the union of every private graph (seen whole by stewards and admins).
    pub const VIEW_PRIVATE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("urn:danhmuc:graph:view-private");
    /// Harvest sources (their settings): stewards and admins only.
    pub const HARVEST: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:danhmuc:graph:harvest");
    /// A graph that never holds anything: stands in for graphs a caller may not see.
    pub const NOTHING: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:danhmuc:graph:none");
}

vocabulary!(
    /// [W3C Data Quality Vocabulary](https://www.w3.org/TR/vocab-dqv/).
    dqv, "http://www.w3.org/ns/dqv#", {
    QUALITY_MEASUREMENT = "QualityMeasurement", METRIC = "Metric", DIMENSION = "Dimension",
    HAS_QUALITY_MEASUREMENT = "hasQualityMeasurement", COMPUTED_ON = "computedOn",
    IS_MEASUREMENT_OF = "isMeasurementOf", VALUE = "value", IN_DIMENSION = "inDimension",
});

vocabulary!(
    /// danhmuc's metadata-quality vocabulary (`vocab/quality.ttl`): the MQA metrics and dimensions,
    /// indicator results, link-check facts and the format lists the indicators use.
    dmq, "https://w3id.org/danhmuc/quality#", {
    RESULT = "result", PASSED = "passed", PARTIAL = "partial", FAILED = "failed", UNKNOWN = "unknown",
    POINTS = "points", MACHINE_READABLE = "machineReadable", NON_PROPRIETARY = "nonProprietary",
    HTTP_STATUS = "httpStatus", LINK_ERROR = "linkError", CHECKED_AT = "checkedAt",
    SCORE = "score", RATING = "rating", PUBLISHER_AVERAGE = "publisherAverage", DATASETS = "datasets",
    SCORING_VERSION = "scoringVersion", RESCORE_PENDING = "rescorePending", SNAPSHOT_DATE = "snapshotDate",
});
