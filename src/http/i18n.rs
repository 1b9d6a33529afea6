//! Languages of the HTML pages: the message catalogue (`i18n/<module>.<lang>.json`, flat key → text
//! maps embedded by `build.rs`), the choice of language for a request (`?lang=`, the `lang` cookie,
//! `Accept-Language`, then Vietnamese), and number and date formats per language.
//!
//! Templates call `t("key")`; the function reads `lang` from the template context. A key missing in
//! the chosen language falls back to the other language, then to the key itself (a test makes sure
//! every key exists in both).

use crate::bundled::I18N_FILES;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::sync::OnceLock;

/// A language of the pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Vietnamese, the default.
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Every language, the default first.
    pub const ALL: [Self; 2] = [Self::Vi, Self::En];

    /// The same language for the search index (titles, title order).
    pub fn search(self) -> crate::search::Lang {
        match self {
            Self::Vi => crate::search::Lang::Vi,
            Self::En => crate::search::Lang::En,
        }
    }

    /// The BCP 47 tag (`vi`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }

    /// `vi` or `en` (case-insensitive, a region is ignored: `en-GB`).
    pub fn from_code(code: &str) -> Option<Self> {
        let primary = code.trim().split(['-', '_']).next().unwrap_or_default();
        Self::ALL.into_iter().find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    /// The other language (the fallback of data labels, the switcher's target).
    pub fn other(self) -> Self {
        match self {
            Self::Vi => Self::En,
            Self::En => Self::Vi,
        }
    }

    /// The language of a request: `?lang=`, then the cookie, then the best of `Accept-Language`,
    /// then Vietnamese.
    pub fn choose(query: Option<&str>, cookie: Option<&str>, accept_language: Option<&str>) -> Self {
        query
            .and_then(Self::from_code)
            .or_else(|| cookie.and_then(Self::from_code))
            .or_else(|| accept_language.and_then(Self::from_accept_language))
            .unwrap_or_default()
    }

    /// The language `Accept-Language` prefers most among ours (q-values honoured, `q=0` excluded).
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut best: Option<(f32, usize, Self)> = None;
        for (position, item) in header.split(',').enumerate() {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let Some(lang) = Self::from_code(tag) else { continue };
            if q <= 0.0 {
                continue;
            }
            // Highest q wins; on a tie, the first listed.
            if best.is_none_or(|(bq, bp, _)| q > bq || (q == bq && position < bp)) {
                best = Some((q, position, lang));
            }
        }
        best.map(|(_, _, lang)| lang)
    }
}

/// The message catalogue: key → text, per language.
pub struct Messages {
    by_lang: FxHashMap<Lang, FxHashMap<String, String>>,
}

/// Why the bundled catalogue is unusable (a build defect the unit tests catch).
#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    /// A file name is not `<module>.<lang>.json` with a language we know.
    #[error("i18n/{0}: the name must be <module>.<vi|en>.json")]
    BadName(String),
    /// A file is not a flat JSON object of strings.
    #[error("i18n/{0}: {1}")]
    BadJson(String, String),
    /// The same key twice.
    #[error("i18n: key {0:?} is defined twice for {1}")]
    Duplicate(String, &'static str),
}

impl Messages {
    /// Reads catalogue files (`(file name, JSON)`).
    pub fn from_files(files: &[(&str, &str)]) -> Result<Self, I18nError> {
        let mut by_lang: FxHashMap<Lang, FxHashMap<String, String>> = FxHashMap::default();
        for (name, content) in files {
            let lang = name
                .strip_suffix(".json")
                .and_then(|stem| stem.rsplit_once('.'))
                .and_then(|(_, code)| Lang::ALL.into_iter().find(|l| l.code() == code))
                .ok_or_else(|| I18nError::BadName((*name).to_owned()))?;
            let map: FxHashMap<String, String> = serde_json::from_str(content)
                .map_err(|e| I18nError::BadJson((*name).to_owned(), e.to_string()))?;
            let target = by_lang.entry(lang).or_default();
            for (key, text) in map {
                if target.contains_key(&key) {
                    return Err(I18nError::Duplicate(key, lang.code()));
                }
                target.insert(key, text);
            }
        }
        Ok(Self { by_lang })
    }

    /// The bundled catalogue, read once.
    pub fn bundled() -> &'static Self {
        static MESSAGES: OnceLock<Messages> = OnceLock::new();
        MESSAGES.get_or_init(|| {
            // A broken bundled catalogue is a build defect (unit-tested); serve keys rather than fail.
            Self::from_files(I18N_FILES).unwrap_or_else(|e| {
                tracing::error!(error = %e, "the bundled message catalogue is broken");
                Self { by_lang: FxHashMap::default() }
            })
        })
    }

    /// The text of `key` in `lang`, else in the other language, else the key.
    pub fn get<'a>(&'a self, lang: Lang, key: &'a str) -> &'a str {
        self.lookup(lang, key).or_else(|| self.lookup(lang.other(), key)).unwrap_or(key)
    }

    fn lookup(&self, lang: Lang, key: &str) -> Option<&str> {
        self.by_lang.get(&lang).and_then(|m| m.get(key)).map(String::as_str)
    }

    /// Keys of one language, sorted.
    pub fn keys(&self, lang: Lang) -> Vec<&str> {
        let mut keys: Vec<&str> =
            self.by_lang.get(&lang).map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default();
        keys.sort_unstable();
        keys
    }
}

