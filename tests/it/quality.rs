//! Metadata quality against a real server: the score in the submission answer, DQV measurements in
//! the dataset's RDF and in SPARQL (following the record's visibility), re-scoring on every write,
//! the dashboards' JSON and HTML, link checks against a local HTTP server (reachable, 404, timeout,
//! refused address), the demo's spread of ratings, and search by minimum rating following both.

use super::common::REGISTRY_BASE as BASE;
use super::common::{TestServer, fixture, registry_cli_ok as cli, run_cli, tempdir};
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

const DQV: &str = "http://www.w3.org/ns/dqv#";
const DMQ: &str = "https://w3id.org/danhmuc/quality#";

struct Setup {
    server: TestServer,
    publisher: String,
    other: String,
    admin: String,
}

fn setup(extra: &[&str]) -> Setup {
    let data = tempdir().expect("temp");
    let path = data.path();
    cli(
        path,
        &["org", "add", "org-a", "--name-vi", "Sở A", "--name-en", "Department A", "--type", "province"],
    );
    cli(path, &["org", "add", "org-b", "--name-vi", "Bộ B", "--name-en", "Ministry B", "--type", "ministry"]);
    let publisher = cli(path, &["token", "create", "--org", "org-a", "--role", "publisher"]);
    let other = cli(path, &["token", "create", "--org", "org-b", "--role", "publisher"]);
    let admin = cli(path, &["token", "create", "--role", "admin"]);
    let mut args = vec!["--base-url", BASE, "--link-check-every", "0s"];
    args.extend(extra);
    let server = TestServer::start_on(data, &args);
    Setup { server, publisher, other, admin }
}

fn full_dataset(title: &str, access: &str, access_url: &str, download_url: &str) -> String {
    std::fs::read_to_string(fixture("quality/dataset.ttl"))
        .expect("fixture")
        .replace("{{BASE}}", BASE)
        .replace("{{TITLE}}", title)
        .replace("{{ACCESS}}", access)
        .replace("{{ACCESS_URL}}", access_url)
        .replace("{{DOWNLOAD_URL}}", download_url)
}

fn sparse_dataset(title: &str) -> String {
    std::fs::read_to_string(fixture("records/dataset.ttl"))
        .expect("fixture")
        .replace("{{BASE}}", BASE)
        .replace("{{TITLE}}", title)
        .replace("{{ACCESS}}", "PUBLIC")
        .replace("{{PERSONAL}}", "false")
}

impl Setup {
    fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> (u16, Value) {
        let mut request = self.server.client.request(method, self.server.url(path));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        if let Some(b) = body {
            request = request.header("Content-Type", "text/turtle").body(b.to_owned());
        }
        let response = request.send().expect("request");
        let status = response.status().as_u16();
        let text = response.text().expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    fn post(&self, body: &str) -> Value {
        let (status, answer) =
            self.send(reqwest::Method::POST, "api/records", Some(&self.publisher), Some(body));
        assert_eq!(status, 201, "{answer}");
        answer
    }

    fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        self.send(reqwest::Method::GET, path, token, None)
    }

    /// `SELECT (COUNT(*) AS ?n)` over SPARQL as `token`'s viewer.
    fn count(&self, token: Option<&str>, query: &str) -> u64 {
        let mut request = self
            .server
            .client
            .get(self.server.url("sparql"))
            .query(&[("query", query)])
            .header("Accept", "application/sparql-results+json");
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        let answer: Value = request.send().expect("sparql").json().expect("json");
        answer["results"]["bindings"][0]["n"]["value"].as_str().expect("a count").parse().expect("a number")
    }

    fn measurements_of(&self, token: Option<&str>, iri: &str) -> u64 {
        self.count(
            token,
            &format!("SELECT (COUNT(*) AS ?n) WHERE {{ ?m <{DQV}computedOn> <{iri}> ; a <{DQV}QualityMeasurement> }}"),
        )
    }

    fn score_in_sparql(&self, iri: &str) -> u64 {
        self.count(
            None,
            &format!(
                "SELECT (SUM(?v) AS ?n) WHERE {{ ?m <{DQV}computedOn> <{iri}> ; <{DQV}isMeasurementOf> <{DMQ}score> ; <{DQV}value> ?v }}"
            ),
        )
    }
}

fn indicator<'a>(view: &'a Value, id: &str) -> &'a Value {
    view["indicators"].as_array().expect("indicators").iter().find(|i| i["id"] == id).expect("the indicator")
}

