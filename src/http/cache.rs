//! Rendered pages kept for as long as nothing in the registry changed: anonymous readers (no
//! session) of the home, dataset, service, publisher and search pages (and `/api/search` answers)
//! get the same bytes, keyed by path, query and language (search: and the index generation), valid
//! for one `Registry::generation`. Bounded: when full, it starts over. A page is kept with its
//! gzip form (browsers ask for it), so a cached answer is never compressed again.

use axum::body::Bytes;
use flate2::Compression;
use flate2::write::GzEncoder;
use rustc_hash::FxHashMap;
use std::io::Write as _;
use std::sync::{PoisonError, RwLock};

/// At most this many pages are kept.
pub const MAX_PAGES: usize = 4096;

/// Pages shorter than this are not compressed.
pub const GZIP_FROM: usize = 1024;

/// A kept page: its bytes, and their gzip form when it is worth having.
#[derive(Clone)]
pub struct Page {
    /// The page as rendered.
    pub plain: Bytes,
    /// The page gzipped (pages of at least [`GZIP_FROM`] bytes).
    pub gzip: Option<Bytes>,
}

impl Page {
    /// A page and, when long enough, its gzip form (compressed once, here).
    pub fn new(plain: Bytes) -> Self {
        let gzip = (plain.len() >= GZIP_FROM)
            .then(|| {
                let mut encoder = GzEncoder::new(Vec::with_capacity(plain.len() / 4), Compression::default());
                encoder.write_all(&plain).and_then(|()| encoder.finish()).ok()
            })
            .flatten()
            .map(Bytes::from);
        Self { plain, gzip }
    }
}

/// The page cache.
#[derive(Default)]
pub struct PageCache {
    pages: RwLock<FxHashMap<String, (u64, Page)>>,
}

impl PageCache {
    /// The page under `key` rendered at `generation`.
    pub fn get(&self, key: &str, generation: u64) -> Option<Page> {
        let pages = self.pages.read().unwrap_or_else(PoisonError::into_inner);
        pages.get(key).filter(|(g, _)| *g == generation).map(|(_, page)| page.clone())
    }

    /// Keeps `plain` (with its gzip form) as the page under `key` rendered at `generation`, and
    /// returns it to be answered.
    pub fn keep(&self, key: String, generation: u64, plain: Bytes) -> Page {
        let page = Page::new(plain);
        self.put(key, generation, page.clone());
        page
    }

    /// Keeps a page rendered at `generation`.
    pub fn put(&self, key: String, generation: u64, page: Page) {
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
        cache.put("/|vi".into(), 1, Page::new(Bytes::from("a")));
        assert_eq!(cache.get("/|vi", 1).map(|p| p.plain), Some(Bytes::from("a")));
        assert!(cache.get("/|vi", 2).is_none());
        assert!(cache.get("/|en", 1).is_none());
        for i in 0..MAX_PAGES + 1 {
            cache.put(format!("{i}"), 1, Page::new(Bytes::from("x")));
        }
        assert!(cache.pages.read().map(|p| p.len()).unwrap_or_default() <= MAX_PAGES);
    }

    #[test]
    fn a_long_page_keeps_its_gzip_form_and_a_short_one_does_not() {
        let long = Bytes::from("<p>Hà Nội</p>".repeat(200));
        let page = Page::new(long.clone());
        let mut decoded = Vec::new();
        let gzip = page.gzip.expect("a gzip form");
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gzip[..]), &mut decoded)
            .expect("gunzip");
        assert_eq!(decoded, long);
        assert!(gzip.len() < long.len() / 4);
        assert!(Page::new(Bytes::from("<p>x</p>")).gzip.is_none());
    }
}
