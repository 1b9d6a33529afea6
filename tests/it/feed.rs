//! DCAT-AP feeds and dereferenceable records against a real server: every page of the demo feed
//! conforms to the official DCAT-AP 3.0.1 shapes; the feed-shape rules harvesters depend on, one by
//! one; visibility; tombstones; sub-catalogues and data.json; and ckanext-dcat's own parser reading
//! every dataset of a paged feed.

use super::clients::{require_tools, run_script, script, tools_dir};
use super::common::{TestServer, canonical, fixture, header, run_cli, tempdir};
use danhmuc::shacl::{IndexedGraph, Severity, Shapes};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, NamedNode, NamedOrBlankNode, Term, Triple};
use reqwest::blocking::{Client, RequestBuilder, Response};
use serde_json::Value;
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::io::Read;
use std::path::Path;

const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";
const DCAT: &str = "http://www.w3.org/ns/dcat#";
const DCT: &str = "http://purl.org/dc/terms/";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const JSON_LD: RdfFormat = RdfFormat::JsonLd { profile: oxigraph::io::JsonLdProfileSet::empty() };

fn parse(format: RdfFormat, body: &[u8]) -> Vec<Triple> {
    RdfParser::from_format(format)
        .for_slice(body)
        .map(|q| q.map(Triple::from))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("unparseable {format}: {e}\n{}", String::from_utf8_lossy(body)))
}

fn iri(s: &str) -> NamedNode {
    NamedNode::new_unchecked(s)
}

fn objects<'a>(triples: &'a [Triple], subject: &str, predicate: &str) -> Vec<&'a Term> {
    triples
        .iter()
        .filter(|t| t.subject == NamedOrBlankNode::from(iri(subject)) && t.predicate.as_str() == predicate)
        .map(|t| &t.object)
        .collect()
}

fn subjects_of_type(triples: &[Triple], class: &str) -> Vec<String> {
    triples
        .iter()
        .filter(|t| t.predicate.as_str() == RDF_TYPE && t.object == Term::from(iri(class)))
        .filter_map(|t| match &t.subject {
            NamedOrBlankNode::NamedNode(n) => Some(n.as_str().to_owned()),
            NamedOrBlankNode::BlankNode(_) => None,
        })
        .collect()
}

fn one_iri(triples: &[Triple], subject: &str, predicate: &str) -> Option<String> {
    let found = objects(triples, subject, predicate);
    assert!(found.len() <= 1, "{subject} has {} {predicate}", found.len());
    found.first().map(|t| match t {
        Term::NamedNode(n) => n.as_str().to_owned(),
        other => panic!("{predicate} of {subject} is not an IRI: {other}"),
    })
}

fn integer(triples: &[Triple], subject: &str, predicate: &str) -> u64 {
    match objects(triples, subject, predicate).as_slice() {
        [Term::Literal(l)] => l.value().parse().unwrap_or_else(|_| panic!("{predicate}: {l}")),
        other => panic!("{subject} {predicate}: {other:?}"),
    }
}

/// One page as a harvester reads it.
struct Page {
    url: String,
    triples: Vec<Triple>,
}

impl Page {
    /// The one paging node: typed both ways.
    fn paging_node(&self) -> String {
        let paged = subjects_of_type(&self.triples, &format!("{HYDRA}PagedCollection"));
        let view = subjects_of_type(&self.triples, &format!("{HYDRA}PartialCollectionView"));
        assert_eq!(paged.len(), 1, "{}: {paged:?}", self.url);
        assert_eq!(paged, view, "{}: one node typed both", self.url);
        paged[0].clone()
    }

    /// A paging link, checked to be given in both styles with the same value.
    fn link(&self, new: &str, old: &str) -> Option<String> {
        let node = self.paging_node();
        let a = one_iri(&self.triples, &node, &format!("{HYDRA}{new}"));
        let b = one_iri(&self.triples, &node, &format!("{HYDRA}{old}"));
        assert_eq!(a, b, "{}: hydra:{new} and hydra:{old} differ", self.url);
        a
    }

    /// The items the catalogue node lists.
    fn items(&self, catalog: &str) -> Vec<String> {
        let mut items: Vec<String> = [format!("{DCAT}dataset"), format!("{DCAT}service")]
            .iter()
            .flat_map(|p| objects(&self.triples, catalog, p))
            .map(|t| match t {
                Term::NamedNode(n) => n.as_str().to_owned(),
                other => panic!("an item that is not an IRI: {other}"),
            })
            .collect();
        items.sort();
        items
    }
}

fn get(client: &Client, url: &str, token: Option<&str>) -> Response {
    let request = client.get(url);
    with(request, token).send().expect("request")
}

