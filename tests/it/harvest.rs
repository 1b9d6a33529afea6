//! The harvester against real feeds: a small HTTP server in the test serves DCAT pages (Hydra paging
//! in both styles, Turtle, RDF/XML, JSON-LD, a lying Content-Type, cycles, relative links, server
//! errors, endless paging, a huge literal, a million blank nodes) and a CKAN Action API; the real
//! `danhmuc` binary harvests them through the CLI and through a running server.

use super::common::{TestServer, canonical, header, run_cli, tempdir};
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::Quad;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::common::REGISTRY_BASE as BASE;

// ---------------------------------------------------------------------------------------------
// A feed server: std TCP, one thread per connection, HTTP/1.1 with `Connection: close`.

/// What the feed server answers.
#[derive(Clone)]
enum Body {
    Bytes(Vec<u8>),
    /// `prefix`, then `chunk` `times` times, then `suffix`, streamed without Content-Length.
    Stream {
        prefix: Vec<u8>,
        chunk: Vec<u8>,
        times: usize,
        suffix: Vec<u8>,
    },
}

#[derive(Clone)]
struct Reply {
    status: u16,
    content_type: String,
    body: Body,
    delay: Duration,
}

impl Reply {
    fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status: 200,
            content_type: content_type.into(),
            body: Body::Bytes(body.into()),
            delay: Duration::ZERO,
        }
    }

    fn status(status: u16) -> Self {
        Self {
            status,
            content_type: "text/plain".into(),
            body: Body::Bytes(b"no".to_vec()),
            delay: Duration::ZERO,
        }
    }
}

type Handler = Arc<dyn Fn(&str) -> Reply + Send + Sync>;
type Feed = Box<dyn Fn(&str) -> Reply + Send + Sync>;

struct FeedServer {
    /// `http://127.0.0.1:PORT`
    origin: String,
    handler: Arc<Mutex<Handler>>,
    hits: Arc<Mutex<Vec<String>>>,
}

impl FeedServer {
    fn start(handler: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let origin = format!("http://{}", listener.local_addr().expect("addr"));
        let handler: Arc<Mutex<Handler>> = Arc::new(Mutex::new(Arc::new(handler)));
        let hits = Arc::new(Mutex::new(Vec::new()));
        let (h, k) = (Arc::clone(&handler), Arc::clone(&hits));
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let (h, k) = (Arc::clone(&h), Arc::clone(&k));
                std::thread::spawn(move || serve(stream, &h, &k));
            }
        });
        Self { origin, handler, hits }
    }

    fn set(&self, handler: impl Fn(&str) -> Reply + Send + Sync + 'static) {
        *self.handler.lock().expect("lock") = Arc::new(handler);
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    fn hits(&self) -> Vec<String> {
        self.hits.lock().expect("lock").clone()
    }
}

fn serve(stream: TcpStream, handler: &Mutex<Handler>, hits: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut user_agent = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("user-agent:") {
            user_agent = v.trim().to_owned();
        }
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    hits.lock().expect("lock").push(format!("{target} {user_agent}"));
    let handler = Arc::clone(&handler.lock().expect("lock"));
    let reply = handler(&target);
    std::thread::sleep(reply.delay);
    let mut out = stream;
    let reason = if reply.status == 200 { "OK" } else { "Error" };
    let _ = match &reply.body {
        Body::Bytes(bytes) => write!(
            out,
            "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            reply.status,
            reply.content_type,
            bytes.len()
        )
        .and_then(|()| out.write_all(bytes)),
        Body::Stream { prefix, chunk, times, suffix } => write!(
            out,
            "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nConnection: close\r\n\r\n",
            reply.status, reply.content_type
        )
        .and_then(|()| out.write_all(prefix))
        .and_then(|()| {
            for _ in 0..*times {
                out.write_all(chunk)?;
            }
            Ok(())
        })
        .and_then(|()| out.write_all(suffix)),
    };
    let _ = out.flush();
}

/// The `page` query parameter of a request target.
fn page_of(target: &str) -> Option<usize> {
    target.split(['?', '&']).find_map(|p| p.strip_prefix("page=")).and_then(|p| p.parse().ok())
}

// ---------------------------------------------------------------------------------------------
// Feed content.

const PREFIXES: &str = "@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
@prefix dm: <https://w3id.org/danhmuc/ns#> .
";

/// The IRI of source dataset `n`.
fn ds(n: usize) -> String {
    format!("http://source.test/dataset/{n}")
}

