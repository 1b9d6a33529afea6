//! `danhmuc check-links`: one link-check run on a store no server holds (a running server checks
//! on its own schedule, `--link-check-every`), and the link checker's options shared with `serve`.

use super::accounts::RegistryArgs;
use super::harvest::HarvestLimitArgs;
use crate::harvest::{HarvestConfig, parse_duration};
use crate::quality::{LinkCheckConfig, Quality};
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

/// The link checker's options (its address allow-list is the harvester's, `--harvest-allow`).
#[derive(Debug, Clone, clap::Args)]
pub struct LinkCheckArgs {
    /// Longest one URL may take to answer, in seconds.
    #[arg(long = "link-timeout", env = "DANHMUC_LINK_TIMEOUT", default_value_t = 10, value_name = "SECONDS")]
    pub link_timeout: u64,
    /// URLs checked at once.
    #[arg(
        long = "link-concurrency",
        env = "DANHMUC_LINK_CONCURRENCY",
        default_value_t = 8,
        value_name = "N"
    )]
    pub link_concurrency: usize,
    /// Most URLs one run checks (least recently checked first).
    #[arg(long = "link-max-urls", env = "DANHMUC_LINK_MAX_URLS", default_value_t = 10_000, value_name = "N")]
    pub link_max_urls: usize,
    /// A URL checked more recently than this is not checked again (0s: check every URL).
    #[arg(
        long = "link-recheck-after",
        env = "DANHMUC_LINK_RECHECK_AFTER",
        default_value = "20h",
        value_name = "DURATION"
    )]
    pub link_recheck_after: String,
    /// How often `serve` runs the link checker (first run at start; 0s: never).
    #[arg(
        long = "link-check-every",
        env = "DANHMUC_LINK_CHECK_EVERY",
        default_value = "24h",
        value_name = "DURATION"
    )]
    pub link_every: String,
}

impl LinkCheckArgs {
    /// The link checker's configuration over the harvester's client rules.
    pub fn config(&self, client: HarvestConfig) -> anyhow::Result<LinkCheckConfig> {
        let mut config = LinkCheckConfig::new(client);
        config.timeout = Duration::from_secs(self.link_timeout.max(1));
        config.concurrency = self.link_concurrency.clamp(1, 64);
        config.max_urls = self.link_max_urls;
        config.recheck_after = parse_duration(&self.link_recheck_after).map_err(anyhow::Error::msg)?;
        config.every = parse_duration(&self.link_every).map_err(anyhow::Error::msg)?;
        Ok(config)
    }
}

/// Options of `check-links`.
#[derive(Debug, clap::Args)]
pub struct CheckLinksArgs {
    #[command(flatten)]
    registry: RegistryArgs,
    #[command(flatten)]
    harvest: HarvestLimitArgs,
    #[command(flatten)]
    links: LinkCheckArgs,
}

/// Runs one link check; prints one summary line.
pub fn run(args: &CheckLinksArgs) -> anyhow::Result<ExitCode> {
    let registry = args.registry.open()?;
    let client = args.harvest.config(registry.base())?;
    let config = args.links.config(client)?;
    let catalog = crate::catalog::Catalog::new(registry.store(), registry.base())?;
    let quality = Quality::attach(&registry, &catalog)?;
    quality.score_all(&registry)?;
    quality.write_stale(&registry)?;
    let run = quality.check_links(&registry, &config)?;
    registry.store().flush()?;
    writeln!(
        std::io::stdout(),
        "checked={} reachable={} broken={} skipped={} rescored={}",
        run.checked,
        run.reachable,
        run.broken,
        run.skipped,
        run.rescored
    )?;
    Ok(ExitCode::SUCCESS)
}
