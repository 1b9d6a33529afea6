//! The portal's HTML pages on the demo server: every page renders in both languages, labels instead
//! of IRIs, the language choice, sign-in (a restricted record appears only after it), CSRF, and
//! escaping of data.

use super::common::{TestServer, fixture, header};
use reqwest::blocking::Client;
use reqwest::redirect::Policy;

const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const RESTRICTED: &str = "dataset/btc-hoa-don-dien-tu-tong-hop";

fn page(client: &Client, url: &str) -> (u16, String, String) {
    let response = client.get(url).header("Accept", BROWSER).send().expect("request");
    let status = response.status().as_u16();
    let content_type = header(&response, "content-type");
    (status, content_type, response.text().expect("body"))
}

/// A demo server with a publisher token of `bo-tai-chinh` (made with the CLI between two starts).
/// The second start keeps the first one's base URL, so the demo's IRIs stay the records' own.
fn demo_with_token() -> (TestServer, String) {
    let (server, token, _) = super::common::demo_with_token("bo-tai-chinh");
    (server, token)
}

/// A browser-like client: keeps the cookies it is given, does not follow redirects.
struct Browser {
    client: Client,
    cookies: std::cell::RefCell<Vec<(String, String)>>,
}

impl Browser {
    fn new() -> Self {
        Self {
            client: Client::builder().redirect(Policy::none()).build().expect("client"),
            cookies: std::cell::RefCell::new(Vec::new()),
        }
    }

    fn send(&self, request: reqwest::blocking::RequestBuilder) -> reqwest::blocking::Response {
        let cookie: Vec<String> = self.cookies.borrow().iter().map(|(k, v)| format!("{k}={v}")).collect();
        let request = if cookie.is_empty() { request } else { request.header("Cookie", cookie.join("; ")) };
        let response = request.header("Accept", BROWSER).send().expect("request");
        for value in response.headers().get_all("set-cookie") {
            let pair = value.to_str().unwrap_or_default().split(';').next().unwrap_or_default();
            if let Some((k, v)) = pair.split_once('=') {
                let mut cookies = self.cookies.borrow_mut();
                cookies.retain(|(name, _)| name != k);
                if !v.is_empty() {
                    cookies.push((k.to_owned(), v.to_owned()));
                }
            }
        }
        response
    }

    fn get(&self, url: &str) -> (u16, String, String) {
        let response = self.send(self.client.get(url));
        let status = response.status().as_u16();
        let content_type = header(&response, "content-type");
        (status, content_type, response.text().expect("body"))
    }

    fn post_form(&self, url: &str, form: &[(&str, &str)]) -> reqwest::blocking::Response {
        self.send(self.client.post(url).form(form))
    }
}

fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a CSRF field") + "name=\"csrf\" value=\"".len();
    html[at..at + 64].to_owned()
}

#[test]
fn every_portal_page_renders_in_both_languages() {
    let server = TestServer::demo();
    let client = Client::new();
    // (path, template it renders, a text that must be there in vi, in en)
    let pages = [
        ("", "home.html", "Bộ dữ liệu mới cập nhật", "Recently updated datasets"),
        ("search?q=ha+noi", "search.html", "Điểm phát Wi-Fi", "Free public Wi-Fi"),
        ("dataset/hn-diem-wifi-cong-cong", "dataset.html", "Cách trích dẫn", "How to cite"),
        ("service/ndxp-dang-ky-doanh-nghiep", "service.html", "Bộ dữ liệu được cung cấp", "Datasets served"),
        ("catalog/bo-tai-chinh", "catalog.html", "Trang", "Page"),
        ("publishers", "publishers.html", "Cơ quan công bố dữ liệu", "Publishers"),
        ("publishers/bo-tai-chinh", "publisher.html", "Bộ Tài chính", "Ministry of Finance"),
        ("publisher/bo-tai-chinh", "record.html", "Thông tin", "Properties"),
        ("sparql", "sparql.html", "Truy vấn SPARQL", "SPARQL query"),
        ("validate", "validate.html", "Hồ sơ có sẵn", "Bundled profile"),
        ("signin", "signin.html", "Mã truy cập (token)", "API token"),
        ("def/don-vi-hanh-chinh", "scheme.html", "Cây phân cấp", "Hierarchy"),
        ("def/don-vi-hanh-chinh/01", "concept.html", "Nhãn ưu tiên", "Preferred labels"),
        ("def/don-vi-hanh-chinh/versions", "scheme_versions.html", "Phiên bản", "Versions"),
        ("no/such/page", "error.html", "Không tìm thấy", "Not found"),
    ];
    for (path, template, vi, en) in pages {
        for (lang, expected) in [("vi", vi), ("en", en)] {
            let join = if path.contains('?') { '&' } else { '?' };
            let (status, content_type, html) =
                page(&client, &server.url(&format!("{path}{join}lang={lang}")));
            let wanted = if template == "error.html" { 404 } else { 200 };
            assert_eq!(status, wanted, "{path} ({template}, {lang}): {html}");
            assert!(content_type.starts_with("text/html"), "{path}: {content_type}");
            assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{path} in {lang}");
            assert!(html.contains(expected), "{path} ({template}) in {lang} lacks {expected:?}");
            assert!(!html.contains("{{") && !html.contains("{%"), "{path}: template syntax leaked");
            // Every UI string is a catalogue key that resolved: no key is shown as such.
            for prefix in ["nav.", "common.", "field.", "record.", "status.", "kind.", "facet."] {
                assert!(
                    !html.contains(&format!(">{prefix}")),
                    "{path} in {lang}: an unresolved {prefix} key"
                );
            }
        }
    }
    // Diff and impact pages of a scheme with one version have nothing to compare; the HTML of the
    // validation report is checked in `the_validation_page_groups_results_by_focus_node`.
}

