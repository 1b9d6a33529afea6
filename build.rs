//! Embeds the bundled files (`vocab/`, `shapes/`, `demo/`, `templates/`, `static/`, `i18n/`) into the binary, so
//! that `danhmuc` stays one file: generates `$OUT_DIR/bundled.rs` with one `(name, content)` table per
//! directory, in file-name order.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut code = String::new();
    for (constant, dir, extensions) in [
        ("VOCAB_FILES", "vocab", &["ttl"][..]),
        ("SHAPES_FILES", "shapes", &["ttl"][..]),
        ("DEMO_FILES", "demo", &["trig"][..]),
        ("TEMPLATE_FILES", "templates", &["html", "xml", "txt"][..]),
        ("STATIC_FILES", "static", &["css", "js", "svg", "png", "ico", "txt"][..]),
        ("I18N_FILES", "i18n", &["json"][..]),
    ] {
        let path = Path::new(&root).join(dir);
        println!("cargo::rerun-if-changed={}", path.display());
        let mut files = Vec::new();
        collect(&path, &path, extensions, &mut files);
        files.sort();
        writeln!(code, "/// Files bundled from `{dir}/`: (path relative to it, content).").unwrap();
        writeln!(code, "pub const {constant}: &[(&str, &str)] = &[").unwrap();
        for (relative, absolute) in files {
            writeln!(code, "    ({relative:?}, include_str!({absolute:?})),").unwrap();
        }
        writeln!(code, "];").unwrap();
    }
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("bundled.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}

fn collect(base: &Path, dir: &Path, extensions: &[&str], files: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(base, &path, extensions, files);
        } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| extensions.contains(&e)) {
            let relative = path.strip_prefix(base).expect("below base").to_string_lossy().replace('\\', "/");
            files.push((relative, path.to_string_lossy().into_owned()));
        }
    }
}
