//! HTML rendering: one minijinja environment over the bundled `templates/`, autoescaping on.
//! Handlers pass a typed, `Serialize` view and the request's [`Ui`] (language, switcher, sign-in);
//! values from data are always escaped.
//!
//! Template helpers: `t("key")` (the message catalogue in the context's `lang`), `pick(vi, en)`
//! (the value in the page's language, else the other), and the filters `num(decimals)`, `date`,
//! `bytes` (formats per language) and `href` (a link target only for `http`, `https`, `mailto` and
//! site-relative paths; anything else becomes empty, so templates omit the link).

use super::error::HttpError;
use super::i18n::{self, Lang, Messages};
use super::ui::Ui;
use crate::bundled::TEMPLATE_FILES;
use axum::response::Html;
use minijinja::value::{Serde, Value};
use minijinja::{Environment, State, context};
use serde::Serialize;

/// The template environment.
pub struct Templates {
    env: Environment<'static>,
}

/// The page language from the template context (`lang`), Vietnamese when absent.
fn lang_of(state: &State<'_, '_>) -> Lang {
    state.lookup("lang").and_then(|v| v.as_str().and_then(Lang::from_code)).unwrap_or_default()
}

/// Whether a link target is safe to put in `href`: `http(s)://…`, `mailto:…`, or a path on this site.
pub fn safe_href(target: &str) -> bool {
    let lower = target.trim_start().to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
        || (lower.starts_with('/') && !lower.starts_with("//"))
}

impl Templates {
    /// Compiles every bundled template; a broken template is a build defect caught by the tests.
    pub fn new() -> Result<Self, minijinja::Error> {
        let mut env = Environment::new();
        // `.html` files are HTML-escaped by minijinja's default callback.
        for (name, source) in TEMPLATE_FILES {
            env.add_template(name, source)?;
        }
        let messages = Messages::bundled();
        env.add_function("t", move |state: &State<'_, '_>, key: &str| -> String {
            messages.get(lang_of(state), key).to_owned()
        });
        env.add_function("pick", |state: &State<'_, '_>, vi: Option<Value>, en: Option<Value>| -> Value {
            let present = |v: &Option<Value>| v.as_ref().is_some_and(|v| v.is_true());
            let (first, second) = match lang_of(state) {
                Lang::Vi => (vi, en),
                Lang::En => (en, vi),
            };
            if present(&first) {
                first.unwrap_or_default()
            } else if present(&second) {
                second.unwrap_or_default()
            } else {
                Value::from("")
            }
        });
        env.add_filter("num", |state: &State<'_, '_>, value: f64, decimals: Option<usize>| -> String {
            i18n::format_number(value, decimals.unwrap_or(0), lang_of(state))
        });
        env.add_filter("date", |state: &State<'_, '_>, value: &str| -> String {
            i18n::format_date(value, lang_of(state))
        });
        env.add_filter("bytes", |state: &State<'_, '_>, value: u64| -> String {
            i18n::format_bytes(value, lang_of(state))
        });
        // A missing link (none) is no link, like an unsafe one.
        env.add_filter("href", |value: Option<&str>| -> String {
            match value {
                Some(v) if safe_href(v) => v.to_owned(),
                _ => String::new(),
            }
        });
        Ok(Self { env })
    }

    /// Renders a template with a typed view in the request's language.
    pub fn render(&self, name: &str, ui: &Ui, view: &impl Serialize) -> Result<Html<String>, HttpError> {
        let ctx = context! { lang => ui.lang.code(), ui => ui.template_value(), ..Value::from(Serde(view)) };
        self.env.get_template(name).and_then(|t| t.render(ctx)).map(Html).map_err(HttpError::internal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_only_for_http_https_mailto_and_the_site() {
        for ok in ["http://a.example/", "HTTPS://a.example/x", "mailto:a@b.vn", "/dataset/x"] {
            assert!(safe_href(ok), "{ok}");
        }
        for bad in
            ["javascript:alert(1)", " javascript:x", "data:text/html,x", "//evil.example", "ftp://x", "urn:x"]
        {
            assert!(!safe_href(bad), "{bad}");
        }
    }

    #[test]
    fn t_pick_and_formats_follow_the_page_language() {
        let templates = Templates::new().expect("templates compile");
        let tpl = "{{ t('nav.home') }}|{{ pick('Tiếng Việt', 'English') }}|{{ pick('', 'English') }}|{{ 1234.5|num(1) }}|{{ '2026-11-29'|date }}|{{ 'javascript:x'|href }}|{{ '<b>'|safe_text }}";
        let mut env = templates.env.clone();
        env.add_filter("safe_text", |v: &str| v.to_owned());
        env.add_template_owned("probe.html", tpl.to_owned()).expect("compiles");
        let vi = env
            .get_template("probe.html")
            .and_then(|t| t.render(context! { lang => "vi" }))
            .expect("renders");
        let en = env
            .get_template("probe.html")
            .and_then(|t| t.render(context! { lang => "en" }))
            .expect("renders");
        assert_eq!(vi, "Trang chủ|Tiếng Việt|English|1.234,5|29&#x2f;11&#x2f;2026||&lt;b&gt;");
        assert_eq!(en, "Home|English|English|1,234.5|29 Nov 2026||&lt;b&gt;");
    }
}
