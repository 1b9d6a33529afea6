//! The tantivy side: schema, bringing the index up to date, the writer thread, queries.

use super::document::Document;
use super::{
    FACET_VALUES, FACETS, Facet, FacetCounts, Hit, MAX_DEPTH, MAX_LIMIT, MAX_WORDS, Rating, SearchError,
    SearchRequest, SearchResults, Sort, SyncReport, read_document,
};
use crate::quality::Quality;
use crate::registry::record::Record;
use crate::registry::{RecordHook, Registry};
use crate::standards::search::fold;
use crate::store::GraphWrite;
use crate::store::{Access, Viewer};
use oxigraph::model::Triple;
use rustc_hash::FxHashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::document::Value;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TEXT, TextFieldIndexing, TextOptions,
};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term};

/// Memory for the writer's in-RAM segment (tantivy's minimum is 15 MB per thread).
const WRITER_HEAP: usize = 50_000_000;
/// The most changes applied in one commit.
const BATCH: usize = 5_000;
/// Under a stream of writes, the index commits at most this often (a write after a quiet spell is
/// committed at once). Each commit makes a segment, and segments are merged: a commit per
/// submission spent more time in tantivy than in the store.
const COMMIT_EVERY: Duration = Duration::from_millis(500);

/// The fields of the schema.
#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    stamp: Field,
    iri: Field,
    kind: Field,
    status: Field,
    access: Field,
    owner: Field,
    rating: Field,
    publisher: Field,
    facet: Field,
    title: Field,
    keywords: Field,
    body: Field,
    title_vi: Field,
    title_en: Field,
    summary_vi: Field,
    summary_en: Field,
    sort_vi: Field,
    sort_en: Field,
    modified: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let stored_only = TextOptions::default().set_stored();
    // Pre-folded text: the default tokenizer only splits and lowercases.
    let text = TEXT.set_indexing_options(
        TextFieldIndexing::default().set_tokenizer("default").set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        stamp: b.add_u64_field("stamp", STORED),
        iri: b.add_text_field("iri", stored_only.clone()),
        kind: b.add_text_field("kind", STRING | STORED),
        status: b.add_text_field("status", STRING | STORED),
        access: b.add_text_field("access", STRING),
        owner: b.add_text_field("owner", STRING),
        rating: b.add_text_field("rating", STRING | STORED),
        publisher: b.add_text_field("publisher", stored_only.clone()),
        facet: b.add_facet_field("facet", INDEXED),
        title: b.add_text_field("title", text.clone()),
        keywords: b.add_text_field("keywords", text.clone()),
        body: b.add_text_field("body", text),
        title_vi: b.add_text_field("title_vi", stored_only.clone()),
        title_en: b.add_text_field("title_en", stored_only.clone()),
        summary_vi: b.add_text_field("summary_vi", stored_only.clone()),
        summary_en: b.add_text_field("summary_en", stored_only),
        sort_vi: b.add_text_field("sort_vi", STRING | FAST),
        sort_en: b.add_text_field("sort_en", STRING | FAST),
        modified: b.add_text_field("modified", STRING | FAST | STORED),
    };
    (b.build(), fields)
}

fn access_key(access: Access) -> &'static str {
    match access {
        Access::Public => "public",
        Access::Restricted => "restricted",
        Access::Private => "private",
        Access::Staff => "staff",
    }
}

fn facet_term(fields: &Fields, facet: Facet, value: &str) -> Term {
    Term::from_facet(fields.facet, &tantivy::schema::Facet::from_path([facet.key(), value]))
}

