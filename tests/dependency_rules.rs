//! The §5.3 rules on small self-written repositories, one shape each:
//! where a scan can hide (GitLab templates, local composite actions,
//! schedules, monorepo folders), where a dependency can come from (uv
//! sources, Poetry groups, Pipfile, Cargo paths, Gemfile paths, credentials
//! in URLs) and which image tags name a release line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use infra::audit::date::Date;
use infra::audit::{self, AuditOptions, Status};
use std::fs;

const VULN: &str = "vulnerability-scan-missing";
const SOURCE: &str = "dependency-unvetted-source";
const EOL: &str = "eol-runtime";

const PKG: &str = r#"{"name": "web", "dependencies": {"express": "^4.21.2"}}"#;
const CARGO: &str =
    "[package]\nname = \"svc\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = \"1\"\n";
const GO: &str = "module example.com/api\n\ngo 1.24\n\nrequire github.com/go-chi/chi/v5 v5.0.12\n";

/// Audit `files` as a repository on 2026-12-03: the rule's status and its
/// text report with the verdict's reason.
fn audit_text(files: &[(&str, &str)], rule: &str) -> (Status, String) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let full = dir.path().join(path);
        fs::create_dir_all(full.parent().unwrap()).unwrap();
        fs::write(full, text).unwrap();
    }
    let options = AuditOptions {
        today: Some(Date::new(2026, 12, 3)),
        ..AuditOptions::default()
    };
    let report = audit::audit_tree(dir.path(), &options).unwrap();
    let result = report.result(rule).unwrap();
    let text = infra::report::text::render(&report.only(rule), false);
    (
        result.status,
        format!(
            "{text}\nreason: {}",
            result.reason.clone().unwrap_or_default()
        ),
    )
}

fn check(name: &str, files: &[(&str, &str)], rule: &str, want: Status, says: &str) {
    let (status, text) = audit_text(files, rule);
    assert_eq!(status, want, "{name}: {rule}\n{text}");
    assert!(text.contains(says), "{name}: expected {says:?} in\n{text}");
}

#[test]
fn scans_found_where_they_hide() {
    check(
        "GitLab's dependency scanning template",
        &[
            ("requirements.txt", "flask==3.0.0\n"),
            (
                ".gitlab-ci.yml",
                "include:\n  - template: Jobs/Dependency-Scanning.gitlab-ci.yml\ntest:\n  script: [pytest]\n",
            ),
        ],
        VULN,
        Status::Pass,
        "",
    );
    check(
        "a local composite action",
        &[
            ("Cargo.toml", CARGO),
            (
                ".github/actions/audit/action.yml",
                "name: audit\nruns:\n  using: composite\n  steps:\n    - run: cargo audit --deny warnings\n      shell: bash\n",
            ),
            (
                ".github/workflows/ci.yml",
                "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./.github/actions/audit\n      - run: cargo test\n",
            ),
        ],
        VULN,
        Status::Pass,
        "",
    );
    check(
        "dependency review covers every ecosystem",
        &[
            ("package.json", PKG),
            ("api/go.mod", GO),
            (
                ".github/workflows/review.yml",
                "on: [pull_request]\njobs:\n  review:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/dependency-review-action@v4\n",
            ),
        ],
        VULN,
        Status::Pass,
        "",
    );
}

