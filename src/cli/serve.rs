//! `danhmuc serve`.

use super::DataArgs;
use crate::app::App;
use crate::config::{Config, Limits, normalize_base_url};
use crate::http::{self, AppState};
use crate::store::Store;
use anyhow::Context as _;
use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

/// Options of `serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Address to listen on.
    #[arg(long, env = "DANHMUC_BIND", default_value = "127.0.0.1:8080", value_name = "ADDR")]
    bind: SocketAddr,
    /// Public base URL used to mint and link IRIs [default: http://<bind>/].
    #[arg(long, env = "DANHMUC_BASE_URL", value_name = "URL")]
    base_url: Option<String>,
    /// Load the demo catalogue when the store holds no records.
    #[arg(long)]
    demo: bool,
    /// Seconds a SPARQL query may run before it is cancelled (503).
    #[arg(long, env = "DANHMUC_QUERY_TIMEOUT", default_value_t = 30.0, value_name = "SECONDS")]
    query_timeout: f64,
    /// Most rows (or triples) in one SPARQL answer; more are cut, and the cut is signalled.
    #[arg(long, env = "DANHMUC_MAX_ROWS", default_value_t = 100_000, value_name = "N")]
    max_rows: usize,
    /// Largest request body accepted on /sparql, in bytes (413 beyond).
    #[arg(long, env = "DANHMUC_MAX_SPARQL_BODY", default_value_t = 1024 * 1024, value_name = "BYTES")]
    max_sparql_body: usize,
    /// Largest request body accepted on /validate, in bytes (413 beyond).
    #[arg(long, env = "DANHMUC_MAX_VALIDATE_BODY", default_value_t = 16 * 1024 * 1024, value_name = "BYTES")]
    max_validate_body: usize,
    #[command(flatten)]
    harvest: super::harvest::HarvestLimitArgs,
    #[command(flatten)]
    links: super::quality::LinkCheckArgs,
}

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    crate::init_tracing();
    if !(args.query_timeout.is_finite() && args.query_timeout > 0.0) {
        anyhow::bail!("--query-timeout must be a positive number of seconds");
    }
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.bind)
            .await
            .with_context(|| format!("cannot listen on {}", args.bind))?;
        let local = listener.local_addr()?;
        // The store is opened first: without `--base-url`, a store keeps the base its records were
        // minted under (serving it on another address must not turn them into foreign records).
        let opened = std::time::Instant::now();
        let store = Store::open(&args.data.data)?;
        tracing::info!(seconds = opened.elapsed().as_secs_f64(), "store opened");
        let base_url = match &args.base_url {
            Some(url) => normalize_base_url(url).map_err(anyhow::Error::msg)?,
            None => match store.setting(crate::rdf::ns::dm::BASE_URL)? {
                Some(stored) => stored,
                None => format!("http://{local}/"),
            },
        };
        let harvest = args.harvest.config(&base_url)?;
        let link_check = args.links.config(harvest.clone())?;
        let config = Config {
            harvest,
            link_check,
            data: args.data.data.clone(),
            bind: local,
            base_url,
            demo: args.demo,
            limits: Limits {
                sparql_body_bytes: args.max_sparql_body,
                query_timeout: Duration::from_secs_f64(args.query_timeout),
                max_rows: args.max_rows,
                validate_body_bytes: args.max_validate_body,
            },
        };
        let app = tokio::task::spawn_blocking(move || App::start(store, config)).await??;
        let state = AppState::new(app)?;
        tracing::info!(
            address = %local,
            base_url = %state.app.config.base_url,
            data = %state.app.config.data.display(),
            "danhmuc is serving"
        );
        // One plain line for people and scripts (the tests read the port from it).
        writeln!(
            std::io::stdout(),
            "danhmuc: listening on http://{local}/ (base URL {})",
            state.app.config.base_url
        )?;
        spawn_harvest_schedule(std::sync::Arc::clone(&state.app));
        spawn_quality_schedule(std::sync::Arc::clone(&state.app));
        let app = std::sync::Arc::clone(&state.app);
        let served = http::serve(state, listener).await;
        // Background batches (a re-score of every dataset, a link check's re-scores) end at their
        // next transaction boundary instead of holding the process for minutes.
        app.registry.stop_background();
        served?;
        Ok(ExitCode::SUCCESS)
    });
    // Blocking work still running after this (a harvest fetching a page) is abandoned: every write is
    // one store transaction, so what was acknowledged is kept and nothing is half-written.
    runtime.shutdown_timeout(SHUTDOWN_WAIT);
    served
}

/// How long a stopping server waits for background work to reach a transaction boundary.
const SHUTDOWN_WAIT: Duration = Duration::from_secs(10);

/// Runs harvest sources when their schedule says so: a check every second, each run on the blocking
/// pool (never on an async worker, so requests go on), never two runs of one source at once (the
/// harvester refuses a second one).
fn spawn_harvest_schedule(app: std::sync::Arc<App>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            tick.tick().await;
            let check = std::sync::Arc::clone(&app);
            let due = match tokio::task::spawn_blocking(move || check.harvester.due(&check.registry)).await {
                Ok(Ok(due)) => due,
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "cannot read the harvest schedule");
                    continue;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the harvest schedule check failed");
                    continue;
                }
            };
            for id in due {
                let app = std::sync::Arc::clone(&app);
                tokio::task::spawn_blocking(move || {
                    if let Err(e) = app.harvester.run(&app.registry, &id) {
                        tracing::debug!(source = %id, error = %e, "scheduled harvest not run");
                    }
                });
            }
        }
    });
}

/// Metadata quality in the background: stale measurements rewritten at start, a link-check run at
/// start and then every `--link-check-every` (on the blocking pool, one at a time), and one snapshot
/// of publisher averages per day.
fn spawn_quality_schedule(app: std::sync::Arc<App>) {
    tokio::spawn(async move {
        let start = std::sync::Arc::clone(&app);
        let rewritten = tokio::task::spawn_blocking(move || start.quality.write_stale(&start.registry)).await;
        match rewritten {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::info!(datasets = n, "quality measurements rewritten"),
            Ok(Err(e)) => tracing::warn!(error = %e, "cannot rewrite the quality measurements"),
            Err(e) => tracing::warn!(error = %e, "the quality rewrite failed"),
        }
        let every = app.config.link_check.every;
        let mut next_check = (!every.is_zero()).then(tokio::time::Instant::now);
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut next_snapshot = tokio::time::Instant::now();
        loop {
            tick.tick().await;
            let now = tokio::time::Instant::now();
            if now >= next_snapshot {
                next_snapshot = now + Duration::from_secs(60);
                let app = std::sync::Arc::clone(&app);
                let taken =
                    tokio::task::spawn_blocking(move || app.quality.snapshot_if_due(&app.registry)).await;
                if let Ok(Err(e)) = taken {
                    tracing::warn!(error = %e, "cannot take the daily quality snapshot");
                }
            }
            if next_check.is_some_and(|t| now >= t) {
                let app = std::sync::Arc::clone(&app);
                let run = tokio::task::spawn_blocking(move || {
                    app.quality.check_links(&app.registry, &app.config.link_check)
                })
                .await;
                match run {
                    Ok(Ok(run)) => tracing::info!(
                        checked = run.checked,
                        reachable = run.reachable,
                        broken = run.broken,
                        rescored = run.rescored,
                        "link check done"
                    ),
                    Ok(Err(e)) => tracing::warn!(error = %e, "link check failed"),
                    Err(e) => tracing::warn!(error = %e, "link check failed"),
                }
                next_check = Some(tokio::time::Instant::now() + every);
            }
        }
    });
}
