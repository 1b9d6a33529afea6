//! Rendered pages kept for as long as nothing in the registry changed: anonymous readers (no
//! session) of the home, dataset, service, publisher and search pages (and `/api/search` answers)
//! get the same bytes, keyed by path, query and language (search: and the index generation), valid
//! for one `Registry::generation`. Bounded: when full, it starts over.

use axum::body::Bytes;
use rustc_hash::FxHashMap;
use std::sync::{PoisonError, RwLock};

/// At most this many pages are kept.
pub const MAX_PAGES: usize = 4096;

/// The page cache.
#[derive(Default)]
pub struct PageCache {
    pages: RwLock<FxHashMap<String, (u64, Bytes)>>,
}

impl PageCache {
    /// The page under `key` rendered at `generation`.
    pub fn get(&self, key: &str, generation: u64) -> Option<Bytes> {
        let pages = self.pages.read().unwrap_or_else(PoisonError::into_inner);
        pages.get(key).filter(|(g, _)| *g == generation).map(|(_, page)| page.clone())
    }

    /// Keeps a page rendered at `generation`.
    pub fn put(&self, key: String, generation: u64, page: Bytes) {
        let mut pages = self.pages.write().unwrap_or_else(PoisonError::into_inner);
        if pages.len() >= MAX_PAGES && !pages.contains_key(&key) {
            pages.clear();
        }
        pages.insert(key, (generation, page));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_valid_for_its_generation_only_and_the_cache_is_bounded() {
        let cache = PageCache::default();
        cache.put("/|vi".into(), 1, Bytes::from("a"));
        assert_eq!(cache.get("/|vi", 1).as_deref(), Some(&b"a"[..]));
        assert!(cache.get("/|vi", 2).is_none());
        assert!(cache.get("/|en", 1).is_none());
        for i in 0..MAX_PAGES + 1 {
            cache.put(format!("{i}"), 1, Bytes::from("x"));
        }
        assert!(cache.pages.read().map(|p| p.len()).unwrap_or_default() <= MAX_PAGES);
    }
}
