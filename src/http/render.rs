//! HTML rendering: one minijinja environment over the bundled `templates/`, autoescaping on.
//! Handlers pass a typed, `Serialize` view; values from data are always escaped.

use super::error::HttpError;
use crate::bundled::TEMPLATE_FILES;
use axum::response::Html;
use minijinja::Environment;
use minijinja::value::{Serde, Value};
use serde::Serialize;

/// The template environment.
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// Compiles every bundled template; a broken template is a build defect caught by the tests.
    pub fn new() -> Result<Self, minijinja::Error> {
        let mut env = Environment::new();
        // `.html` files are HTML-escaped by minijinja's default callback.
        for (name, source) in TEMPLATE_FILES {
            env.add_template(name, source)?;
        }
        Ok(Self { env })
    }

    /// Renders a template with a typed view.
    pub fn render(&self, name: &str, view: &impl Serialize) -> Result<Html<String>, HttpError> {
        self.env
            .get_template(name)
            .and_then(|t| t.render(Value::from(Serde(view))))
            .map(Html)
            .map_err(HttpError::internal)
    }
}
