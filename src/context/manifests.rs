//! Language manifests (Cargo.toml, package.json, pyproject.toml,
//! requirements*.txt, Pipfile, go.mod, Gemfile, composer.json, pom.xml,
//! build.gradle) → stacks: dependencies with lines, frameworks, scripts, and
//! the install/build/lint/typecheck/test commands the repo would use in CI.

use super::model::{Dependency, Evidence, Stack, StackCommands};
use super::platform::toml_problem;
use super::{problem, services, FileFacts};
use crate::model::{Language, Location};
use crate::source::text::{file_name, parent, re, LineIndex};
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;
use toml::de::{DeTable, DeValue};

/// One manifest's facts; manifests of one language in one folder merge into a [`Stack`].
#[derive(Debug, Clone)]
pub struct Manifest {
    pub language: Language,
    pub path: String,
    pub dir: String,
    pub name: Option<String>,
    pub dependencies: Vec<Dependency>,
    pub scripts: BTreeMap<String, String>,
    /// A package manager the manifest itself names (`packageManager`, `[tool.poetry]`).
    pub package_manager: Option<String>,
    /// Which manifest names the stack when several share a folder (lower wins).
    pub rank: u8,
    /// Extra facts the command derivation needs (Gradle wrapper, Maven, …).
    pub build_tool: Option<String>,
}

pub fn is_manifest(name: &str) -> bool {
    matches!(
        name,
        "Cargo.toml"
            | "package.json"
            | "pyproject.toml"
            | "Pipfile"
            | "setup.py"
            | "go.mod"
            | "Gemfile"
            | "composer.json"
            | "pom.xml"
            | "build.gradle"
            | "build.gradle.kts"
    ) || is_requirements(name)
}

fn is_requirements(name: &str) -> bool {
    name.starts_with("requirements") && name.ends_with(".txt")
}

pub fn analyze(path: &str, text: &str, facts: &mut FileFacts) {
    let name = file_name(path);
    let dir = parent(path).to_string();
    let m = |language, rank| Manifest {
        language,
        path: path.to_string(),
        dir: dir.clone(),
        name: None,
        dependencies: Vec::new(),
        scripts: BTreeMap::new(),
        package_manager: None,
        rank,
        build_tool: None,
    };
    let mut feature_evidence: Vec<(&'static str, Evidence)> = Vec::new();
    let manifest = match name {
        "Cargo.toml" => cargo(
            path,
            text,
            m(Language::Rust, 0),
            facts,
            &mut feature_evidence,
        ),
        "package.json" => package_json(path, text, m(Language::Node, 0), facts),
        "pyproject.toml" => pyproject(path, text, m(Language::Python, 0), facts),
        "Pipfile" => pipfile(path, text, m(Language::Python, 1), facts),
        "setup.py" => Some(m(Language::Python, 3)),
        "go.mod" => Some(go_mod(text, m(Language::Go, 0))),
        "Gemfile" => Some(gemfile(text, m(Language::Ruby, 0))),
        "composer.json" => composer(path, text, m(Language::Php, 0), facts),
        "pom.xml" => Some(pom(text, m(Language::Java, 0))),
        "build.gradle" | "build.gradle.kts" => Some(gradle(text, m(Language::Java, 1))),
        n if is_requirements(n) => Some(requirements(
            path,
            text,
            m(Language::Python, 2),
            &mut feature_evidence,
        )),
        _ => None,
    };
    let Some(manifest) = manifest else { return };
    for dep in &manifest.dependencies {
        for def in services::match_dependency(&dep.name) {
            facts.services.push((
                def.id,
                Evidence {
                    location: Location::new(path, dep.line, 0),
                    via: format!("dependency \"{}\"", dep.name),
                },
            ));
        }
    }
    facts.services.extend(feature_evidence);
    facts.manifest = Some(manifest);
}

fn dep(name: &str, version: Option<String>, dev: bool, line: u32) -> Dependency {
    Dependency {
        name: name.to_string(),
        version: version.filter(|v| !v.is_empty()),
        dev,
        line,
    }
}

// ---------------------------------------------------------------- TOML-based

fn toml_str<'a>(v: &'a DeValue<'_>) -> Option<&'a str> {
    v.as_str()
}

fn toml_get<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a toml::Spanned<DeValue<'i>>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(_, v)| v)
}

fn toml_table<'a, 'i>(table: &'a DeTable<'i>, path: &[&str]) -> Option<&'a DeTable<'i>> {
    let mut current = table;
    for key in path {
        current = toml_get(current, key)?.get_ref().as_table()?;
    }
    Some(current)
}

/// Dependencies from a TOML table of `name = "version"` or `name = { version = … }`.
fn toml_deps(table: &DeTable<'_>, idx: &LineIndex, dev: bool, skip: &[&str]) -> Vec<Dependency> {
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
            dep(&name, version, dev, idx.line(k.span().start))
        })
        .collect()
}

fn parse_toml<'i>(path: &str, text: &'i str, facts: &mut FileFacts) -> Option<DeTable<'i>> {
    match DeTable::parse(text) {
        Ok(t) => Some(t.into_inner()),
        Err(e) => {
            facts.problems.push(toml_problem(path, text, &e));
            None
        }
    }
}

