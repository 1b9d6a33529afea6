//! `danhmuc validate` and `POST /validate`: exit codes, report formats, profiles, uploads, limits.

use super::common::{TestServer, canonical, fixture, header, run_cli};
use oxigraph::io::RdfFormat;

const SHAPES: &str = r#"@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
<urn:shape> a sh:NodeShape ; sh:targetClass dcat:Dataset ;
    sh:property [ sh:path dct:title ; sh:minCount 1 ; sh:message "a dataset needs a title" ] .
"#;

const GOOD: &str = "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n<urn:d> a dcat:Dataset ; dct:title \"x\" .\n";
const BAD: &str = "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<urn:d> a dcat:Dataset .\n";

#[test]
fn the_cli_exit_code_says_whether_data_conforms() {
    let dir = super::common::tempdir().expect("temp");
    let write = |name: &str, content: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, content).expect("write");
        path.to_str().expect("utf-8").to_owned()
    };
    let shapes = write("shapes.ttl", SHAPES);
    let good = write("good.ttl", GOOD);
    let bad = write("bad.ttl", BAD);
    let broken = write(
        "broken.ttl",
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<urn:d> a dcat:Dataset\n<urn:e> a dcat:Dataset .\n",
    );
    let output = run_cli(&["validate", "--shapes", &shapes, &good]);
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("conforms"), "a Turtle report");
    let output = run_cli(&["validate", "--shapes", &shapes, &bad]);
    assert_eq!(output.status.code(), Some(1));
    let report = canonical(RdfFormat::Turtle, &output.stdout).to_string();
    assert!(report.contains("MinCountConstraintComponent") && report.contains("urn:d"), "{report}");
    let text = run_cli(&["validate", "--shapes", &shapes, "--format", "text", &bad]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("a dataset needs a title"));
    let jsonld = run_cli(&["validate", "--shapes", &shapes, "--format", "jsonld", &bad]);
    assert!(!canonical(danhmuc::rdf::io::JSON_LD, &jsonld.stdout).is_empty());
    let output = run_cli(&["validate", "--shapes", &shapes, &broken]);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.starts_with(&format!("danhmuc: {broken}:3:1:")), "FILE:LINE:COL: {message}");
    let ill = write(
        "ill.ttl",
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:s> a sh:PropertyShape ; sh:minCount 1 .\n",
    );
    let output = run_cli(&["validate", "--shapes", &ill, &good]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("urn:s"), "the ill-formed shape is named");
    // A bundled profile, and the whole store.
    let demo = std::fs::read_to_string(fixture("records/dataset.ttl")).expect("fixture");
    let record = write(
        "record.ttl",
        &demo
            .replace("{{BASE}}", "http://registry.test/")
            .replace("{{TITLE}}", "T")
            .replace("{{ACCESS}}", "PUBLIC")
            .replace("{{PERSONAL}}", "false"),
    );
    let output = run_cli(&["validate", "--profile", "dcat-ap-vn", "--format", "text", &record]);
    assert_eq!(output.status.code(), Some(1), "without the store, the publisher is not a known foaf:Agent");
    assert!(String::from_utf8_lossy(&output.stdout).contains("publisher/org-a"));
    let data = super::common::tempdir().expect("temp");
    let path = data.path().to_str().expect("utf-8");
    assert!(run_cli(&["import", "--data", path, &good]).status.success());
    assert_eq!(run_cli(&["validate", "--shapes", &shapes, "--data", path]).status.code(), Some(0));
    // Another dataset, without a title (the same <urn:d> would merge with the one that has one).
    let untitled = write("untitled.ttl", &BAD.replace("urn:d", "urn:untitled"));
    assert!(run_cli(&["import", "--data", path, &untitled]).status.success());
    let output = run_cli(&["validate", "--shapes", &shapes, "--format", "text", "--data", path]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("urn:untitled"));
}

#[test]
fn post_validate_takes_a_body_or_a_form_and_stores_nothing() {
    let server = TestServer::start(&["--demo", "--max-validate-body", "65536"]);
    let post = |query: &str, content_type: &str, accept: &str, body: &str| {
        server
            .client
            .post(server.url(&format!("validate{query}")))
            .header("Content-Type", content_type)
            .header("Accept", accept)
            .body(body.to_owned())
            .send()
            .expect("request")
    };
    // A dataset naming a demo publisher: sh:class sees the store.
    let publisher = format!("{}publisher/ubnd-ha-noi", server.base);
    let demo = std::fs::read_to_string(fixture("records/dataset.ttl"))
        .expect("fixture")
        .replace("{{BASE}}publisher/org-a", &publisher)
        .replace("{{TITLE}}", "Kiểm tra")
        .replace("{{ACCESS}}", "PUBLIC")
        .replace("{{PERSONAL}}", "false")
        .replace("<> a dcat:Dataset ;", "<urn:x:d> a dcat:Dataset ; dct:identifier \"d\" ;")
        .replace("<#", "<urn:x:d#");
    let response = post("?profile=dcat-ap-vn", "text/turtle", "application/n-triples", &demo);
    assert_eq!(response.status().as_u16(), 200);
    let report = response.text().expect("body");
    // Warnings and infos (recommended properties) are results too, so SHACL's `conforms` may be false;
    // what matters is that no result is a violation.
    assert!(!report.contains("<http://www.w3.org/ns/shacl#Violation>"), "{report}");
    let response = post(
        "?profile=dcat-ap-vn",
        "text/turtle",
        "text/turtle",
        &demo.replace(&publisher, "http://nobody.example/org"),
    );
    assert_eq!(header(&response, "danhmuc-conforms"), "false");
    assert!(
        canonical(RdfFormat::Turtle, response.text().expect("body").as_bytes())
            .to_string()
            .contains("ClassConstraintComponent")
    );
    let response = post("?profile=dcat-ap-vn", "text/turtle", "application/ld+json", BAD);
    assert_eq!(header(&response, "content-type"), "application/ld+json");
    assert_eq!(post("?profile=nope", "text/turtle", "*/*", GOOD).status().as_u16(), 400);
    assert_eq!(post("", "text/turtle", "*/*", GOOD).status().as_u16(), 400, "a profile or shapes are needed");
    let broken = post("?profile=dcat-ap-vn", "text/turtle", "*/*", "<urn:a> <urn:b> .");
    assert_eq!(broken.status().as_u16(), 400);
    assert!(broken.text().expect("body").contains("1:"), "line and column");
    assert_eq!(post("?profile=dcat-ap-vn", "text/turtle", "*/*", &"#".repeat(70_000)).status().as_u16(), 413);
    // A multipart form with uploaded shapes.
    let form = reqwest::blocking::multipart::Form::new()
        .part("data", reqwest::blocking::multipart::Part::text(BAD).file_name("data.ttl"))
        .part("shapes", reqwest::blocking::multipart::Part::text(SHAPES).file_name("shapes.ttl"));
    let response = server
        .client
        .post(server.url("validate"))
        .header("Accept", "text/plain")
        .multipart(form)
        .send()
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(header(&response, "danhmuc-conforms"), "false");
    assert!(response.text().expect("body").contains("a dataset needs a title"));
    // Nothing was stored.
    assert_eq!(server.count("SELECT (COUNT(*) AS ?n) WHERE { <urn:d> ?p ?o }"), 0);
}