impl Fields {
    fn to_tantivy(self, doc: &Document) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        d.add_text(self.id, &doc.id);
        d.add_u64(self.stamp, doc.stamp);
        d.add_text(self.iri, &doc.iri);
        d.add_text(self.kind, doc.kind.name());
        d.add_text(self.status, doc.status.name());
        d.add_text(self.access, access_key(doc.access));
        d.add_text(self.owner, &doc.owner);
        if let Some(rating) = doc.rating {
            d.add_text(self.rating, rating.id());
        }
        for (facet, value) in &doc.facets {
            d.add_facet(self.facet, tantivy::schema::Facet::from_path([facet.key(), value.as_str()]));
            if *facet == Facet::Publisher {
                d.add_text(self.publisher, value);
            }
        }
        d.add_text(self.title, doc.folded_titles());
        d.add_text(self.keywords, doc.folded_keywords());
        d.add_text(self.body, doc.folded_descriptions());
        for (field, lang) in [(self.title_vi, "vi"), (self.title_en, "en")] {
            if let Some(title) = doc.title_exact(lang) {
                d.add_text(field, title);
            }
        }
        for (field, lang) in [(self.summary_vi, "vi"), (self.summary_en, "en")] {
            if let Some(summary) = doc.summary_exact(lang) {
                d.add_text(field, summary);
            }
        }
        d.add_text(self.sort_vi, doc.title_key("vi"));
        d.add_text(self.sort_en, doc.title_key("en"));
        d.add_text(self.modified, &doc.modified);
        d
    }
}

/// A change for the writer thread.
enum Change {
    Upsert(Box<Document>),
    Remove(String),
}

/// Answers kept until the next commit: the same search (the home page's counts, a popular query)
/// is answered from memory. Keyed by what the viewer may see and the whole request.
const CACHED: usize = 512;

#[derive(Default)]
struct Cache {
    generation: u64,
    answers: FxHashMap<String, SearchResults>,
}

/// The search index. Cheap to share (`Arc`); searches run in parallel with the writer.
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    /// Rates datasets (the "rating" facet).
    quality: Arc<Quality>,
    sender: Mutex<Sender<Change>>,
    /// Changes of the write under way (from the registry's hook), sent once it committed.
    pending: Mutex<Vec<Change>>,
    /// The stamp each record was last indexed with: a write that leaves it unchanged (a re-score,
    /// a link-check refresh) queues nothing, so it neither commits nor empties the answer cache.
    stamps: Mutex<FxHashMap<String, u64>>,
    /// Commits made by the writer thread: the answer cache's generation.
    commits: Arc<AtomicU64>,
    cache: Mutex<Cache>,
}