fn with(request: RequestBuilder, token: Option<&str>) -> RequestBuilder {
    match token {
        Some(t) => request.bearer_auth(t),
        None => request,
    }
}

#[track_caller]
fn fetch_page(client: &Client, url: &str, token: Option<&str>) -> Page {
    let response = get(client, url, token);
    assert_eq!(response.status().as_u16(), 200, "{url}");
    assert_eq!(header(&response, "content-type"), "text/turtle", "{url}");
    let body = response.bytes().expect("body");
    Page { url: url.to_owned(), triples: parse(RdfFormat::Turtle, &body) }
}

/// Follows `next` from `first` to the end; fails on a cycle, on a relative or foreign link.
#[track_caller]
fn walk(client: &Client, first: &str, base: &str, token: Option<&str>) -> Vec<Page> {
    let mut pages: Vec<Page> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut next = Some(first.to_owned());
    while let Some(url) = next {
        assert!(seen.insert(url.clone()), "a paging cycle at {url}");
        assert!(url.starts_with(base), "{url} is not under the base URL {base}");
        assert!(pages.len() < 500, "endless paging");
        let page = fetch_page(client, &url, token);
        next = page.link("next", "nextPage");
        pages.push(page);
    }
    pages
}

/// The official shapes (with the `sh:shape` typo read as `sh:node`) and the bundled vocabularies.
fn official_shapes() -> Option<(Shapes, Vec<Triple>)> {
    let root = super::common::shared_dir().join("conformance/dcat-ap/3.0.1/html-shacl");
    if !super::common::require_shared(&root) {
        return None;
    }
    let mut graph = Graph::new();
    for file in ["shapes.ttl", "range.ttl"] {
        let text = std::fs::read(root.join(file)).expect("shapes file");
        for t in parse(RdfFormat::Turtle, &text) {
            let t = if t.predicate.as_str() == "http://www.w3.org/ns/shacl#shape" {
                Triple::new(t.subject, iri("http://www.w3.org/ns/shacl#node"), t.object)
            } else {
                t
            };
            graph.insert(&t);
        }
    }
    let shapes = Shapes::from_graph(&graph).unwrap_or_else(|e| panic!("shapes: {e}"));
    let vocab = Path::new(env!("CARGO_MANIFEST_DIR")).join("vocab");
    let mut vocabulary = Vec::new();
    for entry in std::fs::read_dir(vocab).expect("vocab/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "ttl") {
            vocabulary.extend(parse(RdfFormat::Turtle, &std::fs::read(&path).expect("vocab file")));
        }
    }
    Some((shapes, vocabulary))
}

#[track_caller]
fn assert_conforms(shapes: &Shapes, vocabulary: &[Triple], page: &Page) {
    let data = IndexedGraph::from_triples(page.triples.iter().chain(vocabulary).cloned());
    let report = shapes.validate(&data).unwrap_or_else(|e| panic!("validation: {e}"));
    let violations = report.count(&Severity::Violation);
    assert_eq!(violations, 0, "{}:\n{}", page.url, report.summary_text());
    assert!(report.focus_nodes_checked() > 0);
}

#[test]
fn every_page_of_the_demo_feed_conforms_to_dcat_ap_3() {
    let Some((shapes, vocabulary)) = official_shapes() else { return };
    let server = TestServer::demo();
    let client = &server.client;
    let whole = walk(client, &server.url("catalog.ttl"), &server.base, None);
    assert_eq!(whole.len(), 1, "67 items fit on one page of 100");
    let small = walk(client, &server.url("catalog.ttl?per_page=7"), &server.base, None);
    assert!(small.len() >= 9, "{} pages", small.len());
    let catalog = server.url("catalog");
    let all: Vec<String> = whole[0].items(&catalog);
    let mut paged: Vec<String> = small.iter().flat_map(|p| p.items(&catalog)).collect();
    paged.sort();
    assert_eq!(all, paged, "the small pages hold the same items as the big one");
    for page in whole.iter().chain(&small) {
        assert_conforms(&shapes, &vocabulary, page);
    }
    // A publisher's sub-catalogue and a record's own description conform too.
    let sub = walk(client, &server.url("catalog/bo-tai-chinh.ttl?per_page=2"), &server.base, None);
    for page in &sub {
        assert_conforms(&shapes, &vocabulary, page);
    }
    let record = fetch_page(client, &server.url("dataset/btc-du-toan-ngan-sach-nha-nuoc.ttl"), None);
    assert_conforms(&shapes, &vocabulary, &record);
}

