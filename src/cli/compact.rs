//! `danhmuc compact`: rewrites the store's files compactly (no server may hold the store).
//!
//! Every start and every write leaves RocksDB files that its background compaction merges only
//! lazily; a store served and written for months reads more files than it needs (scanning queries
//! were 1.2–1.5× slower on such a store than on a freshly loaded one). Compaction merges them,
//! drops overwritten and deleted entries, and changes no quad.

use super::DataArgs;
use crate::store::Store;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Options of `compact`.
#[derive(Debug, clap::Args)]
pub struct CompactArgs {
    #[command(flatten)]
    data: DataArgs,
}

/// Compacts the store; prints one line with the files and bytes before and after, and the time.
pub fn run(args: &CompactArgs) -> anyhow::Result<ExitCode> {
    let path = &args.data.data;
    if !path.join("CURRENT").is_file() {
        anyhow::bail!("{} holds no store", path.display());
    }
    let before = footprint(path)?;
    let started = Instant::now();
    let store = Store::open(path)?;
    store.compact()?;
    drop(store);
    let after = footprint(path)?;
    writeln!(
        std::io::stdout(),
        "danhmuc: compacted {} in {:.1} s: {} table files, {:.1} MB before; {} table files, {:.1} MB after",
        path.display(),
        started.elapsed().as_secs_f64(),
        before.0,
        megabytes(before.1),
        after.0,
        megabytes(after.1),
    )?;
    Ok(ExitCode::SUCCESS)
}

#[expect(clippy::cast_precision_loss, reason = "a size to print")]
fn megabytes(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// The store's table files (`*.sst`) and the bytes of every file in its directory (the search
/// index's own directory aside).
fn footprint(path: &Path) -> anyhow::Result<(usize, u64)> {
    let mut tables = 0;
    let mut bytes = 0;
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        if meta.is_file() {
            bytes += meta.len();
            tables += usize::from(entry.path().extension().is_some_and(|e| e == "sst"));
        }
    }
    Ok((tables, bytes))
}