fn cargo(
    path: &str,
    text: &str,
    mut m: Manifest,
    facts: &mut FileFacts,
    features: &mut Vec<(&'static str, Evidence)>,
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

fn pyproject(path: &str, text: &str, mut m: Manifest, facts: &mut FileFacts) -> Option<Manifest> {
    let doc = parse_toml(path, text, facts)?;
    let idx = LineIndex::new(text);
    let project = toml_table(&doc, &["project"]);
    let poetry = toml_table(&doc, &["tool", "poetry"]);
    m.name = project
        .and_then(|p| toml_get(p, "name"))
        .or_else(|| poetry.and_then(|p| toml_get(p, "name")))
        .and_then(|n| toml_str(n.get_ref()))
        .map(str::to_string);
    let pep508 = |v: &toml::Spanned<DeValue<'_>>, dev: bool| -> Option<Dependency> {
        let spec = v.get_ref().as_str()?;
        let (name, version) = split_requirement(spec)?;
        Some(dep(&name, version, dev, idx.line(v.span().start)))
    };
    if let Some(project) = project {
        if let Some(list) = toml_get(project, "dependencies").and_then(|d| d.get_ref().as_array()) {
            m.dependencies
                .extend(list.iter().filter_map(|v| pep508(v, false)));
        }
        if let Some(groups) =
            toml_get(project, "optional-dependencies").and_then(|d| d.get_ref().as_table())
        {
            for (_, list) in groups.iter() {
                if let Some(list) = list.get_ref().as_array() {
                    m.dependencies
                        .extend(list.iter().filter_map(|v| pep508(v, true)));
                }
            }
        }
        if let Some(scripts) = toml_get(project, "scripts").and_then(|s| s.get_ref().as_table()) {
            for (k, v) in scripts.iter() {
                if let Some(s) = v.get_ref().as_str() {
                    m.scripts.insert(k.get_ref().to_string(), s.to_string());
                }
            }
        }
    }
    if let Some(groups) = toml_table(&doc, &["dependency-groups"]) {
        for (_, list) in groups.iter() {
            if let Some(list) = list.get_ref().as_array() {
                m.dependencies
                    .extend(list.iter().filter_map(|v| pep508(v, true)));
            }
        }
    }
    if let Some(poetry) = poetry {
        m.package_manager = Some("poetry".to_string());
        if let Some(t) = toml_get(poetry, "dependencies").and_then(|d| d.get_ref().as_table()) {
            m.dependencies
                .extend(toml_deps(t, &idx, false, &["python"]));
        }
        if let Some(t) = toml_get(poetry, "dev-dependencies").and_then(|d| d.get_ref().as_table()) {
            m.dependencies.extend(toml_deps(t, &idx, true, &["python"]));
        }
        if let Some(groups) = toml_get(poetry, "group").and_then(|g| g.get_ref().as_table()) {
            for (_, g) in groups.iter() {
                if let Some(t) = g
                    .get_ref()
                    .as_table()
                    .and_then(|g| toml_get(g, "dependencies"))
                    .and_then(|d| d.get_ref().as_table())
                {
                    m.dependencies.extend(toml_deps(t, &idx, true, &["python"]));
                }
            }
        }
        if let Some(scripts) = toml_get(poetry, "scripts").and_then(|s| s.get_ref().as_table()) {
            for (k, v) in scripts.iter() {
                if let Some(s) = v.get_ref().as_str() {
                    m.scripts.insert(k.get_ref().to_string(), s.to_string());
                }
            }
        }
    }
    if toml_table(&doc, &["tool", "uv"]).is_some() {
        m.package_manager.get_or_insert_with(|| "uv".to_string());
    }
    if toml_table(&doc, &["tool", "pdm"]).is_some() {
        m.package_manager.get_or_insert_with(|| "pdm".to_string());
    }
    // Tools configured in pyproject count as used even when not declared as deps.
    for tool in ["ruff", "mypy", "pytest", "black", "pyright"] {
        let configured = toml_table(&doc, &["tool", tool]).is_some()
            || (tool == "pytest" && toml_table(&doc, &["tool", "pytest", "ini_options"]).is_some());
        if configured && !m.dependencies.iter().any(|d| normalize_py(&d.name) == tool) {
            m.build_tool = Some(match m.build_tool.take() {
                Some(t) => format!("{t},{tool}"),
                None => tool.to_string(),
            });
        }
    }
    Some(m)
}

fn pipfile(path: &str, text: &str, mut m: Manifest, facts: &mut FileFacts) -> Option<Manifest> {
    let doc = parse_toml(path, text, facts)?;
    let idx = LineIndex::new(text);
    if let Some(t) = toml_table(&doc, &["packages"]) {
        m.dependencies.extend(toml_deps(t, &idx, false, &[]));
    }
    if let Some(t) = toml_table(&doc, &["dev-packages"]) {
        m.dependencies.extend(toml_deps(t, &idx, true, &[]));
    }
    for d in &mut m.dependencies {
        if d.version.as_deref() == Some("*") {
            d.version = None;
        }
    }
    if let Some(t) = toml_table(&doc, &["scripts"]) {
        for (k, v) in t.iter() {
            if let Some(s) = v.get_ref().as_str() {
                m.scripts.insert(k.get_ref().to_string(), s.to_string());
            }
        }
    }
    m.package_manager = Some("pipenv".to_string());
    Some(m)
}

// ---------------------------------------------------------------- Python text

static REQUIREMENT: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*([^;#]*)"));

/// `fastapi[all]>=0.110 ; python_version > "3.8"` → (`fastapi`, `>=0.110`).
fn split_requirement(spec: &str) -> Option<(String, Option<String>)> {
    let caps = REQUIREMENT.captures(spec)?;
    let name = caps.get(1)?.as_str().to_string();
    let version = caps.get(3).map(|v| v.as_str().trim().to_string());
    Some((name, version))
}

fn normalize_py(name: &str) -> String {
    name.to_ascii_lowercase().replace(['_', '.'], "-")
}

fn requirements(
    path: &str,
    text: &str,
    mut m: Manifest,
    features: &mut Vec<(&'static str, Evidence)>,
) -> Manifest {
    let lower = file_name(path).to_ascii_lowercase();
    let dev = ["dev", "test", "lint", "ci", "doc"]
        .iter()
        .any(|w| lower.contains(w));
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with('-') || t.contains("://") {
            continue;
        }
        let Some(caps) = REQUIREMENT.captures(t) else {
            continue;
        };
        let Some(name) = caps.get(1) else { continue };
        let line_no = i as u32 + 1;
        if let Some(extras) = caps.get(2) {
            for extra in extras.as_str().split(',') {
                for def in services::match_feature(&normalize_py(name.as_str()), extra.trim()) {
                    features.push((
                        def.id,
                        Evidence {
                            location: Location::new(path, line_no, 0),
                            via: format!("dependency \"{}[{}]\"", name.as_str(), extra.trim()),
                        },
                    ));
                }
            }
        }
        let version = caps.get(3).map(|v| v.as_str().trim().to_string());
        m.dependencies
            .push(dep(name.as_str(), version, dev, line_no));
    }
    m
}

// ---------------------------------------------------------------- JSON-based

/// Line of `"key":` at or after `from` (1-based), for dependency positions.
fn json_key_line(lines: &[&str], key: &str, from: usize) -> u32 {
    let needle = format!("\"{key}\"");
    lines
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, l)| l.contains(&needle))
        .map_or(0, |(i, _)| i as u32 + 1)
}

fn json_deps(
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

fn parse_json(path: &str, text: &str, facts: &mut FileFacts) -> Option<serde_json::Value> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) if v.is_object() => Some(v),
        Ok(_) => {
            facts.problems.push(problem(
                path,
                1,
                1,
                "manifest is not a JSON object".to_string(),
            ));
            None
        }
        Err(e) => {
            facts.problems.push(problem(
                path,
                e.line() as u32,
                e.column() as u32,
                format!("invalid JSON: {e}"),
            ));
            None
        }
    }
}

