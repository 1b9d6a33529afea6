//! The registry against a real server: permissions, lifecycle, versions and diff, ETags, 422 reports,
//! access rights on every read path (SPARQL included), bad input, audit, and durability under kill -9.

use super::common::{TestServer, canonical, fixture, header};
use oxigraph::io::RdfFormat;
use reqwest::blocking::{Client, RequestBuilder, Response};
use serde_json::Value;
use std::time::Duration;

use super::common::REGISTRY_BASE as BASE;

/// A server with two organisations and a token for each role.
struct Registry {
    server: TestServer,
    a: String,
    b: String,
    steward: String,
    admin: String,
}

use super::common::registry_cli_ok as cli;

fn setup() -> Registry {
    let data = super::common::tempdir().expect("temp");
    cli(
        data.path(),
        &["org", "add", "org-a", "--name-vi", "Sở A", "--name-en", "Department A", "--type", "province"],
    );
    cli(
        data.path(),
        &["org", "add", "org-b", "--name-vi", "Bộ B", "--name-en", "Ministry B", "--type", "ministry"],
    );
    let a = cli(data.path(), &["token", "create", "--org", "org-a", "--role", "publisher"]);
    let b =
        cli(data.path(), &["token", "create", "--org", "org-b", "--role", "publisher", "--label", "B's CI"]);
    let steward = cli(data.path(), &["token", "create", "--role", "steward"]);
    let admin = cli(data.path(), &["token", "create", "--role", "admin"]);
    assert!(a.starts_with("dmk_") && a.len() > 70, "the token alone on stdout: {a}");
    let listed = cli(data.path(), &["token", "list"]);
    assert_eq!(listed.lines().count(), 4);
    assert!(!listed.contains(&a[17..]), "secrets are never listed");
    let server = TestServer::start_on(data, &["--base-url", BASE]);
    Registry { server, a, b, steward, admin }
}

fn dataset(title: &str, access: &str, personal: bool) -> String {
    std::fs::read_to_string(fixture("records/dataset.ttl"))
        .expect("fixture")
        .replace("{{BASE}}", BASE)
        .replace("{{TITLE}}", title)
        .replace("{{ACCESS}}", access)
        .replace("{{PERSONAL}}", if personal { "true" } else { "false" })
}

fn codelist(title: &str) -> String {
    std::fs::read_to_string(fixture("records/codelist.ttl")).expect("fixture").replace("{{TITLE}}", title)
}

impl Registry {
    fn client(&self) -> &Client {
        &self.server.client
    }

    fn with(&self, request: RequestBuilder, token: Option<&str>) -> Response {
        match token {
            Some(t) => request.bearer_auth(t),
            None => request,
        }
        .send()
        .expect("request")
    }

    fn post(&self, token: Option<&str>, body: &str) -> Response {
        let request = self
            .client()
            .post(self.server.url("api/records"))
            .header("Content-Type", "text/turtle")
            .body(body.to_owned());
        self.with(request, token)
    }

    /// Creates a record as `token` and returns its id.
    #[track_caller]
    fn create(&self, token: &str, body: &str) -> String {
        let response = self.post(Some(token), body);
        let status = response.status().as_u16();
        let text = response.text().expect("body");
        assert_eq!(status, 201, "{text}");
        let json: Value = serde_json::from_str(&text).expect("json");
        json["record"]["id"].as_str().expect("id").to_owned()
    }

    fn get_json(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        let response = self.with(self.client().get(self.server.url(path)), token);
        let status = response.status().as_u16();
        (status, response.json().unwrap_or(Value::Null))
    }

    fn set_status(
        &self,
        token: Option<&str>,
        id: &str,
        status: &str,
        successor: Option<&str>,
    ) -> (u16, String) {
        let body = serde_json::json!({ "status": status, "successor": successor });
        let response = self.with(
            self.client().post(self.server.url(&format!("api/records/{id}/status"))).json(&body),
            token,
        );
        (response.status().as_u16(), response.text().expect("body"))
    }