/// A number with the language's separators: `1.234,5` (vi), `1,234.5` (en). Up to `decimals`
/// fraction digits, trailing zeros removed.
pub fn format_number(value: f64, decimals: usize, lang: Lang) -> String {
    let (group, point) = match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    };
    if !value.is_finite() {
        return value.to_string();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let frac = frac.trim_end_matches('0');
    let mut out = String::new();
    if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    let digits = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (digits - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

const MONTHS_EN: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// An `xsd:date` or `xsd:dateTime` (or its leading `YYYY-MM-DD`) as `29/11/2026` (vi) or
/// `29 Nov 2026` (en); a `YYYY` or `YYYY-MM` stays as it is; anything else is returned unchanged.
pub fn format_date(value: &str, lang: Lang) -> String {
    let date = value.get(..10).unwrap_or(value);
    let mut parts = date.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return value.to_owned();
    };
    let (Ok(month), Ok(day)) = (m.parse::<usize>(), d.parse::<u32>()) else { return value.to_owned() };
    if y.len() != 4
        || !y.bytes().all(|b| b.is_ascii_digit())
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
    {
        return value.to_owned();
    }
    match lang {
        Lang::Vi => format!("{day:02}/{month:02}/{y}"),
        Lang::En => format!("{day} {} {y}", MONTHS_EN[month - 1]),
    }
}

/// A byte count for people: `1,5 MB` (vi), `1.5 MB` (en).
pub fn format_bytes(bytes: u64, lang: Lang) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    format!("{} {}", format_number(value, usize::from(unit > 0), lang), UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_exists_in_both_languages_and_every_file_has_a_known_language() {
        let messages = Messages::from_files(I18N_FILES).expect("the bundled catalogue reads");
        assert!(!I18N_FILES.is_empty());
        for (name, _) in I18N_FILES {
            let lang = name.strip_suffix(".json").and_then(|s| s.rsplit_once('.')).map(|(_, l)| l);
            assert!(
                lang.is_some_and(|l| Lang::ALL.iter().any(|k| k.code() == l)),
                "{name}: unknown language"
            );
        }
        let vi = messages.keys(Lang::Vi);
        let en = messages.keys(Lang::En);
        let only_vi: Vec<_> = vi.iter().filter(|k| !en.contains(k)).collect();
        let only_en: Vec<_> = en.iter().filter(|k| !vi.contains(k)).collect();
        assert!(only_vi.is_empty(), "keys without English: {only_vi:?}");
        assert!(only_en.is_empty(), "keys without Vietnamese: {only_en:?}");
        for lang in Lang::ALL {
            for key in messages.keys(lang) {
                assert!(!messages.get(lang, key).trim().is_empty(), "{key} is empty in {}", lang.code());
            }
        }
    }

    #[test]
    fn a_file_with_an_unknown_language_is_refused() {
        assert!(matches!(Messages::from_files(&[("portal.fr.json", "{}")]), Err(I18nError::BadName(_))));
        assert!(matches!(Messages::from_files(&[("portal.json", "{}")]), Err(I18nError::BadName(_))));
        assert!(matches!(
            Messages::from_files(&[("portal.vi.json", "{\"a\": 1}")]),
            Err(I18nError::BadJson(..))
        ));
    }

    #[test]
    fn the_language_of_a_request() {
        assert_eq!(Lang::choose(Some("en"), Some("vi"), Some("vi")), Lang::En);
        assert_eq!(Lang::choose(Some("xx"), Some("en"), None), Lang::En);
        assert_eq!(Lang::choose(None, None, Some("fr;q=1, en-GB;q=0.8, vi;q=0.5")), Lang::En);
        assert_eq!(Lang::choose(None, None, Some("en;q=0, vi")), Lang::Vi);
        assert_eq!(Lang::choose(None, None, Some("de")), Lang::Vi);
        assert_eq!(Lang::choose(None, None, None), Lang::Vi);
    }

    #[test]
    fn numbers_and_dates_per_language() {
        assert_eq!(format_number(1234.5, 1, Lang::Vi), "1.234,5");
        assert_eq!(format_number(1234.5, 1, Lang::En), "1,234.5");
        assert_eq!(format_number(1_234_567.0, 0, Lang::En), "1,234,567");
        assert_eq!(format_number(12.0, 2, Lang::Vi), "12");
        assert_eq!(format_number(-0.5, 1, Lang::Vi), "-0,5");
        assert_eq!(format_date("2026-11-29", Lang::Vi), "29/11/2026");
        assert_eq!(format_date("2026-11-29T10:00:00Z", Lang::En), "29 Nov 2026");
        assert_eq!(format_date("2026", Lang::En), "2026");
        assert_eq!(format_date("not a date", Lang::Vi), "not a date");
        assert_eq!(format_bytes(1_500_000, Lang::Vi), "1,5 MB");
        assert_eq!(format_bytes(999, Lang::En), "999 B");
    }
}