fn json_scripts(value: &serde_json::Value) -> BTreeMap<String, String> {
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

fn package_json(
    path: &str,
    text: &str,
    mut m: Manifest,
    facts: &mut FileFacts,
) -> Option<Manifest> {
    let v = parse_json(path, text, facts)?;
    let lines: Vec<&str> = text.lines().collect();
    m.name = v.get("name").and_then(|n| n.as_str()).map(str::to_string);
    m.dependencies
        .extend(json_deps(&v, &lines, "dependencies", false, |_| false));
    m.dependencies
        .extend(json_deps(&v, &lines, "devDependencies", true, |_| false));
    m.dependencies
        .extend(json_deps(&v, &lines, "optionalDependencies", false, |_| {
            false
        }));
    m.scripts = json_scripts(&v);
    m.package_manager = v
        .get("packageManager")
        .and_then(|p| p.as_str())
        .and_then(|p| p.split('@').next())
        .filter(|p| matches!(*p, "npm" | "pnpm" | "yarn" | "bun"))
        .map(str::to_string);
    Some(m)
}

fn composer(path: &str, text: &str, mut m: Manifest, facts: &mut FileFacts) -> Option<Manifest> {
    let v = parse_json(path, text, facts)?;
    let lines: Vec<&str> = text.lines().collect();
    let platform = |k: &str| k == "php" || k.starts_with("ext-") || k.starts_with("lib-");
    m.name = v.get("name").and_then(|n| n.as_str()).map(str::to_string);
    m.dependencies
        .extend(json_deps(&v, &lines, "require", false, platform));
    m.dependencies
        .extend(json_deps(&v, &lines, "require-dev", true, platform));
    m.scripts = json_scripts(&v);
    m.package_manager = Some("composer".to_string());
    Some(m)
}

// ---------------------------------------------------------------- Go, Ruby

static GO_MODULE: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*module\s+(\S+)"));
static GO_REQUIRE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*(?:require\s+)?([A-Za-z0-9][^\s]*\.[^\s]*)\s+(v[^\s]+)(.*)$"));

fn go_mod(text: &str, mut m: Manifest) -> Manifest {
    let mut in_require = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(c) = GO_MODULE.captures(t) {
            m.name = Some(c[1].to_string());
            continue;
        }
        if t.starts_with("require (") || t == "require(" {
            in_require = true;
            continue;
        }
        if in_require && t.starts_with(')') {
            in_require = false;
            continue;
        }
        if !(in_require || t.starts_with("require ")) {
            continue;
        }
        if let Some(c) = GO_REQUIRE.captures(t) {
            if c[3].contains("// indirect") {
                continue;
            }
            m.dependencies
                .push(dep(&c[1], Some(c[2].to_string()), false, i as u32 + 1));
        }
    }
    m.package_manager = Some("go".to_string());
    m
}