impl SearchIndex {
    /// Opens (or creates) the index in `path` and brings it up to date with the registry: every
    /// record whose stamp differs is indexed again, entries of records gone are removed. Then
    /// follows the registry's writes. `quality` rates datasets: its scores must be current
    /// ([`Quality::score_all`]) for unchanged records to be recognised as such.
    pub fn open(
        path: &Path,
        registry: &Registry,
        quality: Arc<Quality>,
    ) -> Result<(Arc<Self>, SyncReport), SearchError> {
        let (schema, fields) = schema();
        std::fs::create_dir_all(path)
            .map_err(|source| SearchError::Directory { path: path.to_owned(), source })?;
        let opened = tantivy::directory::MmapDirectory::open(path)
            .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))
            .and_then(|directory| Index::open_or_create(directory, schema.clone()));
        let index = match opened {
            Ok(index) => index,
            // An index of another schema, or a damaged one: it is derived, so start again.
            Err(e) => {
                tracing::warn!(error = %e, path = %path.display(), "search index unusable; rebuilding it");
                std::fs::remove_dir_all(path)
                    .and_then(|()| std::fs::create_dir_all(path))
                    .map_err(|source| SearchError::Directory { path: path.to_owned(), source })?;
                Index::create_in_dir(path, schema)?
            }
        };
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, WRITER_HEAP)?;

        // Bring the index up to date, before anything else may write.
        let known = stamps(&reader, fields)?;
        let mut records: Vec<Record> = Vec::new();
        let mut current: FxHashMap<String, u64> = FxHashMap::default();
        registry.for_each_in_order(|record| {
            if super::indexed(record) {
                let stamp = super::stamp(record, quality.rating(&record.id));
                if known.get(&record.id) != Some(&stamp) {
                    records.push(record.clone());
                }
                current.insert(record.id.clone(), stamp);
            }
            true
        });
        let mut report = SyncReport { indexed: current.len(), ..SyncReport::default() };
        for id in known.keys().filter(|id| !current.contains_key(*id)) {
            writer.delete_term(Term::from_field_text(fields.id, id));
            report.removed += 1;
        }
        for record in &records {
            writer.delete_term(Term::from_field_text(fields.id, &record.id));
            if let Some(doc) = read_document(registry, &quality, record)? {
                writer.add_document(fields.to_tantivy(&doc))?;
                // Rated from the content just read (the same, when the scores are current).
                current.insert(doc.id.clone(), doc.stamp);
                report.updated += 1;
            }
        }
        if report.updated + report.removed > 0 {
            writer.commit()?;
        }
        reader.reload()?;

        let (sender, receiver) = channel();
        let commits = Arc::new(AtomicU64::new(0));
        let this = Arc::new(Self {
            reader: reader.clone(),
            fields,
            quality,
            sender: Mutex::new(sender),
            pending: Mutex::new(Vec::new()),
            stamps: Mutex::new(current),
            commits: Arc::clone(&commits),
            cache: Mutex::new(Cache::default()),
        });
        std::thread::Builder::new()
            .name("search-writer".into())
            .spawn(move || write_loop(&receiver, writer, &reader, fields, &commits))
            .map_err(|source| SearchError::Directory { path: path.to_owned(), source })?;
        let hook: Arc<dyn RecordHook> = this.clone();
        registry.add_record_hook(hook);
        Ok((this, report))
    }

    /// Deletes the index in `path` and builds it again from the registry.
    pub fn rebuild(
        path: &Path,
        registry: &Registry,
        quality: Arc<Quality>,
    ) -> Result<(Arc<Self>, SyncReport), SearchError> {
        if path.exists() {
            std::fs::remove_dir_all(path)
                .map_err(|source| SearchError::Directory { path: path.to_owned(), source })?;
        }
        Self::open(path, registry, quality)
    }

    /// Bumped by every commit of the index: an answer computed at one generation is valid while it
    /// lasts (the HTTP layer keys its rendered answers by it).
    pub fn generation(&self) -> u64 {
        self.commits.load(Ordering::SeqCst)
    }

    /// Searches what `viewer` may see.
    pub fn search(&self, viewer: &Viewer, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        if request.limit > MAX_LIMIT {
            return Err(SearchError::BadRequest(format!("at most {MAX_LIMIT} results per page")));
        }
        if request.offset.saturating_add(request.limit) > MAX_DEPTH {
            return Err(SearchError::BadRequest(format!(
                "results beyond the first {MAX_DEPTH} are not listed: narrow the search"
            )));
        }
        let words = words(&request.q)?;
        let key = cache_key(viewer, request, &words);
        let generation = self.commits.load(Ordering::SeqCst);
        {
            let cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
            if cache.generation == generation
                && let Some(answer) = cache.answers.get(&key)
            {
                return Ok(answer.clone());
            }
        }
        let answer = self.run(viewer, request, &words)?;
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if cache.generation != generation || cache.answers.len() >= CACHED {
            cache.answers.clear();
            cache.generation = generation;
        }
        cache.answers.insert(key, answer.clone());
        Ok(answer)
    }

    fn run(
        &self,
        viewer: &Viewer,
        request: &SearchRequest,
        words: &[String],
    ) -> Result<SearchResults, SearchError> {
        let query = self.query(viewer, request, words);
        let searcher = self.reader.searcher();
        let mut facets = FacetCollector::for_field("facet");
        for facet in FACETS {
            facets.add_facet(tantivy::schema::Facet::from_path([facet.key()]));
        }
        let top = TopDocs::with_limit(request.limit.max(1)).and_offset(request.offset);
        let lang = request.lang.tag();
        let (addresses, total, counts): (Vec<(f32, DocAddress)>, usize, _) =
            match (request.sort, words.is_empty()) {
                (Sort::Relevance, false) => {
                    searcher.search(&query, &(top.order_by_score(), Count, facets))?
                }
                (Sort::Title, _) => {
                    let field = if lang == "en" { "sort_en" } else { "sort_vi" };
                    let (top, total, counts) = searcher.search(
                        &query,
                        &(top.order_by_string_fast_field(field, Order::Asc), Count, facets),
                    )?;
                    (top.into_iter().map(|(_, a)| (0.0, a)).collect(), total, counts)
                }
                (Sort::Modified | Sort::Relevance, _) => {
                    let (top, total, counts) = searcher.search(
                        &query,
                        &(top.order_by_string_fast_field("modified", Order::Desc), Count, facets),
                    )?;
                    (top.into_iter().map(|(_, a)| (0.0, a)).collect(), total, counts)
                }
            };
        let mut hits = Vec::with_capacity(addresses.len());
        if request.limit > 0 {
            for (score, address) in addresses {
                let doc: TantivyDocument = searcher.doc(address)?;
                hits.push(self.hit(&doc, score));
            }
        }
        let facets = FACETS
            .into_iter()
            .map(|facet| FacetCounts {
                facet,
                values: counts
                    .top_k(tantivy::schema::Facet::from_path([facet.key()]), FACET_VALUES)
                    .into_iter()
                    .filter_map(|(f, n)| f.to_path().get(1).map(|v| ((*v).to_owned(), n)))
                    .collect(),
            })
            .collect();
        Ok(SearchResults { total, hits, facets })
    }

    fn hit(&self, doc: &TantivyDocument, score: f32) -> Hit {
        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).map(str::to_owned);
        Hit {
            id: text(self.fields.id).unwrap_or_default(),
            iri: text(self.fields.iri).unwrap_or_default(),
            kind: text(self.fields.kind).unwrap_or_default(),
            title_vi: text(self.fields.title_vi),
            title_en: text(self.fields.title_en),
            description_vi: text(self.fields.summary_vi),
            description_en: text(self.fields.summary_en),
            publisher: text(self.fields.publisher),
            modified: text(self.fields.modified),
            status: text(self.fields.status).unwrap_or_default(),
            rating: text(self.fields.rating),
            score,
        }
    }

    /// Visibility, filters and words, all required. Only the words score.
    fn query(&self, viewer: &Viewer, request: &SearchRequest, words: &[String]) -> Box<dyn Query> {
        let f = &self.fields;
        let filter = |q: Box<dyn Query>| -> (Occur, Box<dyn Query>) {
            (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(visible) = visibility(f, viewer) {
            clauses.push(filter(visible));
        }
        let mut by_facet: Vec<(Facet, Vec<&str>)> = Vec::new();
        for (facet, value) in &request.filters {
            match by_facet.iter_mut().find(|(f, _)| f == facet) {
                Some((_, values)) => values.push(value),
                None => by_facet.push((*facet, vec![value])),
            }
        }
        for (facet, values) in by_facet {
            let any: Vec<Box<dyn Query>> = values
                .into_iter()
                .map(|v| -> Box<dyn Query> {
                    Box::new(TermQuery::new(facet_term(f, facet, v), IndexRecordOption::Basic))
                })
                .collect();
            clauses.push(filter(Box::new(BooleanQuery::union(any))));
        }
        if let Some(min) = request.min_rating {
            let any: Vec<Box<dyn Query>> = Rating::ALL
                .into_iter()
                .filter(|r| *r >= min)
                .map(|r| -> Box<dyn Query> {
                    Box::new(TermQuery::new(facet_term(f, Facet::Rating, r.id()), IndexRecordOption::Basic))
                })
                .collect();
            clauses.push(filter(Box::new(BooleanQuery::union(any))));
        }
        for word in words {
            let fields = [(f.title, 3.0), (f.keywords, 2.0), (f.body, 1.0)];
            let any: Vec<Box<dyn Query>> = fields
                .into_iter()
                .map(|(field, boost)| -> Box<dyn Query> {
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(
                            Term::from_field_text(field, word),
                            IndexRecordOption::WithFreqs,
                        )),
                        boost,
                    ))
                })
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::union(any))));
        }
        if clauses.is_empty() {
            return Box::new(AllQuery);
        }
        if words.is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

