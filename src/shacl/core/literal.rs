//! Literal helpers for the value-type and value-range components: lexical validity of
//! XSD literals (for `sh:datatype`, [SHACL §4.1.2](https://www.w3.org/TR/shacl/#DatatypeConstraintComponent)),
//! SPARQL-style ordering (for `sh:min*`/`sh:max*`/`sh:lessThan*`), `sh:pattern`
//! regexes and `langMatches`.

use oxigraph::model::{LiteralRef, NamedNodeRef, TermRef};
use oxsdatatypes::{
    Date, DateTime, DayTimeDuration, Decimal, Double, Duration, GDay, GMonth, GMonthDay, GYear, GYearMonth,
    Time, YearMonthDuration,
};
use regex::{Regex, RegexBuilder};
use std::cmp::Ordering;
use std::str::FromStr;

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
const RDF_LANG_STRING: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

fn xsd_local(datatype: NamedNodeRef<'_>) -> Option<&str> {
    datatype.as_str().strip_prefix(XSD)
}

/// Inclusive bounds of the integer-derived XSD types (`None` = unbounded).
fn integer_bounds(local: &str) -> Option<(Option<i128>, Option<i128>)> {
    Some(match local {
        "integer" => (None, None),
        "nonNegativeInteger" => (Some(0), None),
        "positiveInteger" => (Some(1), None),
        "nonPositiveInteger" => (None, Some(0)),
        "negativeInteger" => (None, Some(-1)),
        "long" => (Some(i64::MIN.into()), Some(i64::MAX.into())),
        "int" => (Some(i32::MIN.into()), Some(i32::MAX.into())),
        "short" => (Some(i16::MIN.into()), Some(i16::MAX.into())),
        "byte" => (Some(i8::MIN.into()), Some(i8::MAX.into())),
        "unsignedLong" => (Some(0), Some(u64::MAX.into())),
        "unsignedInt" => (Some(0), Some(u32::MAX.into())),
        "unsignedShort" => (Some(0), Some(u16::MAX.into())),
        "unsignedByte" => (Some(0), Some(u8::MAX.into())),
        _ => return None,
    })
}

