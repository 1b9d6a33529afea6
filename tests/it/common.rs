//! The test harness: a real server process, the CLI, and RDF helpers.

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{Dataset, Quad};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A temporary directory, removed on drop. (Not the `tempfile` crate: as a dev-dependency it changes
/// the feature set of RocksDB's build tools, so `cargo test` would compile RocksDB a second time.)
pub struct TempDir(PathBuf);

impl TempDir {
    /// Its path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Makes a fresh temporary directory.
pub fn tempdir() -> std::io::Result<TempDir> {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let dir = std::env::temp_dir().join(format!("danhmuc-test-{}-{n}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(TempDir(dir))
}

/// The `danhmuc` binary under test.
pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_danhmuc")
}

/// Where the shared conformance material lives (beside the repository).
pub fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// A file of the repository's test fixtures.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Runs the CLI to completion.
pub fn run_cli(args: &[&str]) -> Output {
    Command::new(binary()).args(args).env_remove("DANHMUC_DATA").output().expect("the binary runs")
}

/// A `danhmuc serve` process on a free loopback port, killed on drop.
pub struct TestServer {
    child: Child,
    /// `http://127.0.0.1:PORT/`
    pub base: String,
    /// The data directory (kept alive as long as the server).
    pub data: TempDir,
    /// A blocking HTTP client.
    pub client: reqwest::blocking::Client,
    /// The base URL of the records' IRIs (`base` unless the server was started with another one).
    pub base_url: String,
}

impl TestServer {
    /// Starts a server with the demo catalogue.
    pub fn demo() -> Self {
        Self::start(&["--demo"])
    }

    /// Starts a server with extra `serve` arguments on a fresh store.
    pub fn start(extra: &[&str]) -> Self {
        let data = tempdir().expect("temp dir");
        Self::start_on(data, extra)
    }

    /// Starts a server on an existing data directory.
    pub fn start_on(data: TempDir, extra: &[&str]) -> Self {
        let mut child = Command::new(binary())
            .arg("serve")
            .arg("--data")
            .arg(data.path())
            .args(["--bind", "127.0.0.1:0"])
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("danhmuc: listening on ") {
                    let url = rest.split_whitespace().next().unwrap_or_default().to_owned();
                    let base_url = rest
                        .split_once("(base URL ")
                        .map_or(url.as_str(), |(_, b)| b.trim_end_matches(')'))
                        .to_owned();
                    let _ = sender.send((url, base_url));
                }
            }
        });
        let (base, base_url) = match receiver.recv_timeout(Duration::from_secs(60)) {
            Ok(urls) => urls,
            Err(_) => {
                let _ = child.kill();
                panic!("the server did not start within 60 s");
            }
        };
        let client =
            reqwest::blocking::Client::builder().timeout(Duration::from_secs(120)).build().expect("client");
        Self { child, base_url, base, data, client }
    }

    /// An absolute URL on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path.trim_start_matches('/'))
    }

    /// Kills the server (SIGKILL: no shutdown, no flush) and hands back its data directory.
    pub fn kill(mut self) -> TempDir {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::mem::replace(&mut self.data, tempdir().expect("temp dir"))
    }

    /// Stops the server as an operator would (SIGTERM) and waits for it; returns how it exited, how
    /// long it took and its data directory.
    pub fn terminate(mut self) -> (std::process::ExitStatus, Duration, TempDir) {
        let started = std::time::Instant::now();
        let sent = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().expect("kill");
        assert!(sent.success(), "SIGTERM sent");
        let status = self.child.wait().expect("wait");
        (status, started.elapsed(), std::mem::replace(&mut self.data, tempdir().expect("temp dir")))
    }

    /// `GET /sparql?query=…` with an `Accept` header; returns (status, content type, body).
    pub fn sparql_get(&self, query: &str, accept: &str) -> (u16, String, String) {
        let response = self
            .client
            .get(self.url("sparql"))
            .query(&[("query", query)])
            .header("Accept", accept)
            .send()
            .expect("request");
        let status = response.status().as_u16();
        let content_type = header(&response, "content-type");
        (status, content_type, response.text().expect("body"))
    }

    /// A SELECT query's single integer answer (`?n`), from the JSON results.
    pub fn count(&self, query: &str) -> u64 {
        let (status, _, body) = self.sparql_get(query, "application/sparql-results+json");
        assert_eq!(status, 200, "body: {body}");
        let json: serde_json::Value = serde_json::from_str(&body).expect("JSON results");
        json["results"]["bindings"][0]["n"]["value"]
            .as_str()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no ?n in {body}"))
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response header as a string ("" when absent).
pub fn header(response: &reqwest::blocking::Response, name: &str) -> String {
    response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// Parses RDF into a canonicalised dataset, for isomorphism checks.
#[track_caller]
pub fn canonical(format: RdfFormat, data: &[u8]) -> Dataset {
    let mut dataset: Dataset = RdfParser::from_format(format)
        .for_slice(data)
        .collect::<Result<Vec<Quad>, _>>()
        .unwrap_or_else(|e| panic!("unparseable {format}: {e}"))
        .into_iter()
        .collect();
    dataset.canonicalize(CanonicalizationAlgorithm::Unstable);
    dataset
}

/// Whether the shared conformance material is present; in CI (`CI=true`) its absence fails the test.
#[track_caller]
pub fn require_shared(path: &Path) -> bool {
    if path.exists() {
        return true;
    }
    assert_ne!(
        std::env::var("CI").as_deref(),
        Ok("true"),
        "{} is missing and CI=true: the conformance material must be beside the repository",
        path.display()
    );
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {} is missing (put ../shared beside the repository)",
        path.display()
    );
    false
}

/// The base URL of the registry servers the tests start (they listen elsewhere, on a free port).
pub const REGISTRY_BASE: &str = "http://registry.test/";

/// Runs `danhmuc ARGS[0] ARGS[1] --data DIR --base-url REGISTRY_BASE ARGS[2..]` (the account,
/// vocabulary and harvest commands).
pub fn registry_cli(data: &Path, args: &[&str]) -> Output {
    let mut all = vec![args[0], args[1]];
    let path = data.to_str().expect("utf-8");
    all.extend(["--data", path, "--base-url", REGISTRY_BASE]);
    all.extend(&args[2..]);
    run_cli(&all)
}

/// [`registry_cli`] that must succeed; its standard output, trimmed.
#[track_caller]
pub fn registry_cli_ok(data: &Path, args: &[&str]) -> String {
    let output = registry_cli(data, args);
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// A publisher token of `org`, made with the CLI on a stopped server's store under the base URL the
/// server stored (a demo server's own, not [`REGISTRY_BASE`]).
#[track_caller]
pub fn publisher_token(data: &Path, org: &str) -> String {
    let path = data.to_str().expect("utf-8");
    let output = run_cli(&["token", "create", "--data", path, "--org", org, "--role", "publisher"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// A demo server restarted (on another port) with a publisher token of `org` made in between; the
/// second start, without `--base-url`, keeps the first one's base URL, so the demo's IRIs stay its
/// records' own. Returns the server, the token and that base URL.
#[track_caller]
pub fn demo_with_token(org: &str) -> (TestServer, String, String) {
    let first = TestServer::demo();
    let base_url = first.base.clone();
    let data = first.kill();
    let token = publisher_token(data.path(), org);
    let server = TestServer::start_on(data, &["--demo"]);
    assert_eq!(server.base_url, base_url, "a restart without --base-url keeps the store's base URL");
    (server, token, base_url)
}
