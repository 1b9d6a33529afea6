//! Code lists as CSV (UTF-8, one row per concept, a header row). The columns:
//!
//! | column | meaning |
//! |---|---|
//! | `notation` | `skos:notation`; the concept's IRI is `{scheme}/{notation}` unless `uri` is given |
//! | `uri` | the concept's own IRI (optional) |
//! | `prefLabel@vi`, `prefLabel@en`, … | `skos:prefLabel` in that language (one per cell) |
//! | `altLabel@…`, `hiddenLabel@…` | `skos:altLabel`, `skos:hiddenLabel`; several separated by `|` |
//! | `definition@…`, `scopeNote@…`, `note@…`, `example@…` | documentation (one per cell) |
//! | `broader` | broader concepts by notation (or IRI), several separated by `|`; none = a top concept |
//! | `related` | `skos:related` by notation (or IRI), `|`-separated |
//! | `exactMatch`, `closeMatch`, `broadMatch`, `narrowMatch`, `relatedMatch` | mappings by IRI, `|`-separated |
//! | `deprecated` | `true` marks the concept `owl:deprecated` |
//! | `replacedBy` | `dct:isReplacedBy`, by notation or IRI, `|`-separated |
//!
//! A column without `@lang` gives literals without a language. Import writes `skos:broader` and
//! `skos:narrower` both ways, `skos:inScheme`, and top concepts both ways. Every error names its
//! row (the header is row 1) and column.

use super::scheme::{Scheme, terms};
use crate::rdf::ns::{dct, skos};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, Triple};
use rustc_hash::FxHashMap;

