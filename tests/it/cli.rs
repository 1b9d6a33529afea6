//! The command line: import of every syntax, all-or-nothing on malformed files, export → import round
//! trips, `query`, the store lock, and one-line errors.

use super::common::{TestServer, canonical, fixture, run_cli};
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::Quad;
use std::io::Write;
use std::path::Path;

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[track_caller]
fn ok(args: &[&str]) -> String {
    let output = run_cli(args);
    assert!(output.status.success(), "{args:?} failed: {}", stderr(&output));
    stdout(&output)
}

fn count(data: &Path, query: &str) -> u64 {
    let csv = ok(&["query", "--data", data.to_str().expect("utf-8"), "--format", "csv", query]);
    csv.lines().nth(1).and_then(|l| l.trim().parse().ok()).unwrap_or_else(|| panic!("no count in {csv}"))
}

const ALL_QUADS: &str = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }";

/// Writes the sample in `format` (and gzip-compressed) into `dir`.
fn write_sample(dir: &Path, format: RdfFormat, extension: &str) -> Vec<std::path::PathBuf> {
    let turtle = std::fs::read(fixture("formats/sample.ttl")).expect("fixture");
    let quads: Vec<Quad> = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(&turtle)
        .collect::<Result<_, _>>()
        .expect("fixture parses");
    let mut bytes = Vec::new();
    let mut writer = RdfSerializer::from_format(format).for_writer(&mut bytes);
    for quad in &quads {
        if format.supports_datasets() {
            writer.serialize_quad(quad).expect("serialise");
        } else {
            writer.serialize_triple(quad.as_ref()).expect("serialise");
        }
    }
    writer.finish().expect("finish");
    let plain = dir.join(format!("sample.{extension}"));
    std::fs::write(&plain, &bytes).expect("write");
    let gz = dir.join(format!("sample-gz.{extension}.gz"));
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).expect("create"),
        flate2::Compression::default(),
    );
    encoder.write_all(&bytes).expect("gzip");
    encoder.finish().expect("gzip");
    vec![plain, gz]
}

#[test]
fn import_reads_every_syntax_plain_and_gzipped() {
    let files = super::common::tempdir().expect("temp");
    for (format, extension) in [
        (RdfFormat::Turtle, "ttl"),
        (RdfFormat::TriG, "trig"),
        (RdfFormat::NTriples, "nt"),
        (RdfFormat::NQuads, "nq"),
        (RdfFormat::RdfXml, "rdf"),
        (danhmuc::rdf::io::JSON_LD, "jsonld"),
    ] {
        for file in write_sample(files.path(), format, extension) {
            let data = super::common::tempdir().expect("temp");
            let summary = ok(&[
                "import",
                "--data",
                data.path().to_str().expect("utf-8"),
                file.to_str().expect("utf-8"),
            ]);
            assert!(summary.starts_with("imported 1 file, 9 triples in "), "{}: {summary}", file.display());
            assert_eq!(count(data.path(), ALL_QUADS), 9, "{}", file.display());
        }
    }
    // A directory is read recursively; --graph puts triples into a named graph, which is public.
    let data = super::common::tempdir().expect("temp");
    let summary = ok(&[
        "import",
        "--data",
        data.path().to_str().expect("utf-8"),
        "--graph",
        "http://example.org/graph/sample",
        files.path().join("sample.ttl").to_str().expect("utf-8"),
    ]);
    assert!(summary.contains("9 triples"), "{summary}");
    assert_eq!(
        count(
            data.path(),
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/graph/sample> { ?s ?p ?o } }"
        ),
        9
    );
    let summary = ok(&[
        "import",
        "--data",
        data.path().to_str().expect("utf-8"),
        files.path().to_str().expect("utf-8"),
    ]);
    assert!(summary.starts_with("imported 12 files"), "{summary}");
}