#[test]
fn missing_scans_per_ecosystem_and_folder() {
    check(
        "npm audit in one folder, nothing for go",
        &[
            ("apps/web/package.json", PKG),
            ("services/api/go.mod", GO),
            (
                ".github/workflows/ci.yml",
                "on: [push]\njobs:\n  web:\n    runs-on: ubuntu-latest\n    defaults: {run: {working-directory: apps/web}}\n    steps:\n      - run: npm ci && npm audit --omit=dev\n      - run: trivy config .\n",
            ),
        ],
        VULN,
        Status::Fail,
        "no CI step scans the go dependencies (services/api/go.mod)",
    );
    let (_, text) = audit_text(
        &[
            ("apps/web/package.json", PKG),
            ("services/api/go.mod", GO),
            (
                ".github/workflows/ci.yml",
                "on: [push]\njobs:\n  web:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm ci && npm audit\n",
            ),
        ],
        VULN,
    );
    assert!(!text.contains("node dependencies"), "{text}");
    check(
        "a reusable workflow of another repository may scan",
        &[
            ("package.json", PKG),
            (
                ".github/workflows/ci.yml",
                "on: [push]\njobs:\n  shared:\n    uses: acme/workflows/.github/workflows/node.yml@v1\n",
            ),
        ],
        VULN,
        Status::Unknown,
        "another repository",
    );
    check(
        "tooling-only package.json",
        &[
            ("package.json", r#"{"name": "x", "devDependencies": {"prettier": "^3"}}"#),
            (
                ".github/workflows/ci.yml",
                "on: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps: [{run: npx prettier --check .}]\n",
            ),
        ],
        VULN,
        Status::NotApplicable,
        "no package manifest with dependencies",
    );
}

#[test]
fn sources_inside_and_outside_the_repository() {
    check(
        "a uv source outside the repository",
        &[(
            "services/api/pyproject.toml",
            "[project]\nname = \"api\"\ndependencies = [\"shared\", \"fastapi\"]\n\n[tool.uv.sources]\nshared = { path = \"../../../shared\" }\n",
        )],
        SOURCE,
        Status::Fail,
        "services/api/pyproject.toml:6",
    );
    check(
        "a uv workspace member inside it",
        &[(
            "services/api/pyproject.toml",
            "[project]\nname = \"api\"\ndependencies = [\"shared\"]\n\n[tool.uv.sources]\nshared = { path = \"../../libs/shared\", editable = true }\n",
        )],
        SOURCE,
        Status::Pass,
        "",
    );
    check(
        "Poetry: git in a dev group is fine, in the main dependencies it is not",
        &[(
            "pyproject.toml",
            "[tool.poetry]\nname = \"x\"\n\n[tool.poetry.dependencies]\npython = \"^3.12\"\nlib = { git = \"https://github.com/someone/lib.git\", rev = \"abc123\" }\n\n[tool.poetry.group.dev.dependencies]\ntool = { git = \"https://github.com/someone/tool.git\" }\n",
        )],
        SOURCE,
        Status::Fail,
        "pyproject.toml:6",
    );
    check(
        "Pipfile packages from git",
        &[(
            "Pipfile",
            "[packages]\nrequests = \"*\"\nlib = { git = \"https://github.com/someone/lib.git\", ref = \"v1\" }\n\n[dev-packages]\npytest = \"*\"\n",
        )],
        SOURCE,
        Status::Fail,
        "`lib` is taken from a git repository",
    );
    check(
        "a Cargo path outside the repository",
        &[(
            "Cargo.toml",
            "[package]\nname = \"svc\"\nversion = \"0.1.0\"\n\n[dependencies]\nshared = { path = \"../other-repo/shared\" }\n",
        )],
        SOURCE,
        Status::Fail,
        "a folder outside the repository",
    );
    check(
        "a vendored gem inside the repository",
        &[(
            "Gemfile",
            "source \"https://rubygems.org\"\ngem \"rails\", \"~> 7.1\"\ngem \"patched\", path: \"vendor/gems/patched\"\n",
        )],
        SOURCE,
        Status::Pass,
        "",
    );
    let (status, text) = audit_text(
        &[(
            "package.json",
            r#"{"name": "x", "dependencies": {"lib": "git+https://deploy:s3cr3tvalue@github.com/acme/lib.git"}}"#,
        )],
        SOURCE,
    );
    assert_eq!(status, Status::Fail, "{text}");
    let message = text.lines().next().unwrap_or("");
    assert!(
        message.contains("git+https://***@github.com/acme/lib.git"),
        "{text}"
    );
    assert!(!message.contains("s3cr3tvalue"), "{text}");
}

#[test]
fn image_tags_that_name_a_release_line() {
    check(
        "postgres 13 is past its end of life",
        &[("db/Dockerfile", "FROM postgres:13-alpine\n")],
        EOL,
        Status::Fail,
        "PostgreSQL 13, which reached its end of life on 2025-11-13",
    );
    check(
        "an ARG without a default, a bare major and latest name no line",
        &[(
            "Dockerfile",
            "ARG NODE_VERSION\nFROM node:${NODE_VERSION}-alpine AS build\nFROM python:3-slim\nFROM ruby:latest\nFROM build\n",
        )],
        EOL,
        Status::Pass,
        "",
    );
}