/// The documents `viewer` may see, as a query (`None`: everything). The same decision as
/// `Viewer::may_see_class`, asked once per access class: a class the viewer sees whatever the owner,
/// or, for its own records, the owner's.
fn visibility(f: &Fields, viewer: &Viewer) -> Option<Box<dyn Query>> {
    const CLASSES: [Access; 4] = [Access::Public, Access::Restricted, Access::Private, Access::Staff];
    if CLASSES.iter().all(|c| viewer.may_see_class(*c, None)) {
        return None;
    }
    let term = |field, text: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::Basic))
    };
    let mut any: Vec<Box<dyn Query>> = CLASSES
        .into_iter()
        .filter(|c| viewer.may_see_class(*c, None))
        .map(|c| term(f.access, access_key(c)))
        .collect();
    if let Viewer::Member { org } = viewer {
        let own: Vec<Box<dyn Query>> = CLASSES
            .into_iter()
            .filter(|c| !viewer.may_see_class(*c, None) && viewer.may_see_class(*c, Some(org)))
            .map(|c| term(f.access, access_key(c)))
            .collect();
        if !own.is_empty() {
            any.push(Box::new(BooleanQuery::new(vec![
                (Occur::Must, term(f.owner, org.as_str())),
                (Occur::Must, Box::new(BooleanQuery::union(own))),
            ])));
        }
    }
    Some(Box::new(BooleanQuery::union(any)))
}