static GEM: LazyLock<Regex> =
    LazyLock::new(|| re(r#"^\s*gem\s+["']([^"']+)["'](?:\s*,\s*["']([^"']+)["'])?(.*)$"#));
static GEM_GROUP: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*group\s+(.*?)\s+do\b"));

fn gemfile(text: &str, mut m: Manifest) -> Manifest {
    let mut group_dev: Vec<bool> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(c) = GEM_GROUP.captures(t) {
            group_dev.push(!c[1].contains(":production") && !c[1].contains(":default"));
            continue;
        }
        if t == "end" {
            group_dev.pop();
            continue;
        }
        if let Some(c) = GEM.captures(t) {
            let inline_dev = c.get(3).is_some_and(|r| {
                r.as_str().contains("group:") && !r.as_str().contains(":production")
            });
            let dev = group_dev.last().copied().unwrap_or(false) || inline_dev;
            m.dependencies.push(dep(
                &c[1],
                c.get(2).map(|v| v.as_str().to_string()),
                dev,
                i as u32 + 1,
            ));
        }
    }
    m.package_manager = Some("bundler".to_string());
    m
}

// ---------------------------------------------------------------- JVM

static POM_DEP: LazyLock<Regex> = LazyLock::new(|| re(r"(?s)<dependency>(.*?)</dependency>"));
static POM_PARENT: LazyLock<Regex> = LazyLock::new(|| re(r"(?s)<parent>(.*?)</parent>"));
static XML_COMMENT: LazyLock<Regex> = LazyLock::new(|| re(r"(?s)<!--.*?-->"));
static POM_GROUP: LazyLock<Regex> = LazyLock::new(|| re(r"<groupId>\s*([^<\s]+)\s*</groupId>"));
static POM_ARTIFACT: LazyLock<Regex> =
    LazyLock::new(|| re(r"<artifactId>\s*([^<\s]+)\s*</artifactId>"));
static POM_VERSION: LazyLock<Regex> = LazyLock::new(|| re(r"<version>\s*([^<\s]+)\s*</version>"));
static POM_SCOPE: LazyLock<Regex> = LazyLock::new(|| re(r"<scope>\s*test\s*</scope>"));

fn pom(text: &str, mut m: Manifest) -> Manifest {
    // Blank out comments, keeping offsets (and so line numbers) intact.
    let cleaned = XML_COMMENT.replace_all(text, |c: &regex::Captures<'_>| {
        c[0].chars()
            .map(|ch| if ch == '\n' { '\n' } else { ' ' })
            .collect::<String>()
    });
    let idx = LineIndex::new(&cleaned);
    let without_parent =
        POM_PARENT.replace(&cleaned, |c: &regex::Captures<'_>| " ".repeat(c[0].len()));
    let head_end = without_parent
        .find("<dependencies>")
        .unwrap_or(without_parent.len());
    m.name = POM_ARTIFACT
        .captures(&without_parent[..head_end])
        .map(|c| c[1].to_string());
    for block in POM_DEP.captures_iter(&cleaned) {
        let Some(body) = block.get(1) else { continue };
        let group = POM_GROUP.captures(body.as_str()).map(|c| c[1].to_string());
        let Some(artifact) = POM_ARTIFACT.captures(body.as_str()) else {
            continue;
        };
        let version = POM_VERSION
            .captures(body.as_str())
            .map(|c| c[1].to_string());
        let dev = POM_SCOPE.is_match(body.as_str());
        let name = match group {
            Some(g) => format!("{g}:{}", &artifact[1]),
            None => artifact[1].to_string(),
        };
        let offset = body.start() + artifact.get(0).map_or(0, |a| a.start());
        m.dependencies
            .push(dep(&name, version, dev, idx.line(offset)));
    }
    m.build_tool = Some("maven".to_string());
    m.package_manager = Some("maven".to_string());
    m
}

static GRADLE_DEP: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"^\s*(implementation|api|compileOnly|runtimeOnly|testImplementation|testRuntimeOnly|testCompileOnly|developmentOnly|annotationProcessor|kapt|ksp)\s*\(?\s*["']([^"':\s]+):([^"':\s]+)(?::([^"'\s]+))?["']"#,
    )
});
static GRADLE_SPRING: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?m)^\s*id\s*\(?\s*["']org\.springframework\.boot["']"#));

fn gradle(text: &str, mut m: Manifest) -> Manifest {
    for (i, line) in text.lines().enumerate() {
        if let Some(c) = GRADLE_DEP.captures(line) {
            let dev = c[1].starts_with("test");
            let name = format!("{}:{}", &c[2], &c[3]);
            m.dependencies.push(dep(
                &name,
                c.get(4).map(|v| v.as_str().to_string()),
                dev,
                i as u32 + 1,
            ));
        }
    }
    if let Some(found) = GRADLE_SPRING.find(text) {
        let line = text[..found.start()].matches('\n').count() as u32 + 1;
        m.dependencies
            .push(dep("org.springframework.boot", None, false, line));
    }
    m.build_tool = Some("gradle".to_string());
    m.package_manager = Some("gradle".to_string());
    m
}

// ---------------------------------------------------------------- frameworks

fn framework_of(language: Language, name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let n = lower.as_str();
    Some(match language {
        Language::Node => match n {
            "next" => "next",
            "react" => "react",
            "vue" => "vue",
            "nuxt" => "nuxt",
            "svelte" => "svelte",
            "@sveltejs/kit" => "sveltekit",
            "express" => "express",
            "fastify" => "fastify",
            "@nestjs/core" => "nestjs",
            "koa" => "koa",
            "hono" => "hono",
            "astro" => "astro",
            _ if n.starts_with("@remix-run/") => "remix",
            _ => return None,
        },
        Language::Python => match normalize_py(n).as_str() {
            "django" => "django",
            "flask" => "flask",
            "fastapi" => "fastapi",
            _ => return None,
        },
        Language::Rust => match n {
            "axum" => "axum",
            "actix-web" => "actix-web",
            "rocket" => "rocket",
            "warp" => "warp",
            _ => return None,
        },
        Language::Go => {
            let base = go_module_base(n);
            match base {
                "github.com/gin-gonic/gin" => "gin",
                "github.com/labstack/echo" => "echo",
                "github.com/go-chi/chi" => "chi",
                "github.com/gofiber/fiber" => "fiber",
                _ => return None,
            }
        }
        Language::Ruby => match n {
            "rails" => "rails",
            "sinatra" => "sinatra",
            _ => return None,
        },
        Language::Php => match n {
            "laravel/framework" => "laravel",
            "symfony/framework-bundle" => "symfony",
            _ => return None,
        },
        Language::Java => {
            if n.starts_with("org.springframework.boot") {
                "spring-boot"
            } else {
                return None;
            }
        }
    })
}

/// `github.com/labstack/echo/v4` → `github.com/labstack/echo`.
fn go_module_base(name: &str) -> &str {
    match name.rsplit_once('/') {
        Some((base, last))
            if last.len() >= 2
                && last.starts_with('v')
                && last[1..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            base
        }
        _ => name,
    }
}

// ---------------------------------------------------------------- stacks

/// Merge the manifests of one language in one folder into stacks, with
/// frameworks, package manager (lockfiles from `files`) and CI commands.
pub fn stacks(mut manifests: Vec<Manifest>, files: &[String]) -> Vec<Stack> {
    manifests.sort_by(|a, b| {
        (&a.dir, a.language, a.rank, &a.path).cmp(&(&b.dir, b.language, b.rank, &b.path))
    });
    let mut groups: Vec<Vec<Manifest>> = Vec::new();
    for m in manifests {
        match groups.last_mut() {
            Some(g) if g[0].dir == m.dir && g[0].language == m.language => g.push(m),
            _ => groups.push(vec![m]),
        }
    }
    groups.into_iter().filter_map(|g| stack(g, files)).collect()
}

fn has(files: &[String], dir: &str, name: &str) -> bool {
    let path = if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    };
    files.binary_search(&path).is_ok()
}

fn stack(group: Vec<Manifest>, files: &[String]) -> Option<Stack> {
    let primary = group.first()?.clone();
    let mut dependencies: Vec<Dependency> = Vec::new();
    let mut scripts = BTreeMap::new();
    let mut package_manager = None;
    let mut build_tool: Option<String> = None;
    let mut name = None;
    for m in &group {
        dependencies.extend(m.dependencies.iter().cloned());
        for (k, v) in &m.scripts {
            scripts.entry(k.clone()).or_insert_with(|| v.clone());
        }
        package_manager = package_manager.or_else(|| m.package_manager.clone());
        build_tool = build_tool.or_else(|| m.build_tool.clone());
        name = name.or_else(|| m.name.clone());
    }
    let dir = primary.dir.as_str();
    let lockfile_pm = match primary.language {
        Language::Node => [
            ("pnpm-lock.yaml", "pnpm"),
            ("yarn.lock", "yarn"),
            ("bun.lockb", "bun"),
            ("bun.lock", "bun"),
            ("package-lock.json", "npm"),
            ("npm-shrinkwrap.json", "npm"),
        ]
        .iter()
        .find(|(f, _)| has(files, dir, f))
        .map(|(_, pm)| pm.to_string()),
        Language::Python => [
            ("poetry.lock", "poetry"),
            ("uv.lock", "uv"),
            ("Pipfile.lock", "pipenv"),
            ("pdm.lock", "pdm"),
        ]
        .iter()
        .find(|(f, _)| has(files, dir, f))
        .map(|(_, pm)| pm.to_string()),
        _ => None,
    };
    let package_manager = lockfile_pm
        .or(package_manager)
        .or_else(|| match primary.language {
            Language::Node => Some("npm".to_string()),
            Language::Python => Some("pip".to_string()),
            _ => None,
        });
    let mut frameworks: Vec<String> = dependencies
        .iter()
        .filter(|d| !d.dev)
        .filter_map(|d| framework_of(primary.language, &d.name))
        .map(str::to_string)
        .collect();
    frameworks.sort();
    frameworks.dedup();
    dependencies.sort_by(|a, b| (&a.name, a.dev, a.line).cmp(&(&b.name, b.dev, b.line)));
    dependencies.dedup_by(|a, b| a.name == b.name && a.dev == b.dev);
    let ctx = CommandContext {
        language: primary.language,
        manifest: file_name(&primary.path),
        dir,
        files,
        deps: &dependencies,
        scripts: &scripts,
        pm: package_manager.as_deref().unwrap_or(""),
        tools: build_tool.as_deref().unwrap_or(""),
        group: &group,
    };
    let commands = commands(&ctx);
    Some(Stack {
        language: primary.language,
        manifest: primary.path.clone(),
        dir: primary.dir.clone(),
        name,
        frameworks,
        dependencies,
        scripts,
        package_manager,
        commands,
    })
}

struct CommandContext<'a> {
    language: Language,
    manifest: &'a str,
    dir: &'a str,
    files: &'a [String],
    deps: &'a [Dependency],
    scripts: &'a BTreeMap<String, String>,
    pm: &'a str,
    /// Python tools configured in pyproject; `maven`/`gradle` for Java.
    tools: &'a str,
    group: &'a [Manifest],
}

