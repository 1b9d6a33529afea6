//! Data standards against a real server, on real content: the Vietnamese administrative units
//! (63 provinces, 696 districts, 10 047 wards; JSON converted to CSV here), the six versions of the
//! mobilityDCAT-AP mobility-theme scheme and the EU data-theme table (25 languages), all read from
//! `../shared/conformance/vocabularies/`. CSV and RDF round trips, versions and diffs, deprecated
//! concepts that keep resolving, diacritic-insensitive search, the Skosmos REST subset, quality
//! checks that block publication, and impact analysis.

use super::common::{TestServer, canonical, header, require_shared, run_cli, shared_dir};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Triple;
use reqwest::blocking::{RequestBuilder, Response};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::time::Instant;

use super::common::REGISTRY_BASE as BASE;

pub(super) struct Server {
    pub(super) server: TestServer,
    pub(super) a: String,
    pub(super) b: String,
    pub(super) steward: String,
}

use super::common::registry_cli_ok as cli;

pub(super) fn setup() -> Server {
    let data = super::common::tempdir().expect("temp");
    cli(
        data.path(),
        &[
            "org",
            "add",
            "org-a",
            "--name-vi",
            "Tổng cục A",
            "--name-en",
            "Office A",
            "--type",
            "standards-body",
        ],
    );
    cli(
        data.path(),
        &["org", "add", "org-b", "--name-vi", "Sở B", "--name-en", "Department B", "--type", "province"],
    );
    let a = cli(data.path(), &["token", "create", "--org", "org-a", "--role", "publisher"]);
    let b = cli(data.path(), &["token", "create", "--org", "org-b", "--role", "publisher"]);
    let steward = cli(data.path(), &["token", "create", "--role", "steward"]);
    let server = TestServer::start_on(data, &["--base-url", BASE]);
    Server { server, a, b, steward }
}

impl Server {
    fn send(&self, request: RequestBuilder, token: Option<&str>) -> Response {
        match token {
            Some(t) => request.bearer_auth(t),
            None => request,
        }
        .send()
        .expect("request")
    }

    pub(super) fn get(&self, path: &str, accept: &str, token: Option<&str>) -> Response {
        self.send(self.server.client.get(self.server.url(path)).header("Accept", accept), token)
    }

    #[track_caller]
    pub(super) fn json(&self, path: &str, token: Option<&str>) -> Value {
        let response = self.get(path, "application/json", token);
        let status = response.status().as_u16();
        let text = response.text().expect("body");
        assert_eq!(status, 200, "{path}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}: {text}"))
    }

    pub(super) fn post_csv(&self, token: &str, query: &[(&str, &str)], csv: &str) -> (u16, Value) {
        let request = self
            .server
            .client
            .post(self.server.url("api/records"))
            .query(query)
            .header("Content-Type", "text/csv")
            .body(csv.to_owned());
        let response = self.send(request, Some(token));
        let status = response.status().as_u16();
        let text = response.text().expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub(super) fn write_rdf(&self, token: &str, id: Option<&str>, turtle: &str) -> (u16, Value) {
        let client = &self.server.client;
        let request = match id {
            None => client.post(self.server.url("api/records")),
            Some(id) => client.put(self.server.url(&format!("api/records/{id}"))),
        };
        let response =
            self.send(request.header("Content-Type", "text/turtle").body(turtle.to_owned()), Some(token));
        let status = response.status().as_u16();
        let text = response.text().expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub(super) fn set_status(&self, id: &str, status: &str) -> (u16, String) {
        let body = serde_json::json!({ "status": status });
        let response = self.send(
            self.server.client.post(self.server.url(&format!("api/records/{id}/status"))).json(&body),
            Some(&self.steward),
        );
        (response.status().as_u16(), response.text().expect("body"))
    }
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
}

/// The name without its type word ("Thành phố Hà Nội" → "Hà Nội"), as an alternative label.
fn short_name(name: &str) -> Option<&str> {
    ["Thành phố ", "Tỉnh ", "Quận ", "Huyện ", "Thị xã ", "Phường ", "Xã ", "Thị trấn "]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .filter(|rest| !rest.is_empty() && rest.chars().next().is_some_and(char::is_alphabetic))
}

/// Converts the GSO administrative-units JSON to the documented CSV: notation, labels, broader.
pub(super) fn admin_units_csv(json: &Value) -> (String, usize, usize, usize) {
    let mut csv = String::from("notation,prefLabel@vi,altLabel@vi,broader\n");
    let (mut provinces, mut districts, mut wards) = (0, 0, 0);
    let mut row = |id: &str, name: &str, parent: &str| {
        let alt = short_name(name).unwrap_or_default();
        let _ = writeln!(csv, "{},{},{},{}", csv_cell(id), csv_cell(name), csv_cell(alt), csv_cell(parent));
    };
    for p in json["data"].as_array().expect("data") {
        let pid = p["level1_id"].as_str().expect("id");
        row(pid, p["name"].as_str().expect("name"), "");
        provinces += 1;
        for d in p["level2s"].as_array().expect("level2s") {
            let did = d["level2_id"].as_str().expect("id");
            row(did, d["name"].as_str().expect("name"), pid);
            districts += 1;
            for w in d["level3s"].as_array().expect("level3s") {
                row(w["level3_id"].as_str().expect("id"), w["name"].as_str().expect("name"), did);
                wards += 1;
            }
        }
    }
    (csv, provinces, districts, wards)
}

pub(super) fn parse(format: RdfFormat, data: &[u8]) -> Vec<Triple> {
    RdfParser::from_format(format)
        .for_slice(data)
        .map(|q| q.map(Triple::from))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("unparseable {format}: {e}"))
}

