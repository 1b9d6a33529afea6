//! The SPARQL 1.1 Protocol endpoint against a real server: protocol variants, formats, negotiation,
//! limits, visibility, and the service description.

use super::common::{TestServer, canonical, header};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, Term};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput};
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

const DCAT_DATASET: &str = "http://www.w3.org/ns/dcat#Dataset";
const ACCESS_RIGHTS: &str = "http://purl.org/dc/terms/accessRights";
const PUBLIC: &str = "http://publications.europa.eu/resource/authority/access-right/PUBLIC";

/// The demo as the test reads it from `demo/*.trig`, independently of the server.
struct Demo {
    /// Record graph → its triple count.
    graphs: BTreeMap<NamedNode, usize>,
    /// Dataset records anyone may see.
    public_datasets: BTreeSet<NamedNode>,
    /// Dataset records with access rights other than PUBLIC.
    hidden_datasets: BTreeSet<NamedNode>,
}

fn read_demo(base: &str) -> Demo {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("demo");
    let mut graphs = BTreeMap::new();
    let mut datasets = BTreeSet::new();
    let mut rights = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("demo/ exists") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "trig") {
            continue;
        }
        let content = std::fs::read(&path).expect("readable");
        let parser = RdfParser::from_format(RdfFormat::TriG).with_base_iri(base).expect("base");
        for quad in parser.for_slice(&content) {
            let quad = quad.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let GraphName::NamedNode(g) = quad.graph_name.clone() else { continue };
            *graphs.entry(g.clone()).or_insert(0) += 1;
            if quad.subject.to_string() == format!("<{}>", g.as_str()) {
                if quad.predicate.as_str() == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
                    && quad.object == Term::NamedNode(NamedNode::new_unchecked(DCAT_DATASET))
                {
                    datasets.insert(g.clone());
                }
                if quad.predicate.as_str() == ACCESS_RIGHTS {
                    rights.insert(g.clone(), quad.object.to_string());
                }
            }
        }
    }
    let (public_datasets, hidden_datasets) =
        datasets.into_iter().partition(|d| rights.get(d).is_none_or(|r| *r == format!("<{PUBLIC}>")));
    Demo { graphs, public_datasets, hidden_datasets }
}

fn solutions(format: QueryResultsFormat, body: &str) -> Vec<BTreeMap<String, Term>> {
    match QueryResultsParser::from_format(format).for_slice(body.as_bytes()).expect("parseable results") {
        SliceQueryResultsParserOutput::Solutions(solutions) => solutions
            .map(|s| s.expect("solution").iter().map(|(v, t)| (v.as_str().to_owned(), t.clone())).collect())
            .collect(),
        SliceQueryResultsParserOutput::Boolean(_) => panic!("expected solutions"),
    }
}

fn boolean(server: &TestServer, query: &str) -> bool {
    let (status, _, body) = server.sparql_get(query, "application/sparql-results+json");
    assert_eq!(status, 200, "body: {body}");
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    json["boolean"].as_bool().unwrap_or_else(|| panic!("not an ASK answer: {body}"))
}

#[test]
fn demo_dataset_count_is_the_public_demo_datasets() {
    let server = TestServer::demo();
    let demo = read_demo(&server.base);
    assert!(demo.public_datasets.len() >= 40, "the demo should look alive");
    assert!(!demo.hidden_datasets.is_empty(), "the demo has restricted records");
    // The README's own example query.
    let url = format!(
        "{}?query=SELECT(COUNT(*)AS?n){{?d a <http://www.w3.org/ns/dcat%23Dataset>}}",
        server.url("sparql")
    );
    let body = server.client.get(url).send().expect("request").text().expect("body");
    let json: serde_json::Value = serde_json::from_str(&body).expect("SPARQL JSON");
    assert_eq!(
        json["results"]["bindings"][0]["n"]["value"].as_str(),
        Some(demo.public_datasets.len().to_string().as_str()),
        "body: {body}"
    );
}

