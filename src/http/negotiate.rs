//! Content negotiation: `Accept` (with q-values and wildcards) against what a route can produce.

/// One media range of an `Accept` header.
#[derive(Debug, Clone, PartialEq)]
struct MediaRange {
    kind: String,
    subtype: String,
    q: f32,
}

fn parse_accept(header: &str) -> Vec<MediaRange> {
    header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let essence = pieces.next()?.trim().to_ascii_lowercase();
            let (kind, subtype) = essence.split_once('/')?;
            let mut q = 1.0;
            for parameter in pieces {
                if let Some((name, value)) = parameter.split_once('=')
                    && name.trim().eq_ignore_ascii_case("q")
                {
                    q = value.trim().parse().unwrap_or(0.0);
                }
            }
            Some(MediaRange { kind: kind.trim().to_owned(), subtype: subtype.trim().to_owned(), q })
        })
        .collect()
}

/// The q-value the `Accept` ranges give `media_type`: that of the most specific matching range.
fn quality(ranges: &[MediaRange], media_type: &str) -> f32 {
    let (kind, subtype) = media_type.split_once('/').unwrap_or((media_type, ""));
    let mut best: Option<(u8, f32)> = None;
    for range in ranges {
        let specificity = match (range.kind.as_str(), range.subtype.as_str()) {
            (k, s) if k == kind && s == subtype => 2,
            (k, "*") if k == kind => 1,
            ("*", "*") => 0,
            _ => continue,
        };
        if best.is_none_or(|(s, _)| specificity > s) {
            best = Some((specificity, range.q));
        }
    }
    best.map_or(0.0, |(_, q)| q)
}

/// Picks what to produce: the offer with the highest q-value, ties going to the earlier offer
/// (the server's preference). Without an `Accept` header, the first offer. `None` means 406.
pub fn choose<T: Copy>(accept: Option<&str>, offers: &[(&str, T)]) -> Option<T> {
    let Some(header) = accept.filter(|h| !h.trim().is_empty()) else {
        return offers.first().map(|(_, t)| *t);
    };
    let ranges = parse_accept(header);
    let mut best: Option<(f32, T)> = None;
    for (media_type, value) in offers {
        let q = quality(&ranges, media_type);
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, *value));
        }
    }
    best.map(|(_, t)| t)
}

/// Whether the client explicitly prefers HTML over everything in `machine_types`
/// (a browser, as opposed to `curl`'s or CKAN's `*/*`).
pub fn prefers_html(accept: Option<&str>, machine_types: &[&str]) -> bool {
    let Some(header) = accept else { return false };
    let ranges = parse_accept(header);
    let explicit_html = ranges.iter().any(|r| r.kind == "text" && r.subtype == "html" && r.q > 0.0);
    let html = quality(&ranges, "text/html");
    explicit_html && machine_types.iter().all(|m| quality(&ranges, m) < html)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFERS: [(&str, u8); 3] =
        [("application/sparql-results+json", 1), ("application/sparql-results+xml", 2), ("text/csv", 3)];

    #[test]
    fn negotiation_follows_q_values_and_specificity() {
        assert_eq!(choose(None, &OFFERS), Some(1));
        assert_eq!(choose(Some("*/*"), &OFFERS), Some(1));
        assert_eq!(choose(Some("text/csv"), &OFFERS), Some(3));
        assert_eq!(choose(Some("text/*"), &OFFERS), Some(3));
        assert_eq!(
            choose(Some("application/sparql-results+json;q=0.5, application/sparql-results+xml"), &OFFERS),
            Some(2)
        );
        assert_eq!(choose(Some("*/*;q=0.1, application/sparql-results+json;q=0"), &OFFERS), Some(2));
        assert_eq!(choose(Some("image/png"), &OFFERS), None);
    }

    #[test]
    fn browsers_prefer_html_and_tools_do_not() {
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert!(prefers_html(Some(browser), &["text/turtle"]));
        assert!(!prefers_html(Some("*/*"), &["text/turtle"]));
        assert!(!prefers_html(None, &["text/turtle"]));
        assert!(!prefers_html(Some("text/turtle, text/html;q=0.5"), &["text/turtle"]));
    }
}