#[test]
fn administrative_units_import_publish_resolve_search_and_skosmos() {
    let path = shared_dir().join("conformance/vocabularies/vn-admin-units/dvhcvn.json");
    if !require_shared(&path) {
        return;
    }
    let json: Value = serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
    let (csv, provinces, districts, wards) = admin_units_csv(&json);
    assert_eq!((provinces, districts, wards), (63, 696, 10_047));
    let s = setup();
    let scheme = format!("{BASE}def/dvhc");
    let query = [
        ("scheme", scheme.as_str()),
        ("title_vi", "Danh mục đơn vị hành chính Việt Nam"),
        ("title_en", "Administrative units of Viet Nam"),
        ("version", "2025-03-01"),
    ];
    let start = Instant::now();
    let (status, answer) = s.post_csv(&s.a, &query, &csv);
    let seconds = start.elapsed().as_secs_f64();
    assert_eq!(status, 201, "{answer}");
    let _ = std::io::Write::write_fmt(
        &mut std::io::stderr(),
        format_args!("imported 10 806 administrative units in {seconds:.2} s\n"),
    );
    assert_eq!(answer["record"]["id"], "dvhc");
    assert_eq!(answer["record"]["status"], "submitted", "a data standard waits for a steward");
    let findings = answer["findings"].as_array().expect("findings");
    assert!(findings.iter().all(|f| f["error"] == false), "no blocking quality issue: {answer}");
    assert!(findings.iter().any(|f| f["check"] == "uc"), "undocumented concepts are a warning: {answer}");

    // Not public before a steward publishes it.
    assert_eq!(s.get("def/dvhc", "text/html", None).status().as_u16(), 404);
    assert_eq!(s.set_status("dvhc", "stable"), (204, String::new()));

    // The scheme page: HTML by default (with Vary), RDF by Accept and by suffix, CSV.
    let page = s.get("def/dvhc", "*/*", None);
    assert_eq!(page.status().as_u16(), 200);
    assert!(header(&page, "content-type").starts_with("text/html"));
    assert!(header(&page, "vary").contains("Accept"));
    let html = page.text().expect("html");
    // Vietnamese by default: the status and the count in Vietnamese.
    for expected in ["Danh mục đơn vị hành chính Việt Nam", "Thành phố Hà Nội", "ổn định"]
    {
        assert!(html.contains(expected), "scheme page lacks {expected:?}");
    }
    assert!(html.contains("10806") || html.contains("10.806"), "scheme page lacks the concept count");
    assert!(html.contains("2025-03-01") || html.contains("01/03/2025"), "scheme page lacks the date");
    let turtle = s.get("def/dvhc", "text/turtle", None);
    assert_eq!(header(&turtle, "content-type"), "text/turtle");
    let turtle = turtle.bytes().expect("body");
    let graph = canonical(RdfFormat::Turtle, &turtle);
    for (suffix, format) in [
        (".jsonld", RdfFormat::JsonLd { profile: Default::default() }),
        (".rdf", RdfFormat::RdfXml),
        (".nt", RdfFormat::NTriples),
    ] {
        let body = s.get(&format!("def/dvhc{suffix}"), "*/*", None).bytes().expect("body");
        assert_eq!(canonical(format, &body), graph, "{suffix} is isomorphic to the Turtle");
    }
    let concepts = parse(RdfFormat::Turtle, &turtle)
        .iter()
        .filter(|t| {
            t.predicate.as_str().ends_with("#type") && t.object.to_string().ends_with("core#Concept>")
        })
        .count();
    assert_eq!(concepts, 10_806);

    // CSV round trip: the export, imported again, is the same content (the registry says unchanged).
    let exported = s.get("def/dvhc.csv", "*/*", None).text().expect("csv");
    assert_eq!(exported.lines().count(), 10_807);
    let (status, again) =
        s.post_csv(&s.a, &[("scheme", scheme.as_str()), ("version", "2025-03-01")], &exported);
    assert_eq!((status, again["result"].as_str()), (200, Some("unchanged")), "{again}");

    // Concepts resolve at {base}def/dvhc/{notation}: HTML, and RDF by suffix.
    let hanoi = s.get("def/dvhc/01", "text/html", None).text().expect("html");
    assert!(
        hanoi.contains("Thành phố Hà Nội") && hanoi.contains("Quận Ba Đình"),
        "province page with its districts"
    );
    let ttl = s.get("def/dvhc/00001.ttl", "*/*", None);
    assert_eq!(header(&ttl, "content-type"), "text/turtle");
    let ward = parse(RdfFormat::Turtle, &ttl.bytes().expect("body"));
    assert!(ward.iter().any(|t| t.object.to_string() == "\"Phường Phúc Xá\"@vi"), "{ward:?}");
    assert!(ward.iter().any(|t| t.predicate.as_str().ends_with("core#broader")
        && t.object.to_string() == format!("<{scheme}/001>")));
    assert_eq!(s.get("def/dvhc/99999999", "text/html", None).status().as_u16(), 404);

    // Search ignoring diacritics and case, best match first.
    for (query, expected) in [
        ("ha noi", "Thành phố Hà Nội"),
        ("thanh pho ho chi minh", "Thành phố Hồ Chí Minh"),
        ("da nang", "Thành phố Đà Nẵng"),
        ("HÀ NỘI", "Thành phố Hà Nội"),
        ("phuc xa", "Phường Phúc Xá"),
    ] {
        let answer = s.json(&format!("def/dvhc/search?q={}", query.replace(' ', "%20")), None);
        assert_eq!(answer["results"][0]["prefLabel"], expected, "{query}: {answer}");
        let skosmos =
            s.json(&format!("rest/v1/dvhc/search?query={}&lang=vi", query.replace(' ', "%20")), None);
        assert_eq!(skosmos["results"][0]["prefLabel"], expected, "{query}: {skosmos}");
    }
    let prefix = s.json("def/dvhc/search?q=thanh%20pho%20ho%20chi", None);
    assert_eq!(prefix["results"][0]["prefLabel"], "Thành phố Hồ Chí Minh", "a prefix ranks first: {prefix}");

    // The Skosmos REST subset answers with Skosmos's shapes.
    let vocabs = s.json("rest/v1/vocabularies?lang=vi", None);
    assert_eq!(vocabs["uri"], "");
    assert!(vocabs["@context"]["vocabularies"].is_string());
    assert_eq!(
        vocabs["vocabularies"][0],
        serde_json::json!({ "uri": "dvhc", "id": "dvhc", "title": "Danh mục đơn vị hành chính Việt Nam" })
    );
    let search = s.json("rest/v1/dvhc/search?query=ha%20noi&lang=vi", None);
    let hit = search["results"][0].as_object().expect("a hit");
    for key in ["uri", "type", "prefLabel", "lang", "vocab", "localname"] {
        assert!(hit.contains_key(key), "search hits have {key}: {hit:?}");
    }
    assert_eq!(search["@context"]["results"]["@container"], "@list");
    let tops = s.json("rest/v1/dvhc/topConcepts?lang=vi", None);
    assert_eq!(tops["uri"], scheme);
    let tops = tops["topconcepts"].as_array().expect("topconcepts");
    assert_eq!(tops.len(), 63);
    for top in tops {
        let keys: BTreeSet<&str> = top.as_object().expect("object").keys().map(String::as_str).collect();
        assert_eq!(keys, BTreeSet::from(["uri", "topConceptOf", "label", "hasChildren", "notation"]));
        assert_eq!(top["hasChildren"], true);
    }
    let hanoi_uri = format!("{scheme}/01");
    let children = s.json(&format!("rest/v1/dvhc/children?uri={hanoi_uri}&lang=vi"), None);
    assert_eq!(children["uri"], hanoi_uri);
    let narrower = children["narrower"].as_array().expect("narrower");
    assert_eq!(narrower.len(), json["data"][0]["level2s"].as_array().expect("districts").len());
    assert!(
        narrower
            .iter()
            .all(|n| n["hasChildren"] == true && n["prefLabel"].is_string() && n["notation"].is_string())
    );
    let broader = s.json(&format!("rest/v1/dvhc/broader?uri={scheme}/00001&lang=vi"), None);
    assert_eq!(
        broader["broader"],
        serde_json::json!([{ "uri": format!("{scheme}/001"), "prefLabel": "Quận Ba Đình" }])
    );
    let label = s.json(&format!("rest/v1/dvhc/label?uri={hanoi_uri}&lang=vi"), None);
    assert_eq!(label["prefLabel"], "Thành phố Hà Nội");
    assert_eq!(label["altLabel"], serde_json::json!(["Hà Nội"]));
    let data = s.get(&format!("rest/v1/dvhc/data?uri={hanoi_uri}&format=text/turtle"), "*/*", None);
    assert_eq!(header(&data, "content-type"), "text/turtle");
    assert!(
        parse(RdfFormat::Turtle, &data.bytes().expect("body")).len() > 30,
        "Hà Nội with its narrower links"
    );
    assert_eq!(s.get("rest/v1/dvhc/label?uri=http://nowhere.example/x", "*/*", None).status().as_u16(), 404);
    assert_eq!(s.get("rest/v1/dvhc/search", "*/*", None).status().as_u16(), 400, "query parameter missing");
}

