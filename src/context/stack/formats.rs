//! Reading the file formats manifests are written in (TOML with spans, JSON
//! with key lines) into dependencies, for every ecosystem.

use crate::context::facts::{Fact, Facts};
use crate::context::model::{DepSource, Dependency, SourceKind};
use crate::context::platform::toml_problem;
use crate::context::problem;
use crate::source::text::LineIndex;
use std::collections::BTreeMap;
use toml::de::{DeTable, DeValue};

pub(super) fn dep(name: &str, version: Option<String>, dev: bool, line: u32) -> Dependency {
    Dependency {
        name: name.to_string(),
        version: version.filter(|v| !v.is_empty()),
        dev,
        line,
        source: None,
    }
}

/// A dependency with the source it is taken from.
pub(super) fn sourced(mut d: Dependency, kind: SourceKind, spec: &str, line: u32) -> Dependency {
    d.source = Some(DepSource {
        kind,
        spec: spec.to_string(),
        line,
        file: String::new(),
    });
    d
}

/// The source a TOML dependency table names: `git = "…"` (Cargo, Poetry,
/// Pipfile, uv), `path = "…"`, `url = "…"` (Poetry, uv) or `file = "…"`
/// (Pipfile), with the line of that key.
pub(super) fn toml_source(t: &DeTable<'_>, idx: &LineIndex) -> Option<(SourceKind, String, u32)> {
    for (key, kind) in [
        ("git", SourceKind::Git),
        ("path", SourceKind::Path),
        ("url", SourceKind::Url),
        ("file", SourceKind::Url),
    ] {
        if let Some(v) = toml_get(t, key) {
            if let Some(s) = toml_str(v.get_ref()) {
                // Pipfile's `file = "./pkg"` and `url = "file:…"` are paths.
                let kind = if kind == SourceKind::Url && !s.contains("://") {
                    SourceKind::Path
                } else {
                    kind
                };
                return Some((kind, s.to_string(), idx.line(v.span().start)));
            }
        }
    }
    None
}

pub(super) fn toml_str<'a>(v: &'a DeValue<'_>) -> Option<&'a str> {
    v.as_str()
}

pub(super) fn toml_get<'a, 'i>(
    table: &'a DeTable<'i>,
    key: &str,
) -> Option<&'a toml::Spanned<DeValue<'i>>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(_, v)| v)
}

pub(super) fn toml_table<'a, 'i>(table: &'a DeTable<'i>, path: &[&str]) -> Option<&'a DeTable<'i>> {
    let mut current = table;
    for key in path {
        current = toml_get(current, key)?.get_ref().as_table()?;
    }
    Some(current)
}

/// Dependencies from a TOML table of `name = "version"` or `name = { version = … }`.
pub(super) fn toml_deps(
    table: &DeTable<'_>,
    idx: &LineIndex,
    dev: bool,
    skip: &[&str],
) -> Vec<Dependency> {
    table
        .iter()
        .filter(|(k, _)| !skip.contains(&k.get_ref().as_ref()))
        .map(|(k, v)| {
            let version = match v.get_ref() {
                DeValue::String(s) => Some(s.to_string()),
                DeValue::Table(t) => toml_get(t, "version")
                    .and_then(|v| toml_str(v.get_ref()))
                    .map(str::to_string),
                _ => None,
            };
            let name = match v.get_ref() {
                // `alias = { package = "real-name" }`
                DeValue::Table(t) => toml_get(t, "package")
                    .and_then(|p| toml_str(p.get_ref()))
                    .unwrap_or(k.get_ref())
                    .to_string(),
                _ => k.get_ref().to_string(),
            };
            let d = dep(&name, version, dev, idx.line(k.span().start));
            match v.get_ref() {
                DeValue::Table(t) => match toml_source(t, idx) {
                    Some((kind, spec, line)) => sourced(d, kind, &spec, line),
                    None => d,
                },
                _ => d,
            }
        })
        .collect()
}

pub(super) fn parse_toml<'i>(path: &str, text: &'i str, facts: &mut Facts) -> Option<DeTable<'i>> {
    match DeTable::parse(text) {
        Ok(t) => Some(t.into_inner()),
        Err(e) => {
            facts.push(Fact::Problem(toml_problem(path, text, &e)));
            None
        }
    }
}

/// Line of `"key":` at or after `from` (1-based), for dependency positions.
pub(super) fn json_key_line(lines: &[&str], key: &str, from: usize) -> u32 {
    let needle = format!("\"{key}\"");
    lines
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, l)| l.contains(&needle))
        .map_or(0, |(i, _)| i as u32 + 1)
}

pub(super) fn json_deps(
    value: &serde_json::Value,
    lines: &[&str],
    section: &str,
    dev: bool,
    skip: fn(&str) -> bool,
) -> Vec<Dependency> {
    let Some(obj) = value.get(section).and_then(|v| v.as_object()) else {
        return Vec::new();
    };
    let start = json_key_line(lines, section, 0) as usize;
    obj.iter()
        .filter(|(k, _)| !skip(k))
        .map(|(k, v)| {
            let line = json_key_line(lines, k, start.saturating_sub(1));
            dep(k, v.as_str().map(str::to_string), dev, line)
        })
        .collect()
}

pub(super) fn parse_json(path: &str, text: &str, facts: &mut Facts) -> Option<serde_json::Value> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) if v.is_object() => Some(v),
        Ok(_) => {
            facts.push(Fact::Problem(problem(
                path,
                1,
                1,
                "manifest is not a JSON object".to_string(),
            )));
            None
        }
        Err(e) => {
            facts.push(Fact::Problem(problem(
                path,
                e.line() as u32,
                e.column() as u32,
                format!("invalid JSON: {e}"),
            )));
            None
        }
    }
}

pub(super) fn json_scripts(value: &serde_json::Value) -> BTreeMap<String, String> {
    value
        .get("scripts")
        .and_then(|s| s.as_object())
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| {
                    let cmd = match v {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Array(a) => a
                            .iter()
                            .filter_map(|x| x.as_str())
                            .collect::<Vec<_>>()
                            .join(" && "),
                        _ => return None,
                    };
                    Some((k.clone(), cmd))
                })
                .collect()
        })
        .unwrap_or_default()
}