#[test]
fn scores_follow_every_write_and_the_records_visibility() {
    let s = setup(&[]);
    // A fully described dataset whose URLs were never checked: 405 − 80 (two unknown URL checks).
    let full =
        s.post(&full_dataset("Đầy đủ", "PUBLIC", "https://files.example/a", "https://files.example/a.csv"));
    let quality = &full["quality"];
    assert_eq!(quality["score"], 325, "{full}");
    assert_eq!(quality["rating"], "good");
    assert_eq!(quality["possible"], 405);
    assert_eq!(
        quality["awaiting_link_check"],
        serde_json::json!(["accessUrlAccessibility", "downloadUrlAccessibility"])
    );
    assert_eq!(quality["fixes"], serde_json::json!([]), "nothing a publisher can fix");
    let full_id = full["record"]["id"].as_str().expect("id").to_owned();
    let full_iri = full["record"]["iri"].as_str().expect("iri").to_owned();

    // The registry's minimal test dataset: 240 points, and what to fix first.
    let sparse = s.post(&sparse_dataset("Tối thiểu"));
    assert_eq!(sparse["quality"]["score"], 240, "{sparse}");
    assert_eq!(sparse["quality"]["rating"], "good");
    let fixes = sparse["quality"]["fixes"].as_array().expect("fixes");
    assert_eq!(fixes.len(), 3, "the top three");
    assert_eq!(fixes[0]["indicator"], "downloadUrlAccessibility");
    assert_eq!(fixes[0]["points"], 30);
    assert!(fixes[0]["text_vi"].as_str().is_some_and(|t| t.contains("tải xuống")));
    let sparse_id = sparse["record"]["id"].as_str().expect("id").to_owned();
    let sparse_iri = sparse["record"]["iri"].as_str().expect("iri").to_owned();

    // The dataset view: indicators, dimensions, fixes in both languages.
    let (status, view) = s.get(&format!("api/quality/{sparse_id}"), None);
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["score"], 240);
    assert_eq!(view["max"], 405);
    assert_eq!(indicator(&view, "geoSearch")["result"], "failed");
    assert_eq!(indicator(&view, "keywordUsage")["result"], "passed");
    assert_eq!(indicator(&view, "accessUrlAccessibility")["result"], "unknown");
    let dims: Vec<u64> = view["dimensions"]
        .as_array()
        .expect("dims")
        .iter()
        .map(|d| d["points"].as_f64().expect("points") as u64)
        .collect();
    assert_eq!(dims, [60, 0, 100, 75, 5]);

    // DQV: in the dataset's RDF and in anonymous SPARQL (30 measurements), with the same total.
    let response = s
        .server
        .client
        .get(s.server.url(&format!("dataset/{sparse_id}")))
        .header("Accept", "application/n-triples")
        .send()
        .expect("get");
    let rdf = response.text().expect("body");
    assert_eq!(rdf.lines().filter(|l| l.contains(&format!("<{DQV}hasQualityMeasurement>"))).count(), 30);
    assert_eq!(s.measurements_of(None, &sparse_iri), 30);
    assert_eq!(s.score_in_sparql(&sparse_iri), 240);

    // A new version re-scores in the same write: add spatial coverage (+20).
    let better = sparse_dataset("Tối thiểu").replace(
        "dcat:keyword \"kiểm thử\"@vi ;",
        "dcat:keyword \"kiểm thử\"@vi ; dct:spatial <http://publications.europa.eu/resource/authority/country/VNM> ;",
    );
    let (status, answer) =
        s.send(reqwest::Method::PUT, &format!("api/records/{sparse_id}"), Some(&s.publisher), Some(&better));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["quality"]["score"], 260);
    assert_eq!(s.score_in_sparql(&sparse_iri), 260);
    assert_eq!(s.measurements_of(None, &sparse_iri), 30, "replaced, not added");

    // A restricted dataset: its scores are seen by authenticated organisations only.
    let restricted = s.post(&full_dataset(
        "Hạn chế",
        "RESTRICTED",
        "https://files.example/r",
        "https://files.example/r.csv",
    ));
    let restricted_id = restricted["record"]["id"].as_str().expect("id").to_owned();
    let restricted_iri = restricted["record"]["iri"].as_str().expect("iri").to_owned();
    assert_eq!(restricted["quality"]["score"], 325);
    assert_eq!(s.measurements_of(None, &restricted_iri), 0, "anonymous SPARQL sees nothing");
    assert_eq!(
        s.count(
            None,
            &format!(
                "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?m <{DQV}computedOn> <{restricted_iri}> }} }}"
            )
        ),
        0,
        "not through GRAPH either"
    );
    assert_eq!(s.measurements_of(Some(&s.other), &restricted_iri), 30, "another organisation sees it");
    assert_eq!(s.get(&format!("api/quality/{restricted_id}"), None).0, 404);
    assert_eq!(s.get(&format!("api/quality/{restricted_id}"), Some(&s.other)).0, 200);

    // Aggregates count what the caller may see.
    let (_, anonymous) = s.get("api/quality", None);
    assert_eq!(anonymous["summary"]["datasets"], 2, "{anonymous}");
    assert_eq!(anonymous["summary"]["average"], 292.5);
    let (_, admin) = s.get("api/quality", Some(&s.admin));
    assert_eq!(admin["summary"]["datasets"], 3);
    assert_eq!(admin["summary"]["awaiting_link_check"], 3);
    let gaps: Vec<&str> = admin["summary"]["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .map(|g| g["indicator"].as_str().expect("id"))
        .collect();
    assert!(gaps.contains(&"downloadUrl") && !gaps.contains(&"keywordUsage"), "{gaps:?}");
    let (status, publisher) = s.get("api/quality/publisher/org-a", None);
    assert_eq!(status, 200, "{publisher}");
    let ranked: Vec<&str> = publisher["datasets"]
        .as_array()
        .expect("datasets")
        .iter()
        .map(|d| d["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ranked, [full_id.as_str(), sparse_id.as_str()], "best first, public only");
    assert_eq!(publisher["publisher"]["name_vi"], "Sở A");
    assert_eq!(s.get("api/quality/publisher/nobody", None).0, 404);
    assert_eq!(s.get("api/quality/no-such-record", None).0, 404);

    // The dashboard page for browsers.
    let page =
        s.server.client.get(s.server.url("quality")).header("Accept", "text/html").send().expect("page");
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().expect("html");
    assert!(html.contains("Sở A") && html.contains("405"), "{html}");

    // The stored measurements validate against shapes/dqv.ttl (as the admin sees them).
    let construct = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), \"urn:danhmuc:quality:\")) }";
    let dqv = s
        .server
        .client
        .get(s.server.url("sparql"))
        .query(&[("query", construct)])
        .bearer_auth(&s.admin)
        .header("Accept", "text/turtle")
        .send()
        .expect("construct")
        .text()
        .expect("turtle");
    assert!(dqv.contains("QualityMeasurement"));
    let report = s
        .server
        .client
        .post(s.server.url("validate?profile=dqv"))
        .header("Content-Type", "text/turtle")
        .header("Accept", "text/plain")
        .body(dqv)
        .send()
        .expect("validate");
    assert_eq!(
        super::common::header(&report, "danhmuc-conforms"),
        "true",
        "{}",
        report.text().unwrap_or_default()
    );

    // Withdrawn: no more scores.
    let (status, _) =
        s.send(reqwest::Method::DELETE, &format!("api/records/{full_id}"), Some(&s.publisher), None);
    assert!(status == 200 || status == 204, "{status}");
    assert_eq!(s.measurements_of(Some(&s.admin), &full_iri), 0);
    assert_eq!(s.get(&format!("api/quality/{full_id}"), None).0, 404);
}

/// A local HTTP server: `/ok…` answers 200, `/missing…` 404, `/slow…` after 5 s.
fn link_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let origin = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    return;
                }
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
                        break;
                    }
                }
                let target = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let status = if target.starts_with("/ok") {
                    "200 OK"
                } else if target.starts_with("/slow") {
                    std::thread::sleep(Duration::from_secs(5));
                    "200 OK"
                } else {
                    "404 Not Found"
                };
                let mut out = stream;
                let _ = write!(out, "HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
            });
        }
    });
    origin
}

