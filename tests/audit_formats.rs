//! Report formats: SARIF validated against the official OASIS SARIF 2.1.0
//! schema (tests/schemas/sarif-2.1.0.json), no secret value in any format,
//! and the escaping of JUnit, GitHub annotations and Markdown.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use assert_cmd::Command;
use common::copy_dir;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

/// Ignore comments in test texts are spelled `INFRA_IGNORE[` and expanded
/// here, so this file holds no real ignore when the repository audits itself.
fn directive(text: &str) -> String {
    text.replace("INFRA_IGNORE[", concat!("infra", ": ignore["))
}

const FORMATS: &[&str] = &["text", "json", "sarif", "junit", "github", "markdown"];

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(root: &Path, format: &str) -> String {
    let out = Command::cargo_bin("infra")
        .unwrap()
        .args(["audit", "--color", "always", "--format", format])
        .arg(root)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 11 | 12 | 13)),
        "{format}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const SECRETS: &[&str] = &[
    "ghp_Zx8Kq2Lm4Np6Rs8Tu0Vw2Xy4Za6Bc8De0Fg2",
    "AKIAZ7QW3ERTY5UIOP2A",
    "sk_live_51Hx9QzLmNoPqRsTuVwXyZ0123",
    "hunter2-correct-horse-99",
    "S3cr3tPassw0rd",
];

/// The complete repo with secret-looking values planted on lines findings
/// point at (alert rows without runbooks), plus one suppressed finding.
fn repo_with_secrets() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &manifest_dir().join("tests/fixtures/audit/complete"),
        dir.path(),
    );
    let obs = dir.path().join("docs/infra/observability.md");
    let text = fs::read_to_string(&obs).unwrap();
    let text = text
        .replace(
            "| CPU | > 85% for 10 min | [api](runbooks/api.md) |",
            &format!(
                "| CPU | > 85% for 10 min, token {} key {} | none |",
                SECRETS[0], SECRETS[1]
            ),
        )
        .replace(
            "| Memory | > 90% for 10 min | [api](runbooks/api.md) |",
            &format!(
                "| Memory | > 90% for 10 min STRIPE={} DB_PASSWORD={} | none |",
                SECRETS[2], SECRETS[3]
            ),
        )
        .replace(
            "| Disk | > 80% full | [api](runbooks/api.md) |",
            &format!(
                "| Disk | > 80% of postgres://app:{}@db.internal:5432/ledger | none |",
                SECRETS[4]
            ),
        );
    fs::write(&obs, text).unwrap();
    let dep = dir.path().join("docs/infra/deployments.md");
    let text = fs::read_to_string(&dep).unwrap().replace(
        "## How to roll back\n\nRun the `rollback` workflow with the previous release tag.\n",
        &directive(
            "<!-- INFRA_IGNORE[deploy-no-rollback] the platform keeps the previous release -->\n",
        ),
    );
    fs::write(&dep, text).unwrap();
    dir
}

#[test]
fn no_format_prints_a_secret_value() {
    let dir = repo_with_secrets();
    // The planted lines are reported (so redaction, not absence, keeps them out).
    let v: Value = serde_json::from_str(&run(dir.path(), "json")).unwrap();
    let snippets: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "alert-not-actionable")
        .filter_map(|f| f["snippet"].as_str())
        .collect();
    assert_eq!(snippets.len(), 3, "{v:#}");
    assert!(
        snippets.iter().all(|s| s.contains("chars)")),
        "{snippets:?}"
    );
    for format in FORMATS {
        let out = run(dir.path(), format);
        for secret in SECRETS {
            assert!(!out.contains(secret), "{format} printed {secret}:\n{out}");
        }
    }
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(manifest_dir().join("tests/schemas/sarif-2.1.0.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, doc: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not match the schema:\n{}",
        errors.join("\n")
    );
}

