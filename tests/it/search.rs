//! Search against a real server: diacritic- and case-folded matching checked against SPARQL,
//! facet counts that agree with filtering, visibility (a restricted record is not found, not even
//! counted, by those who may not see it), updates on every write, and rebuilds from the store.

use super::common::{REGISTRY_BASE, TestServer, fixture, registry_cli_ok, run_cli, tempdir};
use reqwest::blocking::Client;
use serde_json::Value;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

fn search(server: &TestServer, token: Option<&str>, params: &[(&str, &str)]) -> Value {
    let (status, json) = search_status(server, token, params);
    assert_eq!(status, 200, "{params:?}: {json}");
    json
}

fn search_status(server: &TestServer, token: Option<&str>, params: &[(&str, &str)]) -> (u16, Value) {
    let mut request = server.client.get(server.url("api/search")).query(params);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().expect("request");
    let status = response.status().as_u16();
    let text = response.text().expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn iris(json: &Value) -> BTreeSet<String> {
    json["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["iri"].as_str().expect("iri").to_owned())
        .collect()
}

fn total(json: &Value) -> u64 {
    json["total"].as_u64().expect("total")
}

/// The values and counts of one facet.
fn facet(json: &Value, name: &str) -> Vec<(String, u64)> {
    json["facets"]
        .as_array()
        .expect("facets")
        .iter()
        .find(|f| f["facet"] == name)
        .map(|f| {
            f["values"]
                .as_array()
                .expect("values")
                .iter()
                .map(|v| {
                    (v["value"].as_str().expect("value").to_owned(), v["count"].as_u64().expect("count"))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn diacritics_and_case_do_not_matter_and_the_answer_agrees_with_sparql() {
    let server = TestServer::demo();
    // Independently of the index: the public datasets whose Vietnamese title says "Hà Nội".
    let query = r#"PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/>
        SELECT DISTINCT ?d WHERE { ?d a dcat:Dataset ; dct:title ?t FILTER(CONTAINS(?t, "Hà Nội")) }"#;
    let (status, _, body) = server.sparql_get(query, "application/sparql-results+json");
    assert_eq!(status, 200);
    let json: Value = serde_json::from_str(&body).expect("json");
    let expected: BTreeSet<String> = json["results"]["bindings"]
        .as_array()
        .expect("bindings")
        .iter()
        .map(|b| b["d"]["value"].as_str().expect("iri").to_owned())
        .collect();
    assert!(expected.len() >= 2, "the demo has several Hà Nội datasets: {expected:?}");

    let plain = search(&server, None, &[("q", "ha noi"), ("per_page", "100"), ("kind", "dataset")]);
    let accented = search(&server, None, &[("q", "Hà Nội"), ("per_page", "100"), ("kind", "dataset")]);
    let upper = search(&server, None, &[("q", "HA NOI"), ("per_page", "100"), ("kind", "dataset")]);
    assert_eq!(iris(&plain), iris(&accented));
    assert_eq!(iris(&plain), iris(&upper));
    assert!(iris(&plain).is_superset(&expected), "{:?} ⊉ {expected:?}", iris(&plain));
    assert_eq!(total(&plain), iris(&plain).len() as u64);
    // Best match first: a title naming Hà Nội outranks a mere mention in a description.
    let first = &plain["hits"][0];
    let title = format!("{} {}", first["title_vi"], first["title_en"]);
    assert!(title.contains("Hà Nội"), "first hit: {first}");

    // Every word must match: a word found nowhere empties the answer.
    let none = search(&server, None, &[("q", "ha noi xyzzyqqq")]);
    assert_eq!(total(&none), 0);
    assert!(none["hits"].as_array().expect("hits").is_empty());
}

#[test]
fn facet_counts_agree_with_filtering_and_pages_are_stable() {
    let server = TestServer::demo();
    let all = search(&server, None, &[("per_page", "100")]);
    let n = total(&all);
    assert!(n > 50, "the demo has more than 50 public records, got {n}");
    for name in ["kind", "publisher", "theme", "format", "license", "access_rights", "status"] {
        let values = facet(&all, name);
        assert!(!values.is_empty(), "facet {name} has values");
        for (value, count) in values.iter().take(4) {
            let filtered = search(&server, None, &[(name, value.as_str()), ("per_page", "1")]);
            assert_eq!(total(&filtered), *count, "{name}={value}");
        }
    }
    // Two values of one facet are alternatives; two facets both apply.
    let kinds = facet(&all, "kind");
    let (k0, c0) = &kinds[0];
    let (k1, c1) = &kinds[1];
    let either = search(&server, None, &[("kind", k0), ("kind", k1), ("per_page", "1")]);
    assert_eq!(total(&either), c0 + c1);
    let themes = facet(&all, "theme");
    let both = search(&server, None, &[("kind", "dataset"), ("theme", themes[0].0.as_str())]);
    let theme_only = search(&server, None, &[("theme", themes[0].0.as_str())]);
    assert!(total(&both) <= total(&theme_only));
    assert!(both["hits"].as_array().expect("hits").iter().all(|h| h["kind"] == "dataset"));
    // Labels of vocabulary terms and publishers, in the language asked for.
    let en = search(&server, None, &[("lang", "en"), ("per_page", "1")]);
    let publishers =
        en["facets"].as_array().expect("facets").iter().find(|f| f["facet"] == "publisher").cloned();
    let labelled = publishers.expect("publisher facet")["values"]
        .as_array()
        .expect("values")
        .iter()
        .filter(|v| v["label"].is_string())
        .count();
    assert!(labelled > 0, "publisher values carry their names");

    // Pages sorted by title: none empty, none overlapping.
    let mut seen = Vec::new();
    for page in 1..=3 {
        let json =
            search(&server, None, &[("sort", "title"), ("per_page", "20"), ("page", &page.to_string())]);
        assert!(!json["hits"].as_array().expect("hits").is_empty(), "page {page} has results");
        seen.extend(iris(&json));
    }
    let unique: BTreeSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "pages do not overlap");
    let modified = search(&server, None, &[("sort", "modified"), ("per_page", "50")]);
    let dates: Vec<&str> =
        modified["hits"].as_array().expect("hits").iter().filter_map(|h| h["modified"].as_str()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first: {dates:?}");

    // Bad parameters are refused with a message.
    for params in [
        vec![("per_page", "101")],
        vec![("page", "0")],
        vec![("sort", "size")],
        vec![("colour", "red")],
        vec![("page", "1000"), ("per_page", "100")],
    ] {
        let (status, body) = search_status(&server, None, &params);
        assert_eq!(status, 400, "{params:?}: {body}");
    }
}

/// A server on a registry with two organisations and their tokens.
fn registry() -> (TestServer, String, String) {
    let data = tempdir().expect("temp");
    registry_cli_ok(
        data.path(),
        &["org", "add", "org-a", "--name-vi", "Sở A", "--name-en", "Department A", "--type", "province"],
    );
    registry_cli_ok(
        data.path(),
        &["org", "add", "org-b", "--name-vi", "Bộ B", "--name-en", "Ministry B", "--type", "ministry"],
    );
    let a = registry_cli_ok(data.path(), &["token", "create", "--org", "org-a", "--role", "publisher"]);
    let b = registry_cli_ok(data.path(), &["token", "create", "--org", "org-b", "--role", "publisher"]);
    (TestServer::start_on(data, &["--base-url", REGISTRY_BASE]), a, b)
}

fn dataset(title: &str, access: &str) -> String {
    std::fs::read_to_string(fixture("records/dataset.ttl"))
        .expect("fixture")
        .replace("{{BASE}}", REGISTRY_BASE)
        .replace("{{TITLE}}", title)
        .replace("{{ACCESS}}", access)
        .replace("{{PERSONAL}}", "false")
}

fn submit(client: &Client, server: &TestServer, token: &str, body: String, id: Option<&str>) -> Value {
    let request = match id {
        Some(id) => client.put(server.url(&format!("api/records/{id}"))),
        None => client.post(server.url("api/records")),
    };
    let response =
        request.bearer_auth(token).header("Content-Type", "text/turtle").body(body).send().expect("request");
    let status = response.status().as_u16();
    let json: Value = response.json().expect("json");
    assert!(status == 200 || status == 201, "{status}: {json}");
    json
}

/// Searches until `check` holds (the index follows writes within milliseconds, not synchronously).
#[track_caller]
fn eventually(server: &TestServer, token: Option<&str>, q: &str, check: impl Fn(&Value) -> bool) -> Value {
    let started = Instant::now();
    loop {
        let json = search(server, token, &[("q", q)]);
        if check(&json) {
            return json;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{q:?} never matched: {json}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn restricted_records_are_not_found_nor_counted_and_every_write_is_followed() {
    let (server, a, b) = registry();
    let client = Client::new();
    let public = submit(&client, &server, &a, dataset("Sổ đăng ký Quokka công khai", "PUBLIC"), None);
    let restricted = submit(&client, &server, &a, dataset("Sổ đăng ký Quokka hạn chế", "RESTRICTED"), None);
    let private = submit(&client, &server, &a, dataset("Sổ đăng ký Quokka nội bộ", "NON_PUBLIC"), None);
    let id = |json: &Value| json["record"]["id"].as_str().expect("id").to_owned();

    let anonymous = eventually(&server, None, "quokka", |j| total(j) >= 1);
    let member_b = eventually(&server, Some(&b), "quokka", |j| total(j) >= 2);
    let owner = eventually(&server, Some(&a), "quokka", |j| total(j) >= 3);
    assert_eq!(total(&anonymous), 1, "{anonymous}");
    assert_eq!(total(&member_b), 2, "another organisation sees public and restricted: {member_b}");
    assert_eq!(total(&owner), 3, "{owner}");
    // Not even counted: every facet's counts add up to what the viewer may see.
    for (json, expected) in [(&anonymous, 1), (&member_b, 2), (&owner, 3)] {
        let kinds: u64 = facet(json, "kind").iter().map(|(_, n)| n).sum();
        assert_eq!(kinds, expected);
        let rights = facet(json, "access_rights");
        assert_eq!(rights.iter().map(|(_, n)| n).sum::<u64>(), expected, "{rights:?}");
    }
    assert!(iris(&anonymous).contains(public["record"]["iri"].as_str().expect("iri")));
    let empty = search(
        &server,
        None,
        &[("access_rights", "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC")],
    );
    assert_eq!(total(&empty), 0, "anonymous filtering on a hidden value finds nothing: {empty}");

    // A new version with another title: the old words go, the new ones come.
    submit(&client, &server, &a, dataset("Sổ đăng ký Wombat công khai", "PUBLIC"), Some(&id(&public)));
    eventually(&server, None, "wombat", |j| total(j) == 1);
    eventually(&server, None, "quokka", |j| total(j) == 0);
    // Opening a restricted record to the public makes it findable by everyone.
    submit(&client, &server, &a, dataset("Sổ đăng ký Quokka hạn chế", "PUBLIC"), Some(&id(&restricted)));
    eventually(&server, None, "quokka", |j| total(j) == 1);
    // Withdrawn: found by no one.
    let status = client
        .delete(server.url(&format!("api/records/{}", id(&private))))
        .bearer_auth(&a)
        .send()
        .expect("delete")
        .status();
    assert!(status.is_success(), "{status}");
    eventually(&server, Some(&a), "quokka", |j| total(j) == 1);
}

#[test]
fn the_index_is_rebuilt_from_the_store_when_missing_and_by_reindex() {
    let server = TestServer::demo();
    let before = search(&server, None, &[("q", "ha noi"), ("per_page", "100")]);
    let all_before = total(&search(&server, None, &[]));
    let data = server.kill();
    let index = data.path().join("search-index");
    assert!(index.is_dir(), "the index lives in the data directory");
    std::fs::remove_dir_all(&index).expect("remove the index");
    let server = TestServer::start_on(data, &["--demo"]);
    let after = search(&server, None, &[("q", "ha noi"), ("per_page", "100")]);
    assert_eq!(iris(&before), iris(&after), "rebuilt at start from the store");
    let data = server.kill();

    // A damaged index is not trusted: `reindex` builds it anew from the store (and so would a start).
    for entry in std::fs::read_dir(&index).expect("index dir") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::write(&path, b"garbage").expect("damage");
        }
    }
    let path = data.path().to_str().expect("utf-8");
    let output = run_cli(&["reindex", "--data", path]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let line = String::from_utf8_lossy(&output.stdout);
    assert!(line.starts_with("danhmuc: indexed "), "{line}");
    let server = TestServer::start_on(data, &["--demo"]);
    assert_eq!(total(&search(&server, None, &[])), all_before);
    let data = server.kill();

    // A store that cannot be opened (a file, not a directory): one line and exit code 2.
    let file = data.path().join("not-a-store");
    std::fs::write(&file, b"x").expect("file");
    let output = run_cli(&["reindex", "--data", file.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&output.stderr).trim().lines().count(), 1);
}
