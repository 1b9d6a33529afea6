//! Files embedded in the binary at build time by `build.rs`: bundled vocabularies, SHACL profiles,
//! demo content, templates and static assets.

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// Finds a bundled file by its path relative to its directory.
pub fn find(files: &'static [(&'static str, &'static str)], name: &str) -> Option<&'static str> {
    files.iter().find(|(n, _)| *n == name).map(|(_, content)| *content)
}