#[test]
fn the_language_comes_from_the_query_then_the_cookie_then_accept_language() {
    let server = TestServer::demo();
    let client = Client::new();
    let browser = Browser::new();
    let url = server.url("dataset/hn-diem-wifi-cong-cong");
    let (_, _, vi) = browser.get(&url);
    assert!(vi.contains("<html lang=\"vi\">") && vi.contains("Phân phối"), "Vietnamese by default");
    let english =
        client.get(&url).header("Accept", BROWSER).header("Accept-Language", "en-GB,en;q=0.9").send();
    let english = english.expect("request").text().expect("body");
    assert!(english.contains("<html lang=\"en\">") && english.contains("Distributions"), "Accept-Language");
    // The switcher link leads to the other language and the choice is remembered in a cookie.
    assert!(vi.contains("href=\"&#x2f;dataset&#x2f;hn-diem-wifi-cong-cong?lang=en\""), "switcher link");
    let switched = browser.send(browser.client.get(format!("{url}?lang=en")));
    assert!(
        switched
            .headers()
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap_or_default().starts_with("lang=en")),
        "the choice is remembered"
    );
    let (_, _, again) = browser.get(&url);
    assert!(again.contains("<html lang=\"en\">"), "the cookie decides without ?lang=");
    // Labels of the bundled vocabularies instead of IRIs, in the chosen language.
    assert!(again.contains("Quarterly") && again.contains("Science and technology"), "labels in English");
    assert!(vi.contains("Hằng quý") && vi.contains("Khoa học và công nghệ"), "labels in Vietnamese");
    assert!(!vi.contains(">http://publications.europa.eu/resource/authority/frequency/QUARTERLY<"));
    // Numbers and dates per language.
    assert!(vi.contains("325,4 kB") && vi.contains("20&#x2f;06&#x2f;2019"), "vi formats");
    assert!(again.contains("325.4 kB") && again.contains("20 Jun 2019"), "en formats");
    // schema.org JSON-LD in the head, and a Link/alternate per RDF form.
    assert!(vi.contains("<script type=\"application/ld+json\">{\"@context\":\"https://schema.org/\""));
    assert!(vi.contains("<link rel=\"alternate\" type=\"text&#x2f;turtle\""));
}