    fn ask(&self, token: Option<&str>, query: &str) -> bool {
        let request = self
            .client()
            .get(self.server.url("sparql"))
            .query(&[("query", query)])
            .header("Accept", "application/sparql-results+json");
        let json: Value = self.with(request, token).json().expect("json");
        json["boolean"].as_bool().unwrap_or_else(|| panic!("not an ASK answer: {json}"))
    }
}

#[test]
fn the_permission_matrix() {
    let r = setup();
    let a_record = |title: &str| r.create(&r.a, &dataset(title, "PUBLIC", false));
    let tokens: [(&str, Option<&str>); 5] = [
        ("anonymous", None),
        ("publisher A", Some(&r.a)),
        ("publisher B", Some(&r.b)),
        ("steward", Some(&r.steward)),
        ("admin", Some(&r.admin)),
    ];

    // Create: anonymous 401, publishers for their own organisation, stewards never, admins for anyone
    // (the owner is the dct:publisher, or ?owner=).
    for ((who, token), expected) in tokens.iter().zip([401, 201, 201, 403, 201]) {
        assert_eq!(
            r.post(*token, &dataset(&format!("tạo {who}"), "PUBLIC", false)).status().as_u16(),
            expected,
            "create as {who}"
        );
    }
    let on_behalf = r.with(
        r.client()
            .post(r.server.url("api/records?owner=org-a"))
            .header("Content-Type", "text/turtle")
            .body(dataset("admin tạo", "PUBLIC", false)),
        Some(&r.admin),
    );
    assert_eq!(on_behalf.status().as_u16(), 201, "an admin names the owner");

    // Update a record of organisation A.
    let id = a_record("cập nhật");
    for ((who, token), expected) in tokens.iter().zip([401, 200, 403, 403, 200]) {
        let body = dataset(&format!("cập nhật bởi {who}"), "PUBLIC", false);
        let response = r.with(
            r.client()
                .put(r.server.url(&format!("api/records/{id}")))
                .header("Content-Type", "text/turtle")
                .body(body),
            *token,
        );
        assert_eq!(response.status().as_u16(), expected, "update as {who}");
    }
    // Status changes: stewards and admins.
    for ((who, token), expected) in tokens.iter().zip([401, 403, 403, 204, 204]) {
        let id = a_record(&format!("trạng thái {who}"));
        assert_eq!(r.set_status(*token, &id, "retired", None).0, expected, "status change as {who}");
    }
    // Withdraw: the owner, stewards (a status change) and admins.
    for ((who, token), expected) in tokens.iter().zip([401, 204, 403, 204, 204]) {
        let id = a_record(&format!("rút {who}"));
        let response = r.with(r.client().delete(r.server.url(&format!("api/records/{id}"))), *token);
        assert_eq!(response.status().as_u16(), expected, "withdraw as {who}");
    }
    // Purge: admins only.
    for ((who, token), expected) in tokens.iter().zip([401, 403, 403, 403, 204]) {
        let id = a_record(&format!("xoá {who}"));
        let response =
            r.with(r.client().delete(r.server.url(&format!("api/records/{id}?purge=true"))), *token);
        assert_eq!(response.status().as_u16(), expected, "purge as {who}");
        if expected == 204 {
            assert_eq!(r.get_json(&format!("api/records/{id}"), Some(&r.admin)).0, 404, "purged");
        }
    }
    // Organisations and tokens: admins only.
    for (i, ((who, token), expected)) in tokens.iter().zip([401, 403, 403, 403, 201]).enumerate() {
        let org = serde_json::json!({ "id": format!("org-new-{i}"), "name_vi": "Sở mới", "name_en": "New department", "type": "province" });
        let response = r.with(r.client().post(r.server.url("api/orgs")).json(&org), *token);
        assert_eq!(response.status().as_u16(), expected, "add org as {who}");
        let token_form = serde_json::json!({ "role": "publisher", "org": "org-b" });
        let response = r.with(r.client().post(r.server.url("api/tokens")).json(&token_form), *token);
        assert_eq!(response.status().as_u16(), expected, "create token as {who}");
    }
    // A bad token is refused, never treated as anonymous.
    let response = r.with(r.client().get(r.server.url("api/records")), Some("dmk_000000000000_0000"));
    assert_eq!(response.status().as_u16(), 401);
}

