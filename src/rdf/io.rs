//! RDF syntaxes and SPARQL result formats: names, media types, file extensions.
//!
//! Parsing and serialising themselves are Oxigraph's (`oxigraph::io`, `sparesults`); this module only
//! maps the names people and HTTP use onto them, in one place.

use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParseError, RdfSerializer};
use oxigraph::model::Triple;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QuerySolution, Variable};
use std::io::{self, Write};
use std::path::Path;

/// Prefixes used when writing Turtle, TriG and RDF/XML, so that output is readable.
pub const PREFIXES: [(&str, &str); 13] = [
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dct", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("adms", "http://www.w3.org/ns/adms#"),
    ("sh", "http://www.w3.org/ns/shacl#"),
    ("dm", "https://w3id.org/danhmuc/ns#"),
    ("sd", "http://www.w3.org/ns/sparql-service-description#"),
    ("hydra", "http://www.w3.org/ns/hydra/core#"),
];

/// An IRI shortened with one of our [`PREFIXES`] (`dcat:Dataset`), or the IRI when none fits.
pub fn compact(iri: &str) -> String {
    PREFIXES
        .iter()
        .find_map(|(prefix, ns)| iri.strip_prefix(ns).map(|local| format!("{prefix}:{local}")))
        .unwrap_or_else(|| iri.to_owned())
}

/// A serializer for `format` that knows our [`PREFIXES`] (where the syntax has prefixes).
pub fn serializer(format: RdfFormat) -> RdfSerializer {
    let mut serializer = RdfSerializer::from_format(format);
    if matches!(format, RdfFormat::Turtle | RdfFormat::TriG | RdfFormat::RdfXml) {
        for (prefix, iri) in PREFIXES {
            serializer =
                serializer.with_prefix(prefix, iri).unwrap_or_else(|_| RdfSerializer::from_format(format));
        }
    }
    serializer
}

/// Writes triples in an RDF syntax (a triple syntax, or a quad syntax with everything in the default graph).
pub fn write_triples<'a>(
    format: RdfFormat,
    triples: impl IntoIterator<Item = &'a Triple>,
    out: impl Write,
) -> io::Result<()> {
    let mut writer = serializer(format).for_writer(out);
    for triple in triples {
        writer.serialize_triple(triple)?;
    }
    writer.finish()?;
    Ok(())
}

/// Writes `SELECT` results.
pub fn write_solutions<'a>(
    format: QueryResultsFormat,
    variables: &[Variable],
    rows: impl IntoIterator<Item = &'a QuerySolution>,
    out: impl Write,
) -> io::Result<()> {
    let mut writer =
        QueryResultsSerializer::from_format(format).serialize_solutions_to_writer(out, variables.to_vec())?;
    for row in rows {
        writer.serialize(row)?;
    }
    writer.finish()?;
    Ok(())
}

/// Writes an `ASK` result.
pub fn write_boolean(format: QueryResultsFormat, value: bool, out: impl Write) -> io::Result<()> {
    QueryResultsSerializer::from_format(format).serialize_boolean_to_writer(out, value)?;
    Ok(())
}

/// The JSON-LD format as we read and write it (expanded form, no remote contexts).
pub const JSON_LD: RdfFormat = RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() };

/// Every RDF syntax danhmuc reads and writes.
pub const RDF_FORMATS: [RdfFormat; 6] =
    [RdfFormat::Turtle, RdfFormat::TriG, RdfFormat::NTriples, RdfFormat::NQuads, RdfFormat::RdfXml, JSON_LD];

/// Where the format of a file comes from: its name, once a trailing `.gz` is removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileKind {
    /// The RDF syntax, if the extension names one.
    pub format: Option<RdfFormat>,
    /// Whether the file is gzip-compressed (`.gz`).
    pub gzip: bool,
}

/// Guesses the syntax of a file from its extension (`data.ttl`, `dump.nq.gz`, …).
pub fn file_kind(path: &Path) -> FileKind {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_ascii_lowercase();
    let (name, gzip) = match name.strip_suffix(".gz") {
        Some(stripped) => (stripped.to_owned(), true),
        None => (name, false),
    };
    let extension = name.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
    FileKind { format: format_from_name(extension), gzip }
}

/// Reads a format from a short name or a file extension: `ttl`, `turtle`, `nt`, `jsonld`, `rdf`, …
pub fn format_from_name(name: &str) -> Option<RdfFormat> {
    Some(match name.to_ascii_lowercase().as_str() {
        "ttl" | "turtle" | "n3" => RdfFormat::Turtle,
        "trig" => RdfFormat::TriG,
        "nt" | "ntriples" | "n-triples" => RdfFormat::NTriples,
        "nq" | "nquads" | "n-quads" => RdfFormat::NQuads,
        "rdf" | "owl" | "xml" | "rdfxml" | "rdf-xml" | "rdf+xml" => RdfFormat::RdfXml,
        "jsonld" | "json-ld" | "json" => JSON_LD,
        _ => return None,
    })
}