impl CommandContext<'_> {
    fn dep(&self, name: &str) -> bool {
        let want = normalize_py(name);
        self.deps.iter().any(|d| normalize_py(&d.name) == want)
    }

    fn script<'n>(&self, names: &[&'n str]) -> Option<&'n str> {
        names.iter().copied().find(|n| {
            self.scripts
                .get(*n)
                .is_some_and(|cmd| !cmd.contains("no test specified"))
        })
    }

    fn py_tool(&self, tool: &str) -> bool {
        self.dep(tool) || self.tools.split(',').any(|t| t == tool)
    }
}

fn commands(c: &CommandContext<'_>) -> StackCommands {
    match c.language {
        Language::Node => node_commands(c),
        Language::Python => python_commands(c),
        Language::Rust => StackCommands {
            install: None,
            build: Some(if has(c.files, c.dir, "Cargo.lock") {
                "cargo build --locked --all-targets".to_string()
            } else {
                "cargo build --all-targets".to_string()
            }),
            lint: Some("cargo clippy --all-targets -- -D warnings".to_string()),
            typecheck: None,
            test: Some("cargo test".to_string()),
        },
        Language::Go => StackCommands {
            install: Some("go mod download".to_string()),
            build: Some("go build ./...".to_string()),
            lint: Some(
                if c.dep("github.com/golangci/golangci-lint")
                    || has(c.files, c.dir, ".golangci.yml")
                {
                    "golangci-lint run".to_string()
                } else {
                    "go vet ./...".to_string()
                },
            ),
            typecheck: None,
            test: Some("go test ./...".to_string()),
        },
        Language::Ruby => StackCommands {
            install: Some("bundle install".to_string()),
            build: None,
            lint: c.dep("rubocop").then(|| "bundle exec rubocop".to_string()),
            typecheck: c.dep("sorbet").then(|| "bundle exec srb tc".to_string()),
            test: if c.dep("rspec") || c.dep("rspec-rails") {
                Some("bundle exec rspec".to_string())
            } else if c.dep("rails") {
                Some("bin/rails test".to_string())
            } else {
                None
            },
        },
        Language::Php => {
            let script = |n: &str| {
                c.scripts
                    .contains_key(n)
                    .then(|| format!("composer run-script {n}"))
            };
            StackCommands {
                install: Some("composer install --no-interaction --prefer-dist".to_string()),
                build: None,
                lint: script("lint").or_else(|| {
                    if c.dep("squizlabs/php_codesniffer") {
                        Some("vendor/bin/phpcs".to_string())
                    } else if c.dep("friendsofphp/php-cs-fixer") {
                        Some("vendor/bin/php-cs-fixer fix --dry-run --diff".to_string())
                    } else if c.dep("laravel/pint") {
                        Some("vendor/bin/pint --test".to_string())
                    } else {
                        None
                    }
                }),
                typecheck: if c.dep("phpstan/phpstan") || c.dep("larastan/larastan") {
                    Some("vendor/bin/phpstan analyse".to_string())
                } else if c.dep("vimeo/psalm") {
                    Some("vendor/bin/psalm".to_string())
                } else {
                    None
                },
                test: script("test").or_else(|| {
                    if c.dep("phpunit/phpunit") {
                        Some("vendor/bin/phpunit".to_string())
                    } else if c.dep("pestphp/pest") {
                        Some("vendor/bin/pest".to_string())
                    } else {
                        None
                    }
                }),
            }
        }
        Language::Java => {
            if c.tools == "maven" || c.manifest == "pom.xml" {
                let mvn = if has(c.files, c.dir, "mvnw") {
                    "./mvnw"
                } else {
                    "mvn"
                };
                StackCommands {
                    install: None,
                    build: Some(format!("{mvn} -B package -DskipTests")),
                    lint: None,
                    typecheck: None,
                    test: Some(format!("{mvn} -B test")),
                }
            } else {
                let gradle = if has(c.files, c.dir, "gradlew") {
                    "./gradlew"
                } else {
                    "gradle"
                };
                StackCommands {
                    install: None,
                    build: Some(format!("{gradle} build -x test")),
                    lint: None,
                    typecheck: None,
                    test: Some(format!("{gradle} test")),
                }
            }
        }
    }
}