#[test]
fn select_and_ask_answer_in_every_results_format() {
    let server = TestServer::demo();
    let query = "PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/>
        SELECT ?d ?t WHERE { ?d a dcat:Dataset ; dct:title ?t } ORDER BY ?d ?t LIMIT 20";
    let mut answers = Vec::new();
    for (accept, format) in [
        ("application/sparql-results+json", QueryResultsFormat::Json),
        ("application/sparql-results+xml", QueryResultsFormat::Xml),
        ("text/tab-separated-values", QueryResultsFormat::Tsv),
    ] {
        let (status, content_type, body) = server.sparql_get(query, accept);
        assert_eq!(status, 200, "{accept}: {body}");
        assert_eq!(content_type.split(';').next(), Some(accept));
        answers.push(solutions(format, &body));
    }
    assert_eq!(answers[0].len(), 20);
    assert_eq!(answers[0], answers[1], "JSON and XML agree");
    assert_eq!(answers[0], answers[2], "JSON and TSV agree");
    // CSV loses term types: check shape and values.
    let (status, content_type, csv) = server.sparql_get(query, "text/csv");
    assert_eq!((status, content_type.as_str()), (200, "text/csv; charset=utf-8"));
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("d,t"));
    assert_eq!(lines.count(), 20);
    for accept in ["application/sparql-results+json", "application/sparql-results+xml"] {
        let (status, _, body) = server.sparql_get("ASK { ?s ?p ?o }", accept);
        assert_eq!(status, 200);
        let format =
            if accept.ends_with("json") { QueryResultsFormat::Json } else { QueryResultsFormat::Xml };
        assert!(matches!(
            QueryResultsParser::from_format(format).for_slice(body.as_bytes()).expect("parse"),
            SliceQueryResultsParserOutput::Boolean(true)
        ));
    }
}

#[test]
fn construct_answers_in_every_rdf_format_and_they_are_isomorphic() {
    let server = TestServer::demo();
    let query = "PREFIX dcat: <http://www.w3.org/ns/dcat#>
        CONSTRUCT { ?d ?p ?o . ?x ?q ?y } WHERE {
          { SELECT ?d WHERE { ?d a dcat:Dataset } ORDER BY ?d LIMIT 3 }
          ?d ?p ?o . OPTIONAL { ?d dcat:distribution ?x . ?x ?q ?y } }";
    let mut graphs = Vec::new();
    for (accept, format) in [
        ("text/turtle", RdfFormat::Turtle),
        ("application/n-triples", RdfFormat::NTriples),
        ("application/rdf+xml", RdfFormat::RdfXml),
        ("application/ld+json", danhmuc::rdf::io::JSON_LD),
    ] {
        let (status, content_type, body) = server.sparql_get(query, accept);
        assert_eq!(status, 200, "{accept}: {body}");
        assert_eq!(content_type, accept);
        graphs.push(canonical(format, body.as_bytes()));
    }
    assert!(graphs[0].len() > 20, "three datasets with distributions");
    for g in &graphs[1..] {
        assert_eq!(&graphs[0], g, "every format carries the same graph");
    }
    // DESCRIBE too.
    let (status, _, body) =
        server.sparql_get("DESCRIBE ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> } LIMIT 1", "*/*");
    assert_eq!(status, 200);
    assert!(!canonical(RdfFormat::Turtle, body.as_bytes()).is_empty());
}