#[test]
fn the_paging_node_follows_the_contract() {
    let server = TestServer::demo();
    let client = &server.client;
    let first = server.url("catalog.ttl?per_page=10");
    let pages = walk(client, &first, &server.base, None);
    let last = pages.len();
    assert!(last >= 7);
    let catalog = server.url("catalog");
    let mut items = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let n = i + 1;
        let node = page.paging_node();
        let expected =
            if n == 1 { first.clone() } else { server.url(&format!("catalog.ttl?page={n}&per_page=10")) };
        assert_eq!(page.url, expected);
        assert_eq!(node, server.url(&format!("catalog.ttl?page={n}&per_page=10")), "the node is the page");
        assert_eq!(integer(&page.triples, &node, &format!("{HYDRA}itemsPerPage")), 10);
        let total = integer(&page.triples, &node, &format!("{HYDRA}totalItems"));
        assert_eq!(total, 67, "totalItems on every page (63 public datasets, 4 public services)");
        let first_link = page.link("first", "firstPage").expect("first on every page");
        let last_link = page.link("last", "lastPage").expect("last on every page");
        assert_eq!(first_link, server.url("catalog.ttl?page=1&per_page=10"));
        assert_eq!(last_link, server.url(&format!("catalog.ttl?page={last}&per_page=10")));
        let previous = page.link("previous", "previousPage");
        let next = page.link("next", "nextPage");
        assert_eq!(previous.is_some(), n > 1, "page {n}: previous");
        assert_eq!(next.is_some(), n < last, "page {n}: next (none on the last page)");
        if let Some(next) = next {
            assert_eq!(next, server.url(&format!("catalog.ttl?page={}&per_page=10", n + 1)));
        }
        // The catalogue node with its mandatory properties and this page's items, fully described.
        for p in ["title", "description", "publisher"] {
            assert!(!objects(&page.triples, &catalog, &format!("{DCT}{p}")).is_empty(), "dct:{p}");
        }
        let on_page = page.items(&catalog);
        assert!(on_page.len() <= 10 && (n == last || on_page.len() == 10));
        for item in &on_page {
            let identifier = objects(&page.triples, item, &format!("{DCT}identifier"));
            assert_eq!(identifier.len(), 1, "{item}: one dct:identifier");
            let publisher = one_iri(&page.triples, item, &format!("{DCT}publisher")).expect("publisher");
            assert!(
                !objects(&page.triples, &publisher, "http://xmlns.com/foaf/0.1/name").is_empty(),
                "{publisher} described"
            );
            for dist in objects(&page.triples, item, &format!("{DCAT}distribution")) {
                let Term::NamedNode(d) = dist else { panic!("a blank distribution") };
                assert!(
                    !objects(&page.triples, d.as_str(), &format!("{DCAT}accessURL")).is_empty(),
                    "{d} described"
                );
            }
            if let Some(Term::NamedNode(contact)) =
                objects(&page.triples, item, &format!("{DCAT}contactPoint")).first()
            {
                assert!(
                    !objects(&page.triples, contact.as_str(), RDF_TYPE).is_empty(),
                    "{contact} described"
                );
            }
        }
        // Datasets are typed dcat:Dataset only where they are items (references are typed otherwise).
        let mut typed = subjects_of_type(&page.triples, &format!("{DCAT}Dataset"));
        typed.sort();
        let mut datasets = objects(&page.triples, &catalog, &format!("{DCAT}dataset"))
            .into_iter()
            .map(|t| t.to_string().trim_matches(['<', '>']).to_owned())
            .collect::<Vec<_>>();
        datasets.sort();
        assert_eq!(typed, datasets, "page {n}: every dcat:Dataset is an item of the page");
        items.extend(on_page);
    }
    let unique: BTreeSet<&String> = items.iter().collect();
    assert_eq!(unique.len(), items.len(), "an item on two pages");
    assert_eq!(items.len(), 67);
    // Stable order: a second pass gives the same pages.
    let again = walk(client, &first, &server.base, None);
    let order = |pages: &[Page]| pages.iter().map(|p| p.items(&catalog)).collect::<Vec<_>>();
    assert_eq!(order(&pages), order(&again));
    // Page 1 of /catalog and /catalog?page=1 are the same page.
    let plain = fetch_page(client, &server.url("catalog.ttl?per_page=10"), None);
    assert_eq!(plain.paging_node(), server.url("catalog.ttl?page=1&per_page=10"));
}

#[test]
fn links_are_built_from_the_base_url_never_the_host() {
    let server = TestServer::start(&["--demo", "--base-url", "http://feed.test/registry/"]);
    let response = server
        .client
        .get(server.url("catalog.ttl?per_page=20&page=2"))
        .header("Host", "evil.example")
        .send()
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let link = header(&response, "link");
    let page =
        Page { url: "page 2".into(), triples: parse(RdfFormat::Turtle, &response.bytes().expect("body")) };
    assert_eq!(page.paging_node(), "http://feed.test/registry/catalog.ttl?page=2&per_page=20");
    for (new, old) in
        [("next", "nextPage"), ("previous", "previousPage"), ("first", "firstPage"), ("last", "lastPage")]
    {
        let target = page.link(new, old).expect("a link");
        assert!(target.starts_with("http://feed.test/registry/catalog.ttl?page="), "{target}");
    }
    assert!(link.contains("<http://feed.test/registry/catalog.rdf?page=2&per_page=20>"), "{link}");
    assert!(!link.contains("evil"));
}

