//! Python: `pyproject.toml` (PEP 621, Poetry, uv, PDM and the tools it
//! configures), `requirements*.txt`, `Pipfile`, `setup.py`, the lockfile that
//! names the package manager, and the commands CI runs.

use super::formats::{dep, parse_toml, sourced, toml_deps, toml_get, toml_str, toml_table};
use crate::context::model::SourceKind;
use super::{has, normalize_name, CommandContext, Ecosystem, Features, Manifest};
use crate::context::facts::Facts;
use crate::context::model::{Dependency, Evidence, Stack, StackCommands};
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
    vulnerability_scan: python_scan,
};

/// pip-audit release the rendered scan runs (pinned).
const PIP_AUDIT: &str = "2.9.0";

/// pip-audit over the environment the job installed: the runner's Python
/// for pip, the project's virtualenv for Poetry and Pipenv, uv's locked
/// production requirements (hashed, so pip need not resolve them again).
fn python_scan(s: &Stack, _: &dyn Fn(&str) -> bool) -> Option<String> {
    match s.package_manager.as_deref().unwrap_or("pip") {
        "pip" => Some(format!(
            "python -m pip install pip-audit=={PIP_AUDIT}\npip-audit"
        )),
        "uv" => Some(format!(
            "uv export --format requirements-txt --no-dev --no-emit-project --output-file \"$RUNNER_TEMP/requirements-audit.txt\"\nuvx pip-audit=={PIP_AUDIT} --disable-pip --requirement \"$RUNNER_TEMP/requirements-audit.txt\""
        )),
        manager @ ("poetry" | "pipenv") => Some(format!(
            "{manager} run python -m pip install pip-audit=={PIP_AUDIT}\n{manager} run pip-audit"
        )),
        _ => None,
    }
}


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
        let line = idx.line(v.span().start);
        // `name @ git+https://…`: a direct reference, not a version.
        if let Some((kind, url)) = version.as_deref().and_then(direct_reference) {
            return Some(sourced(dep(&name, None, dev, line), kind, &url, line));
        }
        Some(dep(&name, version, dev, line))
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
    // `[tool.uv.sources] name = { git = … }` says where a listed dependency
    // comes from (`workspace = true` and `index = …` are registries).
    if let Some(sources) = toml_table(&doc, &["tool", "uv", "sources"]) {
        for (k, v) in sources.iter() {
            let Some((kind, spec, line)) = v
                .get_ref()
                .as_table()
                .and_then(|t| super::formats::toml_source(t, &idx))
            else {
                continue;
            };
            let key = normalize_name(k.get_ref());
            for d in m
                .dependencies
                .iter_mut()
                .filter(|d| normalize_name(&d.name) == key && d.source.is_none())
            {
                *d = sourced(d.clone(), kind, &spec, line);
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
        // A ` #` starts a comment; a `#` inside a URL (`#egg=`) does not.
        let t = match line.find(" #") {
            Some(at) => line[..at].trim(),
            None => line.trim(),
        };
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let line_no = i as u32 + 1;
        if let Some(d) = requirement_source(t, dev, line_no) {
            m.dependencies.push(d);
            continue;
        }
        if t.starts_with('-') || t.contains("://") {
            continue;
        }
        let Some(caps) = REQUIREMENT.captures(t) else {
            continue;
        };
        let Some(name) = caps.get(1) else { continue };
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

/// `@ git+https://…` after a requirement's name: the source it names.
fn direct_reference(version: &str) -> Option<(SourceKind, String)> {
    let url = version.strip_prefix('@')?.trim();
    Some(classify_url(url))
}

/// A pip URL or path: `git+…` (and the other VCS schemes), `file:`, a
/// path, or another URL.
fn classify_url(url: &str) -> (SourceKind, String) {
    let url = url.trim();
    if ["git+", "hg+", "svn+", "bzr+"].iter().any(|p| url.starts_with(p)) {
        return (SourceKind::Git, url.to_string());
    }
    if let Some(path) = url.strip_prefix("file://").or_else(|| url.strip_prefix("file:")) {
        return (SourceKind::Path, path.to_string());
    }
    if url.contains("://") {
        return (SourceKind::Url, url.to_string());
    }
    (SourceKind::Path, url.to_string())
}

/// A requirements line that takes a package from outside the index: `-e
/// <path or VCS URL>`, a bare VCS URL or archive URL (`…#egg=name`),
/// `name @ url`, or a local path (`./pkg`, `../lib`). Options (`-r`, `-c`,
/// `--index-url`, …) and plain requirements are `None`.
fn requirement_source(t: &str, dev: bool, line: u32) -> Option<Dependency> {
    let target = if let Some(rest) = t.strip_prefix("-e").or_else(|| t.strip_prefix("--editable")) {
        rest.trim_start_matches('=').trim()
    } else if t.starts_with('-') {
        return None;
    } else if let Some((name, url)) = t.split_once(" @ ").or_else(|| t.split_once("@ ")) {
        let (name, _) = split_requirement(name.trim())?;
        let (kind, spec) = classify_url(url.split(';').next().unwrap_or(url));
        return Some(sourced(dep(&name, None, dev, line), kind, &spec, line));
    } else {
        t
    };
    let target = target.split_whitespace().next()?;
    let is_url = target.contains("://") || ["git+", "hg+", "svn+", "bzr+"].iter().any(|p| target.starts_with(p));
    let is_path = target == "."
        || target.starts_with("./")
        || target.starts_with("../")
        || target.starts_with('/')
        || target.starts_with("~/");
    if !is_url && !is_path {
        return None;
    }
    let (kind, spec) = classify_url(target);
    // The name: `#egg=name`, else the last path segment (`repo.git`, `pkg-1.0.tar.gz`).
    let name = target
        .split_once("#egg=")
        .map(|(_, e)| e.split('&').next().unwrap_or(e).to_string())
        .unwrap_or_else(|| {
            let base = target.split(['#', '?']).next().unwrap_or(target).trim_end_matches('/');
            let last = base.rsplit('/').next().unwrap_or(base);
            last.trim_end_matches(".git").to_string()
        });
    let name = if name.is_empty() || name == "." { target.to_string() } else { name };
    Some(sourced(dep(&name, None, dev, line), kind, &spec, line))
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


#[cfg(test)]
mod source_tests {
    use super::*;

    fn src(line: &str) -> Option<(String, SourceKind, String)> {
        requirement_source(line, false, 1).map(|d| {
            let s = d.source.unwrap();
            (d.name, s.kind, s.spec)
        })
    }

    #[test]
    fn requirement_lines() {
        assert_eq!(
            src("git+https://github.com/o/pkg.git@v1#egg=pkg"),
            Some(("pkg".into(), SourceKind::Git, "git+https://github.com/o/pkg.git@v1#egg=pkg".into()))
        );
        assert_eq!(src("-e git+https://github.com/o/tool.git").map(|s| s.0), Some("tool".into()));
        assert_eq!(src("-e ../lib").map(|s| (s.1, s.2)), Some((SourceKind::Path, "../lib".into())));
        assert_eq!(src("-e .").map(|s| s.2), Some(".".into()));
        assert_eq!(src("pkg @ https://example.com/pkg-1.0.tar.gz").map(|s| (s.0, s.1)), Some(("pkg".into(), SourceKind::Url)));
        assert_eq!(src("https://example.com/x-1.0-py3-none-any.whl").map(|s| s.1), Some(SourceKind::Url));
        for line in ["requests==2.31", "-r base.txt", "--index-url https://pypi.example.com/simple", "-c constraints.txt", "--hash=sha256:abc"] {
            assert_eq!(src(line), None, "{line}");
        }
        assert_eq!(direct_reference("@ git+https://x/y.git"), Some((SourceKind::Git, "git+https://x/y.git".into())));
        assert_eq!(direct_reference(">=1.0"), None);
    }
}

#[cfg(test)]
mod scan_tests {
    use super::*;

    fn scan(pm: &str) -> Option<String> {
        let s = Stack {
            language: crate::context::stack::Language::Python,
            manifest: "pyproject.toml".into(),
            dir: String::new(),
            name: None,
            frameworks: Vec::new(),
            dependencies: Vec::new(),
            scripts: Default::default(),
            package_manager: Some(pm.to_string()),
            commands: Default::default(),
        };
        python_scan(&s, &|_| false)
    }

    #[test]
    fn pip_audit_reads_the_environment_each_manager_installed() {
        assert!(scan("pip").unwrap().ends_with("\npip-audit"));
        assert!(scan("poetry").unwrap().contains("poetry run pip-audit"));
        assert!(scan("pipenv").unwrap().contains("pipenv run pip-audit"));
        let uv = scan("uv").unwrap();
        assert!(uv.starts_with("uv export --format requirements-txt --no-dev"));
        assert!(uv.contains("--disable-pip"), "{uv}");
        assert_eq!(scan("pdm"), None);
    }
}