#[test]
fn get_form_post_and_direct_post_agree_and_format_parameter_wins() {
    let server = TestServer::demo();
    let query = "SELECT ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> } ORDER BY ?d LIMIT 5";
    let (_, _, by_get) = server.sparql_get(query, "application/sparql-results+json");
    let by_form = server
        .client
        .post(server.url("sparql"))
        .header("Accept", "application/sparql-results+json")
        .form(&[("query", query)])
        .send()
        .expect("request")
        .text()
        .expect("body");
    let direct = server
        .client
        .post(server.url("sparql"))
        .header("Content-Type", "application/sparql-query")
        .header("Accept", "application/sparql-results+json")
        .body(query)
        .send()
        .expect("request")
        .text()
        .expect("body");
    assert_eq!(solutions(QueryResultsFormat::Json, &by_get), solutions(QueryResultsFormat::Json, &by_form));
    assert_eq!(solutions(QueryResultsFormat::Json, &by_get), solutions(QueryResultsFormat::Json, &direct));

    let response = server
        .client
        .get(server.url("sparql"))
        .query(&[("query", query), ("format", "csv")])
        .header("Accept", "application/sparql-results+json")
        .send()
        .expect("request");
    assert_eq!(header(&response, "content-type"), "text/csv; charset=utf-8");

    let (status, _, body) = server.sparql_get(query, "image/png");
    assert_eq!(status, 406, "body: {body}");
    assert!(body.contains("application/sparql-results+json"), "406 names what we can give: {body}");

    let (status, _, body) = server.sparql_get("SELECT ?x WHERE { ?x ", "*/*");
    assert_eq!(status, 400);
    assert!(body.contains("invalid SPARQL query"), "{body}");
    let response = server
        .client
        .post(server.url("sparql"))
        .header("Content-Type", "text/plain")
        .body(query)
        .send()
        .expect("request");
    assert_eq!(response.status().as_u16(), 415);
}

#[test]
fn updates_are_refused_with_directions() {
    let server = TestServer::demo();
    let update = "INSERT DATA { <http://example.com/s> <http://example.com/p> <http://example.com/o> }";
    let responses = [
        server
            .client
            .post(server.url("sparql"))
            .header("Content-Type", "application/sparql-update")
            .body(update)
            .send(),
        server.client.post(server.url("sparql")).form(&[("update", update)]).send(),
        server.client.get(server.url("sparql")).query(&[("query", update)]).send(),
    ];
    for response in responses {
        let response = response.expect("request");
        assert_eq!(response.status().as_u16(), 403);
        let body = response.text().expect("body");
        assert!(body.contains("/api/records"), "says where writes go: {body}");
    }
    assert!(!boolean(&server, "ASK { <http://example.com/s> ?p ?o }"), "nothing was written");
}

#[test]
fn oversized_bodies_are_refused_with_413() {
    let server = TestServer::start(&["--max-sparql-body", "4096"]);
    let padding = "#".repeat(8192);
    let response = server
        .client
        .post(server.url("sparql"))
        .header("Content-Type", "application/sparql-query")
        .body(format!("ASK {{}} {padding}"))
        .send()
        .expect("request");
    assert_eq!(response.status().as_u16(), 413);
    assert!(response.text().expect("body").contains("4096"));
    let ok = server
        .client
        .post(server.url("sparql"))
        .header("Content-Type", "application/sparql-query")
        .body("ASK {}")
        .send()
        .expect("request");
    assert_eq!(ok.status().as_u16(), 200);
}

#[test]
fn a_runaway_query_is_cancelled_at_the_limit_and_others_still_run() {
    let server = TestServer::start(&["--demo", "--query-timeout", "2"]);
    let runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }";
    let client = server.client.clone();
    let url = server.url("sparql");
    let started = Instant::now();
    let slow = std::thread::spawn(move || {
        let response = client.get(url).query(&[("query", runaway)]).send().expect("request");
        (response.status().as_u16(), response.text().expect("body"), started.elapsed())
    });
    std::thread::sleep(Duration::from_millis(300));
    let quick_start = Instant::now();
    assert!(boolean(&server, "ASK { ?s ?p ?o }"));
    assert!(quick_start.elapsed() < Duration::from_secs(2), "other queries are not blocked");
    let (status, body, elapsed) = slow.join().expect("thread");
    assert_eq!(status, 503, "body: {body}");
    assert!(body.contains("limit"), "{body}");
    assert!(elapsed < Duration::from_secs(3), "answered within the limit plus a second: {elapsed:?}");
    let metrics = server.client.get(server.url("metrics")).send().expect("metrics").text().expect("body");
    assert!(metrics.contains("danhmuc_sparql_query_timeouts_total 1"), "{metrics}");
    // The server is still healthy afterwards.
    assert_eq!(server.client.get(server.url("health")).send().expect("health").status().as_u16(), 200);
}

