//! Real SPARQL clients against `/sparql` on a demo server: SPARQLWrapper and rdflib's SPARQLStore
//! (Python), Comunica (Node.js) and curl. Each runs its script in `tests/clients/`, which asks for
//! every result format the client can request and checks the answers against a baseline; the
//! script's exit code is the verdict. `tests/clients/setup.sh` installs the clients into
//! `${DANHMUC_TOOLS:-$HOME/.cache/danhmuc-tools}`; without them these tests are skipped, except in CI
//! (`CI=true`), where that is a failure.

use super::common::{TestServer, require_shared, run_cli, shared_dir, tempdir};
use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one client's checks may take.
const TIMEOUT: Duration = Duration::from_secs(600);

/// Where `setup.sh` installs the clients.
pub fn tools_dir() -> PathBuf {
    match std::env::var_os("DANHMUC_TOOLS") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/danhmuc-tools"),
    }
}

/// The client scripts.
pub fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients").join(name)
}

/// Whether a program is on `PATH`.
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// Whether the client's tools are there. When they are not: in CI (`CI=true`) the test fails,
/// elsewhere it says why on stderr and is skipped.
#[track_caller]
pub fn require_tools(client: &str, files: &[PathBuf], programs: &[&str]) -> bool {
    let tools = tools_dir();
    let mut missing: Vec<String> = Vec::new();
    // setup.sh writes the stamp last, after the tools were installed and loaded.
    for file in std::iter::once(tools.join(".stamp")).chain(files.iter().cloned()) {
        if !file.exists() {
            missing.push(file.display().to_string());
        }
    }
    for program in programs {
        if !on_path(program) {
            missing.push(format!("`{program}` on PATH"));
        }
    }
    if missing.is_empty() {
        return true;
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "the {client} client is not installed ({} missing) and CI=true: run tests/clients/setup.sh first",
            missing.join(", ")
        );
    }
    let _ = writeln!(
        std::io::stderr(),
        "skipped: the {client} client is not installed ({} missing); run tests/clients/setup.sh",
        missing.join(", ")
    );
    false
}

/// Runs a client's check script against a fresh demo server; fails with its output unless it
/// exits 0 within [`TIMEOUT`].
#[track_caller]
fn run_check(client: &str, program: &Path, script: &Path, env: &[(&str, OsString)]) {
    let server = TestServer::demo();
    run_script(client, program, script, &[OsString::from(server.url("sparql"))], env);
}

/// Runs `program script args…`; fails with its output unless it exits 0 within [`TIMEOUT`].
#[track_caller]
pub fn run_script(client: &str, program: &Path, script: &Path, args: &[OsString], env: &[(&str, OsString)]) {
    let mut child = Command::new(program)
        .arg(script)
        .args(args)
        .env("DANHMUC_TOOLS", tools_dir())
        .envs(env.iter().map(|(k, v)| (*k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {} {}: {e}", program.display(), script.display()));
    let reader = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = reader(Box::new(child.stdout.take().expect("piped stdout")));
    let stderr = reader(Box::new(child.stderr.take().expect("piped stderr")));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the client") {
            break Some(status);
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    let verdict = match status {
        Some(status) if status.success() => return,
        Some(status) => format!("failed ({status})"),
        None => format!("did not finish within {} s", TIMEOUT.as_secs()),
    };
    let shown: Vec<_> = args.iter().take(4).map(|a| a.to_string_lossy().into_owned()).collect();
    panic!(
        "the {client} check {verdict}\n\
         command: {} {} {} …\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
        program.display(),
        script.display(),
        shown.join(" ")
    );
}

fn venv_python() -> PathBuf {
    tools_dir().join("venv/bin/python")
}

#[test]
fn sparqlwrapper_reads_every_format() {
    let python = venv_python();
    if require_tools("SPARQLWrapper", std::slice::from_ref(&python), &[]) {
        run_check("SPARQLWrapper", &python, &script("sparqlwrapper_check.py"), &[]);
    }
}

#[test]
fn rdflib_sparqlstore_reads_every_format() {
    let python = venv_python();
    if require_tools("rdflib", std::slice::from_ref(&python), &[]) {
        run_check("rdflib", &python, &script("rdflib_check.py"), &[]);
    }
}

#[test]
fn comunica_reads_every_format() {
    let comunica = tools_dir().join("node/node_modules/@comunica/query-sparql/package.json");
    if require_tools("Comunica", &[comunica], &["node"]) {
        run_check("Comunica", Path::new("node"), &script("comunica_check.mjs"), &[]);
    }
}

#[test]
fn curl_reads_every_format() {
    // curl sends; the venv's Python (rdflib) judges the answers.
    let python = venv_python();
    if require_tools("curl", std::slice::from_ref(&python), &["curl", "bash"]) {
        run_check(
            "curl",
            Path::new("bash"),
            &script("curl_check.sh"),
            &[("PYTHON", python.into_os_string())],
        );
    }
}

/// Every official DCAT 3 example, in each of its syntaxes (Turtle, RDF/XML, JSON-LD), imported into
/// an empty store and exported again, must be the graph rdflib reads from the same file on its own.
/// (The W3C's own files do not always agree across syntaxes, so each file is judged on its own.)
#[test]
fn rdflib_reads_every_official_dcat_example_as_we_store_it() {
    let dir = shared_dir().join("conformance/dcat3-examples/vocab-dcat-3");
    let python = venv_python();
    if !require_shared(&dir) || !require_tools("rdflib", std::slice::from_ref(&python), &[]) {
        return;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples")
        .map(|e| e.expect("entry").path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("ttl" | "rdf" | "jsonld")))
        .collect();
    files.sort();
    assert!(files.len() >= 60, "the DCAT 3 examples are there: {} files", files.len());
    let work = tempdir().expect("temp");
    let mut pairs = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let data = work.path().join(format!("store-{i}"));
        let export = work.path().join(format!("export-{i}.nq"));
        for args in [
            vec!["import", "--data", data.to_str().expect("utf-8"), file.to_str().expect("utf-8")],
            vec![
                "export",
                "--data",
                data.to_str().expect("utf-8"),
                "--format",
                "nquads",
                "-o",
                export.to_str().expect("utf-8"),
            ],
        ] {
            let output = run_cli(&args);
            assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        }
        pairs.push(file.clone().into_os_string());
        pairs.push(export.into_os_string());
    }
    run_script("rdflib", &python, &script("rdflib_parse_check.py"), &pairs, &[]);
}