fn node_commands(c: &CommandContext<'_>) -> StackCommands {
    let pm = if c.pm.is_empty() { "npm" } else { c.pm };
    let lock = |f: &str| has(c.files, c.dir, f);
    let install = match pm {
        "pnpm" => "pnpm install --frozen-lockfile",
        "yarn" if lock("yarn.lock") => "yarn install --frozen-lockfile",
        "bun" => "bun install --frozen-lockfile",
        "npm" if lock("package-lock.json") || lock("npm-shrinkwrap.json") => "npm ci",
        "yarn" => "yarn install",
        _ => "npm install",
    };
    let run = |script: &str| match pm {
        "npm" => format!("npm run {script}"),
        other => format!("{other} run {script}"),
    };
    let exec = |bin: &str| match pm {
        "pnpm" => format!("pnpm exec {bin}"),
        "yarn" => format!("yarn {bin}"),
        "bun" => format!("bunx {bin}"),
        _ => format!("npx {bin}"),
    };
    StackCommands {
        install: Some(install.to_string()),
        build: c.script(&["build"]).map(run),
        lint: c
            .script(&["lint"])
            .map(run)
            .or_else(|| c.dep("eslint").then(|| exec("eslint ."))),
        typecheck: c
            .script(&["typecheck", "type-check", "check-types", "types", "tsc"])
            .map(run)
            .or_else(|| c.dep("typescript").then(|| exec("tsc --noEmit"))),
        test: c.script(&["test"]).map(|_| match pm {
            "npm" => "npm test".to_string(),
            other => format!("{other} test"),
        }),
    }
}