#[test]
fn answers_are_cut_at_the_row_limit_and_the_cut_is_signalled() {
    let server = TestServer::start(&["--demo", "--max-rows", "5"]);
    let response = server
        .client
        .get(server.url("sparql"))
        .query(&[("query", "SELECT * WHERE { ?s ?p ?o }")])
        .send()
        .expect("request");
    assert_eq!(header(&response, "danhmuc-result-truncated"), "5");
    assert_eq!(solutions(QueryResultsFormat::Json, &response.text().expect("body")).len(), 5);
    let response = server
        .client
        .get(server.url("sparql"))
        .query(&[("query", "CONSTRUCT WHERE { ?s ?p ?o }")])
        .send()
        .expect("request");
    assert_eq!(header(&response, "danhmuc-result-truncated"), "5");
    assert_eq!(canonical(RdfFormat::Turtle, response.text().expect("body").as_bytes()).len(), 5);
    let response = server
        .client
        .get(server.url("sparql"))
        .query(&[("query", "SELECT * WHERE { ?s ?p ?o } LIMIT 5")])
        .send()
        .expect("request");
    assert_eq!(header(&response, "danhmuc-result-truncated"), "", "exactly the limit is not a cut");
}

#[test]
fn hidden_records_are_out_of_reach_of_every_query_form() {
    let server = TestServer::demo();
    let demo = read_demo(&server.base);
    let visible_graphs: BTreeSet<String> = {
        let (_, _, body) = server.sparql_get(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "application/sparql-results+json",
        );
        solutions(QueryResultsFormat::Json, &body)
            .into_iter()
            .filter_map(|s| s.get("g").map(ToString::to_string))
            .collect()
    };
    for public in demo.public_datasets.iter().take(3) {
        assert!(visible_graphs.contains(&public.to_string()), "GRAPH ?g sees public record {public}");
        assert!(boolean(&server, &format!("ASK {{ GRAPH {public} {{ {public} ?p ?o }} }}")));
    }
    assert!(!visible_graphs.iter().any(|g| g.contains("urn:danhmuc:graph:system")), "system graph hidden");
    for hidden in &demo.hidden_datasets {
        assert!(!visible_graphs.contains(&hidden.to_string()), "GRAPH ?g does not list {hidden}");
        for query in [
            format!("ASK {{ {hidden} ?p ?o }}"),
            format!("ASK {{ GRAPH ?g {{ {hidden} ?p ?o }} }}"),
            format!("ASK {{ GRAPH {hidden} {{ ?s ?p ?o }} }}"),
            format!("ASK FROM {hidden} {{ ?s ?p ?o }}"),
            format!("ASK FROM NAMED {hidden} {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
            format!("ASK {{ {hidden} (<urn:x:p>|!<urn:x:p>)+ ?o }}"),
            format!("ASK {{ ?s (<urn:x:p>|!<urn:x:p>)* {hidden} . {hidden} ?p ?o }}"),
        ] {
            assert!(!boolean(&server, &query), "hidden data reached by {query}");
        }
        let (status, _, body) = server.sparql_get(&format!("DESCRIBE {hidden}"), "application/n-triples");
        assert_eq!(status, 200);
        assert!(body.trim().is_empty(), "DESCRIBE of a hidden record is empty: {body}");
        // Protocol dataset parameters naming it yield nothing either.
        let response = server
            .client
            .get(server.url("sparql"))
            .query(&[
                ("query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
                ("named-graph-uri", hidden.as_str()),
            ])
            .header("Accept", "application/sparql-results+json")
            .send()
            .expect("request");
        assert!(
            response.text().expect("body").contains("\"value\":\"0\""),
            "named-graph-uri of a hidden graph"
        );
    }
    assert!(!boolean(&server, "ASK { GRAPH <urn:danhmuc:graph:system> { ?s ?p ?o } }"));
}

#[test]
fn dataset_parameters_select_graphs() {
    let server = TestServer::demo();
    let demo = read_demo(&server.base);
    let record = demo.public_datasets.iter().next().expect("a public dataset");
    let response = server
        .client
        .get(server.url("sparql"))
        .query(&[
            ("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
            ("default-graph-uri", record.as_str()),
        ])
        .header("Accept", "application/sparql-results+json")
        .send()
        .expect("request");
    let rows = solutions(QueryResultsFormat::Json, &response.text().expect("body"));
    assert_eq!(
        rows[0]["n"].to_string(),
        format!("\"{}\"^^<http://www.w3.org/2001/XMLSchema#integer>", demo.graphs[record]),
        "default-graph-uri narrows the default graph to one record"
    );
    let from = server.count(&format!("SELECT (COUNT(*) AS ?n) FROM {record} WHERE {{ ?s ?p ?o }}"));
    assert_eq!(usize::try_from(from).expect("small"), demo.graphs[record], "FROM does the same");
}

#[test]
fn service_description_for_machines_and_a_page_for_people() {
    let server = TestServer::demo();
    let response =
        server.client.get(server.url("sparql")).header("Accept", "text/turtle").send().expect("request");
    assert_eq!(header(&response, "content-type"), "text/turtle");
    let description = canonical(RdfFormat::Turtle, response.text().expect("body").as_bytes());
    let text = description.to_string();
    assert!(text.contains("http://www.w3.org/ns/sparql-service-description#Service"), "{text}");
    assert!(
        text.contains(&format!("<{}>", server.url("sparql"))),
        "the endpoint IRI comes from the base URL"
    );

    let response = server
        .client
        .get(server.url("sparql"))
        .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        .send()
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    assert!(header(&response, "content-security-policy").contains("script-src 'self'"));
    let html = response.text().expect("body");
    assert!(html.contains("<textarea") && html.contains("/static/sparql.js"), "{html}");
    assert!(!html.contains("<script>"), "no inline script");
    let js = server.client.get(server.url("static/sparql.js")).send().expect("request");
    assert_eq!(js.status().as_u16(), 200);
    assert!(header(&js, "content-type").starts_with("text/javascript"));
}

#[test]
fn health_metrics_head_cors_and_gzip() {
    let server = TestServer::demo();
    assert_eq!(server.client.get(server.url("health")).send().expect("health").status().as_u16(), 200);
    let query = [("query", "SELECT * WHERE { ?s ?p ?o } LIMIT 200")];
    let head = server.client.head(server.url("sparql")).query(&query).send().expect("head");
    assert_eq!(head.status().as_u16(), 200);
    assert_eq!(header(&head, "content-type"), "application/sparql-results+json");
    assert!(head.text().expect("body").is_empty());
    let cors = server
        .client
        .get(server.url("sparql"))
        .query(&query)
        .header("Origin", "https://portal.example")
        .send()
        .expect("request");
    assert_eq!(header(&cors, "access-control-allow-origin"), "*");
    let raw = reqwest::blocking::Client::builder().no_gzip().build().expect("client");
    let gzipped = raw
        .get(server.url("sparql"))
        .query(&query)
        .header("Accept-Encoding", "gzip")
        .send()
        .expect("request");
    assert_eq!(header(&gzipped, "content-encoding"), "gzip");
    let metrics = server.client.get(server.url("metrics")).send().expect("metrics").text().expect("body");
    for name in [
        "danhmuc_http_requests_total{route=\"/sparql\",method=\"GET\",status=\"200\"}",
        "danhmuc_http_request_duration_seconds_bucket",
        "danhmuc_sparql_query_timeouts_total",
        "danhmuc_store_quads",
    ] {
        assert!(metrics.contains(name), "{name} in {metrics}");
    }
}

#[test]
fn errors_are_pages_for_browsers_and_text_for_machines() {
    let server = TestServer::demo();
    let browser = server
        .client
        .get(server.url("no/such/page"))
        .header("Accept", "text/html,*/*;q=0.8")
        .send()
        .expect("request");
    assert_eq!(browser.status().as_u16(), 404);
    assert!(header(&browser, "content-type").starts_with("text/html"));
    assert!(browser.text().expect("body").contains("404"));
    let machine = server.client.get(server.url("no/such/page")).send().expect("request");
    assert_eq!(machine.status().as_u16(), 404);
    assert!(header(&machine, "content-type").starts_with("text/plain"));
}
