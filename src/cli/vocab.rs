//! `danhmuc vocab import|export`: code lists as CSV (and RDF, for export) on a store no server holds.

use super::accounts::RegistryArgs;
use crate::registry::Principal;
use crate::standards::{CsvImport, Standards, tabular};
use anyhow::{Context as _, anyhow, bail};
use clap::Subcommand;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// `vocab` subcommands.
#[derive(Debug, Subcommand)]
pub enum VocabCommand {
    /// Import a CSV code list (one row per concept; see README "Data standards") as a new data
    /// standard, or as a new version of the one whose IRI is --scheme.
    Import {
        #[command(flatten)]
        registry: RegistryArgs,
        /// The organisation that owns it.
        #[arg(long)]
        org: String,
        /// The scheme's IRI (e.g. {base}def/gioi-tinh); concepts get {scheme}/{notation}.
        #[arg(long)]
        scheme: String,
        /// The scheme's Vietnamese title (needed for a new scheme).
        #[arg(long)]
        title_vi: Option<String>,
        /// The scheme's English title.
        #[arg(long)]
        title_en: Option<String>,
        /// owl:versionInfo of this version.
        #[arg(long = "version-info", value_name = "VERSION")]
        version: Option<String>,
        /// The CSV file (UTF-8).
        file: PathBuf,
    },
    /// Write a version of a data standard as CSV or RDF to standard output.
    Export {
        #[command(flatten)]
        registry: RegistryArgs,
        /// The standard: its record id or IRI.
        scheme: String,
        /// The registry version number or owl:versionInfo [default: the current one].
        #[arg(long = "version-info", value_name = "VERSION")]
        version: Option<String>,
        /// csv, ttl, jsonld, rdf or nt.
        #[arg(long, default_value = "csv")]
        format: String,
    },
}

/// Runs a `vocab` subcommand.
pub fn run(command: &VocabCommand) -> anyhow::Result<ExitCode> {
    match command {
        VocabCommand::Import { registry, org, scheme, title_vi, title_en, version, file } => {
            let registry = registry.open()?;
            let standards = Standards::attach(&registry);
            let data = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
            let owner = registry.org_iri(org);
            if registry.id_of(owner.as_str()).is_none() {
                bail!("no organisation {org}: add it with `danhmuc org add`");
            }
            let import = CsvImport {
                scheme,
                data: &data,
                title_vi: title_vi.clone(),
                title_en: title_en.clone(),
                version: version.clone(),
                owner: Some(owner),
            };
            let start = std::time::Instant::now();
            let outcome = standards
                .import_csv(&registry, &Principal::system(), &import)
                .map_err(|e| anyhow!("{}: {e}", file.display()))?;
            registry.store().flush()?;
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "{} record {} (version {}, status {}) in {:.2} s",
                if outcome.created {
                    "created"
                } else if outcome.changed {
                    "updated"
                } else {
                    "unchanged"
                },
                outcome.record.id,
                outcome.record.version(),
                outcome.record.status,
                start.elapsed().as_secs_f64()
            )?;
            for f in &outcome.findings {
                writeln!(out, "{}: {}", if f.error { "error" } else { "warning" }, f.message)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        VocabCommand::Export { registry, scheme, version, format } => {
            let registry = registry.open()?;
            let standards = Standards::attach(&registry);
            let viewer = crate::store::Viewer::Staff;
            let key = scheme.strip_prefix(&format!("{}def/", registry.base())).unwrap_or(scheme);
            let record = match registry.id_of(scheme) {
                Some(id) => registry.get(&id, &viewer)?,
                None => standards.record(&registry, &viewer, key)?,
            };
            let n = match version {
                Some(v) => standards.version_number(&registry, &record, v)?,
                None => record.version(),
            };
            let loaded = standards.load(&registry, &record, n)?;
            let mut out = std::io::stdout().lock();
            if format == "csv" {
                out.write_all(&tabular::export(&loaded.scheme)?)?;
            } else {
                let rdf = crate::rdf::io::format_from_name(format)
                    .ok_or_else(|| anyhow!("unknown format {format:?}: use csv, ttl, jsonld, rdf or nt"))?;
                crate::rdf::io::write_triples(rdf, &loaded.triples, &mut out)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