#[test]
fn sarif_matches_the_official_schema() {
    let validator = sarif_validator();
    let readme_only = tempfile::tempdir().unwrap();
    fs::write(
        readme_only.path().join("README.md"),
        "# Shop\n\nA small shop that sells tea online.\n",
    )
    .unwrap();
    let secrets = repo_with_secrets();
    let roots = [
        readme_only.path().to_path_buf(),
        secrets.path().to_path_buf(),
        manifest_dir().join("tests/fixtures/rules/cache-invalidation-undocumented/fail"),
        manifest_dir().join("tests/fixtures/audit/complete"),
    ];
    let mut saw = (false, false, false);
    for root in &roots {
        let doc: Value = serde_json::from_str(&run(root, "sarif")).unwrap();
        assert_valid(&validator, &doc);
        for r in doc["runs"][0]["results"].as_array().unwrap() {
            saw.0 |= r.get("suppressions").is_some();
            saw.1 |= r.get("relatedLocations").is_some();
            saw.2 |= r["locations"][0]["physicalLocation"]
                .get("region")
                .is_some();
        }
    }
    assert_eq!(
        saw,
        (true, true, true),
        "suppressions, related locations and regions are all exercised"
    );

    // The validator does reject a broken log, so the checks above mean something.
    let mut broken: Value = serde_json::from_str(&run(&roots[0], "sarif")).unwrap();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(validator.iter_errors(&broken).next().is_some());
}

#[test]
fn junit_has_a_case_per_rule_and_escapes_text() {
    let dir = repo_with_secrets();
    let out = run(dir.path(), "junit");
    assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    let cases = out.matches("<testcase ").count();
    assert!(cases >= 18, "{out}");
    assert!(out.contains("name=\"alert-not-actionable\""));
    assert!(out.contains("<failure type=\"error\""));
    // Quotes in messages are escaped inside XML attributes.
    assert!(
        out.contains("alert &quot;CPU&quot; links no runbook"),
        "{out}"
    );
    assert!(!out.contains("alert \"CPU\""), "{out}");
    assert_eq!(
        out.matches("<testsuite ").count(),
        out.matches("</testsuite>").count()
    );
    assert!(out.contains("<property name=\"suppressed\" value=\"1\"/>"));
}

#[test]
fn github_annotations_are_escaped_one_per_line() {
    let dir = repo_with_secrets();
    let out = run(dir.path(), "github");
    // The planted secrets are hardcoded-secret findings too; these are the alerts'.
    let annotations: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("::") && l.contains("title=alert-not-actionable"))
        .collect();
    assert_eq!(annotations.len(), 3, "{out}");
    for a in &annotations {
        assert!(
            a.starts_with("::error file=docs/infra/observability.md,line="),
            "{a}"
        );
        assert!(a.contains(",title=alert-not-actionable (§4.3)::"), "{a}");
        assert!(a.contains("%0Ahelp: "), "{a}");
    }
    assert!(out.contains("1 suppressed"));
}

#[test]
fn markdown_is_a_table_with_escaped_cells() {
    let dir = repo_with_secrets();
    let out = run(dir.path(), "markdown");
    assert!(out.starts_with("## infra audit failed"), "{out}");
    assert!(out.contains("| Level | Rule | Location | Finding | Fix |"));
    assert!(out.contains("| § | Section |"));
    assert!(out.contains("1 suppressed"));
    for line in out.lines().filter(|l| l.starts_with("| **error**")) {
        assert_eq!(
            line.matches(" | ").count() + 2,
            6,
            "a cell leaked a pipe: {line}"
        );
    }
}

#[test]
fn text_colour_follows_the_flag() {
    let dir = repo_with_secrets();
    let coloured = run(dir.path(), "text");
    assert!(coloured.contains("\u{1b}["));
    let out = Command::cargo_bin("infra")
        .unwrap()
        .args(["audit", "--color", "never"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!String::from_utf8(out.stdout).unwrap().contains("\u{1b}["));
    let out = Command::cargo_bin("infra")
        .unwrap()
        .args(["audit"])
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8(out.stdout).unwrap().contains("\u{1b}["));
}