/// An import error, with where it is.
#[derive(Debug, thiserror::Error)]
#[error("CSV row {row}{}: {message}", column.as_ref().map(|c| format!(", column {c}")).unwrap_or_default())]
pub struct CsvError {
    /// The row (the header is row 1).
    pub row: usize,
    /// The column: its number (from 1) and header.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Notation,
    Uri,
    Literal(NamedNodeRef<'static>, bool),
    Broader,
    Related,
    Mapping(NamedNodeRef<'static>),
    Deprecated,
    ReplacedBy,
}

fn field(name: &str) -> Option<Field> {
    Some(match name {
        "notation" => Field::Notation,
        "uri" => Field::Uri,
        "prefLabel" => Field::Literal(skos::PREF_LABEL, false),
        "altLabel" => Field::Literal(terms::ALT_LABEL, true),
        "hiddenLabel" => Field::Literal(terms::HIDDEN_LABEL, true),
        "definition" => Field::Literal(terms::DEFINITION, false),
        "scopeNote" => Field::Literal(terms::SCOPE_NOTE, false),
        "note" => Field::Literal(terms::NOTE, false),
        "example" => Field::Literal(terms::EXAMPLE, false),
        "broader" => Field::Broader,
        "related" => Field::Related,
        "exactMatch" => Field::Mapping(terms::EXACT_MATCH),
        "closeMatch" => Field::Mapping(terms::CLOSE_MATCH),
        "broadMatch" => Field::Mapping(terms::BROAD_MATCH),
        "narrowMatch" => Field::Mapping(terms::NARROW_MATCH),
        "relatedMatch" => Field::Mapping(terms::RELATED_MATCH),
        "deprecated" => Field::Deprecated,
        "replacedBy" => Field::ReplacedBy,
        _ => return None,
    })
}

/// Whether a notation can be a path segment of a minted concept IRI.
pub fn safe_segment(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
}

fn is_http_iri(s: &str) -> bool {
    (s.starts_with("http://") || s.starts_with("https://")) && NamedNode::new(s).is_ok()
}

struct Row {
    iri: String,
    notation: Option<String>,
    literals: Vec<(NamedNodeRef<'static>, Literal)>,
    broader: Vec<(usize, String)>,
    related: Vec<(usize, String)>,
    mappings: Vec<(NamedNodeRef<'static>, String)>,
    deprecated: bool,
    replaced_by: Vec<(usize, String)>,
}

/// Reads a CSV code list into the triples of scheme `scheme` (concepts only, plus the scheme's
/// type and top concepts); the caller adds the scheme's own metadata. At most `max_rows` rows.
pub fn import(data: &[u8], scheme: &str, max_rows: usize) -> Result<Vec<Triple>, CsvError> {
    let at = |row: usize, column: Option<String>, message: String| CsvError { row, column, message };
    let data = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(data);
    let headers = reader.headers().map_err(|e| at(1, None, e.to_string()))?.clone();
    let mut columns: Vec<(Field, Option<String>, String)> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let name = format!("{} ({h})", i + 1);
        let (base, lang) = match h.trim().split_once('@') {
            Some((b, l)) => (b, Some(l.to_ascii_lowercase())),
            None => (h.trim(), None),
        };
        let f = field(base).ok_or_else(|| {
            at(1, Some(name.clone()), format!("unknown column {h:?}; see the documented columns"))
        })?;
        if lang.is_some() && !matches!(f, Field::Literal(..)) {
            return Err(at(1, Some(name), format!("{base} takes no language")));
        }
        if let Some(l) = &lang
            && oxilangtag_ok(l).is_none()
        {
            return Err(at(1, Some(name), format!("{l:?} is not a language tag")));
        }
        if columns.iter().any(|(g, gl, _)| *g == f && *gl == lang) {
            return Err(at(1, Some(name), format!("column {h:?} appears twice")));
        }
        columns.push((f, lang, name));
    }
    if !columns.iter().any(|(f, _, _)| *f == Field::Notation) {
        return Err(at(1, None, "the header has no notation column".into()));
    }
    let mut rows: Vec<Row> = Vec::new();
    let mut by_notation: FxHashMap<String, usize> = FxHashMap::default();
    let mut by_iri: FxHashMap<String, usize> = FxHashMap::default();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = record.map_err(|e| at(line, None, e.to_string()))?;
        if rows.len() >= max_rows {
            return Err(at(line, None, format!("more than {max_rows} rows")));
        }
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let mut row = Row {
            iri: String::new(),
            notation: None,
            literals: Vec::new(),
            broader: Vec::new(),
            related: Vec::new(),
            mappings: Vec::new(),
            deprecated: false,
            replaced_by: Vec::new(),
        };
        let mut uri = None;
        for ((f, lang, name), cell) in columns.iter().zip(record.iter()) {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            let many = || cell.split('|').map(str::trim).filter(|v| !v.is_empty());
            let col = || Some(name.clone());
            match f {
                Field::Notation => row.notation = Some(cell.to_owned()),
                Field::Uri => {
                    if !is_http_iri(cell) {
                        return Err(at(line, col(), format!("{cell:?} is not an http(s) IRI")));
                    }
                    uri = Some(cell.to_owned());
                }
                Field::Literal(p, multi) => {
                    let values: Vec<&str> = if *multi { many().collect() } else { vec![cell] };
                    for v in values {
                        let literal = match lang {
                            Some(l) => Literal::new_language_tagged_literal(v, l)
                                .map_err(|e| at(line, col(), e.to_string()))?,
                            None => Literal::new_simple_literal(v),
                        };
                        row.literals.push((*p, literal));
                    }
                }
                Field::Broader => row.broader.extend(many().map(|v| (line, v.to_owned()))),
                Field::Related => row.related.extend(many().map(|v| (line, v.to_owned()))),
                Field::Mapping(p) => {
                    for v in many() {
                        if !is_http_iri(v) {
                            return Err(at(line, col(), format!("{v:?} is not an http(s) IRI")));
                        }
                        row.mappings.push((*p, v.to_owned()));
                    }
                }
                Field::Deprecated => match cell.to_ascii_lowercase().as_str() {
                    "true" | "1" | "yes" => row.deprecated = true,
                    "false" | "0" | "no" => {}
                    _ => return Err(at(line, col(), format!("{cell:?} is not true or false"))),
                },
                Field::ReplacedBy => row.replaced_by.extend(many().map(|v| (line, v.to_owned()))),
            }
        }
        let notation_column =
            columns.iter().find(|(f, _, _)| *f == Field::Notation).map(|(_, _, n)| n.clone());
        row.iri = match (uri, &row.notation) {
            (Some(u), _) => u,
            (None, Some(n)) if safe_segment(n) => format!("{scheme}/{n}"),
            (None, Some(n)) => {
                return Err(at(
                    line,
                    notation_column,
                    format!(
                        "{n:?} cannot be a path segment (letters, digits, - _ . ~); give the concept's IRI in a uri column"
                    ),
                ));
            }
            (None, None) => return Err(at(line, notation_column, "empty notation and no uri".into())),
        };
        if let Some(n) = &row.notation
            && by_notation.insert(n.clone(), rows.len()).is_some()
        {
            return Err(at(line, notation_column, format!("notation {n:?} appears in an earlier row")));
        }
        if by_iri.insert(row.iri.clone(), rows.len()).is_some() {
            return Err(at(line, None, format!("the concept {} appears in an earlier row", row.iri)));
        }
        rows.push(row);
    }
    let column_of = |f: Field| columns.iter().find(|(g, _, _)| *g == f).map(|(_, _, n)| n.clone());
    let resolve = |(line, v): &(usize, String), f: Field| -> Result<usize, CsvError> {
        by_notation.get(v).or_else(|| by_iri.get(v)).copied().ok_or_else(|| {
            at(*line, column_of(f), format!("no concept with notation (or IRI) {v:?} in this file"))
        })
    };
    let scheme_node = NamedNode::new(scheme).map_err(|e| at(1, None, format!("scheme IRI: {e}")))?;
    let mut triples = vec![Triple::new(scheme_node.clone(), rdf::TYPE, skos::CONCEPT_SCHEME)];
    for row in &rows {
        let c = NamedNode::new_unchecked(row.iri.as_str());
        triples.push(Triple::new(c.clone(), rdf::TYPE, skos::CONCEPT));
        triples.push(Triple::new(c.clone(), skos::IN_SCHEME, scheme_node.clone()));
        if let Some(n) = &row.notation {
            triples.push(Triple::new(c.clone(), skos::NOTATION, Literal::new_simple_literal(n)));
        }
        for (p, l) in &row.literals {
            triples.push(Triple::new(c.clone(), *p, l.clone()));
        }
        if row.broader.is_empty() {
            triples.push(Triple::new(c.clone(), terms::TOP_CONCEPT_OF, scheme_node.clone()));
            triples.push(Triple::new(scheme_node.clone(), terms::HAS_TOP_CONCEPT, c.clone()));
        }
        for b in &row.broader {
            let parent = NamedNode::new_unchecked(rows[resolve(b, Field::Broader)?].iri.as_str());
            triples.push(Triple::new(c.clone(), skos::BROADER, parent.clone()));
            triples.push(Triple::new(parent, terms::NARROWER, c.clone()));
        }
        for r in &row.related {
            let other = NamedNode::new_unchecked(rows[resolve(r, Field::Related)?].iri.as_str());
            triples.push(Triple::new(c.clone(), terms::RELATED, other));
        }
        for (p, target) in &row.mappings {
            triples.push(Triple::new(c.clone(), *p, NamedNode::new_unchecked(target.as_str())));
        }
        if row.deprecated {
            triples.push(Triple::new(
                c.clone(),
                terms::DEPRECATED,
                Literal::new_typed_literal("true", xsd::BOOLEAN),
            ));
        }
        for r in &row.replaced_by {
            let target = match resolve(r, Field::ReplacedBy) {
                Ok(i) => rows[i].iri.clone(),
                Err(_) if is_http_iri(&r.1) => r.1.clone(),
                Err(e) => return Err(e),
            };
            triples.push(Triple::new(c.clone(), dct::IS_REPLACED_BY, NamedNode::new_unchecked(target)));
        }
    }
    let mut seen = rustc_hash::FxHashSet::default();
    triples.retain(|t| seen.insert(t.clone()));
    Ok(triples)
}

fn oxilangtag_ok(tag: &str) -> Option<()> {
    Literal::new_language_tagged_literal("x", tag).ok().map(|_| ())
}

/// Writes a scheme version as CSV with the documented columns (only those that have values).
pub fn export(scheme: &Scheme) -> Result<Vec<u8>, csv::Error> {
    let mut order: Vec<usize> = (0..scheme.concepts.len()).collect();
    scheme.sort_siblings(&mut order);
    let literal_columns: [(&str, NamedNodeRef<'static>); 8] = [
        ("prefLabel", skos::PREF_LABEL),
        ("altLabel", terms::ALT_LABEL),
        ("hiddenLabel", terms::HIDDEN_LABEL),
        ("definition", terms::DEFINITION),
        ("scopeNote", terms::SCOPE_NOTE),
        ("note", terms::NOTE),
        ("example", terms::EXAMPLE),
        ("", terms::HISTORY_NOTE),
    ];
    let literals_of = |i: usize, p: NamedNodeRef<'_>| -> Vec<&Literal> {
        let c = &scheme.concepts[i];
        if p == skos::PREF_LABEL {
            c.pref.iter().collect()
        } else if p == terms::ALT_LABEL {
            c.alt.iter().collect()
        } else if p == terms::HIDDEN_LABEL {
            c.hidden.iter().collect()
        } else if p == terms::DEFINITION {
            c.definitions.iter().collect()
        } else {
            c.notes.iter().filter(|(q, _)| q.as_ref() == p).map(|(_, l)| l).collect()
        }
    };
    let minted = |i: usize| {
        let c = &scheme.concepts[i];
        c.notations.len() == 1 && c.iri == format!("{}/{}", scheme.iri, c.notations[0])
    };
    let needs_uri = order.iter().any(|&i| !minted(i));
    // Columns: (header, how to fill a cell).
    let mut header: Vec<String> = vec!["notation".into()];
    if needs_uri {
        header.push("uri".into());
    }
    let mut lit_cols: Vec<(String, NamedNodeRef<'static>, String)> = Vec::new();
    for (name, p) in literal_columns.iter().filter(|(n, _)| !n.is_empty()) {
        let mut langs: Vec<String> = order
            .iter()
            .flat_map(|&i| literals_of(i, *p))
            .map(|l| l.language().unwrap_or("").to_owned())
            .collect();
        langs.sort_by_key(|l| (l != "vi", l != "en", l.clone()));
        langs.dedup();
        for l in langs {
            let h = if l.is_empty() { (*name).to_owned() } else { format!("{name}@{l}") };
            header.push(h);
            lit_cols.push(((*name).to_owned(), *p, l));
        }
    }
    let key = |j: usize| -> String {
        let c = &scheme.concepts[j];
        match c.notations.first() {
            Some(n) if scheme.by_notation.get(n).is_some_and(|v| v.len() == 1) => n.clone(),
            _ => c.iri.clone(),
        }
    };
    let any = |f: &dyn Fn(usize) -> bool| order.iter().any(|&i| f(i));
    let has_broader = any(&|i| !scheme.parents[i].is_empty());
    let has_related = any(&|i| !scheme.concepts[i].related.is_empty());
    let mapping_cols: Vec<(&str, NamedNodeRef<'static>)> = [
        ("exactMatch", terms::EXACT_MATCH),
        ("closeMatch", terms::CLOSE_MATCH),
        ("broadMatch", terms::BROAD_MATCH),
        ("narrowMatch", terms::NARROW_MATCH),
        ("relatedMatch", terms::RELATED_MATCH),
    ]
    .into_iter()
    .filter(|(_, p)| any(&|i| scheme.concepts[i].mappings.iter().any(|(q, _)| q.as_ref() == *p)))
    .collect();
    let has_deprecated = any(&|i| scheme.concepts[i].deprecated);
    let has_replaced = any(&|i| !scheme.concepts[i].replaced_by.is_empty());
    if has_broader {
        header.push("broader".into());
    }
    if has_related {
        header.push("related".into());
    }
    header.extend(mapping_cols.iter().map(|(n, _)| (*n).to_owned()));
    if has_deprecated {
        header.push("deprecated".into());
    }
    if has_replaced {
        header.push("replacedBy".into());
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header)?;
    for &i in &order {
        let c = &scheme.concepts[i];
        let mut cells: Vec<String> = vec![c.notations.first().cloned().unwrap_or_default()];
        if needs_uri {
            cells.push(if minted(i) { String::new() } else { c.iri.clone() });
        }
        for (_, p, lang) in &lit_cols {
            let values: Vec<&str> = literals_of(i, *p)
                .into_iter()
                .filter(|l| l.language().unwrap_or("") == lang)
                .map(Literal::value)
                .collect();
            cells.push(values.join("|"));
        }
        if has_broader {
            let mut parents: Vec<String> = scheme.parents[i].iter().map(|&j| key(j)).collect();
            parents.sort();
            cells.push(parents.join("|"));
        }
        if has_related {
            let mut related: Vec<String> = c
                .related
                .iter()
                .map(|r| scheme.by_iri.get(r).map_or_else(|| r.clone(), |&j| key(j)))
                .collect();
            related.sort();
            cells.push(related.join("|"));
        }
        for (_, p) in &mapping_cols {
            let mut targets: Vec<&str> =
                c.mappings.iter().filter(|(q, _)| q.as_ref() == *p).map(|(_, t)| t.as_str()).collect();
            targets.sort_unstable();
            cells.push(targets.join("|"));
        }
        if has_deprecated {
            cells.push(if c.deprecated { "true".into() } else { String::new() });
        }
        if has_replaced {
            let mut r: Vec<String> = c
                .replaced_by
                .iter()
                .map(|r| scheme.by_iri.get(r).map_or_else(|| r.clone(), |&j| key(j)))
                .collect();
            r.sort();
            cells.push(r.join("|"));
        }
        writer.write_record(&cells)?;
    }
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEME: &str = "http://r.example/def/gioi-tinh";

    #[test]
    fn rows_become_concepts_and_back() {
        let csv = "notation,prefLabel@vi,prefLabel@en,altLabel@vi,definition@vi,broader,exactMatch\n\
                   1,Nam,Male,Trai|Đàn ông,Giới tính nam,,http://x.example/m\n\
                   2,Nữ,Female,,,,\n\
                   21,Nữ (con),Girl,,,2,\n";
        let triples = import(csv.as_bytes(), SCHEME, 100).expect("imports");
        let scheme = Scheme::from_triples(SCHEME, &triples);
        assert_eq!(scheme.concepts.len(), 3);
        assert_eq!(scheme.tops.len(), 2);
        let girl = scheme.by_iri[&format!("{SCHEME}/21")];
        assert_eq!(scheme.concepts[scheme.parents[girl][0]].notations, vec!["2".to_owned()]);
        let again = export(&scheme).expect("exports");
        let triples2 = import(&again, SCHEME, 100).expect("re-imports");
        let mut a: Vec<String> = triples.iter().map(ToString::to_string).collect();
        let mut b: Vec<String> = triples2.iter().map(ToString::to_string).collect();
        a.sort();
        b.sort();
        assert_eq!(a, b, "{}", String::from_utf8_lossy(&again));
    }

    #[test]
    fn errors_name_row_and_column() {
        let e =
            import(b"notation,prefLabel@vi,broader\n1,A,\n2,B,9\n", SCHEME, 100).expect_err("bad broader");
        assert_eq!((e.row, e.column.as_deref()), (3, Some("3 (broader)")), "{e}");
        let e = import(b"notation,colour\n1,red\n", SCHEME, 100).expect_err("unknown column");
        assert_eq!((e.row, e.column.as_deref()), (1, Some("2 (colour)")));
        let e = import(b"notation,prefLabel@vi\n1,A\n1,B\n", SCHEME, 100).expect_err("duplicate");
        assert_eq!((e.row, e.column.as_deref()), (3, Some("1 (notation)")));
        let e = import(b"notation,prefLabel@vi,exactMatch\n1,A,not an iri\n", SCHEME, 100).expect_err("iri");
        assert_eq!((e.row, e.column.as_deref()), (2, Some("3 (exactMatch)")));
        let e = import(b"notation,prefLabel@vi\na b,A\n", SCHEME, 100).expect_err("segment");
        assert_eq!(e.row, 2);
        let e = import(b"notation,prefLabel@vi\n1,A,extra\n", SCHEME, 100).expect_err("ragged");
        assert_eq!(e.row, 2, "{e}");
    }
}