#[test]
fn paging_parameters_are_checked() {
    let server = TestServer::demo();
    for (query, status) in [
        ("page=0", 400),
        ("page=-1", 400),
        ("page=x", 400),
        ("per_page=0", 400),
        ("per_page=1001", 400),
        ("per_page=ten", 400),
        ("modified_since=yesterday", 400),
        ("page=2", 404),
        ("per_page=1000", 200),
        ("per_page=1&page=67", 200),
        ("per_page=1&page=68", 404),
    ] {
        let response = get(&server.client, &server.url(&format!("catalog.ttl?{query}")), None);
        let got = response.status().as_u16();
        let text = response.text().expect("body");
        assert_eq!(got, status, "?{query}: {text}");
        if status == 400 {
            assert!(
                text.contains("per_page") || text.contains("page") || text.contains("ISO-8601"),
                "{text}"
            );
        }
    }
}

#[test]
fn head_answers_like_get_with_content_length() {
    let server = TestServer::demo();
    // Without automatic decompression, to see the bytes on the wire.
    let raw = Client::builder().no_gzip().build().expect("client");
    for path in [
        "catalog.ttl",
        "catalog",
        "catalog.jsonld?per_page=5",
        "dataset/btc-du-toan-ngan-sach-nha-nuoc",
        "data.json",
        "catalog/withdrawn",
    ] {
        for encoding in ["identity", "gzip"] {
            let url = server.url(path);
            let head = raw.head(&url).header("Accept-Encoding", encoding).send().expect("HEAD");
            let get = raw.get(&url).header("Accept-Encoding", encoding).send().expect("GET");
            assert_eq!(head.status().as_u16(), 200, "{path}");
            for name in ["content-type", "content-length", "content-encoding", "vary", "link"] {
                assert_eq!(header(&head, name), header(&get, name), "{path} {encoding}: {name}");
            }
            let length: usize = header(&get, "content-length").parse().expect("a Content-Length");
            let encoded = header(&get, "content-encoding");
            let body = get.bytes().expect("body");
            assert_eq!(body.len(), length, "{path} {encoding}");
            assert!(head.bytes().expect("no body").is_empty());
            let text = if encoded == "gzip" {
                assert!(encoding == "gzip");
                let mut out = Vec::new();
                flate2::read::GzDecoder::new(&body[..]).read_to_end(&mut out).expect("gzip");
                out
            } else {
                body.to_vec()
            };
            assert!(String::from_utf8(text).is_ok(), "{path}: UTF-8");
        }
    }
}

#[test]
fn content_types_are_exact_and_forms_agree() {
    let server = TestServer::demo();
    let client = &server.client;
    let mut graphs = Vec::new();
    for (path, accept, expected, format) in [
        ("catalog.ttl?per_page=5", None, "text/turtle", Some(RdfFormat::Turtle)),
        ("catalog.rdf?per_page=5", None, "application/rdf+xml", Some(RdfFormat::RdfXml)),
        ("catalog.jsonld?per_page=5", None, "application/ld+json", Some(JSON_LD)),
        ("catalog.nt?per_page=5", None, "application/n-triples", Some(RdfFormat::NTriples)),
        ("catalog?per_page=5", Some("*/*"), "text/turtle", Some(RdfFormat::Turtle)),
        ("catalog?per_page=5", None, "text/turtle", Some(RdfFormat::Turtle)),
        ("catalog?per_page=5", Some("application/rdf+xml"), "application/rdf+xml", Some(RdfFormat::RdfXml)),
        (
            "catalog?per_page=5",
            Some("text/html,application/xhtml+xml,*/*;q=0.8"),
            "text/html; charset=utf-8",
            None,
        ),
        ("catalog.ttl?per_page=5", Some("text/html"), "text/turtle", Some(RdfFormat::Turtle)),
    ] {
        let mut request = client.get(server.url(path));
        if let Some(accept) = accept {
            request = request.header("Accept", accept);
        }
        let response = request.send().expect("request");
        assert_eq!(response.status().as_u16(), 200, "{path} {accept:?}");
        assert_eq!(header(&response, "content-type"), expected, "{path} {accept:?}");
        let vary = header(&response, "vary");
        if path.starts_with("catalog?") {
            assert_eq!(vary, "Accept, Accept-Encoding", "{path}");
        } else {
            assert_eq!(vary, "Accept-Encoding", "{path}: a suffix URL does not negotiate");
        }
        let body = response.bytes().expect("body");
        match format {
            // The same graph in every form, but for the paging node, named after the URL asked for.
            Some(format) => graphs.push(
                parse(format, &body)
                    .into_iter()
                    .filter(|t| !t.subject.to_string().contains("page="))
                    .map(|t| t.to_string())
                    .collect::<BTreeSet<String>>(),
            ),
            None => assert!(String::from_utf8_lossy(&body).contains("<table>")),
        }
    }
    for g in &graphs[1..] {
        assert!(g.len() > 100);
        assert_eq!(&graphs[0], g, "every form is the same graph");
    }
    let not_acceptable =
        client.get(server.url("catalog")).header("Accept", "image/png").send().expect("request");
    assert_eq!(not_acceptable.status().as_u16(), 406);
}

