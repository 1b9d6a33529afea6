//! Metadata-quality scoring cost: `quality_bench STORE_DIR [SAMPLES]`.
//!
//! On a registry store (e.g. a copy of the 100k-dataset store `benches/registry.py` leaves in
//! `~/.cache/danhmuc-bench/stores/registry-100000`; never point it at a store someone uses: it writes):
//! 1. scores every dataset from scratch exactly as `serve` does at start (`Quality::score_all`: every
//!    dataset's graph read from the store and scored), and the scoring alone on graphs already read;
//! 2. the single-write re-score: the record hook's work on one write (score + DQV triples), p50/p95
//!    over SAMPLES datasets, and the DQV graph's own store write (`Registry::refresh_derived` of one
//!    record: read, score, write in one transaction), p50/p95.
#![expect(clippy::print_stdout, reason = "a measurement tool")]

use danhmuc::catalog::Catalog;
use danhmuc::quality::Quality;
use danhmuc::registry::kind::Kind;
use danhmuc::registry::lifecycle::Status;
use danhmuc::registry::{RecordHook, Registry};
use danhmuc::store::Store;
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).ok_or("usage: quality_bench STORE_DIR [SAMPLES]")?;
    let samples: usize = args.get(2).map_or(Ok(2000), |s| s.parse())?;
    let started = Instant::now();
    let store = Store::open(std::path::Path::new(dir))?;
    danhmuc::vocabulary::sync_bundled(&store)?;
    let base =
        store.setting(danhmuc::rdf::ns::dm::BASE_URL)?.unwrap_or_else(|| "http://127.0.0.1:8080/".to_owned());
    let registry = Registry::open(store.clone(), &base)?;
    let catalog = Catalog::new(&store, &base)?;
    let quality = Quality::attach(&registry, &catalog)?;
    println!("open (store, registry index, catalogue): {:.1} s", started.elapsed().as_secs_f64());

    // 1. From scratch, as at start.
    let started = Instant::now();
    quality.score_all(&registry)?;
    let from_scratch = started.elapsed();
    println!(
        "score_all (read every dataset graph + score): {} datasets in {:.2} s ({:.0} datasets/s)",
        quality.len(),
        from_scratch.as_secs_f64(),
        quality.len() as f64 / from_scratch.as_secs_f64()
    );
    let mut records = Vec::new();
    registry.for_each_in_order(|r| {
        if r.kind == Kind::Dataset && r.status != Status::Retired {
            records.push(r.clone());
        }
        true
    });
    let mut read = Duration::ZERO;
    let mut scoring = Duration::ZERO;
    let mut total_points = 0u64;
    for record in &records {
        let t = Instant::now();
        let content = registry.content(record)?;
        read += t.elapsed();
        let t = Instant::now();
        let assessment = quality.assess(&record.iri, &content, record.status != Status::Invalid);
        let dqv = danhmuc::quality::dqv::measurements(&record.id, &record.iri, &assessment);
        scoring += t.elapsed();
        std::hint::black_box(dqv);
        total_points += u64::from(assessment.total());
    }
    println!(
        "of which: graph reads {:.2} s, scoring + DQV triples {:.2} s ({:.1} µs per dataset); average score {:.1}",
        read.as_secs_f64(),
        scoring.as_secs_f64(),
        scoring.as_secs_f64() * 1e6 / records.len().max(1) as f64,
        total_points as f64 / records.len().max(1) as f64
    );

    // 2. Single writes.
    let step = (records.len() / samples.max(1)).max(1);
    let sample: Vec<_> = records.iter().step_by(step).take(samples).collect();
    let mut hook = Vec::with_capacity(sample.len());
    for record in &sample {
        let content = registry.content(record)?;
        let t = Instant::now();
        let writes = quality.writes(record, Some(&content));
        quality.finished(true);
        hook.push(t.elapsed());
        assert_eq!(writes.len(), 1);
    }
    hook.sort();
    println!(
        "single-write re-score (record hook: score + DQV triples), {} writes: p50 {:.3} ms, p95 {:.3} ms, max {:.3} ms",
        hook.len(),
        percentile(&hook, 0.5),
        percentile(&hook, 0.95),
        percentile(&hook, 1.0)
    );
    let mut stored = Vec::with_capacity(sample.len().min(300));
    for record in sample.iter().take(300) {
        let t = Instant::now();
        registry.refresh_derived(std::slice::from_ref(&record.id), 1)?;
        stored.push(t.elapsed());
    }
    stored.sort();
    println!(
        "DQV graph stored alone (read + score + one transaction), {} records: p50 {:.2} ms, p95 {:.2} ms",
        stored.len(),
        percentile(&stored, 0.5),
        percentile(&stored, 0.95)
    );
    store.flush()?;
    Ok(())
}