/// What makes two searches the same: what the viewer may see, the folded words, the filters (in
/// order: they are few), the minimum rating, the page, the order and the language.
fn cache_key(viewer: &Viewer, request: &SearchRequest, words: &[String]) -> String {
    let who = match viewer {
        Viewer::Anonymous => "anonymous".to_owned(),
        Viewer::Member { org } => format!("member {org}"),
        Viewer::Staff | Viewer::Operator => "staff".to_owned(),
    };
    let mut filters: Vec<(&str, &str)> = request.filters.iter().map(|(f, v)| (f.key(), v.as_str())).collect();
    filters.sort_unstable();
    format!(
        "{who}\u{0}{}\u{0}{filters:?}\u{0}{:?}\u{0}{:?} {} {} {:?}",
        words.join(" "),
        request.min_rating,
        request.sort,
        request.offset,
        request.limit,
        request.lang
    )
}

/// The words of a query, folded.
fn words(q: &str) -> Result<Vec<String>, SearchError> {
    if q.len() > 1_000 {
        return Err(SearchError::BadRequest("the query is longer than 1000 bytes".into()));
    }
    let folded = fold(q);
    let mut words: Vec<String> = Vec::new();
    for word in folded.split_whitespace() {
        if !words.iter().any(|w| w == word) {
            words.push(word.to_owned());
        }
    }
    if words.len() > MAX_WORDS {
        return Err(SearchError::BadRequest(format!("at most {MAX_WORDS} words are searched")));
    }
    Ok(words)
}

/// The stamp of every document in the index, by record id.
fn stamps(reader: &IndexReader, f: Fields) -> Result<FxHashMap<String, u64>, SearchError> {
    let searcher = reader.searcher();
    let mut out = FxHashMap::default();
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(64).map_err(tantivy::TantivyError::from)?;
        for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
            let doc = doc?;
            let id = doc.get_first(f.id).and_then(|v| v.as_str());
            let stamp = doc.get_first(f.stamp).and_then(|v| v.as_u64());
            if let (Some(id), Some(stamp)) = (id, stamp) {
                out.insert(id.to_owned(), stamp);
            }
        }
    }
    Ok(out)
}