fn mobility_version(version: &str) -> String {
    let path = shared_dir().join(format!(
        "conformance/vocabularies/mobilitydcat-ap/mobility-theme/{version}/mobility-theme.ttl"
    ));
    let turtle = std::fs::read_to_string(path).expect("read");
    // The profile asks for a Vietnamese name; the rest is the published file, unchanged.
    format!(
        "{turtle}\n<https://w3id.org/mobilitydcat-ap/mobility-theme> <http://purl.org/dc/terms/title> \"Chủ đề giao thông\"@vi .\n"
    )
}

fn concepts_of(turtle: &str) -> BTreeSet<String> {
    parse(RdfFormat::Turtle, turtle.as_bytes())
        .into_iter()
        .filter(|t| {
            t.predicate.as_str().ends_with("#type")
                && t.object.to_string() == "<http://www.w3.org/2004/02/skos/core#Concept>"
        })
        .map(|t| t.subject.to_string().trim_matches(['<', '>']).to_owned())
        .collect()
}

#[test]
fn mobility_theme_six_versions_diffs_and_deprecated_concepts() {
    if !require_shared(&shared_dir().join("conformance/vocabularies/mobilitydcat-ap/mobility-theme")) {
        return;
    }
    let s = setup();
    let versions = ["0.1.0", "1.0.0", "1.0.1", "1.1.0", "1.1.1", "2.0.0"];
    let (status, first) = s.write_rdf(&s.a, None, &mobility_version(versions[0]));
    assert_eq!(status, 201, "{first}");
    let id = first["record"]["id"].as_str().expect("id").to_owned();
    for v in &versions[1..] {
        let (status, answer) = s.write_rdf(&s.a, Some(&id), &mobility_version(v));
        assert_eq!(status, 200, "{v}: {answer}");
        assert_eq!(answer["result"], "updated", "{v}");
    }
    let a = Some(s.a.as_str());
    let listed = s.json(&format!("def/{id}/versions"), a);
    let infos: Vec<&str> = listed["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .map(|v| v["versionInfo"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(infos, versions);

    // The diff between 1.1.1 and 2.0.0 lists exactly the concepts that 2.0.0 adds.
    let expected: BTreeSet<String> = concepts_of(&mobility_version("2.0.0"))
        .difference(&concepts_of(&mobility_version("1.1.1")))
        .cloned()
        .collect();
    assert!(!expected.is_empty());
    let diff = s.json(&format!("def/{id}/diff?from=1.1.1&to=2.0.0"), a);
    let added: BTreeSet<String> = diff["added"]
        .as_array()
        .expect("added")
        .iter()
        .map(|c| c["uri"].as_str().expect("uri").to_owned())
        .collect();
    assert_eq!(added, expected);
    assert_eq!(diff["counts"]["added"].as_u64(), Some(expected.len() as u64));
    let deprecated = diff["deprecated"].as_array().expect("deprecated");
    assert!(!deprecated.is_empty(), "2.0.0 deprecates concepts: {diff}");
    let removed: BTreeSet<String> = concepts_of(&mobility_version("1.1.1"))
        .difference(&concepts_of(&mobility_version("2.0.0")))
        .cloned()
        .collect();
    assert_eq!(diff["removed"].as_array().expect("removed").len(), removed.len());

    // Consecutive versions diff, as JSON, RDF and HTML.
    for pair in versions.windows(2) {
        let d = s.json(&format!("def/{id}/diff?from={}&to={}", pair[0], pair[1]), a);
        assert_eq!(d["from"]["versionInfo"], pair[0]);
        assert_eq!(d["to"]["versionInfo"], pair[1]);
    }
    let rdf = s.get(&format!("def/{id}/diff?from=1.1.1&to=2.0.0"), "text/turtle", a);
    assert_eq!(header(&rdf, "content-type"), "text/turtle");
    let triples = parse(RdfFormat::Turtle, &rdf.bytes().expect("body"));
    let rdf_added =
        triples.iter().filter(|t| t.predicate.as_str() == "https://w3id.org/danhmuc/ns#added").count();
    assert_eq!(rdf_added, expected.len());
    let html = s.get(&format!("def/{id}/diff?from=1.1.1&to=2.0.0"), "text/html", a);
    assert_eq!(html.status().as_u16(), 200);
    assert!(html.text().expect("html").contains(&format!("({})", expected.len())));

    // A deprecated concept keeps resolving, marked deprecated with its replacement.
    let old = deprecated[0]["uri"].as_str().expect("uri");
    let local = old.rsplit('/').next().expect("segment");
    let page = s.get(&format!("def/{id}/{local}"), "text/html", a).text().expect("html");
    assert!(page.contains("Khái niệm không còn dùng"), "{page}");
    let ttl = s.get(&format!("def/{id}/{local}.ttl"), "*/*", a).bytes().expect("body");
    let concept = parse(RdfFormat::Turtle, &ttl);
    assert!(concept.iter().any(|t| t.predicate.as_str() == "http://www.w3.org/2002/07/owl#deprecated"));
    // And an older version still shows it as it was.
    let v1 = s.get(&format!("def/{id}/{local}.ttl?version=1.1.1"), "*/*", a);
    assert_eq!(v1.status().as_u16(), 200);
    assert!(
        !parse(RdfFormat::Turtle, &v1.bytes().expect("body"))
            .iter()
            .any(|t| t.predicate.as_str().ends_with("#deprecated"))
    );

    // RDF round trip: the current version exported in every syntax is the submitted content.
    let stored =
        canonical(RdfFormat::Turtle, &s.get(&format!("def/{id}.ttl"), "*/*", a).bytes().expect("body"));
    for suffix in ["jsonld", "rdf", "nt"] {
        let format = match suffix {
            "jsonld" => RdfFormat::JsonLd { profile: Default::default() },
            "rdf" => RdfFormat::RdfXml,
            _ => RdfFormat::NTriples,
        };
        assert_eq!(
            canonical(format, &s.get(&format!("def/{id}.{suffix}"), "*/*", a).bytes().expect("body")),
            stored
        );
    }
    let submitted = parse(RdfFormat::Turtle, mobility_version("2.0.0").as_bytes())
        .iter()
        .map(ToString::to_string)
        .collect::<BTreeSet<_>>()
        .len();
    assert_eq!(stored.len(), submitted + 1, "the submitted triples and the dct:identifier the registry adds");
}

#[test]
fn eu_data_theme_in_25_languages() {
    let path = shared_dir().join("conformance/vocabularies/eu-authority-tables/data-theme-skos-ap-act.ttl");
    if !require_shared(&path) {
        return;
    }
    let s = setup();
    let turtle = format!(
        "{}\n<http://publications.europa.eu/resource/authority/data-theme> <http://purl.org/dc/terms/title> \"Chủ đề dữ liệu (EU)\"@vi .\n",
        std::fs::read_to_string(&path).expect("read")
    );
    let (status, answer) = s.write_rdf(&s.a, None, &turtle);
    assert_eq!(status, 201, "{answer}");
    let id = answer["record"]["id"].as_str().expect("id").to_owned();
    assert_eq!(s.set_status(&id, "stable").0, 204);
    let info = s.json(&format!("rest/v1/{id}/"), None);
    assert!(info["languages"].as_array().expect("languages").len() >= 24, "{info}");
    let tops = s.json(&format!("rest/v1/{id}/topConcepts?lang=fr"), None);
    assert_eq!(tops["topconcepts"].as_array().expect("tops").len(), 14);
    let agri = "http://publications.europa.eu/resource/authority/data-theme/AGRI";
    let fr = s.json(&format!("rest/v1/{id}/label?uri={agri}&lang=fr"), None);
    assert_eq!(fr["prefLabel"], "Agriculture, pêche, sylviculture et alimentation");
    let hit = s.json(&format!("rest/v1/{id}/search?query=peche&lang=fr"), None);
    assert_eq!(hit["results"][0]["uri"], agri, "diacritics ignored in French too: {hit}");
    let page = s.get(&format!("def/{id}/AGRI"), "text/html", None).text().expect("html");
    assert!(page.contains("Agriculture, pêche, sylviculture et alimentation"));
}

const SMALL_V1: &str = "notation,prefLabel@vi,prefLabel@en,definition@vi\n1,Nam,Male,Giới tính nam\n2,Nữ,Female,Giới tính nữ\n3,Khác,Other,Giới tính khác\n";
const SMALL_V2: &str = "notation,prefLabel@vi,prefLabel@en,definition@vi,deprecated,replacedBy\n1,Nam,Male,Giới tính nam,,\n2,Nữ,Female,Giới tính nữ,true,3\n3,Khác,Other,Giới tính khác,,\n";

pub(super) fn dataset_using(title: &str, extra: &str) -> String {
    std::fs::read_to_string(super::common::fixture("records/dataset.ttl"))
        .expect("fixture")
        .replace("{{BASE}}", BASE)
        .replace("{{TITLE}}", title)
        .replace("{{ACCESS}}", "PUBLIC")
        .replace("{{PERSONAL}}", "false")
        .replace("dcat:keyword \"kiểm thử\"@vi ;", &format!("dcat:keyword \"kiểm thử\"@vi ; {extra} ;"))
}

#[test]
fn impact_names_the_datasets_that_use_a_deprecated_concept_and_quality_blocks_publication() {
    let s = setup();
    let scheme = format!("{BASE}def/gioi-tinh");
    let (status, created) = s.post_csv(
        &s.a,
        &[("scheme", scheme.as_str()), ("title_vi", "Giới tính"), ("version", "1.0")],
        SMALL_V1,
    );
    assert_eq!(status, 201, "{created}");
    assert_eq!(s.set_status("gioi-tinh", "stable").0, 204);
    // Org B's datasets: one names concept 2, one conforms to the scheme, one does neither.
    let uses =
        dataset_using("Dân số theo giới tính", &format!("<http://purl.org/dc/terms/subject> <{scheme}/2>"));
    let (status, d1) = s.write_rdf(&s.b, None, &uses);
    assert_eq!(status, 201, "{d1}");
    let conforms = dataset_using("Hộ tịch", &format!("<http://purl.org/dc/terms/conformsTo> <{scheme}>"));
    let (status, d2) = s.write_rdf(&s.b, None, &conforms);
    assert_eq!(status, 201, "{d2}");
    let (status, _) = s.write_rdf(&s.b, None, &dataset_using("Khác", "dcat:keyword \"x\"@vi"));
    assert_eq!(status, 201);
    let d1 = d1["record"]["iri"].as_str().expect("iri").to_owned();
    let d2 = d2["record"]["iri"].as_str().expect("iri").to_owned();

    let before = s.json("def/gioi-tinh/impact", None);
    let users: BTreeSet<&str> =
        before["users"].as_array().expect("users").iter().map(|u| u["iri"].as_str().expect("iri")).collect();
    assert_eq!(users, BTreeSet::from([d1.as_str(), d2.as_str()]));
    assert_eq!(before["affected"], serde_json::json!([]));

    // Version 2 deprecates concept 2: the answer warns, naming the dataset.
    let (status, v2) = s.post_csv(&s.a, &[("scheme", scheme.as_str()), ("version", "2.0")], SMALL_V2);
    assert_eq!(status, 200, "{v2}");
    let impact = v2["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["check"] == "impact")
        .unwrap_or_else(|| panic!("an impact warning: {v2}"));
    assert_eq!(impact["error"], false);
    assert_eq!(impact["count"], 1);
    assert!(impact["examples"][0].as_str().expect("example").starts_with(&d1));
    let after = s.json("def/gioi-tinh/impact?version=2.0", None);
    assert_eq!(after["breaking"][0]["uri"], format!("{scheme}/2"));
    let affected = after["affected"].as_array().expect("affected");
    assert_eq!(affected.len(), 1, "{after}");
    assert_eq!(affected[0]["iri"], d1.as_str());
    assert_eq!(affected[0]["concepts"], serde_json::json!([format!("{scheme}/2")]));
    let html = s.get("def/gioi-tinh/impact?version=2", "text/html", None).text().expect("html");
    assert!(html.contains("Dân số theo giới tính"));
    // The deprecated concept keeps resolving, with its replacement, and lists who uses it.
    let page = s.get("def/gioi-tinh/2", "text/html", None).text().expect("html");
    assert!(
        page.contains("Khái niệm không còn dùng")
            && page.contains("Khác")
            && page.contains("Dân số theo giới tính"),
        "{page}"
    );

    // A quality error (an empty label passes SHACL, not qSKOS el) blocks a published scheme's new version…
    let broken = format!(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix dct: <http://purl.org/dc/terms/> .
         <{scheme}> a skos:ConceptScheme ; dct:title \"Giới tính\"@vi ; skos:hasTopConcept <{scheme}/1> .
         <{scheme}/1> a skos:Concept ; skos:inScheme <{scheme}> ; skos:topConceptOf <{scheme}> ; skos:notation \"1\" ;
             skos:prefLabel \"Nam\"@vi ; skos:altLabel \" \"@vi ; skos:definition \"d\"@vi ."
    );
    let (status, refused) = s.write_rdf(&s.a, Some("gioi-tinh"), &broken);
    assert_eq!(status, 422, "{refused}");
    assert!(
        refused["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["check"] == "el" && f["error"] == true)
    );
    assert_eq!(s.json("def/gioi-tinh/versions", None)["current"], 2, "nothing written");
    // …and the publication of a submitted one, which shows the errors on its page.
    let other = broken.replace("gioi-tinh", "gioi-tinh-2");
    let (status, answer) = s.write_rdf(&s.a, None, &other);
    assert_eq!(status, 201, "{answer}");
    assert!(answer["findings"].as_array().expect("findings").iter().any(|f| f["check"] == "el"));
    let (status, message) = s.set_status("gioi-tinh-2", "stable");
    assert_eq!(status, 409, "{message}");
    assert!(message.contains("el"), "{message}");
    let page = s.get("def/gioi-tinh-2", "text/html", Some(&s.a)).text().expect("html");
    assert!(page.contains("<code>el</code>"), "{page}");
}

#[test]
fn csv_errors_name_row_and_column_and_cli_import_export() {
    let s = setup();
    let scheme = format!("{BASE}def/loai");
    let bad = "notation,prefLabel@vi,broader\n1,Một,\n2,Hai,7\n";
    let (status, answer) = s.post_csv(&s.a, &[("scheme", scheme.as_str()), ("title_vi", "Loại")], bad);
    assert_eq!(status, 400);
    let text = answer.as_str().expect("text");
    assert!(text.contains("row 3") && text.contains("column 3 (broader)"), "{text}");
    let (status, answer) = s.post_csv(&s.a, &[("title_vi", "Loại")], SMALL_V1);
    assert_eq!(status, 400, "{answer}");

    // Content negotiation: 406 for what a concept is not; Vary on every negotiated answer.
    let (status, _) = s.post_csv(&s.a, &[("scheme", scheme.as_str()), ("title_vi", "Loại")], SMALL_V1);
    assert_eq!(status, 201);
    assert_eq!(s.get("def/loai/1", "image/png", Some(&s.a)).status().as_u16(), 406);
    let rdf = s.get("def/loai/1", "application/rdf+xml", Some(&s.a));
    assert_eq!(header(&rdf, "content-type"), "application/rdf+xml");
    assert!(header(&rdf, "vary").contains("Accept"));

    // The CLI imports and exports on a stopped server's store.
    let data = s.server.kill();
    let dir = super::common::tempdir().expect("temp");
    let file = dir.path().join("gioi-tinh.csv");
    std::fs::write(&file, SMALL_V1).expect("write");
    let scheme = format!("{BASE}def/gioi-tinh");
    let out = cli(
        data.path(),
        &[
            "vocab",
            "import",
            "--org",
            "org-a",
            "--scheme",
            &scheme,
            "--title-vi",
            "Giới tính",
            "--version-info",
            "1.0",
            file.to_str().expect("utf-8"),
        ],
    );
    assert!(out.starts_with("created record gioi-tinh"), "{out}");
    let csv = cli(data.path(), &["vocab", "export", "gioi-tinh"]);
    let again = dir.path().join("again.csv");
    std::fs::write(&again, &csv).expect("write");
    let out = cli(
        data.path(),
        &["vocab", "import", "--org", "org-a", "--scheme", &scheme, again.to_str().expect("utf-8")],
    );
    assert!(out.starts_with("unchanged"), "the exported CSV is the same code list: {out}\n{csv}");
    let ttl = cli(data.path(), &["vocab", "export", "gioi-tinh", "--format", "ttl"]);
    assert_eq!(
        parse(RdfFormat::Turtle, ttl.as_bytes())
            .iter()
            .filter(|t| t.predicate.as_str().ends_with("#prefLabel"))
            .count(),
        3 * 2 + 1
    );
    let bad_file = dir.path().join("bad.csv");
    std::fs::write(&bad_file, bad).expect("write");
    let output = run_cli(&[
        "vocab",
        "import",
        "--data",
        data.path().to_str().expect("utf-8"),
        "--base-url",
        BASE,
        "--org",
        "org-a",
        "--scheme",
        &format!("{BASE}def/loai-2"),
        "--title-vi",
        "Loại",
        bad_file.to_str().expect("utf-8"),
    ]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("row 3, column 3 (broader)"));
}
