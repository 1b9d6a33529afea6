//! danhmuc's integration tests: one test binary (one link step) with a module per area. Servers are
//! the real `danhmuc` binary on `127.0.0.1:0` with a store in a temp dir; clients are real HTTP clients.

mod browser;
mod cli;
mod clients;
mod common;
mod dcat_ap;
mod feed;
mod harvest;
mod portal;
mod quality;
mod registry;
mod search;
mod shacl_w3c;
mod sparql;
mod standards;
mod standards_browse;
mod standards_model;
mod validate;
