//! Metadata quality: `GET /quality` (the catalogue-wide dashboard, HTML for browsers and JSON
//! otherwise), `GET /api/quality`, `/api/quality/{record id}`, `/api/quality/publisher/{id}` (JSON).
//! Every answer covers only the datasets the caller may see.

use crate::http::auth::Caller;
use crate::http::error::HttpError;
use crate::http::negotiate::prefers_html;
use crate::http::ui::Ui;
use crate::http::{AppState, blocking};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};

/// `GET /api/quality`: the catalogue-wide dashboard as JSON.
pub async fn catalogue_json(State(state): State<AppState>, caller: Caller) -> Result<Response, HttpError> {
    let app = state.app.clone();
    let viewer = caller.viewer();
    let view =
        blocking::run(move || Ok(app.quality.catalogue(&app.registry, &app.catalog, &viewer)?)).await?;
    Ok(Json(view).into_response())
}

/// `GET /api/quality/{id}`: one dataset's score, indicators and fixes.
pub async fn dataset_json(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let app = state.app.clone();
    let viewer = caller.viewer();
    let view = blocking::run(move || Ok(app.quality.dataset(&app.registry, &viewer, &id)?)).await?;
    Ok(Json(view).into_response())
}

/// `GET /api/quality/publisher/{id}`: one publisher's dashboard.
pub async fn publisher_json(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let app = state.app.clone();
    let viewer = caller.viewer();
    let view =
        blocking::run(move || Ok(app.quality.publisher(&app.registry, &app.catalog, &viewer, &id)?)).await?;
    Ok(Json(view).into_response())
}

/// `GET /quality`: the dashboard page for browsers, JSON for everyone else.
pub async fn dashboard(
    State(state): State<AppState>,
    caller: Caller,
    ui: Ui,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let app = state.app.clone();
    let viewer = caller.viewer();
    let view =
        blocking::run(move || Ok(app.quality.catalogue(&app.registry, &app.catalog, &viewer)?)).await?;
    if prefers_html(accept.as_deref(), &["application/json"]) {
        Ok(state.templates.render("quality.html", &ui, &view)?.into_response())
    } else {
        Ok(Json(view).into_response())
    }
}

#[cfg(test)]
mod tests {
    use crate::http::i18n::Lang;
    use crate::http::render::Templates;
    use crate::http::ui::Ui;
    use crate::quality::score::{Outcome, State};
    use crate::quality::{Assessment, DatasetQualityView};

    /// The partial the dataset page includes: score, rating, dimensions and fixes in the page's
    /// language, user text escaped.
    #[test]
    fn the_quality_panel_renders_in_both_languages() {
        let templates = Templates::new().expect("templates compile");
        let mut outcomes = [Outcome { earned: 0, state: State::Failed }; crate::quality::indicators::COUNT];
        for (o, i) in outcomes.iter_mut().zip(crate::quality::INDICATORS.iter()).take(4) {
            *o = Outcome { earned: u8::try_from(i.points).unwrap_or(0), state: State::Passed };
        }
        outcomes[4].state = State::Unknown;
        let view = DatasetQualityView::new("<x>", "http://r.example/dataset/x", &Assessment { outcomes });
        assert_eq!(view.score, 100);
        let page = |lang| {
            templates
                .render("quality_panel.html", &Ui::for_lang(lang), &serde_json::json!({ "quality": view }))
                .expect("renders")
                .0
        };
        let (vi, en) = (page(Lang::Vi), page(Lang::En));
        assert!(
            en.contains("Metadata quality") && en.contains("Bad") && en.contains("Accessibility"),
            "{en}"
        );
        assert!(en.contains("What to fix for more points") && en.contains("+30"), "{en}");
        assert!(en.contains("not checked yet"), "{en}");
        assert!(
            vi.contains("Chất lượng siêu dữ liệu") && vi.contains("Kém") && vi.contains("Khả năng truy cập"),
            "{vi}"
        );
        assert!(vi.contains("Cần bổ sung để được thêm điểm"), "{vi}");
        assert!(!en.contains("<x>") && en.contains("&lt;x&gt;"), "escaped");
    }
}