fn python_commands(c: &CommandContext<'_>) -> StackCommands {
    let prefix = match c.pm {
        "poetry" => "poetry run ",
        "uv" => "uv run ",
        "pipenv" => "pipenv run ",
        "pdm" => "pdm run ",
        _ => "",
    };
    let install = match c.pm {
        "poetry" => "poetry install --no-interaction".to_string(),
        "uv" => "uv sync --frozen".to_string(),
        "pipenv" => "pipenv install --dev --deploy".to_string(),
        "pdm" => "pdm install".to_string(),
        _ => {
            let reqs: Vec<&str> = c
                .group
                .iter()
                .filter(|m| is_requirements(file_name(&m.path)))
                .map(|m| file_name(&m.path))
                .collect();
            if !reqs.is_empty() {
                let args: Vec<String> = reqs.iter().map(|r| format!("-r {r}")).collect();
                format!("pip install {}", args.join(" "))
            } else if c
                .group
                .iter()
                .any(|m| file_name(&m.path) == "pyproject.toml")
            {
                "pip install .".to_string()
            } else {
                "pip install -e .".to_string()
            }
        }
    };
    let lint = if c.py_tool("ruff") {
        Some(format!("{prefix}ruff check ."))
    } else if c.py_tool("flake8") {
        Some(format!("{prefix}flake8"))
    } else if c.py_tool("pylint") {
        Some(format!("{prefix}pylint ."))
    } else {
        None
    };
    let typecheck = if c.py_tool("mypy") {
        Some(format!("{prefix}mypy ."))
    } else if c.py_tool("pyright") {
        Some(format!("{prefix}pyright"))
    } else {
        None
    };
    let test = if c.py_tool("pytest") || c.dep("pytest-django") {
        Some(format!("{prefix}pytest"))
    } else if c.dep("django") && has(c.files, c.dir, "manage.py") {
        Some(format!("{prefix}python manage.py test"))
    } else {
        None
    };
    StackCommands {
        install: Some(install),
        build: None,
        lint,
        typecheck,
        test,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(path: &str, text: &str) -> FileFacts {
        let mut f = FileFacts::default();
        analyze(path, text, &mut f);
        f
    }

    fn deps(f: &FileFacts) -> Vec<(String, Option<String>, bool, u32)> {
        f.manifest
            .as_ref()
            .unwrap()
            .dependencies
            .iter()
            .map(|d| (d.name.clone(), d.version.clone(), d.dev, d.line))
            .collect()
    }

    #[test]
    fn package_json_and_node_commands() {
        let text = "{\n  \"name\": \"web\",\n  \"scripts\": {\"build\": \"next build\", \"lint\": \"next lint\", \"test\": \"vitest\"},\n  \"dependencies\": {\n    \"next\": \"14.2.0\",\n    \"pg\": \"^8\",\n    \"@sentry/nextjs\": \"^8\"\n  },\n  \"devDependencies\": {\n    \"typescript\": \"^5\"\n  }\n}\n";
        let f = run("web/package.json", text);
        assert_eq!(
            deps(&f),
            [
                ("@sentry/nextjs".into(), Some("^8".into()), false, 7),
                ("next".into(), Some("14.2.0".into()), false, 5),
                ("pg".into(), Some("^8".into()), false, 6),
                ("typescript".into(), Some("^5".into()), true, 10),
            ]
        );
        let ids: Vec<_> = f.services.iter().map(|s| s.0).collect();
        assert_eq!(ids, ["sentry", "postgresql"]);
        let files = vec![
            "web/package-lock.json".to_string(),
            "web/package.json".to_string(),
        ];
        let stacks = stacks(vec![f.manifest.unwrap()], &files);
        let s = &stacks[0];
        assert_eq!(
            (s.dir.as_str(), s.package_manager.as_deref()),
            ("web", Some("npm"))
        );
        assert_eq!(s.frameworks, ["next"]);
        assert_eq!(s.commands.install.as_deref(), Some("npm ci"));
        assert_eq!(s.commands.lint.as_deref(), Some("npm run lint"));
        assert_eq!(s.commands.typecheck.as_deref(), Some("npx tsc --noEmit"));
        assert_eq!(s.commands.test.as_deref(), Some("npm test"));
    }

    #[test]
    fn default_npm_test_script_is_not_a_test() {
        let f = run(
            "package.json",
            "{\"scripts\": {\"test\": \"echo \\\"Error: no test specified\\\" && exit 1\"}}",
        );
        let s = &stacks(vec![f.manifest.unwrap()], &[])[0];
        assert_eq!(s.commands.test, None);
        assert_eq!(s.commands.install.as_deref(), Some("npm install"));
    }

    #[test]
    fn cargo_with_features() {
        let text = "[package]\nname = \"api\"\n\n[dependencies]\naxum = \"0.7\"\nsqlx = { version = \"0.8\", features = [\"runtime-tokio\", \"postgres\"] }\naws-sdk-s3 = \"1\"\n\n[dev-dependencies]\ninsta = \"1\"\n";
        let f = run("Cargo.toml", text);
        assert_eq!(f.manifest.as_ref().unwrap().name.as_deref(), Some("api"));
        let sqlx = deps(&f).into_iter().find(|d| d.0 == "sqlx").unwrap();
        assert_eq!(sqlx, ("sqlx".into(), Some("0.8".into()), false, 6));
        let ids: Vec<_> = f
            .services
            .iter()
            .map(|s| (s.0, s.1.location.line))
            .collect();
        assert_eq!(ids, [("s3", 7), ("postgresql", 6)]);
        let s = &stacks(vec![f.manifest.unwrap()], &["Cargo.lock".to_string()])[0];
        assert_eq!(s.frameworks, ["axum"]);
        assert_eq!(
            s.commands.build.as_deref(),
            Some("cargo build --locked --all-targets")
        );
    }

    #[test]
    fn python_manifests_merge() {
        let py = "[project]\nname = \"svc\"\ndependencies = [\n  \"fastapi>=0.110\",\n  \"psycopg[binary]>=3\",\n]\n[project.optional-dependencies]\ndev = [\"pytest\", \"ruff\"]\n[tool.mypy]\nstrict = true\n";
        let req = "# comment\n-r base.txt\ncelery[redis]==5.3 ; python_version > '3.8'\ntwilio\ngit+https://x/y.git\n";
        let a = run("pyproject.toml", py).manifest.unwrap();
        let b = run("requirements.txt", req).manifest.unwrap();
        assert_eq!(b.dependencies.len(), 2);
        assert_eq!(b.dependencies[0].line, 3);
        let files = vec!["uv.lock".to_string()];
        let s = &stacks(vec![b, a], &files)[0];
        assert_eq!(s.manifest, "pyproject.toml");
        assert_eq!(s.package_manager.as_deref(), Some("uv"));
        assert_eq!(s.frameworks, ["fastapi"]);
        assert_eq!(s.commands.lint.as_deref(), Some("uv run ruff check ."));
        assert_eq!(s.commands.typecheck.as_deref(), Some("uv run mypy ."));
        assert_eq!(s.commands.test.as_deref(), Some("uv run pytest"));
    }

    #[test]
    fn poetry_pipfile() {
        let py = "[tool.poetry]\nname = \"x\"\n[tool.poetry.dependencies]\npython = \"^3.12\"\ndjango = \"^5\"\n[tool.poetry.group.dev.dependencies]\npytest = \"*\"\n";
        let f = run("pyproject.toml", py);
        assert_eq!(
            deps(&f).iter().map(|d| d.0.as_str()).collect::<Vec<_>>(),
            ["django", "pytest"]
        );
        let s = &stacks(vec![f.manifest.unwrap()], &[])[0];
        assert_eq!(s.package_manager.as_deref(), Some("poetry"));
        assert_eq!(s.commands.test.as_deref(), Some("poetry run pytest"));
        let f = run(
            "Pipfile",
            "[packages]\nflask = \"*\"\n[dev-packages]\nflake8 = \"*\"\n",
        );
        assert_eq!(deps(&f)[0], ("flask".into(), None, false, 2));
    }

    #[test]
    fn go_gem_composer_jvm() {
        let go = "module example.com/api\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgo.mongodb.org/mongo-driver v1.15.0\n\tgolang.org/x/net v0.1.0 // indirect\n)\nrequire github.com/getsentry/sentry-go v0.28.0\n";
        let f = run("go.mod", go);
        assert_eq!(deps(&f).len(), 3);
        assert_eq!(deps(&f)[2].3, 10);
        let s = &stacks(vec![f.manifest.clone().unwrap()], &[])[0];
        assert_eq!(s.frameworks, ["gin"]);
        assert_eq!(s.commands.lint.as_deref(), Some("go vet ./..."));

        let gem = "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngem \"pg\"\ngroup :development, :test do\n  gem 'rspec-rails'\nend\n";
        let f = run("Gemfile", gem);
        assert_eq!(deps(&f)[2], ("rspec-rails".into(), None, true, 5));
        let s = &stacks(vec![f.manifest.unwrap()], &[])[0];
        assert_eq!(s.commands.test.as_deref(), Some("bundle exec rspec"));

        let composer = "{\"name\": \"acme/app\", \"require\": {\"php\": \"^8.2\", \"laravel/framework\": \"^11\"}, \"require-dev\": {\"phpunit/phpunit\": \"^10\"}}";
        let s = &stacks(vec![run("composer.json", composer).manifest.unwrap()], &[])[0];
        assert_eq!(s.frameworks, ["laravel"]);
        assert_eq!(s.dependencies.len(), 2);
        assert_eq!(s.commands.test.as_deref(), Some("vendor/bin/phpunit"));

        let pom = "<project>\n  <parent><artifactId>spring-boot-starter-parent</artifactId></parent>\n  <artifactId>svc</artifactId>\n  <dependencies>\n    <!-- <dependency><artifactId>gone</artifactId></dependency> -->\n    <dependency>\n      <groupId>org.springframework.boot</groupId>\n      <artifactId>spring-boot-starter-web</artifactId>\n    </dependency>\n    <dependency>\n      <groupId>org.postgresql</groupId>\n      <artifactId>postgresql</artifactId>\n      <scope>test</scope>\n    </dependency>\n  </dependencies>\n</project>\n";
        let f = run("pom.xml", pom);
        let m = f.manifest.clone().unwrap();
        assert_eq!(m.name.as_deref(), Some("svc"));
        assert_eq!(
            deps(&f),
            [
                (
                    "org.springframework.boot:spring-boot-starter-web".into(),
                    None,
                    false,
                    8
                ),
                ("org.postgresql:postgresql".into(), None, true, 12),
            ]
        );
        let s = &stacks(vec![m], &["mvnw".to_string()])[0];
        assert_eq!(s.frameworks, ["spring-boot"]);
        assert_eq!(s.commands.test.as_deref(), Some("./mvnw -B test"));

        let gradle = "plugins {\n  id(\"org.springframework.boot\") version \"3.3.0\"\n}\ndependencies {\n  implementation(\"org.springframework.kafka:spring-kafka:3.2.0\")\n  testImplementation 'org.junit.jupiter:junit-jupiter'\n}\n";
        let f = run("build.gradle.kts", gradle);
        assert_eq!(f.services[0].0, "kafka");
        let s = &stacks(vec![f.manifest.unwrap()], &[])[0];
        assert_eq!(s.frameworks, ["spring-boot"]);
        assert_eq!(s.commands.build.as_deref(), Some("gradle build -x test"));
    }

    #[test]
    fn malformed_manifests_are_problems() {
        for (path, text) in [
            ("package.json", "{\"name\": "),
            ("package.json", "[1, 2]"),
            ("Cargo.toml", "[package\nname = 1"),
            ("pyproject.toml", "[project]\ndependencies = [\"x\""),
            ("composer.json", "nope"),
            ("Pipfile", "[[["),
        ] {
            let f = run(path, text);
            assert!(f.manifest.is_none(), "{path}");
            assert_eq!(f.problems.len(), 1, "{path}");
            assert!(
                f.problems[0].location.line >= 1,
                "{path}: {:?}",
                f.problems[0]
            );
        }
        // Text manifests never fail: odd lines are skipped.
        assert!(run("go.mod", "\u{0}\u{1}garbage\nrequire (\n")
            .problems
            .is_empty());
        assert!(run("requirements.txt", "[[\n===\n")
            .manifest
            .unwrap()
            .dependencies
            .is_empty());
    }
}
