//! `danhmuc harvest add|run|list`: harvest sources on a store no server holds (a running server
//! harvests on its own schedule and over `/api/harvest`).

use super::accounts::RegistryArgs;
use crate::harvest::net::Network;
use crate::harvest::{HarvestConfig, Harvester, NewSource, RunReport, format_duration, parse_duration};
use crate::registry::Registry;
use anyhow::Context as _;
use clap::Subcommand;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

/// The harvester's limits, for `serve` and `harvest run`.
#[derive(Debug, Clone, clap::Args)]
pub struct HarvestLimitArgs {
    /// Allow harvesting from these loopback, private or link-local addresses or networks
    /// (`127.0.0.1`, `10.0.0.0/8`; repeatable, or comma-separated in the environment).
    #[arg(
        long = "harvest-allow",
        env = "DANHMUC_HARVEST_ALLOW",
        value_delimiter = ',',
        value_name = "NETWORK"
    )]
    pub allow: Vec<String>,
    /// Largest response the harvester reads, in bytes.
    #[arg(long = "harvest-max-bytes", env = "DANHMUC_HARVEST_MAX_BYTES", default_value_t = 32 * 1024 * 1024, value_name = "BYTES")]
    pub max_bytes: u64,
    /// Most pages one run fetches.
    #[arg(
        long = "harvest-max-pages",
        env = "DANHMUC_HARVEST_MAX_PAGES",
        default_value_t = 10_000,
        value_name = "N"
    )]
    pub max_pages: usize,
    /// Most triples in one page.
    #[arg(
        long = "harvest-max-page-triples",
        env = "DANHMUC_HARVEST_MAX_PAGE_TRIPLES",
        default_value_t = 200_000,
        value_name = "N"
    )]
    pub max_page_triples: usize,
    /// Most triples in one harvested record.
    #[arg(
        long = "harvest-max-record-triples",
        env = "DANHMUC_HARVEST_MAX_RECORD_TRIPLES",
        default_value_t = 10_000,
        value_name = "N"
    )]
    pub max_record_triples: usize,
    /// Longest one response may take, in seconds.
    #[arg(
        long = "harvest-timeout",
        env = "DANHMUC_HARVEST_TIMEOUT",
        default_value_t = 60,
        value_name = "SECONDS"
    )]
    pub timeout: u64,
    /// Longest one run may take (90s, 15m, 6h…); past it the pass is partial.
    #[arg(
        long = "harvest-max-run-time",
        env = "DANHMUC_HARVEST_MAX_RUN_TIME",
        default_value = "6h",
        value_name = "DURATION"
    )]
    pub max_run_time: String,
}

impl HarvestLimitArgs {
    /// The harvester's configuration.
    pub fn config(&self, base_url: &str) -> anyhow::Result<HarvestConfig> {
        let mut config = HarvestConfig::new(base_url);
        config.policy.allow = self
            .allow
            .iter()
            .filter(|a| !a.trim().is_empty())
            .map(|a| Network::parse(a))
            .collect::<Result<_, _>>()
            .map_err(anyhow::Error::msg)?;
        config.max_response_bytes = self.max_bytes;
        config.max_pages = self.max_pages.max(1);
        config.max_triples_per_page = self.max_page_triples.max(1);
        config.max_triples_per_record = self.max_record_triples.max(1);
        config.timeout = Duration::from_secs(self.timeout.max(1));
        config.connect_timeout = config.timeout.min(Duration::from_secs(10));
        config.max_run_time = parse_duration(&self.max_run_time).map_err(anyhow::Error::msg)?;
        Ok(config)
    }
}

/// `harvest` subcommands.
#[derive(Debug, Subcommand)]
pub enum HarvestCommand {
    /// Add a harvest source for an organisation; prints its id.
    Add {
        #[command(flatten)]
        registry: RegistryArgs,
        /// The organisation that will own the harvested records.
        #[arg(long)]
        org: String,
        /// The feed's first page (dcat) or the CKAN site (ckan).
        #[arg(long)]
        url: String,
        /// What the URL serves.
        #[arg(long, default_value = "dcat", value_parser = ["dcat", "ckan"])]
        kind: String,
        /// Run it on this schedule inside `serve` (90s, 15m, 24h, 7d); without it, only on demand.
        #[arg(long, value_name = "DURATION")]
        every: Option<String>,
        /// Withdraw a record only after complete passes have missed it this long (0s: at once).
        #[arg(long, default_value = "0s", value_name = "DURATION")]
        grace: String,
        /// The source's id [default: the organisation's id].
        #[arg(long)]
        id: Option<String>,
    },
    /// Harvest one source now (or every source); exit 0 when every pass was complete, 1 when one
    /// was partial.
    Run {
        #[command(flatten)]
        registry: RegistryArgs,
        #[command(flatten)]
        limits: HarvestLimitArgs,
        /// The source's id [default: every source].
        source: Option<String>,
    },
    /// List the harvest sources.
    List {
        #[command(flatten)]
        registry: RegistryArgs,
    },
}

/// One line per run.
fn summary(report: &RunReport) -> String {
    format!(
        "{}\t{}\tpages={} seen={} created={} updated={} unchanged={} invalid={} retired={} missing={} skipped={} errors={}",
        report.source,
        if report.complete { "complete" } else { "partial" },
        report.pages,
        report.seen,
        report.created,
        report.updated,
        report.unchanged,
        report.invalid,
        report.retired,
        report.missing,
        report.skipped,
        report.errors.len()
    )
}

pub fn run(command: &HarvestCommand) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match command {
        HarvestCommand::Add { registry, org, url, kind, every, grace, id } => {
            let registry = registry.open()?;
            let harvester = Harvester::new(HarvestConfig::new(registry.base()));
            let new = NewSource {
                id: id.clone(),
                org: org.clone(),
                url: url.clone(),
                kind: kind.parse().map_err(anyhow::Error::msg)?,
                every: every.as_deref().map(parse_duration).transpose().map_err(anyhow::Error::msg)?,
                grace: parse_duration(grace).map_err(anyhow::Error::msg)?,
            };
            let source = harvester.add_source(&registry, &new)?;
            registry.store().flush()?;
            writeln!(out, "{}", source.id)?;
        }
        HarvestCommand::List { registry } => {
            let registry = registry.open()?;
            let harvester = Harvester::new(HarvestConfig::new(registry.base()));
            for source in harvester.sources(&registry)? {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}",
                    source.id,
                    source.org.as_str(),
                    source.kind,
                    source.every.map_or_else(|| "manual".to_owned(), format_duration),
                    source.url
                )?;
            }
        }
        HarvestCommand::Run { registry, limits, source } => {
            let registry: Registry = registry.open()?;
            let harvester = Harvester::new(limits.config(registry.base())?);
            let ids: Vec<String> = match source {
                Some(id) => vec![id.clone()],
                None => harvester.sources(&registry)?.into_iter().map(|s| s.id).collect(),
            };
            let mut all_complete = true;
            for id in ids {
                let report = harvester.run(&registry, &id).with_context(|| format!("harvest {id}"))?;
                writeln!(out, "{}", summary(&report))?;
                for error in &report.errors {
                    writeln!(out, "  error: {error}")?;
                }
                for warning in &report.warnings {
                    writeln!(out, "  warning: {warning}")?;
                }
                for invalid in &report.invalid_records {
                    writeln!(out, "  invalid: {} ({})", invalid.iri, invalid.violations.join("; "))?;
                }
                all_complete &= report.complete;
            }
            return Ok(if all_complete { ExitCode::SUCCESS } else { ExitCode::from(1) });
        }
    }
    Ok(ExitCode::SUCCESS)
}