/// A dataset that conforms to DCAT-AP-VN, described the way a feed page describes it.
fn dataset(n: usize, title: &str) -> String {
    let d = ds(n);
    format!(
        "<{d}> a dcat:Dataset ;
    dct:identifier \"{d}\" ;
    dct:title \"{title}\"@vi, \"Dataset {n}\"@en ;
    dct:description \"Bộ dữ liệu số {n}.\"@vi, \"Dataset number {n}.\"@en ;
    dct:publisher <http://source.test/org> ;
    dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
    dm:containsPersonalData false ;
    dct:issued \"2025-01-15\"^^xsd:date ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/GOVE> ;
    dcat:keyword \"thử\"@vi ;
    dcat:contactPoint [ a vcard:Organization ; vcard:fn \"Phòng dữ liệu\"@vi ; vcard:hasEmail <mailto:data@source.test> ] ;
    dcat:distribution <{d}/csv> .
<{d}/csv> a dcat:Distribution ;
    dcat:accessURL <https://source.test/files/{n}.csv> ;
    dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
    dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> .
<http://source.test/org> a foaf:Agent ; foaf:name \"Sở nguồn\"@vi, \"Source department\"@en .
"
    )
}

/// A dataset that breaks the profile (no description, no contact point).
fn invalid_dataset(n: usize) -> String {
    let d = ds(n);
    format!("<{d}> a dcat:Dataset ; dct:identifier \"{d}\" ; dct:title \"Thiếu mô tả\"@vi .\n")
}

/// One Turtle page: the catalogue node, the paging node and the datasets.
fn turtle_page(page_url: &str, paging: &str, datasets: &[(usize, String)]) -> String {
    let mut page = String::from(PREFIXES);
    page.push_str("<http://source.test/catalog> a dcat:Catalog ; dct:title \"Nguồn\"@vi .\n");
    for (n, _) in datasets {
        page.push_str(&format!("<http://source.test/catalog> dcat:dataset <{}> .\n", ds(*n)));
    }
    page.push_str(&format!("<{page_url}> {paging} .\n"));
    for (_, description) in datasets {
        page.push_str(description);
    }
    page
}

/// Re-serialises Turtle in another syntax.
fn convert(turtle: &str, format: RdfFormat) -> Vec<u8> {
    let quads: Vec<Quad> = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(turtle.as_bytes())
        .collect::<Result<_, _>>()
        .expect("test Turtle parses");
    let mut out = RdfSerializer::from_format(format).for_writer(Vec::new());
    for quad in &quads {
        out.serialize_triple(quad.as_ref()).expect("serialises");
    }
    out.finish().expect("finishes")
}

/// The three-page feed: page 1 Turtle (`hydra:PartialCollectionView`, `hydra:next` IRI), page 2
/// RDF/XML served as `text/turtle` (a lie; `hydra:PagedCollection`, `hydra:nextPage` literal), page 3
/// JSON-LD (both types, no next). Datasets 1..=7 valid, 8 invalid; `titles` overrides titles.
fn three_page_feed(
    origin: &str,
    skip: &[usize],
    titles: &[(usize, &str)],
) -> impl Fn(&str) -> Reply + Send + Sync + 'static + use<> {
    let origin = origin.to_owned();
    let skip = skip.to_vec();
    let titles: Vec<(usize, String)> = titles.iter().map(|(n, t)| (*n, (*t).to_owned())).collect();
    move |target: &str| {
        let page = page_of(target).unwrap_or(1);
        let url = |p: usize| format!("{origin}/catalog?page={p}");
        let describe = |n: usize| {
            let title = titles
                .iter()
                .find(|(m, _)| *m == n)
                .map_or_else(|| format!("Bộ dữ liệu {n}"), |(_, t)| t.clone());
            if n == 8 { invalid_dataset(8) } else { dataset(n, &title) }
        };
        let pick = |ns: &[usize]| -> Vec<(usize, String)> {
            ns.iter().filter(|n| !skip.contains(n)).map(|n| (*n, describe(*n))).collect()
        };
        match page {
            1 => Reply::ok(
                "text/turtle; charset=utf-8",
                turtle_page(
                    &url(1),
                    &format!("a hydra:PartialCollectionView ; hydra:next <{}> ; hydra:totalItems 8", url(2)),
                    &pick(&[1, 2, 3]),
                ),
            ),
            2 => Reply::ok(
                "text/turtle",
                convert(
                    &turtle_page(
                        &url(2),
                        &format!(
                            "a hydra:PagedCollection ; hydra:nextPage \"{}\" ; hydra:totalItems \"8\"",
                            url(3)
                        ),
                        &pick(&[4, 5, 6]),
                    ),
                    RdfFormat::RdfXml,
                ),
            ),
            3 => Reply::ok(
                "application/ld+json",
                convert(
                    &turtle_page(
                        &url(3),
                        "a hydra:PagedCollection, hydra:PartialCollectionView ; hydra:totalItems 8",
                        &pick(&[7, 8]),
                    ),
                    RdfFormat::JsonLd { profile: Default::default() },
                ),
            ),
            _ => Reply::status(404),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The registry side.

#[track_caller]
fn cli_ok(data: &Path, args: &[&str]) -> String {
    let output = cli(data, args);
    assert!(output.0 == 0, "{args:?} exited {}: {}{}", output.0, output.1, output.2);
    output.1.trim().to_owned()
}

/// [`registry_cli`](super::common::registry_cli): (exit code, stdout, stderr).
fn cli(data: &Path, args: &[&str]) -> (i32, String, String) {
    let output = super::common::registry_cli(data, args);
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A store with organisation `org-a`.
fn registry() -> super::common::TempDir {
    let data = tempdir().expect("temp");
    cli_ok(data.path(), &["org", "add", "org-a", "--name-vi", "Sở A", "--name-en", "Department A"]);
    data
}

/// `harvest run` with 127.0.0.1 allowed; parses the summary line.
fn harvest(data: &Path, source: &str, extra: &[&str]) -> (i32, Summary, String) {
    let mut args = vec!["harvest", "run", "--harvest-allow", "127.0.0.1"];
    args.extend(extra);
    args.push(source);
    let (code, out, err) = cli(data, &args);
    assert!(code == 0 || code == 1, "harvest run exited {code}: {out}{err}");
    (code, Summary::parse(&out), out)
}

#[derive(Debug, Default, PartialEq)]
struct Summary {
    complete: bool,
    counts: std::collections::BTreeMap<String, usize>,
}

impl Summary {
    fn parse(out: &str) -> Self {
        let line = out.lines().next().unwrap_or_default();
        let mut fields = line.split('\t');
        let _source = fields.next();
        let complete = fields.next() == Some("complete");
        let counts = fields
            .next()
            .unwrap_or_default()
            .split(' ')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.parse().unwrap_or(usize::MAX)))
            .collect();
        Self { complete, counts }
    }

    fn get(&self, key: &str) -> usize {
        self.counts.get(key).copied().unwrap_or(usize::MAX)
    }
}

/// SPARQL as the operator (the CLI), in a result format.
fn query(data: &Path, format: &str, query: &str) -> Vec<u8> {
    let output = run_cli(&["query", "--data", data.to_str().expect("utf-8"), "--format", format, query]);
    assert!(output.status.success(), "{query}: {}", String::from_utf8_lossy(&output.stderr));
    output.stdout
}

/// SPARQL as the operator, JSON results.
fn query_json(data: &Path, text: &str) -> Value {
    serde_json::from_slice(&query(data, "json", text)).expect("JSON results")
}

/// The status of the record whose IRI is `iri` ("" when there is none).
fn status(data: &Path, iri: &str) -> String {
    let json = query_json(
        data,
        &format!(
            "SELECT ?s WHERE {{ GRAPH ?m {{ <{iri}> <https://w3id.org/danhmuc/ns#status> ?s }} FILTER(STRSTARTS(STR(?m), \"urn:danhmuc:meta:\")) }}"
        ),
    );
    json["results"]["bindings"][0]["s"]["value"]
        .as_str()
        .map(|s| s.rsplit("status-").next().unwrap_or_default().to_owned())
        .unwrap_or_default()
}

/// The number of versions of the record `iri`.
fn versions(data: &Path, iri: &str) -> usize {
    let json = query_json(
        data,
        &format!(
            "SELECT (COUNT(?v) AS ?n) WHERE {{ GRAPH ?m {{ <{iri}> <https://w3id.org/danhmuc/ns#hasVersion> ?v }} }}"
        ),
    );
    json["results"]["bindings"][0]["n"]["value"].as_str().and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// A record's graph as N-Triples.
fn record_graph(data: &Path, iri: &str) -> Vec<u8> {
    query(data, "ntriples", &format!("CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"))
}

fn add_source(data: &Path, url: &str, extra: &[&str]) -> String {
    let mut args = vec!["harvest", "add", "--org", "org-a", "--url", url];
    args.extend(extra);
    cli_ok(data, &args)
}

// ---------------------------------------------------------------------------------------------

#[test]
fn a_paged_feed_is_harvested_and_re_harvesting_changes_nothing() {
    let feed = FeedServer::start(|_| Reply::status(503));
    feed.set(three_page_feed(&feed.origin, &[], &[]));
    let data = registry();
    let source = add_source(data.path(), &feed.url("/catalog?page=1"), &[]);
    assert_eq!(source, "org-a");
    let listed = cli_ok(data.path(), &["harvest", "list"]);
    assert!(
        listed.contains("org-a\thttp://registry.test/publisher/org-a\tdcat\tmanual\thttp://127.0.0.1"),
        "{listed}"
    );

    let (code, first, out) = harvest(data.path(), &source, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(first.complete, "{out}");
    assert_eq!((first.get("pages"), first.get("seen"), first.get("created")), (3, 8, 8), "{out}");
    assert_eq!((first.get("invalid"), first.get("retired"), first.get("errors")), (1, 0, 0), "{out}");
    assert!(
        out.contains("warning: ") && out.contains("read as RDF/XML"),
        "the lying Content-Type is reported: {out}"
    );
    assert!(out.contains(&format!("invalid: {}", ds(8))), "the invalid record is listed: {out}");
    // The feed server saw our User-Agent.
    assert!(
        feed.hits().iter().all(|h| h.contains("danhmuc/") && h.contains("(+http://registry.test/)")),
        "{:?}",
        feed.hits()
    );

    // Records keep the source's IRIs; the valid ones are stable, the invalid one is kept as invalid.
    for n in 1..=7 {
        assert_eq!(status(data.path(), &ds(n)), "stable", "dataset {n}");
    }
    assert_eq!(status(data.path(), &ds(8)), "invalid");
    // Each record is the dataset's own description, as the source gave it (isomorphic).
    let expected = format!("{PREFIXES}{}", dataset(5, "Bộ dữ liệu 5"));
    assert_eq!(
        canonical(RdfFormat::NTriples, &record_graph(data.path(), &ds(5))),
        canonical(RdfFormat::Turtle, expected.as_bytes()),
        "dataset 5 (from the RDF/XML page) is stored whole and alone"
    );
    // Provenance: source, time, original IRI, in the source's staff-only graph.
    let prov = query_json(
        data.path(),
        &format!(
            "SELECT ?src ?at ?orig WHERE {{ GRAPH <urn:danhmuc:graph:harvest:org-a:records> {{ <{}> <https://w3id.org/danhmuc/ns#harvestedFrom> ?src ; <https://w3id.org/danhmuc/ns#harvestedAt> ?at ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?orig }} }}",
            ds(3)
        ),
    );
    let row = &prov["results"]["bindings"][0];
    assert_eq!(row["src"]["value"], "urn:danhmuc:harvest:org-a");
    assert_eq!(row["orig"]["value"], ds(3).as_str());

    // A second pass changes nothing: no new version anywhere.
    let (_, second, out) = harvest(data.path(), &source, &[]);
    assert!(second.complete);
    assert_eq!((second.get("created"), second.get("updated"), second.get("unchanged")), (0, 0, 8), "{out}");
    assert_eq!(versions(data.path(), &ds(1)), 1);

    // One dataset changes: one new version. One disappears: withdrawn after this complete pass.
    feed.set(three_page_feed(&feed.origin, &[6], &[(2, "Tên mới")]));
    let (_, third, out) = harvest(data.path(), &source, &[]);
    assert!(third.complete, "{out}");
    assert_eq!((third.get("updated"), third.get("unchanged"), third.get("retired")), (1, 6, 1), "{out}");
    assert_eq!(versions(data.path(), &ds(2)), 2);
    assert_eq!(status(data.path(), &ds(6)), "retired");
    assert!(out.contains(&ds(6)) || third.get("retired") == 1);

    // The report was stored: a server shows it to staff, as JSON and as a page.
    let admin = cli_ok(data.path(), &["token", "create", "--role", "admin"]);
    let server = TestServer::start_on(data, &["--base-url", BASE]);
    let response = server
        .client
        .get(server.url("harvest/org-a?lang=en"))
        .bearer_auth(&admin)
        .header("Accept", "application/json")
        .send()
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let view: Value = response.json().expect("json");
    let runs = view["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 3);
    assert_eq!(runs[0]["retired"], 1, "newest first");
    assert_eq!(runs[2]["created"], 8);
    assert_eq!(runs[2]["invalid_records"][0]["iri"], ds(8).as_str());
    let page = server
        .client
        .get(server.url("harvest/org-a?lang=en"))
        .bearer_auth(&admin)
        .header("Accept", "text/html")
        .send()
        .expect("request");
    assert!(header(&page, "content-type").starts_with("text/html"));
    let html = page.text().expect("html");
    // (minijinja escapes `/` in text as `&#x2f;`.)
    let escaped = |iri: String| iri.replace('/', "&#x2f;");
    assert!(
        html.contains("complete") && html.contains(&escaped(ds(8))) && html.contains(&escaped(ds(6))),
        "{html}"
    );
    // Invalid records are seen by their owner and staff, never by anonymous readers.
    let anonymous = server.count(&format!("SELECT (COUNT(*) AS ?n) WHERE {{ <{}> ?p ?o }}", ds(8)));
    assert_eq!(anonymous, 0);
    assert!(server.count(&format!("SELECT (COUNT(*) AS ?n) WHERE {{ <{}> ?p ?o }}", ds(1))) > 0);
    assert_eq!(
        server.client.get(server.url("harvest/org-a?lang=en")).send().expect("request").status().as_u16(),
        401,
        "reports are not public"
    );
}

/// A two-page feed: page 1 holds `first` datasets, page 2 answers `second`.
fn two_pages<F: Fn() -> Reply + Send + Sync + 'static>(
    origin: &str,
    first: Vec<usize>,
    next: &str,
    second: F,
) -> impl Fn(&str) -> Reply + Send + Sync + 'static + use<F> {
    let origin = origin.to_owned();
    let next = next.to_owned();
    move |target: &str| match page_of(target).unwrap_or(1) {
        1 => {
            let datasets: Vec<(usize, String)> =
                first.iter().map(|n| (*n, dataset(*n, &format!("Bộ dữ liệu {n}")))).collect();
            let next = next.replace("{origin}", &origin);
            Reply::ok(
                "text/turtle",
                turtle_page(
                    &format!("{origin}/catalog?page=1"),
                    &format!("a hydra:PartialCollectionView ; hydra:next {next}"),
                    &datasets,
                ),
            )
        }
        _ => second(),
    }
}

fn good_page_two(origin: &str) -> Reply {
    Reply::ok(
        "text/turtle",
        turtle_page(
            &format!("{origin}/catalog?page=2"),
            "a hydra:PartialCollectionView",
            &[(3, dataset(3, "Bộ dữ liệu 3")), (4, dataset(4, "Bộ dữ liệu 4"))],
        ),
    )
}

#[test]
fn a_failed_or_partial_pass_withdraws_nothing() {
    let feed = FeedServer::start(|_| Reply::status(503));
    let origin = feed.origin.clone();
    let o = origin.clone();
    feed.set(two_pages(&origin, vec![1, 2], "<{origin}/catalog?page=2>", move || good_page_two(&o)));
    let data = registry();
    let source = add_source(data.path(), &feed.url("/catalog?page=1"), &[]);
    let (code, full, out) = harvest(data.path(), &source, &[]);
    assert_eq!((code, full.complete, full.get("created")), (0, true, 4), "{out}");

    // From now on dataset 1 is gone from page 1, and page 2 fails in a different way each time:
    // a complete pass would withdraw dataset 1, a partial one must not.
    let o = origin.clone();
    let cases: Vec<(&str, Feed, Vec<&str>, &str)> = vec![
        (
            "a server error mid-way",
            Box::new(two_pages(&origin, vec![2], "<{origin}/catalog?page=2>", || Reply::status(500))),
            vec![],
            "HTTP 500",
        ),
        (
            "a paging cycle",
            Box::new(two_pages(&origin, vec![2], "<{origin}/catalog?page=2>", {
                let o = o.clone();
                move || {
                    Reply::ok(
                        "text/turtle",
                        turtle_page(
                            &format!("{o}/catalog?page=2"),
                            &format!("hydra:next <{o}/catalog?page=1>"),
                            &[(3, dataset(3, "Bộ dữ liệu 3"))],
                        ),
                    )
                }
            })),
            vec![],
            "paging cycle",
        ),
        (
            "a relative next link",
            Box::new(two_pages(&origin, vec![2], "\"?page=2\"", {
                let o = o.clone();
                move || good_page_two(&o)
            })),
            vec![],
            "relative paging links are refused",
        ),
        (
            "endless paging",
            Box::new({
                let o = o.clone();
                move |target: &str| {
                    let page = page_of(target).unwrap_or(1);
                    let datasets =
                        if page == 1 { vec![(2, dataset(2, "Bộ dữ liệu 2"))] } else { vec![] };
                    Reply::ok(
                        "text/turtle",
                        turtle_page(
                            &format!("{o}/catalog?page={page}"),
                            &format!("hydra:next <{o}/catalog?page={}>", page + 1),
                            &datasets,
                        ),
                    )
                }
            }),
            vec!["--harvest-max-pages", "5"],
            "the page cap",
        ),
        (
            "a huge literal",
            Box::new(two_pages(&origin, vec![2], "<{origin}/catalog?page=2>", || Reply {
                status: 200,
                content_type: "text/turtle".into(),
                body: Body::Stream {
                    prefix: format!("<{}> <http://purl.org/dc/terms/description> \"", ds(3)).into_bytes(),
                    chunk: vec![b'x'; 64 * 1024],
                    times: 128,
                    suffix: b"\" .\n".to_vec(),
                },
                delay: Duration::ZERO,
            })),
            vec!["--harvest-max-bytes", "4000000"],
            "larger than the limit of 4000000 bytes",
        ),
        (
            "a million blank nodes",
            Box::new(two_pages(&origin, vec![2], "<{origin}/catalog?page=2>", || Reply {
                status: 200,
                content_type: "text/turtle".into(),
                body: Body::Stream {
                    prefix: format!(
                        "@prefix : <http://x.test/> . <{}> a <http://www.w3.org/ns/dcat#Dataset> .\n",
                        ds(3)
                    )
                    .into_bytes(),
                    chunk: format!("<{}> :p [] .\n", ds(3)).into_bytes(),
                    times: 1_000_000,
                    suffix: Vec::new(),
                },
                delay: Duration::ZERO,
            })),
            vec!["--harvest-max-bytes", "64000000"],
            "more than 200000 triples in one page",
        ),
    ];
    for (what, handler, extra, message) in cases {
        feed.set(handler);
        let started = Instant::now();
        let (code, summary, out) = harvest(data.path(), &source, &extra);
        assert_eq!(code, 1, "{what}: a partial pass exits 1: {out}");
        assert!(!summary.complete, "{what}: {out}");
        assert_eq!(summary.get("retired"), 0, "{what}: {out}");
        assert!(out.contains(message), "{what}: the report says why ({message}): {out}");
        assert!(out.contains("partial pass, nothing withdrawn"), "{what}: {out}");
        assert_eq!(status(data.path(), &ds(1)), "stable", "{what}: dataset 1 is still there");
        assert!(started.elapsed() < Duration::from_secs(60), "{what}: bounded in time");
    }

    // A record too large to keep is skipped but still counts as present: a complete pass that skips
    // dataset 3 withdraws dataset 1 (really gone) and not dataset 3.
    let o = origin.clone();
    feed.set(two_pages(&origin, vec![2], "<{origin}/catalog?page=2>", move || {
        let mut big = dataset(3, "Bộ dữ liệu 3");
        for _ in 0..20_000 {
            big.push_str(&format!("<{}> <http://x.test/p> [] .\n", ds(3)));
        }
        Reply::ok(
            "text/turtle",
            turtle_page(
                &format!("{o}/catalog?page=2"),
                "a hydra:PartialCollectionView",
                &[(3, big), (4, dataset(4, "Bộ dữ liệu 4"))],
            ),
        )
    }));
    let (code, summary, out) = harvest(data.path(), &source, &[]);
    assert_eq!((code, summary.complete), (0, true), "{out}");
    assert_eq!((summary.get("skipped"), summary.get("retired")), (1, 1), "{out}");
    assert!(out.contains("more than 10000 triples"), "{out}");
    assert_eq!(status(data.path(), &ds(1)), "retired");
    assert_eq!(status(data.path(), &ds(3)), "stable");
}

#[test]
fn loopback_private_and_non_http_sources_are_refused() {
    let feed = FeedServer::start(|_| Reply::status(503));
    let origin = feed.origin.clone();
    feed.set(three_page_feed(&origin, &[], &[]));
    let data = registry();
    // Not allow-listed: the IP literal is refused before connecting, and so is a name resolving to it.
    let by_ip = add_source(data.path(), &feed.url("/catalog?page=1"), &["--id", "by-ip"]);
    let by_name = add_source(
        data.path(),
        &feed.url("/catalog?page=1").replace("127.0.0.1", "localhost"),
        &["--id", "by-name"],
    );
    for source in [&by_ip, &by_name] {
        let (code, out, err) = cli(data.path(), &["harvest", "run", source]);
        assert_eq!(code, 1, "{out}{err}");
        assert!(
            out.contains("loopback address; the harvester refuses it unless it is allow-listed"),
            "{out}"
        );
        assert!(out.contains("partial"), "{out}");
    }
    assert!(feed.hits().is_empty(), "nothing was fetched: {:?}", feed.hits());
    // Allow-listed, the name works.
    let (_, summary, out) = harvest(data.path(), &by_name, &[]);
    assert!(summary.complete, "{out}");
    // Only http(s), and only known organisations; errors are one line with exit code 2.
    for (args, message) in [
        (vec!["--url", "file:///etc/passwd"], "only http and https"),
        (vec!["--url", "ftp://x.example/"], "only http and https"),
        (vec!["--url", "not a url"], "is not a URL"),
    ] {
        let mut all = vec!["harvest", "add", "--org", "org-a"];
        all.extend(args);
        let (code, _, err) = cli(data.path(), &all);
        assert_eq!(code, 2);
        assert!(
            err.starts_with("danhmuc: ") && err.contains(message) && err.trim().lines().count() == 1,
            "{err}"
        );
    }
    let (code, _, err) =
        cli(data.path(), &["harvest", "add", "--org", "nobody", "--url", "http://x.example/"]);
    assert_eq!(code, 2);
    assert!(err.contains("no organisation nobody"), "{err}");
    let (code, _, err) = cli(data.path(), &["harvest", "run", "missing"]);
    assert_eq!(code, 2);
    assert!(err.contains("no harvest source missing"), "{err}");
}

#[test]
fn a_ckan_site_is_harvested_through_package_search() {
    let packages: Vec<Value> = (1..=5)
        .map(|n| {
            serde_json::json!({
                "id": format!("pkg-{n}"), "name": format!("air-{n}"), "title": format!("Air quality {n}"),
                "notes": "Hourly readings", "url": "https://air.example/",
                "metadata_created": "2024-01-02T03:04:05", "metadata_modified": "2024-02-03T04:05:06",
                "license_url": "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
                "tags": [{"name": "air"}, {"name": "health"}],
                "maintainer": "Data desk", "maintainer_email": "data@air.example",
                "organization": {"name": "env", "title": "Environment Agency"},
                "resources": [{"id": format!("r{n}"), "url": format!("https://air.example/{n}.csv"), "format": "CSV", "name": "CSV"}]
            })
        })
        .collect();
    let feed = FeedServer::start(move |target: &str| {
        if !target.starts_with("/ckan/api/3/action/package_search?") {
            return Reply::status(404);
        }
        let start: usize = target
            .split(['?', '&'])
            .find_map(|p| p.strip_prefix("start="))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let page: Vec<&Value> = packages.iter().skip(start).take(2).collect();
        Reply::ok(
            "application/json",
            serde_json::json!({"success": true, "result": {"count": 5, "results": page}}).to_string(),
        )
    });
    let data = registry();
    let source = add_source(data.path(), &feed.url("/ckan"), &["--kind", "ckan"]);
    let (code, summary, out) = harvest(data.path(), &source, &[]);
    assert!(code <= 1, "{out}");
    assert!(summary.complete, "{out}");
    assert_eq!((summary.get("pages"), summary.get("seen"), summary.get("created")), (3, 5, 5), "{out}");
    let iri = feed.url("/ckan/dataset/pkg-2");
    let graph = String::from_utf8(record_graph(data.path(), &iri)).expect("utf-8");
    for expected in [
        format!("<{iri}> <http://purl.org/dc/terms/title> \"Air quality 2\""),
        format!("<{iri}> <http://purl.org/dc/terms/description> \"Hourly readings\""),
        format!("<{iri}> <http://purl.org/dc/terms/identifier> \"pkg-2\""),
        format!("<{iri}> <http://www.w3.org/ns/dcat#keyword> \"health\""),
        format!(
            "<{iri}> <http://purl.org/dc/terms/issued> \"2024-01-02T03:04:05\"^^<http://www.w3.org/2001/XMLSchema#dateTime>"
        ),
        format!(
            "<{iri}> <http://purl.org/dc/terms/modified> \"2024-02-03T04:05:06\"^^<http://www.w3.org/2001/XMLSchema#dateTime>"
        ),
        format!("<{iri}> <http://purl.org/dc/terms/publisher> <{}>", feed.url("/ckan/organization/env")),
        format!(
            "<{}> <http://xmlns.com/foaf/0.1/name> \"Environment Agency\"",
            feed.url("/ckan/organization/env")
        ),
        format!(
            "<{iri}> <http://www.w3.org/ns/dcat#distribution> <{}>",
            feed.url("/ckan/dataset/pkg-2/resource/r2")
        ),
        format!(
            "<{}> <http://www.w3.org/ns/dcat#accessURL> <https://air.example/2.csv>",
            feed.url("/ckan/dataset/pkg-2/resource/r2")
        ),
        format!(
            "<{}> <http://purl.org/dc/terms/format> \"CSV\"",
            feed.url("/ckan/dataset/pkg-2/resource/r2")
        ),
        format!(
            "<{}> <http://purl.org/dc/terms/license> <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0>",
            feed.url("/ckan/dataset/pkg-2/resource/r2")
        ),
    ] {
        assert!(graph.contains(&expected), "missing {expected} in\n{graph}");
    }
    // CKAN's own descriptions lack what DCAT-AP-VN makes mandatory (Vietnamese titles, access
    // rights…): the records are kept, as invalid, and listed.
    assert_eq!(summary.get("invalid"), 5, "{out}");
    assert_eq!(status(data.path(), &iri), "invalid");
    assert!(feed.hits().iter().all(|h| h.contains("rows=100") && h.contains("start=")), "{:?}", feed.hits());
    // Re-harvest: unchanged.
    let (_, again, out) = harvest(data.path(), &source, &[]);
    assert_eq!((again.get("unchanged"), again.get("created"), again.get("updated")), (5, 0, 0), "{out}");
}

#[test]
fn stewards_manage_sources_over_http_and_serve_runs_them_on_schedule() {
    let feed = FeedServer::start(|_| Reply::status(503));
    let origin = feed.origin.clone();
    feed.set(three_page_feed(&origin, &[], &[]));
    let slow = FeedServer::start(|_| Reply::status(503));
    let slow_origin = slow.origin.clone();
    let o = slow_origin.clone();
    slow.set(move |target: &str| {
        // Datasets 11 to 14 (datasets 1 to 8 belong to the other source).
        let page = page_of(target).unwrap_or(1);
        let (ns, paging) = if page == 1 {
            ([11, 12], format!("a hydra:PartialCollectionView ; hydra:next <{o}/catalog?page=2>"))
        } else {
            ([13, 14], "a hydra:PartialCollectionView".to_owned())
        };
        let datasets: Vec<(usize, String)> =
            ns.iter().map(|n| (*n, dataset(*n, &format!("Bộ dữ liệu {n}")))).collect();
        let mut reply =
            Reply::ok("text/turtle", turtle_page(&format!("{o}/catalog?page={page}"), &paging, &datasets));
        reply.delay = Duration::from_secs(3);
        reply
    });
    let data = registry();
    cli_ok(data.path(), &["org", "add", "org-b", "--name-vi", "Bộ B", "--name-en", "Ministry B"]);
    let steward = cli_ok(data.path(), &["token", "create", "--role", "steward"]);
    let publisher = cli_ok(data.path(), &["token", "create", "--role", "publisher", "--org", "org-a"]);
    let other = cli_ok(data.path(), &["token", "create", "--role", "publisher", "--org", "org-b"]);
    let server = TestServer::start_on(data, &["--base-url", BASE, "--harvest-allow", "127.0.0.1"]);
    let post = |token: Option<&str>, body: Value| {
        let request = server.client.post(server.url("api/harvest/sources")).json(&body);
        let request = match token {
            Some(t) => request.bearer_auth(t),
            None => request,
        };
        let response = request.send().expect("request");
        let status = response.status().as_u16();
        (status, response.text().expect("body"))
    };
    let scheduled = serde_json::json!({ "org": "org-a", "url": format!("{origin}/catalog?page=1"), "every": "2s", "id": "scheduled" });
    assert_eq!(post(None, scheduled.clone()).0, 401);
    assert_eq!(post(Some(&publisher), scheduled.clone()).0, 403, "publishers do not manage sources");
    assert_eq!(
        post(Some(&steward), serde_json::json!({ "org": "nobody", "url": "http://x.example/" })).0,
        400
    );
    assert_eq!(
        post(
            Some(&steward),
            serde_json::json!({ "org": "org-a", "url": "http://x.example/", "every": "soon" })
        )
        .0,
        400
    );
    let (status, body) = post(Some(&steward), scheduled.clone());
    assert_eq!(status, 201, "{body}");
    assert_eq!(post(Some(&steward), scheduled).0, 409, "the id is taken");
    let (status, body) = post(
        Some(&steward),
        serde_json::json!({ "org": "org-b", "url": format!("{slow_origin}/catalog?page=1"), "id": "slow" }),
    );
    assert_eq!(status, 201, "{body}");

    // The schedule runs `scheduled` without being asked.
    let deadline = Instant::now() + Duration::from_secs(60);
    let runs = loop {
        let view: Value = server
            .client
            .get(server.url("api/harvest/sources/scheduled"))
            .bearer_auth(&steward)
            .send()
            .expect("request")
            .json()
            .expect("json");
        let runs = view["runs"].as_array().cloned().unwrap_or_default();
        if runs.len() >= 2 || Instant::now() > deadline {
            break runs;
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    assert!(runs.len() >= 2, "two scheduled runs within a minute: {runs:?}");
    assert_eq!(runs.last().expect("first run")["created"], 8);
    assert_eq!(runs[0]["unchanged"], 8, "later runs change nothing");

    // A slow run holds no one up, and a second run of the same source is refused while it goes on.
    let slow_run = {
        let client = server.client.clone();
        let url = server.url("api/harvest/sources/slow/run");
        let token = steward.clone();
        std::thread::spawn(move || {
            let response = client.post(url).bearer_auth(token).send().expect("request");
            (response.status().as_u16(), response.json::<Value>().unwrap_or(Value::Null))
        })
    };
    std::thread::sleep(Duration::from_millis(1000));
    let started = Instant::now();
    assert_eq!(server.client.get(server.url("health")).send().expect("request").status().as_u16(), 200);
    assert!(started.elapsed() < Duration::from_secs(1), "the server answers during a run");
    let again = server
        .client
        .post(server.url("api/harvest/sources/slow/run"))
        .bearer_auth(&steward)
        .send()
        .expect("request");
    assert_eq!(again.status().as_u16(), 409, "runs of one source never overlap");
    let (status, report) = slow_run.join().expect("the run");
    assert_eq!(status, 200, "{report}");
    assert_eq!((report["complete"].as_bool(), report["created"].as_u64()), (Some(true), Some(4)), "{report}");
    assert!(slow.hits().len() >= 2);

    // Who sees what: staff every source, a publisher its own organisation's.
    let list = |token: &str| -> Vec<String> {
        let sources: Value = server
            .client
            .get(server.url("api/harvest/sources"))
            .bearer_auth(token)
            .send()
            .expect("request")
            .json()
            .expect("json");
        sources
            .as_array()
            .expect("list")
            .iter()
            .map(|s| s["id"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(list(&steward), vec!["scheduled", "slow"]);
    assert_eq!(list(&publisher), vec!["scheduled"]);
    assert_eq!(list(&other), vec!["slow"]);
    let hidden = server
        .client
        .get(server.url("harvest/slow"))
        .bearer_auth(&publisher)
        .header("Accept", "application/json")
        .send()
        .expect("request");
    assert_eq!(hidden.status().as_u16(), 404);
    let run_as_publisher = server
        .client
        .post(server.url("api/harvest/sources/scheduled/run"))
        .bearer_auth(&publisher)
        .send()
        .expect("request");
    assert_eq!(run_as_publisher.status().as_u16(), 403);
    // Harvested records are the organisation's own: versions and audit work as for any record.
    let records: Value = server
        .client
        .get(server.url("api/records?publisher=org-a&type=dataset"))
        .bearer_auth(&publisher)
        .send()
        .expect("request")
        .json()
        .expect("json");
    assert_eq!(records["total"], 8, "{records}");
    assert!(
        records["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|r| r["iri"] == ds(8).as_str() && r["status"] == "invalid")
    );
}

/// The round trip of issue 5 between two real danhmuc servers: A serves its catalogue feed
/// (`/catalog`, Hydra paging), B harvests it. Needs the feed (branch `feed`): until it is merged,
/// A answers `/catalog` without Hydra paging and this test skips with a reason (and fails when
/// `CI=true`).
#[test]
fn round_trip_between_two_danhmuc_servers() {
    let port = TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let a_base = format!("http://127.0.0.1:{port}/");
    let a_data = tempdir().expect("temp");
    let a_cli = |args: &[&str]| {
        let mut all = vec![args[0], args[1]];
        all.extend(["--data", a_data.path().to_str().expect("utf-8"), "--base-url", &a_base]);
        all.extend(&args[2..]);
        let output = run_cli(&all);
        assert!(output.status.success(), "{all:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    };
    a_cli(&["org", "add", "org-a", "--name-vi", "Sở A", "--name-en", "Department A"]);
    let a_token = a_cli(&["token", "create", "--role", "publisher", "--org", "org-a"]);
    let a = FixedPortServer::start(a_data, port);

    // Probe: does A serve a Hydra-paged feed?
    let probe = a.client.get(a.url("catalog")).header("Accept", "text/turtle").send().expect("request");
    let probe_status = probe.status().as_u16();
    let probe_body = probe.text().unwrap_or_default();
    if probe_status != 200
        || !probe_body.contains("http://www.w3.org/ns/hydra/core#") && !probe_body.contains("hydra:")
    {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "A answers /catalog with {probe_status} and no Hydra paging: the DCAT feed (branch feed) is missing and CI=true"
        );
        let _ = writeln!(
            std::io::stderr(),
            "skipped: A answers /catalog with {probe_status} and no Hydra paging (the feed of branch `feed` is not merged yet)"
        );
        return;
    }

    // A holds 150 datasets (two pages of 100).
    let mut catalogue = String::from(PREFIXES);
    for n in 1..=150 {
        catalogue.push_str(
            &dataset(n, &format!("Bộ dữ liệu {n}"))
                .replace("http://source.test/org", &format!("{a_base}publisher/org-a"))
                .replace(&format!("<{}>", ds(n)), &format!("<#d{n}>"))
                .replace(&format!("\"{}\"", ds(n)), &format!("\"d{n}\""))
                .replace(&format!("<{}/csv>", ds(n)), &format!("<#d{n}-csv>")),
        );
    }
    let catalogue = catalogue.replace(
        &format!(
            "<{a_base}publisher/org-a> a foaf:Agent ; foaf:name \"Sở nguồn\"@vi, \"Source department\"@en .\n"
        ),
        "",
    );
    let response = a
        .client
        .post(a.url("api/catalogues"))
        .bearer_auth(&a_token)
        .header("Content-Type", "text/turtle")
        .body(catalogue)
        .send()
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let results: Value = response.json().expect("json");
    let created =
        results["results"].as_array().expect("results").iter().filter(|r| r["result"] == "created").count();
    assert_eq!(created, 150, "{results}");
    let listed: Value = a
        .client
        .get(a.url("api/records?type=dataset&per_page=1000"))
        .send()
        .expect("request")
        .json()
        .expect("json");
    let a_records: Vec<(String, String)> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap_or_default().to_owned(),
                r["iri"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(a_records.len(), 150);

    // B harvests A.
    let b = registry();
    let source = add_source(b.path(), &a.url("catalog"), &[]);
    let (code, first, out) = harvest(b.path(), &source, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(first.complete && first.get("pages") >= 2, "{out}");
    assert_eq!((first.get("created"), first.get("invalid"), first.get("errors")), (150, 0, 0), "{out}");
    // Same records, isomorphic graphs (B's copy also carries A's publisher description, which the
    // feed puts beside each dataset; it is set aside before comparing).
    for (_, iri) in a_records.iter().take(10) {
        let a_graph = a
            .client
            .get(a.url("sparql"))
            .query(&[("query", format!("CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"))])
            .header("Accept", "application/n-triples")
            .send()
            .expect("request")
            .bytes()
            .expect("body");
        let b_graph = String::from_utf8(record_graph(b.path(), iri)).expect("utf-8");
        // B's copy also carries what A's feed puts beside each dataset for readers (its publisher's
        // description, labels of the vocabulary terms it uses): keep only the subjects of A's graph.
        let a_text = String::from_utf8_lossy(&a_graph);
        let a_subjects: std::collections::HashSet<&str> = a_text
            .lines()
            .filter(|l| l.starts_with('<'))
            .filter_map(|l| l.split_once(' ').map(|(s, _)| s))
            .collect();
        let b_own: String = b_graph
            .lines()
            .filter(|l| !l.starts_with('<') || l.split_once(' ').is_some_and(|(s, _)| a_subjects.contains(s)))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(
            canonical(RdfFormat::NTriples, b_own.as_bytes()),
            canonical(RdfFormat::NTriples, &a_graph),
            "{iri}"
        );
        assert_eq!(status(b.path(), iri), "stable");
    }
    // A second run changes nothing.
    let (_, second, out) = harvest(b.path(), &source, &[]);
    assert_eq!((second.get("unchanged"), second.get("created"), second.get("updated")), (150, 0, 0), "{out}");
    // A dataset withdrawn on A is retired on B after the next complete pass.
    let (gone_id, gone_iri) = a_records[42].clone();
    let response = a
        .client
        .delete(a.url(&format!("api/records/{gone_id}")))
        .bearer_auth(&a_token)
        .send()
        .expect("request");
    assert_eq!(response.status().as_u16(), 204);
    let (_, third, out) = harvest(b.path(), &source, &[]);
    assert!(third.complete, "{out}");
    assert_eq!(third.get("retired"), 1, "{out}");
    assert_eq!(status(b.path(), &gone_iri), "retired");

    // On B's portal, a harvested dataset (A's IRI) is found by search and its page is B's own.
    let b = TestServer::start_on(b, &[]);
    let found: Value = b
        .client
        .get(b.url("api/search"))
        .query(&[("q", "Bộ dữ liệu 7"), ("kind", "dataset")])
        .send()
        .expect("search")
        .json()
        .expect("json");
    let hit = &found["hits"][0];
    let url = hit["url"].as_str().expect("a hit with a url");
    assert!(url.starts_with(&b.base) && !hit["iri"].as_str().expect("iri").starts_with(&b.base), "{hit}");
    let page = b.client.get(url).header("Accept", "text/html").send().expect("page");
    assert_eq!(page.status().as_u16(), 200, "{url}");
    let html = page.text().expect("html");
    assert!(html.contains(hit["title_vi"].as_str().expect("title")), "{html}");
}

/// A `danhmuc serve` on a port chosen beforehand, so that its base URL (which its feed's links are
/// built from) is the address it is reached at. Killed on drop.
struct FixedPortServer {
    child: std::process::Child,
    base: String,
    client: reqwest::blocking::Client,
    _data: super::common::TempDir,
}

impl FixedPortServer {
    fn start(data: super::common::TempDir, port: u16) -> Self {
        let base = format!("http://127.0.0.1:{port}/");
        let mut child = std::process::Command::new(super::common::binary())
            .arg("serve")
            .arg("--data")
            .arg(data.path())
            .args(["--bind", &format!("127.0.0.1:{port}"), "--base-url", &base])
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("the server starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let started =
            lines.next().and_then(Result::ok).is_some_and(|l| l.starts_with("danhmuc: listening on "));
        assert!(started, "server A did not start");
        std::thread::spawn(move || for _ in lines {});
        let client =
            reqwest::blocking::Client::builder().timeout(Duration::from_secs(120)).build().expect("client");
        Self { child, base, client, _data: data }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for FixedPortServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