#[test]
fn records_dereference_in_every_form() {
    let server = TestServer::demo();
    let client = &server.client;
    let iri = server.url("dataset/btc-du-toan-ngan-sach-nha-nuoc");
    let browser = client.get(&iri).header("Accept", "text/html").send().expect("request");
    assert_eq!(browser.status().as_u16(), 200);
    assert_eq!(header(&browser, "content-type"), "text/html; charset=utf-8");
    assert!(header(&browser, "vary").starts_with("Accept"));
    let link = header(&browser, "link");
    for (ext, media) in [
        ("ttl", "text/turtle"),
        ("rdf", "application/rdf+xml"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
    ] {
        assert!(link.contains(&format!("<{iri}.{ext}>; rel=\"alternate\"; type=\"{media}\"")), "{link}");
    }
    let html = browser.text().expect("html");
    assert!(
        html.contains("Dự toán ngân sách nhà nước hằng năm") && html.contains("Bộ Tài chính"),
        "bilingual page with the publisher's name"
    );
    let turtle = get(client, &format!("{iri}.ttl"), None);
    assert_eq!(header(&turtle, "content-type"), "text/turtle");
    let triples = parse(RdfFormat::Turtle, &turtle.bytes().expect("body"));
    let publisher = server.url("publisher/bo-tai-chinh");
    assert!(
        !objects(&triples, &publisher, "http://xmlns.com/foaf/0.1/name").is_empty(),
        "the publisher's description"
    );
    let contact = format!("{iri}#contact");
    assert!(
        !objects(&triples, &contact, "http://www.w3.org/2006/vcard/ns#fn").is_empty(),
        "the contact point"
    );
    let theme = "http://publications.europa.eu/resource/authority/data-theme/ECON";
    assert!(
        !objects(&triples, theme, "http://www.w3.org/2004/02/skos/core#prefLabel").is_empty(),
        "theme labels"
    );
    let negotiated = client.get(&iri).header("Accept", "application/ld+json").send().expect("request");
    assert_eq!(header(&negotiated, "content-type"), "application/ld+json");
    assert_eq!(
        canonical(JSON_LD, &negotiated.bytes().expect("body")),
        canonical(RdfFormat::NTriples, &get(client, &format!("{iri}.nt"), None).bytes().expect("body"))
    );
    // Publishers, services and the catalogue dereference too; /publishers/{id} still works.
    for path in
        ["publisher/bo-tai-chinh", "service/ndxp-dang-ky-doanh-nghiep", "catalog", "publishers/bo-tai-chinh"]
    {
        let response = client.get(server.url(path)).header("Accept", "text/html").send().expect("request");
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let response = get(client, &server.url(path), None);
        assert_eq!(response.status().as_u16(), 200, "{path}");
        assert_eq!(header(&response, "content-type"), "text/turtle", "{path}");
    }
    assert_eq!(get(client, &server.url("dataset/no-such-thing.ttl"), None).status().as_u16(), 404);
}

/// A server (base URL = its own address) with two organisations and a publisher token for each.
struct Registry {
    server: TestServer,
    admin: String,
    a: String,
    b: String,
}

fn registry() -> Registry {
    let data = tempdir().expect("temp");
    let path = data.path().to_str().expect("utf-8").to_owned();
    let output = run_cli(&["token", "create", "--data", &path, "--role", "admin"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let admin = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let server = TestServer::start_on(data, &[]);
    let client = &server.client;
    let mut tokens = Vec::new();
    for (id, vi, en) in [("org-a", "Sở A", "Department A"), ("org-b", "Bộ B", "Ministry B")] {
        let body = serde_json::json!({ "id": id, "name_vi": vi, "name_en": en, "type": "province" });
        let response =
            client.post(server.url("api/orgs")).bearer_auth(&admin).json(&body).send().expect("org");
        assert!(response.status().is_success(), "{}", response.text().unwrap_or_default());
        let body = serde_json::json!({ "role": "publisher", "org": id });
        let response =
            client.post(server.url("api/tokens")).bearer_auth(&admin).json(&body).send().expect("token");
        let json: Value = response.json().expect("json");
        tokens.push(json["token"].as_str().expect("a token").to_owned());
    }
    let b = tokens.pop().expect("b");
    let a = tokens.pop().expect("a");
    Registry { server, admin, a, b }
}

impl Registry {
    #[track_caller]
    fn publish(&self, token: &str, org: &str, title: &str, access: &str) -> String {
        let body = std::fs::read_to_string(fixture("records/feed-dataset.ttl"))
            .expect("fixture")
            .replace("{{BASE}}", &self.server.base)
            .replace("{{ORG}}", org)
            .replace("{{TITLE}}", title)
            .replace("{{ACCESS}}", access);
        let response = self
            .server
            .client
            .post(self.server.url("api/records"))
            .bearer_auth(token)
            .header("Content-Type", "text/turtle")
            .body(body)
            .send()
            .expect("publish");
        let status = response.status().as_u16();
        let json: Value = response.json().expect("json");
        assert_eq!(status, 201, "{json}");
        json["record"]["id"].as_str().expect("id").to_owned()
    }

    fn items(&self, path: &str, token: Option<&str>) -> (u64, Vec<String>) {
        let page = fetch_page(&self.server.client, &self.server.url(path), token);
        let node = page.paging_node();
        let total = integer(&page.triples, &node, &format!("{HYDRA}totalItems"));
        let catalog = if path.starts_with("catalog/") {
            self.server.url(path.split(['.', '?']).next().unwrap_or_default())
        } else {
            self.server.url("catalog")
        };
        (total, page.items(&catalog))
    }
}

#[test]
fn restricted_records_follow_the_viewer() {
    let r = registry();
    let public = r.publish(&r.a, "org-a", "Công khai", "PUBLIC");
    let restricted = r.publish(&r.a, "org-a", "Hạn chế", "RESTRICTED");
    let private = r.publish(&r.a, "org-a", "Không công khai", "NON_PUBLIC");
    let b_public = r.publish(&r.b, "org-b", "Công khai B", "PUBLIC");
    let url = |id: &str| r.server.url(&format!("dataset/{id}"));
    let expect = |ids: &[&str]| {
        let mut v: Vec<String> = ids.iter().map(|id| url(id)).collect();
        v.sort();
        v
    };
    assert_eq!(r.items("catalog.ttl", None), (2, expect(&[&public, &b_public])));
    assert_eq!(r.items("catalog.ttl", Some(&r.b)), (3, expect(&[&public, &restricted, &b_public])));
    assert_eq!(r.items("catalog.ttl", Some(&r.a)), (4, expect(&[&public, &restricted, &private, &b_public])));
    assert_eq!(r.items("catalog.ttl", Some(&r.admin)).0, 4);
    assert_eq!(r.items("catalog/org-a.ttl", None), (1, expect(&[&public])));
    assert_eq!(r.items("catalog/org-a.ttl", Some(&r.a)).0, 3);
    assert_eq!(r.items("catalog/org-b.ttl", Some(&r.a)), (1, expect(&[&b_public])));
    // Nothing of the hidden records leaks into the anonymous pages, the records or data.json.
    let client = &r.server.client;
    let anonymous = get(client, &r.server.url("catalog.nt?per_page=1000"), None).text().expect("body");
    assert!(!anonymous.contains(&restricted) && !anonymous.contains(&private));
    assert_eq!(get(client, &url(&restricted), None).status().as_u16(), 404);
    assert_eq!(get(client, &url(&restricted), Some(&r.b)).status().as_u16(), 200);
    assert_eq!(get(client, &url(&private), Some(&r.b)).status().as_u16(), 404);
    let json: Value = get(client, &r.server.url("data.json"), None).json().expect("json");
    assert_eq!(json["dataset"].as_array().map(Vec::len), Some(2));
    let json: Value =
        get(client, &r.server.url("data.json?publisher=org-a"), Some(&r.a)).json().expect("json");
    let levels: BTreeSet<&str> = json["dataset"]
        .as_array()
        .expect("datasets")
        .iter()
        .filter_map(|d| d["accessLevel"].as_str())
        .collect();
    assert_eq!(levels, BTreeSet::from(["public", "restricted public", "non-public"]));
    // Submitted records (a code list awaiting review) are in no feed, even for their owner.
    let codelist = std::fs::read_to_string(fixture("records/codelist.ttl"))
        .expect("fixture")
        .replace("{{TITLE}}", "Mã thử");
    let response = client
        .post(r.server.url("api/records"))
        .bearer_auth(&r.a)
        .header("Content-Type", "text/turtle")
        .body(codelist)
        .send()
        .expect("post");
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(r.items("catalog.ttl", Some(&r.a)).0, 4);
}

#[test]
fn modified_since_filters_by_registry_change() {
    let r = registry();
    r.publish(&r.a, "org-a", "Một", "PUBLIC");
    let second = r.publish(&r.a, "org-a", "Hai", "PUBLIC");
    let third = r.publish(&r.a, "org-a", "Ba", "PUBLIC");
    // Since the second record's registration: the second and the third.
    let json: Value = get(&r.server.client, &r.server.url(&format!("api/records/{second}")), Some(&r.admin))
        .json()
        .expect("json");
    let since =
        json["record"]["modified"].as_str().or(json["modified"].as_str()).expect("modified").to_owned();
    let (total, items) = r.items(&format!("catalog.ttl?modified_since={}", urlencode(&since)), None);
    let mut expected =
        vec![r.server.url(&format!("dataset/{second}")), r.server.url(&format!("dataset/{third}"))];
    expected.sort();
    assert_eq!((total, items), (2, expected));
    assert_eq!(r.items("catalog.ttl?modified_since=2099-01-01", None).0, 0);
    assert_eq!(r.items("catalog.ttl?modified_since=2000-01-01", None).0, 3);
    assert_eq!(r.items("catalog.ttl?modified_since=2000-01-01T00:00:00%2B07:00", None).0, 3);
    // The filter is carried by the paging links.
    let page =
        fetch_page(&r.server.client, &r.server.url("catalog.ttl?modified_since=2000-01-01&per_page=1"), None);
    let next = page.link("next", "nextPage").expect("next");
    assert!(
        next.contains("modified_since=2000-01-01T00%3A00%3A00Z") && next.contains("per_page=1"),
        "{next}"
    );
}

fn urlencode(text: &str) -> String {
    text.replace(':', "%3A").replace('+', "%2B")
}

#[test]
fn withdrawn_records_answer_410_and_are_listed() {
    let r = registry();
    let kept = r.publish(&r.a, "org-a", "Giữ lại", "PUBLIC");
    let gone = r.publish(&r.a, "org-a", "Thu hồi", "PUBLIC");
    let client = &r.server.client;
    let response =
        client.delete(r.server.url(&format!("api/records/{gone}"))).bearer_auth(&r.a).send().expect("delete");
    assert!(response.status().is_success());
    let iri = r.server.url(&format!("dataset/{gone}"));
    for (path, accept, media) in [
        (iri.clone(), None, "text/turtle"),
        (format!("{iri}.jsonld"), None, "application/ld+json"),
        (iri.clone(), Some("text/html"), "text/html; charset=utf-8"),
    ] {
        let mut request = client.get(&path);
        if let Some(a) = accept {
            request = request.header("Accept", a);
        }
        let response = request.send().expect("request");
        assert_eq!(response.status().as_u16(), 410, "{path}");
        assert_eq!(header(&response, "content-type"), media);
        let body = response.bytes().expect("body");
        if media == "text/turtle" {
            let tombstone = parse(RdfFormat::Turtle, &body);
            assert!(!objects(&tombstone, &iri, "http://www.w3.org/2002/07/owl#deprecated").is_empty());
        }
    }
    assert_eq!(r.items("catalog.ttl", None), (1, vec![r.server.url(&format!("dataset/{kept}"))]));
    let listing = fetch_page(client, &r.server.url("catalog/withdrawn"), None);
    let node = listing.paging_node();
    assert_eq!(integer(&listing.triples, &node, &format!("{HYDRA}totalItems")), 1);
    assert_eq!(objects(&listing.triples, &iri, &format!("{DCT}identifier")).len(), 1);
    assert_eq!(objects(&listing.triples, &iri, &format!("{DCT}modified")).len(), 1);
    assert!(objects(&listing.triples, &r.server.url(&format!("dataset/{kept}")), RDF_TYPE).is_empty());
    let later = fetch_page(client, &r.server.url("catalog/withdrawn.ttl?since=2099-01-01"), None);
    assert_eq!(integer(&later.triples, &later.paging_node(), &format!("{HYDRA}totalItems")), 0);
}

#[test]
fn sub_catalogues_and_data_json() {
    let r = registry();
    r.publish(&r.a, "org-a", "A một", "PUBLIC");
    r.publish(&r.b, "org-b", "B một", "PUBLIC");
    let client = &r.server.client;
    let root = fetch_page(client, &r.server.url("catalog.ttl"), None);
    let parts: BTreeSet<String> = objects(&root.triples, &r.server.url("catalog"), &format!("{DCT}hasPart"))
        .iter()
        .map(|t| t.to_string().trim_matches(['<', '>']).to_owned())
        .collect();
    assert_eq!(parts, BTreeSet::from([r.server.url("catalog/org-a"), r.server.url("catalog/org-b")]));
    for part in &parts {
        assert!(!objects(&root.triples, part, &format!("{DCT}title")).is_empty(), "{part} described");
    }
    let sub = fetch_page(client, &r.server.url("catalog/org-b"), None);
    let catalog = r.server.url("catalog/org-b");
    assert_eq!(
        one_iri(&sub.triples, &catalog, &format!("{DCT}publisher")),
        Some(r.server.url("publisher/org-b"))
    );
    assert_eq!(sub.items(&catalog).len(), 1);
    assert_eq!(get(client, &r.server.url("catalog/no-such-org"), None).status().as_u16(), 404);
    let response = get(client, &r.server.url("data.json"), None);
    assert_eq!(header(&response, "content-type"), "application/json");
    let json: Value = response.json().expect("json");
    assert_eq!(json["conformsTo"], "https://project-open-data.cio.gov/v1.1/schema");
    let datasets = json["dataset"].as_array().expect("dataset array");
    assert_eq!(datasets.len(), 2);
    for d in datasets {
        for field in [
            "title",
            "description",
            "keyword",
            "modified",
            "publisher",
            "contactPoint",
            "identifier",
            "accessLevel",
            "distribution",
            "license",
        ] {
            assert!(!d[field].is_null(), "{field} in {d}");
        }
        assert_eq!(d["publisher"]["@type"], "org:Organization");
        assert!(d["distribution"][0]["downloadURL"].as_str().is_some_and(|u| u.ends_with("data.csv")));
    }
    let b: Value = get(client, &r.server.url("data.json?publisher=org-b"), None).json().expect("json");
    assert_eq!(b["dataset"].as_array().map(Vec::len), Some(1));
    assert_eq!(get(client, &r.server.url("data.json?publisher=nobody"), None).status().as_u16(), 404);
}

#[test]
fn ckanext_dcat_reads_every_dataset_of_a_paged_feed() {
    let python = tools_dir().join("ckan-venv/bin/python");
    if !require_tools("ckanext-dcat", std::slice::from_ref(&python), &[]) {
        return;
    }
    let r = registry();
    for i in 0..13 {
        r.publish(&r.a, "org-a", &format!("Bộ dữ liệu A{i}"), "PUBLIC");
    }
    for i in 0..10 {
        r.publish(&r.b, "org-b", &format!("Bộ dữ liệu B{i}"), "PUBLIC");
    }
    // A restricted one is not in the anonymous feed.
    r.publish(&r.b, "org-b", "Hạn chế", "RESTRICTED");
    let first = OsString::from(r.server.url("catalog.ttl?per_page=5"));
    run_script("ckanext-dcat", &python, &script("ckan_dcat_check.py"), &[first, OsString::from("23")], &[]);
    // The content-negotiated URL with RDF/XML pages too.
    let first = OsString::from(r.server.url("catalog.rdf?per_page=4"));
    run_script("ckanext-dcat", &python, &script("ckan_dcat_check.py"), &[first, OsString::from("23")], &[]);
}

/// A status change that changes who may see a record moves its triples between the views: a code
/// list accepted by an admin joins the public view (what feeds use for the labels of concepts).
#[test]
fn an_accepted_code_list_joins_the_public_view() {
    let r = registry();
    let client = &r.server.client;
    let codelist = std::fs::read_to_string(fixture("records/codelist.ttl"))
        .expect("fixture")
        .replace("{{TITLE}}", "Mã công khai");
    let response = client
        .post(r.server.url("api/records"))
        .bearer_auth(&r.a)
        .header("Content-Type", "text/turtle")
        .body(codelist)
        .send()
        .expect("post");
    assert_eq!(response.status().as_u16(), 201);
    let id = response.json::<Value>().expect("json")["record"]["id"].as_str().expect("id").to_owned();
    let ask = "ASK { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> \"Mã công khai\"@vi }";
    let public = || {
        let (status, _, body) = r.server.sparql_get(ask, "application/sparql-results+json");
        assert_eq!(status, 200);
        body.contains("true")
    };
    assert!(!public(), "a submitted code list is not public");
    let response = client
        .post(r.server.url(&format!("api/records/{id}/status")))
        .bearer_auth(&r.admin)
        .json(&serde_json::json!({ "status": "stable" }))
        .send()
        .expect("status");
    assert!(response.status().is_success(), "{}", response.text().unwrap_or_default());
    assert!(public(), "an accepted code list is public");
}