/// Reads an RDF format from a media type (parameters such as `charset` are ignored).
pub fn format_from_media_type(media_type: &str) -> Option<RdfFormat> {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match essence.as_str() {
        "application/x-turtle" => Some(RdfFormat::Turtle),
        "application/xml" | "text/xml" => Some(RdfFormat::RdfXml),
        "application/json" => Some(JSON_LD),
        _ => RDF_FORMATS.into_iter().find(|f| f.media_type() == essence),
    }
}

/// Every SPARQL results format danhmuc writes.
pub const RESULT_FORMATS: [QueryResultsFormat; 4] =
    [QueryResultsFormat::Json, QueryResultsFormat::Xml, QueryResultsFormat::Csv, QueryResultsFormat::Tsv];

/// Reads a SPARQL results format from a short name (`json`, `xml`, `csv`, `tsv`) or a media type.
pub fn results_format_from_name(name: &str) -> Option<QueryResultsFormat> {
    let name = name.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match name.as_str() {
        "json" | "srj" | "application/json" => Some(QueryResultsFormat::Json),
        "xml" | "srx" | "application/xml" | "text/xml" => Some(QueryResultsFormat::Xml),
        "csv" => Some(QueryResultsFormat::Csv),
        "tsv" | "tab" => Some(QueryResultsFormat::Tsv),
        media_type => {
            RESULT_FORMATS.into_iter().find(|f| f.media_type().split(';').next() == Some(media_type))
        }
    }
}

/// The `file:` IRI of a local file (absolute, percent-encoded), the base IRI for relative IRIs in
/// it, as command-line RDF tools do.
pub fn file_iri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut iri = String::from("file://");
    for byte in absolute.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&byte) {
            iri.push(char::from(byte));
        } else {
            iri.push_str(&format!("%{byte:02X}"));
        }
    }
    iri
}

/// Describes a parse error as `LINE:COL: message` (1-based), or just the message when the
/// syntax gives no position (JSON-LD, RDF/XML in some cases) or the error is an I/O error.
pub fn describe_parse_error(error: &RdfParseError) -> String {
    match error {
        RdfParseError::Syntax(e) => {
            let text = e.to_string();
            // Oxigraph's Turtle-family messages start with "Parser error at line …: "; we say the
            // position our way, so keep only what follows it.
            let message = match text.strip_prefix("Parser error") {
                Some(rest) => rest.split_once(": ").map_or(rest, |(_, m)| m),
                None => text.as_str(),
            };
            match e.location() {
                Some(location) => {
                    format!("{}:{}: {message}", location.start.line + 1, location.start.column + 1)
                }
                None => message.to_owned(),
            }
        }
        RdfParseError::Io(e) => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_kinds_come_from_extensions() {
        let kind = |p: &str| file_kind(Path::new(p));
        assert_eq!(kind("a/b.ttl"), FileKind { format: Some(RdfFormat::Turtle), gzip: false });
        assert_eq!(kind("dump.NQ.gz"), FileKind { format: Some(RdfFormat::NQuads), gzip: true });
        assert_eq!(kind("x.jsonld").format, Some(JSON_LD));
        assert_eq!(kind("x.owl").format, Some(RdfFormat::RdfXml));
        assert_eq!(kind("README").format, None);
    }

    #[test]
    fn file_iris_are_absolute_and_encoded() {
        assert_eq!(
            file_iri(Path::new("/tmp/a b/dữ liệu.ttl")),
            "file:///tmp/a%20b/d%E1%BB%AF%20li%E1%BB%87u.ttl"
        );
        assert!(file_iri(Path::new("x.ttl")).starts_with("file:///"));
        assert!(oxiri::Iri::parse(file_iri(Path::new("/tmp/a b/#?.ttl"))).is_ok());
    }

    #[test]
    fn media_types_map_to_formats() {
        assert_eq!(format_from_media_type("text/turtle; charset=utf-8"), Some(RdfFormat::Turtle));
        assert_eq!(format_from_media_type("application/ld+json"), Some(JSON_LD));
        assert_eq!(format_from_media_type("application/n-quads"), Some(RdfFormat::NQuads));
        assert_eq!(format_from_media_type("text/html"), None);
        assert_eq!(results_format_from_name("text/csv"), Some(QueryResultsFormat::Csv));
        assert_eq!(results_format_from_name("json"), Some(QueryResultsFormat::Json));
    }
}
