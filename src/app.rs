//! The application: the store and the configuration, built once and shared by every request.

use crate::config::Config;
use crate::registry::Registry;
use crate::store::{Store, StoreError};

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A bundled vocabulary could not be loaded.
    #[error(transparent)]
    Vocabulary(#[from] crate::vocabulary::VocabularyError),
    /// The registry could not be opened.
    #[error(transparent)]
    Registry(#[from] crate::registry::RegistryError),
    /// The demo catalogue could not be loaded.
    #[error(transparent)]
    Demo(#[from] crate::catalog::demo::DemoError),
    /// The catalogue could not read the bundled vocabularies.
    #[error(transparent)]
    Catalog(#[from] crate::catalog::CatalogError),
    /// The quality service could not start.
    #[error(transparent)]
    Quality(#[from] crate::quality::QualityError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The search index could not be opened or brought up to date.
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
}

/// Everything a request handler or a command needs.
pub struct App {
    /// The store.
    pub store: Store,
    /// The registry over it.
    pub registry: Registry,
    /// The data-standards service (versions, diffs, quality, search, impact of code lists).
    pub standards: std::sync::Arc<crate::standards::Standards>,
    /// The harvester (sources, runs, schedule).
    pub harvester: crate::harvest::Harvester,
    /// The catalogue views (feeds, record descriptions, data.json).
    pub catalog: crate::catalog::Catalog,
    /// The search index (derived from the store, following every registry write).
    pub search: std::sync::Arc<crate::search::SearchIndex>,
    /// Metadata quality (MQA scores, DQV, link checks); the registry's record hook.
    pub quality: std::sync::Arc<crate::quality::Quality>,
    /// The configuration.
    pub config: Config,
}

impl App {
    /// Prepares a store for serving: bundled vocabularies up to date, and the demo catalogue if asked
    /// for and the store holds no records.
    pub fn start(store: Store, config: Config) -> Result<Self, StartError> {
        let loaded = crate::vocabulary::sync_bundled(&store)?;
        if !loaded.is_empty() {
            tracing::info!(files = ?loaded, "bundled vocabularies loaded");
        }
        store.set_setting(crate::rdf::ns::dm::BASE_URL, &config.base_url)?;
        let started = std::time::Instant::now();
        let registry = Registry::open(store.clone(), &config.base_url)?;
        tracing::info!(
            records = registry.len(),
            seconds = started.elapsed().as_secs_f64(),
            "registry loaded"
        );
        let standards = crate::standards::Standards::attach(&registry);
        let catalog = crate::catalog::Catalog::new(&store, &config.base_url)?;
        let quality = crate::quality::Quality::attach(&registry, &catalog)?;
        let started = std::time::Instant::now();
        quality.score_all(&registry)?;
        tracing::info!(
            datasets = quality.len(),
            seconds = started.elapsed().as_secs_f64(),
            "datasets scored"
        );
        if config.demo {
            let records = crate::catalog::demo::load_if_empty(&registry, &config.base_url)?;
            if records > 0 {
                tracing::info!(records, "demo catalogue loaded");
            }
        }
        store.flush()?;
        let started = std::time::Instant::now();
        let (search, report) =
            crate::search::SearchIndex::open(&search_path(&config.data), &registry, quality.clone())?;
        if report.updated + report.removed > 0 {
            tracing::info!(
                indexed = report.indexed,
                updated = report.updated,
                removed = report.removed,
                seconds = started.elapsed().as_secs_f64(),
                "search index brought up to date"
            );
        }
        let harvester = crate::harvest::Harvester::new(config.harvest.clone());
        Ok(Self { store, registry, standards, harvester, catalog, search, quality, config })
    }
}

/// Where the search index of a store lives: inside its data directory.
pub fn search_path(data: &std::path::Path) -> std::path::PathBuf {
    data.join("search-index")
}
