//! `danhmuc reindex`: rebuilds the search index from the store (no server may hold the store).

use super::accounts::RegistryArgs;
use crate::search::SearchIndex;
use std::io::Write as _;
use std::process::ExitCode;
use std::time::Instant;

/// Options of `reindex`.
#[derive(Debug, clap::Args)]
pub struct ReindexArgs {
    #[command(flatten)]
    registry: RegistryArgs,
}

/// Deletes the index and indexes every record again; prints one line with the count and the time.
pub fn run(args: &ReindexArgs) -> anyhow::Result<ExitCode> {
    let registry = args.registry.open()?;
    let path = crate::app::search_path(&args.registry.data.data);
    let started = Instant::now();
    // Rates each dataset from the content read for its document (no scoring pass first).
    let catalog = crate::catalog::Catalog::new(registry.store(), registry.base())?;
    let quality = crate::quality::Quality::attach(&registry, &catalog)?;
    let (_index, report) = SearchIndex::rebuild(&path, &registry, quality)?;
    writeln!(
        std::io::stdout(),
        "danhmuc: indexed {} records in {:.1} s ({})",
        report.updated,
        started.elapsed().as_secs_f64(),
        path.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
