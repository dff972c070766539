//! Python: `pyproject.toml` (PEP 621, Poetry, uv, PDM and the tools it
//! configures), `requirements*.txt`, `Pipfile`, `setup.py`, the lockfile that
//! names the package manager, and the commands CI runs.

use super::formats::{dep, parse_toml, toml_deps, toml_get, toml_str, toml_table};
use super::{has, normalize_name, CommandContext, Ecosystem, Features, Manifest};
use crate::context::facts::Facts;
use crate::context::model::{Dependency, Evidence, StackCommands};
use crate::context::services;
use crate::model::Location;
use crate::source::text::{file_name, re, LineIndex};
use regex::Regex;
use std::sync::LazyLock;
use toml::de::DeValue;

pub static ECOSYSTEM: Ecosystem = Ecosystem {
    id: "python",
    manifest,
    parse,
    lockfiles: &[("poetry.lock", "poetry"), ("uv.lock", "uv"), ("Pipfile.lock", "pipenv"), ("pdm.lock", "pdm")],
    default_package_manager: Some("pip"),
    framework,
    commands,
    label: |_| "Python",
    version_files: &[".python-version"],
    dependabot: |_| Some("pip"),
};

fn manifest(name: &str) -> Option<u8> {
    match name {
        "pyproject.toml" => Some(0),
        "Pipfile" => Some(1),
        "setup.py" => Some(3),
        n if is_requirements(n) => Some(2),
        _ => None,
    }
}

fn is_requirements(name: &str) -> bool {
    name.starts_with("requirements") && name.ends_with(".txt")
}

fn parse(
    path: &str,
    text: &str,
    m: Manifest,
    facts: &mut Facts,
    features: &mut Features,
) -> Option<Manifest> {
    match file_name(path) {
        "pyproject.toml" => pyproject(path, text, m, facts),
        "Pipfile" => pipfile(path, text, m, facts),
        n if is_requirements(n) => Some(requirements(path, text, m, features)),
        _ => Some(m),
    }
}

fn pyproject(path: &str, text: &str, mut m: Manifest, facts: &mut Facts) -> Option<Manifest> {
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
        if configured && !m.dependencies.iter().any(|d| normalize_name(&d.name) == tool) {
            m.build_tool = Some(match m.build_tool.take() {
                Some(t) => format!("{t},{tool}"),
                None => tool.to_string(),
            });
        }
    }
    Some(m)
}

fn pipfile(path: &str, text: &str, mut m: Manifest, facts: &mut Facts) -> Option<Manifest> {
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

static REQUIREMENT: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*([^;#]*)"));

/// `fastapi[all]>=0.110 ; python_version > "3.8"` → (`fastapi`, `>=0.110`).
fn split_requirement(spec: &str) -> Option<(String, Option<String>)> {
    let caps = REQUIREMENT.captures(spec)?;
    let name = caps.get(1)?.as_str().to_string();
    let version = caps.get(3).map(|v| v.as_str().trim().to_string());
    Some((name, version))
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
                for def in services::match_feature(&normalize_name(name.as_str()), extra.trim()) {
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


fn framework(n: &str) -> Option<&'static str> {
    Some(match normalize_name(n).as_str() {
            "django" => "django",
            "flask" => "flask",
            "fastapi" => "fastapi",
            _ => return None,
        })
}

fn commands(c: &CommandContext<'_>) -> StackCommands {
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