#[test]
fn a_restricted_record_shows_only_after_sign_in_and_forms_need_their_csrf_token() {
    let (server, token) = demo_with_token();
    let client = Browser::new();
    let restricted = server.url(RESTRICTED);
    let (status, _, _) = client.get(&restricted);
    assert_eq!(status, 404, "anonymous readers do not see a restricted record");
    let (_, _, search) = client.get(&server.url("search?q=hoa+don+dien+tu"));
    assert!(!search.contains("btc-hoa-don-dien-tu-tong-hop"), "nor find it");
    // Pages without a form give no CSRF cookie (so pages kept for every reader stay the same
    // answer); the sign-in form's token is set as the browser's cookie with it.
    assert!(
        client.cookies.borrow().iter().all(|(name, _)| name != "dm_csrf"),
        "no CSRF cookie before a form: {:?}",
        client.cookies.borrow()
    );
    let (_, _, form) = client.get(&server.url("signin"));
    let csrf = csrf_of(&form);
    assert!(
        client.cookies.borrow().iter().any(|(name, value)| name == "dm_csrf" && *value == csrf),
        "the form's token is the cookie's"
    );
    let (_, _, again) = client.get(&server.url("signin"));
    assert_eq!(csrf_of(&again), csrf, "a browser keeps its token while it has the cookie");
    // Sign-in needs the form's CSRF token (from its cookie).
    let forged = client.post_form(&server.url("signin"), &[("token", token.as_str()), ("csrf", "0")]);
    assert_eq!(forged.status().as_u16(), 403, "a wrong CSRF token is refused");
    let wrong = client.post_form(&server.url("signin"), &[("token", "dmk_nope"), ("csrf", csrf.as_str())]);
    assert_eq!(wrong.status().as_u16(), 401, "a wrong token is refused");
    let signed =
        client.post_form(&server.url("signin"), &[("token", token.as_str()), ("csrf", csrf.as_str())]);
    assert_eq!(signed.status().as_u16(), 303);
    let cookie = header(&signed, "set-cookie");
    assert!(
        cookie.starts_with("dm_session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    // Now the same browser sees it everywhere: its page, the search, the dashboard, SPARQL.
    let (status, _, html) = client.get(&restricted);
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Bộ Tài chính"), "signed in as the organisation");
    let (_, _, search) = client.get(&server.url("search?q=hoa+don+dien+tu"));
    assert!(search.contains("btc-hoa-don-dien-tu-tong-hop"), "the search finds it: {search}");
    let (status, _, dashboard) = client.get(&server.url("dashboard"));
    assert_eq!(status, 200);
    assert!(dashboard.contains("btc-hoa-don-dien-tu-tong-hop"), "the dashboard lists its records");
    let iri = restricted.replace(&server.base, &server.base_url);
    let ask = format!("ASK {{ <{iri}> ?p ?o }}");
    let sparql = client
        .send(client.client.get(server.url("sparql")).query(&[("query", ask.as_str()), ("format", "json")]));
    assert!(sparql.text().expect("body").contains("true"), "SPARQL sees what the session may see");
    let anonymous =
        Client::new().get(server.url("sparql")).query(&[("query", ask.as_str()), ("format", "json")]);
    assert!(
        anonymous.send().expect("get").text().expect("body").contains("false"),
        "anonymous SPARQL does not"
    );
    // Signing out needs the session's CSRF token; afterwards the record is gone again.
    let session_csrf = csrf_of(&dashboard);
    let refused = client.post_form(&server.url("signout"), &[("csrf", "x")]);
    assert_eq!(refused.status().as_u16(), 403);
    let out = client.post_form(&server.url("signout"), &[("csrf", session_csrf.as_str())]);
    assert_eq!(out.status().as_u16(), 303);
    assert_eq!(client.get(&restricted).0, 404);
    assert_eq!(header(&client.send(client.client.get(server.url("dashboard"))), "location"), "/signin");
}

#[test]
fn data_is_text_and_links_are_only_http_https_or_mailto() {
    let (server, token) = demo_with_token();
    let title = "<script>alert(1)</script>";
    let body = std::fs::read_to_string(fixture("records/dataset.ttl"))
        .expect("fixture")
        .replace("{{BASE}}", &server.base_url)
        .replace("publisher/org-a", "publisher/bo-tai-chinh")
        .replace("{{TITLE}}", title)
        .replace("{{ACCESS}}", "PUBLIC")
        .replace("{{PERSONAL}}", "false")
        .replace("<https://org-a.example/files/test.csv>", "<javascript:alert(2)>");
    let created = Client::new()
        .post(server.url("api/records"))
        .bearer_auth(&token)
        .header("Content-Type", "text/turtle")
        .body(body)
        .send()
        .expect("post");
    let status = created.status().as_u16();
    let location = header(&created, "location").replace(&server.base_url, &server.base);
    // The answer's Location is the API resource; the page is the record's own path.
    let location = server.url(&location.replace("/api/records/", "dataset/"));
    assert_eq!(status, 201, "{}", created.text().unwrap_or_default());
    let (status, _, html) = page(&Client::new(), &location);
    assert_eq!(status, 200, "{location}: {html}");
    assert!(!html.contains(title), "the title is never raw HTML");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;"), "it shows as text: {html}");
    assert!(!html.contains("href=\"javascript:"), "no javascript: link");
    let json_ld =
        html.split("<script type=\"application/ld+json\">").nth(1).expect("JSON-LD").split("</script>");
    let json_ld = json_ld.into_iter().next().expect("closed");
    assert!(!json_ld.contains('<'), "the JSON-LD block cannot be closed by data: {json_ld}");
    let parsed: serde_json::Value = serde_json::from_str(json_ld).expect("valid JSON");
    assert_eq!(parsed["name"], title);
    assert_eq!(parsed["@type"], "Dataset");
}

#[test]
fn the_validation_page_groups_results_by_focus_node_and_machines_still_get_rdf() {
    let server = TestServer::demo();
    let client = Browser::new();
    let (_, _, form) = client.get(&server.url("validate"));
    let csrf = csrf_of(&form);
    let data = "@prefix dcat: <http://www.w3.org/ns/dcat#> . <http://example.com/d> a dcat:Dataset .";
    let send = |csrf: &str| {
        let multipart = reqwest::blocking::multipart::Form::new()
            .text("csrf", csrf.to_owned())
            .text("data", data)
            .text("format", "ttl")
            .text("profile", "dcat-ap-vn");
        client.send(client.client.post(server.url("validate")).multipart(multipart))
    };
    assert_eq!(send("wrong").status().as_u16(), 403, "the form needs its CSRF token");
    let report = send(&csrf);
    assert_eq!(report.status().as_u16(), 200);
    assert!(header(&report, "content-type").starts_with("text/html"));
    let html = report.text().expect("body");
    assert!(
        html.contains("Dữ liệu không đạt")
            && html.contains("<h3><code>http:&#x2f;&#x2f;example.com&#x2f;d</code></h3>"),
        "{html}"
    );
    // The API is unchanged: Turtle by default.
    let machine = Client::new()
        .post(server.url("validate?profile=dcat-ap-vn"))
        .header("Content-Type", "text/turtle")
        .body(data)
        .send()
        .expect("post");
    assert!(header(&machine, "content-type").starts_with("text/turtle"));
    assert_eq!(header(&machine, "danhmuc-conforms"), "false");
}

#[test]
fn a_publisher_page_lists_its_records_by_kind_and_the_quality_of_its_datasets() {
    let server = TestServer::demo();
    let client = Client::new();
    let json = |path: &str| -> serde_json::Value {
        client.get(server.url(path)).send().expect("request").json().expect("JSON")
    };
    let iri = server.url("publisher/bo-tai-chinh");
    let datasets = &json(&format!("api/search?publisher={iri}&kind=dataset&per_page=1"))["total"];
    let quality = json("api/quality/publisher/bo-tai-chinh");
    let average = quality["summary"]["average"].as_f64().expect("an average");
    assert!(datasets.as_u64().expect("a total") > 0, "the demo publisher has datasets");
    for (lang, heading, best, trend) in [
        ("vi", "Bộ dữ liệu", "Tập dữ liệu có điểm cao nhất", "Điểm trung bình theo ngày"),
        ("en", "Dataset", "Best-scored datasets", "Daily average score"),
    ] {
        // The first daily snapshot is taken in the background just after the start.
        let mut html = String::new();
        for _ in 0..100 {
            let (status, _, body) =
                page(&client, &server.url(&format!("publishers/bo-tai-chinh?lang={lang}")));
            assert_eq!(status, 200);
            html = body;
            if html.contains(trend) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert!(html.contains(&format!("{heading} ({datasets})")), "{lang}: datasets counted as search does");
        assert!(html.contains(best), "{lang}: the ranking");
        assert!(html.contains(trend), "{lang}: the daily averages");
        let listed = html.matches("href=\"&#x2f;dataset&#x2f;").count();
        assert!(listed > 0 && listed <= 3 * 10, "{lang}: datasets linked, at most 10 per list: {listed}");
        let shown =
            if lang == "en" { format!("{average:.1}") } else { format!("{average:.1}").replace('.', ",") };
        assert!(
            html.contains(&format!("<strong>{shown}</strong>")),
            "{lang}: the average of the API ({shown})"
        );
        for key in ["publisher.", "quality."] {
            assert!(!html.contains(&format!(">{key}")), "{lang}: an unresolved {key} key");
        }
    }
}

/// The four counts on a home page, in order: datasets, services, standards, publishers.
fn home_counts(html: &str) -> Vec<u64> {
    let list = html.split("<ul class=\"counts\">").nth(1).expect("the counts").split("</ul>").next();
    list.unwrap_or_default()
        .split("<strong>")
        .skip(1)
        .map(|s| s.split('<').next().unwrap_or_default().replace([',', '.'], "").parse().expect("a count"))
        .collect()
}

/// What `/api/search` counts per record kind for a reader (`token`: signed in).
fn kind_counts(server: &TestServer, token: Option<&str>) -> Vec<u64> {
    let mut request = Client::new().get(server.url("api/search"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let answer: serde_json::Value = request.send().expect("search").json().expect("json");
    let facet = answer["facets"].as_array().expect("facets").iter().find(|f| f["facet"] == "kind").cloned();
    let values = facet.expect("the kind facet")["values"].as_array().cloned().unwrap_or_default();
    let count = |kinds: &[&str]| -> u64 {
        values
            .iter()
            .filter(|v| kinds.iter().any(|k| v["value"] == *k))
            .map(|v| v["count"].as_u64().unwrap_or(0))
            .sum()
    };
    vec![count(&["dataset", "series"]), count(&["service"]), count(&["standard"]), count(&["publisher"])]
}

#[test]
fn the_home_page_counts_what_the_reader_may_see_and_follows_writes() {
    let (server, token) = demo_with_token();
    let client = Client::new();
    let home = |token: Option<&str>| -> String {
        let mut request = client.get(server.url("?lang=en")).header("Accept", BROWSER);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().expect("home").text().expect("body")
    };
    let anonymous = home(None);
    let counts = home_counts(&anonymous);
    assert_eq!(counts, kind_counts(&server, None), "the same counts as the search");
    assert!(counts.iter().all(|n| *n > 0), "the demo has every kind: {counts:?}");
    let signed = home_counts(&home(Some(&token)));
    assert_eq!(signed, kind_counts(&server, Some(&token)));
    assert!(signed[0] > counts[0], "the agency also counts its restricted datasets: {signed:?} {counts:?}");
    // Each theme chip counts what its link finds.
    let chips = anonymous.split("<ul class=\"chips\">").nth(1).expect("themes").split("</ul>").next();
    let mut themes = 0;
    for chip in chips.unwrap_or_default().split("<li><a href=\"").skip(1) {
        let href = chip.split('"').next().unwrap_or_default().replace("&#x2f;", "/").replace("&amp;", "&");
        let theme = href.strip_prefix("/search?theme=").expect("a theme search");
        let shown: u64 = chip
            .split("class=\"count\">")
            .nth(1)
            .and_then(|c| c.split('<').next())
            .expect("count")
            .replace([',', '.'], "")
            .parse()
            .expect("a number");
        let url = server.url(&format!("api/search?theme={theme}"));
        let answer: serde_json::Value = client.get(url).send().expect("search").json().expect("json");
        assert_eq!(answer["total"].as_u64(), Some(shown), "{href}");
        themes += 1;
    }
    assert!(themes > 0, "the demo's themes are listed");
    // Withdrawing a public dataset takes it off the (cached) home page at once.
    let publisher = format!("{}publisher/bo-tai-chinh", server.base_url);
    let mine: serde_json::Value = client
        .get(server.url("api/search"))
        .query(&[("publisher", publisher.as_str()), ("kind", "dataset")])
        .send()
        .expect("search")
        .json()
        .expect("json");
    let id = mine["hits"][0]["id"].as_str().expect("a public dataset of the agency").to_owned();
    let retired = client.delete(server.url(&format!("api/records/{id}"))).bearer_auth(&token).send();
    let retired = retired.expect("withdraw");
    assert!(retired.status().is_success(), "{}", retired.text().unwrap_or_default());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let now = home_counts(&home(None));
        if now[0] == counts[0] - 1 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the home page still counts {now:?}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(!home(None).replace("&#x2f;", "/").contains(&format!("/dataset/{id}\"")), "nor lists it");
}

#[test]
fn pages_kept_for_anonymous_readers_are_sent_gzipped_when_asked_and_unchanged() {
    let server = TestServer::demo();
    let client = Client::builder().no_gzip().build().expect("client");
    for path in ["", "search?q=ha+noi", "dataset/hn-diem-wifi-cong-cong", "api/search?q=ha+noi"] {
        let plain = client.get(server.url(path)).header("Accept", BROWSER).send().expect("get");
        assert_eq!(plain.status().as_u16(), 200, "{path}");
        assert!(header(&plain, "content-encoding").is_empty(), "{path}: not asked for gzip");
        let plain = plain.bytes().expect("body");
        // The first gzip answer may be the rendering, the second is the kept page: both decode to
        // the same bytes as the plain answer.
        for round in 0..2 {
            let zipped = client
                .get(server.url(path))
                .header("Accept", BROWSER)
                .header("Accept-Encoding", "gzip")
                .send()
                .expect("get");
            assert_eq!(header(&zipped, "content-encoding"), "gzip", "{path}, round {round}");
            assert!(header(&zipped, "vary").contains("Accept-Encoding"), "{path}");
            let mut decoded = Vec::new();
            let body = zipped.bytes().expect("body");
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&body[..]), &mut decoded)
                .expect("gunzip");
            assert_eq!(decoded, plain.as_ref(), "{path}, round {round}");
        }
    }
}