/// The writer thread: applies what has queued up, commits, makes it searchable.
fn write_loop(
    receiver: &Receiver<Change>,
    mut writer: IndexWriter<TantivyDocument>,
    reader: &IndexReader,
    f: Fields,
    commits: &AtomicU64,
) {
    let mut last_commit: Option<Instant> = None;
    while let Ok(first) = receiver.recv() {
        let mut batch = vec![first];
        let due = last_commit.map_or_else(Instant::now, |t| t + COMMIT_EVERY);
        while batch.len() < BATCH {
            let wait = due.saturating_duration_since(Instant::now());
            match receiver.recv_timeout(wait) {
                Ok(change) => batch.push(change),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
        let applied = (|| -> tantivy::Result<()> {
            for change in batch {
                match change {
                    Change::Upsert(doc) => {
                        writer.delete_term(Term::from_field_text(f.id, &doc.id));
                        writer.add_document(f.to_tantivy(&doc))?;
                    }
                    Change::Remove(id) => {
                        writer.delete_term(Term::from_field_text(f.id, &id));
                    }
                }
            }
            writer.commit()?;
            reader.reload()?;
            commits.fetch_add(1, Ordering::SeqCst);
            Ok(())
        })();
        last_commit = Some(Instant::now());
        if let Err(e) = applied {
            tracing::error!(error = %e, "search index update failed; `danhmuc reindex` rebuilds it");
        }
    }
}

/// The index follows the registry as a record hook: the document is built from the content the
/// registry is writing (no second read), and handed to the writer thread once the write committed.
impl RecordHook for SearchIndex {
    fn writes(&self, record: &Record, content: Option<&[Triple]>) -> Vec<GraphWrite> {
        let rating =
            content.filter(|_| super::indexed(record)).and_then(|c| self.quality.rating_for(record, c));
        if content.is_some()
            && self.stamps.lock().unwrap_or_else(PoisonError::into_inner).get(&record.id)
                == Some(&super::stamp(record, rating))
        {
            return Vec::new();
        }
        let change = match content.and_then(|c| super::document(record, c, rating)) {
            Some(doc) => Change::Upsert(Box::new(doc)),
            None => Change::Remove(record.id.clone()),
        };
        self.pending.lock().unwrap_or_else(PoisonError::into_inner).push(change);
        Vec::new()
    }

    fn finished(&self, committed: bool) {
        let changes = std::mem::take(&mut *self.pending.lock().unwrap_or_else(PoisonError::into_inner));
        if !committed {
            return;
        }
        {
            let mut stamps = self.stamps.lock().unwrap_or_else(PoisonError::into_inner);
            for change in &changes {
                match change {
                    Change::Upsert(doc) => stamps.insert(doc.id.clone(), doc.stamp),
                    Change::Remove(id) => stamps.remove(id),
                };
            }
        }
        let sender = self.sender.lock().unwrap_or_else(PoisonError::into_inner);
        for change in changes {
            if sender.send(change).is_err() {
                tracing::error!("the search index writer stopped; searches are stale until a restart");
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::Catalog;
    use crate::quality::Quality;
    use crate::registry::kind::Kind;
    use crate::registry::lifecycle::Status;
    use crate::registry::{Principal, Registry};
    use crate::search::{SearchIndex, SearchRequest};
    use crate::store::{Store, Viewer};
    use std::time::{Duration, Instant};

    /// Writes coming 25 ms apart are indexed in commits paced by `COMMIT_EVERY` (one commit each
    /// before), and what they changed is searchable after the last one.
    #[test]
    fn a_stream_of_writes_is_committed_at_a_paced_rate_and_all_of_it_is_found() {
        const BASE: &str = "http://r.example/";
        let dir = std::env::temp_dir().join(format!("danhmuc-search-pace-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::memory().unwrap_or_else(|e| panic!("{e}"));
        crate::vocabulary::sync_bundled(&store).unwrap_or_else(|e| panic!("{e}"));
        let registry = Registry::open(store.clone(), BASE).unwrap_or_else(|e| panic!("{e}"));
        let catalog = Catalog::new(&store, BASE).unwrap_or_else(|e| panic!("{e}"));
        let quality = Quality::attach(&registry, &catalog).unwrap_or_else(|e| panic!("{e}"));
        let (index, _) = SearchIndex::open(&dir, &registry, quality).unwrap_or_else(|e| panic!("{e}"));
        crate::catalog::demo::load_if_empty(&registry, BASE).unwrap_or_else(|e| panic!("{e}"));
        // How many records staff and anonymous readers find.
        let found = || {
            let request = SearchRequest { limit: 1, ..Default::default() };
            let total =
                |viewer: &Viewer| index.search(viewer, &request).unwrap_or_else(|e| panic!("{e}")).total;
            (total(&Viewer::Operator), total(&Viewer::Anonymous))
        };
        // Long enough for the demo's last commit, whatever the pace.
        let settle = Duration::from_millis(1200);
        std::thread::sleep(settle);
        let (all, public) = found();
        let mut datasets = Vec::new();
        registry.for_each_in_order(|r| {
            if r.kind == Kind::Dataset && r.status == Status::Stable && r.visible_to(&Viewer::Anonymous) {
                datasets.push(r.id.clone());
            }
            datasets.len() < 8
        });
        assert_eq!(datasets.len(), 8);
        let before = index.generation();
        for id in &datasets {
            // Invalid: seen only by its owner and staff from now on.
            registry
                .set_status(&Principal::system(), id, Status::Invalid, None)
                .unwrap_or_else(|e| panic!("{e}"));
            std::thread::sleep(Duration::from_millis(25));
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while found() != (all, public - 8) {
            assert!(Instant::now() < deadline, "{:?}: the changes never became searchable", found());
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(settle);
        let commits = index.generation() - before;
        assert!((1..=3).contains(&commits), "{commits} commits for 8 writes 25 ms apart");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
