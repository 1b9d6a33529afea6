//! A SHACL data model registered as a data standard (`dct:Standard` with its shapes graph inline)
//! becomes a validation profile: datasets that state `dct:conformsTo` it are validated against it
//! on submission (the answer says so, nothing is blocked) and on their page; a new version of the
//! standard names, in its answer and at `/def/{scheme}/impact`, the datasets that would stop
//! conforming. Real server, real store, real HTTP.

use super::common::REGISTRY_BASE as BASE;
use super::standards::{dataset_using, parse, setup};
use oxigraph::io::RdfFormat;
use serde_json::Value;

const STANDARD: &str = "dan-cu";

/// The data model: every dataset names its spatial coverage and at least one keyword; version 2
/// also asks for its temporal coverage.
fn standard(version: &str, temporal: bool) -> String {
    let temporal = if temporal {
        "sh:property [ sh:path dct:temporal ; sh:minCount 1 ;
             sh:message \"Bộ dữ liệu dân cư phải nêu thời kỳ (dct:temporal).\"@vi ] ;"
    } else {
        ""
    };
    format!(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix dct: <http://purl.org/dc/terms/> .
         @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
         <{BASE}def/{STANDARD}> a dct:Standard ;
             dct:title \"Mô hình dữ liệu dân cư\"@vi, \"Population data model\"@en ;
             dct:description \"Ràng buộc cho các bộ dữ liệu dân cư.\"@vi ;
             owl:versionInfo \"{version}\" ;
             dcat:distribution <{BASE}def/{STANDARD}#shapes> .
         <{BASE}def/{STANDARD}#shapes> a dcat:Distribution ;
             dct:conformsTo <http://www.w3.org/ns/shacl#> ;
             dcat:downloadURL <{BASE}def/{STANDARD}/shapes.ttl> .
         <{BASE}def/{STANDARD}#DatasetShape> a sh:NodeShape ;
             sh:targetClass dcat:Dataset ;
             {temporal}
             sh:property [ sh:path dct:spatial ; sh:minCount 1 ;
                 sh:message \"Bộ dữ liệu dân cư phải nêu phạm vi địa lý (dct:spatial).\"@vi ] ;
             sh:property [ sh:path dcat:keyword ; sh:minCount 1 ] ."
    )
}

const CONFORMS: &str = "<http://purl.org/dc/terms/conformsTo> <http://registry.test/def/dan-cu>";
const SPATIAL: &str = "<http://purl.org/dc/terms/spatial> <http://registry.test/def/dvhc/01>";
const TEMPORAL: &str = "<http://purl.org/dc/terms/temporal> [ a <http://purl.org/dc/terms/PeriodOfTime> ; dcat:startDate \"2020-01-01\"^^xsd:date ]";

fn conformance(answer: &Value) -> &Vec<Value> {
    answer["conformance"].as_array().unwrap_or_else(|| panic!("a conformance list: {answer}"))
}

#[test]
fn a_shacl_standard_validates_the_datasets_that_conform_to_it_and_names_those_a_new_version_breaks() {
    let s = setup();
    let standard_iri = format!("{BASE}def/{STANDARD}");

    // The standards body registers the data model; its shapes compile, so no finding blocks it.
    let (status, created) = s.write_rdf(&s.a, None, &standard("1.0", false));
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["record"]["id"], STANDARD);
    assert!(
        created["findings"].as_array().expect("findings").iter().all(|f| f["error"] == false),
        "{created}"
    );

    // While it waits for a steward it is no profile: a dataset conforming to it is not checked.
    let early = dataset_using("Dân cư sớm", &format!("{CONFORMS} ; {SPATIAL} ; {TEMPORAL}"));
    let (status, answer) = s.write_rdf(&s.b, None, &early);
    assert_eq!(status, 201, "{answer}");
    assert_eq!(conformance(&answer).len(), 0, "a submitted standard is not applied: {answer}");
    assert_eq!(s.set_status(STANDARD, "stable"), (204, String::new()));

    // A dataset that conforms, and one that does not (no dct:spatial): both are written (the
    // standard's verdict does not block), and the answer carries it.
    let good = dataset_using("Dân số theo tỉnh", &format!("{CONFORMS} ; {SPATIAL} ; {TEMPORAL}"));
    let (status, good) = s.write_rdf(&s.b, None, &good);
    assert_eq!(status, 201, "{good}");
    let verdict = &conformance(&good)[0];
    assert_eq!(verdict["standard"], standard_iri.as_str());
    assert_eq!(
        (verdict["conforms"].as_bool(), verdict["violations"].as_u64()),
        (Some(true), Some(0)),
        "{good}"
    );
    assert_eq!(verdict["checked"], 1, "the dataset is the shape's one focus node: {good}");
    assert_eq!(verdict["version_info"], "1.0");

    let bad = dataset_using("Hộ khẩu cũ", CONFORMS);
    let (status, bad) = s.write_rdf(&s.b, None, &bad);
    assert_eq!(status, 201, "not blocked: {bad}");
    assert_eq!(bad["record"]["status"], "stable", "the DCAT-AP profile decides the status: {bad}");
    let verdict = &conformance(&bad)[0];
    assert_eq!(
        (verdict["conforms"].as_bool(), verdict["violations"].as_u64()),
        (Some(false), Some(1)),
        "{bad}"
    );
    let result = &verdict["results"][0];
    assert_eq!(result["severity"], "Violation");
    assert!(result["path"].as_str().expect("path").contains("spatial"), "{result}");
    assert_eq!(result["message"], "Bộ dữ liệu dân cư phải nêu phạm vi địa lý (dct:spatial).");
    let bad_id = bad["record"]["id"].as_str().expect("id").to_owned();
    let good_id = good["record"]["id"].as_str().expect("id").to_owned();

    // The dataset pages show the verdict, in Vietnamese and in English.
    let page = |id: &str, lang: &str| {
        let response = s.get(&format!("dataset/{id}?lang={lang}"), "text/html", None);
        assert_eq!(response.status().as_u16(), 200);
        // minijinja escapes `/` in values; a browser reads `&#x2f;` as `/`.
        response.text().expect("html").replace("&#x2f;", "/")
    };
    let vi = page(&bad_id, "vi");
    for expected in [
        "Kiểm tra theo tiêu chuẩn",
        "Mô hình dữ liệu dân cư",
        "không đạt",
        "phải nêu phạm vi địa lý",
        "/def/dan-cu",
    ] {
        assert!(vi.contains(expected), "the Vietnamese page lacks {expected:?}");
    }
    let en = page(&bad_id, "en");
    for expected in ["Validated against", "Population data model", "does not conform", "1 violation(s)"] {
        assert!(en.contains(expected), "the English page lacks {expected:?}");
    }
    let vi_good = page(&good_id, "vi");
    assert!(vi_good.contains("<span class=\"ok\">đạt</span>"), "the conforming dataset passes");
    assert!(page(&good_id, "en").contains("<span class=\"ok\">conforms</span>"));

    // The standard's page describes the model; its shapes graph resolves inside the registry,
    // without the standard's description.
    for (lang, expected) in
        [("vi", ["Mô hình dữ liệu (SHACL)", "Áp dụng cho"]), ("en", ["Data model (SHACL)", "Applies to"])]
    {
        let html = s.get(&format!("def/{STANDARD}?lang={lang}"), "text/html", None).text().expect("html");
        for e in expected.iter().chain(&["dcat:Dataset", "dct:spatial", "/def/dan-cu/shapes.ttl"]) {
            assert!(html.contains(e), "{lang}: the standard's page lacks {e:?}");
        }
        assert!(!html.contains("qSKOS"), "a data model is not a code list");
    }
    let shapes = s.get(&format!("def/{STANDARD}/shapes.ttl"), "*/*", None);
    assert_eq!(shapes.status().as_u16(), 200);
    let shapes = parse(RdfFormat::Turtle, &shapes.bytes().expect("body"));
    assert!(shapes.iter().any(|t| t.predicate.as_str() == "http://www.w3.org/ns/shacl#targetClass"));
    assert!(
        !shapes.iter().any(|t| t.object.to_string() == "<http://purl.org/dc/terms/Standard>"),
        "{shapes:?}"
    );
    assert_eq!(s.get("def/gioi-tinh/shapes", "*/*", Some(&s.a)).status().as_u16(), 404, "no such standard");

    // A dataset that passes version 1 but lacks the temporal coverage version 2 asks for.
    let mid = dataset_using("Dân số theo huyện", &format!("{CONFORMS} ; {SPATIAL}"));
    let (status, mid) = s.write_rdf(&s.b, None, &mid);
    assert_eq!(status, 201, "{mid}");
    assert_eq!(conformance(&mid)[0]["conforms"], true);
    let mid_iri = mid["record"]["iri"].as_str().expect("iri").to_owned();
    let mid_id = mid["record"]["id"].as_str().expect("id").to_owned();

    // Version 2: the steward's warning names the dataset that stops conforming (the one that
    // already failed is not "broken" by it, the one that passes both is not either).
    let (status, v2) = s.write_rdf(&s.a, Some(STANDARD), &standard("2.0", true));
    assert_eq!(status, 200, "{v2}");
    let warning = v2["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["check"] == "impact")
        .unwrap_or_else(|| panic!("an impact warning: {v2}"));
    assert_eq!((warning["error"].as_bool(), warning["count"].as_u64()), (Some(false), Some(1)), "{warning}");
    assert!(warning["examples"][0].as_str().expect("example").starts_with(&mid_iri), "{warning}");

    let impact = s.json(&format!("def/{STANDARD}/impact?version=2.0"), None);
    assert_eq!(impact["model"]["stop_conforming"], 1, "{impact}");
    assert_eq!(impact["model"]["conforming"], 4, "the early one, good, bad and mid: {impact}");
    let affected = impact["affected"].as_array().expect("affected");
    assert_eq!(affected.len(), 1, "{impact}");
    assert_eq!(affected[0]["iri"], mid_iri.as_str());
    assert_eq!(
        (affected[0]["conformed_before"].as_bool(), affected[0]["conforms"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(affected[0]["href"], format!("/dataset/{mid_id}"));
    let users = impact["users"].as_array().expect("users");
    let user = |id: &str| users.iter().find(|u| u["id"] == id).unwrap_or_else(|| panic!("{id} in {impact}"));
    assert_eq!(
        (user(&good_id)["conformed_before"].as_bool(), user(&good_id)["conforms"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(
        (user(&bad_id)["conformed_before"].as_bool(), user(&bad_id)["conforms"].as_bool()),
        (Some(false), Some(false))
    );
    // Version 1 compared with nothing breaks nothing.
    let first = s.json(&format!("def/{STANDARD}/impact?version=1"), None);
    assert_eq!(first["affected"], serde_json::json!([]), "{first}");
    assert_eq!(first["users"][0]["conformed_before"], Value::Null);
    for (lang, expected) in [("vi", "sẽ không còn tuân thủ"), ("en", "would stop conforming")] {
        let html = s
            .get(&format!("def/{STANDARD}/impact?version=2&lang={lang}"), "text/html", None)
            .text()
            .expect("html");
        assert!(html.contains(expected) && html.contains("Dân số theo huyện"), "{lang}: {html}");
        assert!(html.contains("phải nêu thời kỳ"), "{lang}: the violation is shown");
    }
    // The dataset's page follows the standard's current version.
    assert!(page(&mid_id, "vi").contains("phải nêu thời kỳ"));
    assert!(page(&good_id, "en").contains("<span class=\"ok\">conforms</span>"));
}

#[test]
fn a_standard_whose_shapes_cannot_be_a_profile_cannot_be_published() {
    let s = setup();
    // SHACL-SPARQL is refused: a registered standard runs on every conforming record.
    let sparql = standard("1.0", false).replace(
        "sh:targetClass dcat:Dataset ;",
        "sh:targetClass dcat:Dataset ; sh:sparql [ sh:select \"SELECT $this WHERE { $this ?p ?o }\" ] ;",
    );
    let (status, answer) = s.write_rdf(&s.a, None, &sparql);
    assert_eq!(status, 201, "{answer}");
    let finding = answer["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["check"] == "shacl")
        .unwrap_or_else(|| panic!("a shacl finding: {answer}"));
    assert_eq!(finding["error"], true);
    assert!(finding["message"].as_str().expect("message").contains("SHACL Core only"), "{finding}");
    let (status, message) = s.set_status(STANDARD, "stable");
    assert_eq!(status, 409, "{message}");
    // Ill-formed shapes: a property shape without a path.
    let broken = standard("1.0", false)
        .replace("sh:property [ sh:path dcat:keyword ; sh:minCount 1 ]", "sh:property [ sh:minCount 1 ]");
    let (status, answer) = s.write_rdf(&s.a, Some(STANDARD), &broken);
    assert_eq!(status, 200, "{answer}");
    assert!(
        answer["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["check"] == "shacl" && f["error"] == true)
    );
    let page = s.get(&format!("def/{STANDARD}"), "text/html", Some(&s.a)).text().expect("html");
    assert!(page.contains("Đồ thị ràng buộc này không dùng được để kiểm tra"), "{page}");
    assert_eq!(s.get(&format!("def/{STANDARD}/shapes.ttl"), "*/*", Some(&s.a)).status().as_u16(), 404);
}