#[test]
fn a_malformed_file_is_reported_with_its_position_and_stores_nothing() {
    let data = super::common::tempdir().expect("temp");
    let broken = fixture("broken.ttl");
    let output =
        run_cli(&["import", "--data", data.path().to_str().expect("utf-8"), broken.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "one line: {message}");
    assert!(message.starts_with(&format!("danhmuc: {}:5:1: ", broken.display())), "FILE:LINE:COL: {message}");
    assert_eq!(count(data.path(), ALL_QUADS), 0, "nothing of the malformed file is stored");

    let output = run_cli(&["import", "--data", data.path().to_str().expect("utf-8"), "/no/such/file.ttl"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).starts_with("danhmuc: /no/such/file.ttl: no such file"), "{}", stderr(&output));
    let output = run_cli(&[
        "import",
        "--data",
        data.path().to_str().expect("utf-8"),
        "--format",
        "docx",
        broken.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("unknown format"));
}

#[test]
fn export_then_import_is_isomorphic() {
    let files = super::common::tempdir().expect("temp");
    write_sample(files.path(), RdfFormat::TriG, "trig");
    let a = super::common::tempdir().expect("temp");
    let a_path = a.path().to_str().expect("utf-8");
    ok(&["import", "--data", a_path, files.path().join("sample.trig").to_str().expect("utf-8")]);
    ok(&[
        "import",
        "--data",
        a_path,
        "--graph",
        "http://example.org/g",
        fixture("formats/sample.ttl").to_str().expect("utf-8"),
    ]);
    for (flag, format) in [("nquads", RdfFormat::NQuads), ("trig", RdfFormat::TriG)] {
        let dump = files.path().join(format!("dump.{flag}"));
        ok(&["export", "--data", a_path, "--format", flag, "-o", dump.to_str().expect("utf-8")]);
        let b = super::common::tempdir().expect("temp");
        let b_path = b.path().to_str().expect("utf-8");
        ok(&[
            "import",
            "--data",
            b_path,
            "--format",
            if flag == "nquads" { "nq" } else { "trig" },
            dump.to_str().expect("utf-8"),
        ]);
        let again = ok(&["export", "--data", b_path, "--format", flag]);
        let original = std::fs::read(&dump).expect("dump");
        assert_eq!(canonical(format, &original), canonical(format, again.as_bytes()), "{flag} round trip");
        assert!(canonical(format, &original).len() > 18, "both copies and the system graph are exported");
    }
    let one = ok(&["export", "--data", a_path, "--graph", "http://example.org/g"]);
    assert_eq!(one.lines().count(), 9, "--graph exports one graph: {one}");
}

#[test]
fn query_prints_every_format() {
    let data = super::common::tempdir().expect("temp");
    let path = data.path().to_str().expect("utf-8");
    ok(&["import", "--data", path, fixture("formats/sample.ttl").to_str().expect("utf-8")]);
    let select = "SELECT ?t WHERE { ?d <http://purl.org/dc/terms/title> ?t } ORDER BY ?t";
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["query", "--data", path, select])).expect("json");
    assert_eq!(json["results"]["bindings"].as_array().map(Vec::len), Some(2));
    assert!(ok(&["query", "--data", path, "--format", "xml", select]).contains("<sparql"));
    assert_eq!(ok(&["query", "--data", path, "--format", "tsv", select]).lines().count(), 3);
    let turtle = ok(&["query", "--data", path, "--format", "turtle", "CONSTRUCT WHERE { ?s ?p ?o }"]);
    assert_eq!(canonical(RdfFormat::Turtle, turtle.as_bytes()).len(), 9);
    let output = run_cli(&["query", "--data", path, "SELECT WHERE"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).starts_with("danhmuc: invalid SPARQL query"), "{}", stderr(&output));
}

#[test]
fn the_cli_says_so_when_a_server_holds_the_store() {
    let server = TestServer::start(&[]);
    let path = server.data.path().to_str().expect("utf-8").to_owned();
    let output =
        run_cli(&["import", "--data", &path, fixture("formats/sample.ttl").to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("in use by another process"), "{message}");
    // The server is unharmed.
    assert_eq!(server.client.get(server.url("health")).send().expect("health").status().as_u16(), 200);
}

#[test]
fn every_command_has_help() {
    for command in [
        &["--help"][..],
        &["serve", "--help"],
        &["import", "--help"],
        &["export", "--help"],
        &["query", "--help"],
        &["compact", "--help"],
    ] {
        let output = ok(command);
        assert!(output.contains("Usage: danhmuc"), "{command:?}: {output}");
    }
}

/// SIGTERM stops a serving server promptly and cleanly (exit 0), background work included (the link
/// check and the daily snapshot run at start), and the next start finds everything it had.
#[test]
fn sigterm_stops_the_server_cleanly_and_loses_nothing() {
    // Datasets, and the measurements computed on them (the daily publisher averages may be taken
    // after the first count).
    const COUNTS: &str = "SELECT (COUNT(DISTINCT ?d) + 100000 * COUNT(DISTINCT ?m) AS ?n) WHERE { \
        ?d a <http://www.w3.org/ns/dcat#Dataset> OPTIONAL { ?m <http://www.w3.org/ns/dqv#computedOn> ?d } }";
    let server = TestServer::demo();
    let before = server.count(COUNTS);
    assert!(before > 100_000 && !before.is_multiple_of(100_000), "datasets and their measurements: {before}");
    let (status, took, data) = server.terminate();
    assert!(status.success(), "{status:?}");
    assert!(took < std::time::Duration::from_secs(15), "stopped in {took:?}");
    let server = TestServer::start_on(data, &["--demo"]);
    assert_eq!(server.count(COUNTS), before);
}

/// `compact` merges the files every import leaves, changes no quad, and refuses a directory without
/// a store or a store a server holds, in one line.
#[test]
fn compact_merges_the_store_files_and_changes_no_quad() {
    let data = super::common::tempdir().expect("temp");
    let path = data.path().to_str().expect("utf-8");
    let sample = fixture("formats/sample.ttl");
    for graph in ["http://example.org/a", "http://example.org/b", "http://example.org/c"] {
        ok(&["import", "--data", path, "--graph", graph, sample.to_str().expect("utf-8")]);
    }
    let before = ok(&["export", "--data", path]);
    let line = ok(&["compact", "--data", path]);
    assert_eq!(line.lines().count(), 1, "{line}");
    let tables: Vec<u64> = line
        .split(" table files")
        .filter_map(|part| part.rsplit(' ').next().and_then(|n| n.parse().ok()))
        .collect();
    assert_eq!(tables.len(), 2, "files before and after in: {line}");
    assert!(tables[1] < tables[0], "three imports' files are merged: {line}");
    let after = ok(&["export", "--data", path]);
    assert_eq!(
        canonical(RdfFormat::NQuads, before.as_bytes()),
        canonical(RdfFormat::NQuads, after.as_bytes())
    );
    assert!(before.lines().count() >= 27, "the three graphs are exported: {before}");

    let empty = super::common::tempdir().expect("temp");
    let output = run_cli(&["compact", "--data", empty.path().to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).trim_end().ends_with("holds no store"), "{}", stderr(&output));
    assert_eq!(stderr(&output).lines().count(), 1);

    let server = TestServer::start(&[]);
    let output = run_cli(&["compact", "--data", server.data.path().to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("in use by another process"), "{}", stderr(&output));
}