/// Whether `datatype` is `xsd:integer` or one of its derived types.
pub(crate) fn is_integer_datatype(datatype: NamedNodeRef<'_>) -> bool {
    xsd_local(datatype).is_some_and(|l| integer_bounds(l).is_some())
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn strip_sign(s: &str) -> &str {
    s.strip_prefix(['+', '-']).unwrap_or(s)
}

fn valid_integer(value: &str, bounds: (Option<i128>, Option<i128>)) -> bool {
    if !is_digits(strip_sign(value)) {
        return false;
    }
    if bounds == (None, None) {
        return true;
    }
    let Ok(v) = value.parse::<i128>() else {
        // Too large for i128: only fine for unbounded directions.
        let negative = value.starts_with('-');
        return if negative { bounds.0.is_none() } else { bounds.1.is_none() };
    };
    bounds.0.is_none_or(|min| v >= min) && bounds.1.is_none_or(|max| v <= max)
}

fn valid_decimal(value: &str) -> bool {
    let v = strip_sign(value);
    match v.split_once('.') {
        None => is_digits(v),
        Some((int, frac)) => {
            (int.is_empty() || is_digits(int))
                && (frac.is_empty() || is_digits(frac))
                && !(int.is_empty() && frac.is_empty())
        }
    }
}

fn valid_double(value: &str) -> bool {
    if matches!(value, "INF" | "+INF" | "-INF" | "NaN") {
        return true;
    }
    let (mantissa, exponent) = match value.find(['e', 'E']) {
        Some(i) => (&value[..i], Some(&value[i + 1..])),
        None => (value, None),
    };
    valid_decimal(mantissa) && exponent.is_none_or(|e| is_digits(strip_sign(e)))
}

fn valid_language(value: &str) -> bool {
    let mut parts = value.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn valid_hex(value: &str) -> bool {
    value.len().is_multiple_of(2) && value.bytes().all(|b| b.is_ascii_hexdigit())
}

fn valid_base64(value: &str) -> bool {
    let compact: Vec<u8> = value.bytes().filter(|b| *b != b' ').collect();
    if !compact.len().is_multiple_of(4) {
        return false;
    }
    let body_end = compact.iter().position(|b| *b == b'=').unwrap_or(compact.len());
    compact.len() - body_end <= 2
        && compact[body_end..].iter().all(|b| *b == b'=')
        && compact[..body_end].iter().all(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/')
}

/// Whether the lexical form of `literal` is valid for its own datatype.
/// Unknown (non-XSD or unsupported) datatypes are accepted.
pub(crate) fn is_lexically_valid(literal: LiteralRef<'_>) -> bool {
    let value = literal.value();
    let Some(local) = xsd_local(literal.datatype()) else {
        return true;
    };
    if let Some(bounds) = integer_bounds(local) {
        return valid_integer(value, bounds);
    }
    match local {
        "boolean" => matches!(value, "true" | "false" | "1" | "0"),
        "decimal" => valid_decimal(value),
        "float" | "double" => valid_double(value),
        "dateTime" => DateTime::from_str(value).is_ok(),
        "dateTimeStamp" => DateTime::from_str(value).is_ok_and(|d| d.timezone().is_some()),
        "date" => Date::from_str(value).is_ok(),
        "time" => Time::from_str(value).is_ok(),
        "gYear" => GYear::from_str(value).is_ok(),
        "gYearMonth" => GYearMonth::from_str(value).is_ok(),
        "gMonth" => GMonth::from_str(value).is_ok(),
        "gDay" => GDay::from_str(value).is_ok(),
        "gMonthDay" => GMonthDay::from_str(value).is_ok(),
        "duration" => Duration::from_str(value).is_ok(),
        "dayTimeDuration" => DayTimeDuration::from_str(value).is_ok(),
        "yearMonthDuration" => YearMonthDuration::from_str(value).is_ok(),
        "language" => valid_language(value),
        "hexBinary" => valid_hex(value),
        "base64Binary" => valid_base64(value),
        _ => true,
    }
}

/// `sh:datatype` check: same datatype and a valid lexical form.
pub(crate) fn has_datatype(term: TermRef<'_>, datatype: NamedNodeRef<'_>) -> bool {
    match term {
        TermRef::Literal(l) => {
            if l.datatype() != datatype {
                return false;
            }
            if datatype.as_str() == RDF_LANG_STRING {
                return l.language().is_some();
            }
            is_lexically_valid(l)
        }
        _ => false,
    }
}

enum Num {
    Decimal(Decimal),
    Double(f64),
}

fn numeric(l: LiteralRef<'_>) -> Option<Num> {
    let local = xsd_local(l.datatype())?;
    let value = l.value();
    if integer_bounds(local).is_some() || local == "decimal" {
        if !is_lexically_valid(l) {
            return None;
        }
        return Some(match Decimal::from_str(value) {
            Ok(d) => Num::Decimal(d),
            Err(_) => Num::Double(value.parse().ok()?),
        });
    }
    if local == "float" || local == "double" {
        if !valid_double(value) {
            return None;
        }
        let v = match value {
            "INF" | "+INF" => f64::INFINITY,
            "-INF" => f64::NEG_INFINITY,
            "NaN" => f64::NAN,
            _ => value.parse().ok()?,
        };
        return Some(Num::Double(v));
    }
    None
}

fn decimal_to_f64(d: Decimal) -> f64 {
    f64::from(Double::from(d))
}

fn typed_cmp<T: FromStr + PartialOrd>(a: &str, b: &str) -> Option<Ordering> {
    T::from_str(a).ok()?.partial_cmp(&T::from_str(b).ok()?)
}

/// Compares two terms with the SPARQL `<` semantics; `None` if incomparable.
pub(crate) fn compare(a: TermRef<'_>, b: TermRef<'_>) -> Option<Ordering> {
    let (TermRef::Literal(a), TermRef::Literal(b)) = (a, b) else {
        return None;
    };
    if let (Some(x), Some(y)) = (numeric(a), numeric(b)) {
        return match (x, y) {
            (Num::Decimal(x), Num::Decimal(y)) => x.partial_cmp(&y),
            (Num::Decimal(x), Num::Double(y)) => decimal_to_f64(x).partial_cmp(&y),
            (Num::Double(x), Num::Decimal(y)) => x.partial_cmp(&decimal_to_f64(y)),
            (Num::Double(x), Num::Double(y)) => x.partial_cmp(&y),
        };
    }
    if a.language().is_some() || b.language().is_some() {
        return None;
    }
    if a.datatype() != b.datatype() {
        return None;
    }
    let (x, y) = (a.value(), b.value());
    match xsd_local(a.datatype())? {
        "string" => Some(x.cmp(y)),
        "boolean" => {
            let p = |v: &str| match v {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => None,
            };
            p(x)?.partial_cmp(&p(y)?)
        }
        "dateTime" | "dateTimeStamp" => typed_cmp::<DateTime>(x, y),
        "date" => typed_cmp::<Date>(x, y),
        "time" => typed_cmp::<Time>(x, y),
        "gYear" => typed_cmp::<GYear>(x, y),
        "gYearMonth" => typed_cmp::<GYearMonth>(x, y),
        "gMonth" => typed_cmp::<GMonth>(x, y),
        "gDay" => typed_cmp::<GDay>(x, y),
        "gMonthDay" => typed_cmp::<GMonthDay>(x, y),
        "duration" => typed_cmp::<Duration>(x, y),
        "dayTimeDuration" => typed_cmp::<DayTimeDuration>(x, y),
        "yearMonthDuration" => typed_cmp::<YearMonthDuration>(x, y),
        _ => None,
    }
}

/// Builds a `sh:pattern` regex with SPARQL `REGEX` flags (`i`, `m`, `s`, `x`, `q`).
pub(crate) fn build_regex(pattern: &str, flags: &str) -> Result<Regex, String> {
    let mut literal = false;
    let mut builder_flags = (false, false, false, false);
    for c in flags.chars() {
        match c {
            'i' => builder_flags.0 = true,
            'm' => builder_flags.1 = true,
            's' => builder_flags.2 = true,
            'x' => builder_flags.3 = true,
            'q' => literal = true,
            other => return Err(format!("unsupported regex flag {other:?}")),
        }
    }
    let source = if literal { regex::escape(pattern) } else { pattern.to_owned() };
    RegexBuilder::new(&source)
        .case_insensitive(builder_flags.0)
        .multi_line(builder_flags.1)
        .dot_matches_new_line(builder_flags.2)
        .ignore_whitespace(builder_flags.3)
        .build()
        .map_err(|e| e.to_string())
}

/// SPARQL `langMatches` (RFC 4647 basic filtering); `range` is lower-case.
pub(crate) fn lang_matches(tag: &str, range: &str) -> bool {
    if range == "*" {
        return !tag.is_empty();
    }
    if tag.len() < range.len() {
        return false;
    }
    let (head, tail) = tag.split_at(range.len());
    head.eq_ignore_ascii_case(range) && (tail.is_empty() || tail.starts_with('-'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    fn typed(v: &str, local: &str) -> Literal {
        Literal::new_typed_literal(v, NamedNode::new_unchecked(format!("{XSD}{local}")))
    }

    #[test]
    fn lexical_forms() {
        assert!(is_lexically_valid(typed("42", "integer").as_ref()));
        assert!(!is_lexically_valid(typed("abc", "integer").as_ref()));
        assert!(!is_lexically_valid(typed("300", "byte").as_ref()));
        assert!(is_lexically_valid(typed("-128", "byte").as_ref()));
        assert!(is_lexically_valid(typed("2021-01-28T01:51:03", "dateTime").as_ref()));
        assert!(!is_lexically_valid(typed("2021-01-28 GMT 01:51:03.34919300", "dateTime").as_ref()));
        assert!(!is_lexically_valid(typed("28/01/2021", "date").as_ref()));
        assert!(is_lexically_valid(typed("1.5e3", "double").as_ref()));
        assert!(!is_lexically_valid(typed("inf", "double").as_ref()));
        assert!(is_lexically_valid(typed("99999999999999999999999999999999999999999", "integer").as_ref()));
    }

    #[test]
    fn ordering() {
        let a = typed("1", "integer");
        let b = typed("1.5", "decimal");
        assert_eq!(compare(a.as_ref().into(), b.as_ref().into()), Some(Ordering::Less));
        let d1 = typed("2020-01-01", "date");
        assert_eq!(compare(d1.as_ref().into(), a.as_ref().into()), None);
        assert!(lang_matches("en-US", "en"));
        assert!(!lang_matches("eng", "en"));
    }
}