#[test]
fn the_lifecycle_table() {
    let r = setup();
    let states = ["submitted", "experimental", "stable", "superseded", "retired", "invalid"];
    let legal = |from: &str, to: &str| {
        matches!(
            (from, to),
            ("submitted", "experimental" | "stable" | "invalid")
                | ("experimental", "stable" | "superseded" | "retired" | "invalid")
                | ("stable", "superseded" | "retired" | "invalid")
                | ("superseded" | "retired", "invalid")
        )
    };
    let successor = r.create(&r.a, &codelist("kế nhiệm"));
    // A code list in each state, reached by legal steps from `submitted`.
    let in_state = |state: &str, n: usize| -> String {
        let id = r.create(&r.a, &codelist(&format!("{state} {n}")));
        let steps: &[&str] = match state {
            "submitted" => &[],
            "experimental" => &["experimental"],
            "stable" => &["stable"],
            "superseded" => &["stable", "superseded"],
            "retired" => &["stable", "retired"],
            _ => &["invalid"],
        };
        for step in steps {
            let succ = (*step == "superseded").then_some(successor.as_str());
            assert_eq!(r.set_status(Some(&r.steward), &id, step, succ).0, 204, "{state}: step {step}");
        }
        id
    };
    for (n, from) in states.iter().enumerate() {
        for to in states {
            let id = in_state(from, n);
            let successor_arg = (to == "superseded").then_some(successor.as_str());
            let (status, body) = r.set_status(Some(&r.steward), &id, to, successor_arg);
            if legal(from, to) {
                assert_eq!(status, 204, "{from} → {to}: {body}");
                let (_, record) = r.get_json(&format!("api/records/{id}"), Some(&r.steward));
                assert_eq!(record["status"], to);
            } else {
                assert_eq!(status, 409, "{from} → {to} is illegal: {body}");
                assert!(body.contains("may become"), "409 names the allowed ones: {body}");
            }
        }
    }
    let id = in_state("stable", 99);
    assert_eq!(r.set_status(Some(&r.steward), &id, "approved", None).0, 400, "unknown status");
    assert_eq!(
        r.set_status(Some(&r.steward), &id, "superseded", None).0,
        400,
        "superseded needs a successor"
    );
    assert_eq!(r.set_status(Some(&r.steward), &id, "superseded", Some(&successor)).0, 204);
    let (_, old) = r.get_json(&format!("api/records/{id}"), Some(&r.steward));
    let (_, new) = r.get_json(&format!("api/records/{successor}"), Some(&r.steward));
    assert_eq!(old["successor"], new["iri"], "recorded on the superseded record");
    assert_eq!(new["predecessor"], old["iri"], "and on its successor");
    // Abstract filters.
    let (_, valid) = r.get_json("api/records?type=standard&status=valid&per_page=1000", Some(&r.steward));
    assert!(
        valid["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|i| i["status"] == "stable" || i["status"] == "experimental")
    );
    let (_, deprecated) =
        r.get_json("api/records?type=standard&status=deprecated&per_page=1000", Some(&r.steward));
    assert!(deprecated["total"].as_u64().expect("total") >= 2);
    assert!(
        deprecated["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|i| i["status"] == "superseded" || i["status"] == "retired")
    );
    // A new standard waits for a steward; a new dataset is stable at once.
    let (_, standard) =
        r.get_json(&format!("api/records/{}", r.create(&r.a, &codelist("chờ duyệt"))), Some(&r.a));
    assert_eq!(standard["status"], "submitted");
    let (_, data) = r.get_json(
        &format!("api/records/{}", r.create(&r.a, &dataset("ổn định", "PUBLIC", false))),
        Some(&r.a),
    );
    assert_eq!(data["status"], "stable");
}

#[test]
fn versions_diff_etags_and_time_travel() {
    let r = setup();
    let id = r.create(&r.a, &dataset("Phiên bản một", "PUBLIC", false));
    let (_, v1) = r.get_json(&format!("api/records/{id}"), None);
    let etag1 = v1["etag"].as_str().expect("etag").to_owned();
    std::thread::sleep(Duration::from_millis(20));
    let between = oxsdatatypes::DateTime::now().to_string();
    std::thread::sleep(Duration::from_millis(20));
    let put = |title: &str, if_match: &str| {
        r.with(
            r.client()
                .put(r.server.url(&format!("api/records/{id}")))
                .header("Content-Type", "text/turtle")
                .header("If-Match", if_match)
                .body(dataset(title, "PUBLIC", false)),
            Some(&r.a),
        )
    };
    let response = put("Phiên bản hai", &format!("\"{etag1}\""));
    assert_eq!(response.status().as_u16(), 200);
    let etag2 = header(&response, "etag");
    assert_ne!(etag2.trim_matches('"'), etag1);
    assert_eq!(put("Phiên bản ba", &format!("\"{etag1}\"")).status().as_u16(), 412, "a stale ETag");
    let unchanged = put("Phiên bản hai", &etag2);
    assert_eq!(unchanged.status().as_u16(), 200);
    let json: Value = unchanged.json().expect("json");
    assert_eq!(json["result"], "unchanged");
    assert_eq!(json["record"]["version"], 2, "an unchanged resubmission makes no version");

    let (_, versions) = r.get_json(&format!("api/records/{id}/versions"), None);
    assert_eq!(versions["versions"].as_array().map(Vec::len), Some(2));
    let old = r
        .client()
        .get(r.server.url(&format!("api/records/{id}/versions/1")))
        .header("Accept", "application/n-triples")
        .send()
        .expect("v1");
    let old = old.text().expect("body");
    assert!(old.contains("Phiên bản một"), "{old}");
    let diff: Value = r
        .client()
        .get(r.server.url(&format!("api/records/{id}/diff?from=1&to=2")))
        .send()
        .expect("diff")
        .json()
        .expect("json");
    let added = diff["added"].as_array().expect("added");
    let removed = diff["removed"].as_array().expect("removed");
    assert_eq!((added.len(), removed.len()), (1, 1), "one title changed: {diff}");
    assert!(added[0].as_str().expect("line").contains("Phiên bản hai"));
    assert!(removed[0].as_str().expect("line").contains("Phiên bản một"));
    let text = r
        .client()
        .get(r.server.url(&format!("api/records/{id}/diff?from=1&to=2")))
        .header("Accept", "text/plain")
        .send()
        .expect("diff")
        .text()
        .expect("body");
    assert!(
        text.starts_with("version 1 → 2: 1 added, 1 removed") && text.contains("+ ") && text.contains("- "),
        "{text}"
    );

    let iri = v1["iri"].as_str().expect("iri");
    let path = iri.strip_prefix(BASE).expect("under the base");
    let then = r
        .client()
        .get(r.server.url(path))
        .query(&[("at", between.as_str())])
        .header("Accept", "application/n-triples")
        .send()
        .expect("at");
    assert_eq!(then.status().as_u16(), 200);
    assert!(then.text().expect("body").contains("Phiên bản một"), "?at= gives the record as it was");
    let now = r
        .client()
        .get(r.server.url(path))
        .header("Accept", "text/turtle")
        .send()
        .expect("now")
        .text()
        .expect("body");
    assert!(now.contains("Phiên bản hai"));
}

#[test]
fn violations_are_refused_with_a_report_and_store_nothing() {
    let r = setup();
    let count =
        || r.get_json("api/records?per_page=1000", Some(&r.admin)).1["total"].as_u64().expect("total");
    let before = count();
    let untitled = dataset("x", "PUBLIC", false).replace("dct:title \"x\"@vi, \"Test dataset\"@en ;", "");
    let response = r.post(Some(&r.a), &untitled);
    assert_eq!(response.status().as_u16(), 422);
    assert_eq!(header(&response, "content-type"), "text/turtle");
    let report = canonical(RdfFormat::Turtle, response.text().expect("body").as_bytes()).to_string();
    assert!(
        report.contains("http://www.w3.org/ns/shacl#ValidationReport")
            && report.contains("MinCountConstraintComponent"),
        "{report}"
    );
    let text = r.with(
        r.client()
            .post(r.server.url("api/records"))
            .header("Content-Type", "text/turtle")
            .header("Accept", "text/plain")
            .body(untitled.clone()),
        Some(&r.a),
    );
    assert_eq!(text.status().as_u16(), 422);
    assert!(text.text().expect("body").to_lowercase().contains("violation"));
    let jsonld = r.with(
        r.client()
            .post(r.server.url("api/records"))
            .header("Content-Type", "text/turtle")
            .header("Accept", "application/ld+json")
            .body(untitled),
        Some(&r.a),
    );
    assert_eq!(header(&jsonld, "content-type"), "application/ld+json");
    // The privacy rule of the national profile.
    let personal = r.post(Some(&r.a), &dataset("dữ liệu cá nhân", "PUBLIC", true));
    assert_eq!(personal.status().as_u16(), 422, "personal data must not be public");
    assert_eq!(r.post(Some(&r.a), &dataset("dữ liệu cá nhân", "RESTRICTED", true)).status().as_u16(), 201);
    assert_eq!(count(), before + 1, "refused submissions stored nothing");
}

#[test]
fn bad_input_gets_clear_errors_and_stores_nothing() {
    let r = setup();
    let response = r.post(Some(&r.a), "@prefix dct: <http://purl.org/dc/terms/> .\n<> dct:title \"x\" , .");
    assert_eq!(response.status().as_u16(), 400);
    let text = response.text().expect("body");
    assert!(text.contains("not valid Turtle: 2:20:"), "line and column: {text}");
    let none = r.post(Some(&r.a), "<http://x.example/a> <http://x.example/p> 1 .");
    assert_eq!(none.status().as_u16(), 400);
    assert!(none.text().expect("body").contains("no main resource"));
    let two = r.post(Some(&r.a), "@prefix dcat: <http://www.w3.org/ns/dcat#> . <http://x.example/a> a dcat:Dataset . <http://x.example/b> a dcat:Dataset .");
    assert_eq!(two.status().as_u16(), 400);
    assert!(two.text().expect("body").contains("several main resources"));
    let wrong_type = r.with(
        r.client().post(r.server.url("api/records")).header("Content-Type", "application/pdf").body("a,b"),
        Some(&r.a),
    );
    assert_eq!(wrong_type.status().as_u16(), 415);
    // CSV is a code list (issue 6), which needs the scheme's IRI.
    let csv = r.with(
        r.client().post(r.server.url("api/records")).header("Content-Type", "text/csv").body("a,b"),
        Some(&r.a),
    );
    assert_eq!(csv.status().as_u16(), 400);
    assert!(csv.text().expect("body").contains("?scheme="));
    let huge = r.post(Some(&r.a), &format!("# {}", "x".repeat(17 * 1024 * 1024)));
    assert_eq!(huge.status().as_u16(), 413);
    assert_eq!(r.get_json("api/records/no-such-record", Some(&r.admin)).0, 404);
    let (_, all) = r.get_json("api/records", Some(&r.admin));
    assert_eq!(all["total"], 2, "only the two organisations");
}

#[test]
fn restricted_and_private_records_are_invisible_on_every_read_path() {
    let r = setup();
    let public = r.create(&r.a, &dataset("công khai", "PUBLIC", false));
    let restricted = r.create(&r.a, &dataset("hạn chế", "RESTRICTED", false));
    let private = r.create(&r.a, &dataset("không công khai", "NON_PUBLIC", false));
    let iri = |id: &str| format!("{BASE}dataset/{id}");
    // API and record IRIs.
    let sees = |token: Option<&str>, id: &str| r.get_json(&format!("api/records/{id}"), token).0 == 200;
    let matrix = [
        ("anonymous", None, [true, false, false]),
        ("publisher B", Some(r.b.as_str()), [true, true, false]),
        ("publisher A", Some(r.a.as_str()), [true, true, true]),
        ("steward", Some(r.steward.as_str()), [true, true, true]),
    ];
    for (who, token, expected) in &matrix {
        for (id, expected) in [&public, &restricted, &private].into_iter().zip(expected) {
            assert_eq!(sees(*token, id), *expected, "{who} sees {id} in the API");
            let page = r.with(
                r.client().get(r.server.url(&format!("dataset/{id}"))).header("Accept", "text/turtle"),
                *token,
            );
            assert_eq!(page.status().as_u16() == 200, *expected, "{who} dereferences {id}");
            let listed =
                r.get_json("api/records?per_page=1000", *token).1.to_string().contains(&format!("\"{id}\""));
            assert_eq!(listed, *expected, "{who} lists {id}");
            for query in [
                format!("ASK {{ <{}> ?p ?o }}", iri(id)),
                format!("ASK {{ GRAPH ?g {{ <{}> ?p ?o }} }}", iri(id)),
                format!("ASK FROM <{}> {{ ?s ?p ?o }}", iri(id)),
                format!("ASK {{ ?s <https://w3id.org/danhmuc/ns#recordId> \"{id}\" }}"),
            ] {
                assert_eq!(r.ask(*token, &query), *expected, "{who}: {query}");
            }
        }
    }
    // The audit trail: stewards and admins.
    let audit = "ASK { GRAPH <urn:danhmuc:graph:audit> { ?e a <https://w3id.org/danhmuc/ns#AuditEvent> } }";
    assert!(r.ask(Some(&r.steward), audit));
    assert!(r.ask(Some(&r.admin), audit));
    assert!(!r.ask(Some(&r.a), audit));
    assert!(!r.ask(None, audit));
    // Token hashes: nobody over HTTP.
    assert!(!r.ask(Some(&r.admin), "ASK { GRAPH <urn:danhmuc:graph:tokens> { ?s ?p ?o } }"));
}

#[test]
fn a_withdrawn_record_answers_410_with_its_tombstone() {
    let r = setup();
    let id = r.create(&r.a, &dataset("sẽ rút", "PUBLIC", false));
    assert_eq!(
        r.with(r.client().delete(r.server.url(&format!("api/records/{id}"))), Some(&r.a)).status().as_u16(),
        204
    );
    let gone = r
        .client()
        .get(r.server.url(&format!("dataset/{id}")))
        .header("Accept", "application/n-triples")
        .send()
        .expect("get");
    assert_eq!(gone.status().as_u16(), 410);
    let tombstone = gone.text().expect("body");
    assert!(
        tombstone.contains("http://www.w3.org/2002/07/owl#deprecated") && tombstone.contains("sẽ rút"),
        "{tombstone}"
    );
    let (_, record) = r.get_json(&format!("api/records/{id}"), None);
    assert_eq!(record["status"], "retired");
    // The content it had is kept as its last version, for its owner.
    let last = r.with(
        r.client()
            .get(r.server.url(&format!("api/records/{id}/versions/1")))
            .header("Accept", "application/n-triples"),
        Some(&r.a),
    );
    assert_eq!(last.status().as_u16(), 200);
    let last = last.text().expect("body");
    assert!(last.contains("sẽ rút") && !last.contains("owl#deprecated"), "{last}");
    let put = r.with(
        r.client()
            .put(r.server.url(&format!("api/records/{id}")))
            .header("Content-Type", "text/turtle")
            .body(dataset("x", "PUBLIC", false)),
        Some(&r.a),
    );
    assert_eq!(put.status().as_u16(), 409, "a withdrawn record cannot be changed");
}

#[test]
fn acknowledged_writes_survive_kill_9() {
    for round in 0..3 {
        let r = setup();
        let (a, base) = (r.a.clone(), r.server.base.clone());
        let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let writers: Vec<_> = (0..8)
            .map(|w| {
                let (token, base, acknowledged) = (a.clone(), base.clone(), acknowledged.clone());
                std::thread::spawn(move || {
                    let client = Client::builder().timeout(Duration::from_secs(10)).build().expect("client");
                    for i in 0..1000 {
                        let title = format!("bền vững {round}-{w}-{i}");
                        let sent = client
                            .post(format!("{base}api/records"))
                            .bearer_auth(&token)
                            .header("Content-Type", "text/turtle")
                            .body(dataset(&title, "PUBLIC", false))
                            .send();
                        match sent {
                            Ok(response) if response.status().as_u16() == 201 => {
                                let json: Value = response.json().expect("json");
                                acknowledged
                                    .lock()
                                    .expect("lock")
                                    .push((json["record"]["id"].as_str().expect("id").to_owned(), title));
                            }
                            // The server died under us: stop.
                            _ => return,
                        }
                    }
                })
            })
            .collect();
        // Kill mid-stream: once some writes were acknowledged (how long that takes depends on the
        // machine's load), while the writers are still sending.
        let wanted = 20 + 20 * round;
        let deadline = std::time::Instant::now() + Duration::from_secs(120);
        while acknowledged.lock().expect("lock").len() < wanted && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let data = r.server.kill();
        for writer in writers {
            writer.join().expect("writer");
        }
        let acknowledged = acknowledged.lock().expect("lock").clone();
        assert!(acknowledged.len() > 10, "round {round}: writes went through before the kill");
        let server = TestServer::start_on(data, &["--base-url", BASE]);
        for (id, title) in &acknowledged {
            let response = server
                .client
                .get(server.url(&format!("dataset/{id}")))
                .header("Accept", "application/n-triples")
                .send()
                .expect("get");
            assert_eq!(response.status().as_u16(), 200, "round {round}: acknowledged record {id} is there");
            let content = response.text().expect("body");
            assert!(
                content.contains(title.as_str()) && content.contains("test.csv"),
                "round {round}: {id} is complete"
            );
        }
        let json: Value = server
            .client
            .get(server.url("api/records?type=dataset&per_page=1000"))
            .send()
            .expect("list")
            .json()
            .expect("json");
        let total = json["total"].as_u64().expect("total");
        assert!(
            total >= acknowledged.len() as u64 && total <= acknowledged.len() as u64 + 8,
            "round {round}: nothing half-written appears ({total} vs {})",
            acknowledged.len()
        );
    }
}

#[test]
fn publishers_are_public_pages_and_rdf() {
    let r = setup();
    r.create(&r.a, &dataset("của sở A", "PUBLIC", false));
    r.create(&r.a, &dataset("riêng của sở A", "NON_PUBLIC", false));
    let browser = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8";
    let html = r
        .client()
        .get(r.server.url("publishers"))
        .header("Accept", browser)
        .send()
        .expect("get")
        .text()
        .expect("body");
    assert!(
        html.contains("Sở A") && html.contains("Ministry B") && html.contains("/publishers/org-a"),
        "{html}"
    );
    // Each publisher's count is of the records the reader may see: the private one only for org A.
    let count_of_a = |token: Option<&str>| {
        let html = r
            .with(r.client().get(r.server.url("publishers")).header("Accept", browser), token)
            .text()
            .expect("body");
        let item = html.split("href=\"/publishers/org-a\"").nth(1).expect("org A listed");
        item[..item.find("</li>").expect("its item")].to_owned()
    };
    assert!(count_of_a(None).contains(">1 bản ghi<"), "{}", count_of_a(None));
    assert!(count_of_a(Some(&r.a)).contains(">2 bản ghi<"), "{}", count_of_a(Some(&r.a)));
    assert!(count_of_a(Some(&r.b)).contains(">1 bản ghi<"), "{}", count_of_a(Some(&r.b)));
    let turtle = r
        .client()
        .get(r.server.url("publishers"))
        .header("Accept", "text/turtle")
        .send()
        .expect("get")
        .text()
        .expect("body");
    let graph = canonical(RdfFormat::Turtle, turtle.as_bytes()).to_string();
    assert!(
        graph.contains("http://xmlns.com/foaf/0.1/Agent") && graph.contains("publisher/org-b"),
        "{graph}"
    );
    // The page lists records from the search index, which follows a write a few milliseconds later.
    let publisher_page = |token: Option<&str>, wanted: &str| {
        let mut page = String::new();
        for _ in 0..100 {
            page = r
                .with(r.client().get(r.server.url("publishers/org-a")).header("Accept", browser), token)
                .text()
                .expect("body");
            if page.contains(wanted) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        page
    };
    let page = publisher_page(None, "của sở A");
    assert!(page.contains("của sở A"), "its public record is listed: {page}");
    let own = publisher_page(Some(r.a.as_str()), "riêng của sở A");
    assert!(own.contains("riêng của sở A"), "the owner sees it");
    let page = publisher_page(None, "của sở A");
    assert!(!page.contains("riêng của sở A"), "its non-public record is not, for anonymous readers");
    assert_eq!(r.client().get(r.server.url("publishers/nobody")).send().expect("get").status().as_u16(), 404);
}

#[test]
fn a_catalogue_document_becomes_one_record_per_dataset() {
    let r = setup();
    let one = dataset("trong danh mục một", "PUBLIC", false)
        .replace("<>", "<http://org-a.example/ds/1>")
        .replace("<#", "<http://org-a.example/ds/1#");
    let two = dataset("trong danh mục hai", "PUBLIC", false)
        .replace("<>", "<http://org-a.example/ds/2>")
        .replace("<#", "<http://org-a.example/ds/2#");
    let broken = dataset("x", "PUBLIC", false)
        .replace("<>", "<http://org-a.example/ds/3>")
        .replace("<#", "<http://org-a.example/ds/3#")
        .replace("dct:title \"x\"@vi, \"Test dataset\"@en ;", "");
    let catalogue = format!(
        "{one}\n{}\n{}\n<http://org-a.example/catalog> a <http://www.w3.org/ns/dcat#Catalog> ; <http://www.w3.org/ns/dcat#dataset> <http://org-a.example/ds/1>, <http://org-a.example/ds/2>, <http://org-a.example/ds/3> .",
        strip_prefixes(&two),
        strip_prefixes(&broken)
    );
    let post = || {
        let response = r.with(
            r.client()
                .post(r.server.url("api/catalogues"))
                .header("Content-Type", "text/turtle")
                .body(catalogue.clone()),
            Some(&r.a),
        );
        assert_eq!(response.status().as_u16(), 200);
        let json: Value = response.json().expect("json");
        let mut results: Vec<(String, String)> = json["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|i| {
                (
                    i["resource"].as_str().expect("resource").to_owned(),
                    i["result"].as_str().expect("result").to_owned(),
                )
            })
            .collect();
        results.sort();
        results
    };
    let first = post();
    assert_eq!(
        first.iter().map(|(_, result)| result.as_str()).collect::<Vec<_>>(),
        ["created", "created", "rejected"],
        "{first:?}"
    );
    let second = post();
    assert_eq!(
        second.iter().map(|(_, result)| result.as_str()).collect::<Vec<_>>(),
        ["unchanged", "unchanged", "rejected"]
    );
    let (_, record) = r.get_json(
        &format!(
            "api/records/{}",
            r.get_json("api/records?type=dataset", None).1["items"][0]["id"].as_str().expect("id")
        ),
        None,
    );
    assert!(
        record["iri"].as_str().expect("iri").starts_with("http://org-a.example/ds/"),
        "the publisher's own IRIs are kept"
    );
}

/// Turtle fixtures repeat their prefixes; a concatenation needs them once.
fn strip_prefixes(turtle: &str) -> String {
    turtle.lines().filter(|l| !l.starts_with("@prefix")).collect::<Vec<_>>().join("\n")
}
