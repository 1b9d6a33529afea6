//! Browsing code lists against a real server: the alphabetical index per language (Vietnamese
//! collation: `Đ` its own letter after `D`, other diacritics folded to the base letter), the
//! hierarchy's next levels, and concept pages (labels in both languages, notation, definition,
//! hierarchy, mappings as links, notes, history with what changed, the records that use it). On
//! the Vietnamese administrative units (JSON from `../shared/conformance/`, converted here) and a
//! small code list with every field.

use super::common::REGISTRY_BASE as BASE;
use super::common::{require_shared, shared_dir};
use super::standards::{Server, admin_units_csv, dataset_using, setup};
use serde_json::Value;

fn text(s: &Server, path: &str) -> String {
    let response = s.get(path, "text/html", None);
    let status = response.status().as_u16();
    let body = response.text().expect("body");
    assert_eq!(status, 200, "{path}: {body}");
    // minijinja escapes `/` in values; a browser reads `&#x2f;` as `/`.
    body.replace("&#x2f;", "/")
}

fn labels(index: &Value) -> Vec<&str> {
    index["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["label"].as_str().expect("label"))
        .collect()
}

#[test]
fn alphabetical_index_in_vietnamese_and_english_and_the_tree_on_the_administrative_units() {
    let path = shared_dir().join("conformance/vocabularies/vn-admin-units/dvhcvn.json");
    if !require_shared(&path) {
        return;
    }
    let json: Value = serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
    let (csv, ..) = admin_units_csv(&json);
    let alternatives =
        csv.lines().skip(1).filter(|l| l.split(',').nth(2).is_some_and(|a| !a.is_empty())).count();
    let s = setup();
    let scheme = format!("{BASE}def/dvhc");
    let query = [
        ("scheme", scheme.as_str()),
        ("title_vi", "Đơn vị hành chính"),
        ("title_en", "Administrative units"),
    ];
    let (status, answer) = s.post_csv(&s.a, &query, &csv);
    assert_eq!(status, 201, "{answer}");
    assert_eq!(s.set_status("dvhc", "stable").0, 204);

    // Vietnamese, letter H: "Hà Nội" (the alternative label) leads to Thành phố Hà Nội.
    let h = s.json("def/dvhc/index.json?lang=vi&letter=H", None);
    assert_eq!((h["language"].as_str(), h["letter"].as_str()), (Some("vi"), Some("H")));
    let hanoi = h["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["label"] == "Hà Nội")
        .unwrap_or_else(|| panic!("Hà Nội under H: {h}"));
    assert_eq!(hanoi["preferred"], false);
    assert_eq!(hanoi["prefLabel"], "Thành phố Hà Nội");
    assert_eq!(hanoi["uri"], format!("{scheme}/01"));
    assert_eq!(hanoi["href"], "/def/dvhc/01");
    let h_labels = labels(&h);
    let position = |label: &str| {
        h_labels.iter().position(|l| *l == label).unwrap_or_else(|| panic!("{label} in {h_labels:?}"))
    };
    // Diacritics folded, also inside words (đ is d there): Hạ Đình, Hà Đông, Hà Giang, Hạ Long.
    let ordered = ["Hạ Đình", "Hà Đông", "Hà Giang", "Hạ Long"].map(position);
    assert!(ordered.windows(2).all(|w| w[0] < w[1]), "{h_labels:?}");
    assert!(h_labels.iter().all(|l| l.starts_with('H')), "{h_labels:?}");
    // Every preferred and alternative label is under one letter; Đ comes right after D.
    let letters: Vec<(&str, u64)> = h["letters"]
        .as_array()
        .expect("letters")
        .iter()
        .map(|l| (l["letter"].as_str().expect("letter"), l["count"].as_u64().expect("count")))
        .collect();
    let total: u64 = letters.iter().map(|(_, n)| n).sum();
    assert_eq!(total as usize, 10_806 + alternatives, "{letters:?}");
    let names: Vec<&str> = letters.iter().map(|(l, _)| *l).collect();
    let d = names.iter().position(|l| *l == "D").expect("D");
    assert_eq!(names[d + 1], "Đ", "{names:?}");
    assert!(
        !names.iter().any(|l| ["Ă", "Â", "Ê", "Ô", "Ơ", "Ư", "À", "Á"].contains(l)),
        "diacritics folded: {names:?}"
    );
    let dd = s.json("def/dvhc/index.json?lang=vi&letter=%C4%90&per_page=500", None);
    assert!(labels(&dd).contains(&"Đà Nẵng"), "{dd}");
    assert!(labels(&dd).iter().all(|l| l.starts_with('Đ')));
    let plain_d = s.json("def/dvhc/index.json?lang=vi&letter=d&per_page=500", None);
    assert_eq!(plain_d["letter"], "D", "a letter is folded the index's way");
    assert!(!labels(&plain_d).iter().any(|l| l.starts_with('Đ')), "{plain_d}");

    // Paged: the X bucket (Xã …) holds thousands.
    let x1 = s.json("def/dvhc/index.json?lang=vi&letter=X&per_page=100", None);
    let x2 = s.json("def/dvhc/index.json?lang=vi&letter=X&per_page=100&page=2", None);
    let count = x1["total"].as_u64().expect("total");
    assert!(count > 1000, "{count}");
    assert_eq!(x1["pages"].as_u64(), Some(count.div_ceil(100)));
    assert_eq!((labels(&x1).len(), labels(&x2).len()), (100, 100));
    let both = s.json("def/dvhc/index.json?lang=vi&letter=X&per_page=200", None);
    let both = both["entries"].as_array().expect("entries");
    assert_eq!(both[..100], x1["entries"].as_array().expect("entries")[..], "page 1 is the first 100");
    assert_eq!(both[100..], x2["entries"].as_array().expect("entries")[..], "page 2 the next 100");

    // The page, in Vietnamese and in English (English reads the same Vietnamese names, where Đ is D).
    let vi = text(&s, "def/dvhc/index?lang=vi&letter=H");
    for expected in [
        "Chỉ mục theo chữ cái",
        "<i lang=\"vi\">Hà Nội</i> → <a href=\"/def/dvhc/01\">Thành phố Hà Nội</a>",
        "aria-current=\"page\">H<",
        "letter=Đ",
        "rel=\"next\"",
    ] {
        assert!(vi.contains(expected), "the Vietnamese index lacks {expected:?}");
    }
    let en = text(&s, "def/dvhc/index?lang=en&letter=D");
    for expected in ["Alphabetical index", "Đà Nẵng", "Label language"] {
        assert!(en.contains(expected), "the English index lacks {expected:?}");
    }
    let en_json = s.json("def/dvhc/index?lang=en&letter=D", None);
    assert!(en_json["letters"].as_array().expect("letters").iter().all(|l| l["letter"] != "Đ"), "{en_json}");
    assert!(labels(&en_json).contains(&"Đà Nẵng"));

    // Bounds.
    for bad in ["per_page=0", "per_page=501", "page=0", "letter=ABC", "lang=vi%3Bx", "letter=%21"] {
        let status = s.get(&format!("def/dvhc/index?{bad}"), "application/json", None).status().as_u16();
        assert_eq!(status, 400, "{bad}");
    }
    let empty = s.json("def/dvhc/index.json?lang=vi&letter=F", None);
    assert_eq!((empty["total"].as_u64(), labels(&empty).len()), (Some(0), 0));

    // The scheme page links the index's letters, and the hierarchy's third level expands.
    let page = text(&s, "def/dvhc?lang=vi");
    assert!(
        page.contains("/def/dvhc/index?lang=vi&amp;letter=H&amp;version=1"),
        "letters on the scheme page"
    );
    assert!(page.contains("data-children=\"/def/dvhc/001.json?lang=vi&amp;version=1\""), "Ba Đình expands");
    assert!(page.contains("Xem các khái niệm hẹp hơn"), "the link that works without JavaScript");
    assert!(text(&s, "def/dvhc?lang=en").contains("/def/dvhc/index?lang=en&amp;letter="));
    let ba_dinh = s.json("def/dvhc/001.json", None);
    let wards = ba_dinh["narrower"].as_array().expect("narrower");
    assert_eq!(wards.len(), json["data"][0]["level2s"][0]["level3s"].as_array().expect("wards").len());
    assert!(
        wards
            .iter()
            .all(|w| w["href"].as_str().is_some_and(|h| h.starts_with("/def/dvhc/")) && w["children"] == 0)
    );
    assert_eq!(ba_dinh["broader"][0]["href"], "/def/dvhc/01");
    let script = s.get("static/standards.js", "*/*", None).text().expect("js");
    assert!(script.contains("details[data-children]") && script.contains("textContent"));
}

const V1: &str = "notation,prefLabel@vi,prefLabel@en,definition@vi,definition@en,scopeNote@vi,exactMatch,related,broader\n\
1,Nam,Male,Giới tính nam,Male sex,Theo giấy khai sinh,http://purl.example/sex/male,2,\n\
2,Nữ,Female,Giới tính nữ,Female sex,,http://purl.example/sex/female,1,\n\
3,Khác,Other,Giới tính khác,Other sex,,,,\n";
const V2: &str = "notation,prefLabel@vi,prefLabel@en,definition@vi,definition@en,scopeNote@vi,exactMatch,related,broader\n\
1,Nam,Male,Giới tính nam,Male sex,Theo giấy khai sinh,http://purl.example/sex/male,2,\n\
2,Nữ,Female,Giới tính nữ,Female sex,,http://purl.example/sex/female,1,\n\
3,Khác (tự xác định),Other (self-described),Giới tính khác,Other sex,,,,\n\
31,Không xác định,Unknown,Chưa xác định,Not known,,,,3\n";

#[test]
fn concept_pages_show_labels_mappings_notes_history_and_the_records_that_use_them() {
    let s = setup();
    let scheme = format!("{BASE}def/gt");
    let (status, answer) = s.post_csv(
        &s.a,
        &[("scheme", scheme.as_str()), ("title_vi", "Giới tính"), ("title_en", "Sex"), ("version", "1.0")],
        V1,
    );
    assert_eq!(status, 201, "{answer}");
    assert_eq!(s.set_status("gt", "stable").0, 204);
    let uses =
        dataset_using("Dân số theo giới tính", &format!("<http://purl.org/dc/terms/subject> <{scheme}/1>"));
    let (status, dataset) = s.write_rdf(&s.b, None, &uses);
    assert_eq!(status, 201, "{dataset}");
    let dataset_id = dataset["record"]["id"].as_str().expect("id").to_owned();
    let (status, answer) = s.post_csv(&s.a, &[("scheme", scheme.as_str()), ("version", "2.0")], V2);
    assert_eq!(status, 200, "{answer}");

    let vi = text(&s, "def/gt/1?lang=vi");
    for expected in [
        "Nam <small>@vi</small>",
        "Male <small>@en</small>",
        "<code>1</code>",
        "Giới tính nam",
        "Male sex",
        "Ghi chú phạm vi",
        "Theo giấy khai sinh",
        "Tương đương chính xác: <a href=\"http://purl.example/sex/male\">",
        "<a href=\"/def/gt/2\">Nữ</a>",
        "thêm mới",
        &format!("<a href=\"/dataset/{dataset_id}\">Dân số theo giới tính</a>"),
    ] {
        assert!(vi.contains(expected), "the Vietnamese concept page lacks {expected:?}:\n{vi}");
    }
    assert!(vi.find("Nam <small>@vi</small>") < vi.find("Male <small>@en</small>"), "Vietnamese first");
    let en = text(&s, "def/gt/1?lang=en");
    for expected in ["Exact match", "Scope note", "Used by", "added", "History"] {
        assert!(en.contains(expected), "the English concept page lacks {expected:?}");
    }
    // What changed, version by version.
    let other = text(&s, "def/gt/3?lang=en");
    assert!(other.contains("Other (self-described)") && other.contains("relabelled"), "{other}");
    assert!(other.contains("<a href=\"/def/gt/31\">Unknown</a>"), "the new narrower concept: {other}");
    let unknown = text(&s, "def/gt/31?lang=vi");
    assert!(unknown.contains("<a href=\"/def/gt/3\">Khác (tự xác định)</a>"), "its broader concept");
    let old = text(&s, "def/gt/3?lang=vi&version=1");
    assert!(old.contains("Khác <small>@vi</small>") && old.contains("(đang xem)"), "version 1 as it was");
    // The concept's JSON (what the tree reads).
    let three = s.json("def/gt/3.json?lang=en", None);
    assert_eq!(three["prefLabel"], "Other (self-described)");
    assert_eq!(three["narrower"][0]["href"], "/def/gt/31");
    assert_eq!(three["narrower"][0]["label"], "Unknown");
}
