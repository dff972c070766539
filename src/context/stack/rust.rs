//! Rust: `Cargo.toml` (dependencies of every kind and target, features that
//! pick a database driver) and the cargo commands CI runs.

use super::formats::{parse_toml, toml_deps, toml_get, toml_str, toml_table};
use super::{has, CommandContext, Ecosystem, Features, Manifest};
use crate::context::facts::Facts;
use crate::context::model::{Evidence, StackCommands};
use crate::context::services;
use crate::model::Location;
use crate::source::text::LineIndex;
use toml::de::DeTable;

pub static ECOSYSTEM: Ecosystem = Ecosystem {
    id: "rust",
    manifest,
    parse: cargo,
    lockfiles: &[],
    default_package_manager: None,
    framework,
    commands,
    label: |_| "Rust",
    version_files: &[],
    dependabot: |_| Some("cargo"),
    vulnerability_scan: |_, _| Some(format!("cargo install --locked cargo-audit@{CARGO_AUDIT}\ncargo audit")),
};

/// cargo-audit release the rendered scan installs (pinned, `--locked`).
const CARGO_AUDIT: &str = "0.21.2";


fn manifest(name: &str) -> Option<u8> {
    (name == "Cargo.toml").then_some(0)
}

fn cargo(
    path: &str,
    text: &str,
    mut m: Manifest,
    facts: &mut Facts,
    features: &mut Features,
) -> Option<Manifest> {
    let doc = parse_toml(path, text, facts)?;
    let idx = LineIndex::new(text);
    m.name = toml_table(&doc, &["package"])
        .and_then(|p| toml_get(p, "name"))
        .and_then(|n| toml_str(n.get_ref()))
        .map(str::to_string);
    let mut tables: Vec<(&DeTable<'_>, bool)> = Vec::new();
    for (key, dev) in [
        ("dependencies", false),
        ("dev-dependencies", true),
        ("build-dependencies", true),
    ] {
        if let Some(t) = toml_table(&doc, &[key]) {
            tables.push((t, dev));
        }
        if let Some(t) = toml_table(&doc, &["workspace", key]) {
            tables.push((t, dev));
        }
    }
    if let Some(targets) = toml_table(&doc, &["target"]) {
        for (_, target) in targets.iter() {
            if let Some(t) = target.get_ref().as_table() {
                for (key, dev) in [("dependencies", false), ("dev-dependencies", true)] {
                    if let Some(d) = toml_get(t, key).and_then(|d| d.get_ref().as_table()) {
                        tables.push((d, dev));
                    }
                }
            }
        }
    }
    for (table, dev) in tables {
        m.dependencies.extend(toml_deps(table, &idx, dev, &[]));
        // Features that select a database driver (`sqlx = { features = ["postgres"] }`).
        for (k, v) in table.iter() {
            let Some(t) = v.get_ref().as_table() else {
                continue;
            };
            let Some(list) = toml_get(t, "features").and_then(|f| f.get_ref().as_array()) else {
                continue;
            };
            for feature in list.iter() {
                let Some(f) = feature.get_ref().as_str() else {
                    continue;
                };
                for def in services::match_feature(k.get_ref(), f) {
                    features.push((
                        def.id,
                        Evidence {
                            location: Location::new(path, idx.line(k.span().start), 0),
                            via: format!("dependency \"{}\" (feature {f})", k.get_ref()),
                        },
                    ));
                }
            }
        }
    }
    m.package_manager = Some("cargo".to_string());
    Some(m)
}

fn framework(n: &str) -> Option<&'static str> {
    Some(match n {
            "axum" => "axum",
            "actix-web" => "actix-web",
            "rocket" => "rocket",
            "warp" => "warp",
            _ => return None,
        })
}

fn commands(c: &CommandContext<'_>) -> StackCommands {
    StackCommands {
            install: None,
            build: Some(if has(c.files, c.dir, "Cargo.lock") {
                "cargo build --locked --all-targets".to_string()
            } else {
                "cargo build --all-targets".to_string()
            }),
            lint: Some("cargo clippy --all-targets -- -D warnings".to_string()),
            typecheck: None,
            test: Some("cargo test".to_string()),
        }
}