#[test]
fn link_checks_reachable_404_timeout_and_refused_addresses() {
    let origin = link_server();
    let s = setup(&[]);
    let mut ids = Vec::new();
    for name in ["ok", "missing", "slow"] {
        let answer = s.post(&full_dataset(
            &format!("Liên kết {name}"),
            "PUBLIC",
            &format!("{origin}/{name}"),
            &format!("{origin}/{name}.csv"),
        ));
        assert_eq!(answer["quality"]["score"], 325, "unknown until checked");
        ids.push(answer["record"]["id"].as_str().expect("id").to_owned());
    }
    let data = s.server.kill();
    let path = data.path().to_str().expect("utf-8").to_owned();
    let check = |extra: &[&str]| -> String {
        let mut args =
            vec!["check-links", "--data", path.as_str(), "--base-url", BASE, "--link-timeout", "1"];
        args.extend(extra);
        let output = run_cli(&args);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    };
    // Without the allow-list, loopback addresses are refused (the harvester's rule).
    assert_eq!(check(&[]), "checked=6 reachable=0 broken=6 skipped=0 rescored=3");
    // Checked recently: nothing to do.
    assert_eq!(
        check(&["--harvest-allow", "127.0.0.1"]),
        "checked=0 reachable=0 broken=0 skipped=6 rescored=0"
    );
    let started = Instant::now();
    assert_eq!(
        check(&["--harvest-allow", "127.0.0.1", "--link-recheck-after", "0s"]),
        "checked=6 reachable=2 broken=4 skipped=0 rescored=1"
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "the slow URLs time out after 1 s: {:?}",
        started.elapsed()
    );

    let server = TestServer::start_on(data, &["--base-url", BASE, "--link-check-every", "0s"]);
    let view = |id: &str| -> Value {
        server.client.get(server.url(&format!("api/quality/{id}"))).send().expect("get").json().expect("json")
    };
    let ok = view(&ids[0]);
    assert_eq!(ok["score"], 405, "{ok}");
    assert_eq!(ok["rating"], "excellent");
    for id in &ids[1..] {
        let broken = view(id);
        assert_eq!(broken["score"], 325, "{broken}");
        assert_eq!(indicator(&broken, "accessUrlAccessibility")["result"], "failed");
        assert_eq!(indicator(&broken, "downloadUrlAccessibility")["result"], "failed");
        assert_eq!(broken["fixes"][0]["indicator"], "accessUrlAccessibility");
    }
    // The statuses are staff-only.
    let statuses =
        format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?url <{DMQ}httpStatus> ?status }} }}");
    let count = |token: Option<&str>| -> u64 {
        let mut request = server
            .client
            .get(server.url("sparql"))
            .query(&[("query", statuses.as_str())])
            .header("Accept", "application/sparql-results+json");
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        let answer: Value = request.send().expect("sparql").json().expect("json");
        answer["results"]["bindings"][0]["n"]["value"].as_str().expect("count").parse().expect("number")
    };
    assert_eq!(count(None), 0);
    assert_eq!(count(Some(&s.admin)), 4, "200, 404 and the two 200s of /ok; the slow ones have no status");

    // The search index was brought up to date at start: the check run changed one rating.
    let found = |params: &[(&str, &str)]| -> Vec<String> {
        let mut all = vec![("q", "liên kết"), ("per_page", "100")];
        all.extend_from_slice(params);
        let answer: Value = server
            .client
            .get(server.url("api/search"))
            .query(&all)
            .send()
            .expect("search")
            .json()
            .expect("json");
        let mut ids: Vec<String> = answer["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| h["id"].as_str().expect("id").to_owned())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(found(&[("min_rating", "excellent")]), [ids[0].clone()]);
    assert_eq!(found(&[("min_rating", "good")]).len(), 3);
    let mut good = ids[1..].to_vec();
    good.sort();
    assert_eq!(found(&[("rating", "good")]), good, "the exact band");
}

#[test]
fn the_demo_shows_every_rating() {
    let server = TestServer::start(&["--demo", "--harvest-allow", "127.0.0.1", "--link-timeout", "2"]);
    // The first link check runs at start; wait until no dataset waits for one.
    let deadline = Instant::now() + Duration::from_secs(120);
    let dashboard = loop {
        let answer: Value =
            server.client.get(server.url("api/quality")).send().expect("get").json().expect("json");
        if answer["summary"]["awaiting_link_check"] == 0 || Instant::now() > deadline {
            break answer;
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    assert_eq!(dashboard["summary"]["awaiting_link_check"], 0, "the link check ran: {dashboard}");
    let ratings: Vec<(String, u64)> = dashboard["summary"]["ratings"]
        .as_array()
        .expect("ratings")
        .iter()
        .map(|r| (r["rating"].as_str().expect("rating").to_owned(), r["datasets"].as_u64().expect("count")))
        .collect();
    for (rating, count) in &ratings {
        assert!(*count >= 1, "the demo has {rating} datasets: {ratings:?}");
    }
    let excellent: Value = server
        .client
        .get(server.url("api/quality/cds-danh-muc-don-vi-hanh-chinh"))
        .send()
        .expect("get")
        .json()
        .expect("json");
    assert_eq!(excellent["rating"], "excellent", "{excellent}");
    let bad: Value = server
        .client
        .get(server.url("api/quality/dn-danh-sach-di-tich-2015"))
        .send()
        .expect("get")
        .json()
        .expect("json");
    assert_eq!(bad["rating"], "bad", "{bad}");
    search_by_rating_agrees_with_the_dashboard(&server, &ratings);
    // Today's snapshot of publisher averages.
    let publisher: Value = server
        .client
        .get(server.url("api/quality/publisher/cuc-chuyen-doi-so-quoc-gia"))
        .send()
        .expect("get")
        .json()
        .expect("json");
    assert!(!publisher["history"].as_array().expect("history").is_empty(), "{publisher}");
}

/// The search index's ratings are the scores' (the link check re-rated records after start):
/// counts by rating equal the dashboard's, a minimum rating keeps exactly the datasets rated at least
/// that well, and the search page offers the choice in both languages.
fn search_by_rating_agrees_with_the_dashboard(server: &TestServer, ratings: &[(String, u64)]) {
    let search = |params: &[(&str, &str)]| -> (u16, Value) {
        let response = server.client.get(server.url("api/search")).query(params).send().expect("search");
        let status = response.status().as_u16();
        (status, response.json().unwrap_or(Value::Null))
    };
    let counts = |answer: &Value| -> Vec<(String, u64)> {
        let mut values: Vec<(String, u64)> = answer["facets"]
            .as_array()
            .expect("facets")
            .iter()
            .find(|f| f["facet"] == "rating")
            .expect("a rating facet")["values"]
            .as_array()
            .expect("values")
            .iter()
            .map(|v| (v["value"].as_str().expect("value").to_owned(), v["count"].as_u64().expect("count")))
            .collect();
        values.sort();
        values
    };
    let mut expected = ratings.to_vec();
    expected.sort();
    // The index follows the link check's re-scoring a few milliseconds after it.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, answer) = search(&[("kind", "dataset")]);
        assert_eq!(status, 200, "{answer}");
        if counts(&answer) == expected {
            break;
        }
        assert!(Instant::now() < deadline, "search counts {:?} never matched {expected:?}", counts(&answer));
        std::thread::sleep(Duration::from_millis(100));
    }
    let order = ["bad", "sufficient", "good", "excellent"];
    for (at_least, min) in order.iter().enumerate() {
        let (status, answer) = search(&[("min_rating", min), ("per_page", "100")]);
        assert_eq!(status, 200, "{answer}");
        let wanted: u64 = expected
            .iter()
            .filter(|(r, _)| order.iter().position(|o| o == r).expect("a band") >= at_least)
            .map(|(_, n)| n)
            .sum();
        assert_eq!(answer["total"].as_u64(), Some(wanted), "min_rating={min}: {answer}");
        for hit in answer["hits"].as_array().expect("hits") {
            let rating = hit["rating"].as_str().expect("every hit is a rated dataset");
            assert!(order.iter().position(|o| *o == rating).expect("a band") >= at_least, "{hit}");
            let id = hit["id"].as_str().expect("id");
            let view: Value = server
                .client
                .get(server.url(&format!("api/quality/{id}")))
                .send()
                .expect("get")
                .json()
                .expect("json");
            assert_eq!(view["rating"], rating, "{id}");
        }
    }
    let (status, answer) = search(&[("min_rating", "great")]);
    assert_eq!(status, 400, "{answer}");

    for (lang, heading, choice) in [
        ("en", "Minimum quality rating", "Good</span> or better"),
        ("vi", "Xếp hạng chất lượng tối thiểu", "Tốt</span> trở lên"),
    ] {
        let page = server
            .client
            .get(server.url("search"))
            .query(&[("lang", lang), ("min_rating", "good")])
            .send()
            .expect("page")
            .text()
            .expect("html");
        assert!(page.contains(heading) && page.contains(choice), "{lang}: {page}");
        assert!(page.contains(r#"aria-current="true" class="active"><span class="rating-good">"#), "{page}");
    }
}
