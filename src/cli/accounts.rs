//! `danhmuc org …` and `danhmuc token …`: bootstrap organisations and tokens on a store no server holds.

use super::DataArgs;
use crate::config::normalize_base_url;
use crate::rdf::ns::dm;
use crate::registry::accounts::{NewOrg, OrgType};
use crate::registry::kind::Kind;
use crate::registry::tokens::Role;
use crate::registry::{Principal, Registry};
use crate::store::Store;
use anyhow::{Context as _, anyhow};
use clap::Subcommand;
use std::io::Write;
use std::process::ExitCode;

/// The store and the base URL its IRIs use.
#[derive(Debug, clap::Args)]
pub struct RegistryArgs {
    #[command(flatten)]
    pub(super) data: DataArgs,
    /// Base URL of the registry's IRIs [default: the one the server last ran with, else http://127.0.0.1:8080/].
    #[arg(long, env = "DANHMUC_BASE_URL", value_name = "URL")]
    base_url: Option<String>,
}

impl RegistryArgs {
    pub(super) fn open(&self) -> anyhow::Result<Registry> {
        let store = Store::open(&self.data.data)?;
        let base = match &self.base_url {
            Some(url) => normalize_base_url(url).map_err(anyhow::Error::msg)?,
            None => store.setting(dm::BASE_URL)?.unwrap_or_else(|| "http://127.0.0.1:8080/".to_owned()),
        };
        crate::vocabulary::sync_bundled(&store)?;
        Ok(Registry::open(store, &base)?)
    }
}

/// `org` subcommands.
#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Register an organisation (a publisher).
    Add {
        #[command(flatten)]
        registry: RegistryArgs,
        /// Its id (lowercase letters, digits, hyphens): its IRI is {base}publisher/{id}.
        id: String,
        /// Name in Vietnamese.
        #[arg(long)]
        name_vi: String,
        /// Name in English.
        #[arg(long)]
        name_en: String,
        /// Kind of organisation.
        #[arg(long = "type", default_value = "other", value_parser = ["ministry", "province", "enterprise", "standards-body", "other"])]
        org_type: String,
        /// Home page.
        #[arg(long)]
        homepage: Option<String>,
        /// Contact e-mail.
        #[arg(long)]
        email: Option<String>,
    },
    /// List organisations.
    List {
        #[command(flatten)]
        registry: RegistryArgs,
    },
    /// Show one organisation's RDF.
    Show {
        #[command(flatten)]
        registry: RegistryArgs,
        /// Its id.
        id: String,
    },
}

/// `token` subcommands.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make an API token; prints the token alone, once (only its salted hash is kept).
    Create {
        #[command(flatten)]
        registry: RegistryArgs,
        /// The organisation (required for publishers).
        #[arg(long)]
        org: Option<String>,
        /// What the token may do.
        #[arg(long, value_parser = ["publisher", "steward", "admin"])]
        role: String,
        /// A label for people.
        #[arg(long)]
        label: Option<String>,
        /// For stewards: the record types they review (repeatable; all when absent).
        #[arg(long = "scope", value_name = "TYPE")]
        scope: Vec<String>,
    },
    /// List tokens (never their secrets).
    List {
        #[command(flatten)]
        registry: RegistryArgs,
    },
    /// Revoke a token by its id.
    Revoke {
        #[command(flatten)]
        registry: RegistryArgs,
        /// The token's id (the part after `dmk_`).
        id: String,
    },
}

pub fn run_org(command: &OrgCommand) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match command {
        OrgCommand::Add { registry, id, name_vi, name_en, org_type, homepage, email } => {
            let registry = registry.open()?;
            let org = NewOrg {
                id: id.clone(),
                name_vi: name_vi.clone(),
                name_en: name_en.clone(),
                org_type: org_type.parse::<OrgType>().map_err(anyhow::Error::msg)?,
                homepage: homepage.clone(),
                email: email.clone(),
            };
            let outcome = registry.add_org(&Principal::system(), &org)?;
            registry.store().flush()?;
            writeln!(out, "{}", outcome.record.iri.as_str())?;
        }
        OrgCommand::List { registry } => {
            for org in registry.open()?.orgs() {
                writeln!(out, "{}\t{}", org.id, org.iri.as_str())?;
            }
        }
        OrgCommand::Show { registry, id } => {
            let registry = registry.open()?;
            let record = registry.get(
                &registry
                    .id_of(registry.org_iri(id).as_str())
                    .ok_or_else(|| anyhow!("no organisation {id}"))?,
                &crate::store::Viewer::Operator,
            )?;
            crate::rdf::io::write_triples(
                oxigraph::io::RdfFormat::Turtle,
                &registry.content(&record)?,
                &mut out,
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_token(command: &TokenCommand) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match command {
        TokenCommand::Create { registry, org, role, label, scope } => {
            let registry = registry.open()?;
            let role: Role = role.parse().map_err(anyhow::Error::msg)?;
            let scope = scope
                .iter()
                .map(|s| s.parse::<Kind>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(anyhow::Error::msg)?;
            let (token, _) = registry.create_token(
                &Principal::system(),
                role,
                org.as_deref(),
                label.as_deref(),
                &scope,
            )?;
            registry.store().flush()?;
            writeln!(out, "{token}")?;
        }
        TokenCommand::List { registry } => {
            for token in registry.open()?.tokens()? {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}{}",
                    token.id,
                    token.role,
                    token.org.as_ref().map_or("-", |o| o.as_str()),
                    token.created,
                    token.label.as_deref().unwrap_or(""),
                    if token.revoked { "\trevoked" } else { "" }
                )?;
            }
        }
        TokenCommand::Revoke { registry, id } => {
            let registry = registry.open()?;
            registry
                .revoke_token(&Principal::system(), id)
                .with_context(|| format!("cannot revoke token {id}"))?;
            registry.store().flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
